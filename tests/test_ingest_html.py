"""HTML pages via trafilatura: main text without page furniture, metadata, fallbacks."""
from __future__ import annotations

import io

from claimgraph.errors import NoTextExtracted
from claimgraph.ingest import Document, extract_html, html_to_text, iter_documents
from claimgraph.settings import Settings

PARA1 = ("North Korea has supplied Hamas with weapons, including anti-tank rockets, South "
         "Korea's National Intelligence Service told lawmakers in Seoul on Wednesday.")
PARA2 = ("Officials said the assessment was based on weapons recovered by Israeli forces after "
         "the October 7 attack, and that Pyongyang may also sell arms through Iran.")
PARA3 = "North Korea's state media denied the report and called it a fabrication."

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>NIS says North Korea armed Hamas | Example Daily</title>
<meta property="og:title" content="NIS says North Korea armed Hamas">
<meta property="og:site_name" content="Example Daily">
<meta property="article:published_time" content="2023-11-02T09:30:00+09:00">
<link rel="canonical" href="https://news.example.com/2023/11/02/nis-hamas">
<script>var tracking = "North Korea tracking code";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/korea">Korea</a></nav>
<article>
<h1>NIS says North Korea armed Hamas</h1>
<p>{PARA1}</p>
<p>{PARA2}</p>
<p>{PARA3}</p>
</article>
<footer>Copyright 2023 Example Daily. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def run(paths, **kwargs):
    return list(iter_documents([str(p) for p in paths], settings=Settings(), **kwargs))


def test_article_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = run([path])
    assert isinstance(doc, Document)
    # Paragraphs stay apart, one per line; no navigation, footer or script.
    assert doc.text.split("\n")[-3:] == [PARA1, PARA2, PARA3]
    for junk in ("Home", "Copyright", "tracking", "Subscribe"):
        assert junk not in doc.text
    assert doc.title == "NIS says North Korea armed Hamas"
    assert doc.outlet == "Example Daily"
    assert doc.url == "https://news.example.com/2023/11/02/nis-hamas"
    assert doc.published == "2023-11-02"
    assert doc.meta == {"format": "html"}
    assert doc.origin == str(path)


def test_flags_override_page_metadata(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = run([path], published="2023-11-03", outlet="Wire")
    assert (doc.published, doc.outlet) == ("2023-11-03", "Wire")


def test_short_page_and_fragment_still_give_their_text(tmp_path):
    page = tmp_path / "short.html"
    page.write_text("<html><head><title>Brief</title></head><body>"
                    "<p>Iran denied it.</p><p>Israel disagreed.</p></body></html>")
    fragment = tmp_path / "fragment.html"
    fragment.write_text("<p>North Korea fired a missile, the JCS said.</p>")
    first, second = run([page, fragment])
    assert first.text == "Iran denied it.\nIsrael disagreed."
    assert first.title == "Brief"
    assert second.text == "North Korea fired a missile, the JCS said."


def test_malformed_html_does_not_crash(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><body><div><p>Unclosed <b>bold text about Hamas <p>Russia sent "
                     b"shells to North Korea<table><tr><td>cell</div></i></html></body>&&&<<<")
    [doc] = run([path])
    assert "Russia sent shells to North Korea" in doc.text
    assert "Unclosed bold text about Hamas" in doc.text


def test_page_without_text_is_an_error(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>Nothing</title><script>x()</script></head><body></body></html>")
    good = tmp_path / "page.html"
    good.write_text(PAGE)
    error, doc = run([path, good])
    assert isinstance(error, NoTextExtracted)
    assert (error.code, error.where) == ("CG108", str(path))
    assert doc.title == "NIS says North Korea armed Hamas"


def test_html_on_stdin_is_sniffed():
    [doc] = run(["-"], stdin=io.BytesIO(PAGE.encode()))
    assert doc.outlet == "Example Daily"
    assert doc.origin == "<stdin>"


def test_extract_html_returns_fields():
    fields = extract_html(PAGE)
    assert fields["text"].endswith(PARA3)
    assert fields["title"] == "NIS says North Korea armed Hamas"
    assert fields["outlet"] == "Example Daily"
    assert fields["published"] == "2023-11-02"


def test_html_to_text_keeps_blocks_on_their_own_lines():
    markup = "<p>One <b>bold</b>\n  word.</p><ul><li>Two</li><li>Three</li></ul>Four<br>Five<script>no</script>"
    assert html_to_text(markup) == "One bold word.\nTwo\nThree\nFour\nFive"
    assert html_to_text("") == ""
