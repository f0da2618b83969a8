"""Figure series built from cumulative figure rows: grouping, order, flagged falls, sentences."""

from __future__ import annotations

from typing import Any

from fogwatch.api.series import REPORTER, build_series, flagged_figure_ids, sentence_in


def _row(i: int, value: int, day: str, **fields: Any) -> dict[str, Any]:
    text = f"{value} people killed"
    window = f"Intro sentence here. Officials said {text} so far. Next one."
    start = window.index(text)
    return {
        "id": i, "article_id": f"a{i}", "idx": 0, "start": 1000 + start, "end": 1000 + start + len(text),
        "text": text, "value": value, "bound": "exact", "metric": "killed", "victims": "people",
        "published": day, "window": window, "window_start": 1000, "source": None, "source_actor": None,
        **fields,
    }


def test_groups_by_metric_and_source_in_given_order() -> None:
    rows = [
        _row(1, 100, "2024-01-01", source="The Ministry"),
        _row(2, 50, "2024-01-02", source="the army", source_actor="army"),
        _row(3, 120, "2024-01-03", source="the ministry"),
        _row(4, 7, "2024-01-03", metric="injured"),
    ]
    series = build_series(rows)
    keys = [(s["metric"], s["source"]) for s in series]
    assert keys == [("injured", REPORTER), ("killed", "the ministry"), ("killed", "army")]
    ministry = series[1]
    assert [p["value"] for p in ministry["points"]] == [100, 120]
    assert [p["date"] for p in ministry["points"]] == ["2024-01-01", "2024-01-03"]
    assert ministry["label"] in ("The Ministry", "the ministry")
    assert series[0]["label"] == "reporter's own voice"


def test_a_fall_below_the_earlier_highest_value_is_flagged() -> None:
    rows = [
        _row(1, 100, "2024-01-01", source_actor="m"),
        _row(2, 130, "2024-01-02", source_actor="m"),
        _row(3, 120, "2024-01-03", source_actor="m"),
        _row(4, 140, "2024-01-04", source_actor="m"),
    ]
    [series] = build_series(rows)
    flags = [p["flag"] for p in series["points"]]
    assert flags[0] is None and flags[1] is None and flags[3] is None
    assert flags[2] is not None and "130" in flags[2] and "2024-01-02" in flags[2]
    assert series["flagged"] == 1
    assert flagged_figure_ids([series]) == {3}


def test_point_sentence_is_the_sentence_around_the_figure() -> None:
    [series] = build_series([_row(1, 42, "2024-01-01")])
    assert series["points"][0]["sentence"] == "Officials said 42 people killed so far."


def test_sentence_in_stops_at_line_breaks_and_quotes() -> None:
    window = 'Heading\nHe said: "Five died." Then more.'
    start = window.index("Five")
    assert sentence_in(window, start, start + 4) == 'He said: "Five died."'


def test_one_sources_totals_for_different_countries_are_separate_series() -> None:
    rows = [
        _row(1, 1000, "2024-01-01", source_actor="un", country="AA"),
        _row(2, 50, "2024-01-02", source_actor="un", country="BB"),
        _row(3, 1100, "2024-01-03", source_actor="un", country="AA"),
    ]
    series = build_series(rows)
    assert [(s["country"], len(s["points"]), s["flagged"]) for s in series] == [("AA", 2, 0), ("BB", 1, 0)]
    assert series[0]["label"] == "un (AA)"


def test_figures_of_the_same_day_are_not_compared_with_each_other() -> None:
    rows = [
        _row(1, 8000, "2024-01-01", source_actor="m"),
        _row(2, 3000, "2024-01-01", source_actor="m", victims="children"),
        _row(3, 7000, "2024-01-02", source_actor="m"),
    ]
    [series] = build_series(rows)
    assert [p["flag"] is not None for p in series["points"]] == [False, False, True]
    assert "8,000" in series["points"][2]["flag"]
