"""Train the sentence-level event classifier (PLOVER types, multi-label; ConfliBERT 5-way class).

    .venv/bin/python scripts/train_event_classifier.py [--data ../shared/data] [--out src/claimgraph/models/event_classifier]

Data (read from ../shared/data, never copied into the repo):
- events/conflibert_cameo_train.jsonl — 5-way ``quad_label``. The held-out fifth is every row
  with ``idx % 5 == 0``: it is never trained on and gives the reported 5-way accuracy.
- events/plover_gsr_cameo.jsonl — PLOVER gold sentences (PLOVER 0.5 names mapped as in
  evaluation/loaders.py); types, and a 5-way class from each type's CAMEO root. Its type scores
  are 5-fold cross-validated (the shipped model then trains on all of it).
- events/ngec_synthetic_events.csv — silver: the first sentence of each synthetic story with the
  story's PLOVER label, down-weighted. Licence unstated (see the model card).

Deterministic: fixed seed, sorted inputs, full-batch training; reruns give identical weights.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimgraph.evaluation.events import TYPE_QUAD  # noqa: E402
from claimgraph.evaluation.loaders import load_plover  # noqa: E402
from claimgraph.nlp.learned import (EVENT_MODEL, FORMAT_VERSION, PLOVER_TYPES, QUAD_LABELS,  # noqa: E402
                                    EventClassifier, _dense, build_vocab, event_features,
                                    file_sha256, finish_artifact, fit_linear, models_dir, parse_cached)

SEED = 13
NGEC_WEIGHT = 0.3
PLOVER_WEIGHT = 1.0
DENSE_WIDTH = 96
HPARAMS = {"quad": {"l2": 3e-3, "epochs": 250, "lr": 0.05, "min_count": 2},
           "types": {"l2": 1e-3, "epochs": 250, "lr": 0.05, "min_count": 2}}


CARD = """
Two linear models over one sentence's parse features (lemmas, lemma bigrams, verb frames:
verb+object, verb+preposition(+object), negation, xcomp, particles; entity labels) and the mean
tok2vec vector of the base model (`en_core_web_sm` 3.8, 96 dims; zeros when a Doc has no tensor
of that width, e.g. under a transformer base model). Plain numpy at run time, no download.

- `quad_*`: softmax over ConfliBERT's 5 classes (statement, verbal cooperation, material
  cooperation, verbal conflict, material conflict).
- `types_*`: 16 one-vs-rest sigmoids over the PLOVER event types (multi-label).

**Split.** ConfliBERT rows with `idx % 5 == 0` (270 sentences) are held out: never trained on,
they give the 5-way accuracy below. The PLOVER gold type score is 5-fold cross-validated over the
322 gold sentences (fold = sentence order % 5); the shipped type model then trains on all of them,
so scoring it on plover_gsr_cameo.jsonl afterwards is not a fair test (evaluation marks it).

**Training data and licences.**
- ConfliBERT CAMEO sentences (`conflibert_cameo_train.jsonl`): research data from the ConfliBERT
  project; the 5-way label is the project's. Licence of the text: research use, news text
  copyrighted; only weights derived from it are shipped, no text.
- PLOVER gold-standard records (openeventdata/PLOVER; sentences from the CAMEO manual): gold.
  PLOVER 0.5 names mapped DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT; 5-way
  class from each type's CAMEO root (evaluation/events.py TYPE_QUAD).
- NGEC synthetic stories (`ngec_synthetic_events.csv`, 4,500 LM-generated stories by the NGEC
  authors, pseudo-labelled with a PLOVER type): **silver, licence unstated** — the weights depend
  on data whose licence is not known; anyone redistributing this model should check with the
  NGEC authors. Only each story's first sentence is used, weighted 0.3.

**Limits.** The type model is weak on the textbook PLOVER sentences (16 types from ~260 gold
sentences plus silver); use it as a veto/tie-breaker on the rules' types, not alone. Neither model
says *whether* a sentence holds an event (the training data has no event-free sentences besides
"statement"); the rules still decide that and find source, target and via.

**Measured with the pipeline (2026-11-25, `claimgraph.evaluation.learned.evaluate_events`).**
ConfliBERT held-out fifth (270): rules .648 accuracy (coverage .85), model .852, combined (model
probabilities + 0.15 on the rules' class) .874. PLOVER gold type F1 (316 sentences, model
out-of-fold): rules .698, model .352, rules vetoed by the model (keep a type when P ≥ 0.05) .669,
so on PLOVER types the rules stay as they are. Cost: ≈0.2 ms per sentence on top of the parse.
"""


def load_data(data: Path) -> dict:
    conf = [json.loads(line) for line in (data / "events/conflibert_cameo_train.jsonl").open(encoding="utf-8")
            if line.strip()]
    conf.sort(key=lambda r: r["idx"])
    plover = load_plover(data / "events/plover_gsr_cameo.jsonl")
    csv.field_size_limit(1 << 26)
    with (data / "events/ngec_synthetic_events.csv").open(encoding="utf-8", newline="") as handle:
        ngec = [r for r in csv.DictReader(handle) if r.get("label") in PLOVER_TYPES and r.get("text", "").strip()]
    return {"conflibert": conf, "plover": plover, "ngec": ngec}


def parse(nlp, texts: list[str], cache: Path | None, name: str) -> list:
    return parse_cached(nlp, texts, cache / f"{name}.spacy" if cache else None, batch_size=64)


def first_sentence(doc):
    for sent in doc.sents:
        if sum(t.is_alpha for t in sent) >= 4:
            return sent
    return doc[:]


def rows_for(spans) -> tuple[list[list[str]], np.ndarray]:
    feats = [event_features(s) for s in spans]
    dense = np.stack([(_dense(s, DENSE_WIDTH) if _dense(s, DENSE_WIDTH) is not None else np.zeros(DENSE_WIDTH))
                      for s in spans]).astype(np.float64)
    return feats, dense


def type_targets(type_sets: list[set[str] | None], single: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    k = len(PLOVER_TYPES)
    y = np.zeros((len(type_sets), k))
    mask = np.ones_like(y)
    for r, (types, one) in enumerate(zip(type_sets, single)):
        if types is not None:
            for t in types:
                y[r, PLOVER_TYPES.index(t)] = 1
        elif one is not None:
            y[r, PLOVER_TYPES.index(one)] = 1
        else:
            mask[r] = 0
    return y, mask


def quad_targets(labels: list[int | None]) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(labels), len(QUAD_LABELS)))
    keep = np.zeros(len(labels))
    for r, lab in enumerate(labels):
        if lab is not None:
            y[r, lab] = 1
            keep[r] = 1
    return y, keep


def fit(kind: str, feats, dense, y, weight, mask=None, use_dense=True):
    hp = HPARAMS[kind]
    sel = weight > 0
    rows = [f for f, s in zip(feats, sel) if s]
    vocab = build_vocab(rows, hp["min_count"])
    return fit_linear(rows, dense[sel] if use_dense else None, y[sel], vocab,
                      "softmax" if kind == "quad" else "sigmoid", l2=hp["l2"], epochs=hp["epochs"], lr=hp["lr"],
                      sample_weight=weight[sel], mask=None if mask is None else mask[sel], seed=SEED)


def type_prf(probs: np.ndarray, gold: list[set[str]], thresholds: np.ndarray) -> dict:
    tp = fp = fn = 0
    for row, g in zip(probs, gold):
        pred = {PLOVER_TYPES[j] for j in range(len(PLOVER_TYPES)) if row[j] >= thresholds[j]}
        if not pred:
            pred = {PLOVER_TYPES[int(row.argmax())]}  # every PLOVER gold sentence holds an event
        tp += len(pred & g)
        fp += len(pred - g)
        fn += len(g - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(models_dir() / EVENT_MODEL))
    ap.add_argument("--no-dense", action="store_true", help="bag of features only (no tok2vec vectors)")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--cache", default=None, help="folder for parsed DocBins (speeds up reruns)")
    ap.add_argument("--oof", default=None, help="write out-of-fold PLOVER type probabilities (JSON) here")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    data = Path(args.data)
    use_dense = not args.no_dense
    np.random.seed(SEED)

    from claimgraph.nlp.pipeline import load_model

    nlp = load_model()
    raw = load_data(data)
    conf, plover, ngec = raw["conflibert"], raw["plover"], raw["ngec"]
    # NGEC stories are long: the lead sentence carries the headline event
    cache = Path(args.cache) if args.cache else None
    ngec_docs = parse(nlp, [r["text"].strip()[:600] for r in ngec], cache, "ngec")
    spans = ([d[:] for d in parse(nlp, [r["text"] for r in conf], cache, "conflibert")]
             + [d[:] for d in parse(nlp, [s["text"] for s in plover], cache, "plover")]
             + [first_sentence(d) for d in ngec_docs])
    feats, dense = rows_for(spans)
    n_c, n_p, n_n = len(conf), len(plover), len(ngec)
    source = np.array(["conflibert"] * n_c + ["plover"] * n_p + ["ngec"] * n_n)
    heldout = np.array([r["idx"] % 5 == 0 for r in conf] + [False] * (n_p + n_n))
    plover_types = [{e["type"] for e in s["events"] if e["type"] in PLOVER_TYPES} for s in plover]
    type_sets = [None] * n_c + plover_types + [None] * n_n
    single = [None] * n_c + [None] * n_p + [r["label"] for r in ngec]
    y_t, m_t = type_targets(type_sets, single)
    quad = ([int(r["quad_label"]) for r in conf]
            + [TYPE_QUAD.get(s["events"][0]["type"]) if s["events"] else None for s in plover]
            + [TYPE_QUAD.get(r["label"]) for r in ngec])
    y_q, has_q = quad_targets(quad)
    base_w = np.where(source == "ngec", NGEC_WEIGHT, np.where(source == "plover", PLOVER_WEIGHT, 1.0))
    print(f"parsed {len(spans)} texts in {time.perf_counter() - started:.1f}s", flush=True)

    # -- 5-way: train on everything but the held-out fifth, score on it ---------------------
    w_q = base_w * has_q * (~heldout)
    quad_model = fit("quad", feats, dense, y_q, w_q, use_dense=use_dense)
    ho = np.where(heldout)[0]
    q_probs = quad_model.scores([(feats[i], dense[i] if use_dense else None) for i in ho])
    gold_q = np.array([quad[i] for i in ho])
    pred_q = q_probs.argmax(axis=1)
    acc = float((pred_q == gold_q).mean())
    per_class = {}
    for k, name in enumerate(QUAD_LABELS):
        tp = int(((pred_q == k) & (gold_q == k)).sum())
        p = tp / max(1, int((pred_q == k).sum()))
        r = tp / max(1, int((gold_q == k).sum()))
        per_class[name] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    print(f"5-way held-out accuracy {acc:.4f} (n={len(ho)}) per-class F1 {per_class}", flush=True)

    # -- PLOVER types: 5-fold CV on the gold sentences (NGEC always in training) ------------
    p_idx = np.arange(n_c, n_c + n_p)
    folds = np.arange(n_p) % 5
    cv_probs = np.zeros((n_p, len(PLOVER_TYPES)))
    for f in range(5):
        w = base_w.copy()
        w[:n_c] = 0  # ConfliBERT rows have no PLOVER types
        w[p_idx[folds == f]] = 0
        model = fit("types", feats, dense, y_t, w, m_t, use_dense=use_dense)
        test = p_idx[folds == f]
        cv_probs[folds == f] = model.scores([(feats[i], dense[i] if use_dense else None) for i in test])
    thresholds = np.full(len(PLOVER_TYPES), 0.5)
    cv = type_prf(cv_probs, plover_types, thresholds)
    top1 = type_prf(cv_probs, plover_types, np.full(len(PLOVER_TYPES), 2.0))
    print(f"PLOVER type F1 (5-fold CV): thresholds 0.5 {cv}; top-1 {top1}", flush=True)
    if args.oof:
        Path(args.oof).write_text(json.dumps({s["text"]: {t: round(float(p), 4) for t, p in zip(PLOVER_TYPES, row)}
                                              for s, row in zip(plover, cv_probs)}), encoding="utf-8")
    w = base_w.copy()
    w[:n_c] = 0
    types_model = fit("types", feats, dense, y_t, w, m_t, use_dense=use_dense)
    elapsed = time.perf_counter() - started

    if args.no_save:
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    types_model.save(out, "types_")
    quad_model.save(out, "quad_")
    files = {"conflibert_cameo_train.jsonl": "events/conflibert_cameo_train.jsonl",
             "plover_gsr_cameo.jsonl": "events/plover_gsr_cameo.jsonl",
             "ngec_synthetic_events.csv": "events/ngec_synthetic_events.csv"}
    meta = {
        "name": EVENT_MODEL, "format": FORMAT_VERSION, "version": "1.0.0",
        "date": date.today().isoformat(), "seed": SEED,
        "base_model": nlp.meta.get("name"), "base_model_version": nlp.meta.get("version"),
        "dense_width": DENSE_WIDTH if use_dense else 0,
        "type_labels": list(PLOVER_TYPES), "quad_labels": list(QUAD_LABELS),
        "type_thresholds": {t: 0.5 for t in PLOVER_TYPES},
        "hyperparameters": {**HPARAMS, "ngec_weight": NGEC_WEIGHT, "plover_weight": PLOVER_WEIGHT},
        "data": {name: {"sha256": file_sha256(data / rel), "rows": n}
                 for (name, rel), n in zip(files.items(), (n_c, n_p, len(ngec)))},
        "split": "ConfliBERT held-out fifth: rows with idx % 5 == 0 (never trained on); "
                 "PLOVER gold type scores: 5-fold CV by sentence order (i % 5)",
        "features": {"types": len(types_model.features), "quad": len(quad_model.features)},
        "scores": {"conflibert_heldout_accuracy": round(acc, 4), "conflibert_heldout_n": int(len(ho)),
                   "conflibert_heldout_per_class_f1": per_class,
                   "plover_type_cv": cv, "plover_type_cv_top1": top1},
        "train_seconds": round(elapsed, 1),
    }
    finish_artifact(out, "Event classifier (sentence → PLOVER types, ConfliBERT 5-way class)", CARD, meta,
                    EventClassifier.load)
    print(f"wrote {out} in {elapsed:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
