"""Train the attribution-cue classifier on PolNeAR train; select its threshold on PolNeAR dev.

    .venv/bin/python scripts/train_cue_classifier.py [--data ../shared/data] [--out src/claimgraph/models/cue_classifier]

A candidate is a token that could be a cue (every verb, "according", ":", and the nouns and
adjectives that are cues at least MIN_NOUN times in train); it is positive when it lies inside a
gold cue span of the document's first annotator (the same annotator choice as the evaluation).
Dev (polnear_dev.jsonl) is used only to pick the decision threshold and to report scores.

Deterministic: fixed seed, documents in file order, full-batch training.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimgraph.evaluation.loaders import load_polnear  # noqa: E402
from claimgraph.nlp.learned import (CONTEXT_BLOCKS, CUE_MODEL, CueClassifier, artifact_header, _quote_index,  # noqa: E402
                                    build_vocab, cue_candidates, cue_context, cue_features, file_sha256, fit_mlp,
                                    parse_cached, finish_artifact, models_dir)

SEED = 13
MIN_NOUN = 3
DENSE_WIDTH = 96
HPARAMS = {"hidden": 32, "epochs": 4, "lr": 2e-3, "batch": 256, "dropout": 0.3, "l2": 1e-6, "min_count": 5}


CARD = """
An MLP in numpy (`MLPModel` in nlp/learned.py): the sparse parse features of one candidate token
as an embedding bag, plus the tok2vec rows (96 dims of `en_core_web_sm` 3.8) of the candidate,
its subject, its head, its complement, the mean of a ±2 window and of its sentence
(`cue_context`; standardised), through one ReLU layer of 32 units and dropout 0.3, trained with
minibatch Adam for 4 epochs. Sparse features: lemma, POS, tag, dep, lemma×dep, head, child
dependencies (ccomp/xcomp/dobj/prep/…, with the complementiser), subject type (pronoun, named
entity type, lemma), inside / next to a direct quote (the claims component's quote scanner),
negation and modal/adverb children, position in sentence and line, colon context (":" in
headlines), neighbouring words, the verb whose complement holds the candidate (nested speech).
Candidates: every verb, "according", ":", and the nouns/adjectives that are gold cues ≥ 3 times
in train (stored in meta.json). Features seen in fewer than 5 candidates are dropped, which keeps
the artifact near 3 MB.

**Why an MLP.** On the same inputs the logistic regression this replaces reached cue-token F1
.746 on dev; the hidden layer learns conjunctions (a verb with a poll as subject, "call" with an
object complement) and reaches .764 (below). In the pipeline its probability feeds the
attribution filter (models/attribution_filter), which decides; see docs/EVALUATION.md.

**Use.** `CueClassifier.score(doc, token_indices)` / `score_spans(doc, [claim["cue_span"], ...])`
→ P(attribution cue). The claims component adds attributions for candidates the lexicon does not
trust at P ≥ the filter's `add_threshold`.

**Training data and licence.** PolNeAR (networkdynamics/PolNeAR), train split, first annotator per
document (the same choice evaluation/loaders.py makes): news text © its publishers, annotations
for research. Only weights and a lemma list derived from it are shipped, no text. Dev
(`polnear_dev.jsonl`) picked the threshold and gives the scores below, so dev figures are
slightly optimistic; no test split was used.
"""


def gold_cue_tokens(doc, attributions) -> set[int]:
    out = set()
    for attr in attributions:
        for s, e in attr["cue"]:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                out.update(t.i for t in span)
    return out


def cue_vocab(docs, golds) -> tuple[list[str], list[str]]:
    nouns, adjs = Counter(), Counter()
    for doc, gold in zip(docs, golds):
        for i in gold:
            tok = doc[i]
            if tok.pos_ in ("NOUN", "PROPN"):
                nouns[tok.lemma_.lower()] += 1
            elif tok.pos_ == "ADJ":
                adjs[tok.lemma_.lower()] += 1
    return sorted(n for n, c in nouns.items() if c >= MIN_NOUN), sorted(a for a, c in adjs.items() if c >= MIN_NOUN)


def examples(docs, golds, nouns, adjs, dense: bool):
    feats, vecs, ys, where = [], [], [], []
    width = DENSE_WIDTH * CONTEXT_BLOCKS
    for d, (doc, gold) in enumerate(zip(docs, golds)):
        quoted = _quote_index(doc)
        for i in cue_candidates(doc, frozenset(nouns), frozenset(adjs)):
            feats.append(cue_features(doc, i, quoted, doc.text.find("\n")))
            v = cue_context(doc, i, DENSE_WIDTH) if dense else None
            vecs.append(v if v is not None else np.zeros(width, np.float32))
            ys.append(1.0 if i in gold else 0.0)
            where.append((d, i))
    return feats, np.array(vecs), np.array(ys), where


def fit_cue_model(feats, dense, ys, seed: int = SEED):
    """(model, vocab) for candidates ``feats``/``dense`` with 0/1 labels ``ys``, with HPARAMS;
    scripts/train_attribution_filter.py fits its out-of-fold classifiers through here too."""
    vocab = build_vocab(feats, HPARAMS["min_count"])
    model = fit_mlp(feats, dense, ys[:, None], vocab, "sigmoid", hidden=HPARAMS["hidden"], epochs=HPARAMS["epochs"],
                    lr=HPARAMS["lr"], batch=HPARAMS["batch"], dropout=HPARAMS["dropout"], l2=HPARAMS["l2"], seed=seed)
    return model, vocab


def prf(pred: np.ndarray, gold: np.ndarray, missed: int = 0) -> dict:
    tp = float((pred & gold).sum())
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(gold.sum()) + missed)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": int(tp), "pred": int(pred.sum()), "gold": int(gold.sum()) + missed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(models_dir() / CUE_MODEL))
    ap.add_argument("--cache", default=None, help="folder for parsed DocBins (speeds up reruns)")
    ap.add_argument("--no-dense", action="store_true")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    data = Path(args.data)
    use_dense = not args.no_dense
    from claimgraph.nlp.pipeline import load_model

    nlp = load_model()
    cache = Path(args.cache) if args.cache else None
    train = load_polnear(data / "claims/polnear_train.jsonl")
    dev = load_polnear(data / "claims/polnear_dev.jsonl")
    train_docs = parse_cached(nlp, [d["text"] for d in train], cache / "polnear_train.spacy" if cache else None)
    dev_docs = parse_cached(nlp, [d["text"] for d in dev], cache / "polnear_dev.spacy" if cache else None)
    parse_s = time.perf_counter() - started
    print(f"parsed {len(train_docs)} train / {len(dev_docs)} dev docs in {parse_s:.1f}s", flush=True)
    train_gold = [gold_cue_tokens(doc, d["attributions"]) for doc, d in zip(train_docs, train)]
    dev_gold = [gold_cue_tokens(doc, d["attributions"]) for doc, d in zip(dev_docs, dev)]
    nouns, adjs = cue_vocab(train_docs, train_gold)

    fx, dx, yx, _ = examples(train_docs, train_gold, nouns, adjs, use_dense)
    t0 = time.perf_counter()
    model, vocab = fit_cue_model(fx, dx if use_dense else None, yx)
    fit_s = time.perf_counter() - t0
    print(f"{len(fx)} train candidates ({int(yx.sum())} cues), {len(vocab)} features, fit {fit_s:.1f}s", flush=True)

    fd, dd, yd, where = examples(dev_docs, dev_gold, nouns, adjs, use_dense)
    probs = model.scores([(f, d if use_dense else None) for f, d in zip(fd, dd)])[:, 0]
    # an attribution (not a token) is what matters: gold attributions none of whose cue tokens
    # is a candidate are recall the classifier can never reach
    cand = {(d, i) for d, i in where}
    unreachable = 0
    gold_attrs = 0
    for d, (doc, item) in enumerate(zip(dev_docs, dev)):
        for attr in item["attributions"]:
            gold_attrs += 1
            toks = gold_cue_tokens(doc, [attr])
            if not any((d, i) in cand for i in toks):
                unreachable += 1
    gold = yd > 0.5
    grid = {}
    for th in np.round(np.arange(0.2, 0.81, 0.05), 2):
        grid[float(th)] = prf(probs >= th, gold)
    best = max(grid, key=lambda t: grid[t]["f1"])
    print(f"dev candidates {len(fd)} ({int(gold.sum())} cue tokens); attributions with no candidate cue "
          f"token: {unreachable}/{gold_attrs}", flush=True)
    for th, s in grid.items():
        print(f"  threshold {th:.2f}: {s}", flush=True)
    print(f"best threshold {best}: {grid[best]}", flush=True)
    elapsed = time.perf_counter() - started
    if args.no_save:
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out, "")
    meta = {
        **artifact_header(CUE_MODEL, nlp, SEED),
        "dense_width": DENSE_WIDTH if use_dense else 0, "dense_kind": "context", "threshold": best,
        "cue_nouns": nouns, "cue_adjs": adjs, "hyperparameters": {**HPARAMS, "min_noun": MIN_NOUN},
        "data": {"polnear_train.jsonl": {"sha256": file_sha256(data / "claims/polnear_train.jsonl"),
                                         "documents": len(train), "candidates": len(fx), "cues": int(yx.sum())},
                 "polnear_dev.jsonl": {"sha256": file_sha256(data / "claims/polnear_dev.jsonl"),
                                       "documents": len(dev), "use": "threshold selection and scores only"}},
        "features": len(vocab),
        "scores": {"dev_cue_token": grid[best], "dev_threshold_grid": {str(k): v["f1"] for k, v in grid.items()},
                   "dev_gold_attributions": gold_attrs, "dev_attributions_without_candidate": unreachable},
        "train_seconds": round(elapsed, 1),
    }
    finish_artifact(out, "Attribution cue classifier (is this candidate cue an attribution, in context?)", CARD,
                    meta, CueClassifier.load)
    print(f"wrote {out} in {elapsed:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
