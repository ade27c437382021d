"""Bad input (issue 2, item 6): each bad file or line gives exactly one error naming where
and why, and everything else in the batch is still read, in order."""
from __future__ import annotations

import json
import time

from claimgraph.errors import (BinaryInput, DocumentTooLong, EmptyDocument, InputError,
                               InvalidEncoding, MalformedRecord, MissingText, NoTextExtracted)
from claimgraph.ingest import Document, iter_documents
from claimgraph.settings import load_settings


def test_bad_inputs_in_one_batch(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMGRAPH_CONFIG", raising=False)  # the packaged defaults: max_chars = 1,000,000

    def file(name, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    good = "Seoul said North Korea shipped rockets to Hamas.\n"
    huge = tmp_path / "dump.txt"
    with open(huge, "wb") as handle:  # 50 MB of perfectly good text
        line = b"North Korea denied the report. " * 32 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line)):
            handle.write(line)
    assert huge.stat().st_size > 49_000_000
    paths = [
        file("01-empty.txt", b""),
        file("02-blank.txt", b" \n\t\r\n"),
        file("03-binary.txt", b"\x00\x01\x02\x03binary\x00data" * 100),
        file("04-image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        file("05-latin1.txt", "Pyongyang's café denied it.".encode("latin-1")),
        str(huge),
        file("06-good.txt", good.encode()),
        file("07-malformed.html", b"<html><body><p>Israel found <b>North Korean <i>rockets</b> in Gaza"
                                  b"<div><table><tr><td>&nbsp;&bogus;</p></html></body>"),
        file("08-notext.html", b"<html><head><title>t</title><style>p{}</style></head><body>"
                               b"<div><img src=x></div></body></html>"),
        file("09-corpus.jsonl", b"\n".join([
            json.dumps({"id": "j1", "text": "Iran denied involvement."}).encode(),
            b"{'id': 'single quotes are not JSON'}",
            json.dumps({"id": "j3", "title": "text is missing"}).encode(),
            json.dumps({"id": "j4", "text": "Russia said nothing."}).encode(),
        ]) + b"\n"),
        str(tmp_path / "10-missing.txt"),
        file("11-last.txt", b"The last file is read too."),
    ]
    started = time.perf_counter()
    items = list(iter_documents(paths, settings=load_settings()))
    elapsed = time.perf_counter() - started

    got = [i.id if isinstance(i, Document) and i.id.startswith("j") else
           i.text[:16] if isinstance(i, Document) else (type(i).__name__, i.code, i.where)
           for i in items]
    assert got == [
        ("EmptyDocument", "CG101", paths[0]),
        ("EmptyDocument", "CG101", paths[1]),
        ("BinaryInput", "CG102", paths[2]),
        ("BinaryInput", "CG102", paths[3]),
        ("InvalidEncoding", "CG103", paths[4]),
        ("DocumentTooLong", "CG104", str(huge)),
        "Seoul said North",
        "Israel found Nor",
        ("NoTextExtracted", "CG108", paths[8]),
        "j1",
        ("MalformedRecord", "CG105", f"{paths[9]}:2"),
        ("MissingText", "CG106", f"{paths[9]}:3"),
        "j4",
        ("InputNotFound", "CG109", paths[10]),
        "The last file is",
    ]
    # The 50 MB file is refused from its size, without being read.
    assert elapsed < 5, f"took {elapsed:.1f}s"
    too_long = items[5]
    assert "52.4 MB" in too_long.message and "max_chars=1,000,000" in too_long.message
    assert "byte 15 (0xe9)" in items[4].message  # 0-based offset of the é
    assert "rockets" in items[7].text
    # Every error prints as one line: code, where, message.
    for item in items:
        if isinstance(item, InputError):
            line = item.one_line()
            assert "\n" not in line and line.startswith(f"{item.code} {item.where}: ")


def test_a_text_just_over_max_chars_is_read_and_refused_by_its_length(tmp_path):
    from claimgraph.settings import Settings

    path = tmp_path / "long.txt"
    path.write_text("é" * 101)  # 202 bytes: under the byte cap (400), over the character limit
    [error] = list(iter_documents([str(path)], settings=Settings(max_chars=100)))
    assert isinstance(error, DocumentTooLong)
    assert error.message == "101 characters, more than max_chars=100"


def test_error_classes_and_codes():
    expected = {EmptyDocument: "CG101", BinaryInput: "CG102", InvalidEncoding: "CG103",
                DocumentTooLong: "CG104", MalformedRecord: "CG105", MissingText: "CG106",
                NoTextExtracted: "CG108"}
    assert {cls: cls.code for cls in expected} == expected
