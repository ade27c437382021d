"""Propositions: events as claimed across documents (see store/propositions.py for how they
are built: same event, compatible dates, independent sources, status)."""
from __future__ import annotations

import json
from typing import Iterator

from ..errors import BadQueryParameter, NotFound
from ..store import Store
from ..store.propositions import fold_actor
from ._common import (STATUSES, actor_names, check_choice, check_page, check_type, claims_by_id,
                      marks, named, page, require_propositions, resolve_actor)

_ORDER = ("ORDER BY (p.status = 'disputed') DESC, p.independent_sources DESC, p.n_claims DESC, "
          "p.last_seen DESC, p.id")


def _source(key: str, names: dict[str, str]) -> dict:
    """A source key → {"key", "id", "name"}: an actor id, or an outlet/document voice."""
    if key.startswith("outlet:"):
        return {"key": key, "id": None, "name": key[len("outlet:"):], "kind": "outlet"}
    if key.startswith("doc:"):
        return {"key": key, "id": None, "name": f"document {key[4:]}", "kind": "document"}
    return {"key": key, "id": key, "name": names.get(key, key), "kind": "actor"}


def _items(store: Store, rows: list[dict]) -> list[dict]:
    keys = set()
    for r in rows:
        for field in ("source", "target", "asserting", "denying"):
            r[field] = json.loads(r[field])
            keys.update(r[field])
    names = actor_names(store, keys)
    out = []
    for r in rows:
        out.append({
            "id": r["id"], "name": r["name"], "type": r["type"],
            "source": [named(a, names) for a in r["source"]],
            "target": [named(a, names) for a in r["target"]],
            "date": ({"start": r["date_start"], "end": r["date_end"]} if r["date_start"] else None),
            "status": r["status"],
            "independent_sources": r["independent_sources"],
            "independent_denying": r["independent_denying"],
            "n_claims": r["n_claims"], "n_asserting": r["n_asserting"],
            "n_denying": r["n_denying"], "n_documents": r["n_documents"],
            "independent_documents": r["independent_documents"],
            "asserting_sources": [_source(k, names) for k in r["asserting"]],
            "denying_sources": [_source(k, names) for k in r["denying"]],
            "first_seen": r["first_seen"], "last_seen": r["last_seen"],
            "key": r["prop_key"],
        })
    return out


def _filters(store: Store, disputed, actor, type, status) -> tuple[list[str], list]:
    where, params = [], []
    status = check_choice(status, "status", STATUSES)
    if disputed:
        if status and status != "disputed":
            raise BadQueryParameter(f"disputed contradicts status={status}")
        status = "disputed"
    if status:
        where.append("p.status = ?")
        params.append(status)
    kind = check_type(type)
    if kind:
        where.append("p.type = ?")
        params.append(kind)
    if actor is not None:
        actor_id = fold_actor(resolve_actor(store, actor))
        # Involved as source or target, or speaking for or against it.
        where.append("(p.id IN (SELECT proposition_id FROM proposition_actors WHERE actor_id = ?) "
                     "OR p.id IN (SELECT proposition_id FROM proposition_claims WHERE source_key = ?))")
        params += [actor_id, actor_id]
    return where, params


def propositions(store: Store, *, disputed=False, actor=None, type=None, status=None,
                 limit=50, offset=0) -> dict:
    """Propositions, disputed first, then by independent sources. ``actor`` (id or name)
    matches propositions it is a source or target of, or that it asserts or denies."""
    require_propositions(store)
    limit, offset = check_page(limit, offset)
    where, params = _filters(store, disputed, actor, type, status)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = store.conn.execute(f"SELECT count(*) FROM propositions p {clause}", params).fetchone()[0]
    rows = store.query(f"SELECT p.* FROM propositions p {clause} {_ORDER} LIMIT ? OFFSET ?",
                       [*params, limit, offset])
    return page(total, _items(store, rows), limit, offset)


def iter_propositions(store: Store, **filters) -> Iterator[dict]:
    """Every matching proposition (for exports), with its claim ids by polarity."""
    require_propositions(store)
    where, params = _filters(store, filters.get("disputed"), filters.get("actor"),
                             filters.get("type"), filters.get("status"))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = store.query(f"SELECT p.* FROM propositions p {clause} ORDER BY p.id", params)
    for i in range(0, len(rows), 500):
        chunk = _items(store, rows[i:i + 500])
        ids = [p["id"] for p in chunk]
        claims: dict[str, dict[str, list]] = {p: {"positive": [], "negative": []} for p in ids}
        for r in store.conn.execute(
                f"SELECT proposition_id, claim_id, polarity FROM proposition_claims "
                f"WHERE proposition_id IN ({marks(ids)}) ORDER BY proposition_id, claim_id", ids):
            claims[r[0]].setdefault(r[2], []).append(r[1])
        for p in chunk:
            p["asserting_claims"] = claims[p["id"]]["positive"]
            p["denying_claims"] = claims[p["id"]]["negative"]
            yield p


def proposition(store: Store, prop_id) -> dict:
    """One proposition with the claims asserting and denying it, each with its speaker,
    chain, certainty, outlet, publication date, spans and the attribution's text."""
    require_propositions(store)
    if not isinstance(prop_id, str) or not prop_id:
        raise BadQueryParameter(f"proposition id must be a non-empty string (got {prop_id!r})")
    rows = store.query("SELECT * FROM propositions p WHERE p.id = ?", (prop_id,))
    if not rows:
        raise NotFound(f"no proposition {prop_id!r}")
    item = _items(store, rows)[0]
    links = store.query(
        "SELECT pc.claim_id, pc.polarity, pc.source_key FROM proposition_claims pc "
        "JOIN claims c ON c.id = pc.claim_id JOIN documents d ON d.id = c.doc_id "
        "WHERE pc.proposition_id = ? ORDER BY (d.published IS NULL), d.published, pc.claim_id",
        (prop_id,))
    claims = {c["id"]: c for c in claims_by_id(store, [r["claim_id"] for r in links], text=True)}
    names = actor_names(store, [r["source_key"] for r in links])
    item["asserting"], item["denying"] = [], []
    for link in links:
        claim = claims.get(link["claim_id"])
        if claim is None:
            continue
        claim["source_key"] = _source(link["source_key"], names)
        (item["denying"] if link["polarity"] == "negative" else item["asserting"]).append(claim)
    return item


__all__ = ["propositions", "proposition", "iter_propositions"]
