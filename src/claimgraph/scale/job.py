"""The Spark job: documents in (JSONL, WARC, any format ``claimgraph extract`` reads, or
Parquet with a ``text`` column), OUTPUT.md records out as Parquet partitioned by month.

Stages:
1. parse   every input file is read whole by one task (``binaryFile``) with the same ingest
           reader a local run uses; Parquet rows go through the same record checks.
           Items get a ``seq`` (input file number, item number) that a re-run reproduces.
2. spread  ``repartition(N)`` (round-robin, made deterministic by Spark's sort before
           repartition) then ``sortWithinPartitions(seq)``: a task sees the same documents in
           the same order on every attempt.
3. extract ``mapInPandas``: the spaCy pipeline, loaded once per Python worker process.
4. write   records → OUTPUT/records/month=YYYY-MM/, failures → OUTPUT/errors/, both with mode
           overwrite. Spark's commit protocol publishes only the output of the one successful
           attempt of each task, so retries and speculative copies add no rows, and a re-run
           replaces the previous output instead of adding to it.

Entry points: ``claimgraph spark extract`` and, on a cluster,
``spark-submit [--master ...] src/claimgraph/scale/job.py INPUT... OUTPUT`` (or
``python -m claimgraph.scale.job``); see docs/SCALE.md.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field

# Absolute imports: spark-submit runs this file as a script, not as part of the package.
from claimgraph.errors import ClaimgraphError, InputNotFound, UnknownFormat
from claimgraph.scale.layout import (ERROR_OUTPUT, ITEM_COLUMNS, RECORD_OUTPUT, RESULT_COLUMNS,
                                     ddl, errors_path, records_path)
from claimgraph.scale.session import SparkSessionHandle, require_spark
from claimgraph.settings import Settings, load_settings

log = logging.getLogger("claimgraph.scale")

INPUT_FORMATS = ("auto", "jsonl", "parquet", "warc", "html", "text", "csv", "rss")
RECORD_FIELDS = ("id", "text", "html", "title", "url", "outlet", "published")


@dataclass
class JobSummary:
    output: str
    input_files: int = 0
    documents: int = 0       # items that reached the pipeline stage (records + errors)
    records: int = 0
    errors: int = 0
    claims: int = 0
    events: int = 0
    partitions: int = 0
    seconds: float = 0.0
    months: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _context(settings: Settings, published: str | None, outlet: str | None):
    from claimgraph.ingest._common import Context
    from claimgraph.ingest.dates import parse_user_date

    return Context(settings=settings, published=parse_user_date(published) if published else None,
                   outlet=" ".join(outlet.split()) or None if outlet else None)


def _is_parquet(paths: list[str]) -> bool:
    return all(p.rstrip("/").lower().endswith(".parquet") for p in paths)


def _items_from_files(spark, paths: list[str], input_format: str, ctx):
    from claimgraph.scale.worker import display_path, parse_file

    reader = spark.read.format("binaryFile").option("recursiveFileLookup", "true")
    try:
        files = reader.load(paths)
        listed = sorted(files.inputFiles())
    except Exception as exc:  # noqa: BLE001 - AnalysisException: path does not exist
        raise InputNotFound(f"cannot list input: {str(exc).splitlines()[0]}",
                            where=", ".join(paths)) from exc
    index = {path: number for number, path in enumerate(listed)}
    # Files the user named are read even where a directory walk would skip them (README.md).
    named = {display_path(p) if ":" in p.split("/")[0] else os.path.abspath(p) for p in paths}

    def parse(row):
        path = row.path
        return parse_file(path, row.content, index.get(path, 0), input_format, ctx,
                          explicit=display_path(path) in named)

    items = files.select("path", "content").rdd.flatMap(parse)
    return spark.createDataFrame(items, ddl(ITEM_COLUMNS)), len(listed)


def _items_from_parquet(spark, paths: list[str], ctx):
    from pyspark.sql import functions as F

    from claimgraph.scale.worker import parse_parquet_rows

    try:
        frame = spark.read.parquet(*paths)
    except Exception as exc:  # noqa: BLE001
        raise InputNotFound(f"cannot read Parquet input: {str(exc).splitlines()[0]}",
                            where=", ".join(paths)) from exc
    columns = [c for c in RECORD_FIELDS if c in frame.columns]
    if "text" not in columns and "html" not in columns:
        raise UnknownFormat(f"Parquet input needs a 'text' (or 'html') column; it has "
                            f"{', '.join(frame.columns)}", where=", ".join(paths))
    frame = frame.select(*columns, F.input_file_name().alias("_file"))
    items = frame.rdd.mapPartitionsWithIndex(
        lambda index, rows: parse_parquet_rows(index, rows, ctx, columns))
    return spark.createDataFrame(items, ddl(ITEM_COLUMNS)), len(frame.inputFiles())


def run_extract(inputs: list[str], output: str, *, input_format: str = "auto",
                partitions: int | None = None, settings: Settings | None = None,
                published: str | None = None, outlet: str | None = None, spark=None,
                master: str | None = None, conf: dict | None = None,
                quiet: bool = False) -> JobSummary:
    """Run the extraction over ``inputs`` and write ``output`` (see layout.py)."""
    require_spark()
    if input_format not in INPUT_FORMATS:
        raise UnknownFormat(f"unknown input format {input_format!r}; use one of "
                            f"{', '.join(INPUT_FORMATS)}", where="--input-format")
    if not inputs:
        raise InputNotFound("no input paths given")
    settings = settings or load_settings()
    ctx = _context(settings, published, outlet)  # a bad --published fails here, before Spark
    if spark is None:
        with SparkSessionHandle(master=master, partitions=partitions, quiet=quiet, conf=conf) as session:
            return _run(session, inputs, output, input_format, partitions, settings, ctx)
    return _run(spark, inputs, output, input_format, partitions, settings, ctx)


def _run(spark, inputs, output, input_format, partitions, settings, ctx) -> JobSummary:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from claimgraph.scale.worker import extract_batches

    started = time.monotonic()
    parquet = input_format == "parquet" or (input_format == "auto" and _is_parquet(inputs))
    if parquet:
        items, n_files = _items_from_parquet(spark, inputs, ctx)
    else:
        items, n_files = _items_from_files(spark, inputs, input_format, ctx)
    n = partitions or max(2, 2 * spark.sparkContext.defaultParallelism)
    worker_settings = settings

    results = (items.repartition(n).sortWithinPartitions("seq")
               .mapInPandas(lambda batches: extract_batches(batches, worker_settings),
                            ddl(RESULT_COLUMNS)))
    # Two writes read the results: keep them so that the pipeline runs once. A lost block is
    # recomputed, and recomputing gives the same rows.
    results = results.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        records = results.filter(F.col("kind") == "record").select(*RECORD_OUTPUT)
        (records.sortWithinPartitions("month", "seq").write.mode("overwrite")
         .partitionBy("month").parquet(records_path(output)))
        errors = results.filter(F.col("kind") == "error").select(*ERROR_OUTPUT)
        errors.repartition(1).sortWithinPartitions("seq").write.mode("overwrite").parquet(errors_path(output))

        summary = JobSummary(output=output, input_files=n_files, partitions=n)
        totals = results.groupBy("kind").agg(F.count(F.lit(1)).alias("n"),
                                             F.sum("n_claims").alias("claims"),
                                             F.sum("n_events").alias("events")).collect()
        for row in totals:
            if row["kind"] == "record":
                summary.records, summary.claims, summary.events = row["n"], row["claims"] or 0, row["events"] or 0
            else:
                summary.errors = row["n"]
        summary.documents = summary.records + summary.errors
        months = results.filter(F.col("kind") == "record").groupBy("month").count().collect()
        summary.months = {r["month"]: r["count"] for r in sorted(months, key=lambda r: r["month"])}
    finally:
        results.unpersist()
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


# -- spark-submit entry point -----------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimgraph.scale.job",
        description="claimgraph on Spark: extract OUTPUT.md records from INPUT files into "
                    "Parquet under OUTPUT (records/ partitioned by month, errors/).")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="INPUT... OUTPUT")
    parser.add_argument("--input-format", "-f", default="auto", choices=INPUT_FORMATS)
    parser.add_argument("--partitions", "-p", type=int, default=None,
                        help="Partitions for the pipeline stage (default 2 × default parallelism).")
    parser.add_argument("--master", default=None,
                        help="Spark master; leave out under spark-submit, which sets it.")
    parser.add_argument("--published", default=None)
    parser.add_argument("--outlet", default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--config", default=None, help="claimgraph config file (see default.cfg).")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="Extra Spark setting; repeatable.")
    parser.add_argument("--quiet", "-q", action="store_true")
    return parser


def parse_conf(pairs) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UnknownFormat(f"--conf wants KEY=VALUE, got {pair!r}", where="--conf")
        out[key.strip()] = value
    return out


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if len(args.paths) < 2:
        print("error: give at least one INPUT and the OUTPUT folder", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # spark-submit hands its master to the session through the gateway it started; a plain
    # `python -m claimgraph.scale.job` has none and runs locally.
    master = args.master or (None if os.environ.get("PYSPARK_GATEWAY_PORT") else "local[*]")
    try:
        settings = load_settings(args.config, model=args.model)
        summary = run_extract(args.paths[:-1], args.paths[-1], input_format=args.input_format,
                              partitions=args.partitions, settings=settings,
                              published=args.published, outlet=args.outlet, master=master,
                              conf=parse_conf(args.conf), quiet=args.quiet)
    except ClaimgraphError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 1
    print(json.dumps(summary.as_dict()))
    return 0 if summary.records or not summary.errors else 1


if __name__ == "__main__":
    sys.exit(main())
