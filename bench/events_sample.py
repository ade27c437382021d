"""Print the events the pipeline codes for a text file (default: the sample article).

    .venv/bin/python bench/events_sample.py [FILE] [--published 2023-11-02]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from claimgraph.nlp.pipeline import load_pipeline

SAMPLE = Path(__file__).resolve().parents[2] / "shared/samples/nk-hamas-nis-briefing.txt"


def run(nlp, text: str, published: str | None):
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.doc_id = "sample"
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(SAMPLE))
    ap.add_argument("--published", default="2023-11-02")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    nlp = load_pipeline()
    doc = run(nlp, Path(args.file).read_text("utf-8"), args.published)
    if doc._.errors:
        print("ERRORS", doc._.errors)
    for ev in doc._.events or []:
        if args.json:
            print(json.dumps(ev))
            continue
        flags = [ev["modality"]] + (["NEG"] if ev["negated"] else []) + (["CAPTION"] if ev["caption"] else [])
        print(f"{ev['trigger']!r:>22} {ev['type']:9} {ev['source']}->{ev['target']} via={ev['via']} "
              f"{'/'.join(flags)} mode={ev['mode']} ctx={ev['context']} cameo={ev['cameo']} "
              f"date={ev['date'] and ev['date']['value']} loc={ev['location'] and ev['location']['name']} "
              f"mat={[m['text'] + ':' + m['category'] for m in ev['materiel']]} conf={ev['confidence']}"
              + (f" content={ev['content']['type']}" if ev.get('content') else ""))


if __name__ == "__main__":
    main()
