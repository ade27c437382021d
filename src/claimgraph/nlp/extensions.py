"""The Doc extension attributes through which claimgraph components talk to each other.

Values are plain JSON-able dicts and lists, never Span objects or dataclasses, because
``nlp.pipe(n_process=k)`` and Spark ship Docs between processes with ``Doc.to_bytes``
(msgpack), which only carries plain data. Character offsets are into ``doc.text``.

doc._.doc_id       str            the document id (set before parsing)
doc._.published    str | None     ISO publication date (set before parsing); events resolve
                                  relative dates against it
doc._.outlet       str | None     the outlet name, if known (set before parsing)
doc._.actors       {actor_id: {"id","name","country","sector","kind","anonymous"}}
doc._.actor_mentions [ {"start","end"  char offsets,
                        "tok_start","tok_end"  token offsets (end exclusive),
                        "head"  token index of the mention's syntactic head,
                        "text", "actor_id" (str or None when unresolved),
                        "how"   which rule resolved it: "kb", "demonym", "acronym",
                                "short_name", "role", "pronoun", "new", ...,
                        "owner" True for adjectival uses ("North Korean weapons")} ]
doc._.events       [ event dicts: the OUTPUT.md event fields plus internal ones:
                     "sent_span" [s,e], "negated" bool, "caption" bool, "confidence" ]
doc._.claims       [ claim dicts: the OUTPUT.md claim fields without "id", with
                     "event_index" (index into doc._.events or None) instead of "event" ]
doc._.errors       [ {"component", "error"} ] failures caught inside a component; the
                     document is then reported as failed (CG202) and skipped, so one bad
                     document never aborts a batch (see nlp/base.py)
"""
from __future__ import annotations

from spacy.tokens import Doc

_DOC_ATTRS = {
    "doc_id": None,
    "published": None,
    "outlet": None,
    "actors": None,
    "actor_mentions": None,
    "events": None,
    "claims": None,
    "errors": None,
}


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory and every worker process."""
    for name, default in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def mention_by_token(doc: Doc) -> dict[int, dict]:
    """token index -> the actor mention covering it (first one wins on overlap)."""
    index: dict[int, dict] = {}
    for mention in doc._.actor_mentions or []:
        for i in range(mention["tok_start"], mention["tok_end"]):
            index.setdefault(i, mention)
    return index


register_extensions()
