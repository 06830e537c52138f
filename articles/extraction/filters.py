"""The filter: sentences that never become claims, and why.

`reject_reason` returns one of REASONS, or None for a sentence that may be a claim.
Some rules look at the sentence's paragraph (one line of the body): a caption
credit anywhere in the line rejects the whole line, and a line with no
sentence-final punctuation is a headline, a subheading or a link. `in_link_list`
carries article context: the lines after a "You may also like" / "Related" heading
are headlines even when they end with a full stop.

A sentence that carries a dateline and then a claim ("KYIV (Reuters) - Russia
launched 40 drones ...") is kept: only a line that is nothing but a date, a time or
a place stamp is a dateline.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._text import CaselessPattern, by_first_letter, lowered_as_ignorecase, word_set
from .attribution import find_source
from .prefilter import Prefilter

__all__ = ["REASONS", "is_link_list_heading", "reject_reason"]

REASONS = (
    "navigation",
    "byline",
    "dateline",
    "caption",
    "headline",
    "question",
    "imperative",
    "fragment",
    "opinion",
)

_LIST_HEADING = Prefilter(
    re.compile(
        r"^(?:you (?:may|might) also (?:like|be interested in)|related(?: articles| stories| coverage| content| "
        r"links| topics| news| reading)?|more (?:from|on|stories|news|in)\b.*|most (?:read|popular|viewed|shared)|"
        r"recommended(?: for you| stories| reading)?|trending(?: now| stories)?|top stories|latest news|"
        r"also read|read more|see also|further reading|editor'?s picks|what to read next|more like this|"
        r"popular now|don'?t miss)\s*:?$",
        re.IGNORECASE,
    )
)
_NAVIGATION = Prefilter(
    re.compile(
        r"^(?:read more\b|read next\b|also read\b|related\s*(?::|$|articles|stories|coverage|content|links|topics)|"
        r"see also\b|sign up\b|signup\b|subscribe\b(?:\s+(?:to|now|for|here|today)\b|\s*[:.!]?$)|"
        r"share\s*(?::|$|this\b|on\b|via\b|article\b|story\b|page\b)|follow us\b|"
        r"follow\b.{0,60}\bon (?:twitter|x|facebook|instagram|tiktok|threads|bluesky|linkedin)\b|"
        r"click here\b|tap here\b|advertisement\b|sponsored\b|skip to\b|listen to this article\b|"
        r"download (?:the|our) app\b|get (?:the|our) (?:newsletter|app)\b|newsletter\b|comments?\s*(?:\(\d+\))?$|"
        r"copyright\b|©|all rights reserved\b|back to top\b|loading\b|watch:|listen:|"
        r"this (?:article|story) (?:was|is) (?:first )?(?:published|updated)\b|"
        r"we use cookies\b|accept (?:all )?cookies\b|privacy policy\b|terms (?:of use|and conditions)\b|"
        r"(?:\d+\s+)?min(?:ute)?s? read$|" + _LIST_HEADING.pattern.pattern[1:-1] + r"\s*:?$)",
        re.IGNORECASE,
    )
)
_BYLINE = Prefilter(
    re.compile(
        r"^(?:(?i:written|words|story|reporting|additional reporting|edited|editing|compiled|produced|"
        r"interview|photos?|video) (?i:by)\b|(?i:by)\s+(?!(?:the|a|an|then|now|contrast|comparison|law|far|midday|"
        r"noon|dawn|nightfall|evening|morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"january|february|march|april|may|june|july|august|september|october|november|december|"
        r"early|late|mid|end|next|last|this|\d)\b)[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
        r"(?:\s*(?:,|and|&|\||-|–|—|/|in)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]+){0,4})*\s*$)",
    )
)
_BYLINE_ROLE = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s*(?:,|\||-|–|—)\s*(?:[A-Z][\w'’-]*\s+){0,3}"
    r"(?:correspondent|editor|reporter|writer|contributor|columnist|journalist|staff|producer)\b.{0,40}$",
    re.IGNORECASE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
_MONTH = rf"(?:{_MONTHS})\.?"
_WEEKDAY = rf"(?:{_WEEKDAYS})\.?"
_DATELINE_START = Prefilter(
    re.compile(
        r"^(?:published|updated|last updated|first published|posted|last modified|modified)\b",
        re.IGNORECASE,
    )
)
# Tokens a pure date, time or place stamp is made of.
_STAMP_TOKEN = re.compile(
    rf"(?:{_MONTH}|{_WEEKDAY}|\d{{1,4}}(?:st|nd|rd|th)?|\d{{1,2}}[:.]\d{{2}}|am|pm|a\.m\.|p\.m\.|gmt|bst|utc|cet|"
    r"cest|est|edt|pst|pdt|et|ist|eet|eest|msk|ago|hours?|hrs?|mins?|minutes?|seconds?|days?|weeks?|"
    r"months?|years?|just now|yesterday|today|on|at|\(?(?:ap|afp|reuters|upi|dpa|ani|pti|ians|tass|"
    r"xinhua|bloomberg|cnn|bbc)\)?|[-–—,/|.:()])",
    re.IGNORECASE,
)
# The same tokens, case-sensitive for lowercased ASCII text (see CaselessPattern: several times faster).
_STAMP_TOKEN_LOWER = re.compile(_STAMP_TOKEN.pattern)
# Tested for a match only. A credit word opens a match after the start, a space or a "(": written
# as lookbehinds, so that every match opens with a literal and the lowercase half is prefiltered.
_CAPTION = CaselessPattern(
    r"(?:^|(?<=\s)|(?<=\())(?:photograph|photo|photos|image|picture|illustration|credit|photo credit|"
    r"image source|image caption|media caption|caption|pictured|file photo|source)\s*[:,]|"
    r"\((?:photo|image|picture)s?\s+(?:by|credit|courtesy)\b|"
    r"(?:^|(?<=\s))(?:photo|image|picture) (?:by|courtesy of)\b|"
    r"/\s*(?:getty images|afp|ap|reuters|epa|anadolu|shutterstock|alamy|pa|eyevine|sipa|bloomberg)\b|"
    r"\bvia getty images\b|\b(?:getty images|shutterstock|alamy stock photo|ap photo)\s*\)?\s*$|"
    r"^\((?:ap|afp|reuters|epa|getty) photo|\b(?:ap|afp|epa|reuters|pa) (?:photo|images?|wire)\s*/"
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”][.!?]$")
_CLOSERS = "\"'”’)]"
_TERMINATORS = frozenset(".!?…")
_IMPERATIVE_ALWAYS = Prefilter(
    re.compile(
        r"^(?:please|don't|don’t|do not|never forget|let's|let’s|let us|imagine|make sure|be sure|"
        r"find out|check out|sign up|tell us|click|tap|subscribe|bookmark|remember to|note that|"
        r"consider this|make no mistake)\b",
        re.IGNORECASE,
    )
)
_IMPERATIVE_VERBS = word_set(
    """read follow watch listen share download donate support join try check get visit see tell email
    contact register buy order consider remember take make keep stay help send call learn discover
    look go use choose enter enjoy explore start stop avoid give note act vote write ask pick grab
    book save follow think meet"""
)
_IMPERATIVE_NEXT = word_set(
    """the a an your our us me this these that it them up out here now more what how why whether
    yourself on in at with back away"""
)
# Tested for a match only, so its branches can be grouped: one \b and one letter test per place.
_FIRST_PERSON_OPINIONS = (
    r"i (?:think|believe|feel|reckon|suspect|hope|fear|doubt)|we (?:think|believe|feel|reckon|suspect|"
    r"hope|fear|doubt)|in (?:my|our) (?:view|opinion)|to my mind|it seems to me|i'm (?:sure|convinced)|"
    r"frankly|honestly|arguably|if you ask me|in my book"
)
_OPINION_FIRST_PERSON = CaselessPattern(r"\b" + by_first_letter(_FIRST_PERSON_OPINIONS) + r"\b")
_OPINION_VOCABULARY = (
    r"should|ought to|must|need to|needs to|it is time|it's time|high time|shameful|disgrace(?:ful)?|"
    r"outrageous|absurd|ridiculous|appalling|brilliant|wonderful|terrible|awful|pathetic|scandalous|"
    r"unacceptable|deplorable|admirable|excellent|stupid|foolish|misguided|inspiring|heartbreaking|"
    r"long overdue|a triumph|a travesty|a mistake|a joke|beautiful|magnificent|hopeless|nonsense|"
    r"shocking|sickening|laughable|astonishing|embarrassing|cowardly|courageous|"
    r"reckless|irresponsible|betrayal|sad truth|clearly|obviously|surely"
)
_OPINION_WORDS = CaselessPattern(r"\b" + by_first_letter(_OPINION_VOCABULARY) + r"\b")
# Either of the two above in one scan: most sentences hold neither, and one scan settles both.
_ANY_OPINION = CaselessPattern(
    r"\b" + by_first_letter(_FIRST_PERSON_OPINIONS + "|" + _OPINION_VOCABULARY) + r"\b"
)
_RULE_CONTEXT = CaselessPattern(r"\b(?:law|laws|legally|rules?|regulations?|required|by law|under the)\b")
_CHECKABLE = CaselessPattern(r"\d|\b(?:percent|million|billion|thousand|hundred)\b")
# A stamp holds a number, a month, a weekday or "ago" (months and weekdays in one group by first letter:
# \d|{_MONTH}\b|{_WEEKDAY}\b|\bago\b, only ever tested for a match).
_HAS_STAMP = CaselessPattern(rf"\d|{by_first_letter(_MONTHS + '|' + _WEEKDAYS)}\.?\b|\bago\b")
# Every caption match holds one of these (in any case), or one of the credit words below followed by
# a colon or a comma: cheap tests before the long pattern. "source" and "credit" alone are common in
# body text; as a label ("Source: ...") they always come with the colon or comma.
_CAPTION_HINTS = Prefilter(re.compile("photo|image|picture|shutterstock|/"))
_CAPTION_LABEL = Prefilter(re.compile(r"(?:illustration|credit|caption|source)\s*[:,]"))
_QUESTION_END = re.compile(r"\?[\"'”’)\]]*$")
_QUESTION_ASKED = re.compile(r"\?[\"”’]\s*,?\s*\w+(?:\s+\w+){0,3}\s+asked\.?$")
_FIRST_TWO_WORDS = re.compile(r"[^\w'’]*([\w'’]+)[^\w'’]+([\w'’]+)")


def is_link_list_heading(line: str) -> bool:
    """True for a line that introduces a list of links to other stories ("You may also like")."""
    return bool(_LIST_HEADING.match(line.strip()))


def _ends_sentence(line: str) -> bool:
    """`_TERMINAL.search(line)`, read from the end of the line instead of scanning all of it."""
    if line.endswith("\n"):  # $ also matches before a final line break
        line = line[:-1]
    end = line.rstrip(_CLOSERS)
    return bool(end) and end[-1] in _TERMINATORS


def _without_stamp_tokens(text: str) -> str:
    """`_STAMP_TOKEN.sub(" ", text)`; for ASCII text the tokens are found in the lowercased text."""
    if not text.isascii():
        return _STAMP_TOKEN.sub(" ", text)
    pieces, pos = [], 0
    for m in _STAMP_TOKEN_LOWER.finditer(text.lower()):  # same offsets: ASCII lowercases one to one
        pieces.append(text[pos : m.start()])
        pieces.append(" ")
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def _is_dateline(text: str) -> bool:
    if _DATELINE_START.match(text):
        return True
    if len(text) > 80:  # a stamp is short; skip the token scan for body sentences
        return False
    if not _HAS_STAMP.found_in(text):
        return False
    leftover = _without_stamp_tokens(text)
    # Allow one place word ("Kyiv, 8 July 2025") but nothing that reads as a predicate.
    words = [w for w in leftover.split() if any(c.isalpha() for c in w) and not w.isupper()]
    return len(words) <= 2 and all(w[:1].isupper() for w in words)


def _is_caption(line: str) -> bool:
    lowered = lowered_as_ignorecase(line)  # the hints assume lower() folds case as re.IGNORECASE does
    if (
        lowered is not None
        and _CAPTION_HINTS.search(lowered) is None
        and _CAPTION_LABEL.search(lowered) is None
    ):
        return False
    return _CAPTION.found_in(line)


def _is_imperative(text: str) -> bool:
    stripped = text.lstrip("\"'“‘( ")
    if _IMPERATIVE_ALWAYS.match(stripped):
        return True
    words = _FIRST_TWO_WORDS.match(stripped)
    if words is None or not words.group(1)[:1].isupper():
        return False
    first, second = words.group(1).lower(), words.group(2).lower()
    return first in _IMPERATIVE_VERBS and second in _IMPERATIVE_NEXT


@lru_cache(maxsize=256)
def _line_reason(line: str, in_link_list: bool) -> str | None:
    if _NAVIGATION.match(line):
        return "navigation"
    if in_link_list:
        return "headline"
    if _BYLINE.match(line) or _BYLINE_ROLE.match(line):
        return "byline"
    if _is_dateline(line):
        return "dateline"
    if _is_caption(line):
        return "caption"
    if not _ends_sentence(line) and not line.endswith(":"):
        return "headline"
    return None


def reject_reason(
    sentence: str,
    *,
    paragraph: str | None = None,
    in_link_list: bool = False,
    attributed: bool | None = None,
) -> str | None:
    """Why `sentence` can never be a claim, or None.

    `paragraph` is the line the sentence sits in (defaults to the sentence itself);
    `in_link_list` says the line follows a link-list heading; `attributed` says a
    source asserts the sentence (None: look for one in the sentence), which keeps
    an attributed opinion ("..., the minister said") as a quote.
    """
    text = sentence.strip()
    line = (paragraph if paragraph is not None else sentence).strip()
    if not text:
        return "fragment"
    # Line-level rules run once per line, however many sentences it holds.
    reason = _line_reason(line, in_link_list)
    if reason is not None:
        return reason
    if _NAVIGATION.match(text):
        return "navigation"
    if _BYLINE.match(text):
        return "byline"
    if _is_dateline(text):
        return "dateline"
    if "?" in text and (_QUESTION_END.search(text) or _QUESTION_ASKED.search(text)):
        return "question"
    if _is_imperative(text):
        return "imperative"
    if len(text.split(None, 4)) < 4 or text.endswith(":"):  # fewer than four words (split at most 4 times)
        return "fragment"
    if attributed is None:
        attributed = find_source(text) is not None
    if not attributed and _ANY_OPINION.found_in(text):
        if _OPINION_FIRST_PERSON.found_in(text):
            return "opinion"
        if (
            _OPINION_WORDS.found_in(text)
            and not _CHECKABLE.found_in(text)
            and not _RULE_CONTEXT.found_in(text)
        ):
            return "opinion"
    return None
