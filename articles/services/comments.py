"""Comments on a claim, and the @mentions in them that notify desk members.

A mention is `@` followed by a username as Django allows it (letters, digits
and `@.+-_`), not preceded by such a character, so an email address in the
text mentions nobody. Sentence punctuation after the name ("@rita." or
"@rita,") is not part of it.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from verify.accounts.models import User

from ..models import Claim, Comment
from .notifications import notify

MAX_COMMENT_CHARS = 5000
MENTION_EXCERPT_CHARS = 100

# The same characters as django.contrib.auth.validators.UnicodeUsernameValidator.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
# A name may end in these, but after a mention they are far more often punctuation.
TRAILING = ".@+-"


class CommentError(ValidationError):
    """A comment that cannot be saved; the message says why."""


def mention_names(body: str) -> list[str]:
    """The names mentioned in `body`, as written, trailing punctuation removed, in order, once each."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(TRAILING)
        if name:
            names.setdefault(name, None)
    return list(names)


def desk_members() -> QuerySet[User]:
    """Active users whose role lets them see the desk, as `has_perm("articles.view_desk")` decides."""
    view_desk = {"codename": "view_desk", "content_type__app_label": "articles"}
    by_group = Permission.objects.filter(group__user=OuterRef("pk"), **view_desk)
    by_user = Permission.objects.filter(user=OuterRef("pk"), **view_desk)
    return User.objects.filter(Q(is_superuser=True) | Exists(by_group) | Exists(by_user), is_active=True)


def mentioned_users(body: str) -> list[User]:
    """The desk members mentioned in `body`, in order of first mention, each once.

    Names match case-insensitively; where two usernames differ only in case,
    the exact spelling wins. Matching happens in Python after one query:
    SQLite's LOWER() folds ASCII only, and a desk has tens of members, not
    millions.
    """
    names = mention_names(body)
    if not names:
        return []
    members = list(desk_members())
    by_folded: dict[str, list[User]] = {}
    for member in members:
        by_folded.setdefault(member.username.casefold(), []).append(member)
    found: dict[int, User] = {}
    for name in names:
        candidates = by_folded.get(name.casefold(), [])
        exact = [m for m in candidates if m.username == name]
        for member in exact or candidates:
            found.setdefault(member.pk, member)
    return list(found.values())


def comments_url(claim: Claim, comment: Comment | None = None) -> str:
    url = reverse("articles:claim_comments", args=[claim.pk])
    return url + (f"#comment-{comment.pk}" if comment is not None else "")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def add_comment(*, claim: Claim, author: User, body: str) -> Comment:
    """Add `author`'s comment to `claim` and notify the desk members it mentions (never the author).

    Raises CommentError for an empty comment or one longer than MAX_COMMENT_CHARS.
    Emails go out once the transaction commits.
    """
    body = body.strip()
    if not body:
        raise CommentError("Write something before posting: the comment is empty.")
    if len(body) > MAX_COMMENT_CHARS:
        raise CommentError(
            f"A comment can be at most {MAX_COMMENT_CHARS:,} characters; this one has {len(body):,}."
        )
    with transaction.atomic():
        comment = Comment(claim=claim, author=author, body=body)
        comment._history_user = author
        comment.save()
        message = (
            f"{author} mentioned you on “{_shorten(claim.text, 80)}”: {_shorten(body, MENTION_EXCERPT_CHARS)}"
        )
        for member in mentioned_users(body):
            if member.pk != author.pk:
                notify(user=member, actor=author, message=message, url=comments_url(claim, comment))
    return comment
