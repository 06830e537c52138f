"""Claim workflows across models: extraction into the database, and re-extraction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from verify.accounts.models import User

from ..extraction import ClaimDraft, extract
from ..models import Article, Claim, NewsroomSettings
from ..models.claim import lock_article, recount_article


@dataclass(frozen=True)
class ExtractionResult:
    kept: int  # claims a person worked on, left exactly as they were
    replaced: int  # untouched claims and candidates of the previous run, deleted
    added: int  # drafts of this run stored as claims or candidates

    def summary(self) -> str:
        return f"kept {self.kept} claims people worked on, replaced {self.replaced}, stored {self.added}"


def touched_claims() -> Q:
    """Claims re-extraction must keep: any a person touched, or that has moved past `new`."""
    return (
        Q(curated=True)
        | ~Q(status__in=[Claim.Status.NEW, Claim.Status.CANDIDATE])
        | Q(assignments__isnull=False)
    )


def store_extracted_claims(*, article: Article, by: User | None) -> ExtractionResult:
    """Extract the article's claims and candidates and store them, recorded as `by`.

    Claims a person touched (edited, split, merged, added, promoted, discarded,
    assigned, reviewed) stay exactly as they are; the rest of the previous run
    is replaced. A new draft that overlaps a kept claim's span is not stored,
    so nothing is duplicated (an editor-added claim only hides a draft of the
    very same span: added claims may overlap sentences). One transaction,
    recorded in the history of every claim and of the article.
    """
    extraction = extract(
        article.body, threshold=NewsroomSettings.load().claim_threshold, language=article.language
    )
    with transaction.atomic():
        # Two re-extractions of one article queue up instead of interleaving.
        lock_article(article.pk)
        kept = list(article.claims.filter(touched_claims()).distinct())
        kept_ids = {c.pk for c in kept}
        replaced = [c for c in article.claims.all() if c.pk not in kept_ids]
        for claim in replaced:
            claim._history_user = by
            claim._change_reason = "replaced by re-extraction"
            claim.delete()
        if not kept and article.supersedes_id is not None:
            kept = _carry_over(article, by)
        drafts = [d for d in extraction.drafts if not _covered(d, kept)]
        claims = [_claim_from_draft(article, d) for d in drafts]
        bulk_create_with_history(claims, Claim, default_user=by, default_change_reason="extracted")
        recount_article(article.pk)
        result = ExtractionResult(kept=len(kept), replaced=len(replaced), added=len(claims))
        article.extraction_notice = extraction.notice
        article.extracted_at = timezone.now()
        article._history_user = by
        article._change_reason = f"claims extracted: {result.summary()}"
        article.save(update_fields=["extraction_notice", "extracted_at"])
        return result


# Curation carried to a newer version of an article: the work done before anyone was assigned.
CARRIED_STATUSES = (Claim.Status.CANDIDATE, Claim.Status.NEW, Claim.Status.DISCARDED)


def _carry_over(article: Article, by: User | None) -> list[Claim]:
    """Copy the earlier version's curated, unassigned claims whose sentence is still in the new body.

    Each lands on the occurrence of its original words nearest to where it was;
    its edited text, status and origin come along, score, type and attribution
    are computed again in the new text. Claims that were assigned or reviewed
    stay on the earlier version with their reviews.
    """
    from ..extraction.describe import describe_span

    old = article.supersedes
    carried = []
    for claim in old.claims.filter(curated=True, status__in=CARRIED_STATUSES, assignments__isnull=True):
        words = old.body[claim.start : claim.end]
        found = _occurrences(article.body, words)
        if not found:
            continue
        start = min(found, key=lambda at: abs(at - claim.start))
        draft = describe_span(article.body, start, start + len(words))
        copy = _claim_from_draft(
            article,
            draft,
            text=claim.text,
            status=claim.status,
            status_reason=claim.status_reason,
            reject_reason=claim.reject_reason,
            origin=claim.origin,
            curated=True,
            edited_at=claim.edited_at,
        )
        copy._history_user = by
        copy._change_reason = f"carried over from claim {claim.pk} of the earlier version"
        copy.save()
        carried.append(copy)
    return carried


def _occurrences(body: str, words: str) -> list[int]:
    found, at = [], body.find(words)
    while at >= 0:
        found.append(at)
        at = body.find(words, at + 1)
    return found


def _covered(draft: ClaimDraft, kept: list[Claim]) -> bool:
    for claim in kept:
        if claim.origin == Claim.Origin.ADDED:
            if (claim.start, claim.end) == (draft.start, draft.end):
                return True
        elif claim.start < draft.end and draft.start < claim.end:
            return True
    return False


def _claim_from_draft(article: Article, d: ClaimDraft, **fields) -> Claim:
    values = {
        "article": article,
        "text": d.text,
        "start": d.start,
        "end": d.end,
        "score": None if d.score is None else min(1.0, max(0.0, d.score)),
        "status": Claim.Status.NEW if d.is_claim else Claim.Status.CANDIDATE,
        "claim_type": d.type,
        "attribution": (d.attribution or "")[:300],
        "attribution_start": d.attribution_start,
        "attribution_end": d.attribution_end,
        "via": (d.via or "")[:300],
        "via_start": d.via_start,
        "via_end": d.via_end,
        "highlights": d.highlights,
        "reject_reason": d.reject_reason[:32],
    }
    values.update(fields)
    return Claim(**values)
