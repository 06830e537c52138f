"""Sentence segmentation with character offsets into the original text.

A rule-based splitter tuned for news copy. Every line is its own paragraph (headlines, bylines and
bullet items end where their line ends); inside a line, each `.`, `?`, `!` or ellipsis followed by
white space is a candidate boundary, and the rules below decide. The candidates come from one
compiled regex and each decision looks at two words, so it runs at tens of thousands of articles per
second (see tests/benchmarks/bench_segmentation.py for the comparison with pysbd, blingfire,
sentencex and syntok, and tests/articles/extraction/segmentation_gold.py for the gold set).

Sentences inside a quotation are sentences: a claim checker wants one claim per span, so
`"Roads are crumbling. Bridges are closing," she said.` gives two spans. An attribution that follows
a closing quote stays with the quote (`"Why now?" she asked.`, `"Enough!" Mr. Reid said.`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prefilter import Prefilter


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


_PARAGRAPH = re.compile(r"[^\n]+")


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


# A terminator run, the closing quotes or brackets glued to it, then the white space to the next
# sentence's first character (which must exist on this line).
_CANDIDATE = Prefilter(re.compile(r"[.?!…]+[\"'”’)\]]*(?=[^\S\n]+(\S))"))
_WORD_AFTER = re.compile(r"[\"'“‘(\[]*([^\s\"'”’),;:]*)")
_OPENERS = "\"'“‘([«"
# A list number or letter at the start of a line: "1. Adult social care..." is one item.
_ENUMERATOR = re.compile(r"\s*(?:\d{1,3}|[a-z])$")

# Never end a sentence: titles before a name and Latin or editorial abbreviations.
_ALWAYS = _words(
    "Mr Mrs Ms Messrs Mme Dr Prof Sen Rep Gov Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pte Supt Insp Det ",
    "Rev Fr St Mt Ft Hon Cllr Pres Sec Amb Atty Esq ",
    "vs v cf approx ca viz i.e e.g Fig fig Nos",
)
# Do not end a sentence before a number: "No. 10", "Jan. 5", "Dec. 2023", "p. 12", "Vol. 3".
_BEFORE_NUMBER = _words(
    "No no Vol vol Art art Ch ch p pp Tel tel Ed ed Op op ",
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec",
)
# May end a sentence ("in the U.S. The...", "at 11 p.m. Rain..."), but usually run on into a name or
# a noun that belongs to them ("U.S. Senate", "9 a.m. Monday").
_MAY_END = _words("etc Inc Corp Ltd Co Bros Jr Sr plc PLC a.m p.m")
_RUNS_ON = _words(
    "Senate House Congress Capitol Army Navy Air Marine Marines Coast Forces Department Treasury Federal ",
    "Supreme Court Justice Attorney Embassy Ambassador Government President Vice Secretary State ",
    "Commerce Defense Defence Labor Labour Trade Customs Border Postal Census Bureau Open Masters ",
    "Championship Championships Olympic National Central Securities Bank Parliament Prime Foreign Home ",
    "Office Health Navy Conservative Chamber Geological Steel Airways ",
    "Eastern Western Central Pacific Mountain ET GMT BST EST EDT PST PDT CET UTC ",
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday ",
    "January February March April May June July August September October November December",
)
# A quote that ends in ? or ! and is followed by its attribution is one sentence with it.
_SPEECH = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){0,4}(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|"
    r"shouted|cried|insisted|explained|argued|warned)\b"
)


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines of the body, each a paragraph, with offsets."""
    return [Span(m.start(), m.end(), m.group()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _is_boundary(line: str, match: re.Match[str]) -> bool:
    following = match.group(1)
    if following.islower():
        return False  # "she said", "i.e. close", "... that have", "approx. a"
    term = match.group()
    next_at = match.start(1)
    if term[0] in "?!":
        quoted = term[-1] in "\"”'’"
        return not quoted or _SPEECH.match(line, next_at) is None
    if term[0] != "." or term.startswith(".."):
        return True  # ellipsis before a capital: the sentence trails off and a new one starts
    word_at = max(line.rfind(" ", 0, match.start()), line.rfind("\t", 0, match.start())) + 1
    word = line[word_at : match.start()].lstrip(_OPENERS)
    if not word:
        return True
    if word in _ALWAYS:
        return False
    if following.isdigit() and word in _BEFORE_NUMBER:
        return False
    if _ENUMERATOR.match(word) and not line[:word_at].strip():
        return False
    letters = word.split(".")
    if all(len(part) == 1 and part.isalpha() for part in letters):
        # "J.", "J. K.", "U.S.", "a.m." (the final dot is the terminator, so split leaves parts).
        if len(letters) == 1:
            # "I" is a pronoun or a numeral ("World War I.") far more often than an initial.
            return word == "I" or not word.isupper()
        return _runs_on(line, next_at) is False
    if word in _MAY_END:
        return _runs_on(line, next_at) is False
    return True


def _runs_on(line: str, at: int) -> bool:
    """Whether the word at `at` continues a sentence after an abbreviation that may end one."""
    word = _WORD_AFTER.match(line, at).group(1)
    return word in _RUNS_ON or (len(word) > 1 and word.isupper())


def _split_line(line: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(line):
        if _is_boundary(line, match):
            bounds.append((start, match.end()))
            start = match.start(1)
    bounds.append((start, len(line)))
    return bounds


def sentences(text: str) -> list[Span]:
    """Sentences of `text` (never across a line break), stripped, with offsets into `text`."""
    spans: list[Span] = []
    for para in paragraphs(text):
        line = para.text
        for start, end in _split_line(line):
            piece = line[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            at = para.start + start + (len(piece) - len(piece.lstrip()))
            spans.append(Span(at, at + len(stripped), stripped))
    return spans
