"""JSONL corpora: one object a line; bad lines cost one error each and the rest is read."""
from __future__ import annotations

import io
import json

from claimgraph.errors import DocumentTooLong, InvalidEncoding, MalformedRecord, MissingText
from claimgraph.ingest import Document, content_id, iter_documents
from claimgraph.settings import Settings


def run(paths, settings=None, **kwargs):
    return list(iter_documents([str(p) for p in paths], settings=settings or Settings(), **kwargs))


def write_lines(path, lines):
    path.write_bytes(b"".join((l if isinstance(l, bytes) else l.encode()) + b"\n" for l in lines))
    return path


def test_fields_are_read(tmp_path):
    path = write_lines(tmp_path / "c.jsonl", [
        json.dumps({"id": "afp-001", "text": "Hamas fighters used North Korean rockets.",
                    "title": "Rockets", "url": "https://afp.example/1", "outlet": "AFP",
                    "published": "2023-11-02T10:00:00Z"}),
        json.dumps({"text": "Pyongyang denied the report.", "published": "Nov 3, 2023"}),
        json.dumps({"id": 7, "text": "Numbers as ids become strings."}),
    ])
    first, second, third = run([path])
    assert first == Document(text="Hamas fighters used North Korean rockets.", id="afp-001",
                             title="Rockets", url="https://afp.example/1", outlet="AFP",
                             published="2023-11-02", origin=f"{path}:1", meta={"format": "jsonl"})
    assert second.id == content_id("Pyongyang denied the report.")
    assert second.published == "2023-11-03"
    assert (second.title, second.url, second.outlet) == (None, None, None)
    assert third.id == "7"


def test_html_stands_in_for_text_and_record_fields_win(tmp_path):
    html = ("<html><head><title>Page title</title><meta property='og:site_name' content='Site'>"
            "</head><body><p>Iran denied supplying the rockets.</p></body></html>")
    path = write_lines(tmp_path / "c.ndjson", [json.dumps({"id": "h1", "html": html, "title": "Record title"})])
    [doc] = run([path])
    assert doc.text == "Iran denied supplying the rockets."
    assert doc.title == "Record title"
    assert doc.outlet == "Site"
    assert doc.meta == {"format": "jsonl+html"}


def test_blank_lines_are_skipped_silently_and_line_numbers_stay_physical(tmp_path):
    path = write_lines(tmp_path / "c.jsonl", [
        b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "One."}).encode(),
        "", "   ",
        json.dumps({"id": "b", "text": "Two."}),
        "{broken",
    ])
    a, b, error = run([path])
    assert (a.id, a.origin, b.id, b.origin) == ("a", f"{path}:1", "b", f"{path}:4")
    assert (error.code, error.where) == ("CG105", f"{path}:5")


def test_each_bad_line_is_one_error_in_place(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [
        json.dumps({"id": "ok1", "text": "Fine."}),
        "this is not json",
        json.dumps({"id": "nt", "title": "No text"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "num", "text": 42}),
        b'{"id": "enc", "text": "caf\xe9"}',
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "ok2", "text": "Also fine."}),
    ])
    items = run([path])
    got = [(i.code, i.where) if not isinstance(i, Document) else i.id for i in items]
    assert got == [
        "ok1",
        ("CG105", f"{path}:2"),
        ("CG106", f"{path}:3"),
        ("CG105", f"{path}:4"),
        ("CG105", f"{path}:5"),
        ("CG103", f"{path}:6"),
        ("CG101", f"{path}:7"),
        "ok2",
    ]
    assert isinstance(items[1], MalformedRecord)
    assert isinstance(items[2], MissingText)
    assert isinstance(items[5], InvalidEncoding)
    assert "byte 26" in items[5].message  # 0-based, like Python's offsets


def test_200_documents_with_5_broken_lines(tmp_path):
    lines, broken = [], {13, 57, 99, 140, 188}
    for n in range(200):
        lines.append("{not json" if n in broken else json.dumps({"id": f"d{n}", "text": f"Document {n}."}))
    path = write_lines(tmp_path / "big.jsonl", lines)
    items = run([path])
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if not isinstance(i, Document)]
    assert len(docs) == 195
    assert [e.where for e in errors] == [f"{path}:{n + 1}" for n in sorted(broken)]
    assert [d.id for d in docs] == [f"d{n}" for n in range(200) if n not in broken]


def test_overlong_line_is_refused_without_stopping_the_file(tmp_path):
    settings = Settings(max_chars=100)  # so lines over 1,000 bytes are refused unread
    path = write_lines(tmp_path / "long.jsonl", [
        json.dumps({"id": "huge", "text": "x" * 5000}),
        json.dumps({"id": "long", "text": "y" * 150}),
        json.dumps({"id": "next", "text": "Still read."}),
    ])
    huge, long, nxt = run([path], settings=settings)
    assert isinstance(huge, DocumentTooLong) and huge.where == f"{path}:1"
    assert isinstance(long, DocumentTooLong) and long.where == f"{path}:2"
    assert "150 characters" in long.message
    assert nxt.id == "next"


class _CountingStream(io.RawIOBase):
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.data[self.pos:self.pos + len(buffer)]
        buffer[:len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)


def test_jsonl_is_streamed_not_read_whole():
    data = b"".join(json.dumps({"id": f"s{n}", "text": f"Line {n}."}).encode() + b"\n" for n in range(50_000))
    stream = _CountingStream(data)
    items = iter_documents(["-"], input_format="jsonl", settings=Settings(), stdin=stream)
    assert next(items).id == "s0"
    assert stream.pos < len(data) // 10
