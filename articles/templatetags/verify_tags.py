from __future__ import annotations

import itertools
import re

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlighted(claim) -> SafeString:
    """The claim's text, escaped, with its highlight spans wrapped in <mark>.

    Stored highlight offsets index the article body; an edited claim's
    highlights are found again in its new text.
    """
    text = claim.text
    if claim.edited_at is not None:
        # Stored spans index the original sentence; find them again in the edited text.
        from articles.extraction.highlights import highlights
        from articles.extraction.segment import Span

        base = 0
        spans = [
            {"kind": h.kind, "start": h.start, "end": h.end} for h in highlights(Span(0, len(text), text))
        ]
    else:
        base = claim.start
        spans = sorted(claim.highlights or [], key=lambda h: (h["start"], -h["end"]))
        if claim.end - claim.start != len(text):
            return escape(text)
    out, cursor = [], 0
    for h in spans:
        start, end = h["start"] - base, h["end"] - base
        if start < cursor or start < 0 or end > len(text) or end <= start:
            continue  # overlapping or out of range: skip rather than garble the text
        out.append(escape(text[cursor:start]))
        out.append(
            format_html('<mark class="hl hl-{}" title="{}">{}</mark>', h["kind"], h["kind"], text[start:end])
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part is escaped above


@register.filter
def comment_body(body: str) -> SafeString:
    """A comment's text, escaped, its @mentions in <span class="mention">, line breaks kept."""
    from articles.services.comments import MENTION, TRAILING

    out, cursor = [], 0
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(TRAILING)
        if not name:
            continue
        start, end = match.start(), match.start(1) + len(name)
        out.append(escape(body[cursor:start]))
        out.append(format_html('<span class="mention">@{}</span>', name))
        cursor = end
    out.append(escape(body[cursor:]))
    html = "".join(str(part) for part in out)
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308 - escaped above


_LINE = re.compile(r"[^\n]+")


@register.simple_tag
def article_text(body: str, claims) -> SafeString:
    """The body as paragraphs, each cut into segments at claim boundaries.

    Every segment is one element carrying `data-o`, its offset in the body, so
    the page script can turn a text selection into body offsets. A segment
    inside claims is a <mark> listing them in `data-claims`; the first segment
    of a claim has the id `text-<pk>` (the claim list links there), and a
    numbered link after its last segment leads back to the claim in the list.
    Segments never nest, so overlapping claims stay readable.
    """
    ordered = sorted(claims, key=lambda c: (c.start, -c.end, c.pk))
    numbers = {c.pk: i for i, c in enumerate(ordered, start=1)}
    cuts = sorted({c.start for c in ordered} | {c.end for c in ordered})
    out: list[str] = []
    active: list = []
    started: set[int] = set()
    pending = 0  # index of the next claim in `ordered` not yet active
    for line in _LINE.finditer(body):
        if not line.group().strip():
            continue
        out.append("<p>")
        inner = [p for p in cuts if line.start() < p < line.end()]
        points = [line.start(), *inner, line.end()]
        for a, b in itertools.pairwise(points):
            while pending < len(ordered) and ordered[pending].start <= a:
                active.append(ordered[pending])
                pending += 1
            active = [c for c in active if c.end > a]
            piece = escape(body[a:b])
            if not active:
                out.append(f'<span data-o="{a}">{piece}</span>')
                continue
            ids = " ".join(str(c.pk) for c in active)
            classes = " ".join(["span", *sorted({f"status-{c.status}" for c in active})])
            if len(active) > 1:
                classes += " overlap"
            for c in active:
                if c.pk not in started:  # an empty anchor where the claim starts: the list links here
                    started.add(c.pk)
                    out.append(f'<span class="anchor" id="text-{c.pk}"></span>')
            out.append(f'<mark class="{classes}" data-o="{a}" data-claims="{ids}">{piece}</mark>')
            for c in active:
                if c.end <= b or b == line.end() and c.end <= line.end() + 1:
                    out.append(
                        f'<a class="ref" href="#claim-{c.pk}" title="Claim {numbers[c.pk]} in the list">'
                        f"{numbers[c.pk]}</a>"
                    )
        out.append("</p>")
    return mark_safe("".join(out))  # noqa: S308 - body pieces are escaped, the rest is ours


@register.simple_tag
def claim_in_paragraph(claim) -> SafeString:
    """The paragraph of the article around the claim, escaped, the claim's own words marked."""
    body = claim.article.body
    start = body.rfind("\n", 0, claim.start) + 1
    end = body.find("\n", claim.end)
    end = len(body) if end < 0 else end
    return format_html(
        '<p class="context">{}<mark class="span active">{}</mark>{}</p>',
        body[start : claim.start],
        body[claim.start : claim.end],
        body[claim.end : end],
    )


@register.simple_tag
def reviewer_options(reviewers, exclude: int | None = None, mark_away: bool = False) -> SafeString:
    """<option>s for a reviewer <select>, built in Python: the article page has one such
    select per claim, and a template loop over the desk would render thousands of nodes.

    `exclude` leaves out one reviewer (the current one, when reassigning); `mark_away`
    adds "(away)" after those not available today (set by the view as `available_today`).
    """
    return format_html_join(
        "",
        '<option value="{}">{}{}</option>',
        (
            (r.pk, str(r), " (away)" if mark_away and not getattr(r, "available_today", True) else "")
            for r in reviewers
            if r.pk != exclude
        ),
    )


@register.filter(is_safe=True)
def clip(text: str, length: int) -> str:
    """`text` cut to at most `length` characters, ending in "…" when cut.

    Django's `truncatechars` does the same through `Truncator`, about 40 µs a call;
    the lists call it for every row.
    """
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
