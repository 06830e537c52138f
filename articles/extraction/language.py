"""A cheap English check: the engine's rules and model are for English only."""

from __future__ import annotations

import re

# The most frequent English function words; running English prose is roughly
# a third such words, other languages (even Latin-script ones) well under a tenth.
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "it",
        "at",
        "from",
        "he",
        "said",
        "have",
        "has",
        "be",
        "are",
        "were",
        "not",
        "but",
        "an",
        "this",
        "they",
        "which",
        "who",
        "their",
        "had",
        "been",
        "after",
        "will",
        "its",
        "more",
        "also",
        "his",
        "her",
        "would",
        "there",
        "about",
        "than",
        "into",
        "we",
        "our",
        "she",
        "them",
        "or",
        "when",
        "could",
        "what",
        "year",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 30
MIN_SHARE = 0.15


_SAMPLE = 20_000

try:  # the compiled word count (`make` builds it); the regex below counts the same without
    from . import _language
except ImportError:  # pragma: no cover - exercised where the extension is not built
    _language = None
else:
    _language.set_words(sorted(_ENGLISH))


def english_share(text: str, *, compiled: bool = True) -> tuple[float, int]:
    """The share of English function words among the first words of `text`, and their number."""
    counted = _language.english_words(text, _SAMPLE) if compiled and _language is not None else None
    if counted is not None:
        hits, count = counted
        return (hits / count if count else 0.0), count
    words = _WORD.findall(text[:_SAMPLE].lower())
    if not words:
        return 0.0, 0
    # map() over the set's own lookup counts in C; a generator expression cost more than the regex.
    return sum(map(_ENGLISH.__contains__, words)) / len(words), len(words)


def is_english(text: str, *, declared: str = "") -> bool:
    """True unless the page declares another language or the text clearly is one."""
    if declared and not declared.lower().startswith("en"):
        return False
    share, count = english_share(text)
    return count < MIN_WORDS or share >= MIN_SHARE
