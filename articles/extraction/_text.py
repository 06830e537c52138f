"""Small text helpers shared by the rule stages: quotation masking and word lists."""

from __future__ import annotations

import re
from functools import lru_cache

from .prefilter import Prefilter

OPENING_QUOTES = "“«"
CLOSING_QUOTES = "”»"
STRAIGHT_QUOTE = '"'
QUOTE_CHARS = OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTE
MASK = "_"
_QUOTE_MARK = Prefilter(re.compile("[" + QUOTE_CHARS + "]"))
_NON_SPACE = re.compile(r"\S")
# _NON_SPACE.sub(MASK, ...) for ASCII text as a translation table (ASCII \s is \t-\r, \x1c-\x1f and
# the space); str.translate caches an ASCII table in C.
_MASK_ASCII = {code: (chr(code) if _NON_SPACE.match(chr(code)) is None else MASK) for code in range(128)}
_SPACED_WORD = re.compile(r"\S+")
_QUOTED_RUN = re.compile(r'"([^"]*)"?')


def mask_quotes(text: str, *, inside: bool = False) -> tuple[str, bool]:
    """Replace the characters inside double quotation marks with MASK, keeping offsets.

    Quote marks themselves are normalised to '"' so later patterns can treat them
    as clause boundaries. Single quotes are left alone: they double as apostrophes.
    `inside` says the text starts within a quotation opened earlier (a quote that
    runs over several sentences); the second value says whether it ends inside one.
    """
    return _mask_quotes(text, inside)


# Attribution, the filter and the claim type each mask the same sentence: cache the few latest.
@lru_cache(maxsize=256)
def _mask_quotes(text: str, inside: bool) -> tuple[str, bool]:
    marks = list(_QUOTE_MARK.finditer(text))
    if not inside and not marks:
        return text, False
    out = []
    pos = 0
    for m in marks:
        segment = text[pos : m.start()]
        out.append(_masked(segment) if inside else segment)
        ch = m.group()
        inside = (not inside) if ch == STRAIGHT_QUOTE else ch in OPENING_QUOTES
        out.append('"')
        pos = m.end()
    segment = text[pos:]
    out.append(_masked(segment) if inside else segment)
    return "".join(out), inside


def _masked(segment: str) -> str:
    """Every character of `segment` but white space replaced with MASK."""
    return segment.translate(_MASK_ASCII) if segment.isascii() else _NON_SPACE.sub(MASK, segment)


def quoted_word_share(text: str) -> float:
    """The share of the words of `text` that sit inside quotation marks."""
    masked, _ = mask_quotes(text)
    if MASK not in masked:  # nothing quoted (the usual case): skip splitting into words
        return 0.0
    words = _SPACED_WORD.findall(masked)
    if not words:
        return 0.0
    quoted = sum(1 for w in words if MASK in w and not any(c.isalnum() for c in w))
    return quoted / len(words)


def has_direct_quote(text: str, *, min_words: int = 3) -> bool:
    """True when the text carries a quotation of at least `min_words` words (scare quotes are shorter)."""
    masked, ends_inside = mask_quotes(text)
    runs = _QUOTED_RUN.findall(masked)
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


# The only characters whose str.lower() is not how re.IGNORECASE matches them against ASCII letters
# (or that change the length): dotless i and long s match "i" and "s" but lowercase to themselves, and
# the dotted capital I lowercases to two characters. The Kelvin sign lowercases to "k" and matches it.
# tests/articles/extraction/test_text.py checks every code point.
_FOLDS_APART = ("ı", "ſ", "İ")


def lowered_as_ignorecase(text: str) -> str | None:
    """`text.lower()` when a pattern written in lowercase ASCII matches it exactly as it matches `text`
    under re.IGNORECASE (same offsets, same \\w, \\d and \\s), else None."""
    if text.isascii():
        return text.lower()
    if any(ch in text for ch in _FOLDS_APART):
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


class CaselessPattern:
    """A case-insensitive regex written in lowercase, fast on ASCII text.

    sre skips the branches of an alternation on their first letter, but not under re.IGNORECASE,
    which makes a long word list about three times slower. For a pattern written in ASCII,
    re.IGNORECASE folds case exactly as `str.lower()` does in almost any text (`lowered_as_ignorecase`),
    so the pattern runs case-sensitively over the lowered text (prefiltered: from where its matches
    can start); the few other texts take the re.IGNORECASE twin.
    """

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower() or not pattern.isascii():
            raise ValueError(f"write the pattern in lowercase ASCII: {pattern[:60]!r}")
        self.pattern = pattern
        self._lowercase = Prefilter(re.compile(pattern))
        self._ignorecase = re.compile(pattern, re.IGNORECASE)

    def found_in(self, text: str) -> bool:
        """True when the pattern occurs anywhere in `text`, in any case."""
        lowered = lowered_as_ignorecase(text)
        if lowered is not None:
            return self._lowercase.search(lowered) is not None
        return self._ignorecase.search(text) is not None


def _top_level_branches(alternation: str) -> list[str]:
    branches, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(alternation):
        ch = alternation[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(alternation[start:i])
            start = i + 1
        i += 1
    branches.append(alternation[start:])
    return branches


def by_first_letter(alternation: str, *, word_start: bool = False) -> str:
    """The regex alternation `alternation` ("laws?|lawful|ban|..."), its branches grouped by first letter.

    sre tries every branch of an alternation at every place it looks, and a word list of fifty
    branches made a rule several times slower than its neighbours. Grouped, it tries one group per
    place. Branches that start with different letters never match at the same place and the order
    inside a group is kept, so the matches are the same; a branch that does not start with a letter
    (a group, an escape) is kept as it is after the groups, so use this where the order of such
    branches does not matter (whole words between \\b and \\b, or a pattern only tested for a match).

    `word_start=True` gives the same matches as `\\b` followed by the grouped alternation, written so
    that each branch opens with its letter and looks behind it for the word boundary
    (`y(?<!\\wy)(?:ou|...)`). A pattern whose every branch opens with a literal lets sre jump from
    one of those letters to the next instead of trying the whole pattern at every character: several
    times faster when few letters open a branch, slower when most letters do (then keep `\\b` in
    front). Branches that do not open with a letter keep a leading `\\b`.
    """
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for branch in _top_level_branches(alternation):
        first, rest = branch[:1], branch[1:]
        if first.isalpha() and not rest.startswith(("?", "*", "+", "{")):
            groups.setdefault(first, []).append(rest)
        else:
            others.append(branch)
    # Before its letter a word start is "no word character": (?<!\\wl) after the l, which sre allows.
    edge = (lambda first: rf"(?<!\w{first})") if word_start else (lambda first: "")
    parts = [
        first + edge(first) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in groups.items()
    ]
    if word_start and others:
        others = [r"\b(?:" + "|".join(others) + ")"]
    return "(?:" + "|".join(parts + others) + ")"
