"""PLOVER event coding over the dependency parse: who did what to whom, through whom, when,
where, with what, and whether it happened (modality, negation).

For each sentence the component finds trigger frames (verbs, verb + particle, nominalisations,
light-verb + noun) from lexicons/events_triggers.tsv with dictionary lookups on lemmas, then
reads the actors off the parse through the `actors` component's mentions. Speech acts that are
PLOVER events (accuse, demand, threaten, agree, reject, praise ...) absorb the events in their
complement ("threatened to attack" is one THREATEN, "accused X of arming Hamas" one ACCUSE,
kept as ``content``); plain reporting verbs make no event. See docs/EVENTS.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .base import Component
from .dates import resolve_date
from .event_lexicon import Frame, Lexicon, load_lexicon
from .extensions import mention_by_token
from .learned import CLASS_CAMEO, shared_event_classifier
from .materiel import MaterielFinder
from .places import lookup_place

# Outer events whose complement is their content, not a separate event.
ABSORBERS = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
CONFLICT_MATERIAL = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
# Speech acts, whose place is where they were said, not whom they concern.
VERBAL_ONLY = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT"}
MATERIEL_TYPES = {"AID", "ASSAULT", "MOBILIZE", "THREATEN"}
VERB_TARGET_PREPS = {"to", "against", "on", "at", "with", "toward", "towards", "into", "upon", "over"}
NOUN_TARGET_PREPS = VERB_TARGET_PREPS | {"of", "for"}
OBJECT_CONTROL = {"order", "urge", "ask", "force", "persuade", "instruct", "tell", "allow", "help",
                  "encourage", "call", "press", "pressure", "direct", "invite", "compel", "push"}
# Path labels along which an embedded trigger is the content of the trigger above it.
CONTENT_PATH = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "compound", "amod",
                "nmod", "poss", "appos", "attr", "oprd", "dative", "advcl"}
CLIMB_DEPS = {"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "conj", "acl", "advcl", "attr"}
MODE_FROM_MATERIEL = {"small-arms": "firearms", "explosives": "explosives", "drones": "drone",
                      "aircraft": "aerial", "rockets-mrl": "heavy-weapons",
                      "artillery-ammunition": "heavy-weapons", "armoured-vehicles": "heavy-weapons",
                      "ballistic-missiles": "heavy-weapons", "cbrn": "unconventional",
                      "anti-tank": "heavy-weapons"}
_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|Photo|File|Image)[^()]{0,80}\)|\(@[^()]{1,80}\)|"
    r"\b(?:Photo|Image|Credit|Photograph)\s*:|\bPhoto by\b|/\s*Getty Images|\bAP Photo\b", re.I)
WEEKDAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_BYLINE = re.compile(r"^\s*(?:By|BY)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:,.*)?$")


@dataclass
class Cand:
    head: Token
    frame: Frame
    kind: str                      # "V" | "N" | "MUST"
    governor: Token | None = None  # light verb of a nominal trigger
    type: str = ""
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    absorbed_by: "Cand | None" = None
    content: "Cand | None" = None
    extra_own: list[Token] = field(default_factory=list)
    dropped: bool = False
    depth: int = 0
    preset: bool = False           # actors already read (weapons-in-hands events)
    weapons: list[int] = field(default_factory=list)  # materiel heads the event is about

    @property
    def own(self) -> set[int]:
        ids = {self.head.i}
        if self.governor is not None:
            ids.add(self.governor.i)
        ids.update(t.i for t in self.extra_own)
        return ids

    @property
    def anchor(self) -> Token | None:
        """The verb whose arguments are the event's."""
        if self.governor is not None:
            return self.governor
        return self.head if self.kind in ("V", "MUST") else None


class EventCoder(Component):
    name = "claimgraph_events"

    def __init__(self, vocab=None, lexicon: Lexicon | None = None, use_model: bool = True):
        super().__init__()
        self.lex = lexicon or load_lexicon()
        # the sentence classifier (nlp/learned.py) vetoes and adds events (_attach_model); off,
        # or with the artifact absent, the rules alone decide
        self.event_model = shared_event_classifier() if use_model else None
        # the CAMEO code a model-added event of a type gets: the one the type's triggers use most
        uses: dict[tuple[str, str], int] = {}
        for rows in self.lex.frames.values():
            for f in rows:
                if f.type and f.cameo and f.cameo[:1].isdigit():
                    uses[(f.type, f.cameo)] = uses.get((f.type, f.cameo), 0) + 1
        self.model_cameo: dict[str, str] = {}
        for (type_, code), _n in sorted(uses.items(), key=lambda kv: (-kv[1], len(kv[0][1]), kv[0][1])):
            self.model_cameo.setdefault(type_, code)
        self.materiel = MaterielFinder(vocab) if vocab is not None else None
        cue = self.lex.cue
        self.light = cue("light_verb")
        self.report = cue("report_verb")
        self.agentive = cue("agentive")
        self.loc_preps = cue("loc_prep")
        self.via_preps = cue("via_prep")
        self.quantity = cue("quantity")
        self.adjunct_preps = cue("adjunct_prep")
        self.disparage = cue("disparage")
        self.place_nouns = cue("place_noun")
        self.hold_verbs, self.reach_verbs, self.find_verbs = cue("hold_verb"), cue("reach_verb"), cue("find_verb")
        self.hold_nouns, self.stock_nouns = cue("hold_noun"), cue("stock_noun")
        self.make_verbs, self.origin_nouns = cue("make_verb"), cue("origin_noun")

    # ------------------------------------------------------------------ document
    def process(self, doc: Doc) -> None:
        if self.materiel is None:
            self.materiel = MaterielFinder(doc.vocab)
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt from the tokens on every access
        self.mentions = mention_by_token(doc)
        self.actors = doc._.actors or {}
        self.mat = self.materiel.find(doc)
        self.mat_heads = {m["head"]: m for m in self.mat}
        self.published = doc._.published
        captions = self._caption_sentences(doc)
        sents = list(doc.sents)
        # Entities per sentence, computed once: Span.ents rescans the whole document.
        self.ents_in: dict[int, list[Span]] = {s.start: [] for s in sents}
        self.date_tokens: set[int] = set()
        starts = [s.start for s in sents]
        import bisect
        for ent in doc.ents:
            k = bisect.bisect_right(starts, ent.start) - 1
            self.ents_in[starts[k]].append(ent)
            if ent.label_ in ("DATE", "TIME"):
                self.date_tokens.update(range(ent.start, ent.end))
        events: list[dict] = []
        self._prior = events  # earlier sentences' events, for weapons the text refers back to
        coded: list[tuple[Span, bool, list[dict]]] = []
        for sent in sents:
            caption = sent.start in captions
            mine = [self._to_dict(cand, sent, caption) for cand in self._code_sentence(sent)]
            events.extend(mine)
            coded.append((sent, caption, mine))
        if self.event_model is not None:
            events = self._attach_model(coded)
        self._inherit_dates(events)
        doc._.events = events

    def _attach_model(self, coded: list[tuple[Span, bool, list[dict]]]) -> list[dict]:
        """The sentence classifier decides whether and which event a sentence holds; the rules
        still find source, target and via (EventClassifier.decide): in a sentence the model
        confidently calls a statement, rule events of a class it rejects are dropped; a sentence
        left without a rule event gets one of the model's confident class on its main predicate.
        ``event["model"]``: the classifier's view of the sentence (P of the event's type, the
        5-way class and its P). Sentences with neither a rule event nor an actor mention are not
        scored: the model could not add an event there."""
        need_actor = self.event_model.decision["need_actor"]
        scored = [k for k, (sent, caption, evs) in enumerate(coded)
                  if evs or (not caption and (not need_actor
                                              or any(i in self.mentions for i in range(sent.start, sent.end))))]
        preds = dict(zip(scored, self.event_model.predict([coded[k][0] for k in scored]))) if scored else {}
        out: list[dict] = []
        for k, (sent, caption, evs) in enumerate(coded):
            pred = preds.get(k)
            if pred is None:
                out.extend(evs)
                continue
            decision = self.event_model.decide(pred, evs)
            drop = set(decision["drop"])
            kept = [ev for i, ev in enumerate(evs) if i not in drop]
            if decision["add"] and not caption:
                added = self._model_event(sent, decision["add"], decision["class"], decision["p"])
                if added is not None:
                    kept.append(added)
            quad = pred["quad_label"]
            for ev in kept:
                ev["model"] = {"type_p": pred["types"].get(ev.get("type")), "quad": quad,
                               "quad_p": pred["quad"][quad]}
            out.extend(kept)
        return out

    def _model_event(self, sent: Span, type_: str, klass: int | None, p: float) -> dict | None:
        """An event of the model's type on the sentence's main predicate, its actors read by
        the same argument rules as a rule event's. None when no actor takes part (an event
        record without a participant says nothing a user of event data could use)."""
        head = self._main_predicate(sent)
        kind = "V" if head.pos_ in ("VERB", "AUX") else "N"
        cameo = CLASS_CAMEO.get(type_, {}).get(klass) or self.model_cameo.get(type_)
        c = Cand(head, Frame(head.lemma_.lower(), kind, None, None, type_, None, (), cameo, False), kind)
        c.type, c.cameo = type_, cameo
        self._arguments(c, {})
        if self.event_model.decision["need_actor"] and not (c.source or c.target):
            return None
        event = self._to_dict(c, sent, False)
        event["origin"] = "model"
        # the model's certainty, not the rules' trigger-kind score, says how sure this event is
        event["confidence"] = round(max(0.05, min(0.99, p)), 2)
        return event

    def _main_predicate(self, sent: Span) -> Token:
        """The sentence's root; for a reporting root ("officials said Israel struck ..."), the
        reported clause, since the report itself is no event."""
        root = sent.root
        if root.lemma_.lower() in self.report:
            comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
            if comp is not None:
                return comp
        return root

    # ------------------------------------------------------------------ captions
    def _caption_sentences(self, doc: Doc) -> set[int]:
        """Sentence starts inside photo captions, credits and bylines."""
        text = doc.text
        if not _CREDIT.search(text) and not _BYLINE.search(text.split("\n", 1)[0]):
            return set()
        spans = []
        pos = 0
        for para in text.split("\n"):
            start, end = pos, pos + len(para)
            pos = end + 1
            hit = _CREDIT.search(para)
            if hit and len(para) <= 700:
                spans.append((start, end))
            elif hit:
                spans.append((start + hit.start(), start + hit.end()))
            elif _BYLINE.match(para) and len(para) < 80:
                spans.append((start, end))
        starts = set()
        for sent in doc.sents:
            s, e = sent.start_char, sent.end_char
            if any(s < b and e > a for a, b in spans):
                starts.add(sent.start)
        return starts

    # ------------------------------------------------------------------ triggers
    def _frame(self, tok: Token, pos: str, governor: Token | None) -> Frame | None:
        rows = self.lex.frames.get((tok.lemma_.lower(), pos)) or self.lex.frames.get((tok.lower_, pos))
        joined = self._hyphen_word(tok)
        if joined and (joined, pos) in self.lex.frames:
            # "cease-fire", "build-up", "pull-out" are spelt both ways; the joined word decides
            rows = self.lex.frames[(joined, pos)]
        if not rows:
            return None
        for frame in rows:
            if frame.prt and not self._has_prt(tok, frame.prt):
                continue
            if frame.cond and not self._cond(tok, frame.cond, governor):
                continue
            return frame if frame.type else None
        return None

    @staticmethod
    def _acts_on(frame: Frame) -> bool:
        """The frame is chosen by what the verb acts on (obj:CLASS, xcomp:CLASS)."""
        cond = frame.cond or ""
        return cond.startswith("obj:") or (cond.startswith("xcomp:") and cond != "xcomp:any")

    @staticmethod
    def _hyphen_word(tok: Token) -> str | None:
        """"cease-fire" → "ceasefire" when the tokenizer split a hyphenated noun."""
        if tok.i < 2:
            return None
        doc = tok.doc
        hyphen, first = doc[tok.i - 1], doc[tok.i - 2]
        if hyphen.text != "-" or hyphen.whitespace_ or first.whitespace_:
            return None
        return first.lower_ + tok.lemma_.lower()

    @staticmethod
    def _has_prt(tok: Token, prt: str) -> bool:
        if any(c.lower_ == prt and (c.dep_ in ("prt", "prep", "agent", "dative") or c.pos_ == "ADJ")
               for c in tok.children):
            return True  # an adjective completes the verb too: "set free", "found X guilty"
        # a particle or resultative adjective right after the verb ("rolled back tariffs", "set
        # free three activists") is often parsed as an adverb, a modifier of the object or a clause
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return nxt is not None and nxt.lower_ == prt and (nxt.pos_ == "ADJ" or nxt.dep_ == "advmod")

    def _objects(self, tok: Token) -> list[Token]:
        objs = []
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "iobj"):
                objs.append(c)
            elif c.dep_ == "dative":
                objs.extend(p for p in c.children if p.dep_ == "pobj") if c.pos_ == "ADP" else objs.append(c)
            elif c.dep_ == "prep" and tok.pos_ in ("NOUN", "PROPN") and c.lower_ == "of":
                objs.extend(p for p in c.children if p.dep_ == "pobj")
            elif c.dep_ == "prt":
                objs.extend(p for p in c.children if p.dep_ == "pobj")
        if tok.dep_ == "acl" and tok.tag_ == "VBN":  # reduced passive: "weapons sold to Hamas"
            objs.append(tok.head)
        if tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            objs += [c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass")]
        # "700 kg of medicine", "a state of emergency", "part of the aid programme": the
        # measure or container noun stands between the verb and what it acts on
        objs += [p for o in list(objs) if o.lemma_.lower() in self.quantity
                 for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
                 for p in c.children if p.dep_ == "pobj"]
        more = []
        for o in objs:
            more.extend(c for c in o.children if c.dep_ == "conj")
            more.extend(c for c in o.children if c.dep_ == "compound")
        return objs + more

    def _is_class(self, tok: Token, name: str) -> bool:
        if name == "any":
            return True
        if name == "weapon" and tok.i in self.mat_heads and self.mat_heads[tok.i]["category"] != "training-advisers":
            return True
        return self.lex.in_class(tok.lemma_.lower(), name) or self.lex.in_class(tok.lower_, name)

    def _cond(self, tok: Token, cond: str, governor: Token | None) -> bool:
        kind, _, arg = cond.partition(":")
        names = arg.split("|") if arg else []
        if kind == "lv":
            return governor is not None
        if kind == "obj":
            return any(self._is_class(o, n) for o in self._objects(tok) for n in names)
        if kind == "subj":
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            return any(self._is_class(s, n) or any(self._is_class(c, n) for c in s.children if c.dep_ in ("compound", "amod"))
                       for s in subj for n in names)
        if kind == "mod":
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "npadvmod")]
            return any(self._is_class(m, n) for m in mods for n in names)
        if kind == "prep":
            return any(c.dep_ == "prep" and c.lower_ in names for c in tok.children)
        if kind == "under":  # the noun is the object of one of these prepositions: "on alert"
            return tok.dep_ == "pobj" and tok.head.lower_ in names
        if kind == "aim":  # what the act serves: "deployed troops to the UN peacekeeping mission"
            return any(self._is_class(w, n) for c in tok.children
                       if c.dep_ == "prep" and c.lower_ in ("to", "as", "for", "into", "with", "on", "in")
                       for p in c.children if p.dep_ == "pobj"
                       for w in [p, *(x for x in p.children if x.dep_ in ("compound", "amod"))] for n in names)
        if kind == "gov":  # the verb taking the noun: "provided support" is aid, "set fire to" arson
            verb = governor if governor is not None else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
            return verb is not None and verb.lemma_.lower() in names
        if kind == "xcomp":
            # "allow X to participate" often comes parsed as a to-infinitive ccomp
            return any((c.dep_ == "xcomp" or (c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "to"
                                                                        for a in c.children)))
                       and (names == ["any"] or any(self._is_class(c, n) for n in names))
                       for c in tok.children)
        return False

    def _governor(self, tok: Token) -> Token | None:
        t = tok
        while t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN"):
            t = t.head
        # "provide 25,000 tons of food aid": the measure noun stands between verb and event
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in self.quantity:
            t = t.head.head
        head = t.head
        if t.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX") \
                and head.lemma_.lower() in self.light:
            return head
        if t.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "to") \
                and head.head.lemma_.lower() in ("engage", "participate", "resort"):
            return head.head
        # "went on strike", "remained on alert", "used civilians as human shields"
        if t.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and (
                (head.lower_ == "on" and head.head.lemma_.lower() in ("go", "remain", "stay", "be", "put", "place", "keep"))
                or (head.lower_ == "as" and head.head.lemma_.lower() in ("use", "hold", "take", "keep"))):
            return head.head
        # "the trade that North Korea does with Hamas": the relative clause's light verb
        for c in tok.children:
            if c.dep_ == "relcl" and c.lemma_.lower() in self.light:
                return c
        return None

    def _code_sentence(self, sent: Span) -> list[Cand]:
        cands: list[Cand] = []
        by_head: dict[int, Cand] = {}
        for tok in sent:
            pos = tok.pos_
            if pos == "VERB":
                frame = self._frame(tok, "V", None)
                if frame:
                    cands.append(Cand(tok, frame, "V"))
                if any(c.dep_ == "aux" and c.lower_ == "must" for c in tok.children) \
                        and tok.dep_ == "ccomp" and tok.head.lemma_.lower() in self.report:
                    must = next(c for c in tok.children if c.lower_ == "must")
                    cands.append(Cand(must, Frame("must", "V", None, None, "REQUEST", None, (), "100", False),
                                      "MUST", extra_own=[tok.head]))
            elif pos in ("NOUN", "PROPN") and tok.dep_ != "compound" and not (
                    tok.dep_ == "attr" and tok.head.lemma_ == "be"):
                gov = self._governor(tok)
                frame = self._frame(tok, "N", gov)
                if frame:
                    cands.append(Cand(tok, frame, "N", governor=gov))
            if pos == "VERB" and tok.lemma_.lower() in self.report:
                disparaged = self._disparaged(tok)
                if disparaged is not None:
                    cands.append(disparaged)
        if not cands and not any(sent.start <= m["head"] < sent.end for m in self.mat):
            return []
        for c in cands:
            by_head[c.head.i] = c
        # A light verb that is itself a trigger ("send aid", "launch an attack") yields to its
        # noun, unless it is a speech act that takes the noun as content ("offered aid").
        for c in cands:
            if c.kind == "N" and c.governor is not None and c.governor.i in by_head:
                verb = by_head[c.governor.i]
                if verb.frame.type != c.frame.type and self._acts_on(verb.frame) and (
                        verb.frame.prt or verb.head.lemma_.lower() not in self.light):
                    c.dropped = True  # "gave up fighting" ends the fighting ("imposed sanctions" does them)
                elif verb.frame.type not in ABSORBERS:
                    verb.dropped = True
                else:
                    c.governor = None
        # A verb whose frame was chosen for its object ("suspended aid", "ended the fighting",
        # "stopped fighting", "cancelled the talks") is the event; the event it takes is what
        # it acts on.
        acted_on = {o.i for c in cands if c.kind == "V" and self._acts_on(c.frame)
                    for o in (self._objects(c.head) if c.frame.cond.startswith("obj:")
                              else [x for x in c.head.children if x.dep_ == "xcomp"])}
        mute = self._statement_region(sent)
        cands = [c for c in cands if not c.dropped and c.head.i not in mute
                 and not (c.governor is None and c.kind in ("N", "V") and c.head.i in acted_on)]
        for c in cands:
            c.type, c.mode, c.context, c.cameo = c.frame.type, c.frame.mode, list(c.frame.context), c.frame.cameo
        heads = {c.head.i: c for c in cands}
        for c in cands:
            self._arguments(c, heads)
        self._weapons_in_hands(sent, cands, heads)
        if not cands:
            return []
        self._absorb(cands, heads)
        result = [c for c in cands if c.absorbed_by is None and not c.dropped]
        for c in result:
            c.depth = self._prominence(c)
        # A sentence reports one main event; the events of its adverbial, relative and
        # prepositional dependents ("after two days of fighting", "a resolution that aims to
        # tighten sanctions") are background, kept only when both their actors are named.
        if result:
            top = min(c.depth for c in result)
            result = [c for c in result if c.depth == top or (c.source and c.target)]
        result = [c for c in result if self._announced(c)]
        # A protest's stated aim ("rallied to demand reforms", "blocked roads, saying he must
        # resign") is what the protest is about, not a second, verbal event.
        protests = [c for c in result if c.type == "PROTEST"]
        if protests:
            result = [c for c in result if not (c.type in ("REQUEST", "ACCUSE", "REJECT") and any(
                self._aim_of(p, c) for p in protests))]
        return result

    @staticmethod
    def _aim_of(outer: Cand, inner: Cand) -> bool:
        top = outer.anchor or outer.head
        if top.i == outer.head.i and outer.kind == "N" and top.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
            top = top.head  # the verb of "staged a rally to demand"
        t, adverbial = inner.anchor or inner.head, False
        for _ in range(8):
            if t.i == top.i:
                return adverbial
            if t.head.i == t.i or t.dep_ in ("nsubj", "nsubjpass"):
                return False
            adverbial = adverbial or t.dep_ in ("advcl", "xcomp", "acl")
            t = t.head
        return False

    # Statements about events are not events (CAMEO 01): the content of condolences, concern,
    # hopes, claimed responsibility, a denied accusation or a declined comment.
    _NOT_CONTENT = {"nsubj", "nsubjpass", "conj", "cc", "advcl", "punct", "mark"}

    def _statement_region(self, sent: Span) -> set[int]:
        cue = self.lex.cue
        region: set[int] = set()

        def content_of(verb: Token) -> None:
            region.add(verb.i)
            for ch in verb.children:
                if ch.dep_ not in self._NOT_CONTENT:
                    region.update(t.i for t in ch.subtree)

        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("NOUN", "ADJ") and (lemma in cue("statement_word") or tok.lower_ in cue("statement_word")):
                region.update(t.i for t in tok.subtree if t.i != tok.i)
                if tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
                    # "offered condolences after the attack": the verb and its adjuncts too
                    head = tok.head
                    region.add(head.i)
                    for ch in head.children:
                        if ch.dep_ not in ("nsubj", "nsubjpass", "conj", "cc", "punct"):
                            region.update(t.i for t in ch.subtree)
            elif tok.pos_ == "VERB" and lemma in cue("statement_verb"):
                content_of(tok)
            elif tok.pos_ == "VERB" and lemma in cue("deny_verb") and any(
                    self._is_class(o, "claim") for o in self._objects(tok)):
                content_of(tok)  # "rejected accusations that ..." denies, it rejects nothing
            elif tok.pos_ == "VERB" and lemma in ("decline", "refuse") and any(
                    x.dep_ == "xcomp" and x.lemma_.lower() in cue("statement") for x in tok.children):
                content_of(tok)  # "declined to comment on the talks"
        return region

    # Promised acts are coded as the promise (PLOVER AGREE, THREATEN, REJECT), not the act.
    _THREAT_MODE = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations", "PROTEST": "relations"}

    def _announced(self, c: Cand) -> bool:
        """A stated intention to act is the statement's event: intent to cooperate or yield is
        AGREE ("is willing to withdraw its troops", "will release the hostages"), intent to
        coerce, sanction, attack or boycott THREATEN ("will impose a curfew", "would boycott the
        talks", "may halt mediation if ..."), and stated unwillingness to cooperate or yield
        REJECT ("will not accept refugees", "failed to reach agreement"). False: no event ("will
        tolerate" is a threat only when negated)."""
        kind = c.type
        if c.frame.lemma in self.lex.cue("neg_threat"):
            return self._negated_raw(c)
        if c.kind not in ("V", "N") or kind in ("THREATEN", "REJECT", "REQUEST", "ACCUSE"):
            return True
        if (c.anchor or c.head).dep_ in ("acl", "relcl", "amod", "advcl", "pcomp", "pobj"):
            return True  # "weapons seized last year", "the curfew imposed after ...": not the promise's scope
        negated = self._negated_raw(c)
        if kind == "AGREE" and not negated:
            return True
        modality, how = self._modality(c)
        intended = modality == "planned" and (self._future_tense(c) or self._intent_verb(c))
        conditional = modality == "hypothetical" and how == "aux" and self._conditioned(c)
        if negated:
            if kind == "AGREE" or (intended and kind in COOPERATIVE | {"RETREAT", "CONCEDE"}):
                c.mode = ("yield" if kind in ("RETREAT", "CONCEDE") else "meet" if kind in ("CONSULT", "AGREE")
                          else "assist")
                c.type, c.cameo = "REJECT", "120"
            return True
        if not (intended or conditional):
            return True
        if kind in COOPERATIVE | {"RETREAT", "CONCEDE"} and intended:
            c.type, c.cameo = "AGREE", ("035" if kind in ("RETREAT", "CONCEDE") else "030")
        elif kind in ("ASSAULT", "COERCE", "SANCTION") or (kind == "PROTEST" and c.mode in ("boycott", "strike")):
            c.mode = self._THREAT_MODE[kind]
            c.type, c.cameo = "THREATEN", "130"
            if kind == "ASSAULT" and "military" not in c.context:
                c.context.append("military")
        return True

    def _intent_verb(self, c: Cand) -> bool:
        """"plans/intends/vows to impose": a stated plan, unlike "prepares/seeks to"."""
        return any(came == "xcomp" and tok.lemma_.lower() in ("plan", "intend", "vow", "swear", "pledge")
                   for tok, came in self._chain(c))

    @staticmethod
    def _conditioned(c: Cand) -> bool:
        t = c.anchor or c.head
        return any(ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in ch.children)
                   for ch in t.children)

    # Links that keep a clause as prominent as its head: coordination, complement clauses
    # ("said it will support", "is willing to send") and adjectival predicates.
    _FLAT_DEPS = {"conj", "ccomp", "xcomp", "parataxis", "acomp", "ROOT"}

    def _prominence(self, c: Cand) -> int:
        """How deeply the event sits below its sentence's main clause: 0 for the root verb and
        the clauses coordinated with or complementing it; +1 for each adverbial, relative or
        prepositional step, +1 for a noun event with no light verb."""
        t = c.anchor or c.head
        depth = 0 if (c.kind != "N" or c.governor is not None) else 1
        for _ in range(12):
            if t.head.i == t.i:
                break
            dep = t.dep_
            if dep in self._FLAT_DEPS and t.pos_ in ("VERB", "AUX", "ADJ") and t.head.pos_ in ("VERB", "AUX", "ADJ"):
                pass
            elif dep == "conj":
                pass
            elif t.i == c.head.i and c.kind == "N" and c.governor is None and dep in ("dobj", "nsubjpass", "attr", "nsubj"):
                pass  # a bare noun argument of the main verb is as prominent as the clause
            else:
                depth += 1
            t = t.head
        return depth

    _DISPARAGE_PATH = {"amod", "acomp", "compound", "nmod", "pobj", "prep", "dobj", "nsubj", "attr",
                       "oprd", "conj", "appos", "agent", "poss", "advmod"}

    def _disparaged(self, verb: Token) -> Cand | None:
        """A reporting verb whose content disparages an actor ("a groundless and false rumour
        spread by the U.S. press", "Israel's criminal actions") is that speaker's ACCUSE."""
        region: list[Token] = []
        for clause in verb.children:
            if clause.dep_ == "ccomp":
                region.extend(clause.subtree)
        sent = verb.sent
        quoted, current, inside = [], [], False
        for tok in sent:
            if tok.lower_ in ('"', "\u201c", "\u201d", "``", "''"):
                inside = not inside if tok.lower_ == '"' else tok.lower_ in ("\u201c", "``")
                if len(current) >= 4:  # scare quotes ("a \u201ccommentary\u201d") are not speech
                    quoted.extend(current)
                current = []
                continue
            if inside:
                current.append(tok)
        if quoted and verb not in quoted:
            region.extend(quoted)
        if not region:
            return None
        region_ids = {t.i for t in region}
        for w in sorted(set(region), key=lambda t: t.i):
            if w.lemma_.lower() not in self.disparage and w.lower_ not in self.disparage:
                continue
            noun = w
            while noun.dep_ == "conj" and noun.pos_ == "ADJ" and noun.head is not noun:
                noun = noun.head
            if noun.dep_ in ("amod", "acomp", "advmod") and noun.pos_ in ("ADJ", "ADV", "NOUN", "VERB"):
                noun = noun.head
            target = self._owner_of(noun) or [a for c in noun.children if c.dep_ in ("compound", "nmod")
                                              for a in [self._actor_at(c, owner_ok=True)] if a]
            if not target:
                for m in self.doc._.actor_mentions or []:
                    if m.get("actor_id") and not str(m["actor_id"]).startswith("cg:") \
                            and m["head"] in region_ids and m["head"] < w.i:
                        target = [m["actor_id"]]
                        break
            if not target:
                continue
            frame = Frame(w.lemma_.lower(), "V", None, None, "ACCUSE", "disapprove", (), "111", False)
            cand = Cand(w, frame, "DISP", extra_own=[verb])
            speakers = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in region_ids]
            cand.source = [a for c in speakers for a in (self._actors_of(c) or self._owner_of(c))]
            cand.target = [a for a in target if a not in cand.source]
            return cand if cand.target else None
        return None

    # ------------------------------------------------------------------ actors
    def _actor_at(self, tok: Token, owner_ok: bool) -> str | None:
        m = self.mentions.get(tok.i)
        if m and m.get("actor_id") and (owner_ok or not m.get("owner")):
            # A bare role noun ("troops", "officials", "civilians") with no country or
            # organisation behind it is not an actor the event can name.
            if m.get("how") == "role" and str(m["actor_id"]).startswith("cg:"):
                return None
            return m["actor_id"]
        return None

    def _actors_of(self, tok: Token | None, depth: int = 0) -> list[str]:
        if tok is None or depth > 6:
            return []
        if tok.pos_ == "ADP":
            out = []
            for p in tok.children:
                if p.dep_ == "pobj":
                    out += self._actors_of(p, depth + 1)
            return out
        out: list[str] = []
        found = self._actor_at(tok, owner_ok=False)
        if found and not self._has_country(found):
            # "British Defence Secretary Tom King", "King Hassan of Morocco": a person or body
            # the KB does not know, whose modifier says whose it is; or whose apposition does
            # ("Salaheddine Sidhoum, Algeria's leading human rights activist").
            found = self._modifier_actor(tok) or self._appositive_actor(tok) or found
        if found:
            out.append(self._resident_state(tok, found) or found)
        else:
            lemma = tok.lemma_.lower()
            if lemma in self.agentive or tok.lower_ in self.agentive or (
                    tok.pos_ == "PROPN" and tok.i not in self.mat_heads):
                a = self._modifier_actor(tok)
                if a:
                    out.append(a)
            if lemma in self.quantity or tok.pos_ == "NUM":
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        out += self._actors_of(c, depth + 1)
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("as", "including", "like"):
                    out += self._actors_of(c, depth + 1)
                elif c.dep_ == "appos":
                    # "A member of the Syrian parliament, Mohammed Mamoun": a name the KB lacks
                    # adds nothing to the country its head already gave
                    out += [a for a in self._actors_of(c, depth + 1) if not out or self._has_country(a)]
                elif c.dep_ == "amod" and c.lower_ == "such":
                    out += [a for p in c.children if p.dep_ == "prep" for a in self._actors_of(p, depth + 1)]
        if out:
            # "Hungarian and Romanian officials", "U.S. and Russian negotiators": one group of
            # two countries' people, each country an actor of its own.
            out += self._coordinated_modifiers(tok, out[0])
        for c in tok.children:
            if c.dep_ == "conj":
                out += self._actors_of(c, depth + 1)
        return list(dict.fromkeys(out))

    def _coordinated_modifiers(self, tok: Token, found: str) -> list[str]:
        out = []
        for m in tok.children:
            if m.dep_ in ("amod", "compound", "nmod") and m.i < tok.i:
                for c in m.children:
                    if c.dep_ == "conj" and c.i < tok.i:
                        a = self._headed_actor(c)
                        if a and a != found and self._has_country(a):
                            out.append(a)
        return out

    def _headed_actor(self, tok: Token) -> str | None:
        """The actor of the mention headed by ``tok``, even inside a wider mention ("Romanian"
        in the group "Hungarian and Romanian officials")."""
        for m in self.doc._.actor_mentions or []:
            if m["head"] == tok.i and m.get("actor_id"):
                return m["actor_id"]
        return self._actor_at(tok, owner_ok=True)

    def _appositive_actor(self, tok: Token) -> str | None:
        for c in tok.children:
            if c.dep_ != "appos":
                continue
            a = self._actor_at(c, owner_ok=False)
            if a and self._has_country(a):
                return a
            for a in self._owner_of(c) + [self._modifier_actor(c)]:
                if a and self._has_country(a):
                    return a
        return None

    def _national_modifier(self, tok: Token) -> list[str]:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        out = []
        for m in tok.children:
            if m.dep_ in ("amod", "compound", "nmod") and m.i < tok.i:
                a = self._actor_at(m, owner_ok=True)
                if a is None and m.lemma_.lower() == "lead":
                    # "Vietnamese-led forces": the forces of the state that leads them
                    a = next((x for d in m.children for x in [self._actor_at(d, owner_ok=True)]
                              if self._is_state(x)), None)
                # states and IGOs field forces and equipment ("U.N. helicopters", "the APEC forum")
                if self._is_state(a) or (a and (self.actors.get(a) or {}).get("kind") == "igo"):
                    out.append(a)
                    out += self._coordinated_modifiers(tok, a)
                    break
        return list(dict.fromkeys(out))

    def _resident_state(self, tok: Token, found: str) -> str | None:
        """"Ethnic Albanians in south Serbia", "the Albanians of southern Serbia": a people
        named by its nationality but placed in another state is coded, as PLOVER and CAMEO
        code minorities, by the state it lives in."""
        m = self.mentions.get(tok.i) or {}
        if m.get("how") != "demonym" or m.get("owner") or not self._is_state(found):
            return None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "of"):
                for p in c.children:
                    a = self._actor_at(p, owner_ok=True) if p.dep_ == "pobj" else None
                    if self._is_state(a) and a != found:
                        return a
        return None

    def _has_country(self, actor_id: str) -> bool:
        info = self.actors.get(actor_id) or {}
        return bool(info.get("country")) or not str(actor_id).startswith("cg:")

    def _modifier_actor(self, tok: Token) -> str | None:
        """The country-bearing actor among a noun's modifiers, searched down its compound
        chain ("Serbian President Vojislav Kostunica") and in "of X" ("King Hassan of Morocco")."""
        frontier = [tok]
        for _ in range(3):
            nxt = []
            for t in frontier:
                for c in t.children:
                    if c.dep_ in ("compound", "amod", "nmod", "poss") and c.i < tok.i:
                        a = self._actor_at(c, owner_ok=True)
                        if a and self._has_country(a):
                            return a
                        nxt.append(c)
            frontier = nxt
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        a = self._actor_at(p, owner_ok=True)
                        if a and self._has_country(a):
                            return a
        return None

    def _owner_of(self, tok: Token) -> list[str]:
        """The actor behind a non-actor subject: "North Korea's response", "a commentary in
        KCNA", "officials from Seoul's NIS"."""
        for c in tok.children:
            if c.dep_ == "poss":
                found = self._actors_of(c)
                if found:
                    return found
        for c in tok.children:
            # "violations by the Israeli military": the doer owns the deed
            if c.dep_ == "prep" and c.lower_ in ("in", "of", "from", "at", "with", "by"):
                found = self._actors_of(c) or [a for p in c.children if p.dep_ == "pobj"
                                               for a in self._national_modifier(p)]
                if found:
                    return found
        return []

    def _subject(self, v: Token, heads: dict, depth: int = 0) -> list[str]:
        if depth > 4:
            return []
        children = list(v.children)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children) or (v.dep_ == "acl" and v.tag_ == "VBN")
        if passive:
            for c in children:
                if c.dep_ == "agent":
                    return self._actors_of(c)
            if v.lemma_.lower() in ("engage", "involve"):
                # "Serb forces were engaged in ethnic cleansing": a state, not a passive
                for c in children:
                    if c.dep_ == "nsubjpass":
                        return self._actors_of(c) or self._national_modifier(c)
            if v.dep_ == "acl" or any(c.dep_ == "nsubjpass" for c in children):
                return []
        for c in children:
            if c.dep_ in ("nsubj", "csubj", "expl"):
                if c.lower_ in ("which", "who", "that") and v.dep_ == "relcl":
                    return self._actors_of(v.head)
                inner = heads.get(c.i)
                if inner is not None and inner.kind == "N":
                    inner.dropped = inner.dropped or inner.type == heads.get(v.i, inner).type
                    return inner.source or self._actors_of(c)
                # "Israeli tanks fired", "Serb forces killed": the doer is the state whose
                # forces or equipment the subject names.
                return self._actors_of(c) or self._owner_of(c) or self._national_modifier(c)
        dep = v.dep_
        head = v.head
        if dep == "relcl":
            return self._actors_of(head)
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
            own = self._actors_of(head)
            if own:
                return own
            if head.dep_ in ("dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
                return self._subject(head.head, heads, depth + 1)
            return []
        if dep == "xcomp":
            if head.lemma_.lower() in OBJECT_CONTROL:
                for c in head.children:
                    if c.dep_ in ("dobj", "dative"):
                        return self._actors_of(c)
            return self._subject(head, heads, depth + 1)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            return self._subject(head, heads, depth + 1)
        if dep in ("acomp", "attr") and head.pos_ in ("VERB", "AUX"):
            return self._subject(head, heads, depth + 1)
        if dep == "advcl" and not any(c.dep_ == "mark" for c in children) and (
                v.tag_ in ("VBG", "VBN") or any(c.dep_ == "aux" and c.lower_ == "to" for c in children)):
            return self._subject(head, heads, depth + 1)  # "to help", "citing", "backed by"
        if dep == "pcomp" and head.pos_ == "ADP":
            owner = head.head
            if owner.pos_ in ("VERB", "AUX"):
                return self._subject(owner, heads, depth + 1)
            if owner.pos_ in ("NOUN", "PROPN"):
                poss = [a for c in owner.children if c.dep_ == "poss" for a in self._actors_of(c)]
                if poss:
                    return poss
                if owner.dep_ in ("dobj", "attr", "nsubjpass") and owner.head.pos_ in ("VERB", "AUX"):
                    return self._subject(owner.head, heads, depth + 1)
                if owner.dep_ == "pobj" and owner.head.head.pos_ in ("VERB", "AUX"):
                    return self._subject(owner.head.head, heads, depth + 1)
        return []

    def _nominal_source(self, c: Cand, heads: dict) -> list[str]:
        h = c.head
        out: list[str] = []
        date_tokens = self.date_tokens
        # "North Korea is expanding its support for Hamas": a possessive pronoun on the
        # object binds to the clause's own subject, whatever the pronoun resolver says.
        if h.dep_ == "dobj" and h.head.pos_ == "VERB" and any(
                ch.dep_ == "poss" and ch.tag_ == "PRP$" and ch.lower_ in ("its", "their") for ch in h.children):
            bound = self._subject(h.head, heads)
            if bound:
                return bound
        for ch in h.children:
            if ch.dep_ == "poss" or (ch.dep_ in ("compound", "nmod", "amod") and ch.i not in date_tokens):
                a = self._actor_at(ch, owner_ok=True)
                if a is None and ch.dep_ == "poss":
                    out += self._actors_of(ch)
                elif a:
                    out.append(a)
            elif ch.dep_ == "prep" and (ch.lower_ == "by" or (ch.lower_ == "from" and c.type in ("AID", "COOPERATE"))):
                out += self._actors_of(ch)
            elif ch.dep_ == "relcl" and c.governor is ch:
                continue
        if out:
            return list(dict.fromkeys(out))
        if c.governor is not None:
            return self._subject(c.governor, heads)
        # "denied any involvement or support for the attack": a bare nominal object shares
        # the clause's subject.
        t = h
        while t.dep_ in ("conj", "appos") and t.head.pos_ in ("NOUN", "PROPN"):
            t = t.head
        v = None
        if t.dep_ in ("dobj", "nsubjpass"):
            v = t.head
        elif t.dep_ == "pobj" and t.head.dep_ == "prep" and (t.head.lower_ in ("for", "in", "of") or (
                t.head.lower_ == "on" and c.type == "CONSULT")):  # "arrived in Amman on a visit"
            v = t.head.head
            if v.pos_ == "NOUN" and (v.lemma_.lower() in self.quantity or any(x.dep_ == "nummod" for x in v.children)) \
                    and v.dep_ == "dobj":
                v = v.head  # "launched 10 days of war games"
        if v is not None and v.pos_ == "VERB" and v.lemma_.lower() not in self.report:
            return self._subject(v, heads)
        return []

    def _arguments(self, c: Cand, heads: dict) -> None:
        h, v = c.head, c.anchor
        if c.kind == "DISP" or c.preset:
            return
        if c.kind == "MUST":
            report = c.extra_own[0]
            c.source = self._subject(report, heads)
            c.target = self._actors_of(next((x for x in h.head.children if x.dep_ == "nsubj"), None))
            c.extra_own = [h.head]
            return
        if c.kind == "N":
            c.source = self._nominal_source(c, heads)
        else:
            c.source = self._subject(v, heads)
        targets: list[str] = []
        sites = [v] if v is not None else []
        if c.kind == "N":
            sites.append(h)
        for site in sites:
            is_noun = site.pos_ in ("NOUN", "PROPN")
            preps = NOUN_TARGET_PREPS if is_noun else VERB_TARGET_PREPS
            if not is_noun:
                for ch in site.children:
                    if ch.dep_ in ("dobj", "iobj") or (ch.dep_ == "nsubjpass"):
                        targets += self._actors_of(ch)
                        # "sold Russia short-range missiles": a recipient parsed as a modifier
                        for m in ch.children:
                            if m.dep_ in ("nmod", "compound") and m.i < ch.i:
                                a = self._actor_at(m, owner_ok=False)
                                if a:
                                    targets.append(a)
                    elif ch.dep_ == "dative":
                        targets += self._actors_of(ch)
            for ch in site.children:
                if ch.dep_ in ("prep", "dative") and (ch.lower_ in preps or (ch.lower_ == "from" and not is_noun)):
                    if c.frame.reverse and ch.lower_ != "to":
                        continue
                    if ch.lower_ == "from" and c.type not in ("COERCE", "ASSAULT", "SANCTION", "REQUEST"):
                        # "launched from the Gaza Strip towards Israel": the direction nests
                        for p in ch.children:
                            for q in p.children:
                                if q.dep_ == "prep" and q.lower_ in ("to", "toward", "towards", "into", "at"):
                                    targets += self._actors_of(q)
                        continue
                    targets += self._actors_of(ch)
                elif ch.dep_ == "relcl" and ch is c.governor:
                    for g in ch.children:
                        if g.dep_ == "prep" and g.lower_ in VERB_TARGET_PREPS:
                            targets += self._actors_of(g)
        if c.frame.reverse:
            givers = [a for site in sites for ch in site.children
                      if ch.dep_ == "prep" and ch.lower_ == "from" for a in self._actors_of(ch)]
            c.source, targets = givers, c.source
        aim = v if v is not None else h if c.kind == "N" else None  # "riots against Israeli policies"
        if not targets and c.type not in ("AID", "COOPERATE") and aim is not None:
            # "defended the right of Russian troops", "attacked Kampuchean guerrillas": the
            # object is not an actor but names whose it is.
            for ch in aim.children:
                if ch.dep_ in ("dobj", "nsubjpass") or (ch.dep_ == "prep" and ch.lower_ in VERB_TARGET_PREPS):
                    obj = ch if ch.dep_ != "prep" else next((p for p in ch.children if p.dep_ == "pobj"), None)
                    if obj is None or obj.i in self.mat_heads or obj.i in heads:
                        continue
                    targets += self._owner_of(obj) or [a for m in obj.children if m.dep_ in ("amod", "compound", "nmod")
                                                       for a in [self._actor_at(m, owner_ok=True)] if a]
                    if targets:
                        break
        # verb triggers only: a light verb's passive ("were engaged in ethnic cleansing") has
        # its doer as subject
        # Defaults read from no named actor are for the sentence's own events: an adverbial or
        # relative clause ("..., setting fire to their mattresses") is kept as background only
        # when the text names both its actors.
        main = self._in_main_clause(v or h)
        if not c.source and c.type == "ASSAULT" and c.kind == "V" and main:
            c.source = self._unattributed(v)
        elif not c.source and c.type in ("COERCE", "ACCUSE") and c.kind == "V" and main \
                and any(x.dep_ == "nsubjpass" for x in v.children):
            # "was arrested in Lebanon", "has been put under investigation in Italy": arrests
            # and investigations with no one named are the local state's
            c.source = self._unattributed(v, state=True)
        c.target = [a for a in dict.fromkeys(targets) if a not in c.source]
        joint = c.type in self._RECIPROCAL and len({self._country_of(a) for a in c.source} - {None}) >= 2
        if joint:
            # "Hungarian and Romanian officials agreed", "Israel and Lebanon renewed talks":
            # the parties act together; neither is the other's target, nor their own people.
            sides = {self._country_of(a) for a in c.source}
            c.target = [a for a in c.target if self._country_of(a) not in sides]
        elif not c.target and v is not None and c.kind != "N":
            c.target = self._complement_target(v, c) or self._condition_target(v, c) \
                or self._complement_target(v, c, places=True)
        elif not c.target and c.kind == "N" and c.type in CONFLICT_MATERIAL \
                and h.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "ROOT"):
            # "announced a suspension of air links with Serbia"; not in adverbials ("in the
            # worst attack of the uprising"), which are background
            c.target = self._complement_target(h, c) or self._complement_target(h, c, places=True)
        if not c.target and c.type == "CONSULT":
            c.target = self._visited(c)
        if not c.target and c.type in ("PROTEST", "COERCE") and main:
            # PLOVER's reading of a protest or a crackdown with no one named: it is aimed at
            # the government or people of the place it happens in ("a rally in Lagos", "a
            # curfew in Algiers"), else at the actor's own ("Kenyan teachers went on strike",
            # "the British government outlawed the group").
            c.target = self._place_state(c) or self._home_state(c.source)
        c.via = self._via(c)
        c.via = [a for a in dict.fromkeys(c.via) if a not in c.source and a not in c.target]

    # ------------------------------------------------------------------ weapons in hands
    # A state's weapons in someone else's hands ("Hamas used North Korean rockets", "Iranian
    # drones that reached the Houthis", "North Korean-made weapons recovered from Hamas
    # fighters") say the state armed the holder, however they got there: AID (military) from
    # the weapons' state of origin to the holder. Transfer verbs with a passive or reversed
    # frame and no giver ("the North Korean weapons were passed to Hamas", "Hamas received
    # Iranian missiles") take the same state as their source.
    @staticmethod
    def _is_state(actor_id: str | None) -> bool:
        return bool(actor_id) and len(actor_id) == 3 and actor_id.isalpha() and actor_id.isupper()

    def _weapon_at(self, tok: Token) -> Token | None:
        """The materiel head a noun stands for: itself, or X in "a stockpile of X", "some of X"."""
        low = tok.lemma_.lower()
        if low in self.stock_nouns or low in self.quantity or tok.pos_ in ("NUM", "PRON", "DET"):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and p.i in self.mat_heads \
                                and self.mat_heads[p.i]["category"] != "training-advisers":
                            return p
        m = self.mat_heads.get(tok.i)
        if m is not None and m["category"] != "training-advisers":
            return tok
        return None

    def _states_in(self, tok: Token | None) -> list[str]:
        if tok is None:
            return []
        for t in tok.subtree:
            a = self._actor_at(t, owner_ok=True)
            if self._is_state(a):
                return [a]
        return []

    def _made_in(self, v: Token) -> list[str]:
        if v.lemma_.lower() not in self.make_verbs:
            return []
        for c in v.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by"):
                found = [a for a in self._actors_of(c) if self._is_state(a)]
                if found:
                    return found
                # "made in the country": the state last named before it in the sentence
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_.lower() in ("country", "nation") and any(
                            d.dep_ in ("det", "poss") for d in p.children):
                        for t in reversed(list(p.sent[:p.i - p.sent.start])):
                            m = self.mentions.get(t.i)
                            country = (self.actors.get(m.get("actor_id")) or {}).get("country") if m else None
                            if self._is_state(country):
                                return [country]
        return []

    def _origin_of(self, c: Token) -> list[str]:
        """States named in an "of <origin noun>" phrase ("of North Korean manufacture"), which
        can hang off the weapon itself or off the predicate of its clause."""
        if c.dep_ != "prep" or c.lower_ != "of":
            return []
        for p in c.children:
            if p.dep_ == "pobj" and p.lemma_.lower() in self.origin_nouns:
                found = self._states_in(p)
                if found:
                    return found
        return []

    def _state_owner(self, w: Token, role: Token, climb: bool = True) -> list[str]:
        """The state the weapons come from: a demonym or possessor ("North Korean rockets",
        "North Korean-made", "Iran's drones"), "from X", "made in X", "of X manufacture", or
        the predicate ("the weapons appeared to be North Korean / were made in X"). A definite
        "the/these weapons" with none of these refers back to the nearest owned weapons
        earlier in its sentence or the one before it in the paragraph."""
        found = self._own_state_owner(w, role, climb)
        if found or not climb or not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "such")
                                         for c in w.children):
            return found
        sent = w.sent
        start = sent.start
        if start > 0 and "\n" not in self.doc[start - 1].whitespace_ and "\n" not in self.doc[start - 1].text:
            start = self.doc[start - 1].sent.start
        for m in reversed(self.mat):
            if start <= m["head"] < w.i and m["category"] != "training-advisers":
                prev = self.doc[m["head"]]
                found = self._own_state_owner(prev, prev, True)
                if found:
                    return found
        return []

    def _own_state_owner(self, w: Token, role: Token, climb: bool = True) -> list[str]:
        frontier = [w]
        for _ in range(3):
            nxt = []
            for t in frontier:
                for c in t.children:
                    if c.i < w.i and c.dep_ in ("amod", "compound", "nmod", "npadvmod", "poss"):
                        a = self._actor_at(c, owner_ok=True)
                        if self._is_state(a):
                            return [a]
                        nxt.append(c)
            frontier = nxt
        for c in w.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                found = [a for a in self._actors_of(c) if self._is_state(a)]
                if found:
                    return found
            if c.dep_ == "acl":
                found = self._made_in(c)
                if found:
                    return found
            found = self._origin_of(c)
            if found:
                return found
        if not climb or role.dep_ not in ("nsubj", "nsubjpass"):
            return []
        v = role.head
        for _ in range(3):
            found = self._made_in(v)
            if found:
                return found
            for c in v.children:
                if c.dep_ in ("acomp", "attr", "oprd") and c.i > role.i:
                    found = self._states_in(c) if self._weapon_at(c) is None else self._state_owner(c, c, False)
                    if found:
                        return found
                found = self._origin_of(c)
                if found:
                    return found
                if c.dep_ == "dobj" and v.lemma_.lower() in ("include", "comprise"):
                    inner = self._weapon_at(c)
                    if inner is not None:
                        found = self._state_owner(inner, c, False)
                        if found:
                            return found
            nx = next((c for c in v.children if c.dep_ == "xcomp"), None)
            if nx is None:
                break
            v = nx
        return []

    def _hand_owner(self, n: Token) -> list[str]:
        """Whose hands: "in Hamas possession", "in Hamas's hands", "in the hands of Hamas"."""
        out = [a for c in n.children if c.dep_ in ("compound", "poss", "amod", "nmod") for a in self._actors_of(c)]
        return out or [a for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for a in self._actors_of(c)]

    def _held_by(self, t: Token, preps=("from", "with", "on", "among")) -> list[str]:
        out: list[str] = []
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                out += self._actors_of(c)
            elif c.dep_ == "prep" and c.lower_ in ("in", "into"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_.lower() in self.hold_nouns:
                        out += self._hand_owner(p)
        return out

    def _reached(self, v: Token) -> list[str]:
        out = [a for c in v.children if c.dep_ in ("dobj", "dative") for a in self._actors_of(c)]
        return out + self._held_by(v, ("to", "with"))

    def _holders(self, w: Token, role: Token, heads: dict) -> list[tuple[Token, list[str]]]:
        found: list[tuple[Token, list[str]]] = []
        v = role.head
        lemma = v.lemma_.lower() if v.pos_ == "VERB" else ""
        if role.dep_ == "dobj" and lemma in self.hold_verbs:
            found.append((v, self._subject(v, heads)))
        elif role.dep_ == "dobj" and lemma in self.find_verbs:
            found.append((v, self._held_by(v) or self._held_by(role)))
        elif role.dep_ == "nsubj" and lemma in self.reach_verbs:
            found.append((v, self._reached(v)))
        elif role.dep_ == "nsubjpass" and lemma in self.find_verbs:
            found.append((v, self._held_by(v)))
        elif role.dep_ == "nsubjpass" and lemma in self.hold_verbs:
            found.append((v, [a for c in v.children if c.dep_ == "agent" for a in self._actors_of(c)]))
        for t in dict.fromkeys([role, w]):
            for c in t.children:
                low = c.lemma_.lower()
                if c.dep_ == "relcl" and low in self.hold_verbs and not any(x.dep_ == "dobj" for x in c.children):
                    found.append((c, [a for x in c.children if x.dep_ == "nsubj" for a in self._actors_of(x)]))
                elif c.dep_ == "relcl" and low in self.reach_verbs:
                    found.append((c, self._reached(c)))
                elif c.dep_ == "acl" and low in self.find_verbs:
                    found.append((c, self._held_by(c)))
                elif c.dep_ == "acl" and low in self.hold_verbs:
                    found.append((c, [a for x in c.children if x.dep_ == "agent" for a in self._actors_of(x)]))
            if not found:
                held = self._held_by(t, ("with",))
                if held:
                    found.append((w, held))
        return [(trig, holders) for trig, holders in found if holders]

    def _stopover(self, v: Token, owner: list[str]) -> list[str]:
        """A third state the weapons sit in on the way: "these weapons have been in Iran"."""
        if v.lemma_ != "be":
            return []
        return [a for c in v.children if c.dep_ == "prep" and c.lower_ == "in"
                for a in self._actors_of(c) if self._is_state(a) and a not in owner]

    def _transit(self, w: Token, role: Token, owner: list[str]) -> list[tuple[Token, list[str]]]:
        """"It could be that these North Korean weapons have been in Iran": the weapons the text
        is already about (a definite or demonstrative phrase) passed through a third state on
        their way to the holder the text has most often named for the same state's weapons
        (ties: the latest)."""
        if role.dep_ != "nsubj" or not self._stopover(role.head, owner) or not any(
                c.dep_ == "det" and c.lower_ in ("these", "those", "the") for c in w.children):
            return []
        counts: dict[str, tuple[int, int]] = {}
        for k, ev in enumerate(getattr(self, "_prior", [])):
            if ev["type"] == "AID" and ev["source"] == owner and not ev["negated"]:
                for a in ev["target"]:
                    counts[a] = (counts.get(a, (0, 0))[0] + 1, k)
        if not counts:
            return []
        return [(role.head, [max(counts, key=lambda a: counts[a])])]

    def _weapons_in_hands(self, sent: Span, cands: list[Cand], heads: dict) -> None:
        for c in cands:
            if c.type != "AID" or c.source or c.preset:
                continue
            if c.kind == "V":
                objs = self._objects(c.head)
            else:
                objs = [p for ch in c.head.children if ch.dep_ == "prep" and ch.lower_ == "of"
                        for p in ch.children if p.dep_ == "pobj"]
            for o in objs:
                w = self._weapon_at(o)
                if w is None:
                    continue
                owner = self._state_owner(w, o)
                # the weapons' own demonym is sometimes read as a recipient ("the Iranian drones
                # were smuggled to Hezbollah"); it is the giver when someone else receives
                rest = [a for a in c.target if a not in owner]
                if owner and rest:
                    c.target = rest
                    c.source = owner
                    c.weapons.append(w.i)
                    c.via = [a for a in c.via if a not in owner]
                    break
        for m in self.mat:
            if not (sent.start <= m["head"] < sent.end) or m["category"] == "training-advisers":
                continue
            w = self.doc[m["head"]]
            role = w
            if w.dep_ == "pobj" and w.head.lower_ == "of" and getattr(self._weapon_at(w.head.head), "i", -1) == w.i:
                role = w.head.head
            owner = self._state_owner(w, role)
            if not owner:
                continue
            found = self._holders(w, role, heads)[:1] or self._transit(w, role, owner)
            # One event per weapon phrase: the first holder found is the one on its own verb
            # ("weapons that turn up in the hands of Hamas reach them" is one delivery).
            for trig, holders in found:
                # A state's own forces holding its weapons ("Russian troops used Russian tanks")
                # received nothing.
                target = [a for a in dict.fromkeys(holders)
                          if a not in owner and not any(a.startswith(o + "-") for o in owner)]
                existing = heads.get(trig.i)
                # "weapons seized from Hamas" is also the seizure (COERCE); the AID stands beside it
                if existing is not None and existing.type == "COERCE" and trig.lemma_.lower() in self.find_verbs:
                    existing = None
                if not target or (existing is not None and existing.type != "AID"):
                    continue
                if existing is not None:
                    if not existing.source:
                        existing.source = owner
                    existing.weapons.append(w.i)
                    continue
                kind = "V" if trig.pos_ in ("VERB", "AUX") else "N"
                frame = Frame(trig.lemma_.lower(), kind, None, None, "AID", None, ("military",), "072", False)
                c = Cand(trig, frame, kind, type="AID", context=["military"], cameo="072", source=list(owner),
                         target=target, preset=True, weapons=[w.i])
                c.via = [a for a in dict.fromkeys(self._via(c) + self._stopover(trig, owner))
                         if a not in owner and a not in target]
                cands.append(c)
                heads.setdefault(trig.i, c)

    # Dependents searched for the actor an event is aimed at when no argument names it.
    _AIM_DEPS = {"dobj", "ccomp", "xcomp", "prep", "pobj", "attr", "oprd", "nsubj", "nsubjpass", "poss",
                 "amod", "compound", "nmod", "acl", "dative", "pcomp", "appos", "conj", "agent"}

    def _complement_target(self, v: Token, c: Cand, places: bool = False) -> list[str]:
        """The first country-bearing actor named in the verb's object or complement, nearest
        first: "demanded that the US cancel ..." → US, "rejected an Australian ultimatum",
        "rejected a fresh offer from Afghanistan", "threatened to deliver blows to the United
        States" → their targets. Adverbial and relative clauses, places and ``via`` phrases are
        not searched. With ``places``, a last resort: where the content happens is whom it
        concerns ("refused to deploy peacekeepers in Iraq", "will evacuate the settlements in
        the Gaza Strip"), though never the verb's own place."""
        # a verb conjoined to the trigger with a subject of its own is another clause ("has never
        # sold weapons to any group, and the United States knows this"): its actors are not this
        # event's target; one sharing the trigger's subject continues the same act
        frontier = [ch for ch in v.children if ch.dep_ in self._AIM_DEPS and ch.dep_ != "nsubj"
                    and not (ch.dep_ == "conj" and ch.pos_ in ("VERB", "AUX")
                             and any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children))]
        if c.type == "PROTEST":
            # "blocked a road to show their disapproval of US policy": a protest's purpose
            # clause names whom it is against.
            frontier += [ch for ch in v.children if ch.dep_ == "advcl"
                         and any(x.dep_ == "aux" and x.lower_ == "to" for x in ch.children)]
        for _ in range(5):
            nxt = []
            for t in frontier:
                if t.dep_ == "prep" and (t.lower_ in self.via_preps or t.lower_ in self.adjunct_preps
                                         or t.lower_ in self.loc_preps and t.lower_ not in VERB_TARGET_PREPS
                                         or t.lower_ in self._ASIDE_PREPS) \
                        and not (places and t.lower_ in ("in", "into", "inside") and t.head is not v):
                    continue
                if t.i in self.date_tokens:
                    continue
                a = self._actor_at(t, owner_ok=True)
                if places and not self._placed_in(t):
                    a = None  # the last resort reads places only
                elif places and a is None and t.ent_iob_ == "B" and t.ent_type_ in ("GPE", "LOC") \
                        and t.i not in self.mentions:
                    end = t.i + 1
                    while end < len(self.doc) and self.doc[end].ent_iob_ == "I":
                        end += 1
                    place = lookup_place(self.doc[t.i:end].text)
                    a = (self._home_state([place["country"]]) or [None])[0] if place else None
                if a and self._has_country(a) and a not in c.source and a not in c.via:
                    m = self.mentions.get(t.i) or {}
                    # A capital is a place unless it acts: "an admission by Moscow", "an offer
                    # from Tehran".
                    acting = m.get("how") == "capital" and t.dep_ == "pobj" and t.head.lower_ in ("by", "from")
                    if m.get("how") not in ("capital", "place", "city") or acting or places:
                        return [a] + [x for x in self._actors_of(t) if x != a and x not in c.source]
                # "rejected a call for its forces to be deployed in East Timor": the parser's
                # relative clause is the content's own clause
                nxt.extend(ch for ch in t.children if ch.dep_ in self._AIM_DEPS or (places and ch.dep_ == "relcl"))
            frontier = nxt
            if not frontier:
                break
        return []

    @staticmethod
    def _in_main_clause(t: Token) -> bool:
        """Whether ``t`` (a verb, or a noun up to its verb) sits outside adverbial, relative and
        prepositional dependents."""
        for _ in range(8):
            if t.dep_ in ("advcl", "relcl", "acl", "pcomp", "pobj"):
                return False
            if t.pos_ in ("VERB", "AUX") or t.head is t:
                return True
            t = t.head
        return True

    @staticmethod
    def _placed_in(t: Token) -> bool:
        """Whether ``t`` names the place of an "in" phrase ("in East Timor", "in the Gaza Strip")."""
        while t.dep_ in ("compound", "amod", "conj", "appos") and t.head is not t:
            t = t.head
        return t.dep_ == "pobj" and t.head.lower_ in ("in", "into", "inside")

    # Prepositions of circumstances the act is done without or besides, never its target:
    # "agreed to resign without returning to Kyrgyzstan".
    _ASIDE_PREPS = frozenset({"without", "besides", "except", "instead"})

    def _condition_target(self, v: Token, c: Cand) -> list[str]:
        """"threatened to stop talks if the United States goes ahead", "... unless Baghdad
        accepted its conditions": the party a threat or demand puts a condition on is its
        target."""
        if c.type not in ("THREATEN", "REQUEST"):
            return []
        verbs = [v]
        for x in v.children:
            if x.dep_ in ("xcomp", "ccomp"):
                verbs.append(x)
        for verb in verbs:
            for cl in verb.children:
                if cl.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in cl.children):
                    subj = next((x for x in cl.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                    found = [a for a in self._actors_of(subj) if a not in c.source and self._has_country(a)]
                    if found:
                        return found
        return []

    # Events whose coordinated parties act together rather than on each other.
    _RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "SUPPORT"})

    def _country_of(self, actor_id: str | None) -> str | None:
        if not actor_id:
            return None
        if self._is_state(actor_id):
            return actor_id
        country = (self.actors.get(actor_id) or {}).get("country")
        return country if self._is_state(country) else None

    def _visited(self, c: Cand) -> list[str]:
        """A visit's host: the foreign state, capital or city the visitor arrives in or goes
        to ("arrived in Amman on a visit" → Jordan)."""
        verbs = [t for t in (c.anchor, c.head) if t is not None]
        if c.head.dep_ == "pobj" and c.head.head.dep_ == "prep" and c.head.head.head.pos_ == "VERB":
            verbs.append(c.head.head.head)
        home = {self._country_of(a) for a in c.source}
        for verb in verbs:
            for ch in verb.children:
                if ch.dep_ == "prep" and ch.lower_ in ("in", "to"):
                    for p in ch.children:
                        country = self._country_of(self._actor_at(p, owner_ok=True)) if p.dep_ == "pobj" else None
                        if country and country not in home:
                            return self._home_state([country])
        return []

    def _unattributed(self, v: Token, state: bool = False) -> list[str]:
        """"A roadside bombing near Basra killed a soldier", "was killed in a car bomb explosion
        in Beirut": an attack by no one named is coded, as PLOVER codes it, to the unidentified
        armed forces (UAF) of the country it happened in. A pronoun or a named but unresolved
        doer is not "no one"."""
        children = list(v.children)
        passive = any(x.dep_ in ("nsubjpass", "auxpass") for x in children)
        subj = next((x for x in children if x.dep_ in ("nsubj", "csubj")), None)
        region = [x for x in children if x.dep_ == "agent"] if passive else []
        if not passive:
            if subj is None or subj.pos_ not in ("NOUN",) or subj.i in self.mentions:
                return []
            region.append(subj)
        region += [x for x in children if x.dep_ == "prep" and x.lower_ in self.loc_preps]
        for part in region:
            for t in part.subtree:
                country = self._country_of(self._actor_at(t, owner_ok=True))
                if country is None and t.ent_iob_ == "B" and t.ent_type_ in ("GPE", "LOC") and t.i not in self.mentions:
                    end = t.i + 1
                    while end < len(self.doc) and self.doc[end].ent_iob_ == "I":
                        end += 1
                    country = (lookup_place(self.doc[t.i:end].text) or {}).get("country")
                if country and self._home_state([country]):
                    if state:
                        return [country]
                    actor_id = f"{country}-UAF"
                    if actor_id not in self.actors:
                        self._register({"id": actor_id, "name": f"{self.actors[country]['name']} unidentified "
                                        "armed forces", "country": country, "sector": "UAF", "kind": "group",
                                        "anonymous": True})
                    return [actor_id]
        return []

    def _place_state(self, c: Cand) -> list[str]:
        for site in (c.anchor, c.head):
            if site is None:
                continue
            for ch in site.children:
                if ch.dep_ == "prep" and ch.lower_ in self.loc_preps:
                    for t in ch.subtree:
                        if t.i in self.date_tokens:
                            continue
                        country = self._country_of(self._actor_at(t, owner_ok=True))
                        if country and country not in c.via:
                            return self._home_state([country])
        return []

    def _home_state(self, actor_ids: list[str]) -> list[str]:
        """The one state the actors belong to, registered as an actor of the document."""
        states = {self._country_of(a) for a in actor_ids} - {None}
        if len(states) != 1:
            return []
        iso = states.pop()
        if iso not in self.actors:
            from ..kb import load_kb
            entry = load_kb().get(iso)
            if entry is None or entry.kind != "state":
                return []
            self._register(entry.as_actor("GOV"))
        return [iso]

    def _register(self, actor: dict) -> None:
        """An actor the events name that no mention made: into the document's actors too,
        so every id an event carries resolves in the record."""
        if self.doc._.actors is None:
            self.doc._.actors = {}
        self.doc._.actors.setdefault(actor["id"], actor)
        self.actors.setdefault(actor["id"], self.doc._.actors[actor["id"]])

    def _via(self, c: Cand) -> list[str]:
        out: list[str] = []
        sites = [t for t in (c.head, c.governor, c.anchor) if t is not None]
        for site in sites:
            for ch in site.children:
                if ch.dep_ == "prep" and ch.lower_ in self.via_preps:
                    out += self._actors_of(ch)
        if out:
            return out
        # "the trade North Korea does with Hamas is deals that they make through the IRGC"
        t = c.head
        for _ in range(3):
            if t.dep_ in ("nsubj", "pobj", "prep") and t.head is not t:
                t = t.head
            else:
                break
        if t.lemma_ == "be":
            for tok in t.subtree:
                if tok.dep_ == "prep" and tok.lower_ in self.via_preps and tok.head.i not in (c.head.i,):
                    out += self._actors_of(tok)
        return out

    # ------------------------------------------------------------------ absorption
    def _absorb(self, cands: list[Cand], heads: dict) -> None:
        own_of = {}
        for c in cands:
            for i in c.own:
                own_of.setdefault(i, c)
        for inner in cands:
            if inner.kind == "DISP":
                continue
            t = inner.head
            steps = 0
            while t.head is not t and steps < 8:
                if t.dep_ not in CONTENT_PATH and not (t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN")):
                    break
                if t.dep_ == "prep" and t.lower_ in self.adjunct_preps:
                    break
                t = t.head
                steps += 1
                outer = own_of.get(t.i)
                if outer is None or outer is inner:
                    continue
                if outer.type in ABSORBERS and outer.kind != "N" or (outer.type in ABSORBERS and t.i == outer.head.i):
                    if inner.head.i in outer.own:
                        break
                    inner.absorbed_by = outer
                    if outer.content is None:
                        outer.content = inner
                break
        for c in cands:
            if c.content is not None and c.absorbed_by is None:
                self._fold_content(c, c.content)
            if c.type == "REJECT" and c.content is None and any(
                    x.dep_ == "xcomp" and x.lemma_.lower() in self.lex.cue("statement") for x in c.head.children):
                c.dropped = True  # "declined to comment" is a statement, not a rejection

    def _fold_content(self, outer: Cand, inner: Cand) -> None:
        if not outer.context:
            outer.context = [x for x in inner.context]
        kind = inner.type
        if outer.type in ("REQUEST", "REJECT") and outer.mode is None:
            outer.mode = ("assist" if kind in COOPERATIVE else "yield" if kind in ("RETREAT", "CONCEDE")
                          else "meet" if kind == "CONSULT" else "change")
        if outer.type == "AGREE" and kind in CONFLICT_MATERIAL | {"THREATEN"}:
            outer.type, outer.cameo = "THREATEN", "130"
        if outer.type == "REQUEST" and (outer.cameo or "").startswith("02") \
                and kind in CONFLICT_MATERIAL | {"THREATEN", "PROTEST"}:
            outer.cameo = "100"  # calling for sanctions or strikes against someone demands, it does not appeal
        if outer.type == "THREATEN" and outer.mode is None:
            outer.mode = ("violence" if kind in ("ASSAULT", "MOBILIZE") else "relations" if kind == "SANCTION"
                          else "restrict" if kind == "COERCE" else None)
            if kind in ("ASSAULT", "MOBILIZE") and "military" not in outer.context:
                outer.context.append("military")
        if not outer.target and inner.target and outer.type in ("AGREE", "THREATEN", "REJECT"):
            outer.target = [a for a in inner.target if a not in outer.source]

    # ------------------------------------------------------------------ qualifiers
    def _chain(self, c: Cand) -> list[tuple[Token, str]]:
        """The trigger's clause and the clauses above it, up to a reporting verb."""
        start = c.anchor or c.head
        out = [(c.head, "self")]
        if start is not c.head:
            out.append((start, "self"))
        t = start
        for _ in range(6):
            if t.head is t or t.dep_ not in CLIMB_DEPS:
                break
            came = t.dep_
            t = t.head
            out.append((t, came))
            if t.lemma_.lower() in self.report and t.pos_ == "VERB":
                break
        return out

    def _negated(self, c: Cand) -> bool:
        if (c.type == "REJECT" and c.frame.type != "REJECT") or c.frame.lemma in self.lex.cue("neg_threat"):
            return False  # "will not accept refugees" became the refusal; the negation is spent
        return self._negated_raw(c)

    def _negated_raw(self, c: Cand) -> bool:
        neg_words = self.lex.cue("neg_word")
        neg_verbs = self.lex.cue("neg_verb")
        for tok, came in self._chain(c):
            if came in ("self", "xcomp", "conj") or tok.i in c.own:
                if any(ch.dep_ == "neg" or (ch.dep_ in ("det", "advmod") and ch.lower_ in neg_words)
                       for ch in tok.children):
                    return True
                if any(ch.dep_ == "advmod" and ch.lower_ == "longer" and any(g.lower_ == "no" for g in ch.children)
                       for ch in tok.children):
                    return True  # "will no longer tolerate"
                if came == "xcomp" and tok.lemma_ == "have" and any(ch.lower_ == "yet" for ch in tok.children):
                    return True
            if came in ("xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "acl") \
                    and tok.lemma_.lower() in neg_verbs and tok.pos_ == "VERB":
                return True
            if (came == "advcl" or (came == "conj" and tok.pos_ == "VERB")) and tok.i not in c.own:
                break
            if tok.pos_ == "ADP" and tok.lower_ == "without":
                return True
            if came != "self" and tok.lemma_.lower() in self.report:
                break
        return False

    def _modality(self, c: Cand) -> tuple[str, str | None]:
        cue = self.lex.cue
        chain = self._chain(c)
        reported = any(t.lemma_.lower() in self.report and t.pos_ == "VERB" for t, came in chain if came != "self")
        for tok, came in chain:
            lemma = tok.lemma_.lower()
            if came != "self" and lemma in self.report and tok.pos_ == "VERB":
                break
            for ch in tok.children:
                low = ch.lower_
                if ch.dep_ == "aux":
                    if low in cue("hypo_aux"):
                        if low == "would" and reported:
                            return "planned", "aux"
                        return "hypothetical", "aux"
                    if low in cue("planned_aux") or ch.lemma_.lower() in cue("planned_aux"):
                        return "planned", "aux"
                if ch.dep_ == "mark" and low in ("if", "unless", "whether"):
                    return "hypothetical", "if"
                if ch.dep_ == "advmod" and low in cue("habit_adv") and tok.i in c.own:
                    return "habitual", "adv"
                if ch.dep_ == "amod" and tok.i in c.own and tok.pos_ in ("NOUN", "PROPN"):
                    if low in cue("planned_adj"):
                        return "planned", "adj"
                    if low in cue("hypo_adj"):
                        return "hypothetical", "adj"
            if came != "self":
                if lemma in cue("intent_adj") and came == "xcomp":
                    return "planned", "intent"
                if lemma in cue("planned_verb") and tok.pos_ == "VERB":
                    if lemma == "go" and tok.tag_ != "VBG":
                        continue
                    return "planned", "verb"
                if lemma in cue("hypo_verb") and tok.pos_ == "VERB":
                    return "hypothetical", "verb"
                if tok.pos_ in ("NOUN", "PROPN"):
                    if lemma in cue("hypo_noun"):
                        return "hypothetical", "noun"
                    if lemma in cue("habit_noun"):
                        return "habitual", "noun"
                if tok.lower_ == "used" and came == "xcomp":
                    return "habitual", "used to"
        return "actual", None

    def _date(self, c: Cand, sent: Span, future: bool) -> dict | None:
        own = c.own
        best, best_steps = None, 99
        for ent in self.ents_in.get(sent.start, ()):
            if ent.label_ not in ("DATE",):
                continue
            t = ent.root
            steps = 0
            while steps < 6:
                if t.i in own:
                    break
                if t.head is t or (t.pos_ in ("VERB", "AUX") and t.i not in own) or (
                        steps > 0 and t.pos_ in ("NOUN", "PROPN") and t.i not in own):
                    steps = 99
                    break
                t = t.head
                steps += 1
            if t.i in own and steps < best_steps:
                best, best_steps = ent, steps
        if best is None:
            return None
        found = resolve_date(best.text, self.published, future=future)
        if found and found["precision"] == "day" and best.text.split()[-1].lower() in WEEKDAY_NAMES \
                and not any(ch.isdigit() for ch in best.text):
            # "at daybreak Saturday" after "Saturday, Oct. 7, 2023" earlier in the same
            # paragraph is that Saturday, not the last one before publication.
            text = self.text
            para_start = text.rfind("\n", 0, sent.start_char) + 1
            for ent in self.doc.ents:
                if ent.label_ != "DATE" or not (para_start <= ent.start_char < best.start_char) or ent == best:
                    continue
                other = resolve_date(ent.text, self.published)
                if other and other["precision"] == "day" and any(ch.isdigit() for ch in ent.text):
                    from datetime import date as _date
                    d = _date.fromisoformat(other["value"])
                    if d.strftime("%A").lower() == best.text.split()[-1].lower():
                        return {"value": other["value"], "precision": "day", "text": best.text,
                                "from": "context"}
        return found

    def _location(self, c: Cand, sent: Span) -> dict | None:
        own = c.own
        fallback = None
        for ent in self.ents_in.get(sent.start, ()):
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            r = ent.root
            prep = r.head
            if r.dep_ == "pobj" and prep.lower_ == "of" and prep.head.dep_ == "pobj" \
                    and prep.head.lemma_.lower() in self.place_nouns:
                r = prep.head  # "in the northern city of Kirkuk"
                prep = r.head
            if r.dep_ != "pobj" or prep.dep_ not in ("prep", "dative"):
                continue
            attached = prep.head
            if attached.i not in own:
                continue
            word = prep.lower_
            if word in self.loc_preps:
                place = lookup_place(ent.text)
                if place:
                    place["reason"] = f"'{word} {ent.text}' modifies the event" + self._point_note(place)
                    place["_token"] = ent.root.i
                    return place
            elif word in ("on", "against", "into") and c.type in ("ASSAULT", "COERCE") and fallback is None:
                place = lookup_place(ent.text)
                if place:
                    place["reason"] = f"the event's target territory ('{word} {ent.text}')" + self._point_note(place)
                    fallback = place
        return fallback

    @staticmethod
    def _point_note(place: dict) -> str:
        if place.get("point") == "capital":
            return f"; coordinates are the capital's ({place.get('point_name')}), standing in for the country"
        return ""

    def _materiel(self, c: Cand) -> list[dict]:
        own = set(c.own)
        if c.kind == "V" and c.head.dep_ == "conj" and c.head.head.pos_ == "VERB":
            own.add(c.head.head.i)  # "were sold to Hamas or given to ...": shared objects
        out = []
        for m in self.mat:
            t = self.doc[m["head"]]
            steps = 0
            ok = False
            if m["head"] in c.weapons:
                out.append({"text": m["text"], "category": m["category"]})
                continue
            while steps < 6 and t.head is not t:
                if t.dep_ in ("nsubj", "relcl", "advcl", "ccomp") and t.head.i in own and c.kind != "N":
                    ok = t.dep_ == "nsubj" and c.type == "ASSAULT"
                    break
                t = t.head
                steps += 1
                if t.i in own:
                    ok = True
                    break
            if ok:
                out.append({"text": m["text"], "category": m["category"]})
        return out

    # ------------------------------------------------------------------ output
    def _to_dict(self, c: Cand, sent: Span, caption: bool) -> dict:
        modality, _ = self._modality(c)
        negated = self._negated(c)
        type_ = c.type
        # PLOVER: cooperation announced for the future is AGREE; a promised retreat CONCEDE.
        if modality == "planned" and self._future_tense(c):
            if type_ in COOPERATIVE:
                type_, c.cameo = "AGREE", "030"
            elif type_ == "RETREAT":
                type_, c.cameo = "CONCEDE", "080"
        materiel = self._materiel(c) if type_ in MATERIEL_TYPES or type_ == "COOPERATE" else []
        materiel = [m for m in materiel if m["category"] != "training-advisers" or type_ == "AID"]
        context = list(c.context)
        if type_ in ("AID", "COOPERATE") and materiel and "military" not in context:
            context = ["military"] + [x for x in context if x != "economic"]
        if type_ == "AID" and "military" not in context:
            materiel = []
        if type_ == "COOPERATE" and "military" not in context:
            materiel = []
        mode = c.mode
        if type_ == "ASSAULT" and mode is None and materiel:
            mode = next((MODE_FROM_MATERIEL[m["category"]] for m in materiel if m["category"] in MODE_FROM_MATERIEL), None)
        cameo = self.lex.nearest_cameo(c.cameo, type_, mode, context)
        head = c.head
        end_tok = head
        if c.kind == "V" and c.frame.prt:
            prt = next((x for x in head.children if x.lower_ == c.frame.prt and x.i > head.i), None)
            if prt is not None and prt.i - head.i <= 3:
                end_tok = prt
        confidence = 0.75 if c.kind != "N" else (0.7 if c.governor is not None else 0.6)
        confidence += 0.1 if c.source else -0.1
        confidence += 0.05 if c.target else 0.0
        if any(t.i == sent.root.i or (t.head.i == sent.root.i and t.dep_ in ("xcomp", "conj", "ccomp")) for t in
               [head] + ([c.governor] if c.governor is not None else [])):
            confidence += 0.05
        confidence -= 0.05 * min(c.depth, 3)
        if caption:
            confidence -= 0.1
        location = self._location(c, sent)
        target = list(c.target)
        place_tok = location.pop("_token", None) if location else None
        if not target and place_tok is not None and type_ not in VERBAL_ONLY:
            # PLOVER codes the country where an event with no named target happens as its
            # target: a visit to Amman is to Jordan, a rally in Lagos is against Nigeria's
            # government, a curfew in Algiers is imposed on Algeria.
            a = self._actor_at(self.doc[place_tok], owner_ok=True)
            if a and self._has_country(a) and a not in c.via:
                target = [a]
        event = {
            "type": type_,
            "mode": mode,
            "context": context,
            "source": list(c.source),
            "target": target,
            "via": list(c.via),
            "modality": modality,
            "date": self._date(c, sent, future=modality == "planned"),
            "location": location,
            "materiel": materiel,
            "trigger_span": [head.idx, end_tok.idx + len(end_tok.text)],
            "trigger": self.text[head.idx:end_tok.idx + len(end_tok.text)],
            "cameo": cameo,
            "sent_span": [sent.start_char, sent.end_char],
            "negated": negated,
            "caption": caption,
            "confidence": round(max(0.05, min(0.99, confidence)), 2),
            "depth": c.depth,
            "origin": "rules",
        }
        if c.content is not None:
            inner = c.content
            event["content"] = {"type": inner.type, "source": list(inner.source), "target": list(inner.target),
                                "trigger_span": [inner.head.idx, inner.head.idx + len(inner.head.text)]}
        return event

    def _future_tense(self, c: Cand) -> bool:
        if self._modality(c)[1] == "intent":
            return True  # "is willing to send troops" states an intention, like "will"
        for tok, came in self._chain(c)[:3]:
            if any(ch.dep_ == "aux" and (ch.lower_ in ("will", "shall", "'ll", "wo", "would")) for ch in tok.children):
                return True
        return False

    def _inherit_dates(self, events: list[dict]) -> None:
        """A definite nominal ("the attack") with no date of its own refers back to the last
        event of the same type with the same actors, whose date it then shares."""
        text = self.text
        for i, ev in enumerate(events):
            if ev["date"] is not None:
                continue
            s = ev["trigger_span"][0]
            before = text[max(0, s - 12):s].lower()
            if not re.search(r"\b(the|that|this)\s+(\w+\s+)?$", before):
                continue
            for prev in reversed(events[:i]):
                if prev["date"] and prev["type"] == ev["type"] and (
                        set(prev["source"]) & set(ev["source"]) or set(prev["target"]) & set(ev["target"])):
                    ev["date"] = dict(prev["date"], inherited=True)
                    break


@Language.factory("claimgraph_events", requires=["doc._.actor_mentions"], assigns=["doc._.events"],
                  default_config={"use_model": True})
def make_events(nlp, name, use_model: bool):
    return EventCoder(nlp.vocab, use_model=use_model)
