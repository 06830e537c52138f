from __future__ import annotations

import factory
from django.contrib.auth.models import Group, Permission

from articles.models import Article, Assignment, Claim, ImportJob, Review, Source, Verdict, content_hash
from articles.seed import ensure_roles, ensure_verdicts
from verify.accounts.models import User

SENTENCE = "The ministry said that {n} new schools opened in the region in {year}."


def roles() -> None:
    ensure_roles(Group, Permission)


def verdicts() -> None:
    ensure_verdicts(Verdict)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            roles()
            self.groups.set(Group.objects.filter(name__in=extracted))


def article_body(n_sentences: int) -> str:
    return " ".join(SENTENCE.format(n=i + 1, year=2000 + i % 25) for i in range(n_sentences))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    body = factory.Sequence(lambda n: f"Article {n}. " + article_body(3))
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    text = "The ministry said that 3 new schools opened in the region in 2002."
    start = 0
    end = factory.LazyAttribute(lambda c: len(c.text))
    status = Claim.Status.NEW


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    claim = factory.SubFactory(ClaimFactory, status=Claim.Status.ASSIGNED)
    reviewer = factory.SubFactory(UserFactory, roles=["Reviewer"])
    assigned_by = factory.SubFactory(UserFactory, roles=["Editor"])


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    confidence = 80
    summary = "Official figures confirm it."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    review = factory.SubFactory(ReviewFactory)
    url = factory.Sequence(lambda n: f"https://stats.example.org/table/{n}")
    title = "Official statistics"


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    label = "Pasted article"
    created_by = factory.SubFactory(UserFactory, roles=["Editor"])
