"""The `claimgraph_actors` component: every actor mention in a Doc, resolved to the KB.

Rules, in the order they claim tokens (a token belongs to at most one mention):
1. acronyms defined in the text ("National Intelligence Service (NIS)") are recorded first;
2. NER spans and capitalised n-grams the KB knows (NER misses "KCNA declared") → KB entries,
   with demonyms (NORP, "North Korean weapons" → PRK, owner=True) and capitals as
   governments ("Seoul said" → KOR); a person's short name after the full name ("Kim" after
   "Kim Jong-un", "Tor" after "Akiva Tor") → the same actor; ambiguous names (a country that
   is also a US state: "Georgia") need the document's context, else stay unresolved; a name
   the KB lacks becomes a `cg:<slug>` actor rather than being dropped;
3. role nouns ("a lawmaker", "Israeli officials", "unnamed officials with the JCS") → group
   actors `<ISO3>-<SECTOR>`, anonymous; the country comes from the phrase, or from the one
   actor of that sector in the document, or from the document's dominant country;
4. pronouns, "the regime", "the terrorists" → the nearest compatible actor in this or the
   previous sentence, when there is exactly one; otherwise unresolved (actor_id None).
Everything is dictionary lookups over tokens; no regex runs against the KB.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..kb import Entry, KnowledgeBase, load_kb, norm, slug
from .extensions import register_extensions

LEXICONS = Path(__file__).parent / "lexicons"
ENT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
GROUP_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
ANONYMOUS_MARKERS = {"unnamed", "anonymous", "unidentified", "a", "an", "some", "several", "senior", "two", "three"}
# Words that refer back to an actor of a given kind when definite ("the regime").
REFERRING = {"regime": ("state",), "government": ("state",), "terrorists": ("armed_group",),
             "terrorist": ("armed_group",), "militants": ("armed_group",), "jihadists": ("armed_group",),
             "group": ("armed_group", "organisation"), "militant": ("armed_group",)}
# Words of an office title ("Defense" in "Russian Defense Minister Sergei Shoigu"): NER cuts
# them out as ORG, but alone they name nobody.
TITLE_WORDS = {"defense", "defence", "foreign", "interior", "finance", "prime", "deputy", "vice", "home",
               "justice", "trade", "economy", "energy", "health", "education", "unification", "chief", "acting",
               "first", "lieutenant", "staff", "general", "secretary", "minister", "president"}
# Sectors of people who are not political actors by their role: "infants", "families",
# "victims", "the international community" become actors only with a country attached.
NONPOLITICAL = {"CVL"}
# Role nouns the role rule leaves alone ("the government" is a reference, "force" and "state"
# are too generic to be a group actor of their own).
NOT_ROLE_HEADS = frozenset({"people", "state", "company", "force", "media", "court", "government", "regime",
                            "intelligence"})
_KIND_TO_SECTOR = {"state": "GOV", "media": "MED", "igo": "IGO", "ngo": "NGO", "armed_group": "REB"}


def load_roles(path: Path = LEXICONS / "actor_roles.tsv") -> dict[str, str]:
    roles: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, sector = line.split("\t")[:2]
            roles.setdefault(lemma.strip(), sector.strip())
    return roles


class ActorResolver:
    def __init__(self, kb: KnowledgeBase, roles: dict[str, str] | None = None):
        self.kb = kb
        self.roles = roles if roles is not None else load_roles()

    # -- helpers --------------------------------------------------------------------------
    def _entry_actor(self, entry: Entry, published: str | None) -> dict:
        return entry.as_actor(self.kb.sector_at(entry, published) or _KIND_TO_SECTOR.get(entry.kind, ""))

    def state_of(self, text: str) -> str | None:
        """A country named by a name, demonym or capital."""
        key = norm(text)
        ids = [i for i in self.kb.lookup_key(key) if self.kb.entries[i].kind == "state"]
        if len(ids) == 1 and not self.kb.places(key) - {ids[0]}:
            return ids[0]
        return self.kb.demonym(key) or self.kb.capital(key)

    def role_sector(self, lemma: str) -> str | None:
        lemma = lemma.lower()
        if lemma in self.roles:
            return self.roles[lemma]
        agent = self.kb.agent(lemma)
        return agent[0] if agent else None

    # -- the component --------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        actors: dict[str, dict] = {}
        mentions: list[dict] = []
        taken = [False] * len(doc)
        acronyms: dict[str, str] = {}
        short_names: dict[str, str] = {}
        countries: Counter = Counter()
        self._published, self._new_cache, self._mentions_ref = published, {}, mentions

        def add(start: int, end: int, actor: dict | None, how: str, owner: bool = False, head: int | None = None):
            span = doc[start:end]
            if actor is not None:
                actors.setdefault(actor["id"], actor)
                if actor.get("country") and actor["kind"] == "state":
                    countries[actor["country"]] += 1
            mentions.append({"start": span.start_char, "end": span.end_char, "tok_start": start, "tok_end": end,
                             "head": span.root.i if head is None else head, "text": span.text,
                             "actor_id": actor["id"] if actor else None, "how": how, "owner": owner})
            for i in range(start, end):
                taken[i] = True

        # Context first: which states the document talks about, to settle ambiguous names.
        for ent in doc.ents:
            if ent.label_ in ("GPE", "NORP"):
                iso = self.state_of(_strip(ent).text)
                if iso:
                    countries[iso] += 0  # presence only; counts come from resolved mentions

        spans = self._candidate_spans(doc)
        for span, label in spans:
            if any(taken[i] for i in range(span.start, span.end)):
                continue
            self._resolve_span(doc, span, label, published, add, acronyms, short_names, countries)

        self._roles(doc, published, add, taken, actors, countries)
        self._references(doc, add, taken, mentions, actors)
        mentions.sort(key=lambda m: m["tok_start"])
        doc._.actors = actors
        doc._.actor_mentions = mentions
        return doc

    def _candidate_spans(self, doc: Doc) -> list[tuple[Span, str]]:
        """NER spans, plus capitalised n-grams the KB knows that NER did not label."""
        out: list[tuple[Span, str]] = [(ent, ent.label_) for ent in doc.ents if ent.label_ in ENT_LABELS]
        in_ent = set()
        for ent in doc.ents:
            in_ent.update(range(ent.start, ent.end))
        max_n = min(self.kb.max_alias_tokens, 6)
        i = 0
        while i < len(doc):
            tok = doc[i]
            if i in in_ent or not (tok.pos_ == "PROPN" or (tok.is_upper and len(tok) > 1)):
                i += 1
                continue
            for n in range(max_n, 0, -1):
                j = i + n
                if j > len(doc) or any(k in in_ent for k in range(i, j)):
                    continue
                span = doc[i:j]
                if not span[-1].text[:1].isupper():
                    continue
                if self.kb.lookup_key(norm(span.text)) or self.kb.capital(span.text):
                    out.append((span, "KB"))
                    i = j - 1
                    break
            i += 1
        out.sort(key=lambda x: x[0].start)
        return out

    def _resolve_span(self, doc, span, label, published, add, acronyms, short_names, countries):
        span = _strip(span)
        if len(span) == 0:
            return
        text = span.text
        key = norm(text)
        if not key:
            return
        start, end = span.start, span.end
        dash = next((t.i for t in span if t.text in ("-", "\u2013", "\u2014") and t.i > start
                     and doc[t.i - 1].whitespace_), None)
        if dash is not None and doc[start:dash].text.isupper():
            # "PYONGYANG - Rodong Sinmun": a dateline glued to the name by NER
            for part in (doc[start:dash], doc[dash + 1:end]):
                if len(part):
                    self._resolve_span(doc, part, "KB" if part.start == start else label, published, add,
                                       acronyms, short_names, countries)
            return
        # "National Intelligence Service (NIS)": remember the acronym for later mentions.
        defined = None
        if end + 2 < len(doc) and doc[end].text == "(" \
                and doc[end + 2].text == ")" and doc[end + 1].is_upper:
            defined = doc[end + 1].text

        # Short names and acronyms defined earlier in this document win over the KB: in a
        # story about Michael Jordan, "Jordan said" is him, not the kingdom.
        if key in short_names and label in ("PERSON", "GPE", "ORG", "KB"):
            actor = self._known(short_names[key])
            add(start, end, actor, "short_name")
            return
        if text in acronyms:
            add(start, end, self._known(acronyms[text]), "acronym")
            return

        if label == "NORP" or (label != "PERSON" and self.kb.demonym(key) and not self.kb.lookup_key(key)):
            iso = self.kb.demonym(key) or self.state_of(text)
            if iso:
                owner = span.root.dep_ in ("amod", "compound", "nmod") and span.root.head.i >= end
                head_tok = span.root.head if owner else None
                if owner and head_tok is not None and self.role_sector(head_tok.lemma_) and head_tok.pos_ == "NOUN" \
                        and head_tok.lemma_.lower() not in NOT_ROLE_HEADS and head_tok.dep_ != "compound":
                    return  # "Israeli officials": the role rule makes a group actor of the phrase
                # "The German government", "Serb forces": no role actor, so the demonym says whose
                add(start, end, self._known(iso), "demonym", owner=owner)
                return
            if label == "NORP":
                return  # "jihadist", "anti-Israel": adjectives, not actors

        entries = self.kb.lookup(text, published)
        if label == "PERSON":
            # NER often calls outlets people ("Yonhap said"); a lone state name tagged PERSON
            # is a first or last name ("Chad", "Jordan") and must not become the country.
            # A name of several words that only a state bears ("Sri Lanka") is the state.
            entries = [e for e in entries if e.kind == "person"] or [e for e in entries if e.kind not in ("state",)] \
                or ([e for e in entries if e.kind == "state"] if len(span) > 1 else [])
        elif label in ("GPE", "LOC"):
            entries = [e for e in entries if e.kind == "state"] or [e for e in entries if e.kind != "person"]
        if entries:
            entry = self._pick(entries, countries, key)
            if entry is None:
                add(start, end, None, "ambiguous")
                return
            actor = self._entry_actor(entry, published)
            add(start, end, actor, "kb", owner=_is_owner(span))
            self._remember(entry.name, entry.kind, entry.id, short_names)
            for alias in [text]:
                self._remember(alias, entry.kind, entry.id, short_names)
            if defined:
                acronyms[defined] = entry.id
            if entry.kind == "state":
                countries[entry.id] += 1
            return
        if not entries:
            entry = self._contextual(key, countries)
            if entry is not None:
                add(start, end, self._entry_actor(entry, published), "kb", owner=_is_owner(span))
                return
        iso = self.kb.capital(key)
        if iso and label != "PERSON":
            add(start, end, self._known(iso), "capital", owner=_is_owner(span))
            return
        if label in ("GPE", "LOC", "FAC") and self.kb.places(key):
            return  # a city or province: a location, not an actor (events code locations)
        if label in ("GPE", "LOC", "FAC", "KB"):
            return
        if text.startswith("@") or (len(span) == 1 and (self.role_sector(span[0].lemma_) or span[0].is_stop)):
            return  # a handle, or "Defense" cut out of "Defense Minister": not a name
        if all(t.lower_ in TITLE_WORDS or self.role_sector(t.lemma_) for t in span):
            return  # "Defense" of "Russian Defense Minister Sergei Shoigu": part of a title
        if _in_credit(span):
            return  # "(AP Photo/Adel Hana)", "(@Israel Twitter/X)": a credit line, not an actor
        titled = self._titled_surname(doc, span) if label == "PERSON" else None
        if titled is not None:
            add(start, end, self._entry_actor(titled, published), "kb")
            self._remember(text, titled.kind, titled.id, short_names)
            return
        # Not in the KB: a new actor, never dropped.
        kind = "person" if label == "PERSON" else "organisation"
        country = self._country_in_context(span)
        actor = {"id": f"cg:{slug(text).lower()}", "name": text, "country": country or "",
                 "sector": "", "kind": kind, "anonymous": False}
        add(start, end, actor, "new")
        self._remember(text, kind, actor["id"], short_names, actor)
        if defined:
            acronyms[defined] = actor["id"]

    def _contextual(self, key: str, countries: Counter) -> Entry | None:
        """"the National Assembly" in a story about South Korea: try the name qualified by
        the document's most-mentioned countries ("South Korean National Assembly")."""
        for iso, _n in countries.most_common(3):
            state = self.kb.get(iso)
            if state is None:
                continue
            for qualifier in [state.name, *state.demonyms[:3]]:
                for candidate in (f"{norm(qualifier)} {key}", f"{norm(qualifier)}s {key}"):
                    ids = self.kb.lookup_key(candidate)
                    if ids:
                        return self.kb.get(ids[0])
        return None

    STATE_BODY_SECTORS = frozenset({"GOV", "MIL", "SPY", "LEG", "JUD", "COP"})
    LEADER_TITLES = frozenset({"president", "premier", "chancellor", "king", "queen", "emir", "sultan", "shah",
                               "minister", "secretary", "leader"})

    def _titled_surname(self, doc, span) -> Entry | None:
        """"President Reagan", "President Mugabe", "the Bush administration": a lone surname
        after a leader's title or before the body they head is the office-holder of that name,
        when the KB's state office-holders so named are (at least two thirds of them) of one
        country."""
        titled = span.start > 0 and doc[span.start - 1].lower_ in self.LEADER_TITLES
        # "the Bush administration", "the Mugabe government": the leader the body is named after
        ruling = span.end < len(doc) and doc[span.end].lower_ in ("administration", "government", "regime", "cabinet")
        if len(span) != 1 or not (titled or ruling):
            return None
        people = [e for e in self.kb.surname(norm(span.text)) if e.kind == "person"
                  and any(r.sector in self.STATE_BODY_SECTORS for r in e.roles)]
        if not people:
            return None
        by_country = Counter(e.country for e in people)
        country, n = by_country.most_common(1)[0]
        if not country or 3 * n < 2 * len(people):
            return None
        return next(e for e in people if e.country == country)

    def _pick(self, entries: list[Entry], countries: Counter, key: str) -> Entry | None:
        best = entries[0]
        if len(entries) > 1 and best.kind == "organisation" and best.sector in self.STATE_BODY_SECTORS \
                and not countries.get(best.country or ""):
            # State bodies share names across countries ("Joint Chiefs of Staff" in Seoul and
            # Washington): when the story never names the preferred one's country, take the
            # body of a country it does name. Armed groups and media are left alone: their
            # duplicate entries differ by the data source's country coding, not by identity.
            named = [e for e in entries[1:] if countries.get(e.country or "")]
            if named:
                best = max(named, key=lambda e: countries[e.country])
        if best.kind == "state":
            others = self.kb.places(key) - {best.id}
            if others:
                # "Georgia": the country only when the document is about it or its region.
                if countries.get(best.id) and not any(countries.get(o) for o in others):
                    return best
                return None
        return best

    def _known(self, eid: str) -> dict:
        if eid.startswith("cg:"):
            return self._new_cache[eid]
        entry = self.kb.get(eid)
        return self._entry_actor(entry, self._published)

    def _remember(self, name: str, kind: str, eid: str, short_names: dict, actor: dict | None = None) -> None:
        if actor is not None:
            self._new_cache[eid] = actor
        if kind != "person":
            return
        if not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in name.split()):
            return  # "@Israel Twitter/X" is a handle, not a name with short forms
        parts = norm(name).split()
        if len(parts) >= 2:
            short_names.setdefault(parts[-1], eid)
            short_names.setdefault(parts[0], eid)

    def _country_in_context(self, span: Span) -> str | None:
        for tok in list(span) + list(span.root.children):
            iso = self.kb.demonym(tok.text) or None
            if iso:
                return iso
        for tok in span[1:]:
            iso = self.kb.capital(tok.text) if tok.text[:1].isupper() else None
            if iso:
                return iso  # "United Bus Company of Tehran"
        # "Montenegro Assembly", "United Nations Emergency Relief Coordinator": a body named
        # after the state or organisation it belongs to.
        for k in range(len(span) - 1, 0, -1):
            homes = {e.country for e in self.kb.lookup(span[:k].text, self._published)
                     if e.kind in ("state", "igo") and e.country}
            if len(homes) == 1:
                return homes.pop()
        return None

    def _roles(self, doc, published, add, taken, actors, countries):
        for tok in doc:
            if taken[tok.i] or tok.pos_ != "NOUN" or tok.dep_ == "compound":
                continue
            sector = self.role_sector(tok.lemma_)
            if not sector or tok.lemma_.lower() in NOT_ROLE_HEADS:
                continue
            lower = tok.lower_
            if lower in REFERRING and any(c.lower_ == "the" for c in tok.children) and \
                    not any(c.dep_ in ("amod", "compound", "poss") for c in tok.children):
                continue  # "the terrorists": a reference, resolved by _references
            if any(c.dep_ == "appos" and taken[c.i] for c in tok.children) or \
                    (tok.i + 1 < len(doc) and taken[tok.i + 1] and doc[tok.i + 1].head.i == tok.i):
                continue  # "the newspaper Korea JoongAng Daily": the name is the actor
            left = tok.left_edge.i
            left = max(left, max((i + 1 for i in range(left, tok.i) if taken[i] and not _is_modifier(doc[i], tok)),
                                 default=left))
            country, anonymous, org = None, True, None
            sector_words = []
            for child in tok.children:
                if child.i < tok.i and (child.dep_ in ("amod", "compound", "poss", "nmod")) \
                        and not _stance_prefixed(child):
                    phrase = _strip(doc[child.left_edge.i:child.i + 1]).text
                    country = country or self.state_of(phrase) or self.state_of(child.text) \
                        or self._mention_country(doc, child, actors) or self._region_country(child)
                    modifier = self._mention_actor(doc, child, actors)
                    if modifier is None and not taken[child.i] and self.role_sector(child.lemma_):
                        sector_words.append(self.role_sector(child.lemma_))
                    if modifier and modifier["kind"] == "armed_group":
                        org = modifier
                    elif modifier and modifier["kind"] not in ("state",) and not org:
                        org = modifier
                if child.dep_ == "det" and child.lower_ in ("the", "these", "those") or child.dep_ == "poss":
                    anonymous = not any(c.lower_ in ANONYMOUS_MARKERS for c in tok.children)
                if child.dep_ == "prep" and child.lower_ in ("with", "from", "of", "at", "in"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            org = self._mention_actor(doc, obj, actors)
            if any(c.lower_ in ANONYMOUS_MARKERS for c in tok.children):
                anonymous = True
            if not org and sector_words and sector in ("GOV", sector_words[0]):
                # "the intelligence officials" after the NIS was named: that agency's people
                org = self._recent_org(doc, tok, sector_words[0], actors)
            if org and org["kind"] in ("organisation", "media", "igo", "ngo") and \
                    sector in ("GOV", org.get("sector"), "SPY", "MIL", "COP", "LEG") and org.get("sector"):
                # Members of a named organisation are that organisation ("officials from
                # Seoul's NIS", "NIS officials", "unnamed officials with the JCS").
                add(left, tok.i + 1, org, "role", head=tok.i)
                continue
            explicit = country
            if org:
                country = country or org.get("country")
                if org["kind"] not in ("state",) and org.get("sector"):
                    sector = org["sector"] if sector == "GOV" else sector
            if org and org["kind"] == "armed_group" and sector == "REB":
                add(left, tok.i + 1, org, "role", head=tok.i)  # "Hamas terrorists" are Hamas
                continue
            if sector in NONPOLITICAL and not explicit and not org:
                continue  # "infants", "entire families", "the international community"
            if not country:
                country = self._sector_country(sector, actors) or _dominant(countries)
            eid = f"{country}-{sector}" if country else f"cg:{tok.lemma_.lower()}"
            entry = self.kb.get(country) if country else None
            actor = {"id": eid, "name": f"{entry.name if entry else ''} {tok.lemma_}".strip(), "country": country or "",
                     "sector": sector, "kind": "group", "anonymous": anonymous}
            if eid in actors:
                actors[eid]["anonymous"] = actors[eid]["anonymous"] and anonymous
                actor = actors[eid]
            end = tok.i + 1
            add(left, end, actor, "role", head=tok.i)

    def _region_country(self, tok) -> str | None:
        """"Darfur rebels", "Kirkuk residents": a region or city of one state names whose
        people they are."""
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            return None
        places = self.kb.places(norm(tok.text))
        return next(iter(places)) if len(places) == 1 else None

    def _recent_org(self, doc, tok, sector: str, actors) -> dict | None:
        """The organisation of `sector` named last in this or the two previous sentences,
        when it is the only one there."""
        first = tok.sent.start
        for _ in range(2):
            if first > 0:
                first = doc[first - 1].sent.start
        found = []
        for m in self._mentions_ref:
            a = actors.get(m["actor_id"]) if m["actor_id"] else None
            if a and first <= m["tok_start"] < tok.i and a["kind"] == "organisation" and a.get("sector") == sector:
                found.append(a["id"])
        return actors[found[-1]] if len(set(found)) == 1 else None

    def _mention_actor(self, doc, tok, actors) -> dict | None:
        for m in self._current_mentions(doc):
            if m["tok_start"] <= tok.i < m["tok_end"] and m["actor_id"]:
                return actors.get(m["actor_id"])
        return None

    def _mention_country(self, doc, tok, actors) -> str | None:
        actor = self._mention_actor(doc, tok, actors)
        return actor.get("country") if actor else None

    def _current_mentions(self, doc):
        return self._mentions_ref

    def _sector_country(self, sector: str, actors: dict) -> str | None:
        """"a lawmaker" in a story about one country's legislature: that country."""
        found = {a["country"] for a in actors.values() if a["sector"] == sector and a["kind"] != "group"
                 and a.get("country") and len(a["country"]) == 3 and a["country"] not in ("UNO", "EUR", "IGO")}
        return found.pop() if len(found) == 1 else None

    def _governing_subject(self, doc, tok, mentions, actors) -> dict | None:
        """The actor that is the subject of the clause governing a possessive "its" (walking up
        through xcomp/infinitive verbs), when it is a state, organisation or armed group, or a
        person whose state is in the KB. None when no subject or it is not a resolved actor."""
        head = tok.head
        for _ in range(6):
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
            if subj is not None:
                break
            if head.head.i == head.i:
                return None
            head = head.head
        else:
            return None
        if subj.i > tok.i:
            return None
        m = next((m for m in mentions if m["tok_start"] <= subj.i < m["tok_end"] and m["actor_id"]), None)
        if m is None:
            return None
        actor = actors[m["actor_id"]]
        if actor["kind"] in ("state", "organisation", "armed_group", "igo", "media"):
            return actor
        if actor["kind"] == "person" and actor.get("country") and self.kb.get(actor["country"]) \
                and self.kb.get(actor["country"]).kind == "state":
            state = self._known(actor["country"])
            actors.setdefault(state["id"], state)
            return actors[state["id"]]
        return None

    def _references(self, doc, add, taken, mentions, actors):
        for tok in doc:
            if taken[tok.i]:
                continue
            lower = tok.lower_
            kinds = None
            if tok.pos_ == "PRON" and lower in PERSON_PRONOUNS:
                kinds = ("person",)
            elif tok.pos_ == "PRON" and lower == "it" and tok.head.lemma_ == "be" and not (
                    # "Syria says it is willing to withdraw": reported speech about the speaker
                    tok.head.dep_ == "ccomp" and tok.dep_ == "nsubj"
                    and any(c.dep_ in ("acomp", "attr") and c.i > tok.i for c in tok.head.children)
                    and self._governing_subject(doc, tok, mentions, actors) is not None):
                continue  # "It could be that ...", "It is nothing but ...": no referent
            elif tok.pos_ == "PRON" and lower in GROUP_PRONOUNS:
                kinds = ("state", "organisation", "armed_group", "igo", "media")
            elif tok.pos_ == "PRON" and lower in PLURAL_PRONOUNS:
                kinds = ("armed_group", "group")
            elif tok.pos_ == "NOUN" and lower in REFERRING and any(c.lower_ == "the" for c in tok.children) \
                    and not any(c.dep_ in ("amod", "compound", "poss") for c in tok.children):
                kinds = REFERRING[lower]
            if not kinds:
                continue
            sent_start = tok.sent.start
            prev_start = doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
            window = [m for m in mentions if prev_start <= m["tok_start"] < tok.i and m["actor_id"]
                      and actors[m["actor_id"]]["kind"] in kinds and not m["owner"]]
            governing = self._governing_subject(doc, tok, mentions, actors) if lower in GROUP_PRONOUNS else None
            if governing is not None:
                # "Kim was preparing to expand its backing for Hamas": "its" is the subject's
                # (for a person, the state they lead), not the nearer object's.
                add(tok.i, tok.i + 1, governing, "pronoun")
                continue
            if kinds == ("person",) or lower in GROUP_PRONOUNS:
                # the nearest subject of its clause, if the window has one actor of that kind
                candidates = {m["actor_id"] for m in window}
                if len(candidates) > 1 and lower in GROUP_PRONOUNS:
                    # A subject in this sentence, else the one state named in it, before a
                    # subject of the previous sentence or a nearer object.
                    here = [m for m in window if m["tok_start"] >= sent_start]
                    subjects = [m for m in here if doc[m["head"]].dep_ in ("nsubj", "nsubjpass")]
                    states = {m["actor_id"] for m in here if actors[m["actor_id"]]["kind"] == "state"}
                    if subjects:
                        candidates = {subjects[-1]["actor_id"]}
                    elif len(states) == 1:
                        candidates = states
                if len(candidates) > 1:
                    subjects = [m for m in window if doc[m["head"]].dep_ in ("nsubj", "nsubjpass")]
                    candidates = {subjects[-1]["actor_id"]} if subjects and kinds != ("person",) else candidates
            else:
                candidates = {m["actor_id"] for m in window}
            if len(candidates) == 1:
                add(tok.i, tok.i + 1 if tok.pos_ == "PRON" else tok.i + 1, actors[candidates.pop()],
                    "pronoun" if tok.pos_ == "PRON" else "reference")
            else:
                start = tok.i - 1 if tok.pos_ == "NOUN" and tok.i > 0 and doc[tok.i - 1].lower_ == "the" else tok.i
                add(start, tok.i + 1, None, "pronoun" if tok.pos_ == "PRON" else "reference")


def _in_credit(span: Span) -> bool:
    """Inside a photo or social-media credit: "(AP Photo/Adel Hana)", "(@Israel Twitter/X)"."""
    doc = span.doc
    if "/" in span.text or any(t.lower_ in ("photo", "photos") for t in span):
        return True
    for i in range(span.start - 1, max(span.start - 8, -1), -1):
        t = doc[i]
        if t.text == "(" or t.is_sent_start:
            break
        if "/" in t.text or t.lower_ in ("photo", "photos", "credit") or t.text.startswith("@"):
            return True
    return False


def _strip(span: Span) -> Span:
    """Drop a leading "the" and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    return doc[start:end]


def _stance_prefixed(tok) -> bool:
    """"anti-Syria journalist", "pro-Iranian militia": the country is what they are for or
    against, not whose they are."""
    doc = tok.doc
    i = tok.i
    if tok.lower_.startswith(("anti-", "pro-")):
        return True
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro")


def _is_owner(span: Span) -> bool:
    root = span.root
    return root.dep_ in ("amod",) and root.head.i >= span.end


def _is_modifier(tok, head) -> bool:
    return tok.head.i == head.i or tok.head.head.i == head.i


def _dominant(countries: Counter) -> str | None:
    total = sum(countries.values())
    if not total:
        return None
    iso, n = countries.most_common(1)[0]
    return iso if n / total >= 0.6 else None


class ActorsComponent:
    """spaCy wrapper: the resolver plus per-document state."""

    def __init__(self, kb_extra: list[str] | None = None):
        register_extensions()
        self.resolver = ActorResolver(load_kb(kb_extra or None))

    def __call__(self, doc: Doc) -> Doc:
        return self.resolver(doc)


@Language.factory("claimgraph_actors", requires=["token.pos", "token.dep", "token.lemma", "doc.ents", "doc.sents"],
                  assigns=["doc._.actors", "doc._.actor_mentions"], default_config={"kb_extra": []})
def make_actors(nlp: Language, name: str, kb_extra: list[str]):
    return ActorsComponent(kb_extra)
