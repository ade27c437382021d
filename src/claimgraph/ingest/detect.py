"""Which reader an input needs: by file extension, else by sniffing its first bytes."""
from __future__ import annotations

import re
import zlib

from ..errors import UnknownFormat
from ._common import UTF8_BOM

FORMATS = ("text", "html", "jsonl", "csv", "rss", "warc")

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv",
    ".rss": "rss", ".atom": "rss",
    ".warc": "warc", ".warc.gz": "warc",
}
# Extensions that say "markup" without saying which: decided by the root element.
_SNIFFED = frozenset({".xml"})

_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf"})
_CSV_COLUMNS = frozenset({"id", "text", "html", "title", "url", "outlet", "published"})


def format_from_name(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return "warc"
    dot = lower.rfind(".")
    if dot <= lower.rfind("/"):
        return None
    return EXTENSIONS.get(lower[dot:])


def has_known_extension(name: str) -> bool:
    lower = name.lower()
    return format_from_name(lower) is not None or any(lower.endswith(ext) for ext in _SNIFFED)


def sniff_format(head: bytes) -> str:
    """The format the first bytes of an input suggest; ``text`` when nothing else fits (the
    text reader then says whether it is binary or not UTF-8)."""
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return "text"
        return "warc" if inner.startswith(b"WARC/") else "text"
    body = head[len(UTF8_BOM):] if head.startswith(UTF8_BOM) else head
    body = body.lstrip()
    if body.startswith(b"WARC/"):
        return "warc"
    if body.startswith(b"<"):
        match = _FIRST_ELEMENT.search(body)
        if match and match.group(1).lower() in _FEED_ROOTS:
            return "rss"
        return "html"
    if body.startswith(b"{"):
        return "jsonl"
    first_line = body.split(b"\n", 1)[0].decode("utf-8", "replace")
    columns = {c.strip().strip('"').strip().lower() for c in first_line.split(",")}
    if len(columns) > 1 and columns & {"text", "html"} and columns <= _CSV_COLUMNS | {""}:
        return "csv"
    return "text"


def detect_format(name: str | None, head: bytes) -> str:
    """The format of an input called ``name`` (``None`` for stdin) starting with ``head``."""
    by_name = format_from_name(name) if name else None
    if by_name:
        return by_name
    sniffed = sniff_format(head)
    if name and any(name.lower().endswith(ext) for ext in _SNIFFED):
        match = _FIRST_ELEMENT.search(head)
        root = match.group(1).lower() if match else b""
        if sniffed == "rss":
            return "rss"
        if root == b"html":
            return "html"
        raise UnknownFormat(
            f"an .xml file whose root element <{root.decode('ascii', 'replace')}> is neither an "
            "RSS/Atom feed nor HTML", where=name)
    return sniffed
