"""The compact parse format: every generated training target round-trips, and invalid
model output is rejected (so the pipeline falls back to the rule parser)."""

import pytest

from assistant.intent.data.generate import generate
from assistant.intent.format import FormatError, decode, encode, render_prompt
from assistant.types import INTENTS, DialogueContext, ParsedIntent, Slots


def test_generated_targets_round_trip_and_cover_every_intent():
    rows = generate(1500, seed=3)
    intents = set()
    for row in rows:
        parsed = decode(row["target"])
        assert encode(parsed) == row["target"]
        assert row["prompt"].endswith("parse:")
        intents.add(parsed.intent)
    assert intents == set(INTENTS)


def test_generator_is_seeded():
    assert generate(50, seed=5) == generate(50, seed=5)
    assert generate(50, seed=5) != generate(50, seed=6)


@pytest.mark.parametrize(
    "parsed",
    [
        ParsedIntent(
            intent="search_products", slots=Slots(query="running shoes", category="shoes", size="10", price_max=80.0, in_stock=True)
        ),
        ParsedIntent(intent="search_products", clear=["brand", "price_min", "price_max"], relative_price="cheaper"),
        ParsedIntent(intent="product_question", slots=Slots(product_refs=["2"], attribute="battery_life_hours")),
        ParsedIntent(intent="compare_products", slots=Slots(product_refs=["1", "-1"])),
        ParsedIntent(intent="order_status", slots=Slots(order_id="NW-100002", email="mia.reyes@example.com")),
        ParsedIntent(intent="human_agent", frustrated=True),
        ParsedIntent(intent="out_of_scope"),
    ],
)
def test_round_trip(parsed):
    assert decode(encode(parsed)).model_dump(exclude={"parser", "confidence"}) == parsed.model_dump(exclude={"parser", "confidence"})


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "buy;q=shoes",  # unknown intent code
        "search;colour=red",  # unknown key
        "search;max=cheap",  # not a number
        "search;max=-5",  # the schema forbids negative prices
        "search;sort=random",  # not a sort order
        "search;q",  # malformed field
        "search;q=a;q=b",  # repeated field
        "search;x=weather",  # not a clearable slot
        "question;stock=maybe",
    ],
)
def test_invalid_output_is_rejected(raw):
    with pytest.raises(FormatError):
        decode(raw)


def test_spaces_around_a_field_s_equals_sign_lose_nothing():
    # the seventh adapter sometimes writes "q = tent": the same field, read the same
    assert decode("search;q = tent for four;c =sports;max= 80") == decode("search;q=tent for four;c=sports;max=80")


def test_prompt_carries_context():
    ctx = DialogueContext(
        constraints=Slots(category="headphones", price_max=100.0), shown_titles=("Sony WH-1000XM5 Wireless Noise Cancelling Headphones",)
    )
    prompt = render_prompt("the first one?", ctx)
    assert "now: c=headphones;max=100" in prompt
    assert "1. Sony WH-1000XM5" in prompt
    assert prompt.endswith("msg: the first one?\nparse:")


def test_generated_training_data_never_repeats_a_development_utterance():
    from assistant.intent.data.generate import _key, held_out_texts

    held_out = held_out_texts()
    assert len(held_out) >= 200
    assert not {_key(row["text"]) for row in generate(3000, seed=5)} & held_out


def test_training_batches_group_similar_lengths_and_cover_every_example_once():
    from assistant.intent.train import length_grouped_batches

    lengths = [(i * 37) % 101 for i in range(1000)]
    batches = length_grouped_batches(lengths, batch_size=16, seed=3)
    seen = [i for batch in batches for i in batch]
    assert len(seen) == len(set(seen)) and len(seen) >= 1000 - 16
    assert all(len(batch) == 16 for batch in batches)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches) / len(batches)
    assert spread < 10  # ungrouped batches of these lengths spread over ~90
    assert batches == length_grouped_batches(lengths, batch_size=16, seed=3)


@pytest.mark.parametrize("split, size", [("dev", 284), ("test", 150)])
def test_the_labelled_sets_are_valid_and_disjoint(split, size):
    from assistant.evals.intent import CONTEXTS, load_devset
    from assistant.intent.data.generate import _key
    from assistant.types import INTENTS

    examples = load_devset(split=split)
    assert len(examples) == size and len({e.id for e in examples}) == size
    for example in examples:
        assert example.intent in INTENTS and example.context in CONTEXTS, example.id
        Slots.model_validate(example.slots)
    other = load_devset(split="test" if split == "dev" else "dev")
    assert not {_key(e.text) for e in examples} & {_key(e.text) for e in other}
