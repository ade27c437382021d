"""``iter_documents``: every input path (files, directories, ``-`` for stdin) as a stream of
Documents, with an InputError in the stream, in place, for each input that could not be
read, so that a batch always goes on and error lines come out in input order."""
from __future__ import annotations

import logging
import os
import sys
from typing import BinaryIO, Iterable, Iterator

from ..errors import InputError, InputNotFound, UnknownFormat
from ..settings import Settings, load_settings
from ._common import Context, Item, Source
from .dates import parse_user_date
from .detect import FORMATS, detect_format, has_known_extension

log = logging.getLogger("claimgraph.ingest")

STDIN = "-"
STDIN_NAME = "<stdin>"


def _readers():
    from .feeds import read_feed
    from .html import read_html
    from .jsonl import read_jsonl
    from .tabular import read_csv
    from .text import read_text
    from .warc import read_warc

    return {"text": read_text, "html": read_html, "jsonl": read_jsonl, "csv": read_csv,
            "rss": read_feed, "warc": read_warc}


def iter_documents(paths: Iterable[str] | str, input_format: str = "auto", published: str | None = None,
                   outlet: str | None = None, settings: Settings | None = None, *,
                   stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Documents from ``paths`` in input order, with an :class:`InputError` yielded (not
    raised) in place of each document, record or file that could not be read; its ``where``
    names the file and line (``corpus.jsonl:17``), feed entry (``feed.xml#3``) or WARC record
    (``crawl.warc.gz@<urn:uuid:…>``).

    Directories are walked recursively in name order, skipping hidden files and READMEs; with
    ``input_format="auto"`` only files with a known extension (or none) are read there.
    ``published`` and ``outlet`` override what the inputs say. ``stdin`` replaces
    ``sys.stdin.buffer`` for ``-``.

    Raises at once (user errors, before anything is read): UnknownFormat for a bad
    ``input_format``, BadDate for a ``published`` that is not a date."""
    if input_format not in ("auto", *FORMATS):
        raise UnknownFormat(
            f"unknown input format {input_format!r}; use auto or one of {', '.join(FORMATS)}",
            where="--input-format")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ctx = Context(
        settings=settings if settings is not None else load_settings(),
        published=parse_user_date(published) if published else None,
        outlet=" ".join(outlet.split()) or None if outlet else None,
    )
    return _iterate([os.fspath(p) for p in paths], input_format, ctx, stdin)


def _iterate(paths: list[str], input_format: str, ctx: Context, stdin) -> Iterator[Item]:
    readers = _readers()
    for path in paths:
        for source in _sources(path, input_format, stdin):
            if isinstance(source, InputError):
                yield source
                continue
            try:
                fmt = input_format if input_format != "auto" else detect_format(
                    source.path, source.head())
            except InputError as exc:
                yield exc
                continue
            except OSError as exc:
                yield _unreadable(source.name, exc)
                continue
            try:
                yield from readers[fmt](source, ctx)
            except OSError as exc:
                yield _unreadable(source.name, exc)


def _unreadable(name: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputNotFound("no such file", where=name)
    return InputError(f"cannot read: {exc.strerror or exc}", where=name)


def _sources(path: str, input_format: str, stdin) -> Iterator[Source | InputError]:
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield Source.from_stream(STDIN_NAME, stream)
        return
    if os.path.isdir(path):
        for file in _walk(path, input_format):
            try:
                yield Source.from_file(file)
            except OSError as exc:
                yield _unreadable(file, exc)
        return
    try:
        yield Source.from_file(path)
    except OSError as exc:
        yield _unreadable(path, exc)


def _skipped_name(name: str) -> bool:
    # READMEs document a corpus; they are not part of it.
    return name.startswith(".") or name.lower().startswith("readme")


def _walk(directory: str, input_format: str) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", directory, exc)
        return
    for entry in entries:
        if _skipped_name(entry.name):
            continue
        # Symlinked directories are not followed: a link to a parent would loop forever.
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, input_format)
        elif entry.is_file():
            if input_format == "auto" and "." in entry.name and not has_known_extension(entry.name):
                log.info("skipping %s: unknown extension", entry.path)
                continue
            yield entry.path
