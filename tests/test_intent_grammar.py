"""The output format as token constraints, with the real Gemma tokenizer."""

from __future__ import annotations

import pytest

from assistant.intent.data.generate import generate
from assistant.intent.grammar import Grammar
from assistant.types import Vocabulary

#: converts the Gemma base model into the cache on first use (about a minute)
pytestmark = pytest.mark.model

VOCAB = Vocabulary(
    categories=("headphones", "shoes", "kitchen"),
    brands=("Sony", "Bose", "The North Face"),
    colors=("black", "red"),
    sizes=("10", "10.5", "M"),
    attributes=("battery_life_hours", "waterproof"),
    policy_topics=("returns", "shipping", "warranty", "payment", "privacy", "contact"),
)


@pytest.fixture(scope="module")
def tokenizer(settings):
    from transformers import AutoTokenizer

    from assistant.intent.base_model import base_model_dir

    return AutoTokenizer.from_pretrained(str(base_model_dir(settings.cache_dir())))


@pytest.fixture(scope="module")
def grammar(tokenizer) -> Grammar:
    return Grammar(tokenizer, VOCAB)


def walk(grammar: Grammar, tokenizer, line: str) -> list[bool]:
    """For each token of ``line`` (as the model writes it), whether the constraint allowed it."""
    constraint = grammar.start()
    allowed = []
    for token in tokenizer(" " + line, add_special_tokens=False).input_ids:
        options = constraint.candidates()
        if options is None:
            ok = not (constraint.forbids_at_value_start() and token in grammar.separators())
        else:
            ok = token in options
        allowed.append(ok)
        if not ok:  # the decoder never picks a disallowed token; nothing after it can be judged
            return allowed
        constraint.advance(token)
    options = constraint.candidates()
    if options is None:  # the line may end here
        allowed.append(not constraint.forbids_at_value_start())
    else:
        allowed.append(any(end in options for end in grammar.ends))
    return allowed


@pytest.mark.parametrize(
    "line",
    [
        "search;q=running shoes;c=shoes;sz=10;max=80",
        "search;b=Sony;col=black;sort=price_desc;stock=1",
        "search;x=price_min,price_max;rel=cheaper",
        "question;r=2;a=battery_life_hours",
        "question;r=-1;a=price",
        "compare;r=1,2",
        "order;o=NW-100002;e=mia.reyes@example.com",
        "policy;t=returns",
        "human;f=1",
        "none",
    ],
)
def test_every_well_formed_line_is_allowed(grammar, tokenizer, line):
    assert all(walk(grammar, tokenizer, line)), line


@pytest.mark.parametrize(
    "line",
    [
        "search: running shoes",  # a colon after the code
        "NW-100002;o=NW-100002",  # no intent code
        "refund;o=NW-100002",  # not one of the nine codes
        "search;sz=10;sz=11",  # a key twice
        "search;xl=XX",  # an unknown key
        "search;max=16gb",  # letters in a price
        "search;c=furniture",  # a category the catalog does not have
        "policy;t=refunds",  # a policy topic that does not exist
        "search;rel=expensive",
        "search;q=",  # an empty value
    ],
)
def test_malformed_lines_are_impossible(grammar, tokenizer, line):
    assert not all(walk(grammar, tokenizer, line)), line


def test_generated_training_targets_all_fit_the_grammar(tokenizer):
    """Each target fits the grammar of the catalog its example was drawn from (the demo's or a synthetic one)."""
    from assistant.intent.data.generate import POLICY_QUESTIONS
    from assistant.intent.data.generate.mix import catalogs

    grammars = {
        cat.name: Grammar(tokenizer, Vocabulary.from_products([p for ps in cat.titles.values() for p in ps], tuple(POLICY_QUESTIONS)))
        for cat, _ in catalogs()
    }
    rows = generate(400, seed=2)
    bad = [(row["catalog"], row["target"]) for row in rows if not all(walk(grammars[row["catalog"]], tokenizer, row["target"]))]
    assert not bad, bad[:5]


def test_a_forced_token_needs_no_choice(grammar, tokenizer):
    constraint = grammar.start()
    for token in tokenizer(" search;c", add_special_tokens=False).input_ids:
        constraint.advance(token)
    assert constraint.forced() == grammar.equals
