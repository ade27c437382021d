"""The workbench API and pages over a small hand-written store (no model needed, except the
one POST test that runs the real pipeline)."""
from __future__ import annotations

import json

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from claimgraph.api import create_app  # noqa: E402
from claimgraph.settings import load_settings  # noqa: E402
from claimgraph.store import Store  # noqa: E402

NIS_TEXT = ("South Korea's spy agency said on Wednesday that North Korea supplied weapons to "
            "Hamas. North Korea denied supplying weapons to Hamas.")
KCNA_TEXT = "The puppet intelligence service lied, KCNA said. North Korea never armed Hamas."


def span(text: str, part: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return [start, start + len(part)]


def actor(actor_id, name, text, kind="state", country=None):
    mentions, at = [], text.find(name)
    while at >= 0:
        mentions.append([at, at + len(name)])
        at = text.find(name, at + 1)
    return {"id": actor_id, "name": name, "country": country or actor_id[:3], "sector": "GOV",
            "kind": kind, "mentions": mentions}


def aid(source, target, trigger, negated=False):
    return {"type": "AID", "mode": None, "context": ["military"], "source": source,
            "target": target, "via": [], "modality": "actual",
            "date": {"value": "2023-11-01", "precision": "day", "text": "Wednesday"},
            "location": None, "materiel": [], "trigger_span": trigger, "cameo": "0712",
            "negated": negated}


def nis_record() -> dict:
    t = NIS_TEXT
    return {
        "schema": "claimgraph/1", "doc_id": "yonhap-1", "title": "NIS: North Korea arms Hamas",
        "url": "https://example.org/yonhap-1", "outlet": "Yonhap", "published": "2023-11-02",
        "text": t,
        "actors": [actor("KOR-NIS", "South Korea's spy agency", t, "organisation", "KOR"),
                   actor("PRK", "North Korea", t), actor("PSE-HAMAS", "Hamas", t, "armed_group", "PSE")],
        "claims": [
            {"id": "yonhap-1:1", "speaker": "KOR-NIS", "speaker_text": "South Korea's spy agency",
             "chain": ["KOR-NIS"], "cue": "say", "quote": "indirect", "stance": "assert",
             "certainty": "probable", "span": span(t, t.split(".")[0] + "."),
             "source_span": span(t, "South Korea's spy agency"), "cue_span": span(t, "said"),
             "content_span": span(t, "North Korea supplied weapons to Hamas"), "confidence": 0.9,
             "framing": [], "event": aid(["PRK"], ["PSE-HAMAS"], span(t, "supplied"))},
            {"id": "yonhap-1:2", "speaker": "PRK", "speaker_text": "North Korea",
             "chain": ["PRK"], "cue": "deny", "quote": "indirect", "stance": "deny",
             "certainty": "certain", "span": span(t, "North Korea denied supplying weapons to Hamas."),
             "source_span": span(t, "North Korea", 1), "cue_span": span(t, "denied"),
             "content_span": span(t, "supplying weapons to Hamas"), "confidence": 0.9,
             "framing": [], "event": aid(["PRK"], ["PSE-HAMAS"], span(t, "supplying"))},
        ],
    }


def kcna_record() -> dict:
    t = KCNA_TEXT
    return {
        "schema": "claimgraph/1", "doc_id": "kcna-1", "title": "KCNA slams puppets",
        "url": "https://example.org/kcna-1", "outlet": "KCNA", "published": "2023-11-04",
        "text": t,
        "actors": [actor("PRK-KCNA", "KCNA", t, "media", "PRK"), actor("PRK", "North Korea", t),
                   actor("PSE-HAMAS", "Hamas", t, "armed_group", "PSE")],
        "claims": [
            {"id": "kcna-1:1", "speaker": "PRK-KCNA", "speaker_text": "KCNA", "chain": ["PRK-KCNA"],
             "cue": "say", "quote": "indirect", "stance": "assert", "certainty": "certain",
             "span": span(t, t.split(".")[0] + "."), "source_span": span(t, "KCNA"),
             "cue_span": span(t, "said"), "content_span": span(t, "The puppet intelligence service lied"),
             "confidence": 0.8,
             "framing": [{"text": "puppet intelligence service",
                          "span": span(t, "puppet intelligence service"), "target": "KOR-NIS"}],
             "event": None},
            {"id": "kcna-1:2", "speaker": None, "speaker_text": None, "chain": [], "cue": None,
             "quote": "none", "stance": "assert", "certainty": "certain",
             "span": span(t, "North Korea never armed Hamas."), "source_span": None,
             "cue_span": None, "content_span": span(t, "North Korea never armed Hamas."),
             "confidence": 0.7, "framing": [],
             "event": aid(["PRK"], ["PSE-HAMAS"], span(t, "armed"), negated=True)},
        ],
    }


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "api.db"
    with Store(path) as store:
        result = store.write_records([nis_record(), kcna_record()], strict=True)
    assert result.documents == 2
    return path


@pytest.fixture()
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def error_of(response) -> dict:
    return response.json()["error"]


# -- JSON API ----------------------------------------------------------------------------------
def test_health_and_openapi(client):
    assert client.get("/api/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/claims", "/api/actors/{actor}",
                 "/api/propositions", "/api/propositions/{prop_id}", "/api/network",
                 "/api/timeline", "/api/search"):
        assert path in paths, path
    assert "post" in paths["/api/documents"]
    # Pages are not part of the API description.
    assert "/actors/{actor}" not in paths


def test_documents_list_and_one(client):
    body = client.get("/api/documents").json()
    assert body["total"] == 2 and body["limit"] == 50 and body["offset"] == 0
    assert [d["id"] for d in body["items"]] == ["kcna-1", "yonhap-1"]   # newest first
    one = client.get("/api/documents/yonhap-1").json()
    assert one["doc_id"] == "yonhap-1" and one["text"] == NIS_TEXT
    assert len(one["claims"]) == 2
    assert client.get("/api/documents", params={"outlet": "KCNA"}).json()["total"] == 1
    assert client.get("/api/documents", params={"limit": 1, "offset": 1}).json()["items"][0]["id"] == "yonhap-1"


def test_claims_filters_as_in_the_cli(client):
    assert client.get("/api/claims").json()["total"] == 4
    denials = client.get("/api/claims", params={"stance": "deny"}).json()
    assert [c["id"] for c in denials["items"]] == ["yonhap-1:2"]
    by_speaker = client.get("/api/claims", params={"speaker": "South Korea's spy agency"}).json()
    assert [c["id"] for c in by_speaker["items"]] == ["yonhap-1:1"]
    aid_to_hamas = client.get("/api/claims", params={"type": "AID", "target": "PSE-HAMAS"}).json()
    assert aid_to_hamas["total"] == 3
    assert client.get("/api/claims", params={"text": "puppet"}).json()["items"][0]["id"] == "kcna-1:1"
    assert client.get("/api/claims", params={"since": "2023-11-03"}).json()["total"] == 2


def test_propositions_and_dispute(client):
    disputed = client.get("/api/propositions", params={"disputed": "true"}).json()
    assert disputed["total"] == 1
    prop = disputed["items"][0]
    assert prop["type"] == "AID" and prop["status"] == "disputed"
    assert [a["id"] for a in prop["source"]] == ["PRK"]
    assert [a["id"] for a in prop["target"]] == ["PSE-HAMAS"]
    one = client.get(f"/api/propositions/{prop['id']}").json()
    assert [c["id"] for c in one["asserting"]] == ["yonhap-1:1"]
    assert sorted(c["id"] for c in one["denying"]) == ["kcna-1:2", "yonhap-1:2"]


def test_actor_profile_network_timeline(client):
    profile = client.get("/api/actors/PRK").json()
    assert profile["actor"]["name"] == "North Korea"
    assert profile["does"][0]["type"] == "AID" and profile["does"][0]["target"]["id"] == "PSE-HAMAS"
    assert profile["denies"]["total"] == 1
    # Names resolve like ids.
    assert client.get("/api/actors/North Korea").json()["actor"]["id"] == "PRK"
    graph = client.get("/api/actors/PRK/network").json()
    nodes = {n["data"]["id"] for n in graph["elements"]["nodes"]}
    assert nodes == {"PRK", "PSE-HAMAS"}
    (edge,) = graph["elements"]["edges"]
    assert edge["data"]["type"] == "AID" and edge["data"]["disputed"] is True
    assert client.get("/api/network", params={"actor": "PRK"}).json() == graph
    timeline = client.get("/api/timeline", params={"actor": "PRK"}).json()
    assert {i["claim_id"] for i in timeline} == {"yonhap-1:1", "yonhap-1:2", "kcna-1:2"}
    assert client.get("/api/actors/PRK/timeline").json() == timeline


def test_search_with_facets(client):
    body = client.get("/api/search", params={"q": "Hamas"}).json()
    assert body["claims"]["total"] == 3 and body["documents"]["total"] == 2
    assert {f["value"]: f["count"] for f in body["facets"]["stance"]} == {"assert": 2, "deny": 1}
    assert {f["value"] for f in body["facets"]["outlet"]} == {"Yonhap", "KCNA"}


def test_results_are_fresh_after_any_commit(client, db):
    assert client.get("/api/documents").json()["total"] == 2
    assert client.get("/api/documents").json()["total"] == 2      # now from the cache
    extra = kcna_record()
    extra["doc_id"] = "kcna-2"
    for claim in extra["claims"]:
        claim["id"] = claim["id"].replace("kcna-1", "kcna-2")
    with Store(db) as other:   # another connection, as `claimgraph ingest` would be
        other.write_records([extra], strict=True)
    assert client.get("/api/documents").json()["total"] == 3
    assert "kcna-2" in client.get("/documents").text


def test_actor_list(client):
    body = client.get("/api/actors", params={"text": "korea"}).json()
    assert [a["id"] for a in body["items"]] == ["PRK", "KOR-NIS"]


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, status, code", [
    ("/api/documents/missing", 404, "CG502"),
    ("/api/actors/Atlantis", 404, "CG502"),
    ("/api/propositions/p-nothing", 404, "CG502"),
    ("/api/claims?since=yesterday", 400, "CG501"),
    ("/api/claims?type=HUG", 400, "CG501"),
    ("/api/claims?limit=0", 400, "CG501"),
    ("/api/claims?limit=100000", 400, "CG501"),
    ("/api/claims?offset=-1", 400, "CG501"),
    ("/api/claims?stance=maybe", 400, "CG501"),
    ("/api/network?depth=9", 400, "CG501"),
    ("/api/search?q=", 400, "CG501"),
    ("/api/nothing-here", 404, "CG502"),
])
def test_errors_are_json_with_codes(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert error_of(response)["code"] == code
    assert error_of(response)["message"]


def test_page_errors_are_html(client):
    response = client.get("/actors/Atlantis")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "CG502" in response.text


def test_post_refuses_bad_bodies(client):
    cases = [
        ({"content": b"[1, 2]", "headers": {"content-type": "application/json"}}, 422, "CG105"),
        ({"content": b"{nope", "headers": {"content-type": "application/json"}}, 422, "CG105"),
        ({"json": {"text": 5}}, 422, "CG105"),
        ({"json": {"title": "no text"}}, 422, "CG105"),
        ({"json": {"text": "   "}}, 422, "CG101"),
        ({"json": {"text": "Words.", "published": "someday"}}, 400, "CG501"),
        ({"content": b"x", "headers": {"content-type": "image/png"}}, 422, "CG105"),
    ]
    for kwargs, status, code in cases:
        response = client.post("/api/documents", **kwargs)
        assert (response.status_code, error_of(response)["code"]) == (status, code), kwargs


def test_post_too_large_is_refused_with_cg504(db):
    settings = load_settings().replace(api_max_body_bytes=1000)
    with TestClient(create_app(db, settings=settings)) as c:
        response = c.post("/api/documents", json={"text": "x" * 2000})
        assert response.status_code == 413
        assert error_of(response)["code"] == "CG504"

        # A body streamed without Content-Length is cut off as it passes the limit.
        def chunks():
            for _ in range(5):
                yield b"y" * 400

        response = c.post("/api/documents", content=chunks(), headers={"content-type": "text/plain"})
        assert response.status_code == 413 and error_of(response)["code"] == "CG504"


@pytest.mark.slow
def test_post_extracts_and_stores(db, nlp):
    app = create_app(db)
    app.state.cg._nlp = nlp   # the session's pipeline, instead of loading another
    with TestClient(app) as c:
        text = ("North Korea has supplied rockets to Hamas, South Korea's spy agency said on "
                "Wednesday. North Korea denied the report.")
        response = c.post("/api/documents", json={"text": text, "id": "posted-1",
                                                  "outlet": "Test wire", "published": "2023-11-02"})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["doc_id"] == "posted-1" and body["links"]["page"] == "/documents/posted-1"
        assert body["claims"] >= 1 and body["record"]["text"] == text
        stored = c.get("/api/documents/posted-1").json()
        assert stored["outlet"] == "Test wire" and stored["published"] == "2023-11-02"
        assert {a["id"] for a in stored["actors"]} >= {"PRK", "PSE-HAMAS"}
        assert c.get("/api/documents").json()["total"] == 3

        # HTML in, its article text stored; the paste form redirects to the coded article.
        html = ("<html><head><title>Pasted page</title></head><body><article><p>North Korea "
                "sent artillery shells to Russia, officials said.</p></article></body></html>")
        response = c.post("/documents", data={"text": html, "id": "pasted-1", "format": "auto"},
                          follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/documents/pasted-1"
        stored = c.get("/api/documents/pasted-1").json()
        assert "<p>" not in stored["text"] and "artillery shells" in stored["text"]
        page = c.get("/documents/pasted-1")
        assert page.status_code == 200 and "artillery shells" in page.text


# -- pages -------------------------------------------------------------------------------------
def test_pages_render(client):
    home = client.get("/")
    assert home.status_code == 200 and "Disputed propositions" in home.text
    prop_id = client.get("/api/propositions").json()["items"][0]["id"]
    for path, expect in [
        ("/search?q=Hamas", "NIS: North Korea arms Hamas"),
        ("/search?q=Hamas&stance=deny", 'id="claims-total">1<'),
        ("/search?actor=PRK&type=AID", 'id="claims-total">3<'),
        ("/actors/PRK", 'id="graphdata"'),
        ("/actors", "KOR-NIS"),
        ("/propositions?disputed=true", "disputed"),
        (f"/propositions/{prop_id}", 'id="side-against"'),
        ("/documents", "KCNA slams puppets"),
        ("/documents/kcna-1", "k-framing"),
        ("/ingest", 'action="/documents"'),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert expect in response.text, (path, expect)


def test_document_page_marks_spans(client):
    html = client.get("/documents/yonhap-1").text
    # Each highlighted piece carries its kinds and the refs of every annotation covering it.
    assert ('<span class="hl k-source k-actor " data-refs="a:KOR-NIS c:0">South Korea&#39;s spy '
            'agency</span> <span class="hl k-cue " data-refs="c:0">said</span> on Wednesday that '
            '<span class="hl k-content k-actor " data-refs="a:PRK c:0">North Korea</span>') in html
    assert '<span class="hl k-content k-event " data-refs="c:0">supplied</span>' in html
    start = html.index('<script type="application/json" id="details">') + len(
        '<script type="application/json" id="details">')
    details = json.loads(html[start:html.index("</script>", start)])
    assert details["c:1"]["title"] == "Claim 2 · North Korea (PRK)"
    assert details["c:1"]["lines"][0] == "denies · certain · cue: deny · quote: indirect"
    assert details["c:1"]["lines"][1] == "event AID: North Korea (PRK) → Hamas (PSE-HAMAS)"
    assert details["a:PSE-HAMAS"]["href"] == "/actors/PSE-HAMAS"
    framing = client.get("/documents/kcna-1").text
    assert ('<span class="hl k-content k-framing " data-refs="c:0 f:0:0">puppet intelligence '
            'service</span>') in framing


def test_proposition_page_has_both_sides_with_highlighted_sentences(client):
    prop_id = client.get("/api/propositions", params={"disputed": "true"}).json()["items"][0]["id"]
    html = client.get(f"/propositions/{prop_id}").text
    against = html[html.index('id="side-against"'):]
    assert against.count('class="claimcard"') == 2
    forside = html[html.index('id="side-for"'):html.index('id="side-against"')]
    assert forside.count('class="claimcard"') == 1
    assert '<span class="hl k-cue " data-refs="cue">said</span>' in forside
    assert '<span class="hl k-source " data-refs="source">South Korea&#39;s spy agency</span>' in forside
