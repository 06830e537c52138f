"""Claim type, after Full Fact's typology, from word rules.

The labels of the sample article decide how types interact. What a claim is about
wins over how it is reported: "TASS reports that ... martial law" is rules/laws,
"Zelensky claimed that 155 soldiers ..." is quantity, "CNN reported ... will likely
send 25,000 ..." is prediction. "quote" is for attributed speech with no such
content ("He added: 'China is neither the creator nor a party ...'"), and also wins
over a legal word when the sentence is mostly quotation ("It was legislated 'in
order to ...', an explanatory note read").

Order tried: personal experience, correlation/causation, rules/laws, prediction,
quantity, quote, other. A speaker's own pledge ("We will not give up") is not a
prediction; a ranking against the past ("the lowest level since 2020") is a quantity. "not a claim" is for questions and fragments.
"""

from __future__ import annotations

import re

from ._text import CaselessPattern, by_first_letter, has_direct_quote, quoted_word_share
from .prefilter import Prefilter

__all__ = ["TYPES", "classify"]

TYPES = (
    "quantity",
    "correlation/causation",
    "rules/laws",
    "prediction",
    "personal experience",
    "quote",
    "other",
    "not a claim",
)

# Tested for a match only: (?<!War )\b(?:I|I've|I'm|I'd|I’ve|I’m|[Mm]y|me|myself)\b, each branch opening
# with its letter so that sre jumps from one I, M or m to the next.
_PERSONAL = Prefilter(
    re.compile(
        r"(?:I(?<!\wI)(?<!War I)(?:'ve|'m|'d|’ve|’m)?|M(?<!\wM)(?<!War M)y|m(?<!\wm)(?<!War m)(?:y|e|yself))\b"
    )
)
_FIRST_PERSON_OPINION = Prefilter(re.compile(r"\bI (?:think|believe|feel|hope|fear|reckon|suspect|expect)\b"))
_LAW_WORDS = (
    r"laws?|lawful|unlawful|legislation|legislat\w+|bills?|decrees?|statutes?|regulations?|"
    r"regulator\w*|rules?|ruling|ruled|courts?|constitution\w*|illegal\w*|legal(?:ly|ise\w*|ize\w*)?|"
    r"ban|bans|banned|banning|prohibit\w*|permitted|allowed|allowing|allows|licen[cs]e[sd]?|treaty|"
    r"sanctions?|fined|fines|penalt\w+|mandatory|compulsory|obliged|entitled|eligible|comes? into force|"
    r"came into force|enshrined|exempt\w*|judges?|prosecut\w+|sentenced|convicted|acquitted|"
    r"must by law|required to|requirement|Act|executive orders?"
)
_LAW = Prefilter(re.compile(r"\b" + by_first_letter(_LAW_WORDS) + r"\b"))
_PREDICTION = Prefilter(
    re.compile(
        r"\b"
        + by_first_letter(
            r"will|won't|shall|going to|(?:is|are|was|were) (?:expected|forecast|projected|set|likely|"
            r"unlikely|due|poised) to|likely to|unlikely to|forecasts?|predicts?|predicted|predictions?|"
            r"projections?|projected to|outlook|possibility|in the coming (?:days|weeks|months|years)|"
            r"(?i:by) (?:20[2-9]\d|next year|the end of (?:the|this|next) (?:year|decade|month))|"
            r"expects?|expected|(?:could|might|may)(?!\s+(?:not|have|be reached|well have))|"
            r"(?:could|might|may) not (?:survive|last|recover|return)"
        )
        + r"\b"
    )
)
_CAUSAL_WORDS = (
    r"caus(?:e|es|ed|ing)|led to|leads to|lead to|leading to|result(?:s|ed)? in|as a result of|"
    r"because of|due to|owing to|linked to|link between|links between|associated with|"
    r"correlat\w+|contribut(?:e|es|ed|ing) to|responsible for|blamed? (?:\w+ ){0,4}for|driven by|"
    r"fuell?ed by|triggered|(?:reduc|increas|rais|lower)(?:e|es|ed|ing) the risk|thanks to|"
    r"attributed to|effect of|impact of|made .{0,30} worse"
)
_CAUSAL = Prefilter(re.compile(r"\b" + by_first_letter(_CAUSAL_WORDS) + r"\b"))
# Either of the two above, in one scan that costs about as much as one of them: most sentences have
# neither, and for those one scan answers both tests.
_CAUSAL_OR_LAW = Prefilter(re.compile(r"\b" + by_first_letter(_CAUSAL_WORDS + "|" + _LAW_WORDS) + r"\b"))
# A speaker's pledge is not a forecast: "We will not give up".
_PLEDGE = re.compile(r"\b(?:I|[Ww]e)(?:'ll| will| won't| shall)\b")
_PLEDGE_HINTS = Prefilter(re.compile(r"'ll| will| won't| shall"))
_RANKED = Prefilter(
    re.compile(
        r"\b(?:highest|lowest|biggest|largest|smallest|worst|deadliest|fastest|slowest|hottest|coldest|"
        r"wettest|driest|most|fewest|record)\b.{0,60}\b(?:since|on record|ever|in (?:a|the) (?:decade|century))\b|"
        r"\b(?:a third|a quarter|a fifth|a tenth|two-thirds|three-quarters)\b"
    )
)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Every date opens with a digit or a month: looking ahead for one turns most words away at once.
_DATE = Prefilter(
    re.compile(
        rf"\b(?=\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+"
        rf"(?:of\s+)?(?:{_MONTHS})(?:\s+\d{{4}})?|(?:{_MONTHS})\s+\d{{4}}|(?:1[89]|20)\d{{2}}s?)\b"
    )
)
_NUMBER = CaselessPattern(
    r"(?<![\w-])\d[\d,.]*|\b"
    + by_first_letter(
        "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
        r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
        r"eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|"
        r"dozen|dozens|half|doubled|tripled|halved|quadrupled|majority|minority|percent"
    )
    + r"\b|%"
)
_DIGIT = Prefilter(re.compile(r"\d"))
# The first branch of _NUMBER, opening with its digit: most quantities are settled by it or by a "%".
_FREE_DIGIT = Prefilter(re.compile(r"\d(?<![\w-]\d)"))
_REPORTED = re.compile(
    r"\b(?:said|says|told|added|claimed|stated|according to|announced|insisted|argued|warned|"
    r"wrote|alleged|explained|noted|assessed|declared|stressed|asked)\b"
)


def _has_quantity(sentence: str) -> bool:
    # Every date pattern holds a digit: without one there is nothing to blank out.
    undated = _DATE.sub(" ", sentence) if _DIGIT.search(sentence) else sentence
    has_number = "%" in undated or _FREE_DIGIT.search(undated) is not None or _NUMBER.found_in(undated)
    return has_number or _RANKED.search(sentence) is not None


def classify(sentence: str, *, attributed: bool | None = None) -> str:
    """One of TYPES for a sentence. `attributed` says a source asserts it (None: look for a reporting verb)."""
    text = sentence.strip()
    if len(text.split(None, 4)) < 4 or text.rstrip("\"'”’)").endswith("?"):
        return "not a claim"
    if attributed is None:
        attributed = bool(_REPORTED.search(text))
    if _PERSONAL.search(text) and not _FIRST_PERSON_OPINION.search(text):
        return "personal experience"
    if _CAUSAL_OR_LAW.search(text):
        if _CAUSAL.search(text):
            return "correlation/causation"
        if _LAW.search(text) and not quoted_word_share(text) > 0.5:  # mostly quoted
            return "rules/laws"
    unpledged = _PLEDGE.sub(" ", text) if _PLEDGE_HINTS.may_match(text) else text
    if _PREDICTION.search(unpledged):
        return "prediction"
    if _has_quantity(text):
        return "quantity"
    if attributed or has_direct_quote(text):
        return "quote"
    return "other"
