"""The model speed-ups keep the model's outputs: matrix products on numpy's BLAS
(fogwatch.nlp_blas), memoised token embeddings (fogwatch.nlp_embed) and the lemmatizer's
word index as sets (fogwatch.nlp_attributes), each against the shipped pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from thinc.api import NumpyOps, set_dropout_rate

from fogwatch.nlp_blas import GEMM_ENV, BlasOps, enabled

REPO = Path(__file__).resolve().parents[1]


def _sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples" / "txt").glob("*.txt"))]


def _shipped_encoder(sentences: int):
    """A freshly loaded pipeline, its shared encoder, one doc per sample sentence (the first
    ``sentences``) and the encoder's output for them before any memo is in place."""
    import spacy

    from fogwatch.nlp import MODEL_NAME

    nlp = spacy.load(MODEL_NAME)
    encoder = nlp.get_pipe("tok2vec").model
    docs = [nlp.make_doc(s.strip()) for t in _sample_texts() for s in t.split(". ") if s.strip()][:sentences]
    return nlp, encoder, docs, encoder.predict(docs)


def test_blas_gemm_matches_thinc_gemm_in_every_layout():
    rng = numpy.random.default_rng(7)
    ours, thinc = BlasOps(), NumpyOps()
    for trans1 in (False, True):
        for trans2 in (False, True):
            x = rng.standard_normal((7, 5) if trans1 else (5, 7)).astype("float32")
            y = rng.standard_normal((3, 7) if trans2 else (7, 3)).astype("float32")
            want = thinc.gemm(x, y, trans1=trans1, trans2=trans2)
            got = ours.gemm(x, y, trans1=trans1, trans2=trans2)
            assert got.shape == want.shape == (5, 3)
            assert got.dtype == numpy.float32
            numpy.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
            out = numpy.full((5, 3), numpy.nan, dtype="float32")
            assert ours.gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
            numpy.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError):
        ours.gemm(numpy.ones(3, dtype="float32"), numpy.ones((3, 3), dtype="float32"))


def test_gemm_switch_reads_the_environment(monkeypatch):
    monkeypatch.delenv(GEMM_ENV, raising=False)
    assert enabled()
    monkeypatch.setenv(GEMM_ENV, " BLIS ")
    assert not enabled()


@pytest.mark.model
def test_faster_pipeline_parses_exactly_as_the_shipped_models():
    import spacy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from fogwatch.nlp import MODEL_NAME, get_nlp

    nlp = get_nlp()
    for name in ("tok2vec", "tagger", "parser", "ner"):
        assert all(isinstance(node.ops, BlasOps) for node in nlp.get_pipe(name).model.walk())
    memos = [n for name in ("tok2vec", "ner") for n in nlp.get_pipe(name).model.walk() if n.name == "embed-memo"]
    assert len(memos) == 2

    shipped = spacy.load(MODEL_NAME)  # thinc's blis gemm, no memo, the lemmatizer's word lists
    shipped.add_pipe("fogwatch_paragraph_breaks", before="parser")
    assert not any(isinstance(node.ops, BlasOps) for node in shipped.get_pipe("ner").model.walk())
    cols = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    texts = _sample_texts()
    assert len(texts) >= 10
    compared = 0
    for want, got in zip(shipped.pipe(texts), nlp.pipe(texts), strict=True):
        assert got.to_array(cols).tolist() == want.to_array(cols).tolist()
        compared += len(got)
    assert compared > 3000
    assert all(len(m.attrs["memo"]) > 0 for m in memos)  # the memo was used, not bypassed


@pytest.mark.model
def test_embed_memo_is_exact_bounded_and_leaves_training_alone():
    from fogwatch.nlp_embed import memoise_embeddings

    nlp, encoder, docs, want = _shipped_encoder(120)

    assert memoise_embeddings(nlp, max_rows=150) == 2
    assert memoise_embeddings(nlp) == 0  # idempotent
    memo = next(n for n in encoder.walk() if n.name == "embed-memo").attrs["memo"]
    sizes = []
    for i in range(len(docs)):  # one sentence per call: the memo fills, starts again, fills
        (got,) = encoder.predict([docs[i]])
        assert numpy.array_equal(got, want[i])
        sizes.append(len(memo))
    assert max(sizes) <= 150
    assert any(b < a for a, b in zip(sizes, sizes[1:], strict=False))  # it started again at least once
    again = encoder.predict(docs)  # more distinct rows than the memo holds: computed directly
    assert all(numpy.array_equal(a, b) for a, b in zip(again, want, strict=True))

    set_dropout_rate(encoder, 0.0)
    trained, _backprop = encoder.begin_update(docs[:3])  # training runs the original layers
    assert all(numpy.array_equal(a, b) for a, b in zip(trained, want[:3], strict=True))


@pytest.mark.model
def test_lemma_index_as_sets_gives_the_same_lemmas():
    import spacy

    from fogwatch.nlp import MODEL_NAME, get_nlp

    ours = get_nlp().get_pipe("lemmatizer")
    shipped_nlp = spacy.load(MODEL_NAME)
    shipped = shipped_nlp.get_pipe("lemmatizer")
    assert isinstance(ours.lookups.get_table("lemma_index")["noun"], frozenset)
    assert isinstance(shipped.lookups.get_table("lemma_index")["noun"], list)
    tokens = [t for doc in shipped_nlp.pipe(_sample_texts()) for t in doc]
    inflected = [t for t in tokens if t.lemma_ != t.lower_ and t.pos_ in ("NOUN", "VERB", "ADJ")]
    assert len(inflected) > 200  # plenty of forms that go through the rules and the index
    assert [ours.rule_lemmatize(t) for t in tokens] == [shipped.rule_lemmatize(t) for t in tokens]


@pytest.mark.model
def test_embed_memo_shared_by_threads_stays_exact():
    from concurrent.futures import ThreadPoolExecutor

    from fogwatch.nlp_embed import memoise_embeddings

    nlp, encoder, docs, want = _shipped_encoder(80)
    memoise_embeddings(nlp, max_rows=120)  # small: the threads keep filling and restarting it

    def run(k: int) -> bool:
        order = [*range(k % 4, len(docs)), *range(k % 4)]  # each thread starts elsewhere
        return all(numpy.array_equal(encoder.predict([docs[i]])[0], want[i]) for i in order)

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(run, range(8)))
