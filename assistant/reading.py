"""Reading a shopping message against the shop's catalog and the conversation so far.

What the parser read is settled here before a search runs: the store's own taxonomy and
spellings (``in_catalog``), whether the message starts a new search or refines the one in
force ("do you sell 10mm needles?", "double pointed needles" after yarn), prices relative to
a product on screen ("cheaper than the rowan"), measures stated or compared ("at least 30
litres", "lighter ones"), and messages that are about the product in focus rather than a
search ("what needle size?", "have you a blue one instead?").
"""

from __future__ import annotations

import re

from assistant.answer.attributes import key_words
from assistant.dialogue import Session, constraints_of
from assistant.intent.rules.lexicon import without_filler
from assistant.types import ParsedIntent, Slots
from prompts import render
from retrieval.catalog import Product
from retrieval.measures import comparative, comparatives_in, measuring_keys, without_comparatives, without_measures
from retrieval.search import ProductSearch, category_words, tokenize
from retrieval.types import Constraints, Measure, as_number, same_color

#: a reference to the products on screen ("the sony one" picks one of them)
REFERS = re.compile(r"\b(it|its|they|them|their|this|that|these|those|one|ones|which)\b")


def another_color(text: str, slots: Slots, session: Session) -> str | None:
    """The colour a question about a product asks another product in ("have you a blue one
    instead?", "got any in green?") when what is on screen is not that colour ("the blue
    one" picks a blue product on screen); None otherwise."""
    color = slots.color
    if not color or not session.constraints.query or slots.attribute not in (None, "color"):
        return None
    asked = rf"(?:\b(?:a|an|any|some)\s+{re.escape(color.lower())}\s+ones?\b|\bany\s+in\s+{re.escape(color.lower())}\b)"
    if not re.search(asked, text.lower()) or any(same_color(color, p.color or "") for p in session.focus or session.shown):
        return None
    return color


def focus_attribute(slots: Slots, session: Session) -> str | None:
    """The attribute of the product just asked about that a search's words are the whole
    name of ("what needle size?" -> needle_size_mm), or None."""
    if not session.focus or session.last_intent != "product_question" or not slots.query or slots.brand or slots.category or slots.color:
        return None
    said = set(tokenize(slots.query))
    return next((key for key in session.focus[0].attributes if said and said == set(tokenize(" ".join(key_words(key))))), None)


def in_catalog(text: str, slots: Slots, products: ProductSearch) -> Slots:
    """The parsed search slots resolved against this store's own taxonomy: a category this
    store does not have, or one the shopper did not name and its products do not confirm,
    becomes no filter (the words still rank), and so does a colour where the products
    searched for have none; a brand of this store the shopper named by its name ("anything
    by irwin"), which a parser that never saw it missed, becomes one. A misspelt product
    word is read as the catalog's word it is closest to ("fountian pen")."""
    text = products.spelled(text)
    if slots.query and (query := products.spelled(slots.query)) != slots.query:
        slots = slots.model_copy(update={"query": query})
    if not slots.brand:
        brand = products.named_brand(text)
        if brand:
            slots = slots.model_copy(update={"brand": brand})
    if not slots.category:
        category = products.named_category(text, slots.query or "")
    else:
        category = products.resolve_category(text, slots.query or "", slots.category)
    if category != slots.category:
        slots = slots.model_copy(update={"category": category})
    if slots.color and slots.query and not products.describes_color(slots.query, constraints_of(slots)):
        # "yellow zinc screws": screws have no colour, the word says which screws
        slots = slots.model_copy(update={"color": None, "query": f"{slots.color} {slots.query}"})
    return slots


def unmeasured_comparative(text: str, slots: Slots, session: Session, products: ProductSearch) -> str | None:
    """What to say to a message that is only a comparative ("lighter ones") when none of the
    products on screen lists that measure; None otherwise (it is read as a measure or a search)."""
    asked = comparatives_in(text)
    if not asked or not session.shown or set(tokenize(without_comparatives(slots.query or ""))) & products.vocabulary_terms:
        return None
    word, measured = asked[0]
    if any(measuring_keys(measured, p.attributes) for p in session.shown):
        return None
    return render("comparative_unknown", measure=measured[0], comparative=word)


def measures_in_force(
    text: str, slots: Slots, session: Session, products: ProductSearch, constraints: Constraints, *, fresh: bool
) -> tuple[Slots, tuple[Measure, ...]]:
    """The search slots and the measures in force after this message. A measure it states
    ("at least 30 litres") or a comparative against the products on screen ("lighter ones")
    joins those carried from the same search (a stated one replaces the carried one of its
    attribute); a message that is nothing but a measure keeps the query in force ("longer
    ones, at least 60mm" is still about the screws). A new search starts without them."""
    previous = session.constraints.query
    same_search = not fresh and bool(previous) and (not slots.query or bool(set(tokenize(slots.query)) & set(tokenize(previous or ""))))
    rest = set(tokenize(without_comparatives(without_measures(slots.query or ""))))
    only_measures = bool(previous) and not (rest & products.vocabulary_terms)  # "longer ones, at least 60mm"
    said = products.measure_filters(text, (previous if only_measures else slots.query or previous) or "", constraints)
    if not said and session.shown:
        values: dict[str, list[float]] = {}
        for product in session.shown:
            for key, value in product.attributes.items():
                number = as_number(value)
                if key in products.index.numeric and number is not None:
                    values.setdefault(key, []).append(number)
        said = comparative(text, values)
    if said and only_measures:
        slots, same_search = slots.model_copy(update={"query": previous}), True
    merged = {key: (low, high) for key, low, high in (session.measures if same_search else ())}
    merged.update({key: (low, high) for key, low, high in said})
    return slots, tuple((key, low, high) for key, (low, high) in merged.items())


_PRICED_ONE = re.compile(r"\b(?:the|that|this)\s+[$€£¥]\s*(?P<amount>\d+(?:[.,]\d{1,2})?)\s+(?:one|voucher|card|version|size|option)\b")


def priced_one(text: str, session: Session) -> Product | None:
    """The product on screen a message names by its price ("how is the €100 one
    delivered?"), when exactly one of them costs that; None otherwise."""
    match = _PRICED_ONE.search(text.lower())
    if not match:
        return None
    amount = float(match["amount"].replace(",", "."))
    priced = [p for p in session.shown if abs(p.price - amount) < 0.005]
    return priced[0] if len(priced) == 1 else None


def names_products(text: str, products: ProductSearch) -> str | None:
    """What a request phrased as a question about the shop's range names of its products
    ("do you sell thread as well?" -> "thread"), or None."""
    return products.named_products(without_filler(_RANGE.sub(" ", text.lower()))) if _RANGE.search(text.lower()) else None


def names_a_category(text: str, products: ProductSearch) -> str | None:
    """What a message asks for when all it says, its request phrasing aside, is the name of
    one of the shop's categories ("do you sell gift cards?", "do you do gift vouchers?");
    None otherwise."""
    words = " ".join(re.findall(r"[\w'-]+", without_filler(_RANGE.sub(" ", text.lower()))))
    said = set(tokenize(words))
    category = products.named_category(text, words)
    if not said or category is None:
        return None
    return words if said <= category_words(category) else None


def only_a_brand(text: str, products: ProductSearch) -> str | None:
    """The shop's brand a message names and says nothing else of ("only pilot", "just makita")."""
    brand = products.named_brand(text)
    if brand is None or REFERS.search(text.lower()):
        return None  # "the sony one" picks a product on screen
    said = set(tokenize(without_filler(text)))
    return brand if said and said <= set(tokenize(brand)) else None


_THAN = re.compile(
    r"\b(?P<side>cheaper|less expensive|lower priced|more expensive|dearer|pricier)\s+than\s+(?:the|that|this|those|these)?\s*(?P<ref>[\w' -]+?)(?:\s+ones?)?\s*[?.!]*$"
)


#: the words that point back at the products just looked at as a group
_THEM = frozenset(("those", "these", "them", "they", "both", "ones"))


_RANGE = re.compile(
    r"\b(?:do|does)\s+(?:you|ye|y'all|yall|the shop)\s+(?:sell|stock|carry|have|do|got)\b(?!\s+(?:it|them|one|ones|any|anything|some|something)\b)"
)


def than_shown(text: str, parsed: ParsedIntent, session: Session) -> ParsedIntent:
    """ "anything cheaper than the rowan?": below the price of the product on screen it names
    (of the cheapest of them, for "cheaper"), whatever its brand; the brand named there is
    which product, not a filter."""
    match = _THAN.search(text.lower())
    said = set(tokenize(match["ref"])) if match else set()
    named = [p for p in session.shown if said and said <= set(tokenize(f"{p.brand} {p.title}"))]
    if match and match["ref"].strip() in _THEM:  # "cheaper than those": the ones just looked at
        named = session.focus or session.shown
    if not named:
        return parsed
    slots = parsed.slots
    if match and match["side"] in ("cheaper", "less expensive", "lower priced"):
        slots = slots.model_copy(update={"price_max": round(min(p.price for p in named) - 0.01, 2)})
    else:
        slots = slots.model_copy(update={"price_min": round(max(p.price for p in named) + 0.01, 2)})
    if slots.brand and set(tokenize(slots.brand)) <= said:
        slots = slots.model_copy(update={"brand": None})
    return parsed.model_copy(update={"slots": slots, "relative_price": None})


#: "what else ...", "anything else ...": other than the products talked about
_ELSE = re.compile(r"\b(?:what|anything|something|anyone|whatever)\s+else\b")


def beyond_brand(text: str, parsed: ParsedIntent, session: Session) -> ParsedIntent:
    """ "what else have you got that can sew denim?" after a Singer machine: other products,
    so the brand in force goes, unless the message names one ("anything else by singer?")."""
    if parsed.slots.brand or not session.constraints.brand or not _ELSE.search(text.lower()):
        return parsed
    return parsed.model_copy(update={"clear": [*parsed.clear, "brand"]})


def asks_the_range(text: str, new: Slots, session: Session) -> bool:
    """Whether a message asks whether the shop sells a thing ("do you sell 10mm needles?")
    other than the search in force: a new search, not a refinement of it ("do you have any
    in blue?" and "do you have it in a 10?" still refine)."""
    if not new.query or not session.constraints.query or not _RANGE.search(text.lower()):
        return False
    return not set(tokenize(new.query)) <= set(tokenize(session.constraints.query))


def is_new_search(new: Slots, session: Session, products: ProductSearch) -> bool:
    """A query with no category whose words never occur in the category in force
    ("lawn mowers" after headphones), or whose words together are only said by products of
    other categories ("double pointed needles" after yarn whose labels name a needle size),
    starts over instead of searching that category."""
    current = session.constraints.category
    if new.category or not new.query or not current:
        return False
    if not set(tokenize(new.query)) & products.category_terms(current):
        return True
    holders = products.categories_holding(new.query)
    return bool(holders) and current not in holders
