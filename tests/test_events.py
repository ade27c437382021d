"""The events component on hand-written sentences, one rule per test.

The rule tests run the bare spaCy model, a tiny fixed gazetteer standing in for the actors
component, and the events component, so they test the event rules alone; the sample-article
test runs the full pipeline."""
from __future__ import annotations

import pytest

GAZETTEER = {
    "North Korea": "PRK", "Pyongyang": "PRK", "Hamas": "PSE-HAMAS", "Hezbollah": "LBN-HEZBOLLAH",
    "Israel": "ISR", "Iran": "IRN", "IRGC": "IRN-IRGC", "Russia": "RUS", "Ukraine": "UKR",
    "South Korea": "KOR", "Syria": "SYR", "Egypt": "EGY", "the United States": "USA",
    "Kim Jong-un": "PRK-KIM-JONG-UN", "KCNA": "PRK-KCNA", "Turkey": "TUR",
}
DEMONYMS = {"North Korean": "PRK", "Israeli": "ISR", "Iranian": "IRN", "Russian": "RUS"}


@pytest.fixture(scope="module")
def coder(gazetteer_coder):
    return gazetteer_coder(GAZETTEER, DEMONYMS)


def only(events, type_):
    found = [e for e in events if e["type"] == type_]
    assert len(found) == 1, [(e["type"], e["trigger"]) for e in events]
    return found[0]


def test_active_transfer_with_materiel_and_cameo(coder):
    ev = only(coder("Iran sold rockets to Hamas."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["PSE-HAMAS"])
    assert ev["context"] == ["military"] and ev["cameo"] == "072"
    assert ev["materiel"] == [{"text": "rockets", "category": "rockets-mrl"}]
    assert ev["modality"] == "actual" and ev["negated"] is False and ev["caption"] is False


def test_passive_with_agent(coder):
    ev = only(coder("Rockets were sold to Hamas by Iran."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["PSE-HAMAS"])


def test_passive_without_agent_leaves_source_empty(coder):
    ev = only(coder("The weapons were sold to Hamas."), "AID")
    assert ev["source"] == [] and ev["target"] == ["PSE-HAMAS"]


def test_coordinated_targets(coder):
    ev = only(coder("North Korea exported anti-tank weapons to Hamas and Hezbollah."), "AID")
    assert ev["source"] == ["PRK"] and ev["target"] == ["PSE-HAMAS", "LBN-HEZBOLLAH"]
    assert ev["materiel"] == [{"text": "anti-tank weapons", "category": "anti-tank"}]


def test_nominalisation_with_possessive(coder):
    ev = only(coder("Israel's operation against Hamas continued for weeks."), "ASSAULT")
    assert (ev["source"], ev["target"]) == (["ISR"], ["PSE-HAMAS"])
    assert ev["trigger"] == "operation"


def test_nominalisation_transfer_from_to(coder):
    ev = only(coder("Arms transfers from Iran to Hezbollah have grown."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["LBN-HEZBOLLAH"])
    assert ev["context"] == ["military"]


def test_light_verb_construction(coder):
    ev = only(coder("Hamas launched an attack on Israel."), "ASSAULT")
    assert (ev["source"], ev["target"]) == (["PSE-HAMAS"], ["ISR"])
    assert ev["trigger"] == "attack"


def test_demonym_on_group_noun_names_the_actor(coder):
    ev = only(coder("Israeli troops attacked Hamas."), "ASSAULT")
    assert ev["source"] == ["ISR"] and ev["target"] == ["PSE-HAMAS"]


def test_negation_of_controlled_gerund(coder):
    ev = only(coder("North Korea denies selling weapons to Hamas."), "AID")
    assert (ev["source"], ev["target"]) == (["PRK"], ["PSE-HAMAS"])
    assert ev["negated"] is True


def test_did_not(coder):
    ev = only(coder("Russia did not attack Ukraine."), "ASSAULT")
    assert ev["negated"] is True and ev["source"] == ["RUS"] and ev["target"] == ["UKR"]


def test_planned_modality(coder):
    ev = only(coder("North Korea is preparing to attack South Korea."), "ASSAULT")
    assert ev["modality"] == "planned" and ev["source"] == ["PRK"] and ev["target"] == ["KOR"]


def test_hypothetical_modal(coder):
    ev = only(coder("North Korea could attack South Korea."), "ASSAULT")
    assert ev["modality"] == "hypothetical"


def test_hypothetical_possibility_that(coder):
    ev = only(coder("There is a possibility that Iran attacks Israel."), "ASSAULT")
    assert ev["modality"] == "hypothetical" and ev["source"] == ["IRN"]


def test_habitual_history_of(coder):
    ev = only(coder("North Korea has a history of exporting weapons to Hamas."), "AID")
    assert ev["modality"] == "habitual"
    assert (ev["source"], ev["target"]) == (["PRK"], ["PSE-HAMAS"])


def test_future_cooperation_is_agree(coder):
    ev = only(coder("Egypt will send aid to Syria."), "AGREE")
    assert ev["modality"] == "planned" and ev["source"] == ["EGY"] and ev["target"] == ["SYR"]


def test_via_through(coder):
    ev = only(coder("Iran sent weapons to Hezbollah through Syria."), "AID")
    assert ev["via"] == ["SYR"] and ev["target"] == ["LBN-HEZBOLLAH"]


def test_via_in_copular_deals_clause(coder):
    events = coder("The trade that North Korea does with Hamas is deals that they make through the IRGC.")
    ev = only(events, "COOPERATE")
    assert ev["source"] == ["PRK"] and ev["target"] == ["PSE-HAMAS"] and ev["via"] == ["IRN-IRGC"]
    assert len(events) == 1


def test_speech_act_absorbs_its_content(coder):
    events = coder("North Korea blamed Israel for the attack.")
    assert [e["type"] for e in events] == ["ACCUSE"]
    assert (events[0]["source"], events[0]["target"]) == (["PRK"], ["ISR"])
    assert events[0]["content"]["type"] == "ASSAULT"


def test_threaten_to_attack_is_one_threaten(coder):
    events = coder("Russia threatened to attack Ukraine.")
    assert [e["type"] for e in events] == ["THREATEN"]
    assert events[0]["mode"] == "violence" and events[0]["target"] == ["UKR"]


def test_reporting_verb_makes_no_event(coder):
    events = coder("Israel said Hamas attacked it.")
    assert [e["type"] for e in events] == ["ASSAULT"]
    assert coder("Israel said the talks were useful on Monday.")[0]["type"] == "CONSULT"
    assert coder("Israel said nothing.") == []


def test_urge_is_appeal_demand_is_demand(coder):
    assert only(coder("Egypt urged Israel to release the prisoners."), "REQUEST")["cameo"][:2] == "02"
    assert only(coder("Egypt demanded that Israel release the prisoners."), "REQUEST")["cameo"][:2] == "10"


def test_date_weekday_relative_to_publication(coder):
    ev = only(coder("Hamas attacked Israel on Wednesday.", published="2023-11-02"), "ASSAULT")
    assert ev["date"] == {"value": "2023-11-01", "precision": "day", "text": "Wednesday"}


def test_date_across_month_boundary(coder):
    ev = only(coder("Hamas attacked Israel on Friday.", published="2023-11-01"), "ASSAULT")
    assert ev["date"]["value"] == "2023-10-27"


def test_date_across_year_boundary_month_only(coder):
    ev = only(coder("Iran sold drones to Russia in December.", published="2024-01-03"), "AID")
    assert ev["date"] == {"value": "2023-12", "precision": "month", "text": "December"}


def test_date_of_reporting_is_not_the_events(coder):
    ev = only(coder("Israel said on Thursday that Hamas attacked it.", published="2023-11-02"), "ASSAULT")
    assert ev["date"] is None


def test_no_date_without_publication_date_for_relative_expressions(coder):
    assert only(coder("Hamas attacked Israel on Wednesday."), "ASSAULT")["date"] is None


def test_location_with_coordinates(coder):
    ev = only(coder("Israel attacked Hamas in Gaza."), "ASSAULT")
    loc = ev["location"]
    assert loc["name"] == "Gaza" and loc["country"] == "PSE" and loc["lat"] == pytest.approx(31.5, abs=0.1)
    assert "in Gaza" in loc["reason"]


def test_caption_without_event_codes_nothing(coder):
    assert coder("A masked militant from Hamas stands behind a machine gun (AP Photo/Adel Hana).") == []


def test_caption_stating_an_event_is_flagged(coder):
    ev = only(coder("Rockets are launched by Hamas towards Israel (AP Photo/Hatem Moussa)."), "ASSAULT")
    assert ev["caption"] is True and ev["source"] == ["PSE-HAMAS"] and ev["target"] == ["ISR"]


def test_trigger_and_sentence_spans(coder):
    text = "Talks ended. Iran sold rockets to Hamas."
    ev = only(coder(text), "AID")
    assert text[slice(*ev["trigger_span"])] == "sold"
    assert text[slice(*ev["sent_span"])] == "Iran sold rockets to Hamas."


def test_disparaging_quote_is_the_speakers_accusation(coder):
    text = ("\u201cIt is a bid to shift the blame caused by the United States\u2019 wrong hegemonic "
            "policy onto a third country,\u201d KCNA declared.")
    ev = only(coder(text), "ACCUSE")
    assert ev["source"] == ["PRK-KCNA"] and ev["target"] == ["USA"]


def test_missing_actor_mentions_do_not_fail(coder):
    from claimgraph.nlp.events import EventCoder
    from claimgraph.nlp.pipeline import load_model

    nlp = load_model()
    doc = EventCoder(nlp.vocab)(nlp("Hamas attacked Israel."))
    assert not doc._.errors
    assert doc._.events[0]["type"] == "ASSAULT" and doc._.events[0]["source"] == []


def test_sample_article(nlp, sample_text):
    doc = nlp.make_doc(sample_text)
    doc._.published = "2023-11-02"
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    assert not doc._.errors, doc._.errors
    events = doc._.events

    def find(type_, source, target, **kw):
        return [e for e in events if e["type"] == type_ and source in e["source"] and target in e["target"]
                and all(e.get(k) == v for k, v in kw.items())]

    hamas_aid = find("AID", "PRK", "PSE-HAMAS")
    assert hamas_aid and all("military" in e["context"] for e in hamas_aid)
    exported = find("AID", "PRK", "LBN-HEZBOLLAH", modality="habitual")
    assert exported and {"text": "anti-tank weapons", "category": "anti-tank"} in exported[0]["materiel"]
    assert {"text": "multi-launch rocket launchers", "category": "rockets-mrl"} in exported[0]["materiel"]
    russia = find("AID", "PRK", "RUS")
    assert russia and {m["category"] for m in russia[0]["materiel"]} == {
        "ballistic-missiles", "air-defence", "artillery-ammunition"}
    assert find("ACCUSE", "PRK", "ISR")
    assert [e for e in events if e["type"] == "ACCUSE" and e["source"] and e["source"][0] in ("PRK", "PRK-KCNA")
            and any(t.startswith("USA") for t in e["target"])]
    oct7 = find("ASSAULT", "PSE-HAMAS", "ISR")
    assert any(e["date"] and e["date"]["value"] == "2023-10-07" for e in oct7)
    assert any("IRN" in e["via"] for e in events if e["type"] == "AID")
    assert any("IRN-IRGC" in e["via"] for e in events)
    escalate = [e for e in events if e["trigger"] == "escalate"]
    assert escalate and escalate[0]["modality"] == "planned"
    invasion = [e for e in events if e["trigger"] == "invasion"]
    assert invasion and invasion[0]["modality"] == "hypothetical" and invasion[0]["target"] == ["KOR"]
    denied = [e for e in events if e["trigger"] == "selling"]
    assert denied and denied[0]["negated"] is True
    assert all(e["caption"] for e in events if "(AP Photo" in sample_text[slice(*e["sent_span"])])


def test_background_event_in_adjunct_is_not_coded(coder):
    events = coder("Israel agreed to a ceasefire after two days of fierce fighting.")
    assert [e["type"] for e in events] == ["AGREE"]
    assert events[0]["source"] == ["ISR"]


def test_background_event_with_both_actors_is_kept(coder):
    events = coder("Egypt agreed to mediate after Israel's attack on Hamas.")
    assert {e["type"] for e in events} == {"AGREE", "ASSAULT"}
    main = max(events, key=lambda e: e["confidence"])
    assert main["type"] == "AGREE"


def test_demand_that_targets_the_complement_subject(coder):
    req = only(coder("Russia demanded that Ukraine end the blockade."), "REQUEST")
    assert req["source"] == ["RUS"] and req["target"] == ["UKR"]


def test_rejected_offer_from_targets_the_offerer(coder):
    rej = only(coder("Israel rejected a fresh offer from Egypt for direct talks."), "REJECT")
    assert rej["source"] == ["ISR"] and rej["target"] == ["EGY"]


def test_place_of_untargeted_event_is_its_target_with_capital_coordinates(coder):
    ev = only(coder("Turkey held talks in Russia on Monday."), "CONSULT")
    assert ev["source"] == ["TUR"] and ev["target"] == ["RUS"]
    loc = ev["location"]
    assert loc["country"] == "RUS" and loc["point"] == "capital" and round(loc["lat"]) == 56
    assert "capital" in loc["reason"]


def test_purpose_infinitive_shares_the_subject(coder):
    events = coder("Iran sent weapons to help Hezbollah.")
    helped = [e for e in events if e["trigger"] == "help"]
    assert helped and helped[0]["source"] == ["IRN"] and helped[0]["target"] == ["LBN-HEZBOLLAH"]


# --- a state's weapons in someone else's hands: AID (military) from the state to the holder

def test_state_weapons_used_by_a_group_are_aid_from_the_state(coder):
    events = coder("Hezbollah used Iranian drones against Israel.")
    ev = only(events, "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["LBN-HEZBOLLAH"])
    assert ev["context"] == ["military"] and ev["materiel"] == [{"text": "drones", "category": "drones"}]


def test_made_in_weapons_reaching_a_group_through_a_third_state(coder):
    ev = only(coder("Rockets made in Iran reached Hamas through Syria."), "AID")
    assert (ev["source"], ev["target"], ev["via"]) == (["IRN"], ["PSE-HAMAS"], ["SYR"])


def test_weapons_recovered_from_a_group_with_a_demonym_compound(coder):
    ev = only(coder("Russian-made rifles were recovered from Hezbollah."), "AID")
    assert (ev["source"], ev["target"]) == (["RUS"], ["LBN-HEZBOLLAH"])


def test_weapons_ending_up_in_the_hands_of_a_group(coder):
    ev = only(coder("Israel says North Korean missiles ended up in the hands of Hezbollah."), "AID")
    assert (ev["source"], ev["target"]) == (["PRK"], ["LBN-HEZBOLLAH"])


def test_stockpile_of_state_weapons_held_by_a_group(coder):
    ev = only(coder("Hamas holds a large stockpile of Iranian rockets."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["PSE-HAMAS"])


def test_origin_stated_by_the_predicate(coder):
    ev = only(coder("Rifles seized from Hezbollah appeared to be Iranian."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["LBN-HEZBOLLAH"])


def test_passive_transfer_takes_the_weapons_state_as_source(coder):
    ev = only(coder("The Iranian drones were smuggled to Hezbollah."), "AID")
    assert (ev["source"], ev["target"]) == (["IRN"], ["LBN-HEZBOLLAH"])


def test_definite_weapons_refer_back_to_owned_weapons(coder):
    events = coder("Israel found Iranian rifles in Gaza and said the rifles had been sold to Hamas.")
    sold = [e for e in events if e["trigger"] == "sold"]
    assert sold and (sold[0]["source"], sold[0]["target"]) == (["IRN"], ["PSE-HAMAS"])


def test_denied_weapons_reaching_a_group_is_negated_with_the_same_actors(coder):
    ev = only(coder("Iran denied that Iranian missiles had reached Hezbollah."), "AID")
    assert (ev["source"], ev["target"], ev["negated"]) == (["IRN"], ["LBN-HEZBOLLAH"], True)


def test_weapons_sitting_in_a_third_state_continue_the_delivery_already_named(coder):
    events = coder("Hamas has used North Korean rockets. These North Korean rockets may have been in Iran for years.")
    aid = [e for e in events if e["type"] == "AID"]
    assert [(e["source"], e["target"]) for e in aid] == [(["PRK"], ["PSE-HAMAS"])] * 2
    assert aid[1]["via"] == ["IRN"] and aid[1]["modality"] == "hypothetical"


def test_no_aid_without_a_foreign_owner(coder):
    assert not [e for e in coder("Hamas used rockets against Israel.") if e["type"] == "AID"]
    assert not [e for e in coder("Russian troops used Russian tanks in Ukraine.") if e["type"] == "AID"]


def test_possessive_pronoun_on_the_object_binds_to_the_subject(coder):
    ev = only(coder("North Korea is expanding its support for Hamas."), "SUPPORT")
    assert (ev["source"], ev["target"]) == (["PRK"], ["PSE-HAMAS"])


def test_assertion_and_denial_of_armed_holder_share_the_event_key(nlp):
    doc = nlp.make_doc("Israeli officials said on Monday that Hezbollah had used Iranian drones in the attack. "
                       "Iran denied that its drones had ever reached Hezbollah.")
    doc._.published = "2024-03-04"
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    events = doc._.events
    keyed = {}
    for claim in doc._.claims:
        ev = events[claim["event_index"]] if claim.get("event_index") is not None else None
        if ev and ev["type"] == "AID":
            deny = claim["stance"] == "deny" or ev["negated"]
            keyed[(claim["speaker"], deny)] = (ev["type"], ev["source"], ev["target"])
    assert keyed == {("ISR-GOV", False): ("AID", ["IRN"], ["LBN-HEZBOLLAH"]),
                     ("IRN", True): ("AID", ["IRN"], ["LBN-HEZBOLLAH"])}
