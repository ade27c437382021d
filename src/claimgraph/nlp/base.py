"""What every claimgraph component shares: per-document fault isolation.

spaCy drops a document whose component raises inside ``nlp.pipe`` (or aborts the whole
batch), which would misalign documents and their metadata. A component therefore catches
its own failure, records it on ``doc._.errors`` and passes the Doc on; the record builder
turns such a Doc into a CG202 error for that document alone.
"""
from __future__ import annotations

import logging

from spacy.tokens import Doc

from .extensions import register_extensions

log = logging.getLogger("claimgraph.nlp")


class Component:
    name = "claimgraph_component"

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        if doc._.errors:
            return doc  # an earlier stage failed: its outputs may be missing or partial
        try:
            self.process(doc)
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            log.warning("%s failed on document %s: %r", self.name, doc._.doc_id, exc)
            doc._.errors = [{"component": self.name, "error": f"{type(exc).__name__}: {exc}"}]
        return doc

    def process(self, doc: Doc) -> None:
        raise NotImplementedError
