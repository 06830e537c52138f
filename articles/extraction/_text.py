"""Small text helpers shared by the rule stages: quotation masking and word lists."""

from __future__ import annotations

import re

OPENING_QUOTES = "“«"
CLOSING_QUOTES = "”»"
STRAIGHT_QUOTE = '"'
QUOTE_CHARS = OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTE
MASK = "_"
_QUOTE_MARK = re.compile("[" + QUOTE_CHARS + "]")
_NON_SPACE = re.compile(r"\S")


def mask_quotes(text: str, *, inside: bool = False) -> tuple[str, bool]:
    """Replace the characters inside double quotation marks with MASK, keeping offsets.

    Quote marks themselves are normalised to '"' so later patterns can treat them
    as clause boundaries. Single quotes are left alone: they double as apostrophes.
    `inside` says the text starts within a quotation opened earlier (a quote that
    runs over several sentences); the second value says whether it ends inside one.
    """
    if not inside and not any(q in text for q in QUOTE_CHARS):
        return text, False
    out = []
    pos = 0
    for m in _QUOTE_MARK.finditer(text):
        segment = text[pos : m.start()]
        out.append(_NON_SPACE.sub(MASK, segment) if inside else segment)
        ch = m.group()
        inside = (not inside) if ch == STRAIGHT_QUOTE else ch in OPENING_QUOTES
        out.append('"')
        pos = m.end()
    segment = text[pos:]
    out.append(_NON_SPACE.sub(MASK, segment) if inside else segment)
    return "".join(out), inside


def quoted_word_share(text: str) -> float:
    """The share of the words of `text` that sit inside quotation marks."""
    masked, _ = mask_quotes(text)
    words = re.findall(r"\S+", masked)
    if not words:
        return 0.0
    quoted = sum(1 for w in words if MASK in w and not any(c.isalnum() for c in w))
    return quoted / len(words)


def has_direct_quote(text: str, *, min_words: int = 3) -> bool:
    """True when the text carries a quotation of at least `min_words` words (scare quotes are shorter)."""
    masked, ends_inside = mask_quotes(text)
    runs = re.findall(r'"([^"]*)"?', masked)
    return any(len(r.split()) >= min_words for r in runs) or ends_inside


def word_set(words: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(words.split())


# Titles dropped in front of a person's name: "Foreign Minister Sergei Lavrov" -> "Sergei Lavrov".
TITLE_WORDS = word_set(
    """president vice prime minister ministers foreign defence defense interior finance health
    secretary chancellor senator sen. governor mayor dr dr. mr mr. mrs mrs. ms ms. professor prof.
    prof gen. general lt. col. colonel major captain admiral judge chief spokesman spokeswoman
    spokesperson ambassador king queen pope prince princess sheikh commissioner director
    chairman chairwoman chair ceo leader deputy mp lord lady sir dame rep. representative
    envoy minister's premier marshal sergeant pastor rabbi imam bishop archbishop"""
)

FUNCTION_WORDS = word_set("of for the and & de du la von van al el on in at to 's")
DETERMINERS = word_set("the a an this that these those its their his her our")
PRONOUNS = word_set("he she they it we i")
