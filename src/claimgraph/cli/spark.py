"""`claimgraph spark extract` (the pipeline on Apache Spark) and `claimgraph load` (its
Parquet output into the SQLite store). pyspark is imported only when a Spark command runs;
`load` needs pyarrow alone."""
from __future__ import annotations

import json
import time

import click

from ..scale.job import INPUT_FORMATS, parse_conf, run_extract
from .options import (db_option, json_option, kb_option, model_option, outlet_option,
                      published_option, quiet_option, settings_from, strict_option)


@click.group()
def spark():
    """Run the extraction on Apache Spark (needs `pip install 'claimgraph[spark]'` and Java 17).

    See docs/SCALE.md for running on a cluster with spark-submit.
    """


@spark.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.argument("output")
@click.option("--input-format", "-f", default="auto", show_default=True, type=click.Choice(INPUT_FORMATS),
              help="Input format: jsonl, parquet (a `text` or `html` column), warc, or any other "
                   "format `extract` reads; auto picks parquet for *.parquet inputs and detects "
                   "the rest file by file.")
@click.option("--partitions", "-p", type=click.IntRange(min=1), default=None,
              help="Partitions for the pipeline stage (default 2 × Spark's default parallelism). "
                   "Also the most Parquet files per month written.")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master URL, e.g. local[2], yarn, spark://host:7077.")
@click.option("--conf", "spark_conf", multiple=True, metavar="KEY=VALUE",
              help="Extra Spark setting (spark.executor.memory=4g); repeatable.")
@published_option
@outlet_option
@model_option
@kb_option
@json_option
@quiet_option
@click.pass_context
def extract(ctx, inputs, output, input_format, partitions, master, spark_conf, published, outlet,
            model, kb_extra, as_json, quiet):
    """Extract records from INPUT files or folders into Parquet under OUTPUT.

    OUTPUT/records/month=YYYY-MM/ holds one row per document (a `record` JSON column plus
    doc_id, published, outlet, title, url, n_actors, n_claims, n_events, n_chars, seq);
    OUTPUT/errors/ one row per failed document (seq, doc_id, origin, code, where, message).
    Bad documents do not fail the job; running again over the same input replaces OUTPUT.
    The exit status is non-zero only when no document at all could be processed.
    """
    settings = settings_from(ctx, model=model, kb_extra=kb_extra)
    summary = run_extract(list(inputs), output, input_format=input_format, partitions=partitions,
                          settings=settings, published=published, outlet=outlet, master=master,
                          conf=parse_conf(spark_conf), quiet=quiet)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    elif not quiet:
        click.echo(f"{summary.records} records ({summary.claims} claims, {summary.events} events), "
                   f"{summary.errors} errors from {summary.input_files} input files in "
                   f"{summary.seconds:.1f}s → {output}", err=True)
    if summary.records == 0 and summary.errors:
        ctx.exit(1)


@click.command()
@click.argument("parquet_dir", type=click.Path(exists=True, file_okay=False))
@db_option()
@quiet_option
@strict_option
@click.pass_context
def load(ctx, parquet_dir, db, quiet, strict):
    """Load the Parquet output of `claimgraph spark extract` into the database.

    PARQUET_DIR is the job's OUTPUT folder (or its records/ folder). Documents already stored
    (same doc_id) are replaced, so loading twice changes nothing; the result is the same as
    `claimgraph ingest` of the same input. Needs no Spark: the files are read with pyarrow.
    Failed documents listed in PARQUET_DIR/errors are reported, not loaded.
    """
    from ..scale.layout import iter_output_records, read_errors
    from ..store import Store

    settings = settings_from(ctx)
    started = time.monotonic()

    def on_error(exc):
        click.echo(f"error: {exc.one_line()}", err=True)

    with Store(db, settings=settings) as store:
        with store.writer(on_error=on_error, strict=strict) as writer:
            for record in iter_output_records(parquet_dir):
                writer.add(record)
        result = writer.result
        store.write_metadata()
    failed = len(read_errors(parquet_dir))
    if not quiet:
        click.echo(f"loaded {result.documents} documents ({result.replaced} replaced), "
                   f"{result.claims} claims, {result.events} events, {result.skipped} refused "
                   f"into {db} in {time.monotonic() - started:.1f}s"
                   + (f"; {failed} documents had failed in the Spark job (see errors/)" if failed else ""),
                   err=True)
    if result.documents == 0:
        click.echo("error: no document could be loaded", err=True)
        ctx.exit(1)


commands = [spark, load]
