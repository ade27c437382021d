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
def parser():
    """The bare spaCy model claimgraph would pick (no claimgraph components)."""
    import spacy

    from claimgraph.nlp.extensions import register_extensions
    from claimgraph.nlp.pipeline import resolve_model_name

    register_extensions()
    return spacy.load(resolve_model_name("auto"))


@pytest.fixture(scope="session")
def gazetteer_coder():
    """``gazetteer_coder(gazetteer, demonyms, use_model=True)`` → ``run(text, published=None)``:
    the events component alone, with actor mentions from a fixed name → id table instead of
    the actors component, so an events test depends on no KB rule. Demonyms are marked
    ``owner`` as the actors component marks adjectival nationalities."""
    from spacy.matcher import PhraseMatcher

    from claimgraph.nlp.events import EventCoder
    from claimgraph.nlp.extensions import register_extensions
    from claimgraph.nlp.pipeline import load_model

    register_extensions()
    nlp = load_model()

    def build(gazetteer: dict[str, str], demonyms: dict[str, str], use_model: bool = True):
        matcher = PhraseMatcher(nlp.vocab)
        for name, ident in {**gazetteer, **demonyms}.items():
            matcher.add(ident + ("|owner" if name in demonyms else ""), [nlp.make_doc(name)])
        events = EventCoder(nlp.vocab, use_model=use_model)

        def run(text: str, published: str | None = None) -> list[dict]:
            doc = nlp.make_doc(text)
            doc._.published = published
            doc = nlp(doc)
            mentions = []
            for key, start, end in matcher(doc):
                ident, _, owner = nlp.vocab.strings[key].partition("|")
                span = doc[start:end]
                mentions.append({"start": span.start_char, "end": span.end_char, "tok_start": start,
                                 "tok_end": end, "head": span.root.i, "text": span.text,
                                 "actor_id": ident, "how": "kb", "owner": bool(owner)})
            doc._.actor_mentions = mentions
            doc = events(doc)
            assert not doc._.errors, doc._.errors
            return doc._.events

        return run

    return build


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


@pytest.fixture(scope="session")
def make_record():
    """Build a small OUTPUT.md record by hand (no model): ``make_record(doc_id, *claims,
    outlet=, published=, text=, names=)``. Each claim is a dict: ``speaker`` (None = the
    outlet's voice), ``chain`` (default ``[speaker]``), ``stance``, ``certainty``, ``type``,
    ``source``/``target``/``via`` (id lists), ``date`` ("YYYY[-MM[-DD]]"), ``precision``,
    ``negated``, ``content`` (placed in the text). Unless ``text`` is given the text gets a
    filler sentence unique to ``doc_id``, so distinct documents are never near-duplicates.
    ``names`` maps actor ids to names; every actor whose name occurs in the text gets its
    mentions."""
    import hashlib

    def filler(doc_id: str) -> str:
        digest = hashlib.sha256(doc_id.encode()).hexdigest()
        return " ".join(f"w{digest[i:i + 6]}" for i in range(0, 48, 2)) + "."

    def build(doc_id, *claims, outlet="Wire desk", published="2023-11-02", text=None, names=None):
        names = dict(names or {})
        contents = [c.get("content") or f"{','.join(c.get('source', []))} did "
                    f"{c.get('type', 'something')} to {','.join(c.get('target', []))}."
                    for c in claims]
        if text is None:
            text = " ".join(contents) + " " + filler(doc_id)
        ids: list[str] = []
        out_claims = []
        for n, (c, content) in enumerate(zip(claims, contents), 1):
            speaker = c.get("speaker")
            chain = c.get("chain", [speaker] if speaker else [])
            start = text.find(content)
            span = [start, start + len(content)] if start >= 0 else None
            event = None
            if c.get("type"):
                date = c.get("date")
                event = {"type": c["type"], "mode": None, "context": [],
                         "source": c.get("source", []), "target": c.get("target", []),
                         "via": c.get("via", []), "modality": "actual",
                         "date": ({"value": date, "precision": c.get("precision") or
                                   {10: "day", 7: "month", 4: "year"}[len(date)], "text": date}
                                  if date else None),
                         "location": None, "materiel": [], "trigger_span": None,
                         "cameo": None, "negated": bool(c.get("negated"))}
                ids += event["source"] + event["target"] + event["via"]
            ids += [a for a in chain if a] + ([speaker] if speaker else [])
            out_claims.append({
                "id": f"{doc_id}:{n}", "speaker": speaker, "speaker_text": names.get(speaker, speaker),
                "chain": chain, "cue": "say" if speaker else None,
                "quote": "indirect" if speaker else "none", "stance": c.get("stance", "assert"),
                "certainty": c.get("certainty", "certain"), "span": span, "source_span": None,
                "cue_span": None, "content_span": span, "confidence": 0.8, "event": event})
        actors = []
        for actor_id in dict.fromkeys(ids + list(names)):
            name = names.get(actor_id, actor_id)
            mentions, at = [], text.find(name)
            while at >= 0 and name:
                mentions.append([at, at + len(name)])
                at = text.find(name, at + len(name))
            actors.append({"id": actor_id, "name": name, "country": actor_id[:3],
                           "sector": None, "kind": None, "mentions": mentions})
        return {"schema": "claimgraph/1", "doc_id": doc_id, "title": f"title of {doc_id}",
                "url": f"https://example.org/{doc_id}", "outlet": outlet, "published": published,
                "text": text, "actors": actors, "claims": out_claims}

    return build
