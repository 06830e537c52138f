"""Curation of the sample article in real Chromium: every change survives a re-extraction."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article, Claim, content_hash
from articles.services.claims import store_extracted_claims

from .test_walkthrough import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("VERIFY_SCREENSHOTS")  # a directory: save screenshots there while debugging


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"curation-{name}.png"))


def select_text(page: Page, words: str) -> None:
    """Select `words` in the article text as a reader would, by a DOM range over the text nodes."""
    page.evaluate(
        """(words) => {
          const root = document.getElementById("article-text");
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.textContent.indexOf(words);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              return;
            }
          }
          throw new Error("not in one text node: " + words);
        }""",
        words,
    )


def test_curate_the_sample_article_and_re_extract(page: Page, live_server, csp_watch, editor, sample_text):
    article = Article.objects.create(
        title="Putin signs law", body=sample_text, content_hash=content_hash(sample_text)
    )
    store_extracted_claims(article=article, by=editor)
    claims = list(article.claims.filter(status=Claim.Status.NEW))
    to_edit, to_split = claims[1], claims[3]
    # All 15 body sentences are claims; the candidates are the junk tail's headlines.
    candidate = article.claims.filter(status=Claim.Status.CANDIDATE, text__startswith="PM Modi").get()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url
    log_in(page, base, editor)
    page.goto(f"{base}/articles/{article.pk}/")
    shot(page, "1-page")

    # Clicking a claim in the list highlights it in the text.
    item = page.locator(f"#claim-{to_edit.pk}")
    item.locator("a.number").click()
    marks = page.locator(f'#article-text mark[data-claims~="{to_edit.pk}"]')
    expect(marks.first).to_have_class(re.compile(r"\bactive\b"))
    expect(marks.first).to_be_in_viewport()
    # ...and a claim's number in the text leads back to it in the list.
    page.locator(f'#article-text a.ref[href="#claim-{to_split.pk}"]').click()
    expect(page.locator(f"#claim-{to_split.pk}")).to_have_class(re.compile(r"\bactive\b"))

    # Edit one: the editor opens in place and the list shows the new text.
    item.get_by_role("link", name="Edit or split").click()
    editor_box = page.locator(f"#editor-{to_edit.pk}")
    editor_box.locator("textarea[name=text]").fill("An editor's clearer wording of this claim.")
    editor_box.get_by_role("button", name="Save text").click()
    expect(page.get_by_text("Claim text saved")).to_be_visible()
    expect(page.locator(f"#claim-{to_edit.pk}")).to_contain_text("An editor's clearer wording")
    expect(page.locator(f"#claim-{to_edit.pk} .badge.edited")).to_be_visible()

    # Split one at the caret, placed after its first words.
    page.locator(f"#claim-{to_split.pk}").get_by_role("link", name="Edit or split").click()
    source = page.locator(f"#editor-{to_split.pk} textarea.split-source")
    cut = to_split.text.index(" ", len(to_split.text) // 2)
    source.click()
    source.evaluate("(el, at) => el.setSelectionRange(at, at)", cut)
    page.locator(f"#editor-{to_split.pk}").get_by_role("button", name="Split in two").click()
    expect(page.get_by_text("Claim split in two.")).to_be_visible()
    second = Claim.objects.get(derived_from=to_split.pk)
    expect(page.locator(f"#claim-{second.pk}")).to_be_visible()
    shot(page, "2-edited-split")

    # Promote a candidate.
    page.get_by_role("link", name=re.compile(r"^Show \d+ candidates?")).click()
    page.locator(f"#claim-{candidate.pk}").get_by_role("button", name="Promote").click()
    expect(page.get_by_text("Candidate promoted to a claim.")).to_be_visible()

    # Add a claim by selecting words in the text.
    words = "400,000 casualties overall"
    assert words in sample_text
    select_text(page, words)
    add = page.locator("#add-claim button.add-selection")
    expect(add).to_be_enabled()
    expect(add).to_contain_text(words)
    add.click()
    expect(page.get_by_text("Claim added from the text.")).to_be_visible()
    added = Claim.objects.get(article=article, origin=Claim.Origin.ADDED)
    assert added.text == words
    assert sample_text[added.start : added.end] == words
    shot(page, "3-added")

    kept = {
        c.pk: (c.text, c.start, c.end, c.status) for c in Claim.objects.filter(article=article, curated=True)
    }
    assert {to_edit.pk, to_split.pk, second.pk, candidate.pk, added.pk} <= set(kept)

    # Re-extract: all four changes are still there, on the page and in the database.
    page.get_by_role("button", name="Re-extract claims").click()
    expect(page.get_by_text(re.compile(r"Claims extracted again: kept \d+"))).to_be_visible()
    shot(page, "4-reextracted")
    after = {
        c.pk: (c.text, c.start, c.end, c.status) for c in Claim.objects.filter(article=article, curated=True)
    }
    assert after == kept
    expect(page.locator(f"#claim-{to_edit.pk}")).to_contain_text("An editor's clearer wording")
    for pk in (to_split.pk, second.pk, candidate.pk, added.pk):
        expect(page.locator(f"#claim-{pk}")).to_be_visible()
    assert Claim.objects.get(pk=candidate.pk).status == Claim.Status.NEW
    assert csp_watch.violations == []
