"""Counting and scoring primitives shared by every evaluator: P/R/F1, span matching (exact
and token overlap), confusion tables. Plain functions over plain data, no spaCy."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Sequence

Span = tuple[int, int]

_WORD = re.compile(r"\w+", re.UNICODE)
# Quote marks, brackets and punctuation at a span's edges are annotation noise (annotators
# differ on whether the closing quote or the final period belongs to the content), so exact
# matching compares spans with these trimmed on both sides.
_EDGE = set(" \t\r\n\u00a0\"'\u2018\u2019\u201c\u201d.,;:!?()[]-\u2014\u2013")


def safe_div(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if (p + r) else 0.0


@dataclass
class PRF:
    """Micro-averaged counts. ``tp_pred`` and ``tp_gold`` differ only for soft (token-overlap)
    scoring, where matched mass is measured against each side's own total."""

    tp_pred: float = 0.0
    tp_gold: float = 0.0
    n_pred: float = 0.0
    n_gold: float = 0.0

    def add(self, tp: float, n_pred: float, n_gold: float, tp_gold: float | None = None) -> None:
        self.tp_pred += tp
        self.tp_gold += tp if tp_gold is None else tp_gold
        self.n_pred += n_pred
        self.n_gold += n_gold

    @property
    def precision(self) -> float:
        return safe_div(self.tp_pred, self.n_pred)

    @property
    def recall(self) -> float:
        return safe_div(self.tp_gold, self.n_gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def as_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": round(self.tp_pred, 2), "pred": round(self.n_pred, 2), "gold": round(self.n_gold, 2)}


def set_prf(pred: Iterable[Hashable], gold: Iterable[Hashable], into: PRF | None = None) -> PRF:
    """Add one item's (sentence's) predicted and gold sets to ``into``."""
    into = into if into is not None else PRF()
    pred_set, gold_set = set(pred), set(gold)
    into.add(len(pred_set & gold_set), len(pred_set), len(gold_set))
    return into


class PerType:
    """P/R/F1 per label from per-item label sets, plus the micro total."""

    def __init__(self) -> None:
        self.by: dict[str, PRF] = defaultdict(PRF)
        self.total = PRF()

    def add(self, pred: Iterable[Hashable], gold: Iterable[Hashable], label=lambda x: x) -> None:
        pred_set, gold_set = set(pred), set(gold)
        set_prf(pred_set, gold_set, self.total)
        for item in pred_set | gold_set:
            self.by[str(label(item))].add(int(item in pred_set and item in gold_set),
                                          int(item in pred_set), int(item in gold_set))

    def as_dict(self) -> dict:
        return {name: prf.as_dict() for name, prf in sorted(self.by.items())}


class Confusion:
    """gold label -> predicted label counts; "-" stands for nothing predicted / nothing gold."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def add(self, gold, pred) -> None:
        self.counts[(str(gold), str(pred))] += 1

    def labels(self) -> list[str]:
        return sorted({g for g, _ in self.counts} | {p for _, p in self.counts})

    def as_dict(self) -> dict:
        out: dict[str, dict[str, int]] = {}
        for (gold, pred), n in sorted(self.counts.items()):
            out.setdefault(gold, {})[pred] = n
        return out

    def top_errors(self, n: int = 10) -> list[dict]:
        errors = [(c, g, p) for (g, p), c in self.counts.items() if g != p]
        return [{"gold": g, "pred": p, "count": c} for c, g, p in sorted(errors, reverse=True)[:n]]


# -- spans ---------------------------------------------------------------------------------
def trim(span: Span, text: str) -> Span:
    start, end = span
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return (start, end)


def spans_overlap(a: Span | None, b: Span | None) -> int:
    """Characters shared by two spans (0 when either is missing)."""
    if not a or not b:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_exact(pred: Sequence[Span], gold: Sequence[Span], text: str) -> bool:
    """Same characters after trimming edge punctuation and whitespace from every part."""
    def norm(spans):
        return sorted(s for s in (trim(tuple(x), text) for x in spans) if s[1] > s[0])
    return bool(pred) and bool(gold) and norm(pred) == norm(gold)


class TokenIndex:
    """Word-token positions of one text, so spans can be compared as sets of tokens."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in _WORD.finditer(text)]
        self.ends = [m.end() for m in _WORD.finditer(text)]

    def tokens(self, spans: Iterable[Span]) -> set[int]:
        import bisect

        out: set[int] = set()
        for start, end in spans:
            # every word token lying at least partly inside [start, end)
            i = bisect.bisect_right(self.ends, start)
            while i < len(self.starts) and self.starts[i] < end:
                out.add(i)
                i += 1
        return out


def match_greedy(pairs: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching from (score, pred index, gold index) candidates, best score first."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for score, p, g in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if score <= 0 or p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        out.append((p, g))
    return out


def accuracy(correct: int, total: int) -> float:
    return round(safe_div(correct, total), 4)
