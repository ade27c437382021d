"""Rules vs model vs combined, for the learned models in nlp/learned.py.

- ``attributions``: PolNeAR, scored with evaluation/attributions.py (cue-overlap matching).
  *rules*: the claims component as configured; *model*: every candidate cue the classifier
  accepts, as a bare cue-only attribution (what the classifier alone detects); *combined*: the
  rules' attributions whose cue the classifier accepts (``filter``), and the same on the rules'
  low-confidence candidates too (``open``: claims ``min_confidence`` 0, then the classifier
  decides), which is how the claims component is meant to use it.
- ``events``: ConfliBERT 5-way accuracy on the held-out fifth (``idx % 5 == 0``) and PLOVER gold
  type P/R/F1 per sentence. *rules*: the events component with its model off; *pipeline*: the
  events component with the model deciding (EventCoder._attach_model), as shipped; *model*: the
  event classifier alone; *combined*: a simulation kept for comparison (model probabilities plus
  a bonus on the rules' class; rule types kept above ``keep``, the top type added above ``add``).
  The event model is not trained on the PLOVER gold sentences nor on the held-out fifth;
  ``trained_on`` says whether the PLOVER file is among the model's training data.

Parsing happens once: the claims component is re-run on the same Docs for the ``open`` variant.

``compare_attributions`` is what ``claimgraph evaluate`` reports: *rules* = the claims
component with its cue model off, *model* = the classifier's bare cues at its shipped
threshold, *combined* = the claims component as shipped (``use_model`` on, vetoing rule
attributions below ``model_threshold``), all on one parse of each document.
"""
from __future__ import annotations

import time

from ..nlp.learned import QUAD_LABELS, CueClassifier, EventClassifier, file_sha256
from .attributions import is_attribution, new_totals, score_document
from .events import TYPE_QUAD, cameo_quad

def _pipeline(nlp):
    if nlp is not None:
        return nlp
    from ..nlp.pipeline import build_pipeline

    return build_pipeline()


def _summary(totals: dict) -> dict:
    return {"attribution": totals["attribution"].as_dict(),
            **{p: {"exact": totals[f"{p}_exact"].as_dict(), "token": totals[f"{p}_token"].as_dict()}
               for p in ("source", "cue", "content")}}


def evaluate_cue_filter(docs: list[dict], nlp=None, cue: CueClassifier | None = None,
                        thresholds=(0.3, 0.4, 0.5, 0.6, 0.7)) -> dict:
    cue = cue or CueClassifier.load()
    nlp = _pipeline(nlp)
    claims_pipe = nlp.get_pipe("claimgraph_claims")
    started = time.perf_counter()
    parsed = list(nlp.pipe((d["text"] for d in docs), batch_size=8))
    pipe_s = time.perf_counter() - started
    rules, model = new_totals(), {t: new_totals() for t in thresholds}
    filt = {t: new_totals() for t in thresholds}
    opened = {t: new_totals() for t in thresholds}
    open_all = new_totals()
    cue_s = 0.0
    default_min = claims_pipe.min_confidence
    for item, doc in zip(docs, parsed):
        base = doc._.claims or []
        score_document(item, base, rules)
        claims_pipe.min_confidence = 0.0
        try:
            loose = claims_pipe.find_claims(doc)
        finally:
            claims_pipe.min_confidence = default_min
        score_document(item, loose, open_all)
        t0 = time.perf_counter()
        cands = cue.candidates(doc)
        cand_p = cue.score(doc, cands)
        base_p = cue.score_spans(doc, [c.get("cue_span") for c in base])
        loose_p = cue.score_spans(doc, [c.get("cue_span") for c in loose])
        cue_s += time.perf_counter() - t0
        for t in thresholds:
            score_document(item, _bare_cues(doc, cands, cand_p, t), model[t])
            score_document(item, [c for c, p in zip(base, base_p) if not is_attribution(c) or p is None or p >= t],
                           filt[t])
            score_document(item, [c for c, p in zip(loose, loose_p) if not is_attribution(c) or p is None or p >= t],
                           opened[t])
    best = {name: max(thresholds, key=lambda t: by[t]["attribution"].f1)
            for name, by in (("model", model), ("filter", filt), ("open", opened))}
    return {
        "dataset": "PolNeAR dev, first annotator per document", "documents": len(docs),
        "rules": _summary(rules),
        "rules_min_confidence_0": _summary(open_all),
        "model": {"threshold": best["model"], **_summary(model[best["model"]])},
        "combined_filter": {"threshold": best["filter"], **_summary(filt[best["filter"]])},
        "combined_open": {"threshold": best["open"], **_summary(opened[best["open"]])},
        "by_threshold": {str(t): {"model": model[t]["attribution"].f1, "filter": filt[t]["attribution"].f1,
                                  "open": opened[t]["attribution"].f1} for t in thresholds},
        "cue_model_threshold_shipped": cue.threshold,
        "seconds": {"pipeline": round(pipe_s, 2), "cue_model": round(cue_s, 2),
                    "cue_model_ms_per_doc": round(1000 * cue_s / max(1, len(docs)), 2)},
    }


def _bare_cues(doc, cands: list[int], probs: list[float], threshold: float) -> list[dict]:
    out = []
    for i, p in zip(cands, probs):
        if p >= threshold:
            tok = doc[i]
            end = tok.idx + len(tok)
            if tok.lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
                end = doc[i + 1].idx + 2
            out.append({"speaker": None, "cue_span": [tok.idx, end], "source_span": None, "content_span": None})
    return out


def compare_attributions(docs: list[dict], nlp=None, cue: CueClassifier | None = None,
                         batch_size: int = 16) -> dict:
    """Rules vs model vs combined on PolNeAR, one parse per document (see the docstring)."""
    cue = cue or CueClassifier.load()
    nlp = _pipeline(nlp)
    claims_pipe = nlp.get_pipe("claimgraph_claims")
    totals = {name: new_totals() for name in ("rules", "model", "combined")}
    saved = claims_pipe.cue_model
    started = time.perf_counter()
    try:
        for item, doc in zip(docs, nlp.pipe((d["text"] for d in docs), batch_size=batch_size)):
            claims_pipe.cue_model = None
            score_document(item, claims_pipe.find_claims(doc), totals["rules"])
            claims_pipe.cue_model = cue
            score_document(item, claims_pipe.find_claims(doc), totals["combined"])
            cands = cue.candidates(doc)
            score_document(item, _bare_cues(doc, cands, cue.score(doc, cands), cue.threshold), totals["model"])
    finally:
        claims_pipe.cue_model = saved
    return {
        "dataset": "PolNeAR (dev), first annotator per document", "documents": len(docs),
        "rules": _summary(totals["rules"]),
        "model": {"threshold": cue.threshold, "how": "every candidate cue the classifier accepts, cue only",
                  **_summary(totals["model"])},
        "combined": ({"threshold": claims_pipe.filter_model.threshold,
                      "how": "rule and classifier-added attributions kept by the attribution filter"}
                     if claims_pipe.filter_model is not None else
                     {"threshold": claims_pipe.model_threshold,
                      "how": "rule attributions kept when P(cue) >= threshold"}) | _summary(totals["combined"]),
        "seconds": round(time.perf_counter() - started, 2),
    }


def _rule_events_by_sentence(doc) -> list[dict]:
    return [e for e in doc._.events or [] if e.get("type")]


def _events_off_and_on(nlp, texts: list[str], model: EventClassifier) -> tuple[list, list, list]:
    """Docs parsed once with the event model off, their events (the rules'), and their events
    with ``model`` deciding, re-running only the events component on the same Docs."""
    coder = nlp.get_pipe("claimgraph_events")
    saved = coder.event_model
    try:
        coder.event_model = None
        docs = list(nlp.pipe(texts, batch_size=64))
        rules = [_rule_events_by_sentence(d) for d in docs]
        coder.event_model = model
        shipped = []
        for doc in docs:
            coder(doc)
            shipped.append(_rule_events_by_sentence(doc))
    finally:
        coder.event_model = saved
    return docs, rules, shipped


def _main_quad(events: list[dict]) -> int | None:
    best = None
    for i, e in enumerate(events):
        conf = e.get("confidence") if isinstance(e.get("confidence"), (int, float)) else 0.0
        if best is None or (conf, -i) > best[0]:
            best = ((conf, -i), e)
    if best is None:
        return None
    e = best[1]
    q = cameo_quad(e.get("cameo"))
    return q if q is not None else TYPE_QUAD.get(e.get("type"))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def combine_types(rule_types: set[str], probs: dict[str, float], keep: float, add: float) -> set[str]:
    """The combination the events component is advised to use (see the model card)."""
    kept = {t for t in rule_types if probs.get(t, 0.0) >= keep}
    if not kept:
        best = max(probs, key=probs.get)
        if probs[best] >= add:
            kept = {best}
    return kept


def evaluate_events(conflibert: list[dict], plover: list[dict], nlp=None, model: EventClassifier | None = None,
                    plover_path=None, plover_probs: dict[str, dict] | None = None, keep_add=((0.05, 0.5), (0.1, 0.5), (0.2, 0.5), (0.1, 0.3), (0.0, 0.5))) -> dict:
    model = model or EventClassifier.load()
    nlp = _pipeline(nlp)
    out: dict = {}
    # -- ConfliBERT held-out fifth ----------------------------------------------------------
    held = [c for c in conflibert if int(str(c["id"]).split("-")[-1]) % 5 == 0]
    started = time.perf_counter()
    docs, rule_events, shipped_events = _events_off_and_on(nlp, [c["text"] for c in held], model)
    t0 = time.perf_counter()
    preds = model.predict([d[:] for d in docs])
    model_s = time.perf_counter() - t0
    rules_ok = model_ok = comb_ok = covered = pipe_ok = pipe_covered = 0
    for item, rules, shipped, pred in zip(held, rule_events, shipped_events, preds):
        rq = _main_quad(rules)
        pq = _main_quad(shipped)
        mq = QUAD_LABELS.index(pred["quad_label"])
        covered += rq is not None
        rules_ok += (rq if rq is not None else 0) == item["label"]
        pipe_covered += pq is not None
        pipe_ok += (pq if pq is not None else 0) == item["label"]
        model_ok += mq == item["label"]
        # combined: the model decides the class; the rules' class breaks near-ties
        q = dict(pred["quad"])
        if rq is not None:
            q[QUAD_LABELS[rq]] += 0.15
        comb_ok += QUAD_LABELS.index(max(q, key=q.get)) == item["label"]
    n = len(held)
    out["conflibert_heldout"] = {
        "split": "idx % 5 == 0", "sentences": n,
        "rules": {"accuracy": round(rules_ok / n, 4), "coverage": round(covered / n, 4)},
        "pipeline": {"accuracy": round(pipe_ok / n, 4), "coverage": round(pipe_covered / n, 4)},
        "model": {"accuracy": round(model_ok / n, 4)},
        "combined": {"accuracy": round(comb_ok / n, 4), "how": "model probabilities + 0.15 on the rules' class"},
        "seconds": round(time.perf_counter() - started, 2),
        "model_ms_per_sentence": round(1000 * model_s / max(1, n), 3),
    }
    # -- PLOVER gold types --------------------------------------------------------------------
    docs, rule_events, shipped_events = _events_off_and_on(nlp, [s["text"] for s in plover], model)
    preds = model.predict([d[:] for d in docs])
    if plover_probs:
        # out-of-fold probabilities: an honest figure for a model that has seen these sentences
        # (the shipped one has not; kept for models trained with PLOVER)
        preds = [dict(p, types=plover_probs.get(s["text"], p["types"])) for s, p in zip(plover, preds)]
    counts = {"rules": [0, 0, 0], "pipeline": [0, 0, 0], "model": [0, 0, 0]}
    combo = {ka: [0, 0, 0] for ka in keep_add}
    for item, rules, shipped, pred in zip(plover, rule_events, shipped_events, preds):
        gold = {e["type"] for e in item["events"]}
        rule = {e["type"] for e in rules}
        top = max(pred["types"], key=pred["types"].get)
        mine = {t for t, p in pred["types"].items() if p >= 0.5} or {top}
        for name, got in (("rules", rule), ("pipeline", {e["type"] for e in shipped}), ("model", mine)):
            c = counts[name]
            c[0] += len(got & gold)
            c[1] += len(got)
            c[2] += len(gold)
        for ka in keep_add:
            got = combine_types(rule, pred["types"], *ka)
            c = combo[ka]
            c[0] += len(got & gold)
            c[1] += len(got)
            c[2] += len(gold)
    trained_on = None
    if plover_path is not None:
        trained_on = (model.meta.get("data", {}).get("plover_gsr_cameo.jsonl", {}).get("sha256")
                      == file_sha256(plover_path))
    out["plover"] = {
        "sentences": len(plover), "trained_on": trained_on, "out_of_fold": bool(plover_probs),
        "rules": _prf(*counts["rules"]), "pipeline": _prf(*counts["pipeline"]), "model": _prf(*counts["model"]),
        "model_cv": model.meta.get("scores", {}).get("plover_type_cv"),
        "combined": {f"keep>={k},add>={a}": _prf(*v) for (k, a), v in combo.items()},
        "note": "model and combined use a model trained on these sentences when trained_on is true; "
                "model_cv is the 5-fold cross-validated model score",
    }
    return out


__all__ = ["evaluate_cue_filter", "evaluate_events", "combine_types", "compare_attributions"]
