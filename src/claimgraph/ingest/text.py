"""Plain text: UTF-8 (a BOM is dropped; UTF-16 with a BOM is accepted), newlines as ``\\n``.
Binary files and other encodings are refused with a reason rather than guessed at: a
mis-decoded article yields wrong actors silently, a refused one is fixed by the user."""
from __future__ import annotations

from typing import Iterator

from ..errors import BinaryInput, InputError, InvalidEncoding
from ._common import UTF8_BOM, Context, Item, Source, normalise_newlines

_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, EPUB ...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control bytes that real text does not contain (tab, newlines, form feed, escape are fine).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b") + b"\x7f"


def binary_kind(sample: bytes) -> str | None:
    """Why ``sample`` (the first few KB) is not text, or ``None`` if it may be."""
    for magic, kind in _MAGIC:
        if sample.startswith(magic):
            return kind
    if b"\x00" in sample:
        return "contains NUL bytes"
    if sample:
        controls = sum(sample.count(bytes([b])) for b in _CONTROL)
        if controls / len(sample) > 0.1:
            return "mostly control characters"
    return None


def decode_text(data: bytes, where: str) -> str:
    """Bytes → text with newlines normalised, or BinaryInput / InvalidEncoding."""
    if data.startswith(_UTF16_BOMS):
        try:
            return normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise InvalidEncoding(f"invalid UTF-16 at byte {exc.start}", where=where) from None
    offset = 0
    if data.startswith(UTF8_BOM):
        data, offset = data[len(UTF8_BOM):], len(UTF8_BOM)
    kind = binary_kind(data[:8192])
    if kind:
        raise BinaryInput(f"not text: {kind}", where=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(
            f"invalid UTF-8 at byte {exc.start + offset} (0x{data[exc.start]:02x}); "
            "convert the file to UTF-8", where=where) from None
    return normalise_newlines(text)


def read_text(source: Source, ctx: Context) -> Iterator[Item]:
    cap = ctx.text_byte_cap
    if source.size is not None and source.size > cap:
        yield ctx.too_many_bytes(source.size, cap, source.name, "text file")
        return
    with source.open() as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        yield ctx.too_many_bytes(None, cap, source.name, "text")
        return
    try:
        item: Item = ctx.document(decode_text(data, source.name), where=source.name, meta={"format": "text"})
    except InputError as exc:
        item = exc
    yield item
