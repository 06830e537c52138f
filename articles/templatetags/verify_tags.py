from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlighted(claim) -> SafeString:
    """The claim's text, escaped, with its highlight spans wrapped in <mark>.

    Highlight offsets index the article body; they apply only while the claim
    still holds the original span's text.
    """
    text = claim.text
    spans = sorted(claim.highlights or [], key=lambda h: (h["start"], -h["end"]))
    if not spans or claim.end - claim.start != len(text):
        return escape(text)
    out, cursor = [], 0
    for h in spans:
        start, end = h["start"] - claim.start, h["end"] - claim.start
        if start < cursor or start < 0 or end > len(text) or end <= start:
            continue  # overlapping or out of range: skip rather than garble the text
        out.append(escape(text[cursor:start]))
        out.append(
            format_html('<mark class="hl hl-{}" title="{}">{}</mark>', h["kind"], h["kind"], text[start:end])
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part is escaped above
