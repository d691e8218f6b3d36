"""A shopper's misspelt product words repaired against the shop's own catalog.

"fountian pen", "2027 calender", "moisturizer" in a shop that writes "moisturiser": a word
no product holds, that is not a common English word, is replaced by the one catalog word it
is closest to in spelling. Common English words are the shipped sentence encoder's
whole-word vocabulary, so a real word the shop does not use ("plane" in a shop that sells a
planer, "dinosaurs" in a bookshop) is never bent into a catalog word; the search then judges
it as it was said. Nothing here is written for one shop: the words to repair towards are the
catalog's.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable

from retrieval.embeddings import default_model_dir
from retrieval.words import STEMMER

#: a misspelt word is repaired to a catalog word at least this close (difflib's ratio:
#: "fountian"/"fountain" 0.875, "calender"/"calendar" 0.875, "sealent"/"sealant" 0.857)
SPELLING_CUTOFF = 0.85
#: shorter words are left as said: at four letters one wrong letter is another word
MIN_LETTERS = 5

#: unknown words looked up per message: a shopper's typos are a few, and each lookup scans
#: the catalog's and the encoder's words (about 15 ms); a crafted 2,000-character message of
#: near-misses took 3.4 s before this bound
MAX_REPAIRS = 6

_WORD = re.compile(r"[A-Za-z]+")


@functools.cache
def common_words() -> frozenset[str]:
    """English words in common use: the whole-word entries of the shipped encoder's vocabulary
    (30k WordPiece tokens; pieces and markers left out). Empty where the file is missing."""
    vocab = default_model_dir() / "vocab.txt"
    if not vocab.exists():
        return frozenset()
    words = (line.strip() for line in vocab.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w.isalpha() and w.islower())


@functools.cache
def common_stems() -> frozenset[str]:
    """The search stems of ``common_words``: "reverses" and "headphones" are common English
    because "reverse" and "headphone" are."""
    return frozenset(STEMMER.stemWord(w) for w in common_words())


@functools.cache
def _common_by_length() -> dict[int, tuple[str, ...]]:
    """``common_words`` by their length, for looking up rivals of a word's size."""
    by_length: dict[int, list[str]] = {}
    for word in sorted(common_words()):
        by_length.setdefault(len(word), []).append(word)
    return {n: tuple(words) for n, words in by_length.items()}


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


class Speller:
    """Repairs words towards one catalog's words. ``terms``: the catalog's search terms
    (stems) as ``stem`` makes them; ``texts``: the products' text, whose words are the
    spellings to repair towards."""

    def __init__(self, texts: Iterable[str], terms: set[str], stem: Callable[[str], str]) -> None:
        self._terms = terms
        self._stem = stem
        self._words = sorted({w for text in texts for w in _WORD.findall(text.lower()) if len(w) >= MIN_LETTERS})
        self._common = common_words()
        self._catalog = frozenset(self._words)

    def _known(self, word: str) -> bool:
        """Whether a word is the shop's or English: its stem is a catalog term, or it (or its
        singular) is a common word."""
        singular = word[:-1] if word.endswith("s") else word
        return self._stem(word) in self._terms or word in self._common or singular in self._common

    def repair(self, word: str) -> str:
        """The catalog's spelling of ``word``, or ``word`` unchanged."""
        low = word.lower()
        if len(low) < MIN_LETTERS or self._known(low):
            return word
        close = difflib.get_close_matches(low, self._words, n=2, cutoff=SPELLING_CUTOFF)
        if not close:
            return word
        best = _ratio(low, close[0])
        if len(close) == 2 and self._stem(close[0]) != self._stem(close[1]) and _ratio(low, close[1]) == best:
            return word  # two catalog words equally close: no way to tell which was meant
        same_size = [w for n in range(len(low) - 2, len(low) + 3) for w in _common_by_length().get(n, ()) if w not in self._catalog]
        rival = difflib.get_close_matches(low, same_size, n=1, cutoff=best)
        if rival:
            return word  # as close to an English word the shop does not use ("runing": running, not pruning)
        return close[0]

    def __call__(self, text: str) -> str:
        """``text`` with its first ``MAX_REPAIRS`` unknown words looked up and repaired where
        misspelt; everything else as it was."""
        unknown = 0

        def repaired(match: re.Match[str]) -> str:
            nonlocal unknown
            word = match.group(0)
            if len(word) < MIN_LETTERS or self._known(word.lower()):
                return word
            unknown += 1
            return self.repair(word) if unknown <= MAX_REPAIRS else word

        return _WORD.sub(repaired, text)
