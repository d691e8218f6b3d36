"""Order action families: cancelling an order (``cancel_order``), changing one (``change_order``:
the item, its new size or colour, a new delivery address), asking for an invoice or where a
refund is (``invoice_refund``: both are ``order_status``, the invoice with ``invoice``) and
complaints (``complaint``: ``human_agent`` with ``complaint``). Typed and spoken, polite and
angry, short and rambling, in non-native English, with and without an order id or email, and
after the assistant asked for the email that goes with an order.

Order ids come in many formats (``service._order_id``) and are kept as written minus a leading
"#", "no." or "order"; an order's item and a new address are copied as written too (``ex``
keeps the noise off them). A change's new size and colour go into ``size`` and ``color``.
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import NONE, Catalog, ex, shown_context, spoken_size
from assistant.intent.data.generate.service import _email, _order_id, spoken_email
from assistant.types import DialogueContext

# -- shared pieces --------------------------------------------------------------------------


def _order_phrase(written: str, rng: random.Random) -> str:
    """How the shopper names the order around its id: "order #1001", "order no. 1001", "1001"..."""
    plain = not written.startswith("#")
    options = [
        "order {w}",
        "order {w}",
        "my order {w}",
        "order number {w}",
        "{w}",
        "{w}",
        "purchase {w}",
        "order id {w}",
        "Order {w}",
    ]
    if plain:
        options += ["order #{w}", "#{w}", "order no. {w}", "order no {w}", "order nr {w}"]
    return rng.choice(options).format(w=written)


_FIRST = ["kim", "j.smith84", "anna_k", "pedro.alves", "li.wei", "sam", "tom.b", "fatima.noor", "olga1990", "marco.rossi", "ines", "dan.ok"]
_DOMAINS = ["mail.com", "gmail.com", "outlook.com", "yahoo.com", "web.de", "proton.me", "example.com", "icloud.com", "hotmail.co.uk"]


def _any_email(rng: random.Random) -> str:
    """The demo store's customers' emails half the time, other people's otherwise."""
    return _email(rng) if rng.random() < 0.5 else f"{rng.choice(_FIRST)}@{rng.choice(_DOMAINS)}"


def _said_email(email: str, rng: random.Random, spoken: float = 0.25) -> str:
    return spoken_email(email, rng) if rng.random() < spoken else email


def _pending(rng: random.Random, last_intent: str) -> tuple[DialogueContext, str]:
    """The assistant asked for the email of an order: the context shows the id as the session
    keeps it (the demo's NW- ids, or another store's id upper case without separators or as written)."""
    _written, oid = _order_id(rng)
    if not oid.startswith("NW-") and rng.random() < 0.5:
        oid = "".join(ch for ch in oid if ch.isalnum()).upper()
    return DialogueContext.model_validate({"pending_order_id": oid, "last_intent": last_intent}), oid


def _context(cat: Catalog, rng: random.Random, shown: float = 0.15) -> DialogueContext:
    return shown_context(cat, rng)[0] if rng.random() < shown else NONE


# -- cancel_order ---------------------------------------------------------------------------

CANCEL_WITH_ID = [
    # plain and polite
    "cancel {o}",
    "cancel my order {w}",
    "please cancel {o}",
    "i want to cancel {o}",
    "I'd like to cancel {o}, please",
    "can you cancel {o} for me",
    "could you please cancel {o}? thank you",
    "Hi, I would like to cancel {o}. Thanks in advance",
    "hello, please cancel {o}, i no longer need it",
    "would it be possible to cancel {o}?",
    "is it too late to cancel {o}?",
    "can {o} still be cancelled",
    "i'd like a cancellation for {o}",
    "cancellation request for {o}",
    "please void {o}",
    "i want to call off {o}",
    "withdraw {o} please",
    "don't ship {o}, cancel it",
    "cancel {o} before it ships please",
    "please stop {o}, i don't want it anymore",
    "I don't need {o} anymore, can it be cancelled?",
    # short
    "{o} cancel",
    "{w} - cancel pls",
    "cancel order: {w}",
    "cancel {o} asap",
    "pls cancel {o}",
    "scrap {o}",
    # reasons
    "i need to cancel {o}, i ordered the wrong thing",
    "pls cancel purchase {w} i ordered wrong thing",
    "i changed my mind, cancel {o}",
    "just cancel {o}, i found it cheaper elsewhere",
    "i ordered twice by mistake, please cancel {o}",
    "duplicate order, cancel {o}",
    "accidentally ordered, {o}, please cancel",
    "my kid clicked buy, please cancel {o}",
    "cancel {o}, it's taking way too long",
    "cancel {o} and refund me",
    "cancel {o} and give me my money back",
    "cancel {o}, i want a refund",
    "hi, i placed {o} this morning but i need to cancel it",
    "i placed {o} by mistake, can you cancel it",
    # rambling
    "so i ordered a jacket yesterday and honestly i don't need it anymore, my sister got me one, can you cancel it? it's {o}",
    "ok long story but i bought the same thing twice, the second one is {o}, can that one be cancelled please",
    "hey so i was looking at my emails and saw {o} went through but i actually meant to remove it from the cart, cancel please",
    "i ordered stuff for a trip that got called off so i need to cancel {o}, hope that's ok",
    # angry
    "cancel {o} now. i've waited two weeks and it still hasn't shipped",
    "this is ridiculous, cancel {o} immediately",
    "CANCEL {o}. i'm done waiting",
    "i've been charged and nothing has shipped, cancel {o} right now",
    "three weeks for {o}?? forget it, cancel the whole thing",
    # non-native
    "hello i want cancel the order {w} please",
    "i wish to cancel my order, number is {w}",
    "please to cancel {o}, i not need it anymore",
    "cancel of order {w} please",
    "how i can cancel {o}",
    "i want make cancel for {o}",
    "good day, kindly cancel {o}",
    "please can you cancel my order {w}, i make mistake",
    # typos
    "cancle {o}",
    "cancell my order {w}",
    "plz cancel ordr {w}",
    "can u cancel {o} pls",
    "i wanna cancel {o}",
]
CANCEL_SPOKEN = [
    "um so yeah i need to cancel {o}",
    "uh hi yeah so i ordered something by accident, it's {o}, can you cancel that",
    "okay so basically i need {o} cancelled",
    "yeah hi um can you cancel my order it's {w}",
    "so um the order {w} can we cancel that",
    "hi there uh i'd like to cancel an order the number is {w}",
    "right so {o} i don't want it anymore can you cancel it",
]
CANCEL_WITH_EMAIL = [
    "cancel {o}, email {e}",
    "pls cancel purchase {w} i ordered wrong thing, email {e}",
    "i want to cancel {o}. my email is {e}",
    "{e} - please cancel {o}",
    "please cancel {o}, the email on it is {e}",
    "cancel {o} for {e}",
    "hi, i'd like to cancel {o}. it's under {e}",
    "cancel order {w} ({e})",
    "i need {o} cancelled, my email address is {e}",
    "hello, my email is {e} and i want to cancel {o}",
]
CANCEL_EMAIL_ONLY = [
    "cancel my order, it's under {e}",
    "please cancel my last order, my email is {e}",
    "i want to cancel what i ordered, email {e}",
    "can you cancel the order on {e}",
]
CANCEL_NO_ID = [
    "cancel my order",
    "i want to cancel my order",
    "how do i cancel my order",
    "can i cancel the thing i just bought",
    "i need to cancel an order",
    "please cancel my last order",
    "cancel the order i placed yesterday",
    "i ordered the wrong size, can i cancel",
    "stop my order please",
    "don't send my order, i want to cancel",
    "i want to cancel my purchase",
    "i'd like to cancel my order please, i don't have the number",
    "i don't have my order number but i need to cancel",
    "i need to cancel something i ordered this morning",
    "cancel it all, i don't want the order anymore",
    "is it possible to cancel an order i placed an hour ago",
    "i made a mistake with my order and want to cancel it",
    "um so yeah i need to cancel my order",
    "hi i want cancel my order",
    "cancel order pls",
    "cancle my order",
    "i want to cancel, how does that work for my order",
]
CANCEL_PENDING = [
    "{e}, please cancel it",
    "it's {e}. cancel it please",
    "my email is {e} and yes, cancel it",
    "sure, {e}. i want it cancelled",
    "{e} - just cancel the order",
    "ok {e}, go ahead and cancel",
    "the email is {e}, i need to cancel",
    "{e}. i'd like to cancel that order",
]
CANCEL_PENDING_NO_EMAIL = [
    "actually, just cancel it",
    "forget the status, cancel that order",
    "never mind, i want to cancel it",
    "can you just cancel it instead",
]
CANCEL_ITEM = [
    "cancel the {i} from {o}, keep the rest",
    "please cancel just the {i} in {o}",
    "i only want to cancel the {i} on {o}",
    "remove the {i} from {o} please, i don't need it",
]
CANCEL_COMPLAINT = [
    "cancel {o}, this is a complaint",
    "cancel {o}. and i want to make a complaint about how long it's taking",
    "i want to cancel {o} and file a complaint, nobody answers my emails",
    "please cancel {o}, i also want to complain about your service",
]


def cancel(cat: Catalog, rng: random.Random) -> dict:
    """cancel_order: with an id (many formats), with an email, neither, after the assistant asked
    for the email, for one item of an order, with a complaint."""
    written, oid = _order_id(rng)
    phrase = _order_phrase(written, rng)
    r = rng.random()
    if r < 0.42:
        text = rng.choice(CANCEL_WITH_ID).format(o=phrase, w=written)
        return ex(text, _context(cat, rng), "cancel_order", rng, order_id=oid)
    if r < 0.5:
        text = rng.choice(CANCEL_SPOKEN).format(o=phrase, w=written)
        return ex(text, NONE, "cancel_order", rng, order_id=oid)
    if r < 0.62:
        email = _any_email(rng)
        text = rng.choice(CANCEL_WITH_EMAIL).format(o=phrase, w=written, e=email)
        return ex(text, NONE, "cancel_order", rng, order_id=oid, email=email)
    if r < 0.66:
        email = _any_email(rng)
        text = rng.choice(CANCEL_EMAIL_ONLY).format(e=email)
        return ex(text, NONE, "cancel_order", rng, email=email)
    if r < 0.8:
        return ex(rng.choice(CANCEL_NO_ID), _context(cat, rng), "cancel_order", rng)
    if r < 0.9:
        ctx, pid = _pending(rng, rng.choice(["cancel_order", "order_status"]))
        if rng.random() < 0.75:
            email = _any_email(rng)
            text = rng.choice(CANCEL_PENDING).format(e=_said_email(email, rng))
            return ex(text, ctx, "cancel_order", rng, noise=False, order_id=pid, email=email)
        return ex(rng.choice(CANCEL_PENDING_NO_EMAIL), ctx, "cancel_order", rng, order_id=pid)
    if r < 0.95:
        item = rng.choice(CHANGE_ITEMS)
        text = rng.choice(CANCEL_ITEM).format(i=item, o=phrase)
        return ex(text, NONE, "cancel_order", rng, order_id=oid, item=item)
    text = rng.choice(CANCEL_COMPLAINT).format(o=phrase)
    return ex(text, NONE, "cancel_order", rng, order_id=oid, complaint=True)


# -- change_order ---------------------------------------------------------------------------

APPAREL_ITEMS = [
    "hoodie",
    "jacket",
    "rain jacket",
    "t-shirt",
    "tee",
    "jeans",
    "dress",
    "sweater",
    "fleece",
    "leggings",
    "shorts",
    "parka",
    "polo shirt",
    "joggers",
    "coat",
    "shirt",
    "puffer jacket",
    "base layer",
]
SHOE_ITEMS = ["running shoes", "sneakers", "trainers", "boots", "hiking boots", "sandals", "shoes", "trail runners", "slippers"]
COLOR_ONLY_ITEMS = [
    "backpack",
    "headphones",
    "phone case",
    "water bottle",
    "earbuds",
    "yoga mat",
    "duffel bag",
    "watch strap",
    "kettle",
    "mug",
]
CHANGE_ITEMS = APPAREL_ITEMS + SHOE_ITEMS + COLOR_ONLY_ITEMS
_LETTER_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
_SHOE_SIZES = [
    "6",
    "6.5",
    "7",
    "7.5",
    "8",
    "8.5",
    "9",
    "9.5",
    "10",
    "10.5",
    "11",
    "11.5",
    "12",
    "13",
    "38",
    "39",
    "40",
    "41",
    "42",
    "43",
    "44",
]


#: colours for changing an order where the catalog has fewer than two
_COLORS = ["black", "white", "blue", "red", "green", "grey", "navy"]


def _size_pair(cat: Catalog, rng: random.Random, shoes: bool) -> tuple[str, str]:
    """An old and a new size, different, from the catalog's sizes where it has them."""
    sizes = (cat.sizes.get("shoes") if shoes else cat.sizes.get("apparel")) or []
    pool = sizes if sizes and rng.random() < 0.7 else (_SHOE_SIZES if shoes else _LETTER_SIZES)
    old, new = rng.sample(list(pool), 2)
    return old, new


def _say_size(size: str, rng: random.Random, shoes: bool) -> str:
    """How a size comes up in a message: "L", "large", "a size L", "9.5", "nine and a half"."""
    r = rng.random()
    if r < 0.25:
        return spoken_size(size, rng)
    if r < 0.45:
        return f"size {size}"
    if r < 0.55 and not shoes:
        return size.lower()
    return size


def _fill(template: str, **values: str) -> str:
    """A size template filled in, without "size size 10" where the size was said "size 10"."""
    return template.format(**values).replace("size size ", "size ")


CHANGE_SIZE = [
    "i ordered the {i} in {old} but need {new}, {o}",
    "can you change the {i} on {o} to {new}",
    "the {i} in {o} should be {new} not {old}",
    "i picked the wrong size for the {i}, please make it {new}. {o}",
    "switch the {i} to {new} on {o}",
    "change size of {i} to {new} please, {o}",
    "{o}: {i} {old} -> {new}",
    "hi, for {o} could i get the {i} in {new} instead of {old}?",
    "i want to change my order {w}, the {i} in {new} please",
    "swap the {i} on {o} to {new}",
    "i need a different size, the {i} in {o} should be {new}",
    "{o} - please change the {i} from {old} to {new}",
    "can i still change the size of the {i} on {o}? i need {new}",
    "just realised i ordered the {i} in {old}, can you change it to {new}? {o}",
    "please update the {i} in {o} to {new}",
    "please change size of the {i} in my order {w}, i need {new} not {old}",
    "i order {i} size {old} but i need size {new}, can change? order {w}",
    "the {i} won't fit in {old}, please change to {new} before shipping, {o}",
    "um so on order {w} i got the {i} in {old} and uh i actually need {new}",
    "ok so i messed up, the {i} should be {new}, order is {w}",
    "chnage the {i} to {new} on {o} pls",
]
CHANGE_SIZE_NO_ID = [
    "can i change the size of the {i} i just ordered to {new}",
    "i ordered the {i} in {old} by mistake, i need {new}",
    "please change the {i} in my order to {new}",
    "i want to change my order, the {i} should be {new} instead of {old}",
    "can you switch the {i} i bought this morning to {new}",
]
CHANGE_COLOR = [
    "can you change the {i} on {o} to {c}",
    "i want the {i} in {c} instead, {o}",
    "switch the colour of the {i} to {c}, {o}",
    "i ordered the {i} in {oldc} but i want {c}, {o}",
    "{o}: change the {i} to {c} please",
    "please make the {i} in {o} {c} instead of {oldc}",
    "could the {i} on {o} be changed to the {c} one?",
    "i chose the wrong color for the {i}, i need {c}, order {w}",
    "change color of {i} to {c} please, order number {w}",
    "um can i get the {i} in {c} instead on {o}",
    "the {i} on {o}, i'd rather have it in {c}",
]
CHANGE_COLOR_NO_ID = [
    "can i change the colour of the {i} i ordered to {c}",
    "i'd like the {i} in my order in {c} instead",
    "please switch the {i} to {c} on my order",
]
CHANGE_BOTH = [
    "swap the {i} on {o} to {new} in {c}",
    "can you change the {i} on {o} to {c}, size {new}",
    "i need the {i} from {o} in {new} and in {c} instead",
    "{o}: the {i} should be {c} and {new}",
    "please change the {i} in order {w} to a {c} one in {new}",
]
CHANGE_ADDRESS = [
    "can I change the shipping address on {o} to {a}",
    "please send {o} to {a} instead",
    "i moved, the new address for {o} is {a}",
    "update the delivery address for {o}: {a}",
    "wrong address on {o}! it should go to {a}",
    "ship {o} to my work address: {a}",
    "change delivery adress to {a}, order {w}",
    "{o} new address {a}",
    "hi, can you redirect {o} to {a}",
    "i put the wrong address on {o}, please change it to {a}",
    "for {o} please deliver to {a} and not my old place",
    "please change the adress of my order {w}, new one is {a}",
    "um yeah so order {w} needs to go to {a} instead",
    "can the address on {o} be changed? it's {a} now",
    "i need {o} delivered to {a}",
]
CHANGE_ADDRESS_NO_ID = [
    "i need to change my delivery address to {a}",
    "please change the address on my order to {a}",
    "can you send my order to {a} instead",
    "new shipping address for my order: {a}",
    "my order should go to {a}, i gave the wrong address",
]
CHANGE_ADDRESS_NONE = [
    "i need to change the address on {o}",
    "can i change the delivery address for {o}",
    "wrong shipping address on {o}, how do i fix it",
    "i want to update the address on {o}",
]
CHANGE_ITEM_ADDRESS = [
    "change the {i} on {o} to {new} and send it to {a}",
    "for {o}: {i} in {new} please, and ship to {a}",
]
CHANGE_GENERIC = [
    "i want to change my order {w}",
    "can i modify {o}",
    "i need to make a change to {o}",
    "can i still edit {o}?",
    "i'd like to update {o}",
    "is it possible to change {o}",
    "change {o} please",
    "i want to make changes to {o} before it ships",
    "i made a mistake on {o} and need to change it",
    "hi, can i amend {o}",
]
CHANGE_NO_ID = [
    "i want to change my order",
    "can i change my order",
    "how do i change something in my order",
    "i need to edit my order",
    "i made a mistake in my order and want to change it",
    "can i still change my order before it ships",
    "i'd like to modify my order",
    "um i need to change my order",
]
CHANGE_PENDING_SIZE = [
    "{e}. and i want to change the {i} to {new}",
    "it's {e}, i need the {i} in {new} instead",
    "{e} - the {i} should be {new} please",
]
CHANGE_PENDING_COLOR = [
    "{e} - please change the {i} to {c}",
    "my email is {e}, please switch the {i} to {c}",
    "it's {e}. can the {i} be {c} instead",
]
CHANGE_PENDING_ADDRESS = [
    "{e}, and please send it to {a} instead",
    "it's {e}. the new address is {a}",
    "{e} - i need it delivered to {a}",
]

_STREETS = [
    "Elm",
    "Oak",
    "Maple",
    "Main",
    "Pine",
    "Cedar",
    "Lake",
    "Hill",
    "Park",
    "Washington",
    "Sunset",
    "Highland",
    "Church",
    "Mill",
    "Station",
]
_SUFFIXES = ["St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Lane", "Dr", "Way", "Court"]
_CITIES = [
    "Leeds",
    "Portland, OR 97205",
    "Austin, TX 78701",
    "Denver, CO",
    "Manchester M1 2AB",
    "Seattle WA 98101",
    "Chicago, IL 60614",
    "Bristol",
    "Dublin 2",
    "Toronto ON M5H 2M9",
    "Brooklyn, NY 11201",
    "San Diego",
    "Boston MA",
    "Phoenix, AZ 85004",
    "Edinburgh EH1 1YZ",
]
_FOREIGN_ADDRESSES = [
    "4 Rue Lepic, Paris",
    "12 rue de la Paix, 75002 Paris",
    "Hauptstraße 5, 10115 Berlin",
    "Calle Mayor 12, 28013 Madrid",
    "Via Roma 21, Milano",
    "Keizersgracht 123, Amsterdam",
    "2-3-1 Shibuya, Tokyo",
    "Rua Augusta 100, Lisboa",
    "ul. Marszałkowska 10, Warszawa",
    "Storgatan 8, Stockholm",
    "221B Baker Street, London NW1 6XE",
    "45 George St, Sydney NSW 2000",
]


def _address(rng: random.Random) -> str:
    """A delivery address as a shopper types it (kept exactly so in the parse)."""
    if rng.random() < 0.3:
        return rng.choice(_FOREIGN_ADDRESSES)
    street = f"{rng.randrange(1, 2500)} {rng.choice(_STREETS)} {rng.choice(_SUFFIXES)}"
    if rng.random() < 0.2:
        street = rng.choice(["Apt 4B, ", "Flat 2, ", "Unit 12, ", "Suite 300, ", "apt 7, "]) + street
    address = f"{street}, {rng.choice(_CITIES)}"
    if rng.random() < 0.2:
        address = address.lower().replace(",", "")
    return address


def change(cat: Catalog, rng: random.Random) -> dict:
    """change_order: the item and its new size or colour, a new address, both, none named; with
    and without an id, with an email, after the assistant asked for the email."""
    written, oid = _order_id(rng)
    phrase = _order_phrase(written, rng)
    r = rng.random()
    ctx = NONE
    if r < 0.3:
        shoes = rng.random() < 0.35
        item = rng.choice(SHOE_ITEMS if shoes else APPAREL_ITEMS)
        old, new = _size_pair(cat, rng, shoes)
        fill = {"i": item, "o": phrase, "w": written, "old": _say_size(old, rng, shoes), "new": _say_size(new, rng, shoes)}
        if rng.random() < 0.2:
            text = _fill(rng.choice(CHANGE_SIZE_NO_ID), **fill)
            return ex(text, ctx, "change_order", rng, item=item, size=new)
        text = _fill(rng.choice(CHANGE_SIZE), **fill)
        return ex(text, ctx, "change_order", rng, order_id=oid, item=item, size=new)
    colors = cat.colors if len(cat.colors) >= 2 else _COLORS  # a catalog without colours: the usual ones
    if r < 0.47:
        item = rng.choice(CHANGE_ITEMS)
        oldc, color = rng.sample(colors, 2)
        fill = {"i": item, "o": phrase, "w": written, "c": color, "oldc": oldc}
        if rng.random() < 0.2:
            text = rng.choice(CHANGE_COLOR_NO_ID).format(**fill)
            return ex(text, ctx, "change_order", rng, item=item, color=color)
        text = rng.choice(CHANGE_COLOR).format(**fill)
        return ex(text, ctx, "change_order", rng, order_id=oid, item=item, color=color)
    if r < 0.53:
        shoes = rng.random() < 0.35
        item = rng.choice(SHOE_ITEMS if shoes else APPAREL_ITEMS)
        _old, new = _size_pair(cat, rng, shoes)
        color = rng.choice(colors)
        text = _fill(rng.choice(CHANGE_BOTH), i=item, o=phrase, w=written, c=color, new=_say_size(new, rng, shoes))
        return ex(text, ctx, "change_order", rng, order_id=oid, item=item, size=new, color=color)
    if r < 0.72:
        address = _address(rng)
        if rng.random() < 0.2:
            text = rng.choice(CHANGE_ADDRESS_NO_ID).format(a=address)
            return ex(text, ctx, "change_order", rng, address=address)
        text = rng.choice(CHANGE_ADDRESS).format(o=phrase, w=written, a=address)
        return ex(text, ctx, "change_order", rng, order_id=oid, address=address)
    if r < 0.76:
        text = rng.choice(CHANGE_ADDRESS_NONE).format(o=phrase)
        return ex(text, ctx, "change_order", rng, order_id=oid)
    if r < 0.79:
        shoes = rng.random() < 0.35
        item = rng.choice(SHOE_ITEMS if shoes else APPAREL_ITEMS)
        _old, new = _size_pair(cat, rng, shoes)
        address = _address(rng)
        text = _fill(rng.choice(CHANGE_ITEM_ADDRESS), i=item, o=phrase, new=_say_size(new, rng, shoes), a=address)
        return ex(text, ctx, "change_order", rng, order_id=oid, item=item, size=new, address=address)
    if r < 0.86:
        if rng.random() < 0.4:
            email = _any_email(rng)
            text = rng.choice(CHANGE_GENERIC).format(o=phrase, w=written) + rng.choice([", my email is {}", ", email {}", " ({})"]).format(
                email
            )
            return ex(text, NONE, "change_order", rng, order_id=oid, email=email)
        text = rng.choice(CHANGE_GENERIC).format(o=phrase, w=written)
        return ex(text, _context(cat, rng), "change_order", rng, order_id=oid)
    if r < 0.92:
        return ex(rng.choice(CHANGE_NO_ID), _context(cat, rng), "change_order", rng)
    ctx, pid = _pending(rng, rng.choice(["change_order", "order_status"]))
    email = _any_email(rng)
    said = _said_email(email, rng)
    if rng.random() < 0.35:
        address = _address(rng)
        text = rng.choice(CHANGE_PENDING_ADDRESS).format(e=said, a=address)
        return ex(text, ctx, "change_order", rng, noise=False, order_id=pid, email=email, address=address)
    shoes = rng.random() < 0.35
    item = rng.choice(SHOE_ITEMS if shoes else APPAREL_ITEMS)
    _old, new = _size_pair(cat, rng, shoes)
    color = rng.choice(colors)
    if rng.random() < 0.5:
        text = _fill(rng.choice(CHANGE_PENDING_SIZE), e=said, i=item, new=_say_size(new, rng, shoes))
        return ex(text, ctx, "change_order", rng, noise=False, order_id=pid, email=email, item=item, size=new)
    text = rng.choice(CHANGE_PENDING_COLOR).format(e=said, i=item, c=color)
    return ex(text, ctx, "change_order", rng, noise=False, order_id=pid, email=email, item=item, color=color)


# -- invoices and refund status (order_status) ----------------------------------------------

INVOICE_WITH_ID = [
    "need an invoice for {o}",
    "can you send me the invoice for {o}",
    "i need a receipt for {o}",
    "where can i download the invoice for {o}",
    "please email me a copy of the bill for {o}",
    "i need a vat invoice for {o} for my company",
    "could i get an itemised receipt for {o}",
    "invoice for {w} pls",
    "my accountant needs the invoice for {o}",
    "can i have a tax invoice for {o}",
    "i need the invoice of my order {w}",
    "how can i get invoice for order {w}?",
    "please send me the bill of {o}",
    "i never got a receipt for {o}, can you send one",
    "receipt for {o} please",
    "um hi so i need like a receipt for order {w}",
    "could you resend the invoice for {o}, i lost the email",
    "i need proof of purchase for {o}, an invoice is fine",
    "can i get a pdf invoice for {o}",
    "hello, please provide invoice for order number {w}",
    "i need an invoce for {o}",
    "send me the reciept for {o}",
    "where is my invoice for {o}? i need it for work expenses",
    "i need the invoice with my company name on it for {o}",
]
INVOICE_WITH_STATUS = [
    "where is {o} and can i get the invoice",
    "has {o} shipped? also i need a receipt",
    "status of {o} please, and send me the invoice",
    "when does {o} arrive, and can you email the bill",
]
INVOICE_NO_ID = [
    "can i get an invoice for my order",
    "i need a receipt for what i bought",
    "please send me the invoice for my last order",
    "how do i get a receipt for my purchase",
    "i need an invoice for my purchase for tax purposes",
    "where do i find the invoice for my order",
    "can you email me my receipt",
    "i need a copy of the bill for my order",
]
INVOICE_PENDING = [
    "{e}, and please send the invoice too",
    "it's {e}. i also need the receipt",
    "{e} - can i get an invoice for it",
    "my email is {e}, i need the invoice",
]
REFUND_WITH_ID = [
    "where is my refund for {w}",
    "i returned {o} two weeks ago and still no refund",
    "has the refund for {o} gone through",
    "refund status for {o}?",
    "still waiting on my refund, order {w}",
    "my refund for {o} hasn't arrived",
    "did you receive my return for {o}?",
    "you said you'd refund {o}, where is it",
    "when will the refund for {o} hit my card",
    "has my money for {o} been sent back yet",
    "i sent back {o} last week, any news on the refund",
    "what's happening with my refund on {o}",
    "refund for {o} still not on my account!!",
    "hello, i am waiting refund for order {w} since 10 days",
    "um so where's my refund for {w}",
    "is the refund for {o} processed",
    "it's been a month, where is the refund for {o}",
    "checking on the refund for {o}",
]
REFUND_NO_ID = [
    "where is my refund",
    "i still haven't received my refund",
    "my refund hasn't shown up on my card yet",
    "has my refund been processed",
    "i returned my order weeks ago and no refund yet",
    "still no refund, what's going on",
    "did you get my return? i'm waiting for the refund",
    "is my refund on its way",
]


def invoice_refund(cat: Catalog, rng: random.Random) -> dict:
    """order_status: an invoice, receipt or bill asked for (``invoice``), or where a refund is
    (the order's status answers it)."""
    written, oid = _order_id(rng)
    phrase = _order_phrase(written, rng)
    r = rng.random()
    if r < 0.3:
        text = rng.choice(INVOICE_WITH_ID).format(o=phrase, w=written)
        return ex(text, _context(cat, rng, 0.1), "order_status", rng, order_id=oid, invoice=True)
    if r < 0.36:
        email = _any_email(rng)
        text = rng.choice(INVOICE_WITH_ID).format(o=phrase, w=written) + rng.choice(
            [", my email is {}", ", email {}", ". {}", " ({})"]
        ).format(email)
        return ex(text, NONE, "order_status", rng, order_id=oid, email=email, invoice=True)
    if r < 0.41:
        text = rng.choice(INVOICE_WITH_STATUS).format(o=phrase)
        return ex(text, NONE, "order_status", rng, order_id=oid, invoice=True)
    if r < 0.5:
        return ex(rng.choice(INVOICE_NO_ID), NONE, "order_status", rng, invoice=True)
    if r < 0.56:
        ctx, pid = _pending(rng, "order_status")
        email = _any_email(rng)
        text = rng.choice(INVOICE_PENDING).format(e=_said_email(email, rng))
        return ex(text, ctx, "order_status", rng, noise=False, order_id=pid, email=email, invoice=True)
    if r < 0.84:
        text = rng.choice(REFUND_WITH_ID).format(o=phrase, w=written)
        return ex(text, NONE, "order_status", rng, order_id=oid)
    if r < 0.9:
        email = _any_email(rng)
        text = rng.choice(REFUND_WITH_ID).format(o=phrase, w=written) + rng.choice([", email {}", ", it's under {}", " - {}"]).format(email)
        return ex(text, NONE, "order_status", rng, order_id=oid, email=email)
    return ex(rng.choice(REFUND_NO_ID), NONE, "order_status", rng)


# -- complaints (human_agent) ---------------------------------------------------------------

COMPLAINT_ABOUT = [
    "your delivery driver",
    "the courier",
    "your customer service",
    "the quality of the jacket i got",
    "how i was treated in your store",
    "a rude agent on the phone",
    "the packaging",
    "late deliveries",
    "being charged twice",
    "your return process",
    "the delivery guy who left my parcel in the rain",
    "a member of your staff",
    "the way my refund was handled",
    "misleading product photos",
    "the damaged box i received",
]
COMPLAINT = [
    "I want to file a complaint about {t}",
    "i'd like to make a complaint about {t}",
    "i wish to raise a complaint regarding {t}",
    "this is a formal complaint about {t}",
    "I'm writing to complain about {t}",
    "complaint about {t}",
    "can i speak to someone about a complaint",
    "i want to complain",
    "how do i make a formal complaint",
    "who do i complain to",
    "i'd like to escalate a complaint",
    "where can i lodge a complaint",
    "i need to report a complaint about {t}",
    "i want to complain about {t}, it was unacceptable",
    "your driver threw my parcel over the fence, i want to complain",
    "i have a complaint",
    "complaint!",
    "i am very unhappy with {t} and i want to make a complaint",
    # non-native
    "i want make complaint about delivery man, he was very rude",
    "i am not happy, i want to do a complaint",
    "please i want to give complain about {t}",
    "how i can make complaint",
    # spoken
    "yeah hi um i'd like to make a complaint about the delivery guy",
    "so uh i wanna complain about {t}",
    "um hi i have a complaint about {t}",
    # typos
    "i want to file a complant about {t}",
    "complain about {t} pls",
]
COMPLAINT_ANGRY = [
    "this is the worst service ever, i want to file a complaint",
    "absolutely disgusted with {t}. formal complaint. now",
    "i've had enough, i want to complain to someone in charge",
    "unbelievable. who do i complain to about {t}",
]
COMPLAINT_ORDER = [
    "complaint about {o}: it arrived two weeks late and the box was destroyed",
    "i want to file a complaint about {o}",
    "i'd like to complain about how {o} was handled",
    "formal complaint regarding {o}, the courier was rude",
    "{o} - i want to make a complaint",
]


def complaint(cat: Catalog, rng: random.Random) -> dict:
    """human_agent with ``complaint``: a complaint made, about anything, with or without an order."""
    topic = rng.choice(COMPLAINT_ABOUT)
    r = rng.random()
    if r < 0.62:
        text = rng.choice(COMPLAINT).format(t=topic)
        return ex(text, _context(cat, rng, 0.2), "human_agent", rng, complaint=True)
    if r < 0.75:
        text = rng.choice(COMPLAINT_ANGRY).format(t=topic)
        return ex(text, NONE, "human_agent", rng, complaint=True)
    written, oid = _order_id(rng)
    text = rng.choice(COMPLAINT_ORDER).format(o=_order_phrase(written, rng))
    if r < 0.9:
        return ex(text, NONE, "human_agent", rng, order_id=oid, complaint=True)
    email = _any_email(rng)
    text += rng.choice([", contact me at {}", ", my email is {}", " ({})"]).format(email)
    return ex(text, NONE, "human_agent", rng, order_id=oid, email=email, complaint=True)
