"""Demand signals on a scripted set of conversations: asked-for things grouped by meaning
("tv", "television" and "smart tv" count together, "sofa" does not join them), unanswered
questions, searches with no product, the intent mix, the ratings and the share resolved
without a person, on the page and as CSV. The grouping phrases here are not the ones its
thresholds were chosen on (``signals.GROUPING_DEV``)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.owner.signals import asked_for, report
from assistant.records.conversations import ConversationLog, TurnFact
from assistant.types import Handoff, ParsedIntent, Reply, Slots, TurnResult

TOKEN = "owner-token-for-the-tests-0123456789"

#: (conversation, what the shopper said, intent, query, how it ended, handed off)
SCRIPT = [
    ("c1", "do you sell tvs?", "search_products", "tvs", "not_carried", False),
    ("c1", "what about a television then", "search_products", "television", "not_carried", False),
    ("c2", "I'm after a smart tv for the lounge", "search_products", "smart tv", "not_carried", False),
    ("c3", "any televisions in stock?", "search_products", "televisions", "not_carried", False),
    ("c3", "do you have a sofa", "search_products", "sofa", "not_carried", False),
    ("c4", "looking for a coffee machine", "search_products", "coffee machine", "not_carried", False),
    ("c4", "or an espresso maker", "search_products", "espresso maker", "not_carried", False),
    ("c5", "a trampoline for the garden", "search_products", "trampoline", "not_carried", True),
    ("c5", "do you price match amazon?", "policy_question", None, "unanswered", True),
    ("c6", "will you match a lower price from another shop", "policy_question", None, "unanswered", False),
    ("c6", "do you have a loyalty scheme", "policy_question", None, "unanswered", False),
    ("c7", "red hiking boots size 15 under $10", "search_products", "hiking boots", "no_match", False),
    ("c7", "what is the return window", "policy_question", None, None, False),
    ("c8", "I want to talk to a person", "human_agent", None, None, True),
]


def _scripted(log: ConversationLog) -> None:
    turn: dict[str, int] = {}
    for conversation, said, intent, query, unmet, handed in SCRIPT:
        turn[conversation] = turn.get(conversation, 0) + 1
        handoff = Handoff(ticket_id=f"HT-{conversation.upper()}", reason="asked", next_steps="") if handed else None
        reply = Reply(intent=intent, slots=Slots(query=query), text="...", unmet=unmet, handoff=handoff)
        result = TurnResult(transcript=said, parsed=ParsedIntent(intent=intent), reply=reply, timings_ms={})
        log.record(conversation, turn[conversation], result, channel="api")
    log.rate("c1", 1, "down", "you should sell TVs")
    log.rate("c7", 2, "up")


@pytest.fixture
def scripted_log(tmp_path):
    log = ConversationLog(tmp_path / "conversations.db")
    _scripted(log)
    yield log
    log.close()


def _period() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=1), now + timedelta(days=1)


def test_things_asked_for_are_grouped_by_meaning(scripted_log, demo_services):
    found = report(scripted_log, demo_services.products.store.embedder.embed_documents, *_period())
    groups = {g.label: {p for p, _ in g.phrases} for g in found.not_carried}
    tv = next(phrases for phrases in groups.values() if "smart tv" in phrases)
    assert tv == {"tvs", "television", "smart tv", "televisions"}
    assert found.not_carried[0].count == 4 and found.not_carried[0].conversations == 3  # the biggest group first
    assert {"coffee machine", "espresso maker"} in groups.values()
    assert {"sofa"} in groups.values() and {"trampoline"} in groups.values()
    questions = [{p for p, _ in g.phrases} for g in found.unanswered]
    assert {"do you price match amazon", "will you match a lower price from another shop"} in questions
    assert {"do you have a loyalty scheme"} in questions
    assert [g.label for g in found.no_product] == ["hiking boots"]


def test_the_counts_of_a_period(scripted_log, demo_services):
    found = report(scripted_log, demo_services.products.store.embedder.embed_documents, *_period())
    assert (found.turns, found.conversations, found.handed_off) == (len(SCRIPT), 8, 2)
    assert found.resolved_share == pytest.approx(6 / 8)
    assert found.intents[0].name == "search_products" and found.intents[0].count == 9
    assert found.thumbs == (1, 1) and {r.comment for r in found.ratings} == {"you should sell TVs", None}
    assert sum(d.conversations for d in found.days) == 8 and len(found.days) == 3  # every day of the period, quiet ones too
    later = datetime.now(UTC) + timedelta(days=2)
    assert report(scripted_log, demo_services.products.store.embedder.embed_documents, later, later + timedelta(days=1)).turns == 0


def test_what_was_asked_for_is_written_as_the_shopper_wrote_it():
    fact = TurnFact(
        conversation_id="c",
        turn=1,
        shopper_text="do you sell televisions?",
        intent="search_products",
        slots={"query": "tlevisions"},  # a parser's misspelling of a word the shopper wrote correctly
        unmet="not_carried",
        handoff_ticket=None,
        created_at="2026-01-01T00:00:00+00:00",
    )
    assert asked_for(fact) == "televisions"


@pytest.fixture
def owner(demo_services, tmp_path):
    log = ConversationLog(tmp_path / "conversations.db")
    _scripted(log)
    settings = demo_services.settings.model_copy(update={"admin_token": SecretStr(TOKEN), "rate_limit_client": "1000/minute"})
    from assistant.channels.web import create_app

    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings, log=log))) as client:
        yield client
    log.close()


def test_the_signals_page_and_its_csv(owner):
    assert owner.get("/admin/signals").status_code == 401
    assert owner.get("/admin/signals/not-carried.csv").status_code == 401
    owner.post("/admin/sign-in", data={"token": TOKEN})
    page = owner.get("/admin/signals?days=7")
    assert page.status_code == 200 and "8 conversations" in page.text and "75% resolved without a person" in page.text
    assert page.text.count("<svg") >= 4 and "smart tv" in page.text
    exported = owner.get("/admin/signals/not-carried.csv?days=7")
    assert exported.headers["content-type"].startswith("text/csv") and "attachment" in exported.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0][:3] == ["Asked for", "Turns", "Conversations"] and table[1][1:3] == ["4", "3"]
    ratings = list(csv.reader(io.StringIO(owner.get("/admin/signals/ratings.csv").text)))
    assert {row[2] for row in ratings[1:]} == {"you should sell TVs", ""}
    for bad in ("days=0", "days=abc", "start=2026-13-01", "start=2026-02-01&end=2026-01-01"):
        answer = owner.get(f"/admin/signals?{bad}")
        assert answer.status_code == 400 and 'role="alert"' in answer.text
    assert owner.get("/admin/signals/nothing.csv").status_code == 404


def test_a_shopper_cannot_run_a_formula_in_the_owner_s_spreadsheet(owner, demo_services):
    owner.post("/admin/sign-in", data={"token": TOKEN})
    said = owner.post("/api/chat", json={"message": '=HYPERLINK("http://evil.example","click") do you sell jet skis'}).json()
    owner.post("/api/feedback", json={"conversation_id": said["conversation_id"], "turn": 1, "rating": "down", "comment": "=1+1"})
    exported = owner.get("/admin/signals/ratings.csv").text
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells) and "'=1+1" in cells
