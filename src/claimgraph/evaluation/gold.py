"""The in-project gold set (tests/gold/*.json, format in tests/gold/README.md): run the
pipeline over each passage, pick the predicted claim each expectation anchors to, and compare
field by field. Every expected field is one check; the score is the share that pass, with
a per-field breakdown so a failing run says which fields (and components) are behind it."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..errors import EvaluationError

GOLD_DIR = Path(__file__).resolve().parents[3] / "tests" / "gold"
SET_FIELDS = {"event.source", "event.target", "event.via"}
_PRECISION_LEN = {"year": 4, "month": 7, "day": 10}
_MISSING = object()


def load_gold(directory: str | Path | None = None) -> list[dict]:
    directory = Path(directory) if directory else GOLD_DIR
    passages = []
    for path in sorted(directory.glob("*.json")):
        try:
            passage = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"gold file is not JSON: {exc}", where=str(path)) from exc
        passage["file"] = path.name
        passages.append(passage)
    return passages


def find_phrase(text: str, phrase: str, occurrence: int = 1) -> tuple[int, int] | None:
    start = -1
    for _ in range(max(1, occurrence)):
        start = text.find(phrase, start + 1)
        if start < 0:
            return None
    return (start, start + len(phrase))


def check_passage(passage: dict) -> list[str]:
    """Problems with a gold file itself (anchors not in the text, bad references)."""
    problems = []
    for i, claim in enumerate(passage.get("claims") or []):
        anchor = claim.get("anchor") or {}
        if not anchor.get("content") and not anchor.get("cue"):
            problems.append(f"{passage['id']} claim {i}: anchor needs 'content' or 'cue'")
        for key in ("content", "cue"):
            if anchor.get(key) and not find_phrase(passage["text"], anchor[key], anchor.get("occurrence", 1)):
                problems.append(f"{passage['id']} claim {i}: anchor {key} {anchor[key]!r} not in the text")
        ref = claim.get("same_event_as")
        if ref is not None and not (0 <= ref < len(passage["claims"]) and ref != i):
            problems.append(f"{passage['id']} claim {i}: same_event_as {ref} is not another claim")
        if not claim.get("expect"):
            problems.append(f"{passage['id']} claim {i}: nothing expected")
    return problems


def _overlaps(a, b) -> bool:
    return bool(a and b) and min(a[1], b[1]) > max(a[0], b[0])


def _content_spans(claim: dict) -> list:
    return [s for s in claim.get("content_spans") or [] if s] or ([claim["content_span"]] if claim.get("content_span") else [])


def select_claim(record: dict, passage: dict, anchor: dict) -> dict | None:
    """The predicted claim an expectation anchors to: among the claims whose content covers
    the content phrase and whose cue overlaps the cue phrase, the one with the smallest content
    (the innermost report)."""
    text = passage["text"]
    occurrence = anchor.get("occurrence", 1)
    content = find_phrase(text, anchor["content"], occurrence) if anchor.get("content") else None
    cue = find_phrase(text, anchor["cue"], occurrence) if anchor.get("cue") else None
    best = None
    for claim in record.get("claims") or []:
        spans = _content_spans(claim)
        if content and not any(_overlaps(s, content) for s in spans):
            continue
        if cue and not _overlaps(claim.get("cue_span"), cue):
            continue
        size = sum(e - s for s, e in spans) or len(text) + 1
        if best is None or size < best[0]:
            best = (size, claim)
    return best[1] if best else None


def get_field(claim: dict, dotted: str):
    """The value at a dotted path; _MISSING when the path does not exist (an ``event.*``
    field of a claim without an event is missing, not None: "no date" needs an event)."""
    node = claim
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def field_ok(name: str, expected, got, expect: dict) -> bool:
    if got is _MISSING:
        return False
    if name in SET_FIELDS:
        return isinstance(got, list) and set(got) == set(expected or [])
    if name == "event.date.value" and isinstance(got, str) and isinstance(expected, str):
        length = _PRECISION_LEN.get(expect.get("event.date.precision"), len(expected))
        return got[:length] == expected[:length]
    if name == "chain":
        return list(got or []) == list(expected)
    return got == expected


def _event_key(claim: dict | None):
    event = (claim or {}).get("event") or {}
    if not event.get("type"):
        return None
    return (event["type"], frozenset(event.get("source") or []), frozenset(event.get("target") or []))


def score_passage(passage: dict, record: dict | None) -> list[dict]:
    """One result per expected field: {passage, claim, field, expected, got, ok}."""
    results = []
    chosen = []
    for i, claim_gold in enumerate(passage.get("claims") or []):
        claim = select_claim(record or {}, passage, claim_gold["anchor"]) if record else None
        chosen.append(claim)
        for name, expected in claim_gold["expect"].items():
            got = get_field(claim, name) if claim else _MISSING
            results.append({"passage": passage["id"], "claim": i, "field": name, "expected": expected,
                            "got": None if got is _MISSING else got,
                            "ok": claim is not None and field_ok(name, expected, got, claim_gold["expect"]),
                            "found": claim is not None})
    for i, claim_gold in enumerate(passage.get("claims") or []):
        ref = claim_gold.get("same_event_as")
        if ref is None:
            continue
        a, b = _event_key(chosen[i]), _event_key(chosen[ref])
        results.append({"passage": passage["id"], "claim": i, "field": "same_event_as", "expected": ref,
                        "got": [str(a), str(b)], "ok": a is not None and a == b, "found": chosen[i] is not None})
    return results


def evaluate_gold(nlp=None, directory: str | Path | None = None, errors: int = 0) -> dict:
    directory = Path(directory) if directory else GOLD_DIR
    if not directory.is_dir():
        return {"skipped": f"no gold set at {directory}"}
    passages = load_gold(directory)
    problems = [p for passage in passages for p in check_passage(passage)]
    if problems:
        raise EvaluationError("invalid gold set: " + "; ".join(problems), where=str(directory))
    from .runner import run_records

    records, failed = run_records(({"id": p["id"], "text": p["text"], "published": p.get("published")}
                                   for p in passages), nlp=nlp)
    results = [r for passage, record in zip(passages, records) for r in score_passage(passage, record)]
    by_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        by_field[r["field"]][0] += r["ok"]
        by_field[r["field"]][1] += 1
    claims = {(r["passage"], r["claim"]) for r in results}
    found = {(r["passage"], r["claim"]) for r in results if r["found"]}
    out = {
        "dataset": f"in-project gold set ({directory.name}/, {len(passages)} passages)",
        "passages": len(passages),
        "claims": len(claims),
        "claims_found": len(found),
        "checks": len(results),
        "passed": sum(r["ok"] for r in results),
        "field_pass_rate": round(sum(r["ok"] for r in results) / len(results), 4) if results else 0.0,
        "by_field": {k: {"passed": v[0], "checks": v[1], "rate": round(v[0] / v[1], 4)}
                     for k, v in sorted(by_field.items())},
        "pipeline_failures": len(failed),
        "failures": [r for r in results if not r["ok"]][:errors],
    }
    return out
