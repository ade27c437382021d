"""The actor knowledge base: data integrity, lookups, dated roles, user overrides."""
from __future__ import annotations

import pytest

from claimgraph.errors import KBFileInvalid
from claimgraph.kb import KnowledgeBase, load_kb, norm


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_ids_unique_and_every_alias_resolves_back(kb):
    import csv
    from importlib import resources
    path = resources.files("claimgraph.kb") / "data" / "actors.tsv"
    with open(str(path), encoding="utf-8") as fh:
        ids = [r["id"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    assert len(ids) == len(set(ids))
    assert len(kb.entries) > 2000
    for entry in kb.entries.values():
        for alias in [entry.name, *entry.aliases]:
            if norm(alias):
                assert entry in kb.lookup(alias), (entry.id, alias)


def test_normalisation_variants(kb):
    assert norm("the U.S.") == "us"
    assert norm("Kim Jong-un") == norm("Kim Jong Un")
    assert norm("North Korea’s") == "north korea"
    assert kb.lookup("Kim Jong Un")[0].id == "PRK-KIM-JONG-UN"
    assert kb.lookup("the DPRK")[0].id == "PRK"
    assert kb.lookup("Ansar Allah")[0].id == "YEM-HOUTHIS"


def test_demonyms_and_capitals(kb):
    assert kb.demonym("North Korean") == "PRK"
    assert kb.demonym("Israelis") == "ISR"
    assert kb.capital("Seoul") == "KOR"
    assert kb.capital("Tehran") == "IRN"
    assert kb.capital("Washington") == "USA"


def test_role_at_publication_date(kb):
    putin = kb.get("RUS-VLADIMIR-PUTIN")
    assert kb.role_at(putin, "1999-01-01").sector == "SPY"
    assert kb.role_at(putin, "2023-11-02").title == "President of Russia"
    assert kb.sector_at(kb.get("GBR-BEN-WALLACE"), "2023-11-02") == "GOV"


def test_entry_as_actor(kb):
    assert kb.get("KOR-NIS").as_actor() == {"id": "KOR-NIS", "name": "National Intelligence Service",
                                            "country": "KOR", "sector": "SPY", "kind": "organisation",
                                            "anonymous": False}
    assert kb.get("PRK-KCNA").kind == "media" and kb.get("PRK-KCNA").sector == "MED"
    assert kb.get("KOR-NIS").verified


def test_search_ranks_exact_first(kb):
    assert kb.search("NIS")[0].id == "KOR-NIS"


def test_extra_file_adds_and_overrides(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("entries:\n"
                     "  - {id: KOR-NIS, name: NIS Korea, country: KOR, sector: SPY, kind: organisation}\n"
                     "  - {id: XYZ-NEW, name: Brand New Outfit, aliases: [BNO], country: KOR, sector: REB, kind: armed_group}\n")
    kb = KnowledgeBase.load(extra=[str(extra)])
    assert kb.get("KOR-NIS").name == "NIS Korea"
    assert kb.lookup("National Intelligence Service")[0].id == "KOR-NIS"
    assert kb.lookup("BNO")[0].id == "XYZ-NEW"
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - {name: no id}\n")
    with pytest.raises(KBFileInvalid):
        KnowledgeBase.load(extra=[str(bad)])


def test_successor_states_have_demonyms_and_cities_are_places(kb):
    # Armenia was coded USRARM until 1990 in Phoenix; its demonym must still be found
    assert kb.demonym("Armenian") == "ARM"
    assert kb.demonym("Spanish") == "ESP"
    assert kb.places("Mariupol") == {"UKR"}
    assert kb.places("Sydney") == {"AUS"}
    assert not kb.places("Kuwait")  # a city named like its state stays the state


def test_build_is_deterministic(tmp_path):
    import filecmp
    from importlib import resources
    from pathlib import Path

    from claimgraph.kb.build.build_kb import DEFAULT_SOURCE, main
    if not DEFAULT_SOURCE.is_dir():
        pytest.skip("source tables not available")
    assert main(["--out", str(tmp_path)]) == 0
    shipped = Path(str(resources.files("claimgraph.kb") / "data"))
    for name in ("states.tsv", "actors.tsv", "roles.tsv", "agents.tsv"):
        assert filecmp.cmp(tmp_path / name, shipped / name, shallow=False), name
