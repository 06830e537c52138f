"""Sentence segmentation with character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment as sentencex_segment


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


_PARAGRAPH = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines of the body, each a paragraph, with offsets."""
    return [Span(m.start(), m.end(), m.group()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def sentences(text: str) -> list[Span]:
    """Sentences of `text` (never across a line break), stripped, with offsets.

    sentencex returns the sentences as consecutive slices of its input, so the
    offsets are found by walking forward through the paragraph.
    """
    spans: list[Span] = []
    for para in paragraphs(text):
        cursor = 0
        for piece in sentencex_segment("en", para.text):
            stripped = piece.strip()
            if not stripped:
                continue
            found = para.text.find(stripped, cursor)
            if found < 0:  # defensive: never emit an offset that does not match
                continue
            cursor = found + len(stripped)
            start = para.start + found
            spans.append(Span(start, start + len(stripped), stripped))
    return spans
