"""What every reader shares: the byte caps, the checks every document passes, the source
abstraction (a file or stdin) and the turning of a corpus record into a Document."""
from __future__ import annotations

import contextlib
import io
import logging
import os
from dataclasses import dataclass, field
from typing import BinaryIO, Union

from ..errors import DocumentTooLong, EmptyDocument, InputError, MalformedRecord, MissingText
from ..settings import Settings
from .dates import normalise_date
from .document import Document

log = logging.getLogger("claimgraph.ingest")

Item = Union[Document, InputError]

# UTF-8 needs at most 4 bytes a character: a text file larger than 4 × max_chars bytes is
# too long without reading a byte of it.
TEXT_BYTES_PER_CHAR = 4
# Markup (HTML, feeds, WARC payloads) carries far more bytes than text; past 10 bytes of
# markup per allowed character a page is a dump, and trafilatura would spend seconds on it.
MARKUP_BYTES_PER_CHAR = 10

UTF8_BOM = b"\xef\xbb\xbf"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _clean(value) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


@dataclass
class Context:
    """Settings and user overrides for one ingest run."""

    settings: Settings
    published: str | None = None  # already normalised
    outlet: str | None = None

    @property
    def text_byte_cap(self) -> int:
        return self.settings.max_chars * TEXT_BYTES_PER_CHAR

    @property
    def markup_byte_cap(self) -> int:
        return self.settings.max_chars * MARKUP_BYTES_PER_CHAR

    def too_many_bytes(self, size: int | None, cap: int, where: str, what: str = "input") -> DocumentTooLong:
        """``size`` is ``None`` when only "more than the cap" is known (a stream read up to it)."""
        amount = _megabytes(size) if size is not None else f"more than {_megabytes(cap)}"
        return DocumentTooLong(
            f"{what} of {amount} is larger than max_chars={self.settings.max_chars:,} allows "
            f"({_megabytes(cap)}); not read", where=where)

    def document(self, text: str, *, where: str, id=None, title=None, url=None, outlet=None,
                 published=None, meta: dict | None = None) -> Document:
        """The checks every document passes, the user's overrides, then the Document."""
        text = normalise_newlines(text)
        if len(text) > self.settings.max_chars:
            raise DocumentTooLong(
                f"{len(text):,} characters, more than max_chars={self.settings.max_chars:,}", where=where)
        stripped = len(text.strip())
        if stripped == 0:
            raise EmptyDocument("no text (empty or whitespace only)", where=where)
        if stripped < self.settings.min_chars:
            raise EmptyDocument(
                f"only {stripped} characters of text, fewer than min_chars={self.settings.min_chars}",
                where=where)
        doc_id = _clean(id) or ""
        return Document(
            text=text,
            id=doc_id,
            title=_clean(title),
            url=_clean(url),
            outlet=self.outlet or _clean(outlet),
            published=self.published or normalise_date(published),
            origin=where,
            meta=meta or {},
        )


def record_document(record: dict, where: str, ctx: Context, fmt: str) -> Document:
    """A JSONL object or CSV row (``id,text,title,url,outlet,published``; ``html`` may stand
    in for ``text``) as a Document. The record's own fields win over metadata found in HTML."""
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise MalformedRecord(f"field {name!r} must be a string, not {type(value).__name__}", where=where)
    for name in ("id", "title", "url", "outlet", "published"):
        value = record.get(name)
        if isinstance(value, (dict, list)):
            raise MalformedRecord(f"field {name!r} must be a string, not {type(value).__name__}", where=where)
    published = record.get("published")
    if published not in (None, "") and normalise_date(published) is None:
        log.warning("%s: ignoring unreadable published date %r", where, published)
    fields = {"title": record.get("title"), "url": record.get("url"),
              "outlet": record.get("outlet"), "published": published}
    meta = {"format": fmt}
    if (text is None or not text.strip()) and html and html.strip():
        from .html import extract_html

        extracted = extract_html(html, url=_clean(record.get("url")), where=where)
        text = extracted.pop("text")
        for key, value in extracted.items():
            if key in fields and _clean(fields[key]) is None:
                fields[key] = value
        meta["format"] = f"{fmt}+html"
    elif text is None:
        present = ", ".join(k for k in record if k) or "none"
        raise MissingText(f"no 'text' (or 'html') field; fields present: {present}", where=where)
    return ctx.document(text, where=where, id=record.get("id"), meta=meta, **fields)


class _Prefixed(io.RawIOBase):
    """A stream that first replays bytes already read (to sniff the format) and then goes on
    with the stream they came from: stdin cannot be rewound."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


SNIFF_BYTES = 8192


@dataclass
class Source:
    """One input: a file on disk (``path``) or a stream (stdin). ``name`` is what error lines
    show; ``size`` is known for files only."""

    name: str
    path: str | None = None
    size: int | None = None
    stream: BinaryIO | None = None
    _head: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_file(cls, path: str) -> "Source":
        return cls(name=path, path=path, size=os.stat(path).st_size)

    @classmethod
    def from_stream(cls, name: str, stream: BinaryIO) -> "Source":
        head = stream.read(SNIFF_BYTES)
        return cls(name=name, stream=io.BufferedReader(_Prefixed(head, stream)), _head=head)

    def head(self) -> bytes:
        """The first bytes, for sniffing the format."""
        if self._head is None:
            with open(self.path, "rb") as handle:
                self._head = handle.read(SNIFF_BYTES)
        return self._head

    def open(self):
        if self.path is not None:
            return open(self.path, "rb")
        # One reader consumes stdin; the caller's `with` must not close the process's stdin.
        return contextlib.nullcontext(self.stream)
