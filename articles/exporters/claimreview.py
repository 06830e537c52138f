"""schema.org ClaimReview JSON-LD: the markup fact-check aggregators read.

One ClaimReview per approved claim (not-checkable claims carry no rating, so
no review). Google's and Meedan's readers take `@graph` documents as well as
single objects; one document keeps the embedded <script> block single.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..services.factsheets import FactSheet, SheetClaim
from .base import Exporter

SCHEMA_ORG = "https://schema.org"

# A heuristic, not a classifier: an attribution naming an institution is an Organization.
_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|ministries|office|agency|government|army|police|institute|centre|center|company"
    r"|news|department|council|commission|committee|authority|bank|university|party|union"
    r"|association|bureau|corporation|inc|ltd|plc)\b",
    re.IGNORECASE,
)


def attribution_author(attribution: str) -> dict[str, str]:
    kind = "Organization" if _ORGANISATION_WORDS.search(attribution) else "Person"
    return {"@type": kind, "name": attribution}


def claim_review(data: FactSheet, claim: SheetClaim) -> dict[str, Any]:
    """The ClaimReview of one approved claim."""
    verdict = claim.verdict
    if verdict is None:
        raise ValueError(f"Claim {claim.position} has no verdict: only approved claims are reviewed.")
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.name}
    # Verdicts outside the true-false scale (Unverifiable) have no place on it: name only.
    if verdict.rating_value is not None:
        rating["ratingValue"] = verdict.rating_value
        rating["bestRating"] = data.best_rating
        rating["worstRating"] = data.worst_rating
    if claim.summary:
        rating["ratingExplanation"] = claim.summary

    item: dict[str, Any] = {"@type": "Claim"}
    if claim.attribution:
        item["author"] = attribution_author(claim.attribution)
    if data.article_published_at:
        item["datePublished"] = data.article_published_at.date().isoformat()
    if data.source_url:
        appearance = {"@type": "CreativeWork", "url": data.source_url}
        if data.title:
            appearance["headline"] = data.title
        item["appearance"] = appearance

    author: dict[str, Any] = {"@type": "Organization", "name": data.newsroom}
    if data.newsroom_url:
        author["url"] = data.newsroom_url

    review: dict[str, Any] = {"@type": "ClaimReview"}
    # A draft has no public page to point at; its reviews carry no url rather than a wrong one.
    if data.public_url:
        review["url"] = f"{data.public_url}#claim-{claim.position}"
    review |= {
        "claimReviewed": claim.text,
        "datePublished": (data.published_at or data.generated_at).date().isoformat(),
        "author": author,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    return review


def claimreview_document(data: FactSheet) -> dict[str, Any]:
    """The sheet's ClaimReviews as one JSON-LD document."""
    reviews = [claim_review(data, c) for c in data.claims if c.status == "approved" and c.verdict]
    return {"@context": SCHEMA_ORG, "@graph": reviews}


# What could end a <script> element or open a comment in it: `</script>`, `<!--`.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_for_script(value: Any) -> str:
    """JSON safe inside <script type="application/ld+json">: no text can close the element."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


class ClaimReviewExporter(Exporter):
    identifier = "claimreview"
    label = "ClaimReview (JSON-LD)"
    extension = "jsonld"
    content_type = "application/ld+json"

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        body = json.dumps(claimreview_document(data), ensure_ascii=False, indent=2)
        return self.filename(data), self.content_type, body.encode("utf-8")
