"""The knowledge base at run time: entries, roles with dates, and the lookup indexes.

Everything is loaded once into plain dicts keyed by normalised text (see normalize.norm), so a
lookup is one hash probe; nothing here scans the KB per query except `search`, which is for
people typing at a terminal.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import KBFileInvalid
from .normalize import norm

KINDS = ("state", "organisation", "armed_group", "person", "media", "igo", "ngo", "group")
# Lookup preference when one alias names several entries: curated first, then by kind.
_KIND_RANK = {"state": 0, "igo": 1, "organisation": 2, "armed_group": 2, "media": 3, "person": 3, "ngo": 4, "group": 5}


@dataclass(frozen=True)
class Role:
    title: str
    country: str
    sector: str
    start: str | None = None
    end: str | None = None
    source: str = ""

    def active(self, date: str) -> bool:
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)


@dataclass
class Entry:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    sector: str = ""
    kind: str = "organisation"
    roles: list[Role] = field(default_factory=list)
    verified: str | None = None
    source: str = ""
    # states only
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)

    @property
    def curated(self) -> bool:
        return self.verified is not None

    def as_actor(self, sector: str | None = None) -> dict:
        return {"id": self.id, "name": self.name, "country": self.country,
                "sector": self.sector if sector is None else sector, "kind": self.kind, "anonymous": False}


def _split(value: str) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def _date(value) -> str | None:
    if value in (None, ""):
        return None
    return str(value)[:10]


class KnowledgeBase:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self._alias: dict[str, list[str]] = {}
        self._demonym: dict[str, str] = {}
        self._capital: dict[str, str] = {}
        self._place: dict[str, set[str]] = {}
        self._surname: dict[str, list[str]] = {}
        self._given: dict[str, list[str]] = {}
        self.agents: dict[str, tuple[str, str]] = {}
        self.max_alias_tokens = 1

    # -- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path | None = None, extra: list[str] | tuple[str, ...] = ()) -> "KnowledgeBase":
        kb = cls()
        base = Path(data_dir) if data_dir else Path(str(resources.files("claimgraph.kb") / "data"))
        kb._load_states(base / "states.tsv")
        kb._load_actors(base / "actors.tsv")
        kb._load_roles(base / "roles.tsv")
        kb._load_agents(base / "agents.tsv")
        kb.load_yaml(base / "curated.yaml")
        for path in extra:
            kb.load_file(Path(path))
        kb._index()
        return kb

    def _rows(self, path: Path):
        if not path.is_file():
            return []
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))

    def _load_states(self, path: Path) -> None:
        for r in self._rows(path):
            self.entries[r["id"]] = Entry(id=r["id"], name=r["name"], aliases=_split(r["aliases"]), country=r["id"],
                                          sector="GOV", kind="state", source="pycountry|phoenix",
                                          demonyms=_split(r["demonyms"]), capitals=_split(r["capitals"]))
            for place in _split(r["places"]):
                self._place.setdefault(norm(place), set()).add(r["id"])

    def _load_actors(self, path: Path) -> None:
        for r in self._rows(path):
            self.entries[r["id"]] = Entry(id=r["id"], name=r["name"], aliases=_split(r["aliases"]),
                                          country=r["country"] or "", sector=r["sector"] or "", kind=r["kind"] or "organisation", source=r["source"] or "")

    def _load_roles(self, path: Path) -> None:
        for r in self._rows(path):
            entry = self.entries.get(r["id"])
            if entry:
                entry.roles.append(Role(r["title"], r["country"], r["sector"], _date(r["start"]), _date(r["end"]),
                                        r["source"]))

    def _load_agents(self, path: Path) -> None:
        for r in self._rows(path):
            self.agents[r["phrase"]] = (r["sector"], r["sector2"])

    def load_file(self, path: Path) -> None:
        """A user file: YAML in curated.yaml's shape, or TSV with actors.tsv's columns."""
        if not path.is_file():
            raise KBFileInvalid("file not found", where=str(path))
        if path.suffix.lower() in (".yaml", ".yml", ".json"):
            self.load_yaml(path)
        elif path.suffix.lower() in (".tsv", ".txt"):
            for r in self._rows(path):
                if not r.get("id") or not r.get("name"):
                    raise KBFileInvalid("every row needs id and name", where=str(path))
                self._merge({"id": r["id"], "name": r["name"], "aliases": _split(r.get("aliases", "")),
                             "country": r.get("country", ""), "sector": r.get("sector", ""),
                             "kind": r.get("kind") or "organisation", "verified": r.get("verified") or None},
                            str(path))
        else:
            raise KBFileInvalid("expected .yaml, .yml or .tsv", where=str(path))

    def load_yaml(self, path: Path) -> None:
        if not path.is_file():
            return
        try:
            # the C loader when PyYAML has it: the pure-Python one takes seconds on curated.yaml
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        except yaml.YAMLError as exc:
            raise KBFileInvalid(f"not valid YAML: {exc}", where=str(path)) from exc
        if isinstance(data, list):
            data = {"entries": data}
        for s in data.get("states") or []:
            state = self.entries.get(s.get("id"))
            if state is None or state.kind != "state":
                raise KBFileInvalid(f"unknown state {s.get('id')!r}", where=str(path))
            state.aliases = sorted(set(state.aliases) | set(s.get("aliases") or []))
            state.demonyms = sorted(set(state.demonyms) | set(s.get("demonyms") or []))
            state.capitals = list(dict.fromkeys((s.get("capitals") or []) + state.capitals))
        for e in data.get("entries") or []:
            self._merge(e, str(path))

    def _merge(self, e: dict, where: str) -> None:
        if not isinstance(e, dict) or not e.get("id") or not e.get("name"):
            raise KBFileInvalid(f"entry without id or name: {e!r}", where=where)
        kind = e.get("kind") or "organisation"
        if kind not in KINDS:
            raise KBFileInvalid(f"{e['id']}: unknown kind {kind!r}", where=where)
        roles = []
        for role in e.get("roles") or []:
            if isinstance(role, dict):
                role = [role.get("title", ""), role.get("sector", ""), role.get("start"), role.get("end")]
            title, sector, start, end = (list(role) + [None, None, None, None])[:4]
            roles.append(Role(str(title or ""), e.get("country", ""), str(sector or e.get("sector", "")),
                              _date(start), _date(end), "curated"))
        old = self.entries.get(e["id"])
        aliases = list(e.get("aliases") or [])
        if old:
            aliases = sorted(set(aliases) | set(old.aliases) | ({old.name} - {e["name"]}))
        self.entries[e["id"]] = Entry(
            id=e["id"], name=e["name"], aliases=aliases, country=e.get("country", old.country if old else "") or "",
            sector=e.get("sector", old.sector if old else "") or "", kind=kind,
            roles=roles or (old.roles if old else []),
            verified=_date(e.get("verified")) or (old.verified if old else None),
            source="curated" if where.endswith("curated.yaml") else where,
            demonyms=old.demonyms if old else [], capitals=old.capitals if old else [])

    def _index(self) -> None:
        self._alias.clear()
        for entry in self.entries.values():
            for text in [entry.name, *entry.aliases]:
                key = norm(text)
                if key:
                    ids = self._alias.setdefault(key, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
                    self.max_alias_tokens = max(self.max_alias_tokens, key.count(" ") + 1)
            if entry.kind == "state":
                for d in entry.demonyms:
                    key = norm(d)
                    self._demonym.setdefault(key, entry.id)
                    if not key.endswith(("ese", "ss", "sh", "ch", "s")):
                        self._demonym.setdefault(key + "s", entry.id)
                for c in entry.capitals:
                    self._capital.setdefault(norm(c), entry.id)
            if entry.kind == "person":
                parts = norm(entry.name).split()
                if len(parts) >= 2:
                    self._surname.setdefault(parts[-1], []).append(entry.id)
                    self._given.setdefault(parts[0], []).append(entry.id)
        for ids in self._alias.values():
            ids.sort(key=self._rank)

    def _rank(self, eid: str):
        e = self.entries[eid]
        return (not e.curated, _KIND_RANK.get(e.kind, 9), eid)

    # -- queries --------------------------------------------------------------------------
    def get(self, eid: str) -> Entry | None:
        return self.entries.get(eid)

    def lookup(self, text: str, published: str | None = None) -> list[Entry]:
        """Entries one of whose names or aliases is `text` (normalised), best first: curated,
        then people holding a role at `published`, then by kind."""
        ids = self._alias.get(norm(text), [])
        entries = [self.entries[i] for i in ids]
        if published and len(entries) > 1:
            entries.sort(key=lambda e: (not e.curated, not (e.kind != "person" or self.role_at(e, published, strict=True))))
        return entries

    def lookup_key(self, key: str) -> list[str]:
        """Ids for an already normalised key (the component's hot path)."""
        return self._alias.get(key, [])

    def demonym(self, word: str) -> str | None:
        return self._demonym.get(norm(word))

    def capital(self, word: str) -> str | None:
        return self._capital.get(norm(word))

    def places(self, word: str) -> set[str]:
        """States a non-capital place name (city, province, region) lies in."""
        return self._place.get(norm(word), set())

    def surname(self, word: str) -> list[Entry]:
        return [self.entries[i] for i in self._surname.get(norm(word), [])]

    def given_name(self, word: str) -> list[Entry]:
        """People whose name starts with `word` (family-name-first names: "Khurelsukh Ukhnaa")."""
        return [self.entries[i] for i in self._given.get(norm(word), [])]

    def agent(self, phrase: str) -> tuple[str, str] | None:
        """Sector codes for a generic role phrase ("security forces" -> ("MIL", ""))."""
        return self.agents.get(norm(phrase))

    def role_at(self, entry: Entry, date: str | None = None, strict: bool = False) -> Role | None:
        """The role held at `date`: the active one (curated first, latest start); without a
        date, the most recent. strict=False falls back to the latest role begun before it."""
        if not entry.roles:
            return None
        roles = sorted(entry.roles, key=lambda r: (r.source == "curated", r.start or "", r.end or "9999"))
        if not date:
            curated = [r for r in roles if r.source == "curated"]
            return (curated or roles)[-1]
        active = [r for r in roles if r.active(date)]
        if active:
            return active[-1]
        if strict:
            return None
        before = [r for r in roles if (r.start or "") <= date]
        return before[-1] if before else None

    def sector_at(self, entry: Entry, date: str | None = None) -> str:
        if entry.kind == "person":
            role = self.role_at(entry, date)
            if role and role.sector:
                return role.sector
        return entry.sector

    def search(self, query: str, limit: int = 10) -> list[Entry]:
        """Ranked for a person at a terminal: exact alias, then prefix, then substring."""
        q = norm(query)
        if not q:
            return []
        scored: dict[str, tuple] = {}
        for key, ids in self._alias.items():
            if key == q:
                score = 0
            elif key.startswith(q):
                score = 1
            elif q in key:
                score = 2
            else:
                continue
            for i in ids:
                rank = (score, *self._rank(i))
                if i not in scored or rank < scored[i]:
                    scored[i] = rank
        return [self.entries[i] for i, _ in sorted(scored.items(), key=lambda kv: kv[1])[:limit]]


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> KnowledgeBase:
    return KnowledgeBase.load(extra=extra)


def load_kb(extra: list[str] | tuple[str, ...] | None = None) -> KnowledgeBase:
    """The packaged KB plus user files (later files override earlier ones), cached per list."""
    return _load_cached(tuple(str(p) for p in (extra or ())))
