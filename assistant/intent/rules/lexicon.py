"""The lexicon: ``lexicon.yaml`` read once (``load_lexicon``) and compiled into ``Lexicon``,
everything the parser needs that does not depend on the store's vocabulary; plus the
phrase-to-regex helpers (``compile_phrases`` builds one character-trie regex for a word
list), the lookup key that makes "off-white" equal "off white", and word inflections.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from assistant.intent.rules.message import _WORD_RE

# ------------------------------------------------------------------------------------
# Lexicon loading and regex helpers


def _lookup_key(text: str) -> str:
    """A lookup key: lower case without spaces or hyphens ('off-white' == 'off white')."""
    return re.sub(r"[\s\-]+", "", text.lower())


def _phrase_alt(phrase: str) -> str:
    """Regex for one phrase: spaces match spaces/hyphens, a hyphen is optional."""
    words = [w for w in phrase.strip().lower().split() if w]
    parts = []
    for word in words:
        pieces = [re.escape(p) for p in word.split("-")]
        parts.append(r"[\s-]?".join(pieces) if len(pieces) > 1 else pieces[0])
    body = r"[\s-]+".join(parts)
    if not body:
        return ""
    start = r"(?<![\w])" if re.match(r"\w", words[0][0]) else ""
    end = r"(?![\w])" if re.match(r"\w", words[-1][-1]) else ""
    return start + body + end


_SPACE_ATOM = r"[\s-]+"
_HYPHEN_ATOM = r"[\s-]?"


def _atoms(phrase: str) -> list[str]:
    """A phrase as regex atoms: one per character, spaces and hyphens made flexible."""
    atoms: list[str] = []
    for i, word in enumerate(phrase.split()):
        if i:
            atoms.append(_SPACE_ATOM)
        atoms += [_HYPHEN_ATOM if ch == "-" else re.escape(ch) for ch in word]
    return atoms


def _trie_regex(node: dict[str, Any]) -> str:
    """Regex for a character trie; children are tried before ending, so longest wins."""
    alts = [atom + _trie_regex(child) for atom, child in sorted(node.items()) if atom != ""]
    if "" in node:
        alts.append(node[""])  # the end of a phrase: a word boundary or nothing
    if len(alts) == 1:
        return alts[0] if "" not in node or not alts[0] else "(?:" + alts[0] + ")"
    return "(?:" + "|".join(alts) + ")"


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of the phrases (case already lower), longest first, on word
    boundaries where the phrase starts/ends with a word character. Built as a character
    trie so that hundreds of phrases cost about as much as one."""
    root: dict[str, Any] = {}
    for phrase in {" ".join(str(p).lower().split()) for p in phrases}:
        if not phrase:
            continue
        node = root
        atoms = _atoms(phrase)
        for i, atom in enumerate(atoms):
            key = (r"(?<![\w])" + atom) if i == 0 and re.match(r"\w", phrase[0]) else atom
            node = node.setdefault(key, {})
        node[""] = r"(?![\w])" if re.match(r"\w", phrase[-1]) else ""
    if not root:
        return None
    return re.compile(_trie_regex(root))


def _compile_all(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _inflections(phrase: str) -> set[str]:
    """The phrase with its last word in singular and plural form."""
    phrase = phrase.strip().lower()
    head, _, last = phrase.rpartition(" ")
    forms = {last}
    if last.endswith("ies") and len(last) > 4:
        forms.add(last[:-3] + "y")
    elif last.endswith(("ches", "shes", "sses", "xes", "zes")):
        forms.add(last[:-2])
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        forms.add(last[:-1])
    else:
        if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
            forms.add(last[:-1] + "ies")
        elif last.endswith(("s", "sh", "ch", "x", "z")):
            forms.add(last + "es")
        elif re.search(r"[a-z]$", last):
            forms.add(last + "s")
    return {(head + " " + f).strip() for f in forms}


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class _AttributeGroup:
    keys: tuple[str, ...]
    phrases: tuple[str, ...]
    standard: bool


class Lexicon:
    """Everything in lexicon.yaml that does not depend on the store's vocabulary."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # normalisation
        self.contractions = {_lookup_key(k): v for k, v in data["contractions"].items()}
        self.contractions_re = compile_phrases(data["contractions"])
        self.typos = {_lookup_key(k): v for k, v in data["typos"].items()}
        self.typos_re = compile_phrases(data["typos"])
        self.fuzzy_blocklist = set(data["fuzzy_blocklist"])
        nums = data["number_words"]
        self.units: dict[str, int] = dict(nums["units"])
        self.tens: dict[str, int] = dict(nums["tens"])
        self.scales: dict[str, int] = dict(nums["scales"])
        self.ordinals = {_lookup_key(k): int(v) for k, v in data["ordinals"].items()}
        self.ordinals_re = compile_phrases(data["ordinals"])
        # prices
        self.currency_re_src = "|".join(_phrase_alt(c) if re.match(r"\w", c) else re.escape(c) for c in data["currency_words"])
        self.price_fp = _compile_all(data["price_false_positive_patterns"])
        self.around_tolerance = float(data["price_around_tolerance"])
        self._build_price_patterns(data)
        # sizes
        self.size_words = {_lookup_key(k): v for k, v in data["size_words"].items()}
        self._build_size_patterns(data)
        # sorting, refinements
        self.sort = [(label, compile_phrases(ph)) for label, ph in data["sort_phrases"].items()]
        self.sort_exclusions = _compile_all(data["sort_exclusion_patterns"])
        self.relative = [(label, compile_phrases(ph)) for label, ph in data["relative_price"].items()]
        self.clear: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        for target, words in data["clear_targets"].items():
            slots = ("price_min", "price_max") if target == "price" else (target,)
            alt = "(?:" + "|".join(_phrase_alt(w) for w in sorted(words, key=len, reverse=True)) + ")"
            for pattern in data["clear_patterns"]:
                self.clear.append((re.compile(pattern.replace("{target}", alt)), slots))
        for pattern in data["clear_price_patterns"]:
            self.clear.append((re.compile(r"\b" + pattern), ("price_min", "price_max")))
        # query cleaning
        self.filler_re = compile_phrases(data["query_filler_phrases"])
        self.query_stopwords = set(data["query_stopwords"])
        self.query_connectors = set(data["query_connectors"])
        self.query_generic = set(data["query_generic_words"])
        # intents
        self.greeting_re = compile_phrases(data["greeting_phrases"])
        self.greeting_lead_re = re.compile(r"^(?:(?:" + self.greeting_re.pattern + r")[\s,.!;:-]*)+" if self.greeting_re else r"^$")
        self.greeting_fillers = set(data["greeting_fillers"])
        self.human = _compile_all(data["human_agent_patterns"])
        self.human_negative = _compile_all(data["human_agent_negative_patterns"])
        self.order_status = _compile_all(data["order_status_patterns"])
        self.return_request = _compile_all(data["return_request_patterns"])
        self.cancel_order = _compile_all(data["cancel_order_patterns"])
        self.cancel_status = _compile_all(data["cancel_status_patterns"])
        self.change_order = _compile_all(data["change_order_patterns"])
        self.refund_status = _compile_all(data["refund_status_patterns"])
        self.invoice = _compile_all(data["invoice_patterns"])
        self.complaint = _compile_all(data["complaint_patterns"])
        self.address_lead = re.compile(data["address_lead"])
        self.return_policy = _compile_all(data["return_policy_patterns"])
        self.compare = _compile_all(data["compare_patterns"])
        self.policy_question = _compile_all(data["policy_question_patterns"])
        self.question_openers_re = re.compile(
            r"^(?:" + compile_phrases(data["product_question_openers"]).pattern + ")"  # type: ignore[union-attr]
        )
        self.shopping = _compile_all(data["shopping_patterns"])
        self.refinement = _compile_all(data["refinement_patterns"])
        self.oos_strong = _compile_all(data["out_of_scope_strong_patterns"])
        self.oos_weak = _compile_all(data["out_of_scope_weak_patterns"])
        self.policy_topics: dict[str, tuple[tuple[str, ...], re.Pattern[str] | None, re.Pattern[str] | None]] = {
            topic: (
                tuple(spec.get("aliases", [])),
                compile_phrases(f for p in spec["phrases"] for f in _inflections(p) | {p}),
                compile_phrases(spec.get("weak_phrases", [])),
            )
            for topic, spec in data["policy_topics"].items()
        }
        self.policy_priority = list(data["policy_topic_priority"])
        # attributes
        self.attribute_groups = [
            _AttributeGroup(tuple(g["keys"]), tuple(g["phrases"]), bool(g.get("standard", False))) for g in data["attributes"]
        ]
        self.attribute_suffixes = set(data["attribute_unit_suffixes"])
        self.guess_stopwords = set(data["attribute_guess_stopwords"])
        # references
        self.plural_refs_re = compile_phrases(data["plural_refs"])
        self.pair_refs_re = compile_phrases(data["pair_refs"])
        self.singular_refs = _compile_all(data["singular_ref_patterns"])
        self.ref_stopwords = set(data["ref_stopwords"])
        self.ref_lead = set(data["ref_fragment_lead"])
        # named regexes and small word sets for the decision
        self.rx: dict[str, re.Pattern[str]] = {name: re.compile(p) for name, p in data["rules"].items()}
        self.ordinal_follow = set(data["ordinal_context"]["follow"])
        self.ordinal_lead = set(data["ordinal_context"]["lead"])
        self.ordinal_not_before = set(data["ordinal_context"]["not_before"])
        self.email_filler = set(data["email_filler_words"])
        self.order_id_blocked = set(data["order_id_blocked_prefixes"])
        # frustration
        self.frustration_re = compile_phrases(data["frustration_phrases"])
        self.frustration = _compile_all(data["frustration_patterns"])
        # catalog word data (compiled per vocabulary)
        self.category_synonyms: dict[str, list[str]] = data["category_synonyms"]
        self.weak_category_words = set(data["weak_category_words"])
        self.color_synonyms: dict[str, list[str]] = data["color_synonyms"]
        self.color_exceptions_re = compile_phrases(data["color_exceptions"])
        self.brand_aliases: dict[str, list[str]] = data["brand_aliases"]
        self.implied_brands: dict[str, list[str]] = data["implied_brands"]
        self.brand_compatibility = _compile_all(data["brand_compatibility_patterns"])
        self.brand_guards: dict[str, dict[str, list[str]]] = data["brand_guards"]
        self.common_word_brands = set(data["common_word_brands"])
        # every word the lexicon knows: never "fuzzy-corrected"
        self.known_words: set[str] = set()
        for key in ("category_synonyms", "color_synonyms"):
            for phrases in data[key].values():
                for p in phrases:
                    self.known_words.update(_WORD_RE.findall(p.lower()))
        for key in (
            "query_filler_phrases",
            "query_stopwords",
            "query_connectors",
            "greeting_phrases",
            "frustration_phrases",
            "fuzzy_blocklist",
            "plural_refs",
            "pair_refs",
            "attribute_guess_stopwords",
            "weak_category_words",
            "query_generic_words",
        ):
            for p in data[key]:
                self.known_words.update(_WORD_RE.findall(str(p).lower()))
        for spec in data["policy_topics"].values():
            for p in spec["phrases"] + spec.get("weak_phrases", []):
                self.known_words.update(_WORD_RE.findall(p.lower()))
        for group in data["attributes"]:
            for p in group["phrases"]:
                self.known_words.update(_WORD_RE.findall(p.lower()))
        self.known_words.update(self.typos.values())

    # -- prices ------------------------------------------------------------------------
    def _amount(self, name: str) -> str:
        units = "|".join(_phrase_alt(u) if re.match(r"\w", u) else re.escape(u) for u in self.data["non_price_units"])
        return (
            rf"(?P<{name}_c1>[$€£]\s?)?"
            rf"(?P<{name}>\d{{1,3}}(?:,\d{{3}}){{1,3}}(?:\.\d{{1,2}})?|\d{{1,9}}(?:\.\d{{1,2}})?)(?![.,]\d)"
            rf"(?P<{name}_k>\s?(?:k|grand|thousand)(?![\w]))?"
            rf"(?P<{name}_c2>\s?(?:{self.currency_re_src}))?"
            rf"(?!\s?(?:{units}))(?![a-z0-9])"
        )

    def _build_price_patterns(self, data: dict[str, Any]) -> None:
        def alt(key: str) -> str:
            return compile_phrases(data[key]).pattern  # type: ignore[union-attr]

        lead = r"(?<![\w.#/-])"
        a, b = self._amount("a"), self._amount("b")
        self.price_between = re.compile(rf"\b(?:between|from|btw)\s+{lead}{a}\s*(?:and|to|-|–)\s*{b}")
        self.price_range = re.compile(rf"{lead}{a}\s*(?:-|–|to)\s*{b}")
        self.price_range_lead = compile_phrases(data["price_range_lead"])
        self.price_around = [
            re.compile(rf"{alt('price_around_before')}\s*{lead}{a}"),
            re.compile(rf"{lead}{a}\s*(?:{alt('price_around_after')})"),
        ]
        self.price_max = [
            re.compile(rf"{alt('price_max_before')}\s*(?:of\s+|is\s+|about\s+)?{lead}{a}"),
            re.compile(rf"{lead}{a}\s*(?:{alt('price_max_after')})"),
        ]
        self.price_min = [
            re.compile(rf"{alt('price_min_before')}\s*{lead}{a}"),
            re.compile(rf"{lead}{a}\s*(?:{alt('price_min_after')})"),
            re.compile(rf"\bfrom\s+{lead}{a}"),
        ]
        self.price_bare = re.compile(rf"{lead}{a}")

    # -- sizes -------------------------------------------------------------------------
    def _build_size_patterns(self, data: dict[str, Any]) -> None:
        words = sorted(data["size_words"], key=len, reverse=True)
        word_alt = "|".join(_phrase_alt(w) for w in words)
        letters = r"xxxl|xxl|xl|xxs|xs|s|m|l|2xl|3xl"
        number = r"\d{1,2}(?:\.5)?(?:\s+and\s+a\s+half|½)?"
        stop = r"(?=\s*(?:$|[,.!?;)]|(?:and|or|please|instead|too|if|but|then|size|with|thanks|in|under|below|over|for|from|pls)\b))"
        self.size_patterns = [
            re.compile(
                rf"\bsize[sd]?(?:\s+|\s*[:=]\s*|(?=\d))(?:is\s+|of\s+|a\s+)?(?:(?:us|uk|eu|eur|mens|men's|womens|women's)\s*)?"
                rf"(?P<v>{number}|{word_alt}|{letters})(?![\w.])"
            ),
            re.compile(rf"\bin\s+(?:an?\s+)?(?:size\s+)?(?P<v>{word_alt}|xxxl|xxl|xl|xxs|xs|2xl|3xl){stop}"),
            re.compile(rf"\bin\s+an?\s+(?P<v>{number})(?![\w.]){stop}"),
            re.compile(rf"\bin\s+(?P<v>{number})\s*\?*$"),
            re.compile(rf"\b(?:us|uk|eu)\s?(?P<v>{number})(?![\w.])"),
            re.compile(r"(?<![\w-])(?P<v>" + "|".join(data["standalone_sizes"]) + r")(?![\w-])"),
        ]


@functools.lru_cache(maxsize=1)
def load_lexicon() -> dict[str, Any]:
    """The raw lexicon.yaml (read once)."""
    text = (resources.files("assistant.intent.rules") / "lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    return Lexicon(load_lexicon())


def without_filler(text: str) -> str:
    """``text`` without the shopper's request phrasing ("do you sell", "i am looking for"):
    what is left names what they want."""
    pattern = _lexicon().filler_re
    return " ".join((pattern.sub(" ", text.lower()) if pattern is not None else text.lower()).split())


#: the largest count read as a quantity (four digits; a longer number is an id or a model)
MAX_QUANTITY = 9999


@functools.lru_cache(maxsize=1)
def _quantity_patterns() -> tuple[list[re.Pattern[str]], dict[str, int]]:
    raw = load_lexicon()
    words = {**raw["number_words"]["units"], **raw["number_words"]["tens"], **raw["quantity_words"]}
    spelt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    # "x2" is a count; "$2", "#2", "v2" and "size10" are not
    count = rf"(?<![$€£#.,0-9a-wyz_])(?P<n>[1-9]\d{{0,3}}|{spelt})(?![\w.,]*\d|\s*%)"
    return [re.compile(p.replace("{n}", count)) for p in raw["quantity_patterns"]], words


def quantity(text: str) -> int | None:
    """How many of a product ``text`` asks to buy ("two of the second one" -> 2, "add 3 to my
    cart" -> 3, "qty: 2" -> 2), or ``None`` where it names no count (a position, a price or a
    size is not one: "the second one", "under $20", "size 10"). A count larger than a shop
    takes ("add 150 of them") is returned as said: the answer says what the cart takes."""
    patterns, words = _quantity_patterns()
    lowered = " ".join(text.lower().split())
    for pattern in patterns:
        match = pattern.search(lowered)
        if match is not None:
            said = " ".join(match.group("n").split())
            value = int(said) if said.isdigit() else words[said]
            return value if 1 <= value <= MAX_QUANTITY else None
    return None
