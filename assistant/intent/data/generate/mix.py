"""The mix: the weighted table of families (``FAMILIES``: its order and weights fix the output
of a seed, so the shipped adapter's data, ``generate(12000, seed=13)``, depends on them),
the catalogs an example draws from (``catalogs``: the demo's with ``DEMO_SHARE``, the
synthetic ones the rest; or one store's alone), ``generate``, which draws a catalog and a
family per example with one seeded ``random.Random``, and the filter that drops a generated
message repeating one of the held-out development or test messages.
"""

from __future__ import annotations

import json
import random
from importlib.resources import files

from assistant.intent.corrections import key
from assistant.intent.data.generate.actions import cancel, change, complaint, invoice_refund
from assistant.intent.data.generate.aftercare import cancel_check, compensation, delivered_wrong, not_arrived, shop_rules
from assistant.intent.data.generate.catalogs import synthetic_catalogs
from assistant.intent.data.generate.chat import capability_greeting, greeting, greeting_more, oos_hard, oos_more, out_of_scope
from assistant.intent.data.generate.common import Catalog, build_catalog, catalog_from_products, load_catalog
from assistant.intent.data.generate.domains import oos_domains
from assistant.intent.data.generate.policies import policy, policy_account, policy_misread, policy_more
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
from retrieval.catalog import Product

#: the families of the first four rounds, with their weights relative to one another
_EARLIER = [
    (search, 0.22),
    (not_carried, 0.02),
    (refine, 0.08),
    (product_question, 0.06),
    (compare, 0.04),
    (order, 0.045),
    (return_request, 0.03),
    (policy, 0.06),
    (human, 0.025),
    (greeting, 0.02),
    (out_of_scope, 0.07),
    (named_products, 0.03),
    (refine_more, 0.06),
    (question_more, 0.05),
    (compare_more, 0.04),
    (order_more, 0.03),
    (return_more, 0.025),
    (policy_more, 0.035),
    (human_more, 0.02),
    (greeting_more, 0.015),
    (oos_more, 0.07),
    (browse, 0.03),
    # fourth round
    (audience_search, 0.025),
    (brand_line_search, 0.025),
    (spec_search, 0.025),
    (occasion_search, 0.015),
    (size_followup, 0.02),
    (price_direction, 0.025),
    (shown_questions, 0.035),
    (buy_shown, 0.012),
    (named_spec_question, 0.015),
    (oos_hard, 0.05),
    (policy_misread, 0.02),
    (capability_greeting, 0.008),
    (defect_return, 0.015),
    (return_with_order, 0.01),
]
#: fifth round, as shares of the whole mix (together 23%): cancelling and changing orders,
#: invoices and refund status, complaints, account and payment questions, other domains
_FIFTH = [
    (cancel, 0.04),
    (change, 0.04),
    (invoice_refund, 0.03),
    (complaint, 0.02),
    (policy_account, 0.02),
    (oos_domains, 0.08),
]
#: sixth round, as shares of the whole mix (together 10%): what goes wrong after ordering
#: (``aftercare``: wrong or missing items and swaps of what arrived are returns; late or vanished
#: parcels and "was it cancelled?" are the order's status; compensation and legal threats go to
#: a person; account details and price matching are the shop's rules)
_SIXTH = [
    (delivered_wrong, 0.035),
    (not_arrived, 0.02),
    (cancel_check, 0.015),
    (compensation, 0.015),
    (shop_rules, 0.015),
]
_LATER_SHARE = sum(w for _, w in _FIFTH + _SIXTH)
_EARLIER_TOTAL = sum(w for _, w in _EARLIER)
#: every family and its share of the data (the weights sum to 1: the earlier families keep their
#: proportions among themselves and give up the later rounds' share)
FAMILIES = [(f, w * (1 - _LATER_SHARE) / _EARLIER_TOTAL) for f, w in _EARLIER] + _FIFTH + _SIXTH


def _key(text: str) -> str:
    """A message as the held-out checks compare it (``intent.corrections.key``, one rule for both)."""
    return key(text)


#: the customer-service and out-of-scope sets of ``shopassist eval service`` (assistant/evals/)
SERVICE_SETS = ("heldout", "heldout2")


def held_out_texts() -> set[str]:
    """Every evaluation message: the intent development and test sets, and the customer-service
    and out-of-scope sets. An example that happens to say the same is dropped, so that training
    never sees an evaluation utterance (short ones like "hello" collide)."""
    sources = [files("assistant.intent.data") / name for name in ("dev.jsonl", "test.jsonl")]
    for which in SERVICE_SETS:
        sources += [files("assistant") / "evals" / which / name for name in ("customer_service.jsonl", "out_of_scope.jsonl")]
    texts: set[str] = set()
    for source in sources:
        lines = source.read_text(encoding="utf-8").splitlines()
        texts.update(_key(json.loads(line)["text"]) for line in lines if line.strip())
    return texts


#: the demo catalog's share of the examples; the synthetic catalogs share the rest equally
DEMO_SHARE = 0.4


def catalogs(products: list[Product] | None = None) -> list[tuple[Catalog, float]]:
    """The catalogs the examples draw from, with their shares: one store's own (``products``),
    or the demo catalog (``DEMO_SHARE``) and the synthetic ones of ``catalogs``."""
    if products is not None:
        return [(catalog_from_products(products, "store"), 1.0)]
    synthetic = synthetic_catalogs()
    return [(build_catalog(load_catalog()), DEMO_SHARE)] + [(c, (1 - DEMO_SHARE) / len(synthetic)) for c in synthetic]


def generate(n: int, seed: int = 13, catalog: list[Product] | None = None) -> list[dict]:
    """``n`` examples, seeded. Each draws a catalog (the demo's, a synthetic one; or, with
    ``catalog``, that store's own products only), then a family that writes it in that
    catalog's words; the row's ``catalog`` names it."""
    rng = random.Random(seed)
    cats, shares = zip(*catalogs(catalog))
    funcs, weights = zip(*FAMILIES)
    held_out = held_out_texts()
    rows: list[dict] = []
    while len(rows) < n:
        cat = rng.choices(cats, shares)[0]
        row = rng.choices(funcs, weights)[0](cat, rng)
        if _key(row["text"]) not in held_out:
            rows.append({**row, "catalog": cat.name})
    return rows
