"""Editors curate claims: edit, split, merge, add, discard, restore, promote, in bulk, and re-extract.

Each action is a service function; these tests hold its rules, its edge cases,
and that it records who did what.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from articles.models import Article, Claim, content_hash
from articles.services.claims import store_extracted_claims
from articles.services.curation import (
    CurationError,
    add_claim,
    bulk_move,
    edit_claim,
    find_in_body,
    merge_claims,
    overlapping_ids,
    split_claim,
)
from articles.services.reviews import save_review

pytestmark = pytest.mark.django_db

BODY = (
    "The ministry said 3 new schools opened in 2002.\n\n"
    "Unemployment fell to 4.1% in March, the statistics office reported. "
    "Exports rose by £1.2bn last year. "
    "Read more about the economy.\n\n"
    "Prices will rise again next year, the central bank predicted."
)


@pytest.fixture
def article(editor) -> Article:
    article = Article.objects.create(title="Economy", body=BODY, content_hash=content_hash(BODY))
    store_extracted_claims(article=article, by=editor)
    return article


def claim_at(article: Article, words: str) -> Claim:
    start = article.body.index(words)
    return article.claims.get(start__lte=start, end__gt=start)


def spans(article: Article) -> list[tuple[int, int, str]]:
    return sorted((c.start, c.end, c.status) for c in article.claims.all())


def test_extraction_stores_claims_and_candidates_in_text_order(article):
    texts = [c.text for c in article.claims.all()]
    assert texts[0] == "The ministry said 3 new schools opened in 2002."
    assert [c.start for c in article.claims.all()] == sorted(c.start for c in article.claims.all())
    assert claim_at(article, "Read more").status in {Claim.Status.CANDIDATE}


# --- edit ------------------------------------------------------------------


def test_edit_keeps_the_span_and_records_the_editor(article, editor):
    claim = claim_at(article, "Exports rose")
    start, end = claim.start, claim.end
    edit_claim(claim_id=claim.pk, text="  Exports rose by  £1.2bn in 2023. ", by=editor)
    claim.refresh_from_db()
    assert claim.text == "Exports rose by £1.2bn in 2023."
    assert (claim.start, claim.end) == (start, end)
    assert article.body[claim.start : claim.end] == "Exports rose by £1.2bn last year."
    assert claim.curated and claim.edited_at is not None
    latest = claim.history.first()
    assert latest.history_user == editor and latest.history_change_reason == "edited"


def test_edit_of_an_assigned_claim_is_allowed_and_its_reviewer_sees_it_in_the_history(
    client, article, editor, reviewer
):
    claim = claim_at(article, "Exports rose")
    claim.assign_to(reviewer, by=editor)
    edit_claim(claim_id=claim.pk, text="Exports rose by £1.2bn in 2023.", by=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED
    client.force_login(reviewer)
    page = client.get(reverse("articles:claim_history", args=[claim.pk])).text
    assert "edited" in page
    assert "Exports rose by £1.2bn last year." in page  # the text before
    assert "Exports rose by £1.2bn in 2023." in page  # and after


def test_a_status_move_meanwhile_is_no_conflict_for_the_text(article, editor, reviewer):
    claim = claim_at(article, "Exports rose")
    seen = claim.text
    claim.assign_to(reviewer, by=editor)  # changes updated_at, not the text
    edit_claim(claim_id=claim.pk, text="Exports rose by £1.2bn in 2023.", by=editor, seen_text=seen)
    assert Claim.objects.get(pk=claim.pk).text == "Exports rose by £1.2bn in 2023."


def test_edit_refuses_approved_and_discarded_claims_and_blank_text(article, editor):
    claim = claim_at(article, "Exports rose")
    with pytest.raises(CurationError, match="needs some text"):
        edit_claim(claim_id=claim.pk, text="   ", by=editor)
    claim.discard(by=editor)
    with pytest.raises(CurationError, match="restore it first"):
        edit_claim(claim_id=claim.pk, text="Anything.", by=editor)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.APPROVED)
    with pytest.raises(CurationError, match="reopen it first"):
        edit_claim(claim_id=claim.pk, text="Anything.", by=editor)


def test_two_editors_saving_the_same_claim_the_second_is_refused_and_told(article, editor, other_editor):
    claim = claim_at(article, "Exports rose")
    seen = claim.text
    edit_claim(claim_id=claim.pk, text="First editor's text.", by=editor, seen_text=seen)
    with pytest.raises(CurationError, match="eddie_editor changed this claim"):
        edit_claim(claim_id=claim.pk, text="Second editor's text.", by=other_editor, seen_text=seen)
    claim.refresh_from_db()
    assert claim.text == "First editor's text."


# --- split -----------------------------------------------------------------


def test_split_cuts_the_claim_and_its_span_in_two(article, editor):
    claim = claim_at(article, "Unemployment fell")
    at = claim.text.index(", the statistics")
    first, second = split_claim(claim_id=claim.pk, at=at, by=editor)
    assert first.pk == claim.pk
    assert first.text == "Unemployment fell to 4.1% in March"
    assert second.text == ", the statistics office reported."[2:]
    for part in (first, second):
        assert article.body[part.start : part.end] == part.text
        assert part.curated
    assert second.origin == Claim.Origin.SPLIT and second.derived_from_id == claim.pk
    assert second.history.first().history_user == editor
    assert first.history.first().history_change_reason == f"split at character {at}"


@pytest.mark.parametrize("at", [0, -1, 10_000, "end", len("Exports rose by £1.2bn last year")])
def test_split_at_the_edges_is_refused_and_changes_nothing(article, editor, at):
    claim = claim_at(article, "Exports rose")
    before = spans(article)
    position = len(claim.text) if at == "end" else at
    with pytest.raises(CurationError, match="both parts need some words"):
        split_claim(claim_id=claim.pk, at=position, by=editor)
    assert spans(article) == before


def test_split_inside_a_word_is_refused(article, editor):
    claim = claim_at(article, "Exports rose")
    with pytest.raises(CurationError, match="between two words"):
        split_claim(claim_id=claim.pk, at=3, by=editor)


def test_split_of_an_edited_claim_cuts_its_span_in_proportion(article, editor):
    claim = claim_at(article, "Exports rose")
    edit_claim(claim_id=claim.pk, text="Exports rose. Imports fell.", by=editor)
    first, second = split_claim(claim_id=claim.pk, at=len("Exports rose."), by=editor)
    assert (first.text, second.text) == ("Exports rose.", "Imports fell.")
    assert claim.start < first.end == second.start < second.end


def test_split_and_merge_are_refused_once_a_reviewer_is_assigned(article, editor, reviewer):
    claim = claim_at(article, "Exports rose")
    claim.assign_to(reviewer, by=editor)
    with pytest.raises(CurationError, match="unassign it first"):
        split_claim(claim_id=claim.pk, at=8, by=editor)
    neighbour = claim_at(article, "Unemployment fell")
    with pytest.raises(CurationError, match="unassign it first"):
        merge_claims(claim_ids=(neighbour.pk, claim.pk), by=editor)


# --- merge -----------------------------------------------------------------


def test_merge_joins_neighbours_into_the_first_and_keeps_the_second_in_history(article, editor):
    first = claim_at(article, "Unemployment fell")
    second = claim_at(article, "Exports rose")
    merged = merge_claims(claim_ids=(second.pk, first.pk), by=editor)
    assert merged.pk == first.pk
    assert merged.text == (
        "Unemployment fell to 4.1% in March, the statistics office reported. Exports rose by £1.2bn last year."
    )
    assert article.body[merged.start : merged.end] == merged.text
    assert merged.origin == Claim.Origin.MERGED and merged.curated
    assert not Claim.objects.filter(pk=second.pk).exists()
    gone = Claim.history.filter(id=second.pk).first()
    assert gone.history_type == "-" and gone.history_change_reason == f"merged into claim {first.pk}"
    assert gone.history_user == editor


def test_merge_across_a_discarded_claim_is_refused(article, editor):
    first = claim_at(article, "Unemployment fell")
    middle = claim_at(article, "Exports rose")
    last = claim_at(article, "Read more")
    middle.discard(by=editor, reason="duplicate")
    before = spans(article)
    with pytest.raises(CurationError, match="lies between them"):
        merge_claims(claim_ids=(first.pk, last.pk), by=editor)
    assert spans(article) == before


def test_merge_of_claims_of_two_articles_is_refused(article, editor):
    other = Article.objects.create(
        title="Other", body=BODY + " More.", content_hash=content_hash(BODY + " More.")
    )
    store_extracted_claims(article=other, by=editor)
    with pytest.raises(CurationError, match="same article"):
        merge_claims(claim_ids=(article.claims.first().pk, other.claims.first().pk), by=editor)


# --- add by selection -------------------------------------------------------


def test_a_selection_becomes_a_claim_with_its_offsets_trimmed(article, editor):
    start = BODY.index("Exports rose") - 1  # a leading space, trimmed
    end = BODY.index("last year.") + len("last year")
    claim = add_claim(article_id=article.pk, start=start, end=end, by=editor)
    assert claim.text == "Exports rose by £1.2bn last year"
    assert (claim.start, claim.end) == (start + 1, end)
    assert claim.origin == Claim.Origin.ADDED and claim.status == Claim.Status.NEW and claim.curated
    assert any(h["kind"] == "money" for h in claim.highlights)
    assert claim.history.first().history_user == editor


def test_a_selection_overlapping_a_claim_is_allowed_and_shown_as_overlapping(article, editor):
    existing = claim_at(article, "Unemployment fell")
    start = BODY.index("4.1% in March")
    claim = add_claim(article_id=article.pk, start=start, end=start + len("4.1% in March"), by=editor)
    listed = list(article.claims.exclude(status="candidate"))
    assert overlapping_ids(listed)[claim.pk] == [existing.pk]
    assert overlapping_ids(listed)[existing.pk] == [claim.pk]


def test_selecting_a_candidate_exactly_promotes_it_instead_of_duplicating(article, editor):
    candidate = claim_at(article, "Read more")
    assert candidate.status == Claim.Status.CANDIDATE
    count = article.claims.count()
    claim = add_claim(article_id=article.pk, start=candidate.start, end=candidate.end, by=editor)
    assert claim.pk == candidate.pk and article.claims.count() == count
    assert Claim.objects.get(pk=candidate.pk).status == Claim.Status.NEW


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "Select some text"), (-1, 4, "Select some text"), (0, 10_000, "Select some text")],
)
def test_a_bad_selection_is_refused(article, editor, start, end, message):
    with pytest.raises(CurationError, match=message):
        add_claim(article_id=article.pk, start=start, end=end, by=editor)


def test_a_whitespace_selection_and_an_existing_claim_are_refused(article, editor):
    gap = BODY.index("\n\n")
    with pytest.raises(CurationError, match="Select some words"):
        add_claim(article_id=article.pk, start=gap, end=gap + 2, by=editor)
    claim = claim_at(article, "Exports rose")
    with pytest.raises(CurationError, match="already a claim"):
        add_claim(article_id=article.pk, start=claim.start, end=claim.end, by=editor)


def test_pasted_text_is_found_in_the_body_whatever_its_spacing():
    assert find_in_body(BODY, "Exports  rose\nby £1.2bn") == (
        BODY.index("Exports"),
        BODY.index("Exports") + len("Exports rose by £1.2bn"),
    )
    with pytest.raises(CurationError, match="not in the article"):
        find_in_body(BODY, "Exports fell")


# --- discard, restore, promote, bulk ----------------------------------------


def test_discard_with_a_reason_then_restore(article, editor):
    claim = claim_at(article, "Exports rose")
    claim.discard(by=editor, reason="Not checkable as written")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISCARDED and claim.status_reason == "Not checkable as written"
    assert claim.curated
    claim.restore(by=editor)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW


def test_bulk_discard_and_promote_move_each_claim_or_say_why_not(article, editor, reviewer):
    new = [c for c in article.claims.filter(status=Claim.Status.NEW)]
    new[0].assign_to(reviewer, by=editor)
    result = bulk_move(
        article=article, claim_ids=[c.pk for c in new], action="discard", by=editor, reason="off topic"
    )
    assert result.done == len(new) - 1
    assert len(result.refused) == 1 and "assigned" in result.refused[0]
    candidates = list(article.claims.filter(status=Claim.Status.CANDIDATE))
    result = bulk_move(article=article, claim_ids=[c.pk for c in candidates], action="promote", by=editor)
    assert result.done == len(candidates) and not result.refused
    assert not article.claims.filter(status=Claim.Status.CANDIDATE).exists()


def test_bulk_ignores_claims_of_other_articles(article, editor):
    other = Article.objects.create(
        title="Other", body=BODY + " More.", content_hash=content_hash(BODY + " More.")
    )
    store_extracted_claims(article=other, by=editor)
    foreign = other.claims.filter(status=Claim.Status.NEW).first()
    result = bulk_move(article=article, claim_ids=[foreign.pk], action="discard", by=editor)
    assert result.done == 0
    assert Claim.objects.get(pk=foreign.pk).status == Claim.Status.NEW


# --- re-extraction ----------------------------------------------------------


def snapshot(claim: Claim) -> dict:
    fresh = Claim.objects.get(pk=claim.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Claim._meta.concrete_fields}


def test_reextraction_keeps_every_claim_a_person_touched_and_duplicates_nothing(
    editor, reviewer, verdicts, sample_text
):
    article = Article.objects.create(title="Sample", body=sample_text, content_hash=content_hash(sample_text))
    store_extracted_claims(article=article, by=editor)
    new = list(article.claims.filter(status=Claim.Status.NEW))
    edited, to_split, discarded, assigned, reviewed = new[0], new[2], new[4], new[6], new[8]
    edit_claim(claim_id=edited.pk, text="An editor's wording of the first claim.", by=editor)
    first, second = split_claim(claim_id=to_split.pk, at=to_split.text.index(" ", 20), by=editor)
    discarded.discard(by=editor, reason="covered elsewhere")
    assigned.assign_to(reviewer, by=editor)
    reviewed.assign_to(reviewer, by=editor)
    save_review(
        claim=reviewed,
        reviewer=reviewer,
        verdict=verdicts["True"] if "True" in verdicts else next(iter(verdicts.values())),
        confidence=70,
        summary="Matches the ministry's figures.",
        sources=[],
        submit=False,
    )
    kept = [edited, first, second, discarded, assigned, reviewed]
    before = {c.pk: snapshot(c) for c in kept}
    untouched = article.claims.exclude(pk__in=before).count()

    result = store_extracted_claims(article=article, by=editor)

    assert {c.pk: snapshot(c) for c in kept} == before
    assert result.kept == len(kept) and result.replaced == untouched
    claims = list(article.claims.order_by("start", "end"))
    for a, b in zip(claims, claims[1:], strict=False):
        assert a.end <= b.start, f"overlapping claims after re-extraction: {a.text!r} / {b.text!r}"
    assert article.claims.count() == untouched + len(kept)
    # Running it again changes nothing more.
    again = store_extracted_claims(article=article, by=editor)
    assert article.claims.count() == untouched + len(kept)
    assert again.kept == len(kept)
    article.refresh_from_db()
    assert article.extracted_at is not None
    assert article.history.first().history_change_reason.startswith("claims extracted: kept 6")


def test_reextraction_replaces_untouched_claims_in_one_recorded_run(article, editor):
    old = set(article.claims.values_list("pk", flat=True))
    store_extracted_claims(article=article, by=editor)
    assert not old & set(article.claims.values_list("pk", flat=True))
    gone = Claim.history.filter(id__in=old, history_type="-")
    assert gone.count() == len(old)
    assert {h.history_change_reason for h in gone} == {"replaced by re-extraction"}
    assert {h.history_user_id for h in gone} == {editor.pk}


def test_a_draft_over_an_added_claim_is_kept_unless_it_is_the_same_span(article, editor):
    start = BODY.index("4.1% in March")
    added = add_claim(article_id=article.pk, start=start, end=start + len("4.1% in March"), by=editor)
    store_extracted_claims(article=article, by=editor)
    assert Claim.objects.filter(pk=added.pk).exists()
    assert claim_at(article, "Unemployment fell").pk != added.pk  # the sentence is still there


def test_edited_at_moves_forward(article, editor):
    claim = claim_at(article, "Exports rose")
    edit_claim(claim_id=claim.pk, text="Once.", by=editor)
    first = Claim.objects.get(pk=claim.pk).edited_at
    Claim.objects.filter(pk=claim.pk).update(edited_at=first - timedelta(hours=1))
    edit_claim(claim_id=claim.pk, text="Twice.", by=editor)
    assert Claim.objects.get(pk=claim.pk).edited_at > first - timedelta(hours=1)


def test_a_newer_version_of_the_article_carries_the_curation_done_before_assignment(editor, reviewer):
    old = Article.objects.create(title="Economy", body=BODY, content_hash=content_hash(BODY))
    store_extracted_claims(article=old, by=editor)
    edited = claim_at(old, "Exports rose")
    edit_claim(claim_id=edited.pk, text="Exports rose by £1.2bn in 2023.", by=editor)
    discarded = claim_at(old, "Prices will rise")
    discarded.discard(by=editor, reason="prediction")
    assigned = claim_at(old, "The ministry said")
    assigned.assign_to(reviewer, by=editor)
    old.is_superseded = True
    old.save()

    body = "A new first paragraph was added.\n\n" + BODY.replace(
        "Unemployment fell to 4.1%", "Unemployment fell to 4.3%"
    )
    new = Article.objects.create(title="Economy", body=body, content_hash=content_hash(body), supersedes=old)
    store_extracted_claims(article=new, by=editor)

    carried_edit = claim_at(new, "Exports rose")
    assert carried_edit.text == "Exports rose by £1.2bn in 2023." and carried_edit.curated
    assert new.body[carried_edit.start : carried_edit.end] == "Exports rose by £1.2bn last year."
    carried_discard = claim_at(new, "Prices will rise")
    assert carried_discard.status == Claim.Status.DISCARDED and carried_discard.status_reason == "prediction"
    # The assigned claim stays on the earlier version; the new one has a fresh claim for that sentence.
    assert claim_at(new, "The ministry said").status == Claim.Status.NEW
    assert Claim.objects.get(pk=assigned.pk).article_id == old.pk
    # Nothing is duplicated.
    claims = list(new.claims.order_by("start"))
    assert all(a.end <= b.start for a, b in zip(claims, claims[1:], strict=False))
    assert carried_edit.history.first().history_change_reason.startswith("carried over from claim")
