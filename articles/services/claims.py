"""Claim workflows across models: extraction into the database."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from verify.accounts.models import User

from ..extraction import extract
from ..models import Article, Claim, NewsroomSettings


def store_extracted_claims(*, article: Article, by: User | None) -> list[Claim]:
    """Extract the article's claims and candidates and store them, recorded as `by`.

    Replaces claims nobody has worked on yet (new or candidate, never assigned),
    all in one transaction. The newsroom threshold decides claim or candidate.
    """
    extraction = extract(
        article.body, threshold=NewsroomSettings.load().claim_threshold, language=article.language
    )
    with transaction.atomic():
        article.claims.filter(
            status__in=[Claim.Status.NEW, Claim.Status.CANDIDATE], assignments__isnull=True
        ).delete()
        if article.extraction_notice != extraction.notice:
            Article.objects.filter(pk=article.pk).update(extraction_notice=extraction.notice)
            article.extraction_notice = extraction.notice
        claims = [
            Claim(
                article=article,
                text=d.text,
                start=d.start,
                end=d.end,
                position=i,
                score=None if d.score is None else min(1.0, max(0.0, d.score)),
                status=Claim.Status.NEW if d.is_claim else Claim.Status.CANDIDATE,
                claim_type=d.type,
                attribution=(d.attribution or "")[:300],
                attribution_start=d.attribution_start,
                attribution_end=d.attribution_end,
                via=(d.via or "")[:300],
                via_start=d.via_start,
                via_end=d.via_end,
                highlights=d.highlights,
                reject_reason=d.reject_reason[:32],
            )
            for i, d in enumerate(extraction.drafts)
        ]
        return bulk_create_with_history(claims, Claim, default_user=by, default_change_reason="extracted")
