"""Issue 7's rules for the review, read as a specification.

Each rule is checked where it is enforced: the form explains it to the user,
the service refuses it whoever calls, and the page shows what happened. The
concurrency tests use two sessions of the same reviewer, as two browser tabs.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.forms import ReviewForm, SourceForm
from articles.models import Claim, NewsroomSettings, Notification, Review, Source, TransitionError, Verdict
from articles.services.curation import edit_claim
from articles.services.reviews import (
    SourceInput,
    add_source,
    approve_claim,
    remove_source,
    restore_draft,
    return_claim,
    save_review,
)

from .. import factories

pytestmark = pytest.mark.django_db

NON_WEB_URLS = ["javascript:alert(1)", " JavaScript:alert(document.cookie)", "file:///etc/passwd"]


@pytest.fixture
def claim(editor, reviewer):
    claim = factories.ClaimFactory()
    claim.assign_to(reviewer, by=editor)
    return claim


@pytest.fixture
def submitted(claim, reviewer, verdicts):
    """A claim whose review is complete and waiting for an editor."""
    save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdicts["Mostly true"],
        confidence=70,
        summary="The ministry's own table lists 3 schools.",
        sources=[SourceInput(url="https://stats.example.org/schools", stance="supports")],
        submit=True,
    )
    return claim


def write(claim: Claim, reviewer, verdict: Verdict | None, *, confidence, summary, submit=False) -> Review:
    """The reviewer saves the main form (a draft unless `submit`), as the service is called."""
    return save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdict,
        confidence=confidence,
        summary=summary,
        submit=submit,
    )


def review_url(claim: Claim) -> str:
    return reverse("articles:review_edit", args=[claim.pk])


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content)


def form_version(response) -> str:
    """The version the review form was opened at, as the browser would send it back."""
    (value,) = page(response).xpath('//form[@id="review-form"]//input[@name="version"]/@value')
    return value


def typed_summary(response) -> str:
    (textarea,) = page(response).xpath('//textarea[@name="summary"]')
    return (textarea.text or "").strip()


def selected_verdict(response) -> str | None:
    selected = page(response).xpath('//select[@name="verdict"]/option[@selected]/@value')
    return selected[0] if selected else None


def main_form(*, verdict: Verdict | None, confidence="", summary="", version="", action="draft") -> dict:
    return {
        "verdict": verdict.pk if verdict else "",
        "confidence": confidence,
        "summary": summary,
        "version": version,
        "action": action,
    }


def new_source(url: str, *, stance="supports", kind="official_statistic", title="Schools census") -> dict:
    return {
        "new-url": url,
        "new-title": title,
        "new-publisher": "ONS",
        "new-stance": stance,
        "new-kind": kind,
    }


# --- submitting: what a complete review needs ---------------------------------------


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("verdict", "Choose a verdict."),
        ("confidence", "Give your confidence (0-100)."),
        ("summary", "Write a summary for readers."),
        ("sources", "Add at least one source"),
    ],
)
def test_submit_is_refused_while_something_is_missing_and_nothing_is_written(
    claim, reviewer, verdicts, missing, message
):
    complete = {
        "verdict": verdicts["False"],
        "confidence": 90,
        "summary": "The ministry's table lists 2 schools, not 3.",
        "sources": [SourceInput(url="https://stats.example.org/schools")],
    }
    complete[missing] = [] if missing == "sources" else (None if missing != "summary" else "   ")
    with pytest.raises(TransitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        save_review(claim=claim, reviewer=reviewer, submit=True, **complete)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED
    assert not Review.objects.exists()
    assert not Source.objects.exists()


def test_the_page_lists_what_is_missing_and_keeps_what_was_typed(client, claim, reviewer, verdicts):
    client.force_login(reviewer)
    response = client.post(
        review_url(claim), main_form(verdict=verdicts["False"], summary="Half written", action="submit")
    )
    assert response.status_code == 200
    errors = page(response).xpath('//div[contains(@class, "errorlist")]')[0].text_content()
    assert "Give your confidence (0-100)." in errors
    assert "Add at least one source" in errors
    assert "Choose a verdict." not in errors
    assert typed_summary(response) == "Half written"
    assert selected_verdict(response) == str(verdicts["False"].pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED


def test_a_no_evidence_needed_verdict_submits_without_sources(claim, reviewer, verdicts):
    assert verdicts["Unverifiable"].no_evidence_needed
    write(
        claim,
        reviewer,
        verdicts["Unverifiable"],
        confidence=60,
        summary="No public record exists either way.",
        submit=True,
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert Review.objects.get().state == Review.State.SUBMITTED


def test_any_verdict_an_admin_marks_no_evidence_needed_gets_the_exception(claim, reviewer, verdicts):
    Verdict.objects.filter(pk=verdicts["Mixed"].pk).update(no_evidence_needed=True)
    write(
        claim,
        reviewer,
        Verdict.objects.get(name="Mixed"),
        confidence=50,
        summary="Depends on how schools are counted.",
        submit=True,
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_sources_added_one_by_one_count_for_submit(claim, reviewer, verdicts):
    add_source(claim=claim, reviewer=reviewer, item=SourceInput(url="https://stats.example.org/a"))
    write(claim, reviewer, verdicts["True"], confidence=90, summary="Confirmed.", submit=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


# --- sources: web links only, with stance and type -----------------------------------


@pytest.mark.parametrize("url", NON_WEB_URLS)
def test_the_source_form_refuses_a_non_web_url(url):
    form = SourceForm(data={"url": url, "stance": "supports", "kind": "document"})
    assert not form.is_valid()
    assert "url" in form.errors


@pytest.mark.parametrize("url", NON_WEB_URLS)
def test_add_source_refuses_a_non_web_url_whoever_calls_it(claim, reviewer, url):
    with pytest.raises(ValidationError):
        add_source(claim=claim, reviewer=reviewer, item=SourceInput(url=url))
    assert not Source.objects.exists()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED


def test_a_source_keeps_its_stance_type_publisher_and_access_date(claim, reviewer):
    import datetime

    source = add_source(
        claim=claim,
        reviewer=reviewer,
        item=SourceInput(
            url="https://stats.example.org/schools",
            title="Schools census",
            publisher="Office for National Statistics",
            excerpt="3 schools opened in 2002.",
            accessed_on=datetime.date(2024, 5, 1),
            stance=Source.Stance.REFUTES,
            kind=Source.Kind.OFFICIAL_STATISTIC,
        ),
    )
    source.refresh_from_db()
    assert (source.stance, source.kind, source.publisher, source.accessed_on) == (
        "refutes",
        "official_statistic",
        "Office for National Statistics",
        datetime.date(2024, 5, 1),
    )


# --- confidence ------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [-1, 101, 1000])
def test_the_form_refuses_a_confidence_outside_0_to_100(confidence):
    form = ReviewForm(data={"confidence": confidence, "summary": "s"})
    assert not form.is_valid()
    assert "confidence" in form.errors


@pytest.mark.parametrize("confidence", [0, 100])
def test_the_form_accepts_the_ends_of_the_scale(confidence):
    assert ReviewForm(data={"confidence": confidence}).is_valid()


def test_the_service_cannot_store_a_confidence_over_100(claim, reviewer, verdicts):
    with pytest.raises(TransitionError, match="from 0 to 100"):
        write(claim, reviewer, verdicts["True"], confidence=101, summary="s")
    assert not Review.objects.filter(confidence=101).exists()


# --- who writes, and when ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_reviewer", "editor"])
def test_only_the_assigned_reviewer_writes_the_review(request, claim, verdicts, who):
    user = request.getfixturevalue(who)
    with pytest.raises(TransitionError, match="Only the assigned reviewer"):
        write(claim, user, verdicts["True"], confidence=80, summary="x")
    with pytest.raises(TransitionError, match="Only the assigned reviewer"):
        add_source(claim=claim, reviewer=user, item=SourceInput(url="https://example.org/"))
    assert not Review.objects.exists()


def test_a_submitted_review_is_read_only(submitted, reviewer, verdicts):
    review = Review.objects.get()
    source = review.sources.get()
    with pytest.raises(TransitionError, match="submitted"):
        add_source(claim=submitted, reviewer=reviewer, item=SourceInput(url="https://example.org/more"))
    with pytest.raises(TransitionError, match="submitted"):
        remove_source(claim=submitted, reviewer=reviewer, source_id=source.pk)
    with pytest.raises(TransitionError, match="submitted"):
        write(submitted, reviewer, verdicts["False"], confidence=1, summary="x")
    review.refresh_from_db()
    assert (review.verdict, review.version, review.sources.count()) == (verdicts["Mostly true"], 2, 1)


def test_the_read_only_review_page_refuses_the_no_js_add_source(client, submitted, reviewer, verdicts):
    client.force_login(reviewer)
    response = client.post(
        review_url(submitted),
        {**main_form(verdict=verdicts["True"], confidence="70"), **new_source("https://example.org/x")},
        follow=True,
    )
    assert "cannot change while the claim is submitted" in response.text
    assert Source.objects.count() == 1


def test_an_approved_review_changes_only_through_reopen(submitted, reviewer, editor, other_editor, verdicts):
    approve_claim(claim=submitted, editor=other_editor)
    approved = Review.objects.get()
    with pytest.raises(TransitionError):
        write(submitted, reviewer, verdicts["False"], confidence=1, summary="x")
    with pytest.raises(TransitionError):
        add_source(claim=submitted, reviewer=reviewer, item=SourceInput(url="https://example.org/late"))

    submitted.reopen(by=editor, reason="The ministry corrected its table.")
    corrected = write(
        submitted,
        reviewer,
        verdicts["Mixed"],
        confidence=60,
        summary="After the correction, 2 of the 3 schools opened in 2002.",
    )
    assert corrected.pk != approved.pk
    assert corrected.sources.count() == 1  # the approved review's evidence came along
    approved.refresh_from_db()
    assert (approved.verdict, approved.summary) == (
        verdicts["Mostly true"],
        "The ministry's own table lists 3 schools.",
    )


# --- approval and return -------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_returning_needs_a_comment(submitted, editor, comment):
    with pytest.raises(TransitionError, match="Write a comment"):
        return_claim(claim=submitted, editor=editor, comment=comment)
    submitted.refresh_from_db()
    assert submitted.status == Claim.Status.SUBMITTED
    assert not Notification.objects.filter(message__contains="returned").exists()


def test_returning_tells_the_reviewer_what_to_change(submitted, editor, reviewer):
    return_claim(claim=submitted, editor=editor, comment="Link the ministry's table, not the press release.")
    submitted.refresh_from_db()
    assert submitted.status == Claim.Status.RETURNED
    assert submitted.status_reason == "Link the ministry's table, not the press release."
    note = Notification.objects.get(user=reviewer, message__contains="returned")
    assert note.actor == editor
    assert "Link the ministry's table" in note.message
    assert note.url == review_url(submitted)


def test_the_returned_reviewer_sees_the_comment_and_can_write_again(
    client, submitted, editor, reviewer, verdicts
):
    client.force_login(editor)
    response = client.post(
        reverse("articles:claim_return", args=[submitted.pk]),
        {"comment": "Say which year the table is from.", "next": "claim"},
    )
    assert response.status_code == 302
    client.force_login(reviewer)
    response = client.get(review_url(submitted))
    assert "Returned by the editor: Say which year the table is from." in response.text
    submitted.refresh_from_db()
    write(
        submitted,
        reviewer,
        verdicts["Mostly true"],
        confidence=75,
        summary="The 2002 table lists 3 schools.",
        submit=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == Claim.Status.SUBMITTED


def test_an_empty_return_comment_on_the_claim_page_is_refused(client, submitted, editor):
    client.force_login(editor)
    response = client.post(
        reverse("articles:claim_return", args=[submitted.pk]), {"comment": " ", "next": "claim"}, follow=True
    )
    assert "Write a comment" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Claim.Status.SUBMITTED


@pytest.fixture
def reviewing_editor(db, editor):
    """A member who is both editor and reviewer, reviewing a claim."""
    user = factories.UserFactory(username="erin_both", roles=["Editor", "Reviewer"])
    claim = factories.ClaimFactory()
    claim.assign_to(user, by=editor)
    return user, claim


def submit_as(user, claim, verdicts) -> None:
    write(claim, user, verdicts["Unverifiable"], confidence=50, summary="Nothing on record.", submit=True)


def test_with_the_two_person_rule_the_reviewer_cannot_approve_their_own_review(
    client, reviewing_editor, verdicts
):
    user, claim = reviewing_editor
    submit_as(user, claim, verdicts)
    assert NewsroomSettings.load().two_person_rule
    client.force_login(user)
    response = client.post(reverse("articles:claim_approve", args=[claim.pk]), {"next": "claim"}, follow=True)
    assert "two-person rule" in response.text
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_without_the_two_person_rule_the_reviewer_may_approve(reviewing_editor, verdicts):
    user, claim = reviewing_editor
    submit_as(user, claim, verdicts)
    NewsroomSettings.objects.filter(pk=NewsroomSettings.load().pk).update(two_person_rule=False)
    approve_claim(claim=claim, editor=user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


def test_approving_tells_the_reviewer(submitted, reviewer, other_editor):
    approve_claim(claim=submitted, editor=other_editor)
    assert Notification.objects.filter(
        user=reviewer, actor=other_editor, message__contains="approved"
    ).exists()


# --- history and restore ------------------------------------------------------------------


def test_an_editor_restores_an_earlier_text_of_the_claim(client, claim, editor):
    original = claim.text
    first = claim.history.first().history_id
    edit_claim(claim_id=claim.pk, text="The ministry said 3 schools opened.", by=editor)
    client.force_login(editor)
    response = client.post(reverse("articles:claim_restore_text", args=[claim.pk, first]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == original
    assert claim.history.first().history_user == editor


def test_the_assigned_reviewer_restores_an_earlier_draft_as_a_new_version(claim, reviewer, verdicts):
    write(claim, reviewer, verdicts["True"], confidence=90, summary="First")
    review = Review.objects.get()
    first = review.history.first().history_id
    write(claim, reviewer, verdicts["False"], confidence=10, summary="Second")
    restored = restore_draft(claim=claim, reviewer=reviewer, history_id=first)
    assert (restored.verdict, restored.confidence, restored.summary, restored.version) == (
        verdicts["True"],
        90,
        "First",
        4,
    )


def test_a_draft_cannot_be_restored_from_another_claims_history(claim, reviewer, editor, verdicts):
    other = factories.ClaimFactory()
    other.assign_to(reviewer, by=editor)
    write(other, reviewer, None, confidence=None, summary="Other")
    foreign = Review.objects.get().history.first().history_id
    with pytest.raises(TransitionError, match="not one of this review's"):
        restore_draft(claim=claim, reviewer=reviewer, history_id=foreign)


def test_a_source_of_another_review_cannot_be_removed_through_this_claim(claim, reviewer, editor):
    other = factories.ClaimFactory()
    other.assign_to(reviewer, by=editor)
    foreign = add_source(claim=other, reviewer=reviewer, item=SourceInput(url="https://example.org/keep"))
    with pytest.raises(TransitionError):
        remove_source(claim=claim, reviewer=reviewer, source_id=foreign.pk)
    assert Source.objects.filter(pk=foreign.pk).exists()


# --- no silent overwrites -----------------------------------------------------------------


@pytest.fixture
def two_tabs(claim, reviewer):
    """The same reviewer in two sessions, as two browser tabs or two machines."""
    tabs = Client(), Client()
    for tab in tabs:
        tab.force_login(reviewer)
    return tabs


def test_of_two_saves_from_the_same_version_exactly_one_wins_and_the_other_loses_nothing(
    claim, two_tabs, verdicts
):
    first, second = two_tabs
    opened = [form_version(tab.get(review_url(claim))) for tab in two_tabs]
    assert opened == ["1", "1"]

    won = first.post(
        review_url(claim),
        main_form(
            verdict=verdicts["True"], confidence="85", summary="The census confirms 3.", version=opened[0]
        ),
    )
    lost = second.post(
        review_url(claim),
        main_form(
            verdict=verdicts["False"], confidence="30", summary="My own careful words.", version=opened[1]
        ),
    )

    assert (won.status_code, lost.status_code) == (302, 409)
    (conflict,) = page(lost).xpath('//div[contains(@class, "conflict")]')
    shown = conflict.text_content()
    assert "The census confirms 3." in shown and "True" in shown and "85" in shown
    assert typed_summary(lost) == "My own careful words."
    assert selected_verdict(lost) == str(verdicts["False"].pk)
    review = Review.objects.get()
    assert (review.summary, review.version) == ("The census confirms 3.", 2)

    # The loser's page now carries the winner's version: saving again overwrites knowingly.
    assert form_version(lost) == "2"
    again = second.post(
        review_url(claim),
        main_form(verdict=verdicts["False"], confidence="30", summary="My own careful words.", version="2"),
    )
    assert again.status_code == 302
    review.refresh_from_db()
    assert (review.summary, review.verdict, review.version) == ("My own careful words.", verdicts["False"], 3)


def test_a_stale_no_js_add_source_is_refused_and_keeps_the_typed_source(claim, two_tabs, verdicts):
    first, second = two_tabs
    version = form_version(second.get(review_url(claim)))
    first.post(review_url(claim), main_form(verdict=verdicts["True"], summary="Saved first", version=version))
    response = second.post(
        review_url(claim),
        {
            **main_form(verdict=verdicts["False"], summary="Mine", version=version),
            **new_source("https://stats.example.org/typed"),
            "action": "add_source",
        },
    )
    assert response.status_code == 409
    (typed_url,) = page(response).xpath('//input[@name="new-url"]/@value')
    assert typed_url == "https://stats.example.org/typed"
    assert not Source.objects.exists()


def test_adding_and_removing_sources_in_another_tab_does_not_invalidate_the_open_form(
    claim, two_tabs, verdicts
):
    form_tab, sources_tab = two_tabs
    version = form_version(form_tab.get(review_url(claim)))

    added = sources_tab.post(
        reverse("articles:review_source_add", args=[claim.pk]),
        new_source("https://stats.example.org/a", stance="refutes"),
        headers={"HX-Request": "true"},
    )
    assert added.status_code == 200
    fragment = page(added)
    assert fragment.get("id") == "sources"  # only the sources, not the whole form
    assert not fragment.xpath('//form[@id="review-form"]')
    source = Source.objects.get()
    sources_tab.post(
        reverse("articles:review_source_add", args=[claim.pk]),
        new_source("https://stats.example.org/b", stance="context", kind="document"),
        headers={"HX-Request": "true"},
    )
    sources_tab.post(
        reverse("articles:review_source_remove", args=[claim.pk, source.pk]), headers={"HX-Request": "true"}
    )

    saved = form_tab.post(
        review_url(claim),
        main_form(verdict=verdicts["Mixed"], confidence="55", summary="Still mine.", version=version),
    )
    assert saved.status_code == 302
    review = Review.objects.get()
    assert review.summary == "Still mine."
    assert list(review.sources.values_list("url", "stance")) == [("https://stats.example.org/b", "context")]


# --- the verdict scale ---------------------------------------------------------------------


def test_deleting_a_verdict_in_use_is_refused_with_the_way_out(client, admin_member, verdicts):
    factories.ReviewFactory(verdict=verdicts["False"])
    client.force_login(admin_member)
    response = client.post(reverse("articles:verdict_delete", args=[verdicts["False"].pk]), follow=True)
    assert "archive it instead" in response.text
    assert Verdict.objects.filter(pk=verdicts["False"].pk).exists()


def test_archiving_hides_a_verdict_from_new_reviews_and_keeps_it_on_old_ones(
    client, admin_member, claim, reviewer, editor, verdicts
):
    mixed = verdicts["Mixed"]
    write(claim, reviewer, mixed, confidence=50, summary="Half right")
    client.force_login(admin_member)
    client.post(
        reverse("articles:verdict_edit", args=[mixed.pk]),
        {"name": "Mixed", "rating_value": "3", "colour": "#b58900", "description": "", "archived": "on"},
    )
    mixed.refresh_from_db()
    assert mixed.archived

    fresh = factories.ClaimFactory()
    fresh.assign_to(reviewer, by=editor)
    client.force_login(reviewer)
    offered = page(client.get(review_url(fresh))).xpath('//select[@name="verdict"]/option/text()')
    assert "Mixed" not in offered and "True" in offered

    existing = client.get(review_url(claim))
    assert selected_verdict(existing) == str(mixed.pk)
    saved = client.post(
        review_url(claim),
        main_form(
            verdict=mixed, confidence="55", summary="Half right, still", version=form_version(existing)
        ),
    )
    assert saved.status_code == 302
    assert Review.objects.get(assignment__claim=claim).verdict == mixed
    client.force_login(editor)
    assert "Mixed" in client.get(reverse("articles:claim_detail", args=[claim.pk])).text


# --- who may call each URL of the review, object by object ---------------------------------
# tests/test_url_roles.py walks every URL with the generic roles table; here the
# object matters: the reviewer the claim is assigned to against one who is not.

WHO = ["anonymous", "outsider", "reviewer", "other_reviewer", "editor", "admin_member"]
EVERY_ROLE = {"reviewer", "other_reviewer", "editor", "admin_member"}
EDITORS = {"editor", "admin_member"}
ASSIGNED = {"reviewer"}

# URL name -> (method, the roles it lets through)
REVIEW_URLS = {
    "claim_detail": ("get", EVERY_ROLE),
    "claim_comments": ("post", EVERY_ROLE),
    "claim_return": ("post", EDITORS),
    "claim_restore_text": ("post", EDITORS),
    "review_edit": ("post", ASSIGNED),
    "review_source_add": ("post", ASSIGNED),
    "review_source_remove": ("post", ASSIGNED),
    "review_restore_draft": ("post", ASSIGNED),
}


@pytest.fixture
def drafted(claim, reviewer, editor, verdicts):
    """An assigned claim with an edited text, a saved draft and one source."""
    edit_claim(claim_id=claim.pk, text="The ministry says 3 schools opened.", by=editor)
    write(claim, reviewer, verdicts["True"], confidence=80, summary="Draft")
    add_source(claim=claim, reviewer=reviewer, item=SourceInput(url="https://stats.example.org/kept"))
    claim.refresh_from_db()
    return claim


def request_for(name: str, claim: Claim) -> tuple[str, dict]:
    review = Review.objects.get(assignment__claim=claim)
    args = {
        "claim_restore_text": [claim.pk, claim.history.last().history_id],
        "review_source_remove": [claim.pk, review.sources.get().pk],
        "review_restore_draft": [claim.pk, review.history.last().history_id],
    }.get(name, [claim.pk])
    data = {
        "claim_comments": {"body": "Who has the 2002 table?"},
        "claim_return": {"comment": "Add the table.", "next": "claim"},
        "review_edit": {"verdict": "", "confidence": "", "summary": "Overwritten", "action": "draft"},
        "review_source_add": new_source("https://stats.example.org/added"),
    }.get(name, {})
    return reverse(f"articles:{name}", args=args), data


def snapshot(claim: Claim) -> tuple:
    claim.refresh_from_db()
    review = Review.objects.get(assignment__claim=claim)
    return (
        claim.text,
        claim.status,
        review.summary,
        review.version,
        list(review.sources.values_list("url", flat=True)),
        claim.comments.count(),
    )


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(REVIEW_URLS))
def test_each_review_url_answers_only_the_roles_it_serves(request, client, drafted, name, who):
    method, allowed = REVIEW_URLS[name]
    url, data = request_for(name, drafted)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = snapshot(drafted)
    response = getattr(client, method)(url, data)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who in allowed:
        assert response.status_code in (200, 302), response.status_code
        assert not response.get("Location", "").startswith(reverse("login"))
        return
    else:
        assert response.status_code == 403
    assert snapshot(drafted) == before


@pytest.mark.parametrize("who", ["other_reviewer", "editor"])
def test_the_htmx_source_endpoints_refuse_everyone_but_the_assignee(request, client, drafted, who):
    client.force_login(request.getfixturevalue(who))
    before = snapshot(drafted)
    for name in ("review_source_add", "review_source_remove"):
        url, data = request_for(name, drafted)
        assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 403
    assert snapshot(drafted) == before


def test_the_allowed_calls_do_what_they_say(client, drafted, reviewer, editor):
    calls = [request_for(name, drafted) for name in ("review_source_remove", "review_source_add")]
    client.force_login(reviewer)
    for url, data in [*calls, request_for("review_restore_draft", drafted)]:
        assert client.post(url, data).status_code == 302
    review = Review.objects.get(assignment__claim=drafted)
    assert list(review.sources.values_list("url", flat=True)) == ["https://stats.example.org/added"]
    assert review.summary == ""  # the first recorded state of the draft: freshly started
    client.force_login(editor)
    url, _ = request_for("claim_restore_text", drafted)
    client.post(url)
    drafted.refresh_from_db()
    assert drafted.text == "The ministry said that 3 new schools opened in the region in 2002."


def test_a_returned_review_is_a_draft_again_and_its_new_drafts_can_be_restored(
    client, submitted, editor, reviewer, verdicts
):
    return_claim(claim=submitted, editor=editor, comment="Name the table.")
    review = Review.objects.get()
    assert review.state == Review.State.DRAFT
    submitted.refresh_from_db()
    for summary in ("Table 3 of 2002", "Table 3 of the 2002 census"):
        write(submitted, reviewer, verdicts["True"], confidence=80, summary=summary)
    client.force_login(reviewer)
    history = page(client.get(reverse("articles:claim_history", args=[submitted.pk])))
    restorable = history.xpath('//tr[.//button[text()="Restore this draft"]]//ins/text()')
    assert "Table 3 of 2002" in restorable


def test_a_write_based_on_a_stale_copy_of_the_claim_checks_the_claim_as_it_is_now(claim, reviewer, editor):
    source = add_source(claim=claim, reviewer=reviewer, item=SourceInput(url="https://example.org/kept"))
    seen = Claim.objects.get(pk=claim.pk)
    assert seen.is_assigned_reviewer(reviewer)  # the view's access check, before the editor acts
    Claim.objects.get(pk=claim.pk).unassign(by=editor)
    with pytest.raises(TransitionError):
        remove_source(claim=seen, reviewer=reviewer, source_id=source.pk)
    assert Source.objects.filter(pk=source.pk).exists()
