"""Grounding a model's parse in the message and the catalog before the assistant acts on it.

A language model can write a well-formed parse that says more than the shopper did: a
brand the message never names, a category the catalog does not have, a price when the
message holds no number. ``ground`` keeps only what the message and the catalog support,
and writes references in the canonical form the dialogue state resolves ("the first
one" -> "1", "the last" -> "-1", "that one" -> "it"). Constraints are filters: an
invented one would hide the right products, so dropping it is the safe side.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable

import Stemmer

from assistant.intent.prices import UNIT, counts_an_attribute, in_order, price_direction, price_said, whole_range
from assistant.intent.rules import load_lexicon
from assistant.types import ORDER_INTENTS, SLOT_NAMES, DialogueContext, ParsedIntent, Vocabulary

#: bare numbers a model may write for a position ("two" -> "2"); ordinals come from the lexicon
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}
_PRONOUNS = {"it", "that", "this", "that one", "this one", "that product", "this product"}
_EVERYTHING = {"all", "them", "they", "these", "those", "all of them", "every one", "each"}
#: two products referred to together: the two in focus (just compared), else the first two shown
_BOTH = {"both", "both of them", "these two", "those two", "the two", "two of them"}
_NUMBER_WORD = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand|k"
)
_NUMBER_WORDS = re.compile(rf"\b(?:{_NUMBER_WORD})\b")
_ORDER_ID = re.compile(r"([A-Za-z]{1,4})[\s-]?(\d{3,})")
#: a typed email address (what a message holds where the shopper wrote one)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: the attribute of a request to buy the product asked about ("add the second one to my cart")
CART = "cart"
#: product attributes every product has (answered from the product's own fields), and CART
BUILT_IN_ATTRIBUTES = {"price", "rating", "stock", "description", "brand", "color", "size", "category", CART}
_STEMMER = Stemmer.Stemmer("english")


@functools.cache
def _ordinals() -> dict[str, str]:
    """'first' -> '1', 'last' -> '-1', 'second to last' -> '-2': the rule parser's ordinals."""
    return {**_NUMBERS, **{word: str(value) for word, value in load_lexicon()["ordinals"].items()}}


def _name_key(name: str) -> str:
    """How grounding compares a brand's name: letters and digits, "&" read as "and"."""
    return _alnum_only(re.sub(r"\s*&\s*", " and ", name))


def _alnum_only(text: str) -> str:
    """Letters and digits only, lower case: how grounding compares names ('wh-1000xm5' == 'WH 1000XM5')."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def canonical_ref(ref: str) -> str:
    """'the first one' -> '1', 'number 2' -> '2', 'the last' -> '-1', 'that one' -> 'it', 'these two' -> 'both';
    names stay as written (lower case, without 'the' and 'one')."""
    text = " ".join(ref.lower().replace("_", " ").split())
    text = re.sub(r"^(?:the\s+|number\s*|no\.\s*|#\s*|item\s+|option\s+)", "", text)
    text = re.sub(r"\s+(?:one|ones|pair|item|product)$", "", text).strip()
    if text in _PRONOUNS or ref.strip().lower() in _PRONOUNS:
        return "it"
    if text in _EVERYTHING:
        return "all"
    if text in _BOTH:
        return "both"
    ordinals = _ordinals()
    if text in ordinals:
        return ordinals[text]
    if re.fullmatch(r"-?\d+", text):
        return text
    return text or ref.strip().lower()


#: the slots an intent acts on, where it is not every slot: a number in a policy question ("free
#: delivery if i spend over 50") is no price filter, and a greeting carries nothing
INTENT_SLOTS: dict[str, frozenset[str]] = {
    "policy_question": frozenset({"policy_topic", "product_refs"}),
    "order_status": frozenset({"order_id", "email", "invoice"}),
    "return_request": frozenset({"order_id", "email", "product_refs"}),
    "cancel_order": frozenset({"order_id", "email"}),
    "change_order": frozenset({"order_id", "email", "item", "size", "color", "address"}),
    "human_agent": frozenset({"order_id", "email", "complaint"}),
    "greeting": frozenset(),
    "out_of_scope": frozenset(),
}

#: slots a rule parse may fill in when the model left them empty (queries and references are the model's)
COMPLETABLE = tuple(slot for slot in SLOT_NAMES if slot not in ("query", "product_refs"))


def complete(parsed: ParsedIntent, rules: ParsedIntent) -> ParsedIntent:
    """Fill the slots the model left empty with the rule parser's, when both read the same
    intent. The model is better at what the shopper wants; the rules, at spotting a value
    written in a known way (a catalog brand, "size ten and a half", "best rated", an email
    spelt out); a small model often writes the intent and the query and stops."""
    if parsed.intent != rules.intent:
        return parsed
    ours, theirs = parsed.slots.filled(), rules.slots.filled()
    added = {slot: theirs[slot] for slot in COMPLETABLE if slot in theirs and slot not in ours}
    if "category" in ours and "category" in theirs and ours["category"] != theirs["category"]:
        # a category is a hard filter, and the rules take it from the catalog's own product types:
        # where the two disagreed on the development sets the rules were right 4 times, the model once
        added["category"] = theirs["category"]
    if "price_min" in ours or "price_max" in ours:  # a price range is one reading, not two halves
        added.pop("price_min", None)
        added.pop("price_max", None)
        added.update(whole_range(ours, theirs))
    if not added:
        return parsed
    return parsed.model_copy(update={"slots": parsed.slots.model_copy(update=added)})


def checked_rules(
    rules: ParsedIntent,
    message: str,
    context: DialogueContext,
    vocabulary: Vocabulary,
    canonical_size: Callable[[str], str | None] | None = None,
) -> ParsedIntent:
    """The rule parser's parse under the checks of ``ground``, for when it answers instead of
    the model: an attribute the catalog does not have ("mic") is dropped like the model's."""
    return check(rules, message, context, vocabulary, canonical_size, rules)


def ground(
    parsed: ParsedIntent,
    message: str,
    context: DialogueContext,
    vocabulary: Vocabulary,
    canonical_size: Callable[[str], str | None] | None = None,
    rules: ParsedIntent | None = None,
) -> ParsedIntent:
    """The parse with every slot the message or the catalog does not support removed; given
    the rule parser's parse of the same message, the slots left empty are then filled from
    it (``complete``), under the same checks. ``canonical_size`` (the rule parser's) writes
    a size as the catalog does ("ten" -> "10")."""
    grounded = check(parsed, message, context, vocabulary, canonical_size, rules)
    if rules is None:
        return grounded
    return check(complete(grounded, rules), message, context, vocabulary, canonical_size, rules)


def check(
    parsed: ParsedIntent,
    message: str,
    context: DialogueContext,
    vocabulary: Vocabulary,
    canonical_size: Callable[[str], str | None] | None,
    rules: ParsedIntent | None = None,
) -> ParsedIntent:
    """The checks of ``ground`` on one parse, without the completion from the rules. A price must
    be written as one in the message, or be what the rule parser's parse ``rules`` read (it
    reads prices in words: "under fifty bucks"); a right parse passes them unchanged."""
    slots = parsed.slots.model_dump()
    if parsed.intent in INTENT_SLOTS:
        kept = INTENT_SLOTS[parsed.intent]
        slots = {k: (v if k in kept else ([] if isinstance(v, list) else None)) for k, v in slots.items()}
    rule_prices = {v for v in (rules.slots.price_min, rules.slots.price_max) if v is not None} if rules else set()
    said = message.lower()
    squashed = _alnum_only(message)
    has_number = bool(re.search(r"\d", said) or _NUMBER_WORDS.search(said))

    if slots.get("brand"):
        brands = {_name_key(b): b for b in vocabulary.brands}
        brand = brands.get(_name_key(slots["brand"]))  # "spear and jackson" is Spear & Jackson
        key = _name_key(re.sub(r"^the\s+", "", brand.lower())) if brand else ""
        named = key in _name_key(message) or _near(brand, said) if brand else False
        asked, slots["brand"] = slots["brand"], brand if brand and len(key) >= 2 and named else None
        query = slots.get("query") or ""
        asked_key = _alnum_only(asked)
        if brand is None and parsed.intent == "search_products" and len(asked_key) >= 2 and asked_key in squashed:
            # "do you sell LEGO sets?" in a shop without LEGO: the name stays a search word, for the
            # search to say the shop lacks it, not to show any sets
            slots["query"] = query if asked.lower() in query.lower() else f"{asked} {query}".strip()
    if slots.get("category"):
        categories = {c.lower(): c for c in vocabulary.categories}
        slots["category"] = categories.get(slots["category"].lower())
    if slots.get("color"):
        color = slots["color"].lower()
        known = {c.lower() for c in vocabulary.colors}
        slots["color"] = (
            slots["color"]
            if color in known and any(re.search(rf"\b{re.escape(name)}\b", said) or _near(name, said) for name in _color_names(color))
            else None
        )
    if (
        slots.get("size")
        and (not has_number or parsed.intent == "change_order")  # a change's new size is always one the shopper said
        and _alnum_only(slots["size"]) not in squashed
        and not (rules is not None and rules.slots.size == slots["size"])
        and not _size_said(slots["size"], said)
    ):
        slots["size"] = None  # "extra large" is XL where the rule parser read it so
    if slots.get("size") and canonical_size is not None:
        slots["size"] = canonical_size(slots["size"])
    if rules is not None:
        slots.update(price_direction(slots, rules, said))
    for bound in ("price_min", "price_max"):
        if slots.get(bound) is not None and not (
            price_said(slots[bound], said) or slots[bound] in rule_prices or (rules is None and has_number and not re.search(r"\d", said))
        ):
            slots[bound] = None
        if slots.get(bound) is not None and counts_an_attribute(slots[bound], said, vocabulary.attributes):
            slots[bound] = None  # "over 400 pages": a measure of the products, not a price
    slots.update(in_order(slots))
    known_attributes = set(vocabulary.attributes) | BUILT_IN_ATTRIBUTES
    if slots.get("attribute"):
        slots["attribute"] = _known_attribute(slots["attribute"], known_attributes)
    if slots.get("policy_topic") and slots["policy_topic"] not in vocabulary.policy_topics:
        slots["policy_topic"] = None
    if slots.get("product_refs"):
        refs: list[str] = []
        for ref in slots["product_refs"]:
            value = canonical_ref(ref)
            if value not in refs:
                refs.append(value)
        slots["product_refs"] = refs
    if slots.get("order_id") and not re.search(r"\d", slots["order_id"]):
        slots["order_id"] = None  # "the stand mixer": an order id has digits
    if slots.get("order_id") and _an_amount(slots["order_id"], message):
        slots["order_id"] = None  # "how is the €100 one delivered?": a price, not an order
    if slots.get("order_id"):
        # "ab100002", "ab 100002" -> "AB-100002", the form order books write
        match = _ORDER_ID.fullmatch(slots["order_id"].strip())
        if match:
            slots["order_id"] = f"{match.group(1).upper()}-{match.group(2)}"
    emails = EMAIL.findall(message)
    if len(emails) == 1 and (slots.get("email") or parsed.intent in ORDER_INTENTS):
        # typed: take it exactly as written, never a near copy
        slots["email"] = emails[0].lower()
    elif slots.get("email") and not EMAIL.fullmatch(slots["email"]):
        # "liam bennett@example.com": speech recognition dropped the "dot" between two names
        local, at, domain = slots["email"].strip().partition("@")
        joined = f"{'.'.join(local.split())}@{domain}" if at and len(local.split()) > 1 else ""
        slots["email"] = joined.lower() if EMAIL.fullmatch(joined) and all(w in said for w in local.lower().split()) else None
    if slots.get("order_id") and EMAIL.search(slots["order_id"]):
        slots["order_id"] = slots["order_id"].split()[0]  # "AB-100021 sam.lee@example.com"
    for slot in ("item", "address"):  # the shopper's own words, never a model's paraphrase
        if slots.get(slot) and not set(re.findall(r"[a-z0-9]+", slots[slot].lower())) <= set(re.findall(r"[a-z0-9]+", said)):
            slots[slot] = None
    if slots.get("product_refs") and slots.get("attribute"):
        slots["product_refs"] = [_without_attribute(ref, slots["attribute"]) for ref in slots["product_refs"]]
    if slots.get("product_refs") and context.shown_titles:
        slots["product_refs"] = [
            _trim_to_shown(_snap_to_shown(ref, context.shown_titles), context.shown_titles) for ref in slots["product_refs"]
        ]
    if slots.get("sort") and (rules is None or rules.slots.sort is None) and not _sort_said(said):
        slots["sort"] = None  # "a gift for my mom" is no "most expensive first"
    if parsed.intent in ("product_question", "compare_products"):
        slots["attribute"] = _attribute_asked(slots, said, context, rules, known_attributes)
    if slots.get("query") and parsed.intent == "search_products":
        slots["query"] = _query_said(slots["query"], said, rules, vocabulary.terms)
    grounded = parsed.model_copy(update={"slots": parsed.slots.model_validate(slots)})
    return _query_with_content(_query_without_stock(_query_without_price(_query_without_color(_query_without_brand(grounded)))))


#: words of the lexicon's sort phrases that say nothing of an order on their own
_NOT_SORT_WORDS = frozenset(
    "the a an to of on by for in it one ones first not too nothing very than so with that sort sorted order "
    "most least more less something anything what is good great well friendly end line options".split()
)
_SORT_WORDS = frozenset("price priced prices expensive pricey rate rating ratings review reviews stars bank wallet splurge".split())


@functools.cache
def _sort_stems() -> frozenset[str]:
    """Stems of the words that ask for an order: the lexicon's sort phrases' words ("cheapest",
    "budget", "premium", "rated", "popular"...) and a few more."""
    lex = load_lexicon()
    phrases = [str(p) for group in lex["sort_phrases"].values() for p in group]
    words = ({w for p in phrases for w in re.findall(r"[a-z]+", p.lower())} - _NOT_SORT_WORDS) | _SORT_WORDS
    return frozenset(_STEMMER.stemWords(sorted(words)))


def _sort_said(said: str) -> bool:
    """Whether a word of the message asks for an order, typos allowed ("chepaest", "poular")."""
    stems = _STEMMER.stemWords(re.findall(r"[a-z]+", said))
    cues = _sort_stems()
    return any(s in cues or (len(s) >= 5 and difflib.get_close_matches(s, cues, n=1, cutoff=0.75)) for s in stems)


def _near(name: str, said: str, cutoff: float = 0.8) -> bool:
    """Whether the message holds ``name`` with a typo ("samsointe" for Samsonite, "grreen"
    for green): as many words as the name, close in spelling; names under 5 letters must be exact."""
    key = _alnum_only(name)
    if len(key) < 5:
        return False
    words = re.findall(r"[a-z0-9&']+", said)
    width = max(1, len(name.split()))
    spans = {
        "".join(_alnum_only(w) for w in words[i : i + k]) for k in {width - 1, width, width + 1} if k > 0 for i in range(len(words) - k + 1)
    }
    return any(difflib.SequenceMatcher(None, key, span).ratio() >= cutoff for span in spans if abs(len(span) - len(key)) <= 2)


def _an_amount(order_id: str, message: str) -> bool:
    """Whether an order id is money the message states: a currency sign before it ("€100",
    "£ 50") or in it."""
    value = order_id.strip()
    return bool(re.search(r"[$€£¥]", value) or re.search(rf"[$€£¥]\s*{re.escape(value)}(?![\w-])", message))


@functools.cache
def _color_names(color: str) -> tuple[str, ...]:
    """'grey' -> ('grey', 'gray', 'graphite', ...): the words the lexicon reads as that colour."""
    synonyms = load_lexicon().get("color_synonyms", {}).get(color, [])
    return tuple(dict.fromkeys([color, *(str(s).lower() for s in synonyms)]))


def _size_said(size: str, said: str) -> bool:
    """Whether the message says a letter size in words ("extra large" for XL)."""
    return any(
        str(value).lower() == size.lower() and re.search(rf"(?<![a-z]){re.escape(str(phrase))}(?![a-z])", said)
        for phrase, value in load_lexicon()["size_words"].items()
    )


def _known_attribute(attribute: str, known: set[str]) -> str | None:
    """The attribute if the catalog has it; a phrase of a lexicon group ("reviews", "battery")
    becomes the group's key the catalog has ("rating", "battery_life_hours"); else None."""
    if attribute in known:
        return attribute
    spoken = attribute.replace("_", " ").lower()
    for group in load_lexicon()["attributes"]:
        if spoken in (str(p).lower() for p in group["phrases"]) or attribute in group["keys"]:
            for key in group["keys"]:
                if key in known:
                    return key
    return None


def _attribute_said(attribute: str, said: str) -> bool:
    said = said.replace("colour", "color")
    return any(re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", said) for p in _attribute_phrases(attribute))


@functools.cache
def _question_words() -> frozenset[str]:
    lex = load_lexicon()
    words = {str(w) for w in lex["attribute_guess_stopwords"] + list(lex["ordinals"])}
    return frozenset(words | set(_NUMBERS) | {"u", "ur", "r", "ya", "guys", "about", "what", "whats", "hows", "like"})


def _attribute_asked(slots: dict, said: str, context: DialogueContext, rules: ParsedIntent | None, known: set[str]) -> str | None:
    """The attribute a question asks about, as far as its words show it. A model's attribute
    that no word of the message names gives way to the rule parser's where one does ("any
    good" is the rating), to "size" or "color" where the question holds one ("does the first
    come in a 12"), and is dropped where the message says nothing but which product ("what
    about the second one", "the bose one": the question is open)."""
    attribute = slots.get("attribute")
    if not attribute or _attribute_said(attribute, said) or len(_attribute_phrases(attribute)) == 1:
        return attribute  # said, or a catalog key with no lexicon phrases ("gender"): the model's reading stands
    if slots.get("size"):
        return "size"
    if slots.get("color"):
        return "color"
    theirs = rules.slots.attribute if rules is not None else None
    if theirs and theirs != attribute and theirs in known and _attribute_said(theirs, said):
        return theirs
    names = {w for ref in slots.get("product_refs") or [] for w in re.findall(r"[a-z0-9]+", ref.lower())}
    names |= {w for b in context.shown_brands for w in re.findall(r"[a-z0-9]+", b.lower())}
    rest = [w for w in re.findall(r"[a-z0-9']+", said) if w.strip("'") not in _question_words() and w not in names]
    return attribute if rest else None


def _snap_to_shown(ref: str, titles: tuple[str, ...]) -> str:
    """ "trailhhawks" -> "trailhawk": a name's words that no product on screen has are put
    back to the closest word of the titles when one is close in spelling."""
    if re.fullmatch(r"-?\d+|it|all", ref):
        return ref
    title_words = sorted({w for t in titles for w in re.findall(r"[a-z0-9]+", t.lower()) if len(w) >= 4})
    out = []
    for word in ref.split():
        if len(word) >= 5 and not any(word in t.lower() for t in titles):
            close = difflib.get_close_matches(word, title_words, n=1, cutoff=0.8)
            word = close[0] if close else word
        out.append(word)
    return " ".join(out)


def _query_said(query: str, said: str, rules: ParsedIntent | None, terms: frozenset[str] = frozenset()) -> str | None:
    """The query, if the shopper said it: each word in the message, or close to one of its
    words ("headphnes" read as "headphones"). A query with words the message does not hold
    ("do-waterproof" for "do you sell dutch ovens") is the model's invention: the rule
    parser's query stands in for it where that one is said, else the words said are kept."""
    words = re.findall(r"[a-z0-9]+", said)
    stems = set(_STEMMER.stemWords(words))
    squashed = _alnum_only(said)

    def is_said(word: str) -> bool:
        return (
            len(word) < 2
            or word in words
            or _STEMMER.stemWord(word) in stems
            or (len(word) >= 3 and word in squashed)
            or word.isdigit()
            or bool(difflib.get_close_matches(word, words, n=1, cutoff=0.75))
        )

    ours = re.findall(r"[a-z0-9]+", query.lower())
    if all(is_said(w) for w in ours):
        return re.sub(r"[A-Za-z0-9]+", lambda m: _spelt(m.group(0), words, terms), query)
    theirs = rules.slots.query if rules is not None and rules.intent == "search_products" else None
    if theirs and all(is_said(w) for w in re.findall(r"[a-z0-9]+", theirs.lower())):
        return theirs
    kept = " ".join(w for w in query.lower().split() if all(is_said(p) for p in re.findall(r"[a-z0-9]+", w)))
    return kept or None


@functools.cache
def _wordpieces():
    """The sentence encoder's WordPiece tokenizer: a word it knows whole, or in fewer pieces,
    is the better-known spelling ("televisions" 2 pieces, "tlevisions" 4)."""
    from tokenizers import Tokenizer

    from retrieval.embeddings import default_model_dir

    tokenizer = Tokenizer.from_file(str(default_model_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _pieces(word: str) -> int:
    return len(_wordpieces().encode(word, add_special_tokens=False).tokens)


def _spelt(word: str, said: list[str], terms: frozenset[str]) -> str:
    """A query word the message holds only with another spelling: the one the catalog's
    product words hold when only one of them is there, else the better-known of the two (fewer
    WordPiece pieces), the shopper's on a tie. A model repairs a typo ("dumbels" ->
    "dumbbells") but may also make one ("televisions" -> "tlevisions")."""
    lower = word.lower()
    if lower in said or lower.isdigit() or len(lower) < 4:
        return word
    close = difflib.get_close_matches(lower, said, n=1, cutoff=0.75)
    if not close or close[0] == lower:
        return word
    theirs = close[0]
    if (lower in terms) != (theirs in terms):
        return word if lower in terms else theirs
    return theirs if _pieces(theirs) <= _pieces(lower) else word


@functools.cache
def _attribute_phrases(attribute: str) -> tuple[str, ...]:
    """The words a shopper says for an attribute: its key ("dishwasher_safe" -> "dishwasher safe")
    and the lexicon's phrases of its group, longest first."""
    phrases = {attribute.replace("_", " ")}
    for group in load_lexicon()["attributes"]:
        if attribute in group["keys"]:
            phrases.update(str(p).lower() for p in group["phrases"])
    return tuple(sorted(phrases, key=len, reverse=True))


def _without_attribute(ref: str, attribute: str) -> str:
    """ "kitchenaid artisan mixer dishwasher safe" asked about dishwasher_safe -> "kitchenaid
    artisan mixer": the words of the question are not part of the product's name."""
    for phrase in _attribute_phrases(attribute):
        if ref.endswith(" " + phrase):
            return ref[: -len(phrase)].strip()
    return ref


def _trim_to_shown(ref: str, titles: tuple[str, ...]) -> str:
    """ "trailhawk waterproof" -> "trailhawk", "adidas run" -> "adidas": a name that runs on
    into the rest of the question is cut back to the words that appear, in order, in a
    product on screen (left as it is when not even its first word does)."""
    words = ref.split()
    lowered = [t.lower() for t in titles]
    if len(words) < 2 or not any(words[0] in t for t in lowered):
        return ref
    while len(words) > 1 and not any(" ".join(words) in t for t in lowered):
        words.pop()
    return " ".join(words)


@functools.cache
def _empty_query_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that say nothing about a product, category words that name no product)."""
    lex = load_lexicon()
    filler = {str(w) for w in lex["query_stopwords"] + lex["query_generic_words"]} | {"for", "of", "in", "with", "from", "at"}
    return frozenset(filler), frozenset(str(w) for w in lex["weak_category_words"])


_PRICE_IN_QUERY = re.compile(
    r"\s*\b(?:between|from|under|over|below|above|less than|more than|up to|at most|at least|around|about|max)\s+"
    rf"(?:[$€£]?\d+|a hundred|a thousand|{_NUMBER_WORD})\b(?!{UNIT}).*$"
)


def _query_without_price(parsed: ParsedIntent) -> ParsedIntent:
    """ "espresso machine between two hundred and four hundred" with prices read -> "espresso
    machine": the price is a filter, not words to search for."""
    query, slots = parsed.slots.query, parsed.slots
    if not query or (slots.price_min is None and slots.price_max is None):
        return parsed
    stripped = _PRICE_IN_QUERY.sub("", query).strip()
    if stripped == query.strip():
        return parsed
    return parsed.model_copy(update={"slots": slots.model_copy(update={"query": stripped or None})})


def _query_with_content(parsed: ParsedIntent) -> ParsedIntent:
    """ "stuff for my kitchen" with category kitchen, "sets" with brand LEGO, "beauty" in beauty:
    a query that says no more than the category or brand filter beside it is dropped, so the
    search browses the filter instead of ranking by the words "stuff" or "beauty"."""
    query, slots = parsed.slots.query, parsed.slots
    if not query or not (slots.category or slots.brand):
        return parsed
    filler, weak = _empty_query_words()
    words = [w for w in re.findall(r"[a-z0-9']+", query.lower()) if w not in filler]
    category_words = set(re.findall(r"[a-z]+", (slots.category or "").lower()))
    if all(w in weak and (w in category_words or w.rstrip("s") in category_words or f"{w}s" in category_words) for w in words):
        return parsed.model_copy(update={"slots": slots.model_copy(update={"query": None})})
    return parsed


def _query_without_color(parsed: ParsedIntent) -> ParsedIntent:
    """ "stand mixer red", "mug in red" with colour red -> "stand mixer", "mug": a colour at the
    end of the query is the filter said again (one before the noun, "red wine glasses", stays);
    a query that is only the colour ("in navy") is no query."""
    query, color = parsed.slots.query, parsed.slots.color
    if not query or not color:
        return parsed
    if re.sub(r"^(?:in|the|a)\s+", "", query.lower().strip()) in _color_names(color.lower()):
        # "in navy": the colour is all the words say; the search in force keeps its own
        return parsed.model_copy(update={"slots": parsed.slots.model_copy(update={"query": None})})
    for name in sorted(_color_names(color.lower()), key=len, reverse=True):
        stripped = re.sub(rf"\s+(?:in\s+)?{re.escape(name)}$", "", query.lower()).strip()
        if stripped != query.lower() and stripped:
            return parsed.model_copy(update={"slots": parsed.slots.model_copy(update={"query": stripped})})
    return parsed


def _query_without_stock(parsed: ParsedIntent) -> ParsedIntent:
    """ "in stock only" with in_stock -> no query: the stock words are the filter said, and
    left as the query they would replace the search in force with one for "stock"."""
    query = parsed.slots.query
    if not query or not parsed.slots.in_stock:
        return parsed
    stripped = query.lower()
    for phrase in _attribute_phrases("stock"):
        stripped = re.sub(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", " ", stripped)
    stripped = " ".join(w for w in stripped.split() if w not in ("in", "only", "now"))
    if stripped == query.lower():
        return parsed
    return parsed.model_copy(update={"slots": parsed.slots.model_copy(update={"query": stripped or None})})


def _query_without_brand(parsed: ParsedIntent) -> ParsedIntent:
    """ "hydro flask bottles" with brand Hydro Flask -> "bottles": the brand is a filter of its
    own, and left in the query it would also rank by the brand's name (as the rules do)."""
    query, brand = parsed.slots.query, parsed.slots.brand
    if not query or not brand:
        return parsed
    names = {brand.lower(), re.sub(r"^the\s+", "", brand.lower()), brand.lower().replace("'", "")}
    for name in sorted(names, key=len, reverse=True):
        stripped = " ".join(re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?:'?s)?(?![a-z0-9])", " ", query.lower()).split())
        if stripped != query.lower():
            return parsed.model_copy(update={"slots": parsed.slots.model_copy(update={"query": stripped or None})})
    return parsed
