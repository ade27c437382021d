"""Readers for the reference data in ../shared/data, each returning plain dicts in one
normalised shape per task, and format detection for `claimgraph evaluate ... --data FILE`.

Normalisation decisions (also in docs/EVALUATION.md):
- PLOVER 0.5 event names map to PLOVER 1.x: DEMAND→REQUEST, DISAPPROVE and INVESTIGATE→ACCUSE,
  FIGHT→ASSAULT. Records sharing one sentence text are one sentence with several gold events.
- Actor codes: ISO 3166 alpha-3 stays; CAMEO's non-ISO country codes are mapped (JAP→JPN,
  ITL→ITA, VTN→VNM, ...); non-state codes become class tokens: IGO, NGO, and IMG for
  transnational militants (CAMEO IMG and ISM). Anything else that is not a country (the one
  record whose target is the string "diplomatic") counts as no actor.
- NGEC: only cases with a text argument and a country (``code['country']`` or ``cc``) or sector
  (``code['code_1']``) expectation; Eq, NotEq and In are kept.
- PolNeAR: one annotation per document, the first annotator's line in file order (two dev
  documents carry six annotators each; scoring against each and averaging would weight those
  two documents six-fold).
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..errors import EvaluationDataMissing, EvaluationError

PLOVER_RENAME = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}

# CAMEO country codes that are not ISO 3166 alpha-3 (CAMEO manual, country code appendix).
CAMEO_COUNTRY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "GMY": "DEU", "UK": "GBR",
                 "KOS": "XKX", "TAW": "TWN", "SUD": "SDN", "BUR": "MMR", "ZAI": "COD", "YUG": "SRB",
                 "PAL": "PSE", "EAF": "KEN"}
# Non-state codes kept as class tokens: a predicted actor of the same class matches.
NONSTATE = {"IGO": "IGO", "NGO": "NGO", "IMG": "IMG", "ISM": "IMG", "MNC": "MNC", "UNO": "IGO",
            "EUR": "IGO"}

# The files `--data DIR` runs, by task. Train splits are never picked from a directory: they
# are slow and are what components are tuned on.
KNOWN_FILES = {
    "plover": "events/plover_gsr_cameo.jsonl",
    "conflibert": "events/conflibert_cameo_train.jsonl",
    "ngec": "events/ngec_actor_resolution_dev.jsonl",
    "polnear": "claims/polnear_dev.jsonl",
}
TASK_FORMATS = {"actors": ("ngec",), "events": ("plover", "conflibert"), "attributions": ("polnear",)}


@lru_cache(maxsize=1)
def _iso3() -> frozenset[str]:
    try:
        import pycountry

        codes = {c.alpha_3 for c in pycountry.countries}
    except ImportError:  # pragma: no cover - pycountry is a dependency
        codes = set()
    return frozenset(codes | {"XKX", "PSE", "TWN", "HKG"})


def normalise_country(code) -> str | None:
    """A gold actor code → ISO alpha-3, a non-state class token (IGO/NGO/IMG), or None."""
    if not isinstance(code, str) or not code.strip():
        return None
    code = code.strip().upper()
    if code in NONSTATE:
        return NONSTATE[code]
    if code in CAMEO_COUNTRY:
        return CAMEO_COUNTRY[code]
    return code if code in _iso3() else None


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    if not path.is_file():
        raise EvaluationDataMissing("data file not found", where=str(path))
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"line {number} is not JSON: {exc}", where=str(path)) from exc


def detect_format(path: Path) -> str:
    """plover | conflibert | ngec | polnear, from the keys of the first record."""
    for _, row in _read_jsonl(Path(path)):
        if "attributions" in row:
            return "polnear"
        if "quad_label" in row:
            return "conflibert"
        if "expect" in row and "function" in row:
            return "ngec"
        if "event" in row and "text" in row:
            return "plover"
        break
    raise EvaluationError("unrecognised evaluation file (expected PLOVER, ConfliBERT, NGEC or "
                          "PolNeAR JSONL)", where=str(path))


def find_files(data: Path, task: str) -> list[tuple[str, Path]]:
    """(format, path) pairs to evaluate for ``task`` under a file or a directory."""
    data = Path(data)
    if data.is_file():
        fmt = detect_format(data)
        if task != "all" and fmt not in TASK_FORMATS[task]:
            raise EvaluationError(f"{fmt} data cannot be used to evaluate {task}", where=str(data))
        return [(fmt, data)]
    if not data.is_dir():
        return []
    formats = [f for t, fs in TASK_FORMATS.items() if task in ("all", t) for f in fs]
    found = []
    for fmt in formats:
        rel = Path(KNOWN_FILES[fmt])
        for candidate in (data / rel, data / rel.name):
            if candidate.is_file():
                found.append((fmt, candidate))
                break
    return found


# -- PLOVER ----------------------------------------------------------------------------------
def _plover_actors(value) -> list[dict]:
    if not isinstance(value, list):
        return []  # None, "" and the stray string "diplomatic"
    return [{"text": a.get("actorText"), "code": a.get("code"), "country": normalise_country(a.get("code")),
             "sector": a.get("sector")} for a in value if isinstance(a, dict)]


def load_plover(path: Path, limit: int | None = None) -> list[dict]:
    """One item per distinct sentence: {id, text, events: [{type, source, target, ...}]}."""
    sentences: dict[str, dict] = {}
    for _, row in _read_jsonl(Path(path)):
        text = row.get("text") or ""
        event = {
            "id": row.get("id"),
            "type": PLOVER_RENAME.get(row.get("event"), row.get("event")),
            "type_05": row.get("event"),
            "mode": row.get("mode") or None,
            "context": row.get("context"),
            "source": _plover_actors(row.get("source")),
            "target": _plover_actors(row.get("target")),
            "event_text": row.get("eventText"),
        }
        if limit and len(sentences) >= limit and text not in sentences:
            continue  # later records may still add events to the sentences already taken
        item = sentences.setdefault(text, {"id": row.get("id"), "text": text, "events": []})
        if event["type"]:
            item["events"].append(event)
    return list(sentences.values())


# -- ConfliBERT ------------------------------------------------------------------------------
QUAD_NAMES = {0: "statement", 1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}


def load_conflibert(path: Path, limit: int | None = None) -> list[dict]:
    items = []
    for _, row in _read_jsonl(Path(path)):
        items.append({"id": f"cb-{row.get('idx')}", "text": row["text"], "label": int(row["quad_label"])})
        if limit and len(items) >= limit:
            break
    return items


# -- NGEC actor cases --------------------------------------------------------------------------
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y")


def _ngec_date(value) -> str | None:
    """NGEC's date argument → ISO date; "Today"/"" → None (resolve as of now)."""
    if not isinstance(value, str) or not value.strip() or value.strip().lower() == "today":
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def load_ngec(path: Path, limit: int | None = None) -> list[dict]:
    """{id, text, context, published, country: {op,value}|None, sector: {op,value}|None}."""
    items = []
    for _, row in _read_jsonl(Path(path)):
        args = row.get("args") or []
        if not args or not isinstance(args[0], str) or not args[0].strip():
            continue
        expect = row.get("expect") or {}
        country = expect.get("code['country']") or expect.get("cc")
        sector = expect.get("code['code_1']")
        if not country and not sector:
            continue
        items.append({
            "id": row.get("test"), "text": args[0].strip(),
            "context": args[1] if len(args) > 1 and isinstance(args[1], str) and args[1] else None,
            "published": _ngec_date(args[2]) if len(args) > 2 else None,
            "country": country, "sector": sector,
        })
        if limit and len(items) >= limit:
            break
    return items


# -- PolNeAR ---------------------------------------------------------------------------------
_DOC_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def _spans(value) -> list[tuple[int, int]]:
    return [(int(s["start"]), int(s["end"])) for s in value or [] if s and s.get("end", 0) > s.get("start", 0)]


def load_polnear(path: Path, limit: int | None = None) -> list[dict]:
    """{id, annotator, text, published, attributions: [{id, source, cue, content, no_source}]}
    with spans as [(start, end)] lists; the first annotator's line per document."""
    docs: dict[str, dict] = {}
    for _, row in _read_jsonl(Path(path)):
        doc_id = row["doc_id"]
        if doc_id in docs:
            continue
        if limit and len(docs) >= limit:
            break
        date = _DOC_DATE.search(doc_id)
        docs[doc_id] = {
            "id": doc_id, "annotator": row.get("annotator"), "text": row["text"],
            "published": date.group(1) if date else None,
            "attributions": [{"id": a.get("id"), "source": _spans(a.get("source")), "cue": _spans(a.get("cue")),
                              "content": _spans(a.get("content")), "no_source": bool(a.get("no_source"))}
                             for a in row.get("attributions") or []],
        }
    return list(docs.values())


LOADERS = {"plover": load_plover, "conflibert": load_conflibert, "ngec": load_ngec, "polnear": load_polnear}
