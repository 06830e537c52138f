"""Filters for templates/factsheets/sheet.html."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..exporters.claimreview import claimreview_document, json_for_script
from ..services.factsheets import FactSheet, SheetVerdict

register = template.Library()

TONES = 5


@register.filter
def verdict_tone(verdict: SheetVerdict | None, sheet: FactSheet) -> str:
    """A CSS class for the verdict's badge: `tone-1` (worst) .. `tone-5` (best), or `tone-none`.

    The CSP forbids style attributes, so a newsroom's own verdict colours cannot
    be inlined; the badge takes its colour from the verdict's place on the scale.
    """
    if verdict is None or verdict.rating_value is None or sheet.best_rating is None:
        return "tone-none"
    worst, best = sheet.worst_rating or 0, sheet.best_rating
    if best <= worst:
        return f"tone-{TONES}"
    share = (verdict.rating_value - worst) / (best - worst)
    return f"tone-{1 + round(min(max(share, 0), 1) * (TONES - 1))}"


@register.filter
def claimreview_json(sheet: FactSheet) -> SafeString:
    """The sheet's ClaimReview JSON-LD, escaped so that no text can close its <script> element."""
    return mark_safe(json_for_script(claimreview_document(sheet)))  # noqa: S308 (escaped above)
