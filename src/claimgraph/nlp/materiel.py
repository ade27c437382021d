"""Weapons and equipment named in a text, with a category from the materiel taxonomy
(lexicons/events_materiel.tsv, documented in docs/EVENTS.md).

One PhraseMatcher pass per document finds taxonomy phrases; each hit grows to its noun
phrase (the head noun plus its left modifiers, "multi-launch rocket launchers"), and the
phrase takes the category of the highest-priority taxonomy entry inside it.
"""
from __future__ import annotations

from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

LEXICON = Path(__file__).with_name("lexicons") / "events_materiel.tsv"
_MODIFIER_DEPS = {"amod", "compound", "nmod", "nummod", "quantmod", "advmod", "npadvmod", "punct"}


def _plurals(phrase: str) -> list[str]:
    words = phrase.split(" ")
    last = words[-1]
    if not last.isalpha() or last.endswith("s"):
        forms = [last]
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        forms = [last, last[:-1] + "ies"]
    elif last.endswith(("ch", "sh", "x")):
        forms = [last, last + "es"]
    else:
        forms = [last, last + "s"]
    return [" ".join(words[:-1] + [f]) for f in forms]


class MaterielFinder:
    def __init__(self, vocab, lexicon: Path = LEXICON):
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.info: dict[int, tuple[str, int]] = {}
        from spacy.lang.en import English

        tokenizer = English().tokenizer
        for line in lexicon.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            phrase, category, priority = line.split("\t")[:3]
            key = vocab.strings.add(f"MATERIEL|{category}|{priority}")
            self.info[key] = (category, int(priority))
            patterns = [tokenizer(form.replace(" - ", "-")) for form in _plurals(phrase)]
            self.matcher.add(f"MATERIEL|{category}|{priority}", patterns)

    def find(self, doc: Doc) -> list[dict]:
        """[{"text","category","start","end","head"}] noun phrases naming materiel."""
        by_head: dict[int, dict] = {}
        for key, start, end in self.matcher(doc):
            category, priority = self.info[key]
            head = doc[end - 1]
            # A hit inside a modifier ("anti-tank" in "anti-tank weapons") belongs to the noun
            # it modifies.
            while (head.pos_ not in ("NOUN", "PROPN") and head.dep_ in _MODIFIER_DEPS
                   and head.head.i > head.i and head.head.i - head.i <= 4):
                head = head.head
            # A weapon noun used as a modifier ("weapons exhibition", "arms trade") names
            # something else.
            if head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "compound":
                continue
            left = head.i
            for child in head.lefts:
                if child.dep_ in _MODIFIER_DEPS:
                    left = min(left, child.left_edge.i)
            left = min(left, start)
            # Leading determiners, possessors and demonyms are not part of the weapon's name.
            while left < head.i and (doc[left].pos_ in ("DET", "PUNCT", "NUM", "PRON")
                                     or doc[left].ent_type_ in ("NORP", "GPE", "ORG", "CARDINAL")
                                     or doc[left].lower_ in ("other", "more", "top", "such", "new", "significant", "several")):
                left += 1
            current = by_head.get(head.i)
            if current is None or priority > current["priority"]:
                by_head[head.i] = {"start": left, "end": head.i + 1, "head": head.i,
                                   "category": category, "priority": priority}
            else:
                current["start"] = min(current["start"], left)
        found = []
        for item in sorted(by_head.values(), key=lambda x: x["start"]):
            span = doc[item["start"]:item["end"]]
            found.append({"text": span.text, "category": item["category"], "start": item["start"],
                          "end": item["end"], "head": item["head"]})
        return found
