"""Exports: claims/events/propositions as JSON, CSV, Parquet; the network as GraphML, GEXF
(dynamic, with edge start/end) and Cytoscape.js JSON. Hand-built records (no model)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from claimgraph import query as q
from claimgraph.cli.main import cli
from claimgraph.errors import BadQueryParameter
from claimgraph.export import export, flat_graph, write_graph
from claimgraph.store import Store

NK_HAMAS = {"type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"]}


@pytest.fixture
def db(tmp_path, make_record):
    path = tmp_path / "cg.db"
    names = {"PRK": "North Korea", "PSE-HAMAS": "Hamas", "KOR-NIS": "National Intelligence Service",
             "PRK-KCNA": "KCNA", "RUS": "Russia", "IRN": "Iran", "ISR": "Israel"}
    with Store(path) as store:
        store.write_records([
            make_record("yonhap-1", {"speaker": "KOR-NIS", **NK_HAMAS, "via": ["IRN"], "date": "2023-11-01"},
                        {"speaker": "KOR-NIS", "type": "AID", "source": ["PRK"], "target": ["RUS"],
                         "date": "2023-08"}, {"speaker": "KOR-NIS"},
                        outlet="Yonhap", published="2023-11-01", names=names),
            make_record("kcna-1", {"speaker": "PRK-KCNA", "stance": "deny", **NK_HAMAS},
                        outlet="KCNA", published="2023-11-04", names=names),
            make_record("wire-1", {"speaker": None, "type": "ASSAULT", "source": ["PSE-HAMAS"],
                                   "target": ["ISR"], "date": "2023-10-07"},
                        published="2023-10-08", names=names),
        ])
    return path


@pytest.fixture
def store(db):
    with Store(db, readonly=True) as s:
        yield s


def test_events_json_is_plover_style(store):
    out = io.StringIO()
    assert export(store, "events", "json", out) == 4
    events = {e["event_id"]: e for e in json.loads(out.getvalue())}
    e = events["yonhap-1:1"]
    assert (e["event_type"], e["event_date"], e["event_date_precision"], e["event_date_basis"]) == \
        ("AID", "2023-11-01", "day", "event")
    assert e["actor"] == [{"id": "PRK", "name": "North Korea", "country": "PRK", "sector": None, "kind": None}]
    assert [a["id"] for a in e["recipient"]] == ["PSE-HAMAS"]
    assert [a["id"] for a in e["via"]] == ["IRN"]
    assert (e["story_id"], e["story_date"], e["source"]) == ("yonhap-1", "2023-11-01", "Yonhap")
    assert e["claim"]["speaker"] == "KOR-NIS" and e["version"] == "claimgraph/1"
    assert len(e["propositions"]) == 1
    denial = events["kcna-1:1"]
    assert (denial["polarity"], denial["event_date"], denial["event_date_basis"]) == \
        ("negative", "2023-11-04", "published")


def test_csv_and_parquet_have_flat_columns(store, tmp_path):
    assert export(store, "claims", "csv", tmp_path / "claims.csv") == 5
    rows = list(csv.DictReader(open(tmp_path / "claims.csv", encoding="utf-8")))
    assert [r["id"] for r in rows] == ["kcna-1:1", "wire-1:1", "yonhap-1:1", "yonhap-1:2", "yonhap-1:3"]
    assert rows[2]["event_via"] == "IRN" and rows[2]["outlet"] == "Yonhap"
    assert rows[4]["event_type"] == ""

    assert export(store, "events", "parquet", tmp_path / "events.parquet") == 4
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.num_rows == 4
    assert {"event_id", "event_type", "actor_id", "recipient_id", "event_date", "story_id"} <= set(table.column_names)
    assert str(table.schema.field("latitude").type) == "double"
    by_id = {r["event_id"]: r for r in table.to_pylist()}
    assert by_id["yonhap-1:2"]["recipient_name"] == "Russia"

    assert export(store, "propositions", "parquet", tmp_path / "p.parquet") == 3
    props = {r["name"]: r for r in pq.read_table(tmp_path / "p.parquet").to_pylist()}
    p = props["PRK → PSE-HAMAS: AID"]
    assert (p["status"], p["independent_sources"], p["denying_sources"]) == ("disputed", 1, "PRK-KCNA")
    assert p["denying_claims"] == "kcna-1:1"

    # An empty export still has its columns.
    assert export(store, "events", "parquet", tmp_path / "none.parquet", type="SANCTION") == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0
    with pytest.raises(BadQueryParameter):
        export(store, "events", "parquet", io.StringIO())
    with pytest.raises(BadQueryParameter):
        export(store, "actors", "csv", io.StringIO())


def test_propositions_json_lists_claims_by_side(store):
    out = io.StringIO()
    export(store, "propositions", "jsonl", out)
    props = [json.loads(line) for line in out.getvalue().splitlines()]
    p = next(p for p in props if p["type"] == "AID" and p["target"][0]["id"] == "PSE-HAMAS")
    assert (p["asserting_claims"], p["denying_claims"]) == (["yonhap-1:1"], ["kcna-1:1"])


def _edges(graph) -> set:
    return {(u, v, k) for u, v, k in graph.edges(keys=True)}


def test_graphml_from_the_cli_reads_back_with_the_same_nodes_and_edges(db, store, tmp_path):
    path = tmp_path / "prk.graphml"
    result = CliRunner().invoke(cli, ["network", "--db", str(db), "--actor", "PRK", "--depth", "1",
                                      "--format", "graphml", "-o", str(path)])
    assert result.exit_code == 0, result.output
    expected = q.network(store, actor="PRK", depth=1)
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(expected.nodes) == {"PRK", "PSE-HAMAS", "RUS"}
    assert _edges(back) == _edges(expected) == {("PRK", "PSE-HAMAS", "AID"), ("PRK", "RUS", "AID")}
    assert back.nodes["PRK"]["name"] == "North Korea"
    edge = back.get_edge_data("PRK", "PSE-HAMAS", key="AID")
    assert (edge["count"], edge["disputed"], edge["claims"]) == (2, True, "kcna-1:1;yonhap-1:1")


def test_gexf_is_dynamic_with_edge_times(store, tmp_path):
    path = tmp_path / "all.gexf"
    graph = q.network(store)
    write_graph(graph, "gexf", path)
    root = ET.parse(path).getroot()
    ns = {"g": root.tag.split("}")[0].strip("{")}
    g = root.find("g:graph", ns)
    assert g.get("mode") == "dynamic" and g.get("timeformat") == "date"
    edges = {(e.get("source"), e.get("target")): e for e in g.find("g:edges", ns)}
    assert set(edges) == {("PRK", "PSE-HAMAS"), ("PRK", "RUS"), ("PSE-HAMAS", "ISR")}
    aid = edges[("PRK", "PSE-HAMAS")]
    assert (aid.get("start"), aid.get("end")) == ("2023-11-01", "2023-11-04")
    assert (edges[("PRK", "RUS")].get("start"), edges[("PRK", "RUS")].get("end")) == ("2023-08-01", "2023-08-31")
    assert aid.get("label") == "AID" and aid.get("type") is None    # GEXF's own `type` is untouched
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.nodes["PRK"]["label"] == "North Korea"


def test_cytoscape_json_and_flat_graph(store, tmp_path):
    graph = q.network(store, actor="Hamas")
    write_graph(graph, "cytoscape", tmp_path / "cy.json")
    data = json.loads((tmp_path / "cy.json").read_text())
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    assert set(nodes) == {"PRK", "PSE-HAMAS", "ISR"} and nodes["PSE-HAMAS"]["label"] == "Hamas"
    edges = {e["data"]["id"]: e["data"] for e in data["elements"]["edges"]}
    assert edges["PSE-HAMAS|ASSAULT|ISR"]["claims"] == ["wire-1:1"]
    assert edges["PRK|AID|PSE-HAMAS"]["disputed"] is True
    flat = flat_graph(graph)
    assert all(not isinstance(v, (list, type(None))) for _, _, d in flat.edges(data=True) for v in d.values())
    with pytest.raises(BadQueryParameter):
        write_graph(graph, "dot", tmp_path / "x.dot")


def test_export_cli(db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "events.csv"
    result = runner.invoke(cli, ["export", "--db", str(db), "events", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(open(out, encoding="utf-8")))) == 4
    result = runner.invoke(cli, ["export", "--db", str(db), "propositions", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 3
    result = runner.invoke(cli, ["network", "--db", str(db), "--format", "cytoscape"])
    assert result.exit_code == 0 and "elements" in json.loads(result.output)
    result = runner.invoke(cli, ["export", "--db", str(db), "claims", "--format", "parquet"])
    assert result.exit_code == 1 and "CG501" in result.output
