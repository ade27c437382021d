"""The Spark job (local[2,2]) against a local run of the same input: same records, bad
documents in errors/, no duplicated rows after a task retry or a re-run, and `load` giving the
same database as `ingest`. Skips when pyspark or Java is missing; the checks that Spark is
optional run everywhere."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.errors import SparkUnavailable

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "corpus" / "articles.jsonl"

# Lines that must fail, one way each, plus documents without an id or a publication date.
EXTRA_LINES = [
    '{"id": "broken-json", "text": ',
    json.dumps({"id": "empty-1", "text": "   ", "published": "2023-11-02"}),
    "",
    json.dumps({"text": "Officials in Seoul said North Korea fired a ballistic missile on Tuesday.",
                "published": "2023-11-07", "outlet": "Wire desk"}),
    json.dumps({"id": "undated-1", "text": "Iran denied that it had armed Hamas, its foreign "
                "ministry said."}),
]
FALLBACK_DOCS = [  # only when the demo corpus is absent
    {"id": f"synthetic-{i}", "published": f"2023-{10 + i % 2}-0{1 + i % 8}", "outlet": "Wire desk",
     "text": f"South Korea's spy agency said on Wednesday that North Korea had supplied weapons "
             f"to Hamas, according to lawmaker number {i}. Pyongyang denied the report."}
    for i in range(12)
]


# -- Spark is optional --------------------------------------------------------------------------
def test_spark_cli_imports_without_pyspark():
    code = ("import sys; import claimgraph.cli.main, claimgraph.cli.spark, claimgraph.scale.job; "
            "print('pyspark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_pyspark_raises_cg701(monkeypatch):
    from claimgraph.scale.session import require_spark

    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    with pytest.raises(SparkUnavailable) as info:
        require_spark()
    assert info.value.code == "CG701"
    assert "pip install" in info.value.message


def test_month_partition_names():
    from claimgraph.scale.layout import month_of

    assert month_of("2023-11-02") == "2023-11"
    assert month_of(None) == "unknown"
    assert month_of("November 2023") == "unknown"


# -- the Spark job ---------------------------------------------------------------------------
def _spark_or_skip():
    pytest.importorskip("pyspark")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        pytest.skip("no Java: Spark needs Java 17")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spark-in") / "corpus.jsonl"
    lines = (DEMO.read_text(encoding="utf-8").splitlines() if DEMO.is_file()
             else [json.dumps(d) for d in FALLBACK_DOCS])
    path.write_text("\n".join(lines + EXTRA_LINES) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spark():
    _spark_or_skip()
    from claimgraph.scale.session import SparkSessionHandle

    # local[2,2]: two cores, and a failed task is tried again once (plain local[2] never retries).
    # Small Arrow batches so that a task streams several batches and can fail half-way.
    conf = {"spark.sql.execution.arrow.maxRecordsPerBatch": "3", "spark.sql.shuffle.partitions": "2"}
    with SparkSessionHandle(master="local[2,2]", partitions=2, quiet=True, conf=conf) as session:
        yield session


def _local_extract(paths, *args) -> tuple[list[dict], list[str]]:
    from claimgraph.cli.extract import extract

    result = CliRunner().invoke(extract, [*map(str, paths), "-q", *args])  # stderr kept apart
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return sorted(records, key=lambda r: r["doc_id"]), result.stderr.splitlines()


def _spark_records(output) -> list[dict]:
    from claimgraph.scale.layout import iter_output_records

    return sorted(iter_output_records(str(output)), key=lambda r: r["doc_id"])


def _records_table(output):
    import pyarrow.dataset as ds

    return ds.dataset(str(Path(output) / "records"), format="parquet", partitioning="hive").to_table()


def _failed_tasks(spark, group: str) -> int:
    tracker = spark.sparkContext.statusTracker()
    failed = 0
    for job_id in tracker.getJobIdsForGroup(group):
        for stage_id in tracker.getJobInfo(job_id).stageIds:
            info = tracker.getStageInfo(stage_id)
            failed += info.numFailedTasks if info else 0
    return failed


@pytest.fixture(scope="module")
def spark_run(spark, corpus, tmp_path_factory):
    """One job whose first task attempt fails half-way, then the local run of the same input."""
    from claimgraph.scale.job import run_extract
    from claimgraph.scale.worker import FAIL_FIRST_ATTEMPT

    output = tmp_path_factory.mktemp("spark-out") / "out"
    sc = spark.sparkContext
    sc.setJobGroup("claimgraph-retry", "first attempt fails")
    sc.setLocalProperty(FAIL_FIRST_ATTEMPT, "true")
    try:
        summary = run_extract([str(corpus)], str(output), spark=spark, partitions=2)
    finally:
        sc.setLocalProperty(FAIL_FIRST_ATTEMPT, None)
        sc.setJobGroup("claimgraph-other", "")
    failed_tasks = _failed_tasks(spark, "claimgraph-retry")
    local, local_errors = _local_extract([corpus])
    return {"output": output, "summary": summary, "local": local, "local_errors": local_errors,
            "failed_tasks": failed_tasks}


@pytest.mark.slow
def test_spark_records_equal_local_extract(spark_run):
    spark_records = _spark_records(spark_run["output"])
    local = spark_run["local"]
    assert [r["doc_id"] for r in spark_records] == [r["doc_id"] for r in local]
    assert len(local) == (14 if DEMO.is_file() else 12) + 2
    for got, want in zip(spark_records, local):
        assert got == want, got["doc_id"]


@pytest.mark.slow
def test_bad_documents_go_to_errors_and_the_job_succeeds(spark_run):
    from claimgraph.scale.layout import read_errors

    summary = spark_run["summary"]
    errors = read_errors(str(spark_run["output"]))
    n_lines = (14 if DEMO.is_file() else 12)
    assert [(e["code"], e["origin"].rsplit(":", 1)[1]) for e in errors] == [
        ("CG105", str(n_lines + 1)), ("CG101", str(n_lines + 2))]
    assert all(e["message"] for e in errors)
    # The local run reports the same two documents with the same codes.
    local_codes = sorted(line.split()[1] for line in spark_run["local_errors"] if line.startswith("error:"))
    assert local_codes == ["CG101", "CG105"]
    assert (summary.records, summary.errors) == (len(spark_run["local"]), 2)


@pytest.mark.slow
def test_output_columns_and_month_partitions(spark_run):
    output = spark_run["output"]
    months = sorted(p.name for p in (output / "records").iterdir() if p.is_dir())
    assert "month=unknown" in months and "month=2023-11" in months
    table = _records_table(output).to_pylist()
    for row in table:
        record = json.loads(row["record"])
        assert row["doc_id"] == record["doc_id"]
        assert row["published"] == record["published"]
        assert row["month"] == (record["published"][:7] if record["published"] else "unknown")
        assert row["n_claims"] == len(record["claims"])
        assert row["n_events"] == sum(1 for c in record["claims"] if c["event"])
        assert row["n_actors"] == len(record["actors"])
        assert row["n_chars"] == len(record["text"])
    undated = next(r for r in table if r["doc_id"] == "undated-1")
    assert undated["month"] == "unknown" and undated["published"] is None


@pytest.mark.slow
def test_task_retry_adds_no_rows(spark_run):
    assert spark_run["failed_tasks"] >= 1, "the injected failure did not happen"
    table = _records_table(spark_run["output"])
    doc_ids = table.column("doc_id").to_pylist()
    assert len(doc_ids) == len(set(doc_ids)) == len(spark_run["local"])


@pytest.mark.slow
def test_cli_rerun_overwrites_and_load_equals_local_ingest(spark, spark_run, corpus, tmp_path):
    from claimgraph.cli.spark import load, spark as spark_group
    from claimgraph.cli.store import ingest
    from claimgraph.query import iter_propositions
    from claimgraph.store import Store

    # Again over the first run's output, with another partition count: replaced, not added to.
    output = spark_run["output"]
    before = sorted(_records_table(output).column("seq").to_pylist())
    result = CliRunner().invoke(spark_group, ["extract", str(corpus), str(output), "--master", "local[2]",
                                              "--partitions", "3", "--json", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{"):])
    assert summary["records"] == len(spark_run["local"]) and summary["errors"] == 2
    assert sorted(_records_table(output).column("seq").to_pylist()) == before
    assert _spark_records(output) == spark_run["local"]

    spark_db, local_db = tmp_path / "spark.db", tmp_path / "local.db"
    for _ in range(2):  # loading twice changes nothing
        result = CliRunner().invoke(load, [str(output), "--db", str(spark_db), "-q"])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(ingest, [str(corpus), "--db", str(local_db), "-q"])
    assert result.exit_code == 0, result.output

    with Store(spark_db) as a, Store(local_db) as b:
        assert a.table_counts() == b.table_counts()
        assert list(a.iter_records()) == list(b.iter_records())
        assert list(iter_propositions(a)) == list(iter_propositions(b))


@pytest.mark.slow
def test_parquet_input_gives_the_same_records(spark, spark_run, corpus, tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from claimgraph.scale.job import run_extract

    rows = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    table = pa.table({
        "id": [r.get("id") for r in rows], "text": [r.get("text") for r in rows],
        "title": [r.get("title") for r in rows], "url": [r.get("url") for r in rows],
        "outlet": [r.get("outlet") for r in rows],
        # A real date column, as Parquet corpora usually carry.
        "published": pa.array([dt.date.fromisoformat(r["published"]) if r.get("published") else None
                               for r in rows], pa.date32()),
    })
    source = tmp_path / "corpus.parquet"
    pq.write_table(table, source)
    summary = run_extract([str(source)], str(tmp_path / "out"), spark=spark, partitions=2)
    assert (summary.records, summary.errors) == (len(spark_run["local"]), 1)  # the empty text
    got = _spark_records(tmp_path / "out")
    for record in got:
        assert record.pop("meta") == {"format": "parquet"}
    want = [{k: v for k, v in r.items() if k != "meta"} for r in spark_run["local"]]
    assert got == want


@pytest.mark.slow
def test_warc_input_equals_local_extract(spark, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from claimgraph.scale.job import run_extract

    pages = {
        "https://example.org/a": "<html><head><title>Weapons</title></head><body><article><p>Israeli "
        "forces recovered North Korean F-7 rockets from Hamas fighters, officials said on Monday."
        "</p></article></body></html>",
        "https://example.org/b": "<html><head><title>Seoul</title></head><body><article><p>South Korea "
        "summoned the ambassador over the weapons reports, Yonhap said.</p></article></body></html>",
        "https://example.org/empty": "<html><body><script>x()</script></body></html>",
    }
    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, body in pages.items():
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode()), http_headers=http,
                warc_headers_dict={"WARC-Date": "2023-11-05T08:00:00Z"}))
    summary = run_extract([str(warc)], str(tmp_path / "out"), spark=spark, input_format="warc",
                          partitions=2)
    local, errors = _local_extract([warc], "--input-format", "warc")
    assert len(local) == 2 and summary.records == 2 and summary.errors == 1
    assert _spark_records(tmp_path / "out") == local
