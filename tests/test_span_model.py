"""The learned source/content span refiner (nlp/attribution_spans.py): its decoders on
hand-made probabilities, and the shipped model on hand-written sentences, one PolNeAR
convention per test."""
from __future__ import annotations

import numpy as np
import pytest

from claimgraph.nlp.attribution_spans import SpanRefiner, decode_content, decode_source


@pytest.fixture(scope="module")
def finder(parser):
    from claimgraph.nlp.claims import ClaimFinder

    f = ClaimFinder(parser, 0.3)
    if f.span_model is None:
        pytest.skip("no span model artifact (run `make train`)")
    return f


def _claims(parser, finder, text):
    doc = parser(text)
    return [c for c in finder.find_claims(doc) if c["cue"]]


def _one(claims, cue):
    found = [c for c in claims if c["cue"] == cue]
    assert len(found) == 1, [c["cue"] for c in claims]
    return found[0]


def _text(text, span):
    return text[span[0]:span[1]] if span else None


def _parts(text, claim):
    return [text[s:e] for s, e in (claim.get("content_spans") or [claim["content_span"]])]


# -- decoders ------------------------------------------------------------------------------------
def test_content_decoder_bridges_one_doubtful_token(parser):
    doc = parser.make_doc("the plan , which failed , was good")
    toks = list(range(len(doc)))
    p = np.array([0.9, 0.9, 0.4, 0.8, 0.8, 0.3, 0.9, 0.9])
    # each token alone: "the plan" / "which failed" / "was good"
    assert [doc.text[s:e] for s, e in decode_content(doc, toks, p, 0.5, 0.0)] == \
        ["the plan", "which failed", "was good"]
    # a part costs 3 nats: one whole content
    assert [doc.text[s:e] for s, e in decode_content(doc, toks, p, 0.5, 3.0)] == \
        ["the plan , which failed , was good"]


def test_content_decoder_keeps_a_real_gap(parser):
    doc = parser.make_doc("taxes will rise he said and jobs will go")
    # token 4 ("said") is the cue, outside the window: the parts on either side never join, though
    # "he" alone would be cheaper to bridge than a second part
    toks = [0, 1, 2, 3, 5, 6, 7, 8]
    p = np.array([0.9, 0.9, 0.9, 0.3, 0.9, 0.9, 0.9, 0.9])
    assert [doc.text[s:e] for s, e in decode_content(doc, toks, p, 0.5, 3.0)] == \
        ["taxes will rise", "and jobs will go"]


def test_source_decoder_one_run_or_none(parser):
    doc = parser.make_doc("Chad Bown , an expert , said it")
    toks = [0, 1, 2, 3, 4, 5, 7]
    p = np.array([0.95, 0.95, 0.45, 0.8, 0.8, 0.3, 0.05])
    assert decode_source(doc, toks, p, 6) == (0, 5)
    assert decode_source(doc, toks, np.full(7, 0.2), 6) is None


def test_rule_quote_marks_and_paragraph_quotes_survive_decoding():
    from claimgraph.nlp.attribution_spans import _keep_rule_edges

    text = "“We will respond,” he said. “Our forces\n\n“are ready.” The talks ended."
    # the decoder trims the marks; the rule part with them is the same content
    assert _keep_rule_edges(text, [(1, 16)], [(0, 18)]) == [(0, 18)]
    # a cut at the paragraph break inside the rules' quote is undone
    start = text.index("“Our")
    end = text.index("” The") + 1
    assert _keep_rule_edges(text, [(start + 1, start + 11)], [(start, end)]) == [(start, end)]
    # anything else is the decoder's
    assert _keep_rule_edges(text, [(2, 9)], [(0, 18)]) == [(2, 9)]


def test_absent_artifact_means_rules_only(tmp_path):
    assert SpanRefiner.load_optional(tmp_path / "nothing-here") is None


# -- the shipped model: PolNeAR's conventions on hand-written sentences ---------------------------
def test_source_keeps_its_apposition(parser, finder):
    text = ("Chad Bown, an expert on trade at the Peterson Institute for International Economics, "
            "said the tariffs would hurt farmers.")
    claim = _one(_claims(parser, finder, text), "say")
    assert _text(text, claim["source_span"]) == \
        "Chad Bown, an expert on trade at the Peterson Institute for International Economics"
    assert _parts(text, claim) == ["the tariffs would hurt farmers"]


def test_source_keeps_a_reduced_relative(parser, finder):
    text = "Many people involved in the negotiations said the deal was close."
    claim = _one(_claims(parser, finder, text), "say")
    assert _text(text, claim["source_span"]) == "Many people involved in the negotiations"


def test_accused_content_takes_the_object_and_its_charge(parser, finder):
    text = "The senator accused the government of lying about the deal."
    claim = _one(_claims(parser, finder, text), "accuse")
    assert _text(text, claim["source_span"]) == "The senator"
    assert _parts(text, claim) == ["the government of lying about the deal"]


def test_urged_content_takes_the_object(parser, finder):
    text = "The envoy urged North Korea to resume talks on its nuclear program."
    claim = _one(_claims(parser, finder, text), "urge")
    assert _parts(text, claim) == ["North Korea to resume talks on its nuclear program"]


def test_quote_split_by_its_attribution_is_two_parts(parser, finder):
    # PolNeAR takes both halves of a quote the attribution interrupts; the rules only the second
    text = '"My hope," he said, "is that the talks will resume next month."'
    claim = _one(_claims(parser, finder, text), "say")
    assert [p.strip('"“”, ') for p in _parts(text, claim)] == ["My hope", "is that the talks will resume next month."]


def test_quote_split_features(parser):
    from claimgraph.nlp.attribution_spans import DocIndex, _quote_split

    doc = parser('"My hope," he said, "is that the talks will resume." "Another quote" came later.')
    index = DocIndex(doc)
    cue = [t.i for t in doc if t.text == "said"][0]
    hope = [t.i for t in doc if t.text == "hope"][0]
    talks = [t.i for t in doc if t.text == "talks"][0]
    # the first half: one token ("he") to the cue, another quote right after it, a comma closing it
    assert _quote_split(index, hope, cue, index.quoted[hope]) == ["qsplit=L1_1", "qsplit_c=L1_1"]
    # the second half sees the first one before the cue
    assert _quote_split(index, talks, cue, index.quoted[talks])[0] == "qsplit=R1_1"
    # a quote far from the cue is no half of it
    another = [t.i for t in doc if t.text == "Another"][0]
    assert _quote_split(index, another, cue, index.quoted[another]) == ["qsplit=far_1"]
