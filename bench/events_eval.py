"""Quick development scores for the events component (until `claimgraph evaluate events`).

    .venv/bin/python bench/events_eval.py [--plover FILE] [--conflibert FILE] [--errors N]

PLOVER gold (plover_gsr_cameo.jsonl): per sentence, the set of predicted types vs the gold type
(PLOVER 0.5 names mapped: DEMAND->REQUEST, DISAPPROVE/INVESTIGATE->ACCUSE, FIGHT->ASSAULT),
micro P/R/F1; then (type, source country) and (type, source country, target country) tuples.
ConfliBERT (conflibert_cameo_train.jsonl): the 5-way class of the most confident event's CAMEO
root (01-02 -> 0, 03-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4), 0 when no event; accuracy.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from claimgraph.nlp.pipeline import load_pipeline

DATA = Path(__file__).resolve().parents[2] / "shared/data/events"
RENAME = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def quad(cameo: str | None) -> int:
    if not cameo:
        return 0
    root = int(cameo[:2])
    return 0 if root <= 2 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def country(actor_id: str, actors: dict) -> str | None:
    if actor_id.startswith(("IGO-", "NGO-")):
        return "IGO"  # the PLOVER gold codes every international organisation as IGO
    info = (actors or {}).get(actor_id) or {}
    if info.get("country"):
        return info["country"]
    if len(actor_id) == 3 and actor_id.isupper():
        return actor_id
    head = actor_id.split("-")[0]
    return head if len(head) == 3 and head.isupper() else None


def prf(tp, npred, ngold):
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "pred": npred, "gold": ngold}


def run_docs(nlp, texts):
    for doc in nlp.pipe(texts, batch_size=64):
        yield doc


def eval_plover(nlp, path: Path, show: int):
    rows = [json.loads(line) for line in path.open()]
    counts = {k: [0, 0, 0] for k in ("type", "type+src", "type+src+tgt")}
    errors = []
    confusion = Counter()
    for row, doc in zip(rows, run_docs(nlp, [r["text"] for r in rows])):
        gold_type = RENAME.get(row["event"], row["event"])
        srcs = [s.get("code") for s in row.get("source") or [] if isinstance(s, dict)] or [None]
        tgts = [t.get("code") for t in row.get("target") or [] if isinstance(t, dict)] or [None]
        gold = {"type": {gold_type}, "type+src": {(gold_type, s) for s in srcs},
                "type+src+tgt": {(gold_type, s, t) for s in srcs for t in tgts}}
        evs = doc._.events or []
        actors = doc._.actors or {}
        pred = {"type": set(), "type+src": set(), "type+src+tgt": set()}
        for e in evs:
            s_c = [country(a, actors) for a in e["source"]] or [None]
            t_c = [country(a, actors) for a in e["target"]] or [None]
            pred["type"].add(e["type"])
            pred["type+src"].update((e["type"], s) for s in s_c)
            pred["type+src+tgt"].update((e["type"], s, t) for s in s_c for t in t_c)
        for k in counts:
            counts[k][0] += len(pred[k] & gold[k])
            counts[k][1] += len(pred[k])
            counts[k][2] += len(gold[k])
        if gold_type not in pred["type"]:
            confusion[(gold_type, tuple(sorted(pred["type"])))] += 1
            errors.append((gold_type, sorted(pred["type"]), row["text"][:160]))
    print("PLOVER gold:", path.name, len(rows), "sentences")
    for k, (tp, npred, ngold) in counts.items():
        print(f"  {k:14}", prf(tp, npred, ngold))
    for g, p, t in errors[:show]:
        print(f"   MISS gold={g} pred={p} :: {t}")
    if show:
        print("  confusion:", confusion.most_common(15))


def eval_conflibert(nlp, path: Path, show: int):
    rows = [json.loads(line) for line in path.open()]
    right = 0
    conf = Counter()
    errs = []
    for row, doc in zip(rows, run_docs(nlp, [r["text"] for r in rows])):
        evs = doc._.events or []
        best = max(evs, key=lambda e: e["confidence"], default=None)
        pred = quad(best["cameo"]) if best else 0
        gold = row["quad_label"]
        right += pred == gold
        conf[(gold, pred)] += 1
        if pred != gold:
            errs.append((gold, pred, best and best["type"], best and best["trigger"], row["text"][:150]))
    print("ConfliBERT:", path.name, len(rows), "sentences; accuracy", round(right / len(rows), 3))
    print("  confusion (gold,pred):", sorted(conf.items()))
    for e in errs[:show]:
        print("   ", e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plover", default=str(DATA / "plover_gsr_cameo.jsonl"))
    ap.add_argument("--conflibert", default=str(DATA / "conflibert_cameo_train.jsonl"))
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--only", choices=["plover", "conflibert"])
    args = ap.parse_args()
    nlp = load_pipeline()
    t = time.time()
    if args.only != "conflibert":
        eval_plover(nlp, Path(args.plover), args.errors)
    if args.only != "plover":
        eval_conflibert(nlp, Path(args.conflibert), args.errors)
    print(f"({time.time() - t:.1f}s)")


if __name__ == "__main__":
    main()
