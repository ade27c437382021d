"""The shipped learned models: they load, they are small and documented, they predict sensibly on
hand-written sentences, and their absence leaves the rules alone. Never retrains."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from claimgraph.errors import ModelArtifactMissing
from claimgraph.nlp.attribution_filter import FILTER_MODEL, AttributionFilter
from claimgraph.nlp.learned import (CUE_MODEL, EVENT_MODEL, PLOVER_TYPES, QUAD_LABELS, CueClassifier,
                                    EventClassifier, LinearModel, MLPModel, fit_linear, fit_mlp, models_dir,
                                    read_model)

MAX_BYTES = 25 * 1024 * 1024


@pytest.fixture(scope="module")
def bare():
    from claimgraph.nlp.pipeline import load_model

    return load_model()


@pytest.fixture(scope="module")
def events_model():
    return EventClassifier.load()


@pytest.fixture(scope="module")
def cue_model():
    return CueClassifier.load()


@pytest.mark.parametrize("name", [EVENT_MODEL, CUE_MODEL, FILTER_MODEL])
def test_artifact_is_small_versioned_and_documented(name):
    folder = models_dir() / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] and meta["date"] and meta["seed"] == 13
    assert all(len(info["sha256"]) == 64 for info in meta["data"].values())
    assert (folder / "CARD.md").read_text(encoding="utf-8").count("licence") >= 1
    assert sum(p.stat().st_size for p in folder.iterdir()) < MAX_BYTES


def test_event_classifier_five_way_on_handwritten_sentences(events_model, bare):
    sentences = {
        "Israeli troops killed five militants in an air strike on the town on Tuesday.": "material_conflict",
        "Rebels shelled the city and fighters ambushed an army convoy, killing twelve soldiers.": "material_conflict",
        "The foreign minister sharply criticized Iran and accused it of lying about its nuclear programme.":
            "verbal_conflict",
        "The United States sent humanitarian aid and food to refugees in the region.": "material_coop",
    }
    docs = [bare(s) for s in sentences]
    preds = events_model.predict([d[:] for d in docs])
    for (text, expected), pred in zip(sentences.items(), preds):
        assert set(pred["quad"]) == set(QUAD_LABELS)
        assert abs(sum(pred["quad"].values()) - 1.0) < 1e-3
        assert pred["quad_label"] == expected, (text, pred["quad"])


def test_event_classifier_types_rank_the_obvious_type_high(events_model):
    # strings are parsed with the bare base model
    pred = events_model.predict(["Police arrested dozens of opposition activists and detained their leader.",
                                 "Thousands of protesters marched through the capital demanding the president resign."])
    assert set(pred[0]["types"]) == set(PLOVER_TYPES)
    top0 = sorted(pred[0]["types"], key=pred[0]["types"].get, reverse=True)[:3]
    top1 = sorted(pred[1]["types"], key=pred[1]["types"].get, reverse=True)[:3]
    assert "COERCE" in top0, pred[0]["types"]
    assert "PROTEST" in top1, pred[1]["types"]


def _prob(cue_model, doc, word):
    i = next(t.i for t in doc if t.text == word)
    return cue_model.score(doc, [i])[0]


def test_cue_classifier_separates_reporting_from_other_uses(cue_model, bare):
    said = bare("The minister said that the talks had failed and the army would withdraw.")
    according = bare("According to officials, the missiles were fired from the north.")
    called = bare("A group called the Popular Front took over the building.")
    runs = bare("The company runs three factories in the north of the country.")
    p_said, p_acc = _prob(cue_model, said, "said"), _prob(cue_model, according, "According")
    p_called, p_runs = _prob(cue_model, called, "called"), _prob(cue_model, runs, "runs")
    assert p_said > 0.7 and p_acc > 0.6, (p_said, p_acc)
    assert p_called < 0.3 and p_runs < 0.3, (p_called, p_runs)
    assert cue_model.is_cue(p_said) and not cue_model.is_cue(p_runs)


def test_cue_scores_for_claim_spans(cue_model, bare):
    doc = bare("He said the talks failed. The agency runs a fund.")
    said = next(t for t in doc if t.text == "said")
    runs = next(t for t in doc if t.text == "runs")
    probs = cue_model.score_spans(doc, [[said.idx, said.idx + 4], None, [runs.idx, runs.idx + 4]])
    assert probs[1] is None
    assert probs[0] > cue_model.threshold > probs[2]


def test_candidates_include_verbs_according_and_headline_colon(cue_model, bare):
    doc = bare("Trump: the deal is dead, according to aides who spoke on Monday.")
    words = {doc[i].text for i in cue_model.candidates(doc)}
    assert {":", "according", "spoke"} <= words


def test_mlp_learns_a_conjunction_a_linear_model_cannot_and_round_trips(tmp_path):
    # exclusive or of two features: no weighted sum separates it, one hidden layer does
    rows = [["a"], ["b"], ["a", "b"], []] * 50
    y = np.array([[1.0], [1.0], [0.0], [0.0]] * 50)
    vocab = {"a": 0, "b": 1, "BIAS": 2}
    rows = [r + ["BIAS"] for r in rows]
    linear = fit_linear(rows, None, y, vocab, "sigmoid", epochs=300)
    mlp = fit_mlp(rows, None, y, vocab, "sigmoid", hidden=32, epochs=100, lr=1e-2, batch=16, dropout=0.0)
    test = [(["a", "BIAS"], None), (["b", "BIAS"], None), (["a", "b", "BIAS"], None), (["BIAS"], None)]
    lin, nn = linear.scores(test)[:, 0], mlp.scores(test)[:, 0]
    assert not (min(lin[:2]) > 0.5 > max(lin[2:]))
    assert min(nn[:2]) > 0.8 and max(nn[2:]) < 0.2, nn
    mlp.save(tmp_path, "")
    again = read_model(tmp_path, "")
    assert isinstance(again, MLPModel)
    assert np.allclose(again.scores(test), mlp.scores(test), atol=2e-3)  # float16 weights on disk
    linear.save(tmp_path, "lin_")
    assert isinstance(read_model(tmp_path, "lin_"), LinearModel)


def test_mlp_takes_a_dense_block_and_fills_a_missing_one_with_the_mean():
    rng = np.random.default_rng(0)
    dense = rng.normal(0, 1, (400, 3)).astype(np.float32)
    y = (dense[:, 0] * dense[:, 1] > 0).astype(float)[:, None]  # a product: needs the hidden layer
    rows = [["BIAS"]] * 400
    mlp = fit_mlp(rows, dense, y, {"BIAS": 0}, "sigmoid", hidden=16, epochs=80, lr=1e-2, batch=32, dropout=0.0)
    probs = mlp.scores([(["BIAS"], d) for d in dense])[:, 0]
    assert ((probs > 0.5) == (y[:, 0] > 0.5)).mean() > 0.85
    assert mlp.scores([(["BIAS"], None)]).shape == (1, 1)


def test_missing_or_broken_artifact_means_rules_only(tmp_path):
    with pytest.raises(ModelArtifactMissing):
        EventClassifier.load(tmp_path / "nothing")
    assert EventClassifier.load_optional(tmp_path / "nothing") is None
    broken = tmp_path / "cue"
    shutil.copytree(models_dir() / CUE_MODEL, broken)
    (broken / "weights.npz").write_bytes(b"not a zip")
    assert CueClassifier.load_optional(broken) is None


# -- wired into the components ------------------------------------------------------------------
def _cues(claims):
    return sorted(c["cue"] for c in claims if c["cue"])


def test_cue_model_vetoes_a_non_reporting_verb_and_can_be_turned_off(nlp):
    from claimgraph.nlp.claims import ClaimFinder

    doc = nlp("The senator said she plans to visit the border next week.")
    assert _cues(doc._.claims) == ["say"]  # "plans" is a rule cue; the models reject it
    assert _cues(ClaimFinder(nlp, 0.3, use_model=False).find_claims(doc)) == ["plan", "say"]
    # without the attribution filter, the cue classifier's veto at model_threshold decides
    finder = ClaimFinder(nlp, 0.3, use_model=True, model_threshold=0.0)
    finder.filter_model = None
    assert _cues(finder.find_claims(doc)) == ["plan", "say"]


def test_attribution_filter_sees_source_nesting_and_the_cue_probability(nlp):
    from claimgraph.nlp.claims import ClaimFinder

    finder = ClaimFinder(nlp, 0.3)
    finder.filter_rows = []
    doc = nlp("The senator said she plans to visit the border next week.")
    finder.find_claims(doc)
    rows = {next(f for f in names if f.startswith("l=")): (names, dense) for (names, dense), _ in finder.filter_rows}
    said, plans = rows["l=say"][0], rows["l=plan"][0]
    assert {"origin=lexicon", "src=NOUN", "src_side=before", "first_line"} <= set(said)
    assert {"nested", "nested_in=say", "src=pron_she"} <= set(plans)
    # P(cue) enters as a logit: "said" is a far surer cue than "plans"
    assert rows["l=say"][1][0] > 1.0 > rows["l=plan"][1][0]
    flt = AttributionFilter.load()
    p_said, p_plans = flt.score([rows["l=say"], rows["l=plan"]])
    assert p_said >= flt.threshold > p_plans


def test_claims_use_model_and_threshold_come_from_settings(tmp_path):
    from claimgraph.settings import load_settings

    cfg = tmp_path / "c.cfg"
    cfg.write_text("[claims]\nuse_model = off\nmodel_threshold = 0.45\n")
    settings = load_settings(cfg)
    assert settings.claims_use_model is False and settings.claims_model_threshold == 0.45
    assert load_settings().claims_use_model is True and load_settings().claims_model_threshold == 0.3


def test_events_carry_the_sentence_model_view(nlp):
    from claimgraph.nlp.events import EventCoder

    doc = nlp("Israeli troops killed five militants in an air strike on the town on Tuesday.")
    assert doc._.events
    for event in doc._.events:
        view = event["model"]
        assert set(view) == {"type_p", "quad", "quad_p"}
        assert view["quad"] == "material_conflict" and view["quad_p"] > 0.5
        assert event["type"] and 0.0 <= view["type_p"] <= 1.0
    EventCoder(nlp.vocab, use_model=False)(doc)
    assert doc._.events and all("model" not in e for e in doc._.events)


# -- the event model decides (issue 10) ---------------------------------------------------------
def _decider(events_model, **decision):
    return EventClassifier(events_model.types_model, events_model.quad_model,
                           {**events_model.meta, "decision": decision})


def _pred(quad, **types):
    probs = {t: 0.1 for t in PLOVER_TYPES}
    probs.update(types)
    return {"quad": dict(zip(QUAD_LABELS, quad)), "types": probs}


def test_event_model_decides_whether_and_which_event(events_model):
    clf = _decider(events_model, add=0.5, veto=0.5, reject=0.2, need_actor=True)
    accuse = {"type": "ACCUSE", "cameo": "112"}
    # a confident statement ("the ministry declined to comment") holds no PLOVER event: the rule
    # ACCUSE it gives 0.05 goes, and nothing is added in its place
    d = clf.decide(_pred([0.8, 0.05, 0.05, 0.05, 0.05]), [accuse])
    assert (d["drop"], d["add"]) == ([0], None)
    # ... but an ACCUSE the model still gives 0.3 stays
    assert clf.decide(_pred([0.6, 0.02, 0.03, 0.3, 0.05]), [accuse])["drop"] == []
    # an unsure statement (0.45) vetoes nothing
    assert clf.decide(_pred([0.45, 0.2, 0.2, 0.1, 0.05]), [accuse])["drop"] == []
    # a confident non-statement class vetoes nothing: beside a rule event the rules' type stands
    d = clf.decide(_pred([0.02, 0.02, 0.06, 0.05, 0.85], ASSAULT=0.6), [accuse])
    assert (d["drop"], d["add"]) == ([], None)
    # a sentence the rules left empty gets the likeliest type of the model's confident class
    # (CONCEDE is likelier overall but material cooperation)
    d = clf.decide(_pred([0.02, 0.02, 0.06, 0.05, 0.85], ASSAULT=0.6, COERCE=0.3, CONCEDE=0.9), [])
    assert (d["add"], d["class"], d["p"]) == ("ASSAULT", 4, 0.85)
    # not when the model is unsure, and never a statement (CAMEO 01-02 are no PLOVER event)
    assert clf.decide(_pred([0.1, 0.15, 0.2, 0.15, 0.4], ASSAULT=0.6), [])["add"] is None
    assert clf.decide(_pred([0.9, 0.02, 0.02, 0.03, 0.03], REQUEST=0.9), [])["add"] is None


def test_event_model_can_be_turned_off_in_the_config(tmp_path):
    from claimgraph.nlp.pipeline import build_pipeline
    from claimgraph.settings import load_settings

    cfg = tmp_path / "c.cfg"
    cfg.write_text("[events]\nuse_model = off\n")
    settings = load_settings(cfg)
    assert settings.events_use_model is False and load_settings().events_use_model is True
    assert build_pipeline(settings).get_pipe("claimgraph_events").event_model is None


def _events(doc):
    return [(e["type"], e["source"], e["target"], e["origin"]) for e in doc._.events]


def test_pipeline_adds_the_event_the_rules_missed_with_rule_actors(nlp):
    from claimgraph.nlp.events import EventCoder

    # no trigger in the lexicon for "torch"; the model is sure of material conflict (~0.55) and
    # the rules read the place: a riot in Lagos is against Nigeria
    doc = nlp("Protesters torched a police station in Lagos.")
    assert _events(doc) == [("ASSAULT", [], ["NGA"], "model")]
    event = doc._.events[0]
    assert event["cameo"].startswith(("18", "19", "20")) and event["trigger"] == "torched"
    assert 0.5 <= event["confidence"] < 0.7 and event["model"]["quad"] == "material_conflict"
    EventCoder(nlp.vocab, use_model=False)(doc)
    assert doc._.events == []


def test_pipeline_drops_a_rule_event_in_a_statement(nlp):
    from claimgraph.nlp.events import EventCoder

    # "asked" is a rule REQUEST; the sentence only says the army did not comment (model ~0.6)
    text = "Asked about the airstrikes, the Israeli army declined to comment."
    doc = nlp(text)
    assert doc._.events == []
    EventCoder(nlp.vocab, use_model=False)(doc)
    assert [e["type"] for e in doc._.events] == ["REQUEST"]
    assert all(e["origin"] == "rules" and "model" not in e for e in doc._.events)
