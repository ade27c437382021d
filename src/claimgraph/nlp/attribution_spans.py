"""Learned source and content spans for the attributions the rules found (issue 10).

The rules in nlp/claims.py find a cue and read its source and content off the parse: the
subject noun phrase, the clausal complement, the quote next to it. PolNeAR's conventions
differ from a parse in systematic ways the rules only partly follow: sources keep their
appositions and reduced relatives ("Chad Bown, an expert on trade at …", "a union
representing flight attendants"), contents of object-taking cues take the object with its
complement ("accused the government of …", "urged North Korea to …"), a quote interrupted by
", he said," is two parts, and so on. Rather than one more rule per convention, a token tagger
trained on PolNeAR train learns them from the annotation: for each attribution with a cue,
every token of a window around the cue is tagged outside / source / content by a softmax
linear model (nlp/learned.py's ``fit_linear``) over features of the token's relation to the
cue (dependency path, which argument of the cue holds it, side and distance, quotes, sentence
and clause boundaries, the halves of a quote the attribution interrupts) and to the rule spans
(inside the rule source / content, at their edges, cut off from under their heads). The rule
spans are features, so the model keeps what the rules get right and learns
where PolNeAR disagrees with them. Spans are then decoded: the source as the best contiguous
run of source-tagged tokens (or none), the content as the in/out labelling with the best
log-odds less a penalty per part (``decode_content``).

Optional like the other learned models: ``SpanRefiner.load_optional()`` is None when
``models/span_model/`` is absent and the claims component keeps the rule spans. Trained by
``scripts/train_span_model.py``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc

from .learned import LinearModel, _optional, _read_meta
from .quotes import find_quotes

SPAN_MODEL = "span_model"
LABELS = ("O", "SRC", "CONTENT")
# the window: the cue's sentence and whatever the rule spans reach. Gold tokens in the
# sentences either side that the rule spans miss are ~1% of them (PolNeAR train), for ~2.5x the
# tokens to score.
NEIGHBOUR_SENTS = 0
EDGE_PUNCT = {",", ".", ";", ":", "—", "–", "-", "(", ")", '"', "'", "“", "”", "‘", "’", "''", "``"}


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20, 35):
        if n <= limit:
            return str(limit)
    return "far"


class DocIndex:
    """Per-document lookups shared by every attribution of the document. Token attributes are
    read once into lists: a spaCy Token is built on every ``doc[i]``, and the feature code
    would otherwise build about a hundred per window token."""

    def __init__(self, doc: Doc, vocab_words: frozenset[str] = frozenset(), text: str | None = None):
        self.doc = doc
        self.vocab_words = vocab_words
        n = len(doc)
        # one to_array instead of a Token per attribute read
        arr = doc.to_array([HEAD, POS, TAG, DEP, IS_PUNCT, IS_SPACE, LOWER, IDX, LENGTH, SENT_START])
        strings = doc.vocab.strings
        names: dict[int, str] = {}

        def name(key: int) -> str:
            if key not in names:
                names[key] = strings[key] if key else ""
            return names[key]

        full = doc.text if text is None else text
        # HEAD is a signed offset stored in the uint64 array
        self.head = (arr[:, 0].astype(np.int64) + np.arange(n)).tolist()
        self.pos = [name(k) for k in arr[:, 1].tolist()]
        self.tag = [name(k) for k in arr[:, 2].tolist()]
        self.dep = [name(k) for k in arr[:, 3].tolist()]
        self.punct = arr[:, 4].astype(bool).tolist()
        self.space = arr[:, 5].astype(bool).tolist()
        self.lower = [name(k) for k in arr[:, 6].tolist()]
        self.text = [full[i:i + k] for i, k in zip(arr[:, 7].tolist(), arr[:, 8].tolist())]
        newlines = np.array(["\n" in t for t in self.text], dtype=np.int32)
        commas = np.array([t in (",", "—", "–", ";", ":", "(", ")") for t in self.text], dtype=np.int32)
        # the count of newlines / clause punctuation before each token (and before the end)
        self.newline_before = np.concatenate(([0], np.cumsum(newlines))).astype(np.int32)
        self.comma_before = np.concatenate(([0], np.cumsum(commas))).astype(np.int32)
        # learned._quote_index's mapping (token -> quote holding its first character), from offsets
        self.quoted = [-1] * n
        q = 0
        quotes = find_quotes(full)
        for i, start in enumerate(arr[:, 7].tolist()):
            while q < len(quotes) and quotes[q].end <= start:
                q += 1
            if q < len(quotes) and quotes[q].start <= start < quotes[q].end:
                self.quoted[i] = q
        # each quote's first and last token, for the quote split by its attribution ("A," he said, "B")
        self.quote_first: dict[int, int] = {}
        self.quote_last: dict[int, int] = {}
        for i, q in enumerate(self.quoted):
            if q >= 0:
                self.quote_first.setdefault(q, i)
                self.quote_last[q] = i
        starts = arr[:, 9].astype(np.int64) == 1
        if n:
            starts[0] = True
        self.sent_of = (np.cumsum(starts) - 1).tolist()
        bounds = np.flatnonzero(starts).tolist() + [n]
        self.sents = list(zip(bounds[:-1], bounds[1:]))
        self.ancestors: list[list[int]] = []
        for i in range(n):
            chain = [i]
            cur = i
            while self.head[cur] != cur and len(chain) < 40:
                cur = self.head[cur]
                chain.append(cur)
            self.ancestors.append(chain)
        # subtree edges from the ancestor chains (the parse is projective)
        self.left = list(range(n))
        self.right = list(range(n))
        for i, chain in enumerate(self.ancestors):
            for a in chain[1:]:
                if i < self.left[a]:
                    self.left[a] = i
                if i > self.right[a]:
                    self.right[a] = i
        self._static: dict[int, list[str]] = {}
        self.static_ids: dict[int, list[int]] = {}
        self.cue_chains: dict[int, dict[int, int]] = {}
        self._roots: dict[tuple[int, int], int] = {}

    def static(self, t: int) -> list[str]:
        """The features of token ``t`` that do not depend on the attribution."""
        feats = self._static.get(t)
        if feats is None:
            pos, dep, low = self.pos[t], self.dep[t], self.lower[t]
            feats = ["BIAS", f"p={pos}", f"d={dep}", f"t={self.tag[t]}", f"pd={pos}_{dep}"]
            if low in self.vocab_words:
                feats.append(f"w={low}")
            if self.punct[t]:
                feats.append(f"punct={self.text[t] if self.text[t] in EDGE_PUNCT else 'other'}")
            if self.space[t]:
                feats.append("space")
            for name, j in (("prev", t - 1), ("next", t + 1)):
                if 0 <= j < len(self.dep):
                    feats.append(f"{name}_d={self.dep[j]}")
                    if self.punct[j] or self.lower[j] in self.vocab_words:
                        feats.append(f"{name}_w={self.lower[j]}")
            self._static[t] = feats
        return feats

    def root(self, lo: int, hi: int) -> int:
        key = (lo, hi)
        if key not in self._roots:
            self._roots[key] = self.doc[lo:hi].root.i
        return self._roots[key]


def window(index: DocIndex, cue_i: int, source: tuple[int, int] | None,
           content_tokens: Sequence[int]) -> tuple[int, int]:
    s = index.sent_of[cue_i]
    lo = index.sents[max(0, s - NEIGHBOUR_SENTS)][0]
    hi = index.sents[min(len(index.sents) - 1, s + NEIGHBOUR_SENTS)][1]
    if source is not None:
        lo, hi = min(lo, source[0]), max(hi, source[1])
    if content_tokens:
        lo, hi = min(lo, min(content_tokens)), max(hi, max(content_tokens) + 1)
    return lo, hi


def char_tokens(doc: Doc, spans: Sequence[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span)
    return out


def _path(index: DocIndex, t: int, c: int) -> tuple[str, str, int, int]:
    """(t's deps up to the common ancestor, c's deps up to it, hops up from t, hops up from c)."""
    at, ac = index.ancestors[t], index.ancestors[c]
    dep = index.dep
    pos_c = index.cue_chains.get(c)
    if pos_c is None:
        pos_c = index.cue_chains[c] = {x: k for k, x in enumerate(ac)}
    for k, x in enumerate(at):
        if x in pos_c:
            up_t = "^".join(dep[y] for y in at[:k][:3])
            up_c = "^".join(dep[y] for y in ac[:pos_c[x]][:3])
            return up_t, up_c, k, pos_c[x]
    return "?", "?", 99, 99


def token_features(index: DocIndex, t: int, cue_i: int, frame: str, cue_lemma: str,
                   quote_kind: str, rule_src: tuple[int, int] | None, rule_cont: set[int],
                   rule_cont_edges: tuple[set[int], set[int]], with_static: bool = True,
                   rule_parts: Sequence[tuple[int, int, int]] = ()) -> list[str]:
    """Feature names of token ``t`` in the window of the cue ``cue_i``; without ``with_static``
    the attribution-independent ones (``DocIndex.static``) are left to the caller."""
    side = "L" if t < cue_i else "R"
    dist = abs(t - cue_i)
    dep = index.dep[t]
    feats = [f"side={side}", f"dist={side}{_bucket(dist)}", f"fr={frame}_{side}", f"qk={quote_kind}"]
    if with_static:
        feats += index.static(t)
    ds = index.sent_of[t] - index.sent_of[cue_i]
    feats.append(f"sent={max(-2, min(2, ds))}")
    nl = int(index.newline_before[max(t, cue_i)] - index.newline_before[min(t, cue_i)])
    feats.append(f"nl={min(nl, 2)}")
    commas = int(index.comma_before[max(t, cue_i)] - index.comma_before[min(t, cue_i) + 1])
    feats.append(f"commas={side}{min(commas, 3)}")
    # quotes: same quote as the cue, a quote of its own, or outside any
    qt, qc = index.quoted[t], index.quoted[cue_i]
    feats.append("q=" + ("none" if qt < 0 else "same" if qt == qc else "other"))
    feats.append(f"qfr={frame}_{'none' if qt < 0 else 'in'}")
    if qt >= 0 and qt != qc:
        feats += _quote_split(index, t, cue_i, qt)
    up_t, up_c, k_t, k_c = _path(index, t, cue_i)
    arg_dep = feats_arg(index, t, k_t) if k_c == 0 else None
    if k_c == 0:
        # the token hangs under the cue: which of the cue's arguments holds it
        if k_t >= 2:
            # one level down in the argument: a clause or modifier of the object after a comma is
            # often cut from the content, a prepositional phrase kept
            mod = index.ancestors[t][k_t - 2]
            left = index.left[mod]
            comma = left > 0 and index.text[left - 1] in (",", "—", "–", "-", "(")
            feats += [f"mod={arg_dep}_{index.dep[mod]}_{int(comma)}", f"mod_fr={frame}_{index.dep[mod]}_{int(comma)}"]
        feats += [f"arg={arg_dep}", f"arg_fr={arg_dep}_{frame}", f"arg_l={arg_dep}_{cue_lemma}",
                  f"arg_side={arg_dep}_{side}", f"arg_hops={arg_dep}_{min(k_t, 4)}"]
        feats.append(f"argd={arg_dep}_{dep}")
    else:
        feats += [f"up={up_t}|{up_c}", f"upc={up_c}", f"upc_fr={up_c}_{frame}", f"hops={min(k_t, 5)}_{min(k_c, 5)}"]
        if k_t == 0:
            feats.append(f"anc={up_c}")
    feats.append(f"cl={cue_lemma}_{side}")
    # the rule spans, with the token's place in them
    if rule_src is not None:
        s0, s1 = rule_src
        if s0 <= t < s1:
            feats += ["rs", f"rs_fr={frame}", f"rs_p={index.pos[t]}"]
            if t == s0:
                feats.append("rs_first")
            if t == s1 - 1:
                feats.append("rs_last")
        else:
            where = "before" if t < s0 else "after"
            gap = s0 - t if t < s0 else t - s1 + 1
            feats.append(f"rs_{where}={_bucket(gap)}")
            feats.append(f"rs_{where}_d={dep}_{min(gap, 3)}")
            head = index.root(s0, s1)
            if index.left[head] <= t <= index.right[head]:
                # outside the rule source but under its head: an apposition or modifier it cut off
                chain = index.ancestors[t]
                via = chain[chain.index(head) - 1] if head in chain[1:] else t
                left = index.left[via]
                feats += [f"srcsub={index.dep[via]}", f"srcsub_d={index.dep[via]}_{dep}",
                          f"srcsub_p={index.dep[via]}_{index.text[left - 1] if left else '-'}"]
    else:
        feats.append("no_rs")
    # neighbours: a boundary is a matter of what lies on either side of it
    in_rc = int(t in rule_cont)
    for name, j in (("prev", t - 1), ("next", t + 1)):
        if 0 <= j < len(index.dep):
            feats.append(f"{name}_rc={int(j in rule_cont)}_{in_rc}")
            if j == cue_i:
                feats.append(f"{name}_cue={frame}")
    feats.append(f"hrc={int(index.head[t] in rule_cont)}_{in_rc}_{dep}")
    if in_rc:
        feats += ["rc", f"rc_fr={frame}", f"rc_qk={quote_kind}"]
        if k_c == 0:
            feats.append(f"rc_arg={arg_dep}_{frame}")
        if t in rule_cont_edges[0]:
            feats.append("rc_first")
        if t in rule_cont_edges[1]:
            feats.append("rc_last")
    else:
        feats.append(f"nrc_fr={frame}_{side}")
        if k_c == 0:
            feats.append(f"nrc_arg={arg_dep}_{frame}")
        feats += _content_cut(index, t, rule_parts)
    return feats


def _content_cut(index: DocIndex, t: int, rule_parts: Sequence[tuple[int, int, int]]) -> list[str]:
    """Where a token outside the rule content lies from it: next to which edge and how far, and
    whether it hangs under the part's head though the rules cut it off (the object's relative
    clause, the second conjunct, "as examples of …") — the source side has had this since the
    start; the contents PolNeAR ends later than the rules are mostly such cut-off tails. (On
    PolNeAR dev these were neutral, within noise: the linear model mostly still follows the
    rule edge; kept as cheap inputs for a model that can combine them.)"""
    feats = []
    for lo, hi, head in rule_parts:
        under = index.left[head] <= t <= index.right[head]
        if (t < lo - 3 or t > hi + 2) and not under:
            continue
        where = "before" if t < lo else "after"
        gap = lo - t if t < lo else t - hi + 1
        feats.append(f"rc_{where}={_bucket(gap)}")
        feats.append(f"rc_{where}_d={index.dep[t]}_{min(gap, 3)}")
        if under:
            chain = index.ancestors[t]
            via = chain[chain.index(head) - 1] if head in chain[1:] else t
            left = index.left[via]
            feats += [f"csub={index.dep[via]}", f"csub_d={index.dep[via]}_{index.dep[t]}",
                      f"csub_p={index.dep[via]}_{index.text[left - 1] if left else '-'}"]
        break
    return feats


def _quote_split(index: DocIndex, t: int, cue_i: int, qt: int) -> list[str]:
    """A quote the attribution interrupts ('"My hope," he said, "is that …"'): PolNeAR takes
    both halves as the content, the rules only the one after the cue. What marks the pair is
    a short gap between the quote and the cue (the source and a comma), another quote on the
    cue's other side within a few tokens, and a comma closing the first half."""
    if t < cue_i:
        gap = cue_i - index.quote_last[qt] - 1
        far = [index.quoted[j] for j in range(cue_i + 1, min(cue_i + 4, len(index.quoted)))]
        other = any(q >= 0 and q != qt for q in far)
        edge = index.quote_last[qt]
    else:
        gap = index.quote_first[qt] - cue_i - 1
        near = [index.quoted[j] for j in range(max(0, cue_i - 6), cue_i)]
        other = any(q >= 0 and q != qt for q in near)
        edge = index.quote_first[qt]
    if gap > 6:
        return [f"qsplit=far_{int(other)}"]
    side = "L" if t < cue_i else "R"
    comma = int(any(index.text[j] == "," for j in range(max(0, edge - 2), min(len(index.text), edge + 3))))
    return [f"qsplit={side}{_bucket(gap)}_{int(other)}", f"qsplit_c={side}{int(other)}_{comma}"]


def feats_arg(index: DocIndex, t: int, k_t: int) -> str:
    if k_t < 1:
        return "self"
    arg = index.ancestors[t][k_t - 1]
    return f"prep_{index.lower[arg]}" if index.dep[arg] == "prep" else index.dep[arg]


def attribution_rows(index: DocIndex, cue_i: int, frame: str, cue_lemma: str, quote_kind: str,
                     source: tuple[int, int] | None, content: Sequence[tuple[int, int]],
                     with_static: bool = True) -> tuple[list[int], list[list[str]]]:
    """The window's token indices (the cue itself left out) and their feature lists."""
    doc = index.doc
    parts = [sorted(char_tokens(doc, [c])) for c in content]
    rule_cont = {i for p in parts for i in p}
    edges = ({p[0] for p in parts if p}, {p[-1] for p in parts if p})
    # each rule part as (first token, end, head token): the content's cut-off tails
    rule_parts = [(p[0], p[-1] + 1, index.root(p[0], p[-1] + 1)) for p in parts if p]
    lo, hi = window(index, cue_i, source, sorted(rule_cont))
    toks, rows = [], []
    for t in range(lo, hi):
        if t == cue_i or index.space[t]:
            continue
        toks.append(t)
        rows.append(token_features(index, t, cue_i, frame, cue_lemma, quote_kind, source, rule_cont, edges,
                                   with_static, rule_parts))
    return toks, rows


# -- decoding ----------------------------------------------------------------------------------
def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and (doc[lo].is_space or doc[lo].text in EDGE_PUNCT):
        lo += 1
    while hi > lo and (doc[hi - 1].is_space or doc[hi - 1].text in EDGE_PUNCT):
        hi -= 1
    return (lo, hi) if hi > lo else None


def decode_source(doc: Doc, toks: list[int], p_src: np.ndarray, cue_i: int,
                  threshold: float = 0.5) -> tuple[int, int] | None:
    """The contiguous run on one side of the cue with the largest summed log-odds of being
    source, provided some token in it is more likely source than not."""
    if not len(toks) or p_src.max() < threshold:
        return None
    logit = np.log(np.clip(p_src, 1e-6, 1 - 1e-6)) - np.log(np.clip(1 - p_src, 1e-6, 1))
    best, best_span = 0.0, None
    run_sum, run_start, prev = 0.0, None, None
    for k, t in enumerate(toks):
        # a run never crosses the cue or a gap in the window
        if prev is not None and (t != prev + 1 or (prev < cue_i < t)):
            run_sum, run_start = 0.0, None
        if run_start is None or run_sum <= 0:
            run_sum, run_start = 0.0, k
        run_sum += logit[k]
        if run_sum > best:
            best, best_span = run_sum, (toks[run_start], t + 1)
        prev = t
    if best_span is None:
        return None
    return _trim(doc, *best_span)


def decode_content(doc: Doc, toks: list[int], p_cont: np.ndarray, threshold: float = 0.5,
                   part_penalty: float = 2.0) -> list[tuple[int, int]]:
    """Parts of the content as char spans (edge punctuation trimmed): the in/out labelling of
    the window with the best summed log-odds, less ``part_penalty`` for every part. Tagging each
    token on its own breaks long contents at one doubtful token (a comma, a nested "he said"),
    and an exact match needs the whole part; the penalty keeps parts whole unless the evidence
    for a gap outweighs it (PolNeAR contents have one part 85% of the time)."""
    if not len(toks):
        return []
    p = np.clip(p_cont, 1e-6, 1 - 1e-6)
    # the threshold moves the zero of the log-odds: a token is "in" alone when p >= threshold
    logit = np.log(p) - np.log(1 - p) - (np.log(threshold) - np.log(1 - threshold))
    n = len(toks)
    # Viterbi over two states; prev_*[k]: the state at k-1 on the best path into each state at k
    prev_in = np.zeros(n, dtype=np.int8)
    prev_out = np.zeros(n, dtype=np.int8)
    new_part = np.zeros(n, dtype=bool)
    score_in, score_out = logit[0] - part_penalty, 0.0
    new_part[0] = True
    for k in range(1, n):
        # tokens of a window are adjacent unless the cue (or spaces) lies between them
        adjacent = all(doc[j].is_space for j in range(toks[k - 1] + 1, toks[k]))
        cont = score_in if adjacent else -np.inf
        from_in = score_in >= score_out
        start = (score_in if from_in else score_out) - part_penalty
        if cont >= start:
            new_in, prev_in[k] = cont + logit[k], 1
        else:
            new_in, prev_in[k], new_part[k] = start + logit[k], 1 if from_in else 0, True
        prev_out[k] = 1 if from_in else 0
        score_in, score_out = new_in, max(score_in, score_out)
    state = 1 if score_in > score_out else 0
    runs: list[list[int]] = []
    end = None
    for k in range(n - 1, -1, -1):
        if state == 1:
            if end is None:
                end = toks[k] + 1
            if new_part[k]:
                runs.append([toks[k], end])
                end = None
            state = prev_in[k]
        else:
            state = prev_out[k]
    runs.reverse()
    out = []
    for lo, hi in runs:
        trimmed = _trim(doc, lo, hi)
        if trimmed is None or all(t.is_punct for t in doc[trimmed[0]:trimmed[1]]):
            continue
        a, b = trimmed
        out.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1])))
    return out


class SpanRefiner:
    """Re-reads the source and content of every attribution that has a cue token."""

    def __init__(self, model: LinearModel, meta: dict):
        self.model = model
        self.meta = meta
        self.vocab_words = frozenset(meta.get("words") or ())
        self.source_threshold = float(meta.get("source_threshold", 0.5))
        self.content_threshold = float(meta.get("content_threshold", 0.5))
        self.part_penalty = float(meta.get("part_penalty", 2.0))
        self._weights = np.vstack([model.weights, np.zeros((1, model.weights.shape[1]), model.weights.dtype)])

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "SpanRefiner":
        folder, meta = _read_meta(SPAN_MODEL, folder)
        return cls(LinearModel.read(folder, ""), meta)

    @classmethod
    def load_optional(cls, folder: str | Path | None = None) -> "SpanRefiner | None":
        return _optional(cls, folder)

    def predict(self, index: DocIndex, cue_i: int, frame: str, cue_lemma: str, quote_kind: str,
                source: tuple[int, int] | None, content: Sequence[tuple[int, int]]
                ) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
        toks, rows = attribution_rows(index, cue_i, frame, cue_lemma, quote_kind, source, content,
                                      with_static=False)
        if not toks:
            return source, list(content)
        probs = self._scores(index, toks, rows)
        src = decode_source(index.doc, toks, probs[:, 1], cue_i, self.source_threshold)
        cont = decode_content(index.doc, toks, probs[:, 2], self.content_threshold, self.part_penalty)
        return src, cont

    def _scores(self, index: DocIndex, toks: list[int], rows: list[list[str]]) -> np.ndarray:
        """LinearModel.scores in one gather instead of a loop over rows; a token's static
        features are looked up once per document. Unknown features index the zero row appended
        to the weights."""
        get = self.model.features.get
        static = index.static_ids
        for t in toks:
            if t not in static:
                static[t] = [get(f, -1) for f in index.static(t)]
        # a row never names a feature twice (token_features builds distinct names); a list
        # comprehension is about twice as fast as feeding np.fromiter a generator
        flat = [i for t, r in zip(toks, rows) for i in (*static[t], *[get(f, -1) for f in r])]
        lengths = np.fromiter((len(static[t]) + len(r) for t, r in zip(toks, rows)), dtype=np.int64,
                              count=len(rows))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        z = np.add.reduceat(self._weights[flat], starts, axis=0) + self.model.bias
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def refine(self, doc: Doc, attrs, text: str | None = None) -> None:
        """Replace ``source`` (token range) and ``content`` (char spans) of attributions with a
        cue token; an attribution for which the model finds no content keeps the rules'."""
        # ineligible attributions never become claims; skipping them halves the cost
        todo = [a for a in attrs if a.cue_i is not None and a.content and a.eligible]
        if not todo:
            return
        text = doc.text if text is None else text  # rebuilt from the tokens on every access
        index = DocIndex(doc, self.vocab_words, text)
        for attr in todo:
            src, cont = self.predict(index, attr.cue_i, attr.frame, (attr.cue or "").lower(), attr.quote,
                                     attr.source, attr.content)
            attr.source = src
            if cont:
                attr.content = _keep_rule_edges(text, cont, attr.content)


_EDGE_CHARS = set(" \t\r\n\u00a0\"'\u2018\u2019\u201c\u201d.,;:!?()[]-\u2014\u2013")


def _core(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start] in _EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in _EDGE_CHARS:
        end -= 1
    return start, end


_OPENING = ("\"", "“", "‘", "'", "``")


def _keep_rule_edges(text: str, parts: list[tuple[int, int]], rule: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A decoded part that is a rule part up to edge punctuation stays the rule part: the rules
    keep a direct quote's marks and its closing comma, which the decoder trims. A quotation the
    rules carried over a paragraph break (each paragraph reopening the quote, the closing mark
    only at the end) stays whole when the decoder keeps its start: paragraph breaks end content
    almost everywhere else, so the tagger cuts it there."""
    by_core = {_core(text, r): r for r in rule}
    out = []
    for p in parts:
        core = _core(text, p)
        keep = by_core.get(core, p)
        for r in rule:
            if "\n" in text[r[0]:r[1]] and text[r[0]:r[1]].startswith(_OPENING) \
                    and _core(text, r)[0] == core[0] and core[1] <= r[1]:
                keep = r
        out.append(keep)
    return sorted(set(out))


@lru_cache(maxsize=2)
def shared_span_refiner() -> SpanRefiner | None:
    """One loaded span model per process (None when absent)."""
    return SpanRefiner.load_optional()
