"""The per-document token table (fogwatch.extract.tokens) agrees with the doc's own tokens."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from conftest import DEV_GOLD, needs_shared
from fogwatch.extract import Context, tokens
from fogwatch.extract.quotes import article_quotes, find_quotes
from fogwatch.extract.structure import split_blocks
from fogwatch.extract.tokens import TokenTable, token_table

ARTICLE = (
    "KYIV, March 3 (Reuters) - Russian forces shelled the city of Kharkiv on Sunday, killing at least "
    "twenty-five people, the regional governor, Oleh Synyehubov, said.\n\n"
    "\u201cThe strikes hit a school,\u201d he told reporters. Ukraine's army said it had shot down 12 drones."
)


def _rows(doc: Doc, table: TokenTable) -> tuple[list[tuple], list[tuple]]:
    got = [
        (table.text[i], table.lower[i], table.lemma[i], table.pos[i], table.dep[i], table.head[i],
         table.children(i), table.idx[i], table.whitespace[i], table.is_punct[i], table.is_space[i])
        for i in range(len(table))
    ]
    want = [
        (t.text, t.lower_, t.lemma_.lower(), t.pos_, t.dep_, t.head.i, tuple(c.i for c in t.children),
         t.idx, bool(t.whitespace_), t.is_punct, t.is_space)
        for t in doc
    ]
    return got, want


def test_table_of_a_hand_built_doc_matches_its_tokens() -> None:
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=["Gunmen", "KILLED", "12", "\n", "people", "."],
              spaces=[True, True, True, False, False, False],
              lemmas=["gunman", "Kill", "12", "\n", "people", "."],
              pos=["NOUN", "VERB", "NUM", "SPACE", "NOUN", "PUNCT"],
              heads=[1, 1, 4, 4, 1, 1], deps=["nsubj", "ROOT", "nummod", "dep", "dobj", "punct"])
    table = token_table(doc)
    got, want = _rows(doc, table)
    assert got == want
    assert table.lemma[1] == "kill"            # lower-cased, as every rule compares it
    assert table.positions("killed") == (1,)
    assert table.positions("absent") == ()
    assert table.head[1] == 1 and table.children(1) == (0, 4, 5) and table.children(4) == (2, 3)
    assert table.children(0) == ()
    assert table.where(table.lemma, {"kill", "people"}) == [1, 4]
    assert table.text_of(0, 2) == doc[0:3].text == "Gunmen KILLED 12"
    assert table.text_of(2, 4) == doc[2:5].text


def test_table_is_built_once_per_doc_and_shared_through_the_context() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Shelling hit the town.")
    assert token_table(doc) is token_table(doc)
    assert Context(text=doc.text, doc=doc).tokens is token_table(doc)
    assert len(token_table(nlp(""))) == 0


@pytest.mark.model
def test_table_matches_the_tokens_of_a_real_parse() -> None:
    from fogwatch.nlp import parse

    doc = parse(ARTICLE)
    got, want = _rows(doc, token_table(doc))
    assert got == want
    assert token_table(doc).positions("said") == tuple(t.i for t in doc if t.lower_ == "said")


@pytest.mark.model
@pytest.mark.shared
@needs_shared
def test_table_matches_the_tokens_of_the_dev_articles() -> None:
    from fogwatch.nlp import parse

    for path in sorted(DEV_GOLD.glob("*.json"))[:4]:
        doc = parse(json.loads(path.read_text(encoding="utf-8"))["text"])
        got, want = _rows(doc, token_table(doc))
        assert got == want, path.name


def test_article_quotes_are_find_quotes_computed_once() -> None:
    nlp = spacy.blank("en")
    ctx = Context(text=ARTICLE, doc=nlp(ARTICLE))
    first = article_quotes(ctx)
    assert first == find_quotes(ARTICLE, split_blocks(ARTICLE))
    assert [ARTICLE[q.start:q.end] for q in first] == ["The strikes hit a school"]
    assert article_quotes(ctx) is first


def test_string_cache_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy.blank("en")
    monkeypatch.setattr(tokens, "MAX_CACHED_STRINGS", 20)
    words = [f"word{k}" for k in range(60)]
    for start in range(0, 60, 10):
        doc = Doc(nlp.vocab, words=words[start:start + 10])
        assert token_table(doc).text == tuple(words[start:start + 10])
        assert len(tokens._names) <= 20 + 2 * 10   # the limit plus one doc's words and their lower case
