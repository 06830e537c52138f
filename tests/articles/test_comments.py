"""Comments on a claim: in time order, @mentions that notify desk members, escaped, for the desk only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Comment, Notification
from articles.services.comments import (
    MAX_COMMENT_CHARS,
    CommentError,
    add_comment,
    mention_names,
    mentioned_users,
)

from .. import factories
from ..conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    return make_article(1).claims.get()


def comments_url(claim) -> str:
    return reverse("articles:claim_comments", args=[claim.pk])


def sent_mail(settings) -> str:
    folder = Path(settings.MAILERS["default"]["OPTIONS"]["file_path"])
    return "".join(p.read_text() for p in folder.iterdir()) if folder.exists() else ""


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


# --- adding a comment -----------------------------------------------------------


def test_a_comment_is_stored_stripped_with_its_author_in_the_history(claim, editor):
    comment = add_comment(claim=claim, author=editor, body="  Checked the ministry's site.\n ")
    assert comment.body == "Checked the ministry's site."
    assert comment.author == editor and comment.claim == claim and comment.edited_at is None
    assert comment.history.get().history_user == editor


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_comment_is_refused(claim, editor, body):
    with pytest.raises(CommentError, match="empty"):
        add_comment(claim=claim, author=editor, body=body)
    assert not Comment.objects.exists()


def test_a_comment_longer_than_the_limit_is_refused_and_one_at_the_limit_is_kept(claim, editor):
    with pytest.raises(CommentError, match="at most 5,000 characters"):
        add_comment(claim=claim, author=editor, body="x" * (MAX_COMMENT_CHARS + 1))
    assert not Comment.objects.exists()
    add_comment(claim=claim, author=editor, body="x" * MAX_COMMENT_CHARS)
    assert Comment.objects.count() == 1


# --- mentions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("@rita can you look?", ["rita"]),
        ("Thanks @rita, and @rob.", ["rita", "rob"]),
        ("Ask @rita! Or @rita? (@rob)", ["rita", "rob"]),
        ("@rita: see @rita; again @rita", ["rita"]),
        ("Dotted @j.smith. and dashed @ann-marie-", ["j.smith", "ann-marie"]),
        ("Write to rita@example.org, not to anyone", []),
        ("A lone @ or @. mentions nobody", []),
        ("Café @zoë.", ["zoë"]),
    ],
)
def test_mention_names_are_usernames_without_trailing_punctuation(body, names):
    assert mention_names(body) == names


def test_mentions_match_desk_members_case_insensitively_once_each(reviewer, editor, outsider):
    inactive = factories.UserFactory(username="ivy", roles=["Reviewer"], is_active=False)
    body = (
        f"@{reviewer.username.upper()}, @{reviewer.username}. @{editor.username}! "
        f"@{outsider.username} @{inactive.username} @nobody"
    )
    assert mentioned_users(body) == [reviewer, editor]


def test_a_superuser_without_a_role_counts_as_a_desk_member(superuser):
    assert mentioned_users(f"@{superuser.username}") == [superuser]


def test_the_exact_spelling_wins_when_usernames_differ_only_in_case(db):
    lower = factories.UserFactory(username="kim", roles=["Reviewer"])
    factories.UserFactory(username="Kim", roles=["Reviewer"])
    assert mentioned_users("@kim") == [lower]


def test_matching_mentions_takes_one_query(reviewer, editor, other_reviewer, django_assert_num_queries):
    with django_assert_num_queries(1):
        mentioned_users(f"@{reviewer.username} @{editor.username} @{other_reviewer.username} @nobody")
    with django_assert_num_queries(0):
        mentioned_users("No mentions here.")


def test_mentioned_members_are_notified_once_with_a_link_and_an_email(
    claim, editor, reviewer, other_reviewer, outsider, settings, django_capture_on_commit_callbacks
):
    body = (
        f"@{reviewer.username}, @{reviewer.username}. Please check the 2001 figure. "
        f"cc @{other_reviewer.username} @{outsider.username} @{editor.username} @nobody"
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(claim=claim, author=editor, body=body)

    for member in (reviewer, other_reviewer):
        note = Notification.objects.get(user=member)
        assert note.actor == editor
        assert note.message.startswith(f"{editor} mentioned you on “The ministry said that 1 new schools")
        assert note.message.endswith(f": {body[:99]}…")
        assert note.url == f"{comments_url(claim)}#comment-{comment.pk}"
        member.refresh_from_db()
        assert member.unread_notifications == 1
    assert notified(outsider) == []  # no role: not on the desk
    assert notified(editor) == []  # the author
    mail = sent_mail(settings)
    assert reviewer.email in mail and other_reviewer.email in mail
    assert outsider.email not in mail and editor.email not in mail
    assert f"{comments_url(claim)}#comment-{comment.pk}" in mail


def test_a_short_comment_is_quoted_whole_in_the_notification(claim, editor, reviewer):
    add_comment(claim=claim, author=editor, body=f"@{reviewer.username} agreed.")
    assert notified(reviewer)[0].endswith(f": @{reviewer.username} agreed.")


def test_no_email_is_sent_before_the_comment_commits(
    claim, editor, reviewer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_comment(claim=claim, author=editor, body=f"@{reviewer.username}")
    assert sent_mail(settings) == ""
    assert len(callbacks) == 1


# --- the page -------------------------------------------------------------------


def test_the_page_shows_the_claim_and_its_comments_in_time_order(client, claim, editor, reviewer):
    first = add_comment(claim=claim, author=editor, body="First, by time.")
    second = add_comment(claim=claim, author=reviewer, body="Second, by time.")
    third = add_comment(claim=claim, author=editor, body="Third, by time.")
    # Saved first, written last: time decides, not the id.
    Comment.objects.filter(pk=first.pk).update(created_at=third.created_at + timedelta(minutes=5))
    other_claim = make_article(1).claims.get()
    add_comment(claim=other_claim, author=editor, body="On another claim.")

    client.force_login(reviewer)
    page = client.get(comments_url(claim)).text
    assert claim.text in page
    assert f'href="{claim.get_absolute_url()}"' in page
    positions = [page.index(text) for text in ("Second, by time.", "Third, by time.", "First, by time.")]
    assert positions == sorted(positions)
    assert "On another claim." not in page
    assert f'id="comment-{second.pk}"' in page
    assert str(reviewer) in page and str(editor) in page


def test_line_breaks_are_kept_and_mentions_highlighted(client, claim, editor, reviewer):
    add_comment(claim=claim, author=editor, body=f"Line one\nthanks @{reviewer.username}.")
    client.force_login(editor)
    page = client.get(comments_url(claim)).text
    assert f'Line one<br>thanks <span class="mention">@{reviewer.username}</span>.' in page


def test_comments_are_escaped(client, claim, editor):
    add_comment(claim=claim, author=editor, body='<script>alert(1)</script> @<b>x</b> @rita"><img src=x>')
    client.force_login(editor)
    page = client.get(comments_url(claim)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<b>x</b>" not in page
    assert '<span class="mention">@rita</span>&quot;&gt;&lt;img src=x&gt;' in page


def test_posting_adds_the_comment_and_redirects_to_it(client, claim, reviewer, editor):
    client.force_login(reviewer)
    response = client.post(comments_url(claim), {"body": f"Source found. @{editor.username}"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{comments_url(claim)}#comment-{comment.pk}"
    assert comment.author == reviewer and comment.claim == claim
    assert len(notified(editor)) == 1


def test_an_empty_post_is_refused_with_a_message_and_nothing_saved(client, claim, editor):
    client.force_login(editor)
    response = client.post(comments_url(claim), {"body": "   "})
    assert response.status_code == 200
    assert "the comment is empty" in response.text
    assert not Comment.objects.exists()


def test_a_refused_comment_comes_back_with_the_text_typed(client, claim, editor):
    client.force_login(editor)
    too_long = "y" * (MAX_COMMENT_CHARS + 1)
    response = client.post(comments_url(claim), {"body": too_long})
    assert "at most 5,000 characters" in response.text
    assert too_long in response.text
    assert not Comment.objects.exists()


def test_with_htmx_a_post_answers_the_comments_partial_with_an_empty_form(client, claim, editor):
    add_comment(claim=claim, author=editor, body="Already here.")
    client.force_login(editor)
    response = client.post(comments_url(claim), {"body": "Added in place."}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="comments"')
    assert "<html" not in response.text
    assert "Already here." in response.text and "Added in place." in response.text
    assert (
        '<textarea id="comment-body-' in response.text and "Added in place.</textarea>" not in response.text
    )


def test_with_htmx_a_refused_post_answers_the_partial_with_the_message(client, claim, editor):
    client.force_login(editor)
    response = client.post(comments_url(claim), {"body": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps 2xx answers only
    assert response.text.lstrip().startswith('<section id="comments"')
    assert "the comment is empty" in response.text


def test_the_article_page_links_each_claim_to_its_comments_with_a_count(client, editor):
    article = make_article(2)
    commented, quiet = article.claims.order_by("start")
    for text in ("One.", "Two."):
        add_comment(claim=commented, author=editor, body=text)
    client.force_login(editor)
    page = client.get(reverse("articles:article_detail", args=[article.pk])).text
    assert f'href="{comments_url(commented)}">Comments (2)</a>' in page
    assert f'href="{comments_url(quiet)}">Comments (0)</a>' in page


# --- who may -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, claim):
    for response in (client.get(comments_url(claim)), client.post(comments_url(claim), {"body": "Hi"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_an_outsider_without_a_role_may_neither_read_nor_post(client, claim, editor, outsider):
    add_comment(claim=claim, author=editor, body="Desk only.")
    client.force_login(outsider)
    assert client.get(comments_url(claim)).status_code == 403
    assert client.post(comments_url(claim), {"body": "Let me in"}).status_code == 403
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("who", ["reviewer", "editor", "admin_member"])
def test_every_desk_role_may_read_and_post(client, claim, who, request):
    member = request.getfixturevalue(who)
    client.force_login(member)
    assert client.get(comments_url(claim)).status_code == 200
    assert client.post(comments_url(claim), {"body": f"From the {who}."}).status_code == 302
    assert Comment.objects.get().author == member


def test_a_missing_claim_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("articles:claim_comments", args=[999999])).status_code == 404
    assert client.post(reverse("articles:claim_comments", args=[999999]), {"body": "x"}).status_code == 404


# --- queries --------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 50])
def test_the_comments_page_query_count_is_constant(
    client, claim, editor, reviewer, n, django_assert_num_queries
):
    authors = [editor, reviewer, factories.UserFactory(username="third", roles=["Editor"])]
    Comment.objects.bulk_create(
        [
            Comment(claim=claim, author=authors[i % 3], body=f"Comment {i} @{reviewer.username}")
            for i in range(n)
        ]
    )
    client.force_login(editor)
    # session, user, permissions (2), claim with its article, comments with their authors
    with django_assert_num_queries(6):
        response = client.get(comments_url(claim))
    assert response.text.count('class="comment"') == n
    with django_assert_num_queries(6):
        client.get(comments_url(claim), headers={"HX-Request": "true"})
