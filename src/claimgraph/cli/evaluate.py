"""`claimgraph evaluate {actors,events,attributions,all} --data PATH`: scores against the
reference data (see docs/EVALUATION.md). Absent data is a message and exit 0, not an error."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .options import json_option, model_option

DEFAULT_DATA = "../shared/data"


def _data_option(f):
    return click.option("--data", "data", default=DEFAULT_DATA, show_default=True, envvar="CLAIMGRAPH_DATA",
                        help="A data file (format detected) or a directory such as ../shared/data.")(f)


errors_option = click.option("--errors", "errors", type=int, default=0, show_default=True,
                             help="List up to N errors with their sentence or context.")
learned_option = click.option("--learned", "learned", type=click.Choice(["off", "cheap", "all"]), default="all",
                              show_default=True,
                              help="Rules vs model vs combined for the learned models: all, cheap (events "
                                   "only, no second PolNeAR pass) or off.")
limit_option = click.option("--limit", "limit", type=int, default=None,
                            help="Evaluate only the first N items of each data set.")


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _prf(d: dict) -> str:
    return f"P {d['p']:.3f}  R {d['r']:.3f}  F1 {d['f1']:.3f}  (tp {d['tp']:g} / pred {d['pred']:g} / gold {d['gold']:g})"


def render_learned(task: str, r: dict) -> list[str]:
    """Rules vs model vs combined (evaluation/learned.py), one line per variant."""
    lines = []
    if task == "attributions":
        lines.append(f"  PolNeAR dev, {r['documents']} documents; model = cue classifier alone at "
                     f"{r['model']['threshold']}, combined = {r['combined']['how']} "
                     f"(threshold {r['combined']['threshold']})")
        for name in ("rules", "model", "combined"):
            v = r[name]
            lines.append(f"  {name:<9} attribution {_prf(v['attribution'])}")
            if name != "model":
                lines.append("            exact F1 source {:.3f} cue {:.3f} content {:.3f}; content token F1 {:.3f}".format(
                    v["source"]["exact"]["f1"], v["cue"]["exact"]["f1"], v["content"]["exact"]["f1"],
                    v["content"]["token"]["f1"]))
        return lines
    held = r["conflibert_heldout"]
    lines.append(f"  ConfliBERT held-out fifth ({held['split']}, {held['sentences']} sentences, never trained on): "
                 f"5-way accuracy rules {held['rules']['accuracy']:.3f} (coverage {held['rules']['coverage']:.3f}), "
                 f"model {held['model']['accuracy']:.3f}, combined {held['combined']['accuracy']:.3f} "
                 f"({held['combined']['how']}); model {held['model_ms_per_sentence']} ms/sentence")
    plover = r.get("plover") or {}
    if plover.get("sentences"):
        lines.append(f"  PLOVER gold types ({plover['sentences']} sentences"
                     + (", model trained on them" if plover.get("trained_on") else "") + "):")
        lines.append(f"    rules     {_prf(plover['rules'])}")
        lines.append(f"    model     {_prf(plover['model'])}")
        if plover.get("model_cv"):
            lines.append(f"    model, 5-fold CV (meta.json) F1 {plover['model_cv']['f1']:.3f}")
        for how, d in plover["combined"].items():
            lines.append(f"    combined {how:<18} {_prf(d)}")
    return lines


def render(result: dict) -> str:
    """A plain-text report of a nested evaluation result."""
    lines = []
    for task, by in result.items():
        if not isinstance(by, dict) or task in ("scores", "meta", "gold"):
            continue
        for fmt, r in by.items():
            head = f"== {task} / {fmt}"
            if "skipped" in r:
                lines.append(f"{head}: skipped ({r['skipped']})")
                continue
            if "error" in r:
                lines.append(f"{head}: ERROR {r['error']}")
                continue
            if fmt == "learned":
                lines.append(f"{head}: rules vs model vs combined ({r.get('seconds')} s)")
                lines.extend(render_learned(task, r))
                continue
            lines.append(f"{head}: {r.get('dataset')} [{r.get('file')}] ({r.get('seconds')} s)")
            if fmt == "ngec":
                lines.append(f"  country accuracy {r['country_accuracy']:.3f} over {r['country_cases']} cases")
                lines.append(f"  sector accuracy  {r['sector_accuracy']:.3f} over {r['sector_cases']} cases")
            elif fmt == "plover":
                lines.append(f"  {r['sentences']} sentences, {r['gold_events']} gold events, "
                             f"{r['pipeline_failures']} pipeline failures")
                for key in ("type", "type_source", "type_source_target"):
                    lines.append(f"  {key:<20} {_prf(r[key])}")
                lines.append(f"  no-event sentences: {r['no_event_sentences']}"
                             + (f", false-positive rate {r['no_event_false_positive_rate']}"
                                if r['no_event_sentences'] else f" ({r.get('no_event_note')})"))
                lines.append("  per type:")
                for name, d in r["per_type"].items():
                    lines.append(f"    {name:<10} {_prf(d)}")
                if r["top_confusions"]:
                    lines.append("  top confusions (gold → predicted):")
                    for c in r["top_confusions"]:
                        lines.append(f"    {c['gold']:>10} → {c['pred']:<10} {c['count']}")
            elif fmt == "conflibert":
                lines.append(f"  5-way accuracy {r['accuracy']:.3f}  macro F1 {r['macro_f1']:.3f}  coverage "
                             f"{r['coverage']:.3f}  accuracy on covered {r['accuracy_on_covered']:.3f}")
                for name, d in r["per_class"].items():
                    lines.append(f"    {name:<18} {_prf(d)}")
            elif fmt == "polnear":
                lines.append(f"  {r['documents']} documents, {r['gold_attributions']} gold attributions")
                lines.append(f"  attribution         {_prf(r['attribution'])}")
                for part in ("source", "cue", "content"):
                    for mode in ("exact", "token"):
                        lines.append(f"  {part + ' ' + mode:<19} {_prf(r[part][mode])}")
            for err in r.get("errors") or []:
                lines.append("  - " + json.dumps(err, ensure_ascii=False))
    gold = result.get("gold")
    if isinstance(gold, dict) and "by_field" in gold:
        lines.append(f"== gold / tests/gold: field pass rate {gold['field_pass_rate']:.3f} "
                     f"({gold['passed']}/{gold['checks']}; claims found {gold['claims_found']}/{gold['claims']})")
        lines.extend(f"  {k:<22} {v['passed']:>3}/{v['checks']:<3} {v['rate']:.2f}" for k, v in gold["by_field"].items())
        for f in gold.get("failures") or []:
            lines.append(f"  - {f['passage']} claim {f['claim']} {f['field']}: expected "
                         f"{json.dumps(f['expected'])}, got {json.dumps(f['got'])}")
    elif isinstance(gold, dict) and gold:
        lines.append(f"== gold: {gold.get('skipped') or gold.get('error')}")
    if "scores" in result:
        lines.append("== scores")
        lines.extend(f"  {k:<45} {_fmt(v)}" for k, v in result["scores"].items())
    return "\n".join(lines)


def _run(task: str, data: str, as_json: bool, errors: int, limit: int | None, model: str | None,
         learned: str = "all") -> None:
    from ..evaluation.suite import evaluate, flat_scores

    path = Path(data)
    if not path.exists():
        message = f"skipped: evaluation data not found at {path} (nothing to score)"
        if as_json:
            click.echo(json.dumps({"skipped": message}))
        else:
            click.echo(message, err=True)
        return
    result = evaluate(task, path, errors=errors, limit=limit, model=model, learned=learned)
    result["scores"] = flat_scores(result)
    if task == "all" and path.is_dir():
        from ..evaluation.gold import evaluate_gold

        result["gold"] = evaluate_gold(errors=errors)
        result["scores"] = flat_scores(result)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(render(result))


@click.group("evaluate")
def evaluate_group():
    """Score actors, events and attributions against reference data (docs/EVALUATION.md)."""


def _make(task: str, help_text: str):
    @evaluate_group.command(task, help=help_text)
    @_data_option
    @json_option
    @errors_option
    @limit_option
    @model_option
    @learned_option
    def command(data, as_json, errors, limit, model, learned):
        _run(task, data, as_json, errors, limit, model, learned)

    return command


_make("actors", "Country and sector accuracy of actor resolution on NGEC cases.")
_make("events", "PLOVER event P/R/F1 (type, +source, +target) and ConfliBERT 5-way accuracy.")
_make("attributions", "PolNeAR attribution P/R/F1 and exact/token-overlap scores of source, cue, content.")
_make("all", "Every evaluation under --data (and the in-project gold set); --json prints one object.")

commands = [evaluate_group]
