"""Publication dates from the many ways inputs write them."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

# Years outside this range are typing errors or epoch mix-ups, not news dates.
MIN_YEAR, MAX_YEAR = 1900, 2100

# Numbers read as Unix time: seconds between 1973 and 2286, or the same in milliseconds.
_EPOCH_SECONDS = (1e8, 1e10)
_EPOCH_MILLIS = (1e11, 1e13)

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
# Two different defaults: a field dateutil fills from the default differs between them,
# which tells a full date ("22 Jan 2024") from a partial one ("January 2024").
_DEFAULT_A = dt.datetime(2000, 1, 1)
_DEFAULT_B = dt.datetime(2001, 2, 2)
_MAX_DATE_TEXT = 100


def _plausible(day: dt.date) -> dt.date | None:
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def parse_date(value: object) -> dt.date | None:
    """The calendar day a value names, or None when it names no full day.

    Accepts date/datetime objects, Unix timestamps (seconds or milliseconds),
    ISO 8601, RFC 2822 (feeds, e-mail) and common written forms ("22 January 2024",
    "Jan 22, 2024"). A time zone is not applied: the day is the day as written.
    Slash dates like 03/04/2024 are read month first (dateutil's default).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return _plausible(value.date())
    if isinstance(value, dt.date):
        return _plausible(value)
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_DATE_TEXT:
        return None
    return _from_text(text)


def _from_timestamp(number: float) -> dt.date | None:
    if _EPOCH_MILLIS[0] <= number < _EPOCH_MILLIS[1]:
        number /= 1000
    if not _EPOCH_SECONDS[0] <= number < _EPOCH_SECONDS[1]:
        return None
    return _plausible(dt.datetime.fromtimestamp(number, tz=dt.UTC).date())


def _from_text(text: str) -> dt.date | None:
    iso = _ISO_DAY.match(text)
    if iso:
        try:
            return _plausible(dt.date(int(iso[1]), int(iso[2]), int(iso[3])))
        except ValueError:
            return None
    if text.isascii() and text.isdigit():  # not "¹" or "٣": str.isdigit accepts them, float() does not
        return _from_timestamp(float(text))
    try:
        return _plausible(parsedate_to_datetime(text).date())
    except (TypeError, ValueError, IndexError):
        pass
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    return _plausible(first.date())
