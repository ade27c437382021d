"""Place lookup is cached; what a caller does with its answer must not leak into the next."""
from __future__ import annotations

from claimgraph.nlp.places import lookup_place


def test_each_caller_gets_its_own_copy():
    first = lookup_place("Gaza")
    assert first is not None and first["country"] == "PSE"
    first["reason"] = "written by one event"
    second = lookup_place("Gaza")
    assert "reason" not in second or second["reason"] != "written by one event"


def test_unknown_place_is_none():
    assert lookup_place("Nowhereville-on-Nothing") is None
