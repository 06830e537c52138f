"""Editors' curation of an article's claims: edit, split, merge, add, and bulk moves.

Every function locks the rows it changes, marks the claims `curated` (so
re-extraction keeps them) and records who did what in the claims' history.
Discard, restore and promote are lifecycle moves on the model; the bulk
helper here applies them to several claims at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from verify.accounts.models import User

from ..extraction.describe import describe_span
from ..models import Article, Claim, TransitionError
from ..models.claim import lock_article, recount_article
from .claims import _claim_from_draft

MAX_CLAIM_CHARS = 2000
_CUT = " \t\n,;:\u2013\u2014-"

S = Claim.Status
# Text may be edited until the claim is approved (reopen it to correct it then).
EDITABLE = frozenset({S.CANDIDATE, S.NEW, S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED, S.NOT_CHECKABLE})
# Split and merge change which claims exist: only before anyone is assigned.
RESHAPEABLE = frozenset({S.CANDIDATE, S.NEW})


class CurationError(ValidationError):
    """An edit the editor asked for that cannot be made; the message says why."""


def _lock(claim_id: int) -> Claim:
    """The claim, locked after its article (the lock order everywhere: article, then claims)."""
    article_id = Claim.objects.filter(pk=claim_id).values_list("article_id", flat=True).get()
    lock_article(article_id)
    return Claim.objects.select_for_update().select_related("article").get(pk=claim_id)


def _record(claim: Claim, by: User, reason: str) -> None:
    claim.curated = True
    claim._history_user = by
    claim._change_reason = reason
    claim.save()


def _matches_body(claim: Claim) -> bool:
    return claim.article.body[claim.start : claim.end] == claim.text


def _refuse_unless(claim: Claim, allowed: frozenset[str], verb: str) -> None:
    if claim.status in allowed:
        return
    status = claim.get_status_display().lower()
    if claim.status == S.APPROVED:
        raise CurationError(f"Cannot {verb} an approved claim: reopen it first.")
    if claim.status == S.DISCARDED:
        raise CurationError(f"Cannot {verb} a discarded claim: restore it first.")
    raise CurationError(
        f"Cannot {verb} a claim that is {status}: only new claims and candidates; unassign it first."
    )


def _apply_description(claim: Claim) -> None:
    """Fill score, type, attribution and highlights for the claim's span as the engine would."""
    d = describe_span(claim.article.body, claim.start, claim.end)
    claim.score = d.score
    claim.claim_type = d.type
    claim.attribution = (d.attribution or "")[:300]
    claim.attribution_start, claim.attribution_end = d.attribution_start, d.attribution_end
    claim.via = (d.via or "")[:300]
    claim.via_start, claim.via_end = d.via_start, d.via_end
    claim.highlights = d.highlights
    claim.reject_reason = ""


def _clean_text(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise CurationError("A claim needs some text.")
    if len(text) > MAX_CLAIM_CHARS:
        raise CurationError(f"A claim holds at most {MAX_CLAIM_CHARS:,} characters.")
    return text


def edit_claim(*, claim_id: int, text: str, by: User, seen_text: str | None = None) -> Claim:
    """Replace the claim's text; its span in the article stays the original one.

    `seen_text` is the text the editor's form was opened with (its version): if
    someone changed the text since, the edit is refused instead of overwriting.
    Status moves (assigning, a review starting) never cause a conflict.
    """
    text = _clean_text(text)
    with transaction.atomic():
        claim = _lock(claim_id)
        _refuse_unless(claim, EDITABLE, "edit")
        if seen_text is not None and claim.text != seen_text:
            last = claim.history.select_related("history_user").first()
            who = last.history_user if last and last.history_user else "someone"
            raise CurationError(
                f"{who} changed this claim's text at {timezone.localtime(claim.updated_at):%H:%M:%S} while you "
                "were editing it, so your text was not saved."
            )
        if text == claim.text:
            return claim
        claim.text = text
        claim.edited_at = timezone.now()
        _record(claim, by, "edited")
        return claim


def split_claim(*, claim_id: int, at: int, by: User) -> tuple[Claim, Claim]:
    """Cut the claim at character `at` of its text: it keeps the first part, a new claim takes the second."""
    with transaction.atomic():
        claim = _lock(claim_id)
        _refuse_unless(claim, RESHAPEABLE, "split")
        text = claim.text
        # The cut drops the separators around it: "X, the office said" -> "X" + "the office said".
        left, right = text[:at].rstrip(_CUT), text[at:].lstrip(_CUT)
        if not (0 < at < len(text)) or not re.search(r"\w", left) or not re.search(r"\w", right):
            raise CurationError("Choose a point inside the claim: both parts need some words.")
        if text[at - 1].isalnum() and text[at].isalnum():
            raise CurationError("Choose a point between two words, not inside one.")
        if _matches_body(claim):
            left_end = claim.start + len(left)
            right_start = claim.start + len(text) - len(right)
            rescore = True
        else:  # edited text: cut the original span in the same proportion
            if claim.end - claim.start < 2:
                raise CurationError("This claim's span in the article is too short to split.")
            cut = claim.start + round((claim.end - claim.start) * at / len(text))
            left_end = right_start = min(max(cut, claim.start + 1), claim.end - 1)
            rescore = False
        second = Claim(
            article=claim.article,
            text=right,
            start=right_start,
            end=claim.end,
            status=claim.status,
            origin=Claim.Origin.SPLIT,
            derived_from=claim,
            curated=True,
            edited_at=claim.edited_at,
            score=claim.score,
            claim_type=claim.claim_type,
            attribution=claim.attribution,
            via=claim.via,
        )
        claim.text, claim.end = left, left_end
        if rescore:
            _apply_description(claim)
            _apply_description(second)
        _record(claim, by, f"split at character {at}")
        second._history_user = by
        second._change_reason = f"split from claim {claim.pk}"
        second.save()
        recount_article(claim.article_id)
        return claim, second


def merge_claims(*, claim_ids: tuple[int, int], by: User) -> Claim:
    """Join two neighbouring claims of one article into the first; the second is deleted (kept in history)."""
    with transaction.atomic():
        for article_id in sorted(
            set(Claim.objects.filter(pk__in=claim_ids).values_list("article_id", flat=True))
        ):
            lock_article(article_id)
        locked = list(
            Claim.objects.select_for_update()
            .select_related("article")
            .filter(pk__in=claim_ids)
            .order_by("pk")
        )
        if len(locked) != 2 or locked[0].article_id != locked[1].article_id:
            raise CurationError("Choose two claims of the same article to merge.")
        first, second = sorted(locked, key=lambda c: (c.start, c.end, c.pk))
        for claim in (first, second):
            _refuse_unless(claim, RESHAPEABLE, "merge")
        between = (
            Claim.objects.filter(article_id=first.article_id, start__gte=first.start, start__lte=second.start)
            .exclude(pk__in=[first.pk, second.pk])
            .order_by("start")
            .first()
        )
        if between is not None:
            raise CurationError(
                f"Only neighbouring claims can be merged: “{between.text[:60]}” "
                f"({between.get_status_display().lower()}) lies between them."
            )
        both_original = _matches_body(first) and _matches_body(second)
        start, end = first.start, max(first.end, second.end)
        if both_original:
            first.text = first.article.body[start:end]
        else:
            first.text = f"{first.text} {second.text}"
            first.edited_at = timezone.now()
        first.end = end
        first.origin = Claim.Origin.MERGED
        if S.NEW in (first.status, second.status):
            first.status = S.NEW
        if both_original:
            _apply_description(first)
        if len(first.text) > MAX_CLAIM_CHARS:
            raise CurationError(f"The merged claim would exceed {MAX_CLAIM_CHARS:,} characters.")
        second_pk = second.pk
        second._history_user = by
        second._change_reason = f"merged into claim {first.pk}"
        second.delete()
        _record(first, by, f"merged with claim {second_pk}")
        recount_article(first.article_id)
        return first


def add_claim(*, article_id: int, start: int, end: int, by: User) -> Claim:
    """A claim for the editor's selection `body[start:end]` (trimmed of surrounding space).

    Overlapping other claims is allowed (the page shows the overlap). Selecting
    exactly a candidate's span promotes that candidate instead of duplicating it.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        body = article.body
        if not (0 <= start < end <= len(body)):
            raise CurationError("Select some text of the article to add it as a claim.")
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if not re.search(r"\w", body[start:end]):
            raise CurationError("Select some words of the article to add them as a claim.")
        if end - start > MAX_CLAIM_CHARS:
            raise CurationError(
                f"Select at most {MAX_CLAIM_CHARS:,} characters: a claim is a sentence or two."
            )
        same = article.claims.filter(start=start, end=end).first()
        if same is not None:
            if same.status == S.CANDIDATE:
                same.article = article
                same.promote(by=by)
                return same
            if same.status == S.DISCARDED:
                raise CurationError("That text is a discarded claim: restore it from the discarded list.")
            raise CurationError("That text is already a claim.")
        draft = describe_span(body, start, end)
        claim = _claim_from_draft(
            article, draft, status=S.NEW, origin=Claim.Origin.ADDED, curated=True, reject_reason=""
        )
        claim._history_user = by
        claim._change_reason = "added from a selection of the text"
        claim.save()
        recount_article(article.pk)
        return claim


def find_in_body(body: str, text: str) -> tuple[int, int]:
    """Where `text` (as pasted, any spacing) first occurs in `body`; for adding without JavaScript."""
    words = text.split()
    if not words:
        raise CurationError("Paste the sentence from the article that should become a claim.")
    pattern = r"\s+".join(re.escape(w) for w in words)
    found = re.search(pattern, body)
    if found is None:
        raise CurationError("That text is not in the article: copy it exactly as it appears there.")
    return found.start(), found.end()


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)


BULK_ACTIONS = {"discard", "promote"}


def bulk_move(
    *, article: Article, claim_ids: list[int], action: str, by: User, reason: str = ""
) -> BulkResult:
    """Discard or promote several claims of one article; each moves or is refused on its own."""
    if action not in BULK_ACTIONS:
        raise CurationError("Choose discard or promote.")
    result = BulkResult()
    claims = article.claims.filter(pk__in=claim_ids).order_by("start", "pk")
    for claim in claims:
        try:
            if action == "discard":
                claim.discard(by=by, reason=reason)
            else:
                claim.promote(by=by)
        except TransitionError as exc:
            result.refused.append(f"“{claim.text[:50]}”: {' '.join(exc.messages)}")
        else:
            result.done += 1
    return result


def overlapping_ids(claims: list[Claim]) -> dict[int, list[int]]:
    """For each claim, the other listed claims whose spans overlap it (claims sorted by start)."""
    overlaps: dict[int, list[int]] = {}
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if b.start >= a.end:
                break
            overlaps.setdefault(a.pk, []).append(b.pk)
            overlaps.setdefault(b.pk, []).append(a.pk)
    return overlaps


__all__ = [
    "BULK_ACTIONS",
    "BulkResult",
    "CurationError",
    "add_claim",
    "bulk_move",
    "edit_claim",
    "find_in_body",
    "merge_claims",
    "overlapping_ids",
    "split_claim",
]
