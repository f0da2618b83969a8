"""Figures from the real parse: what is counted, bound, scope, source, dispute.

Example sentences are written for these tests, across conflicts (Sudan, Myanmar,
DR Congo, Yemen, Haiti, Sahel, Syria, Ukraine, Gaza).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch.extract.context import Context
from fogwatch.extract.figures import find_figures
from fogwatch.model import Figure, Statement

pytestmark = pytest.mark.model


def figures(text: str, statements: list[Statement] | None = None) -> list[Figure]:
    from fogwatch.nlp import parse

    return find_figures(Context(text=text, doc=parse(text)), statements or [])


def one(text: str) -> Figure:
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


def test_object_of_kill_with_bound_and_speaker() -> None:
    f = one("Paramilitary fighters killed at least 85 civilians in a village in North Darfur, the Sudan Doctors Network said.")
    assert (f.value, f.bound, f.metric, f.victims) == (85, "at_least", "killed", "civilians")
    assert f.source == "Sudan Doctors Network" and f.source_actor == "sudan-doctors"
    assert f.scope == "incident"


def test_coordination_gives_two_figures_with_their_own_metrics() -> None:
    found = figures("The RSF shelled a market in El Fasher, killing 30 people and wounding 112 others, "
                    "according to local activists.")
    assert [(f.value, f.metric, f.victims) for f in found] == [(30, "killed", "people"), (112, "injured", "others")]
    assert {f.source for f in found} == {"local activists"}


def test_killed_and_seized_hostages() -> None:
    found = figures("The gunmen killed 1,100 villagers and seized 120 hostages.")
    assert [(f.value, f.metric) for f in found] == [(1100, "killed"), (120, "hostages")]


def test_coordinated_nouns_share_the_bound() -> None:
    found = figures("Among the 40 casualties are at least 9 women and four children, hospital staff said.")
    assert [(f.value, f.bound, f.metric) for f in found] == [
        (40, "exact", "killed_or_injured"), (9, "at_least", "killed_or_injured"), (4, "at_least", "killed_or_injured")]


def test_sub_count_of_a_figure() -> None:
    found = figures("An airstrike on a school in Sagaing killed 23 people, 11 of them students.")
    assert [(f.value, f.metric) for f in found] == [(23, "killed"), (11, "killed")]
    assert found[1].victims == "students"


def test_among_them_inherits_the_metric() -> None:
    found = figures("Gangs killed 70 people in Pont-Sonde. Among them are ten children.")
    assert [(f.value, f.metric) for f in found] == [(70, "killed"), (10, "killed")]


def test_death_toll_rose_to() -> None:
    f = one("The death toll from the clashes rose to 1,018 on Sunday.")
    assert (f.value, f.metric) == (1018, "killed")


def test_casualties_killed_or_wounded_and_dead() -> None:
    assert one("The shelling caused 45 casualties.").metric == "killed_or_injured"
    assert one("At least 12 soldiers were killed or wounded near Gao.").metric == "killed_or_injured"
    f = one("Security forces opened fire on protesters in Mandalay, leaving at least seven dead.")
    assert (f.value, f.bound, f.metric) == (7, "at_least", "killed")


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("About 170 migrants are missing after their boat capsized.", "missing"),
        ("Police arrested 25 protesters in Port-au-Prince.", "detained"),
        ("Fighters abducted 30 schoolgirls in Zamfara state.", "hostages"),
        ("Some 700,000 people were forced to flee their homes in North Kivu.", "displaced"),
        ("Nearly 1.7 million people are sheltering in schools and tents.", "sheltering"),
        ("The strike took the lives of 14 fishermen.", "killed"),
        ("The deal includes the release of 30 hostages and 90 prisoners.", "hostages"),
    ],
)
def test_metric_from_the_governing_word(text: str, metric: str) -> None:
    assert figures(text)[0].metric == metric


def test_prisoners_are_detained_in_an_exchange() -> None:
    found = figures("The deal includes the release of 30 hostages and 90 prisoners.")
    assert [(f.value, f.metric) for f in found] == [(30, "hostages"), (90, "detained")]


@pytest.mark.parametrize(
    "text",
    [
        "The 47-year-old commander survived the ambush.",
        "The strike hit a building with 16 apartments and three cars were destroyed on May 5.",
        "He said 60 percent of the houses were destroyed.",
        "Between 50 and 70 people were killed in the raid.",
        "The air force shot down 44 of the 55 drones launched overnight.",
        "The government allocated $5 million to rebuild 300 homes.",
        "Aid groups say tens of thousands of people have fled and hundreds have been killed.",
        "The war has displaced almost all of the region's 1.2 million residents.",
        "In 2019, 15 of the 17 judges voted for the measure.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []


def test_scope_cumulative_cues() -> None:
    assert one("More than 12 million people have been displaced since the war began, the UN said.").scope == "cumulative"
    assert one("The ministry says 5,350 people have been killed in the conflict so far.").scope == "cumulative"
    assert one("Two soldiers were killed in fighting on Tuesday.").scope == "incident"
    assert one("Rebels are holding 25 hostages in the hills.").scope == "cumulative"
    # "said ... had been displaced" is "have been displaced" shifted back: a running total,
    # unless a bounded time is named ("in two days")
    assert one("The agency said at least 32,000 people had been displaced.").scope == "cumulative"
    assert one("The agency said 26,000 people had fled the town in two days.").scope == "incident"
    assert one("By then 9,000 people had fled the town.").scope == "incident"


def test_according_to_a_tally_names_its_author() -> None:
    f = one("At least 3,700 people have died, according to the latest tally from the Yemeni health ministry.")
    assert f.source == "Yemeni health ministry"


def test_disputed_by() -> None:
    f = one("The army said it had killed about 20 militants, a figure disputed by Al-Shabaab.")
    assert f.disputed_by == "Al-Shabaab" and f.source == "army"
    f = one("The junta said 40 rebels were killed. The Arakan Army rejected the figure.")
    assert f.disputed_by == "Arakan Army" and f.disputed_by_actor == "arakan-army"


def test_figure_inside_a_statement_takes_its_speaker() -> None:
    text = '"We counted 62 bodies in the streets," he said.'
    st = Statement(start=1, end=36, text=text[1:36], speaker="Amina Yusuf", cue="said", direct=True)
    assert one(text).source is None
    f = figures(text, [st])[0]
    assert f.source == "Amina Yusuf"


def test_spans_are_exact_substrings() -> None:
    text = ("Russian strikes killed 11 people and injured 35 more in Kharkiv, officials said. "
            "Nine people, among them an 11-year-old boy, were killed in the city.")
    for f in figures(text):
        assert text[f.start : f.end] == f.text
        assert f.number in f.text
    assert [f.value for f in figures(text)] == [11, 35, 9]


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "“unclosed quote 12 people were killed", "1" * 400 + " people were killed",
     "killed killed killed 5 5 5 of of of them them", "99999999999999999999999 soldiers died",
     "Ninety-nine-hundred-thousand-million were killed.", "— 5 —", "of them 3"],
)
def test_odd_input_never_raises(text: str) -> None:
    for f in figures(text):
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("Somalia's 1.1 million IDPs live in crowded settlements.", 1_100_000, "displaced"),
        ("More than 2,300 people took shelter in schools after the floods.", 2300, "sheltering"),
        ("About 19,000 people were registered as displaced in Ouaka prefecture.", 19000, "displaced"),
        ("More than 67,000 people remained displaced in the province.", 67000, "displaced"),
        ("Some 1,500 displaced people arrived in the camp.", 1500, "displaced"),
        ("The death toll from the massacre has now reached more than 300.", 300, "killed"),
        ("Guerrillas raided two villages, leaving 17 militiamen and 2 soldiers dead.", 17, "killed"),
    ],
)
def test_more_ways_of_saying_what_is_counted(text: str, value: int, metric: str) -> None:
    found = {f.value: f.metric for f in figures(text)}
    assert found.get(value) == metric, found


def test_relative_speech_clause_gives_metric_and_source() -> None:
    f = one("It is unclear whether the total includes about 20 hostages who the Houthis said were killed in strikes.")
    assert (f.value, f.metric, f.bound) == (20, "killed", "about")
    assert f.source == "Houthis" and f.source_actor == "houthis"


def test_sub_count_of_whom() -> None:
    found = figures("Thirty people, six of whom were children, were wounded in the shelling of Kherson.")
    assert [(f.value, f.metric) for f in found] == [(30, "injured"), (6, "injured")]


@pytest.mark.parametrize(
    ("text", "not_a_figure"),
    [
        ("Five soldiers were killed in clashes with 200 rebels near the border.", 200),
        ("The army seized 15 grenades and 5 rifles after killing the commander.", 15),
        ("The army seized 15 grenades and 5 rifles after killing the commander.", 5),
        ("Ahmed Saleh, 25, was killed by a sniper.", 25),
        ("A boy aged 12 was shot dead.", 12),
    ],
)
def test_counts_that_are_not_the_victims(text: str, not_a_figure: int) -> None:
    assert not_a_figure not in [f.value for f in figures(text)]


def test_large_perfect_tense_tolls_are_cumulative() -> None:
    assert one("About 4,600 Palestinians have been killed, the ministry said.").scope == "cumulative"
    assert one("Thirteen soldiers have been killed in the fighting.").scope == "incident"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("The army said 40 rebels were killed, but the rebels called the figure exaggerated.", "rebels"),
        ("The ministry said 20 were killed; the army said the toll was inflated.", "army"),
        ("The army said 40 rebels were killed. The Arakan Army, which disputed the figure, gave none.", "Arakan Army"),
    ],
)
def test_more_ways_of_disputing(text: str, who: str) -> None:
    assert figures(text)[0].disputed_by == who


def test_denying_something_else_is_not_disputing_the_figure() -> None:
    f = one("The army said 40 rebels were killed, and the rebels denied responsibility for the attack.")
    assert f.disputed_by is None


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("At least 12 activists are in custody, their lawyers said.", 12, "detained"),
        ("Some 59 hostages remain in captivity.", 59, "hostages"),
        ("Rescuers evacuated 20 wounded from the clinic.", 20, "injured"),
        ("The army evacuated 3,000 residents from the border villages.", 3000, "displaced"),
        ("Thirty people were reported killed in the raid.", 30, "killed"),
    ],
)
def test_states_and_evacuations(text: str, value: int, metric: str) -> None:
    found = {f.value: f.metric for f in figures(text)}
    assert found.get(value) == metric, found


def test_source_drops_a_possessive_pronoun() -> None:
    assert one("At least 12 activists are in custody, their lawyers said.").source == "lawyers"


_FUZZ_WORDS = ("killed wounded 12 1,200 1.5 million a dozen half of them among the dead were at least more than "
               "said according to “ ” \" , . ; rebels army toll rose to including children hostages held freed "
               "disputed by figure - twenty five hundred and one whom which people displaced since war custody "
               "evacuated took lives 99999999999999 0 % $ 2024 year-old aged").split()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_FUZZ_WORDS), max_size=40))
def test_word_salad_never_raises(words: list[str]) -> None:
    text = " ".join(words)
    for f in figures(text):
        assert text[f.start : f.end] == f.text and f.value > 0


def test_a_short_article_with_quotes_euphemisms_and_a_dispute() -> None:
    text = (
        "Suspected jihadists killed at least 31 civilians in an attack on a village in central Mali on Sunday, "
        "local officials said.\n\n"
        "\"We have buried 31 people, including nine children,\" said a village chief.\n\n"
        "The army said its troops had \"neutralised\" 20 assailants. A spokesman for JNIM rejected the figure.\n\n"
        "More than 380,000 people have been displaced in central Mali since 2019, the UN said."
    )
    found = [(f.value, f.bound, f.metric, f.scope) for f in figures(text)]
    assert found == [
        (31, "at_least", "killed", "incident"), (31, "exact", "killed", "incident"), (9, "exact", "killed", "incident"),
        (20, "exact", "killed", "incident"), (380_000, "more_than", "displaced", "cumulative"),
    ]
    by_value = {f.value: f for f in figures(text)}
    assert by_value[20].disputed_by == "spokesman for JNIM" and by_value[20].disputed_by_actor == "jnim"
    assert by_value[380_000].source == "UN" and by_value[380_000].source_actor == "united-nations"


def test_the_dead_included() -> None:
    f = one("The war monitor said the dead included 973 civilians.")
    assert (f.value, f.metric, f.source) == (973, "killed", "war monitor")


def test_a_number_describing_another_count_is_not_a_figure() -> None:
    found = figures("Eight members of one family, among them five children, died when a shell hit their home.")
    assert [(f.value, f.metric) for f in found] == [(8, "killed"), (5, "killed")]


def test_a_headline_figure_restates_the_body_and_is_not_counted() -> None:
    text = ("UN says at least 180 killed in Amhara fighting\n\n"
            "At least 180 people have been killed since July in fighting in the Amhara region, the UN said.")
    found = figures(text)
    assert [(f.value, f.start > text.index("\n")) for f in found] == [(180, True)]


def test_people_treated_for_injuries_are_injured() -> None:
    assert [(f.value, f.metric) for f in figures("Doctors were treating 200 people for burns after the blast.")] == [
        (200, "injured")]
    assert [(f.value, f.metric) for f in figures("More than 45 people were treated for injuries.")] == [
        (45, "injured")]
    assert figures("Doctors treated 30 patients for cholera.") == []


def test_a_count_that_were_missing_after_a_killed_count() -> None:
    found = figures("Local health authorities said 68 people had been killed and 105 were missing.")
    assert [(f.value, f.metric) for f in found] == [(68, "killed"), (105, "missing")]


def test_a_heading_number_the_body_does_not_give_is_kept() -> None:
    text = ("TWELVE PEASANTS WERE KILLED BY SOLDIERS IN THE VILLAGE\n\n"
            "Officials said the army had denied any part in it.")
    assert [(f.value, f.metric) for f in figures(text)] == [(12, "killed")]
