"""claimgraph on Apache Spark: the same ingest → nlp → record path, run on executors.

Nothing here imports pyspark at import time: the rest of claimgraph (and ``claimgraph load``,
which only reads the Parquet output with pyarrow) works without it. ``require_spark()``
raises SparkUnavailable (CG701) when pyspark or Java is missing.

- ``session.py``  building a SparkSession with the settings the job needs
- ``job.py``      the driver: read inputs, run the pipeline, write Parquet (spark-submit entry)
- ``worker.py``   what runs inside Python workers (input parsing, the pipeline once per process)
- ``layout.py``   the output layout, and reading it back without Spark
"""
from .layout import ERRORS_DIR, RECORDS_DIR, month_of

__all__ = ["ERRORS_DIR", "RECORDS_DIR", "month_of", "require_spark"]


def require_spark():
    from .session import require_spark as _require

    return _require()
