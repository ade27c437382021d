"""The workbench in a real browser (Debian's chromium driven by Playwright) over the demo
corpus: search, North Korea's actor page and its graph, the disputed North Korea → Hamas
proposition, a document with its highlights, and pasting an article. Screenshots go to
tests/artifacts/ (git-ignored). Skips when chromium or playwright is absent."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "examples" / "corpus" / "articles.jsonl"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("CLAIMGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)),
                       reason=f"no chromium at {CHROMIUM} (apt-get install chromium)"),
]

PASTED = ("SEOUL, Nov. 20 (Test wire) - North Korea has sent more artillery shells to Russia, "
          "South Korea's spy agency said on Monday. The Kremlin denied the report.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    cli = [sys.executable, "-m", "claimgraph.cli.main"]
    subprocess.run([*cli, "ingest", str(CORPUS), "--db", str(db), "-q"], check=True, timeout=600)
    port = free_port()
    proc = subprocess.Popen([*cli, "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(base + "/api/health")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page(server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        yield page
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search(page, server):
    page.goto(server + "/")
    page.fill("form.bigsearch input[name=q]", "Hamas")
    page.press("form.bigsearch input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Hamas")
    assert int(page.text_content("#claims-total")) > 0
    assert int(page.text_content("#docs-total")) > 0
    facets = page.locator(".facet li")
    assert facets.count() > 3
    shot(page, "search")
    # A facet narrows the claims.
    before = int(page.text_content("#claims-total"))
    page.click(".facet a:has-text('deny')")
    page.wait_for_url("**stance=deny**")
    assert 0 < int(page.text_content("#claims-total")) < before
    assert page.problems == []


def test_actor_page_has_its_graph(page, server):
    page.goto(server + "/search?q=North+Korea")
    page.click(".facet a:has-text('North Korea')")
    page.wait_for_url("**actor=PRK**")
    page.goto(server + "/actors/PRK")
    assert "North Korea" in page.text_content("h1")
    page.wait_for_function("window.cgGraph && window.cgGraph.nodes().length > 1")
    nodes = page.evaluate("window.cgGraph.nodes().map(n => n.id())")
    assert "PRK" in nodes and "PSE-HAMAS" in nodes
    assert page.evaluate("window.cgGraph.edges().length") > 0
    # Disputed edges are dashed.
    dashed = page.evaluate("window.cgGraph.edges().filter(e => e.data('disputed'))"
                           ".map(e => e.style('line-style'))")
    assert dashed and set(dashed) == {"dashed"}
    assert page.locator("svg.timeline circle").count() > 0
    for section in ("#says", "#said_about", "#denies"):
        assert page.locator(section).count() == 1
    page.wait_for_timeout(300)
    shot(page, "actor-north-korea")
    assert page.problems == []


def test_disputed_proposition(page, server):
    disputed = get_json(server + "/api/propositions?disputed=true&actor=PRK&type=AID&limit=50")
    props = [p for p in disputed["items"]
             if [a["id"] for a in p["source"]] == ["PRK"]
             and [a["id"] for a in p["target"]] == ["PSE-HAMAS"]]
    assert props, "the demo corpus should hold a disputed North Korea → Hamas AID proposition"
    page.goto(server + "/propositions?disputed=true")
    page.click(f"a.proplink[href='/propositions/{props[0]['id']}']")
    page.wait_for_url(f"**/propositions/{props[0]['id']}")
    assert page.text_content("#prop-status").strip() == "disputed"
    assert page.locator("#side-for .claimcard").count() > 0
    assert page.locator("#side-against .claimcard").count() > 0
    # Each claim shows its chain as a path and its sentence with marks.
    assert page.locator("#side-for .claimcard .path").count() == page.locator("#side-for .claimcard").count()
    assert page.locator(".claimcard .sentence .hl").count() > 0
    shot(page, "proposition-prk-hamas")
    assert page.problems == []


def test_document_highlights_and_hover(page, server):
    page.goto(server + "/documents")
    page.click("a.doclink:has-text('NIS')")
    page.wait_for_selector("#doctext")
    assert page.locator("#doctext .hl.k-actor").count() > 0
    assert page.locator("#doctext .hl.k-cue").count() > 0
    assert page.locator("#doctext .hl.k-content").count() > 0
    page.hover("#doctext .hl.k-actor >> nth=0")
    page.wait_for_selector("#hovercard:not([hidden])")
    assert page.text_content("#hovercard .hc-title")
    # click the claim number: the middle of the item may be an actor link, which navigates away
    page.click(".claimitem >> nth=0 >> .num")
    assert page.locator("#doctext .hl.focus").count() > 0
    shot(page, "document")
    assert page.problems == []


def test_paste_an_article(page, server):
    page.goto(server + "/ingest")
    page.fill("textarea[name=text]", PASTED)
    page.fill("input[name=title]", "Pasted in the browser")
    page.fill("input[name=outlet]", "Test wire")
    page.fill("input[name=published]", "2023-11-20")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/sha1-*", timeout=120_000)
    assert "Pasted in the browser" in page.text_content("h1")
    assert page.locator("#doctext .hl.k-actor").count() > 0
    assert page.locator(".claimitem").count() > 0
    shot(page, "pasted")
    assert page.problems == []
