"""Date resolution against the publication date (claimgraph.nlp.dates)."""
from __future__ import annotations

import pytest

from claimgraph.nlp.dates import resolve_date


@pytest.mark.parametrize("text, published, future, expected", [
    ("Wednesday", "2023-11-02", False, ("2023-11-01", "day")),      # the day before (Thursday)
    ("Thursday", "2023-11-02", False, ("2023-11-02", "day")),       # same day, not a week back
    ("Friday", "2023-11-01", False, ("2023-10-27", "day")),         # across a month boundary
    ("Saturday", "2024-01-01", False, ("2023-12-30", "day")),       # across a year boundary
    ("Friday", "2023-11-01", True, ("2023-11-03", "day")),          # a planned event looks ahead
    ("July", "2023-11-02", False, ("2023-07", "month")),
    ("December", "2024-01-03", False, ("2023-12", "month")),        # last December
    ("October 7", "2023-11-02", False, ("2023-10-07", "day")),
    ("Oct. 7", "2023-11-02", False, ("2023-10-07", "day")),
    ("December 31", "2024-01-02", False, ("2023-12-31", "day")),
    ("Aug. 25, 2021", "2023-11-02", False, ("2021-08-25", "day")),
    ("Saturday, Oct. 7, 2023", "2023-11-02", False, ("2023-10-07", "day")),
    ("2017", "2023-11-02", False, ("2017", "year")),
    ("yesterday", "2023-03-01", False, ("2023-02-28", "day")),
    ("last month", "2023-01-15", False, ("2022-12", "month")),
    ("last year", "2023-01-15", False, ("2022", "year")),
])
def test_resolve(text, published, future, expected):
    got = resolve_date(text, published, future=future)
    assert (got["value"], got["precision"]) == expected
    assert got["text"] == text


@pytest.mark.parametrize("text", ["recent weeks", "the past two days", "decades", "last week"])
def test_vague_expressions_are_not_dated(text):
    assert resolve_date(text, "2023-11-02") is None


def test_relative_dates_need_a_publication_date():
    assert resolve_date("Wednesday", None) is None
    assert resolve_date("October 7", None) is None
    assert resolve_date("Oct. 7, 2023", None)["value"] == "2023-10-07"
