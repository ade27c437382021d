"""WARC and WARC.GZ crawls via warcio: every HTTP 200 response with an HTML content type is
an article page (trafilatura extraction); requests, metadata, redirects, images and the like
are skipped. The WARC-Target-URI is the url; the WARC-Date (the crawl time) stands in for
the publication date only when the page gives none."""
from __future__ import annotations

import logging
import zlib
from typing import Iterator

from ..errors import WarcError
from ._common import Context, Item, Source
from .detect import sniff_format
from .html import html_document

log = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _iterator(handle):
    from warcio.archiveiterator import ArchiveIterator

    class QuietArchiveIterator(ArchiveIterator):
        # warcio writes a warning straight to sys.stderr for each damaged record; the one
        # WarcError line (or the records that still parse) is what the user needs.
        INC_RECORD = ""

    return QuietArchiveIterator(handle)


def read_warc(source: Source, ctx: Context) -> Iterator[Item]:
    from warcio.exceptions import ArchiveLoadFailed

    # warcio would also read old ARC files and, in doing so, take almost any text for a
    # record; a WARC starts with its version line.
    if sniff_format(source.head()) != "warc":
        yield WarcError("not a WARC file (it does not start with a WARC/1.x record)", where=source.name)
        return
    cap = ctx.markup_byte_cap
    with source.open() as handle:
        number = 0
        try:
            for record in _iterator(handle):
                number += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record {number}"
                where = f"{source.name}@{record_id}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status != "200" or content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
                    log.debug("%s: skipped (%s %s)", where, status, content_type or "no content type")
                    continue
                data = record.content_stream().read(cap + 1)
                if len(data) > cap:
                    yield ctx.too_many_bytes(None, cap, where, "HTML page")
                    continue
                # warcio hands out a cut-off record without complaint; its reader still
                # expects the bytes the Content-Length promised.
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield WarcError("record is truncated (the file ends inside it)", where=where)
                    continue
                markup: bytes | str = data
                charset = _charset(content_type)
                if charset:
                    try:
                        markup = data.decode(charset)
                    except (LookupError, UnicodeDecodeError):
                        pass  # a wrong header; trafilatura guesses from the bytes
                meta = {"warc_record_id": record_id}
                warc_date = record.rec_headers.get_header("WARC-Date")
                if warc_date:
                    meta["warc_date"] = warc_date
                yield html_document(markup, where, ctx, fmt="warc", url=url,
                                    published=warc_date, meta=meta)
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
            after = f" after record {number}" if number else ""
            yield WarcError(f"unreadable WARC{after}: {exc}", where=source.name)
