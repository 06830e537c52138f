"""Read an uploaded article file into plain text, safely.

`read_document(data, filename=...)` recognises the format from the bytes (a name
alone never decides), reads it with bounded work and returns a `Document`; every
file it cannot read raises `UnreadableFile` with a sentence an editor can act on.

Formats and how they are recognised:
- pdf: the bytes start with ``%PDF-`` (after optional whitespace).
- docx: a zip holding ``word/document.xml`` and ``[Content_Types].xml``; any other
  zip is refused.
- html: after a BOM, whitespace, an XML declaration or comments, the text starts
  with ``<!doctype html``, ``<html``, ``<head`` or ``<body``; or the name ends in
  .html/.htm and the text starts with a tag.
- markdown: the name ends in .md/.markdown, or the text shows markdown syntax
  (headings, links, fences, lists, bold) in at least two places, one of them a
  heading, a link or a fence.
- text: anything else that decodes as text: a UTF-8/16/32 BOM, else strict UTF-8,
  else Windows-1252 when it reads naturally (Latin-1 files included), else
  charset-normalizer's guess; then it must look like text (no control
  characters, mostly letters and digits, more than a few distinct characters).

Limits: `max_bytes` on the upload, `max_chars` on the text, a page cap and a time
budget for PDFs, member count, size, ratio and compression checks on a .docx
before anything is decompressed, and a size above which markdown is not rendered.

The body is plain text with one paragraph per line and no blank lines, which is
what `articles.extraction.segment` expects: sentences never cross a line break,
so hard-wrapped lines of one paragraph are joined.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

log = logging.getLogger(__name__)

Format = Literal["pdf", "docx", "html", "markdown", "text"]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
# pypdf is pure Python: a crafted page can be slow, so the whole PDF gets a time budget.
PDF_SECONDS = 20.0
MAX_DOCX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_DOCX_MEMBERS = 1000
# Word XML compresses about 5-20x; a member far beyond that is a bomb, not a document.
MAX_DOCX_RATIO = 200
DOCX_RATIO_MIN_BYTES = 5 * 1024 * 1024
# markdown-it-py is linear but slow (about 6 s for 1,000,000 characters): longer
# markdown is read as plain text rather than rendered.
MAX_MARKDOWN_CHARS = 250_000
# Encoding detection looks at a prefix; the whole file is then decoded strictly.
DETECTION_SAMPLE_BYTES = 512 * 1024
MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class Document:
    format: Format
    title: str
    body: str
    raw_html: str | None = None
    author: str = ""
    published: datetime | None = None


class UnreadableFile(Exception):
    """The file cannot be imported; `message` says why, for an editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_document(
    data: bytes, *, filename: str = "", max_chars: int = 1_000_000, max_bytes: int = MAX_FILE_BYTES
) -> Document:
    """Read one uploaded file into a `Document`, or raise `UnreadableFile`.

    No other exception escapes: library errors are wrapped, and anything
    unexpected is logged and reported as an unreadable file, so one bad upload
    fails only its own item.
    """
    try:
        return _read(bytes(data), filename=filename, max_chars=max_chars, max_bytes=max_bytes)
    except UnreadableFile:
        raise
    except Exception as exc:  # the last line of defence: a bad file is never a server error
        log.exception("unexpected error reading uploaded file %r", filename)
        raise UnreadableFile("This file could not be read.") from exc


def _read(data: bytes, *, filename: str, max_chars: int, max_bytes: int) -> Document:
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    if len(data) > max_bytes:
        raise UnreadableFile(f"The file is {_mb(len(data))}; the limit is {_mb(max_bytes)}.")
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return _read_pdf(data, max_chars=max_chars)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_docx(data, max_chars=max_chars)
    for signature, what in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            raise UnreadableFile(f"This file is {what}.")
    if _sniff_html(head) or (_extension(filename) in {"html", "htm"} and _starts_with_tag(head)):
        return _read_html(data, max_chars=max_chars)
    text = _decode_text(data)
    if len(text) > max_chars:
        raise UnreadableFile(f"The text is {len(text):,} characters long; the limit is {max_chars:,}.")
    if not text.strip():
        raise UnreadableFile("The file contains no text.")
    _check_plausible(text)
    if len(text) <= MAX_MARKDOWN_CHARS and (
        _extension(filename) in {"md", "markdown"} or _looks_like_markdown(text)
    ):
        return _read_markdown(text, max_chars=max_chars)
    lines = _text_paragraphs(text)
    body = _body(lines, max_chars=max_chars)
    return Document(format="text", title=_title_from_body(body), body=body)


_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Word (.doc) or Office file: save it as .docx and upload again",
    ),
    (b"{\\rtf", "an RTF file: save it as .docx or plain text and upload again"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not an article"),
    (b"\xff\xd8\xff", "a JPEG image, not an article"),
    (b"GIF8", "a GIF image, not an article"),
    (b"\x1f\x8b", "a gzip archive, not an article"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not an article"),
    (b"Rar!\x1a\x07", "a RAR archive, not an article"),
)


def _mb(size: int) -> str:
    if size < 100 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# --- text decoding ---------------------------------------------------------------------------------

# Control characters that never occur in text; \t \n \r \f and \v (a Word line break) do.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _decode_text(data: bytes) -> str:
    """Bytes to str: a BOM, else strict UTF-8, else a detected encoding, else refuse."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableFile(
                    f"This file says it is {encoding.upper()} text but does not decode as such."
                ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    if encoding is None:
        raise UnreadableFile("This file is not text: it contains binary data.")
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile("This file is not text: it contains binary data.") from None


def _guess_encoding(data: bytes) -> str | None:
    """Windows-1252 when it reads the file naturally, else charset-normalizer's guess.

    The Western prior comes first because on newsroom-sized files the detector is
    unreliable among the single-byte Latin encodings: it reads short cp1252 and
    Latin-1 files as cp1250, cp1257 or even Japanese (turning £ into Ł). The
    detector still decides for Cyrillic, Greek, CJK and text that cp1252 turns
    into symbols inside words (Polish: "Rz¹d" for "Rząd").
    """
    from charset_normalizer import from_bytes

    sample = data[:DETECTION_SAMPLE_BYTES]
    if len(data) > DETECTION_SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # do not cut a multi-byte character
    if _reads_as_western(sample):
        # Also for files labelled Latin-1, as browsers do: there bytes 0x80-0x9f are
        # Windows-1252 punctuation (curly quotes, dashes), never C1 control characters.
        return "cp1252"
    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    close = [match for match in matches if match.chaos <= best.chaos + 0.02]
    return next((match.encoding for match in close if _natural(str(match))), best.encoding)


# In Western text a non-ASCII symbol never sits between two letters; Polish read as
# Windows-1252 is full of them ("Rz¹d og³osi³" for "Rząd ogłosił").
_SYMBOL_CATEGORIES = frozenset({"No", "Po", "Sc", "Sk", "Sm", "So"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _reads_as_western(sample: bytes) -> bool:
    """Whether Windows-1252 reads the sample naturally; Cyrillic, Greek and CJK
    text is mostly high bytes, so a Western file is mostly ASCII."""
    high = len(sample) - len(sample.decode("ascii", errors="ignore"))
    if high == 0 or high * 5 > len(sample) * 2:
        return False
    try:
        return _natural(sample.decode("cp1252"))
    except UnicodeDecodeError:
        return False


def _natural(text: str) -> bool:
    """No control characters, and no non-ASCII symbol between two letters."""
    if _BINARY.search(text):
        return False
    for found in _NON_ASCII.finditer(text, 1, max(len(text) - 1, 1)):
        index = found.start()
        if (
            unicodedata.category(found.group()) in _SYMBOL_CATEGORIES
            and text[index - 1].isalpha()
            and text[index + 1].isalpha()
        ):
            return False
    return True


def _check_plausible(text: str) -> None:
    """Refuse decoded "text" that is really binary data or byte soup."""
    if _BINARY.search(text.rstrip("\x1a")):  # a trailing Ctrl-Z ends some DOS files
        raise UnreadableFile("This file is not text: it contains binary data.")
    visible = [c for c in text[:200_000] if not c.isspace()]
    if len(visible) < 32:
        return
    wordlike = sum(1 for c in visible if unicodedata.category(c)[0] in "LNM")
    if wordlike / len(visible) < 0.5:
        raise UnreadableFile("This file is not text: it is mostly symbols, not words.")
    # Byte soup can decode "cleanly" in some legacy encoding as one or two characters
    # over and over (overlong UTF-8 as Korean, say); any real text uses more.
    if len(visible) >= 100 and len(set(visible)) < 10:
        raise UnreadableFile("This file is not text: it repeats the same few characters.")
    if "\ufffd" in text and text.count("\ufffd") > len(visible) // 100:
        raise UnreadableFile("This file is not text: too many characters cannot be decoded.")


# --- paragraphs --------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_LIST_ITEM = re.compile(r"^(?:[-*+•–—]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s)")
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "'", "”", "’", ")", "]", "»")


def _clean(line: str) -> str:
    return _WS.sub(" ", line).strip()


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text file, hard-wrapped lines joined.

    With blank lines between paragraphs, every line of a block is joined except
    list items; without blank lines, lines are joined only where a sentence
    visibly runs on (see `_unwrap`).
    """
    raw_lines = [_clean(line) for line in text.splitlines()]
    while raw_lines and not raw_lines[-1]:
        raw_lines.pop()
    first = next((i for i, line in enumerate(raw_lines) if line), len(raw_lines))
    raw_lines = raw_lines[first:]
    if all(raw_lines):
        return _unwrap(raw_lines)
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*raw_lines, ""]:
        if line and block and not _LIST_ITEM.match(line):
            block.append(line)
        elif line:
            if block:
                paragraphs.append(" ".join(block))
            block = [line]
        elif block:
            paragraphs.append(" ".join(block))
            block = []
    return paragraphs


def _unwrap(lines: Iterable[str]) -> list[str]:
    """Join a line to the one before when the sentence runs on: the previous line
    ends without closing punctuation and this one starts in lower case (or the
    previous ends with a comma or hyphen). Headlines and list items stay alone."""
    out: list[str] = []
    for line in lines:
        if out and not _LIST_ITEM.match(line):
            prev = out[-1]
            if prev.endswith("-") and line[:1].islower():
                out[-1] = prev + line
                continue
            if prev.endswith(",") or (not prev.endswith(_SENTENCE_END) and line[:1].islower()):
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return out


def _body(paragraphs: Iterable[str], *, max_chars: int) -> str:
    body = "\n".join(p for p in (_clean(p) for p in paragraphs) if p)
    if not body:
        raise UnreadableFile("The file contains no text.")
    if len(body) > max_chars:
        raise UnreadableFile(f"The text is {len(body):,} characters long; the limit is {max_chars:,}.")
    return body


def _short(title: str) -> str:
    title = _clean(title)
    if len(title) <= MAX_TITLE_CHARS:
        return title
    return title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _title_from_body(body: str) -> str:
    first = body.split("\n", 1)[0]
    return first if len(first) <= MAX_TITLE_CHARS else ""


# --- markdown ---------------------------------------------------------------------------------------

# Quantifiers are bounded: an unbounded one rescans a long line from every start
# position, which is quadratic on a one-line file.
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[[^\]\n]{1,300}\]\([^)\s]{1,1000}[^)\n]{0,300}\)")
_MD_FENCE = re.compile(r"^(?:```|~~~)", re.MULTILINE)
_MD_LIST = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,3}\.)[ \t]+\S", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)\S[^\n]{0,200}?\S\1")


def _looks_like_markdown(text: str) -> bool:
    sample = text[:50_000]
    strong = sum(len(p.findall(sample)) for p in (_MD_HEADING, _MD_LINK, _MD_FENCE))
    weak = sum(len(p.findall(sample)) for p in (_MD_LIST, _MD_BOLD))
    return strong >= 1 and strong + weak >= 2


def _read_markdown(text: str, *, max_chars: int) -> Document:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    paragraphs: list[str] = []
    headings: list[tuple[int, str]] = []
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            paragraphs.append(" | ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            lines = [_clean(part) for part in _markdown_inline(token.children or []).split("\n")]
            line = " ".join(part for part in lines if part)
            if row is not None:
                row.append(line)
                continue
            paragraphs.extend(lines)
            if index and tokens[index - 1].type == "heading_open":
                headings.append((int(tokens[index - 1].tag[1]), line))
        elif token.type in {"fence", "code_block"}:
            paragraphs.extend(token.content.splitlines())
        elif token.type == "html_block":
            paragraphs.extend(_html_lines(token.content))
    body = _body(paragraphs, max_chars=max_chars)
    title = ""
    if headings:
        title = min(headings, key=lambda h: h[0])[1]  # the first of the top-level headings
    return Document(format="markdown", title=_short(title) or _title_from_body(body), body=body)


def _markdown_inline(children: list) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(_markdown_inline(child.children or []))
        # link_open/close, em, strong and inline HTML are markup: only their text is kept
    return "".join(parts)


# --- HTML -------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"<meta[^>]{1,512}charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
_SKIPPED_TAGS = frozenset(
    [
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "select",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


def _html_prefix(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _sniff_html(head: bytes) -> bool:
    return bool(_HTML_START.match(_html_prefix(head)))


def _starts_with_tag(head: bytes) -> bool:
    return bool(re.match(r"\s*<[!a-zA-Z]", _html_prefix(head)))


def _decode_html(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_text(data)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            encoding = None
        if encoding in {"latin-1", "iso8859-1", "ascii"}:
            encoding = "cp1252"  # the WHATWG encoding standard: these labels mean windows-1252
        # A page declared UTF-8 that is not (a cp1252 page with a copied template, say)
        # is detected like a text file rather than filled with replacement characters.
        if encoding is not None and not encoding.startswith(("utf-8", "utf-16")):
            return data.decode(encoding, errors="replace")
    return _decode_text(data)


def _read_html(data: bytes, *, max_chars: int) -> Document:
    import lxml.html
    from lxml import etree

    html = _decode_html(data)
    _check_html_binary(html)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise UnreadableFile("This HTML page is empty or cannot be parsed.") from None
    body = _body(_html_lines_from(root), max_chars=max_chars)
    metas = {
        (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower(): meta.get(
            "content", ""
        )
        for meta in root.iter("meta")
    }
    title = metas.get("og:title") or root.findtext(".//title") or _first_text(root, "h1")
    return Document(
        format="html",
        title=_short(title or "") or _title_from_body(body),
        body=body,
        raw_html=html,
        author=_short(metas.get("author") or metas.get("article:author") or ""),
        published=_parse_datetime(
            metas.get("article:published_time") or metas.get("datepublished") or metas.get("date") or ""
        ),
    )


def _check_html_binary(html: str) -> None:
    if "\x00" in html or len(_BINARY.findall(html[:100_000])) > 10:
        raise UnreadableFile("This file is not text: it contains binary data.")


def _first_text(root, tag: str) -> str:
    for element in root.iter(tag):
        return element.text_content()
    return ""


def _parse_datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _html_lines(fragment: str) -> list[str]:
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(fragment)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    return list(_html_lines_from(root))


def _html_lines_from(root) -> Iterator[str]:
    """Visible text, a line per block element; an explicit stack, so deep nesting cannot recurse."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None  # comments have a function as tag
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
            continue
        if tag is None or tag in _SKIPPED_TAGS:
            if element.tail:
                parts.append(element.tail)
            continue
        if tag == "br" or tag in _BLOCK_TAGS:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    for line in "".join(parts).split("\n"):
        if cleaned := _clean(line):
            yield cleaned


# --- PDF --------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, *, max_chars: int) -> Document:
    from pypdf import PdfReader

    # A complete PDF ends with %%EOF; pypdf would otherwise guess at a truncated one.
    if b"%%EOF" not in data[-1024:]:
        raise UnreadableFile("This PDF is damaged or incomplete (truncated?).")
    deadline = time.monotonic() + PDF_SECONDS
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        page_count = len(reader.pages)
        if page_count > MAX_PDF_PAGES:
            raise UnreadableFile(f"This PDF has {page_count:,} pages; the limit is {MAX_PDF_PAGES}.")
        lines: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > max_chars:
                raise UnreadableFile(
                    f"The text is more than {max_chars:,} characters long; the limit is {max_chars:,}."
                )
            if time.monotonic() > deadline:
                raise UnreadableFile("This PDF takes too long to read; it may be damaged.")
            lines.extend(cleaned for line in text.splitlines() if (cleaned := _clean(line)))
        metadata = reader.metadata or {}
        title = str(metadata.get("/Title") or "")
        author = str(metadata.get("/Author") or "")
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, ValueError, ...)
        log.info("unreadable PDF: %r", exc)
        raise UnreadableFile("This PDF is damaged or incomplete (truncated?).") from None
    if not lines:
        raise UnreadableFile("This PDF has no text to import (is it a scan?).")
    body = _body(_unwrap(lines), max_chars=max_chars)
    return Document(
        format="pdf", title=_short(title) or _title_from_body(body), body=body, author=_short(author)
    )


def _decrypt(reader) -> None:
    """Open a PDF encrypted with an empty user password (common: "no copying" PDFs)."""
    try:
        opened = reader.decrypt("")
    except Exception:  # AES needs the optional cryptography package; treat it as protected
        opened = False
    if not opened:
        raise UnreadableFile("This PDF is password-protected or encrypted; upload an unprotected copy.")


# --- DOCX -------------------------------------------------------------------------------------------


def _read_docx(data: bytes, *, max_chars: int) -> Document:
    import docx
    from docx.table import Table

    unpacked = _unpack_docx(data)
    try:
        document = docx.Document(io.BytesIO(unpacked))
        paragraphs: list[str] = []
        headings: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(_docx_rows(block))
                continue
            text = block.text
            style = block.style.name if block.style is not None else ""
            if text.strip() and (style == "Title" or style.startswith("Heading")):
                headings.append(text)
            paragraphs.extend(text.split("\n"))
        properties = document.core_properties
        title, author = properties.title or "", properties.author or ""
    except Exception as exc:  # python-docx and lxml errors all mean a broken document
        log.info("unreadable docx: %r", exc)
        raise UnreadableFile("This .docx file is damaged or cannot be read.") from None
    body = _body(paragraphs, max_chars=max_chars)
    if author == "python-docx":  # the placeholder in python-docx's own template, not a person
        author = ""
    return Document(
        format="docx",
        title=_short(title) or _short(headings[0] if headings else "") or _title_from_body(body),
        body=body,
        author=_short(author),
    )


def _unpack_docx(data: bytes) -> bytes:
    """Check the zip from its directory, then copy it uncompressed with bounded reads.

    `ZipFile.read()` inflates a whole member in one call, however small its
    declared size, so python-docx must never open the upload itself: it gets
    this copy, where each member was read in chunks (zipfile stops a chunked
    read at the declared size and checks the CRC), so the declared sizes,
    already capped, bound both time and memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            names = {member.filename for member in members}
            if not {"word/document.xml", "[Content_Types].xml"} <= names:
                raise UnreadableFile("This is a zip file that is not a Word document.")
            _check_zip_bomb(members)
            copy = io.BytesIO()
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
                for member in members:
                    with archive.open(member) as source, target.open(member.filename, "w") as sink:
                        while chunk := source.read(64 * 1024):
                            sink.write(chunk)
    except UnreadableFile:
        raise
    except Exception as exc:  # zipfile raises BadZipFile, zlib.error, EOFError, RuntimeError...
        log.info("unreadable zip: %r", exc)
        raise UnreadableFile("This zip or .docx file is damaged or incomplete.") from None
    return copy.getvalue()


def _check_zip_bomb(members: list[zipfile.ZipInfo]) -> None:
    """Refuse from the central directory, before anything is decompressed."""
    if len(members) > MAX_DOCX_MEMBERS:
        raise UnreadableFile(
            f"This .docx holds {len(members):,} files (the limit is {MAX_DOCX_MEMBERS:,}): "
            "refused as a possible zip bomb."
        )
    total = sum(member.file_size for member in members)
    if total > MAX_DOCX_EXPANDED_BYTES:
        raise UnreadableFile(
            f"This .docx expands to more than {MAX_DOCX_EXPANDED_BYTES // (1024 * 1024)} MB: "
            "refused as a possible zip bomb."
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > DOCX_RATIO_MIN_BYTES and ratio > MAX_DOCX_RATIO:
            raise UnreadableFile(
                f"A part of this .docx expands {ratio:,} times: refused as a possible zip bomb."
            )
        # zipfile inflates deflate in bounded steps but bzip2 and LZMA a whole chunk at
        # once (kilobytes of bzip2 can be gigabytes), and Word writes only these two.
        if member.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
            raise UnreadableFile(
                "This .docx uses a compression method Word never writes: refused as a possible zip bomb."
            )


def _docx_rows(table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = _clean(cell.text)
            if text and (not cells or cells[-1] != text):  # a merged cell repeats across its span
                cells.append(text)
        if cells:
            yield " | ".join(cells)
