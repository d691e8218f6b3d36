"""The owner's corrections recalled at parse time (assistant/intent/corrections.py), with the
store's real encoder and the real rule parser."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.intent.corrections import NEAR, CorrectedParser, CorrectionMemory
from assistant.intent.rules import RuleIntentParser
from assistant.records.conversations import Correction
from assistant.types import DialogueContext, ParsedIntent, Slots

SHOWN = DialogueContext(shown_titles=("Trail Runner GTX", "Road Racer 3"))


def correction(text: str, intent: str, context: DialogueContext | None = None, **slots) -> Correction:
    return Correction(
        conversation_id="c",
        turn=1,
        text=text,
        parsed=ParsedIntent(intent=intent, slots=Slots(**slots)),  # type: ignore[arg-type]
        context=context or DialogueContext(),
        created_at="2026-12-07T00:00:00+00:00",
    )


@pytest.fixture(scope="module")
def embed(demo_services):
    def vectors(texts: list[str]) -> np.ndarray:
        return np.asarray(demo_services.products.store.embedder.embed_documents(texts), dtype=np.float32)

    return vectors


@pytest.fixture
def corrected(demo_services, embed):
    kept: list[Correction] = []
    rules = RuleIntentParser(demo_services.vocabulary)
    parser = CorrectedParser(rules, rules, demo_services.vocabulary, CorrectionMemory(lambda: kept, embed))
    return parser, kept


def test_nothing_changes_without_corrections(corrected, demo_services):
    parser, _ = corrected
    rules = RuleIntentParser(demo_services.vocabulary)
    for text in ("trail running shoes under $80", "where is my order NW-100044", "what's the weather tomorrow"):
        assert parser.parse(text, DialogueContext()) == rules.parse(text, DialogueContext())


def test_the_corrected_message_gets_the_owners_whole_reading(corrected):
    parser, kept = corrected
    kept.append(correction("do you do gift vouchers", "search_products", query="gift vouchers"))
    parser.memory.reload()
    parsed = parser.parse("Do you do gift vouchers?", DialogueContext())
    assert parsed.intent == "search_products" and parsed.slots.query == "gift vouchers" and parsed.parser == "correction"


def test_a_message_worded_nearly_the_same_gets_the_intent_with_its_own_slots(corrected):
    parser, kept = corrected
    kept.append(
        correction(
            "the parcel for order NW-100044 never turned up, email ann@example.com",
            "order_status",
            order_id="NW-100044",
            email="ann@example.com",
        )
    )
    parser.memory.reload()
    text = "the parcel for order NW-100012 never turned up, email bob@example.com"
    recalled = parser.memory.recall(text, DialogueContext())
    assert recalled is not None and recalled.similarity >= NEAR and not recalled.same_words
    parsed = parser.parse(text, DialogueContext())
    # the owner's intent, this message's own order and email (never the corrected message's)
    assert parsed.intent == "order_status" and parsed.slots.order_id == "NW-100012" and parsed.slots.email == "bob@example.com"


def test_other_words_and_another_situation_are_read_as_before(corrected, demo_services):
    parser, kept = corrected
    rules = RuleIntentParser(demo_services.vocabulary)
    kept.append(correction("can i pick my order up myself instead", "human_agent"))
    kept.append(correction("the blue one", "product_question", SHOWN, product_refs=["the blue one"]))
    parser.memory.reload()
    for text in ("can i pick a colour for my order", "trail running shoes"):
        assert parser.parse(text, DialogueContext()) == rules.parse(text, DialogueContext())
    # "the blue one" was corrected with products on screen: with none, it is not recalled
    assert parser.memory.recall("the blue one", DialogueContext()) is None
    assert parser.memory.recall("the blue one", SHOWN) is not None


def test_a_correction_saved_elsewhere_is_seen_after_a_while(corrected, monkeypatch):
    from assistant.intent import corrections as module

    parser, kept = corrected
    parser.memory.reload()
    kept.append(correction("can i pick my order up myself instead", "human_agent"))
    assert parser.memory.recall("can i pick my order up myself instead", DialogueContext()) is None  # not yet looked
    monkeypatch.setattr(module, "REFRESH_SECONDS", 0.0)
    assert parser.memory.recall("can i pick my order up myself instead", DialogueContext()) is not None
