"""The fact-sheet exporters on one article with approved, submitted, not-checkable and discarded claims.

Each format is read back with the tool its users read it with (pypdf, csv, jsonschema,
pyld) and must hold the checked claims, and nothing of the others.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from pyld import jsonld

from articles.exporters import EXPORTERS, SCHEMA_PATH, csv_cell, factsheet_schema, render_sheet_html
from articles.exporters import pdf as pdf_module
from articles.exporters.claimreview import attribution_author, json_for_script
from articles.models import Claim
from articles.services.factsheets import FactSheet, build_factsheet
from articles.services.reviews import SourceInput, approve_claim, save_review

from .. import factories

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

APPROVED_TEXT = "Unemployment fell to 4.1% in 2024."
FORMULA_TEXT = '=HYPERLINK("https://evil.example","click") said wages rose 3%.'
SCRIPT_TEXT = "The deal saved </script><script>alert(1)</script> 200 jobs."
SUBMITTED_TEXT = "Exports doubled in a decade."
NOT_CHECKABLE_TEXT = "She is the finest minister this country has had."
NOT_CHECKABLE_REASON = "An opinion, not a checkable statement of fact."
DISCARDED_TEXT = "Apples are the most popular fruit at the market."
HOSTILE_TITLE = "[click](https://evil.example) <img src=x onerror=alert(1)>"


def _review(claim, *, reviewer, editor, verdict, confidence, summary, sources):
    claim.assign_to(reviewer, by=editor)
    save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdict,
        confidence=confidence,
        summary=summary,
        sources=sources,
        submit=True,
    )


@pytest.fixture
def article(editor, other_editor, reviewer, verdicts):
    article = factories.ArticleFactory(
        title="Budget speech fact check",
        source_url="https://news.example/budget-speech",
        byline="By Ann Writer",
        site_name="The Example News",
        published_at=datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
    )

    def claim(text, position, **kwargs):
        start = position * 100
        return factories.ClaimFactory(
            article=article, text=text, start=start, end=start + len(text), **kwargs
        )

    approved = claim(APPROVED_TEXT, 1, attribution="Ministry of Labour")
    formula = claim(FORMULA_TEXT, 2, attribution="Jane Smith")
    scripted = claim(SCRIPT_TEXT, 3)
    submitted = claim(SUBMITTED_TEXT, 4)
    not_checkable = claim(NOT_CHECKABLE_TEXT, 5)
    discarded = claim(DISCARDED_TEXT, 6)

    _review(
        approved,
        reviewer=reviewer,
        editor=editor,
        verdict=verdicts["Mostly true"],
        confidence=85,
        summary="ONS labour figures show 4.2%; close.",
        sources=[
            SourceInput(
                url="https://www.ons.gov.uk/lms",
                title="Labour market overview",
                publisher="Office for National Statistics",
                excerpt="The unemployment rate was 4.2%.",
                accessed_on=date(2025, 3, 2),
                stance="supports",
                kind="official_statistic",
            ),
            SourceInput(url="https://news.example/other", title=HOSTILE_TITLE, stance="context"),
        ],
    )
    _review(
        formula,
        reviewer=reviewer,
        editor=editor,
        verdict=verdicts["False"],
        confidence=90,
        summary="=1+1 Wages rose 1%, not 3%.",
        sources=[SourceInput(url="https://stats.example/wages", title="Wages", stance="refutes")],
    )
    _review(
        scripted,
        reviewer=reviewer,
        editor=editor,
        verdict=verdicts["Unverifiable"],
        confidence=40,
        summary="No records of the deal were published.",
        sources=[],
    )
    for done in (approved, formula, scripted):
        approve_claim(claim=done, editor=other_editor)
    _review(
        submitted,
        reviewer=reviewer,
        editor=editor,
        verdict=verdicts["True"],
        confidence=70,
        summary="Trade data agree.",
        sources=[SourceInput(url="https://trade.example/exports")],
    )
    not_checkable.assign_to(reviewer, by=editor)
    not_checkable.mark_not_checkable(by=reviewer, reason=NOT_CHECKABLE_REASON)
    discarded.discard(by=editor, reason="Not a claim.")
    article.refresh_from_db()  # the transitions recounted its claims
    return article


@pytest.fixture
def sheet(article) -> FactSheet:
    return build_factsheet(article=article)


@pytest.fixture
def published(sheet) -> FactSheet:
    """The same data as a published third version (the publishing code sets these fields)."""
    return replace(
        sheet,
        version=3,
        published_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        public_url="https://verify.example.org/f/budget-speech/v3/",
        correction_note="Claim 2: the wage figure was for 2023.",
    )


def render(fmt: str, data: FactSheet) -> tuple[str, str, bytes]:
    return EXPORTERS[fmt].render(data)


def flat(text: str) -> str:
    return " ".join(text.split())


pytestmark = pytest.mark.django_db


def test_the_fixture_sheet_lists_approved_and_not_checkable_claims_in_text_order(sheet):
    assert [(c.position, c.text, c.status) for c in sheet.claims] == [
        (1, APPROVED_TEXT, Claim.Status.APPROVED),
        (2, FORMULA_TEXT, Claim.Status.APPROVED),
        (3, SCRIPT_TEXT, Claim.Status.APPROVED),
        (4, NOT_CHECKABLE_TEXT, Claim.Status.NOT_CHECKABLE),
    ]
    assert sheet.open_claims == 1  # the submitted claim


def test_every_format_is_registered_with_its_content_type():
    assert {k: e.content_type for k, e in EXPORTERS.items()} == {
        "html": "text/html; charset=utf-8",
        "pdf": "application/pdf",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "csv-excel": "text/csv; charset=utf-8",
        "json": "application/json",
        "claimreview": "application/ld+json",
    }


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_download_view_serves_every_format(client, editor, article, fmt):
    client.force_login(editor)
    response = client.get(reverse("articles:factsheet_download", args=[article.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == EXPORTERS[fmt].content_type
    disposition = "inline" if fmt == "html" else "attachment"
    assert response["Content-Disposition"].startswith(f'{disposition}; filename="factsheet-{article.pk}-')


def test_article_page_links_every_format(client, editor, article):
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    for fmt in EXPORTERS:
        assert reverse("articles:factsheet_download", args=[article.pk, fmt]) in page


# --- HTML ----------------------------------------------------------------


def test_html_shows_each_checked_claim_with_verdict_confidence_and_sources(sheet):
    html = render_sheet_html(sheet, for_print=True)
    for text in ("Ministry of Labour", "Mostly true", "Confidence 85/100", "Office for National Statistics"):
        assert text in html
    assert "Supports the claim</span> · Official statistic · accessed 2 March 2025" in html
    assert "The unemployment rate was 4.2%." in html
    assert 'class="badge tone-4">Mostly true' in html
    assert 'class="badge tone-1">False' in html
    assert 'class="badge tone-none">Unverifiable' in html
    assert NOT_CHECKABLE_REASON in html
    assert SUBMITTED_TEXT not in html
    assert DISCARDED_TEXT not in html
    assert "Incomplete: 1 claim still being checked." in html
    assert 'id="claim-' not in html  # a draft has no public URL to link into


def test_html_of_a_published_version_shows_version_correction_and_claim_anchors(published):
    html = render_sheet_html(replace(published, partial=True), for_print=False)
    assert "Version 3, published" in html
    assert "Claim 2: the wage figure was for 2023." in html
    assert "Partial fact sheet" in html
    assert [int(n) for n in re.findall(r'id="claim-(\d+)"', html)] == [1, 2, 3, 4]
    assert '<link rel="canonical" href="https://verify.example.org/f/budget-speech/v3/">' in html


def test_an_old_version_says_a_newer_one_exists(published):
    html = render_sheet_html(published, for_print=False, newer_version_url="/f/budget-speech/")
    assert 'A newer version of this fact sheet exists: <a href="/f/budget-speech/">' in html


def test_html_has_no_inline_style_and_no_script_but_the_json_ld(sheet):
    html = render_sheet_html(sheet, for_print=False)
    assert "style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']
    assert '<link rel="stylesheet" href="/static/articles/factsheet.css">' in html


def test_claim_text_cannot_close_the_json_ld_script_tag(sheet):
    html = render_sheet_html(sheet, for_print=False)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in block
    assert json.loads(block)["@graph"][2]["claimReviewed"] == SCRIPT_TEXT
    # In the page body the same text is escaped HTML.
    assert "The deal saved &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; 200 jobs." in html
    assert html.count("</script>") == 1
    assert json_for_script({"a": "</script>&<!--"}) == '{"a": "\\u003c/script\\u003e\\u0026\\u003c!--"}'


# --- PDF -----------------------------------------------------------------


def pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def test_pdf_holds_approved_claims_with_verdict_and_confidence_and_nothing_discarded(sheet):
    filename, _, body = render("pdf", sheet)
    assert filename.endswith(".pdf")
    assert body.startswith(b"%PDF-")
    text = pdf_text(body)
    for claim_text, verdict, confidence in [
        (APPROVED_TEXT, "Mostly true", 85),
        (FORMULA_TEXT, "False", 90),
        (SCRIPT_TEXT, "Unverifiable", 40),
    ]:
        assert claim_text in text
        assert f"{verdict} Confidence {confidence}/100" in text
    assert NOT_CHECKABLE_TEXT in text
    assert NOT_CHECKABLE_REASON in text
    assert DISCARDED_TEXT not in text
    assert SUBMITTED_TEXT not in text


def test_pdf_margins_carry_newsroom_version_date_and_page_numbers(published):
    text = pdf_text(render("pdf", published)[2])
    assert f"{published.newsroom} · Version 3 · 4 March 2025" in text
    assert "Page 1 of" in text


def test_pdf_embeds_its_fonts(sheet):
    reader = pypdf.PdfReader(io.BytesIO(render("pdf", sheet)[2]))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_weasyprint_subsets_fonts_with_harfbuzz():
    # Debian's libharfbuzz-subset0: without it WeasyPrint falls back to fontTools, about 3x slower.
    from weasyprint.text.ffi import harfbuzz_subset

    assert harfbuzz_subset is not None


# --- the PDF's URL fetcher -----------------------------------------------


class SpyFetcher(pdf_module.StaticFilesOnlyFetcher):
    """The real fetcher, recording what WeasyPrint asked for and whether it was served."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except pdf_module.RefusedURL:
            self.calls.append((url, False))
            raise
        self.calls.append((url, True))
        return response


@pytest.fixture
def no_sockets(monkeypatch):
    """Records any attempt to open a network connection (none is expected)."""
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: attempts.append(address))
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x",
        "https://evil.example/x.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        pdf_module.PDF_STATIC_BASE + "../../../../etc/passwd",
        pdf_module.PDF_STATIC_BASE + "articles/%2e%2e/%2e%2e/verify/settings.py",
        pdf_module.PDF_STATIC_BASE + "articles/curation.js",
        pdf_module.PDF_STATIC_BASE + "articles/factsheet.css?x=1",
        pdf_module.PDF_STATIC_BASE + "articles/no-such-file.css",
        "https://static.verify.invalid.evil.example/articles/factsheet.css",
    ],
)
def test_fetcher_refuses_everything_but_the_projects_static_files(url):
    with pytest.raises(pdf_module.RefusedURL):
        pdf_module.StaticFilesOnlyFetcher().fetch(url)


def test_fetcher_serves_the_stylesheet_from_the_static_files():
    response = pdf_module.StaticFilesOnlyFetcher().fetch(
        pdf_module.PDF_STATIC_BASE + "articles/factsheet.css"
    )
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_hostile_markup_in_a_pdf_fetches_nothing(no_sockets):
    spy = SpyFetcher()
    html = (
        '<html><head><link rel="stylesheet" href="https://evil.example/x.css"></head><body>'
        '<img src="http://127.0.0.1:1/x"><img src="file:///etc/passwd"><p>text</p></body></html>'
    )
    assert pdf_module.html_to_pdf(html, url_fetcher=spy).startswith(b"%PDF-")
    assert sorted(spy.calls) == [
        ("file:///etc/passwd", False),
        ("http://127.0.0.1:1/x", False),
        ("https://evil.example/x.css", False),
    ]
    assert no_sockets == []


def test_a_sheet_with_hostile_source_fields_loads_only_its_stylesheet(sheet, monkeypatch, no_sockets):
    spies: list[SpyFetcher] = []

    def spy_factory():
        spies.append(SpyFetcher())
        return spies[-1]

    monkeypatch.setattr(pdf_module, "StaticFilesOnlyFetcher", spy_factory)
    claim = sheet.claims[0]
    hostile_source = replace(
        claim.sources[0], url="file:///etc/passwd", title='<img src="http://127.0.0.1:1/x">'
    )
    data = replace(sheet, claims=[replace(claim, sources=[hostile_source]), *sheet.claims[1:]])
    text = pdf_text(render("pdf", data)[2])
    assert '<img src="http://127.0.0.1:1/x">' in text  # shown as text, never loaded
    assert spies[0].calls == [(pdf_module.PDF_STATIC_BASE + "articles/factsheet.css", True)]
    assert no_sockets == []


# --- CSV -----------------------------------------------------------------


def test_csv_has_one_row_per_checked_claim_and_round_trips(sheet):
    filename, _, body = render("csv", sheet)
    assert filename.endswith(".csv")
    assert not body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert [r["position"] for r in rows] == ["1", "2", "3", "4"]
    first = rows[0]
    assert first["claim"] == APPROVED_TEXT
    assert first["attribution"] == "Ministry of Labour"
    assert first["status"] == "approved"
    assert first["verdict"] == "Mostly true"
    assert first["rating_value"] == "4"
    assert first["confidence"] == "85"
    assert first["summary"] == "ONS labour figures show 4.2%; close."
    assert first["source_urls"] == "https://www.ons.gov.uk/lms https://news.example/other"
    assert first["source_count"] == "2"
    assert datetime.fromisoformat(first["approved_at"])
    assert rows[3]["status"] == "not_checkable"
    assert rows[3]["not_checkable_reason"] == NOT_CHECKABLE_REASON
    assert rows[3]["verdict"] == ""
    assert rows[2]["claim"] == SCRIPT_TEXT
    assert DISCARDED_TEXT not in body.decode()


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(sheet):
    rows = list(csv.DictReader(io.StringIO(render("csv", sheet)[2].decode("utf-8"), newline="")))
    assert rows[1]["claim"] == "'" + FORMULA_TEXT
    assert rows[1]["summary"] == "'=1+1 Wages rose 1%, not 3%."
    for starter in ["=", "+", "-", "@", "\t", "\r"]:
        assert csv_cell(starter + "SUM(A1)") == "'" + starter + "SUM(A1)"
    assert csv_cell("Plain = text") == "Plain = text"
    assert csv_cell(42) == 42
    assert csv_cell(None) == ""


def test_csv_for_excel_is_the_same_csv_with_a_byte_order_mark(sheet):
    _, _, plain = render("csv", sheet)
    _, _, excel = render("csv-excel", sheet)
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel.decode("utf-8-sig") == plain.decode("utf-8")


# --- JSON ----------------------------------------------------------------


@pytest.fixture
def validator() -> Draft202012Validator:
    schema = factsheet_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_json_validates_against_the_committed_schema(sheet, published, validator):
    assert SCHEMA_PATH.name == "factsheet-v1.schema.json"
    for data in (sheet, published):
        document = json.loads(render("json", data)[2])
        assert list(validator.iter_errors(document)) == []
    assert document["schema_version"] == 1
    assert document["claims"][0]["sources"][0]["accessed_on"] == "2025-03-02"


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d,
        lambda d: d["claims"][0],
        lambda d: d["claims"][0]["verdict"],
        lambda d: d["claims"][0]["sources"][0],
    ],
    ids=["sheet", "claim", "verdict", "source"],
)
def test_a_stray_field_fails_validation_at_every_level(sheet, validator, where):
    document = json.loads(render("json", sheet)[2])
    where(document)["stray"] = 1
    error = best_match(validator.iter_errors(document))
    assert error.message == "Additional properties are not allowed ('stray' was unexpected)"


def test_the_schema_forbids_unknown_properties_on_every_object():
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)

    found = list(objects(factsheet_schema()))
    assert len(found) == 4  # the sheet, a claim, a verdict, a source
    assert all(o["additionalProperties"] is False for o in found)


# --- Markdown ------------------------------------------------------------


def test_markdown_holds_each_claim_with_its_sources(sheet):
    text = render("md", sheet)[2].decode()
    assert "## 1. Unemployment fell to 4.1% in 2024." in text
    assert "- **Claimed by:** Ministry of Labour" in text
    assert "**Verdict:** Mostly true" in text and "**Confidence:** 85/100" in text
    assert (
        "- Labour market overview (Office for National Statistics; Official statistic; Supports the claim;"
        " accessed 2025\\-03\\-02): <https://www.ons.gov.uk/lms>" in text
    )
    assert "**Verdict:** False" in text and "<https://stats.example/wages>" in text
    assert "**Verdict:** Unverifiable" in text and "none (no evidence needed for this verdict)" in text
    assert f"- **Not checkable:** {NOT_CHECKABLE_REASON}" in text
    assert "Exports doubled" not in text
    assert "Apples" not in text


def test_markdown_escapes_injected_links_and_html(sheet):
    text = render("md", sheet)[2].decode()
    assert "[click](https://evil.example)" not in text
    assert "\\[click\\]\\(https://evil.example\\) \\<img src=x onerror=alert\\(1\\)\\>" in text
    assert not re.search(r"(?<!\\)<(img|script)", text)  # every < of scraped text is escaped
    assert "\\<script\\>alert\\(1\\)" in text


# --- ClaimReview ---------------------------------------------------------

SCHEMA_ORG_CONTEXT = json.loads((FIXTURES / "schema.org-context.jsonld").read_text())
S = "https://schema.org/"


def local_loader(requested: list[str]):
    """A pyld document loader that serves the committed schema.org context and nothing else."""

    def loader(url, options=None):
        requested.append(url)
        if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
            raise AssertionError(f"The test would have fetched {url}")
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}

    return loader


def expand(document) -> list[dict]:
    requested: list[str] = []
    nodes = jsonld.expand(document, {"documentLoader": local_loader(requested)})
    assert requested == ["https://schema.org"]
    return nodes


def value(node: dict, prop: str):
    (item,) = node[S + prop]
    return item.get("@value", item.get("@id", item))


def test_claimreview_expands_to_one_review_per_approved_claim(published):
    nodes = expand(json.loads(render("claimreview", published)[2]))
    assert [n["@type"] for n in nodes] == [[S + "ClaimReview"]] * 3
    assert [value(n, "claimReviewed") for n in nodes] == [APPROVED_TEXT, FORMULA_TEXT, SCRIPT_TEXT]
    for position, node in enumerate(nodes, 1):
        assert value(node, "url") == f"https://verify.example.org/f/budget-speech/v3/#claim-{position}"
        assert value(node, "datePublished") == "2025-03-04"
        author = value(node, "author")
        assert author["@type"] == [S + "Organization"]
        assert value(author, "name") == published.newsroom
        item = value(node, "itemReviewed")
        assert item["@type"] == [S + "Claim"]
        assert date.fromisoformat(value(item, "datePublished")) == date(2025, 3, 1)
        appearance = value(item, "appearance")
        assert appearance["@type"] == [S + "CreativeWork"]
        assert value(appearance, "url") == "https://news.example/budget-speech"


def test_claimreview_rating_carries_the_scale_only_for_rated_verdicts(published):
    nodes = expand(json.loads(render("claimreview", published)[2]))
    ratings = [value(n, "reviewRating") for n in nodes]
    assert all(r["@type"] == [S + "Rating"] for r in ratings)
    assert [value(r, "alternateName") for r in ratings] == ["Mostly true", "False", "Unverifiable"]
    assert value(ratings[0], "ratingExplanation") == "ONS labour figures show 4.2%; close."
    for rating, expected in zip(ratings[:2], [4, 1], strict=True):
        worst, best = value(rating, "worstRating"), value(rating, "bestRating")
        assert (worst, best) == (1, 5)
        assert value(rating, "ratingValue") == expected
        assert worst <= value(rating, "ratingValue") <= best
    assert {k.removeprefix(S) for k in ratings[2]} == {"@type", "alternateName", "ratingExplanation"}


def test_claimreview_names_the_claims_author_as_person_or_organisation(published):
    items = [value(n, "itemReviewed") for n in expand(json.loads(render("claimreview", published)[2]))]
    authors = [value(i, "author") if S + "author" in i else None for i in items]
    assert authors[0]["@type"] == [S + "Organization"] and value(authors[0], "name") == "Ministry of Labour"
    assert authors[1]["@type"] == [S + "Person"] and value(authors[1], "name") == "Jane Smith"
    assert authors[2] is None  # no attribution: no author rather than a guess
    assert attribution_author("Metropolitan Police")["@type"] == "Organization"
    assert attribution_author("Boris Johnson")["@type"] == "Person"


def test_claimreview_of_a_draft_has_no_url_and_dates_from_generation(sheet):
    nodes = expand(json.loads(render("claimreview", sheet)[2]))
    assert all(S + "url" not in n for n in nodes)
    assert {value(n, "datePublished") for n in nodes} == {sheet.generated_at.date().isoformat()}


def test_claimreview_omits_appearance_when_the_article_has_no_url(sheet):
    document = json.loads(render("claimreview", replace(sheet, source_url="", article_published_at=None))[2])
    items = [review["itemReviewed"] for review in document["@graph"]]
    assert all("appearance" not in i and "datePublished" not in i for i in items)


def test_the_html_page_embeds_the_same_claimreview(published):
    html = render_sheet_html(published, for_print=False)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block) == json.loads(render("claimreview", published)[2])
