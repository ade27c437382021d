"""RSS and Atom files via feedparser: one document per entry (its full content, else its
summary, with the HTML stripped), the feed's title as the outlet.

feedparser is only ever given the bytes of a file we read ourselves. Given a string it
would fetch anything that looks like a URL, and given raw bytes it first tries to open them
as a file name; a BytesIO is read and nothing else."""
from __future__ import annotations

import io
from typing import Iterator

from ..errors import FeedError, InputError, NoTextExtracted
from ._common import Context, Item, Source
from .dates import normalise_date
from .html import html_to_text

# A feed holds many entries, so it may be larger than one page; this many pages' worth.
_FEED_PAGES = 5


def _entry_text(entry) -> str:
    """The longest of the entry's contents, else its summary, as plain text."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    if not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates = [(entry.get("summary") or "", detail.get("type") or "text/html")]
    value, kind = max(candidates, key=lambda c: len(c[0]))
    if "html" in kind:
        return html_to_text(value)
    return value.strip()


def parse_feed(data: bytes, where: str):
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable RSS/Atom feed: {reason}", where=where)
    return parsed


def read_feed(source: Source, ctx: Context) -> Iterator[Item]:
    cap = ctx.markup_byte_cap * _FEED_PAGES
    if source.size is not None and source.size > cap:
        yield ctx.too_many_bytes(source.size, cap, source.name, "feed")
        return
    with source.open() as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        yield ctx.too_many_bytes(None, cap, source.name, "feed")
        return
    try:
        parsed = parse_feed(data, source.name)
    except InputError as exc:
        yield exc
        return
    feed = parsed.get("feed") or {}
    outlet = feed.get("title")
    if not parsed.entries:
        yield FeedError("the feed has no entries", where=source.name)
        return
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{source.name}#{number}"
        try:
            item: Item = _entry_document(entry, where, outlet, ctx)
        except InputError as exc:
            item = exc
        yield item


def _entry_document(entry, where: str, outlet, ctx: Context):
    text = _entry_text(entry)
    if not text:
        raise NoTextExtracted("feed entry has neither content nor summary text", where=where)
    meta = {"format": "rss"}
    for key, name in (("id", "guid"), ("author", "author")):
        if entry.get(key):
            meta[name] = entry[key]
    # The date as written keeps the publisher's own day; *_parsed is converted to UTC.
    published = (entry.get("published") or entry.get("updated")
                 or entry.get("published_parsed") or entry.get("updated_parsed"))
    if normalise_date(published) is None:
        published = entry.get("published_parsed") or entry.get("updated_parsed")
    return ctx.document(text, where=where, title=entry.get("title"), url=entry.get("link"),
                        outlet=outlet, published=published, meta=meta)
