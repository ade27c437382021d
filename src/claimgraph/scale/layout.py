"""The layout of a Spark extraction's output, and reading it back without Spark.

```
OUTPUT/
  records/               one row per document that was processed (Parquet, snappy)
    _SUCCESS             written by Spark when the write committed
    month=2023-11/part-*.parquet
    month=unknown/...    documents without a publication date
  errors/                one row per document (or input file) that failed
    part-*.parquet
```

``records`` columns (``month`` is the Hive-style partition directory, not stored in the files):

| column     | type   | what |
|------------|--------|------|
| doc_id     | string | the record's ``doc_id`` |
| published  | string | ISO date or null |
| outlet, title, url | string | as in the record |
| n_actors, n_claims, n_events, n_chars | int | counts (claims carrying an event; text length) |
| seq        | long   | position in the input: (input file number << 32) + item number; a re-run over the same input gives the same seq |
| record     | string | the whole OUTPUT.md record as JSON, exactly the line ``claimgraph extract`` prints |

``errors`` columns: ``seq``, ``doc_id`` (null when no document could be built), ``origin``
(file:line, file@warc-record, ...), ``code`` (CGnnn), ``where``, ``message``.

This module needs pyarrow only, so ``claimgraph load`` works on a machine without Spark.
"""
from __future__ import annotations

import json
import os
import re
from typing import Iterator

from ..errors import InputNotFound, ScaleError

RECORDS_DIR = "records"
ERRORS_DIR = "errors"
UNKNOWN_MONTH = "unknown"

# Columns of the mapInPandas output: one row per input item, record or error.
RESULT_COLUMNS = [
    ("seq", "long"), ("kind", "string"), ("doc_id", "string"), ("origin", "string"),
    ("published", "string"), ("month", "string"), ("outlet", "string"), ("title", "string"),
    ("url", "string"), ("n_actors", "int"), ("n_claims", "int"), ("n_events", "int"),
    ("n_chars", "int"), ("record", "string"), ("code", "string"), ("where", "string"),
    ("message", "string"),
]
RECORD_OUTPUT = ["doc_id", "published", "month", "outlet", "title", "url", "n_actors", "n_claims",
                 "n_events", "n_chars", "seq", "record"]
ERROR_OUTPUT = ["seq", "doc_id", "origin", "code", "where", "message"]

# Items of the parse stage, before the pipeline: a Document (as JSON) or an input error.
ITEM_COLUMNS = [("seq", "long"), ("origin", "string"), ("kind", "string"), ("payload", "string")]

_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def ddl(columns) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


def month_of(published: str | None) -> str:
    """The partition a record goes to: ``YYYY-MM`` of its publication date, else ``unknown``."""
    match = _MONTH.match(published or "")
    return f"{match.group(1)}-{match.group(2)}" if match else UNKNOWN_MONTH


def records_path(output: str) -> str:
    """``OUTPUT/records`` for a job's output folder; a records folder itself is accepted too."""
    output = output.rstrip("/")
    if os.path.basename(output) == RECORDS_DIR:
        return output
    return os.path.join(output, RECORDS_DIR)


def errors_path(output: str) -> str:
    output = output.rstrip("/")
    if os.path.basename(output) == RECORDS_DIR:
        output = os.path.dirname(output)
    return os.path.join(output, ERRORS_DIR)


def _dataset(path: str):
    import pyarrow.dataset as ds

    # Spark's _SUCCESS and .crc side files are skipped by pyarrow's default ignore_prefixes.
    return ds.dataset(path, format="parquet", partitioning="hive")


def _records_dataset(output: str):
    path = records_path(output)
    if not os.path.isdir(path):
        raise InputNotFound("no Spark output here (expected a records/ folder written by "
                            "`claimgraph spark extract`)", where=output)
    if not os.path.exists(os.path.join(path, "_SUCCESS")):
        raise ScaleError("the Spark job that wrote this output did not finish (no _SUCCESS); "
                         "re-run `claimgraph spark extract`", where=path)
    return _dataset(path)


def iter_output_records(output: str, batch_rows: int = 256) -> Iterator[dict]:
    """Every record of a Spark output folder, one dict each, in bounded memory.

    When the input held the same doc_id more than once, only the occurrence that came last
    in the input is returned, as a local ``claimgraph ingest`` of that input would keep it
    (the store replaces by doc_id). Records come file by file, not in input order.
    """
    import pyarrow.compute as pc

    dataset = _records_dataset(output)
    keys = dataset.to_table(columns=["doc_id", "seq"])
    winners: dict[str, int] = {}
    if keys.num_rows:
        counts = keys.group_by("doc_id").aggregate([("seq", "max"), ("seq", "count")])
        repeated = counts.filter(pc.greater(counts["seq_count"], 1))
        winners = dict(zip(repeated["doc_id"].to_pylist(), repeated["seq_max"].to_pylist()))
    for batch in dataset.to_batches(columns=["doc_id", "seq", "record"], batch_size=batch_rows):
        for doc_id, seq, text in zip(batch.column("doc_id").to_pylist(), batch.column("seq").to_pylist(),
                                     batch.column("record").to_pylist()):
            if doc_id in winners and winners[doc_id] != seq:
                continue
            yield json.loads(text)


def read_errors(output: str) -> list[dict]:
    """The failed documents of a Spark output folder (empty when there were none)."""
    path = errors_path(output)
    if not os.path.isdir(path):
        return []
    table = _dataset(path).to_table()
    rows = table.to_pylist()
    return sorted(rows, key=lambda r: r.get("seq") or 0)


def count_records(output: str) -> int:
    return _records_dataset(output).count_rows()
