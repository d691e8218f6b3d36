"""Rule-based intent parser: the measured baseline and the fallback for the LLM parser.

``RuleIntentParser(vocabulary).parse(text, context) -> ParsedIntent``

How a message is read
    1. Normalise: NFKC, lower case, contractions expanded, listed typos fixed, brand and
       category words repaired at edit distance 1, spoken numbers turned into digits
       ("a hundred and twenty" -> "120"; a lone "one" stays a word).
    2. Extract slots from a working copy of the text. Each extractor *consumes* what it
       reads (replaced by NUL characters, so offsets never move), in an order that keeps
       numbers apart: e-mails and order ids, sizes, list references ("the second one"),
       prices, "any brand is fine" / sort / "cheaper" phrases, brands (before colours:
       "Bob's Red Mill"), colours; then the category, the attribute asked about and the
       policy topic are read without consuming. What is left, minus filler phrases and
       stop words, is the search ``query``.
    3. Decide the intent with an explicit precedence (see ``_decide``): pending e-mail >
       greeting only > human agent > return request > order status > clearly out of
       scope > compare > "my order" > policy question > product question > search >
       weakly out of scope > fallback (lower confidence).
    4. Keep only the slots that intent uses.

All word lists and regexes live in ``assistant/lexicon.yaml`` (loaded once). The parser
never raises: any internal error yields ``out_of_scope`` with confidence 0.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable

import yaml

from assistant.types import DialogueContext, ParsedIntent, Slots, Vocabulary

log = logging.getLogger(__name__)

#: longer messages are cut before parsing (the pipeline truncates earlier anyway)
MAX_CHARS = 2000
#: the character that marks consumed text in the working copy
_GONE = "\x00"
_WORD_RE = re.compile(r"[a-z0-9]+(?:['.&+-][a-z0-9]+)*")
_EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_SPOKEN_EMAIL_RE = re.compile(
    r"(?<![\w@.])([a-z0-9][a-z0-9._-]*(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9._-]+)*)"
    r"\s+(?:at|@)\s+"
    r"([a-z0-9-]+(?:(?:\s+dot\s+|\.)[a-z0-9-]+)*(?:\s+dot\s+|\.)"
    r"(?:com|net|org|io|co|uk|de|fr|es|it|nl|ca|au|us|edu|gov|info|me|biz|ie|ch|se|no|dk|eu))\b"
)
_ORDER_ID_RE = re.compile(r"(?<![\w@.#/-])([a-z]{2,4})(-?)(\d{4,12})(?![\w@-])")
_ORDER_NUMBER_RE = re.compile(
    r"\border\s*(?:number|no\.?|num|id|ref(?:erence)?|#)?\s*(?:is\s*|:\s*)?#?\s*(\d{4,12})\b"
    r"|(?<![\w$€£])#\s?(\d{4,12})\b"
)
_ORDER_CONTEXT_RE = re.compile(
    r"\b(?:order|orders|ordered|package|parcel|delivery|shipment|tracking|track|return|refund|"
    r"exchange|purchase|invoice|receipt|status)\b"
)

# ------------------------------------------------------------------------------------
# Lexicon loading and regex helpers


def _squash(text: str) -> str:
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


class _Lexicon:
    """Everything in lexicon.yaml that does not depend on the store's vocabulary."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # normalisation
        self.contractions = {_squash(k): v for k, v in data["contractions"].items()}
        self.contractions_re = compile_phrases(data["contractions"])
        self.typos = {_squash(k): v for k, v in data["typos"].items()}
        self.typos_re = compile_phrases(data["typos"])
        self.fuzzy_blocklist = set(data["fuzzy_blocklist"])
        nums = data["number_words"]
        self.units: dict[str, int] = dict(nums["units"])
        self.tens: dict[str, int] = dict(nums["tens"])
        self.scales: dict[str, int] = dict(nums["scales"])
        self.ordinals = {_squash(k): int(v) for k, v in data["ordinals"].items()}
        self.ordinals_re = compile_phrases(data["ordinals"])
        # prices
        self.currency_re_src = "|".join(
            _phrase_alt(c) if re.match(r"\w", c) else re.escape(c) for c in data["currency_words"]
        )
        self.price_fp = _compile_all(data["price_false_positive_patterns"])
        self.around_tolerance = float(data["price_around_tolerance"])
        self._build_price_patterns(data)
        # sizes
        self.size_words = {_squash(k): v for k, v in data["size_words"].items()}
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
        self.greeting_lead_re = re.compile(
            r"^(?:(?:" + self.greeting_re.pattern + r")[\s,.!;:-]*)+" if self.greeting_re else r"^$"
        )
        self.greeting_fillers = set(data["greeting_fillers"])
        self.human = _compile_all(data["human_agent_patterns"])
        self.human_negative = _compile_all(data["human_agent_negative_patterns"])
        self.order_status = _compile_all(data["order_status_patterns"])
        self.return_request = _compile_all(data["return_request_patterns"])
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
            _AttributeGroup(tuple(g["keys"]), tuple(g["phrases"]), bool(g.get("standard", False)))
            for g in data["attributes"]
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
            "query_filler_phrases", "query_stopwords", "query_connectors", "greeting_phrases",
            "frustration_phrases", "fuzzy_blocklist", "plural_refs", "pair_refs",
            "attribute_guess_stopwords", "weak_category_words", "query_generic_words",
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
        units = "|".join(
            _phrase_alt(u) if re.match(r"\w", u) else re.escape(u) for u in self.data["non_price_units"]
        )
        return (
            rf"(?P<{name}_c1>[$€£]\s?)?"
            rf"(?P<{name}>\d{{1,3}}(?:,\d{{3}}){{1,3}}(?:\.\d{{1,2}})?|\d{{1,9}}(?:\.\d{{1,2}})?)"
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
    text = (resources.files("assistant") / "lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon(load_lexicon())


# ------------------------------------------------------------------------------------
# One message being read


@dataclass
class _Span:
    start: int
    end: int
    label: str
    value: Any = None


@dataclass
class _Message:
    raw: str
    text: str  # normalised: what every extractor reads
    work: str  # ``text`` with consumed stretches blanked out
    plain: str = ""  # normalised without the fuzzy brand/category repair
    spans: list[_Span] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    order_id: str | None = None
    size: str | None = None
    size_seen: bool = False
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    sort: str | None = None
    relative_price: str | None = None
    clear: list[str] = field(default_factory=list)
    color: str | None = None
    negated_colors: list[str] = field(default_factory=list)
    category: str | None = None
    category_strong: bool = False
    brands: list[tuple[int, str]] = field(default_factory=list)  # (position, brand)
    negated_brands: list[str] = field(default_factory=list)
    ordinal_refs: list[tuple[int, str]] = field(default_factory=list)
    attribute: str | None = None
    attribute_spans: list[tuple[int, int]] = field(default_factory=list)
    policy_topic: str | None = None
    policy_strong: bool = False  # named outright, not by a weak word such as "pay"
    frustrated: bool = False

    def consume(self, start: int, end: int, label: str, value: Any = None) -> None:
        self.work = self.work[:start] + _GONE * (end - start) + self.work[end:]
        self.spans.append(_Span(start, end, label, value))

    @property
    def brand(self) -> str | None:
        return self.brands[0][1] if self.brands else None

    @property
    def has_price(self) -> bool:
        return self.price_min is not None or self.price_max is not None


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + _GONE * (end - start) + text[end:]
    return text


# ------------------------------------------------------------------------------------
# The parser


class RuleIntentParser:
    """Regexes and word lists over a store vocabulary; see the module docstring."""

    name = "rules"

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or Vocabulary()
        self.lex = _lexicon()
        self._build_categories()
        self._build_colors()
        self._build_brands()
        self._build_sizes()
        self._build_attributes()
        self._build_policy_topics()
        self._build_fuzzy()

    # ==================================================================================
    # Vocabulary-dependent matchers

    def _build_categories(self) -> None:
        vocab = {c.lower(): c for c in self.vocabulary.categories}
        surface_to_cat: dict[str, str] = {}

        def add(surface: str, category: str) -> None:
            for form in _inflections(surface) | {surface.lower()}:
                surface_to_cat.setdefault(_squash(form), category)

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
                    surface_to_cat.setdefault(_squash(form), vocab[category])
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
        store = {_squash(c): c for c in self.vocabulary.colors}
        phrases: dict[str, str] = {c.lower(): c for c in self.vocabulary.colors}
        for canonical, group in self.lex.color_synonyms.items():
            # the store may spell the colour another way ("gray" for the lexicon's "grey")
            target = store.get(_squash(canonical)) or next((store[_squash(g)] for g in group if _squash(g) in store), None)
            if target is not None:
                for phrase in group:
                    phrases.setdefault(phrase.lower(), target)
        self._color_map = {_squash(p): c for p, c in phrases.items()}
        self._color_re = compile_phrases(phrases)

    def _build_brands(self) -> None:
        by_low = {b.lower(): b for b in self.vocabulary.brands}
        surface_to_brand: dict[str, str] = {}
        for brand in sorted(self.vocabulary.brands, key=len, reverse=True):
            for surface in _brand_surfaces(brand):
                surface_to_brand.setdefault(_squash(surface), brand)
        for brand, aliases in self.lex.brand_aliases.items():
            if brand.lower() in by_low:
                for alias in aliases:
                    surface_to_brand.setdefault(_squash(alias), by_low[brand.lower()])
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
                    implied.setdefault(_squash(line), target)
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
        key = _squash(str(size))
        key = re.sub(r"^(\d+)\.0$", r"\1", key)
        return key

    def _build_attributes(self) -> None:
        """Phrase -> (attribute key, tier). Precedence when two sources share a phrase:
        the store's key spelled out ("water resistant"), then the lexicon's synonyms
        (resolved to a key the store has), then the store's key without its unit
        ("battery" from "battery_mah")."""
        vocab = list(self.vocabulary.attributes)
        vocab_set = set(vocab)
        standard_tier = {"color": 1, "size": 1, "stock": 2, "rating": 3, "price": 4, "brand": 5, "description": 6}
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
                key = next((k for k in group.keys if k in vocab_set), None) or self._vocab_key_like(group.keys, vocab)
                key = key or self._trim_units(group.keys[0])  # "weight_kg" -> "weight"
                tier = 0
            lexical += [(phrase, key, tier) for phrase in group.phrases]
        by_phrase: dict[str, tuple[str, int]] = {}
        for phrase, key, tier in full + lexical + trimmed:
            by_phrase.setdefault(_squash(phrase), (key, tier))
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
        by_key = {_squash(t): t for t in topics}
        self._policy: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]] = []
        covered: set[str] = set()
        order = self.lex.policy_priority + [t for t in self.lex.policy_topics if t not in self.lex.policy_priority]
        for name in order:
            aliases, strong, weak = self.lex.policy_topics[name]
            target = next((by_key[_squash(a)] for a in (name, *aliases) if _squash(a) in by_key), None)
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

    # ==================================================================================
    # Parsing

    def parse(self, text: str, context: DialogueContext | None = None) -> ParsedIntent:
        try:
            return self._parse(text, context if context is not None else DialogueContext())
        except Exception:  # noqa: BLE001 - a parser must never take the turn down
            log.exception("rule intent parser failed on %r", str(text)[:200])
            return ParsedIntent(intent="out_of_scope", confidence=0.0, parser=self.name)

    def _parse(self, text: Any, context: DialogueContext) -> ParsedIntent:
        raw = text if isinstance(text, str) else ("" if text is None else str(text))
        raw = unicodedata.normalize("NFKC", raw[: MAX_CHARS * 2])[:MAX_CHARS]
        raw = " ".join(raw.replace(_GONE, " ").split())
        msg = self._analyse(raw, context)
        intent, confidence = self._decide(msg, context)
        slots, clear, relative = self._slots(intent, msg, context)
        return ParsedIntent(
            intent=intent,  # type: ignore[arg-type]
            slots=slots,
            clear=clear,  # type: ignore[arg-type]
            relative_price=relative,  # type: ignore[arg-type]
            frustrated=msg.frustrated,
            confidence=round(confidence, 2),
            parser=self.name,
        )

    # -- normalisation -------------------------------------------------------------------
    def normalise(self, raw: str) -> str:
        return self._normalise(raw)[1]

    def _normalise(self, raw: str) -> tuple[str, str]:
        """(plain, text): both normalised; only ``text`` has fuzzy-repaired words."""
        lex = self.lex
        text = raw.lower()
        for a, b in (("’", "'"), ("‘", "'"), ("`", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
            text = text.replace(a, b)
        if lex.contractions_re is not None:
            text = lex.contractions_re.sub(lambda m: lex.contractions.get(_squash(m.group(0)), m.group(0)), text)
        if lex.typos_re is not None:
            text = lex.typos_re.sub(lambda m: lex.typos.get(_squash(m.group(0)), m.group(0)), text)
        fixed = self._fuzzy_fix(text)
        plain = " ".join(self._number_words(text).split())
        return plain, (plain if fixed == text else " ".join(self._number_words(fixed).split()))

    def _fuzzy_fix(self, text: str) -> str:
        if not self._fuzzy:
            return text

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if len(word) < 7 or word in self._fuzzy_known or word in self.lex.fuzzy_blocklist:
                return word
            found = {self._fuzzy.get(k) for k in _deletes(word) | {word} if k in self._fuzzy}
            found.discard(None)
            if len(found) == 1:
                return found.pop()  # type: ignore[return-value]
            return word

        return re.sub(r"[a-z]{7,}", fix, text)

    def _number_words(self, text: str) -> str:
        """'a hundred and twenty' -> '120', 'twenty five' -> '25'; a lone 'one' is kept."""
        lex = self.lex
        numeric = set(lex.units) | set(lex.tens) | set(lex.scales)
        if not any(w in numeric for w in re.findall(r"[a-z]+", text)):
            return text
        toks = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z]+", text)]
        n = len(toks)

        def adjacent(i: int, j: int) -> bool:
            return re.fullmatch(r"[\s-]*", text[toks[i][2] : toks[j][1]]) is not None

        replacements: list[tuple[int, int, str]] = []
        i = 0
        while i < n:
            word = toks[i][0]
            starts = word in lex.units or word in lex.tens or (
                word in ("a", "an") and i + 1 < n and toks[i + 1][0] in lex.scales and adjacent(i, i + 1)
            )
            if not starts:
                i += 1
                continue
            total, current, last, count, j, scale_seen = 0, 0, None, 0, i, False
            while j < n:
                w = toks[j][0]
                if j > i and not adjacent(j - 1, j):
                    break
                if w in ("a", "an") and last is None:
                    current, last = 1, "a"
                elif w in lex.units:
                    u = lex.units[w]
                    if last in (None, "scale", "and"):
                        current += u
                    elif last == "tens" and u < 10 and current % 10 == 0:
                        current += u
                    else:
                        break
                    last = "unit"
                    count += 1
                elif w in lex.tens:
                    t = lex.tens[w]
                    if last in (None, "scale", "and"):
                        current += t
                    elif last == "unit" and 1 <= current <= 9 and total == 0 and not scale_seen:
                        current = current * 100 + t  # "one fifty" -> 150
                    else:
                        break
                    last = "tens"
                    count += 1
                elif w == "hundred":
                    if last in ("unit", "tens", "a") and current < 100:
                        current = (current or 1) * 100
                    else:
                        break
                    last, scale_seen = "scale", True
                    count += 1
                elif w in lex.scales:  # thousand, grand
                    if last in ("unit", "tens", "a", "scale"):
                        total += (current or 1) * lex.scales[w]
                        current = 0
                    else:
                        break
                    last, scale_seen = "scale", True
                    count += 1
                elif w == "and" and last == "scale" and j + 1 < n and adjacent(j, j + 1) and (
                    toks[j + 1][0] in lex.units or toks[j + 1][0] in lex.tens
                ) and not (j + 2 < n and adjacent(j + 1, j + 2) and toks[j + 2][0] == "hundred" and total == 0):
                    # "two hundred and four hundred" is two numbers, not 204 followed by "hundred"
                    # ("two thousand and five hundred" is one)
                    last = "and"
                else:
                    break
                j += 1
            if count == 0:
                i += 1
                continue
            end_idx = j - 1
            while toks[end_idx][0] in ("and", "a", "an"):
                end_idx -= 1
            value: float = total + current
            # "ten and a half"
            if j + 2 < n and toks[j][0] == "and" and toks[j + 1][0] == "a" and toks[j + 2][0] == "half":
                value += 0.5
                end_idx = j + 2
            nxt = toks[end_idx + 1][0] if end_idx + 1 < n else ""
            prev = toks[i - 1][0] if i > 0 else ""
            lone_one = count == 1 and value == 1
            if lone_one and not (re.match(r"(?:dollar|buck|pound|euro|quid|grand|hundred)", nxt) or prev == "size"):
                i = end_idx + 1
                continue
            rendered = str(int(value)) if float(value).is_integer() else str(value)
            replacements.append((toks[i][1], toks[end_idx][2], rendered))
            i = end_idx + 1
        for start, end, rendered in reversed(replacements):
            text = text[:start] + rendered + text[end:]
        return text

    # -- extraction ----------------------------------------------------------------------
    def _analyse(self, raw: str, context: DialogueContext) -> _Message:
        plain, text = self._normalise(raw)
        msg = _Message(raw=raw, text=text, work=text, plain=plain)
        if not text:
            return msg
        self._extract_emails(msg)
        self._extract_order_id(msg)
        self._extract_size(msg)
        self._extract_ordinal_refs(msg)
        self._extract_prices(msg)
        self._extract_sort_relative_clear(msg)
        self._extract_stock(msg)
        self._extract_brands(msg, context)  # before colours: "Bob's Red Mill"
        self._extract_colors(msg, context)
        self._extract_category(msg)
        self._extract_attribute(msg)
        self._extract_policy_topic(msg)
        lex = self.lex
        msg.frustrated = bool(
            (lex.frustration_re is not None and lex.frustration_re.search(text))
            or _any(lex.frustration, text)
            or self._shouting(raw)
        )
        return msg

    @staticmethod
    def _shouting(raw: str) -> bool:
        words = re.findall(r"[A-Za-z]{3,}", raw)
        return len(words) >= 3 and sum(w.isupper() for w in words) >= max(3, int(0.7 * len(words)))

    def _extract_emails(self, msg: _Message) -> None:
        for m in list(_EMAIL_RE.finditer(msg.work)):
            msg.emails.append(m.group(0).strip(".").lower())
            msg.consume(m.start(), m.end(), "email")
        for m in list(_SPOKEN_EMAIL_RE.finditer(msg.work)):
            local = m.group(1)
            if local in {"me", "you", "us", "them", "it", "look", "is", "email", "mail", "address"}:
                continue
            address = f"{local}@{m.group(2)}"
            for word, sym in ((" dot ", "."), (" underscore ", "_"), (" dash ", "-"), (" hyphen ", "-")):
                address = address.replace(word, sym)
            address = re.sub(r"\s+", "", address)
            if _EMAIL_RE.fullmatch(address):
                msg.emails.append(address)
                msg.consume(m.start(), m.end(), "email")

    def _extract_order_id(self, msg: _Message) -> None:
        context_words = bool(_ORDER_CONTEXT_RE.search(msg.text))
        for m in _ORDER_ID_RE.finditer(msg.work):
            prefix, hyphen, digits = m.groups()
            if prefix in self.lex.order_id_blocked and not context_words:
                continue
            if hyphen or len(digits) >= 5 or context_words:
                msg.order_id = (prefix + hyphen + digits).upper()
                msg.consume(m.start(), m.end(), "order_id", msg.order_id)
                return
        for m in _ORDER_NUMBER_RE.finditer(msg.work):
            digits = m.group(1) or m.group(2)
            if m.group(2) and not context_words:
                continue
            msg.order_id = digits
            start = m.start(1) if m.group(1) else m.start()
            msg.consume(start, m.end(), "order_id", digits)
            return

    def _extract_size(self, msg: _Message) -> None:
        for pattern in self.lex.size_patterns:
            m = pattern.search(msg.work)
            if not m:
                continue
            value = self._canonical_size(m.group("v"))
            msg.size_seen = True
            msg.consume(m.start(), m.end(), "size", value)
            if value is not None:
                msg.size = value
                return

    def canonical_size(self, value: str) -> str | None:
        """A size as the catalog writes it ("ten and a half" -> "10.5", "small" -> "S"), or
        None when the catalog has no such size."""
        return self._canonical_size(self._number_words(value.strip().lower()))

    def _canonical_size(self, value: str) -> str | None:
        v = value.strip().lower()
        v = re.sub(r"\s+and\s+a\s+half$|½$", ".5", v)
        v = re.sub(r"^(\d+)\.0$", r"\1", v)
        if _squash(v) in self.lex.size_words:
            v = self.lex.size_words[_squash(v)]
        elif re.fullmatch(r"[a-z0-9]+", v) and not v[0].isdigit():
            v = {"2xl": "XXL", "3xl": "XXXL"}.get(v, v.upper())
        if not self._sizes:
            return v
        return self._sizes.get(self._size_key(v))

    def _extract_ordinal_refs(self, msg: _Message) -> None:
        lex = self.lex
        work = msg.work
        refs: list[tuple[int, str]] = []
        # "the first two", "top 3", "last 2"
        for m in re.finditer(r"\b(?:the\s+)?(first|top|last)\s+(\d{1,2})\b(?!\s*(?:[$€£%]|dollars|bucks|days|hours|weeks|months|years|minutes))", work):
            count = int(m.group(2))
            if 2 <= count <= 10:
                picks = [str(k) for k in range(1, count + 1)] if m.group(1) != "last" else [str(-k) for k in range(count, 0, -1)]
                refs += [(m.start(), p) for p in picks]
                msg.consume(m.start(), m.end(), "ref")
        work = msg.work
        for m in re.finditer(
            r"(?:#\s?|\b(?:number|num|no\.|option|item|product|result|choice|pick)\s*#?\s*)(\d{1,2})\b(?![\d.,]|\s*(?:[$€£%]|dollars|bucks))",
            work,
        ):
            k = int(m.group(1))
            if 1 <= k <= 20:
                refs.append((m.start(), str(k)))
                msg.consume(m.start(), m.end(), "ref")
        if lex.ordinals_re is not None:
            accepted_before = bool(refs)
            follow, lead, not_before = lex.ordinal_follow, lex.ordinal_lead, lex.ordinal_not_before
            for m in list(lex.ordinals_re.finditer(msg.work)):
                word = _squash(m.group(0))
                value = lex.ordinals.get(word)
                if value is None:
                    continue
                before = msg.work[: m.start()].split()
                after = msg.work[m.end() :].split()
                prev = re.sub(r"[^\w&]", "", before[-1]) if before else ""
                nxt = re.sub(r"[^\w]", "", after[0]) if after else ""
                nxt2 = re.sub(r"[^\w]", "", after[1]) if len(after) > 1 else ""
                only = not before and (not after or not re.sub(r"[\W_]", "", " ".join(after)))
                if word in ("top", "bottom"):
                    ok = nxt in {"one", "ones", "option", "pick", "result", "choice"}
                elif word in ("last", "final"):
                    ok = (nxt in follow and nxt not in {"and", "or", "vs", "versus"}) or (
                        prev in {"the", "and", "or", "vs", "versus", "between"} and nxt not in not_before
                    ) or only
                else:
                    ok = (
                        nxt in follow
                        or (nxt == "of" and nxt2 in {"them", "these", "those"})
                        or (prev in lead and nxt not in not_before)
                        or (prev in {",", "and", "or"} and accepted_before)
                        or only
                    )
                if ok:
                    refs.append((m.start(), str(value)))
                    accepted_before = True
                    msg.consume(m.start(), m.end(), "ref")
        refs.sort(key=lambda r: r[0])  # stable: "last two" stays -2, -1
        msg.ordinal_refs = refs

    def _extract_prices(self, msg: _Message) -> None:
        lex = self.lex
        protect = [(m.start(), m.end()) for p in lex.price_fp for m in p.finditer(msg.work)]

        def scan(pattern: re.Pattern[str]) -> list[re.Match[str]]:
            return list(pattern.finditer(_masked(msg.work, protect)))

        def amount(m: re.Match[str], name: str) -> float:
            value = float(m.group(name).replace(",", ""))
            if m.group(f"{name}_k"):
                value *= 1000
            return value

        def has_currency(m: re.Match[str], *names: str) -> bool:
            return any(m.group(f"{n}_c1") or m.group(f"{n}_c2") for n in names)

        lo: float | None = None
        hi: float | None = None
        for m in scan(lex.price_between):
            lo, hi = amount(m, "a"), amount(m, "b")
            if m.group("b_k") and not m.group("a_k") and lo < 100:  # "between 1 and 1.5k"
                lo *= 1000
            msg.consume(m.start(), m.end(), "price")
            break
        if lo is None:
            for m in scan(lex.price_range):
                before = msg.text[max(0, m.start() - 20) : m.start()]
                led = lex.price_range_lead is not None and lex.price_range_lead.search(before)
                if has_currency(m, "a", "b") or led:
                    lo, hi = amount(m, "a"), amount(m, "b")
                    msg.consume(m.start(), m.end(), "price")
                    break
        if lo is None and hi is None:
            for pattern in lex.price_around:
                for m in scan(pattern):
                    value = amount(m, "a")
                    capped = re.match(r"\s*(?:max|maximum|tops|at most|or less|at the most)\b", msg.work[m.end():])
                    if capped:  # "about 100 max" is a ceiling, not a window around 100
                        hi = value
                        msg.consume(m.start(), m.end() + capped.end(), "price")
                        break
                    floored = re.match(r"\s*(?:or more|and up|and above|or above|or higher|plus|minimum|at least)\b", msg.work[m.end():])
                    if floored:  # "what about 400 or more" is a floor
                        lo = value
                        msg.consume(m.start(), m.end() + floored.end(), "price")
                        break
                    lo = round(value * (1 - lex.around_tolerance), 2)
                    hi = round(value * (1 + lex.around_tolerance), 2)
                    msg.consume(m.start(), m.end(), "price")
                    break
                if lo is not None:
                    break
        if lo is None and hi is None:
            ceiling = next((m for pattern in lex.price_max for m in scan(pattern)), None)
            floor = next((m for pattern in lex.price_min for m in scan(pattern)
                          if pattern is not lex.price_min[2] or has_currency(m, "a")), None)
            if ceiling and floor and ceiling.start() < floor.end() and floor.start() < ceiling.end():
                # one price read both ways: the longer phrase wins ("no less than 30" over "less than 30")
                if floor.end() - floor.start() > ceiling.end() - ceiling.start():
                    ceiling = None
                else:
                    floor = None
            if ceiling:
                hi = amount(ceiling, "a")
                msg.consume(ceiling.start(), ceiling.end(), "price")
            if floor:
                lo = amount(floor, "a")
                msg.consume(floor.start(), floor.end(), "price")
        if lo is None and hi is None:
            for m in scan(lex.price_bare):
                if has_currency(m, "a"):
                    hi = amount(m, "a")
                    msg.consume(m.start(), m.end(), "price")
                    break
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        msg.price_min, msg.price_max = lo, hi

    def _extract_sort_relative_clear(self, msg: _Message) -> None:
        lex = self.lex
        for slots_pattern, slots in lex.clear:
            for m in list(slots_pattern.finditer(msg.work)):
                for s in slots:
                    if s not in msg.clear:
                        msg.clear.append(s)
                msg.consume(m.start(), m.end(), "clear")
        # the longer phrase wins: "more premium" is "pricier than these", not a sort by "premium";
        # "nothing too expensive" is a sort, not "too expensive" (cheaper than these)
        excluded = [(m.start(), m.end()) for p in lex.sort_exclusions for m in p.finditer(msg.work)]
        sort_spans = [(m.start(), m.end()) for _, pattern in lex.sort if pattern is not None
                      for m in pattern.finditer(_masked(msg.work, excluded))]

        def take_relative(inside_longer_sort: list[tuple[int, int]]) -> None:
            for label, pattern in lex.relative:
                m = pattern.search(msg.work) if pattern is not None else None
                if m and not any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in inside_longer_sort):
                    msg.relative_price = msg.relative_price or label
                    msg.consume(m.start(), m.end(), "relative")

        take_relative(sort_spans)
        excluded = [(m.start(), m.end()) for p in lex.sort_exclusions for m in p.finditer(msg.work)]
        best: tuple[int, int, int, str] | None = None
        for label, pattern in lex.sort:
            if pattern is None:
                continue
            for m in pattern.finditer(_masked(msg.work, excluded)):
                cand = (m.start(), -(m.end() - m.start()), m.end(), label)
                if best is None or cand < best:
                    best = cand
                break
        if best is not None:
            msg.sort = best[3]
        for _, pattern in lex.sort:
            if pattern is None:
                continue
            for m in list(pattern.finditer(_masked(msg.work, excluded))):
                msg.consume(m.start(), m.end(), "sort")
        take_relative([])  # what the sort words left

    def _extract_stock(self, msg: _Message) -> None:
        """"in stock" / "available now" restrict a search; "out of stock is fine" lifts that."""
        for m in list(self.lex.rx["stock_any"].finditer(msg.work)):
            if "in_stock" not in msg.clear:
                msg.clear.append("in_stock")
            msg.consume(m.start(), m.end(), "clear")
        for m in list(self.lex.rx["stock_only"].finditer(msg.work)):
            msg.in_stock = True
            msg.consume(m.start(), m.end(), "in_stock")

    def _negation_start(self, text: str, start: int) -> int | None:
        """Where a negation right before ``start`` begins ("but not Sony"), else None."""
        lo = max(0, start - 30)
        m = self.lex.rx["negation"].search(text[lo:start].replace(_GONE, " "))
        return lo + m.start() if m else None

    def _negated(self, text: str, start: int) -> bool:
        return self._negation_start(text, start) is not None

    def _extract_colors(self, msg: _Message, context: DialogueContext) -> None:
        if self._color_re is None:
            return
        protect = []
        if self.lex.color_exceptions_re is not None:
            protect = [(m.start(), m.end()) for m in self.lex.color_exceptions_re.finditer(msg.work)]
        for m in list(self._color_re.finditer(_masked(msg.work, protect))):
            color = self._color_map.get(_squash(m.group(0)))
            if color is None:
                continue
            neg = self._negation_start(msg.work, m.start())
            if neg is not None:
                msg.negated_colors.append(color)
                msg.consume(neg, m.end(), "color", color)
                continue
            if msg.color is None:
                msg.color = color
            msg.consume(m.start(), m.end(), "color", color)

    def _extract_category(self, msg: _Message) -> None:
        if self._category_re is None:
            return
        weak_hit: str | None = None
        work = msg.work
        for span in msg.spans:
            if span.label == "brand":
                work = work[: span.start] + msg.text[span.start : span.end] + work[span.end :]
        for m in self._category_re.finditer(work):
            category = self._category_map.get(_squash(m.group(0)))
            if category is None:
                continue
            if (m.start() > 0 and work[m.start() - 1] == "-") or work[m.end() : m.end() + 1] == "-":
                continue
            if _squash(m.group(0)) in {_squash(w) for w in self.lex.weak_category_words}:
                weak_hit = weak_hit or category
                continue
            msg.category, msg.category_strong = category, True
            return
        msg.category = weak_hit

    def _extract_brands(self, msg: _Message, context: DialogueContext) -> None:
        if self._brand_re is None:
            return
        compatible = False
        for m in list(self._brand_re.finditer(msg.work)):
            brand = self._brand_map.get(_squash(m.group(0)))
            if brand is None:
                continue
            if self._guarded(msg.work, m, brand):
                continue
            if brand in self._common_brands and not self._common_brand_ok(msg, m, brand):
                continue
            neg = self._negation_start(msg.work, m.start())
            if neg is not None:
                msg.negated_brands.append(brand)
                msg.consume(neg, m.end(), "brand_not", brand)
                continue
            if self._compatibility(msg.work, m.start()):
                compatible = True
                continue  # "a charger for my Samsung": stays in the query
            msg.brands.append((m.start(), brand))
            msg.consume(m.start(), m.end(), "brand", brand)
        if not msg.brands and not msg.negated_brands and not compatible and self._implied_re is not None:
            for m in self._implied_re.finditer(msg.work):  # "white airpods" -> Apple
                brand = self._implied_map.get(_squash(m.group(0)))
                after = _WORD_RE.findall(msg.work[m.end() :])[:1]
                if after and after[0] in self._category_words:
                    continue  # "iphone charger" is a charger, not an Apple product
                if brand and not self._compatibility(msg.work, m.start()):
                    msg.brands.append((m.start(), brand))  # not consumed: "airpods" stays in the query
                    break

    def _compatibility(self, work: str, start: int) -> bool:
        before = work[max(0, start - 40) : start].replace(_GONE, " ")
        return _any(self.lex.brand_compatibility, before)

    def _common_brand_ok(self, msg: _Message, m: re.Match[str], brand: str) -> bool:
        """A brand that is an everyday word ("Nothing", "KIND") counts when written with
        capitals (not as the first word) or right before a product word."""
        written = [brand, brand.upper(), brand.title(), brand[:1].upper() + brand[1:]]
        for form in written:
            if re.search(r"(?<=\S\s)(?<![\w])" + re.escape(form) + r"(?![\w])", msg.raw):
                return True
        after = _WORD_RE.findall(msg.text[m.end() :])[:1]
        return bool(after) and (after[0] in self._category_words or after[0] in {"brand", "products", "stuff"})

    def _guarded(self, work: str, m: re.Match[str], brand: str) -> bool:
        guard = self.lex.brand_guards.get(brand.lower())
        if not guard:
            return False
        after = work[m.end() :].strip()
        before = work[: m.start()].strip()
        nxt = any(re.match(re.escape(w) + r"\b", after) for w in guard.get("next", []))
        prv = any(re.search(r"\b" + re.escape(w) + r"$", before + " " + m.group(0)) or re.search(r"\b" + re.escape(w) + r"$", before) for w in guard.get("prev", []))
        return nxt or prv

    def _extract_attribute(self, msg: _Message) -> None:
        if self._attribute_re is None:
            return
        best: tuple[int, int, str] | None = None
        for m in self._attribute_re.finditer(msg.text):
            found = self._attribute_map.get(_squash(m.group(0)))
            if found is None:
                continue
            key, tier = found
            msg.attribute_spans.append((m.start(), m.end()))
            if best is None or (tier, m.start()) < (best[0], best[1]):
                best = (tier, m.start(), key)
        if best is not None:
            msg.attribute = best[2]

    def _extract_policy_topic(self, msg: _Message) -> None:
        for topic, strong, _ in self._policy:  # priority order
            if strong is not None and strong.search(msg.text):
                msg.policy_topic, msg.policy_strong = topic, True
                return
        for topic, _, weak in self._policy:
            if weak is not None and weak.search(msg.text):
                msg.policy_topic, msg.policy_strong = topic, False
                return

    # -- references ----------------------------------------------------------------------
    def _name_refs(self, msg: _Message, context: DialogueContext, *, vocab_brands: bool, compare: bool) -> list[tuple[int, int, str]]:
        """(start, end, ref) for shown brands, shown title fragments and (optionally) brands."""
        text = _masked(msg.text, msg.attribute_spans + [(s.start, s.end) for s in msg.spans if s.label in ("ref", "price", "size", "order_id", "email")])
        refs: list[tuple[int, int, str]] = []
        for brand in context.shown_brands:
            if not brand or not brand.strip():
                continue
            for m in re.finditer(r"(?<![\w])" + re.escape(brand.lower()) + r"(?![\w])", text):
                if not self._negated(text.replace(_GONE, " "), m.start()):
                    refs.append((m.start(), m.end(), brand.lower()))
        if vocab_brands:  # brands written out (not implied by "airpods")
            for span in msg.spans:
                if span.label == "brand":
                    refs.append((span.start, span.end, str(span.value).lower()))
        lowered = [" ".join(t.lower().split()) for t in context.shown_titles if t]
        titles = [_title_tokens(t) for t in lowered]
        if titles:
            # a fragment starts with a distinctive title word (not in every title, not a
            # function word) and grows while it stays a substring of one shown title
            common = set.intersection(*titles) if len(titles) > 1 else set()
            union = set().union(*titles)
            function_words = self.lex.query_stopwords | self.lex.guess_stopwords
            # a word every title shares ("the XM5" when three colours are shown) still
            # points at them, except when comparing, where it cannot tell them apart
            stop = self.lex.ref_stopwords | function_words | (common if compare else set())
            toks = list(_WORD_RE.finditer(text))
            i = 0
            while i < len(toks):
                tok = toks[i].group(0)
                if tok not in union or tok in stop or not (len(tok) > 2 or any(c.isdigit() for c in tok)):
                    i += 1
                    continue
                j = i
                while j + 1 < len(toks):
                    nxt_tok = toks[j + 1].group(0)
                    phrase = text[toks[i].start() : toks[j + 1].end()]
                    if nxt_tok in function_words or not re.fullmatch(r"[\s-]*", text[toks[j].end() : toks[j + 1].start()]) \
                            or not any(phrase in t for t in lowered):
                        break
                    j += 1
                before = _WORD_RE.findall(text[: toks[i].start()])
                prev = before[-1] if before else ""
                nxt = toks[j + 1].group(0) if j + 1 < len(toks) else ""
                if compare or prev in self.lex.ref_lead or nxt in {"one", "ones", "model", "version", "pair"}:
                    refs.append((toks[i].start(), toks[j].end(), text[toks[i].start() : toks[j].end()]))
                i = j + 1
        if context.shown_titles or context.shown_brands:
            # "the Kestrel one": a name the shopper uses for a shown product, even one
            # that matches nothing (the dialogue then lists what was shown)
            for m in re.finditer(r"\b(?:the|that|this)\s+([a-z0-9][a-z0-9'-]*(?:\s+[a-z0-9][a-z0-9'-]*)?)\s+(?:one|ones|model|version)\b", text):
                words = [w for w in m.group(1).split() if w not in self.lex.query_stopwords and w not in self.lex.guess_stopwords]
                if words and not any(r[0] <= m.start(1) < r[1] for r in refs):
                    refs.append((m.start(1), m.end(1), " ".join(words)))
        # overlapping refs: keep the longer one
        refs.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        kept: list[tuple[int, int, str]] = []
        for r in refs:
            if kept and r[0] < kept[-1][1]:
                continue
            if any(r[2] == k[2] for k in kept):
                continue
            kept.append(r)
        return kept

    def _collect_refs(self, msg: _Message, context: DialogueContext, *, compare: bool, vocab_brands: bool) -> list[str]:
        lex = self.lex
        positioned: list[tuple[int, str]] = list(msg.ordinal_refs)
        positioned += [(s, r) for s, _, r in self._name_refs(msg, context, vocab_brands=vocab_brands, compare=compare)]
        text = msg.work
        if lex.pair_refs_re is not None:
            m = lex.pair_refs_re.search(text)
            if m and not msg.ordinal_refs:
                positioned += [(m.start(), "1"), (m.start(), "2")]
        positioned.sort(key=lambda p: p[0])
        refs: list[str] = []
        for _, r in positioned:
            if r not in refs:
                refs.append(r)
        if refs:
            return refs
        if lex.plural_refs_re is not None and lex.plural_refs_re.search(text):
            return ["all"]
        if any(p.search(text) for p in lex.singular_refs):
            return ["it"]
        return []

    # -- intent --------------------------------------------------------------------------
    def _decide(self, msg: _Message, context: DialogueContext) -> tuple[str, float]:
        lex = self.lex
        text = msg.text
        if not re.search(r"[^\W_]", text):  # empty, punctuation, emoji
            if self._greeting_only(msg):  # "👋"
                return "greeting", 0.7
            return "out_of_scope", 0.3
        shown = bool(context.shown_titles or context.shown_brands)
        in_play = shown or bool(context.constraints.filled())

        # 1. the assistant asked for the e-mail that goes with an order
        if msg.emails and (context.pending_order_id or msg.order_id):
            if context.pending_order_id and self._mostly_email(msg):
                return ("return_request" if context.last_intent == "return_request" else "order_status"), 0.95
        # 2. nothing but greetings, thanks or "what can you do"
        if self._greeting_only(msg):
            return "greeting", 0.9
        # 3. a person, please
        if _any(lex.human, text) and not _any(lex.human_negative, text):
            return "human_agent", 0.95
        returns_word = lex.rx["return_word"].search(text)
        policy_phrased = _any(lex.return_policy, text)
        # 4. returning their own item or order (a personal purchase beats policy phrasing:
        #    "can I return these shoes I bought last week?")
        personal = bool(msg.order_id) or bool(lex.rx["personal_purchase"].search(text))
        if (_any(lex.return_request, text) or (personal and returns_word)) and (not policy_phrased or personal):
            return "return_request", 0.9
        if msg.order_id and returns_word:
            return "return_request", 0.9
        # 5. their order
        if msg.order_id:
            return "order_status", 0.95
        if _any(lex.order_status, text):
            return "order_status", 0.9
        if msg.emails and not context.pending_order_id and self._mostly_email(msg):
            return ("return_request" if context.last_intent == "return_request" else "order_status"), 0.6
        # 6. never ours, whatever products it names
        if _any(lex.oos_strong, msg.plain):
            return "out_of_scope", 0.9
        # 7. comparing products
        compare_cue = _any(lex.compare, text) or (shown and lex.rx["compare_when_shown"].search(text))
        refs = self._collect_refs(msg, context, compare=True, vocab_brands=True)
        if not compare_cue and len([r for r in refs if r not in ("it", "all")]) >= 2 and re.search(r"\bor\b", text) and "?" in msg.raw:
            compare_cue = True
        if compare_cue:
            if refs or shown:
                return "compare_products", 0.9
            if self._vs_fragments(msg):
                return "compare_products", 0.85
            if not self._shopping_signal(msg):
                return "compare_products", 0.6
        if lex.rx["my_order"].search(text) and not msg.policy_strong:
            return "order_status", 0.75
        # 8. the store's rules
        if msg.policy_topic and (msg.policy_strong or policy_phrased or not (
            msg.brands or msg.has_price or msg.color or msg.size or _any(lex.shopping, text)
        )) and (_any(lex.policy_question, text) or not self._shopping_signal(msg) or policy_phrased):
            return "policy_question", 0.9 if msg.policy_strong else 0.75
        # 9. a question about a product already shown (or named)
        pq = self._product_question(msg, context, shown)
        if pq is not None:
            return "product_question", pq
        # 10. shopping
        if self._shopping_signal(msg):
            return "search_products", 0.9
        if in_play and self._refinement_signal(msg):
            return "search_products", 0.8
        if msg.frustrated and in_play and (msg.relative_price or msg.clear or msg.color or msg.size or msg.has_price):
            return "search_products", 0.7
        # 11. other things we don't do
        if _any(lex.oos_weak, msg.plain) and (self._is_question(msg) or len(_WORD_RE.findall(text)) >= 4):
            return "out_of_scope", 0.75
        if msg.frustrated:
            return "out_of_scope", 0.5
        # 12. fallback
        return self._fallback(msg, in_play)

    def _greeting_only(self, msg: _Message) -> bool:
        lex = self.lex
        if lex.greeting_re is None:
            return False
        found = lex.greeting_re.search(msg.text) is not None
        rest = lex.greeting_re.sub(" ", msg.text)
        words = [w for w in re.findall(r"[^\W_]+|:\)|:-\)|:d", rest) if w not in lex.greeting_fillers]
        return found and not words

    def _mostly_email(self, msg: _Message) -> bool:
        rest = msg.work.replace(_GONE, " ")
        words = [w for w in _WORD_RE.findall(rest) if w not in self.lex.email_filler]
        return len(words) <= 2

    def _vs_fragments(self, msg: _Message) -> list[str]:
        """'iphone 15 vs galaxy s24' -> ['iphone 15', 'galaxy s24'] when nothing is shown."""
        text = msg.text
        m = re.search(r"(.{1,40}?)\s+(?:vs\.?|versus|or|and|compared to|against)\s+(.{1,40})", text)
        if not m:
            return []
        stop = self.lex.ref_stopwords | self.lex.guess_stopwords | {"compare", "difference", "between", "which", "better"}

        def clean(part: str, tail: bool) -> str:
            words = [w for w in _WORD_RE.findall(part)]
            if tail:
                words = words[::-1]
            out: list[str] = []
            for w in words:
                if w in stop:
                    if out:
                        break
                    continue
                out.append(w)
                if len(out) == 3:
                    break
            if tail:
                out = out[::-1]
            return " ".join(out)

        left, right = clean(m.group(1), True), clean(m.group(2), False)
        return [f for f in (left, right) if f]

    def _shopping_signal(self, msg: _Message) -> bool:
        return bool(
            msg.category_strong
            or msg.brands
            or msg.has_price
            or msg.sort
            or msg.size
            or _any(self.lex.shopping, msg.text)
        )

    def _refinement_signal(self, msg: _Message) -> bool:
        return bool(
            msg.color
            or msg.relative_price
            or msg.clear
            or msg.category
            or msg.size_seen
            or msg.negated_brands
            or msg.negated_colors
            or _any(self.lex.refinement, msg.text)
        )

    def _is_question(self, msg: _Message) -> bool:
        return "?" in msg.raw or bool(self.lex.question_openers_re.search(msg.text))

    def _product_question(self, msg: _Message, context: DialogueContext, shown: bool) -> float | None:
        """Confidence that this is a question about a shown/named product, or None."""
        text = msg.text
        ordinal_or_name = [r for r in self._collect_refs(msg, context, compare=False, vocab_brands=False) if r not in ("it", "all")]
        refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
        question = self._is_question(msg)
        wants_search = bool(
            msg.relative_price or msg.clear or msg.has_price or msg.sort
            or self.lex.rx["more_like"].search(text)
        )
        if wants_search:
            return None
        if shown and ordinal_or_name:
            if question or msg.attribute:
                return 0.9
            # "the second one" / "the Sony one" on its own ("only Sony" is a search filter)
            rest = [w for w in _WORD_RE.findall(msg.work.replace(_GONE, " ")) if w not in self.lex.guess_stopwords and w not in self.lex.query_stopwords]
            pointed = bool(msg.ordinal_refs) or self.lex.rx["pointing"].search(text)
            if len(rest) <= 2 and not msg.category_strong and pointed:
                return 0.8
            return None
        if shown and refs and (question or msg.attribute):
            if msg.category_strong and not msg.attribute and self.lex.rx["availability"].search(text):
                return None
            return 0.85
        # "what sizes are available?" right after products were shown: about the current one
        if shown and question and msg.attribute and msg.attribute != "description" and not refs \
                and not self._shopping_signal(msg) and not self.lex.rx["availability"].search(text):
            return 0.75
        # nothing shown: a question naming a product ("the Sony", a model number)
        if msg.attribute and question:
            named = self._named_product(msg)
            if named:
                return 0.7
            if refs and refs[0] in ("it", "all") and not msg.category_strong:
                return 0.5
        return None

    def _named_product(self, msg: _Message) -> list[str]:
        """'the Sony WH-1000XM5' -> ['sony wh-1000xm5']: a brand after a determiner or
        followed by a model name (up to two words that are not attribute/category words)."""
        out: list[str] = []
        attr = _masked(msg.text, msg.attribute_spans)
        stop = self.lex.guess_stopwords | self.lex.query_stopwords | self.lex.query_connectors | self._category_words
        for start, brand in msg.brands:
            span = next((s for s in msg.spans if s.label == "brand" and s.start == start), None)
            end = span.end if span else start + len(brand)
            before = _WORD_RE.findall(msg.text[:start])
            det = bool(before) and before[-1] in {"the", "this", "that", "your", "my", "a"}
            model: list[str] = []
            pos = end
            for m in _WORD_RE.finditer(attr, end):
                gap = attr[pos : m.start()]
                word = m.group(0)
                if not re.fullmatch(r"[\s-]*", gap) or word in stop or word in self._color_map or len(model) == 2:
                    break
                model.append(word)
                pos = m.end()
            if det or model:
                out.append(" ".join([brand.lower(), *model]))
        return out

    def _fallback(self, msg: _Message, in_play: bool) -> tuple[str, float]:
        words = _WORD_RE.findall(msg.work.replace(_GONE, " "))
        content = [w for w in words if w not in self.lex.query_stopwords and w not in self.lex.query_connectors]
        questiony = self.lex.rx["question_word"].search(msg.text)
        if in_play and len(words) <= 6 and not questiony:
            return "search_products", 0.55
        if (msg.color or msg.size or msg.negated_colors or msg.negated_brands) and len(words) <= 6:
            return "search_products", 0.6
        if content and len(words) <= 5 and not questiony:
            return "search_products", 0.5
        return "out_of_scope", 0.5

    # -- slots ---------------------------------------------------------------------------
    def _slots(self, intent: str, msg: _Message, context: DialogueContext) -> tuple[Slots, list[str], str | None]:
        clear: list[str] = []
        relative: str | None = None
        values: dict[str, Any] = {}
        if intent == "search_products":
            values.update(
                query=self._query(msg),
                category=msg.category,
                brand=msg.brand,
                color=msg.color,
                size=msg.size,
                price_min=msg.price_min,
                price_max=msg.price_max,
                in_stock=msg.in_stock,
                sort=msg.sort,
            )
            clear = list(msg.clear)
            constraints = context.constraints
            for brand in msg.negated_brands:
                if constraints.brand and constraints.brand.lower() == brand.lower() and "brand" not in clear:
                    clear.append("brand")
            for color in msg.negated_colors:
                if constraints.color and constraints.color.lower() == color.lower() and "color" not in clear:
                    clear.append("color")
            clear = [c for c in clear if values.get(c) is None]
            relative = msg.relative_price
            if self.lex.rx["similar_to"].search(msg.text):
                refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
                values["product_refs"] = [r for r in refs if r != "all"]
        elif intent == "product_question":
            refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
            if not refs or refs == ["it"]:
                named = self._named_product(msg) or [b.lower() for _, b in msg.brands]
                if named and not (context.shown_titles or context.shown_brands) or (named and not refs):
                    refs = named
            if not refs and (context.shown_titles or context.shown_brands):
                refs = ["it"]
            # "does it come in blue?" / "is it available in a 10?": the colour or size is
            # what is asked about; in "is the navy one in stock?" the colour names the product
            attribute = msg.attribute
            asked_color = msg.color if msg.color and msg.color.lower() not in refs and self._asked_in(msg, "color") else None
            asked_size = msg.size if msg.size and self._asked_in(msg, "size") else None
            if asked_color and attribute in (None, "stock", "description", "color"):
                attribute = "color"
            elif asked_size and attribute in (None, "stock", "description", "size"):
                attribute = "size"
            if attribute is None:
                attribute = self._guess_attribute(msg)
            values.update(product_refs=refs, attribute=attribute, color=asked_color, size=asked_size)
        elif intent == "compare_products":
            refs = self._collect_refs(msg, context, compare=True, vocab_brands=True)
            if not refs:
                refs = ["all"] if (context.shown_titles or context.shown_brands) else self._vs_fragments(msg)
            if refs in (["it"],) and (context.shown_titles or context.shown_brands):
                refs = ["all"]
            if not [r for r in refs if r not in ("it",)] and (context.shown_titles or context.shown_brands):
                refs = ["all"]
            # bare digits: "compare 1 and 3"
            if refs == ["all"]:
                digits = re.findall(r"(?<![\w$€£.#])([1-9])(?![\w.,%])", msg.work)
                if len(digits) >= 2:
                    refs = list(dict.fromkeys(digits))
            attribute = msg.attribute if msg.attribute not in ("description",) else None
            values.update(product_refs=refs, attribute=attribute)
        elif intent in ("order_status", "return_request"):
            order_id = msg.order_id or context.pending_order_id
            values.update(order_id=order_id, email=msg.emails[0] if msg.emails else None)
            if intent == "return_request":
                refs = [r for r in self._collect_refs(msg, context, compare=False, vocab_brands=False) if r != "all"]
                if refs and (context.shown_titles or context.shown_brands):
                    values["product_refs"] = refs
        elif intent == "policy_question":
            values.update(policy_topic=msg.policy_topic)
        elif intent == "human_agent":
            values.update(order_id=msg.order_id, email=msg.emails[0] if msg.emails else None)
        values = {k: v for k, v in values.items() if v not in (None, [], "")}
        return Slots(**values), clear, relative

    def _asked_in(self, msg: _Message, label: str) -> bool:
        """The colour/size span follows 'in'/'come in'/'available in' (asked about)."""
        for span in msg.spans:
            if span.label == label and span.value is not None:
                before = msg.text[max(0, span.start - 12) : span.start]
                if self.lex.rx["asked_in"].search(before) or (label == "size" and msg.text[span.start : span.end].startswith("in ")):
                    return True
                if label == "size" and msg.text[span.start : span.end].startswith("size"):
                    return True
        return False

    def _query(self, msg: _Message) -> str | None:
        lex = self.lex
        work = msg.work
        lead = lex.greeting_lead_re.match(work)
        if lead and lead.end() > 0:
            work = _GONE * lead.end() + work[lead.end() :]
        if lex.filler_re is not None:
            work = lex.filler_re.sub(lambda m: _GONE * len(m.group(0)), work)
        for pattern in lex.refinement[:1]:
            work = pattern.sub(lambda m: _GONE * len(m.group(0)), work)
        items: list[str | None] = []  # None marks a removed stretch or punctuation
        for m in re.finditer(r"\x00+|[a-z0-9]+(?:['.&+-][a-z0-9]+)*|[^\s\w]", work):
            tok = m.group(0)
            if tok[0] == _GONE or not re.match(r"[a-z0-9]", tok):
                if tok in ("&", "+"):
                    items.append(tok)
                elif items and items[-1] is not None or not items:
                    items.append(None)
                continue
            if tok in lex.query_stopwords:
                continue
            items.append(tok)
        changed = True
        while changed:
            changed = False
            for i, tok in enumerate(items):
                if tok is None or tok not in lex.query_connectors:
                    continue
                nxt = next((t for t in items[i + 1 :] if t != ""), None)
                prev_items = [t for t in items[:i] if t != ""]
                at_start = not any(t is not None for t in prev_items)
                if nxt is None or at_start or nxt in lex.query_connectors:
                    items[i] = ""
                    changed = True
                    break
        words = [t for t in items if t]
        words = [w for w in words if w not in ("&", "+")] if len(words) <= 1 else words
        while words and words[-1] in ("&", "+"):
            words.pop()
        while words and words[0] in ("&", "+"):
            words.pop(0)
        if not words or all(w in lex.query_generic or w in lex.query_connectors for w in words):
            return None
        return " ".join(words)[:200]

    def _guess_attribute(self, msg: _Message) -> str | None:
        """Snake-case guess from the question's content words ('dishwasher safe'); what
        the extractors consumed (references, brands, colours...) is already gone."""
        text = msg.work.replace(_GONE, " ")
        stop = self.lex.guess_stopwords | self.lex.query_stopwords | self._brand_words
        words = [w for w in _WORD_RE.findall(text) if w not in stop]
        if not words or len(words) > 4:
            return None
        return re.sub(r"[^a-z0-9]+", "_", "_".join(words[:3])).strip("_") or None


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


def _title_tokens(title: str) -> set[str]:
    """Words of a product title, plus the parts of hyphenated words ('wh-1000xm5' ->
    'wh', '1000xm5') and the letter+digit tail of model numbers ('xm5')."""
    tokens = set(_WORD_RE.findall(title.lower()))
    for tok in list(tokens):
        parts = re.split(r"[-.&+']", tok)
        if len(parts) > 1:
            tokens.update(p for p in parts if p)
        for part in parts:
            m = re.search(r"\d([a-z]+\d+[a-z]*)$", part)
            if m and len(m.group(1)) >= 3:
                tokens.add(m.group(1))
    return tokens
