"""Resolving an event's date expression against the publication date.

Weekdays, "yesterday", bare months and month-day dates are resolved here rather than by
dateparser: news narrates the past, so "on Wednesday" in a Thursday article is the day before,
and dateparser's PREFER_DATES_FROM="past" moves a same-day weekday a week back. Explicit
full dates ("Aug. 25, 2021") and other phrases fall back to dateparser with RELATIVE_BASE set
to the publication date. A date is never invented: without a publication date only
expressions that carry their own year resolve.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_TOKEN = re.compile(r"[a-z]+|\d+")
# Words that tell us a date phrase is vague or a duration, not a point we can place.
_VAGUE = {"week", "weeks", "decade", "decades", "century", "past", "recent", "coming", "days",
          "months", "years", "era", "period", "time", "times", "season", "hours", "ago"}


def parse_published(value) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _result(d: date, precision: str, text: str) -> dict:
    value = {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[precision]
    return {"value": value, "precision": precision, "text": text}


def _month_year(month: int, pub: date, future: bool) -> int:
    """The year of a month named without one: the latest such month not after publication
    (past narration), or the next one for a future event."""
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def resolve_date(text: str, published, future: bool = False) -> dict | None:
    """{"value","precision","text"} for a date expression, or None when it cannot be placed."""
    pub = parse_published(published)
    return _resolve(text.strip(), pub, future)


@lru_cache(maxsize=4096)
def _resolve(text: str, pub: date | None, future: bool) -> dict | None:
    words = _TOKEN.findall(text.lower())
    if not words:
        return None
    nums = [int(w) for w in words if w.isdigit()]
    years = [n for n in nums if 1800 <= n <= 2200]
    months = [MONTHS[w] for w in words if w in MONTHS and not (w == "may" and len(words) == 1)]
    days = [n for n in nums if 1 <= n <= 31]
    days += [int(w[:-2]) for w in re.findall(r"\d+(?:st|nd|rd|th)", text.lower())
             if 1 <= int(w[:-2]) <= 31]
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)

    # An explicit full date wins over everything else in the phrase.
    if years and months and days:
        try:
            return _result(date(years[0], months[0], days[0]), "day", text)
        except ValueError:
            return None
    if years and months:
        return _result(date(years[0], months[0], 1), "month", text)
    if years and not any(w in _VAGUE for w in words) and len(words) <= 3:
        return _result(date(years[0], 1, 1), "year", text)
    if pub is None:
        return None
    if months and days:
        month, day = months[0], days[0]
        year = _month_year(month, pub, future)
        try:
            return _result(date(year, month, day), "day", text)
        except ValueError:
            return None
    if weekday is not None:
        delta = (pub.weekday() - weekday) % 7
        if future or "next" in words:
            delta = -((weekday - pub.weekday()) % 7 or 7)
        elif "last" in words and delta == 0:
            delta = 7
        return _result(pub - timedelta(days=delta), "day", text)
    if "yesterday" in words:
        return _result(pub - timedelta(days=1), "day", text)
    if "today" in words or "tonight" in words or ("this" in words and "morning" in words):
        return _result(pub, "day", text)
    if "tomorrow" in words:
        return _result(pub + timedelta(days=1), "day", text)
    if months:
        month = months[0]
        if "last" in words and month >= pub.month:
            return _result(date(pub.year - 1, month, 1), "month", text)
        return _result(date(_month_year(month, pub, future), month, 1), "month", text)
    if "month" in words:
        if "last" in words or "previous" in words:
            first = pub.replace(day=1) - timedelta(days=1)
            return _result(first.replace(day=1), "month", text)
        if "this" in words:
            return _result(pub, "month", text)
    if "year" in words and len(words) <= 3:
        if "last" in words or "previous" in words:
            return _result(date(pub.year - 1, 1, 1), "year", text)
        if "this" in words:
            return _result(pub, "year", text)
    if "ago" in words and nums and any(w in ("year", "years") for w in words):
        return _result(date(pub.year - nums[0], 1, 1), "year", text)
    if any(w in _VAGUE for w in words):
        return None
    return _dateparser(text, pub)


def _dateparser(text: str, pub: date) -> dict | None:
    import dateparser  # slow import; most dates never get here

    base = datetime(pub.year, pub.month, pub.day, 12, 0)
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": base, "REQUIRE_PARTS": ["month"], "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None
    return _result(parsed.date(), "day", text)
