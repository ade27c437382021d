"""The actor network: who does what to whom, as claimed."""
from __future__ import annotations

import networkx as nx

from ..errors import BadQueryParameter
from ..store import Store
from ._common import PERIOD_END as _END, PERIOD_START as _START, check_date, check_type, marks, resolve_actor

MAX_DEPTH = 5


def _edges(store: Store, kind: str | None, start: str | None, end: str | None) -> list[dict]:
    """Every source → target → type edge, aggregated in SQL (one pass over event actors)."""
    where, params = ["s.role = 'source'"], []
    if kind:
        where.append("c.event_type = ?")
        params.append(kind)
    if start:
        where.append(f"{_END} >= ?")
        params.append(start)
    if end:
        where.append(f"{_START} <= ?")
        params.append(end)
    return store.query(
        "SELECT source, target, type, group_concat(claim_id, char(31)) AS claims, count(*) AS n, "
        "sum(polarity = 'negative') AS denied, min(first) AS start, max(last) AS end, "
        "group_concat(DISTINCT first) AS dates FROM ("
        "  SELECT s.actor_id AS source, t.actor_id AS target, c.event_type AS type, "
        "         c.id AS claim_id, c.event_polarity AS polarity, "
        f"        {_START} AS first, {_END} AS last "
        "    FROM claim_event_actors s "
        "    JOIN claim_event_actors t ON t.claim_id = s.claim_id AND t.role = 'target' "
        "    JOIN claims c ON c.id = s.claim_id JOIN documents d ON d.id = c.doc_id "
        f"   WHERE {' AND '.join(where)} ORDER BY c.id) "
        "GROUP BY source, target, type ORDER BY source, target, type", params)


def network(store: Store, *, actor=None, depth: int = 1, type=None, since=None,
            until=None) -> nx.MultiDiGraph:
    """A MultiDiGraph of actors (nodes: name, country, sector, kind, anonymous) and claimed
    events between them (one edge per source, target and event type, keyed by the type:
    claim ids, count, asserted/denied counts, disputed when any claim denies it, the distinct
    dates and start/end). An event is dated by its event date (the whole period at month or
    year precision) when known, else by publication; ``since``/``until`` keep the claims whose
    period overlaps the range. With ``actor``, the actors within ``depth`` hops (either
    direction) and every edge among them."""
    kind = check_type(type)
    start, end = check_date(since, "since"), check_date(until, "until", end=True)
    try:
        depth = int(depth)
    except (TypeError, ValueError):
        raise BadQueryParameter(f"depth must be an integer (got {depth!r})") from None
    if not 1 <= depth <= MAX_DEPTH:
        raise BadQueryParameter(f"depth must be between 1 and {MAX_DEPTH} (got {depth})")
    edges = _edges(store, kind, start, end)
    keep: set[str] | None = None
    center = None
    if actor is not None:
        center = resolve_actor(store, actor)
        neighbours: dict[str, set[str]] = {}
        for e in edges:
            neighbours.setdefault(e["source"], set()).add(e["target"])
            neighbours.setdefault(e["target"], set()).add(e["source"])
        keep, frontier = {center}, {center}
        for _ in range(depth):
            frontier = {n for a in frontier for n in neighbours.get(a, ())} - keep
            keep |= frontier
        edges = [e for e in edges if e["source"] in keep and e["target"] in keep]

    graph = nx.MultiDiGraph(name="claimgraph actor network")
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges}
                 | ({center} if center else set()))
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
    for e in edges:
        claims = e["claims"].split("\x1f")
        denied = int(e["denied"] or 0)
        graph.add_edge(e["source"], e["target"], key=e["type"], type=e["type"], claims=claims,
                       count=len(claims), asserted=len(claims) - denied, denied=denied,
                       disputed=denied > 0, start=e["start"], end=e["end"],
                       dates=sorted(e["dates"].split(",")) if e["dates"] else [])
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
