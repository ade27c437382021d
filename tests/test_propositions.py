"""Propositions across documents: grouping, independent sources, near-duplicate copies,
status, and incremental maintenance equal to a rebuild. Hand-built records (no model),
except the syndicated-copy test on the sample article."""
from __future__ import annotations

import json

import pytest

from claimgraph.store import MIGRATIONS, Store
from claimgraph.store.propositions import fold_actor, minhash, proposition_key

NK_HAMAS = {"type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"]}
BRIEFING = ("North Korea is likely to step up its support for Hamas, the National Intelligence "
            "Service told lawmakers on Wednesday, citing weapons seized in Israel that appear to "
            "have come from the North. The agency also said Pyongyang had shipped more than a "
            "million artillery shells to Russia since August in about ten shipments by sea.")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "cg.db") as s:
        yield s


def props(store: Store) -> list[dict]:
    rows = store.query("SELECT * FROM propositions ORDER BY prop_key, id")
    for r in rows:
        for field in ("source", "target", "asserting", "denying"):
            r[field] = json.loads(r[field])
    return rows


def members(store: Store, prop_id: str) -> dict[str, str]:
    return {r["claim_id"]: r["source_key"] for r in store.query(
        "SELECT claim_id, source_key FROM proposition_claims WHERE proposition_id = ?", (prop_id,))}


def snapshot(store: Store) -> dict:
    return {
        "propositions": store.query("SELECT * FROM propositions ORDER BY id"),
        "claims": store.query("SELECT * FROM proposition_claims ORDER BY proposition_id, claim_id"),
        "actors": store.query("SELECT * FROM proposition_actors ORDER BY proposition_id, role, actor_id"),
        "copies": store.query("SELECT doc_id, cluster, voice FROM document_copies ORDER BY doc_id"),
        "duplicates": store.query("SELECT * FROM document_duplicates ORDER BY doc_id, other_id"),
    }


def test_keys_fold_the_generic_government_actor_into_its_state():
    assert fold_actor("PRK-GOV") == "PRK"
    assert fold_actor("KOR-NIS") == "KOR-NIS"
    assert fold_actor("ISR-MIL") == "ISR-MIL"
    assert fold_actor("cg:gov") == "cg:gov"
    assert proposition_key("AID|PRK-GOV|PSE-HAMAS") == "AID|PRK|PSE-HAMAS"
    assert proposition_key("AID|PRK,PRK-GOV|PSE-HAMAS") == "AID|PRK|PSE-HAMAS"
    assert proposition_key("ACCUSE||") is None
    assert proposition_key("AID||PSE-HAMAS") == "AID||PSE-HAMAS"


def test_claims_from_several_documents_form_one_disputed_proposition(store, make_record):
    store.write_records([
        make_record("yonhap-1", {"speaker": "KOR-NIS", "chain": ["KOR-LEG", "KOR-NIS"], **NK_HAMAS},
                    outlet="Yonhap", published="2023-11-01"),
        make_record("toi-1", {"speaker": "ISR-GOV", **NK_HAMAS}, outlet="The Times of Israel",
                    published="2023-10-12"),
        make_record("kcna-1", {"speaker": "PRK-KCNA", "stance": "deny", **NK_HAMAS}, outlet="KCNA",
                    published="2023-11-04"),
    ])
    (p,) = props(store)
    assert p["name"] == "PRK → PSE-HAMAS: AID"
    assert (p["status"], p["independent_sources"], p["independent_denying"]) == ("disputed", 2, 1)
    assert p["asserting"] == ["ISR", "KOR-NIS"]          # ISR-GOV speaks for the state
    assert p["denying"] == ["PRK-KCNA"]
    assert (p["n_claims"], p["n_asserting"], p["n_denying"], p["n_documents"]) == (3, 2, 1, 3)
    assert (p["first_seen"], p["last_seen"]) == ("2023-10-12", "2023-11-04")
    assert p["date_start"] is None


def test_a_chain_through_the_same_original_speaker_counts_once(store, make_record):
    store.write_records([
        make_record("yonhap-1", {"speaker": "KOR-NIS", "chain": ["KOR-LEG", "KOR-NIS"], **NK_HAMAS},
                    outlet="Yonhap"),
        make_record("wire-1", {"speaker": "KOR-NIS", "chain": ["KOR-YONHAP", "KOR-LEG", "KOR-NIS"],
                               **NK_HAMAS}),
        make_record("joongang-1", {"speaker": "KOR-NIS", **NK_HAMAS}, outlet="Korea JoongAng Daily"),
    ])
    (p,) = props(store)
    assert (p["independent_sources"], p["n_claims"], p["status"]) == (1, 3, "uncorroborated")
    store.write_records([make_record("voa-1", {"speaker": "ISR-AKIVA-TOR", **NK_HAMAS}, outlet="VOA")])
    (p,) = props(store)
    assert (p["independent_sources"], p["status"]) == (2, "corroborated")


def test_a_syndicated_copy_is_a_near_duplicate_and_adds_no_source(store, make_record):
    original = make_record("wire-1", {"speaker": "KOR-NIS", **NK_HAMAS, "content": BRIEFING},
                           {"speaker": None, **NK_HAMAS, "type": "SUPPORT",
                            "content": "North Korea is likely to step up its support for Hamas"},
                           text=BRIEFING, published="2023-11-02")
    store.write_records([original])
    before = {p["prop_key"]: p["independent_sources"] for p in props(store)}
    assert before == {"AID|PRK|PSE-HAMAS": 1, "SUPPORT|PRK|PSE-HAMAS": 1}
    # The reprint adds a credit line and carries another outlet's name.
    copy = make_record("jpost-1", {"speaker": "KOR-NIS", **NK_HAMAS, "content": BRIEFING},
                       {"speaker": None, **NK_HAMAS, "type": "SUPPORT",
                        "content": "North Korea is likely to step up its support for Hamas"},
                       text=BRIEFING + " (Wire desk)", outlet="The Jerusalem Post",
                       published="2023-11-02")
    store.write_records([copy])
    after = {p["prop_key"]: (p["independent_sources"], p["n_claims"], p["independent_documents"])
             for p in props(store)}
    assert after == {"AID|PRK|PSE-HAMAS": (1, 2, 1), "SUPPORT|PRK|PSE-HAMAS": (1, 2, 1)}
    # The shorter text of the same day is the original; the copy speaks with its voice.
    assert store.query("SELECT doc_id, cluster, voice FROM document_copies ORDER BY doc_id") == [
        {"doc_id": "jpost-1", "cluster": "wire-1", "voice": "outlet:The Jerusalem Post"},
        {"doc_id": "wire-1", "cluster": "wire-1", "voice": "outlet:Wire desk"}]
    support = next(p for p in props(store) if p["type"] == "SUPPORT")
    assert set(members(store, support["id"]).values()) == {"outlet:Wire desk"}


def test_different_texts_are_not_duplicates(make_record):
    a = minhash(make_record("a", {"speaker": "KOR-NIS", **NK_HAMAS})["text"])
    b = minhash(make_record("b", {"speaker": "KOR-NIS", **NK_HAMAS})["text"])
    same = minhash(BRIEFING)
    assert float((a == b).mean()) < 0.3
    assert float((same == minhash(BRIEFING + " (Wire desk)")).mean()) > 0.8
    assert minhash("") is None


def test_the_outlet_voice_and_the_outlet_as_speaker_count_once(store, make_record):
    names = {"KOR-YONHAP": "Yonhap"}
    store.write_records([
        make_record("yonhap-1", {"speaker": None, **NK_HAMAS,
                                 "content": "SEOUL (Yonhap) North Korea sent arms to Hamas."},
                    outlet="Yonhap", names=names),
        make_record("wire-1", {"speaker": "KOR-YONHAP", **NK_HAMAS}, names=names),
    ])
    (p,) = props(store)
    assert p["asserting"] == ["KOR-YONHAP"]
    assert p["independent_sources"] == 1


def test_compatible_dates_join_and_distant_ones_split(store, make_record):
    store.write_records([
        make_record("a", {"speaker": "KOR-NIS", **NK_HAMAS, "date": "2023-11-01"}),
        make_record("b", {"speaker": "ISR-GOV", **NK_HAMAS, "date": "2023-11-03"}),
        make_record("c", {"speaker": "USA-DIA", **NK_HAMAS, "date": "2023-12-20"}),
        make_record("d", {"speaker": "KOR-JCS", **NK_HAMAS, "date": "2023-12"}),
        make_record("e", {"speaker": "PRK-KCNA", "stance": "deny", **NK_HAMAS}),
    ])
    found = [(p["date_start"], p["date_end"], p["status"], sorted(p["asserting"]), p["denying"])
             for p in props(store)]
    assert sorted(found) == [
        ("2023-11-01", "2023-11-03", "disputed", ["ISR", "KOR-NIS"], ["PRK-KCNA"]),
        # The month overlaps the day: one proposition; the undated denial disputes both.
        ("2023-12-01", "2023-12-31", "disputed", ["KOR-JCS", "USA-DIA"], ["PRK-KCNA"]),
    ]


def test_a_negated_assertion_is_a_denial_and_different_actors_stay_apart(store, make_record):
    store.write_records([
        make_record("a", {"speaker": "KOR-NIS", **NK_HAMAS}),
        make_record("b", {"speaker": "PRK", "negated": True, **NK_HAMAS}),
        make_record("c", {"speaker": "KOR-NIS", "type": "AID", "source": ["IRN"], "target": ["PSE-HAMAS"]}),
        make_record("d", {"speaker": "KOR-NIS", "type": "ASSAULT", "source": ["ISR-MIL"], "target": ["PSE-HAMAS"]}),
        make_record("e", {"speaker": "KOR-NIS", "type": "ASSAULT", "source": ["ISR"], "target": ["PSE-HAMAS"]}),
        make_record("f", {"speaker": "KOR-NIS", "type": "ACCUSE"}),   # no actors: no proposition
    ])
    got = {p["prop_key"]: p["status"] for p in props(store)}
    assert got == {"AID|PRK|PSE-HAMAS": "disputed", "AID|IRN|PSE-HAMAS": "uncorroborated",
                   "ASSAULT|ISR-MIL|PSE-HAMAS": "uncorroborated",
                   "ASSAULT|ISR|PSE-HAMAS": "uncorroborated"}


def test_incremental_updates_equal_a_rebuild_from_scratch(tmp_path, make_record):
    records = [
        make_record("yonhap-1", {"speaker": "KOR-NIS", **NK_HAMAS, "date": "2023-11-01"},
                    {"speaker": "KOR-NIS", "type": "AID", "source": ["PRK"], "target": ["RUS"],
                     "date": "2023-08"}, outlet="Yonhap", published="2023-11-01"),
        make_record("wire-1", {"speaker": "KOR-NIS", **NK_HAMAS, "content": BRIEFING},
                    {"speaker": None, "type": "SUPPORT", "source": ["PRK-GOV"], "target": ["PSE-HAMAS"],
                     "content": "North Korea is likely to step up its support for Hamas"},
                    text=BRIEFING, published="2023-11-02"),
        make_record("kcna-1", {"speaker": "PRK-KCNA", "stance": "deny", **NK_HAMAS},
                    {"speaker": "PRK-KCNA", "stance": "deny", "type": "AID", "source": ["PRK"],
                     "target": ["RUS"]}, outlet="KCNA", published="2023-11-04"),
        make_record("toi-1", {"speaker": "ISR-GOV", **NK_HAMAS, "date": "2023-10-31"},
                    outlet="The Times of Israel", published="2023-11-01"),
        make_record("jpost-1", {"speaker": "KOR-NIS", **NK_HAMAS, "content": BRIEFING},
                    {"speaker": None, "type": "SUPPORT", "source": ["PRK"], "target": ["PSE-HAMAS"],
                     "content": "North Korea is likely to step up its support for Hamas"},
                    text=BRIEFING + " (Wire desk)", outlet="The Jerusalem Post", published="2023-11-02"),
        make_record("wire-2", {"speaker": "USA-JOHN-KIRBY", "type": "AID", "source": ["PRK"],
                               "target": ["RUS"], "date": "2023-09-15"}, published="2023-10-13"),
    ]
    changed_kcna = make_record("kcna-1", {"speaker": "PRK-KCNA", "stance": "deny", "type": "AID",
                                          "source": ["PRK"], "target": ["RUS"]},
                               outlet="KCNA", published="2023-11-04")
    with Store(tmp_path / "inc.db", settings=None) as inc:
        for record in records:                          # one batch per document
            inc.write_records([record])
        inc.write_records([changed_kcna])               # a replaced document
        inc.delete_documents(["wire-1"])                # the original of a copy goes
        inc.write_records([records[1]])                 # and comes back
        inc.delete_documents(["wire-2"])
        incremental = snapshot(inc)
        inc.rebuild_propositions()
        assert snapshot(inc) == incremental
    with Store(tmp_path / "scratch.db") as scratch:     # the same end state, written at once
        final = [changed_kcna if r["doc_id"] == "kcna-1" else r for r in records if r["doc_id"] != "wire-2"]
        scratch.write_records(list(reversed(final)), batch_size=2)
        assert snapshot(scratch) == incremental
    statuses = {(p["prop_key"], p["date_start"]): (p["status"], p["independent_sources"])
                for p in incremental["propositions"]}
    assert statuses == {
        ("AID|PRK|PSE-HAMAS", "2023-10-31"): ("corroborated", 2),
        ("AID|PRK|RUS", "2023-08-01"): ("disputed", 1),
        ("SUPPORT|PRK|PSE-HAMAS", None): ("uncorroborated", 1),
    }


def test_deleting_the_original_leaves_the_copy_on_its_own(store, make_record):
    store.write_records([
        make_record("wire-1", {"speaker": None, **NK_HAMAS, "content": BRIEFING}, text=BRIEFING),
        make_record("jpost-1", {"speaker": None, **NK_HAMAS, "content": BRIEFING},
                    text=BRIEFING + " (Wire desk)", outlet="The Jerusalem Post"),
    ])
    assert props(store)[0]["asserting"] == ["outlet:Wire desk"]
    store.delete_documents(["wire-1"])
    assert store.query("SELECT doc_id, cluster FROM document_copies") == [
        {"doc_id": "jpost-1", "cluster": "jpost-1"}]
    assert props(store)[0]["asserting"] == ["outlet:The Jerusalem Post"]
    store.delete_documents(["jpost-1"])
    assert props(store) == []
    assert store.query("SELECT count(*) AS n FROM document_copies") == [{"n": 0}]


def test_migrating_an_older_database_backfills_propositions(tmp_path, make_record):
    db = tmp_path / "old.db"
    with Store(db, migrations=MIGRATIONS[:2]) as old:
        old.write_records([make_record("a", {"speaker": "KOR-NIS", **NK_HAMAS}),
                           make_record("b", {"speaker": "PRK", "stance": "deny", **NK_HAMAS})])
    with Store(db) as new:
        assert new.schema_version == 3
        (p,) = props(new)
        assert (p["status"], p["asserting"], p["denying"]) == ("disputed", ["KOR-NIS"], ["PRK"])
        assert new.check()["ok"]


def test_the_sample_article_ingested_twice_keeps_its_source_count(tmp_path, sample_record):
    with Store(tmp_path / "cg.db") as store:
        store.write_records([sample_record])
        once = {p["id"]: p["independent_sources"] for p in props(store)}
        claims_once = sum(p["n_claims"] for p in props(store))
        assert once, "the sample article should give at least one proposition"
        copy = {**sample_record, "doc_id": "sample-copy", "outlet": "Reprint Daily",
                "claims": [{**c, "id": c["id"].replace("sample:", "sample-copy:", 1)}
                           for c in sample_record["claims"]]}
        store.write_records([copy])
        twice = {p["id"]: p["independent_sources"] for p in props(store)}
        assert twice == once
        assert store.query("SELECT cluster FROM document_copies WHERE doc_id = 'sample-copy'") == [
            {"cluster": "sample"}]
        assert sum(p["n_claims"] for p in props(store)) == 2 * claims_once
