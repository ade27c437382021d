"""Direct-quote spans in raw text, robust to the ways news text breaks quote marks.

Why not a regex like ``“[^”]*”``: news text mixes curly and straight marks, continues long
quotes across paragraphs (each new paragraph reopens the quote, only the last one closes it),
and a quarter of real documents have an odd number of marks (textacy raises on those). This
scanner never raises: an unclosed quote ends at its paragraph end, a stray closing mark is
ignored, and a mark that cannot open or close (an inch sign, ``5'2"``) is skipped.

Single quotes are only used inside an open double quote (nested quotes), because ’ is far more
often an apostrophe than a quote mark.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# One pass over the text for the characters that matter; everything else is skipped in C.
# '' and `` are the typewriter double quotes of some wire archives (NYT: ''Quote,'' he said).
_MARKS = re.compile(r"''|``|[\"\u201c\u201d\u201e\u00ab\u00bb\n]")
_OPEN = {"\u201c", "\u201e", "\u00ab"}
_CLOSE = {"\u201d", "\u00bb"}


@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int    # offset just after the closing mark (or the paragraph end when unclosed)
    closed: bool
    paragraphs: int = 1

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _straight_role(text: str, i: int, width: int = 1) -> str:
    """Decide whether a straight " (or '') opens or closes from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if before.isspace() or before in "([{—–-/:" :
        return "open" if not after.isspace() else "none"
    if after.isspace() or after in ".,;:!?)]}—–-'\u2019":
        return "close"
    if before.isalnum() and after.isalnum():
        return "none"
    return "close" if not before.isspace() else "open"


def _next_nonspace(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _paragraph_end(text: str, i: int) -> int:
    """Offset of the end of the paragraph containing ``i`` (trailing spaces excluded)."""
    j = text.find("\n", i)
    j = len(text) if j < 0 else j
    while j > i and text[j - 1] in " \t\r":
        j -= 1
    return j


def find_quotes(text: str) -> list[Quote]:
    """Direct quotes in ``text``, in order, never overlapping."""
    quotes: list[Quote] = []
    open_at: int | None = None
    paragraphs = 1
    for match in _MARKS.finditer(text):
        i = match.start()
        ch = match.group()
        width = len(ch)
        if ch == "\n":
            if open_at is None:
                continue
            # A quote still open at a paragraph break continues only when the next paragraph
            # reopens it (the news convention for multi-paragraph quotes).
            nxt = _next_nonspace(text, i)
            if nxt < len(text) and (text[nxt] in _OPEN or text[nxt] == '"' or text.startswith(("''", "``"), nxt)):
                continue
            quotes.append(Quote(open_at, _paragraph_end(text, open_at), False, paragraphs))
            open_at, paragraphs = None, 1
            continue
        if ch in _OPEN or ch == "``":
            role = "open"
        elif ch in _CLOSE:
            # a closing mark that opens a paragraph and touches a word ("”Fear. I am …") is a
            # mistyped opening mark: nothing before it in the paragraph could be quoted
            starts_paragraph = i == 0 or text[i - 1] == "\n"
            role = "open" if starts_paragraph and open_at is None and text[i + width:i + width + 1].isalnum() else "close"
        else:
            role = _straight_role(text, i, width)
        if open_at is None:
            if role == "open":
                open_at, paragraphs = i, 1
            continue
        # inside an open quote
        if role == "close":
            quotes.append(Quote(open_at, i + width, True, paragraphs))
            open_at, paragraphs = None, 1
        elif role == "open":
            prev = text.rfind("\n", open_at, i)
            if prev >= 0 and not text[prev:i].strip():
                paragraphs += 1  # the reopening mark of a continued paragraph
            else:
                # an opening mark inside an open quote: the previous one was never closed
                end = i
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                quotes.append(Quote(open_at, end, False, paragraphs))
                open_at, paragraphs = i, 1
    if open_at is not None:
        quotes.append(Quote(open_at, _paragraph_end(text, open_at), False, paragraphs))
    return [q for q in quotes if q.end - q.start > 2]
