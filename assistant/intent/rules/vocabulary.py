"""Matchers built from the store's vocabulary (``VocabularyMixin``): categories, colours,
brands (with their aliases and the product lines that imply them), sizes, attribute keys
and policy topics, each as a lookup map plus one compiled regex, and the edit-distance-1
index used to repair misspelt brand and category words.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _deletes, _inflections, _lookup_key, compile_phrases
from assistant.intent.rules.message import _WORD_RE


def _fold(text: str) -> str:
    """ASCII-fold: 'fjällräven' -> 'fjallraven'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _brand_surfaces(brand: str) -> set[str]:
    """Ways to write a brand: as is, without apostrophes, ASCII-folded, '&' as 'and',
    and without a leading 'The' when two or more words remain ('north face')."""
    low = " ".join(brand.lower().split())
    forms = {low, low.replace("'", ""), low.replace("'", "").replace("’", ""), _fold(low), low.replace("&", "and")}
    for form in list(forms):
        if form.startswith("the ") and len(form.split()) >= 3:
            forms.add(form[4:])
    return {f for f in forms if f.strip()}


class VocabularyMixin(ParserBase):
    """The ``_build_*`` steps of ``RuleIntentParser.__init__``."""

    def _build_categories(self) -> None:
        vocab = {c.lower(): c for c in self.vocabulary.categories}
        surface_to_cat: dict[str, str] = {}

        def add(surface: str, category: str) -> None:
            for form in _inflections(surface) | {surface.lower()}:
                surface_to_cat.setdefault(_lookup_key(form), category)

        for low, original in vocab.items():  # the store's own names first
            add(low.replace("_", " ").replace("&", " and "), original)
            for part in re.split(r"\s*(?:&|\band\b|,|/)\s*", low):  # "home & kitchen"
                if part.strip():
                    add(part.strip(), original)
        for category, phrases in self.lex.category_synonyms.items():
            if category in vocab:
                for p in phrases:
                    add(p, vocab[category])
        # a word listed under several categories goes to the first one the store has
        for category, phrases in self.lex.category_synonyms.items():
            if category not in vocab:
                continue
            for p in phrases:
                for form in _inflections(p) | {p}:
                    surface_to_cat.setdefault(_lookup_key(form), vocab[category])
        self._category_map = surface_to_cat
        surfaces: set[str] = set()
        for low in vocab:
            surfaces |= _inflections(low.replace("_", " "))
            for part in re.split(r"\s*(?:&|\band\b|,|/)\s*", low):
                if part.strip():
                    surfaces |= _inflections(part.strip())
        for category, phrases in self.lex.category_synonyms.items():
            if category in vocab:
                for p in phrases:
                    surfaces |= _inflections(p)
        self._category_re = compile_phrases(surfaces)
        self._category_words = {w for s in surfaces for w in _WORD_RE.findall(s)}

    def _build_colors(self) -> None:
        store = {_lookup_key(c): c for c in self.vocabulary.colors}
        phrases: dict[str, str] = {c.lower(): c for c in self.vocabulary.colors}
        for canonical, group in self.lex.color_synonyms.items():
            # the store may spell the colour another way ("gray" for the lexicon's "grey")
            target = store.get(_lookup_key(canonical)) or next((store[_lookup_key(g)] for g in group if _lookup_key(g) in store), None)
            if target is not None:
                for phrase in group:
                    phrases.setdefault(phrase.lower(), target)
        self._color_map = {_lookup_key(p): c for p, c in phrases.items()}
        self._color_re = compile_phrases(phrases)

    def _build_brands(self) -> None:
        by_low = {b.lower(): b for b in self.vocabulary.brands}
        surface_to_brand: dict[str, str] = {}
        for brand in sorted(self.vocabulary.brands, key=len, reverse=True):
            for surface in _brand_surfaces(brand):
                surface_to_brand.setdefault(_lookup_key(surface), brand)
        for brand, aliases in self.lex.brand_aliases.items():
            if brand.lower() in by_low:
                for alias in aliases:
                    surface_to_brand.setdefault(_lookup_key(alias), by_low[brand.lower()])
        self._brand_map = surface_to_brand
        surfaces = [s for b in self.vocabulary.brands for s in _brand_surfaces(b)]
        for brand, aliases in self.lex.brand_aliases.items():
            if brand.lower() in by_low:
                surfaces += aliases
        self._brand_re = compile_phrases(s for s in surfaces if s.strip())
        implied: dict[str, str] = {}
        for brand, lines in self.lex.implied_brands.items():
            target = by_low.get(brand.lower())
            if target is not None:
                for line in lines:
                    implied.setdefault(_lookup_key(line), target)
        self._implied_map = implied
        self._implied_re = compile_phrases(
            line for brand, lines in self.lex.implied_brands.items() if brand.lower() in by_low for line in lines
        )
        self._brand_words = {w for s in surfaces for w in _WORD_RE.findall(s.lower())}
        common = self.lex.common_word_brands
        self._common_brands = {b for b in self.vocabulary.brands if b.lower() in common or _fold(b.lower()) in common}

    def _build_sizes(self) -> None:
        self._sizes = {self._size_key(s): s for s in self.vocabulary.sizes}

    @staticmethod
    def _size_key(size: str) -> str:
        key = _lookup_key(str(size))
        key = re.sub(r"^(\d+)\.0$", r"\1", key)
        return key

    def _build_attributes(self) -> None:
        """Phrase -> (attribute key, tier). Precedence when two sources share a phrase:
        the store's key spelled out ("water resistant"), then the lexicon's synonyms
        (resolved to a key the store has), then the store's key without its unit
        ("battery" from "battery_mah")."""
        vocab = list(self.vocabulary.attributes)
        vocab_set = set(vocab)
        standard_tier = {"color": 1, "size": 1, "stock": 2, "cart": 2, "rating": 3, "price": 4, "brand": 5, "description": 6}
        full: list[tuple[str, str, int]] = []
        trimmed: list[tuple[str, str, int]] = []
        for key in vocab:
            words = [w for w in key.lower().split("_") if w]
            short = list(words)
            while len(short) > 1 and short[-1] in self.lex.attribute_suffixes:
                short.pop()
            tier = standard_tier.get(key, 0)
            if words:
                full.append((" ".join(words), key, tier))
            if short != words:
                trimmed.append((" ".join(short), key, tier))
        lexical: list[tuple[str, str, int]] = []
        for group in self.lex.attribute_groups:
            if group.standard:
                key = group.keys[0]
                tier = standard_tier.get(key, 6)
            else:
                known = next((k for k in group.keys if k in vocab_set), None) or self._vocab_key_like(group.keys, vocab)
                key = known or self._trim_units(group.keys[0])  # "weight_kg" -> "weight"
                tier = 0
            lexical += [(phrase, key, tier) for phrase in group.phrases]
        by_phrase: dict[str, tuple[str, int]] = {}
        for phrase, key, tier in full + lexical + trimmed:
            by_phrase.setdefault(_lookup_key(phrase), (key, tier))
        self._attribute_map = by_phrase
        self._attribute_re = compile_phrases(p for p, _, _ in full + lexical + trimmed)

    def _trim_units(self, key: str) -> str:
        words = key.split("_")
        while len(words) > 1 and words[-1] in self.lex.attribute_suffixes:
            words.pop()
        return "_".join(words)

    @staticmethod
    def _vocab_key_like(keys: tuple[str, ...], vocab: list[str]) -> str | None:
        """A store key sharing the group's stem ('battery_life_min' for battery)."""
        stems = {k.split("_")[0] for k in keys}
        for key in vocab:
            if key.split("_")[0] in stems:
                return key
        return None

    def _build_policy_topics(self) -> None:
        topics = list(self.vocabulary.policy_topics) or list(self.lex.policy_topics)
        by_key = {_lookup_key(t): t for t in topics}
        self._policy: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]] = []
        covered: set[str] = set()
        order = self.lex.policy_priority + [t for t in self.lex.policy_topics if t not in self.lex.policy_priority]
        for name in order:
            aliases, strong, weak = self.lex.policy_topics[name]
            target = next((by_key[_lookup_key(a)] for a in (name, *aliases) if _lookup_key(a) in by_key), None)
            if target is None:
                continue
            covered.add(target)
            self._policy.append((target, strong, weak))
        for topic in topics:  # a store topic the lexicon does not know: match its name
            if topic not in covered:
                pattern = compile_phrases(_inflections(topic.replace("-", " ").replace("_", " ")))
                if pattern is not None:
                    self._policy.append((topic, pattern, None))

    def _build_fuzzy(self) -> None:
        """Edit-distance-1 index over single words of 7+ letters (brands, categories)."""
        index: dict[str, str | None] = {}
        targets = {w for w in self._category_words | self._brand_words if len(w) >= 7 and w.isalpha()}
        for word in targets:
            for key in _deletes(word) | {word}:
                if key in index and index[key] != word:
                    index[key] = None  # ambiguous
                else:
                    index[key] = word
        self._fuzzy = index
        self._fuzzy_known = self.lex.known_words | self._category_words | self._brand_words
