"""The evaluation harness itself: loaders on small hand-written files, scorers on fake
records (no model), the CLI's skip on absent data. Expected numbers are worked out by hand."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph.evaluation import actors as actors_eval
from claimgraph.evaluation import attributions, events, loaders, metrics


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# -- metrics ---------------------------------------------------------------------------------
def test_set_prf_micro():
    prf = metrics.PRF()
    metrics.set_prf({"A", "B"}, {"A"}, prf)      # 1 tp, 2 pred, 1 gold
    metrics.set_prf(set(), {"C"}, prf)           # 0 tp, 0 pred, 1 gold
    assert (prf.precision, prf.recall) == (0.5, 0.5)
    assert prf.f1 == pytest.approx(0.5)


def test_exact_span_ignores_edge_quotes_and_punctuation():
    text = 'He said "the talks failed." Then'
    inner = (text.index("the"), text.index("failed") + len("failed"))
    with_quotes = (text.index('"'), text.index("Then") - 1)
    assert metrics.spans_exact([with_quotes], [inner], text)
    assert not metrics.spans_exact([(inner[0], inner[1] - 1)], [inner], text)


def test_token_index_counts_partial_tokens():
    idx = metrics.TokenIndex("alpha beta gamma")
    assert idx.tokens([(0, 5)]) == {0}
    assert idx.tokens([(3, 8)]) == {0, 1}          # touches alpha and beta
    assert idx.tokens([(0, 5), (11, 16)]) == {0, 2}  # discontinuous


def test_greedy_matching_is_one_to_one():
    assert sorted(metrics.match_greedy([(5, 0, 0), (3, 1, 0), (2, 1, 1)])) == [(0, 0), (1, 1)]


# -- loaders -----------------------------------------------------------------------------------
def test_plover_loader_maps_names_and_codes(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [
        {"id": "a", "event": "FIGHT", "text": "S1.", "eventText": "x", "textInfo": {},
         "source": [{"actorText": "Tokyo", "code": "JAP"}], "target": [{"actorText": "al-Qaeda", "code": "IMG"}]},
        {"id": "b", "event": "DISAPPROVE", "text": "S1.", "eventText": "y", "textInfo": {},
         "source": [{"actorText": "x", "code": "ISM"}], "target": "diplomatic"},
        {"id": "c", "event": "DEMAND", "text": "S2.", "eventText": "z", "textInfo": {}, "source": None},
    ])
    assert loaders.detect_format(path) == "plover"
    sentences = loaders.load_plover(path)
    assert [s["text"] for s in sentences] == ["S1.", "S2."]
    first = sentences[0]["events"]
    assert [e["type"] for e in first] == ["ASSAULT", "ACCUSE"]
    assert first[0]["source"][0]["country"] == "JPN" and first[0]["target"][0]["country"] == "IMG"
    assert first[1]["source"][0]["country"] == "IMG" and first[1]["target"] == []
    assert sentences[1]["events"][0]["type"] == "REQUEST"


def test_normalise_country():
    assert loaders.normalise_country("usa") == "USA"
    assert loaders.normalise_country("UNO") == "IGO"
    assert loaders.normalise_country("XYZ") is None
    assert loaders.normalise_country("") is None


def test_ngec_loader_keeps_country_and_sector_cases(tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl", [
        {"test": "t1", "function": "agent_to_code", "args": ["Minsk police", "", "10 May 2015"],
         "expect": {"code['country']": {"op": "Eq", "value": "BLR"}, "code['code_1']": {"op": "Eq", "value": "COP"}}},
        {"test": "t2", "function": "query_wiki", "args": ["Warsaw"], "expect": {"wiki['title']": {"op": "Eq", "value": "Warsaw"}}},
        {"test": "t3", "function": "short_text_to_agent", "args": [None], "expect": {"code['code_1']": {"op": "Eq", "value": "COP"}}},
        {"test": "t4", "function": "search_nat", "args": ["Great Britain"], "expect": {"cc": {"op": "Eq", "value": "GBR"}}},
    ])
    assert loaders.detect_format(path) == "ngec"
    cases = loaders.load_ngec(path)
    assert [c["id"] for c in cases] == ["t1", "t4"]
    assert cases[0]["published"] == "2015-05-10" and cases[1]["sector"] is None


def test_polnear_loader_first_annotator(tmp_path):
    text = "Officials said the plan failed."
    att = {"id": "E1", "no_source": False, "source": [{"start": 0, "end": 9, "text": "Officials"}],
           "cue": [{"start": 10, "end": 14, "text": "said"}], "content": [{"start": 15, "end": 30, "text": "the plan failed"}]}
    path = write_jsonl(tmp_path / "pn.jsonl", [
        {"doc_id": "x_2016-09-12_y", "annotator": "a1", "compartment": "dev", "text": text, "attributions": [att]},
        {"doc_id": "x_2016-09-12_y", "annotator": "a2", "compartment": "dev", "text": text, "attributions": []},
    ])
    assert loaders.detect_format(path) == "polnear"
    (doc,) = loaders.load_polnear(path)
    assert doc["annotator"] == "a1" and doc["published"] == "2016-09-12"
    assert doc["attributions"][0]["cue"] == [(10, 14)]


def test_find_files_refuses_wrong_task(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"idx": 0, "text": "x", "quad_label": 1}])
    assert loaders.find_files(path, "events") == [("conflibert", path)]
    with pytest.raises(Exception, match="cannot be used"):
        loaders.find_files(path, "attributions")


# -- fake records ------------------------------------------------------------------------------
def record(actors, events_, text="", claims_extra=()):
    claims = [{"speaker": None, "chain": [], "cue_span": None, "content_span": None, "confidence": 0.5,
               "event": ev} for ev in events_]
    return {"text": text, "actors": actors, "claims": claims + list(claims_extra)}


def fake_runner(records):
    def run(items, nlp=None, batch_size=64, **_):
        items = list(items)
        return [records.get(it["id"]) for it in items], []
    return run


def test_plover_scores_type_source_target(monkeypatch):
    sentences = [
        {"id": "s1", "text": "A", "events": [{"type": "ASSAULT", "source": [{"country": "RUS"}], "target": [{"country": "UKR"}]}]},
        {"id": "s2", "text": "B", "events": [{"type": "AID", "source": [{"country": "IRN"}], "target": [{"country": "IMG"}]}]},
    ]
    actors = [{"id": "RUS-MIL", "country": "RUS", "kind": "group"}, {"id": "IMG-ISIS", "country": None, "kind": "armed_group"}]
    recs = {
        # right type, right source (via a group actor's country), wrong target
        "s1": record(actors, [{"type": "ASSAULT", "source": ["RUS-MIL"], "target": ["GEO"], "trigger_span": [0, 1]},
                              # the same event carried by a second claim counts once
                              {"type": "ASSAULT", "source": ["RUS-MIL"], "target": ["GEO"], "trigger_span": [0, 1]}]),
        # wrong type, but source and target resolve (IMG- prefix) correctly
        "s2": record(actors, [{"type": "SUPPORT", "source": ["IRN"], "target": ["IMG-ISIS"], "trigger_span": [0, 1]}]),
    }
    monkeypatch.setattr(events, "run_records", fake_runner(recs))
    result = events.evaluate_plover(sentences, errors=5)
    assert result["type"]["tp"] == 1 and result["type"]["pred"] == 2 and result["type"]["gold"] == 2
    assert result["type_source"]["f1"] == 0.5
    assert result["type_source_target"]["f1"] == 0.0
    assert result["confusion"]["AID"] == {"SUPPORT": 1}
    assert result["no_event_sentences"] == 0 and result["no_event_false_positive_rate"] is None
    assert len(result["errors"]) == 2 and result["errors"][0]["text"] == "A"


def test_plover_false_positives_on_no_event_sentences(monkeypatch):
    sentences = [{"id": "s1", "text": "Nothing happened.", "events": []}]
    monkeypatch.setattr(events, "run_records", fake_runner(
        {"s1": record([], [{"type": "CONSULT", "source": [], "target": [], "trigger_span": [0, 1]}])}))
    result = events.evaluate_plover(sentences)
    assert result["no_event_false_positive_rate"] == 1.0 and result["no_event_false_events"] == 1


def test_cameo_quad_roots():
    assert [events.cameo_quad(c) for c in ("010", "0234", "036", "057", "061", "0871", "090",
                                           "138", "141", "190", "20", None, "x")] == \
        [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, None, None]


def test_conflibert_main_event_and_no_event_default(monkeypatch):
    sentences = [{"id": "a", "text": "a", "label": 4}, {"id": "b", "text": "b", "label": 0},
                 {"id": "c", "text": "c", "label": 3}]
    recs = {
        "a": record([], [{"type": "ACCUSE", "cameo": "112", "confidence": 0.4, "trigger_span": [0, 1]},
                         {"type": "ASSAULT", "cameo": "190", "confidence": 0.9, "trigger_span": [2, 3]}]),
        "b": record([], []),                      # no event -> class 0, correct
        "c": record([], [{"type": "REJECT", "cameo": None, "trigger_span": [0, 1]}]),  # falls back to type
    }
    monkeypatch.setattr(events, "run_records", fake_runner(recs))
    result = events.evaluate_conflibert(sentences)
    assert result["accuracy"] == 1.0
    assert result["coverage"] == pytest.approx(0.6667, abs=1e-4)
    assert result["class_from"] == {"cameo": 1, "type": 1, "none": 1}


def test_attribution_scoring(monkeypatch):
    text = 'Officials said the plan failed. "It works," Smith claimed. The sky is blue.'
    said = text.index("said")
    claimed = text.index("claimed")
    gold_doc = {"id": "d", "text": text, "attributions": [
        {"source": [(0, 9)], "cue": [(said, said + 4)], "content": [(15, 30)]},
        {"source": [(text.index("Smith"), text.index("Smith") + 5)], "cue": [(claimed, claimed + 7)],
         "content": [(text.index("It"), text.index("works") + 5)]},
    ]}
    claims = [
        # matches the first: exact source and cue, content one word short
        {"speaker": "X", "source_span": [0, 9], "cue_span": [said, said + 4], "content_span": [19, 30]},
        # spurious attribution (cue nowhere near gold)
        {"speaker": "Y", "source_span": None, "cue_span": [text.index("is"), text.index("is") + 2],
         "content_span": [text.index("The"), len(text) - 1]},
        # outlet voice: not an attribution
        {"speaker": None, "cue_span": None, "content_span": [0, 30]},
    ]
    monkeypatch.setattr(attributions, "run_records", fake_runner({"d": {"text": text, "claims": claims}}))
    result = attributions.evaluate_polnear([gold_doc], errors=10)
    assert result["attribution"]["tp"] == 1 and result["attribution"]["pred"] == 2
    assert result["attribution"]["p"] == 0.5 and result["attribution"]["r"] == 0.5
    assert result["source"]["exact"]["p"] == 1.0 and result["source"]["exact"]["r"] == 0.5
    assert result["content"]["exact"]["tp"] == 0
    # content tokens: gold "the plan failed" (3) + "It works" (2); predicted "plan failed" (2)
    # + "The sky is blue" (4); shared 2 -> P 2/6, R 2/5
    assert result["content"]["token"]["p"] == pytest.approx(2 / 6, abs=1e-4)
    assert result["content"]["token"]["r"] == pytest.approx(2 / 5, abs=1e-4)
    kinds = sorted(e["kind"] for e in result["errors"])
    assert kinds == ["missed", "spurious"]


def test_actor_accuracy_rules():
    cases = [
        {"id": "1", "text": "Minsk police", "country": {"op": "Eq", "value": "BLR"}, "sector": {"op": "Eq", "value": "COP"}},
        {"id": "2", "text": "Japan", "country": {"op": "Eq", "value": "JPN"}, "sector": {"op": "Eq", "value": ""}},
        {"id": "3", "text": "soldiers", "country": {"op": "Eq", "value": ""}, "sector": {"op": "Eq", "value": "MIL"}},
        {"id": "4", "text": "IMF", "country": {"op": "Eq", "value": "IGO"}, "sector": None},
        {"id": "5", "text": "John Waluke", "country": {"op": "NotEq", "value": "GBR"}, "sector": None},
        {"id": "6", "text": "Hezbollah", "country": {"op": "Eq", "value": "LBN"}, "sector": {"op": "In", "value": ["PTY", "REB"]}},
        {"id": "7", "text": "EU legislators", "country": {"op": "Eq", "value": "EUR"}, "sector": None},
        {"id": "8", "text": "Red Crescent", "country": {"op": "Eq", "value": ""}, "sector": None},
    ]
    answers = {
        "1": {"id": "BLR-COP", "country": "BLR", "sector": "COP", "kind": "group"},
        "2": {"id": "JPN", "country": "JPN", "sector": "GOV", "kind": "state"},   # state: "" sector ok
        "3": {"id": "cg:soldiers", "country": "USA", "sector": "MIL", "kind": "group"},  # country wrong
        "4": {"id": "IGO-IMF", "country": None, "sector": "IGO", "kind": "igo"},
        "5": None,
        "6": {"id": "LBN-HEZBOLLAH", "country": "LBN", "sector": "MIL", "kind": "armed_group"},  # sector wrong
        "7": {"id": "EUR-LEG", "country": "EUR", "sector": "LEG", "kind": "group"},  # KB pseudo-country
        "8": {"id": "NGO-RED-CRESCENT", "country": None, "sector": "NGO", "kind": "ngo"},
    }
    result = actors_eval.evaluate_actors(cases, resolve=lambda c: answers[c["id"]], errors=10)
    assert result["country_cases"] == 8 and result["country_accuracy"] == pytest.approx(7 / 8, abs=1e-4)
    assert result["sector_cases"] == 4 and result["sector_accuracy"] == 0.75
    assert {e["id"] for e in result["errors"]} == {"3", "6"}


# -- CLI ---------------------------------------------------------------------------------------
def test_cli_skips_absent_data(tmp_path):
    from claimgraph.cli.main import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", "events", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 0
    assert "skipped" in result.output
    result = runner.invoke(cli, ["evaluate", "all", "--data", str(tmp_path / "nowhere"), "--json"])
    assert result.exit_code == 0 and "skipped" in json.loads(result.output)


def test_cli_actors_on_a_file(tmp_path, monkeypatch):
    from claimgraph.cli.main import cli

    path = write_jsonl(tmp_path / "n.jsonl", [
        {"test": "t1", "function": "agent_to_code", "args": ["Japan"],
         "expect": {"code['country']": {"op": "Eq", "value": "JPN"}}}])
    monkeypatch.setattr(actors_eval, "_resolver", lambda: (lambda case: {"id": "JPN", "country": "JPN", "kind": "state"}))
    result = CliRunner().invoke(cli, ["evaluate", "actors", "--data", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["scores"]["actors.ngec.country_accuracy"] == 1.0


def test_claims_of_one_attribution_count_once(monkeypatch):
    # the pipeline emits one claim per (attribution x event): two events under one "said"
    text = "Officials said troops attacked the town and shelled the port."
    said = text.index("said")
    gold_doc = {"id": "d", "text": text, "attributions": [
        {"source": [(0, 9)], "cue": [(said, said + 4)], "content": [(said + 5, len(text) - 1)]}]}
    claim = {"speaker": "X", "source_span": [0, 9], "cue_span": [said, said + 4],
             "content_span": [said + 5, len(text) - 1]}
    claims = [dict(claim, event_index=0), dict(claim, event_index=1),
              # no cue: grouped only with the same content, so these two stay two
              {"speaker": "Y", "cue_span": None, "source_span": None, "content_span": [0, 9]},
              {"speaker": "Y", "cue_span": None, "source_span": None, "content_span": [10, 20]}]
    assert len(attributions.group_attributions(claims)) == 3
    monkeypatch.setattr(attributions, "run_records", fake_runner({"d": {"text": text, "claims": claims[:2]}}))
    result = attributions.evaluate_polnear([gold_doc])
    assert result["attribution"] == {**result["attribution"], "tp": 1, "pred": 1, "gold": 1, "f1": 1.0}
    assert result["content"]["exact"]["pred"] == 1
