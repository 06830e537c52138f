"""Extraction throughput on the 2,225 BBC articles, one core, next to pysbd segmentation alone.

Prints articles/s and sentences/s for the full engine (segmentation, rules, score), the same
texts segmented by pysbd only, the speed ratio, both boundary F1 figures on the gold set, the
model's load time, and where the engine's time goes (segmentation, rules, model: a second pass
that runs the stages of `extract` one by one). The engine and pysbd take turns over chunks of 25
articles, each timed on its own. Never fails on the figures.
"""

from __future__ import annotations

import importlib.util
import time

import pytest

from articles.extraction import extract
from articles.extraction.checkworthiness import score_sentences
from articles.extraction.rules import analyse_sentences
from articles.extraction.segment import sentences

from ..articles.extraction.segmentation_gold import BBC, BBC_ABSENT, bbc_docs, bbc_rows, newsroom_docs, score
from .conftest import record

pytestmark = pytest.mark.bench

# Articles per turn when the engine and pysbd take turns (see the test).
_CHUNK = 25


def _stage_seconds(texts: list[str]) -> tuple[float, float, float]:
    """Seconds spent in segmentation, the rules and the model, the stages `extract` runs."""
    segmentation = rules = model = 0.0
    for text in texts:
        started = time.perf_counter()
        spans = sentences(text)
        cut = time.perf_counter()
        analyses = analyse_sentences(text, spans)
        analysed = time.perf_counter()
        score_sentences([a.span.text for a in analyses if a.is_claim])
        scored = time.perf_counter()
        segmentation += cut - started
        rules += analysed - cut
        model += scored - analysed
    return segmentation, rules, model


def _pysbd_spans(seg, text: str) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for piece in seg.segment(text):
        stripped = piece.strip()
        found = text.find(stripped, cursor) if stripped else -1
        if found >= 0:
            cursor = found + len(stripped)
            spans.append((found, cursor))
    return spans


@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
@pytest.mark.skipif(
    importlib.util.find_spec("pysbd") is None, reason="pysbd is not installed (requirements/dev.txt)"
)
def test_bench_extraction_engine_against_pysbd():
    import pysbd

    from articles.extraction import checkworthiness

    checkworthiness.load_model.cache_clear()  # time a cold load
    started = time.perf_counter()
    checkworthiness.load_model()
    load_ms = (time.perf_counter() - started) * 1000

    texts = [row["text"] for row in bbc_rows()]
    seg = pysbd.Segmenter(language="en", clean=False)
    # The two run in turns over the same chunks of articles, so that a slow spell of a shared machine
    # falls on both alike instead of on whichever ran then.
    n_sentences = n_claims = pysbd_sentences = 0
    engine_s = pysbd_s = 0.0
    for first in range(0, len(texts), _CHUNK):
        chunk = texts[first : first + _CHUNK]
        started = time.perf_counter()
        for text in chunk:
            extraction = extract(text, threshold=0.5)
            n_sentences += len(extraction.drafts)
            n_claims += len(extraction.claims)
        engine_s += time.perf_counter() - started
        started = time.perf_counter()
        pysbd_sentences += sum(len(seg.segment(text)) for text in chunk)
        pysbd_s += time.perf_counter() - started

    segmentation_s, rules_s, model_s = _stage_seconds(texts)
    stages_s = segmentation_s + rules_s + model_s

    gold = newsroom_docs() + bbc_docs()
    engine_f1 = score(gold, lambda t: [(s.start, s.end) for s in sentences(t)]).f1
    pysbd_f1 = score(gold, lambda t: _pysbd_spans(seg, t)).f1

    print()
    print(f"BENCH extraction: {len(texts)} BBC articles, one process; model load {load_ms:.1f} ms")
    print(f"{'':24} {'seconds':>8} {'articles/s':>11} {'sentences/s':>12} {'boundary F1':>12}")
    print(
        f"{'full engine':24} {engine_s:8.2f} {len(texts) / engine_s:11.0f} {n_sentences / engine_s:12.0f} "
        f"{engine_f1:12.3f}"
    )
    print(
        f"{'pysbd segmentation only':24} {pysbd_s:8.2f} {len(texts) / pysbd_s:11.0f} "
        f"{pysbd_sentences / pysbd_s:12.0f} {pysbd_f1:12.3f}"
    )
    print(
        f"engine is {pysbd_s / engine_s:.1f}x faster than pysbd alone; {n_claims} claims of {n_sentences} "
        "sentences"
    )
    print(
        f"engine split (second pass, {stages_s:.2f} s): segmentation {segmentation_s / stages_s:.0%}, "
        f"rules {rules_s / stages_s:.0%}, model {model_s / stages_s:.0%}"
    )
    record("extraction", "full engine, BBC, one core", f"{len(texts) / engine_s:.0f} articles/s")
    record("extraction", "pysbd segmentation only", f"{len(texts) / pysbd_s:.0f} articles/s")
    record(
        "extraction",
        "engine / pysbd",
        f"{pysbd_s / engine_s:.1f}x (boundary F1 {engine_f1:.3f} / {pysbd_f1:.3f})",
    )
    record("extraction", "model load", f"{load_ms:.1f} ms")
