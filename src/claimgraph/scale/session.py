"""A SparkSession with what the claimgraph job needs, and the check that Spark is there."""
from __future__ import annotations

import os
import shutil
import sys

from ..errors import SparkUnavailable

# Every Python worker runs one document stream on one core: a BLAS or OpenMP pool per worker
# would oversubscribe the cores Spark already hands out one task each.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                     "BLIS_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1",
                     "NUMEXPR_NUM_THREADS": "1"}

# In local mode the JVM only shuttles Arrow batches between files and Python workers. The
# C1-only JIT, one compiler thread and the serial GC start it in about half the time on a
# small machine and leave the cores to the Python workers doing the parsing.
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC"


def require_spark():
    """The pyspark module, or SparkUnavailable (CG701) naming what is missing."""
    try:
        import pyspark
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed; run `pip install 'claimgraph[spark]'` "
            "(or `pip install 'pyspark>=3.5,<5'`)") from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable("Spark needs Java 17 or later: no `java` on PATH and no JAVA_HOME")
    return pyspark


def is_local(master: str | None) -> bool:
    return bool(master) and master.startswith("local")


def session_conf(master: str | None, partitions: int | None = None, quiet: bool = False,
                 conf: dict[str, str] | None = None, arrow_batch: int = 256) -> dict[str, str]:
    """The Spark settings the job sets unless the user (``conf``) already did."""
    out: dict[str, str] = {
        "spark.app.name": "claimgraph",
        "spark.python.worker.reuse": "true",  # one pipeline load per worker process, not per task
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(arrow_batch),
        "spark.sql.shuffle.partitions": str(max(1, partitions or 8)),
        "spark.sql.sources.partitionOverwriteMode": "static",  # a re-run replaces all months
    }
    for key, value in SINGLE_THREAD_ENV.items():
        out[f"spark.executorEnv.{key}"] = value
    if is_local(master):
        out["spark.master"] = master
        out["spark.ui.enabled"] = "false"
        out["spark.driver.host"] = "127.0.0.1"
        out["spark.driver.bindAddress"] = "127.0.0.1"
        out["spark.driver.extraJavaOptions"] = LOCAL_JAVA_OPTIONS
    elif master:
        out["spark.master"] = master
    if quiet or not sys.stderr.isatty():
        out["spark.ui.showConsoleProgress"] = "false"
    out.update(conf or {})
    return out


class SparkSessionHandle:
    """``with SparkSessionHandle(...) as spark``: reuses an active session (spark-submit,
    a notebook, a test fixture) and stops only a session it started itself."""

    def __init__(self, master: str | None = None, partitions: int | None = None,
                 quiet: bool = False, conf: dict[str, str] | None = None):
        self.master = master
        self.partitions = partitions
        self.quiet = quiet
        self.conf = conf or {}
        self.spark = None
        self._owned = False

    def __enter__(self):
        require_spark()
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            self.spark = active
            return active
        for key, value in SINGLE_THREAD_ENV.items():
            # The driver's own pandas/pyarrow, and in local mode the Python daemon that forks
            # the workers, inherit these too.
            os.environ.setdefault(key, value)
        if is_local(self.master):
            # Workers must find claimgraph and its model: the driver's own interpreter has
            # both. (SparkContext reads the worker interpreter from this variable only.)
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = SparkSession.builder
        for key, value in session_conf(self.master, self.partitions, self.quiet, self.conf).items():
            builder = builder.config(key, value)
        try:
            self.spark = builder.getOrCreate()
        except Exception as exc:  # noqa: BLE001 - Java missing/broken surfaces as many types
            raise SparkUnavailable(f"cannot start Spark: {type(exc).__name__}: {exc}") from exc
        self._owned = True
        self.spark.sparkContext.setLogLevel("ERROR" if self.quiet else "WARN")
        return self.spark

    def __exit__(self, *exc) -> None:
        if self._owned and self.spark is not None:
            self.spark.stop()
