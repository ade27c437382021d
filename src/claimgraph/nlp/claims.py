"""Attribution and claims: who says what, through whom, how sure, and who denies it.

One pass over the parse finds attributions (cue, source, content) from these kinds of
evidence: cue words whose (lemma, frame) the learned lexicon trusts (nlp/cues.py), direct
quotes linked to the cue next to them (nlp/quotes.py), "according to X", "Name: …" at the start
of a line, and words the cue classifier (nlp/learned.py) is sure of. Attributions nest
(a cue inside another attribution's content), which gives the reporting chain. Every event the
events component found is then carried by the innermost attribution whose content holds its
trigger, or by the outlet's own voice (speaker None). See docs/CLAIMS.md for the rules and
their measured quality.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .attribution_filter import filter_features, shared_attribution_filter
from .base import Component
from .certainty import Certainty
from .cues import _rows, cue_key, cue_lexicon, frame_of, framing_lexicon, quoted_tokens
from .extensions import mention_by_token
from .attribution_spans import shared_span_refiner
from .learned import shared_cue_classifier
from .quotes import find_quotes

LEVELS = ("possible", "probable", "certain")
# A cue with a curated class but too rare in PolNeAR to be learned still fires at this
# confidence when it takes a clause or an object ("refute that …", "dismissed the report").
SEEDED_PRECISION = 0.5
# Direct quotes are attributed far more reliably than bare verbs: a quote next to a known cue
# is an attribution at least this often (PolNeAR train: said + quote ≈ 0.95).
QUOTE_PRECISION = 0.8
ACCORDING_PRECISION = 0.9
# A weak cue nested in someone's content ("NIS believed Kim saw an opportunity to …") does not
# take the events inside it away from the enclosing, surer attribution.
# Clause-taking cues ("believed that …") always carry what they introduce.
NESTED_OWNER_MIN = 0.5
CLAUSE_FRAMES = {"ccomp", "head", "quote", "according"}
# A verb next to a quote counts as its cue only if it is a reporting verb somewhere in the
# lexicon with at least this precision ("run" in "a state-run agency declared" is not).
QUOTE_CUE_MIN = 0.3
# P(cue) below which the cue classifier vetoes a rule attribution (PolNeAR dev, picked there:
# attribution F1 .721 rules → .752 combined; see models/cue_classifier/CARD.md).
MODEL_THRESHOLD = 0.3
# P(cue) at which the classifier alone makes an attribution of a word the lexicon does not
# trust in its frame (picked on PolNeAR dev like MODEL_THRESHOLD: the cue model is fit on train,
# so its train scores are too sure; 0.35–0.5 are within .003 attribution F1)
ADD_THRESHOLD = 0.4
CUE_POS_MODEL = {"VERB", "NOUN", "ADJ"}
# "Name: words" at the start of a line; a name is up to five capitalised words
COLON_SOURCE = re.compile(r"(?m)^[\"“‘']?((?:[A-Z][\w.’'\-]*)(?:[ \u00a0]+(?:[A-Z][\w.’'\-]*|of|and|the|de)){0,4}):[ \u00a0]+(?=\S)")
COLON_LABELS = {"the latest", "breaking", "update", "updated", "video", "watch", "correction", "editor’s note",
                "editor's note", "contributing", "byline", "exclusive", "revealed", "wow", "name", "photos",
                "read", "related", "live", "q", "a", "note", "source", "sources", "paid notice", "abstract",
                "photo", "listen", "see", "more", "also", "caption", "credit", "updates", "analysis", "opinion"}
# a cue hanging on another cue by one of these is part of its verb group (see _merge_verb_groups)
GROUP_DEPS = {"xcomp", "dobj", "acl"}
# “…” ― Name: a quote, a dash and nothing but a name to the end of the line
DASH_BYLINE = re.compile(r"[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*((?:[A-Z][\w.’'\-]*)(?:[ \u00a0]+(?:[A-Z][\w.’'\-]*|de|la|van|von)){0,4})"
                         r"[ \t\u00a0.,]*(?=\n|$)")
# share of such names that PolNeAR train annotates as sources (the classifier, which has colon
# features, still vetoes)
COLON_PRECISION = 0.55
SPLIT_DEPS = {"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "prep"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we", "you"}
THING_PRONOUNS = {"it", "they", "them"}
PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | {"who", "which", "that"}
UNNAMED = {"unnamed", "anonymous", "unidentified"}
EDGE_PUNCT = {",", ".", ";", ":", "—", "–", "-", "(", ")"}
ADDRESSEE_VERBS = {"speak", "talk"}
# PolNeAR marks "appears to", "seems" as cues; inside someone else's content they only hedge it
HEDGE_CUES = {"appear", "seem"}
# words before the verb that PolNeAR counts as part of its cue
CUE_LEFT_DEPS = {"aux", "auxpass", "neg", "advmod"}
WH_ADVERBS = {"when", "how", "where", "why", "whenever", "wherever"}


@dataclass(eq=False)
class Attribution:
    cue_i: int | None
    cue_span: tuple[int, int] | None
    cue: str | None
    cue_class: str
    source: tuple[int, int] | None  # token range
    content: list[tuple[int, int]]  # char spans
    confidence: float
    frame: str = "none"
    in_quote: bool = False
    quote: str = "indirect"
    cited: list[tuple[int, int]] = field(default_factory=list)  # token ranges ("citing X")
    addressees: list[tuple[int, int]] = field(default_factory=list)  # "told VOA"
    hedge_tokens: list[int] = field(default_factory=list)
    parent: int | None = None
    speaker: str | None = None
    speaker_text: str | None = None
    chain: list[str] = field(default_factory=list)
    via_media: list[str] = field(default_factory=list)
    cite_tokens: list[int] = field(default_factory=list)
    base_precision: float = 0.0
    eligible: bool = True
    # how the cue was found: lexicon | according | colon | transcript | byline | model (a quote
    # linked to a cue has frame "quote")
    origin: str = "lexicon"

    @property
    def content_extent(self) -> tuple[int, int]:
        return (min(s for s, _ in self.content), max(e for _, e in self.content))

    def holds(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.content)

    def size(self) -> int:
        return sum(e - s for s, e in self.content)


class ClaimFinder(Component):
    name = "claimgraph_claims"

    def __init__(self, nlp: Language | None = None, min_confidence: float = 0.3, use_model: bool = True,
                 model_threshold: float = MODEL_THRESHOLD, add_threshold: float = ADD_THRESHOLD):
        super().__init__()
        self.min_confidence = min_confidence
        # the cue classifier (nlp/learned.py) vetoes rule attributions whose cue it does not
        # believe; None (artifact absent, or use_model off) leaves the rules alone
        self.cue_model = shared_cue_classifier() if use_model else None
        self.span_model = shared_span_refiner() if use_model else None  # learned source/content spans
        # the attribution filter (nlp/attribution_filter.py), when present, replaces the P(cue)
        # veto: it scores whole attributions, with P(cue) as one of its inputs
        self.filter_model = shared_attribution_filter() if use_model and self.cue_model is not None else None
        self.model_threshold = model_threshold
        self.add_threshold = self.filter_model.add_threshold if self.filter_model is not None else add_threshold
        # scripts/train_attribution_filter.py sets a list here to collect the filter's inputs
        self.filter_rows: list | None = None
        self.lexicon = cue_lexicon()
        self.certainty = Certainty(nlp.vocab if nlp is not None else None)
        self.framing = framing_lexicon()
        self.sector_nouns = {row[0].strip(): row[1].strip() for row in _rows("claims_source_nouns.tsv")}
        self.lemma_best: dict[tuple[str, str], float] = {}
        for (lemma, pos, frame), (precision, _n) in self.lexicon.frames.items():
            if not frame.endswith("@q"):
                key = (lemma, pos)
                self.lemma_best[key] = max(self.lemma_best.get(key, 0.0), precision)
        self._framing_matcher = None
        if nlp is not None:
            self._framing_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            # single words too: the matcher runs in C, a Python loop over tokens would not
            self._framing_matcher.add("FRAMING", [nlp.make_doc(term) for term in self.framing])

    # -- the component ---------------------------------------------------------------------
    def process(self, doc: Doc) -> None:
        doc._.claims = self.find_claims(doc)

    def find_claims(self, doc: Doc) -> list[dict]:
        text = self._text = doc.text  # Doc.text is rebuilt from the tokens on every access
        self._probs_cache: dict[int, float] = {}
        quotes = find_quotes(text)
        quoted = quoted_tokens(doc, quotes)
        attrs = self._cue_attributions(doc, quoted)
        self._link_quotes(doc, text, quotes, quoted, attrs)
        attrs += self._colon_attributions(doc, text, quoted)
        attrs += self._dash_bylines(doc, text, quotes, attrs)
        if self.cue_model is not None:
            self._model_attributions(doc, quoted, attrs)
        attrs = self._finish(doc, quotes, attrs)
        events = doc._.events or []
        owners = self._event_owners(attrs, events)
        keep = [i for i, a in enumerate(attrs)
                if a.eligible and (a.confidence >= self.min_confidence or owners.get(i))]
        if self.cue_model is not None:
            keep = self._model_filter(doc, attrs, keep, owners, quoted)
        keep = self._merge_verb_groups(doc, attrs, keep)
        if self.span_model is not None and keep:
            # only the attributions that become claims: the span model is the costliest step
            # of the component, and the rules' spans already decided nesting and what is kept
            # (a byline's source is the whole name and its content the whole quote by construction)
            self.span_model.refine(doc, [attrs[i] for i in keep if attrs[i].origin != "byline"], text)
            owners = self._event_owners(attrs, events)
        self._resolve_speakers(doc, attrs)
        return self._claims(doc, attrs, keep, owners, events, quotes)

    @staticmethod
    def _merge_verb_groups(doc: Doc, attrs: list[Attribution], keep: list[int]) -> list[int]:
        """"refused to endorse", "continued to call for", "expressed concern that": two kept
        cues where one is the other's xcomp or object are one attribution with one cue (PolNeAR
        train: both words in one cue 1490 times, in two attributions 14; a participle on a
        cue's noun, "a statement calling", 118 to 2). The inner cue's
        content is the one that holds what was said; the cue span covers both."""
        by_cue = {attrs[i].cue_i: i for i in keep if attrs[i].cue_i is not None and attrs[i].cue_span}
        dropped = set()
        for i in keep:
            inner = attrs[i]
            if inner.cue_i is None or not inner.cue_span:
                continue
            tok = doc[inner.cue_i]
            if tok.dep_ not in GROUP_DEPS or tok.head.i == tok.i:
                continue
            # the head is the other cue's word, or inside its cue span ("issued a statement
            # calling …": "calling" hangs on "statement", in the cue of "issued")
            j = by_cue.get(tok.head.i)
            if j is None:
                at = tok.head.idx
                j = next((k for k in keep if k != i and attrs[k].cue_span
                          and attrs[k].cue_span[0] <= at < attrs[k].cue_span[1]), None)
            if j is None or j == i or j in dropped:
                continue
            outer = attrs[j]
            inner.cue_span = (min(outer.cue_span[0], inner.cue_span[0]), max(outer.cue_span[1], inner.cue_span[1]))
            if inner.source is None:
                inner.source = outer.source
            inner.confidence = max(inner.confidence, outer.confidence)
            dropped.add(j)
        return [i for i in keep if i not in dropped]

    def _model_filter(self, doc: Doc, attrs: list[Attribution], keep: list[int],
                      owners: dict[int, list[int]], quoted: list[int]) -> list[int]:
        """The kept attributions the learned models accept: the attribution filter's verdict
        when its artifact is there, else the cue classifier's veto below ``model_threshold``.
        Either way a quoted attribution that carries events stays: nested speech inside a
        quote is where the models are least sure and the events need an owner."""
        idx = sorted({attrs[i].cue_i for i in keep if attrs[i].cue_i is not None})
        probs = self._cue_probs(doc, idx, quoted)
        rows = None
        if self.filter_model is not None or self.filter_rows is not None:
            sentence_of = {i: doc[attrs[i].cue_i].sent.start for i in keep if attrs[i].cue_i is not None}
            per_sentence = Counter(sentence_of.values())
            first_newline = self._text.find("\n")
            rows = [filter_features(doc, attrs, i, probs.get(attrs[i].cue_i),
                                    "quote" if attrs[i].frame == "quote" else attrs[i].origin, bool(owners.get(i)),
                                    per_sentence.get(sentence_of.get(i), 1), first_newline)
                    for i in keep]
            if self.filter_rows is not None:
                self.filter_rows.extend((row, attrs[i].cue_span) for row, i in zip(rows, keep))
        if self.filter_model is None:
            return [i for i in keep if attrs[i].cue_i is None or probs[attrs[i].cue_i] >= self.model_threshold
                    or (attrs[i].in_quote and owners.get(i))]
        scores = self.filter_model.score(rows)
        # dash bylines and quoted transcript turns are (nearly) absent from the filter's
        # training data (PolNeAR train): the pattern itself is the evidence
        return [i for i, p in zip(keep, scores) if p >= self.filter_model.threshold
                or (attrs[i].in_quote and owners.get(i)) or attrs[i].origin in ("byline", "transcript")
                or self._keeps_a_chain(doc, attrs[i], owners.get(i)) or self._keeps_a_denial(attrs[i], owners.get(i))]

    def _cue_probs(self, doc: Doc, idx: list[int], quoted: list[int]) -> dict[int, float]:
        """P(cue) of tokens ``idx``, each scored once per document: the classifier adds cues
        from every candidate, then the filter reads the kept ones' again."""
        cache = self._probs_cache
        todo = [i for i in idx if i not in cache]
        if todo:
            cache.update(zip(todo, self.cue_model.score(doc, todo, quoted=quoted, text=self._text)))
        return {i: cache[i] for i in idx}

    def _keeps_a_denial(self, attr: Attribution, owned) -> bool:
        """A denial of an event by a cue the lexicon trusts ("While North Korea denies selling
        weapons to Hamas, …"): the models, trained on PolNeAR's political news, often doubt
        denials in subordinate clauses, but who denies an event is what the dispute is made of."""
        return bool(owned) and attr.cue_class == "deny" and attr.base_precision >= self.min_confidence

    def _keeps_a_chain(self, doc: Doc, attr: Attribution, owned) -> bool:
        """A nested attribution that carries events, by a cue the lexicon trusts in its frame,
        whose source the actors component resolved ("the newspaper said the intelligence
        officials believed that Kim would …"): PolNeAR rarely annotates nested speech, so the
        models learn to drop it, but without it the event's chain loses its innermost source.
        A pronoun or an unresolved source ("I think", "you know", "the videos show") adds no
        actor to the chain."""
        if not owned or attr.parent is None or attr.base_precision < self.min_confidence or attr.source is None:
            return False
        head = doc[attr.source[0]:attr.source[1]].root
        return head.pos_ != "PRON" and any(m.get("actor_id") and m["tok_start"] <= head.i < m["tok_end"]
                                           for m in doc._.actor_mentions or [])

    def _model_attributions(self, doc: Doc, quoted: list[int], attrs: list[Attribution]) -> None:
        """Cues the lexicon does not know or does not trust in this frame but the classifier is
        sure of ("documents how …", "took offense at", "is raising questions about"): PolNeAR's
        cue inventory has a long tail that no frame count reaches."""
        taken = set()
        weak = {}
        for a in attrs:
            if a.cue_span is not None:
                taken.update(range(a.cue_span[0], a.cue_span[1]))
            if a.cue_i is not None and a.confidence < self.min_confidence:
                # a rare frame of a known cue ("continued to portray", "drew criticism"): the
                # classifier, seeing the context, decides instead of the frame count
                weak[a.cue_i] = a
        # a word the events component coded as an event ("North Korea fired a missile") is what
        # its subject did: PolNeAR sometimes marks such acts, but as an attribution it would
        # take the event out of the outlet's voice
        triggers = {e["trigger_span"][0] for e in doc._.events or [] if e.get("trigger_span")}
        idx = [i for i in self.cue_model.candidates(doc)
               if doc[i].pos_ in CUE_POS_MODEL and (doc[i].idx not in taken or i in weak)
               and doc[i].idx not in triggers]
        if not idx:
            return
        probs = self._cue_probs(doc, idx, quoted)
        for i, p in ((i, probs[i]) for i in idx):
            if p < self.add_threshold:
                continue
            if i in weak:
                weak[i].confidence = max(weak[i].confidence, p)
                weak[i].base_precision = max(weak[i].base_precision, p)
                continue
            tok = doc[i]
            frame, content_tok = frame_of(tok)
            attr = Attribution(tok.i, self._cue_extent(tok, content_tok), tok.lemma_.lower(),
                               self.lexicon.cue_class(tok.lemma_.lower()), None, [], p, frame=frame,
                               in_quote=quoted[tok.i] >= 0)
            attr.base_precision = p
            attr.origin = "model"
            subj = self._subject(tok)
            if subj is not None:
                attr.source = self._np_range(subj)
            attr.content = self._content(doc, tok, frame, content_tok, attr.source)
            if not attr.content:
                attr.content = self._clause_rest(doc, tok, attr)
            self._extras(tok, subj, content_tok, attr)
            attrs.append(attr)
            taken.update(range(attr.cue_span[0], attr.cue_span[1]))

    def _clause_rest(self, doc: Doc, tok: Token, attr: Attribution) -> list[tuple[int, int]]:
        """Content of a cue with no complement the parse links to it: what follows the cue in
        its clause ("Trump tweeted in the early morning hours that …" parsed without a ccomp)."""
        end = tok.i
        while end + 1 < len(doc) and attr.cue_span and doc[end + 1].idx < attr.cue_span[1]:
            end += 1
        hi = tok.right_edge.i + 1
        span = self._char_range(doc, end + 1, hi) if end + 1 < hi else None
        return [span] if span else []

    def _colon_attributions(self, doc: Doc, text: str, quoted: list[int]) -> list[Attribution]:
        """"Graham: Trump's rhetoric destroying GOP's chance", "TAPPER: Donald Trump released
        …": a name opening a line and a colon attribute the rest of the line to that name
        (headlines and transcripts). Section labels ("The Latest:", "UPDATE:") and interview
        "Q:"/"A:" turns are not sources (PolNeAR train: names .55 attributions, Q/A .43)."""
        out = []
        for m in COLON_SOURCE.finditer(text):
            name = m.group(1)
            if name.lower().strip(".") in COLON_LABELS or len(name) < 2:
                continue
            colon = doc.char_span(m.end(1), m.end(1) + 1)
            src = doc.char_span(m.start(1), m.end(1))
            # a transcript turn quoted whole ('"WALLACE: Let's start …') opens with the quote
            # mark: the colon is inside that quote but still introduces the turn
            opens_quote = m.start(1) > m.start()
            if colon is None or src is None or (quoted[colon[0].i] >= 0 and not opens_quote):
                continue
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            content = doc.char_span(m.end(), line_end, alignment_mode="expand")
            rng = self._char_range(doc, content.start, content.end) if content is not None and len(content) else None
            if rng is None:
                continue
            attr = Attribution(colon[0].i, (colon.start_char, colon.end_char), ":", "assert",
                               (src.start, src.end), [rng], COLON_PRECISION, frame="colon")
            attr.base_precision = COLON_PRECISION
            attr.origin = "transcript" if opens_quote else "colon"
            out.append(attr)
        return out

    def _dash_bylines(self, doc: Doc, text: str, quotes, attrs: list[Attribution]) -> list[Attribution]:
        """"“…” ― Pamela Padilla", "“…” — Mitt Romney": a quote followed on its line by a dash
        and a name only (epigraphs, reader comments, pull quotes). The dash is the cue, the
        name the source, the quote the content. A quote some other cue already claims is left
        alone."""
        claimed = [c for a in attrs for c in a.content]
        out = []
        for quote in quotes:
            m = DASH_BYLINE.match(text, quote.end)
            if m is None or any(s <= quote.start < e for s, e in claimed):
                continue
            dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            src = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
            if dash is None or src is None or not any(t.pos_ == "PROPN" for t in src):
                continue
            attr = Attribution(dash[0].i, (m.start(1), m.end(1)), m.group(1), "assert", (src.start, src.end),
                               [quote.span], QUOTE_PRECISION, frame="quote")
            attr.base_precision = QUOTE_PRECISION
            attr.origin = "byline"
            out.append(attr)
        return out

    # -- attributions from cue words --------------------------------------------------------
    def _cue_attributions(self, doc: Doc, quoted: list[int]) -> list[Attribution]:
        lex = self.lexicon
        out: list[Attribution] = []
        for tok in doc:
            if tok.lower_ == "according":
                attr = self._according(doc, tok, quoted)
                if attr:
                    out.append(attr)
                continue
            key = cue_key(tok)
            if key is None or (key not in self.lemma_best and key[0] not in lex.classes):
                continue
            frame, content_tok = frame_of(tok)
            in_quote = quoted[tok.i] >= 0
            precision = lex.precision(*key, frame)
            if in_quote:
                precision_q = lex.precision(*key, frame + "@q")
            if precision == 0.0 and key[0] in lex.classes and frame in ("ccomp", "dobj", "xcomp"):
                precision = SEEDED_PRECISION
            if precision <= 0.0:
                continue
            attr = Attribution(tok.i, self._cue_extent(tok, content_tok), key[0], lex.cue_class(key[0]),
                               None, [], precision if not in_quote else precision_q, frame=frame,
                               in_quote=in_quote)
            attr.base_precision = precision
            subj = self._subject(tok)
            if subj is not None:
                attr.source = self._np_range(subj)
            attr.content = self._content(doc, tok, frame, content_tok, attr.source)
            self._extras(tok, subj, content_tok, attr)
            out.append(attr)
        return out

    def _according(self, doc: Doc, tok: Token, quoted: list[int]) -> Attribution | None:
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
        if to is None:
            return None
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        source = self._np_range(pobj)
        clause = tok.head
        hops = 0
        while clause.pos_ not in ("VERB", "AUX") and clause.dep_ != "ROOT" and hops < 3:
            clause, hops = clause.head, hops + 1
        phrase_start = tok.i
        phrase_end = max(source[1], to.i + 1)
        sent = tok.sent
        # the whole sentence is what the source vouches for, except inside a quote
        lo, hi = sent.start, sent.end
        if quoted[tok.i] >= 0:
            lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        content = []
        if lo < phrase_start:
            content.append(self._char_range(doc, lo, phrase_start))
        if phrase_end < hi:
            content.append(self._char_range(doc, phrase_end, hi))
        content = [c for c in content if c and c[1] > c[0]]
        if not content:
            return None
        in_quote = quoted[tok.i] >= 0
        attr = Attribution(tok.i, (tok.idx, to.idx + len(to)), "according to", "assert", source,
                           content, ACCORDING_PRECISION if not in_quote else 0.2,
                           frame="according", in_quote=in_quote)
        attr.base_precision = ACCORDING_PRECISION
        attr.origin = "according"
        return attr

    @staticmethod
    def _cue_extent(tok: Token, content_tok: Token | None = None) -> tuple[int, int]:
        """Char span of the cue around its word. PolNeAR's cue is the whole verb group: the
        auxiliaries, negation and adverbs right before the verb ("has also said", "did not
        deny"), a particle ("called out") and the preposition that introduces the content
        ("called for …", "spoke about …"); a preposition of the occasion ("said on Monday")
        is not part of it (PolNeAR train, matched cues: aux 1317:19, prt 135:1, content
        preposition 591:118)."""
        doc = tok.doc
        lo = hi = tok.i
        j = tok.i - 1
        while j >= 0 and doc[j].head.i == tok.i and doc[j].dep_ in CUE_LEFT_DEPS \
                and doc[j].lower_ not in WH_ADVERBS:
            lo = j
            j -= 1
        j = tok.i + 1
        while j < len(doc) and doc[j].head.i == tok.i and (
                doc[j].dep_ == "prt" or (doc[j].dep_ == "prep" and content_tok is not None
                                         and content_tok.head.i == j)):
            hi = j
            j += 1
        return (doc[lo].idx, doc[hi].idx + len(doc[hi]))

    @staticmethod
    def _subject(tok: Token) -> Token | None:
        current = tok
        for _ in range(4):
            subjects = [c for c in current.children if c.dep_ == "nsubj"]
            if subjects:
                # two subjects come from a misparse; the one nearest the verb is its own
                return min(subjects, key=lambda c: abs(c.i - current.i))
            for child in current.children:
                if child.dep_ == "agent":
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
            if current.pos_ == "NOUN":
                poss = next((c for c in current.children if c.dep_ == "poss"), None)
                if poss is not None:
                    return poss
            if any(c.dep_ == "nsubjpass" for c in current.children):
                return None  # "it was reported that": no source
            if current.dep_ in ("xcomp", "conj", "advcl", "acl", "dobj", "pcomp", "pobj", "prep") \
                    and current.head.i != current.i:
                current = current.head
                continue
            return None
        return None

    @staticmethod
    def _np_range(head: Token) -> tuple[int, int]:
        """Token range of the noun phrase headed by ``head``, without trailing clauses."""
        start, end = head.left_edge.i, head.right_edge.i + 1
        doc = head.doc
        for child in head.rights:
            if child.dep_ == "punct" and child.text not in (",", "—", "–", ";", ":"):
                continue  # closing quote marks and brackets stay inside
            if child.dep_ == "appos" and doc[child.left_edge.i - 1].text not in (",", "(", "—", "–"):
                continue  # "the newspaper Korea JoongAng Daily" is one name
            if child.dep_ in SPLIT_DEPS and (child.dep_ != "prep" or child.lower_ not in ("of", "from", "with", "at", "in", "for")):
                end = min(end, child.left_edge.i)
        while start < head.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start + 1 and (doc[end - 1].text in (",", ";", ":", "—", "–", ".", "-") or doc[end - 1].is_space):
            end -= 1
        return (start, max(end, head.i + 1))

    def _content(self, doc: Doc, tok: Token, frame: str, content_tok: Token | None,
                 source: tuple[int, int] | None) -> list[tuple[int, int]]:
        if content_tok is None:
            return []
        if frame == "head":
            head = content_tok
            spans = []
            if head.left_edge.i < tok.left_edge.i:
                spans.append(self._char_range(doc, head.left_edge.i, tok.left_edge.i))
            if tok.right_edge.i + 1 <= head.right_edge.i:
                spans.append(self._char_range(doc, tok.right_edge.i + 1, head.right_edge.i + 1))
            return [s for s in spans if s]
        lo, hi = content_tok.left_edge.i, content_tok.right_edge.i + 1
        if frame == "dobj" or frame.startswith("prep:"):
            # "criticized Clinton's email use, which an FBI investigation said …": a
            # non-restrictive clause after a comma says something else about the object
            for child in content_tok.rights:
                if child.dep_ in ("relcl", "acl") and doc[child.left_edge.i - 1].text == ",":
                    hi = min(hi, child.left_edge.i - 1)
        if frame == "xcomp":
            # "Hamas is believed to be linked": the passive subject belongs to the content
            passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if passive is not None:
                lo = min(lo, passive.left_edge.i)
        span = self._char_range(doc, lo, hi)
        return [span] if span else []

    def _extras(self, tok: Token, subj: Token | None, content_tok: Token | None, attr: Attribution) -> None:
        """Cited intermediaries, addressees and the hedges on the cue itself."""
        for holder in (tok, subj):
            if holder is None:
                continue
            for child in holder.children:
                if child.lemma_ == "cite" and child.i != tok.i:
                    obj = next((g for g in child.children if g.dep_ in ("dobj", "pobj")), None)
                    if obj is not None:
                        attr.cited.append(self._np_range(obj))
                        attr.cite_tokens.append(child.i)
                elif child.lemma_ in ADDRESSEE_VERBS and child.dep_ in ("advcl", "acl", "xcomp"):
                    for prep in child.children:
                        if prep.dep_ == "prep" and prep.lower_ == "to":
                            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                            if pobj is not None:
                                attr.addressees.append(self._np_range(pobj))
        for child in tok.children:
            if child.dep_ in ("dobj", "dative"):
                # kept only if it ends up outside the content ("told VOA", "warned lawmakers")
                attr.addressees.append(self._np_range(child))
            elif child.dep_ in ("advmod", "aux", "neg"):
                attr.hedge_tokens.append(child.i)
        if tok.dep_ == "xcomp" and tok.head.lemma_ in ("appear", "seem"):
            attr.hedge_tokens.append(tok.head.i)

    @staticmethod
    def _char_range(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
        while lo < hi and (doc[lo].is_space or doc[lo].text in EDGE_PUNCT):
            lo += 1
        while hi > lo and (doc[hi - 1].is_space or doc[hi - 1].text in EDGE_PUNCT):
            hi -= 1
        if hi <= lo:
            return None
        return (doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))

    # -- direct quotes ---------------------------------------------------------------------
    def _cue_near(self, doc: Doc, i: int, step: int, quoted: list[int], limit: int) -> Token | None:
        """The nearest known cue verb outside long quotes from token ``i`` going ``step``."""
        n = 0
        while 0 <= i < len(doc) and n < limit:
            tok = doc[i]
            if "\n" in tok.text:
                return None
            if quoted[i] >= 0:
                # a scare-quoted word inside the source ("a “commentary” in KCNA declared") is
                # stepped over; a real quote ends the search
                q = quoted[i]
                j = i
                while 0 <= j < len(doc) and quoted[j] == q:
                    j += step
                if abs(j - i) > 4:
                    return None
                n += abs(j - i)
                i = j
                continue
            if tok.text in (".", "!", "?") and n > 0:
                return None
            key = cue_key(tok)
            if key and tok.pos_ == "VERB" and self.lemma_best.get(key, 0.0) >= QUOTE_CUE_MIN \
                    and tok.dep_ not in ("amod", "compound", "acl", "relcl", "pcomp"):
                return tok
            i += step
            n += 1
        return None

    def _link_quotes(self, doc: Doc, text: str, quotes, quoted: list[int], attrs: list[Attribution]) -> None:
        by_cue = {a.cue_i: a for a in attrs if a.cue_i is not None}
        first_tok: dict[int, int] = {}
        last_tok: dict[int, int] = {}
        for i, q in enumerate(quoted):
            if q >= 0:
                first_tok.setdefault(q, i)
                last_tok[q] = i
        previous: tuple[int, Attribution] | None = None
        for q, quote in enumerate(quotes):
            if q not in first_tok:
                continue
            qs, qe = first_tok[q], last_tok[q] + 1
            cue = None
            inner = text[max(quote.start, quote.end - 3):quote.end]
            after = qe
            while after < len(doc) and doc[after].is_space and "\n" not in doc[after].text:
                after += 1
            if any(ch in inner for ch in ",.!?") or (after < len(doc) and doc[after].text in (",", "—", "–")):
                # “…,” X said / “…” — X said: the cue follows a quote that ends a clause, and its
                # subject sits between the quote and the cue (or right after it: "said Kim")
                cue = self._cue_near(doc, qe, 1, quoted, 20)
                if cue is not None:
                    subj = self._subject(cue)
                    if subj is not None and subj.i < qe:
                        cue = None
            if cue is None:
                before = qs - 1
                while before >= 0 and doc[before].is_space:
                    before -= 1
                if before >= 0 and doc[before].text in (":", ","):
                    cue = self._cue_near(doc, before - 1, -1, quoted, 15)
            if cue is None:
                # "“A,” he said. “B.”": a quote right after an attributed quote's sentence,
                # in the same paragraph, continues it
                if previous is not None and previous[0] == q - 1:
                    gap = text[quotes[q - 1].end:quote.start]
                    attr = previous[1]
                    if "\n" not in gap and attr.cue_span and quotes[q - 1].end <= attr.cue_span[0] < quote.start:
                        attr.content.append(quote.span)
                        previous = (q, attr)
                continue
            attr = by_cue.get(cue.i)
            if attr is None:
                key = cue_key(cue)
                subj = self._subject(cue)
                attr = Attribution(cue.i, self._cue_extent(cue), key[0],
                                   self.lexicon.cue_class(key[0]), None, [], 0.0, frame="quote")
                if subj is not None:
                    attr.source = self._np_range(subj)
                self._extras(cue, subj, None, attr)
                attrs.append(attr)
                by_cue[cue.i] = attr
            attr.content = [quote.span]
            best = self.lemma_best.get(cue_key(cue), 0.0)
            attr.confidence = max(attr.confidence, QUOTE_PRECISION if best >= 0.3 else best)
            attr.base_precision = max(getattr(attr, "base_precision", 0.0), attr.confidence)
            attr.quote = "direct"
            previous = (q, attr)

    # -- consolidation -----------------------------------------------------------------------
    def _finish(self, doc: Doc, quotes, attrs: list[Attribution]) -> list[Attribution]:
        out = []
        # "X, citing Y, said …": "citing" is part of the said attribution, not one of its own
        citing = {i for attr in attrs for i in attr.cite_tokens}
        for attr in attrs:
            if not attr.content or attr.cue_i in citing:
                continue
            attr.content = sorted(set(attr.content))
            attr.addressees = [r for r in attr.addressees
                               if not any(s <= doc[r[0]].idx < e for s, e in attr.content)]
            if attr.cue_span is not None:
                # the cue is never part of its own content (", he said," inside a head frame)
                attr.content = [c for c in attr.content if not (c[0] <= attr.cue_span[0] < c[1])] or attr.content
            covered = [any(q.start <= s + 1 and e - 1 <= q.end for q in quotes) for s, e in attr.content]
            touching = any(q.start < e and s < q.end for q in quotes for s, e in attr.content)
            if all(covered):
                attr.quote = "direct"
            elif touching:
                attr.quote = "mixed"
            else:
                attr.quote = "indirect"
            out.append(attr)
        out.sort(key=lambda a: (a.cue_span or (0, 0))[0])
        # Attributions nested in a direct quote are rarely annotated in PolNeAR (their
        # in-quote precision is low), but they carry the chain of the events inside them
        # ("According to the lawmaker, the NIS noted …"): they count when they hold an event and
        # the cue is trustworthy outside quotes. Agentless ones there ("Hamas is believed to")
        # and "appear"/"seem" inside someone's content only hedge it.
        for a in out:
            a.eligible = (a.confidence >= self.min_confidence
                          or (a.in_quote and a.base_precision >= self.min_confidence and a.source is not None))
            if a.in_quote and a.source is None:
                a.eligible = False
        # nesting: the innermost other attribution whose content holds this cue
        for i, attr in enumerate(out):
            pos = attr.cue_span[0] if attr.cue_span else None
            best = None
            for j, other in enumerate(out):
                if j != i and pos is not None and other.eligible and other.holds(pos):
                    if best is None or other.size() < out[best].size():
                        best = j
            attr.parent = best
        for attr in out:
            if attr.cue in HEDGE_CUES and attr.parent is not None:
                attr.eligible = False
        # break cycles (two attributions holding each other's cues): the larger one is outer
        for i, attr in enumerate(out):
            seen = {i}
            j = attr.parent
            while j is not None:
                if j in seen:
                    attr.parent = None
                    break
                seen.add(j)
                j = out[j].parent
        return out

    @staticmethod
    def _event_owners(attrs: list[Attribution], events: list[dict]) -> dict[int, list[int]]:
        owners: dict[int, list[int]] = {}
        for e, event in enumerate(events):
            trigger = event.get("trigger_span")
            if not trigger:
                continue
            best = None
            for i, attr in enumerate(attrs):
                if attr.eligible and (attr.parent is None or attr.base_precision >= NESTED_OWNER_MIN
                                      or attr.frame in CLAUSE_FRAMES or attr.cue_class != "assert") \
                        and attr.holds(trigger[0]) and (best is None or attr.size() < attrs[best].size()):
                    best = i
            if best is not None:
                owners.setdefault(best, []).append(e)
        return owners

    # -- speakers and chains -------------------------------------------------------------------
    def _resolve_speakers(self, doc: Doc, attrs: list[Attribution]) -> None:
        by_token = mention_by_token(doc)
        actors = doc._.actors if doc._.actors is not None else {}
        history: list[tuple[int, str, str]] = []  # (head token, head lemma, actor id) of sources
        depth = []
        for attr in attrs:
            d, j = 0, attr.parent
            while j is not None and d < 10:
                d, j = d + 1, attrs[j].parent
            depth.append(d)
        # parents before their nested attributions (a quote's cue comes after the cues inside
        # it); lookbacks into ``history`` only consider sources before the one being resolved
        order = sorted(range(len(attrs)), key=lambda i: (depth[i], (attrs[i].cue_span or (0, 0))[0]))
        for position in order:
            attr = attrs[position]
            parent = attrs[attr.parent] if attr.parent is not None else None
            if attr.source is not None:
                attr.speaker_text = doc[attr.source[0]:attr.source[1]].text
                attr.speaker = self._actor_for(doc, attr.source, by_token, actors, history, parent, attrs)
            cited = [self._actor_for(doc, r, by_token, actors, history, parent, attrs) for r in attr.cited]
            via_media = []
            for r in attr.addressees:
                actor = self._actor_for(doc, r, by_token, actors, history, None, attrs, create=False)
                info = actors.get(actor) if actor else None
                if info and (info.get("kind") == "media" or info.get("sector") == "MED"):
                    via_media.append(actor)
            previous = next((attrs[j] for j in range(position - 1, -1, -1)
                             if attrs[j].eligible and attrs[j].confidence >= self.min_confidence), None)
            if (not via_media and previous is not None and attr.source is not None
                    and doc[attr.source[0]:attr.source[1]].root.lower_ in PRONOUNS
                    and previous.speaker and previous.speaker == attr.speaker):
                # "… he noted": the same interview as the speaker's previous statement
                via_media = list(previous.via_media)
            attr.via_media = via_media
            chain = (list(parent.chain) if parent is not None else []) + via_media
            if attr.speaker:
                chain.append(attr.speaker)
            chain += [c for c in cited if c]
            dedup: list[str] = []
            for actor in chain:
                if not dedup or dedup[-1] != actor:
                    dedup.append(actor)
            attr.chain = dedup
            if cited and cited[-1]:
                # "X, citing Y, said …": the information is Y's, relayed by X
                attr.speaker = cited[-1]
                attr.speaker_text = doc[attr.cited[-1][0]:attr.cited[-1][1]].text
            if attr.speaker is None and attr.source is None and parent is not None and parent.speaker:
                # "NIS warned … it has reason to believe …" with the subject out of reach: the
                # nested cue is still the enclosing speaker's
                attr.speaker, attr.speaker_text = parent.speaker, parent.speaker_text
            if attr.speaker and not attr.chain:
                attr.chain = [attr.speaker]

    def _actor_for(self, doc: Doc, rng: tuple[int, int], by_token: dict, actors: dict,
                   history: list, parent: Attribution | None, attrs: list[Attribution],
                   create: bool = True) -> str | None:
        start, end = rng
        span = doc[start:end]
        head = span.root
        lemma = head.lemma_.lower()
        inside = []
        for i in range(start, end):
            m = by_token.get(i)
            if m and m.get("actor_id") and m not in inside and not self._generic(doc, m, actors) \
                    and self._attached(doc[m["head"]], head):
                inside.append(m)
        named = [m for m in inside if not m.get("owner") and not (actors.get(m["actor_id"]) or {}).get("anonymous")]
        # "officials from Seoul's NIS": the organisation nearest the head, not what qualifies it
        named.sort(key=lambda m: self._hops(doc[m["head"]], head))
        if head.lower_ in PRONOUNS or lemma in PRONOUNS:
            return self._pronoun(head, parent, attrs, actors, history, by_token, self)
        if head.pos_ in ("NUM", "PRON", "DET", "ADJ") or lemma in ("one", "some", "several", "many", "most"):
            # "One of the officials said": the officials already quoted
            part = next((p for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"), None)
            if part is not None and any(d.dep_ == "det" and d.lower_ in ("the", "these", "those") for d in part.children):
                for i, past_lemma, actor in sorted(history, reverse=True):
                    if i < head.i and past_lemma == part.lemma_.lower():
                        return actor
        mention = by_token.get(head.i)
        if mention and mention.get("actor_id") and not mention.get("owner") \
                and not self._generic(doc, mention, actors):
            info = actors.get(mention["actor_id"]) or {}
            # "officials from Seoul's NIS": the named organisation, not a group of its country;
            # "unnamed officials with the JCS" stay an anonymous group
            # ("Israel's ambassador to South Korea" is Israel's, so another state never wins)
            better = [m for m in named if m is not mention and m["actor_id"] != mention["actor_id"]
                      and not ((actors.get(m["actor_id"]) or {}).get("kind") == "state"
                               and (actors.get(m["actor_id"]) or {}).get("country") != info.get("country"))]
            if info.get("anonymous") and better and not any(t.lower_ in UNNAMED for t in span):
                return self._remember(history, head, better[0]["actor_id"])
            return self._remember(history, head, mention["actor_id"])
        if named and lemma in ("agency", "service") and any(t.lemma_ in ("spy", "intelligence") for t in span):
            # "South Korea's spy agency": that country's intelligence service, named elsewhere
            country = (actors.get(named[0]["actor_id"]) or {}).get("country")
            for m in doc._.actor_mentions or []:
                info = actors.get(m.get("actor_id")) or {}
                if country and info.get("sector") == "SPY" and info.get("country") == country:
                    return self._remember(history, head, m["actor_id"])
        if named:
            return self._remember(history, head, named[0]["actor_id"])
        sector = self.sector_nouns.get(lemma) or self.sector_nouns.get(head.lower_)
        if sector and create:
            country = (actors.get(inside[0]["actor_id"]) or {}).get("country") if inside else None
            # "The Israeli government" when the actors component left the adjective unresolved
            country = country or self._demonym_country(span)
            if country:
                return self._remember(history, head, self._group_actor(doc, country, sector))
        if sector or head.pos_ == "NOUN":
            # "the lawmaker", "the intelligence officials": an earlier source with this head
            earlier = [(i, lem, a) for i, lem, a in sorted(history) if i < head.i]
            for _i, past_lemma, actor in reversed(earlier):
                if past_lemma == lemma:
                    return actor
            if lemma in ("intelligence",) or any(t.lemma_ in ("intelligence", "spy") for t in span):
                for _i, past_lemma, actor in reversed(earlier):
                    if (actors.get(actor) or {}).get("sector") == "SPY":
                        return actor
                # sources nested deeper are resolved later: an earlier mention of the service
                for m in sorted(doc._.actor_mentions or [], key=lambda m: -m["start"]):
                    if m["start"] < head.idx and (actors.get(m.get("actor_id")) or {}).get("sector") == "SPY":
                        return self._remember(history, head, m["actor_id"])
            if sector and create and actors:
                country = self._context_country(doc, head, by_token, actors)
                if country:
                    return self._remember(history, head, self._group_actor(doc, country, sector))
        return None

    @staticmethod
    def _attached(tok: Token, head: Token) -> bool:
        """Whether ``tok`` names (part of) the noun phrase ``head`` itself ("officials from
        the NIS", "the JCS official") rather than something in a modifier clause ("a lawmaker
        present at the NIS briefing")."""
        for _ in range(8):
            if tok.i == head.i:
                return True
            if tok.dep_ not in ("compound", "poss", "pobj", "prep", "appos", "nmod", "flat", "case"):
                return False
            if tok.dep_ == "prep" and tok.lower_ not in ("of", "from", "with", "at", "for", "in"):
                return False
            if tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    @staticmethod
    def _hops(tok: Token, head: Token) -> int:
        n = 0
        while tok.i != head.i and tok.head.i != tok.i and n < 10:
            tok, n = tok.head, n + 1
        return n

    @staticmethod
    def _generic(doc: Doc, mention: dict, actors: dict) -> bool:
        """A mention resolved only to a common noun ("the intelligence officials" -> cg:official,
        a group without a country): no better than unresolved for attribution."""
        actor_id = mention.get("actor_id") or ""
        info = actors.get(actor_id) or {}
        if actor_id.startswith("cg:") and doc[mention["head"]].pos_ == "NOUN":
            return True
        return bool(info.get("anonymous")) and not info.get("country")

    @staticmethod
    def _remember(history: list, head: Token, actor: str) -> str:
        history.append((head.i, head.lemma_.lower(), actor))
        return actor

    @staticmethod
    def _pronoun(head: Token, parent: Attribution | None, attrs: list[Attribution], actors: dict,
                 history: list, by_token: dict, finder=None) -> str | None:
        person = head.lower_ in PERSON_PRONOUNS

        def fits(actor: str | None) -> bool:
            if not actor:
                return False
            kind = (actors.get(actor) or {}).get("kind")
            if kind is None:
                return True
            return (kind == "person") == person or kind == "group"

        if parent is not None and fits(parent.speaker):
            return parent.speaker  # "NIS warned that it has reason to believe …"
        mention = by_token.get(head.i)
        if mention and mention.get("actor_id") and finder is not None \
                and not finder._generic(head.doc, mention, actors):
            return mention["actor_id"]
        for _i, _lemma, actor in reversed([h for h in sorted(history) if h[0] < head.i]):
            if fits(actor):
                return actor
        # nobody has spoken yet: the nearest earlier actor of the right kind
        for i in range(head.i - 1, max(-1, head.i - 200), -1):
            mention = by_token.get(i)
            if mention and mention.get("actor_id") and not mention.get("owner") and fits(mention["actor_id"]):
                kind = (actors.get(mention["actor_id"]) or {}).get("kind")
                if kind is not None:
                    return mention["actor_id"]
        return None

    @staticmethod
    def _demonym_country(span) -> str | None:
        try:
            from ..kb.base import load_kb
            kb = load_kb()
        except Exception:  # noqa: BLE001 - the KB is optional for attribution
            return None
        for tok in span:
            if tok.pos_ in ("ADJ", "PROPN") and tok.dep_ in ("amod", "compound", "nmod"):
                country = kb.demonym(tok.text)
                if country:
                    return country
        return None

    @staticmethod
    def _context_country(doc: Doc, head: Token, by_token: dict, actors: dict) -> str | None:
        """The country of the nearest actor mentioned before ``head`` in its paragraph."""
        for i in range(head.i - 1, max(-1, head.i - 60), -1):
            if "\n" in doc[i].text:
                break
            mention = by_token.get(i)
            if mention and mention.get("actor_id"):
                country = (actors.get(mention["actor_id"]) or {}).get("country")
                if country:
                    return country
        return None

    @staticmethod
    def _group_actor(doc: Doc, country: str, sector: str) -> str:
        actor_id = f"{country}-{sector}"
        actors = doc._.actors if doc._.actors is not None else {}
        if actor_id not in actors:
            actors[actor_id] = {"id": actor_id, "name": f"{country} {sector.lower()} (unnamed)",
                                "country": country, "sector": sector, "kind": "group",
                                "anonymous": True}
            doc._.actors = actors
        return actor_id

    # -- claims ----------------------------------------------------------------------------
    def _claims(self, doc: Doc, attrs: list[Attribution], keep: list[int],
                owners: dict[int, list[int]], events: list[dict], quotes) -> list[dict]:
        claims: list[dict] = []
        actors = doc._.actors or {}
        owned = {e for i in keep for e in owners.get(i, [])}
        framing = self._framing_terms(doc)
        direct_parts = {i: [c for c in attrs[i].content
                            if any(q.start <= c[0] + 1 and c[1] - 1 <= q.end for q in quotes)]
                        for i in keep}
        used_terms: set[int] = set()
        for i in keep:
            attr = attrs[i]
            event_ids = owners.get(i) or []
            if not event_ids and attr.cue_class == "deny":
                event_ids = self._denied_event(attr, events, actors)
            terms = []
            for t, term in enumerate(framing):
                if any(s <= term["span"][0] < e for s, e in direct_parts[i]):
                    terms.append(term)
                    used_terms.add(t)
            for e in event_ids or [None]:
                claims.append(self._claim(doc, attr, e, events, terms))
        # the outlet's own voice: events carried by no attribution, one claim each
        outlet_by_sentence: dict[tuple[int, int], list[dict]] = {}
        for e, event in enumerate(events):
            if e in owned or event.get("caption") or not event.get("trigger_span"):
                continue
            sent = (tuple(event["sent_span"]) if event.get("sent_span")
                    else self._sentence_span(doc, event["trigger_span"][0]))
            claim = self._outlet_claim(doc, sent, e, events)
            claims.append(claim)
            outlet_by_sentence.setdefault(sent, []).append(claim)
        for t, term in enumerate(framing):
            if t in used_terms:
                continue
            sent = self._sentence_span(doc, term["span"][0])
            if sent not in outlet_by_sentence:
                claim = self._outlet_claim(doc, sent, None, events)
                claims.append(claim)
                outlet_by_sentence[sent] = [claim]
            outlet_by_sentence[sent][0]["framing"].append(term)
        claims.sort(key=lambda c: (c["span"][0], c["span"][1]))
        return claims

    @staticmethod
    def _sentence_span(doc: Doc, pos: int) -> tuple[int, int]:
        tok = doc.char_span(pos, pos + 1, alignment_mode="expand")
        sent = tok[0].sent if tok is not None and len(tok) else next(iter(doc.sents))
        text = sent.text.rstrip()
        return (sent.start_char, sent.start_char + len(text))

    def _claim(self, doc: Doc, attr: Attribution, e: int | None, events: list[dict], terms) -> dict:
        event = events[e] if e is not None else None
        level, denied = self.certainty.assess(doc, attr, event)
        stance = "deny" if attr.cue_class == "deny" or denied or (event and event.get("negated")) else "assert"
        source_span = None
        if attr.source is not None:
            s = doc[attr.source[0]:attr.source[1]]
            source_span = [s.start_char, s.end_char]
        parts = [list(c) for c in attr.content]
        spans = [p for p in parts] + ([source_span] if source_span else []) + \
            ([list(attr.cue_span)] if attr.cue_span else [])
        claim = {
            "speaker": attr.speaker,
            "speaker_text": attr.speaker_text,
            "chain": list(attr.chain),
            "cue": attr.cue,
            "quote": attr.quote,
            "stance": stance,
            "certainty": LEVELS[level],
            "span": [min(s for s, _ in spans), max(e for _, e in spans)],
            "source_span": source_span,
            "cue_span": list(attr.cue_span) if attr.cue_span else None,
            "content_span": [parts[0][0], parts[-1][1]],
            "confidence": round(float(getattr(attr, "base_precision", attr.confidence)
                                      if attr.in_quote else attr.confidence), 3),
            "framing": [dict(t) for t in terms],
            "event_index": e,
        }
        if len(parts) > 1:
            claim["content_spans"] = parts
        return claim

    def _outlet_claim(self, doc: Doc, sent: tuple[int, int], e: int | None, events: list[dict]) -> dict:
        event = events[e] if e is not None else None
        pseudo = Attribution(None, None, None, "assert", None, [sent], 1.0)
        level, denied = self.certainty.assess(doc, pseudo, event)
        return {
            "speaker": None, "speaker_text": None, "chain": [], "cue": None, "quote": "none",
            "stance": "deny" if denied or (event and event.get("negated")) else "assert",
            "certainty": LEVELS[level], "span": list(sent), "source_span": None, "cue_span": None,
            "content_span": list(sent), "confidence": 0.9, "framing": [], "event_index": e,
        }

    @staticmethod
    def _denied_event(attr: Attribution, events: list[dict], actors: dict) -> list[int]:
        """A denial whose content codes no event ("dismissing the accusations") denies the latest
        earlier event that has the speaker (or the speaker's country) as its source."""
        if not attr.speaker or attr.cue_span is None:
            return []
        country = (actors.get(attr.speaker) or {}).get("country")
        for e in range(len(events) - 1, -1, -1):
            event = events[e]
            trigger = event.get("trigger_span")
            if not trigger or trigger[0] >= attr.cue_span[0] or event.get("caption"):
                continue
            sources = set(event.get("source") or [])
            if attr.speaker in sources or (country and (country in sources or any(
                    (actors.get(s) or {}).get("country") == country for s in sources))):
                return [e]
        return []

    # -- framing -------------------------------------------------------------------------------
    def _framing_terms(self, doc: Doc) -> list[dict]:
        # lexicon hits as units: a multi-word entry ("empire of evil") is one unit, longest first
        units: list[tuple[int, int, str]] = []
        covered: set[int] = set()
        if self._framing_matcher is not None:
            for _id, s, e in sorted(self._framing_matcher(doc), key=lambda m: (m[1] - m[2], m[1])):
                if covered.intersection(range(s, e)):
                    continue
                kind = "term" if e - s > 1 else self.framing.get(doc[s].lower_, "term")
                tok = doc[s]
                if kind == "adj" and not (tok.dep_ in ("amod", "compound") or tok.pos_ == "ADJ"):
                    continue  # "evil" as a noun, "radical" as a noun: not an evaluation of a noun
                units.append((s, e, kind))
                covered.update(range(s, e))
        if not units:
            return []
        by_token = mention_by_token(doc)
        actors = doc._.actors or {}
        groups: dict[int, list[tuple[int, int, str]]] = {}
        for s, e, kind in sorted(units):
            head = doc[s:e].root
            # evaluative modifiers join the noun they modify ("genocidal jihadist terror group")
            while head.dep_ in ("amod", "compound") and head.head.i > head.i and head.head.i - head.i <= 6:
                head = head.head
            groups.setdefault(head.i, []).append((s, e, kind))
        terms = []
        for head_i, members in sorted(groups.items()):
            start = min(s for s, _, _ in members)
            end = max(e for _, e, _ in members)
            head = doc[head_i]
            if all(k == "adj" for _, _, k in members) and head.i >= end and head.pos_ == "NOUN" \
                    and head.i not in by_token:
                end = head.i + 1  # "criminal actions": an adjective alone names no one
            target = self._framing_target(doc, head, start, end, by_token, actors)
            span = doc[start:end]
            terms.append({"text": span.text, "span": [span.start_char, span.end_char], "target": target})
        return terms

    def _framing_target(self, doc: Doc, head: Token, start: int, end: int, by_token: dict,
                        actors: dict) -> str | None:
        candidates = []
        if head.dep_ in ("compound", "appos", "amod") and head.head.i != head.i:
            candidates.append(head.head)
        candidates += [c for c in head.children if c.dep_ in ("appos", "compound", "poss")]
        candidates.append(head)
        for owner_ok in (False, True):
            for cand in candidates:
                for i in range(cand.left_edge.i, cand.right_edge.i + 1):
                    if not owner_ok and start <= i < end:
                        continue
                    mention = by_token.get(i)
                    if not mention or not mention.get("actor_id") or self._generic(doc, mention, actors):
                        continue
                    if owner_ok or not mention.get("owner"):
                        return mention["actor_id"]
        return None


@Language.factory("claimgraph_claims", requires=["doc._.actor_mentions", "doc._.events"],
                  assigns=["doc._.claims"],
                  default_config={"min_confidence": 0.3, "use_model": True, "model_threshold": MODEL_THRESHOLD})
def make_claims(nlp, name, min_confidence: float, use_model: bool, model_threshold: float):
    return ClaimFinder(nlp, min_confidence, use_model, model_threshold)
