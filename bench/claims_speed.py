#!/usr/bin/env python
"""What the claims component adds to the bare parse (issue 6: under 30%).

    .venv/bin/python bench/claims_speed.py [--data ../shared/data/claims/polnear_dev.jsonl] [--repeat 3]

Times the bare spaCy model on the texts, then the claims component alone on the parsed Docs
(with the actors and events components' outputs in place when they are installed, so event
linking and speaker resolution are included), and prints claims time / parse time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared/data/claims/polnear_dev.jsonl")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if args.data.is_file():
        texts = list({json.loads(l)["doc_id"]: json.loads(l)["text"] for l in args.data.open()}.values())
    else:
        texts = [json.loads(l)["text"] for l in (REPO / "examples/corpus/articles.jsonl").open()]

    from claimgraph.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    claims = nlp.get_pipe("claimgraph_claims")
    upstream = [name for name in nlp.pipe_names if name != "claimgraph_claims"]
    model_pipes = [name for name in upstream if not name.startswith("claimgraph_")]
    best_parse = best_claims = float("inf")
    for _ in range(args.repeat):
        with nlp.select_pipes(enable=model_pipes):
            t0 = time.perf_counter()
            list(nlp.pipe(texts, batch_size=16))
            best_parse = min(best_parse, time.perf_counter() - t0)
        with nlp.select_pipes(enable=upstream):
            docs = list(nlp.pipe(texts, batch_size=16))
        t0 = time.perf_counter()
        for doc in docs:
            claims(doc)
        best_claims = min(best_claims, time.perf_counter() - t0)
    chars = sum(map(len, texts))
    print(f"{len(texts)} documents, {chars} characters")
    print(f"bare parse ({'+'.join(model_pipes)}): {best_parse:.2f} s")
    print(f"claims component:  {best_claims:.2f} s  = {100 * best_claims / best_parse:.1f}% of the parse")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
