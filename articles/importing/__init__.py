"""Article import from web pages: body and metadata extraction from HTML."""

from .html import ExtractedArticle, ExtractionError, extract_article

__all__ = ["ExtractedArticle", "ExtractionError", "extract_article"]
