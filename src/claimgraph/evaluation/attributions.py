"""Attribution scored on PolNeAR: attribution-level P/R/F1, then exact and token-overlap
P/R/F1 for the source, cue and content of each attribution.

- Which claims are attributions: those with a speaker or a cue. The outlet's own voice
  (speaker null, no cue) is not an attribution; a claim with a cue but no resolved speaker
  ("it was reported that ...") is, as PolNeAR annotates such cues with ``no_source``.
- One attribution, one prediction: the pipeline emits one claim per (attribution × event it
  carries), so claims with the same ``cue_span`` and ``source_span`` are grouped into one
  predicted attribution before matching (claims without a cue group only when their content
  is the same too). Without this an attribution carrying three events counted as one match
  and two spurious predictions.
- Matching: a predicted attribution matches a gold one when their cue spans overlap, one to
  one, the largest overlap first. Attribution P/R/F1 counts matched pairs.
- Exact (source, cue, content): a predicted part is correct when its attribution matched and
  the part's spans equal the gold part's, after trimming whitespace, quote marks and edge
  punctuation. P = correct / predicted parts, R = correct / gold parts.
- Token overlap: word tokens shared between matched parts, divided by all predicted tokens of
  that part (P) and by all gold tokens (R), over every attribution matched or not, so a
  missed attribution costs recall and a spurious one precision. Content may be
  discontinuous on both sides (gold lists several spans; claims may carry ``content_spans``).
"""
from __future__ import annotations

from .metrics import PRF, TokenIndex, match_greedy, spans_exact, spans_overlap
from .runner import run_records

PARTS = ("source", "cue", "content")


def claim_parts(claim: dict) -> dict[str, list[tuple[int, int]]]:
    def one(span):
        return [tuple(span)] if span and len(span) == 2 and span[1] > span[0] else []

    content = [tuple(s) for s in claim.get("content_spans") or [] if s and s[1] > s[0]]
    return {"source": one(claim.get("source_span")), "cue": one(claim.get("cue_span")),
            "content": content or one(claim.get("content_span"))}


def is_attribution(claim: dict) -> bool:
    return claim.get("speaker") is not None or bool(claim.get("cue_span"))


def _key(span) -> tuple | None:
    return tuple(span) if span else None


def group_attributions(claims: list[dict]) -> list[dict]:
    """The attributions among ``claims``, one claim per distinct attribution (first kept)."""
    seen: set[tuple] = set()
    out = []
    for claim in claims:
        if not is_attribution(claim):
            continue
        key = (_key(claim.get("cue_span")), _key(claim.get("source_span")))
        if key[0] is None:
            key += (_key(claim.get("content_span")),
                    tuple(_key(s) for s in claim.get("content_spans") or ()))
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


def _overlap(a: list, b: list) -> int:
    return sum(spans_overlap(x, y) for x in a for y in b)


def _snippet(text: str, spans: list, width: int = 60) -> str:
    if not spans:
        return ""
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return text[max(0, start - width):min(len(text), end + width)].replace("\n", " ")


def score_document(doc: dict, claims: list[dict], totals: dict, listed: list | None = None,
                   errors: int = 0) -> None:
    """Add one document's counts to ``totals`` (attribution and per-part PRFs)."""
    text = doc["text"]
    tokens = TokenIndex(text)
    gold = doc["attributions"]
    pred = [claim_parts(c) for c in group_attributions(claims)]
    pairs = match_greedy((_overlap(p["cue"], g["cue"]), i, j) for i, p in enumerate(pred)
                         for j, g in enumerate(gold))
    totals["attribution"].add(len(pairs), len(pred), len(gold))
    matched = dict(pairs)
    for part in PARTS:
        exact, soft = totals[f"{part}_exact"], totals[f"{part}_token"]
        correct = sum(1 for i, j in pairs if spans_exact(pred[i][part], gold[j][part], text))
        exact.add(correct, sum(1 for p in pred if p[part]), sum(1 for g in gold if g[part]))
        shared = sum(len(tokens.tokens(pred[i][part]) & tokens.tokens(gold[j][part])) for i, j in pairs)
        soft.add(shared, sum(len(tokens.tokens(p[part])) for p in pred),
                 sum(len(tokens.tokens(g[part])) for g in gold))
    if listed is not None and len(listed) < errors:
        hit_gold = set(matched.values())
        for j, g in enumerate(gold):
            if j not in hit_gold and len(listed) < errors:
                listed.append({"doc": doc["id"], "kind": "missed", "cue": [text[s:e] for s, e in g["cue"]],
                               "context": _snippet(text, g["cue"])})
        for i, p in enumerate(pred):
            if i not in matched and len(listed) < errors:
                listed.append({"doc": doc["id"], "kind": "spurious", "cue": [text[s:e] for s, e in p["cue"]],
                               "context": _snippet(text, p["cue"] or p["content"])})


def new_totals() -> dict:
    return {"attribution": PRF(), **{f"{p}_{m}": PRF() for p in PARTS for m in ("exact", "token")}}


def evaluate_polnear(docs: list[dict], nlp=None, errors: int = 0, batch_size: int = 16) -> dict:
    records, failed = run_records(docs, nlp=nlp, batch_size=batch_size)
    totals = new_totals()
    listed: list = []
    for doc, record in zip(docs, records):
        claims = (record or {}).get("claims") or []
        if record and record.get("text") not in (None, doc["text"]):
            # offsets point into the record's text; PolNeAR input is plain text, so a
            # difference means the ingest changed it and spans cannot be compared
            failed.append({"id": doc["id"], "error": "record text differs from the input text"})
            claims = []
        score_document(doc, claims, totals, listed if errors else None, errors)
    result = {
        "dataset": "PolNeAR (dev), first annotator per document",
        "documents": len(docs),
        "gold_attributions": int(totals["attribution"].n_gold),
        "pipeline_failures": len(failed),
        "attribution": totals["attribution"].as_dict(),
        **{f"{p}": {"exact": totals[f"{p}_exact"].as_dict(), "token": totals[f"{p}_token"].as_dict()}
           for p in PARTS},
    }
    if errors:
        result["errors"] = listed
    return result
