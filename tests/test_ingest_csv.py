"""CSV corpora: a header names the columns; a bad row costs one error naming its line."""
from __future__ import annotations

from claimgraph.errors import InvalidEncoding, MalformedRecord, MissingText
from claimgraph.ingest import Document, iter_documents
from claimgraph.settings import Settings


def run(paths, **kwargs):
    return list(iter_documents([str(p) for p in paths], settings=Settings(), **kwargs))


def test_rows_become_documents(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_bytes(
        b'\xef\xbb\xbfpublished,id,text,title,url,outlet,extra\r\n'
        b'2023-11-02,yh-1,"Seoul said North Korea sent arms, including rockets, to Hamas.",'
        b'Arms,https://yna.example/1,Yonhap,ignored\r\n'
        b'"November 3, 2023",kcna-1,"Pyongyang denied it.\r\nIt called the report a ""fabrication"".",'
        b',,KCNA,\r\n'
        b'\r\n'
        b',,"No id, no date.",,,,\r\n'
    )
    first, second, third = run([path])
    assert first == Document(
        text="Seoul said North Korea sent arms, including rockets, to Hamas.", id="yh-1",
        title="Arms", url="https://yna.example/1", outlet="Yonhap", published="2023-11-02",
        origin=f"{path}:2", meta={"format": "csv"})
    assert second.text == 'Pyongyang denied it.\nIt called the report a "fabrication".'
    assert (second.id, second.published, second.title, second.url) == ("kcna-1", "2023-11-03", None, None)
    # The quoted field spans lines 3-4 and line 5 is blank: the next row starts on line 6.
    assert third.origin == f"{path}:6"
    assert third.id.startswith("sha1-")
    assert third.published is None


def test_bad_rows_each_give_one_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"id,text,outlet\n"
        b"a,First.,AP\n"
        b"b,Too,many,fields\n"
        b"c,caf\xe9 au lait,AP\n"
        b"d,,AP\n"
        b"e\n"
        b"f,Last.,AP\n"
    )
    items = run([path])
    got = [i.id if isinstance(i, Document) else (i.code, i.where) for i in items]
    assert got == [
        "a",
        ("CG105", f"{path}:3"),
        ("CG103", f"{path}:4"),
        ("CG101", f"{path}:5"),
        ("CG106", f"{path}:6"),
        "f",
    ]
    assert isinstance(items[1], MalformedRecord)
    assert isinstance(items[2], InvalidEncoding) and "byte 5 of line 4" in items[2].message
    assert isinstance(items[4], MissingText)


def test_header_without_text_column_is_one_error(tmp_path):
    path = tmp_path / "notext.csv"
    path.write_text("id,title\n1,Something\n2,Else\n")
    [error] = run([path])
    assert (error.code, error.where) == ("CG106", f"{path}:1")


def test_html_column_stands_in_for_text(tmp_path):
    path = tmp_path / "html.csv"
    path.write_text('id,html\nh1,"<html><body><p>Russia delivered shells.</p></body></html>"\n')
    [doc] = run([path])
    assert (doc.id, doc.text) == ("h1", "Russia delivered shells.")


def test_long_fields_are_read(tmp_path):
    # The csv module's default limit is 128 KiB a field; articles may be longer.
    text = "word " * 40_000
    path = tmp_path / "long.csv"
    path.write_text(f"id,text\nlong,{text}\n")
    [doc] = run([path])
    assert doc.text == text


def test_csv_on_stdin_is_sniffed():
    import io

    [doc] = run(["-"], stdin=io.BytesIO(b"id,text\nx,From a pipe.\n"))
    assert (doc.id, doc.text, doc.origin) == ("x", "From a pipe.", "<stdin>:2")
