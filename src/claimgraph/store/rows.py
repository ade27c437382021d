"""One OUTPUT.md record → the rows the store writes for it. Pure functions, no database.

Validation is deliberately minimal (the extractor's JSON Schema is the full check): enough
that a record cannot half-write or corrupt the tables. Fields the tables do not model are
accepted and survive in ``records.record`` (and, for claims, ``claims.extra``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import RecordInvalid

SCHEMA = "claimgraph/1"
ROLES = ("source", "target", "via")

# Claim keys that have columns (or tables); anything else goes to claims.extra.
_CLAIM_KEYS = {"id", "speaker", "speaker_text", "chain", "cue", "quote", "stance", "certainty",
               "span", "source_span", "cue_span", "content_span", "content_spans", "confidence",
               "framing", "event"}


@dataclass
class DocumentRows:
    doc_id: str
    document: dict
    record_json: str
    actors: list[dict] = field(default_factory=list)         # described in the record
    stub_actors: list[dict] = field(default_factory=list)    # referenced but not described
    document_actors: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    chain: list[dict] = field(default_factory=list)
    event_actors: list[dict] = field(default_factory=list)
    event_keys: set[str] = field(default_factory=set)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _span(value: Any, what: str, where: str) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 <= value[0] <= value[1]):
        return value[0], value[1]
    raise RecordInvalid(f"{what} is not a [start, end] span: {value!r}", where=where)


def _mention_span(value: Any, where: str) -> tuple[int, int]:
    # Accept {"start", "end"} as well as [s, e], should the record ever carry richer mentions.
    if isinstance(value, dict):
        value = [value.get("start"), value.get("end")]
    start, end = _span(value, "actor mention", where)
    if start is None:
        raise RecordInvalid("actor mention is null", where=where)
    return start, end


def _actor_ids(value: Any, what: str, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordInvalid(f"{what} is not a list of actor ids", where=where)
    ids = []
    for item in value:
        if isinstance(item, dict):  # tolerate {"id": ...} entries
            item = item.get("id")
        if item is not None and (not isinstance(item, str) or not item):
            raise RecordInvalid(f"{what} holds a bad actor id {item!r}", where=where)
        ids.append(item)
    return ids


def event_key(event_type: str | None, source: list[str], target: list[str]) -> str | None:
    """The key two claims about the same event share (type, source set, target set)."""
    if not event_type:
        return None
    return f"{event_type}|{','.join(sorted(set(source)))}|{','.join(sorted(set(target)))}"


def _snippet(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def record_rows(record: Any, ingested_at: str) -> DocumentRows:
    """Validate ``record`` minimally and flatten it; raises RecordInvalid (CG303)."""
    if not isinstance(record, dict):
        raise RecordInvalid(f"record is a {type(record).__name__}, not an object")
    doc_id = record.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise RecordInvalid("record has no doc_id", where=record.get("id") if isinstance(record.get("id"), str) else None)
    where = doc_id
    if record.get("schema") != SCHEMA:
        raise RecordInvalid(f"schema is {record.get('schema')!r}, expected {SCHEMA!r}", where=where)
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise RecordInvalid("text is not a string", where=where)
    actors_in = record.get("actors") or []
    claims_in = record.get("claims") or []
    if not isinstance(actors_in, list) or not isinstance(claims_in, list):
        raise RecordInvalid("actors and claims must be lists", where=where)

    def cut(start: int | None, end: int | None) -> str | None:
        if text is None or start is None or end > len(text):
            return None
        return text[start:end]

    # The raw record keeps every field; `text` becomes a placeholder (it lives in documents.text)
    # so the key order survives the round trip.
    raw = dict(record)
    if "text" in raw:
        raw["text"] = None
    try:
        record_json = _json(raw)
    except (TypeError, ValueError) as exc:
        raise RecordInvalid(f"record is not JSON-serialisable: {exc}", where=where) from exc

    rows = DocumentRows(doc_id=doc_id, document={}, record_json=record_json)
    mention_counts: dict[str, int] = {}
    described: set[str] = set()
    for actor in actors_in:
        if not isinstance(actor, dict) or not isinstance(actor.get("id"), str) or not actor["id"]:
            raise RecordInvalid(f"actor without an id: {actor!r}"[:200], where=where)
        actor_id = actor["id"]
        if actor_id not in described:
            described.add(actor_id)
            rows.actors.append({
                "id": actor_id, "name": actor.get("name") or actor_id,
                "country": actor.get("country"), "sector": actor.get("sector"),
                "kind": actor.get("kind"), "anonymous": 1 if actor.get("anonymous") else 0,
            })
        mention_counts.setdefault(actor_id, 0)
        for mention in actor.get("mentions") or []:
            start, end = _mention_span(mention, where)
            rows.mentions.append({"doc_id": doc_id, "actor_id": actor_id, "start": start,
                                  "end": end, "text": cut(start, end)})
            mention_counts[actor_id] += 1

    referenced: list[str] = []
    seen_claims: set[str] = set()
    for position, claim in enumerate(claims_in):
        if not isinstance(claim, dict):
            raise RecordInvalid(f"claim #{position + 1} is not an object", where=where)
        claim_id = claim.get("id")
        if not isinstance(claim_id, str) or not claim_id:
            claim_id = f"{doc_id}:{position + 1}"
        elif not claim_id.startswith(f"{doc_id}:"):
            # Claim ids are global keys; prefixing keeps two documents' "c1" apart.
            claim_id = f"{doc_id}:{claim_id}"
        if claim_id in seen_claims:
            raise RecordInvalid(f"duplicate claim id {claim_id!r}", where=where)
        seen_claims.add(claim_id)
        cwhere = f"{where} claim {claim_id}"

        speaker = claim.get("speaker")
        if speaker is not None and (not isinstance(speaker, str) or not speaker):
            raise RecordInvalid(f"bad speaker {speaker!r}", where=cwhere)
        span = _span(claim.get("span"), "span", cwhere)
        source = _span(claim.get("source_span"), "source_span", cwhere)
        cue = _span(claim.get("cue_span"), "cue_span", cwhere)
        content_spans = claim.get("content_spans")
        if content_spans:
            if not isinstance(content_spans, list):
                raise RecordInvalid("content_spans is not a list", where=cwhere)
            parts = [_span(s, "content_spans item", cwhere) for s in content_spans]
            content = (" … ".join(cut(s, e) or "" for s, e in parts) if text is not None else None)
            content_pos = (parts[0][0], parts[-1][1])
        else:
            content_spans = None
            content_pos = _span(claim.get("content_span"), "content_span", cwhere)
            content = cut(*content_pos)
        if content is None and isinstance(claim.get("content"), str):
            content = claim["content"]
        chain = _actor_ids(claim.get("chain"), "chain", cwhere)

        row = {
            "id": claim_id, "doc_id": doc_id, "position": position,
            "name": f"{speaker or '(outlet)'}{' denies' if claim.get('stance') == 'deny' else ''}: "
                    f"{_snippet(content) or claim_id}",
            "speaker": speaker, "speaker_text": claim.get("speaker_text"),
            "cue": claim.get("cue"), "quote": claim.get("quote"), "stance": claim.get("stance"),
            "certainty": claim.get("certainty"),
            "span_start": span[0], "span_end": span[1],
            "source_start": source[0], "source_end": source[1],
            "cue_start": cue[0], "cue_end": cue[1],
            "content_start": content_pos[0], "content_end": content_pos[1],
            "content_spans": _json(content_spans), "content": content,
            "confidence": claim.get("confidence"), "framing": _json(claim.get("framing")),
            "has_event": 0,
        }
        extra = {k: v for k, v in claim.items() if k not in _CLAIM_KEYS}
        row["extra"] = _json(extra) if extra else None

        event = claim.get("event")
        if event is not None and not isinstance(event, dict):
            raise RecordInvalid("event is not an object", where=cwhere)
        if event:
            roles = {role: _actor_ids(event.get(role), f"event {role}", cwhere) for role in ROLES}
            date = event.get("date")
            if not isinstance(date, dict):
                date = {"value": date, "precision": None, "text": None} if date else {}
            location = event.get("location")
            loc = location if isinstance(location, dict) else ({"name": location} if location else {})
            trigger = _span(event.get("trigger_span"), "trigger_span", cwhere)
            negated = bool(event.get("negated"))
            denied = claim.get("stance") == "deny"
            key = event_key(event.get("type"), [a for a in roles["source"] if a],
                            [a for a in roles["target"] if a])
            row.update({
                "has_event": 1, "event_type": event.get("type"), "event_mode": event.get("mode"),
                "event_context": _json(event.get("context")),
                "event_source": _json(roles["source"]), "event_target": _json(roles["target"]),
                "event_via": _json(roles["via"]),
                "event_modality": event.get("modality"),
                "event_date": date.get("value"), "event_date_precision": date.get("precision"),
                "event_date_text": date.get("text"),
                "event_location": _json(location), "event_location_name": loc.get("name"),
                "event_location_country": loc.get("country"),
                "event_cameo": event.get("cameo"),
                "event_negated": 1 if negated else 0,
                "event_confidence": event.get("confidence"),
                "trigger_start": trigger[0], "trigger_end": trigger[1],
                "materiel": _json(event.get("materiel")),
                "event_key": key,
                # The claims component already folds a negated content event into stance deny
                # ("denied selling", "said it did not sell"), so either marker means the
                # speaker rejects the event; treating them as a double negative turned
                # North Korea's denials into assertions.
                "event_polarity": "negative" if denied or negated else "positive",
            })
            if key:
                rows.event_keys.add(key)
            for role in ROLES:
                seen_role: set[str] = set()
                for index, actor_id in enumerate(roles[role]):
                    if actor_id is None or actor_id in seen_role:
                        continue
                    seen_role.add(actor_id)
                    referenced.append(actor_id)
                    rows.event_actors.append({"claim_id": claim_id, "role": role,
                                              "position": index, "actor_id": actor_id})
        else:
            row.update({k: None for k in (
                "event_type", "event_mode", "event_context", "event_source", "event_target",
                "event_via", "event_modality", "event_date", "event_date_precision",
                "event_date_text", "event_location", "event_location_name",
                "event_location_country", "event_cameo", "event_negated", "event_confidence",
                "trigger_start", "trigger_end", "materiel", "event_key", "event_polarity")})
        rows.claims.append(row)

        if speaker:
            referenced.append(speaker)
        for index, actor_id in enumerate(chain):
            if actor_id:
                referenced.append(actor_id)
            rows.chain.append({"claim_id": claim_id, "position": index, "actor_id": actor_id})

    for actor_id in referenced:
        if actor_id not in described:
            described.add(actor_id)
            rows.stub_actors.append({"id": actor_id, "name": actor_id, "country": None,
                                     "sector": None, "kind": None, "anonymous": 0})
        mention_counts.setdefault(actor_id, 0)
    rows.document_actors = [{"doc_id": doc_id, "actor_id": a, "mentions": n}
                            for a, n in mention_counts.items()]

    title = record.get("title")
    rows.document = {
        "id": doc_id, "name": title or doc_id, "title": title, "url": record.get("url"),
        "outlet": record.get("outlet"), "published": record.get("published"), "text": text,
        "schema": record["schema"], "n_actors": len(mention_counts), "n_claims": len(rows.claims),
        "ingested_at": ingested_at,
    }
    return rows
