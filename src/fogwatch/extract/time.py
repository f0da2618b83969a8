"""Date resolution: a date expression as written + the publication date -> a calendar date.

News dates are mostly relative ("early on Monday", "yesterday", "last week"); they
resolve against the publication date. A weekday means the most recent such day on or
before publication ("last Friday": strictly before). A month and day without a year
means the most recent such day on or before publication. Anything else is left
unresolved (``None``): never a guess. Without a publication date only absolute dates
(with a year) resolve.

The words known (weekdays, months, relative phrases) live in
``resources/time/calendar.json``. dateparser is not used: on the expressions news
uses, a few rules over spaCy's DATE/TIME spans are exact, faster, and avoid its
traps (``"early on Monday"`` -> None, a weekday equal to the publication weekday
-> a week earlier, bare numbers read as dates).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

PRECISIONS = ("day", "week", "month")

_TOKEN = re.compile(r"[a-z]+|\d+")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORDINAL_SUFFIX = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_AGO = re.compile(r"\b(\d+|[a-z]+) (day|days|week|weeks|month|months) ago\b")

# A day-of-month is at most 2 digits and a year exactly 4: "7", "31", "2024".
_MAX_DAY_DIGITS = 2
_YEAR_DIGITS = 4


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date expression: the first day of the period meant, and how wide it is."""

    date: dt.date
    precision: str   # day | week | month
    text: str        # the expression as written


@functools.lru_cache(maxsize=1)
def calendar() -> dict[str, Any]:
    """The packaged word lists (read once)."""
    path = resources.files("fogwatch").joinpath("resources/time/calendar.json")
    return json.loads(path.read_text(encoding="utf-8"))


def now_adverbs() -> frozenset[str]:
    """Adverbs that place an event at publication time ("currently being evacuated")."""
    return frozenset(calendar()["now_adverbs"])


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[.,()\[\]]", " ", text)
    return " ".join(text.split())


def _tokens(norm: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(norm):
        m = _ORDINAL_SUFFIX.match(tok)
        out.append(m.group(1) if m else tok)
    # "7th" arrives as "7" + "th" when written "7 th"; drop stray ordinal suffixes
    return [t for t in out if t not in {"st", "nd", "rd", "th"}]


def _contains(norm: str, phrase: str) -> bool:
    return _phrase_pattern(phrase).search(norm) is not None


@functools.lru_cache(maxsize=256)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The pattern of a calendar phrase as a whole word (the calendar holds a few dozen phrases)."""
    return re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])")


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return calendar()["number_words"].get(word)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_day(tokens: list[str], published: dt.date | None) -> tuple[dt.date | None, str | None] | None:
    """An absolute or year-less calendar date; ``None`` when the text names no month."""
    months = calendar()["months"]
    idx = next((i for i, t in enumerate(tokens) if t in months), None)
    if idx is None:
        return None
    month = months[tokens[idx]]
    year = next((int(t) for t in tokens if t.isdigit() and len(t) == _YEAR_DIGITS), None)
    day = None
    for j in (idx + 1, idx - 1):
        if 0 <= j < len(tokens) and tokens[j].isdigit() and len(tokens[j]) <= _MAX_DAY_DIGITS:
            day = int(tokens[j])
            break
    if day is None:  # a month alone: "in February", "February 2022"
        if year is None:
            if published is None:
                return (None, None)
            year = published.year if month <= published.month else published.year - 1
        return (dt.date(year, month, 1), "month")
    if year is not None:
        return (_safe_date(year, month, day), "day")
    if published is None:
        return (None, None)
    found = _safe_date(published.year, month, day)
    if found is not None and found > published:
        found = _safe_date(published.year - 1, month, day)
    return (found, "day")


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _relative(norm: str, tokens: list[str], published: dt.date) -> tuple[dt.date, str] | None:
    cal = calendar()
    ago = _AGO.search(norm)
    if ago:
        n = _number(ago.group(1))
        if n is None:
            return None
        unit = ago.group(2)
        if unit.startswith("day"):
            return (published - dt.timedelta(days=n), "day")
        if unit.startswith("week"):
            return (_week_start(published - dt.timedelta(weeks=n)), "week")
        return (_shift_month(published, -n), "month")
    for phrase, offset in sorted(cal["day_offsets"].items(), key=lambda kv: -len(kv[0])):
        if _contains(norm, phrase) and not any(t in cal["weekdays"] for t in tokens):
            return (published + dt.timedelta(days=offset), "day")
    weekday = next((cal["weekdays"][t] for t in tokens if t in cal["weekdays"]), None)
    if weekday is not None:
        if "next" in tokens or "coming" in tokens:
            return None
        back = (published.weekday() - weekday) % 7
        if back == 0 and "last" in tokens:
            back = 7
        return (published - dt.timedelta(days=back), "day")
    for phrase, offset in sorted(cal["week_phrases"].items(), key=lambda kv: -len(kv[0])):
        if _contains(norm, phrase):
            return (_week_start(published) + dt.timedelta(weeks=offset), "week")
    for phrase, offset in sorted(cal["month_phrases"].items(), key=lambda kv: -len(kv[0])):
        if _contains(norm, phrase):
            return (_shift_month(published, offset), "month")
    return None


@functools.lru_cache(maxsize=1)
def _date_pattern() -> re.Pattern[str]:
    cal = calendar()
    months = "|".join(sorted((re.escape(m) for m in cal["months"] if len(m) > 3 or m == "may"), key=len, reverse=True))
    abbrevs = "|".join(re.escape(m) for m in cal["months"] if len(m) <= 3 and m != "may")
    month = rf"(?:{months}|(?:{abbrevs})\.?)"
    weekday = "|".join(sorted((re.escape(w) for w in cal["weekdays"] if len(w) > 4), key=len, reverse=True))
    # Every match starts with a digit or the first letter of a month or weekday: the lookahead
    # rejects other word starts before the alternation is tried (twice as fast, same matches).
    first = re.escape("".join(sorted({w[0] for w in [*cal["months"], *cal["weekdays"]]})))
    return re.compile(
        rf"\b(?=[\d{first}])(?:(?:{weekday})\b|{month}\s+\d{{1,2}}\b(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{month}\b(?:\s+\d{{4}})?)",
        re.IGNORECASE,
    )


def find_date_expressions(text: str) -> list[tuple[int, int]]:
    """Character spans of weekday and month-day expressions ("Oct 7", "7 October 2023", "Monday").

    A backstop for the statistical model's DATE entities, which miss some of them.
    """
    return [(m.start(), m.end()) for m in _date_pattern().finditer(text) if m.group(0)[0].isupper() or m.group(0)[0].isdigit()]


# Distinct (expression, publication date) pairs remembered by resolve_date: news repeats the
# same few expressions ("on Monday", "yesterday") under the same publication dates; 4,096
# pairs (under 1 MB) cover a day's articles and bound the cache however many are read.
RESOLVED_CACHE_SIZE = 4096


def resolve_date(text: str | None, published: dt.date | None) -> ResolvedDate | None:
    """Resolve one date expression as written; ``None`` when it does not name a day, week or month."""
    if not text or not text.strip():
        return None
    return _resolve(text, published)


@functools.lru_cache(maxsize=RESOLVED_CACHE_SIZE)
def _resolve(text: str, published: dt.date | None) -> ResolvedDate | None:
    norm = _normalise(text)
    iso = _ISO.search(norm)
    if iso:
        found = _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        return ResolvedDate(found, "day", text) if found else None
    tokens = _tokens(norm)
    absolute = _month_day(tokens, published)
    if absolute is not None:
        found, precision = absolute
        if found is None or precision is None:
            return None
        return ResolvedDate(found, precision, text)
    if published is None:
        return None
    try:
        rel = _relative(norm, tokens, published)
    except (ValueError, OverflowError):   # "9999999 days ago", a month before year 1
        return None
    if rel is None:
        return None
    return ResolvedDate(rel[0], rel[1], text)


__all__ = ["ResolvedDate", "resolve_date", "find_date_expressions", "now_adverbs", "PRECISIONS"]
