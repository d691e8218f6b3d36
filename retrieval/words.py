"""How product text and a shopper's words are cut into search terms, and the word tests the
search makes with them (a phrase in order, said as not wanted)."""

from __future__ import annotations

import re

import bm25s
import Stemmer

STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


#: English function words ("how", "do", "what"), which no product name needs
FUNCTION_WORDS = frozenset(STEMMER.stemWords(list(bm25s.stopwords.STOPWORDS_EN_PLUS)))
_NEGATION = re.compile(r"no|not|non|without|free|less")


def negated(query: str, words: tuple[str, ...]) -> bool:
    """ "caffeine free", "not waterproof", "without gps": the words said as what is not wanted."""
    said = re.findall(r"[\w-]+", query.lower())
    at = [i for i, w in enumerate(said) if (tokenize(w) or [""])[0] in words]
    if not at:
        return False
    near = said[max(0, at[0] - 2) : at[-1] + 3]
    return any(_NEGATION.fullmatch(w) and (tokenize(w) or [""])[0] not in words for w in near)


def contains(terms: list[str], words: tuple[str, ...]) -> bool:
    """Whether ``words`` occur in ``terms`` one after another."""
    n = len(words)
    return any(tuple(terms[i : i + n]) == words for i in range(len(terms) - n + 1))


def in_order(terms: list[str], words: tuple[str, ...]) -> bool:
    """Whether ``words`` occur in ``terms`` in order with at most one other word between
    each two ("automatic needle threader" holds a yes/no key automatic_threader)."""
    at = -1
    for i, word in enumerate(words):
        following = terms[at + 1 : at + 3] if i else terms
        if word not in following:
            return False
        at = at + 1 + following.index(word) if i else terms.index(word)
    return True


def category_words(category: str) -> set[str]:
    """The search terms of a category's name ("power-tools" -> power, tool)."""
    return set(tokenize(category.lower().replace("-", " ").replace("_", " ")))


def brand_word(brand: str) -> str:
    """A brand's words as a shopper may say them: a number run onto a word of at least four
    letters left off ("leuchtturm" for Leuchtturm1917); the brand's own words otherwise."""
    return re.sub(r"(?<=[a-z]{4})\d+\b", "", " ".join(re.findall(r"[a-z0-9]+", brand.lower())))


def tokenize(text: str) -> list[str]:
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in bm25s.stopwords.STOPWORDS_EN]
    return STEMMER.stemWords(tokens)
