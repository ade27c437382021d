"""The actor network (query.network) as GraphML, GEXF, Cytoscape.js JSON or node-link JSON.

GraphML and GEXF take scalar attributes only: lists (claim ids, dates) are joined with ``;``
and missing values become empty strings. The GEXF is dynamic: every edge carries ``start``
and ``end`` (the first and last date of its claims, event date else publication date), which
Gephi's timeline reads; the PLOVER type is written as ``event_type`` because GEXF reserves
an edge's ``type`` for directed/undirected.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import networkx as nx

from ..errors import BadQueryParameter
from ..query import network_json

GRAPH_FORMATS = ("graphml", "gexf", "cytoscape", "json")


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(v) for v in value)
    return value


def flat_graph(graph: nx.MultiDiGraph, *, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy with file-safe attribute values (see the module docstring)."""
    out = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        if gexf:
            attrs["label"] = attrs.pop("name", node)
        out.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if k not in ("start", "end")}
        if gexf:
            attrs["event_type"] = attrs.pop("type", key)
            attrs["label"] = attrs["event_type"]
            # Gephi's timeline: an undated edge gets no interval (it is always visible).
            for bound in ("start", "end"):
                if data.get(bound):
                    attrs[bound] = data[bound]
        else:
            attrs["start"] = data.get("start") or ""
            attrs["end"] = data.get("end") or ""
        out.add_edge(u, v, key=key, **attrs)
    if gexf:
        out.graph["mode"] = "dynamic"
    return out


def write_graph(graph: nx.MultiDiGraph, fmt: str, out: str | Path | IO | None) -> None:
    """Write ``graph`` in ``fmt`` to a path or a stream (binary for graphml/gexf)."""
    if fmt not in GRAPH_FORMATS:
        raise BadQueryParameter(f"format must be one of {', '.join(GRAPH_FORMATS)} (got {fmt!r})")
    if fmt in ("cytoscape", "json"):
        data = network_json(graph) if fmt == "cytoscape" else nx.node_link_data(graph, edges="edges")
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if isinstance(out, (str, Path)):
            Path(out).write_text(text, encoding="utf-8")
        else:
            out.write(text)
        return
    target = str(out) if isinstance(out, Path) else out
    if fmt == "graphml":
        nx.write_graphml(flat_graph(graph), target)
    else:
        nx.write_gexf(flat_graph(graph, gexf=True), target)


__all__ = ["GRAPH_FORMATS", "flat_graph", "write_graph"]
