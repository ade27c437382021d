"""Time the events component against the bare spaCy parse (target: events add < 30%).

    .venv/bin/python bench/events_speed.py [--n 400]

Texts: the sample article plus ConfliBERT sentences (from ../shared when present), else
examples/corpus/articles.jsonl. Events are timed alone on Docs already through the actors
component, so the figure is the events component's own cost.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from claimgraph.nlp.pipeline import load_model, load_pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def texts(n: int) -> list[str]:
    out = []
    sample = SHARED / "samples/nk-hamas-nis-briefing.txt"
    if sample.is_file():
        out += [sample.read_text("utf-8")] * 5
    conf = SHARED / "data/events/conflibert_cameo_train.jsonl"
    if conf.is_file():
        lines = [json.loads(l)["text"] for l in conf.open()][:n]
        out += [" ".join(lines[i:i + 10]) for i in range(0, len(lines), 10)]
    else:
        out += [json.loads(l)["text"] for l in (ROOT / "examples/corpus/articles.jsonl").open()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()
    docs_text = texts(args.n)
    words = sum(len(t.split()) for t in docs_text)
    bare = load_model()
    list(bare.pipe(docs_text[:3]))
    t0 = time.perf_counter()
    list(bare.pipe(docs_text, batch_size=64))
    parse = time.perf_counter() - t0
    nlp = load_pipeline()
    events = nlp.get_pipe("claimgraph_events")
    with nlp.select_pipes(disable=["claimgraph_events", "claimgraph_claims"]):
        docs = list(nlp.pipe(docs_text, batch_size=64))
    events(docs[0])
    t0 = time.perf_counter()
    for doc in docs:
        events(doc)
    ev = time.perf_counter() - t0
    print(f"{len(docs_text)} docs, {words} words")
    print(f"bare parse {parse:.2f}s ({words / parse:.0f} words/s); events {ev:.2f}s "
          f"= {100 * ev / parse:.1f}% of the parse")


if __name__ == "__main__":
    main()
