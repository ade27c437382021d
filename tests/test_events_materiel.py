"""The materiel taxonomy (claimgraph.nlp.materiel)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def find():
    from claimgraph.nlp.materiel import MaterielFinder
    from claimgraph.nlp.pipeline import load_model

    nlp = load_model()
    finder = MaterielFinder(nlp.vocab)
    return lambda text: [(m["text"], m["category"]) for m in finder.find(nlp(text))]


def test_sample_phrases(find):
    assert find("It exported anti-tank weapons and multi-launch rocket launchers to Hamas.") == [
        ("anti-tank weapons", "anti-tank"), ("multi-launch rocket launchers", "rockets-mrl")]
    assert find("It sold short-range ballistic missiles and portable anti-aircraft missiles in addition "
                "to artillery rounds.") == [
        ("short-range ballistic missiles", "ballistic-missiles"),
        ("portable anti-aircraft missiles", "air-defence"), ("artillery rounds", "artillery-ammunition")]


@pytest.mark.parametrize("text, expected", [
    ("They fired assault rifles.", ("assault rifles", "small-arms")),
    ("Iran supplied kamikaze drones.", ("kamikaze drones", "drones")),
    ("The navy sent two warships.", ("warships", "naval")),
    ("They received tanks.", ("tanks", "armoured-vehicles")),
    ("They used chemical weapons.", ("chemical weapons", "cbrn")),
    ("It sent military advisers.", ("military advisers", "training-advisers")),
    ("Russia delivered fighter jets.", ("fighter jets", "aircraft")),
    ("They planted an IED.", ("IED", "explosives")),
    ("They bought MANPADS.", ("MANPADS", "air-defence")),
])
def test_categories(find, text, expected):
    assert expected in find(text)


def test_weapon_word_as_modifier_is_not_materiel(find):
    assert find("He toured a weapons exhibition and discussed the arms trade.") == []
