"""An actor's profile and timeline."""
from __future__ import annotations

from ..store import Store
from ..store.propositions import date_interval
from ._common import (CLAIM_COLUMNS, check_date, hydrate_claims, named, actor_names,
                      resolve_actor)

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
    ``since``/``until`` (YYYY[-MM[-DD]]) bound that date."""
    actor_id = resolve_actor(store, actor)
    start, end = check_date(since, "since"), check_date(until, "until", end=True)
    rows = store.query(
        "SELECT c.id, c.doc_id, c.speaker, c.stance, c.certainty, c.event_type, "
        "c.event_polarity, c.event_date, c.event_date_precision, c.event_date_text, c.content, "
        "d.published, d.outlet, d.title, "
        "(SELECT group_concat(role) FROM (SELECT DISTINCT role FROM claim_event_actors e "
        "  WHERE e.claim_id = c.id AND e.actor_id = :a ORDER BY role)) AS roles, "
        "(SELECT group_concat(actor_id) FROM (SELECT actor_id FROM claim_event_actors e "
        "  WHERE e.claim_id = c.id AND e.role = 'source' ORDER BY position)) AS source, "
        "(SELECT group_concat(actor_id) FROM (SELECT actor_id FROM claim_event_actors e "
        "  WHERE e.claim_id = c.id AND e.role = 'target' ORDER BY position)) AS target, "
        "EXISTS (SELECT 1 FROM claim_chain h WHERE h.claim_id = c.id AND h.actor_id = :a "
        "  AND c.speaker IS NOT :a) AS relays "
        "FROM claims c JOIN documents d ON d.id = c.doc_id "
        "WHERE c.speaker = :a OR c.id IN (SELECT claim_id FROM claim_event_actors WHERE actor_id = :a) "
        "   OR c.id IN (SELECT claim_id FROM claim_chain WHERE actor_id = :a)", {"a": actor_id})
    items = []
    for r in rows:
        span = date_interval(r["event_date"], r["event_date_precision"])
        if span:
            date, precision, basis = r["event_date"], r["event_date_precision"] or "day", "event"
            first, last = span[0].isoformat(), span[1].isoformat()
        elif r["published"]:
            date, precision, basis = r["published"], "day", "published"
            first = last = r["published"][:10]
        else:
            continue
        if (start and last < start) or (end and first > end):
            continue
        roles = (r["roles"] or "").split(",") if r["roles"] else []
        if r["speaker"] == actor_id:
            roles.insert(0, "speaker")
        if r["relays"]:
            roles.append("chain")
        items.append({
            "date": date, "precision": precision, "date_basis": basis, "sort": first,
            "date_text": r["event_date_text"] if basis == "event" else None,
            "claim_id": r["id"], "doc_id": r["doc_id"], "roles": roles,
            "type": r["event_type"], "stance": r["stance"], "polarity": r["event_polarity"],
            "certainty": r["certainty"], "speaker": r["speaker"],
            "source": r["source"].split(",") if r["source"] else [],
            "target": r["target"].split(",") if r["target"] else [],
            "content": r["content"], "outlet": r["outlet"], "published": r["published"],
            "title": r["title"],
        })
    items.sort(key=lambda i: (i["sort"], i["claim_id"]))
    names = actor_names(store, [i["speaker"] for i in items]
                        + [a for i in items for a in i["source"] + i["target"]])
    for i in items:
        i["speaker_name"] = names.get(i["speaker"], i["speaker"]) if i["speaker"] else None
        i["source"] = [named(a, names) for a in i["source"]]
        i["target"] = [named(a, names) for a in i["target"]]
        del i["sort"]
    return items[:limit] if limit else items


__all__ = ["actors", "actor_profile", "timeline"]
