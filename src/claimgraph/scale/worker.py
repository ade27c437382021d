"""What runs inside Spark's Python workers: input parsing and the pipeline.

Both stages call the same code as a local run — the ingest readers on the file's bytes, then
``extract_documents`` — so a document gets the same record on Spark as from
``claimgraph extract``. The spaCy pipeline is loaded once per worker process
(``load_pipeline`` caches it at module level, and Spark reuses Python workers across tasks).
Every function here is a pure function of its input, so a retried task writes exactly what
the failed attempt would have.
"""
from __future__ import annotations

import io
import json
import logging
import os
from typing import Iterable, Iterator

from ..errors import ClaimgraphError, InputError, ProcessingFailed
from ..ingest.document import Document
from .layout import RESULT_COLUMNS, month_of

log = logging.getLogger("claimgraph.scale")

# seq = (input file number << SEQ_SHIFT) + item number within the file.
SEQ_SHIFT = 32

# A local property the tests set to make the first attempt of a task fail half-way, so that
# the retry path (and its no-duplicates guarantee) is exercised for real.
FAIL_FIRST_ATTEMPT = "claimgraph.test.failFirstAttempt"


def display_path(path: str) -> str:
    """``file:/a/b.jsonl`` → ``/a/b.jsonl``; remote URIs stay as they are."""
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def _error_payload(error: ClaimgraphError) -> str:
    return json.dumps(error.as_dict(), ensure_ascii=False)


def _item_row(seq: int, item) -> tuple:
    if isinstance(item, ClaimgraphError):
        return (seq, item.where, "error", _error_payload(item))
    return (seq, item.origin, "doc", json.dumps(item.as_dict(), ensure_ascii=False))


# -- parse stage ------------------------------------------------------------------------------
def _readers() -> dict:
    from ..ingest.feeds import read_feed
    from ..ingest.html import read_html
    from ..ingest.jsonl import read_jsonl
    from ..ingest.tabular import read_csv
    from ..ingest.text import read_text
    from ..ingest.warc import read_warc

    return {"text": read_text, "html": read_html, "jsonl": read_jsonl, "csv": read_csv,
            "rss": read_feed, "warc": read_warc}


def _skipped(name: str, input_format: str) -> bool:
    # The local directory walk's rules: READMEs document a corpus, and in auto mode files with
    # an unknown extension are not read. (Spark itself skips names starting with . and _.)
    from ..ingest.detect import has_known_extension

    base = os.path.basename(name)
    if base.lower().startswith("readme") or base.startswith("."):
        return True
    return input_format == "auto" and "." in base and not has_known_extension(base)


def parse_file(path: str, content: bytes, file_index: int, input_format: str, ctx,
               explicit: bool = False) -> Iterator[tuple]:
    """The items (Document or InputError, as ITEM_COLUMNS rows) of one input file.

    ``ctx`` is the ingest Context (settings, --published, --outlet) built on the driver.
    ``explicit``: the user named this file, so it is read even if a directory walk would skip it.
    """
    from ..ingest._common import SNIFF_BYTES, Source
    from ..ingest.detect import detect_format

    name = display_path(path)
    if not explicit and _skipped(name, input_format):
        return
    base = file_index << SEQ_SHIFT
    source = Source(name=name, size=len(content), stream=io.BytesIO(content),
                    _head=bytes(content[:SNIFF_BYTES]))
    number = 0
    try:
        fmt = input_format if input_format != "auto" else detect_format(name, source.head())
        for item in _readers()[fmt](source, ctx):
            yield _item_row(base + number, item)
            number += 1
    except InputError as exc:
        yield _item_row(base + number, exc)
    except OSError as exc:
        yield _item_row(base + number, InputError(f"cannot read: {exc}", where=name))


def parse_parquet_rows(index: int, rows: Iterable, ctx, columns: list[str]) -> Iterator[tuple]:
    """Rows of a Parquet input (``text`` or ``html`` plus the optional metadata columns) as
    items, like JSONL records. Spark partition ``index`` numbers the rows deterministically."""
    from ..ingest._common import record_document

    base = index << SEQ_SHIFT
    for number, row in enumerate(rows):
        values = row.asDict()
        # file#split:row: Spark splits a large Parquet file, so rows are numbered per split.
        where = f"{display_path(values.pop('_file', '') or '?')}#{index}:{number + 1}"
        record = {key: values.get(key) for key in columns}
        if record.get("published") is not None and not isinstance(record["published"], str):
            record["published"] = str(record["published"])
        try:
            item = record_document(record, where, ctx, "parquet")
        except InputError as exc:
            item = exc
        yield _item_row(base + number, item)


# -- pipeline stage ---------------------------------------------------------------------------
def _to_item(kind: str, payload: str):
    data = json.loads(payload)
    if kind == "error":
        return ClaimgraphError(data.get("message") or "", where=data.get("where"), code=data.get("code"))
    return Document(**data)


def _safe_extract(items: list, settings, nlp) -> list:
    """One result per item, in order. A crash outside the components' own isolation (a
    tokenizer bug, a record that cannot be built) costs the batch a second pass, one document
    at a time, so that only the document that causes it fails."""
    from ..extract import extract_documents

    try:
        results = list(extract_documents(items, settings, nlp=nlp, n_process=1))
        if len(results) == len(items):
            return results
        log.warning("extract_documents returned %d results for %d items; retrying one by one",
                    len(results), len(items))
    except Exception as exc:  # noqa: BLE001 - isolate, then retry per document
        log.warning("batch failed (%r); retrying one document at a time", exc)
    results = []
    for item in items:
        if isinstance(item, ClaimgraphError):
            results.append(item)
            continue
        try:
            (result,) = list(extract_documents([item], settings, nlp=nlp, n_process=1))
        except Exception as exc:  # noqa: BLE001
            result = ProcessingFailed(f"{type(exc).__name__}: {exc}", where=item.id)
        results.append(result)
    return results


def result_row(seq: int, origin: str | None, item, result) -> dict:
    row = dict.fromkeys(name for name, _ in RESULT_COLUMNS)
    row["seq"] = int(seq)
    row["origin"] = origin
    if isinstance(result, ClaimgraphError):
        row.update(kind="error", code=result.code, where=result.where, message=result.message,
                   doc_id=item.id if isinstance(item, Document) else None)
        return row
    claims = result.get("claims") or []
    row.update(
        kind="record", doc_id=result["doc_id"], published=result.get("published"),
        month=month_of(result.get("published")), outlet=result.get("outlet"),
        title=result.get("title"), url=result.get("url"), n_actors=len(result.get("actors") or []),
        n_claims=len(claims), n_events=sum(1 for c in claims if c.get("event")),
        n_chars=len(result.get("text") or ""),
        record=json.dumps(result, ensure_ascii=False),
    )
    return row


def _fault_injection():
    """(partition, attempt) when the tests asked the first attempt to fail, else None."""
    try:
        from pyspark import TaskContext
    except ImportError:
        return None
    context = TaskContext.get()
    if context is None or context.getLocalProperty(FAIL_FIRST_ATTEMPT) != "true":
        return None
    return context.partitionId(), context.attemptNumber()


def extract_batches(batches: Iterator, settings) -> Iterator:
    """The ``mapInPandas`` function: item batches in, result batches (RESULT_COLUMNS) out."""
    import pandas as pd

    from ..nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings)
    columns = [name for name, _ in RESULT_COLUMNS]
    fault = _fault_injection()
    for number, frame in enumerate(batches):
        if fault is not None and fault == (0, 0) and number == 1:
            raise RuntimeError("injected failure of the first task attempt (test)")
        items = [_to_item(kind, payload) for kind, payload in zip(frame["kind"], frame["payload"])]
        results = _safe_extract(items, settings, nlp)
        rows = [result_row(seq, origin, item, result)
                for seq, origin, item, result in zip(frame["seq"], frame["origin"], items, results)]
        out = pd.DataFrame(rows, columns=columns)
        for name, kind in RESULT_COLUMNS:
            if kind in ("int", "long"):
                out[name] = out[name].astype("Int64" if kind == "long" else "Int32")
        yield out
