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
           "current", "acting", "supreme", "leader"}
_DROP = {"a", "an", "the", "two", "three", "several", "some", "many", "members", "member", "of", "group", "team",
         "over", "dozen", "dozens", "ordinary", "heavily", "armed", "prominent", "disgraced", "former", "retired",
         "current", "official", "s", "in", "at", "to", "and", "its", "their", "largest", "new"}
_UNK = {"he", "she", "they", "him", "her", "them", "men", "man", "women", "woman", "person", "persons", "someone"}
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
    return {"id": entry.id, "name": entry.name, "country": entry.country,
            "sector": kb.sector_at(entry, date) if sector is None else sector, "kind": entry.kind}


def resolve_phrase(text: str, published: str | None = None, kb_extra: list[str] | None = None) -> dict | None:
    global _ROLES
    if not text or not text.strip():
        return None
    if _ROLES is None:
        _ROLES = load_roles()
    kb = load_kb(kb_extra)
    date = _date(published)
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
    if len(words) == 1 and words[0] in _UNK:
        return {"id": "cg:unknown", "name": text, "country": "", "sector": "UNK", "kind": "group"}
    country, sector, head = _scan(words, kb)
    if "former" in words or "retired" in words:
        sector = "ELI"
    if sector is None and any(w in _UNK for w in words):
        sector = "UNK"
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


def _scan(words: list[str], kb) -> tuple[str | None, str | None, str | None]:
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
            elif entries and size > 1:
                e = entries[0]
                found = e.country if e.country else None
                org_sector = org_sector or (e.sector if e.kind != "person" else None)
            elif len(kb.places(chunk)) == 1 and (size > 1 or chunk not in _DROP):
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
            if chunk.endswith("ies") and chunk[:-3] + "y" in _ROLES:
                lemma = chunk[:-3] + "y"
            elif chunk.endswith("s") and chunk[:-1] in _ROLES:
                lemma = chunk[:-1]
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
