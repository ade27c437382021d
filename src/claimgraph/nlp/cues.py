"""Attribution cues: how a cue word attaches to its content ("frame"), and the lexicons.

The cue inventory is learned, not listed: ``scripts/build_cue_lexicon.py`` parses PolNeAR train
and counts, for every (lemma, part of speech, frame), how often a token of that kind is the cue
of a gold attribution. Its precision is the probability that such a token is an attribution,
which the component uses directly as the attribution's confidence. The frame is part of the
key because the same verb is a cue in one construction and not in another ("say that …" vs.
"say a prayer"; "call for" vs. "call a meeting").

Cue classes (assert / believe / allege / deny / concede) are curated by hand in
``claims_cue_classes.tsv``: they are semantics, not statistics; every other cue asserts.
"""
from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from .quotes import find_quotes

LEXICON_DIR = "nlp/lexicons"

CUE_POS = {"VERB": "V", "NOUN": "N", "ADJ": "A"}
# Frames in precedence order. "ccomp": a clause ("said that …", "said, …" with the content
# before the verb); "head": the cue hangs off its content ("Kim is coming, he said");
# "xcomp": "wants to …"; "dobj": a nominal content ("denied any involvement");
# "prep:<p>": "called for …", "pointed to …"; "none": no content found.
CLAUSE_DEPS = {"ccomp", "csubj"}
HEAD_DEPS = {"parataxis"}
OCCASION_NOUNS = {"time", "briefing", "conference", "interview", "meeting", "hearing", "event",
                  "rally", "speech", "statement", "session", "week", "day", "weekend", "forum"}


def frame_of(tok: Token) -> tuple[str, Token | None]:
    """The cue frame of ``tok`` and the token whose subtree is the content (or None)."""
    prep = None
    xcomp = None
    dobj = None
    for child in tok.children:
        dep = child.dep_
        if dep in CLAUSE_DEPS:
            return "ccomp", child
        if dep == "xcomp" and xcomp is None:
            xcomp = child
        elif dep == "dobj" and dobj is None:
            dobj = child
        elif dep == "prep" and prep is None and child.i > tok.i:
            prep = child
    if tok.pos_ == "NOUN":
        for child in tok.children:
            if child.dep_ in ("acl", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                return "ccomp", child
        return "none", None
    if tok.dep_ in HEAD_DEPS and tok.head.i != tok.i:
        return "head", tok.head
    if xcomp is not None:
        return "xcomp", xcomp
    if dobj is not None:
        return "dobj", dobj
    if prep is not None:
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None and pobj.lemma_ in OCCASION_NOUNS:
            # "said at a briefing that …", "explained at the time that …": the parser hangs
            # the content clause on the occasion noun as a relative clause
            clause = next((g for g in pobj.rights if g.dep_ == "relcl"
                           and g.left_edge.lower_ == "that" and g.left_edge.i == pobj.i + 1), None)
            if clause is not None:
                return "ccomp", clause
        if pobj is not None:
            return f"prep:{prep.lower_}", pobj
    return "none", None


def quoted_tokens(doc, quotes=None) -> list[int]:
    """token index -> index of the direct quote containing it, or -1."""
    quotes = find_quotes(doc.text) if quotes is None else quotes
    out = [-1] * len(doc)
    if not quotes or not len(doc):
        return out
    # token offsets from the array, not Token objects: this runs on every document
    starts = doc.to_array("IDX").tolist()
    for q, quote in enumerate(quotes):
        i = bisect.bisect_left(starts, quote.start)
        while i < len(starts) and starts[i] < quote.end:
            out[i] = q
            i += 1
    return out


def cue_key(tok: Token) -> tuple[str, str] | None:
    pos = CUE_POS.get(tok.pos_)
    if pos is None:
        return None
    return tok.lemma_.lower(), pos


@dataclass
class CueLexicon:
    # (lemma, pos, frame) -> (precision, count as cue)
    frames: dict[tuple[str, str, str], tuple[float, int]] = field(default_factory=dict)
    lemmas: set[tuple[str, str]] = field(default_factory=set)
    classes: dict[str, str] = field(default_factory=dict)  # lemma -> cue class

    def precision(self, lemma: str, pos: str, frame: str) -> float:
        hit = self.frames.get((lemma, pos, frame))
        return hit[0] if hit else 0.0

    def cue_class(self, lemma: str) -> str:
        return self.classes.get(lemma, "assert")


def _rows(name: str):
    path = resources.files("claimgraph").joinpath(LEXICON_DIR, name)
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader((line for line in handle if line.strip() and not line.startswith("#")),
                              delimiter="\t"):
            yield row


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    lex = CueLexicon()
    for lemma, cls in _rows("claims_cue_classes.tsv"):
        lex.classes[lemma.strip()] = cls.strip()
    rows = list(_rows("claims_cues.tsv"))
    for row in rows[1:] if rows and rows[0][0] == "lemma" else rows:
        lemma, pos, frame, cues, total, precision = row[:6]
        lex.frames[(lemma, pos, frame)] = (float(precision), int(cues))
        lex.lemmas.add((lemma, pos))
    return lex


@lru_cache(maxsize=1)
def certainty_lexicon() -> dict[str, dict[str, str]]:
    """{"single": {lemma: level}, "phrase": {lower phrase: level}} for hedges and boosters;
    level is "possible", "probable" or "boost"."""
    single: dict[str, str] = {}
    phrase: dict[str, str] = {}
    for name in ("claims_hedges.tsv", "claims_boosters.tsv"):
        for row in _rows(name):
            term, level = row[0].strip().lower(), row[1].strip()
            (phrase if " " in term else single)[term] = level
    return {"single": single, "phrase": phrase}


@lru_cache(maxsize=1)
def framing_lexicon() -> dict[str, str]:
    """lower-cased term -> kind ("adj" words that evaluate whatever noun follows, "term"
    for fixed evaluative phrases)."""
    return {row[0].strip().lower(): row[1].strip() for row in _rows("claims_framing.tsv")}
