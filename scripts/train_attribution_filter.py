"""Train the attribution filter on PolNeAR train; pick its threshold on PolNeAR dev.

    .venv/bin/python scripts/train_attribution_filter.py [--data ../shared/data] [--cache /tmp/cg/cache]

Run after scripts/train_cue_classifier.py (it reads that model's candidate lists and settings).
The examples are the candidate attributions the claims component builds on each train document
(rules, quotes, "according to", colons, and cues the classifier adds at ADD_THRESHOLD), each
labelled by whether its cue overlaps a cue of the document's first annotator. Their P(cue)
comes from a cue classifier trained on the other two thirds of train (3 folds by document), so
the filter learns how far to trust the classifier on text it has not seen. Dev picks the
threshold by attribution F1, with the evaluation's own scorer.

Deterministic: fixed seed, documents in file order.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

import train_cue_classifier as cue_training  # noqa: E402
from claimgraph.evaluation.attributions import new_totals, score_document  # noqa: E402
from claimgraph.evaluation.loaders import load_polnear  # noqa: E402
from claimgraph.nlp.attribution_filter import FILTER_MODEL, AttributionFilter  # noqa: E402
from claimgraph.nlp.learned import (CueClassifier, artifact_header, build_vocab, file_sha256,  # noqa: E402
                                    finish_artifact, fit_linear, models_dir, parse_cached)

SEED = 13
FOLDS = 3
ADD_THRESHOLD = 0.3
# a logistic regression: on these few dozen features a hidden layer (16–64 units, tried) fit
# train better and dev worse (attribution F1 about .005 lower)
HPARAMS = {"l2": 1e-3, "epochs": 300, "lr": 0.05, "min_count": 3}

CARD = """
A logistic regression (numpy) that decides, for each candidate attribution the claims component
built, whether to keep it. Inputs: the cue classifier's P(cue) (bucketed and as a
logit), the rule confidence, how the cue was found (lexicon frame, quote, "according to", colon,
classifier), the frame and cue lemma, the kind of source found (named entity type, pronoun,
noun, none) and its side, the content's length, parts and quote status, nesting inside another
attribution's content (and that one's cue), whether it owns events, hedges, addressees, and how
many candidate cues share the sentence. It replaces the fixed P(cue) veto of the claims component.

**Training.** PolNeAR train, first annotator per document. The examples are the claims
component's own candidates (cues the classifier adds at P ≥ `add_threshold`, meta.json, enter as
candidates), labelled by cue overlap with a gold cue; P(cue) for a document comes from a cue
classifier trained on the other two thirds of train (3 folds), so the filter sees the classifier
as it behaves on unseen text. Dev (`polnear_dev.jsonl`) picked the threshold only.

**Training data and licence.** PolNeAR (networkdynamics/PolNeAR): news text © its publishers,
annotations for research. Only weights and feature names (cue lemmas, frames, entity types) are
shipped, no text.
"""


def candidate_rows(nlp, docs, items, cue_models: list, folds: int) -> tuple[list, np.ndarray]:
    """(features, dense) rows and 0/1 labels of every candidate attribution, doc by doc, each
    scored with the cue classifier of its fold."""
    finder = nlp.get_pipe("claimgraph_claims")
    finder.filter_model = None
    finder.add_threshold = ADD_THRESHOLD
    rows, labels = [], []
    for d, (doc, item) in enumerate(zip(docs, items)):
        finder.cue_model = cue_models[d % folds] if folds > 1 else cue_models[0]
        for name in ("claimgraph_actors", "claimgraph_events"):
            doc = nlp.get_pipe(name)(doc)
        finder.filter_rows = []
        finder.find_claims(doc)
        gold = [c for a in item["attributions"] for c in a["cue"]]
        for row, span in finder.filter_rows:
            hit = span is not None and any(s < span[1] and span[0] < e for s, e in gold)
            rows.append(row)
            labels.append(1.0 if hit else 0.0)
        finder.filter_rows = None
    return rows, np.array(labels)


def score_dev(nlp, docs, items, threshold: float) -> dict:
    finder = nlp.get_pipe("claimgraph_claims")
    finder.filter_model.threshold = threshold
    totals = new_totals()
    for doc, item in zip(docs, items):
        score_document(item, finder.find_claims(doc), totals)
    return {k: v.as_dict() for k, v in totals.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(models_dir() / FILTER_MODEL))
    ap.add_argument("--cache", default=None, help="folder for parsed DocBins (speeds up reruns)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    data = Path(args.data)
    cache = Path(args.cache) if args.cache else None
    from claimgraph.nlp.pipeline import build_pipeline, load_model

    base = load_model()
    nlp = build_pipeline()
    shipped = CueClassifier.load()
    train = load_polnear(data / "claims/polnear_train.jsonl")
    dev = load_polnear(data / "claims/polnear_dev.jsonl")
    train_docs = parse_cached(base, [d["text"] for d in train], cache / "polnear_train.spacy" if cache else None)
    dev_docs = parse_cached(base, [d["text"] for d in dev], cache / "polnear_dev.spacy" if cache else None)
    print(f"parsed {len(train_docs)} train / {len(dev_docs)} dev docs", flush=True)

    # out-of-fold cue classifiers, with the shipped model's candidate lists and settings
    golds = [cue_training.gold_cue_tokens(doc, d["attributions"]) for doc, d in zip(train_docs, train)]
    fx, dx, yx, where = cue_training.examples(train_docs, golds, shipped.meta["cue_nouns"], shipped.meta["cue_adjs"],
                                              True)
    doc_of = np.array([d for d, _ in where])
    fold_models = []
    for k in range(FOLDS):
        rows = np.flatnonzero(doc_of % FOLDS != k)
        model, _ = cue_training.fit_cue_model([fx[r] for r in rows], dx[rows], yx[rows], seed=cue_training.SEED + k)
        fold_models.append(CueClassifier(model, shipped.meta))
        print(f"fold {k}: cue classifier on {len(rows)} candidates", flush=True)

    rows, labels = candidate_rows(nlp, train_docs, train, fold_models, FOLDS)
    print(f"{len(rows)} candidate attributions on train ({int(labels.sum())} with a gold cue)", flush=True)
    names = [r[0] for r in rows]
    dense = np.stack([r[1] for r in rows])
    vocab = build_vocab(names, HPARAMS["min_count"])
    model = fit_linear(names, dense, labels[:, None], vocab, "sigmoid", l2=HPARAMS["l2"], epochs=HPARAMS["epochs"],
                       lr=HPARAMS["lr"], seed=SEED)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out, "")
    meta = {**artifact_header(FILTER_MODEL, base, SEED), "threshold": 0.5, "add_threshold": ADD_THRESHOLD}
    # a provisional meta.json: dev picks the threshold on the model as shipped (float16 on disk)
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    # dev: the shipped cue classifier and this filter, in the pipeline as it will run
    finder = nlp.get_pipe("claimgraph_claims")
    finder.cue_model = shipped
    finder.filter_model = AttributionFilter.load(out)
    finder.add_threshold = ADD_THRESHOLD
    for name in ("claimgraph_actors", "claimgraph_events"):
        dev_docs = [nlp.get_pipe(name)(doc) for doc in dev_docs]
    grid = {}
    for th in np.round(np.arange(0.3, 0.71, 0.05), 2):
        grid[float(th)] = score_dev(nlp, dev_docs, dev, float(th))
        s = grid[float(th)]
        print(f"  threshold {th:.2f}: attribution {s['attribution']}  content exact F1 "
              f"{s['content_exact']['f1']:.4f} token F1 {s['content_token']['f1']:.4f}", flush=True)
    best = max(grid, key=lambda t: grid[t]["attribution"]["f1"])
    print(f"best threshold {best}: {grid[best]['attribution']}", flush=True)
    elapsed = time.perf_counter() - started
    meta.update({
        "threshold": best, "hyperparameters": {**HPARAMS, "folds": FOLDS},
        "data": {"polnear_train.jsonl": {"sha256": file_sha256(data / "claims/polnear_train.jsonl"),
                                         "documents": len(train), "candidates": len(rows),
                                         "positives": int(labels.sum())},
                 "polnear_dev.jsonl": {"sha256": file_sha256(data / "claims/polnear_dev.jsonl"),
                                       "documents": len(dev), "use": "threshold selection and scores only"}},
        "features": len(vocab),
        "scores": {"dev_attribution": grid[best]["attribution"],
                   "dev_threshold_grid": {str(k): v["attribution"]["f1"] for k, v in grid.items()},
                   "dev_content_exact": grid[best]["content_exact"], "dev_content_token": grid[best]["content_token"]},
        "train_seconds": round(elapsed, 1),
    })
    finish_artifact(out, "Attribution filter (keep this candidate attribution?)", CARD, meta, AttributionFilter.load)
    print(f"wrote {out} in {elapsed:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
