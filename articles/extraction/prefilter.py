"""Where a regex's matches can start, read off the pattern, so that it runs from there or not at all.

Most rule patterns find nothing in most sentences, and sre pays for every character it looks at:
a word list tried at each of a sentence's 150 places costs several microseconds even when no word
of it is there. `Prefilter(pattern)` reads the pattern's parse tree once and derives the short
literal prefixes (at most MAX_LEN characters) that every match opens with: "said", "law", "$" then
a digit, "Jan". Zero-width parts (\\b, lookarounds) are passed over, an optional part adds the
prefixes with and without it, and anything that is not a small set of characters (., \\w, \\s, a
negated class) ends a prefix there. So each prefix is a necessary condition: no match of the
pattern starts before the first place where a prefix occurs, and there is no match when none does.

The scan for such places is C (`_prefilter.c`, built by `make`). `search`, `finditer` and `sub`
call `pattern.match(text, pos)` at each of them in turn, `match` only when one opens the text. `pos`
keeps \\b and lookbehinds reading the characters before it, and after a match the next place is
looked for from its end; sre no longer tries every character in between. Every match starts at
such a place, so they return exactly what the pattern's own methods return (`finditer` as a list).
Without the compiled scanner, or for a pattern whose matches can open with anything, they run the
plain regex.
`may_match` is for hints only: True whenever the pattern could match (and sometimes when it could not).
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterable
from functools import cache, partial

try:  # the compiled scanner (`make` builds it); without it every method runs the plain regex
    from . import _prefilter
except ImportError:  # pragma: no cover - exercised where no C compiler was available
    _prefilter = None

__all__ = ["MAX_LEN", "Prefilter", "required_prefixes"]

MAX_LEN = 6
_MAX_PREFIXES = 4000
_MAX_CLASS = 64
DIGIT = None  # an element that stands for any decimal digit (\d in a str pattern)

Element = frozenset[str] | None
Prefix = tuple[Element, ...]


class _TooMany(Exception):
    pass


def _cased(ch: str, caseless: bool) -> set[str]:
    if not caseless:
        return {ch}
    return set(_caseless_forms(ch))


@cache
def _caseless_forms(ch: str) -> frozenset[str]:
    """Characters re.IGNORECASE matches ch to: exactly, among ASCII ones (a caseless scanner reads ASCII
    text only), and the one-character case forms of ch besides. sre folds one character at a time, so
    multi-character forms ("SS" for "ß") are no match and are left out."""
    forms = {ch, ch.lower(), ch.upper(), ch.casefold()}
    forms |= {f.lower() for f in forms} | {f.upper() for f in forms}
    literal = re.compile(re.escape(ch), re.IGNORECASE)
    return frozenset(
        {f for f in forms if len(f) == 1} | {c for c in map(chr, range(128)) if literal.fullmatch(c)}
    )


def _element(op, av, caseless: bool) -> Element | bool:
    """The characters one consuming item can match, or False when they are too many to list."""
    if op is sre.LITERAL:
        return frozenset(_cased(chr(av), caseless))
    if op is not sre.IN:
        return False
    if len(av) == 1 and av[0] == (sre.CATEGORY, sre.CATEGORY_DIGIT):
        return DIGIT
    chars: set[str] = set()
    for item_op, item_av in av:
        if item_op is sre.LITERAL:
            chars |= _cased(chr(item_av), caseless)
        elif item_op is sre.RANGE and item_av[1] - item_av[0] < _MAX_CLASS:
            for code in range(item_av[0], item_av[1] + 1):
                chars |= _cased(chr(code), caseless)
        else:  # a category (\w, \s), a negation, a wide range
            return False
    if len(chars) > _MAX_CLASS or any(len(c) != 1 for c in chars):
        return False
    return frozenset(chars)


# A state is (prefix so far, open): open prefixes grow with what follows, closed ones are final.
State = tuple[Prefix, bool]


def _close(states: set[State]) -> set[State]:
    return {(prefix, False) for prefix, _ in states}


def _follow(items, states: set[State], caseless: bool) -> set[State]:
    for op, av in items:
        if not any(is_open for _, is_open in states):
            break
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: passing over it only admits more
        if op is sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            inner = (caseless or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            states = _follow(sub, states, inner)
        elif op is sre.BRANCH:
            states = set().union(*(_follow(alt, states, caseless) for alt in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            once = _follow(sub, states, caseless)
            if high != 1:
                once = _close(once)  # what a second repetition adds is not followed
            states = (states | once) if low == 0 else once
        else:
            element = _element(op, av, caseless)
            grown: set[State] = set()
            for prefix, is_open in states:
                if not is_open or element is False:
                    grown.add((prefix, False))
                else:
                    longer = (*prefix, element)
                    grown.add((longer, len(longer) < MAX_LEN))
            states = grown
        if len(states) > _MAX_PREFIXES:
            raise _TooMany
    return states


def _extends(prefix: Prefix, shorter: Prefix) -> bool:
    return len(shorter) < len(prefix) and prefix[: len(shorter)] == shorter


def required_prefixes(pattern: re.Pattern[str]) -> list[Prefix] | None:
    """Prefixes one of which every match of `pattern` opens with, or None when a match can open with anything."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.VERBOSE:
        return None
    tree = sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    try:
        states = _follow(list(tree), {((), True)}, bool(pattern.flags & re.IGNORECASE))
    except _TooMany:
        return None
    prefixes = {prefix for prefix, _ in states}
    if () in prefixes:
        return None
    # A prefix that extends a shorter one adds nothing: the shorter one occurs wherever it does.
    by_length = sorted(prefixes, key=lambda p: (len(p), repr(p)))
    kept: list[Prefix] = []
    for prefix in by_length:
        if not any(_extends(prefix, shorter) for shorter in kept):
            kept.append(prefix)
    return kept


def _min_width(pattern: re.Pattern[str]) -> int:
    return sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE).getwidth()[0]


def _holds(element: Element, ch: str) -> bool:
    return ch.isdecimal() if element is DIGIT else ch in element


def first_hit_reference(prefixes: list[Prefix], text: str, *, ascii_only: bool = False) -> int:
    """The pure-Python twin of the C scan (tests compare the two)."""
    if ascii_only and not text.isascii():
        return 0
    for p in range(len(text)):
        for prefix in prefixes:
            if len(prefix) <= len(text) - p and all(_holds(el, text[p + i]) for i, el in enumerate(prefix)):
                return p
    return -1


# Any inline flag group that may turn re.IGNORECASE on ("(?i", "(?mi:", "(?si:"). It also takes
# "(?-i:", which turns it off: erring that way only keeps a scanner to ASCII text.
_INLINE_CASELESS = re.compile(r"\(\?[a-zA-Z-]*i")


def _is_caseless(pattern: re.Pattern[str]) -> bool:
    return bool(pattern.flags & re.IGNORECASE) or _INLINE_CASELESS.search(pattern.pattern) is not None


class Prefilter:
    """A compiled pattern run only from where its matches can start (see the module's docstring)."""

    def __init__(self, pattern: re.Pattern[str], *, step: bool = True) -> None:
        self.pattern = pattern
        self.prefixes = required_prefixes(pattern)
        # Case folding outside ASCII is Unicode's (the Kelvin sign is a k): such texts are not scanned.
        self.ascii_only = _is_caseless(pattern)
        self._scanner = None
        if _prefilter is not None and self.prefixes is not None:
            self._scanner = _prefilter.compile(
                [
                    tuple(None if el is DIGIT else "".join(sorted(el)) for el in prefix)
                    for prefix in self.prefixes
                ],
                self.ascii_only,
            )
        # Stepping calls match() at each place a prefix occurs instead of letting sre try every
        # character from the first one; finditer's semantics after an empty match differ, so only
        # patterns that never match the empty string step.
        self._step = step and self._scanner is not None and _min_width(pattern) > 0
        if self._scanner is not None:
            self.match = partial(_prefilter.match_start, self._scanner, pattern)
        if self._step:
            # The methods below, called straight into C: these run a few hundred thousand times an
            # article batch, and a Python frame around each call cost more than some scans.
            self.search = partial(_prefilter.matches, self._scanner, pattern, True)
            self.finditer = partial(_prefilter.matches, self._scanner, pattern, False)

    @property
    def compiled(self) -> bool:
        return self._scanner is not None

    def first_possible(self, text: str) -> int:
        """No match starts before this index of `text`; -1 when there is no match at all."""
        if self._scanner is None:
            return 0
        return _prefilter.first_hit(self._scanner, text)

    def match(self, text: str) -> re.Match[str] | None:
        """The same as `pattern.match(text)` (run only when a prefix occurs at the start)."""
        return self.pattern.match(text)

    def search(self, text: str) -> re.Match[str] | None:
        """The same as `pattern.search(text)`."""
        start = self.first_possible(text)
        return None if start < 0 else self.pattern.search(text, start)

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        """The same matches as `pattern.finditer(text)`."""
        start = self.first_possible(text)
        return iter(()) if start < 0 else self.pattern.finditer(text, start)

    def sub(self, repl: str, text: str) -> str:
        """The same as `pattern.sub(repl, text)` for a plain `repl` (no backslash: no group references)."""
        if "\\" in repl:
            raise ValueError("Prefilter.sub takes a plain replacement, without backslashes")
        pieces, pos = [], 0
        for m in self.finditer(text):
            pieces.append(text[pos : m.start()])
            pieces.append(repl)
            pos = m.end()
        if not pieces:
            return text
        pieces.append(text[pos:])
        return "".join(pieces)

    def may_match(self, text: str) -> bool:
        """False only when `pattern` cannot match in `text`: for hints that decide whether to run a costlier pattern."""
        if self._scanner is None:
            return self.pattern.search(text) is not None
        return _prefilter.first_hit(self._scanner, text) >= 0
