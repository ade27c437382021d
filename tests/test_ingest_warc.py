"""WARC and WARC.GZ crawls: HTTP 200 HTML responses become documents, the rest is skipped."""
from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimgraph.errors import NoTextExtracted, WarcError
from claimgraph.ingest import Document, iter_documents
from claimgraph.settings import Settings

ARTICLE = """<html><head><title>Hamas used North Korean weapons</title>
<meta property="og:site_name" content="Crawl Times">
<meta property="article:published_time" content="2023-10-30T12:00:00Z">
</head><body><nav>Home | World</nav><article>
<p>Israeli forces recovered North Korean F-7 rockets from Hamas fighters, officials said.</p>
<p>South Korea's military said the markings were in Korean.</p>
</article></body></html>"""

UNDATED = """<html><head><title>Seoul responds</title></head><body><article>
<p>South Korea summoned the ambassador over the weapons reports.</p></article></body></html>"""

EMPTY = "<html><head><title>Nothing here</title></head><body><script>x()</script></body></html>"


def _response(writer, uri, body: bytes, status="200 OK", content_type="text/html; charset=utf-8",
              date="2023-11-05T08:00:00Z"):
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)
    return record.rec_headers.get_header("WARC-Record-ID")


def write_warc(path, gzip: bool):
    ids = {}
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "crawl.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://crawl.example/a", "request",
                                                      http_headers=request))
        ids["article"] = _response(writer, "https://crawl.example/a", ARTICLE.encode())
        ids["missing"] = _response(writer, "https://crawl.example/gone", b"<html>Not found</html>",
                                   status="404 Not Found")
        ids["image"] = _response(writer, "https://crawl.example/logo.png", b"\x89PNG\r\n\x1a\n",
                                 content_type="image/png")
        ids["redirect"] = _response(writer, "https://crawl.example/old", b"", status="301 Moved")
        ids["undated"] = _response(writer, "https://crawl.example/b", UNDATED.encode("utf-8"))
        ids["empty"] = _response(writer, "https://crawl.example/empty", EMPTY.encode())
    return ids


def run(paths, **kwargs):
    return list(iter_documents([str(p) for p in paths], settings=Settings(), **kwargs))


@pytest.mark.parametrize("name, gzip", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_become_documents(tmp_path, name, gzip):
    path = tmp_path / name
    ids = write_warc(path, gzip)
    article, undated, empty = run([path])
    assert isinstance(article, Document)
    assert article.text == ("Israeli forces recovered North Korean F-7 rockets from Hamas fighters, "
                            "officials said.\nSouth Korea's military said the markings were in Korean.")
    assert article.url == "https://crawl.example/a"
    assert article.title == "Hamas used North Korean weapons"
    assert article.outlet == "Crawl Times"
    assert article.published == "2023-10-30"  # the page's own date beats the crawl date
    assert article.origin == f"{path}@{ids['article']}"
    assert article.meta == {"format": "warc", "warc_record_id": ids["article"],
                            "warc_date": "2023-11-05T08:00:00Z"}
    # No date on the page: the WARC-Date stands in.
    assert (undated.url, undated.published) == ("https://crawl.example/b", "2023-11-05")
    assert isinstance(empty, NoTextExtracted)
    assert (empty.code, empty.where) == ("CG108", f"{path}@{ids['empty']}")


def test_auto_detects_warc_by_content(tmp_path):
    path = tmp_path / "crawl.bin.gz"
    write_warc(path, gzip=True)
    assert len([d for d in run([path]) if isinstance(d, Document)]) == 2


def test_corrupt_warc_is_one_error_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.warc"
    ids = write_warc(good, gzip=False)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.warc"
    truncated.write_bytes(data[: data.index(b"South Korea summoned") + 10])  # inside the 'undated' page
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"this is not a WARC file at all\n" * 10)
    items = run([garbage, truncated, good])
    got = [i.url if isinstance(i, Document) else (i.code, i.where) for i in items]
    assert got == [
        ("CG111", str(garbage)),
        "https://crawl.example/a",
        ("CG111", f"{truncated}@{ids['undated']}"),
        "https://crawl.example/a",
        "https://crawl.example/b",
        ("CG108", f"{good}@{ids['empty']}"),
    ]
    assert all(isinstance(items[n], WarcError) for n in (0, 2))
