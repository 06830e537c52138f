"""The one contract every fact-sheet format follows (pretix's exporter pattern)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from django.utils.text import slugify

from ..services.factsheets import FactSheet


class Exporter(ABC):
    identifier: ClassVar[str]
    label: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]
    # Shown in the browser tab rather than saved (the HTML preview); everything else downloads.
    inline: ClassVar[bool] = False

    @abstractmethod
    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        """(filename, content type, bytes) of the fact sheet in this format."""

    def filename(self, data: FactSheet) -> str:
        version = f"-v{data.version}" if data.version else ""
        slug = slugify(data.title)[:60] or "article"
        return f"factsheet-{data.article_id}-{slug}{version}.{self.extension}"
