"""HTML to PDF with WeasyPrint, loading nothing but the project's own static files.

Sheets hold scraped text and URLs. The template escapes them, and this
module's URL fetcher is the second wall: whatever a page asks for, only files
the staticfiles finders know (the apps' `static/` folders) are served; the
network, `file://` and `data:` URLs are refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The template links its stylesheet under this origin for PDFs. It names no real host
# (.invalid is reserved, RFC 2606): the fetcher answers it from the static files.
PDF_STATIC_BASE = "https://static.verify.invalid/"
_STATIC_TYPES = {".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


class RefusedURL(ValueError):
    """WeasyPrint asked for something other than one of the project's static files."""


def static_file_for(url: str) -> str:
    """The path of the static file `url` names under PDF_STATIC_BASE; RefusedURL for any other URL."""
    if not url.startswith(PDF_STATIC_BASE):
        raise RefusedURL(f"Not a static file of this project: {url[:200]}")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise RefusedURL(f"Static file URLs carry no query or fragment: {url[:200]}")
    name = unquote(parts.path).lstrip("/")
    segments = PurePosixPath(name).parts
    if not segments or any(s in ("..", ".") for s in segments) or "\\" in name or "\x00" in name:
        raise RefusedURL(f"Not a static file name: {name[:200]}")
    if PurePosixPath(name).suffix.lower() not in _STATIC_TYPES:
        raise RefusedURL(f"Not a stylesheet, font or image: {name[:200]}")
    try:
        path = finders.find(name)
    except SuspiciousFileOperation as error:
        raise RefusedURL(str(error)) from error
    if not path:
        raise RefusedURL(f"No such static file: {name[:200]}")
    return str(path)


class StaticFilesOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher (v70: a URLFetcher whose `fetch` returns a response), static files only.

    A refusal raises; WeasyPrint logs it as a warning and renders without the resource.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_file_for(url)
        with open(path, "rb") as f:
            body = f.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def html_to_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """PDF bytes of an HTML document; relative URLs resolve under PDF_STATIC_BASE."""
    fetcher = url_fetcher or StaticFilesOnlyFetcher()
    # Fonts: WeasyPrint embeds a subset of each font it uses (HarfBuzz-subset when installed).
    return HTML(string=html, base_url=PDF_STATIC_BASE, url_fetcher=fetcher).write_pdf()
