"""Publishing fact sheets (versions, corrections, partial, unpublish) and bulk exports in a real worker."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Claim, ExportJob, Publication, PublicationVersion
from articles.services.assignment import assign_claims
from articles.services.exports import ExportRefused, build_export, start_export
from articles.services.publishing import PublishRefused, publish, unpublish, version_sheet
from articles.services.reviews import SourceInput, add_source, approve_claim, save_review

from ..conftest import make_article, wait_for

pytestmark = pytest.mark.django_db


def check(claim: Claim, *, editor, reviewer, verdict, summary: str = "Official figures confirm it.") -> None:
    """Assign, review with one source, submit and approve one claim."""
    assign_claims(article=claim.article, claim_ids=[claim.pk], reviewer=reviewer, by=editor)
    claim.refresh_from_db()
    add_source(
        claim=claim,
        reviewer=reviewer,
        item=SourceInput(url="https://stats.example.org/t1", stance="supports"),
    )
    save_review(claim=claim, reviewer=reviewer, verdict=verdict, confidence=80, summary=summary, submit=True)
    approve_claim(claim=Claim.objects.get(pk=claim.pk), editor=editor)


@pytest.fixture
def checked_article(editor, reviewer, verdicts):
    """Four claims: one approved, one not checkable, one discarded, one still new."""
    article = make_article(4)
    approved, not_checkable, discarded, _new = article.claims.order_by("start")
    check(approved, editor=editor, reviewer=reviewer, verdict=verdicts["Mostly true"])
    not_checkable.assign_to(reviewer, by=editor)
    Claim.objects.get(pk=not_checkable.pk).mark_not_checkable(by=reviewer, reason="A forecast, not a fact")
    discarded.discard(by=editor, reason="duplicate")
    article.refresh_from_db()
    return article


def test_an_incomplete_sheet_is_published_only_as_partial(checked_article, editor):
    with pytest.raises(PublishRefused, match="1 claim is still being checked"):
        publish(article=checked_article, by=editor)
    version = publish(article=checked_article, by=editor, partial=True)
    assert version.number == 1 and version.partial
    sheet = version_sheet(version)
    assert sheet.partial and sheet.version == 1
    assert sheet.public_url.endswith(f"/f/{version.publication.slug}/v1/")
    assert [c.status for c in sheet.claims] == ["approved", "not_checkable"]
    assert sheet.claims[1].not_checkable_reason == "A forecast, not a fact"


def test_a_sheet_with_nothing_checked_is_not_published(editor):
    article = make_article(2)
    with pytest.raises(PublishRefused, match="Nothing to publish"):
        publish(article=article, by=editor, partial=True)
    assert not Publication.objects.exists()


def test_a_correction_is_a_new_version_with_a_required_note(checked_article, editor, reviewer, verdicts):
    first = publish(article=checked_article, by=editor, partial=True)
    last = checked_article.claims.get(status=Claim.Status.NEW)
    check(last, editor=editor, reviewer=reviewer, verdict=verdicts["False"], summary="No record of it.")
    with pytest.raises(PublishRefused, match="correction note"):
        publish(article=checked_article, by=editor)
    second = publish(article=checked_article, by=editor, correction_note="Added the fourth claim.")
    assert second.number == 2 and not second.partial
    assert version_sheet(second).correction_note == "Added the fourth claim."
    # The first version is frozen as it was.
    first.refresh_from_db()
    assert len(version_sheet(first).claims) == 2 and len(version_sheet(second).claims) == 3
    assert second.history.first().history_change_reason == "correction: Added the fourth claim."


def test_unpublish_and_publish_again(checked_article, editor):
    publish(article=checked_article, by=editor, partial=True)
    unpublish(article=checked_article, by=editor)
    assert not Publication.objects.get().is_published
    with pytest.raises(PublishRefused, match="not published"):
        unpublish(article=checked_article, by=editor)
    publish(article=checked_article, by=editor, partial=True, correction_note="Back online.")
    assert Publication.objects.get().is_published
    assert PublicationVersion.objects.count() == 2


def test_publishing_from_the_article_page(client, checked_article, editor, reviewer):
    url = reverse("articles:article_publish", args=[checked_article.pk])
    client.force_login(reviewer)
    assert client.post(url, {"partial": "on"}).status_code == 403
    client.force_login(editor)
    page = client.post(url, {}, follow=True).text
    assert "still being checked" in page
    page = client.post(url, {"partial": "on"}, follow=True).text
    assert "published as version 1" in page
    assert PublicationVersion.objects.get().published_by == editor


def test_the_command_writes_a_published_version(checked_article, editor, tmp_path):
    publish(article=checked_article, by=editor, partial=True)
    out = tmp_path / "sheet.json"
    call_command("export_factsheet", checked_article.pk, "--format", "json", "--version", "1", "-o", str(out))
    assert '"version": 1' in out.read_text()


def test_an_export_needs_articles_and_known_formats(editor):
    with pytest.raises(ExportRefused, match="Choose formats"):
        start_export(by=editor, article_ids=[1], formats=["docx"])
    with pytest.raises(ExportRefused, match="No articles match"):
        start_export(by=editor, article_ids=[999999], formats=["md"])


def test_an_export_zip_holds_one_file_per_article_and_format(
    checked_article, editor, django_capture_on_commit_callbacks
):
    other = make_article(1)
    job = start_export(by=editor, article_ids=[checked_article.pk, other.pk], formats=["md", "json"])
    build_export(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    names = zipfile.ZipFile(io.BytesIO(job.file.read())).namelist()
    assert len(names) == 4
    assert all(n.startswith((f"{checked_article.pk}-", f"{other.pk}-")) for n in names)
    build_export(job_id=job.pk)  # a redelivered message changes nothing
    assert ExportJob.objects.get(pk=job.pk).file.name == job.file.name


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_bulk_export_of_100_articles_in_a_real_worker(client, editor, celery_worker_process):
    ids = [make_article(2).pk for _ in range(100)]
    client.force_login(editor)
    response = client.post(
        reverse("articles:exports"), {"articles": " ".join(map(str, ids)), "formats": ["md", "csv", "json"]}
    )
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    seen_progress = set()

    def finished():
        row = ExportJob.objects.get(pk=job.pk)
        seen_progress.add(row.done)
        return row.status in ("done", "failed") and row

    row = wait_for(finished, timeout=120, message=f"the export\n{celery_worker_process.log()[-2000:]}")
    assert row.status == "done", row.error
    names = zipfile.ZipFile(io.BytesIO(row.file.read())).namelist()
    assert len(names) == 300
    for article_id in ids:
        assert sum(n.startswith(f"{article_id}-") for n in names) == 3
    page = client.get(job.get_absolute_url()).text
    assert "Download the zip" in page and "100 of 100" in page
    assert client.get(reverse("articles:export_download", args=[job.pk]))["Content-Type"] == "application/zip"


def test_public_pages_show_each_version_to_anyone_until_unpublished(
    client, checked_article, editor, reviewer, verdicts
):
    first = publish(article=checked_article, by=editor, partial=True)
    slug = first.publication.slug
    latest_url = reverse("articles:factsheet_public", args=[slug])
    v1_url = reverse("articles:factsheet_public_version", args=[slug, 1])
    page = client.get(latest_url).text  # logged out
    assert checked_article.claims.get(status="approved").text in page
    assert "duplicate" not in page and checked_article.claims.get(status="discarded").text not in page
    assert "partial" in page.lower()
    assert str(reviewer) not in page  # the newsroom hides reviewer names by default

    check(
        checked_article.claims.get(status="new"), editor=editor, reviewer=reviewer, verdict=verdicts["False"]
    )
    publish(article=checked_article, by=editor, correction_note="Fourth claim checked.")
    old = client.get(v1_url).text
    assert "newer version" in old.lower() and latest_url in old
    assert "Fourth claim checked." in client.get(latest_url).text
    download = client.get(reverse("articles:factsheet_public_download", args=[slug, 2, "claimreview"]))
    assert download.status_code == 200 and b"ClaimReview" in download.content

    unpublish(article=checked_article, by=editor)
    assert client.get(latest_url).status_code == 404
    assert client.get(v1_url).status_code == 404
    assert client.get(reverse("articles:factsheet_public_download", args=[slug, 2, "md"])).status_code == 404


def test_reviewer_names_are_public_only_where_the_newsroom_says_so(client, checked_article, editor, reviewer):
    from articles.models import NewsroomSettings

    version = publish(article=checked_article, by=editor, partial=True)
    row = NewsroomSettings.load()
    row.show_reviewer_names = True
    row.save()
    assert str(reviewer) in client.get(version.get_absolute_url()).text


def test_a_correction_reopens_an_approved_claim_and_publishes_a_new_version(
    client, checked_article, editor, reviewer, verdicts
):
    first = publish(article=checked_article, by=editor, partial=True)
    claim = checked_article.claims.get(status="approved")
    client.force_login(reviewer)
    assert client.post(reverse("articles:claim_reopen", args=[claim.pk]), {"reason": "x"}).status_code == 403
    client.force_login(editor)
    page = client.post(
        reverse("articles:claim_reopen", args=[claim.pk]),
        {"reason": "The ministry revised its table."},
        follow=True,
    ).text
    assert "Claim reopened" in page
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW
    assert "revised its table" in reviewer.notifications.first().message
    save_review(
        claim=Claim.objects.get(pk=claim.pk),
        reviewer=reviewer,
        verdict=verdicts["Mixed"],
        confidence=60,
        summary="The revised table changes the picture.",
        submit=True,
    )
    approve_claim(claim=Claim.objects.get(pk=claim.pk), editor=editor)
    second = publish(
        article=checked_article, by=editor, partial=True, correction_note="Verdict revised to Mixed."
    )
    assert version_sheet(second).claims[0].verdict.name == "Mixed"
    assert version_sheet(first).claims[0].verdict.name == "Mostly true"


def test_ticked_articles_on_the_list_prefill_the_export_form(client, editor):
    a, b = make_article(1), make_article(1)
    client.force_login(editor)
    assert 'form="export-select"' in client.get(reverse("articles:dashboard")).text
    page = client.get(reverse("articles:exports"), {"article": [a.pk, b.pk]}).text
    assert f'value="{a.pk} {b.pk}"' in page
