"""An actor's profile and timeline."""
from __future__ import annotations

from ..store import Store
from ._common import (CLAIM_COLUMNS, DATED_BY_EVENT, PERIOD_END, PERIOD_START, actor_names,
                      check_date, hydrate_claims, named, resolve_actor)

_PRECISION = {10: "day", 7: "month", 4: "year"}

_RECENT = "ORDER BY (d.published IS NULL), d.published DESC, c.id LIMIT ?"


def _claim_list(store: Store, where: str, params: list, recent: int) -> dict:
    base = f"FROM claims c JOIN documents d ON d.id = c.doc_id WHERE {where}"
    total = store.conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    rows = store.conn.execute(f"SELECT {CLAIM_COLUMNS} {base} {_RECENT}", [*params, recent]).fetchall()
    return {"total": total, "items": hydrate_claims(store, rows)}


def _pairs(store: Store, actor_id: str, role: str, other: str) -> list[dict]:
    rows = store.query(
        f"SELECT c.event_type AS type, o.actor_id AS other, count(DISTINCT c.id) AS claims, "
        "count(DISTINCT CASE WHEN c.event_polarity = 'positive' THEN c.id END) AS asserted, "
        "count(DISTINCT CASE WHEN c.event_polarity = 'negative' THEN c.id END) AS denied, "
        "count(DISTINCT c.doc_id) AS documents "
        "FROM claim_event_actors me JOIN claims c ON c.id = me.claim_id "
        "LEFT JOIN claim_event_actors o ON o.claim_id = me.claim_id AND o.role = ? "
        "WHERE me.actor_id = ? AND me.role = ? "
        "GROUP BY c.event_type, o.actor_id ORDER BY claims DESC, c.event_type, o.actor_id",
        (other, actor_id, role))
    names = actor_names(store, [r["other"] for r in rows])
    return [{"type": r["type"], other: named(r["other"], names), "claims": r["claims"],
             "asserted": r["asserted"], "denied": r["denied"], "documents": r["documents"]}
            for r in rows]


def actors(store: Store, ids=None) -> dict[str, dict]:
    """Actor attributes (id, name, country, sector, kind, anonymous) by id: all actors, or
    those of ``ids``."""
    if ids is None:
        rows = store.query("SELECT id, name, country, sector, kind, anonymous FROM actors")
    else:
        wanted, rows = sorted(set(ids)), []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            rows += store.query("SELECT id, name, country, sector, kind, anonymous FROM actors "
                                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    return {r["id"]: {**r, "anonymous": bool(r["anonymous"])} for r in rows}


def actor_profile(store: Store, actor, *, recent: int = 20) -> dict:
    """What an actor does and to whom (events it is the source of, by type and target), what
    is done to it, what it says, what others say about it, what it denies, which outlets
    mention it and when. Claim lists hold the ``recent`` latest items and the total."""
    actor_id = resolve_actor(store, actor)
    info = store.query("SELECT id, name, country, sector, kind, anonymous FROM actors WHERE id = ?",
                       (actor_id,))
    info = info[0] if info else {"id": actor_id, "name": actor_id, "country": None,
                                 "sector": None, "kind": None, "anonymous": 0}
    info["anonymous"] = bool(info["anonymous"])
    seen = store.query(
        "SELECT count(*) AS documents, coalesce(sum(da.mentions), 0) AS mentions, "
        "min(d.published) AS first_seen, max(d.published) AS last_seen "
        "FROM document_actors da JOIN documents d ON d.id = da.doc_id WHERE da.actor_id = ?",
        (actor_id,))[0]
    info.update(documents=seen["documents"], mentions=seen["mentions"])
    about = ("(c.speaker IS NULL OR c.speaker != ?) AND c.id IN (SELECT claim_id FROM "
             "claim_event_actors WHERE actor_id = ? AND role IN ('source', 'target'))")
    by_stance = {r["stance"] or "none": r["n"] for r in store.query(
        "SELECT stance, count(*) AS n FROM claims WHERE speaker = ? GROUP BY stance", (actor_id,))}
    says = _claim_list(store, "c.speaker = ?", [actor_id], recent)
    says["by_stance"] = by_stance
    outlets = store.query(
        "SELECT d.outlet, count(*) AS documents FROM document_actors da JOIN documents d "
        "ON d.id = da.doc_id WHERE da.actor_id = ? AND d.outlet IS NOT NULL "
        "GROUP BY d.outlet ORDER BY documents DESC, d.outlet", (actor_id,))
    return {
        "actor": info,
        "does": _pairs(store, actor_id, "source", "target"),
        "done_to": _pairs(store, actor_id, "target", "source"),
        "says": says,
        "said_about": _claim_list(store, about, [actor_id, actor_id], recent),
        "denies": _claim_list(store, "c.speaker = ? AND (c.stance = 'deny' OR "
                              "c.event_polarity = 'negative')", [actor_id], recent),
        "outlets": outlets,
        "first_seen": seen["first_seen"], "last_seen": seen["last_seen"],
    }


def timeline(store: Store, actor, *, since=None, until=None, limit: int | None = None) -> list[dict]:
    """Dated items for an actor: every claim it speaks, relays or takes part in (as event
    source, target or intermediary), dated by the event when the text dates it, else by
    publication; sorted by date (start of the period for month/year precision), then id.
    ``since``/``until`` (YYYY[-MM[-DD]]) keep the items whose period overlaps the range."""
    actor_id = resolve_actor(store, actor)
    start, end = check_date(since, "since"), check_date(until, "until", end=True)
    bounds, params = [], {"a": actor_id}
    if start:
        bounds.append(f"{PERIOD_END} >= :start")
        params["start"] = start
    if end:
        bounds.append(f"{PERIOD_START} <= :end")
        params["end"] = end
    rows = store.conn.execute(
        "SELECT c.id, c.doc_id, c.speaker, c.stance, c.certainty, c.event_type, "
        "c.event_polarity, c.event_date, c.event_date_precision, c.event_date_text, c.content, "
        f"d.published, d.outlet, d.title, {PERIOD_START} AS first, {DATED_BY_EVENT} AS by_event "
        "FROM claims c JOIN documents d ON d.id = c.doc_id "
        "WHERE c.id IN (SELECT id FROM claims WHERE speaker = :a UNION SELECT claim_id FROM "
        "claim_event_actors WHERE actor_id = :a UNION SELECT claim_id FROM claim_chain "
        f"WHERE actor_id = :a) AND {PERIOD_START} IS NOT NULL "
        f"{''.join(' AND ' + b for b in bounds)} ORDER BY first, c.id"
        f"{' LIMIT :limit' if limit else ''}", {**params, "limit": limit}).fetchall()
    ids = [r["id"] for r in rows]
    roles: dict[str, list] = {i: [] for i in ids}
    sides: dict[str, dict[str, list]] = {i: {"source": [], "target": []} for i in ids}
    relays: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = ",".join("?" * len(chunk))
        for claim_id, role, other in store.conn.execute(
                f"SELECT claim_id, role, actor_id FROM claim_event_actors WHERE claim_id IN ({q}) "
                "ORDER BY claim_id, role, position", chunk):
            if other == actor_id and role not in roles[claim_id]:
                roles[claim_id].append(role)
            if role in ("source", "target"):
                sides[claim_id][role].append(other)
        relays.update(r[0] for r in store.conn.execute(
            f"SELECT claim_id FROM claim_chain WHERE claim_id IN ({q}) AND actor_id = ?",
            [*chunk, actor_id]))
    items = []
    for r in rows:
        by_event = bool(r["by_event"])
        claim_roles = sorted(roles[r["id"]])
        if r["speaker"] == actor_id:
            claim_roles.insert(0, "speaker")
        elif r["id"] in relays:
            claim_roles.append("chain")
        items.append({
            "date": r["event_date"] if by_event else r["published"],
            "precision": (r["event_date_precision"] or _PRECISION.get(len(r["event_date"]), "day"))
                         if by_event else "day",
            "date_basis": "event" if by_event else "published",
            "date_text": r["event_date_text"] if by_event else None,
            "claim_id": r["id"], "doc_id": r["doc_id"], "roles": claim_roles,
            "type": r["event_type"], "stance": r["stance"], "polarity": r["event_polarity"],
            "certainty": r["certainty"], "speaker": r["speaker"],
            "source": sides[r["id"]]["source"], "target": sides[r["id"]]["target"],
            "content": r["content"], "outlet": r["outlet"], "published": r["published"],
            "title": r["title"],
        })
    names = actor_names(store, [i["speaker"] for i in items]
                        + [a for i in items for a in i["source"] + i["target"]])
    for i in items:
        i["speaker_name"] = names.get(i["speaker"], i["speaker"]) if i["speaker"] else None
        i["source"] = [named(a, names) for a in i["source"]]
        i["target"] = [named(a, names) for a in i["target"]]
    return items[:limit] if limit else items


__all__ = ["actors", "actor_profile", "timeline"]
