"""One normalisation for alias keys, used by the build script and at lookup time alike, so
that an alias written any way in a source matches the same text in an article."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"'s\b")
_ARTICLES = ("the ",)


def fold(text: str) -> str:
    """Accents off, typographic quotes and dashes to ASCII."""
    text = text.translate(_QUOTES)
    if text.isascii():  # most KB names and article tokens: NFKD would change nothing
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=262144)  # the same names and tokens recur across the KB and in every article
def norm(text: str) -> str:
    """The lookup key: lower case, no leading "the", no possessive 's, dots dropped
    ("U.S." = "US"), hyphens and other punctuation as spaces ("Kim Jong-un" = "Kim Jong Un")."""
    text = fold(text).lower().strip()
    text = text.replace(".", "")
    text = _NON_WORD.sub(" ", text)
    text = _POSSESSIVE.sub("", text)
    text = text.replace("'", "")
    text = _SPACES.sub(" ", text).strip()
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
    return text


def slug(text: str) -> str:
    """Upper-case ASCII with hyphens, the form of KB ids ("Akiva Tor" -> "AKIVA-TOR")."""
    text = fold(text).upper()
    text = re.sub(r"[^A-Z0-9]+", "-", text)
    return text.strip("-")
