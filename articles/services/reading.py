"""Turn an ImportItem's input into clean article text: text, file bytes or a web page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from ..models import ImportItem
from .imports import ArticleInput, ImportProblem, TransientImportProblem, parse_published


def from_text(item: ImportItem) -> ArticleInput:
    meta = item.metadata or {}
    return ArticleInput(
        title=item.title,
        body=normalise_body(item.text),
        url=item.url,
        byline=meta.get("byline") or meta.get("author", ""),
        site_name=meta.get("site_name", ""),
        published_at=parse_published(meta.get("published", "")),
        metadata=meta,
    )


def normalise_body(text: str) -> str:
    """Line endings unified and trailing spaces dropped; offsets index into this."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def from_file(item: ImportItem) -> ArticleInput:
    from ..importing.files import UnreadableFile, read_document

    if not item.upload:
        raise ImportProblem("The uploaded file is no longer kept; upload it again.")
    with item.upload.open("rb") as fh:
        data = fh.read()
    try:
        document = read_document(data, filename=item.label)
    except UnreadableFile as exc:
        raise ImportProblem(str(exc)) from None
    if document.format == "html" and document.raw_html:
        try:
            return _from_html(document.raw_html, url="", fallback_title=document.title or item.label)
        except ImportProblem:
            pass  # too little for the article extractor (a short page): its visible text is the article
    return ArticleInput(
        title=document.title or item.title,
        body=normalise_body(document.body),
        byline=getattr(document, "author", "") or "",
    )


def from_url(item: ImportItem) -> ArticleInput:
    from ..importing.fetch import FetchRefused, PermanentFetchError, TransientFetchError, fetch

    try:
        result = fetch(item.url)
    except FetchRefused as exc:
        raise ImportProblem(f"Refused: {exc}") from None
    except PermanentFetchError as exc:
        raise ImportProblem(str(exc)) from None
    except TransientFetchError as exc:
        raise TransientImportProblem(str(exc)) from None
    html = result.body.decode(result.charset or "utf-8", errors="replace")
    # The feed entry's or bulk row's title stands in when the page has none.
    return _from_html(html, url=result.final_url, fallback_title=item.title)


def _from_html(html: str, *, url: str, fallback_title: str) -> ArticleInput:
    from ..importing.html import ExtractionError, extract_article

    try:
        page = extract_article(html, url=url or None)
    except ExtractionError as exc:
        raise ImportProblem(str(exc)) from None
    published = page.published
    published_at = parse_published(published.isoformat()) if published else None
    return ArticleInput(
        title=page.title or fallback_title,
        body=normalise_body(page.body),
        url=url,
        canonical_url=page.canonical_url or "",
        byline=page.author or "",
        site_name=page.site_name or "",
        published_at=published_at,
        language=getattr(page, "language", "") or "",
        sanitized_html=page.sanitized_html or "",
    )


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str
    metadata: dict


def read_feed(feed_url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed, fetched with the same SSRF-safe fetcher."""
    import feedparser

    from ..importing.fetch import FetchRefused, PermanentFetchError, TransientFetchError, fetch

    try:
        result = fetch(feed_url)
    except (FetchRefused, PermanentFetchError) as exc:
        raise ImportProblem(f"The feed cannot be read: {exc}") from None
    except TransientFetchError as exc:
        raise TransientImportProblem(str(exc)) from None
    # feedparser parses the bytes we fetched; it never fetches anything itself here.
    parsed = feedparser.parse(result.body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise ImportProblem("This is not an RSS or Atom feed.")
    entries = []
    seen = set()
    for entry in parsed.entries:
        link = urljoin(result.final_url, (entry.get("link") or "").strip())
        if not link.startswith(("http://", "https://")) or link in seen:
            continue
        seen.add(link)
        entries.append(
            FeedEntry(
                link=link,
                title=(entry.get("title") or "").strip()[:500],
                metadata={
                    "published": entry.get("published", "") or entry.get("updated", ""),
                    "author": entry.get("author", ""),
                    "feed": feed_url,
                },
            )
        )
    return entries
