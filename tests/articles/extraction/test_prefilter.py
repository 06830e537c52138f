"""A prefiltered pattern (prefilter.py, `_prefilter.c`) finds exactly what the plain regex finds."""

from __future__ import annotations

import importlib
import os
import random
import re

import pytest

from articles.extraction import prefilter
from articles.extraction._text import CaselessPattern
from articles.extraction.prefilter import DIGIT, MAX_LEN, Prefilter, first_hit_reference, required_prefixes
from articles.extraction.segment import sentences

from .segmentation_gold import BBC, BBC_ABSENT, bbc_rows, newsroom_docs

compiled = pytest.mark.skipif(
    prefilter._prefilter is None and os.environ.get("CI") != "true",
    reason="the C speed-ups are not built here (python articles/extraction/build_speedups.py)",
)

ENGINE_MODULES = ("attribution", "claim_types", "filters", "highlights", "segment", "_text")


def engine_prefilters(*, caseless: bool = True) -> list[tuple[str, Prefilter]]:
    """The engine's prefiltered patterns; with `caseless`, also the lowercase halves of its CaselessPatterns."""
    found = []
    for name in ENGINE_MODULES:
        module = importlib.import_module(f"articles.extraction.{name}")
        for attr, value in vars(module).items():
            if isinstance(value, Prefilter):
                found.append((f"{name}.{attr}", value))
            elif caseless and isinstance(value, CaselessPattern):
                found.append((f"{name}.{attr} (lowercase)", value._lowercase))
    return found


def same_matches(pf: Prefilter, text: str, *, reference: bool = True) -> None:
    plain = [(m.span(), m.groups()) for m in pf.pattern.finditer(text)]
    assert [(m.span(), m.groups()) for m in pf.finditer(text)] == plain, text
    first = pf.pattern.search(text)
    got = pf.search(text)
    assert (got and got.span()) == (first and first.span()), text
    if first is not None:
        assert pf.may_match(text), text
    assert pf.sub(" ", text) == pf.pattern.sub(" ", text), text
    at_start = pf.pattern.match(text)
    assert ((m := pf.match(text)) and m.span()) == (at_start and at_start.span()), text
    if reference and pf.compiled:  # the Python twin is slow: not over every BBC sentence
        expected = first_hit_reference(pf.prefixes, text, ascii_only=pf.ascii_only)
        assert pf.first_possible(text) == expected, text


def letters(prefix) -> str:
    return "".join("7" if el is DIGIT else sorted(el)[0] for el in prefix)


def test_ci_builds_the_scanner():
    if os.environ.get("CI") == "true":
        assert prefilter._prefilter is not None, "run python articles/extraction/build_speedups.py"
        assert all(pf.compiled for _, pf in engine_prefilters(caseless=False))
        assert all(pf._step for _, pf in engine_prefilters(caseless=False))


def test_a_word_list_gives_its_words_cut_to_the_longest_prefix_kept():
    prefixes = required_prefixes(re.compile(r"\b(?:said|says|announced)\b"))
    assert sorted(letters(p) for p in prefixes) == ["announ", "said", "says"]
    assert all(len(p) <= MAX_LEN for p in prefixes)


def test_an_optional_part_gives_the_prefixes_with_and_without_it():
    prefixes = required_prefixes(re.compile(r"(?:US)?\$\d"))
    assert sorted(letters(p) for p in prefixes) == ["$7", "US$7"]


def test_a_digit_class_is_one_element_and_a_repeat_ends_the_prefix():
    assert required_prefixes(re.compile(r"\d+%")) == [(DIGIT,)]


def test_case_folding_lists_both_cases_and_scans_only_ascii_text():
    pf = Prefilter(re.compile(r"(?i:by) 2030"))
    assert pf.ascii_only
    assert frozenset("bB") in pf.prefixes[0]
    for text in ("plans BY 2030 were", "the \u212aelvin sign, By 2030", "nothing here"):
        same_matches(pf, text)


@pytest.mark.parametrize("source", [r".*said", r"\w+ed", r"(?:said|)", r"[^a]b", r"\s+x", r"(?:\w|x)y"])
def test_a_pattern_that_can_open_with_anything_has_no_prefixes_and_runs_plainly(source):
    pf = Prefilter(re.compile(source))
    assert pf.prefixes is None and not pf.compiled
    for text in ("", "he said", "walked", "xb", "  x", "aa"):
        same_matches(pf, text)


def test_a_prefix_that_extends_a_shorter_one_is_dropped():
    prefixes = required_prefixes(re.compile(r"\b(?:Jan|January)\b"))
    assert [letters(p) for p in prefixes] == ["Jan"]


@compiled
@pytest.mark.parametrize(
    "text",
    [
        "", "a", "$", "9", "٣", "£5m", "US$ 5", "\x00said\x00", "said", "xsaid", "Jan.", "é said", "“said”",
        "aaaa", "aaa", "saidsaid said", "Saidsaid", "said é said",
    ],
)  # fmt: skip
def test_short_and_odd_texts_find_the_same_matches(text):
    pfs = [
        Prefilter(re.compile(r"\b(?:said|says)\b")),
        Prefilter(re.compile(r"(?<![\w.])(?:US|A)?[$£]\s?\d+m?")),
        Prefilter(re.compile(r"\d")),
        Prefilter(re.compile(r"\bJan\.?")),
        # overlapping places: the next match is searched for from the end of the last one
        Prefilter(re.compile(r"aa")),
        Prefilter(re.compile(r"said\w*")),  # a match that runs over later places
        Prefilter(re.compile(r"(?i:said)")),  # ascii_only: a non-ASCII text runs the plain regex
    ]
    for pf in pfs:
        same_matches(pf, text)


def test_every_engine_pattern_wrapped_has_prefixes():
    for name, pf in engine_prefilters(caseless=False):
        assert pf.prefixes, name


@compiled
def test_engine_patterns_find_the_same_matches_in_our_gold_sentences():
    texts = []
    for doc in newsroom_docs():
        texts += [s.text for s in sentences(doc.text)]
    for _name, pf in engine_prefilters():
        for text in texts:
            same_matches(pf, text)
            same_matches(pf, text.lower(), reference=False)


@compiled
def test_engine_patterns_find_the_same_matches_in_random_sentences():
    rng = random.Random(20261207)
    vocabulary = [
        "said", "says", "told", "law", "laws", "will", "may", "May", "could not", "by 2030", "BY 2030",
        "Jan.", "January", "Monday", "last week", "in the coming days", "since", "record", "highest",
        "£1.2bn", "$5m", "US$", "€", "3.5%", "per cent", "12,000", "1,2,3", "2023", "1990s", "No. 10",
        "more than", "between", "and", "to", "-", "–", "two", "a dozen", "hundreds", "km", "years",
        "caused", "due to", "banned", "signed", "Mr.", "Dr.", "photo", "caption:", "?", "!", ".", "...",
        "“", "”", '"', "'", "(", ")", ",", ":", "\n", "\t", "é", "ß", "\u212a", "ſ", "٣", "\x00", "I", "my",
        "I think", "a third", "the", "officials", "Zelensky", "TASS", "read", "reported", "that", "found",
    ]  # fmt: skip
    pfs = engine_prefilters()
    for i in range(2000):
        words = rng.choices(vocabulary, k=rng.randint(0, 24))
        text = "".join(w + rng.choice(["", " ", " ", " ", "  "]) for w in words)
        for _, pf in pfs:
            same_matches(pf, text, reference=i % 10 == 0)


@compiled
@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_engine_patterns_find_the_same_matches_in_every_bbc_sentence():
    pfs = engine_prefilters()
    for row in bbc_rows():
        for span in sentences(row["text"]):
            for _, pf in pfs:
                same_matches(pf, span.text, reference=False)


@compiled
@pytest.mark.parametrize(
    "prefixes, message",
    [
        ([], "between 1 and 4,096"),
        ([("a",)] * 4097, "between 1 and 4,096"),
        ([()], "tuple of 1 to 64"),
        (["ab"], "tuple of 1 to 64"),
        ([("",)], "None (a digit) or a str"),
        ([(1,)], "None (a digit) or a str"),
        ([("a",) * 65], "tuple of 1 to 64"),
    ],
)
def test_the_scanner_refuses_bad_prefixes(prefixes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        prefilter._prefilter.compile(prefixes, False)


@compiled
def test_the_scanner_refuses_what_is_not_a_scanner():
    with pytest.raises(ValueError):
        prefilter._prefilter.first_hit(object(), "text")
    with pytest.raises(TypeError):
        prefilter._prefilter.first_hit(prefilter._prefilter.compile([("a",)], False), b"bytes")


@compiled
def test_stepping_calls_match_where_a_prefix_occurs_and_is_what_finditer_and_search_return():
    pattern = re.compile(r"\b(?:said|says)\b")
    scanner = prefilter._prefilter.compile([tuple("sai"), tuple("say")], False)
    text = "He said, she says; saying said."
    stepped = prefilter._prefilter.matches(scanner, pattern, False, text)
    assert [m.span() for m in stepped] == [m.span() for m in pattern.finditer(text)]
    first = prefilter._prefilter.matches(scanner, pattern, True, text)
    assert first.span() == pattern.search(text).span()
    assert prefilter._prefilter.matches(scanner, pattern, True, "nothing here") is None
    assert prefilter._prefilter.matches(scanner, pattern, False, "nothing here") == []


@compiled
def test_an_ascii_only_scanner_leaves_other_text_to_the_pattern_itself():
    pattern = re.compile(r"said", re.IGNORECASE)
    scanner = prefilter._prefilter.compile([("sS", "aA", "iI", "dD")], True)
    text = "é SAID \u017faid said"  # a long s
    assert pattern.search("\u017faid")  # re.IGNORECASE folds it to an s, the scanner does not
    stepped = prefilter._prefilter.matches(scanner, pattern, False, text)
    assert [m.span() for m in stepped] == [(2, 6), (7, 11), (12, 16)]
    assert prefilter._prefilter.matches(scanner, pattern, True, text).span() == (2, 6)


@compiled
def test_stepping_refuses_a_pattern_that_matches_the_empty_string_and_bad_arguments():
    scanner = prefilter._prefilter.compile([("a",)], False)
    with pytest.raises(ValueError, match="empty string"):
        prefilter._prefilter.matches(scanner, re.compile(r"(?=a)"), False, "xa")
    with pytest.raises(TypeError):
        prefilter._prefilter.matches(scanner, re.compile("a"), "a")
    with pytest.raises(AttributeError):
        prefilter._prefilter.matches(scanner, "not a pattern", False, "a")
    with pytest.raises(TypeError):
        prefilter._prefilter.matches(scanner, re.compile("a"), False, b"a")
    with pytest.raises(ValueError):
        prefilter._prefilter.matches(object(), re.compile("a"), False, "a")

    class Failing:
        def match(self, text, pos):
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):  # an error raised by match() comes through
        prefilter._prefilter.matches(scanner, Failing(), False, "a")


def test_sub_takes_a_plain_replacement_only():
    pf = Prefilter(re.compile(r"\d+"))
    assert pf.sub("#", "a 12 b 3") == "a # b #"
    with pytest.raises(ValueError, match="plain replacement"):
        pf.sub(r"\g<0>", "12")


@compiled
def test_match_start_runs_the_pattern_only_where_a_prefix_opens_the_text():
    scanner = prefilter._prefilter.compile([tuple("rea"), ("©",)], False)
    pattern = re.compile(r"^(?:read more|©)")
    assert prefilter._prefilter.match_start(scanner, pattern, "read more").span() == (0, 9)
    assert prefilter._prefilter.match_start(scanner, pattern, "© BBC").span() == (0, 1)
    assert prefilter._prefilter.match_start(scanner, pattern, "real") is None
    assert prefilter._prefilter.match_start(scanner, pattern, "He read more") is None
    assert prefilter._prefilter.match_start(scanner, pattern, "") is None
    caseless = prefilter._prefilter.compile([("rR", "eE")], True)
    assert prefilter._prefilter.match_start(caseless, re.compile("re", re.I), "RE é").span() == (0, 2)
    with pytest.raises(TypeError):
        prefilter._prefilter.match_start(scanner, pattern, b"read")
    with pytest.raises(TypeError):
        prefilter._prefilter.match_start(scanner, pattern)


@compiled
def test_the_skipping_scan_finds_every_place_over_a_small_alphabet():
    """Prefixes of 2 to 6 letters let the scan skip ahead by the two characters it reads (Wu-Manber):
    over texts of the same few letters, where prefixes overlap and repeat, it misses no place."""
    rng = random.Random(11)
    for _ in range(300):
        words = {"".join(rng.choices("abc1", k=rng.randint(2, 6))) for _ in range(rng.randint(1, 6))}
        pf = Prefilter(re.compile("|".join(sorted(words, key=len, reverse=True))))
        assert pf.compiled
        for _ in range(20):
            text = "".join(rng.choices("abc1 ", k=rng.randint(0, 40)))
            assert pf.first_possible(text) == first_hit_reference(pf.prefixes, text), (words, text)
            assert [m.span() for m in pf.finditer(text)] == [m.span() for m in pf.pattern.finditer(text)]


@compiled
def test_the_engine_gives_the_same_drafts_on_the_plain_regexes(monkeypatch):
    """What a machine without a C compiler runs: every Prefilter on its plain pattern."""
    from pathlib import Path

    from articles.extraction import extract

    fixtures = Path(__file__).resolve().parents[3] / "articles" / "fixtures"
    texts = [doc.text for doc in newsroom_docs()] + [p.read_text() for p in sorted(fixtures.glob("*.txt"))]
    texts += [
        "Between 60,000 and 100,000 soldiers, or some 25,000-30,000 a year, died; 12% in May 2023.",
        "Officials said sales rose in 2021 to 5,000 units.",  # the date wins 2021; 5,000 is a single figure
    ]
    assert len(texts) > 3
    compiled_drafts = [extract(t, threshold=0.5).drafts for t in texts]
    for _, pf in engine_prefilters():
        for name in ("search", "finditer", "match"):
            monkeypatch.delitem(vars(pf), name, raising=False)
        monkeypatch.setattr(pf, "_scanner", None)
        monkeypatch.setattr(pf, "_step", False)
    from articles.extraction import _text, attribution, filters

    caches = [attribution._find_source, filters._line_reason, _text._mask_quotes]
    for cache in caches:
        cache.cache_clear()
    try:
        assert [extract(t, threshold=0.5).drafts for t in texts] == compiled_drafts
    finally:
        for cache in caches:
            cache.cache_clear()


@pytest.mark.parametrize("source", [r"(?mi:k)", r"(?si:s)", r"(?si:ß)", r"(?xi: k )", r"(?i)said"])
def test_a_scoped_caseless_group_with_other_flags_scans_ascii_only(source):
    pf = Prefilter(re.compile(source))
    assert pf.ascii_only
    for text in ["\u212a", "ſ", "ẞ", "K and SAID", "k é"]:
        same_matches(pf, text)


def test_caseless_elements_hold_the_ascii_letters_ignorecase_matches_and_no_multi_character_forms():
    (prefix,) = required_prefixes(re.compile("İ", re.IGNORECASE))
    assert "i" in prefix[0] and all(len(c) == 1 for c in prefix[0])
    (prefix,) = required_prefixes(re.compile("ß", re.IGNORECASE))
    assert "S" not in prefix[0] and all(len(c) == 1 for c in prefix[0])
    assert first_hit_reference([prefix], "ẞ", ascii_only=True) == 0  # other text is not scanned
