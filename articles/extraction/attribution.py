"""Attribution: who asserts each sentence, as named in the article, with offsets.

Rules, in the order they are tried on one sentence (quoted words are masked first,
so a reporting verb inside a quotation never counts):

* a reporting clause, before or after the claim: "X said (that) ...", "..., X added.",
  "..., said X.", "X has stated that ...";
* "according to X" (and "citing X"): the source when nothing else is named, else the
  relaying outlet (`via`) of the source that is named ("..., the General Staff
  reported, according to the Kyiv Independent");
* a relay, "CNN reported that a Ukrainian intelligence assessment stated ...": the
  inner reporter is the source and the outer one is `via`;
* an enacting authority, "Vladimir Putin has signed a new law ...": whoever makes a
  rule is its source.

Across sentences, `attribute` resolves a reporting pronoun ("He added") to the
source named just before, and gives every sentence of a multi-sentence quotation the
attribution found at its start or end. An explicit name beats a pronoun in the same
sentence ("It added ..., the ISW added" -> ISW). None means the outlet itself asserts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ._text import DETERMINERS, FUNCTION_WORDS, PRONOUNS, TITLE_WORDS, by_first_letter, mask_quotes, word_set
from .prefilter import Prefilter
from .segment import Span

__all__ = ["Attribution", "LocalAttribution", "attribute", "find_source"]


@dataclass(frozen=True)
class Attribution:
    """A source with offsets into the article text; `via` is the outlet that relays it."""

    source: str
    start: int
    end: int
    via: str | None = None
    via_start: int | None = None
    via_end: int | None = None
    # How the sentence got it: "explicit", "pronoun" (resolved to an earlier mention)
    # or "quote" (shared by the sentences of one multi-sentence quotation).
    resolved_by: str = "explicit"


@dataclass(frozen=True)
class LocalAttribution:
    """What one sentence says about its source, offsets relative to the sentence."""

    source: str
    start: int
    end: int
    pronoun: bool = False
    via: str | None = None
    via_start: int | None = None
    via_end: int | None = None


STRONG_VERBS = (
    "said says say told tells added adds claimed claims stated reported reports announced "
    "announces assessed assesses estimated warned warns insisted insists argued argues noted "
    "wrote writes alleged alleges explained explains confirmed confirms denied denies "
    "acknowledged admitted admits predicted predicts declared declares maintained maintains "
    "stressed stresses emphasised emphasized asserted asserts tweeted posted testified "
    "concluded concludes ruled described describes believe believes believed expects expect "
    "expected"
)
# Verbs that only report when a clause follows ("found that") or when they close the
# sentence ("..., an explanatory note read."): "police found two bodies" is not a source.
WEAK_VERBS = (
    "found finds showed shows suggested suggests revealed reveals indicated indicates read reads "
    "show state states report claim estimate estimates forecast forecasts "
    "projected projects calculated calculates recorded records"
)
_STRONG = frozenset(STRONG_VERBS.split())
_RELAY_VERBS = word_set("reported reports said says wrote writes told tells cited cites")
_VERB_RE = Prefilter(
    re.compile(
        r"\b" + by_first_letter("|".join(sorted(set((STRONG_VERBS + " " + WEAK_VERBS).split())))) + r"\b"
    )
)

# A word right before the verb that makes it a noun or a passive: "the report", "is said to".
_NOT_A_VERB_BEFORE = word_set(
    "the a an its their his her our this these those new latest recent such is are was were be been "
    "being to which that"
)
# Words between the source and its verb: "has also stated", "have previously said".
_AUX = word_set(
    "has have had also previously later earlier again already repeatedly publicly then reportedly "
    "officially recently separately similarly once further subsequently first initially"
)
# A subject containing one of these is a clause, not a name: "prices rose and officials".
_VERBISH = word_set(
    "is are was were be been being will would could can may might should must did does do not "
    "rose fell there here if when because"
)
_LEADING = re.compile(
    r"^(?:(?:but|and|yet|however|meanwhile|still|separately|now|so|also|instead|similarly|"
    r"moreover|indeed|later|earlier|then)\b[\s,]*)+",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_LEADING_TIME = re.compile(
    r"^(?:(?:in|on|at|by|since|during|last|earlier|later|this|next|early|late)\s+)?"
    rf"(?:(?:the\s+)?(?:{_MONTH}|{_WEEKDAY}|\d{{4}}|year|week|month|morning|afternoon|evening|night|weekend)"
    r"(?:\s+\d{1,4})?\s+)+",
    re.IGNORECASE,
)
_ROLE_NOUNS = word_set(
    "spokesman spokeswoman spokesperson adviser advisor minister secretary head chief director "
    "member members official officials representative representatives envoy ambassador "
    "commander commanders leader leaders"
)
_PREPOSITIONS = word_set("to for of in at from on with within by")

_ACCORDING = re.compile(
    r"\b(?P<kind>[Aa]ccording to|[Cc]iting)\s+(?P<np>[^,;:\"]+?)(?=\s*(?:[,;:\"]|[.!?]\s*\"?\s*$|$))"
)
_ENACT_VERBS = (
    "signed",
    "passed",
    "approved",
    "enacted",
    "adopted",
    "vetoed",
    "issued",
    "introduced",
    "decreed",
    "ratified",
)
_ENACT = re.compile(
    r"\b(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:"
    + "|".join(_ENACT_VERBS)
    + r")\s+(?:into\s+law\s+)?(?:a|an|the)?\s*(?:new\s+)?(?:[\w-]+\s+)?"
    r"(?:law|bill|decree|order|legislation|resolution|regulations?|ban|treaty|act|executive\s+order)\b"
)
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Sgt", "Prof", "St", "Sen", "Rep", "Gov")
_ABBREV_DOT = re.compile(r"\b(?:" + "|".join(_ABBREVIATIONS) + r")\.")
# Substrings every match of a pattern holds: testing them first skips most sentences cheaply.
_ABBREV_HINTS = Prefilter(re.compile("|".join(a + r"\." for a in _ABBREVIATIONS)))
# One regex call for "does any enactment verb occur" (a loop of `in` tests cost more).
_ENACT_HINTS = Prefilter(re.compile(by_first_letter("|".join(_ENACT_VERBS))))
# Compiled once: the module-level re functions look each pattern up in re's cache on every call.
_SPACED_WORD = re.compile(r"[^\s]+")
_FIGURE = re.compile(r"[\d.,%]+")
# What follows a verb that closes its sentence ("..., an explanatory note read.") or opens a clause.
_CLOSES = re.compile(r"\s*(?:(?:on|in|at|last|this|earlier)\b[^,.\"]*)?[.!]?\s*\"?\s*$")
_CLAUSE_FOLLOWS = re.compile(r"\s+that\b|\s*:")
# The source after an inverted verb: '"...," said Mr Smith.'
_INVERTED = re.compile(r"\s+([^,.;:\"]{1,80}?)\s*(?:,|[.!]?\s*\"?\s*$)")
_THAT_OR_COMMA = re.compile(r"\bthat\b|,")
_PAREN = re.compile(r"\([^()]{1,40}\)")
_BOUNDARY = re.compile(
    r'(?:[,;:"—–]|\s-\s|\b' + by_first_letter("that|but|while|whereas|as|because|although") + r"\b)"
)


_NOT_A_PERSON = word_set(
    """house sea ocean river ministry council court union forces force army navy bank institute agency office
    party street square region city republic united states kingdom nations government committee
    parliament assembly commission university hospital school company group times post news
    independent journal guardian telegraph service services staff general war east west north south
    organization organisation health"""
)


def _prepare(text: str, inside_quote: bool) -> str:
    """The sentence with quotations and short parentheticals blanked out, same length."""
    masked, _ = mask_quotes(text, inside=inside_quote)
    if "(" in masked:  # every parenthetical opens with one
        masked = _PAREN.sub(lambda m: " " * len(m.group()), masked)
    # An abbreviation's dot is not a clause end: "said Mr. Smith".
    if _ABBREV_HINTS.search(masked) is None:
        return masked
    return _ABBREV_DOT.sub(lambda m: m.group()[:-1] + " ", masked)


def _words(segment: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(), offset + m.start(), offset + m.end()) for m in _SPACED_WORD.finditer(segment)]


def _clean_np(words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Trim a subject to the name it carries ("the Russian news service TASS" -> "TASS")."""
    words = [(w.strip(",;:.!?'’\"").rstrip(), s, e) for w, s, e in words]
    words = [(w, s, s + len(w)) for w, s, _ in words if w]
    # Cut a relative clause: "a spokesman who declined to be named".
    for i, (w, _, _) in enumerate(words):
        if w.lower() in ("who", "which", "whose") and i > 0:
            words = words[:i]
            break
    while words and words[0][0].lower() in DETERMINERS:
        words = words[1:]
    if not words:
        return words
    # Trailing prepositional phrase with a common-noun object: "note to the order".
    head_is_role = False
    for i, (w, _, _) in enumerate(words):
        if i and w.lower() in _PREPOSITIONS and w.islower():
            rest = [x for x, _, _ in words[i + 1 :] if x.lower() not in DETERMINERS]
            head_is_role = words[i - 1][0].lower() in _ROLE_NOUNS
            if rest and rest[0][:1].islower() and not head_is_role:
                words = words[:i]
                break
    # "[descriptor ...] Name": keep the name when a plain lowercase word precedes it.
    tail_start = len(words)
    while tail_start > 0:
        w = words[tail_start - 1][0]
        if w[:1].isupper() or (w.lower() in FUNCTION_WORDS and tail_start < len(words)):
            tail_start -= 1
        else:
            break
    while tail_start < len(words) and words[tail_start][0].lower() in FUNCTION_WORDS:
        tail_start += 1
    if 0 < tail_start < len(words):
        before = [w for w, _, _ in words[:tail_start]]
        if any(w.islower() and w.lower() not in FUNCTION_WORDS for w in before) and not head_is_role:
            words = words[tail_start:]
    # Titles in front of a person's name: "Foreign Minister Sergei Lavrov".
    last_title = -1
    for i, (w, _, _) in enumerate(words):
        if w.lower().rstrip(".") in TITLE_WORDS or w.lower() in TITLE_WORDS:
            last_title = i
        elif last_title >= 0:
            break
    rest = words[last_title + 1 :]
    if (
        0 <= last_title < len(words) - 1
        and all(w[:1].isupper() for w, _, _ in rest)
        # Only before a person's name: "World Health Organization", "General Staff" keep their words.
        and not any(w.lower() in _NOT_A_PERSON for w, _, _ in rest)
    ):
        words = rest
    return words


def _np_before(prepared: str, verb_start: int) -> list[tuple[str, int, int]] | None:
    head = prepared[:verb_start]
    bounds = [m for m in _BOUNDARY.finditer(head)]
    start = bounds[-1].end() if bounds else 0
    words = _words(head[start:], start)
    if not words and len(bounds) >= 2 and bounds[-1].group() == ",":
        # An appositive right before the verb: "the mayor of Kharkiv, Ihor Terekhov, said".
        start = bounds[-2].end()
        words = _words(head[start : bounds[-1].start()], start)
    while words and words[-1][0].lower() in _AUX:
        words.pop()
    if not words:
        return []
    segment_text = prepared[words[0][1] : words[-1][2]]
    lead = _LEADING.match(segment_text)
    if lead:
        cut = words[0][1] + lead.end()
        words = [w for w in words if w[1] >= cut]
    segment_text = prepared[words[0][1] : words[-1][2]] if words else ""
    lead = _LEADING_TIME.match(segment_text)
    if lead and lead.end() < len(segment_text):
        cut = words[0][1] + lead.end()
        words = [w for w in words if w[1] >= cut]
    return words


def _valid(words: list[tuple[str, int, int]]) -> bool:
    if not words or len(words) > 10:
        return False
    for w, _, _ in words:
        low = w.lower().strip(",.")
        if low in _VERBISH or "_" in w:
            return False
        if _FIGURE.fullmatch(w):
            return False
    return any(c.isalpha() for w, _, _ in words for c in w)


def _mention(text: str, words: list[tuple[str, int, int]]) -> tuple[str, int, int]:
    start, end = words[0][1], words[-1][2]
    return text[start:end], start, end


@dataclass(frozen=True)
class _Candidate:
    source: str
    start: int
    end: int
    pronoun: bool
    verb: str
    verb_end: int


def _candidates(text: str, prepared: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _VERB_RE.finditer(prepared):
        verb = m.group()
        before = prepared[: m.start()].rsplit(None, 1)  # only the last word: split() from the right
        prev = before[-1].lower() if before else ""
        if prev in _NOT_A_VERB_BEFORE or prev.endswith(("'s", "’s")):
            continue
        after = prepared[m.end() :]
        closes = _CLOSES.match(after)
        if verb not in _STRONG and not (_CLAUSE_FOLLOWS.match(after) or closes):
            continue
        words = _np_before(prepared, m.start())
        if words:
            words = _clean_np(words)
            if not _valid(words):
                continue
            source, start, end = _mention(text, words)
            pronoun = len(words) == 1 and source.lower() in PRONOUNS
            found.append(_Candidate(source, start, end, pronoun, verb, m.end()))
            continue
        # Inverted order after a quotation or a comma: '"...," said Mr Smith.'
        if not prepared[: m.start()].rstrip().endswith((",", '"')):
            continue
        inv = _INVERTED.match(after)
        if not inv:
            continue
        words = _clean_np(_words(inv.group(1), m.end() + inv.start(1)))
        if _valid(words):
            source, start, end = _mention(text, words)
            pronoun = len(words) == 1 and source.lower() in PRONOUNS
            found.append(_Candidate(source, start, end, pronoun, verb, m.end()))
    return found


def _according(text: str, prepared: str) -> tuple[tuple[str, int, int], bool] | None:
    """The "according to X" / "citing X" mention, and whether it was "citing"."""
    if "ccording to" not in prepared and "iting" not in prepared:  # every _ACCORDING match holds one
        return None
    m = _ACCORDING.search(prepared)
    if not m:
        return None
    words = _clean_np(_words(m.group("np"), m.start("np")))
    if not _valid(words):
        return None
    return _mention(text, words), m.group("kind").lower() == "citing"


def _enactor(text: str, prepared: str) -> tuple[str, int, int] | None:
    if _ENACT_HINTS.search(prepared) is None:
        return None
    m = _ENACT.search(prepared)
    if not m:
        return None
    words = _np_before(prepared, m.start())
    if not words:
        return None
    words = _clean_np(words)
    if not _valid(words):
        return None
    return _mention(text, words)


def find_source(text: str, *, inside_quote: bool = False) -> LocalAttribution | None:
    """The source one sentence names for itself, offsets relative to `text`.

    A pronoun ("He added") comes back with `pronoun=True`; `attribute` resolves it.
    `inside_quote` says the sentence starts within a quotation opened earlier.
    """
    return _find_source(text, inside_quote)


# The engine asks about the same sentence in `attribute` and again in `highlights`; the answer
# depends on the two arguments alone and is immutable, so a small cache serves the second call.
@lru_cache(maxsize=1024)
def _find_source(text: str, inside_quote: bool) -> LocalAttribution | None:
    prepared = _prepare(text, inside_quote)
    cands = _candidates(text, prepared)
    found = _according(text, prepared)
    according, citing = found if found else (None, False)
    explicit = [c for c in cands if not c.pronoun]
    via: tuple[str, int, int] | None = None
    chosen: _Candidate | None = None
    if explicit:
        chosen = explicit[0]
        if len(explicit) > 1 and explicit[0].verb in _RELAY_VERBS:
            inner = next((c for c in explicit[1:] if c.start >= explicit[0].verb_end), None)
            between = prepared[explicit[0].verb_end : inner.start] if inner else ""
            if inner and _THAT_OR_COMMA.search(between):
                via = (explicit[0].source, explicit[0].start, explicit[0].end)
                chosen = inner
    elif cands:
        chosen = cands[0]
    if chosen is None:
        if according:
            return LocalAttribution(*according)
        enactor = _enactor(text, prepared)
        return LocalAttribution(*enactor) if enactor else None
    if via is None and according and according[1] != chosen.start:
        if citing:
            # "Axios reported, citing two officials, that ...": the officials assert it.
            via = (chosen.source, chosen.start, chosen.end)
            return LocalAttribution(*according, via=via[0], via_start=via[1], via_end=via[2])
        via = according
    return LocalAttribution(
        chosen.source,
        chosen.start,
        chosen.end,
        pronoun=chosen.pronoun,
        via=via[0] if via else None,
        via_start=via[1] if via else None,
        via_end=via[2] if via else None,
    )


_PERSON = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}\b")
# How far back (in sentences) a "he" or "she" looks for the person it stands for.
_PRONOUN_WINDOW = 3


def _people(text: str, *, inside_quote: bool, offset: int) -> list[tuple[str, int, int]]:
    """Person-like names outside quotations: the fallback antecedents of "he" and "she"."""
    masked, _ = mask_quotes(text, inside=inside_quote)
    found = []
    for m in _PERSON.finditer(masked):
        words = m.group().split()
        while words and words[0].lower() in TITLE_WORDS:
            words = words[1:]
        if len(words) < 2 or any(w.lower() in _NOT_A_PERSON for w in words):
            continue
        name = " ".join(words)
        start = offset + m.end() - len(name)
        found.append((name, start, start + len(name)))
    return found


def _absolute(local: LocalAttribution, offset: int) -> Attribution:
    return Attribution(
        source=local.source,
        start=offset + local.start,
        end=offset + local.end,
        via=local.via,
        via_start=None if local.via_start is None else offset + local.via_start,
        via_end=None if local.via_end is None else offset + local.via_end,
    )


def attribute(sentences: list[Span], *, text: str | None = None) -> list[Attribution | None]:
    """One attribution (or None) per sentence of an article, offsets into the article.

    Pass the article `text` so a quotation left open at the end of a paragraph does
    not run into the next one; without it, quote state carries over between sentences.
    """
    results: list[Attribution | None] = []
    last: Attribution | None = None
    last_index = -1
    # The quotation state each sentence started in, to find the people it names only when a
    # "he" or "she" needs one (most articles never do, and the search is costly).
    insides: list[bool] = []
    inside = False
    group: list[int] = []
    prev: Span | None = None

    def recent_person(index: int) -> tuple[str, int, int] | None:
        """The last person named in the _PRONOUN_WINDOW sentences before `index`."""
        for i in range(index - 1, max(index - _PRONOUN_WINDOW, 0) - 1, -1):
            named = _people(sentences[i].text, inside_quote=insides[i], offset=sentences[i].start)
            if named:
                return named[-1]
        return None

    def close_group() -> None:
        nonlocal group
        shared = next(
            (results[i] for i in group if results[i] and results[i].resolved_by != "quote"),
            None,
        )
        if shared:
            for i in group:
                if results[i] is None:
                    results[i] = replace(shared, resolved_by="quote")
        group = []

    for index, span in enumerate(sentences):
        if text is not None and prev is not None and "\n" in text[prev.end : span.start]:
            inside = False
            close_group()
        insides.append(inside)
        local = find_source(span.text, inside_quote=inside)
        _, inside_after = mask_quotes(span.text, inside=inside)
        found: Attribution | None = None
        if local is not None:
            if local.pronoun:
                personal = local.source.lower() in ("he", "she")
                person = recent_person(index) if personal else None
                if last is None or (personal and person and last_index < index - _PRONOUN_WINDOW):
                    # No source named recently: "he" stands for the person named just before.
                    if personal and person is not None:
                        found = Attribution(person[0], person[1], person[2], resolved_by="pronoun")
                elif last is not None:
                    found = replace(last, resolved_by="pronoun")
                if found is not None and local.via is not None:
                    found = replace(
                        found,
                        via=local.via,
                        via_start=span.start + local.via_start,
                        via_end=span.start + local.via_end,
                    )
            else:
                found = _absolute(local, span.start)
        results.append(found)
        if found is not None:
            last, last_index = found, index
        if inside or inside_after:
            group.append(index)
        if not inside_after and group:
            close_group()
        inside = inside_after
        prev = span
    if group:
        close_group()
    return results
