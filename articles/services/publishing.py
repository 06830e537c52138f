"""Publishing fact sheets: frozen, numbered versions at stable public URLs; corrections; unpublish."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from verify.accounts.models import User

from ..models import Article, NewsroomSettings, Publication, PublicationVersion
from .factsheets import FactSheet, build_factsheet


class PublishRefused(ValidationError):
    """Publishing is not possible as asked; the message says what to do."""


def _slug_for(article: Article) -> str:
    base = slugify(article.title)[:60].strip("-") or "fact-sheet"
    return f"{base}-{article.pk}"


def public_url(path: str) -> str:
    """An absolute URL on the newsroom's external base URL (the settings row, else VERIFY_BASE_URL)."""
    base = NewsroomSettings.load().base_url or settings.VERIFY_BASE_URL
    return base.rstrip("/") + path


def publish(
    *, article: Article, by: User, partial: bool = False, correction_note: str = ""
) -> PublicationVersion:
    """Freeze the article's fact sheet as the next version and (re)publish it.

    A sheet with claims still in the workflow needs `partial`. Every version
    after the first needs a correction note saying what changed.
    """
    correction_note = correction_note.strip()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        sheet = build_factsheet(article=article)
        if not sheet.claims:
            raise PublishRefused(
                "Nothing to publish yet: no claim of this article is approved or marked not checkable."
            )
        if not sheet.complete and not partial:
            raise PublishRefused(
                f"{sheet.open_claims} claim{'s are' if sheet.open_claims != 1 else ' is'} still being checked: "
                "finish them, or publish a partial fact sheet (it says so on the page)."
            )
        publication, created = Publication.objects.get_or_create(
            article=article, defaults={"slug": _slug_for(article)}
        )
        last = publication.versions.aggregate(last=Max("number"))["last"] or 0
        if last and not correction_note:
            raise PublishRefused(
                "This fact sheet was published before: write a correction note saying what changed."
            )
        number = last + 1
        now = timezone.now()
        path = reverse("articles:factsheet_public_version", args=[publication.slug, number])
        frozen = replace(
            sheet,
            version=number,
            published_at=now,
            public_url=public_url(path),
            partial=not sheet.complete,
            correction_note=correction_note,
        )
        version = PublicationVersion(
            publication=publication,
            number=number,
            snapshot=frozen.to_json(),
            partial=not sheet.complete,
            correction_note=correction_note,
            published_by=by,
            published_at=now,
        )
        version._history_user = by
        version._change_reason = "published" if number == 1 else f"correction: {correction_note[:200]}"
        version.save()
        if not publication.is_published or created:
            publication.is_published = True
            publication._history_user = by
            publication._change_reason = "published"
            publication.save()
        return version


def unpublish(*, article: Article, by: User) -> None:
    """Hide the public pages (every version); publishing again shows them with a new version."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(article=article).first()
        if publication is None or not publication.is_published:
            raise PublishRefused("This fact sheet is not published.")
        publication.is_published = False
        publication._history_user = by
        publication._change_reason = "unpublished"
        publication.save()


def version_sheet(version: PublicationVersion) -> FactSheet:
    return FactSheet.from_json(version.snapshot)
