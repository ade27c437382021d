"""JSONL corpora: one JSON object a line (``id, text, title, url, outlet, published``;
``html`` may stand in for ``text``). Read line by line in binary so a bad line (not JSON,
not UTF-8, far too long) costs one error and the lines after it are still read."""
from __future__ import annotations

import json
from typing import Iterator

from ..errors import InputError, InvalidEncoding, MalformedRecord
from ._common import UTF8_BOM, Context, Item, Source, record_document

# Lines are read in pieces of this size once they are known to be too long.
_DRAIN = 1 << 20


def parse_record(line: bytes, where: str) -> dict:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(f"invalid UTF-8 at byte {exc.start} of the line", where=where) from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(f"not JSON: {exc.msg} (column {exc.colno})", where=where) from None
    if not isinstance(record, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(record).__name__}", where=where)
    return record


def read_jsonl(source: Source, ctx: Context) -> Iterator[Item]:
    # ``html`` may stand in for ``text``, so a line may carry markup-sized content.
    cap = ctx.markup_byte_cap
    with source.open() as handle:
        number = 0
        while True:
            line = handle.readline(cap + 1)
            if not line:
                return
            number += 1
            where = f"{source.name}:{number}"
            if len(line) > cap and not line.endswith(b"\n"):
                size = len(line)
                while not line.endswith(b"\n"):
                    line = handle.readline(_DRAIN)
                    if not line:
                        break
                    size += len(line)
                yield ctx.too_many_bytes(size, cap, where, "line")
                continue
            if number == 1 and line.startswith(UTF8_BOM):
                line = line[len(UTF8_BOM):]
            if not line.strip():
                continue
            try:
                item: Item = record_document(parse_record(line, where), where, ctx, "jsonl")
            except InputError as exc:
                item = exc
            yield item
