"""Greeting and out-of-scope families: hellos, thanks, goodbyes and "what can you do"
(``greeting``, ``greeting_more``, ``capability_greeting``), and requests the shop cannot help
with, from plain ones (``out_of_scope``) to hard negatives that borrow product words, brands
and numbers (``oos_more``, ``oos_hard``).
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import NONE, Catalog, ex, shown_context


def greeting(cat: Catalog, rng: random.Random) -> dict:
    text = rng.choice(
        [
            "hi",
            "hello",
            "hey there",
            "good morning",
            "hi! what can you do?",
            "hello, anyone there?",
            "hey",
            "good evening",
            "hiya",
            "greetings",
            "hi, how does this work?",
            "good afternoon",
            "yo",
            "howdy",
            "hello, what can you help with",
            "hi there",
            "hey, what do you do",
            "evening",
            "hello! who am i talking to",
            "hi, can you help me?",
            "heya",
            "what can i ask you",
            "hey bot",
        ]
    )
    return ex(text, NONE, "greeting", rng)


OUT_OF_SCOPE = [
    "what's the weather tomorrow",
    "will it rain this weekend",
    "transfer $200 to my savings account",
    "what's my bank balance",
    "book a flight to paris",
    "find me a hotel in rome",
    "tell me a joke",
    "write me a poem about shoes",
    "write a python function to sort a list",
    "fix my javascript code",
    "what's 17 times 23",
    "solve x squared minus 4 equals 0",
    "who won the game last night",
    "latest news today",
    "how do i make lasagna",
    "recipe for banana bread",
    "translate hello into spanish",
    "what's the capital of australia",
    "are you a robot",
    "what's your name",
    "do you have feelings",
    "what is the meaning of life",
    "i have a headache what should i take",
    "is this mole cancer",
    "can i sue my landlord",
    "what's the stock price of apple",
    "should i invest in bitcoin",
    "how do i change a tire",
    "play some music",
    "set an alarm for 7am",
    "call my mom",
    "what time is it in tokyo",
    "help me write a cover letter",
    "summarize this article",
    "who is the president",
    "how tall is mount everest",
    "recommend a good movie",
    "what should i name my dog",
    "explain quantum physics",
    "how do i lose weight fast",
    "order me a pizza",
    "book a table for two tonight",
    "what's the best car to buy",
    "rent me an apartment",
]


OOS_TEMPLATES = [
    ("what's the weather in {}", ["london", "new york", "berlin", "my area", "chicago", "madrid"]),
    ("book me a {}", ["flight to berlin", "train to boston", "hotel for friday", "taxi", "rental car", "dentist appointment", "haircut"]),
    (
        "how do i {}",
        [
            "bake sourdough",
            "fix a leaky tap",
            "file my taxes",
            "learn guitar",
            "reset my router",
            "get a passport",
            "cook rice",
            "tie a tie",
            "unclog a drain",
            "open a bank account",
            "train my puppy",
        ],
    ),
    (
        "can you {}",
        [
            "do my homework",
            "write an essay on climate change",
            "debug this sql query",
            "translate this letter into french",
            "send an email to my boss",
            "remind me to call the doctor",
            "check my credit score",
            "sing a song",
            "give me directions to the airport",
            "predict the lottery numbers",
            "draw a cat",
        ],
    ),
    ("who {}", ["won the world cup", "wrote hamlet", "invented the telephone", "is the best footballer ever", "painted the mona lisa"]),
    (
        "what is {}",
        [
            "the square root of 144",
            "the population of canada",
            "photosynthesis",
            "inflation",
            "a black hole",
            "the best diet",
            "the speed of light",
            "the exchange rate for euros",
            "my horoscope today",
        ],
    ),
    ("tell me {}", ["a story", "a fun fact", "something interesting", "about the roman empire", "the latest football scores", "a riddle"]),
    ("i need help with {}", ["my mortgage", "my visa application", "my math homework", "a breakup", "my car insurance", "my resume"]),
]


def out_of_scope(cat: Catalog, rng: random.Random) -> dict:
    if rng.random() < 0.45:
        template, fillers = rng.choice(OOS_TEMPLATES)
        text = template.format(rng.choice(fillers))
    else:
        text = rng.choice(OUT_OF_SCOPE)
    if rng.random() < 0.3:
        text = rng.choice(["hey can you ", "quick question, ", "please ", "can you help me: "]) + text
    ctx = NONE if rng.random() < 0.8 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --


def greeting_more(cat: Catalog, rng: random.Random) -> dict:
    ctx = shown_context(cat, rng)[0] if rng.random() < 0.5 else NONE
    text = rng.choice(
        [
            "thanks, that's everything",
            "cheers, all good",
            "great, thank you!",
            "perfect thanks bye",
            "ok that's all for now",
            "thank you so much",
            "appreciate it",
            "bye",
            "that helps, thanks",
            "thanks for the help",
            "all sorted, ta",
            "what are you able to help with",
            "what things can i ask you about",
            "how can you help me",
            "what do you do exactly",
            "what sort of things can you help with",
            "what kinds of questions can i ask",
            "what are you good for",
            "what can you do for me",
            "so what do you actually do",
        ]
    )
    return ex(text, ctx, "greeting", rng)


OOS_PRODUCT_TEMPLATES = [
    "how do i {v} my {n}",
    "what's the best way to {v} a {n}",
    "how often should i {v} my {n}",
    "write a {w} about {n}",
    "write me a {w} for my {n} shop",
    "give me a {t} for a {n} company",
    "come up with a {t} for my {n} business",
    "draw a {a} with {n}",
    "make a picture of a {a} and {n}",
    "who invented the {n}",
    "what's the history of the {n}",
    "how much is my old {n} worth",
    "where can i sell my used {n}",
    "find a {s} near me",
    "is there a {s} nearby",
    "is {b} a good company to work for",
    "should i buy {b} shares",
    "what's {b}'s stock price",
    "how many calories in a {f}",
    "is it ok to take {d} with {f}",
    "can i give my dog {f}",
    "what's {x} percent of {y}",
    "convert {x} {u1} to {u2}",
    "how do i get {st} out of my {n}",
    "how do i remove {st} from a {c} {g}",
    "what gets {st} out of {g}",
    "can my {who} {act}",
    "is my {who} allowed to {act}",
    "how do i get a refund from my {co}",
    "my {co} won't refund me, what can i do",
    "how do i return a rental car",
    "can i get my deposit back from my {who}",
]
OOS_FILLS = {
    "v": ["clean", "wash", "repair", "recycle", "descale", "dry", "iron", "paint", "store", "get rid of", "fold", "waterproof"],
    "w": ["poem", "song", "short story", "tweet", "product description", "blog post", "limerick", "review"],
    "t": ["slogan", "name", "tagline", "logo idea", "mission statement"],
    "a": ["dog", "cat", "robot", "dragon", "penguin"],
    "s": ["plumber", "dentist", "mechanic", "tailor", "locksmith", "hairdresser", "cobbler", "vet", "pharmacy", "gym"],
    "f": ["burger", "pizza slice", "banana", "croissant", "glass of wine", "chocolate bar"],
    "d": ["aspirin", "ibuprofen", "antibiotics", "melatonin"],
    "u1": ["miles", "pounds", "inches", "litres"],
    "u2": ["km", "kilos", "cm", "gallons"],
    "st": ["red wine", "coffee", "grass stains", "ink", "grease", "blood", "chewing gum"],
    "c": ["white", "black", "blue", "red"],
    "g": ["shirt", "carpet", "jeans", "sofa", "rug", "t-shirt"],
    "who": ["landlord", "boss", "employer", "neighbour", "bank", "school"],
    "act": ["keep my deposit", "fire me for this", "read my emails", "raise the rent", "charge me a fee", "cancel my contract"],
    "co": ["airline", "gym", "phone company", "bank", "internet provider", "hotel"],
}


def oos_more(cat: Catalog, rng: random.Random) -> dict:
    """Out-of-scope requests that mention products, brands or numbers: the hard negatives."""
    r = rng.random()
    if r < 0.15:
        text = rng.choice(
            [
                "are you a bot or a person",
                "is this an ai",
                "am i talking to a machine",
                "which ai model are you",
                "who built you",
                "are you chatgpt",
                "do you have a name",
                "how old are you",
                "are you alive",
            ]
        )
    else:
        template = rng.choice(OOS_PRODUCT_TEMPLATES)
        category = rng.choice(list(cat.nouns))
        brands = [b for bs in cat.brands.values() for b in bs]
        fills = {k: rng.choice(v) for k, v in OOS_FILLS.items()}
        fills.update(
            n=rng.choice(cat.nouns[category]), b=rng.choice(brands), x=rng.choice([5, 12, 15, 20, 35]), y=rng.choice([80, 240, 1200, 60])
        )
        text = template.format(**fills)
    ctx = NONE if rng.random() < 0.75 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

OOS_HARD = {
    "acronym": [
        "what does {a} stand for",
        "what does {a} mean",
        "what is {a} short for",
        "whats the full form of {a}",
        "{a} stands for what",
        "what's the difference between {a} and {b}",
        "explain {a} to me like i'm five",
    ],
    "trivia": [
        "who invented {t}",
        "when were {t} invented",
        "who came up with {t}",
        "what year were {t} invented",
        "history of {t}?",
        "how many {t} are sold every year",
        "fun fact about {t}",
        "why are {t} called that",
    ],
    "finance": [
        "is a roth ira better than a 401k",
        "index funds vs etfs",
        "should i put my savings in stocks or bonds",
        "credit card or debit card, which is better for building credit",
        "high yield savings vs cds",
        "compare vanguard and fidelity",
        "is it better to rent or buy a house",
        "what's a good credit score",
        "should i pay off my car loan early",
        "which is better, a roth or traditional ira",
        "how much should i save for retirement",
        "is gold a good investment",
        "{b} stock vs the s&p 500",
        "is {b} stock a buy right now",
        "compare {b} and {c} as investments",
        "what's the dividend on {b} shares",
    ],
    "physics": [
        "how does {h} work",
        "why do {w}",
        "what makes {x}",
        "how do {y} actually work",
        "explain how {h} works",
        "the science behind {h}?",
    ],
    "riddle": [
        "tell me a riddle",
        "got any brain teasers",
        "give me a puzzle to solve",
        "riddle me this",
        "tell me a joke about {t}",
        "i'm bored, entertain me",
        "know any good puns about {t}",
        "knock knock",
        "give me a logic puzzle",
        "what's a good trivia question",
        "help me with this crossword clue",
        "can we play twenty questions",
        "tell me something funny",
        "got a joke for me",
        "let's play a word game",
        "quiz me on capital cities",
    ],
    "carrier": [
        "can i cancel my phone plan early",
        "which carrier has the best coverage",
        "how do i switch carriers and keep my number",
        "is unlimited data worth it",
        "how do i port my number",
        "my phone bill is too high, what can i do",
        "what's the cheapest phone plan",
        "can i get out of my 2 year contract",
        "why is my data so slow",
        "does my carrier charge for roaming in europe",
        "how do i add a line to my family plan",
        "should i get a prepaid plan",
    ],
    "support": [
        "my laptop wifi keeps dropping",
        "my phone won't charge anymore",
        "how do i factory reset my iphone",
        "my printer says it's offline",
        "how do i update windows",
        "my tv has no sound",
        "how do i speed up my old laptop",
        "my bluetooth won't find my car",
        "how do i clear space on my phone",
        "my laptop fan is really loud",
        "my headphones keep disconnecting from my pc",
        "my screen keeps flickering",
        "how do i back up my phone",
        "my airpods only play in one ear, i got them at the apple store",
        "how do i connect my laptop to a projector",
        "why is my phone so slow",
        "the laptop my work gave me won't turn on",
    ],
    "homework": [
        "help me with my chemistry homework",
        "what's the answer to question 4 on my worksheet",
        "explain the pythagorean theorem",
        "write my book report on of mice and men",
        "how many sides does a hexagon have",
        "check my essay for grammar",
        "what's the formula for the area of a circle",
        "help me study for my biology test",
        "solve 3x plus 7 equals 22",
        "what caused world war one",
        "how do i cite a website in apa",
        "my kid needs help with fractions",
    ],
    "recipe": [
        "how do i make pancakes",
        "what's a good recipe for my air fryer",
        "how long do i cook chicken in an air fryer",
        "best steak recipe for a cast iron pan",
        "how do i make cold brew",
        "recipe for chocolate chip cookies",
        "what can i cook with eggs and rice",
        "how do i make bread in a stand mixer",
        "how long to boil an egg",
        "what's a quick vegan dinner",
        "how do i season a cast iron skillet",
        "what should i make for dinner tonight",
    ],
    "health": [
        "is running bad for my knees",
        "how many steps a day should i walk",
        "can headphones damage my hearing",
        "how much water should i drink",
        "i twisted my ankle, what should i do",
        "is it bad to sleep with earbuds in",
        "how do i get rid of a cold",
        "what's a healthy bmi",
        "how many calories does running burn",
        "is coffee bad for you",
        "my back hurts from my desk, any advice",
        "how do i fall asleep faster",
    ],
}
OOS_HARD_FILLS = {
    "a": [
        "hdmi",
        "usb",
        "ssd",
        "ram",
        "gps",
        "anc",
        "led",
        "oled",
        "spf",
        "mah",
        "5g",
        "nfc",
        "lte",
        "cpu",
        "gpu",
        "wifi",
        "ip68",
        "bpa",
        "hepa",
        "mips",
        "amoled",
        "rgb",
        "dslr",
        "tws",
    ],
    "t": [
        "headphones",
        "sneakers",
        "laptops",
        "smartphones",
        "jigsaw puzzles",
        "blenders",
        "air fryers",
        "backpacks",
        "lego bricks",
        "board games",
        "bluetooth speakers",
        "running shoes",
        "power banks",
        "yoga mats",
        "sunscreen",
        "espresso machines",
    ],
    "h": [
        "noise cancelling",
        "wireless charging",
        "gps",
        "bluetooth",
        "an air fryer",
        "a heat pump",
        "a gan charger",
        "touch screen",
        "face id",
        "a vacuum flask",
        "bone conduction",
    ],
    "w": [
        "batteries lose charge",
        "phones get hot when charging",
        "headphones make my ears sore",
        "shoes squeak",
        "laptops slow down over time",
        "leather crack",
        "sneakers smell",
        "screens scratch",
    ],
    "x": ["a shoe waterproof", "a speaker loud", "sunscreen work", "a knife sharp", "memory foam soft", "a camera lens blurry"],
    "y": ["solar panels", "touchscreens", "smartwatches", "heart rate sensors", "microwaves", "lithium batteries", "thermos bottles"],
}


def oos_hard(cat: Catalog, rng: random.Random) -> dict:
    """Out of scope with product words: acronyms, trivia, finance comparisons, how things work, riddles, phone plans,
    tech support for things bought elsewhere, homework, recipes, health."""
    kind = rng.choice(list(OOS_HARD))
    brands = [b for bs in cat.brands.values() for b in bs]
    fills = {k: rng.choice(v) for k, v in OOS_HARD_FILLS.items()}
    fills["b"] = rng.choice(OOS_HARD_FILLS["a"]) if kind == "acronym" else rng.choice(brands).lower()
    fills["c"] = rng.choice(brands).lower()
    text = rng.choice(OOS_HARD[kind]).format(**fills)
    if rng.random() < 0.15:
        text = rng.choice(["quick question, ", "random question but ", "hey, ", "off topic but ", "ok so ", "btw "]) + text
    ctx = NONE if rng.random() < 0.7 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


def capability_greeting(cat: Catalog, rng: random.Random) -> dict:
    """'what do you guys sell', 'what can you help me with': labelled greeting like 'what can you do'."""
    text = rng.choice(
        [
            "what do you guys sell",
            "what can you help me with",
            "what kind of stuff do you have",
            "what do you sell",
            "what sort of products do you have",
            "what's in your store",
            "what kinds of things do you sell",
            "what does this shop sell",
            "what can i buy here",
            "what are you for",
            "what stuff do you carry",
            "what do you have in stock generally",
            "so what is this store",
            "what can this chat do",
            "what can you help with exactly",
            "what kind of products do you guys do",
        ]
    )
    if rng.random() < 0.25:
        text = rng.choice(["hi, ", "hey ", "hello, ", "hi there, ", "ok "]) + text
    return ex(text, NONE, "greeting", rng)
