"""Check-worthiness scores for sentences: a hashed linear model, numpy only at run time.

The model is a logistic regression over hashed word 1-2-grams, hashed character
n-grams and a few handcrafted cues (numbers, percentages, capitalised names,
hedges, first-person opinion, questions). It is trained by
`python -m articles.extraction.train_checkworthiness` on the CLEF CheckThat! 2024
English training split and stored in `data/checkworthiness.npz`.

Why hashing: the file holds one weight per hash bucket and never the training
sentences or their n-gram strings, so it can be committed; and scoring needs no
vocabulary lookup, only numpy, so the import is cheap (scikit-learn is used by
the training script alone).

Speed: the hashed features of a batch are computed in C (`_hashed.c`, built by
`make`) when the extension is built, with the same bits as the numpy code here,
which stays the reference and the fallback.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ._text import by_first_letter

__all__ = [
    "DEFAULT_MODEL_PATH",
    "CheckworthinessModel",
    "FeatureConfig",
    "default_threshold",
    "featurize",
    "handcrafted_features",
    "load_model",
    "score_sentences",
]

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.npz"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class FeatureConfig:
    """How text becomes features; stored in the model file so training and scoring agree."""

    bits: int = 20
    word_max_n: int = 2
    char_min_n: int = 2
    char_max_n: int = 5
    char_weight: float = 1.0
    sublinear: bool = True

    @property
    def n_hashed(self) -> int:
        return 1 << self.bits


# --- text normalisation ----------------------------------------------------

_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|0+(?:[.,]0+)*|[%$£€?!]")
# The texts of a batch are tokenised in one pass, each between these two marks (its start and end),
# which _WORD never matches. Control characters survive `_normalise`: a batch where a text holds a
# mark is tokenised text by text instead.
_START, _END = "\x02", "\x03"
_MARKS = f"[{_START}{_END}]"
_JOINED_WORD = re.compile(f"{_WORD.pattern}|{_MARKS}")
# _WORD on normalised ASCII text (lower case, every digit a 0): the same tokens, a third faster.
_JOINED_ASCII_WORD = re.compile(f"[a-z]+(?:'[a-z]+)*|0+(?:[.,]0+)*|[%$?!]|{_MARKS}")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def _normalise(text: str) -> str:
    """Lower case, straight quotes, every digit as 0: the value of a number never matters,
    only that there is one (so "$750" and "$38 million" share features)."""
    if "\x00" in text:  # a NUL separates the texts of a batch for the character n-grams
        text = text.replace("\x00", " ")
    if not text.isascii():  # NFKC and the quote table leave ASCII text as it is
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = text.lower()
    if _DIGITS.search(text):
        text = _DIGITS.sub("0", text)
    # str.split() and re's \s agree on what white space is: this is _SPACES.sub(" ", text).strip().
    return " ".join(text.split())


# --- hashing ---------------------------------------------------------------

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MUL = np.uint64(0x9E3779B97F4A7C15)
_CHAR_SEED = np.uint64(0x51ED270B27A1F3D5)
_WORD_SEED = 0x2545F491
_WORD2_SEED = np.uint64(0xC2B2AE3D27D4EB4F)


# Words repeat across sentences and articles: remembering their hashes saves most of the encoding.
@lru_cache(maxsize=1 << 16)
def _word_hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"), _WORD_SEED)


def _joined_tokens(norm: list[str]) -> list[str] | None:
    """The tokens of every text in order, each text's between a start and an end mark; None when a
    text holds one of the marks (then `_word_ngrams` goes text by text)."""
    joined = _START + f"{_END}{_START}".join(norm) + _END
    if joined.count(_START) != len(norm) or joined.count(_END) != len(norm):
        return None
    return (_JOINED_ASCII_WORD if joined.isascii() else _JOINED_WORD).findall(joined)


def _token_hashes(norm: list[str]) -> tuple[list[int], list[int]] | None:
    """The hash of every token of every text, each text between <s> and </s>, and where each text's
    tokens start; None when a text holds one of the marks."""
    tokens = _joined_tokens(norm)
    if tokens is None:
        return None
    hashes = list(map(_word_hash, tokens))
    firsts = [i for i, token in enumerate(tokens) if token == _START]
    start_hash, end_hash = _word_hash("<s>"), _word_hash("</s>")
    for first in firsts:
        hashes[first] = start_hash
    for last in [*firsts[1:], len(tokens)]:
        hashes[last - 1] = end_hash
    return hashes, firsts


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the bucket index bits."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _char_buffer(norm: list[str]) -> bytes:
    """The texts as one UTF-8 buffer, each padded with a space (word edges) and ended by a NUL."""
    return ("\x00".join(f" {t} " for t in norm) + "\x00").encode("utf-8")


def _char_ngrams(norm: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) for every character n-gram of every text, computed over one buffer.

    Texts are joined with NUL separators and padded with a space, so an n-gram
    never spans two sentences and word edges are visible; a polynomial hash is
    rolled over the whole byte buffer at once, which keeps Python out of the loop.
    """
    b = np.frombuffer(_char_buffer(norm), dtype=np.uint8).astype(np.uint64)
    is_sep = b == 0
    sep_before = np.concatenate(([0], np.cumsum(is_sep)))  # separators in b[:i]
    rows_out, cols_out = [], []
    mask = np.uint64(config.n_hashed - 1)
    # The hash of the n bytes from i is seed(n) * MUL**n + sum(b[i + k] * MUL**(n - 1 - k)), all mod
    # 2**64: the sum for n comes from the one for n - 1 in one step instead of n.
    rolled = b
    with np.errstate(over="ignore"):
        for n in range(1, config.char_max_n + 1):
            m = len(b) - n + 1
            if m <= 0:
                break
            if n > 1:
                rolled = rolled[:-1] * _MUL + b[n - 1 :]
            if n < config.char_min_n:
                continue
            h = rolled + np.uint64((n * int(_CHAR_SEED) * pow(int(_MUL), n, 1 << 64)) % (1 << 64))
            ok = sep_before[n : n + m] == sep_before[:m]
            rows_out.append(sep_before[:m][ok])
            cols_out.append(_mix(h[ok]) & mask)
    if not rows_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)


def _word_ngrams(norm: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) for word 1..word_max_n-grams, with sentence start and end markers."""
    joined = _token_hashes(norm)
    if joined is not None:
        hashes, firsts = joined
        starts = [*firsts, len(hashes)]
    else:
        hashes, starts = [], [0]
        for text in norm:
            hashes.extend(map(_word_hash, ["<s>", *_WORD.findall(text), "</s>"]))
            starts.append(len(hashes))
    h = np.asarray(hashes, dtype=np.uint64)
    bounds = np.asarray(starts, dtype=np.int64)
    r = np.repeat(np.arange(len(norm), dtype=np.int64), np.diff(bounds))
    mask = np.uint64(config.n_hashed - 1)
    keep = np.ones(len(h), dtype=bool)
    keep[bounds[:-1]] = False
    keep[bounds[1:] - 1] = False
    rows_out = [r[keep]]  # unigrams, without the bare <s> and </s> markers
    with np.errstate(over="ignore"):
        cols_out = [_mix(h[keep]) & mask]
        g = h.copy()
        for n in range(2, config.word_max_n + 1):
            if len(h) < n:
                break
            g = g[:-1] * _MUL + h[n - 1 :] + _WORD2_SEED * np.uint64(n)
            same = r[: len(g)] == r[n - 1 :]
            rows_out.append(r[: len(g)][same])
            cols_out.append(_mix(g[same]) & mask)
    return np.concatenate(rows_out), np.concatenate(cols_out).astype(np.int64)


def _sorted(keys: np.ndarray) -> np.ndarray:
    """`np.sort(keys)` for non-negative int64 keys, as an LSD radix sort over 16-bit digits.

    numpy sorts 16-bit integers with a stable radix sort and everything wider with a comparison
    sort that is four to five times slower on the few thousand keys of one article (a row and a
    20-bit bucket: two digits).
    """
    top = int(keys.max())
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while top >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return keys[order]


def _distinct_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(keys, return_counts=True)` for a non-empty array of non-negative int64 keys."""
    ordered = _sorted(keys)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def _block(
    rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, sublinear: bool, weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum duplicates, apply 1+log(tf), L2-normalise each row: TF (no IDF) per feature block."""
    if len(rows) == 0:
        return rows, cols, np.zeros(0)
    key = rows * n_cols + cols
    uniq, counts = _distinct_counts(key)
    bits = n_cols.bit_length() - 1
    if n_cols == 1 << bits:  # always, for a hashed space: a shift and a mask, several times cheaper
        r, c = uniq >> bits, uniq & (n_cols - 1)
    else:
        r, c = uniq // n_cols, uniq % n_cols
    v = 1.0 + np.log(counts) if sublinear else counts.astype(np.float64)
    norms = np.sqrt(np.bincount(r, weights=v * v, minlength=n_rows))
    v = v / norms[r] * weight
    return r, c, v


# --- handcrafted cues --------------------------------------------------------

# The hedge, greeting and fact word lists, each in the order its regex tries it: the C cues read
# the same tuples (a regex alternation of literals between \b and \b takes the first that fits).
HEDGE_PHRASES = (
    "i think", "i believe", "i feel", "i guess", "i hope", "i want", "i'd like", "i would like", "maybe",
    "perhaps", "probably", "might", "could", "should", "would", "we must", "we need", "we have to",
    "we've got to", "let me", "let's", "i'm going to", "we're going to", "i will", "we will", "going to",
)  # fmt: skip
GREETING_PHRASES = (
    "thank you", "thanks", "good evening", "good morning", "hello", "welcome", "congratulations",
    "ladies and gentlemen",
)  # fmt: skip
# "increase[sd]?" as its three words, longest first (the order the regex tries them), and so on.
FACT_WORDS = (
    "percent", "per cent", "million", "billion", "trillion", "thousand", "hundred", "dozen", "half",
    "double", "twice", "tripled", "increases", "increased", "increase", "decreases", "decreased",
    "decrease", "rose", "fell", "risen", "fallen", "grew", "cut", "raised", "lowered", "highest",
    "lowest", "largest", "record", "since", "last year", "years", "year", "months", "month",
    "according to", "reported", "voted", "passed", "signed", "law", "bill", "taxes", "tax", "jobs",
    "unemployment", "deficit", "debt", "budget", "rate", "average", "number", "study", "report", "data",
)  # fmt: skip
_HEDGES = re.compile(r"(" + by_first_letter("|".join(HEDGE_PHRASES), word_start=True) + r")\b")
# Counted, never read: \b(i|i'm|i've|i'd|i'll|me|my)\b and \b(you|your|you're|you've)\b match where
# these do ("i" always wins over "i'm": \b holds before the apostrophe), written to open with a letter.
_FIRST_PERSON = re.compile(r"(?:i(?<!\wi)|m(?<!\wm)[ey])\b")
_SECOND_PERSON = re.compile(r"y(?<!\wy)our?\b")
_GREETING = re.compile(r"\b(" + "|".join(GREETING_PHRASES) + r")\b")
# Every greeting holds one of these: one alternation of plain substrings is far cheaper than the \b-led pattern.
_GREETING_HINTS = re.compile("thank|good evening|good morning|hello|welcome|congratulations|ladies")
_FACT_WORDS = re.compile(r"\b(" + by_first_letter("|".join(FACT_WORDS)) + r")\b")
_NUMBER = re.compile(r"\d")
_NUMBERS = re.compile(r"\d+")
_PERCENT = re.compile(r"\d\s*(%|percent|per cent)|%")
_MONEY = re.compile(r"[$£€]\s*\d|\d\s*(dollars|pounds|euros)")
_YEAR = re.compile(r"(?:1(?<!\w1)[89]|2(?<!\w2)0)\d\d\b")  # \b(1[89]\d\d|20\d\d)\b
# These two start with the capital and look behind it, the same matches as (?<=[\w,;:] )[A-Z][a-z]+ and
# \b[A-Z]{2,}\b: a pattern that opens with a character class lets sre jump from capital to capital.
_CAPITALISED = re.compile(r"[A-Z](?<=[\w,;:] [A-Z])[a-z]+")
_ACRONYM = re.compile(r"[A-Z](?<=\b[A-Z])[A-Z]+\b")

HANDCRAFTED_NAMES: tuple[str, ...] = (
    "has_number",
    "n_numbers",
    "has_percent",
    "has_money",
    "has_year",
    "n_capitalised_inner",
    "has_acronym",
    "is_question",
    "has_exclamation",
    "n_hedges",
    "n_first_person",
    "n_second_person",
    "is_greeting",
    "n_fact_words",
    "log_words",
    "short",
    "trailing_dash_or_ellipsis",
)


# log1p(words) / 4 for the usual sentence lengths, computed once with the same numpy call.
_LOG_WORDS = tuple(np.log1p(n) / 4 for n in range(256))


try:  # the compiled cues for ASCII sentences (`make` builds them); Python gives the same without
    from . import _cues
except ImportError:  # pragma: no cover - exercised where the extension is not built
    _cues = None
else:
    _cues.set_phrases(HEDGE_PHRASES, GREETING_PHRASES, FACT_WORDS, np.array(_LOG_WORDS, dtype=np.float64))


def handcrafted_features(texts: list[str], *, compiled: bool = True) -> np.ndarray:
    """A float32 matrix (len(texts) x len(HANDCRAFTED_NAMES)) of cheap surface cues.

    ASCII sentences go through the C cues (`_cues.c`) where built; the rest, and every sentence
    when `compiled` is false, through the regexes here. Both give the same values."""
    if not compiled or _cues is None:
        return _handcrafted_features(texts)
    texts = list(texts)
    out = np.empty((len(texts), len(HANDCRAFTED_NAMES)), dtype=np.float32)
    left = _cues.cues(texts, out)
    if left:
        out[left] = _handcrafted_features([texts[i] for i in left])
    return out


def _handcrafted_features(texts: list[str]) -> np.ndarray:
    rows = []
    for raw in texts:
        text = raw.strip()
        low = text.lower()
        n_words = len(text.split())
        if _NUMBER.search(text):
            n_numbers = min(len(_NUMBERS.findall(text)), 5) / 5
            has_percent = bool(_PERCENT.search(low))
            has_money = bool(_MONEY.search(low))
            has_year = bool(_YEAR.search(text))
        else:  # the number, money and year cues all need a digit; a bare "%" still counts
            n_numbers, has_percent, has_money, has_year = 0.0, "%" in low, False, False
        rows.append(
            (
                n_numbers > 0,
                n_numbers,
                has_percent,
                has_money,
                has_year,
                min(len(_CAPITALISED.findall(text)), 5) / 5,
                bool(_ACRONYM.search(text)),
                text.endswith("?"),
                "!" in text,
                min(len(_HEDGES.findall(low)), 3) / 3,
                min(len(_FIRST_PERSON.findall(low)), 4) / 4,
                min(len(_SECOND_PERSON.findall(low)), 4) / 4 if "you" in low else 0.0,
                _GREETING_HINTS.search(low) is not None and _GREETING.search(low) is not None,
                min(len(_FACT_WORDS.findall(low)), 4) / 4,
                _LOG_WORDS[n_words] if n_words < len(_LOG_WORDS) else np.log1p(n_words) / 4,
                n_words < 6,
                text.endswith(("-", "...", "…")),
            )
        )
    # One conversion for the whole batch: filling numpy rows one by one cost more than the cues.
    return np.array(rows, dtype=np.float32).reshape(len(texts), len(HANDCRAFTED_NAMES))


def featurize(texts: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse hashed features as COO triples (row, column, value) over config.n_hashed columns.

    Word and character n-grams share one hashed space (different seeds), each block
    L2-normalised on its own so that long sentences do not dominate.
    """
    return _featurize_normalised([_normalise(t) for t in texts], config)


def _featurize_normalised(
    norm: list[str], config: FeatureConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, d = len(norm), config.n_hashed
    wr, wc = _word_ngrams(norm, config)
    cr, cc = _char_ngrams(norm, config)
    w = _block(wr, wc, n, d, config.sublinear, 1.0)
    c = _block(cr, cc, n, d, config.sublinear, config.char_weight)
    return (
        np.concatenate([w[0], c[0]]),
        np.concatenate([w[1], c[1]]),
        np.concatenate([w[2], c[2]]),
    )


# --- the model ---------------------------------------------------------------

try:  # the compiled hashed features (`make` builds them); numpy computes the same without
    from . import _hashed
except ImportError:  # pragma: no cover - exercised where the extension is not built
    _hashed = None

_LOG_TABLE = np.log(np.arange(1, 1 << 12, dtype=np.int64))


def _log_table(size: int) -> np.ndarray:
    """np.log(1..size) or more: the C code reads log(count) here so that numpy's log, not libm's,
    gives the values (they may differ in the last bit)."""
    global _LOG_TABLE
    if len(_LOG_TABLE) < size:
        _LOG_TABLE = np.log(np.arange(1, max(size, 2 * len(_LOG_TABLE)) + 1, dtype=np.int64))
    return _LOG_TABLE


_CHUNK = 128


@dataclass(frozen=True)
class CheckworthinessModel:
    """A linear model over hashed and handcrafted features; `threshold` was chosen on dev."""

    config: FeatureConfig
    hashed_weights: np.ndarray
    dense_weights: np.ndarray
    bias: float
    threshold: float

    def decision(self, texts: list[str]) -> np.ndarray:
        """Raw linear scores (logits)."""
        if len(texts) > _CHUNK:
            # Large batches sort large arrays and fall out of cache: chunks are faster.
            return np.concatenate(
                [self.decision(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
            )
        if not texts:
            return np.zeros(0)
        hashed = self.hashed_decision(texts)
        dense = handcrafted_features(texts).astype(np.float64) @ self.dense_weights.astype(np.float64)
        return hashed + dense + self.bias

    def hashed_decision(self, texts: list[str], *, compiled: bool = True) -> np.ndarray:
        """The hashed features' part of the logits: in C (`_hashed.c`) where it is built, else with
        numpy. Both give the same bits. ASCII texts are normalised and tokenised in C too; Python
        normalises and tokenises the others for it."""
        weights = self.hashed_weights
        config = self.config
        fits = (
            _hashed is not None
            and weights.dtype == np.float32
            and weights.flags.c_contiguous
            and 1 <= config.bits <= 30
            and config.char_max_n <= 64
        )
        if not (compiled and fits) or not texts:
            norm = [_normalise(t) for t in texts]
            rows, cols, vals = _featurize_normalised(norm, self.config)
            return np.bincount(rows, weights=vals * weights[cols].astype(np.float64), minlength=len(norm))
        items: list[str | tuple[str, list[str]]] = []
        longest = 0
        for text in texts:
            if text.isascii():
                items.append(text)
                longest = max(longest, len(text))
            else:
                norm = _normalise(text)
                items.append((norm, _WORD.findall(norm)))
                longest = max(longest, len(norm.encode("utf-8")))
        out = np.zeros(len(texts), dtype=np.float64)
        _hashed.hashed_scores(
            items,
            len(texts),
            out,
            weights,
            # A bucket's count never exceeds a block's n-grams: per n-gram length at most a row's
            # UTF-8 bytes plus the two spaces (or its tokens plus the two markers).
            _log_table(max(config.char_max_n - config.char_min_n + 1, config.word_max_n) * (longest + 4)),
            config.bits,
            config.word_max_n,
            config.char_min_n,
            config.char_max_n,
            config.char_weight,
            config.sublinear,
        )
        return out

    def score(self, texts: list[str]) -> np.ndarray:
        """Probabilities in 0..1 that each text is a check-worthy factual claim."""
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    def save(self, path: Path) -> None:
        """Write a compressed .npz: weights as float16, config and threshold as scalars."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                format_version=np.int32(FORMAT_VERSION),
                bits=np.int32(self.config.bits),
                word_max_n=np.int32(self.config.word_max_n),
                char_min_n=np.int32(self.config.char_min_n),
                char_max_n=np.int32(self.config.char_max_n),
                char_weight=np.float64(self.config.char_weight),
                sublinear=np.bool_(self.config.sublinear),
                hashed_weights=self.hashed_weights.astype(np.float16),
                dense_weights=self.dense_weights.astype(np.float32),
                bias=np.float64(self.bias),
                threshold=np.float64(self.threshold),
            )

    @classmethod
    def read(cls, path: Path) -> CheckworthinessModel:
        """Load a model file written by `save` (plain arrays: allow_pickle stays off)."""
        with np.load(path, allow_pickle=False) as z:
            if int(z["format_version"]) != FORMAT_VERSION:
                raise ValueError(
                    f"{path}: model format {int(z['format_version'])}, expected {FORMAT_VERSION}"
                )
            config = FeatureConfig(
                bits=int(z["bits"]),
                word_max_n=int(z["word_max_n"]),
                char_min_n=int(z["char_min_n"]),
                char_max_n=int(z["char_max_n"]),
                char_weight=float(z["char_weight"]),
                sublinear=bool(z["sublinear"]),
            )
            return cls(
                config=config,
                # float32 for the gather in `decision`: half the memory of float64, same ranking.
                hashed_weights=z["hashed_weights"].astype(np.float32),
                dense_weights=z["dense_weights"].astype(np.float32),
                bias=float(z["bias"]),
                threshold=float(z["threshold"]),
            )


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> CheckworthinessModel:
    """The committed model (or the one at `path`), read once per process; no network."""
    return CheckworthinessModel.read(path or DEFAULT_MODEL_PATH)


def score_sentences(texts: list[str]) -> list[float]:
    """Check-worthiness of each sentence, 0..1; compare with `default_threshold()`."""
    return load_model().score(list(texts)).tolist()


def default_threshold() -> float:
    """The score at or above which a sentence counts as check-worthy (chosen on dev)."""
    return load_model().threshold


def configured_threshold() -> float:
    """The newsroom default: VERIFY_CLAIM_THRESHOLD when set, else the model's own threshold."""
    from django.conf import settings

    value = getattr(settings, "VERIFY_CLAIM_THRESHOLD", None)
    return default_threshold() if value is None else float(value)
