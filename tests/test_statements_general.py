"""Statements: general rules added while studying errors on the team's tune set.

Every sentence here is written for these tests (varied conflicts), not taken from
any evaluation article.
"""

from __future__ import annotations

import pytest

from fogwatch.extract.context import Context
from fogwatch.extract.statements import find_statements
from fogwatch.model import Statement
from fogwatch.nlp import parse

pytestmark = pytest.mark.model


def statements(text: str) -> list[Statement]:
    found = find_statements(Context(text=text, doc=parse(text)))
    for s in found:
        assert s.text == text[s.start:s.end]
    return found


def one(found: list[Statement], content_start: str) -> Statement:
    hits = [s for s in found if s.text.startswith(content_start)]
    assert len(hits) == 1, [(s.speaker, s.text) for s in found]
    return hits[0]


@pytest.mark.parametrize("text, content", [
    ("The UN envoy warned of mass atrocities in the region.", "mass atrocities in the region"),
    ("An aid official was warning of the spread of cholera in the camps.", "the spread of cholera in the camps"),
])
def test_warned_of_something_is_a_warning(text: str, content: str) -> None:
    st = one(statements(text), content)
    assert st.stance == "warn"
    assert st.text == content


def test_coordinated_denial_is_a_statement_of_its_own() -> None:
    found = statements("The militia said it was protecting residents and denied that its fighters "
                       "had attacked civilians.")
    said = one(found, "it was protecting")
    assert said.text == "it was protecting residents"
    denied = one(found, "its fighters")
    assert (denied.speaker, denied.cue, denied.stance) == ("militia", "denied", "deny")


def test_coordinated_cue_takes_the_named_speaker_not_the_clause_subject() -> None:
    found = statements("Colonel Dmitri Orlov said his troops were still fighting and denied that "
                       "the base had been captured.")
    denied = one(found, "the base had been captured")
    assert denied.speaker == "Dmitri Orlov"
    assert denied.stance == "deny"
    assert one(found, "his troops").text == "his troops were still fighting"


def test_coordinated_warning_in_present_tense() -> None:
    found = statements("The ministry says the convoy was hit twice and warns that fuel cannot reach the city.")
    assert one(found, "the convoy").text == "the convoy was hit twice"
    warned = [s for s in found if s.cue == "warns"]
    assert len(warned) == 1 and warned[0].stance == "warn" and warned[0].speaker == "ministry"


@pytest.mark.parametrize("text, stance", [
    ('"We continue to call for an end to the shelling of Kharkiv," the mayor said.', "demand"),
    ('"I condemn the bombing of the school in Idlib," the envoy said.', "accuse"),
    ('"We urge all parties to protect civilians," the ICRC said in a statement.', "demand"),
])
def test_first_person_performative_takes_the_verbs_stance(text: str, stance: str) -> None:
    (st,) = statements(text)
    assert st.direct and st.stance == stance


def test_first_person_under_a_modal_is_not_performed() -> None:
    (st,) = statements('"We would call for talks if the shelling stopped," the minister said.')
    assert st.stance != "demand"


def test_attack_noun_with_a_named_party_as_subject_is_an_accusation() -> None:
    (st,) = statements("A Russian missile strike on Monday destroyed a hospital in Kherson, killing four "
                       "people, officials said.")
    assert st.stance == "accuse"


def test_conjoined_attack_verb_shares_the_armed_subject() -> None:
    (st,) = statements("Gang members looted the shops and then burned the houses, the rights group said.")
    assert st.stance == "accuse"


def test_unowned_attack_subject_with_peaceful_verb_stays_an_assertion() -> None:
    (st,) = statements("The strike ended after three weeks of talks, the union said.")
    assert st.stance == "assert"


def test_coordinated_non_reporting_verb_stays_in_the_content() -> None:
    (st,) = statements("The army said it had struck a rebel depot and killed two commanders near Bentiu.")
    assert st.text == "it had struck a rebel depot and killed two commanders near Bentiu"


def test_the_group_points_back_at_the_named_organisation_not_a_plural_noun() -> None:
    found = statements("In a statement, the Wagner-backed militia FLM said it had seized the town from armed "
                       "groups allied with the government. The group denied targeting civilians.")
    denied = one(found, "targeting civilians")
    assert denied.speaker == "Wagner-backed militia FLM"
    assert denied.stance == "deny"


def test_the_group_still_resolves_to_an_earlier_group_mention() -> None:
    found = statements("A Syrian rights group, the Violations Documentation Center, counted 40 dead. "
                       "The group said most of the victims were women.")
    assert one(found, "most of the victims").speaker == "Violations Documentation Center"


def test_inverted_speaker_after_a_quote_is_not_a_noun_inside_the_quote() -> None:
    (st,) = statements('"The road is full of families, old people on carts, children without shoes," '
                       'said an aid worker in Adre.')
    assert st.direct
    assert st.speaker == "aid worker in Adre"


@pytest.mark.parametrize("text", [
    "Ethiopia's army would never attack a refugee camp, the spokesman said.",
    "The police did not fire on the protesters in Nairobi, the minister said.",
])
def test_negated_attack_by_an_armed_party_is_a_denial(text: str) -> None:
    (st,) = statements(text)
    assert st.stance == "deny"


def test_armed_party_promise_without_negation_is_not_a_denial() -> None:
    (st,) = statements("The army would protect the refugee camp, the spokesman said.")
    assert st.stance == "promise"


@pytest.mark.parametrize("text", [
    "The bridge had been sabotaged by Azerbaijan, the ministry said.",
    "Hezbollah fired rockets at Haifa overnight, the army said.",
])
def test_attack_by_a_named_party_is_an_accusation(text: str) -> None:
    (st,) = statements(text)
    assert st.stance == "accuse"


def test_non_attack_by_a_named_party_stays_an_assertion() -> None:
    (st,) = statements("The dam was built by China in 2010, officials said.")
    assert st.stance == "assert"


@pytest.mark.parametrize("text, content, stance", [
    ('Kigali called the U.S. statement "ridiculous".', 'the U.S. statement "ridiculous"', "deny"),
    ("Moscow has called the accusations a provocation aimed at derailing talks.",
     "the accusations a provocation aimed at derailing talks", "deny"),
    ("The junta leader has called the rebel offensive a threat to national unity.",
     "the rebel offensive a threat to national unity", "accuse"),
])
def test_characterising_call_is_a_statement(text: str, content: str, stance: str) -> None:
    (st,) = statements(text)
    assert (st.text, st.stance) == (content, stance)


@pytest.mark.parametrize("text", ["A village called Dara was shelled overnight.",
                                  "The minister called reporters to his office."])
def test_call_without_object_and_predicate_is_no_statement(text: str) -> None:
    assert statements(text) == []


@pytest.mark.parametrize("text, speaker", [
    ("The death toll from the shelling has risen to 50, a local camp administrator said on Friday.",
     "local camp administrator"),
    ("The general vowed to recapture the town within a week.", "general"),
    ("A parish priest said the militia had burned the church.", "parish priest"),
])
def test_more_speaker_nouns_can_report(text: str, speaker: str) -> None:
    (st,) = statements(text)
    assert st.speaker == speaker


def test_participle_accusation_keeps_its_object_and_the_main_subject() -> None:
    (st,) = statements("Last week Britain imposed sanctions on the rebel leader, accusing his militia of "
                       "attacks on schools and clinics.")
    assert (st.speaker, st.cue, st.stance) == ("Britain", "accusing", "accuse")
    assert st.text == "his militia of attacks on schools and clinics"


def test_criticised_is_an_accusation() -> None:
    (st,) = statements("President Ruto criticised what he called the silence of the African Union.")
    assert (st.cue, st.stance) == ("criticised", "accuse")


def test_participle_after_a_reported_clause_belongs_to_the_reporter() -> None:
    found = statements("Ana Lopez said the convoy was hit three times, rejecting Russia's explanation "
                       "that the strike was an error.")
    rejected = one(found, "Russia's explanation")
    assert (rejected.speaker, rejected.stance) == ("Ana Lopez", "deny")
    assert rejected.text == "Russia's explanation that the strike was an error"


def test_object_content_runs_to_the_end_of_a_quotation_split_at_a_comma() -> None:
    found = statements('The founder of the relief agency, Maria Santos, accused Russia on Tuesday of shelling '
                       'its warehouse "deliberately, one by one", rejecting the claim that it was an accident.')
    accused = one(found, "Russia")
    assert accused.speaker == "Maria Santos"
    assert accused.text == 'Russia on Tuesday of shelling its warehouse "deliberately, one by one"'


@pytest.mark.parametrize("text, speaker, stance", [
    ("The army has continued to deny responsibility for the massacre.", "army", "deny"),
    ("The foreign ministry was quick to condemn the strike on the embassy.", "foreign ministry", "accuse"),
])
def test_cue_under_a_carrying_verb_speaks_for_its_subject(text: str, speaker: str, stance: str) -> None:
    (st,) = statements(text)
    assert (st.speaker, st.stance) == (speaker, stance)


@pytest.mark.parametrize("text", ["The junta refused to confirm the number of dead.",
                                  "Hamas would not continue to deny the killings."])
def test_cue_under_a_verb_that_leaves_it_undone_is_no_statement(text: str) -> None:
    assert statements(text) == []


def test_clause_opening_the_sentence_beats_a_participle_set_off_after_the_cue() -> None:
    (st,) = statements("At least 300 people have been killed in fighting around Bukavu since Sunday, the Red "
                       "Cross said on Friday, citing figures gathered with the local authorities.")
    assert st.speaker == "Red Cross"
    assert st.text == "At least 300 people have been killed in fighting around Bukavu since Sunday"


def test_clause_after_the_cue_still_wins_without_a_sentence_opening_clause() -> None:
    (st,) = statements("On Friday the Red Cross said at least 300 people had been killed around Bukavu.")
    assert st.text == "at least 300 people had been killed around Bukavu"


def test_promise_hung_on_a_circumstance_noun_is_still_the_content() -> None:
    (st,) = statements("The governor vowed in a televised address on Wednesday to mount a vigorous response "
                       "to the offensive.")
    assert (st.stance, st.text) == ("promise", "to mount a vigorous response to the offensive")


def test_assertion_cue_does_not_take_a_displaced_infinitive() -> None:
    assert statements("The governor announced in a speech meant to calm residents.") == []


@pytest.mark.parametrize("text", [
    "A militia commander in the capital ordered the killing of 40 villagers, the rights group said.",
    "The rights group said the warlord blamed local farmers for the drought.",
])
def test_reported_accusation_or_ordered_killing_is_an_accusation(text: str) -> None:
    (st,) = statements(text)
    assert st.stance == "accuse"


def test_killing_as_a_subject_is_not_an_accusation() -> None:
    (st,) = statements("Residents said the killing had shocked the town.")
    assert st.stance == "assert"


def test_participle_warning_of_after_a_quote_keeps_both_statements() -> None:
    found = statements('"Roads are cut off," said an official of the U.N. refugee agency, warning of the '
                       'spread of measles and cholera.')
    quote = one(found, "Roads are cut off")
    assert quote.direct and quote.speaker == "official of the U.N. refugee agency"
    warning = one(found, "the spread")
    assert (warning.stance, warning.text) == ("warn", "the spread of measles and cholera")


def test_negative_imperative_is_a_warning() -> None:
    (st,) = statements('"Do not go back to your homes until the mines are cleared," the police chief said.')
    assert st.stance == "warn"


def test_negated_first_person_statement_is_not_a_warning() -> None:
    (st,) = statements('"We do not know where they are," the mother said.')
    assert st.stance == "assert"


def test_characterisation_with_a_misparsed_predicate_and_its_officials_speaking_for_the_owner() -> None:
    found = statements("Moscow has continued to deny responsibility. Its officials have called the accusations "
                       "a provocation staged to derail peace talks, a claim Kyiv called absurd.")
    called = one(found, "the accusations")
    assert (called.speaker, called.stance) == ("Moscow", "deny")
    assert called.text == "the accusations a provocation staged to derail peace talks"


def test_calling_people_who_did_something_is_no_characterisation() -> None:
    assert statements("Residents called the soldiers who were guarding the gate.") == []


def test_short_quoted_section_heading_is_no_continuation() -> None:
    from fogwatch.extract.structure import split_blocks
    text = ('The army said it had struck a depot near Goma.\n\n"A grave mistake"\n\n'
            '"We will rebuild every house," the mayor said.')
    blocks = split_blocks(text)
    assert [b.heading for b in blocks] == [False, True, False]
    assert all(s.text != "A grave mistake" for s in statements(text))


def test_quoted_paragraph_ending_its_sentence_is_not_a_heading() -> None:
    from fogwatch.extract.structure import split_blocks
    blocks = split_blocks('The mayor spoke.\n\n"We will rebuild every house."')
    assert [b.heading for b in blocks] == [False, False]
