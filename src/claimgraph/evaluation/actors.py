"""Actor resolution on the NGEC cases: accuracy of country and of sector, each over the cases
that state that expectation.

Scoring rules:
- An expected country of "" means the resolver should give no country (no actor, or an actor
  without one). NGEC's IGO codes (IGO, and UNO/EUR for UN and EU bodies) match any
  intergovernmental actor (kind igo, an ``IGO-`` id, or a KB country of EUR/UNO); an NGO or a
  transnational armed group (no country of its own) meets an expected "". NotEq and In are
  honoured.
- An expected sector of "" (NGEC leaves bare countries and demonyms unsectored) is met by no
  sector or by a state actor, whose KB sector is its government; "UNK" is met by no sector.
"""
from __future__ import annotations

import inspect
from ..errors import EvaluationError
from .loaders import NONSTATE, normalise_country
from .metrics import accuracy


def predicted_country(actor: dict | None) -> str | None:
    """The country key of a resolved actor: ISO alpha-3, or IGO / IMG / NGO for non-states."""
    if not actor:
        return None
    actor_id = (actor.get("id") or "").upper()
    kind = actor.get("kind")
    if actor_id.startswith("IGO-") or kind == "igo":
        return "IGO"
    if actor_id.startswith("IMG-"):
        return "IMG"
    if actor.get("country"):
        country = str(actor["country"]).upper()
        # a KB may file EU/UN bodies under NGEC's pseudo-countries (EUR, UNO)
        return NONSTATE.get(country, country)
    if kind == "ngo":
        return "NGO"
    return None


def _country_ok(expect: dict, actor: dict | None) -> bool:
    pred = predicted_country(actor)
    value = expect.get("value")
    values = value if isinstance(value, list) else [value]
    wanted = {normalise_country(v) if v else None for v in values}
    if None in wanted:
        # NGEC gives NGOs and transnational militants no country
        wanted |= {"NGO", "IMG"}
    hit = pred in wanted
    return not hit if expect.get("op") == "NotEq" else hit


def _sector_ok(expect: dict, actor: dict | None) -> bool:
    pred = (actor or {}).get("sector") or None
    value = expect.get("value")
    values = value if isinstance(value, list) else [value]
    hit = False
    for v in values:
        if v in ("", None):
            hit |= pred is None or (actor or {}).get("kind") == "state"
        elif v == "UNK":
            hit |= pred in (None, "UNK")
        else:
            hit |= pred == v
    return not hit if expect.get("op") == "NotEq" else hit


def _resolver():
    try:
        from ..nlp.resolve import resolve_phrase
    except ImportError as exc:
        raise EvaluationError(f"actor resolution (claimgraph.nlp.resolve.resolve_phrase) is not "
                              f"available: {exc}") from exc
    params = inspect.signature(resolve_phrase).parameters
    takes_context = "context" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())

    def resolve(case):
        kwargs = {"published": case.get("published")}
        if takes_context and case.get("context"):
            kwargs["context"] = case["context"]
        return resolve_phrase(case["text"], **kwargs)

    return resolve


def evaluate_actors(cases: list[dict], resolve=None, errors: int = 0) -> dict:
    """``resolve(case) -> actor dict | None``; defaults to claimgraph's resolve_phrase."""
    resolve = resolve or _resolver()
    country_ok = country_n = sector_ok = sector_n = 0
    failures = []
    for case in cases:
        try:
            actor = resolve(case)
        except Exception as exc:  # noqa: BLE001 - one bad case is a miss, not a crash
            actor = None
            failures.append({"id": case["id"], "text": case["text"], "error": f"{type(exc).__name__}: {exc}"})
        wrong = {}
        if case.get("country"):
            country_n += 1
            if _country_ok(case["country"], actor):
                country_ok += 1
            else:
                wrong["country"] = {"expected": case["country"], "got": predicted_country(actor)}
        if case.get("sector"):
            sector_n += 1
            if _sector_ok(case["sector"], actor):
                sector_ok += 1
            else:
                wrong["sector"] = {"expected": case["sector"], "got": (actor or {}).get("sector")}
        if wrong:
            failures.append({"id": case["id"], "text": case["text"], "published": case.get("published"),
                             "actor": (actor or {}).get("id"), **wrong})
    result = {
        "dataset": "NGEC actor resolution (dev)",
        "cases": len(cases),
        "country_accuracy": accuracy(country_ok, country_n), "country_cases": country_n,
        "sector_accuracy": accuracy(sector_ok, sector_n), "sector_cases": sector_n,
    }
    if errors:
        result["errors"] = failures[:errors]
    result["n_failures"] = len(failures)
    return result
