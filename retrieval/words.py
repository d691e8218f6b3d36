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


def _first(terms: list[str], words: tuple[str, ...]) -> int | None:
    """Where ``words`` first occur in ``terms`` one after another; None when they do not."""
    n = len(words)
    return next((i for i in range(len(terms) - n + 1) if tuple(terms[i : i + n]) == words), None)


def contains(terms: list[str], words: tuple[str, ...]) -> bool:
    """Whether ``words`` occur in ``terms`` one after another."""
    return _first(terms, words) is not None


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


def word_before(terms: list[str], words: tuple[str, ...]) -> str | None:
    """The word just before the first occurrence of ``words`` in ``terms``; None at the start or when absent."""
    at = _first(terms, words)
    return terms[at - 1] if at else None


def title_phrase(titles: list[list[str]], others: list[list[list[str]]]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The words the titles of one coded value's products (``titles``, tokenized) say for it
    ("medium" for nib size "M", "extra fine" for "EF"), in their order, and the words that,
    said just before them, name another value instead; ``others``: each other value's titles.
    The words are in every one of ``titles`` and not in every title of the key. "fine" names
    "F" though the "EF" titles say it too: they also say "extra" (their own longer phrase,
    which a shopper saying "extra fine" names), or, where one product says it, "extra" is a
    blocker. Empty where the titles do not tell the values apart."""
    every = set.intersection(*(set(t) for t in titles), *(set(t) for ts in others for t in ts)) if others else set()
    mine = set.intersection(*(set(t) for t in titles)) - every
    if not mine or len(mine) > 3:
        return (), frozenset()
    words = tuple(dict.fromkeys(t for t in titles[0] if t in mine))
    if not contains(titles[0], words):
        return (), frozenset()
    mine_said = set().union(*titles)
    blockers: set[str] = set()
    for other_titles in others:
        theirs = set.intersection(*(set(t) for t in other_titles)) - every
        if len(other_titles) >= 2 and theirs > mine:
            continue  # their own longer phrase ("extra fine") tells them apart
        for title in other_titles:
            if not mine <= set(title):
                continue
            before = word_before(title, words)
            if before is None or before in mine_said:
                return (), frozenset()  # another value's title says these words, and nothing tells them apart
            blockers.add(before)  # "Extra Fine Nib": "fine" after "extra" is not this value
    return words, frozenset(blockers)


def own_words(text: str, own: list[str], held: set[str]) -> str | None:
    """The words of ``text`` naming products by ``own``, stems no English vocabulary holds but
    the shop's titles say ("amigurumi", "kidsilk"; such a word names what the shop sells
    whatever the message's other words weigh), with the words those products hold ``held``
    ("kakuno fountain pen", not "kakuno") and the word each qualifies, whether the shop has it
    or not ("dressmaker's dummy" is no pair of scissors); None when none is left."""
    said = re.findall(r"[\w-]+", text.lower().replace("'s ", " "))
    stems = [(tokenize(w) or [""])[0] for w in said]
    kept = set(held) | {stems[i + 1] for i, t in enumerate(stems[:-1]) if t in own and stems[i + 1] and stems[i + 1] not in FUNCTION_WORDS}
    words = [w for w, t in zip(said, stems) if t and t in kept]
    return " ".join(dict.fromkeys(words)) or None
