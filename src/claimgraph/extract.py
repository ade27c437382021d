"""Documents in, OUTPUT.md records out: the one path every front end shares.

Errors travel in the same stream as records, in input order, so a caller (CLI, store,
Spark) can log a bad document with its id and carry on with the batch.
"""
from __future__ import annotations

import json
import logging
from collections import deque
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

from spacy.language import Language

from .errors import ClaimgraphError, ProcessingFailed, RecordInvalid
from .ingest.document import Document
from .nlp.extensions import register_extensions
from .nlp.pipeline import load_pipeline
from .record import build_record
from .settings import Settings, load_settings

log = logging.getLogger("claimgraph.extract")


def _prepare(nlp: Language, document: Document):
    doc = nlp.make_doc(document.text)
    doc._.doc_id = document.id
    doc._.published = document.published
    doc._.outlet = document.outlet
    return doc


def extract_documents(items: Iterable[Document | ClaimgraphError], settings: Settings | None = None,
                      nlp: Language | None = None, progress: bool = False,
                      n_process: int | None = None, total: int | None = None
                      ) -> Iterator[dict | ClaimgraphError]:
    """Yield one record per Document and pass each error through, both in input order."""
    settings = settings or load_settings()
    nlp = nlp or load_pipeline(settings)
    register_extensions()
    n_process = n_process or settings.jobs
    pending: deque[tuple[int, ClaimgraphError]] = deque()

    def feed():
        for position, item in enumerate(items):
            if isinstance(item, ClaimgraphError):
                pending.append((position, item))
                continue
            yield _prepare(nlp, item), (position, item)

    bar = _progress(progress, total)
    try:
        for doc, (position, document) in nlp.pipe(feed(), as_tuples=True, batch_size=settings.batch_size,
                                                  n_process=n_process):
            while pending and pending[0][0] < position:
                yield pending.popleft()[1]
            try:
                yield build_record(doc, doc_id=document.id, title=document.title, url=document.url,
                                   outlet=document.outlet, published=document.published,
                                   meta=document.meta or None)
            except ProcessingFailed as exc:
                yield exc
            if bar:
                bar.advance()
        while pending:
            yield pending.popleft()[1]
    finally:
        if bar:
            bar.close()


def extract_text(text: str, published: str | None = None, doc_id: str | None = None,
                 nlp: Language | None = None, **meta) -> dict:
    """The record of one text; raises the document's error instead of yielding it."""
    document = Document(text=text, id=doc_id or "", published=published, **meta)
    (result,) = list(extract_documents([document], nlp=nlp, n_process=1))
    if isinstance(result, ClaimgraphError):
        raise result
    return result


@lru_cache(maxsize=1)
def record_schema() -> dict:
    return json.loads(resources.files("claimgraph").joinpath("schema/record.schema.json").read_text("utf-8"))


def validate_record(record: dict) -> None:
    """Raise RecordInvalid naming the first violation of schema/record.schema.json."""
    import jsonschema

    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(record_schema()).iter_errors(record))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path)
        raise RecordInvalid(f"{path or '(record)'}: {error.message}", where=record.get("doc_id"))


class _progress:
    """A rich progress bar on stderr, or nothing; counts documents, shows rate."""

    def __new__(cls, enabled: bool, total: int | None):
        if not enabled:
            return None
        return super().__new__(cls)

    def __init__(self, enabled: bool, total: int | None):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                   TextColumn, TimeElapsedColumn)

        columns = [SpinnerColumn(), TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn()]
        self._progress = Progress(*columns, console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task("extract", total=total)
        self._progress.start()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def close(self) -> None:
        self._progress.stop()
