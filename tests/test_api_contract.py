"""`POST /api/chat` as the shop's developer sees it: typed request and response models with
an example in the OpenAPI schema, and answers that follow them."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from assistant.channels.web import ChatAnswer, create_app


@pytest.fixture(scope="module")
def client(demo_services):
    settings = demo_services.settings.model_copy(update={"rate_limit_client": ""})
    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings))) as test_client:
        yield test_client


def test_the_schema_names_the_answer_model_with_an_example(client):
    schema = client.get("/openapi.json").json()
    answer = schema["paths"]["/api/chat"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ChatAnswer"}
    model = schema["components"]["schemas"]["ChatAnswer"]
    assert {"conversation_id", "turn", "intent", "text", "products", "suggestions"} <= set(model["required"])
    assert model["examples"][0]["intent"] == "search_products"
    ChatAnswer.model_validate(model["examples"][0])  # the example is a valid answer


def test_every_answer_follows_the_model_and_keeps_every_field(client):
    first = client.post("/api/chat", json={"message": "running shoes under $150"}).json()
    answer = ChatAnswer.model_validate(first)
    assert answer.products and answer.conversation_id == answer.conversation and answer.turn == 1
    assert set(first) == set(ChatAnswer.model_fields)  # nothing dropped, nothing extra
    policy = client.post("/api/chat", json={"message": "what is your return policy?", "conversation_id": answer.conversation_id}).json()
    assert ChatAnswer.model_validate(policy).sources and policy["turn"] == 2


def test_an_add_to_cart_in_words_comes_back_as_the_product_to_add(client, demo_services):
    """A custom front end gets the product to add in ``cart``, as the widget's host page gets an event."""
    first = ChatAnswer.model_validate(client.post("/api/chat", json={"message": "wireless headphones"}).json())
    assert first.cart == []  # a search adds nothing
    index = next(i for i, p in enumerate(first.products[:5]) if demo_services.products.by_id[p.id].in_stock)
    ordinal = ["first", "second", "third", "fourth", "fifth"][index]
    added = client.post("/api/chat", json={"message": f"add the {ordinal} one to my cart", "conversation_id": first.conversation_id}).json()
    assert added["cart"] == [{"product_id": first.products[index].id, "quantity": 1}]
    assert first.products[index].title in added["text"]
