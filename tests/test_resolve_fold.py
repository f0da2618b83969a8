"""``resolve.places.fold_text``: its ASCII shortcut and cache fold exactly as the plain Unicode
recipe does (NFKD, combining marks dropped, lower case, non-alphanumerics to single spaces)."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch.resolve.places import fold_text


def fold_unicode(name: str) -> str:
    """The recipe, character by character, with no shortcut."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_shortcut_equals_the_unicode_fold(text: str) -> None:
    assert fold_text(text) == fold_unicode(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " -'.,\t\n" + "éÅıİßﬁ½", max_size=30))
def test_mixed_text_folds_the_same_however_often_it_is_asked(text: str) -> None:
    assert fold_text(text) == fold_unicode(text) == fold_text(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_folds_as_the_recipe(text: str) -> None:
    assert fold_text(text) == fold_unicode(text)


def test_examples() -> None:
    assert fold_text("Kharkiv's") == "kharkiv s"
    assert fold_text("  Zaporizhzhia\tOBLAST ") == "zaporizhzhia oblast"
    assert fold_text("Kramatórsk") == "kramatorsk"
    assert fold_text("--") == ""
