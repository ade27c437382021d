"""`claimgraph ingest` end to end, in subprocesses: errors, exit status, idempotence, and a
SIGKILL in the middle of a run that must leave a consistent database."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def article(i: int) -> dict:
    month = MONTHS[i % 12]
    text = (f"North Korea supplied rockets to Hamas in {month}, South Korean officials said on "
            f"Wednesday, citing intelligence gathered by the National Intelligence Service. "
            f"The state news agency KCNA denied the report in a statement issued on Thursday. "
            f"Analysts said report number {i} could not be verified independently.")
    return {"id": f"doc-{i:04d}", "text": text, "title": f"Report {i}", "outlet": "Wire desk",
            "published": "2023-11-02"}


def write_corpus(path: Path, n: int, broken: int = 0) -> Path:
    lines = [json.dumps(article(i)) for i in range(n)]
    for k in range(broken):
        lines.insert(1 + k * 3, "{this is not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def claimgraph(*args: str, config: Path | None = None) -> list[str]:
    root = [sys.executable, "-m", "claimgraph.cli.main"]
    if config:
        root += ["--config", str(config)]
    return root + list(args)


def run(*args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(claimgraph(*args, config=config), capture_output=True, text=True,
                          timeout=600)


def db_facts(db: Path) -> dict:
    """Consistency facts read with plain sqlite3, as any other tool would see the file."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": conn.execute("PRAGMA foreign_key_check").fetchall(),
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "distinct_ids": conn.execute("SELECT count(DISTINCT id) FROM documents").fetchone()[0],
            # A half-written document would have fewer claim or record rows than it says.
            "half_written": conn.execute(
                "SELECT count(*) FROM documents d WHERE n_claims != "
                "(SELECT count(*) FROM claims c WHERE c.doc_id = d.id) "
                "OR NOT EXISTS (SELECT 1 FROM records r WHERE r.doc_id = d.id)").fetchone()[0],
            "rows": {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables
                     if t != "migrations"},
        }
    finally:
        conn.close()


def test_ingest_reports_bad_lines_and_is_idempotent(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 6, broken=2)
    db = tmp_path / "cg.db"
    first = run("ingest", str(corpus), "--db", str(db))
    assert first.returncode == 0, first.stderr
    error_lines = [l for l in first.stderr.splitlines() if l.startswith("error:")]
    assert len(error_lines) == 2 and all("CG105" in l for l in error_lines), first.stderr
    assert "ingested 6 documents (0 replaced)" in first.stderr
    facts = db_facts(db)
    assert (facts["integrity"], facts["foreign_keys"], facts["documents"]) == ("ok", [], 6)
    assert (tmp_path / "cg.db.metadata.json").is_file()

    second = run("ingest", str(corpus), "--db", str(db), "--quiet")
    assert second.returncode == 0, second.stderr
    assert "ingested" not in second.stderr
    assert db_facts(db)["rows"] == facts["rows"]

    stats = run("stats", "--db", str(db), "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"] == 6
    summary = run("summary", "--db", str(db))
    assert summary.returncode == 0 and "documents" in summary.stdout


def test_ingest_fails_only_when_nothing_is_stored(tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text("{not json\n[1, 2\n", encoding="utf-8")
    result = run("ingest", str(corpus), "--db", str(tmp_path / "cg.db"))
    assert result.returncode == 1
    assert sum(l.startswith("error:") for l in result.stderr.splitlines()) >= 2

    mixed = write_corpus(tmp_path / "mixed.jsonl", 2, broken=1)
    strict = run("ingest", str(mixed), "--db", str(tmp_path / "strict.db"), "--strict")
    assert strict.returncode == 1
    assert "CG105" in strict.stderr


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_leaves_every_document_once(tmp_path):
    n = 400
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    config = tmp_path / "small-batches.cfg"
    config.write_text("[store]\nbatch_size = 5\n[pipeline]\nbatch_size = 8\n", encoding="utf-8")
    db = tmp_path / "cg.db"

    process = subprocess.Popen(claimgraph("ingest", str(corpus), "--db", str(db), "--quiet",
                                          config=config),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    stored = 0  # schema not created yet, or the file is being set up
                if stored >= 20:
                    break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "ingest finished before it could be killed"

    killed = db_facts(db)
    assert (killed["integrity"], killed["foreign_keys"], killed["half_written"]) == ("ok", [], 0)
    assert 20 <= killed["documents"] < n

    rerun = run("ingest", str(corpus), "--db", str(db), "--quiet", config=config)
    assert rerun.returncode == 0, rerun.stderr
    done = db_facts(db)
    assert (done["integrity"], done["foreign_keys"], done["half_written"]) == ("ok", [], 0)
    assert done["documents"] == done["distinct_ids"] == n

    again = run("ingest", str(corpus), "--db", str(db), "--quiet", config=config)
    assert again.returncode == 0, again.stderr
    assert db_facts(db)["rows"] == done["rows"]

    from claimgraph.store import Store
    with Store(db, create=False) as store:
        assert store.check()["ok"]
