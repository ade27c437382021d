"""Claims, documents and full-text search."""
from __future__ import annotations

import sqlite3
from typing import Iterator

from ..errors import BadQueryParameter, NotFound
from ..store import Store, fts_escape
from ._common import (CLAIM_COLUMNS, STANCES, actor_names, check_choice, check_date, check_page,
                      check_type, hydrate_claims, page, resolve_actor)

_ORDER = "ORDER BY (d.published IS NULL), d.published DESC, c.doc_id, c.position"


def _published_filter(where: list[str], params: list, since, until) -> None:
    start, end = check_date(since, "since"), check_date(until, "until", end=True)
    if start:
        where.append("d.published >= ?")
        params.append(start)
    if end:
        where.append("d.published <= ?")
        params.append(end)


def _text_filter(where: list[str], params: list, text, alias: str, fts_table: str) -> None:
    if text is not None:
        if not str(text).strip():
            raise BadQueryParameter("text must not be empty")
        where.append(f"{alias}.rowid IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)")
        params.append(fts_escape(str(text)))


def _claim_filters(store: Store, *, speaker=None, source=None, target=None, actor=None,
                   type=None, since=None, until=None, stance=None, text=None, outlet=None,
                   doc_id=None, proposition=None, events_only=False) -> tuple[list[str], list]:
    where, params = [], []
    if speaker is not None:
        where.append("c.speaker = ?")
        params.append(resolve_actor(store, speaker))
    for role, value in (("source", source), ("target", target)):
        if value is not None:
            where.append("c.id IN (SELECT claim_id FROM claim_event_actors WHERE actor_id = ? "
                         "AND role = ?)")
            params += [resolve_actor(store, value), role]
    if actor is not None:
        actor_id = resolve_actor(store, actor)
        # One IN over a UNION of indexed lookups: an OR of EXISTS makes SQLite scan claims.
        where.append("c.id IN (SELECT id FROM claims WHERE speaker = ? UNION SELECT claim_id "
                     "FROM claim_event_actors WHERE actor_id = ? UNION SELECT claim_id FROM "
                     "claim_chain WHERE actor_id = ?)")
        params += [actor_id] * 3
    kind = check_type(type)
    if kind:
        where.append("c.event_type = ?")
        params.append(kind)
    elif events_only:
        where.append("c.has_event = 1")
    _published_filter(where, params, since, until)
    stance = check_choice(stance, "stance", STANCES)
    if stance:
        where.append("c.stance = ?")
        params.append(stance)
    _text_filter(where, params, text, "c", "claims_fts")
    if outlet is not None:
        where.append("d.outlet = ? COLLATE NOCASE")
        params.append(str(outlet))
    if doc_id is not None:
        where.append("c.doc_id = ?")
        params.append(str(doc_id))
    if proposition is not None:
        where.append("c.id IN (SELECT claim_id FROM proposition_claims WHERE proposition_id = ?)")
        params.append(str(proposition))
    return where, params


def claims(store: Store, *, speaker=None, source=None, target=None, actor=None, type=None,
           since=None, until=None, stance=None, text=None, outlet=None, doc_id=None,
           proposition=None, limit=50, offset=0) -> dict:
    """Claims matching every filter given, newest publication first.

    Actors (speaker, source, target, actor = any role: speaker, chain or event) are ids or
    names; ``type`` a PLOVER event type; ``since``/``until`` publication dates (YYYY[-MM[-DD]],
    inclusive); ``stance`` assert|deny; ``text`` words all found in the content or speaker
    text (full-text search); ``proposition`` a proposition id.
    """
    limit, offset = check_page(limit, offset)
    where, params = _claim_filters(
        store, speaker=speaker, source=source, target=target, actor=actor, type=type,
        since=since, until=until, stance=stance, text=text, outlet=outlet, doc_id=doc_id,
        proposition=proposition)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    base = f"FROM claims c JOIN documents d ON d.id = c.doc_id {clause}"
    total = store.conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    rows = store.conn.execute(f"SELECT {CLAIM_COLUMNS} {base} {_ORDER} LIMIT ? OFFSET ?",
                              [*params, limit, offset]).fetchall()
    return page(total, hydrate_claims(store, rows), limit, offset)


def iter_claims(store: Store, *, events_only: bool = False, batch: int = 500,
                **filters) -> Iterator[dict]:
    """Every matching claim, hydrated, in a stable order (for exports): ``claims`` without
    pagination; ``events_only`` keeps claims that carry an event."""
    where, params = _claim_filters(store, events_only=events_only, **filters)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cursor = store.conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.doc_id {clause} "
        "ORDER BY c.doc_id, c.position", params)
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        yield from hydrate_claims(store, rows)


_DOC_COLUMNS = ("d.id, d.title, d.url, d.outlet, d.published, d.n_actors, d.n_claims, "
                "CASE WHEN dc.cluster != d.id THEN dc.cluster END AS duplicate_of")


def documents(store: Store, *, text=None, outlet=None, since=None, until=None, actor=None,
              limit=50, offset=0) -> dict:
    """Documents, newest first; ``text`` full-text over title and body, ``actor`` one the
    document refers to. Each item says which document it is a near-duplicate of, if any."""
    limit, offset = check_page(limit, offset)
    where, params = [], []
    _text_filter(where, params, text, "d", "documents_fts")
    if outlet is not None:
        where.append("d.outlet = ? COLLATE NOCASE")
        params.append(str(outlet))
    _published_filter(where, params, since, until)
    if actor is not None:
        where.append("d.id IN (SELECT doc_id FROM document_actors WHERE actor_id = ?)")
        params.append(resolve_actor(store, actor))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    base = f"FROM documents d LEFT JOIN document_copies dc ON dc.doc_id = d.id {clause}"
    total = store.conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    items = store.query(f"SELECT {_DOC_COLUMNS} {base} ORDER BY (d.published IS NULL), "
                        "d.published DESC, d.id LIMIT ? OFFSET ?", [*params, limit, offset])
    return page(total, items, limit, offset)


def document(store: Store, doc_id) -> dict:
    """The stored record of a document (every field, text included) plus what the store
    knows about it: near-duplicate cluster and copies."""
    if not isinstance(doc_id, str) or not doc_id:
        raise BadQueryParameter(f"document id must be a non-empty string (got {doc_id!r})")
    record = store.get_record(doc_id)
    if record is None:
        raise NotFound(f"no document {doc_id!r}")
    meta = store.query(f"SELECT {_DOC_COLUMNS}, dc.cluster FROM documents d LEFT JOIN "
                       "document_copies dc ON dc.doc_id = d.id WHERE d.id = ?", (doc_id,))[0]
    cluster = meta.pop("cluster") or doc_id
    copies = [r["doc_id"] for r in store.query(
        "SELECT doc_id FROM document_copies WHERE cluster = ? AND doc_id != ? ORDER BY doc_id",
        (cluster, doc_id))]
    return {**record, **{k: meta[k] for k in ("title", "url", "outlet", "published")},
            "n_actors": meta["n_actors"], "n_claims": meta["n_claims"],
            "duplicate_of": meta["duplicate_of"], "copies": copies}


def _facet(store: Store, sql: str, params) -> list[dict]:
    return [{"value": r[0], "count": r[1]} for r in store.conn.execute(sql, params)]


def search(store: Store, q, *, facets: bool = True, limit=50, offset=0) -> dict:
    """Full-text search over claims (content, speaker text) and documents (title, text):
    all words must match. Returns both result pages, best match first, and with ``facets``
    counts of the matching claims by actor (speaker or event actor), event type and stance,
    and of the matching documents by outlet and publication month."""
    limit, offset = check_page(limit, offset)
    if not isinstance(q, str) or not q.strip():
        raise BadQueryParameter("the search query must not be empty")
    match = fts_escape(q)
    conn = store.conn
    claim_hits = ("SELECT rowid, bm25(claims_fts) AS rank FROM claims_fts WHERE claims_fts MATCH ?")
    doc_hits = ("SELECT rowid, bm25(documents_fts) AS rank FROM documents_fts "
                "WHERE documents_fts MATCH ?")
    try:
        n_claims = conn.execute(f"SELECT count(*) FROM ({claim_hits})", (match,)).fetchone()[0]
        rows = conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM ({claim_hits}) h JOIN claims c ON c.rowid = h.rowid "
            "JOIN documents d ON d.id = c.doc_id ORDER BY h.rank, c.id LIMIT ? OFFSET ?",
            (match, limit, offset)).fetchall()
        n_docs = conn.execute(f"SELECT count(*) FROM ({doc_hits})", (match,)).fetchone()[0]
        docs = store.query(
            f"SELECT {_DOC_COLUMNS} FROM ({doc_hits}) h JOIN documents d ON d.rowid = h.rowid "
            "LEFT JOIN document_copies dc ON dc.doc_id = d.id ORDER BY h.rank, d.id LIMIT ? OFFSET ?",
            (match, limit, offset))
    except sqlite3.OperationalError as exc:
        raise BadQueryParameter(f"bad search query {q!r}: {exc}") from exc
    out = {"query": q, "claims": page(n_claims, hydrate_claims(store, rows), limit, offset),
           "documents": page(n_docs, docs, limit, offset)}
    if facets:
        hit_claims = (f"SELECT c.id, c.speaker, c.event_type, c.stance FROM ({claim_hits}) h "
                      "JOIN claims c ON c.rowid = h.rowid")
        actors = _facet(store, f"SELECT actor, count(DISTINCT id) AS n FROM ("
                        f"SELECT x.id, x.speaker AS actor FROM ({hit_claims}) x WHERE x.speaker IS NOT NULL "
                        f"UNION SELECT x.id, e.actor_id FROM ({hit_claims}) x "
                        f"JOIN claim_event_actors e ON e.claim_id = x.id) "
                        f"GROUP BY actor ORDER BY n DESC, actor LIMIT 50", (match, match))
        names = actor_names(store, [a["value"] for a in actors])
        for a in actors:
            a["name"] = names.get(a["value"], a["value"])
        out["facets"] = {
            "actor": actors,
            "type": _facet(store, f"SELECT event_type, count(*) AS n FROM ({hit_claims}) "
                           "WHERE event_type IS NOT NULL GROUP BY event_type ORDER BY n DESC, event_type",
                           (match,)),
            "stance": _facet(store, f"SELECT stance, count(*) AS n FROM ({hit_claims}) "
                             "WHERE stance IS NOT NULL GROUP BY stance ORDER BY n DESC, stance", (match,)),
            "outlet": _facet(store, f"SELECT d.outlet, count(*) AS n FROM ({doc_hits}) h JOIN "
                             "documents d ON d.rowid = h.rowid WHERE d.outlet IS NOT NULL "
                             "GROUP BY d.outlet ORDER BY n DESC, d.outlet", (match,)),
            "month": _facet(store, f"SELECT substr(d.published, 1, 7) AS month, count(*) AS n "
                            f"FROM ({doc_hits}) h JOIN documents d ON d.rowid = h.rowid "
                            "WHERE d.published IS NOT NULL GROUP BY month ORDER BY month", (match,)),
        }
    return out


__all__ = ["claims", "iter_claims", "documents", "document", "search"]
