"""Running the pipeline over evaluation texts: one batched nlp.pipe pass through the same
extract path every front end uses, so scores measure what users get."""
from __future__ import annotations

import logging
import os
from typing import Iterable

from ..errors import ClaimgraphError, EvaluationError

log = logging.getLogger("claimgraph.evaluation")

# Worker processes for evaluation runs (CLAIMGRAPH_EVAL_JOBS): 1 by default, because forking
# copies the pipeline and only pays off on the larger sets (PolNeAR, ConfliBERT).
N_PROCESS = max(1, int(os.environ.get("CLAIMGRAPH_EVAL_JOBS", "1") or 1))


def get_nlp(nlp=None, model: str | None = None):
    if nlp is not None:
        return nlp
    try:
        from ..nlp.pipeline import load_pipeline
    except ImportError as exc:  # a component module mid-change must not look like a 0 score
        raise EvaluationError(f"the claimgraph pipeline cannot be imported: {exc}") from exc
    return load_pipeline(model=model)


def run_records(items: Iterable[dict], nlp=None, model: str | None = None,
                batch_size: int = 64, n_process: int | None = None) -> tuple[list[dict | None], list[dict]]:
    """Records for ``items`` ({id, text, published}), in order; a document the pipeline fails
    on yields None in its place and an entry in the returned error list."""
    from ..extract import extract_documents
    from ..ingest.document import Document
    from ..settings import load_settings

    items = list(items)
    nlp = get_nlp(nlp, model)
    n_process = n_process or N_PROCESS
    settings = load_settings().replace(batch_size=batch_size, jobs=n_process)
    documents = [Document(text=it["text"], id=str(it["id"]), published=it.get("published")) for it in items]
    records: list[dict | None] = []
    errors: list[dict] = []
    for item, result in zip(items, extract_documents(documents, settings, nlp=nlp, n_process=n_process)):
        if isinstance(result, ClaimgraphError):
            errors.append({"id": item["id"], "error": result.one_line()})
            records.append(None)
        else:
            records.append(result)
    if errors:
        log.warning("%d of %d documents failed in the pipeline (first: %s)", len(errors), len(items),
                    errors[0]["error"])
    return records, errors


def record_events(record: dict | None) -> list[dict]:
    """The distinct events of a record: claims carry events, and a claim and the denial that
    repeats it, or two claims over one content, may carry the same one."""
    if not record:
        return []
    seen = set()
    out = []
    candidates = [(c.get("event"), c.get("confidence")) for c in record.get("claims") or []]
    candidates += [(e, e.get("confidence")) for e in record.get("events") or []]
    for event, claim_conf in candidates:
        if not event or not event.get("type"):
            continue
        key = (event.get("type"), tuple(event.get("trigger_span") or ()), tuple(event.get("source") or ()),
               tuple(event.get("target") or ()))
        if key in seen:
            continue
        seen.add(key)
        out.append(dict(event, _claim_confidence=claim_conf))
    return out


def actor_index(record: dict | None) -> dict[str, dict]:
    return {a["id"]: a for a in (record or {}).get("actors") or [] if a.get("id")}
