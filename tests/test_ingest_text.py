"""Plain-text input, path handling (directories, stdin, missing files), overrides, dates."""
from __future__ import annotations

import io

import pytest

from claimgraph.errors import BadDate, InputNotFound, UnknownFormat
from claimgraph.ingest import Document, content_id, iter_documents, normalise_date
from claimgraph.settings import Settings

ARTICLE = "North Korea fired a ballistic missile on Tuesday, the JCS said.\nSeoul condemned it.\n"


def run(paths, **kwargs):
    return list(iter_documents([str(p) if p != "-" else p for p in paths], settings=Settings(), **kwargs))


def test_text_file_becomes_one_document_with_a_content_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [doc] = run([path])
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE
    assert doc.id == content_id(ARTICLE)
    assert doc.origin == str(path)
    assert (doc.title, doc.url, doc.outlet, doc.published) == (None, None, None, None)
    assert doc.meta == {"format": "text"}


def test_bom_is_dropped_and_newlines_normalised(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\rLine three.\r\n")
    [doc] = run([path])
    assert doc.text == "Line one.\nLine two.\nLine three.\n"


def test_same_text_gets_the_same_id_in_different_files(tmp_path):
    (tmp_path / "one.txt").write_text(ARTICLE)
    (tmp_path / "two.md").write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    first, second = run([tmp_path / "one.txt", tmp_path / "two.md"])
    assert first.id == second.id
    assert first.origin != second.origin


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Kim Jong Un visited Moscow.".encode("utf-16"))
    [doc] = run([path])
    assert doc.text == "Kim Jong Un visited Moscow."


def test_published_and_outlet_flags_override(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    [doc] = run([path], published="2 November 2023", outlet="  Yonhap   News ")
    assert doc.published == "2023-11-02"
    assert doc.outlet == "Yonhap News"


def test_bad_published_flag_is_raised_at_call_time_not_iteration(tmp_path):
    with pytest.raises(BadDate) as info:
        iter_documents([str(tmp_path / "never-read.txt")], published="last Tuesday", settings=Settings())
    assert info.value.code == "CG112"
    with pytest.raises(BadDate):
        iter_documents([], published="2023-02-30", settings=Settings())


def test_unknown_input_format_is_raised(tmp_path):
    with pytest.raises(UnknownFormat) as info:
        iter_documents([str(tmp_path)], input_format="pdf", settings=Settings())
    assert info.value.code == "CG107"


def test_missing_file_is_yielded_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    missing = tmp_path / "missing.txt"
    error, doc = run([missing, good])
    assert isinstance(error, InputNotFound)
    assert (error.code, error.where) == ("CG109", str(missing))
    assert doc.text == ARTICLE


def test_directory_walk_is_recursive_sorted_and_skips_docs_and_hidden_files(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "b-sub").mkdir(parents=True)
    (corpus / "README.md").write_text("About this corpus.")
    (corpus / ".hidden.txt").write_text("secret")
    (corpus / "notes.json").write_text("{}")
    (corpus / "c.txt").write_text("Third.")
    (corpus / "a.txt").write_text("First.")
    (corpus / "b-sub" / "z.txt").write_text("Second.")
    (corpus / "noext").write_text("Fourth.")
    texts = [d.text for d in run([corpus])]
    assert texts == ["First.", "Second.", "Third.", "Fourth."]


def test_stdin_is_sniffed(tmp_path):
    [doc] = run(["-"], stdin=io.BytesIO(ARTICLE.encode()))
    assert doc.text == ARTICLE
    assert doc.origin == "<stdin>"
    jsonl = b'{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n'
    assert [d.id for d in run(["-"], stdin=io.BytesIO(jsonl))] == ["s1", "s2"]


def test_explicit_format_wins_over_extension(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<p>Raw markup kept as text.</p>")
    [doc] = run([path], input_format="text")
    assert doc.text == "<p>Raw markup kept as text.</p>"


def test_min_chars_refuses_tiny_documents(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("  Hi.  ")
    [error] = list(iter_documents([str(path)], settings=Settings(min_chars=10)))
    assert (error.code, error.where) == ("CG101", str(path))


@pytest.mark.parametrize("value, expected", [
    ("2023-11-02", "2023-11-02"),
    ("2023-11-02T23:30:00-05:00", "2023-11-02"),  # the publisher's day, not UTC's
    ("Thu, 02 Nov 2023 08:00:00 +0900", "2023-11-02"),
    ("2 November 2023", "2023-11-02"),
    ("November 2, 2023", "2023-11-02"),
    ("02.11.2023", "2023-11-02"),
    ("yesterday", None),
    ("November 2023", None),
    ("2023-02-30", None),
    ("", None),
    (None, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected
