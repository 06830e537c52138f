"""The compiled cues (`articles/extraction/_cues.c`) give the regex cues' values, sentence by sentence.

The C code reads ASCII sentences only and hands every other one back to the regexes, so each
test feeds both paths the same texts and compares the float32 bits: our own sentences, texts
built around each cue's edges, thousands of random sentences drawn from the cue words and
punctuation, and the shared BBC and CT24 texts where they are present.
"""

from __future__ import annotations

import csv
import json
import os
import random
from pathlib import Path

import numpy as np
import pytest

from articles.extraction import checkworthiness
from articles.extraction.checkworthiness import HANDCRAFTED_NAMES, handcrafted_features
from articles.extraction.segment import sentences

from .segmentation_gold import BBC, BBC_ABSENT, bbc_rows, newsroom_docs

HERE = Path(__file__).resolve().parent
CT24 = HERE.parents[2].parent / "shared" / "data" / "checkworthiness" / "ct24_en_train_dev.csv"
compiled = pytest.mark.skipif(
    checkworthiness._cues is None and os.environ.get("CI") != "true",
    reason="the C speed-ups are not built here (python articles/extraction/build_speedups.py)",
)


def assert_same_cues(texts: list[str]) -> None:
    fast = handcrafted_features(texts)
    reference = handcrafted_features(texts, compiled=False)
    assert fast.dtype == reference.dtype == np.float32
    differ = [
        (text, {name: (a, b) for name, a, b in zip(HANDCRAFTED_NAMES, f, r, strict=True) if a != b})
        for text, f, r in zip(texts, fast, reference, strict=True)
        if f.tobytes() != r.tobytes()
    ]
    assert not differ, differ[:3]


def test_ci_builds_the_cues():
    if os.environ.get("CI") == "true":
        assert checkworthiness._cues is not None, "run python articles/extraction/build_speedups.py"


@compiled
def test_our_labelled_and_gold_sentences_give_the_same_cues():
    data = json.loads((HERE / "labelled_sentences.json").read_text(encoding="utf-8"))
    texts = [s["text"] for snip in data["snippets"] for para in snip["paragraphs"] for s in para]
    texts += [doc.text[a:b] for doc in newsroom_docs() for a, b in doc.sentences]
    assert len(texts) > 100
    assert_same_cues(texts)


@compiled
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x1c\x1fUnemployment rose 5 %\x0b",
        "I think I'm right, my friend, and you're wrong about your taxes.",
        "Yours, you, YOU, youth, your. Me, my, me's, im, i.",
        "Thank you, ladies and gentlemen: good evening!",
        "Thanksgiving welcomes nobody; thankyou hello_world hellos",
        "Prices rose 12 percent, 3 per cent and 4%% in 1999, 2024, 2100 and 19999.",
        "a1999 and 1999b and _2020 and 2020_ and 1850s",
        "It cost $ 5, $x and 10 dollars, 3 pounds or 2euros.",
        "The NATO and EU, UKs, USA1, A, AB-CD and the FBI.",
        "In London, Paris; Berlin: Rome and New York Times Square Garden Party Hall",
        "Increases, increased, increase, increasers, taxes, tax, taxed, years, year, yearly, month.",
        "We've got to go; we're going to win. Going to be fine, let's see, let me.",
        "i would like, i'd like, i'm going to, i will... maybe -",
        "Last year the bill passed; according to the report, the law was signed.",
        "one " * 300,
        "Word " * 255,
        "Why is that?",
    ],
)
def test_edge_cases_give_the_same_cues(text):
    assert_same_cues([text])


@compiled
def test_random_sentences_from_the_cue_words_give_the_same_cues():
    rng = random.Random(20261207)
    pieces = [
        *checkworthiness.HEDGE_PHRASES, *checkworthiness.GREETING_PHRASES, *checkworthiness.FACT_WORDS,
        "I", "i", "me", "my", "you", "your", "yours", "Mr", "NATO", "UK", "BBC", "London", "The",
        "1999", "2021", "1850", "42", "3.5", "%", "$", "$5", "£3", "€2", "—", "é",
        ",", ";", ":", ".", "...", "?", "!", "-", "'", '"', "_", "\t", "\n", "\x1d", "  ",
    ]  # fmt: skip
    texts = []
    for _ in range(20000):
        words = rng.choices(pieces, k=rng.randint(0, 30))
        joiners = rng.choices(["", " ", " ", " ", ", "], k=len(words))
        texts.append("".join(w + j for w, j in zip(words, joiners, strict=True)))
    assert_same_cues(texts)


@compiled
@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_every_bbc_sentence_gives_the_same_cues():
    texts = [s.text for row in bbc_rows() for s in sentences(row["text"])]
    for i in range(0, len(texts), 1000):
        assert_same_cues(texts[i : i + 1000])


@compiled
@pytest.mark.skipif(not CT24.exists(), reason=f"{CT24} is absent (../shared/data not available)")
def test_every_ct24_sentence_gives_the_same_cues():
    with CT24.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    for i in range(0, len(texts), 1000):
        assert_same_cues(texts[i : i + 1000])


@compiled
def test_refused_word_lists_leave_the_loaded_ones_in_place():
    logs = np.array(checkworthiness._LOG_WORDS, dtype=np.float64)
    bad_lists = [
        (checkworthiness.HEDGE_PHRASES, ("thank you", 1), checkworthiness.FACT_WORDS),  # not a str
        (checkworthiness.HEDGE_PHRASES, ("thank you!",), checkworthiness.FACT_WORDS),  # ends in "!"
        (checkworthiness.HEDGE_PHRASES, checkworthiness.GREETING_PHRASES, ("caf\u00e9",)),  # not ASCII
    ]
    for hedges, greetings, facts in bad_lists:
        with pytest.raises(ValueError):
            checkworthiness._cues.set_phrases(hedges, greetings, facts, logs)
    with pytest.raises(ValueError, match="256 float64"):
        checkworthiness._cues.set_phrases(("zzz",), ("zzz",), ("zzz",), logs[:10])
    assert_same_cues(["Thank you all.", "It may possibly rise, reportedly.", "The figures show 12 cases."])
