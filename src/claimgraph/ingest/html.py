"""HTML → article text and metadata with trafilatura (main text, title, site name, url,
publication date), falling back to a plain walk over the markup when trafilatura finds no
main text (very short pages, fragments). Paragraphs are kept apart by ``\\n``.

Offsets in the record are offsets into the extracted text, not into the HTML."""
from __future__ import annotations

import logging
import re
from typing import Iterator

from ..errors import BinaryInput, EmptyDocument, InputError, NoTextExtracted
from ._common import Context, Item, Source
from .text import binary_kind

log = logging.getLogger(__name__)

# trafilatura logs an ERROR for every page it cannot parse; our own NoTextExtracted line is
# the one the user needs, so its chatter stays quiet unless someone configured it (-v).
for _name in ("trafilatura", "htmldate", "courlan"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.CRITICAL)

# Only dates the page states about itself: the extensive search also reads dates out of the
# article body ("on October 7, 2023"), which are event dates, not the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_BLOCK = frozenset(
    "address article aside blockquote body br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td th tr ul".split())
_SKIP_ALWAYS = frozenset("script style noscript template head title svg iframe object".split())
# Page furniture left out when falling back on a whole page (kept in fragments such as feed
# entries, where a <header> is usually part of the content).
_FURNITURE = frozenset("nav header footer aside form button menu".split())
_HAS_DOCUMENT = re.compile(rb"<\s*(html|body)[\s>]", re.I)


_SPACES = re.compile(r"\s+")


def _text_of(root, skip: frozenset) -> str:
    # Whitespace in markup (source newlines included) is one space; only block elements
    # start a new line.
    parts: list[str] = []

    def walk(element, depth: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else None  # comments, PIs
        if tag is not None and depth < 400 and tag.lower() not in skip:
            tag = tag.lower()
            block = tag in _BLOCK
            if block:
                parts.append("\n")
            if element.text:
                parts.append(_SPACES.sub(" ", element.text))
            for child in element:
                walk(child, depth + 1)
            if block:
                parts.append("\n")
        if element.tail:
            parts.append(_SPACES.sub(" ", element.tail))

    walk(root, 0)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(markup: str | bytes, *, whole_page: bool = False) -> str:
    """All the text in a piece of HTML, one line per block element: the light conversion used
    for feed entries and as the fallback for pages trafilatura cannot read."""
    import lxml.etree
    import lxml.html

    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    if not markup.strip():
        return ""
    try:
        # A document parse copes with fragments, whole pages and truncated pages alike
        # (fragment_fromstring asserts on a page that has an <html> but lost its <body>).
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return ""
    skip = _SKIP_ALWAYS | _FURNITURE if whole_page else _SKIP_ALWAYS
    return _text_of(root, skip)


def extract_html(markup: str | bytes, *, url: str | None = None, where: str | None = None) -> dict:
    """Article text and metadata of an HTML page: a dict with ``text``, ``title``, ``url``,
    ``outlet`` (the site name), ``published`` (as the page gives it) and ``author``.
    Raises NoTextExtracted when the page holds no text at all."""
    import trafilatura

    if isinstance(markup, str):
        has_document = _HAS_DOCUMENT.search(markup[:65536].encode("utf-8", "ignore"))
    else:
        has_document = _HAS_DOCUMENT.search(markup[:65536])
    if not has_document:
        # trafilatura reads fragments ("<p>…</p>") poorly: give it a document.
        if isinstance(markup, bytes):
            markup = markup.decode("utf-8", errors="replace")
        markup = f"<html><body>{markup}</body></html>"
    result = None
    try:
        result = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS)
    except Exception as exc:  # noqa: BLE001 - third-party parser on hostile input: never fatal
        log.debug("%s: trafilatura failed: %r", where, exc)
    text = (result.text or "").strip() if result is not None else ""
    if result is None:
        result = _metadata_only(markup, url)
    if not text:
        text = html_to_text(markup, whole_page=True)
    if not text:
        raise NoTextExtracted("no article text found in the HTML", where=where)
    return {
        "text": text,
        "title": getattr(result, "title", None),
        "url": getattr(result, "url", None) or url,
        "outlet": getattr(result, "sitename", None),
        "published": getattr(result, "date", None),
        "author": getattr(result, "author", None),
    }


def _metadata_only(markup, url):
    """Title, site and date when trafilatura found no main text (a short page)."""
    import trafilatura

    try:
        tree = trafilatura.load_html(markup)
        if tree is None:
            return None
        return trafilatura.extract_metadata(tree, default_url=url, date_config=_DATE_PARAMS)
    except Exception as exc:  # noqa: BLE001 - metadata is optional; its absence is not an error
        log.debug("metadata extraction failed: %r", exc)
        return None


def read_html(source: Source, ctx: Context) -> Iterator[Item]:
    cap = ctx.markup_byte_cap
    if source.size is not None and source.size > cap:
        yield ctx.too_many_bytes(source.size, cap, source.name, "HTML file")
        return
    with source.open() as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        yield ctx.too_many_bytes(None, cap, source.name, "HTML")
        return
    yield html_document(data, source.name, ctx, fmt="html")


def html_document(data: bytes | str, where: str, ctx: Context, *, fmt: str, url: str | None = None,
                  published: str | None = None, meta: dict | None = None) -> Item:
    """One HTML page as a Document, or the InputError that explains why not. ``published`` is
    the fallback when the page states no date of its own."""
    try:
        if isinstance(data, bytes):
            if not data.strip():
                raise EmptyDocument("empty HTML file", where=where)
            kind = binary_kind(data[:8192])
            if kind:
                raise BinaryInput(f"not HTML: {kind}", where=where)
        fields = extract_html(data, url=url, where=where)
        author = fields.pop("author")
        meta = {"format": fmt, **(meta or {})}
        if author:
            meta["author"] = author
        if not fields["published"]:
            fields["published"] = published
        return ctx.document(fields.pop("text"), where=where, meta=meta, **fields)
    except InputError as exc:
        return exc
