"""Measure body extraction against human-marked article bodies.

    python -m articles.importing.evaluate_body [--data DIR]

DIR holds `<id>.html` pages and `ground-truth.json` ({id: {"articleBody", "url"}}),
by default ../shared/data/news_html (the scrapinghub article-extraction
benchmark). The data is read in place and never copied into the repository.

Scores are token-level and bag-of-tokens: both sides are lower-cased and split
into Unicode word tokens (`\\w+`) the same way; per page, the overlap is the size
of the multiset intersection; precision = overlap / predicted tokens, recall =
overlap / true tokens. P, R and F1 are computed per page and macro-averaged over
pages. An empty prediction for a non-empty truth scores 0 on all three.

Plain `trafilatura.extract(html)` (defaults, no URL) runs in the same process on
the same pages as `extract_article`, so the two rows are comparable.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from .html import ExtractionError, extract_article

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATA = BASE_DIR.parent / "shared" / "data" / "news_html"

_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> Counter[str]:
    return Counter(_TOKEN.findall((text or "").lower()))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def score(predicted: str | None, truth: str) -> Score:
    pred, true = tokens(predicted), tokens(truth)
    if not pred and not true:
        return Score(1.0, 1.0, 1.0)
    overlap = sum((pred & true).values())
    if not overlap:
        return Score(0.0, 0.0, 0.0)
    precision = overlap / sum(pred.values())
    recall = overlap / sum(true.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


@dataclass(frozen=True)
class Page:
    id: str
    html: bytes
    url: str | None
    truth: str


def load_pages(data_dir: Path) -> list[Page]:
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            id=page_id,
            html=(data_dir / f"{page_id}.html").read_bytes(),
            url=row.get("url"),
            truth=row["articleBody"],
        )
        for page_id, row in sorted(truth.items())
    ]


@dataclass
class SystemResult:
    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: float = 0.0

    def macro(self) -> Score:
        n = len(self.scores) or 1
        values = self.scores.values()
        return Score(
            sum(s.precision for s in values) / n,
            sum(s.recall for s in values) / n,
            sum(s.f1 for s in values) / n,
        )

    @property
    def pages_per_second(self) -> float:
        return len(self.scores) / self.seconds if self.seconds else 0.0


def plain_trafilatura(page: Page) -> str | None:
    return trafilatura.extract(page.html)


def verify_extractor(page: Page) -> str | None:
    try:
        return extract_article(page.html, url=page.url).body
    except ExtractionError:
        return None


SYSTEMS: dict[str, Callable[[Page], str | None]] = {
    "trafilatura.extract (plain)": plain_trafilatura,
    "extract_article (ours)": verify_extractor,
}


def run(
    pages: list[Page], systems: dict[str, Callable[[Page], str | None]] | None = None
) -> list[SystemResult]:
    results = []
    for name, extractor in (systems or SYSTEMS).items():
        result = SystemResult(name)
        started = time.perf_counter()
        predictions = {page.id: extractor(page) for page in pages}
        result.seconds = time.perf_counter() - started
        result.scores = {page.id: score(predictions[page.id], page.truth) for page in pages}
        results.append(result)
    return results


def table(results: list[SystemResult], *, pages: int) -> str:
    lines = [
        f"Body extraction, {pages} pages, token-level bag-of-words, macro-averaged",
        f"{'system':<30} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8}",
    ]
    for result in results:
        m = result.macro()
        lines.append(
            f"{result.name:<30} {m.precision:>9.4f} {m.recall:>7.4f} {m.f1:>7.4f} {result.pages_per_second:>8.1f}"
        )
    return "\n".join(lines)


def worst(result: SystemResult, pages: list[Page], n: int = 10) -> Iterator[str]:
    by_id = {page.id: page for page in pages}
    for page_id, s in sorted(result.scores.items(), key=lambda item: item[1].f1)[:n]:
        yield f"  {s.f1:.3f} P={s.precision:.3f} R={s.recall:.3f} {page_id[:12]} {by_id[page_id].url}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"default: {DEFAULT_DATA}")
    parser.add_argument("--worst", type=int, default=0, help="also list the N lowest-F1 pages of ours")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        parser.error(f"{args.data} has no ground-truth.json")
    # trafilatura logs a warning for every page it finds little in; the table says enough.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = load_pages(args.data)
    results = run(pages)
    print(table(results, pages=len(pages)))
    if args.worst:
        print(f"lowest F1, {results[-1].name}:")
        print("\n".join(worst(results[-1], pages, args.worst)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
