"""Every evaluation in one call, and the flat score names the gate and the report use.

Absent data is a skip with a reason, never a zero: a checkout without ../shared/data must
still pass `make test`. A component that cannot be loaded is an error entry: the gate fails it
when its floor is above zero.

Learned models (nlp/learned.py) are compared rules vs model vs combined under
``<task>.learned`` (evaluation/learned.py). ``learned="cheap"`` (the default, what the gate runs)
adds the ConfliBERT held-out fifth and PLOVER, a few seconds; ``"all"`` (the CLI and the report)
adds the PolNeAR comparison, one more parse of PolNeAR dev, so its scores are reported
(REPORTED_SCORE_PATHS) but not pinned. A missing model artifact is a skip, like missing data.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from ..errors import ClaimgraphError, ModelArtifactMissing
from .loaders import LOADERS, TASK_FORMATS, find_files

log = logging.getLogger("claimgraph.evaluation")

TASKS = ("actors", "events", "attributions")

# Flat name -> path in the nested result. These names are what baseline.json pins.
SCORE_PATHS = {
    "actors.ngec.country_accuracy": ("actors", "ngec", "country_accuracy"),
    "actors.ngec.sector_accuracy": ("actors", "ngec", "sector_accuracy"),
    "events.plover.type.f1": ("events", "plover", "type", "f1"),
    "events.plover.type_source.f1": ("events", "plover", "type_source", "f1"),
    "events.plover.type_source_target.f1": ("events", "plover", "type_source_target", "f1"),
    "events.conflibert.accuracy": ("events", "conflibert", "accuracy"),
    # the pipeline as shipped (event model on) on the fifth the model never trained on, and the
    # rules alone on the same fifth; the whole-file figure above is the rules alone
    "events.conflibert.heldout.accuracy": ("events", "conflibert", "heldout", "accuracy"),
    "events.conflibert.heldout.rules.accuracy": ("events", "conflibert", "heldout", "rules", "accuracy"),
    "attributions.polnear.attribution.f1": ("attributions", "polnear", "attribution", "f1"),
    "attributions.polnear.source.exact.f1": ("attributions", "polnear", "source", "exact", "f1"),
    "attributions.polnear.cue.exact.f1": ("attributions", "polnear", "cue", "exact", "f1"),
    "attributions.polnear.content.exact.f1": ("attributions", "polnear", "content", "exact", "f1"),
    "attributions.polnear.source.token.f1": ("attributions", "polnear", "source", "token", "f1"),
    "attributions.polnear.cue.token.f1": ("attributions", "polnear", "cue", "token", "f1"),
    "attributions.polnear.content.token.f1": ("attributions", "polnear", "content", "token", "f1"),
    "gold.field_pass_rate": ("gold", "field_pass_rate"),
    # ConfliBERT held-out fifth (idx % 5 == 0, never trained on): rules vs model vs combined
    **{f"events.learned.conflibert_heldout.{v}.accuracy": ("events", "learned", "conflibert_heldout", v, "accuracy")
       for v in ("rules", "model", "combined")},
}

# Reported with the scores but not pinned in baseline.json: they need `learned="all"`.
REPORTED_SCORE_PATHS = {
    **{f"attributions.learned.{v}.attribution.f1": ("attributions", "learned", v, "attribution", "f1")
       for v in ("rules", "model", "combined")},
    **{f"attributions.learned.{v}.{part}.{mode}.f1": ("attributions", "learned", v, part, mode, "f1")
       for v in ("rules", "combined") for part, mode in (("source", "exact"), ("cue", "exact"),
                                                        ("content", "exact"), ("content", "token"))},
}
LEARNED_LEVELS = ("off", "cheap", "all")


def _evaluate_one(fmt: str, path: Path, nlp, errors: int, limit: int | None) -> dict:
    from . import actors, attributions, events

    items = LOADERS[fmt](path, limit=limit)
    if fmt == "ngec":
        result = actors.evaluate_actors(items, errors=errors)
    elif fmt == "plover":
        result = events.evaluate_plover(items, nlp=nlp, errors=errors)
    elif fmt == "conflibert":
        result = events.evaluate_conflibert(items, nlp=nlp, errors=errors)
    else:
        result = attributions.evaluate_polnear(items, nlp=nlp, errors=errors)
    result["file"] = str(path)
    return result


def _evaluate_learned(task: str, found: list, nlp, limit: int | None) -> dict:
    from . import learned
    from .loaders import load_conflibert, load_plover, load_polnear

    paths = dict(reversed(found))  # the first file of each format, as the suite uses
    if task == "events":
        if "conflibert" not in paths:
            return {"skipped": "no conflibert data"}
        plover = load_plover(paths["plover"], limit=limit) if "plover" in paths else []
        result = learned.evaluate_events(load_conflibert(paths["conflibert"], limit=limit), plover, nlp=nlp,
                                         plover_path=paths.get("plover"))
    else:
        if "polnear" not in paths:
            return {"skipped": "no polnear data"}
        result = learned.compare_attributions(load_polnear(paths["polnear"], limit=limit), nlp=nlp)
    result["dataset"] = result.get("dataset") or "ConfliBERT held-out fifth + PLOVER gold"
    return result


def evaluate(task: str, data: str | Path, nlp=None, errors: int = 0, limit: int | None = None,
             model: str | None = None, learned: str = "cheap") -> dict:
    """{task: {format: result | {"skipped": why} | {"error": line}}} for one task or "all"."""
    tasks = TASKS if task == "all" else (task,)
    data = Path(data)
    found = find_files(data, task)
    out: dict = {}
    needs_nlp = any(fmt != "ngec" for fmt, _ in found)
    if needs_nlp and nlp is None:
        from .runner import get_nlp

        try:
            nlp = get_nlp(model=model)
        except ClaimgraphError as exc:
            nlp = exc
    for name in tasks:
        out[name] = {}
        for fmt in TASK_FORMATS[name]:
            match = [p for f, p in found if f == fmt]
            if not match:
                if data.is_dir() or not data.exists():
                    out[name][fmt] = {"skipped": f"no {fmt} data under {data}"}
                continue
            started = time.perf_counter()
            try:
                if isinstance(nlp, ClaimgraphError) and fmt != "ngec":
                    raise nlp
                out[name][fmt] = _evaluate_one(fmt, match[0], nlp, errors, limit)
            except ClaimgraphError as exc:
                log.warning("%s evaluation failed: %s", fmt, exc.one_line())
                out[name][fmt] = {"error": exc.one_line(), "file": str(match[0])}
            out[name][fmt]["seconds"] = round(time.perf_counter() - started, 2)
        if (name == "events" and learned in ("cheap", "all")) or (name == "attributions" and learned == "all"):
            started = time.perf_counter()
            try:
                if isinstance(nlp, ClaimgraphError):
                    raise nlp
                out[name]["learned"] = _evaluate_learned(name, found, nlp, limit)
            except ModelArtifactMissing as exc:
                out[name]["learned"] = {"skipped": exc.one_line()}
            except ClaimgraphError as exc:
                log.warning("learned %s comparison failed: %s", name, exc.one_line())
                out[name]["learned"] = {"error": exc.one_line()}
            out[name]["learned"].setdefault("seconds", round(time.perf_counter() - started, 2))
    return out


def flat_scores(result: dict) -> dict[str, float]:
    """The pinned score names present in ``result`` (skipped and failed ones are absent)."""
    scores = {}
    for name, path in {**SCORE_PATHS, **REPORTED_SCORE_PATHS}.items():
        node = result
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            scores[name] = float(node)
    return scores


def failed_sets(result: dict) -> dict[str, str]:
    """"task.format" -> error line for evaluations that ran into an error (not a skip)."""
    return {f"{task}.{fmt}": entry["error"] for task, by in result.items() if isinstance(by, dict)
            for fmt, entry in by.items() if isinstance(entry, dict) and "error" in entry}
