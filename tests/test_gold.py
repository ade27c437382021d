"""The in-project gold set (tests/gold/): the files are well formed, the comparison catches
wrong fields, and the pipeline's per-field pass rate stays above its floor in baseline.json.
The per-field table is printed (pytest -s, or on failure) so a run says which fields fail."""
from __future__ import annotations

import copy
import json

import pytest

from claimgraph.evaluation import gate
from claimgraph.evaluation.gold import GOLD_DIR, check_passage, evaluate_gold, load_gold, score_passage

from conftest import SAMPLE


def test_gold_files_are_well_formed():
    passages = load_gold()
    assert 8 <= len(passages) <= 12
    assert len({p["id"] for p in passages}) == len(passages)
    problems = [x for p in passages for x in check_passage(p)]
    assert problems == []
    covered = " ".join(c for p in passages for c in p["covers"])
    for topic in ("chain", "denial", "planned", "hypothetical", "habitual", "month", "year", "via"):
        assert topic in covered, topic


def test_gold_passages_are_not_taken_from_the_sample():
    if not SAMPLE.is_file():
        pytest.skip("sample article absent")
    sample = " ".join(SAMPLE.read_text(encoding="utf-8").split())
    for passage in load_gold():
        words = passage["text"].split()
        for i in range(len(words) - 5):
            window = " ".join(words[i:i + 6])
            assert window not in sample, (passage["id"], window)


def _perfect_record(passage: dict) -> dict:
    """A record that meets every expectation of ``passage``, built from the gold itself."""
    text = passage["text"]
    claims = []
    for claim_gold in passage["claims"]:
        anchor = claim_gold["anchor"]
        claim = {"event": {}}
        if anchor.get("content"):
            s = text.index(anchor["content"])
            claim["content_span"] = [s, s + len(anchor["content"])]
        if anchor.get("cue"):
            s = text.index(anchor["cue"])
            claim["cue_span"] = [s, s + len(anchor["cue"])]
            claim.setdefault("content_span", [s, len(text)])
        for name, value in claim_gold["expect"].items():
            node = claim
            parts = name.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = copy.deepcopy(value)
        claims.append(claim)
    return {"claims": claims}


def test_comparison_passes_a_perfect_record_and_names_wrong_fields():
    passage = next(p for p in load_gold() if p["id"] == "g02")
    record = _perfect_record(passage)
    assert all(r["ok"] for r in score_passage(passage, record))
    record["claims"][0]["chain"] = ["ISR"]
    record["claims"][0]["event"]["date"]["value"] = "2024-03-12"
    record["claims"][1]["event"]["target"] = ["LBN"]
    failed = {(r["claim"], r["field"]) for r in score_passage(passage, record) if not r["ok"]}
    assert failed == {(0, "chain"), (0, "event.date.value"), (1, "event.target"), (1, "same_event_as")}
    assert not any(r["ok"] for r in score_passage(passage, {"claims": []}))


def test_missing_event_fails_a_null_date():
    passage = next(p for p in load_gold() if p["id"] == "g03")
    record = _perfect_record(passage)
    record["claims"][0]["event"] = None
    failed = {r["field"] for r in score_passage(passage, record) if not r["ok"]}
    assert "event.date" in failed and "event.type" in failed


def test_gold_pass_rate_at_or_above_floor(nlp):
    result = evaluate_gold(nlp=nlp, directory=GOLD_DIR, errors=1000)
    table = "\n".join(f"  {name:<22} {v['passed']:>3}/{v['checks']:<3} {v['rate']:.2f}"
                      for name, v in result["by_field"].items())
    failures = "\n".join(f"  {f['passage']} claim {f['claim']} {f['field']}: expected "
                         f"{json.dumps(f['expected'])}, got {json.dumps(f['got'])}" for f in result["failures"])
    print(f"\ngold field pass rate {result['field_pass_rate']:.3f} "
          f"({result['passed']}/{result['checks']}, claims found {result['claims_found']}/{result['claims']})\n"
          f"{table}\nfailing fields:\n{failures}")
    floor = gate.load_floors()["gold.field_pass_rate"]
    reason = gate.check("gold.field_pass_rate", result["field_pass_rate"], floor)
    assert reason is None, f"{reason}\n{table}"
