"""The fast parse: exact offsets, statistical parse only where an extractor can find a record."""

from __future__ import annotations

import pytest

from fogwatch.nlp_fast import QUOTE_CHARS, get_anchors

ARTICLE = (
    "Floods and fighting\n\n"
    "The weather was mild and the market was busy in the morning. "
    "Gunmen killed 14 villagers near Goma on Sunday, a local official said. "
    "Children played football in the square after lunch.\n\n"
    "\u201cWe need help now,\u201d said Marie Kabila, a nurse. "
    "Mr. Dupont arrived at 5 p.m. with the mayor."
)


@pytest.mark.model
def test_anchors_come_from_the_extractors_lexicons():
    a = get_anchors()
    assert {"said", "says", "told"} <= a.speech          # cue verbs with irregular forms
    assert {"killed", "wounded"} & a.counts               # figure metric words, inflected
    assert "airstrikes" in a.triggers or "strikes" in a.triggers
    assert "dozens" in a.numbers or "dozen" in a.numbers
    assert "the" not in a.speech | a.counts | a.triggers  # phrases anchor on their first word only
    assert "\u201c" in QUOTE_CHARS


@pytest.mark.model
def test_sentences_cover_the_text_and_respect_abbreviations():
    from fogwatch.nlp import get_nlp
    from fogwatch.nlp_fast import sentence_spans

    doc = get_nlp().make_doc(ARTICLE)
    spans = sentence_spans(doc)
    assert spans[0][0] == 0 and spans[-1][1] == len(doc)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    starts = {doc[s].text for s, _ in spans}
    assert {"Floods", "The", "Gunmen", "Children", "Mr."} <= starts
    assert "Dupont" not in starts  # "Mr." does not end a sentence


@pytest.mark.model
def test_fast_parse_keeps_offsets_and_parses_only_anchored_sentences():
    from fogwatch.nlp_fast import parse_fast, plan

    p = plan(ARTICLE)
    kept = "".join(ARTICLE[s:e] for s, e, keep in p.pieces if keep)
    assert "Gunmen killed 14" in kept and "We need help now" in kept
    assert "The weather was mild" not in kept and "Children played" not in kept

    doc = parse_fast(ARTICLE)
    assert doc.text == ARTICLE
    for tok in doc:
        assert ARTICLE[tok.idx:tok.idx + len(tok.text)] == tok.text
    killed = next(t for t in doc if t.text == "killed")
    assert killed.dep_ and killed.head.lemma_ == "say" and killed.lemma_ == "kill"
    assert any(e.text == "Goma" for e in doc.ents)
    mild = next(t for t in doc if t.text == "mild")
    assert mild.dep_ == "dep" and not mild.ent_type_ and not mild.tag_  # skipped: tokens and a flat tree
    assert next(t for t in doc if t.text == "Children").is_sent_start  # the splitter's boundary
    sents = [s.text.strip() for s in doc.sents]
    assert "The weather was mild and the market was busy in the morning." in sents
    assert "Children played football in the square after lunch." in sents


@pytest.mark.model
def test_fast_extract_equals_full_extract_on_anchored_records():
    from fogwatch.extract import extract

    full = extract(ARTICLE, "2024-06-03", id="a")
    fast = extract(ARTICLE, "2024-06-03", id="a", fast=True)
    assert full.figures and full.statements
    assert fast.figures == full.figures
    assert fast.statements == full.statements
    assert [(p.name, p.start) for p in fast.places] == [(p.name, p.start) for p in full.places]
    assert [(e.type, e.start, e.end) for e in fast.events] == [(e.type, e.start, e.end) for e in full.events]


@pytest.mark.model
def test_parse_many_matches_one_by_one():
    from fogwatch.nlp_fast import parse_fast, parse_many

    texts = [ARTICLE, "Nothing happened today.", "", ARTICLE.replace("14", "15")]
    many = list(parse_many(texts, batch_size=2))
    assert [d.text for d in many] == texts
    for a, b in zip(many, (parse_fast(t) for t in texts), strict=True):
        assert [(t.text, t.dep_, t.ent_type_) for t in a] == [(t.text, t.dep_, t.ent_type_) for t in b]


# Sentences written for these tests: contractions, the ruler's two-word patterns
# ("gon na", "got ta", "let 's", "y' all", expletive "there is"), auxiliaries, a
# subordinating "if", pronoun cases and a paragraph break (a whitespace token).
RULER_TEXT = (
    "There is no water left, and we ain't gonna wait. Let's go now, y'all.\n\n"
    "If it rains, I will tell you. They got ta leave because the bridge was shelled. "
    "She does not know whether it had been repaired; did he?"
)


@pytest.mark.model
def test_fast_attributes_equal_the_shipped_ruler_and_lemmatizer():
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from fogwatch.nlp import SHIPPED_ATTRIBUTES, get_nlp

    nlp = get_nlp()
    assert "fogwatch_attributes" in nlp.pipe_names
    assert not set(SHIPPED_ATTRIBUTES) & set(nlp.pipe_names)  # loaded but disabled
    before = ("tok2vec", "tagger", "fogwatch_paragraph_breaks", "parser")
    with nlp.select_pipes(enable=list(before)):
        docs = list(nlp.pipe([RULER_TEXT, ARTICLE]))
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    fast = nlp.get_pipe("fogwatch_attributes")
    cols = [TAG, DEP, POS, MORPH, LEMMA]
    for doc in docs:
        shipped = lemmatizer(ruler(doc.copy()))
        ours = fast(doc.copy())
        assert ours.to_array(cols).tolist() == shipped.to_array(cols).tolist()
        assert [str(t.morph) for t in ours] == [str(t.morph) for t in shipped]
    gon = next(t for t in fast(docs[0].copy()) if t.text == "gon")
    assert gon.lemma_ == "go"  # a two-word pattern ("gon" + "na") applied
    ai = next(t for t in fast(docs[0].copy()) if t.text == "ai")
    assert ai.lemma_ == "be"


@pytest.mark.model
def test_fast_attributes_refuse_patterns_they_cannot_evaluate():
    from fogwatch.errors import LexiconError
    from fogwatch.nlp import get_nlp
    from fogwatch.nlp_attributes import FastAttributes

    nlp = get_nlp()
    ruler = nlp.get_pipe("attribute_ruler").__class__(nlp.vocab, name="probe_ruler")
    ruler.add([[{"LENGTH": 3}]], {"POS": "X"})
    with pytest.raises(LexiconError):
        FastAttributes(ruler, nlp.get_pipe("lemmatizer"))


@pytest.mark.model
def test_kept_pieces_keep_the_tokenizer_norms_and_skipped_text_keeps_sentences():
    from fogwatch.nlp_fast import _kept_docs, parse_fast, plan

    text = "Nothing moved in the valley. Officials said they couldn't reach 40 families in Goma."
    p = plan(text)
    kept = _kept_docs(p)
    assert [d.text for d in kept] == [text[s:e] for s, e, keep in p.pieces if keep]
    nt = next(t for d in kept for t in d if t.text == "n't")
    assert nt.norm_ == "not"  # a tokenizer exception, which NER's features read

    doc = parse_fast("The sun rose over quiet hills. Birds sang in the trees.")
    assert not any(t.tag_ for t in doc)  # nothing anchored: nothing parsed
    assert [s.text.strip() for s in doc.sents] == ["The sun rose over quiet hills.", "Birds sang in the trees."]
