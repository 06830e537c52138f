"""Sentence splitters compared: boundary F1 on the gold set, speed over the 2,225 BBC articles.

Run with `pytest tests/benchmarks -o python_files='bench_*.py' -s -k segmentation`. Prints a table;
never fails on the figures. Every splitter runs line by line behind the same wrapper as
`articles.extraction.segment.sentences` (offsets found by walking forward, spans stripped), so the
comparison is of the splitters, not of their offset handling. One process, one core. Candidates
that are not installed (pysbd, blingfire, syntok are not project dependencies) are listed as such.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable, Iterable

import pytest

from articles.extraction.segment import sentences

from ..articles.extraction.segmentation_gold import (
    BBC,
    BBC_ABSENT,
    bbc_docs,
    bbc_rows,
    newsroom_docs,
    score,
)

pytestmark = pytest.mark.bench

Splitter = Callable[[str], list[tuple[int, int]]]
_LINE = re.compile(r"[^\n]+")


def _per_line(split_line: Callable[[str], Iterable[tuple[int, int]]]) -> Splitter:
    def split(text: str) -> list[tuple[int, int]]:
        spans = []
        for m in _LINE.finditer(text):
            line = m.group()
            for start, end in split_line(line):
                piece = line[start:end]
                stripped = piece.strip()
                if stripped:
                    at = m.start() + start + len(piece) - len(piece.lstrip())
                    spans.append((at, at + len(stripped)))
        return spans

    return split


def _walk(line: str, pieces: Iterable[str]) -> list[tuple[int, int]]:
    out, cursor = [], 0
    for piece in pieces:
        stripped = piece.strip()
        found = line.find(stripped, cursor) if stripped else -1
        if found >= 0:
            cursor = found + len(stripped)
            out.append((found, cursor))
    return out


def _candidates() -> dict[str, Splitter | None]:
    found: dict[str, Splitter | None] = {}
    if importlib.util.find_spec("pysbd"):
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = _per_line(lambda line: _walk(line, seg.segment(line)))
    else:
        found["pysbd"] = None
    if importlib.util.find_spec("blingfire") and importlib.util.find_spec("numpy"):
        import blingfire

        found["blingfire"] = _per_line(lambda line: blingfire.text_to_sentences_and_offsets(line)[1])
    else:
        found["blingfire"] = None
    if importlib.util.find_spec("sentencex"):
        import sentencex

        found["sentencex"] = _per_line(lambda line: _walk(line, sentencex.segment("en", line)))
    else:
        found["sentencex"] = None
    if importlib.util.find_spec("syntok"):
        from syntok import segmenter

        def syntok_line(line: str) -> list[tuple[int, int]]:
            return [
                (sent[0].offset, sent[-1].offset + len(sent[-1].value))
                for para in segmenter.analyze(line)
                for sent in para
            ]

        found["syntok"] = _per_line(syntok_line)
    else:
        found["syntok"] = None
    found["verify rules"] = lambda text: [(s.start, s.end) for s in sentences(text)]
    return found


@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_bench_sentence_splitters():
    newsroom = newsroom_docs()
    bbc = bbc_docs()
    texts = [row["text"] for row in bbc_rows()]
    header = (
        f"{'splitter':<13} {'P':>6} {'R':>6} {'F1':>6} | {'news F1':>7} {'bbc F1':>7} {'held-out':>8} | "
        f"{'sent/s':>9} {'art/s':>8}"
    )
    lines = [
        "",
        f"BENCH segmentation: gold = {len(newsroom)} newsroom texts + {len(bbc)} BBC articles "
        f"({sum(doc.held_out for doc in bbc)} held out); speed over {len(texts)} BBC articles, one core",
        header,
        "-" * len(header),
    ]
    for name, split in _candidates().items():
        if split is None:
            lines.append(f"{name:<13} not installed")
            continue
        news, wire = score(newsroom, split), score(bbc, split)
        held_out = score([doc for doc in bbc if doc.held_out], split)
        both = news + wire
        started = time.perf_counter()
        n_sentences = sum(len(split(text)) for text in texts)
        elapsed = time.perf_counter() - started
        lines.append(
            f"{name:<13} {both.precision:6.3f} {both.recall:6.3f} {both.f1:6.3f} | "
            f"{news.f1:7.3f} {wire.f1:7.3f} {held_out.f1:8.3f} | {n_sentences / elapsed:9,.0f} {len(texts) / elapsed:8,.0f}"
        )
    print("\n".join(lines))
