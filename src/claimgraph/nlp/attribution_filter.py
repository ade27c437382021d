"""The last word on which attributions the claims component keeps (issue 10).

The cue classifier (nlp/learned.py) judges one token in its context; it cannot see what the
rules then built around that token: whether a source was found and what kind (a named
person, a pronoun, an institution, nothing), how long the content is and whether it is a
quote, whether the cue sits inside another attribution's content (PolNeAR marks some nested
speech and not other), how many candidate cues share the sentence, and which way the cue
came in (a lexicon frame, a quote, "according to", a colon, the classifier alone). This model
scores the whole attribution from those, with the cue classifier's probability as one input,
and replaces the fixed P(cue) veto.

It is trained by ``scripts/train_attribution_filter.py`` on PolNeAR train, on the candidate
attributions the claims component itself builds, with the cue probabilities of a cue
classifier that never saw the document (3 folds: the shipped classifier's train scores are too
sure). Optional like the other models: without ``models/attribution_filter/`` the claims
component keeps its P(cue) veto.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .learned import _optional, _read_meta, read_model

FILTER_MODEL = "attribution_filter"


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if x <= edge:
            return str(edge)
    return "more"


def _source_kind(doc: Doc, source: tuple[int, int] | None) -> str:
    if source is None:
        return "none"
    span = doc[source[0]:source[1]]
    head = span.root
    if head.pos_ == "PRON":
        return f"pron_{head.lower_}" if head.lower_ in {"he", "she", "they", "it", "i", "we", "you", "who"} else "pron"
    if head.ent_type_:
        return f"ent_{head.ent_type_}"
    return head.pos_


def filter_features(doc: Doc, attrs: list, i: int, p_cue: float | None, origin: str, owns_events: bool,
                    in_sentence: int, first_newline: int) -> tuple[list[str], np.ndarray]:
    """Sparse names and a small dense block for attribution ``attrs[i]`` (nlp/claims.py's
    Attribution), scored with the cue probability ``p_cue`` (None when its cue was not scored).
    ``first_newline``: offset of the first newline in the text, -1 if none (``doc.text`` is
    rebuilt from the tokens on every access, too slow to read per attribution)."""
    a = attrs[i]
    p = 0.5 if p_cue is None else min(max(p_cue, 1e-4), 1 - 1e-4)
    lemma = (a.cue or "").lower()
    src = _source_kind(doc, a.source)
    n_content = sum(e - s for s, e in a.content)
    feats = ["BIAS", f"origin={origin}", f"frame={a.frame}", f"quote={a.quote}", f"class={a.cue_class}",
             f"src={src}", f"l={lemma}", f"l_frame={lemma}_{a.frame}", f"l_src={lemma}_{src}",
             f"origin_frame={origin}_{a.frame}", f"pcue={_bucket(p, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9))}",
             f"conf={_bucket(a.confidence, (0.1, 0.2, 0.3, 0.5, 0.7, 0.9))}",
             f"parts={min(len(a.content), 3)}", f"clen={_bucket(n_content, (10, 25, 50, 100, 200, 400))}",
             f"in_sent={min(in_sentence, 4)}"]
    if a.in_quote:
        feats += ["in_quote", f"in_quote_src={src}"]
    if owns_events:
        feats.append("owns_events")
    if a.parent is not None:
        parent = attrs[a.parent]
        feats += ["nested", f"nested_in={(parent.cue or '').lower()}", f"nested_frame={a.frame}"]
    if a.addressees:
        feats.append("addressee")
    if a.cited:
        feats.append("cited")
    if a.hedge_tokens:
        feats.append("hedged")
    if a.cue_i is not None:
        tok = doc[a.cue_i]
        feats += [f"pos={tok.pos_}", f"tag={tok.tag_}", f"dep={tok.dep_}"]
        if a.source is not None:
            side = "before" if a.source[1] <= a.cue_i else "after"
            gap = a.cue_i - a.source[1] if side == "before" else a.source[0] - a.cue_i
            feats += [f"src_side={side}", f"src_gap={_bucket(gap, (0, 1, 3, 6, 12))}"]
            head = doc[a.source[0]:a.source[1]].root
            feats.append(f"src_l={head.lemma_.lower() if head.pos_ != 'PROPN' else 'PROPN'}")
        # headlines and first lines: "Trump Says …", datelines
        if first_newline < 0 or first_newline >= tok.idx:
            feats.append("first_line")
    dense = np.array([math.log(p / (1 - p)), a.confidence, a.base_precision, math.log1p(n_content) / 6.0,
                      float(a.source is not None)], dtype=np.float32)
    return feats, dense


class AttributionFilter:
    """P(this candidate attribution is one PolNeAR would annotate)."""

    def __init__(self, model, meta: dict):
        self.model = model
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        # the cue classifier's P at which it adds an attribution the rules did not find; this
        # model then has the last word, so the bar is lower than the classifier's alone
        self.add_threshold = float(meta.get("add_threshold", 0.4))

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "AttributionFilter":
        folder, meta = _read_meta(FILTER_MODEL, folder)
        return cls(read_model(folder, ""), meta)

    @classmethod
    def load_optional(cls, folder: str | Path | None = None) -> "AttributionFilter | None":
        return _optional(cls, folder)

    def score(self, rows: list[tuple[list[str], np.ndarray]]) -> list[float]:
        if not rows:
            return []
        return [float(p) for p in self.model.scores(rows)[:, 0]]


@lru_cache(maxsize=1)
def shared_attribution_filter() -> AttributionFilter | None:
    return AttributionFilter.load_optional()
