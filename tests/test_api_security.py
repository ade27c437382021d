"""Workbench security: article text is always escaped, writes need a token off loopback,
cross-site posts are refused, and query parameters never reach SQL as code."""
from __future__ import annotations

from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
from click.testing import CliRunner  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from claimgraph.api import create_app  # noqa: E402
from claimgraph.store import Store  # noqa: E402

SCRIPT = "<script>alert('xss')</script>"
ATTR = '" onmouseover="alert(1)'
IMG = "'><img src=x onerror=alert(2)>"
RAW = (SCRIPT, ATTR, IMG, "<img", "<script>alert")


def hostile_record() -> dict:
    text = (f"Officials {SCRIPT} said North Korea{ATTR} armed Hamas {IMG}. "
            "The puppet regime denied it.")

    def at(part):
        start = text.index(part)
        return [start, start + len(part)]

    return {
        "schema": "claimgraph/1", "doc_id": "evil-1", "title": f"Title {SCRIPT}{ATTR}",
        "url": "javascript:alert(3)", "outlet": f"Outlet {IMG}", "published": "2023-11-02",
        "text": text,
        "actors": [
            {"id": "PRK", "name": f"North Korea{ATTR}", "country": "PRK", "kind": "state",
             "mentions": [at(f"North Korea{ATTR}")]},
            {"id": "PSE-HAMAS", "name": f"Hamas {IMG}", "country": "PSE", "kind": "armed_group",
             "mentions": [at(f"Hamas {IMG}")]},
            {"id": "cg:evil", "name": f"Officials {SCRIPT}", "kind": "group",
             "mentions": [at(f"Officials {SCRIPT}")]},
        ],
        "claims": [
            {"id": "evil-1:1", "speaker": "cg:evil", "speaker_text": f"Officials {SCRIPT}",
             "chain": ["cg:evil"], "cue": f"say{ATTR}", "quote": "indirect", "stance": "assert",
             "certainty": "certain", "span": [0, text.index(".") + 1],
             "source_span": at(f"Officials {SCRIPT}"), "cue_span": at("said"),
             "content_span": at(f"North Korea{ATTR} armed Hamas {IMG}"), "confidence": 0.9,
             "framing": [{"text": f"puppet {SCRIPT}", "span": at("puppet regime"), "target": "PRK"}],
             "event": {"type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"], "via": [],
                       "modality": "actual", "date": {"value": "2023-11-01", "precision": "day",
                                                      "text": f"Wed {SCRIPT}"},
                       "trigger_span": at("armed"), "materiel": [], "context": []}},
            {"id": "evil-1:2", "speaker": "PRK", "speaker_text": f"regime {IMG}", "chain": ["PRK"],
             "cue": "deny", "quote": "indirect", "stance": "deny", "certainty": "certain",
             "span": at("The puppet regime denied it."), "source_span": at("The puppet regime"),
             "cue_span": at("denied"), "content_span": at("it"), "confidence": 0.9,
             "framing": [],
             "event": {"type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"], "via": [],
                       "modality": "actual", "date": None, "trigger_span": None,
                       "materiel": [], "context": []}},
        ],
    }


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "security.db"
    with Store(path) as store:
        store.write_records([hostile_record()], strict=True)
    return path


@pytest.fixture()
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def assert_escaped(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, (where, raw)
    assert 'href="javascript:' not in html, where


def test_every_page_escapes_article_text(client):
    prop = client.get("/api/propositions").json()["items"][0]["id"]
    pages = ["/", "/search?q=officials", "/search?q=armed&actor=PRK", "/actors", "/actors/PRK",
             "/actors/cg:evil", "/actors/PSE-HAMAS", "/documents", "/documents/evil-1",
             f"/propositions/{prop}", "/propositions?disputed=true"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_escaped(response.text, path)
    document = client.get("/documents/evil-1").text
    # The text is there, as text.
    assert "Officials &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in document
    assert "North Korea&#34; onmouseover=&#34;alert(1)" in document
    # The hover details are JSON inside a script element: no "<" may close it early.
    assert "\\u003cscript\\u003e" in document
    # javascript: URLs from metadata are shown as text, never linked.
    assert "javascript:alert(3)" in document and 'href="javascript' not in document


def test_pages_send_a_strict_content_security_policy(client):
    headers = client.get("/documents/evil-1").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.slow
def test_posted_payloads_are_escaped(db, nlp):
    app = create_app(db)
    app.state.cg._nlp = nlp
    with TestClient(app) as c:
        text = (f'North Korea {SCRIPT} sent rockets to Hamas, the spy agency said{ATTR}. '
                f'North Korea denied it {IMG}.')
        response = c.post("/api/documents", json={"text": text, "id": "posted-evil",
                                                  "title": f"T {SCRIPT}", "outlet": f"O {ATTR}",
                                                  "format": "text"})
        assert response.status_code == 201, response.text
        html = c.get("/documents/posted-evil").text
        assert_escaped(html, "posted document")
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
        search = c.get("/search", params={"q": "rockets"}).text
        assert_escaped(search, "search")


# -- tokens and origins -----------------------------------------------------------------------
def test_token_required_when_configured(db):
    with TestClient(create_app(db, token="s3cret")) as c:
        # A valid-looking body with no text: reaching CG105 means the token check passed
        # without running the model.
        body = {"title": "no text"}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Claimgraph-Token": "nope"}):
            response = c.post("/api/documents", json=body, headers=headers)
            assert response.status_code == 401, headers
            assert response.json()["error"]["code"] == "CG503"
        ok = c.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 422 and ok.json()["error"]["code"] == "CG105"
        ok = c.post("/api/documents", json=body, headers={"X-Claimgraph-Token": "s3cret"})
        assert ok.json()["error"]["code"] == "CG105"
        # The paste form sends it as a field; without it the form comes back with the error.
        form = c.post("/documents", data={"title": "x", "token": "wrong"})
        assert form.status_code == 401 and "CG503" in form.text
        form = c.post("/documents", data={"title": "x", "token": "s3cret"})
        assert form.status_code == 422 and "CG105" in form.text
        assert 'name="token"' in c.get("/ingest").text
        # Reads stay open.
        assert c.get("/api/documents").status_code == 200


def test_no_token_on_loopback_by_default(client):
    response = client.post("/api/documents", json={"title": "no text"})
    assert response.json()["error"]["code"] == "CG105"
    assert 'name="token"' not in client.get("/ingest").text


def test_cross_site_posts_are_refused(client):
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}):
        response = client.post("/documents", data={"text": "North Korea armed Hamas."},
                               headers=headers, follow_redirects=False)
        assert response.status_code == 401, headers
        response = client.post("/api/documents", json={"text": "x"}, headers=headers)
        assert response.json()["error"]["code"] == "CG503", headers
    same = client.post("/api/documents", json={"title": "no text"},
                       headers={"Origin": "http://testserver"})
    assert same.json()["error"]["code"] == "CG105"


def test_serve_requires_a_token_off_loopback(db, monkeypatch):
    import uvicorn

    from claimgraph.cli.main import cli
    from claimgraph.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.delenv("CLAIMGRAPH_TOKEN", raising=False)
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "9999"])
    assert result.exit_code == 0, result.output
    token = started["app"].state.cg.token
    assert token and len(token) >= 24 and token in result.output
    assert started["host"] == "0.0.0.0" and started["port"] == 9999

    result = runner.invoke(cli, ["serve", "--db", str(db)], env={"CLAIMGRAPH_TOKEN": "from-env"})
    assert result.exit_code == 0 and started["app"].state.cg.token == "from-env"
    result = runner.invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 0 and started["app"].state.cg.token is None
    assert started["host"] == "127.0.0.1" and started["port"] == 8000


# -- SQL --------------------------------------------------------------------------------------
INJECTIONS = ["' OR '1'='1", "'; DROP TABLE documents; --", '" OR 1=1 --', "PRK') OR ('1'='1",
              "%", "_", "*", "NEAR(a b)", "a OR b", "\x00", "🙂", "1e309", "-1", "9" * 40]


def test_query_parameters_never_reach_sql_as_code(client, db):
    before = Store(db, readonly=True).table_counts()
    targets = [("/api/claims", p) for p in ("speaker", "source", "target", "actor", "type", "since",
                                              "until", "stance", "text", "outlet", "doc_id",
                                              "proposition", "limit", "offset")]
    targets += [("/api/documents", p) for p in ("text", "outlet", "since", "until", "actor")]
    targets += [("/api/propositions", p) for p in ("actor", "type", "status", "disputed")]
    targets += [("/api/actors", p) for p in ("text", "kind", "country")]
    targets += [("/api/network", p) for p in ("actor", "depth", "type", "since", "until")]
    targets += [("/api/search", "q"), ("/search", "q"), ("/search", "actor"), ("/actors", "text")]
    for path, param in targets:
        for value in INJECTIONS:
            response = client.get(path, params={param: value})
            assert response.status_code in (200, 400, 404), (path, param, value, response.text[:200])
            if response.status_code == 200 and path == "/api/claims" and param != "limit":
                # An injected "OR 1=1" would return every claim.
                assert response.json()["total"] < 2 or param in ("offset",), (param, value)
    for value in INJECTIONS:
        for path in ("/api/documents/{}", "/api/actors/{}", "/api/propositions/{}", "/documents/{}",
                     "/actors/{}"):
            response = client.get(path.format(quote(value, safe="")))
            assert response.status_code in (200, 400, 404), (path, value)
    assert Store(db, readonly=True).table_counts() == before
