"""The events component's data: trigger frames, word classes, cues and the CAMEO table, read
once from lexicons/events_*.tsv (see docs/EVENTS.md for what each file means)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LEXICONS = Path(__file__).with_name("lexicons")


@dataclass(frozen=True)
class Frame:
    lemma: str
    pos: str            # "V" | "N"
    prt: str | None     # required particle / preposition
    cond: str | None    # "obj:aid|weapon", "mod:joint", "prep:on", "lv", "xcomp:any", ...
    type: str | None    # PLOVER type; None blocks the lemma
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    reverse: bool       # the subject receives ("Hamas bought rockets from Iran")

    @property
    def specificity(self) -> int:
        return 2 * (self.prt is not None) + (self.cond is not None)


@dataclass
class Lexicon:
    frames: dict[tuple[str, str], list[Frame]] = field(default_factory=dict)
    classes: dict[str, set[str]] = field(default_factory=dict)   # word -> classes
    cues: dict[str, set[str]] = field(default_factory=dict)      # kind -> words
    cameo: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)

    def cue(self, kind: str) -> set[str]:
        return self.cues.get(kind, set())

    def in_class(self, word: str, name: str) -> bool:
        return name in self.classes.get(word, ())

    def nearest_cameo(self, base: str | None, type_: str, mode: str | None, context) -> str | None:
        """The CAMEO code under ``base``'s root whose PLOVER type/mode/context fit best."""
        if base is None:
            return None
        root = base[:2]
        best, best_score = base, -1
        for code, ptype, modes, contexts in self.cameo:
            if not code.startswith(root) or ptype != type_:
                continue
            overlap = len(set(context or ()) & set(contexts))
            if not overlap and code != base:
                continue
            score = 2 * overlap + (1 if mode and mode in modes else 0) + (0.5 if code == base else 0)
            if score > best_score or (score == best_score and len(code) < len(best)):
                best, best_score = code, score
        return best if best_score > 0.5 else base


def _rows(name: str):
    for line in (LEXICONS / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield [None if cell in ("-", "") else cell for cell in line.rstrip("\n").split("\t")]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    lex = Lexicon()
    frames: dict[tuple[str, str], list[Frame]] = defaultdict(list)
    for lemma, pos, prt, cond, type_, mode, context, cameo in _rows("events_triggers.tsv"):
        reverse = bool(type_ and type_.endswith("*"))
        type_ = type_.rstrip("*") if type_ else None
        if type_ == "NONE":
            type_ = None
        frames[(lemma, pos)].append(Frame(lemma, pos, prt, cond, type_, mode,
                                          tuple(context.split(",")) if context else (), cameo, reverse))
    # Most specific frame first; the file order breaks ties.
    lex.frames = {key: sorted(rows, key=lambda f: -f.specificity) for key, rows in frames.items()}
    classes: dict[str, set[str]] = defaultdict(set)
    for word, name in _rows("events_classes.tsv"):
        classes[word].add(name)
    lex.classes = dict(classes)
    cues: dict[str, set[str]] = defaultdict(set)
    for word, kind in _rows("events_cues.tsv"):
        cues[kind].add(word)
    lex.cues = dict(cues)
    for code, type_, mode, context, _desc in _rows("events_cameo.tsv"):
        lex.cameo.append((code, type_, tuple(mode.split(",")) if mode else (),
                          tuple(context.split(",")) if context else ()))
    return lex
