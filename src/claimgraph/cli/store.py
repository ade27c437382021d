"""`claimgraph ingest`, `stats` and `summary`: fill the SQLite store and report on it."""
from __future__ import annotations

import json
import time

import click

from ..store import Store
from .options import (db_option, input_format_option, jobs_option, json_option, kb_option,
                      model_option, outlet_option, published_option, quiet_option,
                      settings_from, strict_option)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@db_option()
@input_format_option
@published_option
@outlet_option
@jobs_option
@model_option
@kb_option
@quiet_option
@strict_option
@click.pass_context
def ingest(ctx, paths, db, input_format, published, outlet, jobs, model, kb_extra, quiet, strict):
    """Extract actors, events and claims from PATHS and store them in the database.

    PATHS are files or folders in any input format `extract` reads (`-` is standard input).
    Re-ingesting a document (same id) replaces its rows; documents are committed in batches
    ([store] batch_size), so an interrupted run keeps every finished batch and a re-run
    completes the rest. A bad document gets one `error: CODE where: message` line on stderr
    and the rest go on; the exit status is non-zero only when nothing could be stored (or
    with --strict). Datasette metadata is written to DB.metadata.json.
    """
    # Imported here so `claimgraph stats` does not pay for loading spaCy.
    from .extract import run_batch

    settings = settings_from(ctx, model=model, jobs=jobs, kb_extra=kb_extra)
    started = time.monotonic()

    def on_error(exc):
        click.echo(f"error: {exc.one_line()}", err=True)

    with Store(db, settings=settings) as store:
        with store.writer(on_error=on_error, strict=strict) as writer:
            _, failed = run_batch(paths, input_format=input_format, published=published,
                                  outlet=outlet, settings=settings, quiet=quiet, strict=strict,
                                  on_record=writer.add)
        result = writer.result
        store.write_metadata()
    errors = failed + result.skipped
    if not quiet:
        click.echo(f"ingested {result.documents} documents ({result.replaced} replaced), "
                   f"{result.claims} claims, {result.events} events, {errors} errors "
                   f"into {db} in {time.monotonic() - started:.1f}s", err=True)
    if result.documents == 0:
        click.echo("error: no document could be stored", err=True)
        ctx.exit(1)


@click.command()
@db_option()
@json_option
def stats(db, as_json):
    """Print counts: rows per table, events, denials, disputed claims, top actor pairs."""
    with Store(db, create=False) as store:
        counts = store.stats()
        counts["tables"] = store.table_counts()
    if as_json:
        click.echo(json.dumps(counts, indent=2, ensure_ascii=False))
        return
    width = max(len(k) for k in counts["tables"])
    for key in ("documents", "actors", "actor_mentions", "claims", "events", "denials",
                "disputed_claims", "disputed_events", "schema_version"):
        click.echo(f"{key:<{width}}  {counts[key]:>8}")
    click.echo("rows per table:")
    for table, n in counts["tables"].items():
        click.echo(f"  {table:<{width}}  {n:>8}")
    if counts["top_actor_pairs"]:
        click.echo("top actor pairs (event claims):")
        for pair in counts["top_actor_pairs"]:
            click.echo(f"  {pair['source']} → {pair['target']}  {pair['events']}"
                       f"  ({pair['types']}; {pair['denied']} denied)")


@click.command()
@db_option()
@click.option("--top", type=int, default=5, show_default=True, help="How many actor pairs to list.")
def summary(db, top):
    """Print a short human summary of the database (the end of `make demo`)."""
    with Store(db, create=False) as store:
        s = store.stats(top=top)
    click.echo(f"claimgraph database {db}")
    click.echo(f"  documents        {s['documents']:>6}")
    click.echo(f"  actors           {s['actors']:>6}")
    click.echo(f"  claims           {s['claims']:>6}   ({s['events']} carrying an event, "
               f"{s['denials']} denials)")
    click.echo(f"  disputed claims  {s['disputed_claims']:>6}   "
               f"({s['disputed_events']} events asserted by some and denied by others)")
    if s["top_actor_pairs"]:
        click.echo("  top actor pairs (who does what to whom, by claims):")
        for p in s["top_actor_pairs"]:
            denied = f", {p['denied']} denied" if p["denied"] else ""
            click.echo(f"    {p['source_name']} ({p['source']}) → {p['target_name']} ({p['target']}): "
                       f"{p['events']} [{p['types']}{denied}]")


commands = [ingest, stats, summary]
