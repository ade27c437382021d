"""The SQLite store, fed hand-written OUTPUT.md records (no model needed)."""
from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from click.testing import CliRunner

from claimgraph.errors import DatabaseNotFound, RecordInvalid, SchemaTooNew
from claimgraph.store import MIGRATIONS, Migration, Store

NIS_TEXT = ("North Korea has supplied anti-tank weapons to Hamas, lawmakers said on Wednesday, "
            "citing South Korea's spy agency.")
KCNA_TEXT = "KCNA denied that North Korea had supplied weapons to Hamas."


def span(text: str, part: str, start: int = 0) -> list[int]:
    i = text.index(part, start)
    return [i, i + len(part)]


def nis_record(doc_id: str = "yonhap-1") -> dict:
    t = NIS_TEXT
    return {
        "schema": "claimgraph/1", "doc_id": doc_id, "title": "NK arms for Hamas",
        "url": "https://example.org/1", "outlet": "Yonhap", "published": "2023-11-02", "text": t,
        "actors": [
            {"id": "PRK", "name": "North Korea", "country": "PRK", "sector": "GOV", "kind": "state",
             "anonymous": False, "mentions": [span(t, "North Korea")]},
            {"id": "PSE-HAMAS", "name": "Hamas", "country": "PSE", "sector": "REB",
             "kind": "armed_group", "anonymous": False, "mentions": [span(t, "Hamas")]},
            {"id": "KOR-LEG", "name": "South Korean lawmakers", "country": "KOR", "sector": "LEG",
             "kind": "group", "anonymous": True, "mentions": [span(t, "lawmakers")]},
            {"id": "KOR-NIS", "name": "National Intelligence Service", "country": "KOR",
             "sector": "SPY", "kind": "organisation", "anonymous": False,
             "mentions": [span(t, "South Korea's spy agency")]},
        ],
        "claims": [{
            "id": f"{doc_id}:1", "speaker": "KOR-NIS", "speaker_text": "South Korea's spy agency",
            "chain": ["KOR-LEG", "KOR-NIS"], "cue": "say", "quote": "indirect", "stance": "assert",
            "certainty": "probable", "span": [0, len(t) - 1],
            "source_span": span(t, "South Korea's spy agency"), "cue_span": span(t, "said"),
            "content_span": span(t, "North Korea has supplied anti-tank weapons to Hamas"),
            "confidence": 0.8, "framing": [],
            "event": {
                "type": "AID", "mode": None, "context": ["military"], "source": ["PRK"],
                "target": ["PSE-HAMAS"], "via": [], "modality": "actual",
                "date": {"value": "2023-11-01", "precision": "day", "text": "Wednesday"},
                "location": {"name": "Gaza", "country": "PSE", "lat": 31.5, "lon": 34.47},
                "materiel": [{"text": "anti-tank weapons", "category": "anti-tank"}],
                "trigger_span": span(t, "supplied"), "cameo": "0712", "negated": False,
                "confidence": 0.7,
            },
        }],
    }


def kcna_record(doc_id: str = "kcna-1") -> dict:
    t = KCNA_TEXT
    return {
        "schema": "claimgraph/1", "doc_id": doc_id, "title": None, "url": None, "outlet": "KCNA",
        "published": "2023-11-03", "text": t,
        "actors": [
            {"id": "PRK-KCNA", "name": "Korean Central News Agency", "country": "PRK",
             "sector": "MED", "kind": "media", "anonymous": False, "mentions": [span(t, "KCNA")]},
            {"id": "PRK", "name": "North Korea", "country": "PRK", "sector": "GOV", "kind": "state",
             "anonymous": False, "mentions": [span(t, "North Korea")]},
            {"id": "PSE-HAMAS", "name": "Hamas", "country": "PSE", "sector": "REB",
             "kind": "armed_group", "anonymous": False, "mentions": [span(t, "Hamas")]},
        ],
        "claims": [{
            "id": f"{doc_id}:1", "speaker": "PRK-KCNA", "speaker_text": "KCNA", "chain": ["PRK-KCNA"],
            "cue": "deny", "quote": "indirect", "stance": "deny", "certainty": "certain",
            "span": [0, len(t)], "source_span": span(t, "KCNA"), "cue_span": span(t, "denied"),
            "content_span": span(t, "North Korea had supplied weapons to Hamas"), "confidence": 0.9,
            "framing": [],
            "event": {"type": "AID", "mode": None, "context": [], "source": ["PRK"],
                      "target": ["PSE-HAMAS"], "via": [], "modality": "actual", "date": None,
                      "location": None, "materiel": [], "trigger_span": span(t, "supplied"),
                      "cameo": "0712", "negated": False, "confidence": None},
        }],
    }


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cg.db"


@pytest.fixture
def store(db):
    with Store(db) as s:
        yield s


def assert_consistent(store: Store) -> None:
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.check()["ok"], store.check()


def test_write_and_read_back(store):
    result = store.write_records([nis_record()])
    assert (result.documents, result.replaced, result.skipped, result.claims, result.events) == (1, 0, 0, 1, 1)
    assert store.table_counts() == {
        "documents": 1, "records": 1, "actors": 4, "document_actors": 4, "actor_mentions": 4,
        "claims": 1, "claim_chain": 2, "claim_event_actors": 2}

    claim = store.query("SELECT * FROM claims")[0]
    assert claim["id"] == "yonhap-1:1"
    assert claim["speaker"] == "KOR-NIS"
    assert claim["content"] == "North Korea has supplied anti-tank weapons to Hamas"
    assert (claim["event_type"], claim["event_modality"], claim["event_date"],
            claim["event_date_precision"], claim["event_location_name"]) == (
        "AID", "actual", "2023-11-01", "day", "Gaza")
    assert NIS_TEXT[claim["trigger_start"]:claim["trigger_end"]] == "supplied"
    assert json.loads(claim["materiel"]) == [{"text": "anti-tank weapons", "category": "anti-tank"}]
    assert claim["event_key"] == "AID|PRK|PSE-HAMAS"
    assert claim["name"].startswith("KOR-NIS: North Korea has supplied")
    assert store.query("SELECT position, actor_id FROM claim_chain ORDER BY position") == [
        {"position": 0, "actor_id": "KOR-LEG"}, {"position": 1, "actor_id": "KOR-NIS"}]
    assert store.query("SELECT role, actor_id FROM claim_event_actors ORDER BY role") == [
        {"role": "source", "actor_id": "PRK"}, {"role": "target", "actor_id": "PSE-HAMAS"}]
    assert store.query("SELECT text FROM actor_mentions WHERE actor_id = 'KOR-NIS'") == [
        {"text": "South Korea's spy agency"}]
    assert store.query("SELECT name, anonymous FROM actors WHERE id = 'KOR-LEG'") == [
        {"name": "South Korean lawmakers", "anonymous": 1}]
    doc = store.query("SELECT name, outlet, published, n_actors, n_claims FROM documents")[0]
    assert doc == {"name": "NK arms for Hamas", "outlet": "Yonhap", "published": "2023-11-02",
                   "n_actors": 4, "n_claims": 1}
    assert store.get_record("yonhap-1") == nis_record()
    assert store.get_record("nope") is None
    assert_consistent(store)


def test_unknown_fields_round_trip(store):
    record = nis_record()
    record["meta"] = {"feed_author": "desk"}
    record["claims"][0]["hedges"] = ["reportedly"]
    record["actors"][0]["wikidata"] = "Q423"
    store.write_records([record])
    assert store.get_record("yonhap-1") == record
    assert json.loads(store.query("SELECT extra FROM claims")[0]["extra"]) == {"hedges": ["reportedly"]}


def test_reingest_is_idempotent(store):
    store.write_records([nis_record(), kcna_record()])
    first = store.table_counts()
    result = store.write_records([kcna_record(), nis_record()])
    assert (result.documents, result.replaced) == (2, 2)
    assert store.table_counts() == first
    assert store.document_ids() == ["kcna-1", "yonhap-1"]
    assert_consistent(store)


def test_changed_document_replaces_its_rows(store):
    store.write_records([nis_record(), kcna_record()])
    changed = nis_record()
    changed["actors"] = [a for a in changed["actors"] if a["id"] != "KOR-LEG"]
    changed["claims"][0]["chain"] = ["KOR-NIS"]
    changed["claims"][0]["event"]["type"] = "SUPPORT"
    changed["title"] = "Revised"
    store.write_records([changed])

    assert store.query("SELECT count(*) AS n FROM documents")[0]["n"] == 2
    assert store.query("SELECT name FROM documents WHERE id = 'yonhap-1'") == [{"name": "Revised"}]
    assert store.query("SELECT event_type FROM claims WHERE doc_id = 'yonhap-1'") == [{"event_type": "SUPPORT"}]
    assert store.query("SELECT actor_id FROM claim_chain WHERE claim_id = 'yonhap-1:1'") == [{"actor_id": "KOR-NIS"}]
    # The actor only the old version referred to is gone; shared ones stay.
    assert store.query("SELECT id FROM actors ORDER BY id") == [
        {"id": i} for i in ("KOR-NIS", "PRK", "PRK-KCNA", "PSE-HAMAS")]
    assert store.search_documents("Revised")[0]["id"] == "yonhap-1"
    assert store.search_documents("arms") == []
    assert_consistent(store)


def test_deleting_a_document_removes_everything_it_owned(store):
    store.write_records([nis_record(), kcna_record()])
    assert store.delete_documents(["yonhap-1", "missing"]) == 1
    assert store.table_counts() == {
        "documents": 1, "records": 1, "actors": 3, "document_actors": 3, "actor_mentions": 3,
        "claims": 1, "claim_chain": 1, "claim_event_actors": 2}
    assert store.search_claims("anti-tank") == []
    assert_consistent(store)


def test_full_text_search(store):
    store.write_records([nis_record(), kcna_record()])
    hits = store.search_claims("anti-tank weapons")
    assert [h["id"] for h in hits] == ["yonhap-1:1"]
    assert sorted(h["id"] for h in store.search_claims("weapons")) == ["kcna-1:1", "yonhap-1:1"]
    assert [h["id"] for h in store.search_claims("speaker_text:KCNA", raw=True)] == ["kcna-1:1"]
    assert [h["id"] for h in store.search_documents("spy agency")] == ["yonhap-1"]
    from claimgraph.errors import BadQueryParameter
    with pytest.raises(BadQueryParameter):
        store.search_claims('"unterminated', raw=True)


def test_stats_counts_denials_disputes_and_pairs(store):
    store.write_records([nis_record(), kcna_record(), nis_record("wire-2")])
    stats = store.stats()
    assert {k: stats[k] for k in ("documents", "actors", "actor_mentions", "claims", "events",
                                  "denials", "disputed_claims", "disputed_events")} == {
        "documents": 3, "actors": 5, "actor_mentions": 11, "claims": 3, "events": 3,
        "denials": 1, "disputed_claims": 3, "disputed_events": 1}
    assert stats["top_actor_pairs"] == [{
        "source": "PRK", "source_name": "North Korea", "target": "PSE-HAMAS",
        "target_name": "Hamas", "events": 3, "asserted": 2, "denied": 1, "types": "AID"}]


def test_negated_event_counts_as_a_denial_for_disputes(store):
    # "KCNA said North Korea did not supply …" may come as stance=assert with negated=True.
    kcna = kcna_record()
    kcna["claims"][0]["stance"] = "assert"
    kcna["claims"][0]["event"]["negated"] = True
    store.write_records([nis_record(), kcna])
    assert store.stats()["disputed_claims"] == 2
    assert store.query("SELECT polarity FROM events WHERE doc_id = 'kcna-1'") == [{"polarity": "negative"}]


def test_a_denial_of_a_negated_event_is_still_a_denial(store):
    # "North Korea denied supplying weapons": the cue makes stance deny and the events component
    # marks the complement negated; both say the same thing, not a double negative.
    kcna = kcna_record()
    kcna["claims"][0]["stance"] = "deny"
    kcna["claims"][0]["event"]["negated"] = True
    store.write_records([nis_record(), kcna])
    assert store.query("SELECT polarity FROM events WHERE doc_id = 'kcna-1'") == [{"polarity": "negative"}]
    assert store.stats()["disputed_claims"] == 2


def test_bad_records_are_skipped_and_the_rest_stored(store):
    no_id = nis_record()
    del no_id["doc_id"]
    wrong_schema = nis_record("x-2")
    wrong_schema["schema"] = "claimgraph/0"
    bad_span = nis_record("x-3")
    bad_span["claims"][0]["span"] = [10, 2]
    # Passes validation but cannot be bound by sqlite: must roll back alone, leaving no trace.
    unbindable = nis_record("x-4")
    unbindable["claims"][0]["confidence"] = {"high": True}
    seen = []
    result = store.write_records(
        [nis_record(), no_id, wrong_schema, "not a record", bad_span, unbindable, kcna_record()],
        on_error=seen.append, batch_size=3)
    assert (result.documents, result.skipped) == (2, 5)
    assert [e.code for e in seen] == ["CG303"] * 5
    assert [e.where for e in seen] == [None, "x-2", None, "x-3 claim x-3:1", "x-4"]
    assert store.document_ids() == ["kcna-1", "yonhap-1"]
    assert store.query("SELECT count(*) AS n FROM claims WHERE doc_id = 'x-4'") == [{"n": 0}]
    assert store.query("SELECT count(*) AS n FROM actor_mentions WHERE doc_id = 'x-4'") == [{"n": 0}]
    assert_consistent(store)


def test_strict_mode_raises_and_rolls_back_the_batch(store):
    bad = nis_record("x-2")
    bad["schema"] = None
    with pytest.raises(RecordInvalid) as info:
        store.write_records([nis_record(), bad], strict=True)
    assert info.value.code == "CG303"
    assert store.document_ids() == []


def test_a_crash_loses_only_the_batch_in_flight(store):
    def records():
        for i in range(5):
            yield nis_record(f"d-{i}")
        raise KeyboardInterrupt  # the process dies while the third batch is being filled

    with pytest.raises(KeyboardInterrupt):
        store.write_records(records(), batch_size=2)
    assert store.document_ids() == ["d-0", "d-1", "d-2", "d-3"]
    assert_consistent(store)


def test_batch_hook_sees_changed_documents_and_event_keys(store):
    seen = []
    store.add_batch_hook(lambda conn, change: seen.append(
        (sorted(change.written), sorted(change.deleted), sorted(change.event_keys))))
    store.write_records([nis_record()])
    changed = nis_record()
    changed["claims"][0]["event"]["type"] = "SUPPORT"
    store.write_records([changed])
    assert seen == [
        (["yonhap-1"], [], ["AID|PRK|PSE-HAMAS"]),
        (["yonhap-1"], ["yonhap-1"], ["AID|PRK|PSE-HAMAS", "SUPPORT|PRK|PSE-HAMAS"]),
    ]


def test_failing_batch_hook_rolls_back_the_batch(store):
    def hook(conn, change):
        raise RuntimeError("derived table update failed")

    store.add_batch_hook(hook)
    with pytest.raises(RuntimeError):
        store.write_records([nis_record()])
    assert store.document_ids() == []


def test_migration_from_an_older_version(db):
    with Store(db, migrations=MIGRATIONS[:1]) as old:
        assert old.schema_version == 1
        old.write_records([nis_record(), kcna_record()])
        assert old.query("SELECT name FROM sqlite_master WHERE name = 'events'") == []

    extra = Migration(len(MIGRATIONS) + 1, "test: a column added by a function",
                      function=lambda conn: conn.execute("ALTER TABLE actors ADD COLUMN note TEXT"))
    with Store(db, migrations=(*MIGRATIONS, extra)) as new:
        assert new.schema_version == len(MIGRATIONS) + 1
        assert [r["version"] for r in new.query("SELECT version FROM migrations ORDER BY version")] == \
            list(range(1, len(MIGRATIONS) + 2))
        assert new.document_ids() == ["kcna-1", "yonhap-1"]
        assert new.query("SELECT claim_id, source, target, polarity FROM events ORDER BY claim_id") == [
            {"claim_id": "kcna-1:1", "source": "PRK", "target": "PSE-HAMAS", "polarity": "negative"},
            {"claim_id": "yonhap-1:1", "source": "PRK", "target": "PSE-HAMAS", "polarity": "positive"}]
        assert new.query("SELECT note FROM actors WHERE id = 'PRK'") == [{"note": None}]
        assert_consistent(new)


def test_failed_migration_leaves_the_previous_version(db):
    Store(db, migrations=MIGRATIONS[:1]).close()
    broken = Migration(2, "broken", sql="CREATE VIEW v AS SELECT 1;\nSELECT * FROM no_such_table;")
    from claimgraph.errors import StoreError
    with pytest.raises(StoreError):
        Store(db, migrations=(MIGRATIONS[0], broken))
    with Store(db, migrations=MIGRATIONS[:1]) as again:
        assert again.schema_version == 1
        assert again.query("SELECT name FROM sqlite_master WHERE name = 'v'") == []


def test_a_newer_database_is_refused(db):
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO migrations (version, name, applied_at) VALUES (99, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew) as info:
        Store(db)
    assert info.value.code == "CG301"
    assert "99" in info.value.one_line()


def test_missing_database_when_not_creating(tmp_path):
    with pytest.raises(DatabaseNotFound) as info:
        Store(tmp_path / "absent.db", create=False)
    assert info.value.code == "CG302"
    assert not (tmp_path / "absent.db").exists()


def test_pragmas(store):
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_datasette_metadata(store, db):
    path = store.write_metadata()
    assert path == db.parent / "cg.db.metadata.json"
    metadata = json.loads(path.read_text())
    tables = metadata["databases"]["cg"]["tables"]
    for table in ("documents", "actors", "claims"):
        assert tables[table]["label_column"] == "name"
    assert tables["claims"]["fts_table"] == "claims_fts"
    assert tables["documents"]["fts_table"] == "documents_fts"
    existing = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert set(tables) <= existing


def test_stats_and_summary_commands(db):
    from claimgraph.cli.store import stats, summary

    with Store(db) as s:
        s.write_records([nis_record(), kcna_record()])
    runner = CliRunner()
    out = runner.invoke(stats, ["--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["documents"], data["claims"], data["disputed_claims"]) == (2, 2, 2)
    assert data["tables"]["claim_chain"] == 3
    out = runner.invoke(summary, ["--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "documents             2" in out.output
    assert "disputed claims       2" in out.output
    assert "North Korea (PRK) → Hamas (PSE-HAMAS): 2 [AID, 1 denied]" in out.output
    missing = runner.invoke(stats, ["--db", str(db.parent / "none.db")])
    assert missing.exit_code != 0


def test_readonly_store_reads_but_never_writes(db):
    with Store(db) as s:
        s.write_records([nis_record()])
    with Store(db, readonly=True) as ro:
        assert ro.stats()["documents"] == 1
        assert [h["id"] for h in ro.search_claims("rockets OR weapons", raw=True)] == ["yonhap-1:1"]
        from claimgraph.errors import StoreError
        with pytest.raises(StoreError):
            ro.write_records([kcna_record()])
        assert ro.document_ids() == ["yonhap-1"]
    with pytest.raises(DatabaseNotFound):
        Store(db.parent / "absent.db", readonly=True)


def test_a_file_that_is_not_a_database(tmp_path):
    from claimgraph.errors import StoreError

    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.code == "CG300"
