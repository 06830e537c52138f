"""The compiled English word count (`_language.c`) gives the regex count's figures."""

from __future__ import annotations

import os

import pytest

from articles.extraction import language
from articles.extraction.language import english_share

from .segmentation_gold import BBC, BBC_ABSENT, bbc_rows, newsroom_docs

compiled = pytest.mark.skipif(
    language._language is None and os.environ.get("CI") != "true",
    reason="the C speed-ups are not built here (python articles/extraction/build_speedups.py)",
)


def test_ci_builds_the_word_count():
    if os.environ.get("CI") == "true":
        assert language._language is not None, "run python articles/extraction/build_speedups.py"


@compiled
@pytest.mark.parametrize(
    "text",
    [
        "",
        "1234 ___ ...",
        "The minister said that the plan was 'the best' of its kind.",
        "THE Of AND to_in a1is that2for",
        "It cost £5m — “the most”, she said… The €2 fee… ‘it’s’",
        "Die Regierung hat am Montag einen Plan für das Jahr vorgestellt.",
        "Le café est à côté de la gare, dit le maire.",
        "Ціни зросли на 12% у 2023 році.",
        "the " * 6000 + "theory",
        "word " * 3999 + "abcdefghij",
    ],
)
def test_texts_give_the_same_share_and_count(text):
    assert english_share(text) == english_share(text, compiled=False)


@compiled
def test_the_sample_cuts_words_where_the_regex_does():
    text = "x" * 19_998 + " the end"  # the limit falls inside "the"
    assert english_share(text) == english_share(text, compiled=False)


@compiled
def test_our_gold_texts_give_the_same_share_and_count():
    for doc in newsroom_docs():
        assert english_share(doc.text) == english_share(doc.text, compiled=False), doc.name


@compiled
@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_every_bbc_article_gives_the_same_share_and_count():
    for row in bbc_rows():
        assert english_share(row["text"]) == english_share(row["text"], compiled=False), row["id"]


@compiled
def test_the_word_count_refuses_a_negative_limit_and_odd_word_lists():
    with pytest.raises(ValueError, match="negative"):
        language._language.english_words("the cat and the dog", -1)
    with pytest.raises(TypeError, match="not one str"):
        language._language.set_words("the")
    with pytest.raises(ValueError, match="lowercase ASCII"):
        language._language.set_words(["The"])
    assert english_share("The cat and the dog.") == english_share("The cat and the dog.", compiled=False)
