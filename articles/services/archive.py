"""A synthetic archive for load tests: articles, claims in every status, the work done on them, history.

Everything is written with bulk inserts, a chunk of articles per transaction, so a
million claims take minutes: no `save()`, no signal, no per-row query. The claim
counts and progress that `recount_article` keeps are computed here, in memory, from
the statuses chosen for each article before it is inserted.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils import timezone

from verify.accounts.models import User

from ..models import (
    Article,
    Assignment,
    Claim,
    Comment,
    ImportJob,
    Notification,
    Review,
    Source,
    Verdict,
    content_hash,
)
from ..models.article import COUNT_FIELDS
from ..seed import ensure_roles, ensure_verdicts

S = Claim.Status
BATCH = 5000
MARKER_PREFIX = "Generated archive"

# --- text --------------------------------------------------------------------

PLACES = [
    "the region", "the capital", "Northfield", "the eastern provinces", "the coastal towns",
    "Lower Brampton", "the county", "the city centre", "rural districts", "the border area",
]  # fmt: skip
ACTORS = [
    "The minister", "The health secretary", "The mayor", "The opposition leader", "A government spokesperson",
    "The central bank", "The police chief", "The union", "The regulator", "The finance committee",
]  # fmt: skip
THINGS = [
    "new schools", "hospital beds", "police officers", "affordable homes", "bus routes",
    "nurses", "jobs", "wind turbines", "miles of road", "childcare places",
]  # fmt: skip
TEMPLATES = [
    "{actor} said that {n} {thing} opened in {place} in {year}.",
    "According to official figures, unemployment in {place} fell to {pct}% in {year}.",
    "{actor} claimed that spending on {thing} rose by {pct}% since {year}.",
    "Crime in {place} has doubled since {year}, {actor_l} told reporters.",
    "The budget for {thing} in {place} is {n} million pounds, {actor_l} said.",
    "{actor} said {place} now has {n} {thing}, more than ever before.",
    "Inflation reached {pct}% in {year}, the highest level in a decade.",
    "Waiting times in {place} went up by {pct}% between {year} and {year2}.",
    "{actor} promised {n} {thing} for {place} by {year2}.",
    "Only {pct}% of {thing} in {place} met the target last year, the report found.",
]
FILLER = [
    "Residents gathered outside the town hall on a cold morning.",
    "The meeting lasted well into the evening.",
    "Reporters were not allowed into the second session.",
    "Several people declined to comment when approached.",
    "The debate is expected to continue next week.",
    "Local businesses have followed the discussion closely.",
    "A full transcript was published later in the day.",
    "Campaigners handed out leaflets near the station.",
]
TITLES = [
    "{actor} defends record on {thing} in {place}",
    "Row over {thing} figures as {place} prepares for vote",
    "What we know about {thing} in {place}",
    "{place}: claims and counter-claims on {thing}",
    "Fact check: {actor_l}'s promise on {thing}",
    "Budget week: the numbers behind {thing}",
]
SITES = [("The Northfield Herald", "herald.example.com"), ("Daily Ledger", "ledger.example.org"),
         ("Coastal Times", "coastaltimes.example.net"), ("Wire Service", "wire.example.com")]  # fmt: skip
SUMMARIES = [
    "Official statistics confirm the figure for that year.",
    "The figure is close but refers to a different period.",
    "The source cited does not contain this number.",
    "The trend is right but the size of the change is overstated.",
    "No public data covers this; the department did not answer.",
]
COMMENTS = [
    "Can someone check the ONS table for this?",
    "I think this is the same claim we checked last month.",
    "@editor the source link is broken, looking for another.",
    "Needs a second pair of eyes before approval.",
    "Called the press office, waiting for a reply.",
]

# Status weights for recent articles (on the desk now) and for the archive.
ACTIVE_MIX = {
    S.CANDIDATE: 22, S.NEW: 30, S.DISCARDED: 6, S.ASSIGNED: 10, S.IN_REVIEW: 8,
    S.RETURNED: 2, S.SUBMITTED: 6, S.NOT_CHECKABLE: 3, S.APPROVED: 13,
}  # fmt: skip
ARCHIVE_MIX = {S.CANDIDATE: 25, S.NEW: 4, S.DISCARDED: 10, S.NOT_CHECKABLE: 8, S.APPROVED: 53}
ACTIVE_SHARE = 0.05  # the newest 5% of articles still have open work
OPEN = {S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED}


@dataclass
class Cast:
    editors: list[User]
    reviewers: list[User]
    verdicts: list[Verdict]


@dataclass
class Totals:
    articles: int = 0
    claims: int = 0
    assignments: int = 0
    reviews: int = 0
    sources: int = 0
    comments: int = 0
    notifications: int = 0
    history: int = 0
    statuses: Counter = field(default_factory=Counter)


@contextlib.contextmanager
def _keep_given_dates() -> Iterator[None]:
    """Let bulk_create store the generated dates instead of now (auto_now fields overwrite them)."""
    fields = [
        f
        for model in (Article, Claim, Comment, Source, Review, Notification, ImportJob)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def ensure_cast(*, n_reviewers: int) -> Cast:
    """Editors and reviewers named archive-editor-N / archive-reviewer-N, created once.

    They cannot log in with a password (an admin sets one if wanted); the benchmark
    makes their sessions directly.
    """
    ensure_roles(Group, Permission)
    ensure_verdicts(Verdict)
    n_editors = max(2, n_reviewers // 5)
    wanted = [(f"archive-editor-{i}", "Editor") for i in range(1, n_editors + 1)]
    wanted += [(f"archive-reviewer-{i}", "Reviewer") for i in range(1, n_reviewers + 1)]
    existing = set(
        User.objects.filter(username__in=[u for u, _ in wanted]).values_list("username", flat=True)
    )
    unusable = make_password(None)
    new = [
        User(username=u, email=f"{u}@example.org", password=unusable, first_name=u.split("-")[1].title(),
             last_name=u.rsplit("-", 1)[1])
        for u, _ in wanted
        if u not in existing
    ]  # fmt: skip
    User.objects.bulk_create(new)
    groups = {g.name: g for g in Group.objects.filter(name__in=["Editor", "Reviewer"])}
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, _ in wanted])}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=users[u].pk, group_id=groups[role].pk) for u, role in wanted],
        ignore_conflicts=True,
    )
    return Cast(
        editors=[users[u] for u, role in wanted if role == "Editor"],
        reviewers=[users[u] for u, role in wanted if role == "Reviewer"],
        verdicts=list(Verdict.objects.filter(archived=False)),
    )


def _claims_per_article(n_articles: int, n_claims: int, rng: random.Random) -> list[int]:
    weights = [rng.lognormvariate(0, 0.5) for _ in range(n_articles)]
    total = sum(weights)
    counts = [int(n_claims * w / total) for w in weights]
    for i in rng.sample(range(n_articles), n_claims - sum(counts)):
        counts[i] += 1
    return counts


def _fill(template: str, rng: random.Random) -> str:
    year = rng.randint(2005, 2024)
    actor = rng.choice(ACTORS)
    return template.format(
        actor=actor,
        actor_l=actor[0].lower() + actor[1:],
        n=rng.choice([rng.randint(2, 99), rng.randint(100, 9999)]),
        pct=rng.randint(1, 60),
        thing=rng.choice(THINGS),
        place=rng.choice(PLACES),
        year=year,
        year2=year + rng.randint(1, 6),
    )


def _body(n_claims: int, ref: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """An article text and the spans of its check-worthy sentences, `n_claims` of them."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for _ in range(n_claims):
        if rng.random() < 0.4:
            filler = rng.choice(FILLER)
            parts.append(filler)
            pos += len(filler) + 1
        sentence = _fill(rng.choice(TEMPLATES), rng)
        spans.append((pos, pos + len(sentence), sentence))
        parts.append(sentence)
        pos += len(sentence) + 1
    parts.append(f"Reporting by the newsdesk. Ref. {ref}.")
    return " ".join(parts), spans


def _pick(mix: dict[str, int], rng: random.Random) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


class _Builder:
    """One chunk of articles with everything hanging off them, inserted model by model."""

    def __init__(self, cast: Cast, rng: random.Random, now: datetime.datetime, totals: Totals) -> None:
        self.cast, self.rng, self.now, self.totals = cast, rng, now, totals

    def _history(self, model: type[models.Model], objs: list, *, update: bool = False) -> None:
        if objs:
            model.history.bulk_history_create(objs, batch_size=BATCH, update=update)
            self.totals.history += len(objs)

    def _insert(self, model: type[models.Model], objs: list, *, total: str, history: bool = True) -> None:
        model.objects.bulk_create(objs, batch_size=BATCH)
        if history:
            self._history(model, objs)
        setattr(self.totals, total, getattr(self.totals, total) + len(objs))

    def build(self, plans: list[tuple[int, int, datetime.datetime, bool]]) -> None:
        rng, cast = self.rng, self.cast
        articles, claim_plans = [], []
        for ref, n_claims, created_at, active in plans:
            body, spans = _body(n_claims, ref=f"VA-{ref}", rng=rng)
            statuses = [_pick(ACTIVE_MIX if active else ARCHIVE_MIX, rng) for _ in spans]
            counts = dict.fromkeys(COUNT_FIELDS, 0)
            counts.update(Counter(f"n_{s}" for s in statuses))
            site, domain = rng.choice(SITES)
            title = _fill(rng.choice(TITLES), rng)
            slug = "-".join(title.lower().replace(":", "").replace("'s", "").split()[:8])
            editor = rng.choice(cast.editors)
            article = Article(
                title=title,
                source_url=f"https://{domain}/news/{created_at:%Y/%m}/{slug}-{ref}",
                canonical_url=f"https://{domain}/news/{slug}-{ref}",
                site_name=site,
                byline=f"By {rng.choice(['Ana Ruiz', 'Tom Okafor', 'Li Wei', 'Sara Lind', 'Newsdesk'])}",
                published_at=created_at - datetime.timedelta(hours=rng.randint(1, 48)),
                language="en",
                extracted_at=created_at,
                body=body,
                content_hash=content_hash(body),
                created_by=editor,
                created_at=created_at,
                progress=Article.progress_for(counts),
                **counts,
            )
            article._history_user, article._history_date = editor, created_at
            articles.append(article)
            claim_plans.append((article, spans, statuses))
        self._insert(Article, articles, total="articles")

        claims = []
        for article, spans, statuses in claim_plans:
            for (start, end, text), status in zip(spans, statuses, strict=True):
                claim = Claim(
                    article_id=article.pk,
                    text=text,
                    start=start,
                    end=end,
                    status=status,
                    score=round(rng.uniform(0.2 if status == S.CANDIDATE else 0.55, 0.99), 3),
                    claim_type=rng.choice(["statistic", "quantity", "comparison", "prediction"]),
                    curated=status not in (S.CANDIDATE, S.NEW),
                    created_at=article.created_at,
                    updated_at=article.created_at,
                )
                claim._history_user, claim._history_date = None, article.created_at
                claims.append(claim)
        Claim.objects.bulk_create(claims, batch_size=BATCH)
        # History as the workflow wrote it: extraction created the claim new or as a
        # candidate, a person's move changed it later.
        moved = [c for c in claims if c.status not in (S.CANDIDATE, S.NEW)]
        final = {c.pk: c.status for c in moved}
        for c in moved:
            c.status = S.CANDIDATE if c.status == S.DISCARDED else S.NEW
        self._history(Claim, claims)
        for c in moved:
            c.status = final[c.pk]
            c._history_date = c.created_at + datetime.timedelta(hours=rng.randint(1, 72))
            c._history_user = rng.choice(cast.editors)
            c._change_reason = f"moved to {c.get_status_display().lower()}"
        self._history(Claim, moved, update=True)
        self.totals.claims += len(claims)
        self.totals.statuses.update(c.status for c in claims)
        self._work(moved)

    def _work(self, moved: list[Claim]) -> None:
        rng, cast, now = self.rng, self.cast, self.now
        assignments: list[Assignment] = []
        for claim in moved:
            if claim.status not in OPEN and claim.status not in (S.APPROVED, S.NOT_CHECKABLE):
                continue
            opened = claim._history_date - datetime.timedelta(hours=rng.randint(1, 24))
            if claim.status in OPEN:
                # Work still on the desk was assigned in the last two weeks, some of it overdue by now.
                opened = now - datetime.timedelta(hours=rng.randint(1, 14 * 24))
            reviewer = rng.choice(cast.reviewers)
            editor = rng.choice(cast.editors)
            if rng.random() < 0.05:
                earlier = rng.choice(cast.reviewers)
                old = Assignment(
                    claim_id=claim.pk, reviewer=earlier, assigned_by=editor,
                    opened_at=opened - datetime.timedelta(days=2), closed_at=opened,
                    close_reason=Assignment.CloseReason.REASSIGNED,
                )  # fmt: skip
                old._history_user, old._history_date = editor, old.opened_at
                assignments.append(old)
            if claim.status in OPEN:
                due = (
                    opened + datetime.timedelta(hours=rng.randint(6, 7 * 24)) if rng.random() < 0.8 else None
                )
                assignment = Assignment(
                    claim_id=claim.pk, reviewer=reviewer, assigned_by=editor, opened_at=opened, due_at=due
                )
            else:
                reason = (
                    Assignment.CloseReason.APPROVED
                    if claim.status == S.APPROVED
                    else Assignment.CloseReason.NOT_CHECKABLE
                )
                assignment = Assignment(
                    claim_id=claim.pk, reviewer=reviewer, assigned_by=editor, opened_at=opened,
                    due_at=opened + datetime.timedelta(days=3), closed_at=claim._history_date,
                    close_reason=reason,
                )  # fmt: skip
            assignment._history_user, assignment._history_date = editor, opened
            assignment.claim_status = claim.status
            assignments.append(assignment)
        self._insert(Assignment, assignments, total="assignments")

        reviews = []
        for a in assignments:
            status = getattr(a, "claim_status", None)
            if status not in (S.IN_REVIEW, S.RETURNED, S.SUBMITTED, S.APPROVED):
                continue
            done = status in (S.SUBMITTED, S.APPROVED)
            review = Review(
                assignment_id=a.pk,
                verdict=rng.choice(cast.verdicts) if done or rng.random() < 0.5 else None,
                confidence=rng.randint(50, 100) if done else None,
                summary=rng.choice(SUMMARIES) if done else "",
                state=Review.State.SUBMITTED if done else Review.State.DRAFT,
                submitted_at=a.opened_at + datetime.timedelta(hours=rng.randint(1, 20)) if done else None,
                updated_at=a.opened_at + datetime.timedelta(hours=20),
            )
            review._history_user, review._history_date = a.reviewer, review.updated_at
            reviews.append(review)
        self._insert(Review, reviews, total="reviews")

        sources = []
        for review in reviews:
            n = rng.randint(1, 3) if review.state == Review.State.SUBMITTED else rng.randint(0, 1)
            for position in range(n):
                source = Source(
                    review_id=review.pk,
                    url=f"https://stats.example.gov/tables/{rng.randint(1000, 99999)}",
                    title=rng.choice(["Labour market statistics", "Annual budget", "Census table", "Report"]),
                    publisher=rng.choice(["Office for Statistics", "Treasury", "City council", "NHS"]),
                    stance=rng.choice(Source.Stance.values),
                    kind=rng.choice(Source.Kind.values),
                    accessed_on=review.updated_at.date(),
                    position=position,
                    created_at=review.updated_at,
                )
                source._history_user, source._history_date = review._history_user, review.updated_at
                sources.append(source)
        self._insert(Source, sources, total="sources")

        comments = []
        people = cast.editors + cast.reviewers
        for claim in moved:
            if rng.random() < 0.1:
                for k in range(rng.randint(1, 3)):
                    author = rng.choice(people)
                    comment = Comment(
                        claim_id=claim.pk,
                        author=author,
                        body=rng.choice(COMMENTS),
                        created_at=claim._history_date + datetime.timedelta(minutes=10 * k + 1),
                    )
                    comment._history_user, comment._history_date = author, comment.created_at
                    comments.append(comment)
        self._insert(Comment, comments, total="comments")

        notifications = [
            Notification(
                user=a.reviewer,
                actor=a.assigned_by,
                message=f"{a.assigned_by} assigned you a claim",
                url=f"/claims/{a.claim_id}/review/",
                created_at=a.opened_at,
                read_at=None if a.closed_at is None and rng.random() < 0.3 else a.opened_at,
            )
            for a in assignments
        ]
        self._insert(Notification, notifications, total="notifications", history=False)


def generate_archive(
    *,
    n_articles: int,
    n_claims: int,
    n_reviewers: int = 20,
    seed: int = 0,
    years: int = 3,
    chunk: int = 500,
    progress: Callable[[Totals], None] | None = None,
) -> Totals:
    """Insert `n_articles` articles holding `n_claims` claims in all, with reviews, comments and history.

    Articles are spread over the last `years` years, oldest first (ids grow with
    dates, as in real use); the newest few percent carry the open work. Each chunk
    of articles is one transaction, so an interrupted run leaves whole articles.
    """
    if n_articles < 1 or n_claims < n_articles:
        raise ValueError("Need at least one article and at least one claim per article.")
    rng = random.Random(seed)
    now = timezone.now()
    cast = ensure_cast(n_reviewers=n_reviewers)
    per_article = [max(1, n) for n in _claims_per_article(n_articles, n_claims, rng)]
    excess = sum(per_article) - n_claims
    for i in range(len(per_article)):  # the max(1, ...) above may have added a few
        if excess <= 0:
            break
        if per_article[i] > 1:
            per_article[i] -= 1
            excess -= 1
    span = datetime.timedelta(days=365 * years)
    first_ref = (Article.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
    active_from = int(n_articles * (1 - ACTIVE_SHARE))
    totals = Totals()
    builder = _Builder(cast, rng, now, totals)
    with _keep_given_dates():
        for lo in range(0, n_articles, chunk):
            plans = [
                (
                    first_ref + i,
                    per_article[i],
                    now - span + span * (i + rng.random()) / n_articles - datetime.timedelta(hours=1),
                    i >= active_from,
                )
                for i in range(lo, min(lo + chunk, n_articles))
            ]
            with transaction.atomic():
                builder.build(plans)
            if progress:
                progress(totals)
        with transaction.atomic():
            _finish(cast, totals, now=now, label=f"{MARKER_PREFIX}: {n_articles} articles, {n_claims} claims")
    return totals


def _finish(cast: Cast, totals: Totals, *, now: datetime.datetime, label: str) -> None:
    # The bell's counter, kept with each notification in normal use (one UPDATE per person).
    unread = dict(
        Notification.objects.filter(read_at__isnull=True)
        .values_list("user_id")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    for user in cast.reviewers:
        User.objects.filter(pk=user.pk).update(unread_notifications=unread.get(user.pk, 0))
    # The marker a benchmark looks for before reusing a database.
    ImportJob.objects.create(
        source=ImportJob.Source.BULK,
        status=ImportJob.Status.DONE,
        label=label,
        created_by=cast.editors[0],
        created_at=now,
        started_at=now,
        finished_at=now,
    )
