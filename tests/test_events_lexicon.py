"""The event trigger lexicon: the packaged file loads, and malformed entries are refused."""

from __future__ import annotations

import pytest

from fogwatch.errors import LexiconError
from fogwatch.extract.event_lexicon import EVENT_TYPES, event_lexicon, parse_lexicon


def test_packaged_lexicon_loads_and_covers_every_type():
    lex = event_lexicon()
    types = {t.type for triggers in lex.triggers.values() for t in triggers}
    assert types == EVENT_TYPES
    assert ("strike", "NOUN") in lex.triggers and ("storm", "VERB") in lex.triggers
    assert lex.mode_words["drone"] == "drone"


def _one(**trigger) -> dict:
    base = {"lemma": "shell", "pos": "VERB", "type": "attack", "mode": "shelling"}
    base.update(trigger)
    return {"triggers": [base], "lists": {"weapons": ["mortar"]}}


def test_a_user_entry_extends_the_lexicon():
    lex = parse_lexicon(_one(lemma="Pound", requires=["object", "dobj_in:weapons+has_subj"]))
    [trig] = lex.triggers[("pound", "VERB")]
    assert trig.requires == ("object", "dobj_in:weapons+has_subj")


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "massacre"},
        {"mode": "laser"},
        {"scale": "galactic"},
        {"pos": "ADJ"},
        {"requires": ["telepathy"]},
        {"requires": ["dobj_in:no_such_list"]},
        {"excludes": ["object+subj_in:missing"]},
    ],
)
def test_malformed_entries_raise_lexicon_error(bad):
    with pytest.raises(LexiconError):
        parse_lexicon(_one(**bad))
