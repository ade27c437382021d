"""The query layer (claimgraph.query) and its CLI, on hand-built records (no model)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph import query as q
from claimgraph.cli.main import cli
from claimgraph.errors import BadQueryParameter, NotFound
from claimgraph.store import Store

NK_HAMAS = {"type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"]}
NAMES = {"PRK": "North Korea", "PSE-HAMAS": "Hamas", "KOR-NIS": "National Intelligence Service",
         "PRK-KCNA": "Korean Central News Agency", "ISR": "Israel", "ISR-GOV": "Israeli officials",
         "RUS": "Russia", "KOR-LEG": "a lawmaker", "IRN": "Iran", "USA": "United States"}


@pytest.fixture
def db(tmp_path, make_record):
    path = tmp_path / "cg.db"
    n = lambda ids: {k: NAMES[k] for k in ids}  # noqa: E731
    with Store(path) as store:
        store.write_records([
            make_record("yonhap-1",
                        {"speaker": "KOR-NIS", "chain": ["KOR-LEG", "KOR-NIS"], **NK_HAMAS,
                         "date": "2023-11-01", "certainty": "probable",
                         "content": "North Korea supplied anti-tank weapons to Hamas"},
                        {"speaker": "KOR-NIS", "chain": ["KOR-LEG", "KOR-NIS"], "type": "AID",
                         "source": ["PRK"], "target": ["RUS"], "date": "2023-08",
                         "content": "North Korea shipped artillery shells to Russia since August"},
                        outlet="Yonhap", published="2023-11-01",
                        names=n(["PRK", "PSE-HAMAS", "KOR-NIS", "KOR-LEG", "RUS"])),
            make_record("toi-1",
                        {"speaker": "ISR-GOV", **NK_HAMAS, "via": ["IRN"], "certainty": "possible",
                         "content": "Hamas rockets appear to come from North Korea through Iran"},
                        outlet="The Times of Israel", published="2023-10-12",
                        names=n(["PRK", "PSE-HAMAS", "ISR-GOV", "IRN"])),
            make_record("kcna-1",
                        {"speaker": "PRK-KCNA", "stance": "deny", **NK_HAMAS,
                         "content": "reports that the DPRK armed Hamas are groundless"},
                        {"speaker": "PRK-KCNA", "type": "ACCUSE", "source": ["PRK"], "target": ["USA"],
                         "content": "the United States is spreading lies about the DPRK"},
                        outlet="KCNA", published="2023-11-04",
                        names=n(["PRK", "PSE-HAMAS", "PRK-KCNA", "USA"])),
            make_record("wire-1",
                        {"speaker": None, "type": "ASSAULT", "source": ["PSE-HAMAS"], "target": ["ISR"],
                         "date": "2023-10-07", "content": "Hamas attacked Israel on October 7"},
                        outlet="Wire desk", published="2023-10-08",
                        names=n(["PSE-HAMAS", "ISR"])),
        ])
    return path


@pytest.fixture
def store(db):
    with Store(db, readonly=True) as s:
        yield s


def test_resolve_actor_by_id_name_and_mention(store):
    assert q.resolve_actor(store, "PRK") == "PRK"
    assert q.resolve_actor(store, "prk") == "PRK"
    assert q.resolve_actor(store, "north korea") == "PRK"
    assert q.resolve_actor(store, "Korean Central News Agency") == "PRK-KCNA"
    with pytest.raises(NotFound) as info:
        q.resolve_actor(store, "Atlantis")
    assert info.value.code == "CG502"
    with pytest.raises(BadQueryParameter) as info:
        q.resolve_actor(store, " ")
    assert info.value.code == "CG501"


def test_claims_filters_and_shape(store):
    page = q.claims(store, source="North Korea", target="Hamas")
    assert set(page) == {"total", "items", "limit", "offset"}
    assert page["total"] == 3
    assert [c["id"] for c in page["items"]] == ["kcna-1:1", "yonhap-1:1", "toi-1:1"]   # newest first
    nis = page["items"][1]
    assert nis["speaker_name"] == "National Intelligence Service"
    assert [a["name"] for a in nis["chain"]] == ["a lawmaker", "National Intelligence Service"]
    assert nis["event"]["source"] == [{"id": "PRK", "name": "North Korea"}]
    assert nis["event"]["date"]["value"] == "2023-11-01"
    assert nis["document"] == {"id": "yonhap-1", "title": "title of yonhap-1", "outlet": "Yonhap",
                               "published": "2023-11-01", "url": "https://example.org/yonhap-1"}
    assert len(nis["propositions"]) == 1
    assert nis["content"] == "North Korea supplied anti-tank weapons to Hamas"

    ids = lambda **kw: [c["id"] for c in q.claims(store, **kw)["items"]]  # noqa: E731
    assert ids(speaker="KOR-NIS") == ["yonhap-1:1", "yonhap-1:2"]
    assert ids(stance="deny") == ["kcna-1:1"]
    assert ids(type="accuse") == ["kcna-1:2"]
    assert ids(text="anti-tank weapons") == ["yonhap-1:1"]
    assert ids(since="2023-11", until="2023-11-02") == ["yonhap-1:1", "yonhap-1:2"]
    assert ids(outlet="kcna") == ["kcna-1:1", "kcna-1:2"]
    assert ids(actor="IRN") == ["toi-1:1"]                     # as intermediary
    assert ids(actor="a lawmaker") == ["yonhap-1:1", "yonhap-1:2"]   # in the chain
    assert ids(doc_id="wire-1") == ["wire-1:1"]
    assert ids(proposition=nis["propositions"][0]) == ["kcna-1:1", "yonhap-1:1", "toi-1:1"]
    second = q.claims(store, limit=2, offset=2)
    assert (second["total"], len(second["items"]), second["limit"], second["offset"]) == (6, 2, 2, 2)


@pytest.mark.parametrize("kwargs", [
    {"type": "BOMBING"}, {"stance": "maybe"}, {"since": "2023-13"}, {"until": "yesterday"},
    {"limit": 0}, {"limit": 5000}, {"offset": -1}, {"text": "  "},
])
def test_bad_parameters_are_cg501(store, kwargs):
    with pytest.raises(BadQueryParameter) as info:
        q.claims(store, **kwargs)
    assert info.value.code == "CG501"


def test_user_input_is_never_sql(store):
    assert q.claims(store, outlet="x' OR 1=1 --")["total"] == 0
    assert q.claims(store, text='weapons" OR "x')["total"] == 0
    with pytest.raises(NotFound):
        q.claims(store, speaker="'; DROP TABLE claims; --")
    assert store.query("SELECT count(*) AS n FROM claims") == [{"n": 6}]


def test_propositions_list_and_detail(store):
    page = q.propositions(store, disputed=True)
    assert page["total"] == 1
    (p,) = page["items"]
    assert (p["type"], p["status"], p["independent_sources"]) == ("AID", "disputed", 2)
    assert [s["name"] for s in p["asserting_sources"]] == ["Israel", "National Intelligence Service"]
    assert [s["name"] for s in p["denying_sources"]] == ["Korean Central News Agency"]
    assert p["source"] == [{"id": "PRK", "name": "North Korea"}]
    assert p["date"] == {"start": "2023-11-01", "end": "2023-11-01"}
    assert (p["first_seen"], p["last_seen"]) == ("2023-10-12", "2023-11-04")

    detail = q.proposition(store, p["id"])
    assert [c["id"] for c in detail["asserting"]] == ["toi-1:1", "yonhap-1:1"]   # oldest first
    assert [c["id"] for c in detail["denying"]] == ["kcna-1:1"]
    nis = detail["asserting"][1]
    assert (nis["certainty"], nis["document"]["outlet"], nis["speaker_name"]) == \
        ("probable", "Yonhap", "National Intelligence Service")
    assert nis["text"] == "North Korea supplied anti-tank weapons to Hamas"
    assert nis["source_key"]["name"] == "National Intelligence Service"

    assert q.propositions(store, actor="Russia")["total"] == 1
    assert q.propositions(store, actor="PRK-KCNA")["total"] == 2       # denies one, asserts one
    assert q.propositions(store, status="uncorroborated", type="ASSAULT")["total"] == 1
    with pytest.raises(NotFound):
        q.proposition(store, "p-nope")
    with pytest.raises(BadQueryParameter):
        q.propositions(store, disputed=True, status="corroborated")


def test_actor_profile(store):
    p = q.actor_profile(store, "North Korea")
    assert p["actor"]["id"] == "PRK" and p["actor"]["documents"] == 3
    does = {(r["type"], r["target"]["id"]): (r["claims"], r["asserted"], r["denied"]) for r in p["does"]}
    assert does == {("AID", "PSE-HAMAS"): (3, 2, 1), ("AID", "RUS"): (1, 1, 0), ("ACCUSE", "USA"): (1, 1, 0)}
    assert p["done_to"] == []
    assert p["says"]["total"] == 0
    assert p["said_about"]["total"] == 5
    kcna = q.actor_profile(store, "PRK-KCNA")
    assert [c["id"] for c in kcna["denies"]["items"]] == ["kcna-1:1"]
    assert kcna["says"]["by_stance"] == {"assert": 1, "deny": 1}
    hamas = q.actor_profile(store, "Hamas")
    assert {(r["type"], r["source"]["id"]) for r in hamas["done_to"]} == {("AID", "PRK")}
    assert (hamas["first_seen"], hamas["last_seen"]) == ("2023-10-08", "2023-11-04")
    assert {o["outlet"] for o in hamas["outlets"]} == {"Yonhap", "The Times of Israel", "KCNA", "Wire desk"}


def test_timeline_is_dated_and_sorted(store):
    items = q.timeline(store, "PRK")
    assert [(i["date"], i["precision"], i["date_basis"], i["claim_id"]) for i in items] == [
        ("2023-08", "month", "event", "yonhap-1:2"),
        ("2023-10-12", "day", "published", "toi-1:1"),
        ("2023-11-01", "day", "event", "yonhap-1:1"),
        ("2023-11-04", "day", "published", "kcna-1:1"),
        ("2023-11-04", "day", "published", "kcna-1:2"),
    ]
    assert items[0]["roles"] == ["source"]
    assert [i["claim_id"] for i in q.timeline(store, "PRK", since="2023-10-01", until="2023-11-01")] == \
        ["toi-1:1", "yonhap-1:1"]
    assert [i["roles"] for i in q.timeline(store, "KOR-LEG")] == [["chain"], ["chain"]]


def test_network_and_its_neighbourhood(store):
    g = q.network(store)
    assert sorted(g.nodes) == ["ISR", "PRK", "PSE-HAMAS", "RUS", "USA"]
    edge = g.get_edge_data("PRK", "PSE-HAMAS", key="AID")
    assert (edge["count"], edge["asserted"], edge["denied"], edge["disputed"]) == (3, 2, 1, True)
    assert sorted(edge["claims"]) == ["kcna-1:1", "toi-1:1", "yonhap-1:1"]
    assert (edge["start"], edge["end"]) == ("2023-10-12", "2023-11-04")
    assert g.nodes["PRK"]["name"] == "North Korea"

    near = q.network(store, actor="RUS", depth=1)
    assert sorted(near.nodes) == ["PRK", "RUS"] and near.number_of_edges() == 1
    two = q.network(store, actor="RUS", depth=2)
    assert sorted(two.nodes) == ["PRK", "PSE-HAMAS", "RUS", "USA"]
    assert sorted(q.network(store, type="ASSAULT").edges(keys=True)) == [("PSE-HAMAS", "ISR", "ASSAULT")]
    assert q.network(store, since="2023-11-02").number_of_edges() == 2   # kcna's claims only
    cy = q.network_json(near)
    assert {n["data"]["id"] for n in cy["elements"]["nodes"]} == {"PRK", "RUS"}
    (e,) = cy["elements"]["edges"]
    assert (e["data"]["source"], e["data"]["target"], e["data"]["type"]) == ("PRK", "RUS", "AID")
    json.dumps(cy)
    with pytest.raises(BadQueryParameter):
        q.network(store, actor="PRK", depth=0)


def test_documents_document_and_search(store):
    docs = q.documents(store, actor="Iran")
    assert [d["id"] for d in docs["items"]] == ["toi-1"]
    assert q.documents(store, since="2023-11")["total"] == 2
    assert q.documents(store, text="groundless")["items"][0]["id"] == "kcna-1"
    d = q.document(store, "kcna-1")
    assert d["doc_id"] == "kcna-1" and d["outlet"] == "KCNA" and d["text"].startswith("reports")
    assert d["duplicate_of"] is None and d["copies"] == []
    with pytest.raises(NotFound):
        q.document(store, "nope")

    found = q.search(store, "North Korea")
    assert found["claims"]["total"] == 3 and found["documents"]["total"] == 2
    facets = found["facets"]
    assert {f["value"]: f["count"] for f in facets["type"]} == {"AID": 3}
    assert {f["value"] for f in facets["actor"]} >= {"PRK", "KOR-NIS", "RUS"}
    assert facets["month"] == [{"value": "2023-10", "count": 1}, {"value": "2023-11", "count": 1}]
    assert set(found) == {"query", "claims", "documents", "facets"}
    with pytest.raises(BadQueryParameter):
        q.search(store, "")


def test_cli_commands(db):
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        return result.output

    out = run("propositions", "--disputed")
    assert "North Korea → Hamas" in out and "disputed" in out
    assert "Korean Central News Agency" in out and "National Intelligence Service" in out
    data = json.loads(run("propositions", "--disputed", "--format", "json"))
    assert data["items"][0]["independent_sources"] == 2
    detail = run("propositions", "--id", data["items"][0]["id"])
    assert "groundless" in detail and "anti-tank" in detail
    claims = json.loads(run("claims", "--speaker", "North Korea", "--format", "json"))
    assert claims["total"] == 0
    claims = json.loads(run("claims", "--source", "North Korea", "--stance", "deny", "--format", "json"))
    assert [c["id"] for c in claims["items"]] == ["kcna-1:1"]
    assert "kcna-1:1" in run("claims", "--text", "groundless")
    assert "Korean Central News Agency" in run("actor", "PRK-KCNA")
    assert json.loads(run("actor", "Hamas", "--format", "json"))["actor"]["id"] == "PSE-HAMAS"
    assert "2023-08" in run("timeline", "--actor", "PRK")
    assert "network: 5 actors" in run("network")
    bad = runner.invoke(cli, ["claims", "--db", str(db), "--speaker", "Atlantis"])
    assert bad.exit_code == 1 and "CG502" in bad.output
    bad = runner.invoke(cli, ["claims", "--db", str(db), "--since", "soon"])
    assert bad.exit_code == 1 and "CG501" in bad.output
