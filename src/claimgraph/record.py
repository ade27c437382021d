"""The one place where a processed Doc becomes an OUTPUT.md record.

Everything downstream (store, queries, API, exports, evaluation, Spark) reads records, never
Docs. Fields beyond OUTPUT.md are additions, never renames: ``text`` (the text all offsets
point into), ``framing`` on claims, ``anonymous`` on actors, ``negated`` on events.
"""
from __future__ import annotations

from spacy.tokens import Doc

from .errors import ProcessingFailed

SCHEMA = "claimgraph/1"

# Event fields as OUTPUT.md orders them; internal working fields (sent_span, caption, ...) stay
# inside the pipeline.
EVENT_FIELDS = ("type", "mode", "context", "source", "target", "via", "modality", "date",
                "location", "materiel", "trigger_span", "cameo", "negated", "confidence", "origin")
CLAIM_FIELDS = ("speaker", "speaker_text", "chain", "cue", "quote", "stance", "certainty", "span",
                "source_span", "cue_span", "content_span", "content_spans", "confidence", "framing")
ACTOR_FIELDS = ("id", "name", "country", "sector", "kind", "anonymous")


def _event(event: dict) -> dict:
    out = {key: event.get(key) for key in EVENT_FIELDS}
    for key in ("context", "source", "target", "via", "materiel"):
        out[key] = list(out[key] or [])
    out["negated"] = bool(out["negated"])
    return out


def _actor_ids(claim: dict, event: dict | None) -> set[str]:
    ids = {claim.get("speaker")} | set(claim.get("chain") or [])
    if event:
        ids |= set(event["source"]) | set(event["target"]) | set(event["via"])
    ids.discard(None)
    return ids


def build_record(doc: Doc, *, doc_id: str | None = None, title: str | None = None,
                 url: str | None = None, outlet: str | None = None,
                 published: str | None = None, meta: dict | None = None) -> dict:
    """The OUTPUT.md record of ``doc``; raises ProcessingFailed if a component failed on it."""
    doc_id = doc_id or doc._.doc_id
    if doc._.errors:
        first = doc._.errors[0]
        raise ProcessingFailed(f"{first['component']}: {first['error']}", where=doc_id)

    known = doc._.actors or {}
    mentions: dict[str, list[list[int]]] = {}
    for mention in doc._.actor_mentions or []:
        if mention.get("actor_id"):
            mentions.setdefault(mention["actor_id"], []).append([mention["start"], mention["end"]])

    events = doc._.events or []
    claims = []
    referenced: set[str] = set()
    for number, claim in enumerate(doc._.claims or [], start=1):
        index = claim.get("event_index")
        event = _event(events[index]) if index is not None else None
        out = {"id": f"{doc_id}:{number}"}
        out.update({key: claim.get(key) for key in CLAIM_FIELDS if key in claim or key != "content_spans"})
        out["chain"] = list(out.get("chain") or [])
        out["framing"] = list(out.get("framing") or [])
        out["event"] = event
        referenced |= _actor_ids(out, event)
        claims.append(out)

    actors = []
    for actor_id in sorted(set(mentions) | referenced):
        info = known.get(actor_id) or {"id": actor_id, "name": actor_id, "country": None,
                                       "sector": None, "kind": "group", "anonymous": False}
        actor = {key: info.get(key) for key in ACTOR_FIELDS}
        actor["anonymous"] = bool(actor["anonymous"])
        actor["mentions"] = sorted(mentions.get(actor_id, []))
        actors.append(actor)

    record = {
        "schema": SCHEMA,
        "doc_id": doc_id,
        "title": title,
        "url": url,
        "outlet": outlet if outlet is not None else doc._.outlet,
        "published": published if published is not None else doc._.published,
        "text": doc.text,
        "actors": actors,
        "claims": claims,
    }
    if meta:
        record["meta"] = meta
    return record
