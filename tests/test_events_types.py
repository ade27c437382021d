"""Event types and CAMEO codes on hand-written sentences: one rule per test.

The rules run alone (bare spaCy model, a small fixed gazetteer for the actors component, the
events component with the sentence classifier off), so a failure points at a type rule."""
from __future__ import annotations

import pytest

GAZETTEER = {
    "Hamas": "PSE-HAMAS", "Hezbollah": "LBN-HEZBOLLAH", "Israel": "ISR", "Iran": "IRN", "Russia": "RUS",
    "Ukraine": "UKR", "Syria": "SYR", "Egypt": "EGY", "Turkey": "TUR", "Qatar": "QAT", "Kosovo": "XKX",
    "Gaza": "PSE", "the EU": "IGO-EU", "Kabul": "AFG", "Jordan": "JOR", "North Korea": "PRK",
}
DEMONYMS = {"Israeli": "ISR", "Russian": "RUS", "Syrian": "SYR", "Turkish": "TUR"}


@pytest.fixture(scope="module")
def coder(gazetteer_coder):
    return gazetteer_coder(GAZETTEER, DEMONYMS, use_model=False)


def types(events) -> set[str]:
    return {e["type"] for e in events}


def only(events, type_):
    found = [e for e in events if e["type"] == type_]
    assert len(found) == 1, [(e["type"], e["trigger"]) for e in events]
    return found[0]


# -- hyphenated nominalisations -------------------------------------------------------------
def test_hyphenated_ceasefire_is_a_truce_not_gunfire(coder):
    events = coder("Hezbollah declared a cease-fire on Sunday.")
    assert types(events) == {"RETREAT"}
    assert only(events, "RETREAT")["cameo"] == "0871"


# -- stated intentions: AGREE, THREATEN, REJECT -------------------------------------------
def test_willingness_to_withdraw_is_agree(coder):
    ev = only(coder("Russia is willing to pull its troops out of Syria."), "AGREE")
    assert ev["cameo"][:2] == "03" and ev["source"] == ["RUS"]


def test_promised_release_is_agree(coder):
    assert types(coder("Hamas said it will release the hostages.")) == {"AGREE"}


def test_announced_curfew_is_threat(coder):
    ev = only(coder("Turkey said it would impose a curfew on the city."), "THREATEN")
    assert ev["cameo"][:2] == "13" and ev["mode"] == "restrict"


def test_conditional_suspension_is_threat(coder):
    ev = only(coder("Egypt may suspend the talks if Israel keeps building."), "THREATEN")
    assert ev["cameo"][:2] == "13"


def test_stated_refusal_is_reject_not_negated_aid(coder):
    ev = only(coder("Jordan said it will not accept more refugees."), "REJECT")
    assert ev["negated"] is False and ev["cameo"][:2] == "12"


def test_failure_to_agree_is_reject(coder):
    assert types(coder("Israel and Egypt failed to reach an agreement on the border.")) == {"REJECT"}


def test_past_participle_is_outside_the_promise(coder):
    found = types(coder("Hamas said it will return weapons seized from Israel last year."))
    assert "THREATEN" not in found and "AGREE" in found


def test_not_tolerating_is_a_threat_tolerating_no_event(coder):
    ev = only(coder("Egypt said it will not tolerate rallies."), "THREATEN")
    assert ev["negated"] is False
    assert coder("Egypt said it will tolerate rallies.") == []
    assert types(coder("Egypt warned that it will no longer tolerate rallies.")) == {"THREATEN"}


# -- peacekeepers, inspectors ---------------------------------------------------------------
def test_sending_peacekeepers_is_aid(coder):
    ev = only(coder("Ukraine is sending 200 peacekeepers to Kosovo."), "AID")
    assert ev["cameo"] == "074"


def test_expelling_inspectors_reduces_relations(coder):
    assert only(coder("Iran expelled the UN inspectors."), "SANCTION")["cameo"][:3] == "166"


def test_withdrawing_peacekeepers_from_is_sanction_not_retreat(coder):
    assert only(coder("Russia withdrew its peacekeepers from Syria."), "SANCTION")["cameo"] == "1661"


# -- ending things --------------------------------------------------------------------------
def test_halting_an_offensive_deescalates(coder):
    events = coder("Israel halted its offensive in the north.")
    assert types(events) == {"RETREAT"}


def test_ending_mediation_is_sanction_without_consult(coder):
    events = coder("Egypt ended its mediation efforts between Israel and Hamas.")
    assert types(events) == {"SANCTION"}


def test_lifting_a_blockade_is_retreat(coder):
    assert only(coder("Israel lifted the blockade of Gaza."), "RETREAT")["cameo"] == "0872"


def test_state_of_emergency_is_what_is_lifted(coder):
    assert types(coder("Egypt lifted the state of emergency.")) == {"CONCEDE"}


# -- statements about events are no events --------------------------------------------------
def test_condolences_over_an_attack_code_nothing(coder):
    assert coder("Turkey expressed condolences over the bombing in Kabul.") == []


def test_denied_accusation_codes_nothing(coder):
    assert coder("Iran rejected accusations that it had armed Hamas.") == []


def test_declined_comment_codes_nothing(coder):
    assert coder("Egypt declined to comment on the talks with Israel.") == []


# -- lexical frames -------------------------------------------------------------------------
def test_returning_property_to_a_state(coder):
    assert only(coder("Israel returned the seized documents to Egypt."), "RETREAT")["cameo"] == "0842"


def test_set_free(coder):
    assert types(coder("Syria set free two journalists.")) == {"RETREAT"}


def test_opening_borders_to_people_is_asylum(coder):
    assert only(coder("Turkey opened its borders to Syrian refugees."), "AID")["cameo"] == "075"


def test_sharing_evidence_is_intelligence_cooperation(coder):
    assert only(coder("Israel shared evidence with Egypt."), "COOPERATE")["cameo"] == "064"


def test_blocking_roads_is_protest(coder):
    assert only(coder("Farmers blocked roads into the capital."), "PROTEST")["cameo"] == "144"


def test_protest_aim_is_not_a_second_event(coder):
    assert types(coder("Students staged a rally in Cairo to demand reforms.")) == {"PROTEST"}


def test_on_alert_and_on_strike(coder):
    assert only(coder("Russian troops remained on alert."), "MOBILIZE")["cameo"] == "152"
    assert types(coder("Dock workers went on strike.")) == {"PROTEST"}


def test_violating_a_truce_is_fighting_a_ban_defiance(coder):
    assert only(coder("Hamas violated the truce."), "ASSAULT")["cameo"] == "196"
    assert only(coder("North Korea violated the ban on missile tests."), "REJECT")["cameo"] == "128"


def test_cyber_attack_is_coercion(coder):
    assert only(coder("Russia launched a cyber attack against Ukraine."), "COERCE")["mode"] == "cyber"


def test_human_shields(coder):
    ev = only(coder("Hamas used civilians as human shields."), "COERCE")
    assert ev["source"] == ["PSE-HAMAS"]


def test_call_for_sanctions_is_a_demand(coder):
    assert only(coder("The EU called for sanctions against Iran."), "REQUEST")["cameo"][:2] == "10"


def test_seeking_aid_is_an_appeal(coder):
    assert only(coder("Syria sought aid from Iran."), "REQUEST")["cameo"][:2] == "02"


def test_found_guilty(coder):
    assert types(coder("A court found the minister guilty of spying.")) == {"SANCTION"}


def test_giving_access(coder):
    assert only(coder("Iran gave the inspectors access to the site."), "RETREAT")["cameo"] == "086"


def test_allowing_someone_to_act_concedes(coder):
    assert types(coder("The court allowed the opposition leader to run in the election.")) == {"CONCEDE"}


def test_mediation_effort_is_consult(coder):
    assert only(coder("Qatar launched a mediation effort between Iran and Egypt."), "CONSULT")["cameo"] == "045"


def test_strengthening_forces_mobilizes(coder):
    assert types(coder("Israel strengthened its forces in the north.")) == {"MOBILIZE"}


def test_accepting_a_formula_agrees(coder):
    assert types(coder("Syria accepted the peace formula.")) == {"AGREE"}


def test_peacekeeping_mission_as_destination_is_aid(coder):
    ev = only(coder("Turkey is deploying 300 troops to the UN peacekeeping mission in Kosovo."), "AID")
    assert ev["cameo"] == "074"


def test_provided_support_is_aid_expressed_support_is_support(coder):
    assert types(coder("The EU provided financial support to Jordan.")) == {"AID"}
    assert types(coder("Egypt expressed support for Jordan.")) == {"SUPPORT"}


def test_considering_an_option_is_no_event(coder):
    assert coder("Egypt is considering sending aid to Gaza.") == []


def test_agreeing_with_an_opinion_is_no_event(coder):
    assert coder("Egypt agreed with Jordan that the plan was unfair.") == []
    assert types(coder("Israel agreed with Egypt to open the crossing.")) == {"AGREE"}


def test_releasing_a_statement_is_no_release(coder):
    assert coder("Egypt released a statement on Monday.") == []


def test_fighting_an_epidemic_is_no_assault(coder):
    assert "ASSAULT" not in types(coder("Jordan sent doctors to fight the cholera epidemic."))


def test_seeking_a_release_appeals(coder):
    assert only(coder("Egypt sought the release of the detainees."), "REQUEST")["cameo"][:2] == "02"


def test_cutting_tariffs_concedes(coder):
    assert types(coder("Egypt cut tariffs on Jordanian cement.")) == {"CONCEDE"}
    assert types(coder("Turkey rolled back the tariffs on Syrian goods.")) == {"CONCEDE"}


def test_taking_part_in_peacekeeping_is_aid(coder):
    assert only(coder("Jordanian troops participate in peacekeeping operations in Kosovo."), "AID")["cameo"] == "074"


def test_returning_artifacts(coder):
    assert types(coder("Turkey returned the ancient artifacts to Egypt.")) == {"RETREAT"}


def test_condolences_cover_the_verb_and_its_adjuncts(coder):
    assert coder("Turkey offered condolences to Egypt after the attack in Cairo.") == []
    assert types(coder("Russia expressed concern about the attack and condemned Israel.")) == {"ACCUSE"}


def test_demolition_and_arson_damage_property(coder):
    assert only(coder("Israeli bulldozers demolished Palestinian homes in Gaza."), "COERCE")["cameo"] == "171"
    assert types(coder("Settlers set fire to a mosque in Hebron.")) == {"COERCE"}


def test_opposing_a_plan_rejects_it(coder):
    assert types(coder("Syria opposed the peace plan.")) == {"REJECT"}
    assert types(coder("Syria opposed Turkey.")) == {"ACCUSE"}


def test_denied_visas_and_reneging_reject(coder):
    assert types(coder("Turkey denied visas to Syrian officials.")) == {"REJECT"}
    assert types(coder("Egypt reneged on its commitment to hold elections.")) == {"REJECT"}


def test_ethnic_cleansing(coder):
    assert only(coder("Serb forces engaged in ethnic cleansing against Albanians."), "ASSAULT")["cameo"] == "203"


def test_giving_up_or_stopping_fighting_deescalates(coder):
    assert types(coder("The rebels gave up fighting in the south.")) == {"RETREAT"}
    assert types(coder("Hezbollah ceased firing at Israel.")) == {"RETREAT"}
