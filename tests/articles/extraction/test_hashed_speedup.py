"""The compiled hashed features (`articles/extraction/_hashed.c`) give the numpy path's scores bit for bit.

The C code is only a faster way to the same numbers: every test here scores the same normalised
texts both ways and compares the float64 bits, on our own texts, on texts built to reach the
edges (empty, non-ASCII, one n-gram repeated thousands of times, batches over the chunk size),
and on the shared BBC corpus where it is present.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest

from articles.extraction import build_speedups, checkworthiness
from articles.extraction.checkworthiness import CheckworthinessModel, _normalise, load_model
from articles.extraction.segment import sentences

from .segmentation_gold import BBC, BBC_ABSENT, bbc_rows, newsroom_docs

HERE = Path(__file__).resolve().parent
compiled = pytest.mark.skipif(
    checkworthiness._hashed is None and os.environ.get("CI") != "true",
    reason="the C speed-ups are not built here (python articles/extraction/build_speedups.py)",
)


def both_ways(texts: list[str], model: CheckworthinessModel | None = None) -> tuple[np.ndarray, np.ndarray]:
    model = model or load_model()
    return model.hashed_decision(texts, compiled=True), model.hashed_decision(texts, compiled=False)


def assert_same_bits(texts: list[str], model: CheckworthinessModel | None = None) -> None:
    fast, reference = both_ways(texts, model)
    assert fast.dtype == reference.dtype == np.float64
    assert fast.tobytes() == reference.tobytes(), [
        (t, a, b) for t, a, b in zip(texts, fast, reference, strict=True) if a != b
    ][:3]


def own_sentences() -> list[str]:
    data = json.loads((HERE / "labelled_sentences.json").read_text(encoding="utf-8"))
    labelled = [s["text"] for snip in data["snippets"] for para in snip["paragraphs"] for s in para]
    gold = [doc.text[a:b] for doc in newsroom_docs() for a, b in doc.sentences]
    return labelled + gold


def test_ci_builds_the_speedups():
    """CI measures the engine's speed, so it must not quietly fall back to the slower path."""
    if os.environ.get("CI") == "true":
        assert checkworthiness._hashed is not None, "run python articles/extraction/build_speedups.py"


@compiled
def test_our_labelled_and_gold_sentences_score_the_same_bits():
    texts = own_sentences()
    assert len(texts) > 100
    assert_same_bits(texts[:128])
    assert_same_bits(texts[128:256])


@compiled
def test_the_sample_article_scores_the_same_bits(sample_text):
    assert_same_bits([s.text for s in sentences(sample_text)][:128])


@compiled
@pytest.mark.parametrize(
    "texts",
    [
        pytest.param([""], id="empty"),
        pytest.param(["   ", "a"], id="blank and one letter"),
        pytest.param(["Ціни зросли на 12% у 2023 році, повідомило міністерство."], id="cyrillic"),
        pytest.param(["Le café coûte 3,50 € à Paris — selon l’INSEE."], id="accents and quotes"),
        pytest.param(["经济增长了百分之五。", "🚀 Launch costs fell 90% 🚀"], id="cjk and emoji"),
        pytest.param(["ha " * 3000], id="one n-gram counted thousands of times"),
        pytest.param(["'" * 50, "0.0.0,0 % $ ? !", "don't won't y'all"], id="punctuation tokens"),
        pytest.param([f"Sentence number {i} says {i * 7}% rose." for i in range(127)], id="a full chunk"),
    ],
)
def test_edge_cases_score_the_same_bits(texts):
    assert_same_bits(texts)


@compiled
def test_a_batch_over_the_chunk_size_scores_as_the_numpy_path():
    texts = own_sentences() * 2
    model = load_model()
    fast = model.decision(texts)
    reference = np.concatenate(
        [model.hashed_decision(texts[i : i + 128], compiled=False) for i in range(0, len(texts), 128)]
    )
    dense = checkworthiness.handcrafted_features(texts).astype(np.float64) @ model.dense_weights.astype(
        np.float64
    )
    assert fast.tobytes() == (reference + dense + model.bias).tobytes()


@compiled
def test_control_characters_and_the_batch_marks_score_the_same_bits():
    """The numpy path tokenises a batch joined by \x02 and \x03 and goes text by text when a text
    holds one; the C code reads each text apart: both must agree either way."""
    texts = ["Odd \x02 control characters \x03 in a pasted text.", "Plain text.", "\x00 nul \x7f del"]
    assert checkworthiness._joined_tokens([_normalise(t) for t in texts]) is None
    assert_same_bits(texts)
    assert_same_bits(["Caf\u00e9 \x02 au lait", "plain"])  # the same through the Python-tokenised rows


def test_weights_other_than_float32_go_the_numpy_way():
    """The training script builds models with float64 weights: the C code reads float32 only."""
    model = load_model()
    wide = CheckworthinessModel(
        config=model.config,
        hashed_weights=model.hashed_weights.astype(np.float64),
        dense_weights=model.dense_weights,
        bias=model.bias,
        threshold=model.threshold,
    )
    texts = ["Unemployment fell to 4.2% in March."]
    assert wide.hashed_decision(texts).tobytes() == wide.hashed_decision(texts, compiled=False).tobytes()


@compiled
def test_arguments_that_do_not_fit_the_model_are_refused():
    model = load_model()
    table = checkworthiness._log_table(8)
    with pytest.raises(ValueError, match="fit the model"):  # two rows promised, one given
        checkworthiness._hashed.hashed_scores(
            ["a"], 2, np.zeros(2), model.hashed_weights, table, 20, 2, 1, 4, 1.0, True
        )
    with pytest.raises(ValueError, match="fit the model"):  # weights of another size
        checkworthiness._hashed.hashed_scores(
            ["a"], 1, np.zeros(1), model.hashed_weights[:10], table, 20, 2, 1, 4, 1.0, True
        )
    with pytest.raises(TypeError, match="ASCII str"):  # a non-ASCII text must come normalised
        checkworthiness._hashed.hashed_scores(
            ["caf\u00e9"], 1, np.zeros(1), model.hashed_weights, table, 20, 2, 1, 4, 1.0, True
        )


def test_the_build_is_idempotent_and_reports_what_it_built(capsys):
    assert build_speedups.build() == 0
    capsys.readouterr()
    assert build_speedups.build() == 0
    assert "built" not in capsys.readouterr().out  # already up to date: nothing rebuilt


@compiled
@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_every_bbc_sentence_scores_the_same_bits():
    texts = [s.text for row in bbc_rows() for s in sentences(row["text"])]
    for i in range(0, len(texts), 128):
        assert_same_bits(texts[i : i + 128])


@compiled
def test_an_empty_batch_scores_nothing_both_ways():
    fast, reference = both_ways([])
    assert fast.shape == reference.shape == (0,)


@compiled
def test_a_small_model_whose_buckets_collide_scores_as_the_numpy_path():
    """With few buckets one bucket counts the n-grams of several lengths: the log table must cover that."""
    model = load_model()
    for bits in (1, 2, 3):
        config = dataclasses.replace(model.config, bits=bits)
        small = CheckworthinessModel(
            config=config,
            hashed_weights=np.linspace(-1, 1, 1 << bits, dtype=np.float32),
            dense_weights=model.dense_weights,
            bias=model.bias,
            threshold=model.threshold,
        )
        assert_same_bits(["a" * (9000 * bits), "ab " * 500, "The rate rose 3%."], small)


@compiled
def test_arrays_of_the_wrong_type_or_alignment_are_refused():
    model = load_model()
    table = checkworthiness._log_table(8)
    weights = model.hashed_weights
    misaligned = np.frombuffer(bytearray(9), dtype=np.uint8)[1:].view(np.float64)
    for out, w, logs in [
        (np.zeros(2, dtype=np.float32), weights, table),  # float32 where float64 is written
        (np.zeros(1), weights.view(np.float16), table),  # float16 weights of twice the length
        (misaligned, weights, table),
        (np.zeros(1), weights, table.astype(np.float32)),
    ]:
        with pytest.raises(ValueError, match="aligned contiguous"):
            checkworthiness._hashed.hashed_scores(["a"], 1, out, w, logs, 20, 2, 1, 4, 1.0, True)
    with pytest.raises(ValueError, match="fit the model"):  # a row count that overflows its bytes
        checkworthiness._hashed.hashed_scores(
            ["a"], 2**61, np.zeros(1), weights, table, 20, 2, 1, 4, 1.0, True
        )
