"""Shared pieces of the query layer: parameter checks, actor resolution, claim hydration.

Every function takes a Store first and returns plain JSON-able values. SQL is always
parameterised; the only strings formatted into SQL are fixed fragments chosen in code and
runs of ``?`` placeholders.
"""
from __future__ import annotations

import json
import re
from calendar import monthrange
from typing import Iterable, Sequence

from ..errors import BadQueryParameter, NotFound
from ..store import Store
from ..store.propositions import fold_actor

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION",
                "COERCE", "ASSAULT")
STANCES = ("assert", "deny")
STATUSES = ("uncorroborated", "corroborated", "disputed")
MAX_LIMIT = 1000
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


# An event's period as SQL over claims c JOIN documents d: the event date at the precision its
# value has (a day, a whole month, a whole year), else the publication day. NULL when neither.
_DAY, _MONTH, _YEAR = ("'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'",
                       "'[0-9][0-9][0-9][0-9]-[0-9][0-9]'", "'[0-9][0-9][0-9][0-9]'")
PERIOD_START = (f"CASE WHEN c.event_date GLOB {_DAY} THEN substr(c.event_date, 1, 10) "
                f"WHEN c.event_date GLOB {_MONTH} THEN c.event_date || '-01' "
                f"WHEN c.event_date GLOB {_YEAR} THEN c.event_date || '-01-01' "
                "ELSE substr(d.published, 1, 10) END")
PERIOD_END = (f"CASE WHEN c.event_date GLOB {_DAY} THEN substr(c.event_date, 1, 10) "
              f"WHEN c.event_date GLOB {_MONTH} THEN date(c.event_date || '-01', '+1 month', '-1 day') "
              f"WHEN c.event_date GLOB {_YEAR} THEN c.event_date || '-12-31' "
              "ELSE substr(d.published, 1, 10) END")
DATED_BY_EVENT = f"(c.event_date GLOB {_DAY} OR c.event_date GLOB {_MONTH} OR c.event_date GLOB {_YEAR})"


def marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


def page(total: int, items: list, limit: int, offset: int) -> dict:
    return {"total": total, "items": items, "limit": limit, "offset": offset}


def check_page(limit, offset) -> tuple[int, int]:
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError):
        raise BadQueryParameter(f"limit and offset must be integers (got {limit!r}, {offset!r})")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQueryParameter(f"limit must be between 1 and {MAX_LIMIT} (got {limit})")
    if offset < 0:
        raise BadQueryParameter(f"offset must be >= 0 (got {offset})")
    return limit, offset


def check_date(value, name: str, *, end: bool = False) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD → the first (or, with ``end``, the last) day it covers."""
    if value is None or value == "":
        return None
    match = _DATE.fullmatch(str(value).strip())
    if not match:
        raise BadQueryParameter(f"{name} must be a date YYYY[-MM[-DD]] (got {value!r})")
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        y = int(year)
        m = int(month) if month else (12 if end else 1)
        if not 1 <= m <= 12:
            raise ValueError
        last = monthrange(y, m)[1]
        d = int(day) if day else (last if end else 1)
        if not 1 <= d <= last:
            raise ValueError
    except ValueError:
        raise BadQueryParameter(f"{name} is not a valid date (got {value!r})") from None
    return f"{y:04d}-{m:02d}-{d:02d}"


def check_choice(value, name: str, choices: Iterable[str], *, upper: bool = False) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    text = text.upper() if upper else text.lower()
    if text not in choices:
        raise BadQueryParameter(f"{name} must be one of {', '.join(choices)} (got {value!r})")
    return text


def check_type(value) -> str | None:
    return check_choice(value, "type", PLOVER_TYPES, upper=True)


def resolve_actor(store: Store, name_or_id) -> str:
    """An actor id for an id or a name: the exact id, then a case-insensitive id, then the
    name, then any text the actor was mentioned by ("Pyongyang" → PRK); ties go to the actor
    in most documents. NotFound (CG502) when nothing matches."""
    if not isinstance(name_or_id, str) or not name_or_id.strip():
        raise BadQueryParameter(f"actor must be a non-empty id or name (got {name_or_id!r})")
    text = " ".join(name_or_id.split())
    conn = store.conn
    row = conn.execute("SELECT id FROM actors WHERE id = ?", (text,)).fetchone()
    if row:
        return row[0]
    row = conn.execute("SELECT id FROM actors WHERE id = ? COLLATE NOCASE", (text,)).fetchone()
    if row:
        return row[0]
    popularity = ("(SELECT count(*) FROM document_actors da WHERE da.actor_id = a.id) DESC, a.id")
    row = conn.execute(f"SELECT a.id FROM actors a WHERE a.name = ? COLLATE NOCASE "
                       f"ORDER BY {popularity} LIMIT 1", (text,)).fetchone()
    if row:
        return row[0]
    row = conn.execute("SELECT actor_id FROM actor_mentions WHERE text = ? COLLATE NOCASE "
                       "GROUP BY actor_id ORDER BY count(*) DESC, actor_id LIMIT 1", (text,)).fetchone()
    if row:
        return row[0]
    # An actor only known in folded form (the state behind "<ISO3>-GOV") is still a valid
    # filter for propositions; accept it when propositions use it.
    folded = fold_actor(text.upper())
    if store.query("SELECT 1 FROM proposition_actors WHERE actor_id = ? LIMIT 1", (folded,)):
        return folded
    raise NotFound(f"no actor {name_or_id!r} in the database")


def actor_names(store: Store, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    names: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        for row in store.conn.execute(f"SELECT id, name FROM actors WHERE id IN ({marks(chunk)})", chunk):
            names[row[0]] = row[1]
    return names


def named(actor_id: str | None, names: dict[str, str]) -> dict | None:
    if actor_id is None:
        return None
    return {"id": actor_id, "name": names.get(actor_id, actor_id)}


def _load(value):
    return json.loads(value) if value else None


def _span(start, end):
    return None if start is None else [start, end]


CLAIM_COLUMNS = (
    "c.id, c.doc_id, c.position, c.speaker, c.speaker_text, c.cue, c.quote, c.stance, "
    "c.certainty, c.confidence, c.content, c.span_start, c.span_end, c.source_start, "
    "c.source_end, c.cue_start, c.cue_end, c.content_start, c.content_end, c.content_spans, "
    "c.has_event, c.event_type, c.event_mode, c.event_context, c.event_modality, c.event_date, "
    "c.event_date_precision, c.event_date_text, c.event_location, c.event_cameo, "
    "c.event_negated, c.event_confidence, c.trigger_start, c.trigger_end, c.materiel, "
    "c.event_key, c.event_polarity, d.title AS doc_title, d.outlet AS doc_outlet, "
    "d.published AS doc_published, d.url AS doc_url")


def hydrate_claims(store: Store, rows: list, *, text: bool = False) -> list[dict]:
    """Claim rows (selected with CLAIM_COLUMNS) → claim dicts with names, chain, event actors,
    document and propositions; ``text`` adds the attribution's text from the document."""
    rows = [dict(r) for r in rows]
    ids = [r["id"] for r in rows]
    chains: dict[str, list] = {i: [] for i in ids}
    roles: dict[str, dict[str, list]] = {i: {"source": [], "target": [], "via": []} for i in ids}
    props: dict[str, list] = {i: [] for i in ids}
    snippets: dict[str, str | None] = {}
    conn = store.conn
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = marks(chunk)
        for r in conn.execute(f"SELECT claim_id, actor_id FROM claim_chain WHERE claim_id IN ({q}) "
                              "ORDER BY claim_id, position", chunk):
            chains[r[0]].append(r[1])
        for r in conn.execute(f"SELECT claim_id, role, actor_id FROM claim_event_actors "
                              f"WHERE claim_id IN ({q}) ORDER BY claim_id, role, position", chunk):
            roles[r[0]][r[1]].append(r[2])
        for r in conn.execute(f"SELECT claim_id, proposition_id FROM proposition_claims "
                              f"WHERE claim_id IN ({q}) ORDER BY proposition_id", chunk):
            props[r[0]].append(r[1])
        if text:
            for r in conn.execute(
                    f"SELECT c.id, substr(d.text, c.span_start + 1, c.span_end - c.span_start) "
                    f"FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({q})", chunk):
                snippets[r[0]] = r[1]
    every = [r["speaker"] for r in rows]
    every += [a for chain in chains.values() for a in chain]
    every += [a for rs in roles.values() for actors in rs.values() for a in actors]
    names = actor_names(store, every)
    out = []
    for r in rows:
        event = None
        if r["has_event"]:
            event = {
                "type": r["event_type"], "mode": r["event_mode"],
                "context": _load(r["event_context"]) or [],
                **{role: [named(a, names) for a in actors] for role, actors in roles[r["id"]].items()},
                "modality": r["event_modality"],
                "date": ({"value": r["event_date"], "precision": r["event_date_precision"],
                          "text": r["event_date_text"]} if r["event_date"] else None),
                "location": _load(r["event_location"]),
                "materiel": _load(r["materiel"]) or [],
                "cameo": r["event_cameo"], "negated": bool(r["event_negated"]),
                "confidence": r["event_confidence"],
                "trigger_span": _span(r["trigger_start"], r["trigger_end"]),
                "key": r["event_key"], "polarity": r["event_polarity"],
            }
        item = {
            "id": r["id"], "doc_id": r["doc_id"], "position": r["position"],
            "speaker": r["speaker"],
            "speaker_name": names.get(r["speaker"], r["speaker"]) if r["speaker"] else None,
            "speaker_text": r["speaker_text"],
            "chain": [named(a, names) for a in chains[r["id"]]],
            "cue": r["cue"], "quote": r["quote"], "stance": r["stance"],
            "certainty": r["certainty"], "confidence": r["confidence"], "content": r["content"],
            "span": _span(r["span_start"], r["span_end"]),
            "source_span": _span(r["source_start"], r["source_end"]),
            "cue_span": _span(r["cue_start"], r["cue_end"]),
            "content_span": _span(r["content_start"], r["content_end"]),
            "content_spans": _load(r["content_spans"]),
            "event": event,
            "document": {"id": r["doc_id"], "title": r["doc_title"], "outlet": r["doc_outlet"],
                          "published": r["doc_published"], "url": r["doc_url"]},
            "propositions": props[r["id"]],
        }
        if text:
            item["text"] = snippets.get(r["id"])
        out.append(item)
    return out


def claims_by_id(store: Store, claim_ids: Sequence[str], *, text: bool = False) -> list[dict]:
    """Hydrated claims in the order of ``claim_ids``."""
    rows = []
    for i in range(0, len(claim_ids), 500):
        chunk = list(claim_ids[i:i + 500])
        rows += store.conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.doc_id "
            f"WHERE c.id IN ({marks(chunk)})", chunk).fetchall()
    by_id = {r["id"]: r for r in hydrate_claims(store, rows, text=text)}
    return [by_id[i] for i in claim_ids if i in by_id]


def require_propositions(store: Store) -> None:
    if not store.query("SELECT 1 FROM sqlite_master WHERE name = 'propositions'"):
        raise NotFound("this database has no propositions table (open it once for writing to migrate)")
