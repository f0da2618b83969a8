"""``resolve.places.fold``: the ASCII shortcut folds exactly as the Unicode path does."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch.resolve.places import fold, fold_unicode


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_shortcut_equals_the_unicode_fold(text: str) -> None:
    assert fold(text) == fold_unicode(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " -'.,\t\n" + "éÅıİßﬁ½", max_size=30))
def test_mixed_text_folds_the_same_however_often_it_is_asked(text: str) -> None:
    assert fold(text) == fold_unicode(text) == fold(text)


def test_examples() -> None:
    assert fold("Kharkiv's") == "kharkiv s"
    assert fold("  Zaporizhzhia\tOBLAST ") == "zaporizhzhia oblast"
    assert fold("Kramatórsk") == "kramatorsk"
    assert fold("--") == ""
