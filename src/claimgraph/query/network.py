"""The actor network: who does what to whom, as claimed."""
from __future__ import annotations

import networkx as nx

from ..errors import BadQueryParameter
from ..store import Store
from ..store.propositions import date_interval
from ._common import check_date, check_type, marks, resolve_actor

MAX_DEPTH = 5


def _edge_rows(store: Store, kind: str | None, actors: set[str] | None) -> list[dict]:
    where, params = ["s.role = 'source'"], []
    if kind:
        where.append("c.event_type = ?")
        params.append(kind)
    if actors is not None:
        ids = sorted(actors)
        where.append(f"(s.actor_id IN ({marks(ids)}) OR t.actor_id IN ({marks(ids)}))")
        params += ids + ids
    return store.query(
        "SELECT s.actor_id AS source, t.actor_id AS target, c.id AS claim_id, c.event_type AS type, "
        "c.event_polarity AS polarity, c.event_date, c.event_date_precision, d.published "
        "FROM claim_event_actors s "
        "JOIN claim_event_actors t ON t.claim_id = s.claim_id AND t.role = 'target' "
        "JOIN claims c ON c.id = s.claim_id JOIN documents d ON d.id = c.doc_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.id, s.actor_id, t.actor_id", params)


def _dated(row: dict) -> tuple[str, str] | None:
    span = date_interval(row["event_date"], row["event_date_precision"])
    if span:
        return span[0].isoformat(), span[1].isoformat()
    if row["published"]:
        return row["published"][:10], row["published"][:10]
    return None


def network(store: Store, *, actor=None, depth: int = 1, type=None, since=None,
            until=None) -> nx.MultiDiGraph:
    """A MultiDiGraph of actors (nodes: name, country, sector, kind, anonymous) and claimed
    events between them (one edge per source, target and event type, keyed by the type:
    claim ids, count, asserted/denied counts, disputed when any claim denies it, the dates
    and start/end). An event is dated by the event date when known, else by publication;
    ``since``/``until`` keep the claims whose date falls in range. With ``actor``, the
    neighbourhood within ``depth`` hops (either direction)."""
    kind = check_type(type)
    start, end = check_date(since, "since"), check_date(until, "until", end=True)
    try:
        depth = int(depth)
    except (TypeError, ValueError):
        raise BadQueryParameter(f"depth must be an integer (got {depth!r})") from None
    if not 1 <= depth <= MAX_DEPTH:
        raise BadQueryParameter(f"depth must be between 1 and {MAX_DEPTH} (got {depth})")

    def keep(row) -> tuple[str, str] | None:
        dates = _dated(row)
        if (start or end) and dates is None:
            return None
        if dates and ((start and dates[1] < start) or (end and dates[0] > end)):
            return None
        return dates or ("", "")

    rows: list[tuple[dict, tuple[str, str]]] = []
    if actor is None:
        rows = [(r, d) for r in _edge_rows(store, kind, None) if (d := keep(r))]
    else:
        center = resolve_actor(store, actor)
        reached, frontier, seen_claims = {center}, {center}, set()
        for _ in range(depth):
            found = set()
            for r in _edge_rows(store, kind, frontier):
                dates = keep(r)
                if not dates:
                    continue
                marker = (r["claim_id"], r["source"], r["target"])
                if marker not in seen_claims:
                    seen_claims.add(marker)
                    rows.append((r, dates))
                found.update((r["source"], r["target"]))
            frontier = found - reached
            reached |= found
            if not frontier:
                break
        # Edges between actors at the rim are part of the neighbourhood too.
        for r in _edge_rows(store, kind, frontier) if frontier else ():
            if r["source"] in reached and r["target"] in reached:
                dates = keep(r)
                marker = (r["claim_id"], r["source"], r["target"])
                if dates and marker not in seen_claims:
                    seen_claims.add(marker)
                    rows.append((r, dates))

    graph = nx.MultiDiGraph(name="claimgraph actor network")
    edges: dict[tuple[str, str, str], dict] = {}
    for r, (first, last) in rows:
        key = (r["source"], r["target"], r["type"])
        edge = edges.setdefault(key, {"type": r["type"], "claims": [], "dates": [], "asserted": 0,
                                      "denied": 0, "start": None, "end": None})
        if r["claim_id"] in edge["claims"]:
            continue
        edge["claims"].append(r["claim_id"])
        edge["asserted" if r["polarity"] != "negative" else "denied"] += 1
        if first:
            edge["dates"].append(first)
            edge["start"] = min(filter(None, (edge["start"], first)))
            edge["end"] = max(filter(None, (edge["end"], last)))
    ids = sorted({a for key in edges for a in key[:2]} | ({center} if actor is not None else set()))
    attrs = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.query(f"SELECT id, name, country, sector, kind, anonymous FROM actors "
                             f"WHERE id IN ({marks(chunk)})", chunk):
            attrs[r["id"]] = r
    for actor_id in ids:
        a = attrs.get(actor_id, {})
        graph.add_node(actor_id, name=a.get("name") or actor_id, country=a.get("country"),
                       sector=a.get("sector"), kind=a.get("kind"),
                       anonymous=bool(a.get("anonymous")))
    for (source, target, event_type), edge in sorted(edges.items()):
        edge["dates"].sort()
        graph.add_edge(source, target, key=event_type, count=len(edge["claims"]),
                       disputed=edge["denied"] > 0, **edge)
    return graph


def network_json(graph: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements JSON ({"elements": {"nodes": [...], "edges": [...]}}): node data
    carry id, label and the actor attributes; edge data id, source, target, type, count,
    asserted, denied, disputed, claims, dates, start, end."""
    nodes = [{"data": {"id": n, "label": d.get("name") or n,
                       **{k: v for k, v in d.items() if k != "name"}}}
             for n, d in graph.nodes(data=True)]
    edges = []
    for u, v, key, d in graph.edges(keys=True, data=True):
        edges.append({"data": {"id": f"{u}|{key}|{v}", "source": u, "target": v,
                               "label": d.get("type", key), **d}})
    return {"elements": {"nodes": nodes, "edges": edges},
            "data": {"name": graph.graph.get("name")}}


__all__ = ["network", "network_json"]
