"""Highlights: the checkable pieces inside a claim, as spans into the article text.

Kinds:
* money: "$5m", "£1.2 billion", "300 million roubles";
* date: "July 4", "8 July 2025", "February 2022", "in May" (the month), "2022", "last week";
* quantity: a figure with a unit of measure: "12%", "3.5 per cent", "40 km", "two years";
* number: any other figure, with its qualifier and range: "155", "more than 100,000",
  "between 60,000 and 100,000", "25,000 to 30,000", "two";
* source: the attribution's source and relaying outlet when they sit in the sentence.

Where spans overlap the earlier kind in that list wins ("July 4" is a date, not a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._text import by_first_letter, lowered_as_ignorecase
from .attribution import Attribution, find_source
from .prefilter import Prefilter
from .segment import Span

__all__ = ["KINDS", "Highlight", "highlights"]

KINDS = ("source", "money", "date", "quantity", "number")


@dataclass(frozen=True)
class Highlight:
    kind: str
    start: int
    end: int
    text: str


_MONTHS = r"(?:January|February|March|April|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_MONTH_OR_MAY = r"(?:" + _MONTHS[3:-1] + r"|May)"
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
# Number words that open a figure ("two", "a dozen"); also the cheap hint that a sentence may hold one.
_NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
] + [
    "a hundred",
    "hundreds",
    "a thousand",
    "thousands",
    "a million",
    "millions",
    "billions",
    "dozens",
    "a dozen",
]
_WORD_NUM = (
    by_first_letter("|".join(_NUMBER_WORDS))
    + r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand|million|billion))*"
)
_DIGITS = r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]*\d)|(?<![\w.,-])\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|hundred|bn|m|k|tn)\b)?"
_NUM = rf"(?:(?:{_DIGITS}){_SCALE}|\b{_WORD_NUM}\b)"
_QUALIFIERS = (
    r"more than|fewer than|less than|over|under|about|around|nearly|almost|up to|at least|at most|some|"
    r"approximately|roughly|an estimated|as many as|as few as|close to|just over|just under"
)
_QUALIFIER = by_first_letter(_QUALIFIERS) + r"\s+"
_RANGES = rf"between\s+{_NUM}\s+and\s+{_NUM}|{_NUM}\s*(?:to|-|–)\s*{_NUM}"
_RANGE = rf"(?:{_RANGES}|{_NUM})"
_FIGURE = rf"(?:{_QUALIFIER})?{_RANGE}"
_UNIT = (
    r"(?:%|\s?(?:per ?cent|percent|percentage points?|pc\b|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|"
    r"cm|mm|kg|kilograms?|grams?|tonnes?|tons?|lit(?:re|er)s?|barrels?|hectares?|acres?|square "
    r"(?:km|kilomet(?:re|er)s|miles|met(?:re|er)s)|degrees?|°c|°f|mw|gw|kwh|twh|mph|km/h|knots|years?|"
    r"months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|times)\b)"
)
_CURRENCY_WORDS = (
    r"(?:dollars|euros|pounds(?: sterling)?|roubles|rubles|yuan|yen|hryvnias?|rupees|francs|pesos|"
    r"shekels|lira|dinars|rand|won|USD|EUR|GBP|RUB|UAH|CNY)"
)

# The figure patterns run on the lowercased sentence (same offsets) and only from the start of a
# word: case-insensitive alternations tried at every character were most of the engine's time.
_WORD_START = r"(?<!\w)(?=[\w$£€¥₽₴₹])"
# What each pattern can open with, looked ahead for right after the word start. The same matches
# (every match opens so), but most words fail here on their first letter or two instead of going
# through the whole alternation, which was most of the cost of these patterns.
_OPENS_FIGURE = rf"(?=\d|{by_first_letter(_QUALIFIERS + '|between|' + '|'.join(_NUMBER_WORDS))})"
_OPENS_MONEY = rf"(?=[\d$£€¥₽₴₹]|US|A|C|HK|{by_first_letter(_QUALIFIERS + '|' + '|'.join(_NUMBER_WORDS))})"
_OPENS_DATE = (
    r"(?=\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|early|mid|late|on |"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?i:yesterday|today|tomorrow|tonight|overnight|last|next|this|earlier|later|the|in))"
)
_MONEY = Prefilter(
    re.compile(
        rf"{_WORD_START}{_OPENS_MONEY}(?:(?:US|A|C|HK)?[$£€¥₽₴₹]\s?(?:{_DIGITS}){_SCALE}(?:\s*(?:to|-|–)\s*[$£€¥₽₴₹]?(?:{_DIGITS}){_SCALE})?"
        rf"|(?:{_QUALIFIER})?(?:{_DIGITS}|{_WORD_NUM}){_SCALE}\s+{_CURRENCY_WORDS}\b)"
    )
)
_DATE = Prefilter(
    re.compile(
        rf"{_WORD_START}{_OPENS_DATE}(?:\b{_MONTH_OR_MAY}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_OR_MAY}(?:,?\s+\d{{4}})?\b"
        rf"|\b(?:(?:early|mid|late)[- ])?{_MONTH_OR_MAY}\s+\d{{4}}\b"
        rf"|\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
        rf"|\b(?:on |last |next |this |)?{_WEEKDAYS}\b"
        r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
        r"|(?<![\w,.$£€-])(?:1[89]|20)\d{2}s?(?![\w%,.]|\s?(?:per ?cent|percent))"
        r"|(?i:\b(?:yesterday|today|tomorrow|tonight|overnight)\b"
        r"|\b(?:(?:last|next|this|earlier this|later this|the previous|the following)\s+"
        r"(?:year|month|week|weekend|spring|summer|autumn|fall|winter|morning|afternoon|evening|night|decade|century))\b"
        r"|\bin the coming (?:days|weeks|months|years)\b)"
        r"|\b\d+\s+(?:days|weeks|months|years) ago\b)"
    )
)
# "May" is a month only after a word that introduces a date: "in May", not "may rise".
_MAY = Prefilter(
    re.compile(
        r"\b(?:in|since|until|by|from|last|early|late|of|through|between|and|to|mid|during)[ -](May)\b"
    )
)
_QUANTITY = Prefilter(re.compile(rf"{_WORD_START}{_OPENS_FIGURE}(?:{_FIGURE}{_UNIT})"))
# _FIGURE with its range branches in group "range" (the same matches). When no match is a range,
# _SINGLE below finds exactly these matches (it is this pattern without the range branches: at every
# place, either both fail or both take the same branch), so it is not run.
_NUMBER = Prefilter(
    re.compile(rf"{_WORD_START}{_OPENS_FIGURE}(?:(?:{_QUALIFIER})?(?:(?P<range>{_RANGES})|{_NUM}))")
)
# Single figures, tried after ranges: "in 2021 to 5,000" keeps 2021 as a date and 5,000 as a number.
_SINGLE = Prefilter(re.compile(rf"{_WORD_START}{_OPENS_FIGURE}(?:(?:{_QUALIFIER})?{_NUM})"))

_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

# Cheap hints checked before the figure and date patterns, which cost far more than a substring test.
# Every money, quantity or number match holds a digit or one of _NUMBER_WORDS (in lowercase); every
# date match holds a digit, a month or weekday name as _DATE spells it, or the words of its
# case-insensitive part below.
_DIGIT = Prefilter(re.compile(r"\d"))
# A number word at the start of a word: every figure without a digit opens with one there.
_NUMBER_WORD_HINT = Prefilter(re.compile(r"\b" + by_first_letter("|".join(_NUMBER_WORDS))))
# Substring tests written as one alternation each: a single C call instead of a loop of `in` tests.
_DATE_NAMES = Prefilter(
    re.compile(
        "January|February|March|April|June|July|August|September|October|November|December|"
        "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    )
)
# The `(?i:...)` part of _DATE: a day word, "in the coming weeks", or "last"/"next"/... before a period.
_DAY_WORDS = Prefilter(
    re.compile(by_first_letter("yesterday|today|tomorrow|tonight|overnight|in the coming"))
)
_PERIOD_LEADS = Prefilter(re.compile(by_first_letter("last|next|this|previous|following")))
_PERIODS = Prefilter(
    re.compile(
        by_first_letter(
            "year|month|week|spring|summer|autumn|fall|winter|morning|afternoon|evening|night|decade|century"
        )
    )
)


def _may_hold_date(text: str, *, has_digit: bool) -> bool:
    if has_digit or _DATE_NAMES.search(text):
        return True
    lowered = lowered_as_ignorecase(text)
    if lowered is None:  # the hints below assume lower() folds case as re.IGNORECASE does
        return True
    if _DAY_WORDS.search(lowered):
        return True
    return _PERIODS.search(lowered) is not None and _PERIOD_LEADS.search(lowered) is not None


# A candidate while overlaps are settled: (priority, -length, start, end, kind, text). Tuples sort
# as the rule reads (earlier kind, then longer, then earlier) and cost less than a Highlight each.
_Found = tuple[int, int, int, int, str, str]


def _matches(
    kind: str,
    pattern: Prefilter,
    span: Span,
    group: int = 0,
    *,
    haystack: str | None = None,
    found_matches: Iterable[re.Match[str]] | None = None,
) -> list[_Found]:
    found = []
    priority = _PRIORITY[kind]
    sentence = span.text
    if found_matches is None:
        found_matches = pattern.finditer(haystack if haystack is not None else sentence)
    for m in found_matches:
        s0, e0 = m.span(group)
        raw = sentence[s0:e0]
        text = raw.strip()
        if not text:
            continue
        start = span.start + s0 + (len(raw) - len(raw.lstrip()))
        found.append((priority, -len(text), start, start + len(text), kind, text))
    return found


def _source_highlights(sentence: Span, attribution: Attribution | None) -> list[_Found]:
    found = []
    if attribution is None:
        local = find_source(sentence.text)
        if local is None or local.pronoun:
            return []
        attribution = Attribution(
            local.source,
            sentence.start + local.start,
            sentence.start + local.end,
            local.via,
            None if local.via_start is None else sentence.start + local.via_start,
            None if local.via_end is None else sentence.start + local.via_end,
        )
    pairs = [(attribution.source, attribution.start, attribution.end)]
    if attribution.via is not None and attribution.via_start is not None and attribution.via_end is not None:
        pairs.append((attribution.via, attribution.via_start, attribution.via_end))
    for text, start, end in pairs:
        if sentence.start <= start and end <= sentence.end:
            found.append((_PRIORITY["source"], start - end, start, end, "source", text))
    return found


def highlights(sentence: Span, *, attribution: Attribution | None = None) -> list[Highlight]:
    """Highlights inside one sentence, sorted by offset, never overlapping.

    Pass the sentence's `attribution` (from `attribute`) to highlight the resolved
    source; without it the sentence's own named source, if any, is used. A source
    named in an earlier sentence (a resolved "He added") is not highlighted here.
    """
    candidates = _source_highlights(sentence, attribution)
    lowered = sentence.text.lower()
    if len(lowered) != len(sentence.text):  # a rare letter whose lowercase is longer
        lowered = sentence.text
    has_digit = _DIGIT.search(sentence.text) is not None
    may_hold_figure = has_digit or _NUMBER_WORD_HINT.search(lowered) is not None
    if may_hold_figure:
        candidates += _matches("money", _MONEY, sentence)
    if _may_hold_date(sentence.text, has_digit=has_digit):
        candidates += _matches("date", _DATE, sentence)
    if "May" in sentence.text:
        candidates += _matches("date", _MAY, sentence, group=1)
    if may_hold_figure:
        candidates += _matches("quantity", _QUANTITY, sentence, haystack=lowered)
        numbers = list(_NUMBER.finditer(lowered))  # read twice below
        candidates += _matches("number", _NUMBER, sentence, found_matches=numbers)
        if any(m.group("range") is not None for m in numbers):
            candidates += _matches("number", _SINGLE, sentence, haystack=lowered)
    if not candidates:
        return []
    candidates.sort()  # equal tuples are the same span of the same kind: their order does not matter
    kept: list[_Found] = []
    for c in candidates:
        if all(c[3] <= k[2] or c[2] >= k[3] for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c[2])  # kept spans never overlap, so their starts differ
    return [Highlight(kind, start, end, text) for _, _, start, end, kind, text in kept]
