"""Fixtures shared by every test file. Reference data and the sample article live outside
the repo (../shared); tests that need them skip cleanly when they are absent."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SAMPLE = SHARED / "samples" / "nk-hamas-nis-briefing.txt"
SAMPLE_PUBLISHED = "2023-11-02"


@pytest.fixture(scope="session")
def nlp():
    """The full claimgraph pipeline, loaded once per test session (loading costs ~1 s)."""
    from claimgraph.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip("reference data ../shared/data is absent")
    return DATA


@pytest.fixture(scope="session")
def sample_text() -> str:
    if not SAMPLE.is_file():
        pytest.skip("sample article ../shared/samples/nk-hamas-nis-briefing.txt is absent")
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_record(nlp, sample_text) -> dict:
    """The OUTPUT.md record of the motivating sample article."""
    from claimgraph.extract import extract_text

    return extract_text(sample_text, published=SAMPLE_PUBLISHED, doc_id="sample", nlp=nlp)
