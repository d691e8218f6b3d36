"""Customer-service families: order status with ids and emails, typed or spoken (``order``,
``order_more``), returns and refunds (``return_request``, ``return_more``, ``defect_return``,
``return_with_order``) and requests for a person, complaints and frustration included
(``human``, ``human_more``; ``defect_return`` also writes refund-plus-person messages, which are
``human_agent``). The order-id and email helpers are here.
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import NONE, Catalog, ex, shown_context
from assistant.intent.data.generate.refs import _brand_ref, _ref, line_words
from assistant.types import DialogueContext


def _demo_order_id(rng: random.Random) -> tuple[str, str]:
    """A demo store id as written ("nw 100023") and as the parse writes it ("NW-100023")."""
    n = rng.randrange(100001, 100051)
    return rng.choice([f"NW-{n}", f"nw-{n}", f"NW{n}", f"nw {n}", f"NW-{n}"]), f"NW-{n}"


_ID_PREFIXES = ["MC", "SO", "AB", "ORD", "WEB", "R", "US", "EU", "SH", "BX", "KD", "TX", "ZA", "OR", "UK", "A", "W", "PO", "DE", "HM", "TB"]
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _digits(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(k))


def _other_order_id(rng: random.Random) -> str:
    """An order id of another store, in one of many formats, always with a digit."""
    style = rng.randrange(14)
    prefix = rng.choice(_ID_PREFIXES)
    year = rng.choice(["2023", "2024", "2025", "2026"])
    if style == 0:
        return str(rng.randrange(1000, 100000))  # 1001, 88123
    if style == 1:
        return str(rng.randrange(1, 10)) + _digits(rng, rng.randint(8, 11))  # 732201349959
    if style == 2:
        return "0" * rng.randint(2, 5) + str(rng.randrange(1000, 1000000))  # 00004587345
    if style == 3:
        return f"{prefix}-{rng.randrange(1000, 100000)}"  # MC-5001
    if style == 4:
        return f"{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}{_digits(rng, 2)}-{_digits(rng, 4)}"  # AB12-3391
    if style == 5:
        return rng.choice(_LETTERS) + "00" + _digits(rng, rng.randint(4, 6))  # W0043112
    if style == 6:
        return rng.choice(["ORD", "ord", "SO", "WEB"]) + f"_{year}_{_digits(rng, 4)}"  # ORD_2024_0042
    if style == 7:
        return f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}"  # 112-4432871-2234459
    if style == 8:
        return f"{year}-{_digits(rng, 6)}"  # 2024-000871
    if style == 9:
        chars = [rng.choice(_LETTERS + "0123456789") for _ in range(rng.randint(6, 8))]
        chars[rng.randrange(len(chars))] = rng.choice("23456789")
        return "".join(chars)  # A7K2Q9
    if style == 10:
        return f"{prefix.lower()}-{rng.randrange(1000, 100000)}"  # ord-7781, as typed
    if style == 11:
        return f"{prefix}{_digits(rng, rng.randint(5, 8))}"  # SO884213
    if style == 12:
        return f"NW-{rng.randrange(100100, 999999)}"  # a real store's NW- id, not one of the demo's
    return f"{prefix}-{year}-{_digits(rng, 5)}"  # US-2025-44821


def _order_id(rng: random.Random) -> tuple[str, str]:
    """An order id as the shopper writes it and as the parse writes it. Demo store ids ("nw 100023")
    are written "NW-100023"; any other id is kept exactly as written minus a leading "#"."""
    if rng.random() < 0.45:
        return _demo_order_id(rng)
    oid = _other_order_id(rng)
    return ("#" + oid if rng.random() < 0.2 else oid), oid


def _email(rng: random.Random) -> str:
    first = rng.choice(["mia", "noah", "ava", "liam", "emma", "lucas", "sofia", "theo", "nora", "omar"])
    last = rng.choice(["reyes", "nguyen", "chen", "patel", "smith", "foster", "clark", "singh", "morgan", "tanaka"])
    return f"{first}.{last}@{rng.choice(['example.com', 'mail.com', 'example.org'])}"


def spoken_email(email: str, rng: random.Random) -> str:
    """How an email comes out of speech recognition: 'mia dot reyes at example dot com'."""
    local, domain = email.split("@")
    # speech recognition often drops the "dot" between two names: "mia reyes at example dot com"
    joiner = " " if rng.random() < 0.3 else " dot "
    return f"{local.replace('.', joiner)} at {domain.replace('.', ' dot ')}"


def order(cat: Catalog, rng: random.Random) -> dict:
    written, oid = _order_id(rng)
    email = _email(rng)
    r = rng.random()
    if r < 0.08:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        text = rng.choice(["{e}", "it's {e}", "my email is {e}", "the email is {e}"]).format(e=spoken_email(email, rng))
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    if r < 0.35:
        text = rng.choice(
            [
                "where is my order {o}",
                "status of order {o}",
                "has {o} shipped yet",
                "track order {o}",
                "any update on {o}?",
                "when will order {o} arrive",
                "my order {o} hasn't arrived",
            ]
        ).format(o=written)
        return ex(text, NONE, "order_status", rng, order_id=oid)
    if r < 0.65:
        text = rng.choice(
            [
                "order {o}, email {e}",
                "where's my package? order {o} and my email is {e}",
                "check order {o} for {e}",
                "{o} {e} where is it",
                "status for {o}, it's under {e}",
            ]
        ).format(o=written, e=email)
        return ex(text, NONE, "order_status", rng, order_id=oid, email=email)
    if r < 0.85:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        text = rng.choice(["{e}", "it's {e}", "my email is {e}", "sure, {e}", "email: {e}"]).format(e=email)
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    text = rng.choice(
        [
            "where is my order",
            "has my package shipped?",
            "i want to track my delivery",
            "when will my stuff arrive",
            "my order still hasn't come",
            "what's the status of my order",
        ]
    )
    return ex(text, NONE, "order_status", rng)


def return_request(cat: Catalog, rng: random.Random) -> dict:
    written, oid = _order_id(rng)
    r = rng.random()
    if r < 0.5:
        text = rng.choice(
            [
                "i want to return order {o}",
                "return {o} please",
                "start a return for {o}",
                "i need to send back order {o}",
                "refund for order {o}",
                "the shoes from {o} don't fit, i want to return them",
            ]
        ).format(o=written)
        return ex(text, NONE, "return_request", rng, order_id=oid)
    if r < 0.7:
        email = _email(rng)
        text = f"i'd like to return order {written}, my email is {email}"
        return ex(text, NONE, "return_request", rng, order_id=oid, email=email)
    text = rng.choice(
        [
            "i want to return something",
            "i'd like a refund for my order",
            "how do i return my order? it arrived broken",
            "i need to send my purchase back",
            "can i return the jacket i bought",
            "my package came damaged",
            "you sent me the wrong size",
            "the item i received is wrong",
            "the headphones i got are faulty, i want my money back",
            "it doesn't fit, how do i send it back",
            "i'd like to exchange my order",
            "the box arrived crushed and the mug is broken",
            "i changed my mind about my purchase",
            "start a return",
            "i received a damaged blender",
        ]
    )
    return ex(text, NONE, "return_request", rng)


def human(cat: Catalog, rng: random.Random) -> dict:
    r = rng.random()
    if r < 0.6:
        text = rng.choice(
            [
                "talk to a human",
                "i want to speak to a real person",
                "agent please",
                "can i talk to customer service",
                "connect me with a representative",
                "get me a person",
                "is there a human i can talk to",
                "live agent",
                "transfer me to an agent",
                "i'd rather talk to someone",
                "can a person help me instead",
                "speak to a manager",
                "is anyone real there",
                "human please",
                "pass me to a staff member",
                "i need to talk to support staff",
                "can someone from your team call me",
                "escalate this please",
                "representative",
                "operator",
            ]
        )
        return ex(text, NONE, "human_agent", rng)
    text = rng.choice(
        [
            "this is useless, get me a human",
            "you're not helping at all, i want a real person",
            "ugh this bot is terrible. agent!",
            "forget it, let me talk to someone real",
            "this is so frustrating, connect me to support",
        ]
    )
    return ex(text, NONE, "human_agent", rng, frustrated=True)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --


def order_more(cat: Catalog, rng: random.Random) -> dict:
    """Order status: the email inside a sentence after the assistant asked for it (typed or
    spoken), vague delivery worries, a bare order number."""
    written, oid = _order_id(rng)
    email = _email(rng)
    r = rng.random()
    if r < 0.4:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        said = spoken_email(email, rng) if rng.random() < 0.4 else email
        text = rng.choice(
            [
                "i think it's {e}",
                "should be {e}",
                "try {e}",
                "i used {e} when i ordered",
                "it was {e} i believe",
                "{e} is the one i used",
                "ok it's {e}",
                "um {e}",
                "the email on it is {e}",
                "i probably used {e}",
                "it's under {e}",
            ]
        ).format(e=said)
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    if r < 0.55:
        return ex(written, NONE, "order_status", rng, noise=False, order_id=oid)
    if r < 0.75:
        text = rng.choice(
            [
                "anything on order {o}?",
                "what's going on with {o}",
                "{o} is late",
                "is {o} on its way",
                "when does {o} get here",
                "tracking for {o}",
            ]
        ).format(o=written)
        return ex(text, NONE, "order_status", rng, order_id=oid)
    text = rng.choice(
        [
            "my parcel is late",
            "it's been ten days and nothing has arrived",
            "i still haven't received my stuff",
            "haven't heard anything since i ordered",
            "is my delivery coming today",
            "the package should've been here by now",
            "where's my delivery at",
            "did my order ship",
            "no sign of my order yet",
            "my delivery is overdue",
        ]
    )
    return ex(text, NONE, "order_status", rng)


DEFECTS = [
    "arrived broken",
    "came with a crack",
    "is scratched",
    "stopped working after a day",
    "was missing parts",
    "arrived damaged",
    "doesn't turn on",
    "is the wrong colour",
    "is too small",
]


def return_more(cat: Catalog, rng: random.Random) -> dict:
    """Returns: a complaint plus a refund, a product on screen; cancel-and-refund with an id is cancel_order."""
    written, oid = _order_id(rng)
    r = rng.random()
    if r < 0.35:
        category = rng.choice(list(cat.nouns))
        noun = rng.choice(cat.nouns[category])
        text = rng.choice(
            [
                "the {n} {d}, i want a refund",
                "refund me please, my {n} {d}",
                "my {n} {d}. how do i send it back",
                "i want my money back, the {n} {d}",
                "the {n} i got {d}, can i return it",
            ]
        ).format(n=noun, d=rng.choice(DEFECTS))
        return ex(text, NONE, "return_request", rng)
    if r < 0.6:
        ctx, shown, _ = shown_context(cat, rng)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        text = rng.choice(
            [
                "i bought {r} a while ago and want to return it",
                "i already have {r} and it {d}, i want to send it back",
                "i'd like to return {r} i ordered",
                "can you start a return for {r}",
            ]
        ).format(r=phrase, d=rng.choice(DEFECTS))
        return ex(text, ctx, "return_request", rng, product_refs=[canon])
    text = rng.choice(
        [
            "cancel {o} and give me a refund",
            "please cancel order {o} and refund me",
            "i want to cancel and return {o}",
            "refund {o}, it never worked",
            "send back {o} please",
        ]
    ).format(o=written)
    # cancelling an order (its refund follows by itself) is cancel_order; "cancel and return" sends it back
    intent = "cancel_order" if "cancel" in text and "return" not in text else "return_request"
    return ex(text, NONE, intent, rng, order_id=oid)


def human_more(cat: Catalog, rng: random.Random) -> dict:
    ctx = shown_context(cat, rng)[0] if rng.random() < 0.5 else NONE
    r = rng.random()
    if r < 0.3:
        written, oid = _order_id(rng)
        text = rng.choice(
            [
                "can a real person look at order {o}",
                "i want to talk to someone about {o}",
                "get me an agent for order {o}",
                "i need a human to sort out {o}",
            ]
        ).format(o=written)
        return ex(text, NONE, "human_agent", rng, order_id=oid)
    if r < 0.65:
        text = rng.choice(
            [
                "i want to make a complaint",
                "i'd like to lodge a formal complaint",
                "how do i complain to a manager",
                "i want to raise a complaint with someone senior",
                "complaint about your service, who do i talk to",
                "i'd like a supervisor",
                "put me through to your manager",
                "can i speak with someone in charge",
                "a staff member please",
                "let me chat with a real agent",
                "i need a real human being",
                "hand me over to a person",
                "connect me to a colleague of yours",
                "phone me back please, i want a person",
            ]
        )
        return ex(text, ctx, "human_agent", rng, complaint=True if "complain" in text else None)
    text = rng.choice(
        [
            "we're going in circles, i want a person",
            "you keep getting it wrong, real human please",
            "this isn't working, get me someone",
            "pointless. give me an actual person",
            "i've asked three times now, let me talk to staff",
        ]
    )
    return ex(text, ctx, "human_agent", rng, frustrated=True)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

DEFECTS_ANY = [
    "broke after two days",
    "came with a crack in it",
    "came scuffed",
    "showed up with a dent",
    "fell apart after a week",
    "arrived in pieces",
    "is already falling apart",
]
DEFECTS_POWERED = [
    "stopped working after a week",
    "won't charge",
    "keeps turning off",
    "died after a few uses",
    "won't turn on",
    "makes a weird rattling noise",
    "smells burnt",
    "stopped working after two days",
]
DEFECTS_SAID = DEFECTS_ANY + DEFECTS_POWERED
DEFECT_ITEMS = {
    "earbuds": ["arrived with one side dead", "only works on one side", "won't pair with anything"],
    "headphones": ["only work on one side", "won't pair with anything"],
    "blender": ["leaks", "stopped spinning"],
    "kettle": ["leaks", "stopped heating up"],
    "air fryer": ["stopped heating up"],
    "speaker": ["crackles"],
    "smartwatch": ["has a dead pixel", "won't pair with my phone"],
    "laptop": ["has a dead pixel", "won't boot"],
    "phone": ["has a dead pixel"],
    "power bank": ["won't hold a charge"],
    "hair dryer": ["blows cold air only"],
    "coffee maker": ["leaks everywhere"],
    "stand mixer": ["stopped spinning"],
    "backpack": ["ripped at the seam", "has a broken zip"],
    "jacket": ["ripped at the seam", "has a broken zip"],
    "shoes": ["the sole came off"],
    "tent": ["has a broken pole", "leaks"],
    "yoga mat": ["is peeling"],
    "hoodie": ["fell apart after one wash", "shrank in the first wash"],
    "suitcase": ["has a broken wheel", "has a broken handle"],
}
_UNPOWERED = {"backpack", "jacket", "shoes", "tent", "yoga mat", "hoodie", "suitcase"}


def defect_return(cat: Catalog, rng: random.Random) -> dict:
    """A defect said without the word return ('my blender stopped working after a week') is a return; a refund plus
    asking for a person is human_agent (the person wins)."""
    item = rng.choice(list(DEFECT_ITEMS))
    defect = rng.choice(DEFECT_ITEMS[item] * 2 + DEFECTS_ANY + ([] if item in _UNPOWERED else DEFECTS_POWERED))
    r = rng.random()
    if r < 0.5:
        text = rng.choice(
            [
                "the {i} i ordered {d}",
                "my {i} {d}",
                "the {i} you sent {d}",
                "got my {i} and it {d}",
                "the {i} i bought here {d}",
                "my new {i} {d}",
                "just got the {i} and it already {d}",
                "so the {i} {d}",
                "ugh my {i} {d}",
                "the {i} from you guys {d}",
            ]
        ).format(i=item, d=defect)
        return ex(text, NONE, "return_request", rng)
    if r < 0.75:
        ctx, shown, _ = shown_context(cat, rng)
        got = _brand_ref(shown, rng)
        if got is None:
            product = rng.choice(shown)
            name = line_words(product)[:1] or [product.brand.lower()]
            phrase, canon = f"the {name[0]}", name[0]
        else:
            phrase, canon = got
        text = rng.choice(
            [
                "{r} i ordered last month {d}",
                "i bought {r} and it {d}",
                "{r} i got from you {d}",
                "my {c} {d}",
                "i have {r} already and it {d}",
            ]
        ).format(r=phrase, d=defect, c=canon)
        return ex(text, ctx, "return_request", rng, product_refs=[canon])
    text = rng.choice(
        [
            "my {i} {d}, i want a refund and i want to talk to a real person",
            "refund please, and get me a human, the {i} {d}",
            "the {i} {d}. i want my money back, can i speak to someone",
            "i need a refund for my {i} and i'd like to talk to an agent",
            "put me through to a person, my {i} {d} and i want a refund",
            "can a human process my refund, the {i} {d}",
            "i want a refund for the {i}, let me talk to customer service",
            "the {i} {d}, i'd rather sort the refund with a real person",
        ]
    ).format(i=item, d=defect)
    return ex(text, NONE if rng.random() < 0.7 else shown_context(cat, rng)[0], "human_agent", rng)


RETURN_ITEMS = [
    "stand mixer",
    "headphones",
    "running shoes",
    "air fryer",
    "backpack",
    "rain jacket",
    "laptop",
    "earbuds",
    "kettle",
    "jeans",
    "dutch oven",
    "smartwatch",
    "board game",
    "yoga mat",
    "suitcase",
    "hoodie",
    "phone case",
    "blender",
    "sunscreen",
    "tent",
]


def return_with_order(cat: Catalog, rng: random.Random) -> dict:
    """'i want to return the stand mixer from order 100019': the order id is the digits (or NW-... when said), never the product."""
    item = rng.choice(RETURN_ITEMS)
    if rng.random() < 0.55:
        written = oid = str(rng.randrange(100001, 100051))
    else:
        written, oid = _order_id(rng)
    text = rng.choice(
        [
            "i want to return the {i} from order {o}",
            "return the {i} from {o}",
            "the {i} in order {o} needs to go back",
            "can i send back the {i} from order {o}",
            "refund the {i} on order {o}",
            "i'd like to return the {i}, order {o}",
            "the {i} from order number {o} isn't what i expected",
            "starting a return for the {i} in {o}",
            "{i} from order {o}, i want a refund",
            "return my {i}, order number {o}",
            "the {i} i got in order {o} is broken, i want to return it",
        ]
    ).format(i=item, o=written)
    slots: dict = {"order_id": oid}
    if rng.random() < 0.2:
        slots["email"] = _email(rng)
        text += rng.choice([", my email is {}", ", email {}", " ({})"]).format(slots["email"])
    return ex(text, NONE, "return_request", rng, **slots)
