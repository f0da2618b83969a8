"""Number phrases: values, bounds, and what is not a number."""

from __future__ import annotations

import pytest

from fogwatch.extract.numbers import find_numbers, parse_phrase, parse_value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["31,700"], 31700),
        (["1400"], 1400),
        (["1.7", "million"], 1_700_000),
        (["2.3", "million"], 2_300_000),
        (["a", "million"], 1_000_000),
        (["Thirteen"], 13),
        (["twenty", "-", "five"], 25),
        (["Ninety", "-", "five"], 95),
        (["two", "hundred", "and", "fifty"], 250),
        (["a", "dozen"], 12),
        (["three", "thousand"], 3000),
    ],
)
def test_parse_value(words: list[str], value: int) -> None:
    assert parse_value(words) == value


@pytest.mark.parametrize("words", [["dozens"], ["1.5"], ["the"], [], ["0"]])
def test_parse_value_rejects_non_counts(words: list[str]) -> None:
    assert parse_value(words) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 1,300", (1300, "more_than")),
        ("at least ten", (10, "at_least")),
        ("a minimum of 12", (12, "at_least")),
        ("some 1.6 million", (1_600_000, "about")),
        ("roughly 20,400", (20400, "about")),
        ("up to 200", (200, "at_most")),
        ("fewer than 20", (20, "fewer_than")),
        ("“at least” 50", (50, "at_least")),
        ("no fewer than 8", (8, "at_least")),
        ("45", (45, "exact")),
    ],
)
def test_parse_phrase_bounds(text: str, expected: tuple[int, str]) -> None:
    assert parse_phrase(text) == expected


def test_huge_numbers_are_not_values() -> None:
    assert parse_value(["999999999999999999999"]) is None


@pytest.mark.model
def test_find_numbers_in_a_parsed_sentence() -> None:
    from fogwatch.nlp import parse

    doc = parse("Nearly 1.2 million people fled, twenty-two died and about a dozen were hurt; dozens more are missing.")
    found = [(n.text, n.value, n.bound) for n in find_numbers(doc)]
    assert found == [
        ("Nearly 1.2 million", 1_200_000, "about"),
        ("twenty-two", 22, "exact"),
        ("about a dozen", 12, "about"),
    ]


@pytest.mark.model
def test_find_numbers_offsets_match_text() -> None:
    from fogwatch.nlp import parse

    text = "Officials said “at least” 40 were detained and more than 3,000 displaced."
    for n in find_numbers(parse(text)):
        assert text[n.start : n.end] == n.text
    assert [n.value for n in find_numbers(parse(text))] == [40, 3000]


def test_half_a_million() -> None:
    assert parse_value(["half", "a", "million"]) == 500_000


@pytest.mark.model
def test_half_a_million_in_text_and_half_of_is_not_a_number() -> None:
    from fogwatch.nlp import parse

    assert [n.value for n in find_numbers(parse("Nearly half a million people fled."))] == [500_000]
    assert [n.value for n in find_numbers(parse("Half of them were children."))] == []
