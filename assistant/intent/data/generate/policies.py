"""Policy question families (``policy_question``): plain questions on the six topics (``policy``),
questions with products on screen, with numbers that are no price filter and other phrasings
(``policy_more``), and payment, store and chat-data questions that look out of scope
(``policy_misread``).
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import NONE, Catalog, ex, money, shown_context
from assistant.intent.data.generate.refs import _brand_ref, _ref

POLICY_QUESTIONS = {
    "shipping": [
        "how much is shipping",
        "do you ship to canada",
        "how long does delivery take",
        "is shipping free",
        "shipping costs?",
        "do you offer express delivery",
        "when will it ship if i order today",
    ],
    "returns": [
        "what's your return policy",
        "how long do i have to return something",
        "can i return opened earbuds",
        "are returns free",
        "how do refunds work",
        "return window?",
        "can i exchange for a different size",
    ],
    "warranty": [
        "what's the warranty on headphones",
        "is there a warranty",
        "how long is the guarantee on laptops",
        "does the warranty cover drops",
        "warranty info please",
        "what if it breaks after a year",
    ],
    "payment": [
        "do you take paypal",
        "can i pay with apple pay",
        "what payment methods do you accept",
        "do you offer klarna",
        "can i pay in installments",
        "when is my card charged",
    ],
    "privacy": [
        "what do you do with my data",
        "do you sell my personal information",
        "how do i delete my account",
        "privacy policy?",
        "how long do you keep chat logs",
    ],
    "contact": [
        "what's your phone number",
        "what are your opening hours",
        "how can i contact support",
        "where is your store",
        "are you open on sunday",
        "customer service email?",
    ],
}
#: more policy phrasings, appended to the lists above
POLICY_MORE = {
    "shipping": [
        "do you deliver internationally",
        "how much does next day delivery cost",
        "can you ship to a p.o. box",
        "what carriers do you use",
        "is there a minimum order for free shipping",
        "how fast is standard shipping",
        "do you ship on weekends",
        "what does express cost",
        "can i pick it up in store",
        "how long until it gets here",
        "do you deliver to alaska",
        "shipping to the uk?",
        "what if my package gets lost",
        "free delivery over what amount",
    ],
    "returns": [
        "can i get my money back",
        "how many days do i have to send it back",
        "do i pay for return shipping",
        "can i return a sale item",
        "when will i get my refund",
        "can i swap it for another colour",
        "is there a restocking fee",
        "return policy for electronics?",
        "can i return without a receipt",
        "what can't be returned",
    ],
    "warranty": [
        "what does the warranty cover",
        "do you sell extended protection plans",
        "how do i make a warranty claim",
        "is accidental damage covered",
        "my blender stopped working after 8 months, is that covered",
        "how long is the warranty",
        "manufacturer warranty or yours?",
        "are batteries covered by the warranty",
    ],
    "payment": [
        "do you accept amex",
        "can i use a gift card",
        "is it safe to pay with my card here",
        "do you take google pay",
        "buy now pay later?",
        "do you accept cash on delivery",
        "which cards do you take",
        "can i split the payment",
    ],
    "privacy": [
        "do you share my data with third parties",
        "can i see what data you have on me",
        "do you use cookies",
        "are my payment details stored",
        "is this chat recorded",
        "how do i opt out of marketing emails",
        "gdpr request",
    ],
    "contact": [
        "how do i reach you by phone",
        "when is customer service open",
        "do you have a live chat on weekends",
        "what's your address",
        "is there an email for complaints",
        "what time do you close today",
        "are you open on holidays",
        "how can i get in touch",
    ],
}
for _topic, _more in POLICY_MORE.items():
    POLICY_QUESTIONS[_topic] = POLICY_QUESTIONS[_topic] + _more


def policy(cat: Catalog, rng: random.Random) -> dict:
    topic = rng.choice(list(POLICY_QUESTIONS))
    text = rng.choice(POLICY_QUESTIONS[topic])
    return ex(text, NONE if rng.random() < 0.8 else shown_context(cat, rng)[0], "policy_question", rng, policy_topic=topic)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --

POLICY_WITH_PRODUCTS = {
    "shipping": [
        "how quickly can these be delivered",
        "when would {r} arrive if i order now",
        "do you ship these abroad",
        "how much to deliver {r}",
        "can {r} be here by friday",
    ],
    "returns": [
        "can i return these if they don't fit",
        "if i try {r} on can i still send it back",
        "what if i don't like {r}, can i return it",
        "once opened can these be returned",
        "is {r} returnable",
    ],
    "warranty": [
        "do these have a warranty",
        "is {r} covered by a guarantee",
        "what if {r} breaks",
        "how long is the guarantee on {r}",
        "what happens if it stops working in a few months",
    ],
    "payment": ["can i pay for {r} in instalments", "do you take paypal for these", "any discount codes for {r}"],
}
#: policy questions with a number in them that is no price filter ("free delivery if i spend over 50")
POLICY_WITH_NUMBERS = {
    "shipping": [
        "is shipping free on orders over {p}",
        "do i get free delivery if i spend {p}",
        "how much is delivery on a {p} order",
        "if i spend over {p} is postage free",
        "whats the minimum for free shipping, is it {p}",
    ],
    "returns": [
        "can i return something i paid {p} for",
        "i spent {p}, do i get the full refund if i return it",
        "do you refund the whole {p} or keep a fee",
    ],
    "payment": [
        "can i split a {p} purchase into instalments",
        "is there a limit for paypal, my order is {p}",
        "do you give a discount over {p}",
    ],
    "warranty": ["is a {p} blender covered by the warranty", "does the warranty cover items under {p}"],
}
POLICY_EXTRA = {
    "payment": [
        "i was charged two times",
        "why did my card get declined",
        "do students get a discount",
        "any promo codes right now",
        "can i pay with a voucher",
        "i see a double charge on my statement",
    ],
    "privacy": [
        "unsubscribe me from the newsletter",
        "please stop emailing me offers",
        "delete everything you have on me",
        "who can see my order history",
        "take me off your mailing list",
    ],
    "warranty": ["my kettle died after 5 months, what now", "what if my headphones break next year", "is wear and tear covered"],
    "returns": ["what's the deadline for sending stuff back", "do you refund the original shipping", "can i return a gift"],
    "contact": ["is there a phone line", "can i email you", "what's the best way to reach you"],
}


def policy_more(cat: Catalog, rng: random.Random) -> dict:
    if rng.random() < 0.2:
        topic = rng.choice(list(POLICY_WITH_NUMBERS))
        text = rng.choice(POLICY_WITH_NUMBERS[topic]).format(p=money(rng.choice([35, 50, 75, 100, 200]), rng))
        return ex(text, NONE, "policy_question", rng, policy_topic=topic)
    if rng.random() < 0.55:
        ctx, shown, _ = shown_context(cat, rng)
        topic = rng.choice(list(POLICY_WITH_PRODUCTS))
        phrase, _canon = _brand_ref(shown, rng) or _ref(shown, rng)
        text = rng.choice(POLICY_WITH_PRODUCTS[topic]).format(r=phrase)
        return ex(text, ctx, "policy_question", rng, policy_topic=topic)
    topic = rng.choice(list(POLICY_EXTRA))
    return ex(rng.choice(POLICY_EXTRA[topic]), NONE, "policy_question", rng, policy_topic=topic)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

POLICY_MISREAD = {
    "payment": [
        "do you take crypto",
        "can i pay with bitcoin",
        "do you accept apple pay",
        "klarna available?",
        "can i pay later",
        "is paypal an option",
        "do you do afterpay",
        "can i pay in ethereum",
        "do you take venmo",
        "can i use google pay here",
        "do you take debit cards",
        "pay in 4?",
        "can i spread the cost over a few months",
        "is there a buy now pay later option",
        "do you accept affirm",
        "can i pay with my paypal balance",
        "crypto payments?",
        "do you accept dogecoin",
        "can i pay by bank transfer",
        "what cards do you accept",
        "can i use two cards for one order",
        "can i pay half now and half later",
        "does klarna work for this",
        "apple pay ok?",
        "can i check out with paypal",
        "do you take mastercard",
        "is paying later possible",
    ],
    "contact": [
        "do you have a physical store",
        "is there a showroom i can visit",
        "can i pick it up in person",
        "where are you based",
        "where are you located",
        "do you have a shop i can go to",
        "can i come see the products in person",
        "are you online only",
        "what country are you based in",
        "do you have a store in portland",
        "is there a retail location",
        "can i visit your office",
        "where's your headquarters",
        "do you have a brick and mortar shop",
        "can i come in and try things on",
        "are you a real shop or just a website",
        "what city are you in",
        "where is your company located",
        "do you have any stores near me",
    ],
    "privacy": [
        "do you keep my chat history",
        "how long do you keep this conversation",
        "is this chat saved",
        "do you store what i type here",
        "what cookies do you use",
        "can i turn off cookies",
        "delete my chat history",
        "do you track me across sites",
        "how long is my data retained",
        "what's your data retention policy",
        "do you record these chats",
        "will you remember this conversation",
        "who can read this chat",
        "do you use tracking cookies",
        "can i opt out of cookies",
        "is my data shared with advertisers",
        "do you sell my chat logs",
        "how do i get my data deleted",
    ],
}


def policy_misread(cat: Catalog, rng: random.Random) -> dict:
    """Payment methods, a physical store and chat-data questions: policy questions that look out of scope."""
    topic = rng.choice(list(POLICY_MISREAD))
    text = rng.choice(POLICY_MISREAD[topic])
    if rng.random() < 0.15:
        text = rng.choice(["quick question, ", "hey, ", "before i order, ", "um ", "also "]) + text
    ctx = NONE if rng.random() < 0.75 else shown_context(cat, rng)[0]
    return ex(text, ctx, "policy_question", rng, policy_topic=topic)


# -- fifth round: account, payment and shipping questions next to the new order actions --------

#: questions about the shopper's account, payment and where the shop ships; ``None``: no topic of
#: the demo policies fits (a password, a login), the question is still the shop's
POLICY_ACCOUNT: dict[str | None, list[str]] = {
    None: [
        "how do i reset my password",
        "i forgot my password",
        "i can't log in to my account",
        "how do i change the email on my account",
        "do i need an account to order",
        "can i check out as a guest",
        "how do i create an account",
        "my account is locked",
        "i didn't get the password reset email",
        "how do i change my name on my account",
        "how do i turn on two factor authentication",
        "how do i update my phone number on my account",
        "the password reset link doesn't work",
        "how do i sign up",
        "can two people share one account",
        "i keep getting logged out",
        "how do i change my password",
        "why can't i sign in",
        "pasword reset pls",
        "i forgot which email i used for my account",
    ],
    "payment": [
        "which payment methods do you take",
        "my card got declined at checkout",
        "why does checkout keep rejecting my card",
        "payment failed but the money left my account",
        "can i pay with a gift card and a credit card",
        "how do i check my gift card balance",
        "do you charge my card when i order or when it ships",
        "there's a pending charge on my card from you",
        "how do i change the card saved on my account",
        "how do i remove my card from my account",
        "do you take visa debit",
        "what currency are your prices in",
        "do you add sales tax",
        "i was charged but my order didn't go through",
        "my payment keeps failing on your site",
        "why is there a hold on my card",
        "my card was declined but i have money on it",
        "can i pay by invoice",
        "do you accept discover",
        "what cards can i use here",
    ],
    "privacy": [
        "how do i delete my account",
        "close my account please",
        "can you delete my account and all my data",
        "how do i stop personalised recommendations",
        "how do i download my data",
        "what happens to my data if i delete my account",
    ],
    "shipping": [
        "do you ship to {c}",
        "do you deliver to {c}",
        "can i get it shipped to {c}",
        "international shipping to {c}?",
        "how long does delivery to {c} take",
        "do i pay customs if you ship to {c}",
        "what's your cancellation policy",
        "until when can i cancel an order",
        "can orders be changed after they ship",
        "can i change my delivery address after the order has shipped",
    ],
}
SHIP_COUNTRIES = [
    "Norway",
    "Germany",
    "Japan",
    "Australia",
    "Brazil",
    "India",
    "Mexico",
    "Canada",
    "the UK",
    "Ireland",
    "South Africa",
    "New Zealand",
    "Switzerland",
    "france",
    "spain",
    "Puerto Rico",
    "hawaii",
]


def policy_account(cat: Catalog, rng: random.Random) -> dict:
    """Account, payment and shipping-country questions: policy questions, with the topic only when
    a demo policy covers it (a password or a login has none)."""
    topic = rng.choices(list(POLICY_ACCOUNT), [0.35, 0.35, 0.1, 0.2])[0]
    text = rng.choice(POLICY_ACCOUNT[topic]).format(c=rng.choice(SHIP_COUNTRIES))
    if rng.random() < 0.2:
        text = rng.choice(["hi, ", "quick question, ", "hey ", "um ", "hello, "]) + text
    ctx = NONE if rng.random() < 0.85 else shown_context(cat, rng)[0]
    return ex(text, ctx, "policy_question", rng, policy_topic=topic)
