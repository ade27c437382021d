"""Claims, events (PLOVER/POLECAT style) and propositions as JSON, JSON Lines, CSV or Parquet.

Rows come from the query layer (``iter_claims``, ``iter_propositions``); this module only
reshapes them. JSON keeps the nesting; CSV and Parquet get flat columns with lists joined by
``;`` and a fixed column set (so an empty export still has its header / schema).
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from ..errors import BadQueryParameter
from ..query import actors, iter_claims, iter_propositions
from ..store import Store

TABLES = ("claims", "events", "propositions")
FORMATS = ("json", "jsonl", "csv", "parquet")
VERSION = "claimgraph/1"


def _ids(actors) -> list[str]:
    return [a["id"] for a in actors or []]


def _join(values) -> str:
    return ";".join("" if v is None else str(v) for v in values or [])


def _actor(actor_id: str, attrs: dict[str, dict]) -> dict:
    a = attrs.get(actor_id, {})
    return {"id": actor_id, "name": a.get("name", actor_id), "country": a.get("country"),
            "sector": a.get("sector"), "kind": a.get("kind")}


# -- events: PLOVER/POLECAT style ----------------------------------------------------------
def event_record(claim: dict, attrs: dict[str, dict]) -> dict:
    """A claim carrying an event → a PLOVER/POLECAT-style event: type, mode, context, actor
    (source) and recipient (target) with country and sector, date, location, the story it
    came from, and the claim that carries it (who says so, how sure, asserted or denied)."""
    event = claim["event"]
    date = event.get("date")
    doc = claim["document"]
    location = event.get("location") or {}
    return {
        "event_id": claim["id"],
        "event_date": date["value"] if date else doc["published"],
        "event_date_precision": (date.get("precision") if date else "day") if (date or doc["published"]) else None,
        "event_date_basis": "event" if date else ("published" if doc["published"] else None),
        "event_type": event["type"], "event_mode": event.get("mode"),
        "event_context": event.get("context") or [],
        "modality": event.get("modality"), "cameo": event.get("cameo"),
        "negated": event.get("negated", False), "polarity": event.get("polarity"),
        "actor": [_actor(a, attrs) for a in _ids(event.get("source"))],
        "recipient": [_actor(a, attrs) for a in _ids(event.get("target"))],
        "via": [_actor(a, attrs) for a in _ids(event.get("via"))],
        "location": location or None, "materiel": event.get("materiel") or [],
        "claim": {"speaker": claim["speaker"], "speaker_name": claim["speaker_name"],
                  "chain": _ids(claim["chain"]), "stance": claim["stance"],
                  "certainty": claim["certainty"], "cue": claim["cue"], "quote": claim["quote"],
                  "confidence": claim["confidence"], "content": claim["content"]},
        "story_id": claim["doc_id"], "story_date": doc["published"], "source": doc["outlet"],
        "title": doc["title"], "url": doc["url"],
        "propositions": claim["propositions"],
        "version": VERSION,
    }


EVENT_COLUMNS = [
    ("event_id", str), ("event_date", str), ("event_date_precision", str),
    ("event_date_basis", str), ("event_type", str), ("event_mode", str), ("event_context", str),
    ("modality", str), ("cameo", str), ("negated", bool), ("polarity", str),
    ("actor_id", str), ("actor_name", str), ("actor_country", str), ("actor_sector", str),
    ("recipient_id", str), ("recipient_name", str), ("recipient_country", str),
    ("recipient_sector", str), ("via_id", str), ("location_name", str), ("location_country", str),
    ("latitude", float), ("longitude", float), ("materiel", str), ("materiel_category", str),
    ("speaker", str), ("speaker_name", str), ("chain", str), ("stance", str), ("certainty", str),
    ("confidence", float), ("content", str), ("story_id", str), ("story_date", str),
    ("source", str), ("title", str), ("url", str), ("propositions", str), ("version", str),
]


def event_row(event: dict) -> dict:
    loc = event["location"] or {}
    claim = event["claim"]
    row = {k: event.get(k) for k, _ in EVENT_COLUMNS if k in event}
    row.update({
        "event_context": _join(event["event_context"]),
        "actor_id": _join(a["id"] for a in event["actor"]),
        "actor_name": _join(a["name"] for a in event["actor"]),
        "actor_country": _join(a["country"] for a in event["actor"]),
        "actor_sector": _join(a["sector"] for a in event["actor"]),
        "recipient_id": _join(a["id"] for a in event["recipient"]),
        "recipient_name": _join(a["name"] for a in event["recipient"]),
        "recipient_country": _join(a["country"] for a in event["recipient"]),
        "recipient_sector": _join(a["sector"] for a in event["recipient"]),
        "via_id": _join(a["id"] for a in event["via"]),
        "location_name": loc.get("name"), "location_country": loc.get("country"),
        "latitude": loc.get("lat"), "longitude": loc.get("lon"),
        "materiel": _join(m.get("text") for m in event["materiel"]),
        "materiel_category": _join(m.get("category") for m in event["materiel"]),
        "speaker": claim["speaker"], "speaker_name": claim["speaker_name"],
        "chain": _join(claim["chain"]), "stance": claim["stance"],
        "certainty": claim["certainty"], "confidence": claim["confidence"],
        "content": claim["content"], "propositions": _join(event["propositions"]),
    })
    return row


# -- claims -----------------------------------------------------------------------------------
CLAIM_COLUMNS = [
    ("id", str), ("doc_id", str), ("position", int), ("speaker", str), ("speaker_name", str),
    ("speaker_text", str), ("chain", str), ("cue", str), ("quote", str), ("stance", str),
    ("certainty", str), ("confidence", float), ("content", str), ("span_start", int),
    ("span_end", int), ("content_start", int), ("content_end", int), ("event_type", str),
    ("event_mode", str), ("event_source", str), ("event_target", str), ("event_via", str),
    ("event_modality", str), ("event_date", str), ("event_date_precision", str),
    ("event_polarity", str), ("event_location", str), ("cameo", str), ("outlet", str),
    ("published", str), ("title", str), ("url", str), ("propositions", str),
]


def claim_row(claim: dict) -> dict:
    event = claim["event"] or {}
    date = event.get("date") or {}
    span = claim["span"] or [None, None]
    content = claim["content_span"] or [None, None]
    doc = claim["document"]
    return {
        "id": claim["id"], "doc_id": claim["doc_id"], "position": claim["position"],
        "speaker": claim["speaker"], "speaker_name": claim["speaker_name"],
        "speaker_text": claim["speaker_text"], "chain": _join(_ids(claim["chain"])),
        "cue": claim["cue"], "quote": claim["quote"], "stance": claim["stance"],
        "certainty": claim["certainty"], "confidence": claim["confidence"],
        "content": claim["content"], "span_start": span[0], "span_end": span[1],
        "content_start": content[0], "content_end": content[1],
        "event_type": event.get("type"), "event_mode": event.get("mode"),
        "event_source": _join(_ids(event.get("source"))),
        "event_target": _join(_ids(event.get("target"))),
        "event_via": _join(_ids(event.get("via"))), "event_modality": event.get("modality"),
        "event_date": date.get("value"), "event_date_precision": date.get("precision"),
        "event_polarity": event.get("polarity"),
        "event_location": (event.get("location") or {}).get("name"), "cameo": event.get("cameo"),
        "outlet": doc["outlet"], "published": doc["published"], "title": doc["title"],
        "url": doc["url"], "propositions": _join(claim["propositions"]),
    }


# -- propositions -----------------------------------------------------------------------------
PROPOSITION_COLUMNS = [
    ("id", str), ("name", str), ("type", str), ("source_id", str), ("source_name", str),
    ("target_id", str), ("target_name", str), ("date_start", str), ("date_end", str),
    ("status", str), ("independent_sources", int), ("independent_denying", int),
    ("n_claims", int), ("n_asserting", int), ("n_denying", int), ("n_documents", int),
    ("independent_documents", int), ("asserting_sources", str), ("denying_sources", str),
    ("first_seen", str), ("last_seen", str), ("asserting_claims", str), ("denying_claims", str),
]


def proposition_row(p: dict) -> dict:
    date = p["date"] or {}
    return {
        "id": p["id"], "name": p["name"], "type": p["type"],
        "source_id": _join(a["id"] for a in p["source"]),
        "source_name": _join(a["name"] for a in p["source"]),
        "target_id": _join(a["id"] for a in p["target"]),
        "target_name": _join(a["name"] for a in p["target"]),
        "date_start": date.get("start"), "date_end": date.get("end"), "status": p["status"],
        **{k: p[k] for k in ("independent_sources", "independent_denying", "n_claims",
                             "n_asserting", "n_denying", "n_documents", "independent_documents",
                             "first_seen", "last_seen")},
        "asserting_sources": _join(s["key"] for s in p["asserting_sources"]),
        "denying_sources": _join(s["key"] for s in p["denying_sources"]),
        "asserting_claims": _join(p["asserting_claims"]),
        "denying_claims": _join(p["denying_claims"]),
    }


# -- driver -------------------------------------------------------------------------------------
def records(store: Store, table: str, **filters) -> tuple[Iterator[dict], Callable[[dict], dict], list]:
    """(nested records, flattener, flat columns) for ``table``."""
    if table == "claims":
        return iter_claims(store, **filters), claim_row, CLAIM_COLUMNS
    if table == "events":
        attrs = actors(store)
        return ((event_record(c, attrs) for c in iter_claims(store, events_only=True, **filters)),
                event_row, EVENT_COLUMNS)
    if table == "propositions":
        return iter_propositions(store, **filters), proposition_row, PROPOSITION_COLUMNS
    raise BadQueryParameter(f"table must be one of {', '.join(TABLES)} (got {table!r})")


def _pyarrow_type(kind):
    import pyarrow as pa

    return {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}[kind]


def export(store: Store, table: str, fmt: str, out: str | Path | IO[str] | None = None,
           **filters) -> int:
    """Write ``table`` (claims | events | propositions) in ``fmt`` (json | jsonl | csv |
    parquet) to ``out`` (a path, a text stream, or standard output); return the row count.
    ``filters`` are those of ``iter_claims`` / ``iter_propositions``."""
    if fmt not in FORMATS:
        raise BadQueryParameter(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    items, flatten, columns = records(store, table, **filters)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out is None or not isinstance(out, (str, Path)):
            raise BadQueryParameter("Parquet needs an output file (-o FILE)")
        schema = pa.schema([(name, _pyarrow_type(kind)) for name, kind in columns])
        rows = [flatten(item) for item in items]
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), str(out))
        return len(rows)
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            return _write_text(stream, fmt, items, flatten, columns)
    return _write_text(out or sys.stdout, fmt, items, flatten, columns)


def _write_text(stream: IO[str], fmt: str, items: Iterable[dict], flatten, columns) -> int:
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=[name for name, _ in columns],
                                extrasaction="ignore")
        writer.writeheader()
        for item in items:
            writer.writerow(flatten(item))
            n += 1
        return n
    if fmt == "jsonl":
        for item in items:
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
        return n
    stream.write("[")
    for item in items:
        stream.write(("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False))
        n += 1
    stream.write("\n]\n")
    return n


__all__ = ["export", "records", "event_record", "event_row", "claim_row", "proposition_row",
           "TABLES", "FORMATS", "EVENT_COLUMNS", "CLAIM_COLUMNS", "PROPOSITION_COLUMNS"]
