"""`claimgraph extract`: records valid against the packaged schema, input order kept, bad
documents reported one line each while the batch goes on."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph.cli.main import cli
from claimgraph.errors import ClaimgraphError, RecordInvalid
from claimgraph.extract import extract_documents, extract_text, validate_record
from claimgraph.ingest import Document

TEXT = ("North Korea denied selling weapons to Hamas on Wednesday, the state news agency KCNA said.\n"
        "South Korea's spy agency said Pyongyang had shipped artillery shells to Russia.")


def test_record_of_a_short_text_is_valid_and_keeps_metadata(nlp):
    record = extract_text(TEXT, published="2023-11-02", doc_id="t1", nlp=nlp, outlet="Wire", title="T")
    validate_record(record)
    assert record["schema"] == "claimgraph/1"
    assert record["doc_id"] == "t1"
    assert (record["published"], record["outlet"], record["title"]) == ("2023-11-02", "Wire", "T")
    assert record["text"] == TEXT
    for actor in record["actors"]:
        for start, end in actor["mentions"]:
            assert 0 <= start < end <= len(TEXT)
    ids = {actor["id"] for actor in record["actors"]}
    for claim in record["claims"]:
        assert claim["id"].startswith("t1:")
        assert set(claim["chain"]) <= ids
        if claim["speaker"]:
            assert claim["speaker"] in ids and claim["chain"][-1] == claim["speaker"]


def test_same_text_gets_the_same_id_without_one(nlp):
    a = extract_text(TEXT, nlp=nlp)
    b = extract_text(TEXT + "  ", nlp=nlp)
    assert a["doc_id"] == b["doc_id"].strip() and a["doc_id"].startswith("sha1-")


def test_sample_article_record_validates(sample_record):
    validate_record(sample_record)
    assert sample_record["published"] == "2023-11-02"


def test_validator_names_the_broken_field(nlp):
    record = extract_text(TEXT, doc_id="t2", nlp=nlp)
    record["claims"].append({"id": "t2:99", "stance": "maybe"})
    with pytest.raises(RecordInvalid) as info:
        validate_record(record)
    assert info.value.code == "CG303"


def test_errors_stay_in_input_order_between_records(nlp):
    from claimgraph.errors import MalformedRecord

    items = [Document(text="Hamas attacked Israel.", id="a"), MalformedRecord("not JSON", where="x.jsonl:2"),
             Document(text="Iran denied any role.", id="b")]
    out = list(extract_documents(items, nlp=nlp))
    assert [o["doc_id"] if isinstance(o, dict) else o.code for o in out] == ["a", "CG105", "b"]


def test_two_processes_give_the_same_records_as_one(nlp):
    docs = [Document(text=f"{TEXT} Report number {i}.", id=f"d{i}", published="2023-11-02") for i in range(6)]
    one = list(extract_documents(docs, nlp=nlp, n_process=1))
    two = list(extract_documents(docs, nlp=nlp, n_process=2))
    assert one == two


@pytest.fixture()
def corpus_with_broken_lines(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = []
    for i in range(200):
        if i in (3, 50, 99, 150, 199):
            lines.append("{this is not json" if i % 2 else json.dumps({"id": f"doc{i}", "title": "no text"}))
        else:
            lines.append(json.dumps({"id": f"doc{i}", "text": f"Officials in Seoul said on day {i} that "
                                     "North Korea had sent shells to Russia.", "published": "2023-11-02"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_prints_195_records_and_5_error_lines(corpus_with_broken_lines):
    result = CliRunner().invoke(cli, ["extract", str(corpus_with_broken_lines), "--quiet"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 195
    assert [r["doc_id"] for r in records] == [f"doc{i}" for i in range(200) if i not in (3, 50, 99, 150, 199)]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    assert all(("CG105" in e or "CG106" in e) and "corpus.jsonl:" in e for e in errors)


def test_cli_exits_non_zero_when_nothing_could_be_processed(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(bad), "--quiet"])
    assert result.exit_code == 1
    assert "CG105" in result.stderr


def test_strict_makes_the_first_error_fatal(corpus_with_broken_lines):
    result = CliRunner().invoke(cli, ["extract", str(corpus_with_broken_lines), "--quiet", "--strict"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: CG10")
