"""The sentence-boundary gold set and its scoring, shared by the tests and the benchmark.

Two parts, both under `gold/`:

- `newsroom.json`: texts written for this project (so they live in git) with hand-marked sentence
  spans, built around the traps a newsroom splitter meets (abbreviations, initials, decimals, money,
  dates, ellipses, multi-sentence quotes, bullet lists, headlines without a full stop).
- `bbc_boundaries.json`: hand-marked sentence spans for eight articles of the shared BBC corpus. Only
  the offsets are stored, never the text (its terms forbid redistribution); each article is named by
  its `id` and the sha256 of its text, so a changed corpus is detected rather than scored wrongly.

Convention: a sentence inside a quotation is a sentence (`"Roads are crumbling.` / `Bridges are
closing.` / `Families pay," she said.`), an attribution that follows a closing quote in lower case
(`"...story!" she said.`) belongs to the quote's last sentence, and every non-blank line ends a
sentence (headlines, bylines, bullet items).

Scoring counts boundaries inside a line: the end offset of a sentence that is followed by another
sentence on the same line. Line ends are boundaries by contract for every splitter we compare, so
counting them would only inflate every score alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ...conftest import SHARED

GOLD = Path(__file__).resolve().parent / "gold"
BBC = SHARED / "data" / "news" / "bbc_news_2225.jsonl"
BBC_ABSENT = f"{BBC} is absent (../shared/data not available)"


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    sentences: list[tuple[int, int]]
    held_out: bool = False  # annotated after the rules were frozen


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def newsroom_docs() -> list[GoldDoc]:
    data = json.loads((GOLD / "newsroom.json").read_text(encoding="utf-8"))
    return [GoldDoc(t["name"], t["text"], [tuple(s) for s in t["sentences"]]) for t in data["texts"]]


def bbc_rows() -> Iterable[dict]:
    with BBC.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def bbc_docs() -> list[GoldDoc]:
    """The annotated BBC articles, texts read from the shared corpus (which must exist)."""
    gold = json.loads((GOLD / "bbc_boundaries.json").read_text(encoding="utf-8"))
    wanted = {a["id"]: a for a in gold["articles"]}
    texts = {row["id"]: row["text"] for row in bbc_rows() if row["id"] in wanted}
    docs = []
    for art_id, art in wanted.items():
        text = texts.get(art_id)
        if text is None:
            raise LookupError(f"{art_id} is not in {BBC}")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != art["sha256"]:
            raise ValueError(f"{art_id} changed in {BBC} (sha256 {digest}): re-annotate before scoring")
        docs.append(GoldDoc(art_id, text, [tuple(s) for s in art["sentences"]], art.get("held_out", False)))
    return docs


def inner_boundaries(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """End offsets of the spans that another sentence follows on the same line."""
    ends = set()
    for _, end in spans:
        newline = text.find("\n", end)
        rest = text[end : newline if newline >= 0 else len(text)]
        if rest.strip():
            ends.add(end)
    return ends


def score_doc(doc: GoldDoc, predicted: Iterable[tuple[int, int]]) -> Score:
    gold = inner_boundaries(doc.text, doc.sentences)
    got = inner_boundaries(doc.text, predicted)
    return Score(len(gold & got), len(got - gold), len(gold - got))


def score(docs: Iterable[GoldDoc], split: Callable[[str], Iterable[tuple[int, int]]]) -> Score:
    total = Score(0, 0, 0)
    for doc in docs:
        total += score_doc(doc, split(doc.text))
    return total


def misses(doc: GoldDoc, predicted: Iterable[tuple[int, int]], width: int = 30) -> list[str]:
    """Readable context for every wrong boundary, for assertion messages."""
    gold = inner_boundaries(doc.text, doc.sentences)
    got = inner_boundaries(doc.text, predicted)
    out = []
    for kind, offsets in (("missed", gold - got), ("spurious", got - gold)):
        for at in sorted(offsets):
            out.append(
                f"{doc.name}: {kind} at {at}: {doc.text[max(0, at - width) : at]!r} | {doc.text[at : at + 15]!r}"
            )
    return out
