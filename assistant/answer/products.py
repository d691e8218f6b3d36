"""Answer composition: turn retrieved facts into a ``Reply``.

Every product, price and policy sentence in a reply comes from the catalog or the
policy documents; the wording comes from ``prompts/answers.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.attributes import LESS, UNIT_TEXT, extreme, resolve_attribute, says_attribute
from assistant.types import CartItem, ComparisonTable, Reply, Slots
from prompts import render
from retrieval.catalog import Product
from retrieval.measures import keys_said
from retrieval.search import brand_word, tokenize
from retrieval.types import Measure, PolicyHit, SearchResult, as_number, measured
from retrieval.words import FUNCTION_WORDS

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
STANDARD_FIELDS = {"price", "rating", "stock", "size", "color", "description", "brand", "category", "title"}


def format_price(amount: float, currency: str) -> str:
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{amount:,.2f}" if sign else f"{amount:,.2f} {currency}"


def _unit(key: str) -> str | None:
    """The unit suffix of an attribute key ("max_torque_nm" -> "nm"), if it has one."""
    head, _, last = key.rpartition("_")
    return last if head and last in UNIT_TEXT else None


def _label(key: str) -> str:
    """Human label of an attribute key: "battery_life_hours" -> "battery life"."""
    unit = _unit(key)
    if unit:
        key = key[: -len(unit) - 1]
    return key.replace("_", " ")


def format_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    unit = _unit(key)
    if unit:
        return f"{value}{UNIT_TEXT[unit]}"
    if key == "wattage":
        return f"{value} W"
    if key == "age_min":
        return f"{value}+ years"
    return str(value)


def describe_search(slots: Slots, currency: str) -> str:
    """'waterproof running shoes in black, size 10, under $80' from the slots in force
    (amounts in the shop's ``currency``)."""
    noun = slots.query or slots.category or "products"
    if slots.brand and slots.brand.lower() not in noun.lower() and brand_word(slots.brand) not in noun.lower():
        noun = f"{slots.brand} {noun}"  # not when the query says it ("leuchtturm" for Leuchtturm1917)
    parts = [noun]
    if slots.color and slots.color.lower() not in noun.lower():
        parts.append(f"in {slots.color}")
    if slots.size:
        parts.append(f"in size {slots.size}")
    if slots.price_min is not None and slots.price_max is not None:
        parts.append(f"between {format_price(slots.price_min, currency)} and {format_price(slots.price_max, currency)}")
    elif slots.price_max is not None:
        parts.append(f"at or under {format_price(slots.price_max, currency)}")
    elif slots.price_min is not None:
        parts.append(f"at or over {format_price(slots.price_min, currency)}")
    if slots.in_stock:
        parts.append("in stock")
    if slots.category and slots.query and slots.category not in slots.query and not slots.category.startswith(slots.query.split()[-1][:4]):
        parts.append(f"in {slots.category}")
    return " ".join(parts)


def fit_reason(product: Product, slots: Slots, features: Sequence[tuple[str, str]] = (), measures: Sequence[Measure] = ()) -> str:
    """Why this product is shown, in the shopper's terms and a few words: the constraints of
    the request it meets ("waterproof, in black, size 10, within budget"), else its rating;
    "out of stock" when it is. ``features``: the request's attribute constraints (key, value);
    ``measures``: its measures, each said with the product's own figure ("capacity 40 L")."""
    # a coded value is said with its key and as the product writes it ("nib size M", not "m")
    reasons = [
        _label(key) if value == "true" else f"{_label(key)} {product.attributes.get(key, value)}" if len(value) <= 2 else value
        for key, value in features
    ]
    for key, _, _ in measures:
        value = product.attributes.get(key)
        if as_number(value) is not None:  # the product's own figure, as written ("40 L", "42.5 L")
            reasons.append(f"{_label(key)} {format_value(key, value)}")
    if slots.brand and product.brand and product.brand.lower() not in product.title.lower():
        reasons.append(f"by {product.brand}")
    if slots.color and product.color:
        reasons.append(f"in {product.color}")
    if slots.size:
        reasons.append(f"size {slots.size}")
    if slots.price_max is not None or slots.price_min is not None:
        reasons.append("within budget")
    if not reasons and product.rating is not None:
        reasons.append(f"rated {product.rating:.1f}/5")
    if not product.in_stock:
        reasons.append("out of stock")
    return ", ".join(dict.fromkeys(reasons))


def product_lines(products: Sequence[Product], reasons: dict[str, str]) -> list[str]:
    """The numbered list a text-only channel shows (a channel with cards shows the cards)."""
    return [
        render("search_line", index=i, title=p.title, price=format_price(p.price, p.currency), reasons=reasons.get(p.id, ""))
        for i, p in enumerate(products, start=1)
    ]


def _reasons(
    products: Sequence[Product], slots: Slots, features: Sequence[tuple[str, str]] = (), measures: Sequence[Measure] = ()
) -> dict[str, str]:
    return {p.id: fit_reason(p, slots, features, measures) for p in products}


def measure_text(measures: Sequence[Measure]) -> str:
    """ "capacity at least 30 L and weight at most 1.2 kg" for the measures in force."""
    parts = []
    for key, low, high in measures:
        bounds = []
        if low is not None:  # a bound just past a product's value ("heavier ones") reads as "over" it
            bounds.append(f"at least {_amount(key, low)}" if round(low, 2) == low else f"over {_amount(key, round(low, 2))}")
        if high is not None:
            bounds.append(f"at most {_amount(key, high)}" if round(high, 2) == high else f"under {_amount(key, round(high, 2))}")
        parts.append(f"{_label(key)} {' and '.join(bounds)}")
    return " and ".join(parts)


def _amount(key: str, value: float) -> str:
    return format_value(key, int(value) if float(value).is_integer() else value)


def search_reply(result: SearchResult, slots: Slots, categories: list[str], currency: str, unchecked: Sequence[str] = ()) -> Reply:
    """The reply to a search; ``currency`` is the shop's, for the amounts the shopper gave;
    ``unchecked``: what the shopper gave a bound on that the products do not list ("weight")."""
    description = describe_search(slots, currency)
    measures = result.request.constraints.measures or ()
    in_query = keys_said(slots.query or "", [m[0] for m in measures])  # "backpack of at least 30 litres" says it already
    unsaid = [m for m in measures if m[0] not in in_query]
    if unsaid:
        description = f"{description} with {measure_text(unsaid)}"
    if not result.carried:
        text = render("not_carried", query=slots.query or "that", categories=", ".join(categories))
        return Reply(
            intent="search_products",
            slots=slots,
            text=text,
            failed=True,
            suggestions=tuple(f"Show me {c}" for c in categories[:3]),
            unmet="not_carried",
        )
    if not result.hits:
        lines = [render("no_match", description=description)]
        alternatives: tuple[Product, ...] = ()
        if result.alternatives and result.alternatives.hits:
            alternatives = tuple(h.product for h in result.alternatives.hits)
            dropped = result.alternatives.dropped
            if "price_max" in dropped and slots.price_max is not None:
                first = alternatives[0]
                lines.append(
                    render(
                        "alternatives_price_max",
                        limit=format_price(slots.price_max, currency),
                        cheapest=f"{first.title} at {format_price(first.price, first.currency)}",
                    )
                )
            elif "price_min" in dropped and slots.price_min is not None:
                first = alternatives[0]
                lines.append(
                    render(
                        "alternatives_price_min",
                        limit=format_price(slots.price_min, currency),
                        dearest=f"{first.title} at {format_price(first.price, first.currency)}",
                    )
                )
            elif dropped == ("measures",):
                unmet = [m for m in measures if not all(measured(p, *m) for p in alternatives)]
                lines.append(render("alternatives_measures", measures=measure_text(unmet or measures)))
            elif dropped == ("attributes",):
                features = result.request.constraints.attributes or ()
                said = " and ".join(_label(key) if value == "true" else value for key, value in features)
                lines.append(render("alternatives_attributes", features=said))
            else:
                lines.append(render("alternatives_other", dropped=" and ".join(_label(d) for d in dropped)))
        reasons = _reasons(alternatives, Slots(), measures=measures)  # how far each is from the measure asked
        return Reply(
            intent="search_products",
            slots=slots,
            text="\n".join([*lines, *product_lines(alternatives, reasons)]),
            lead="\n".join(lines),
            alternatives=alternatives,
            reasons=reasons,
            failed=not alternatives,
            suggestions=("Any brand is fine", "Show me everything in this category"),
            unmet="no_match",
        )
    products = tuple(h.product for h in result.hits)
    features = result.request.constraints.attributes or ()
    if not result.close:  # nothing holds the words or is close in meaning: the shop's closest, said so
        head = render("closest", description=description)
        reasons = _reasons(products, slots, features, measures)
        return Reply(
            intent="search_products",
            slots=slots,
            text="\n".join([head, *product_lines(products, reasons)]),
            lead=head,
            alternatives=products,
            reasons=reasons,
            suggestions=("Show me everything",),
            unmet="not_carried",  # nothing close to it in the shop: its closest things are offered instead
        )
    # "Here are 3 waterproof running shoes" only when each of them says every word of that;
    # otherwise the words are what was searched for, not a claim about each product
    words = set(tokenize(slots.query or ""))
    claimed = all(words <= set(tokenize(p.search_text())) for p in products)
    template = "search_results" if claimed else "search_results_for"
    head = render(template, count=len(products), total=result.total_matching, description=description, products=products)
    if unchecked:  # "under 1.5kg" where no backpack lists its weight: shown, but not claimed
        head = f"{head}\n{render('measure_unchecked', measures=' or '.join(unchecked))}"
    reasons = _reasons(products, slots, features, measures)
    text = "\n".join([head, *product_lines(products, reasons)])
    suggestions = ["Cheaper"]
    if len(products) >= 2:
        suggestions.append("Compare the first two")
    suggestions.append("Tell me more about the first one")
    return Reply(
        intent="search_products", slots=slots, text=text, lead=head, products=products, reasons=reasons, suggestions=tuple(suggestions)
    )


def product_fact(product: Product, attribute: str | None) -> str | None:
    """One sentence answering ``attribute`` from the product's own fields, or None if absent."""
    key = (attribute or "description").lower()
    price = format_price(product.price, product.currency)
    if key == "price":
        return f"it costs {price}."
    if key == "rating":
        if product.rating is None:
            return None
        return f"rated {product.rating:.1f} out of 5 from {product.review_count} reviews."
    if key == "stock":
        return f"in stock ({product.stock} available)." if product.in_stock else "currently out of stock."
    if key == "size":
        sizes = product.sizes()
        return f"available in sizes {', '.join(sizes)}." if sizes else None
    if key == "color":
        return f"the colour is {product.color}." if product.color else None
    if key == "brand":
        return f"made by {product.brand}." if product.brand else None
    if key in ("description", "title"):
        facts = key_facts(product)
        return " ".join(part for part in (product.description.strip(), f"{price}.", facts) if part)
    if key in product.attributes:
        value = product.attributes[key]
        if isinstance(value, bool):
            return (
                f"{'yes' if value else 'no'}, it is {'' if value else 'not '}{_label(key)}."
                if key not in ("wireless",)
                else ("yes, it is wireless." if value else "no, it is not wireless.")
            )
        return f"{_label(key)} is {format_value(key, value)}."
    # a tag or a word of the description can answer yes/no questions such as "waterproof"
    words = _label(key)
    if words in product.tags:
        return f'yes, it is tagged "{words}".'
    return None


#: the most attributes a product's description answer names
KEY_FACTS = 4


def key_facts(product: Product, limit: int = KEY_FACTS) -> str:
    """A sentence of the product's attributes that its description does not already say:
    "Waterproof; weight 280 g; drop 8 mm." (yes/no attributes by name, the rest as label and value)."""
    said = set(tokenize(product.description))
    facts: list[str] = []
    for key, value in product.attributes.items():
        if value is False or value in (None, "", []):
            continue
        label = _label(key)
        text = label if value is True else f"{label} {format_value(key, value)}"
        if set(tokenize(text)) <= said:
            continue
        facts.append(text)
        if len(facts) == limit:
            break
    if not facts:
        return ""
    sentence = "; ".join(facts)
    return sentence[0].upper() + sentence[1:] + "."


def product_question_reply(
    products: list[Product], attribute: str | None, slots: Slots, question: str = "", catalog_keys: Sequence[str] = ()
) -> Reply:
    """Answer ``attribute`` for ``products`` from their own fields; when the parser's
    attribute is none of theirs, the one of their keys that ``question`` names answers."""
    if question:
        named = resolve_attribute(question, products, catalog_keys)
        unanswered = attribute is None or all(product_fact(p, attribute) is None for p in products)
        if named and (unanswered or not says_attribute(question, attribute or "")):
            attribute = named  # "how many are in the pack?" is the pack size, not the stock
            slots = slots.model_copy(update={"attribute": attribute})
    lines = []
    answered = False
    for product in products:
        fact = product_fact(product, attribute)
        if fact is None:
            lines.append(render("product_unknown", title=product.title, attribute=_label(attribute or "that")))
        else:
            answered = True
            lines.append(render("product_fact", title=product.title, fact=fact[0].upper() + fact[1:]))
    return Reply(
        intent="product_question",
        slots=slots,
        text="\n".join(lines),
        products=tuple(products),
        failed=not answered,
        suggestions=("Compare the first two", "What's the return policy?"),
    )


#: the most of one product a chat message adds to the cart; a larger count is answered, not added
MAX_CART_QUANTITY = 99


def cart_reply(products: list[Product], slots: Slots, quantity: int = 1) -> Reply:
    """ "Add two of the second one to my cart": each product named, in stock ones added,
    ``quantity`` of each (``Reply.cart``, which the channel passes to the shop's page with its
    card's Add to cart action below), out-of-stock ones said to be so. A count over
    ``MAX_CART_QUANTITY`` adds nothing and says so (a typo of 150 for 15 costs no one)."""
    if quantity > MAX_CART_QUANTITY:
        return Reply(
            intent="product_question",
            slots=slots,
            text=render("cart_too_many", quantity=quantity, most=MAX_CART_QUANTITY),
            products=tuple(products),
        )
    lines = [
        render("cart_add", title=p.title, price=format_price(p.price, p.currency), quantity=quantity)
        if p.in_stock
        else render("cart_out_of_stock", title=p.title)
        for p in products
    ]
    items = tuple(CartItem(product_id=p.id, quantity=quantity) for p in products if p.in_stock)
    return Reply(
        intent="product_question",
        slots=slots,
        text="\n".join(lines),
        products=tuple(products),
        cart=items,
        failed=not items,
        suggestions=("What's the return policy?", "How long does delivery take?"),
    )


#: the most words of a title a comparison column is headed with
SHORT_NAME_WORDS = 4
#: words of a title that only separate its parts ("... Shoes - Black")
SEPARATORS = frozenset({"-", "–", "|"})


def short_names(products: Sequence[Product]) -> tuple[str, ...]:
    """Column heads that tell the products apart: each title's first word (usually the brand)
        and the words that not every title has, at most ``SHORT_NAME_WORDS``; the whole title when
        that says nothing more ("Trailhawk Men's StormRunner ... - Blue" / "... - Black" are
    "Trailhawk Blue" / "Trailhawk Black")."""
    split = [re.findall(r"[^\s,/()]+", p.title) for p in products]
    common = set.intersection(*({w.lower() for w in words} for words in split)) if split else set()
    names = []
    for words, product in zip(split, products, strict=True):
        own = [w for w in words[1:] if w.lower() not in common and w not in SEPARATORS]
        if len(words) <= SHORT_NAME_WORDS or not own:  # a short title is its own name ("Franklin in the Dark")
            name = product.title
        else:
            name = " ".join([*words[:1], *own][:SHORT_NAME_WORDS])
        names.append(name)
    return tuple(names) if len(set(names)) == len(names) else tuple(p.title for p in products)


def comparison_table(products: list[Product], asked: str | None = None, question: str = "") -> ComparisonTable:
    """The table of ``products``: the rows where they differ, the shared features once, and
    the best column of price, rating and the attribute ``asked`` about."""
    rows: list[tuple[str, tuple[str, ...]]] = [
        ("Price", tuple(format_price(p.price, p.currency) for p in products)),
        ("Brand", tuple(p.brand or "-" for p in products)),
        ("Rating", tuple(f"{p.rating:.1f}/5 ({p.review_count})" if p.rating is not None else "-" for p in products)),
        ("Stock", tuple("in stock" if p.in_stock else "out of stock" for p in products)),
    ]
    keys: list[str] = []
    for p in products:
        keys.extend(k for k in p.attributes if k not in keys)
    labels = {key: _label(key).capitalize() for key in keys}
    for key in keys:
        rows.append((labels[key], tuple(format_value(key, p.attributes[key]) if key in p.attributes else "-" for p in products)))
    best: dict[str, int] = {}
    if len({p.price for p in products}) > 1:
        best["Price"] = min(range(len(products)), key=lambda i: products[i].price)
    rated = [i for i, p in enumerate(products) if p.rating is not None]
    if len({products[i].rating for i in rated}) > 1:
        best["Rating"] = max(rated, key=lambda i: (products[i].rating or 0, products[i].review_count))
    if asked in labels and (winner := extreme(products, asked, question)) is not None:
        best[labels[asked]] = products.index(winner)
    differ = tuple((name, values) for name, values in rows if len(set(values)) > 1)
    shared = tuple((name, values[0]) for name, values in rows if len(set(values)) == 1 and values[0] != "-")
    return ComparisonTable(product_ids=tuple(p.id for p in products), columns=short_names(products), rows=differ, shared=shared, best=best)


def comparison_reply(products: list[Product], slots: Slots, question: str = "", catalog_keys: Sequence[str] = ()) -> Reply:
    """Products side by side; "which covers more?" is answered first, from the attribute
    of theirs that the question names ("The JBL Tune 520BT has the highest battery life: 57 h.")."""
    key = slots.attribute if slots.attribute and any(slots.attribute in p.attributes for p in products) else None
    key = key or (resolve_attribute(question, products, catalog_keys) if question else None)
    winner = extreme(products, key, question) if key else None
    chosen = None if key and winner is not None else for_use(products, question)
    if chosen is not None:  # "which of them is best for a no-sew blanket?": the one whose own words say so; "it" is now this one
        products = [chosen[0], *(p for p in products if p is not chosen[0])]
    table = comparison_table(products, key if winner is not None else None, question)
    # "the cheapest" and "the best rating" only where they differ (the table marks only those)
    cheapest = products[table.best["Price"]] if "Price" in table.best else None
    best = products[table.best["Rating"]] if "Rating" in table.best else None
    text = render("comparison", count=len(products), cheapest=cheapest.title if cheapest else "", best_rated=best.title if best else "")
    if chosen is not None:
        text = f"{render('comparison_use', title=chosen[0].title, said=chosen[1])} {text}"
    if key and winner is not None:
        least = bool(LESS & set(re.findall(r"[a-z]+", question.lower())))
        lead = render(
            "comparison_winner",
            title=winner.title,
            label=_label(key),
            value=format_value(key, winner.attributes[key]),
            most="lowest" if least else "highest",
        )
        text = f"{lead} {text}"
        slots = slots.model_copy(update={"attribute": key})
    # the columns named first: the rows below read "8.95 | 8.99" in that order
    lines = ["- Product: " + " | ".join(table.columns)]
    lines += [f"- {name}: " + " | ".join(values) for name, values in table.rows]
    if table.shared:
        lines.append(f"- {table.shared_text()}")
    return Reply(
        intent="compare_products",
        slots=slots,
        text="\n".join([text, *lines]),
        lead=text,
        products=tuple(products),
        comparison=table,
        suggestions=("Tell me more about the first one", "Cheaper"),
    )


_FOR_USE = re.compile(r"\b(?:best|good|better|suitable|ideal|right|recommend\w*|work\w*)\b.*?\bfor\s+(?P<use>[\w' -]+)")


def for_use(products: Sequence[Product], question: str) -> tuple[Product, str] | None:
    """The one product whose description speaks of the use a question asks about ("which is
    best for a no-sew blanket?": the fleece "great for no-sew blankets") and its sentence
    saying so; None when no one product's words say more of it than the others'."""
    match = _FOR_USE.search(question.lower())
    use = set(tokenize(match["use"])) - FUNCTION_WORDS if match else set()
    if not use:
        return None
    scored = []
    for product in products:
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", product.description or "") if s.strip()]
        best = max(sentences, key=lambda s: len(use & set(tokenize(s))), default="")
        scored.append((len(use & set(tokenize(best))), product, best))
    scored.sort(key=lambda row: -row[0])
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


def best_sentences(question: str, text: str, limit: int = 3) -> str:
    """The sentences of a policy chunk that best answer the question, in their order."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"(])", text) if s.strip()]
    if len(sentences) <= limit:
        return " ".join(sentences)
    query = set(tokenize(question))
    scored = sorted(range(len(sentences)), key=lambda i: (-len(query & set(tokenize(sentences[i]))), i))
    keep = sorted(scored[:limit])
    return " ".join(sentences[i] for i in keep)


def policy_reply(question: str, hits: list[PolicyHit], slots: Slots, suggestions: tuple[str, ...] = ()) -> Reply:
    if not hits:
        return Reply(intent="policy_question", slots=slots, text=render("policy_missing"), failed=True, unmet="unanswered")
    top = hits[0].chunk
    answer = best_sentences(question, re.sub(r"[*_`]", "", top.text))
    text = render("policy_answer", answer=answer, title=top.title, section=top.section, cite=True)
    return Reply(
        intent="policy_question",
        slots=slots,
        text=text,
        lead=render("policy_answer", answer=answer, title=top.title, section=top.section, cite=False),
        sources=tuple(h.chunk for h in hits[:2]),
        suggestions=suggestions,
    )
