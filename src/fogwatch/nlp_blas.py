"""Run the spaCy models' matrix products on numpy's BLAS, one thread per process.

thinc's ``NumpyOps.gemm`` calls the ``blis`` package. On this machine (AMD EPYC, one
thread) blis multiplies the shapes the model uses -- a few thousand token rows by 288
or 576 columns -- at ~34 GFLOP/s, and the OpenBLAS that numpy ships at ~99 GFLOP/s.
The convolutional token encoders of ``en_core_web_sm`` (the shared ``tok2vec`` and the
NER's own) are mostly such products, so giving every model node an ``Ops`` whose
``gemm`` is ``numpy.matmul`` makes them ~2.5x faster. Weights, inputs and every other
operation are unchanged; only the order in which a dot product's terms are summed may
differ, so scores can move in the last float bits. The tags, lemmas,
dependency arcs and entities of 1,000 bench articles came out identical
(``tests/test_model_speed.py`` repeats the check on the bundled samples).

The transition loops of the parser and NER keep spaCy's own ``CBlas`` (compiled code
that takes blis function pointers). They are now nearly half the model's time (~2.3 s of
~5 s on 150 bench articles), and a third of that is the interpreter lock: the compiled
state queries re-take it to check for an error whenever they return -1 (an empty stack
or buffer), which no setting here can avoid.

The thread count is ``fogwatch.threads``' business: the CLI, the ``--jobs`` workers and the
bench hold numpy's BLAS to one thread per process, so a one-process figure stays a
one-core figure. Ray's one-CPU actors (``--engine ray``) start with ``OMP_NUM_THREADS=1``,
which OpenBLAS obeys too (checked 2026-12-05: one thread in the actor, two in the driver).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy
from spacy.language import Language
from thinc.api import Model, NumpyOps

# Set FOGWATCH_GEMM=blis to keep thinc's own gemm (the bench uses it to show the split).
GEMM_ENV = "FOGWATCH_GEMM"


class BlasOps(NumpyOps):
    """``NumpyOps`` with ``gemm`` done by ``numpy.matmul`` (numpy's BLAS)."""

    name = "fogwatch-blas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        if x.ndim != 2 or y.ndim != 2:
            raise ValueError(f"gemm takes 2-dimensional arrays, got {x.ndim} and {y.ndim}")
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        return numpy.matmul(a, b, out=out)


def pipeline_models(nlp: Language) -> Iterator[Model]:
    """The thinc model of each component of ``nlp`` that has one."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            yield model


def enabled() -> bool:
    return os.environ.get(GEMM_ENV, "").strip().lower() != "blis"


def use_blas_ops(nlp: Language) -> int:
    """Give every node of every trainable component's model a ``BlasOps``; returns how
    many nodes were switched. A no-op (0) when ``FOGWATCH_GEMM=blis``."""
    if not enabled():
        return 0
    ops = BlasOps()
    switched = 0
    for model in pipeline_models(nlp):
        for node in model.walk():
            node.ops = ops
            switched += 1
    return switched
