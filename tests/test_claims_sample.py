"""Acceptance of the claims component on the sample article (issue 6), through the full
pipeline (actors → events → claims). Skips when the sample article is absent."""
from __future__ import annotations

import pytest


def text_of(record, span):
    return record["text"][span[0]:span[1]]


def content_of(record, claim):
    return " ".join(text_of(record, s) for s in (claim.get("content_spans") or [claim["content_span"]]))


def find(record, **where):
    out = []
    for claim in record["claims"]:
        if all((claim.get(k) == v) if not callable(v) else v(claim.get(k)) for k, v in where.items()):
            out.append(claim)
    return out


def test_nis_claim_travels_through_joongang_and_the_lawmaker(sample_record):
    claims = [c for c in find(sample_record, speaker="KOR-NIS")
              if c["chain"] == ["KOR-JOONGANG-DAILY", "KOR-LEG", "KOR-NIS"]]
    contents = [content_of(sample_record, c) for c in claims]
    assert any("Kim saw an opportunity" in t for t in contents), contents
    assert any("history of exporting anti-tank weapons" in t for t in contents), contents
    believed = [c for c in claims if c["cue"] == "believe"]
    assert believed and believed[0]["certainty"] == "probable"


def test_nis_direct_claim_about_expanding_support(sample_record):
    claims = find(sample_record, speaker="KOR-NIS", cue="say")
    assert any("Kim was preparing to expand its backing for Hamas" in content_of(sample_record, c)
               and c["chain"] == ["KOR-NIS"] for c in claims)


def test_israel_claims_weapons_found_with_hamas(sample_record):
    claims = [c for c in find(sample_record, cue="say") if (c["speaker"] or "").startswith("ISR")]
    assert any("discovered North Korean weapons in Hamas possession" in content_of(sample_record, c)
               for c in claims)


def test_north_korea_denies_with_the_same_event(sample_record):
    denials = [c for c in find(sample_record, speaker="PRK", cue="deny", stance="deny")
               if "selling weapons to Hamas" in content_of(sample_record, c)]
    assert denials
    event = denials[0]["event"]
    assert event is not None and event["type"] == "AID"
    assert "PRK" in event["source"] and "PSE-HAMAS" in event["target"]
    # the dispute joins: someone else asserts an event of the same type, source and target
    asserted = [c for c in sample_record["claims"]
                if c["stance"] == "assert" and c["speaker"] not in (None, "PRK") and c["event"]
                and c["event"]["type"] == "AID" and "PRK" in c["event"]["source"]
                and "PSE-HAMAS" in c["event"]["target"]]
    assert asserted


def test_kcna_accuses_the_us_press(sample_record):
    claims = [c for c in find(sample_record, speaker="PRK-KCNA", cue="declare")
              if "reptile press" in content_of(sample_record, c)]
    assert claims and claims[0]["quote"] == "direct" and claims[0]["chain"] == ["PRK-KCNA"]
    terms = {t["text"]: t for c in claims for t in c["framing"]}
    assert "reptile press" in terms and (terms["reptile press"]["target"] or "").startswith("USA")


def test_akiva_tor_to_voa(sample_record):
    claims = find(sample_record, speaker="ISR-AKIVA-TOR")
    assert claims and all(c["chain"] == ["USA-VOA", "ISR-AKIVA-TOR"] for c in claims)
    assert all(c["quote"] == "direct" and c["cue"] == "tell" for c in claims)
    via_iran = [c for c in claims if c["event"] and "IRN" in c["event"]["via"]]
    assert via_iran, "Tor's 'these North Korean weapons have been in Iran' codes AID via Iran"
    ev = via_iran[0]["event"]
    assert (ev["type"], ev["source"], ev["target"]) == ("AID", ["PRK"], ["PSE-HAMAS"])
    assert via_iran[0]["certainty"] == "possible"


def test_jcs_official_to_upi(sample_record):
    claims = [c for c in sample_record["claims"] if c["chain"][:1] == ["USA-UPI"]]
    assert claims and all(c["speaker"] in ("KOR-MIL", "KOR-JCS") for c in claims)
    assert any(c["certainty"] == "possible" for c in claims)  # "There is a possibility that …"


def test_bechtol_to_rfa_with_the_irgc_as_via(sample_record):
    claims = find(sample_record, speaker="cg:bruce-bechtol")
    assert claims and all(c["chain"] == ["USA-RFA", "cg:bruce-bechtol"] for c in claims)
    assert any(c["event"] and "IRN-IRGC" in c["event"]["via"] for c in claims)


def test_outlet_voice_framing(sample_record):
    outlet = [c for c in sample_record["claims"] if c["speaker"] is None and c["cue"] is None]
    assert outlet and all(c["chain"] == [] and c["quote"] == "none" and c["source_span"] is None
                          for c in outlet)
    terms = [t for c in outlet for t in c["framing"]]
    genocidal = [t for t in terms if t["text"] == "genocidal jihadist terror group"]
    assert genocidal and genocidal[0]["target"] == "PSE-HAMAS"
    assert text_of(sample_record, genocidal[0]["span"]) == "genocidal jihadist terror group"


def test_every_claim_is_well_formed(sample_record):
    actors = {a["id"] for a in sample_record["actors"]}
    n = len(sample_record["text"])
    for claim in sample_record["claims"]:
        assert claim["quote"] in ("direct", "indirect", "mixed", "none")
        assert claim["stance"] in ("assert", "deny")
        assert claim["certainty"] in ("certain", "probable", "possible")
        assert 0.0 <= claim["confidence"] <= 1.0
        assert all(a in actors for a in claim["chain"])
        if claim["speaker"]:
            assert claim["speaker"] in actors and claim["chain"][-1] == claim["speaker"]
        for s, e in [claim["span"], claim["content_span"]] + (claim.get("content_spans") or []):
            assert 0 <= s < e <= n
