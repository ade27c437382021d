"""RSS 2.0 and Atom files via feedparser, always from bytes: one document per entry."""
from __future__ import annotations

import feedparser

from claimgraph.errors import FeedError, NoTextExtracted
from claimgraph.ingest import Document, iter_documents
from claimgraph.settings import Settings

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Wire</title>
  <link>https://wire.example/</link>
  <description>World news</description>
  <item>
    <title>NIS: North Korea armed Hamas</title>
    <link>https://wire.example/nis-hamas</link>
    <guid isPermaLink="false">wire-1001</guid>
    <pubDate>Thu, 02 Nov 2023 08:30:00 +0900</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>North Korea supplied <b>rockets</b> to Hamas, the NIS said.</p>
      <p>Israel's military said it found the weapons.</p><script>track()</script>]]></content:encoded>
  </item>
  <item>
    <title>Pyongyang denies</title>
    <link>https://wire.example/denial</link>
    <pubDate>Fri, 03 Nov 2023 23:10:00 -0500</pubDate>
    <description>&lt;p&gt;KCNA called the report a &lt;i&gt;fabrication&lt;/i&gt;.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Photo of the day</title>
    <link>https://wire.example/photo</link>
  </item>
  <item>
    <title>Plain summary</title>
    <description>Russia sent shells to North Korea.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Korea Desk</title>
  <id>urn:example:korea-desk</id>
  <updated>2023-11-04T00:00:00Z</updated>
  <entry>
    <title>JCS reports launch</title>
    <id>urn:example:entry:1</id>
    <link href="https://desk.example/jcs-launch"/>
    <published>2023-11-01T21:00:00-03:00</published>
    <updated>2023-11-04T00:00:00Z</updated>
    <author><name>Jane Reporter</name></author>
    <content type="html">&lt;p&gt;North Korea fired a missile, the JCS said.&lt;/p&gt;&lt;p&gt;Japan protested.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Update</title>
    <id>urn:example:entry:2</id>
    <updated>2023-11-05T10:00:00Z</updated>
    <summary>Seoul raised its alert level.</summary>
  </entry>
</feed>
"""


def run(paths, **kwargs):
    return list(iter_documents([str(p) for p in paths], settings=Settings(), **kwargs))


def test_rss_items_become_documents(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second, photo, plain = run([path])
    assert first == Document(
        text="North Korea supplied rockets to Hamas, the NIS said.\nIsrael's military said it found the weapons.",
        id=first.id, title="NIS: North Korea armed Hamas", url="https://wire.example/nis-hamas",
        outlet="Example Wire", published="2023-11-02", origin=f"{path}#1",
        meta={"format": "rss", "guid": "wire-1001"})
    assert first.id.startswith("sha1-")
    # The summary stands in for missing content; the publisher's own day is kept (UTC: 4 Nov).
    assert second.text == "KCNA called the report a fabrication."
    assert second.published == "2023-11-03"
    assert isinstance(photo, NoTextExtracted)
    assert (photo.code, photo.where) == ("CG108", f"{path}#3")
    assert plain.text == "Russia sent shells to North Korea."
    assert plain.published is None


def test_atom_entries_become_documents(tmp_path):
    path = tmp_path / "desk.atom"
    path.write_text(ATOM, encoding="utf-8")
    first, second = run([path])
    assert first.text == "North Korea fired a missile, the JCS said.\nJapan protested."
    assert (first.title, first.url, first.outlet, first.published) == (
        "JCS reports launch", "https://desk.example/jcs-launch", "Korea Desk", "2023-11-01")
    assert first.meta == {"format": "rss", "guid": "urn:example:entry:1", "author": "Jane Reporter"}
    assert (second.text, second.published, second.origin) == (
        "Seoul raised its alert level.", "2023-11-05", f"{path}#2")


def test_xml_extension_is_sniffed(tmp_path):
    rss, atom = tmp_path / "a.xml", tmp_path / "b.xml"
    rss.write_text(RSS)
    atom.write_text(ATOM)
    assert [d.outlet for d in run([rss, atom]) if isinstance(d, Document)] == ["Example Wire"] * 3 + ["Korea Desk"] * 2
    other = tmp_path / "c.xml"
    other.write_text("<?xml version='1.0'?><inventory><item>1</item></inventory>")
    [error] = run([other])
    assert (error.code, error.where) == ("CG107", str(other))


def test_feedparser_only_ever_gets_a_byte_stream(tmp_path, monkeypatch):
    seen = []
    real = feedparser.parse

    def spy(source, *args, **kwargs):
        seen.append(type(source).__name__)
        assert hasattr(source, "read"), "feedparser must never be handed a URL or file name"
        return real(source, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    path = tmp_path / "feed.rss"
    path.write_text(RSS)
    run([path])
    assert seen == ["BytesIO"]


def test_broken_feed_is_one_error(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("this is not a feed <<<")
    good = tmp_path / "good.atom"
    good.write_text(ATOM)
    error, *docs = run([path, good])
    assert isinstance(error, FeedError)
    assert (error.code, error.where) == ("CG110", str(path))
    assert len(docs) == 2


def test_outlet_flag_overrides_feed_title(tmp_path):
    path = tmp_path / "desk.atom"
    path.write_text(ATOM)
    assert {d.outlet for d in run([path], outlet="Override")} == {"Override"}
