"""Hypothesis profiles and text strategies shared by the fuzz tests (no tests of its own).

``make test`` runs the ``fuzz-quick`` profile (a few dozen examples per property, so the
suite stays fast); ``make fuzz`` sets ``HYPOTHESIS_PROFILE=long``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Examples per property. quick: the 16 fuzz properties finish in ~1 min with the model
# loaded on the shared 2-core box; long: ~25x that, the `make fuzz` run.
QUICK_EXAMPLES = 30
LONG_EXAMPLES = 750

_COMMON = {
    "deadline": None,  # the model's first parse and GC pauses make per-example timing noisy
    "database": None,  # no .hypothesis/ directory written into the work tree
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}
settings.register_profile("fuzz-quick", max_examples=QUICK_EXAMPLES, **_COMMON)
settings.register_profile("long", max_examples=LONG_EXAMPLES, **_COMMON)

PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "fuzz-quick")
if PROFILE_NAME not in ("fuzz-quick", "long"):
    PROFILE_NAME = "fuzz-quick"
FUZZ = settings.get_profile(PROFILE_NAME)

# Pieces that steer random text towards what the extractors look for, and towards what
# breaks naive offset arithmetic: quote marks of every kind (often unclosed), huge numbers,
# right-to-left text and bidi controls, markup, control characters and odd line breaks.
FRAGMENTS = (
    "killed", "were killed", "wounded", "at least", "more than", "about", "dozens of", "people",
    "civilians", "soldiers", "said", "told reporters", "according to", "the ministry", "denied",
    "the army said", "on Monday", "in", "the town of", "hospital", "camp", "airstrike", "shelling",
    "Gaza", "Kharkiv", "El Fasher", "Goma", "Khan Younis", "Port-au-Prince",
    '"', "“", "”", "‘", "’", "«", "»", "„", "'", "``", "''",
    "1" * 40, "9" * 40, "31,700", "1.7 million", "two", "a dozen", "½", "٣٤", "१२",
    "قتل ٥٠ شخصا", "נהרגו", "\u202e", "\u202b", "\u200f", "\u200d", "\ufeff",
    "<div>", "</p>", "<script>", "&amp;", "&#0;",
    "\x00", "\x1b", "\x0b", "\x0c", "\r", "\r\n", "\n", "\n\n", "\u2028", "\u2029", "\t",
    "\U0001f600", "\ud7ff", "e\u0301", "ﬁ", ".", ",", ";", ":", "—", "...", "?",
)

# Arbitrary Unicode minus surrogates (not encodable to UTF-8, so no real file holds them).
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)


@st.composite
def newsish_text(draw: st.DrawFn) -> str:
    """Words from FRAGMENTS and arbitrary Unicode, joined by spaces or nothing."""
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text), max_size=60))
    joiner = draw(st.sampled_from((" ", "", "\n")))
    return joiner.join(parts)


article_text = st.one_of(any_text, newsish_text())
