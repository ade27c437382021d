"""Publication dates as ISO ``YYYY-MM-DD``, from whatever a source carries.

Only absolute dates are accepted: "yesterday" or "3 days ago" in metadata would silently
become a date relative to the machine's clock, and a record must never carry today's date
by accident. Dates keep the day as written in the source's own time zone (a story stamped
``2023-11-02T08:00+09:00`` was published on 2 November in Seoul, whatever UTC says).
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
import time

from ..errors import BadDate

_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")
# Dotted numeric dates (02.11.2023) are day-first wherever they are written.
_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
# Years outside this range are far more likely to be typos or epoch zeros than real stories.
_MIN_YEAR, _MAX_YEAR = 1800, 2200

_DATEPARSER_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _checked(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(value) -> str | None:
    """``YYYY-MM-DD`` for a date string, ``date``/``datetime`` or ``time.struct_time``; ``None``
    when the value is empty or not an absolute calendar date."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, _dt.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, time.struct_time):
        return _checked(value.tm_year, value.tm_mon, value.tm_mday)
    text = str(value).strip()
    if not text:
        return None
    match = _ISO_PREFIX.match(text)
    if match:
        return _checked(*(int(g) for g in match.groups()))
    match = _DOTTED.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _checked(year, month, day)
    # RFC 822 dates are what RSS and HTTP use; the stdlib reads them exactly and fast.
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return _checked(parsed.year, parsed.month, parsed.day)
    import dateparser  # slow to import; most inputs never get here

    try:
        # English only: with language detection the first call loads every locale (~5 s), and
        # non-English free-form dates are rare here (feeds and pages carry ISO/RFC 822 dates).
        parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError):
        return None
    return _checked(parsed.year, parsed.month, parsed.day) if parsed else None


def parse_user_date(value: str) -> str:
    """A date the user typed (``--published``): normalised, or :class:`BadDate`."""
    normal = normalise_date(value)
    if normal is None:
        raise BadDate(f"not a calendar date: {value!r} (use YYYY-MM-DD)", where="--published")
    return normal
