"""Reading uploaded article files: formats, encodings, limits, and a corpus of bad files.

Every fixture is generated here: a handwritten PDF, a .docx built with python-docx,
zips written byte by byte (so a zip bomb costs kilobytes, not a 100 MB buffer).
"""

from __future__ import annotations

import bz2
import codecs
import io
import random
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import docx
import pytest

from articles.importing import files
from articles.importing.files import Document, UnreadableFile, read_document

# --- builders ---------------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]], *, title: str = "", author: str = "") -> bytes:
    """A minimal valid PDF: one Helvetica text line per entry, real xref offsets."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects))
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    info = b""
    if title or author:
        objects.append(b"<< /Title (%s) /Author (%s) >>" % (title.encode("cp1252"), author.encode("cp1252")))
        info = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


def make_docx(
    paragraphs: list[str],
    *,
    title: str = "",
    author: str = "",
    heading: str = "",
    table: list[list[str]] | None = None,
) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Entry:
    """A zip member as raw bytes: lets a test declare any size, honest or not."""

    name: str
    raw: bytes
    method: int
    crc: int
    size: int


def stored(name: str, content: bytes) -> Entry:
    return Entry(name, content, zipfile.ZIP_STORED, zlib.crc32(content), len(content))


def deflated(name: str, content: bytes) -> Entry:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(content) + compressor.flush()
    return Entry(name, raw, zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content))


def build_zip(entries: list[Entry]) -> bytes:
    out, central = bytearray(), bytearray()
    for entry in entries:
        name = entry.name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            entry.method,
            0,
            0x21,
            entry.crc,
            len(entry.raw),
            entry.size,
            len(name),
            0,
        )
        out += name + entry.raw
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            entry.method,
            0,
            0x21,
            entry.crc,
            len(entry.raw),
            entry.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


@cache
def zeros_stream(method: int, megabytes: int) -> Entry:
    """`megabytes` MB of zeros compressed once per run, a MB at a time (never held expanded)."""
    compressor = (
        zlib.compressobj(9, zlib.DEFLATED, -15) if method == zipfile.ZIP_DEFLATED else bz2.BZ2Compressor(9)
    )
    chunk = b"\0" * (1024 * 1024)
    raw, crc = bytearray(), 0
    for _ in range(megabytes):
        raw += compressor.compress(chunk)
        crc = zlib.crc32(chunk, crc)
    raw += compressor.flush()
    return Entry("", bytes(raw), method, crc, megabytes * 1024 * 1024)


@cache
def docx_entries() -> tuple[Entry, ...]:
    """The members of a real .docx, recompressed: the shell a bomb hides in."""
    with zipfile.ZipFile(io.BytesIO(make_docx(["A real paragraph."]))) as archive:
        return tuple(deflated(info.filename, archive.read(info)) for info in archive.infolist())


def docx_with(name: str, replacement: Entry, *, declared_size: int | None = None) -> bytes:
    """A real .docx whose member `name` is swapped for `replacement` (added if absent)."""
    swapped = Entry(
        name, replacement.raw, replacement.method, replacement.crc, declared_size or replacement.size
    )
    entries = [swapped if entry.name == name else entry for entry in docx_entries()]
    if swapped not in entries:
        entries.append(swapped)
    return build_zip(entries)


def read(data: bytes, **kwargs) -> Document:
    return read_document(data, **kwargs)


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_document(data, **kwargs)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# --- PDF --------------------------------------------------------------------------------------------


def test_a_pdf_gives_its_text_its_metadata_title_and_author():
    pdf = make_pdf(
        [["Crime fell 12% last year, the minister said.", "Police numbers rose by 3,000."], ["Page two."]],
        title="Crime figures",
        author="Jane Doe",
    )
    document = read(pdf, filename="report.pdf")
    assert document == Document(
        format="pdf",
        title="Crime figures",
        body="Crime fell 12% last year, the minister said.\nPolice numbers rose by 3,000.\nPage two.",
        author="Jane Doe",
    )


def test_pdf_lines_that_run_on_are_joined_into_one_paragraph_and_headlines_stay_alone():
    pdf = make_pdf([["Budget rises", "The chancellor said the budget", "would rise by 4% next year."]])
    document = read(pdf)
    assert document.body == "Budget rises\nThe chancellor said the budget would rise by 4% next year."
    assert document.title == "Budget rises"  # no metadata title: the first line


def test_a_pdf_named_txt_is_read_as_a_pdf():
    assert read(make_pdf([["Hello from a PDF."]]), filename="notes.txt").format == "pdf"


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9, 0.99])
def test_a_truncated_pdf_is_refused_as_damaged(keep):
    pdf = make_pdf([["Some text."] * 20] * 3)
    assert refusal(pdf[: int(len(pdf) * keep)]) == "This PDF is damaged or incomplete (truncated?)."


def test_a_pdf_that_is_only_a_header_and_junk_is_refused():
    assert "damaged" in refusal(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")


def test_a_pdf_without_text_is_refused_as_a_possible_scan():
    assert refusal(make_pdf([[]])) == "This PDF has no text to import (is it a scan?)."


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_PDF_PAGES", 2)
    assert refusal(make_pdf([["One."], ["Two."], ["Three."]])) == "This PDF has 3 pages; the limit is 2."


def test_a_pdf_with_too_much_text_is_refused():
    pdf = make_pdf([["A line of text that is long enough."] * 30] * 3)
    assert refusal(pdf, max_chars=2000) == "The text is more than 2,000 characters long; the limit is 2,000."


# --- DOCX -------------------------------------------------------------------------------------------


def test_a_docx_gives_paragraphs_tables_and_core_properties():
    data = make_docx(
        ["First paragraph.", "", "Second paragraph."],
        title="Council votes",
        author="Sam Reporter",
        heading="Council votes on budget",
        table=[["Year", "Spend"], ["2024", "£3m"]],
    )
    document = read(data, filename="story.docx")
    assert document == Document(
        format="docx",
        title="Council votes",
        body="Council votes on budget\nFirst paragraph.\nSecond paragraph.\nYear | Spend\n2024 | £3m",
        author="Sam Reporter",
    )


def test_a_docx_without_a_title_property_takes_its_first_heading():
    document = read(make_docx(["Body text."], heading="The heading"))
    assert document.title == "The heading"
    assert document.author == ""  # python-docx's template placeholder is not an author


def test_a_docx_named_pdf_is_read_as_docx():
    assert read(make_docx(["Hello."]), filename="story.pdf").format == "docx"


def test_a_zip_that_is_not_a_word_document_is_refused():
    data = build_zip(
        [stored("mimetype", b"application/vnd.oasis.opendocument.text"), stored("content.xml", b"<x/>")]
    )
    assert refusal(data, filename="story.docx") == "This is a zip file that is not a Word document."


def test_a_docx_bomb_is_refused_before_anything_is_decompressed():
    bomb = docx_with("word/document.xml", zeros_stream(zipfile.ZIP_BZIP2, 120))
    assert len(bomb) < 50_000
    assert refusal(bomb) == "This .docx expands to more than 50 MB: refused as a possible zip bomb."


def test_a_docx_part_that_expands_thousands_of_times_is_refused():
    bomb = docx_with("word/media/image1.png", zeros_stream(zipfile.ZIP_DEFLATED, 20))
    message = refusal(bomb)
    assert message.startswith("A part of this .docx expands") and "zip bomb" in message


def test_a_docx_with_thousands_of_members_is_refused():
    extra = [stored(f"word/media/{n}.bin", b"x") for n in range(1200)]
    message = refusal(build_zip([*docx_entries(), *extra]))
    assert message == "This .docx holds 1,217 files (the limit is 1,000): refused as a possible zip bomb."


@pytest.mark.parametrize("crc_of", ["whole stream", "declared prefix"])
def test_a_docx_member_that_lies_about_its_size_is_never_expanded(crc_of):
    """120 MB of zeros declared as 1 MB: reading stops at 1 MB, whether the CRC then fails or not."""
    declared = 1024 * 1024
    liar = zeros_stream(zipfile.ZIP_DEFLATED, 120)
    if crc_of == "declared prefix":
        liar = Entry("", liar.raw, liar.method, zlib.crc32(b"\0" * declared), declared)
    data = docx_with("word/document.xml", liar, declared_size=declared)
    tracemalloc.start()
    try:
        message = refusal(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message in {
        "This zip or .docx file is damaged or incomplete.",  # the CRC of 1 MB of a 120 MB stream fails
        "This .docx file is damaged or cannot be read.",  # 1 MB of zeros is not Word XML
    }
    assert peak < 20 * 1024 * 1024


def test_a_docx_compressed_with_bzip2_is_refused_before_decompressing():
    member = zeros_stream(zipfile.ZIP_BZIP2, 1)
    message = refusal(docx_with("word/styles.xml", member))
    assert (
        message == "This .docx uses a compression method Word never writes: refused as a possible zip bomb."
    )


def test_a_truncated_docx_is_refused():
    data = make_docx(["Hello."])
    assert refusal(data[: len(data) // 2]) == "This zip or .docx file is damaged or incomplete."


# --- text -------------------------------------------------------------------------------------------

NEWSROOM = "The café’s owner said “prices rose £3” — a 5% rise, Renée confirmed."


@pytest.mark.parametrize(
    "encoded",
    [
        NEWSROOM.encode("utf-8"),
        codecs.BOM_UTF8 + NEWSROOM.encode("utf-8"),
        NEWSROOM.encode("utf-16"),  # with a BOM
        NEWSROOM.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
        NEWSROOM.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_newsroom_text_decodes_correctly_in_every_encoding(encoded):
    assert read(encoded, filename="story.txt") == Document(format="text", title=NEWSROOM, body=NEWSROOM)


@pytest.mark.parametrize(
    "text", ["Café “quoted” £3", "“Café” costs £3.", "Prix: £3 — “très” cher à Noël", "Naïve résumé, £12"]
)
def test_short_cp1252_snippets_are_not_mistaken_for_another_encoding(text):
    assert read(text.encode("cp1252")).body == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Правительство заявило, что инфляция снизилась до 7% в прошлом месяце.", "cp1251"),
        ("Η κυβέρνηση ανακοίνωσε ότι ο πληθωρισμός μειώθηκε στο 7% τον προηγούμενο μήνα.", "cp1253"),
        ("政府は先月のインフレ率が7%に低下したと発表した。経済学者はこの数字を歓迎した。", "shift_jis"),
        ("Rząd ogłosił, że inflacja spadła do 7% w zeszłym miesiącu. Ekonomiści są zaskoczeni.", "cp1250"),
    ],
)
def test_the_lean_to_windows_1252_leaves_other_legacy_encodings_alone(text, encoding):
    assert read(text.encode(encoding)).body == text


def test_latin1_french_decodes_correctly():
    text = "Le café coûte £3 à Paris. Élodie a dit : « c'est trop cher ». Ça suffit, où est l'été ?"
    assert read(text.encode("latin-1")).body == text


def test_hard_wrapped_paragraphs_are_joined_and_blank_lines_collapsed():
    text = "Mayor resigns\n\n\nThe mayor resigned on\nMonday after a vote.\n\n- one item\n- another item\n\n"
    document = read(text.encode())
    assert (
        document.body
        == "Mayor resigns\nThe mayor resigned on Monday after a vote.\n- one item\n- another item"
    )
    assert document.title == "Mayor resigns"


def test_a_file_without_blank_lines_keeps_a_paragraph_per_line():
    text = "First paragraph ends here.\nSecond paragraph ends here.\r\nThird.\r\n"
    assert read(text.encode()).body == "First paragraph ends here.\nSecond paragraph ends here.\nThird."


def test_text_named_pdf_is_read_as_text():
    assert read(b"Just text, despite the name.", filename="story.pdf").format == "text"


@pytest.mark.parametrize(
    "data",
    [b"Hello\x00world, this has a NUL byte.", bytes(range(256)) * 4, random.Random(1).randbytes(5000)],
    ids=["nul", "all-bytes", "random"],
)
def test_binary_data_is_not_text(data):
    assert refusal(data, filename="story.txt").startswith("This file is not text")


def test_symbol_soup_is_not_text():
    assert refusal(b"#$%&*+/<=>@^|~" * 20) == "This file is not text: it is mostly symbols, not words."


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF16_LE, codecs.BOM_UTF8 + b"\n"])
def test_empty_files_are_refused(data):
    assert refusal(data) in {"The file is empty.", "The file contains no text."}


def test_too_long_text_is_refused_with_its_length():
    assert refusal(b"word " * 300, max_chars=1000) == "The text is 1,500 characters long; the limit is 1,000."


def test_a_file_over_the_size_cap_is_refused():
    assert refusal(b"a" * 3072, max_bytes=2048) == "The file is 3 KB; the limit is 2 KB."
    assert refusal(b"a " * (11 * 1024 * 1024)) == "The file is 22.0 MB; the limit is 20.0 MB."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "This file is a PNG image, not an article."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "save it as .docx"),
        (b"{\\rtf1\\ansi Hello}", "an RTF file"),
    ],
)
def test_known_non_article_formats_are_named(data, expected):
    assert expected in refusal(data, filename="story.txt")


# --- markdown ---------------------------------------------------------------------------------------

MARKDOWN = """# Election night

Turnout was **62%**, according to [the commission](https://example.org/results).

- Party A: 40%
- Party B: 35%

| Region | Turnout |
|--------|---------|
| North  | 60%     |

![A polling station](https://example.org/photo.jpg)
"""


@pytest.mark.parametrize("filename", ["results.md", "results.txt", ""])
def test_markdown_is_rendered_to_plain_text_by_name_or_by_look(filename):
    assert read(MARKDOWN.encode(), filename=filename) == Document(
        format="markdown",
        title="Election night",
        body=(
            "Election night\nTurnout was 62%, according to the commission.\nParty A: 40%\nParty B: 35%\n"
            "Region | Turnout\nNorth | 60%\nA polling station"
        ),
    )


def test_plain_text_with_a_dash_is_not_markdown():
    document = read(b"Prices rose - again.\n- said the minister, who asked for **calm**.")
    assert document.format == "text"


def test_long_markdown_is_read_as_plain_text_rather_than_rendered(monkeypatch):
    monkeypatch.setattr(files, "MAX_MARKDOWN_CHARS", 100)
    assert read(MARKDOWN.encode(), filename="results.md").format == "text"


# --- HTML -------------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Flood warning | The Paper</title>
<meta property="og:title" content="Flood warning issued">
<meta name="author" content="Ana Lima">
<meta property="article:published_time" content="2024-05-01T10:00:00+00:00">
<style>p { color: red }</style></head>
<body><nav>Home | News</nav>
<h1>Flood warning issued</h1>
<p>Rivers rose by <b>2 metres</b> on Monday.<br>Residents were told to leave.</p>
<script>track()</script><!-- ad slot -->
<p>The agency said more rain is due.</p>
</body></html>"""


def test_html_gives_visible_text_raw_html_and_metadata():
    document = read(HTML.encode(), filename="page.html")
    assert document == Document(
        format="html",
        title="Flood warning issued",
        body=(
            "Flood warning issued\nRivers rose by 2 metres on Monday.\nResidents were told to leave.\n"
            "The agency said more rain is due."
        ),
        raw_html=HTML,
        author="Ana Lima",
        published=datetime(2024, 5, 1, 10, tzinfo=UTC),
    )


def test_html_is_recognised_from_the_bytes_whatever_the_name():
    data = codecs.BOM_UTF8 + b"\n  <!-- saved page -->\n<HTML><body><p>Hi there.</p></body></HTML>"
    assert read(data, filename="notes.txt").format == "html"


def test_an_html_fragment_is_html_only_when_named_so():
    fragment = b"<p>Hello <i>there</i>.</p>"
    assert read(fragment, filename="page.htm").body == "Hello there."
    assert read(fragment, filename="page.txt").format == "text"


def test_html_in_windows_1252_honours_its_meta_charset():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
    data = (html + "<body><p>“Café” costs £3.</p></body></html>").encode("cp1252")
    document = read(data)
    assert document.body == "“Café” costs £3."
    assert document.raw_html is not None and "“Café”" in document.raw_html


def test_html_declared_utf8_but_written_in_windows_1252_is_detected():
    data = '<html><head><meta charset="utf-8"></head><body><p>“Café” costs £3.</p></body></html>'
    assert read(data.encode("cp1252")).body == "“Café” costs £3."


def test_html_without_visible_text_is_refused():
    assert (
        refusal(b"<html><head><script>x()</script></head><body> </body></html>")
        == "The file contains no text."
    )


def test_an_unexpected_error_becomes_an_unreadable_file(monkeypatch):
    def broken(data, *, max_chars):
        raise KeyError("a bug")

    monkeypatch.setattr(files, "_read_html", broken)
    assert refusal(HTML.encode()) == "This file could not be read."


# --- the corpus -------------------------------------------------------------------------------------

GENERIC = "This file could not be read."  # the safety net: a bad file should get a specific reason


def good_files() -> Iterator[tuple[str, bytes, str, str]]:
    """(filename, data, format, body): 20 files that must import with exactly this body."""
    for n in range(4):
        lines = [f"Story {n} says the rate fell {n + 2}%.", f"It was the {n + 1}th fall in a row."]
        yield f"good{n}.pdf", make_pdf([lines], title=f"Story {n}"), "pdf", "\n".join(lines)
    for n in range(4):
        paragraphs = [f"Docx story {n} reports “{n * 10}%” growth.", "Officials confirmed it."]
        yield f"good{n}.docx", make_docx(paragraphs, title=f"Docx {n}"), "docx", "\n".join(paragraphs)
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"):
        text = (
            "Élodie said “prices rose £3” — in Zürich."
            if encoding != "latin-1"
            else "Élodie paid £3 in Zürich."
        )
        yield f"good-{encoding}.txt", text.encode(encoding), "text", text
    for n in range(3):
        source = f"# Heading {n}\n\nA [linked]({n}.html) claim about **{n}** things.\n\n- a list item\n"
        yield (
            f"good{n}.md",
            source.encode(),
            "markdown",
            f"Heading {n}\nA linked claim about {n} things.\na list item",
        )
    for n in range(3):
        html = f"<!doctype html><html><body><h1>Page {n}</h1><p>Paragraph {n}.</p></body></html>"
        yield f"good{n}.html", html.encode(), "html", f"Page {n}\nParagraph {n}."
    yield "good.txt", b"A plain story.\nWith two lines.", "text", "A plain story.\nWith two lines."


def bad_files() -> Iterator[tuple[str, bytes]]:
    """200 files that must each fail with a reason, generated one at a time (memory-safe)."""
    rng = random.Random(20240501)
    pdf = make_pdf([[f"Line {n} of a longer document." for n in range(30)] for _ in range(5)])
    for n in range(35):  # truncated PDFs, cut anywhere from the header to just before %%EOF
        yield f"truncated{n}.pdf", pdf[: rng.randrange(5, len(pdf) - 3)]
    for n in range(5):  # a PDF header and %%EOF around junk
        yield f"fake{n}.pdf", b"%PDF-1." + rng.randbytes(rng.randrange(10, 4000)) + b"\n%%EOF\n"

    for n in range(30):  # zip bombs shaped like a .docx, from 400 bytes to 120 KB on disk
        method = (zipfile.ZIP_BZIP2, zipfile.ZIP_DEFLATED)[n % 2]
        member = ("word/document.xml", "word/media/image1.png", "word/styles.xml")[n % 3]
        if n < 15:
            data = docx_with(member, zeros_stream(method, 120))
        elif n < 20:
            data = docx_with(member, zeros_stream(zipfile.ZIP_DEFLATED, 20))  # a ratio bomb under the cap
        elif n < 25:
            data = docx_with("word/document.xml", zeros_stream(method, 120), declared_size=5000 + n)
        else:
            extra = [stored(f"word/media/{i}.bin", b"x") for i in range(1000 + n)]
            data = build_zip([*docx_entries(), *extra])
        yield f"bomb{n}.{('docx', 'zip', 'txt')[n % 3]}", data

    signatures = [b"", b"\x7fELF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"MZ", b"\x00\x00\x01\x00"]
    for n in range(30):  # binary junk named .txt
        yield f"junk{n}.txt", signatures[n % len(signatures)] + rng.randbytes(rng.randrange(1, 20_000))

    lines = [
        b"a" * 10_000_000,
        "é".encode("cp1252") * 10_000_000,
        "word “quoted” ".encode("cp1252") * 715_000,
        "слово ".encode() * 900_000,
        ("x" * 5_000_000).encode("utf-16"),
    ]
    for n in range(10):  # 10 MB on one line
        yield f"long{n}.txt", lines[n % len(lines)]
    del lines

    soups = [
        lambda size: bytes(rng.randrange(0x80, 0x100) for _ in range(size)),  # high bytes only
        lambda size: b"\xc0\xaf" * (size // 2),  # overlong encodings
        lambda size: b"\xed\xa0\x80" * (size // 3),  # encoded surrogates
        lambda size: bytes(rng.choice(b"\x80\x81\x8d\x8f\x90\x9d\xfe\xff") for _ in range(size)),
        lambda size: b"ok " + rng.randbytes(size),
    ]
    for n in range(30):  # invalid UTF-8 byte soup
        yield f"soup{n}.txt", soups[n % len(soups)](rng.randrange(10, 5000))

    empties = [
        b"",
        b" ",
        b"\n\n\n",
        b"\t \r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE + b"\0 ",
    ]
    empties += [make_docx([]), make_pdf([[]]), b"<html><body>  </body></html>", b"<!-- -->\n<html></html>"]
    for n in range(20):  # empty files, and files with nothing in them
        yield f"empty{n}.{('txt', 'docx', 'pdf', 'html')[n % 4]}", empties[n % len(empties)]

    docx_bytes = make_docx(["A paragraph."] * 20)
    not_docx = [
        build_zip([]),
        build_zip(
            [stored("mimetype", b"application/vnd.oasis.opendocument.text"), stored("content.xml", b"<x/>")]
        ),
        build_zip([stored("[Content_Types].xml", b"<Types/>"), stored("xl/workbook.xml", b"<workbook/>")]),
        build_zip([stored("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")]),
        build_zip([deflated("readme.txt", b"hello " * 100)]),
    ]
    for n in range(20):  # zips that are not a .docx, or not a whole one
        if n < 10:
            yield f"notdocx{n}.docx", not_docx[n % len(not_docx)]
        else:
            yield f"cutdocx{n}.docx", docx_bytes[: rng.randrange(10, len(docx_bytes) - 100)]

    broken_xml = [deflated("word/document.xml", b"<w:document><w:body><w:p>" + rng.randbytes(200))]
    others = [
        build_zip([*(e for e in docx_entries() if e.name != "word/document.xml"), *broken_xml]),
        b"{\\rtf1\\ansi An RTF story}",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(2000),
        b"GIF89a" + rng.randbytes(500),
        b"<html><body>" + b"\0" * 100 + b"</body></html>",
        b"#$%&*+/<=>@^|~{}[]" * 50,
        b"Clean text then a NUL\0 in the middle.",
        codecs.BOM_UTF16_LE + b"\x00\xd8\x00\xd8",  # UTF-16 with unpaired surrogates
        b"\x1f\x8b\x08\x00" + rng.randbytes(100),
        b"%PDF-1.4\n" + b"1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 3,  # no trailer, no %%EOF
    ]
    for n in range(20):  # other broken or non-article files
        yield f"other{n}.{('docx', 'txt', 'html', 'pdf')[n % 4]}", others[n % len(others)]


def test_a_corpus_of_200_bad_files_and_20_good_ones_fails_each_bad_one_with_a_reason():
    good_results, wrong = 0, []
    for filename, data, expected_format, expected_body in good_files():
        document = read_document(data, filename=filename)
        if (document.format, document.body) != (expected_format, expected_body):
            wrong.append((filename, document.format, document.body))
        good_results += 1
    bad_results, imported, unexplained = 0, [], []
    for filename, data in bad_files():
        bad_results += 1
        try:
            document = read_document(data, filename=filename)
        except UnreadableFile as refused:
            if not refused.message or refused.message == GENERIC:
                unexplained.append((filename, refused.message))
        else:  # any other exception fails the test by escaping
            imported.append((filename, document.format, document.body[:80]))
    assert (good_results, bad_results) == (20, 200)
    assert wrong == []
    assert imported == []
    assert unexplained == []
