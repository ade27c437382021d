"""`claimgraph extract`: documents in, one OUTPUT.md record per line out."""
from __future__ import annotations

import json
import sys

import click

from ..errors import ClaimgraphError
from ..extract import extract_documents
from ..ingest import iter_documents
from .options import (input_format_option, jobs_option, kb_option, model_option, outlet_option,
                      published_option, quiet_option, settings_from, strict_option)


def run_batch(paths, *, input_format, published, outlet, settings, quiet, strict, on_record):
    """Shared by extract and ingest: stream records to ``on_record``, errors to stderr.

    Returns (records, errors). Raises the first error when ``strict``.
    """
    documents = iter_documents(list(paths) or ["-"], input_format=input_format,
                               published=published, outlet=outlet, settings=settings)
    done = failed = 0
    for result in extract_documents(documents, settings, progress=not quiet and sys.stderr.isatty()):
        if isinstance(result, ClaimgraphError):
            if strict:
                raise result
            failed += 1
            click.echo(f"error: {result.one_line()}", err=True)
            continue
        on_record(result)
        done += 1
    return done, failed


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@input_format_option
@published_option
@outlet_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write records here instead of standard output.")
@jobs_option
@model_option
@kb_option
@quiet_option
@strict_option
@click.pass_context
def extract(ctx, paths, input_format, published, outlet, output, jobs, model, kb_extra, quiet, strict):
    """Extract actors, events and claims; print one JSON record per document.

    PATHS are files or folders (text, HTML, JSONL, CSV, RSS/Atom, WARC); `-` or nothing reads
    standard input. Records follow OUTPUT.md and come out in input order; a bad document
    gets one `error: CODE where: message` line on stderr and the rest go on. The exit status
    is non-zero only when no document at all could be processed (or with --strict).
    """
    settings = settings_from(ctx, model=model, jobs=jobs, kb_extra=kb_extra)

    def write(record):
        output.write(json.dumps(record, ensure_ascii=False) + "\n")

    done, failed = run_batch(paths, input_format=input_format, published=published, outlet=outlet,
                             settings=settings, quiet=quiet, strict=strict, on_record=write)
    output.flush()
    if not quiet:
        click.echo(f"{done} records, {failed} errors", err=True)
    if done == 0 and failed:
        ctx.exit(1)


commands = [extract]
