"""claimgraph: who says who did what to whom — through whom, how sure, and who denies it.

Public names are re-exported here and imported lazily, so ``import claimgraph`` stays cheap
and a user who only reads a database never loads spaCy.

    >>> from claimgraph import extract_text
    >>> record = extract_text("North Korea denied selling weapons to Hamas.", published="2023-11-02")
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Document": "claimgraph.ingest.document",
    "content_id": "claimgraph.ingest.document",
    "iter_documents": "claimgraph.ingest",
    "Settings": "claimgraph.settings",
    "load_settings": "claimgraph.settings",
    "load_pipeline": "claimgraph.nlp.pipeline",
    "load_model": "claimgraph.nlp.pipeline",
    "extract_text": "claimgraph.extract",
    "extract_documents": "claimgraph.extract",
    "validate_record": "claimgraph.extract",
    "build_record": "claimgraph.record",
    "SCHEMA": "claimgraph.record",
    "Store": "claimgraph.store",
    "load_kb": "claimgraph.kb",
    "KnowledgeBase": "claimgraph.kb",
    "resolve_phrase": "claimgraph.nlp.resolve",
    "ClaimgraphError": "claimgraph.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
