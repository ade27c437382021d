"""CSV corpora with a header row naming the columns ``id, text, title, url, outlet,
published`` (any order; ``html`` may stand in for ``text``; other columns are ignored).
Error lines name the physical line on which the bad row starts (the header is line 1)."""
from __future__ import annotations

import csv
from typing import Iterator

from ..errors import InputError, InvalidEncoding, MalformedRecord, MissingText
from ._common import UTF8_BOM, Context, Item, Source, record_document


class _Lines:
    """Physical lines decoded one at a time. Invalid UTF-8 is kept (as surrogates) so the csv
    module still sees the row's structure; the row is refused afterwards, naming the byte."""

    def __init__(self, handle):
        self._handle = handle
        self.number = 0
        self.bad: dict[int, int] = {}  # line number -> byte offset of the first invalid byte

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._handle.readline()
        if not line:
            raise StopIteration
        self.number += 1
        if self.number == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM):]
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad[self.number] = exc.start
            return line.decode("utf-8", errors="surrogateescape")


def read_csv(source: Source, ctx: Context) -> Iterator[Item]:
    # The csv module refuses fields over 128 KiB by default; articles can be longer.
    if csv.field_size_limit() < ctx.markup_byte_cap:
        csv.field_size_limit(ctx.markup_byte_cap)
    with source.open() as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            yield MalformedRecord(f"unreadable CSV header: {exc}", where=f"{source.name}:1")
            return
        if header is None:
            yield MissingText("empty CSV file (no header row)", where=source.name)
            return
        header = [name.strip().lower() for name in header]
        if "text" not in header and "html" not in header:
            yield MissingText(
                f"CSV header has no 'text' (or 'html') column: {','.join(header)}",
                where=f"{source.name}:1")
            return
        start = lines.number + 1
        while True:
            where = f"{source.name}:{start}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start = lines.number + 1
                yield MalformedRecord(f"unreadable CSV row: {exc}", where=where)
                continue
            first, start = start, lines.number + 1
            if not any(cell.strip() for cell in row):
                continue
            try:
                item: Item = _row_document(row, header, lines, first, where, ctx)
            except InputError as exc:
                item = exc
            yield item


def _row_document(row, header, lines: _Lines, first: int, where: str, ctx: Context):
    bad = [n for n in range(first, lines.number + 1) if n in lines.bad]
    if bad:
        raise InvalidEncoding(
            f"invalid UTF-8 at byte {lines.bad[bad[0]]} of line {bad[0]}", where=where)
    if len(row) > len(header):
        raise MalformedRecord(
            f"{len(row)} fields but the header names {len(header)} (unquoted comma?)", where=where)
    record = {name: value for name, value in zip(header, row) if name}
    return record_document(record, where, ctx, "csv")
