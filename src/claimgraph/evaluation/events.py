"""Event coding scored on PLOVER gold records and on ConfliBERT's 5-way CAMEO classes.

PLOVER: per sentence, the set of predicted event types, (type, source country) pairs and
(type, source country, target country) triples against the gold ones, micro P/R/F1. Compound
actors expand into one tuple per actor ("Hungarian and Romanian officials agreed" gives two
source pairs); a missing side is None on both sides, so an event with no gold target matches
a prediction with no target. Predicted events are the distinct ``event`` dicts on the
record's claims (a denial repeating an event does not count twice); an actor id becomes a
country through the record's actors list.

ConfliBERT: a sentence's class is that of its main event, the one with the highest
confidence (first in text order on ties), from the CAMEO root of its ``cameo`` code:
01–02 → 0, 03–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4. A sentence with no predicted event is
class 0 (statement/neutral): the class holds comments and appeals that code no material or
conflictual act, which is what "no event found" asserts. Accuracy on the sentences with an
event is reported beside it, so the default cannot hide a silent coder.
"""
from __future__ import annotations

import re
from itertools import product

from .actors import predicted_country
from .loaders import QUAD_NAMES
from .metrics import PRF, Confusion, PerType, accuracy, safe_div, set_prf
from .runner import actor_index, record_events, run_records

_STATE_ID = re.compile(r"^[A-Z]{3}$")

# Only for events that lack a ``cameo`` code: the CAMEO root each PLOVER type comes from.
TYPE_QUAD = {"REQUEST": 0, "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2,
             "CONCEDE": 2, "RETREAT": 2, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
             "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4}


def cameo_quad(code) -> int | None:
    """CAMEO code → ConfliBERT's 5-way class by its two-digit root."""
    if code is None:
        return None
    digits = re.sub(r"\D", "", str(code))
    if len(digits) < 2:
        return None
    root = int(digits[:2])
    if 1 <= root <= 2:
        return 0
    if 3 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13:
        return 3
    if 14 <= root <= 20:
        return 4
    return None


def id_country(actor_id: str | None, actors: dict[str, dict]) -> str | None:
    if not actor_id:
        return None
    if actor_id in actors:
        return predicted_country(actors[actor_id])
    if _STATE_ID.match(actor_id):
        return actor_id
    return predicted_country({"id": actor_id})


def _tuples(events: list[dict]):
    """(types, type+source pairs, type+source+target triples) of normalised events, each with
    ``source``/``target`` already lists of country keys."""
    types, pairs, triples = set(), set(), set()
    for event in events:
        types.add(event["type"])
        sources = event["source"] or [None]
        targets = event["target"] or [None]
        for s in sources:
            pairs.add((event["type"], s))
        for s, t in product(sources, targets):
            triples.add((event["type"], s, t))
    return types, pairs, triples


def _predicted(record: dict | None) -> list[dict]:
    actors = actor_index(record)
    out = []
    for event in record_events(record):
        out.append({"type": event["type"], "cameo": event.get("cameo"),
                    "source": sorted({id_country(a, actors) for a in event.get("source") or []}, key=str),
                    "target": sorted({id_country(a, actors) for a in event.get("target") or []}, key=str),
                    "modality": event.get("modality"), "negated": event.get("negated"),
                    "confidence": event.get("confidence") if event.get("confidence") is not None
                    else event.get("_claim_confidence")})
    return out


def _gold(events: list[dict]) -> list[dict]:
    return [{"type": e["type"],
             "source": sorted({a["country"] for a in e["source"]}, key=str),
             "target": sorted({a["country"] for a in e["target"]}, key=str)} for e in events]


def evaluate_plover(sentences: list[dict], nlp=None, errors: int = 0, batch_size: int = 64) -> dict:
    records, failed = run_records(({"id": s["id"], "text": s["text"]} for s in sentences), nlp=nlp,
                                  batch_size=batch_size)
    type_prf, pair_prf, triple_prf = PerType(), PRF(), PRF()
    confusion = Confusion()
    no_event = {"sentences": 0, "with_prediction": 0, "false_events": 0}
    listed = []
    for sentence, record in zip(sentences, records):
        gold = _gold(sentence["events"])
        pred = _predicted(record)
        g_types, g_pairs, g_triples = _tuples(gold)
        p_types, p_pairs, p_triples = _tuples(pred)
        type_prf.add(p_types, g_types)
        set_prf(p_pairs, g_pairs, pair_prf)
        set_prf(p_triples, g_triples, triple_prf)
        for t in g_types & p_types:
            confusion.add(t, t)
        rest_g, rest_p = sorted(g_types - p_types), sorted(p_types - g_types)
        for i in range(max(len(rest_g), len(rest_p))):
            confusion.add(rest_g[i] if i < len(rest_g) else "-", rest_p[i] if i < len(rest_p) else "-")
        if not gold:
            no_event["sentences"] += 1
            no_event["with_prediction"] += bool(pred)
            no_event["false_events"] += len(pred)
        if errors and len(listed) < errors and (g_triples != p_triples):
            listed.append({"id": sentence["id"], "text": sentence["text"],
                           "gold": [f"{e['type']} {e['source']}→{e['target']}" for e in gold],
                           "pred": [f"{e['type']} {e['source']}→{e['target']}" for e in pred],
                           "missing": sorted(map(str, g_triples - p_triples)),
                           "extra": sorted(map(str, p_triples - g_triples))})
    result = {
        "dataset": "PLOVER gold-standard records",
        "sentences": len(sentences),
        "gold_events": sum(len(s["events"]) for s in sentences),
        "pipeline_failures": len(failed),
        "type": type_prf.total.as_dict(),
        "type_source": pair_prf.as_dict(),
        "type_source_target": triple_prf.as_dict(),
        "per_type": type_prf.as_dict(),
        "confusion": confusion.as_dict(),
        "top_confusions": confusion.top_errors(10),
        "no_event_sentences": no_event["sentences"],
        "no_event_false_positive_rate": (round(safe_div(no_event["with_prediction"], no_event["sentences"]), 4)
                                         if no_event["sentences"] else None),
        "no_event_false_events": no_event["false_events"] if no_event["sentences"] else None,
    }
    if not no_event["sentences"]:
        result["no_event_note"] = "every sentence in this file has a gold event; no false-positive rate"
    if errors:
        result["errors"] = listed
    return result


def _main_class(pred: list[dict]) -> tuple[int | None, str]:
    """The class of the highest-confidence event (first on ties), and where it came from."""
    best = None
    for i, event in enumerate(pred):
        conf = event.get("confidence")
        score = (conf if isinstance(conf, (int, float)) else 0.0, -i)
        if best is None or score > best[0]:
            best = (score, event)
    if best is None:
        return None, "none"
    event = best[1]
    quad = cameo_quad(event.get("cameo"))
    if quad is not None:
        return quad, "cameo"
    quad = TYPE_QUAD.get(event.get("type"))
    return quad, "type" if quad is not None else "none"


def _score_conflibert(sentences: list[dict], records: list, errors: int = 0) -> dict:
    confusion = Confusion()
    correct = covered = covered_correct = 0
    origin = {"cameo": 0, "type": 0, "none": 0}
    per_class = {k: PRF() for k in QUAD_NAMES}
    listed = []
    for sentence, record in zip(sentences, records):
        pred = _predicted(record)
        quad, how = _main_class(pred)
        origin[how] += 1
        label = sentence["label"]
        guess = quad if quad is not None else 0
        confusion.add(QUAD_NAMES[label], QUAD_NAMES[guess])
        correct += guess == label
        if quad is not None:
            covered += 1
            covered_correct += guess == label
        for k, prf in per_class.items():
            prf.add(int(guess == k and label == k), int(guess == k), int(label == k))
        if errors and len(listed) < errors and guess != label:
            listed.append({"id": sentence["id"], "text": sentence["text"], "gold": QUAD_NAMES[label],
                           "pred": QUAD_NAMES[guess], "events": [f"{e['type']} cameo={e.get('cameo')}" for e in pred]})
    n = len(sentences)
    result = {
        "sentences": n,
        "accuracy": accuracy(correct, n),
        "macro_f1": round(sum(p.f1 for p in per_class.values()) / len(per_class), 4),
        "coverage": accuracy(covered, n),
        "accuracy_on_covered": accuracy(covered_correct, covered),
        "class_from": origin,
        "per_class": {QUAD_NAMES[k]: p.as_dict() for k, p in per_class.items()},
        "confusion": confusion.as_dict(),
    }
    if errors:
        result["errors"] = listed
    return result


def _row_index(sentence: dict) -> int | None:
    try:
        return int(str(sentence["id"]).rsplit("-", 1)[-1])
    except ValueError:
        return None


def evaluate_conflibert(sentences: list[dict], nlp=None, errors: int = 0, batch_size: int = 64) -> dict:
    """The rules (event model off) on the whole file, and under ``heldout`` the pipeline as
    shipped (event model as configured) on the held-out fifth (``idx % 5 == 0``), the only rows
    the event model never trained on, with the rules on the same fifth beside it."""
    from .runner import get_nlp

    nlp = get_nlp(nlp)
    coder = nlp.get_pipe("claimgraph_events") if "claimgraph_events" in nlp.pipe_names else None
    shipped = getattr(coder, "event_model", None)
    try:
        if coder is not None:
            coder.event_model = None
        records, failed = run_records(sentences, nlp=nlp, batch_size=batch_size)
    finally:
        if coder is not None:
            coder.event_model = shipped
    result = {"dataset": "ConfliBERT CAMEO sentences (5-way)", "pipeline_failures": len(failed),
              "event_model": "off", **_score_conflibert(sentences, records, errors)}
    held = [k for k, s in enumerate(sentences) if _row_index(s) is not None and _row_index(s) % 5 == 0]
    if held:
        held_sentences = [sentences[k] for k in held]
        rules = _score_conflibert(held_sentences, [records[k] for k in held])
        if shipped is not None:
            on, failed_on = run_records(held_sentences, nlp=nlp, batch_size=batch_size)
        else:
            on, failed_on = [records[k] for k in held], []
        pipeline = _score_conflibert(held_sentences, on)
        result["heldout"] = {
            "split": "idx % 5 == 0 (never trained on)", "event_model": "on" if shipped is not None else "off",
            "pipeline_failures": len(failed_on),
            **{k: pipeline[k] for k in ("sentences", "accuracy", "macro_f1", "coverage", "per_class")},
            "rules": {k: rules[k] for k in ("accuracy", "macro_f1", "coverage")},
        }
    return result


__all__ = ["evaluate_plover", "evaluate_conflibert", "cameo_quad"]
