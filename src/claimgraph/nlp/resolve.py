"""`resolve_phrase`: the best actor for a short phrase taken as a whole, without a parse.

Result: {"id", "name", "country", "sector", "kind"} or None. Conventions (shared with the
NGEC test suite this is scored on):
- a state named as such ("Japan", "the U.S.") → the state with sector "" (the country as a
  whole); its capital ("Tehran", "CANBERRA") → the state with sector GOV (the government);
  another place in it ("Sydney", "Mariupol") → the state with sector CVL;
- people → their role's sector at `published` (Putin in 1999 → SPY, in 2022 → GOV);
- generic phrases → group actors: "<ISO3>-<SECTOR>" when a country is named
  ("Ukrainian farmers" → UKR-AGR), else "cg:<head>" with country "" ("soldiers" → cg:soldiers,
  sector MIL); "former ..." gives sector ELI; pronouns and "two men" give sector UNK;
- a name the KB does not know ("Leon Bobb") → None.
"""
from __future__ import annotations

import re
from datetime import datetime

from ..kb import load_kb, norm
from .actors import load_roles

_ROLES = None
_TITLES = {"president", "prime", "minister", "sen", "senator", "rep", "gen", "lt", "col", "colonel", "general",
           "deputy", "secretary", "chief", "king", "queen", "prince", "crown", "chancellor", "ambassador",
           "foreign", "defense", "defence", "interior", "us", "uk", "former", "mr", "mrs", "ms", "dr", "sheikh",
           "ayatollah", "commander", "admiral", "vice", "colonelgeneral", "colonel-general", "spokesman", "the",
           "current", "acting", "supreme", "leader", "of", "minister of", "state", "affairs", "interior", "finance",
           "justice", "economy", "colonel general", "maj", "major", "brig", "brigadier", "capt", "captain", "lieutenant"}
_DROP = {"a", "an", "the", "two", "three", "several", "some", "many", "members", "member", "of", "group", "team",
         "over", "dozen", "dozens", "ordinary", "heavily", "armed", "prominent", "disgraced", "former", "retired",
         "current", "official", "s", "in", "at", "to", "and", "its", "their", "largest", "new"}
_UNK = {"he", "she", "they", "him", "her", "them", "men", "man", "women", "woman", "person", "persons", "someone"}
# Heads of organisation names with no role word: "Ecuador's Ombudsman's Office", "Oxford University".
_ORG_HEADS = {"university": "EDU", "college": "EDU", "institute": "EDU", "academy": "EDU", "school": "EDU",
              "office": "GOV", "ombudsman": "GOV", "ministry": "GOV", "agency": "GOV", "commission": "GOV",
              "department": "GOV"}
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y")


def _date(published: str | None) -> str | None:
    if not published or published.strip().lower() in ("today", "now"):
        return None
    text = published.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.title() if "%B" in fmt or "%b" in fmt else text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _out(entry, kb, date, sector=None) -> dict:
    if sector is None and date is None and entry.kind == "person" and _left_office(entry):
        sector = "ELI"
    return {"id": entry.id, "name": entry.name, "country": entry.country,
            "sector": kb.sector_at(entry, date) if sector is None else sector, "kind": entry.kind}


def _left_office(entry) -> bool:
    """Without a date the phrase is read as of now: a person whose last known role ended is
    a former office-holder (ELI). Undated CIA roles are known only as of the 2019 snapshot,
    open Phoenix spells as of its 2014 freeze, undated Phoenix codes not at all."""
    def last_seen(r):
        if r.end:
            return r.end
        if r.source == "cia2019":
            return "2019-10-01"
        if r.source == "phoenix":
            return "2014-01-30" if r.start else ""  # open spells: "in office when frozen"
        return "9999" if r.start else ""
    roles = [r for r in entry.roles if r.sector and r.sector != "ELI" and last_seen(r)]
    if not roles:
        return False
    return last_seen(max(roles, key=last_seen)) < "9999" and any(r.end for r in roles) \
        and max(last_seen(r) for r in roles if r.end) >= max(last_seen(r) for r in roles)


def resolve_phrase(text: str, published: str | None = None, kb_extra: list[str] | None = None,
                   context: str | None = None) -> dict | None:
    """`context`: surrounding words ("German", "Colombian defense", "Somalia") that supply the
    country when the phrase itself names none ("Defense Minister")."""
    global _ROLES
    if not text or not text.strip():
        return None
    if _ROLES is None:
        _ROLES = load_roles()
    kb = load_kb(kb_extra)
    date = _date(published)
    hint = _scan(norm(context).split(), kb, _acronyms(context))[0] if context and context.strip() else None
    hit = _resolve(text, kb, date, hint)
    if hit and hint and not hit["country"] and hit["kind"] == "group":
        hit["country"] = hint
        hit["id"] = f"{hint}-{hit['sector']}" if hit["sector"] else hit["id"]
    return hit


def _acronyms(text: str) -> set[str]:
    """Normalised all-capital tokens of the raw text ("CIA", "SANDF"): an organisation's
    acronym may be looked up alone where a lower-case word of the same letters may not."""
    return {norm(w) for w in re.findall(r"[A-Za-z][A-Za-z.&-]*", text or "") if len(w.replace(".", "")) >= 2
            and w.replace(".", "").replace("-", "").replace("&", "").isupper()}


def _resolve(text: str, kb, date: str | None, hint: str | None) -> dict | None:
    acronyms = _acronyms(text)
    parts = [p.strip() for p in re.split(r",", text) if p.strip()]
    for part in parts:
        hit = _exact(part, kb, date)
        if hit:
            return hit
    words = norm(text).split()
    if not words:
        return None
    # Titles before a name: "Deputy Secretary Hicks", "Lt. Gen. Muhoozi Kainerugaba".
    for part in parts:
        pw = norm(part).split()
        i = 0
        while i < len(pw) - 1 and pw[i] in _TITLES:
            i += 1
        if i:
            hit = _exact(" ".join(pw[i:]), kb, date)
            if hit and hit["kind"] != "state":
                if "former" in pw[:i]:
                    hit["sector"] = "ELI"
                return hit
            if len(pw) - i == 1:
                people = [e for e in kb.surname(pw[-1]) if kb.role_at(e, date, strict=bool(date))]
                people.sort(key=lambda e: not e.curated)
                if people:
                    return _out(people[0], kb, date)
    if len(words) == 1 and text.strip()[:1].isupper() and words[0] not in _UNK:
        people = sorted(kb.surname(words[0]), key=lambda e: (not e.curated, not kb.role_at(e, date, strict=bool(date))))
        if people:
            return _out(people[0], kb, date)
    if 2 <= len(words) <= 5 and _is_name(text):
        person = _fuzzy_person([w for w in words if w not in _TITLES], kb, date, hint)
        if person:
            return _out(person, kb, date)
    if len(words) == 1 and words[0] in _UNK:
        return {"id": "cg:unknown", "name": text, "country": "", "sector": "UNK", "kind": "group"}
    # "members of SANDF", "officials from the FSB": the members are the organisation's.
    for i, w in enumerate(words[:-2]):
        if w in ("members", "member", "officials", "official") and words[i + 1] in ("of", "from", "with", "at"):
            inner = _exact(" ".join(words[i + 2:]), kb, date)
            if inner and inner["kind"] not in ("state", "person"):
                return inner
    capitalised = {norm(w) for w in re.findall(r"[\w'-]+", text) if w[:1].isupper()}
    country, sector, head = _scan(words, kb, acronyms, capitalised)
    if sector is None:
        sector = next((_ORG_HEADS[w] for w in reversed(words) if w in _ORG_HEADS), None)
    if country and sector is None and words[0] in ("ordinary", "local", "civilian") and \
            all(kb.demonym(w) or w in _DROP or w == words[0] for w in words):
        sector = "CVL"  # "ordinary Kazakhs": the population, not the state
    if sector is None and any(w in _UNK for w in words):
        sector = "UNK"
    if "former" in words or "retired" in words:
        sector = "ELI"
    if country is None and sector is None:
        return None
    if sector is None:
        sector = "UNK" if country and len(words) > 1 and not _is_name(text) else ""
        if country and (_is_name(text) or len(words) == 1):
            return None
    eid = f"{country}-{sector}" if country else f"cg:{head or words[-1]}"
    state = kb.get(country) if country else None
    return {"id": eid, "name": text.strip(), "country": country or "", "sector": sector,
            "kind": "group" if not state else "group"}


def _is_name(text: str) -> bool:
    return all(w[:1].isupper() for w in text.split())


def _exact(part: str, kb, date) -> dict | None:
    key = norm(part)
    entries = kb.lookup(part, date)
    if entries:
        e = entries[0]
        homes = {x.country for x in entries if x.kind != "person" and x.country}
        if e.kind != "state" and not e.curated and len(homes) > 1:
            return None  # "National Intelligence Agency": a generic name several states use
        if e.kind == "state":
            if kb.places(key) - {e.id}:
                return None  # "Georgia" alone: the country or the US state
            return _out(e, kb, date, sector="")
        return _out(e, kb, date)
    iso = kb.capital(key)
    if iso:
        return _out(kb.get(iso), kb, date, sector="GOV")
    iso = kb.demonym(key)
    if iso:
        return _out(kb.get(iso), kb, date, sector="")
    places = kb.places(key)
    if len(places) == 1:
        return _out(kb.get(next(iter(places))), kb, date, sector="CVL")
    return None


def _scan(words: list[str], kb, acronyms: set[str] = frozenset(),
          capitals: set[str] | None = None) -> tuple[str | None, str | None, str | None]:
    """The first country named anywhere in the phrase (possessor first: "Russia's ambassador
    to Poland" is Russian) and the sector of the last role word or phrase, longest first."""
    country = sector = head = None
    n = len(words)
    i = 0
    org_sector = None
    while i < n:
        for size in range(min(6, n - i), 0, -1):
            chunk = " ".join(words[i:i + size])
            found = None
            ids = kb.lookup_key(chunk)
            entries = [kb.get(x) for x in ids]
            states = [e for e in entries if e.kind == "state"]
            if states:
                found = states[0].id
            elif kb.demonym(chunk) or kb.capital(chunk):
                found = kb.demonym(chunk) or kb.capital(chunk)
            elif entries and (size > 1 or chunk in acronyms):
                # A generic name several countries use ("National Intelligence Agency")
                # names no country.
                homes = {x.country for x in entries if x.kind != "person" and x.country}
                e = next((x for x in entries if x.country), entries[0])
                found = e.country if e.country and len(homes) == 1 else None
                if len(homes) <= 1:
                    org_sector = org_sector or (e.sector if e.kind != "person" else None)
            elif len(kb.places(chunk)) == 1 and (size > 1 or chunk not in _DROP) and \
                    (size > 1 or not capitals or chunk in capitals):  # "reading", "victoria"
                found = next(iter(kb.places(chunk)))
            if found is not None:
                country = country or found
                i += size - 1
                break
        i += 1
    for size in (3, 2, 1):
        for j in range(n - size, -1, -1):
            chunk = " ".join(words[j:j + size])
            lemma = chunk
            if chunk.endswith("ies") and (chunk[:-3] + "y" in _ROLES or kb.agent(chunk[:-3] + "y")):
                lemma = chunk[:-3] + "y"
            elif chunk.endswith("s") and (chunk[:-1] in _ROLES or kb.agent(chunk[:-1])):
                lemma = chunk[:-1]
            if size == 1 and chunk in _UNK and "and" not in words:
                continue  # "two men": unknown sector; "men and women" are the population
            s = _ROLES.get(lemma) if size == 1 else None
            agent = kb.agent(chunk) or kb.agent(lemma)
            if s or agent:
                sector = s or agent[0]
                head = chunk.replace(" ", "-")
                break
        if sector:
            break
    if sector is None and org_sector:
        sector = org_sector
    return country, sector, head


def _fuzzy_person(words: list[str], kb, date: str | None, hint: str | None):
    """A person named as the KB does not write them: "Diego Molano" for "Diego Molano Vega",
    "Ukhnaagiin Khurelsukh" for "Ukhna Khurelsukh", family name first ("Khurelsukh Ukhnaa").
    One name must be the same word, the other a 4-letter prefix match; exactly one person (or
    one in the context's country) must fit, else no answer."""
    if len(words) < 2:
        return None
    first, last = words[0], words[-1]
    found = {}
    for anchor, other in ((last, first), (first, last)):
        for e in kb.surname(anchor) + kb.given_name(anchor):
            parts = norm(e.name).split()
            if anchor not in parts:
                continue
            rest = [p for p in parts if p != anchor]
            if any(p[:4] == other[:4] and min(len(p), len(other)) >= 4 or p == other for p in rest):
                found[e.id] = e
    people = list(found.values())
    if hint and len(people) > 1:
        people = [e for e in people if e.country == hint] or people
    if len({e.country for e in people}) == 1 and len(people) > 1:
        # one person under two spellings from two sources: the one with the later role
        people.sort(key=lambda e: (e.curated, max(((r.end or r.start or "") for r in e.roles), default="")))
        people = people[-1:]
    return people[0] if len(people) == 1 else None
