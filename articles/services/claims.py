"""Claim workflows across models: extraction into the database."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from verify.accounts.models import User

from ..extraction import extract
from ..models import Article, Claim


def store_extracted_claims(*, article: Article, by: User | None) -> list[Claim]:
    """Split the article into claims and candidates and store them, recorded as `by`.

    Replaces claims nobody has touched yet (new or candidate, never assigned),
    all in one transaction.
    """
    drafts = extract(article.body)
    with transaction.atomic():
        article.claims.filter(
            status__in=[Claim.Status.NEW, Claim.Status.CANDIDATE], assignments__isnull=True
        ).delete()
        claims = [
            Claim(
                article=article,
                text=d.text,
                start=d.start,
                end=d.end,
                position=i,
                score=d.score,
                status=Claim.Status.NEW if d.is_claim else Claim.Status.CANDIDATE,
            )
            for i, d in enumerate(drafts)
        ]
        return bulk_create_with_history(claims, Claim, default_user=by, default_change_reason="extracted")
