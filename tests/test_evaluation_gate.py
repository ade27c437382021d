"""The regression gate: every score pinned in evaluation/baseline.json must stay at or above
its floor. Runs the evaluations on whatever reference data are present (absent data skips
its floors) with the session's cached pipeline. CLAIMGRAPH_BASELINE=other.json points the gate
at another floor file (how to show that a floor above the current score fails `make test`)."""
from __future__ import annotations

import pytest

from claimgraph.evaluation import gate
from claimgraph.evaluation.suite import SCORE_PATHS, evaluate, flat_scores

from conftest import DATA

FLOORS = gate.load_floors()


# -- the gate's logic, on fake scores ------------------------------------------------------------
def test_floor_above_score_fails_and_at_or_below_passes():
    assert gate.check("x", 0.50, 0.51) is not None
    assert gate.check("x", 0.50, 0.50) is None
    assert gate.check("x", 0.50, 0.10) is None
    assert gate.check_all({"a": 0.7, "b": 0.2}, {"a": 0.6, "b": 0.3}) == ["b: 0.2000 is below its floor 0.3000"]
    with pytest.raises(Exception, match="below its floor"):
        gate.enforce({"a": 0.1}, {"a": 0.2})


def test_missing_score_fails_only_a_floor_above_zero():
    assert gate.check("x", None, 0.0) is None
    assert "no score" in gate.check("x", None, 0.3)
    # absent data: the floor is not checked at all
    assert gate.check_all({}, {"x": 0.3}, present=set()) == []
    assert gate.check_all({}, {"x": 0.3}, present={"x"}) != []


def test_suggest_only_raises():
    assert gate.suggest({"a": 0.80, "b": 0.10}, {"a": 0.50, "b": 0.30}) == {"a": 0.78, "b": 0.30}


def test_baseline_pins_every_score_and_nothing_else():
    assert set(FLOORS) == set(SCORE_PATHS)
    assert all(0.0 <= v <= 1.0 for v in FLOORS.values())


# -- the gate on real scores --------------------------------------------------------------------
@pytest.fixture(scope="module")
def evaluation(nlp):
    from claimgraph.evaluation.gold import evaluate_gold

    result = evaluate("all", DATA, nlp=nlp) if DATA.is_dir() else {}
    result["gold"] = evaluate_gold(nlp=nlp)
    return result


def _entry(result: dict, name: str) -> dict:
    path = SCORE_PATHS[name]
    node = result.get(path[0]) or {}
    return node if path[0] == "gold" else node.get(path[1]) or {}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_score_at_or_above_floor(evaluation, name):
    entry = _entry(evaluation, name)
    if "skipped" in entry or (not entry and not DATA.is_dir()):
        pytest.skip(entry.get("skipped") or f"reference data {DATA} absent")
    score = flat_scores(evaluation).get(name)
    reason = gate.check(name, score, FLOORS[name])
    if reason and "error" in entry:
        reason += f" ({entry['error']})"
    assert reason is None, reason


def test_a_floor_just_above_each_real_score_would_fail(evaluation):
    scores = flat_scores(evaluation)
    if not scores:
        pytest.skip("no evaluation ran")
    for name, score in scores.items():
        assert gate.check(name, score, score + 0.01) is not None
        assert gate.check(name, score, score) is None
