"""How sure a claim is (certain / probable / possible) and whether its speaker rejects it.

The level starts from the cue class ("believe", "allege" lower it) and drops to the lowest
hedge found in scope: the cue's own modifiers ("reportedly claimed", "may have said", "appeared
to confirm") and the content. When a claim carries an event, only the content sentences that
state that event (its trigger, or a mention of its intermediary) count, so "They use North
Korean weapons. It could be that the weapons came through Iran" is certain for the use and
possible for the route through Iran. Boosters ("clearly", "confirmed") undo a lowering that came
from the cue class alone. Denial markers ("groundless", "false") make the stance deny when
they qualify the phrase that holds the event ("a groundless rumor that X did Y").
"""
from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .cues import certainty_lexicon

LEVEL = {"possible": 0, "probable": 1, "certain": 2}
CLASS_LEVEL = {"assert": 2, "deny": 2, "concede": 2, "believe": 1, "allege": 1}


class Certainty:
    def __init__(self, vocab=None) -> None:
        lex = certainty_lexicon()
        self.single = lex["single"]
        self.matcher = None
        if vocab is not None and lex["phrase"]:
            from spacy.lang.en import English

            tokenizer = English().tokenizer
            self.matcher = PhraseMatcher(vocab, attr="LOWER")
            for phrase, level in lex["phrase"].items():
                self.matcher.add(level, [tokenizer(phrase)])
        self._cache_doc = None
        self._cache_phrases: dict[int, str] = {}

    def _phrases(self, doc: Doc) -> dict[int, str]:
        """First token index -> level of every multi-word hedge in ``doc`` (one matcher run)."""
        if self._cache_doc is not doc:
            self._cache_doc = doc
            self._cache_phrases = {}
            if self.matcher is not None:
                for match_id, start, _end in self.matcher(doc):
                    self._cache_phrases[start] = doc.vocab.strings[match_id]
        return self._cache_phrases

    def _scope(self, doc: Doc, attr, event: dict | None) -> list[tuple[int, int]]:
        content = list(attr.content)
        if not event or not event.get("trigger_span"):
            return content
        trigger = event["trigger_span"][0]
        via = set(event.get("via") or [])
        via_positions = [m["start"] for m in doc._.actor_mentions or []
                         if via and m.get("actor_id") in via]
        keep = []
        for start, end in content:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for sent in span.sents:
                s, e = max(start, sent.start_char), min(end, sent.end_char)
                if s <= trigger < e or any(s <= p < e for p in via_positions):
                    keep.append((s, e))
        return keep or content

    @staticmethod
    def _anchors(doc: Doc, attr, event: dict | None, trigger: int | None) -> list:
        """The tokens a hedge must scope over: the event's trigger and the mentions of its
        intermediaries, else the content's root."""
        out = []
        if trigger is not None:
            span = doc.char_span(trigger, trigger + 1, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span[0])
            via = set(event.get("via") or [])
            for mention in doc._.actor_mentions or []:
                if via and mention.get("actor_id") in via and attr.holds(mention["start"]):
                    out.append(doc[mention["head"]])
            return out
        if attr.content:
            span = doc.char_span(*attr.content[0], alignment_mode="expand")
            if span is not None and len(span):
                out.append(span.root)
        return out

    @staticmethod
    def _scopes_over(hedge, anchor) -> bool:
        """A hedge governs its head's clause (modals, adverbs, "likely") or its own (verbs such
        as "appear", "suggest"); it scopes over the anchor when the anchor lies inside."""
        if hedge.sent.start != anchor.sent.start:
            # a hedge in another sentence of a quote ("It could be that …") only counts
            # when the anchor is in that sentence; scope sentences were chosen already
            return False
        head = hedge if hedge.pos_ in ("VERB", "NOUN") and hedge.dep_ not in ("aux", "amod") else hedge.head
        while head.dep_ in ("aux", "auxpass", "advmod") and head.head.i != head.i:
            head = head.head
        return head.left_edge.i <= anchor.i <= head.right_edge.i

    def assess(self, doc: Doc, attr, event: dict | None) -> tuple[int, bool]:
        """(level index into possible/probable/certain, denied by a denial marker)."""
        class_level = CLASS_LEVEL.get(attr.cue_class, 2)
        hedge_level = 2
        boosted = False
        denied = False
        phrases = self._phrases(doc)
        tokens = list(attr.hedge_tokens)
        for start, end in self._scope(doc, attr, event):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                tokens.extend(range(span.start, span.end))
        trigger = event["trigger_span"][0] if event and event.get("trigger_span") else None
        anchors = self._anchors(doc, attr, event, trigger)
        cue_own = set(attr.hedge_tokens)
        for i in tokens:
            tok = doc[i]
            level = phrases.get(i) or self.single.get(tok.lower_) or self.single.get(tok.lemma_.lower())
            if level is None or tok.pos_ == "PROPN":
                continue
            if any(c.dep_ == "neg" for c in tok.children) or (i > 0 and doc[i - 1].lower_ in ("not", "no")):
                continue  # "not likely", "no doubt" are handled as their own phrases
            if i not in cue_own and anchors and not any(self._scopes_over(tok, a) for a in anchors):
                continue  # "a rumor that weapons seemed to be used": the hedge is the rumor's
            if level == "boost":
                boosted = True
            elif level == "deny":
                head = tok.head if tok.dep_ in ("amod", "acomp", "oprd", "conj") else tok
                if head.dep_ == "conj":
                    head = head.head
                if trigger is None:
                    denied = True
                elif head.left_edge.idx <= trigger < head.right_edge.idx + len(head.right_edge):
                    denied = True
            else:
                hedge_level = min(hedge_level, LEVEL[level])
        level = min(class_level, hedge_level)
        if boosted and hedge_level == 2:
            level = 2
        return level, denied
