"""Article body and metadata from a news page's HTML.

`extract_article(html, url=...)` takes the bytes (or text) another part of the
import fetched and returns an `ExtractedArticle`: metadata, the body as plain
text and a sanitised HTML copy for display. Fetching is not done here.

The body is the article text as published, without markup:
- every block (paragraph, heading, list item, quotation paragraph, table row)
  is one paragraph, and paragraphs are separated by one blank line ("\\n\\n");
- inside a paragraph runs of whitespace become one space; a <br> becomes a
  single newline. So every non-blank line is a piece of article text, which is
  what the claim segmenter (`articles.extraction.segment`) expects.

Page furniture (navigation, cookie and consent text, share prompts, newsletter
boxes, related and most-read lists, photo credits, footers) is removed in two
steps: trafilatura's own boilerplate removal, then our block filter below for
the furniture lines it lets through. Lines such as "Read more: ..." inside the
article are kept on purpose: leaving them out of claims is claim extraction's
job, not this module's.

The choice of trafilatura options is measured by
`python -m articles.importing.evaluate_body` on ../shared/data/news_html.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import urljoin, urlsplit

import nh3
import trafilatura
from charset_normalizer import from_bytes
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.settings import Document, set_date_params

__all__ = ["ExtractedArticle", "ExtractionError", "extract_article"]


class ExtractionError(ValueError):
    """No article body could be found in the page (the message says why)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExtractedArticle:
    """What a news page yields. Missing metadata is "" (or None for `published`)."""

    title: str
    author: str
    published: date | None
    site_name: str
    canonical_url: str
    body: str
    sanitized_html: str
    language: str  # primary language subtag from the page's own declaration ("en"), or ""


# --- decoding --------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_html(data: bytes, *, declared: str | None = None) -> str:
    """Bytes to text: a BOM, then valid UTF-8, then the declared charset, then a guess.

    Valid UTF-8 wins over a declared single-byte charset: pages that declare
    ISO-8859-1 but are written in UTF-8 are common, and non-ASCII text that
    happens to be valid UTF-8 by accident is not.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    found = _META_CHARSET.search(data[:4096])
    if found:
        candidates.append(found.group(1).decode("ascii"))
    guess = from_bytes(data[:20000]).best()
    if guess is not None:
        candidates.append(guess.encoding)
    for encoding in candidates:
        try:
            # HTML's rule: a declared Latin-1 means Windows-1252.
            if codecs.lookup(encoding).name in ("latin-1", "iso8859-1", "ascii"):
                encoding = "cp1252"
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


# --- trafilatura -----------------------------------------------------------------

# favor_precision drops more boilerplate; when it keeps far less than the balanced
# run it has usually thrown the article away with the furniture (teaser pages,
# unusual markup), and the balanced result is used instead.
FALLBACK_RATIO = 0.5
# Measured on news_html (macro F1, see evaluate_body): reader comments are never
# article text; tables carry article data (F1 0.9665 without them); deduplicate
# drops repeated article lines too (F1 0.9601); links and formatting do not move
# the text scores and feed the display copy. Always-precision scored 0.9613,
# ratio 0.7 0.9646, 0.3 and 0.5 0.9684 (before the headline was dropped).
_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_formatting": True,  # kept for the display copy; the text drops it
    "include_links": True,
    "deduplicate": False,
    "with_metadata": True,
}

# Fewer words than this is a menu or an error page, not an article; the shortest
# news briefs run to several sentences.
MIN_BODY_WORDS = 20
_HTML_START = re.compile(r"<\s*(!doctype\s+html|html|head|body|article|main|div|p|section)\b", re.IGNORECASE)


def _parse(text: str) -> HtmlElement:
    # A fresh tree for every run: trafilatura prunes the tree it is given.
    return document_fromstring(text, parser=HTMLParser(remove_comments=True, remove_pis=True))


def _run(text: str, *, url: str | None, favor_precision: bool) -> Document | None:
    try:
        return trafilatura.bare_extraction(
            _parse(text),
            url=url,
            favor_precision=favor_precision,
            # Dates from the page's markup only: the extensive search guesses a
            # date from any year in the text, and a wrong date misleads more than none.
            date_extraction_params=set_date_params(extensive=False),
            **_OPTIONS,
        )
    except (etree.ParserError, ValueError):
        return None


def _word_count(element: etree._Element | None) -> int:
    if element is None:
        return 0
    return len(" ".join(element.itertext()).split())


# --- furniture filter ------------------------------------------------------------

_SOCIAL = r"(facebook|twitter|x|instagram|linkedin|youtube|tiktok|whatsapp|threads|bluesky|flipboard)"
_FURNITURE = re.compile(
    "|".join(
        [
            # share prompts
            r"^(share|share this( article| story| page| post)?|tweet( this)?|email( this)?( article| story)?"
            r"|print( this)?( article| story| page)?|copy (the )?link)\s*[:!]?$",
            rf"^share (this( article| story| page| post)? )?(on|via|to|with) ({_SOCIAL}|email|friends)\b",
            # newsletter boxes and subscription prompts
            r"^(sign up|subscribe)\b",
            r"\b(sign up|subscribe)\b.{0,80}\b(newsletter|inbox|email)",
            r"\bnewsletters?\b.{0,80}\b(sign up|subscribe|inbox|delivered)",
            r"\b(get|have) .{0,60}\b(delivered )?(right )?(to|in) your inbox\b",
            rf"^follow (us|[\w@ .'’-]{{1,60}}) on {_SOCIAL}\b",
            # cookie and consent banners
            r"\b(we|this (web)?site|our (web)?site) uses? cookies\b",
            r"\bcookies?\b.{0,120}\b(consent|accept|privacy (policy|settings)|cookie (policy|settings))\b",
            r"^(accept|reject|manage) (all )?(cookies|preferences|settings)\b",
            # photo credits and captions' credit lines
            r"^(photo|image|picture|photograph|illustration|video)( credit)?s?\s*(:|\||by\b)",
            r"^(credit|source|photo credit)\s*:",
            r"^\(?(photo|image)s?:\s.{0,80}\)?$",
            r"^[^.]{0,80}(/|\|)\s*(getty images|shutterstock|reuters|ap photo|afp|alamy|epa|istock)\)?$",
            r"^(getty images|shutterstock|ap photo|afp via getty images)\b[^.]{0,60}$",
            # footers, advertising, comment and tag boxes
            r"^(©|\(c\)|copyright\b)",
            r"\ball rights reserved\b",
            r"^this (copy|article) is for your personal,? non-commercial use",
            r"^(advertisement|advertising|sponsored( content)?|story continues below( advertisement)?|ad)$",
            r"^(\d+\s+)?comments?$",
            r"^(tags?|filed under|topics|categories)\s*:",
            r"^(skip to (main )?content|back to top|menu|home|search)$",
        ]
    ),
    re.IGNORECASE,
)
# Headings that introduce a list of other stories: the heading and the list after it go.
_LIST_HEADING = re.compile(
    r"^(related( (posts?|stories|articles|content|coverage|links|reading))?|most (read|popular|viewed|shared)"
    r"|(you )?(may|might) also (like|be interested in)|recommended( for you)?|more (stories|from|news)\b.*"
    r"|trending( now)?|popular( now)?|read next|top stories|latest news|also in)\s*:?$",
    re.IGNORECASE,
)
MAX_FURNITURE_WORDS = 40


def _block_text(element: etree._Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _is_furniture(text: str) -> bool:
    return bool(text) and len(text.split()) <= MAX_FURNITURE_WORDS and _FURNITURE.search(text) is not None


def _drop_furniture(body: etree._Element) -> None:
    """Remove furniture blocks from trafilatura's body tree, in place."""
    blocks = list(body)
    drop_next_list = False
    for block in blocks:
        text = _block_text(block)
        if drop_next_list and block.tag == "list":
            body.remove(block)
            drop_next_list = False
            continue
        drop_next_list = False
        if block.tag == "head" and _LIST_HEADING.match(text):
            body.remove(block)
            drop_next_list = True
        elif not text or _is_furniture(text):
            body.remove(block)
        elif block.tag == "list":
            for item in list(block):
                if _is_furniture(_block_text(item)):
                    block.remove(item)
            if not _block_text(block):
                body.remove(block)


def _drop_headline(body: etree._Element, title: str) -> None:
    """The headline is `title`, not body text: drop it when the body opens with it."""
    first = body[0] if len(body) else None
    if (
        first is not None
        and first.tag == "head"
        and title
        and _block_text(first).casefold() == title.casefold()
    ):
        body.remove(first)


# --- rendering ---------------------------------------------------------------------


def _inline_text(element: etree._Element) -> str:
    """Text of a block with whitespace collapsed, <lb> kept as a single newline."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _paragraphs(element: etree._Element) -> list[str]:
    """Plain-text paragraphs of one block of the body tree."""
    if element.tag in ("list", "quote", "div", "table"):
        out: list[str] = []
        if element.text and element.text.strip():
            out.append(" ".join(element.text.split()))
        for child in element:
            out.extend(_paragraphs(child))
            if child.tail and child.tail.strip():
                out.append(" ".join(child.tail.split()))
        return out
    if element.tag == "row":
        cells = [_inline_text(cell) for cell in element]
        return [" | ".join(cell for cell in cells if cell)] if any(cells) else []
    text = _inline_text(element)
    return [text] if text else []


def body_text(body: etree._Element) -> str:
    paragraphs: list[str] = []
    for block in body:
        paragraphs.extend(_paragraphs(block))
    return "\n\n".join(p for p in paragraphs if p)


_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_INLINE = {"#b": "strong", "#i": "em", "#t": "strong"}
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "em", "strong", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}
LINK_REL = "noopener noreferrer nofollow"


def _safe_href(target: str | None, base: str | None) -> str | None:
    if not target:
        return None
    href = urljoin(base, target.strip()) if base else target.strip()
    return href if urlsplit(href).scheme in URL_SCHEMES else None


def _html_inline(node: etree._Element, base: str | None) -> str:
    out = [escape(node.text or "")]
    for child in node:
        inner = _html_inline(child, base)
        if child.tag == "lb":
            out.append(" ")
        elif child.tag == "hi" and child.get("rend") in _INLINE:
            tag = _INLINE[child.get("rend")]
            out.append(f"<{tag}>{inner}</{tag}>")
        elif child.tag == "ref" and (href := _safe_href(child.get("target"), base)):
            out.append(f'<a href="{escape(href)}">{inner}</a>')
        else:
            out.append(inner)
        out.append(escape(child.tail or ""))
    return "".join(out)


def _html_block(element: etree._Element, base: str | None) -> str:
    tag = element.tag
    if tag == "head":
        level = _HEADINGS.get(element.get("rend", ""), "h3")
        return f"<{level}>{_html_inline(element, base)}</{level}>"
    if tag == "list":
        kind = "ol" if element.get("rend") == "ol" else "ul"
        items = "".join(f"<li>{_html_inline(item, base)}</li>" for item in element if item.tag == "item")
        return f"<{kind}>{items}</{kind}>" if items else ""
    if tag == "quote":
        if len(element) and all(child.tag in ("p", "head", "list") for child in element):
            inner = "".join(_html_block(child, base) for child in element)
        else:
            inner = f"<p>{_html_inline(element, base)}</p>"
        return f"<blockquote>{inner}</blockquote>"
    if tag in ("div", "table"):
        return "".join(_html_block(child, base) for child in element)
    if tag == "row":
        # Tables are not in the display allow-list: a row reads as one paragraph.
        text = " | ".join(t for cell in element if (t := _inline_text(cell)))
        return f"<p>{escape(text)}</p>" if text else ""
    return f"<p>{_html_inline(element, base)}</p>"


def sanitize(html: str) -> str:
    """nh3 with the display allow-list: the last word on what reaches a template."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def body_html(body: etree._Element, *, base: str | None) -> str:
    return sanitize("\n".join(block for element in body if (block := _html_block(element, base))))


# --- metadata ----------------------------------------------------------------------


def _language(tree: HtmlElement) -> str:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("http-equiv") or meta.get("name") or "").lower()
        if key in ("og:locale", "content-language", "language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        primary = re.split(r"[-_,; ]", (value or "").strip())[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", primary):
            return primary
    return ""


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _title(title: str | None, site_name: str | None) -> str:
    title = " ".join((title or "").split())
    if site_name:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            suffix = f"{sep}{site_name}"
            if title.lower().endswith(suffix.lower()) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
    return title


# --- entry point -------------------------------------------------------------------


def extract_article(
    html: str | bytes, *, url: str | None = None, encoding: str | None = None
) -> ExtractedArticle:
    """Extract the article from a page's HTML.

    `url` is where the page was fetched from: the fallback canonical URL and the
    base for relative links. `encoding` is the charset from the HTTP
    Content-Type header, when the fetcher has one. Raises `ExtractionError`
    when the input is empty, not HTML, or has no article body.
    """
    if isinstance(html, bytes):
        html = decode_html(html, declared=encoding)
    if not html.strip():
        raise ExtractionError("The page is empty.")
    # A page starts with markup (a doctype, a comment, a tag); JSON, PDF or plain
    # text that merely mentions a tag further on is not a page.
    if not html.lstrip("\ufeff \t\r\n").startswith("<") or not _HTML_START.search(html[:100_000]):
        raise ExtractionError("The page is not HTML.")

    precise = _run(html, url=url, favor_precision=True)
    balanced = _run(html, url=url, favor_precision=False)
    chosen = precise
    if _word_count(precise.body if precise else None) < FALLBACK_RATIO * _word_count(
        balanced.body if balanced else None
    ):
        chosen = balanced
    if chosen is None or chosen.body is None:
        raise ExtractionError("No article body was found in the page.")

    site_name = " ".join((chosen.sitename or "").split())
    title = _title(chosen.title, site_name)
    _drop_furniture(chosen.body)
    _drop_headline(chosen.body, title)
    body = body_text(chosen.body)
    if len(body.split()) < MIN_BODY_WORDS:
        raise ExtractionError(
            f"No article body was found in the page (under {MIN_BODY_WORDS} words of text outside page furniture)."
        )

    canonical = chosen.url or url or ""
    return ExtractedArticle(
        title=title,
        author=" ".join((chosen.author or "").split()),
        published=_published(chosen.date),
        site_name=site_name,
        canonical_url=canonical,
        body=body,
        sanitized_html=body_html(chosen.body, base=url or canonical),
        language=_language(_parse(html)),
    )
