"""Evaluation against reference data and the in-project gold set.

- ``loaders``: the formats in ../shared/data → plain dicts (PLOVER, ConfliBERT, NGEC, PolNeAR).
- ``metrics``: P/R/F1, span matching (exact, token overlap), confusion tables.
- ``actors`` / ``events`` / ``attributions`` / ``gold``: one evaluator per task.
- ``suite``: every evaluation in one call, and the flat score names baseline.json pins.
- ``gate``: floors in baseline.json, checked by tests/test_evaluation_gate.py.
- ``report``: `make evaluate` → docs/EVALUATION.md (scores + the throughput bench).

Evaluators read records (OUTPUT.md), never Docs, through the same extract path as the CLI.
"""
from .suite import SCORE_PATHS, evaluate, flat_scores

__all__ = ["SCORE_PATHS", "evaluate", "flat_scores"]
