"""The regression gate: every pinned score must stay at or above its floor in baseline.json.

A floor is only raised (``python -m claimgraph.evaluation.gate --suggest scores.json`` prints
the floors the current scores allow); lowering one needs a note in the commit message.
``CLAIMGRAPH_BASELINE`` points the gate at another file, which is how one shows that a floor
above the current score fails `make test` without editing the pinned file.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from importlib import resources
from pathlib import Path

from ..errors import EvaluationError, ScoreBelowFloor

# Floors sit this far under the measured score when suggested, so run-to-run noise (batch
# order, thread scheduling) never trips the gate while a real regression does.
MARGIN = 0.02


def baseline_path() -> Path:
    override = os.environ.get("CLAIMGRAPH_BASELINE")
    if override:
        return Path(override)
    return Path(str(resources.files("claimgraph.evaluation").joinpath("baseline.json")))


def load_floors(path: str | os.PathLike | None = None) -> dict[str, float]:
    path = Path(path) if path else baseline_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"cannot read the baseline: {exc}", where=str(path)) from exc
    floors = data.get("floors")
    if not isinstance(floors, dict) or not all(isinstance(v, (int, float)) for v in floors.values()):
        raise EvaluationError("baseline has no {name: number} 'floors' object", where=str(path))
    return {k: float(v) for k, v in floors.items()}


def check(name: str, score: float | None, floor: float) -> str | None:
    """Why ``score`` fails ``floor``, or None when it passes. A missing score fails only a
    floor above zero: an evaluation that cannot run must not pass a floor it once met."""
    if score is None:
        return None if floor <= 0 else f"{name}: no score (evaluation did not run), floor {floor:.4f}"
    if score + 1e-9 < floor:
        return f"{name}: {score:.4f} is below its floor {floor:.4f}"
    return None


def check_all(scores: dict[str, float], floors: dict[str, float], present: set[str] | None = None) -> list[str]:
    """Failures for every floor whose evaluation ran or should have run. ``present`` names the
    scores whose data exist (absent data skips its floors); None means all."""
    failures = []
    for name, floor in sorted(floors.items()):
        if present is not None and name not in present and name not in scores:
            continue
        reason = check(name, scores.get(name), floor)
        if reason:
            failures.append(reason)
    return failures


def enforce(scores: dict[str, float], floors: dict[str, float], present: set[str] | None = None) -> None:
    failures = check_all(scores, floors, present)
    if failures:
        raise ScoreBelowFloor("; ".join(failures))


def suggest(scores: dict[str, float], floors: dict[str, float]) -> dict[str, float]:
    """Floors raised to (score - MARGIN) rounded down to 0.01, never lowered."""
    out = dict(floors)
    for name, score in scores.items():
        candidate = math.floor(max(0.0, score - MARGIN) * 100) / 100
        out[name] = max(out.get(name, 0.0), candidate)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggest", metavar="SCORES_JSON",
                        help="output of `claimgraph evaluate all --json`; print raised floors")
    args = parser.parse_args(argv)
    floors = load_floors()
    if args.suggest:
        from .suite import flat_scores

        result = json.loads(Path(args.suggest).read_text(encoding="utf-8"))
        scores = result.get("scores") or flat_scores(result)
        json.dump({"floors": suggest(scores, floors)}, sys.stdout, indent=2)
        print()
        return 0
    json.dump({"floors": floors}, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
