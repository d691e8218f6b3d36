"""Training examples for the intent LLM, generated from catalogs' vocabularies.

    python -m assistant.intent.data.generate [N] [OUT.jsonl]

Each example is ``{"prompt": ..., "target": ...}`` in the formats of
``assistant.intent.format`` (plus the text and intent for inspection). Seeded and
deterministic. Families: product searches with every kind of constraint (prices in
digits and in words, sizes, colours, brands, in stock, sorting), follow-ups that only
make sense with products on screen ("cheaper", "the second one", "and in red?"),
comparisons, product questions, orders and returns with ids and emails (ids in many
formats, kept as written), cancelling and changing an order (its item, new size or
colour, new address), invoices and refund status, policy questions (account and payment
ones included), requests for a person and complaints, greetings, and many kinds of
out-of-scope requests (from more than thirty other domains, many with shop words).
Each example draws its catalog first: the demo's (40%) or one of nine synthetic shops of
other domains (``catalogs``), whose categories, brands, colours, sizes, attribute keys,
titles and currency words the product families use; outside the demo a category is
labelled only where the message names it as the catalog writes it. ``generate(n, seed,
catalog=products)`` writes from one store's products alone (``train intent --store``).
Surface noise: typos, lower case, no punctuation, fillers, spoken numbers and ASR-like
slips (never inside an order id, an order's item or an address, which the parse copies).
The hand-written development and test sets (``dev.jsonl``, ``test.jsonl``) are only read
to drop the rare generated message that says exactly the same as one of their utterances.

Modules: ``common`` (a catalog's vocabulary, ``catalog_from_products`` for any catalog but
the demo's, surface forms and noise, prices in a currency's words, contexts, ``ex``),
``catalogs`` (the synthetic shops),
``refs`` (how a shopper names products), one module per group of families (``searches``,
``refinements``, ``products``, ``service``, ``actions``, ``policies``, ``chat``,
``domains``), ``mix`` (the weighted family table, the catalogs and their shares,
``generate`` and the held-out filter)
and ``__main__`` (the command above).
Every random draw of a family happens in a fixed order on the one ``random.Random`` that
``generate`` passes down: editing a family, a list it draws from or the table changes the
data of every seed, and the shipped adapter was trained on ``generate(12000, seed=13)``.
"""

from __future__ import annotations

from assistant.intent.data.generate.actions import cancel, change, complaint, invoice_refund
from assistant.intent.data.generate.aftercare import cancel_check, compensation, delivered_wrong, not_arrived, shop_rules
from assistant.intent.data.generate.catalogs import synthetic_catalogs
from assistant.intent.data.generate.chat import capability_greeting, greeting, greeting_more, oos_hard, oos_more, out_of_scope
from assistant.intent.data.generate.common import Catalog, build_catalog, catalog_from_products, load_catalog
from assistant.intent.data.generate.domains import DOMAINS, oos_domains
from assistant.intent.data.generate.mix import DEMO_SHARE, FAMILIES, _key, catalogs, generate, held_out_texts
from assistant.intent.data.generate.policies import POLICY_QUESTIONS, policy, policy_account, policy_misread, policy_more
from assistant.intent.data.generate.products import (
    buy_shown,
    compare,
    compare_more,
    named_products,
    named_spec_question,
    product_question,
    question_more,
    shown_questions,
)
from assistant.intent.data.generate.refinements import price_direction, refine, refine_more, size_followup
from assistant.intent.data.generate.searches import (
    AUDIENCE_AFTER,
    AUDIENCE_BEFORE,
    audience_search,
    brand_line_search,
    browse,
    not_carried,
    occasion_search,
    search,
    spec_search,
)
from assistant.intent.data.generate.service import (
    defect_return,
    human,
    human_more,
    order,
    order_more,
    return_more,
    return_request,
    return_with_order,
)

__all__ = [
    # entry points
    "generate",
    "held_out_texts",
    "_key",
    "FAMILIES",
    "Catalog",
    "build_catalog",
    "load_catalog",
    "catalog_from_products",
    "synthetic_catalogs",
    "catalogs",
    "DEMO_SHARE",
    # data other code reads (the grammar's policy topics, the tests' audience words)
    "POLICY_QUESTIONS",
    "AUDIENCE_BEFORE",
    "AUDIENCE_AFTER",
    # the families, each callable as family(cat, rng) -> row
    "search",
    "not_carried",
    "browse",
    "audience_search",
    "brand_line_search",
    "spec_search",
    "occasion_search",
    "refine",
    "refine_more",
    "size_followup",
    "price_direction",
    "product_question",
    "compare",
    "named_products",
    "question_more",
    "compare_more",
    "shown_questions",
    "buy_shown",
    "named_spec_question",
    "order",
    "return_request",
    "human",
    "order_more",
    "return_more",
    "human_more",
    "defect_return",
    "return_with_order",
    "policy",
    "policy_more",
    "policy_misread",
    "greeting",
    "out_of_scope",
    "greeting_more",
    "oos_more",
    "oos_hard",
    "capability_greeting",
    # fifth round: order actions, account questions, other domains
    "cancel",
    "change",
    "invoice_refund",
    "complaint",
    "policy_account",
    "oos_domains",
    "DOMAINS",
    # sixth round: what goes wrong after ordering
    "delivered_wrong",
    "not_arrived",
    "cancel_check",
    "compensation",
    "shop_rules",
]
