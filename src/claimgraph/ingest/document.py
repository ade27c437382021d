"""The one object ingest hands to the pipeline."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field


@dataclass
class Document:
    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    # Where the document came from ("feed.xml#3", "corpus.jsonl:12"), for error lines.
    origin: str | None = None
    # Extra metadata a reader found (feed author, WARC record id, ...); carried into the record.
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def as_dict(self) -> dict:
        return asdict(self)


_SPACE = re.compile(r"\s+")


def content_id(text: str) -> str:
    """A stable id from the text alone: the same article always gets the same id, whatever
    its whitespace or Unicode normal form, so re-ingesting it replaces rather than duplicates."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()
    return "sha1-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]
