"""Demand signals and quality over a period, from the store's conversation log: what shoppers
asked for that the shop does not carry, questions no policy section answered, searches that
ended with no product, the intent mix, the ratings, and the share of conversations
resolved without a person, day by day.

Asked-for things are grouped by meaning, not spelling: each distinct phrase is embedded with
the store's own sentence encoder and phrases are joined by average-linkage clustering while
their mean cosine similarity stays above a threshold ("tv", "television" and "smart tv"
count together; "tv" and "sofa" do not). The thresholds were chosen on development lists
of synonym groups (``GROUPING_DEV``, ``QUESTION_DEV``), never on the tests' phrases.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.records.conversations import ConversationLog, Feedback, TurnFact

Embed = Callable[[list[str]], list[list[float]]]

#: a phrase joins a group while its mean cosine similarity to the group's phrases is at least
#: this (all-MiniLM-L6-v2; on GROUPING_DEV every synonym pair scores >= 0.50, every other pair <= 0.42)
PHRASE_THRESHOLD = 0.5
#: questions: on QUESTION_DEV 0.5 joins every paraphrase group but "click and collect"/"pick up
#: in store" and joins nothing else; 0.55 and above split three groups more
QUESTION_THRESHOLD = 0.5
#: the most distinct phrases clustered together; rarer ones join the nearest group or stand alone
MAX_CLUSTERED = 400
#: synonym groups the thresholds were chosen on (kept apart from the tests' phrases)
GROUPING_DEV = (
    ("sofa", "couch", "sofas", "a couch", "sectional sofa"),
    ("bike", "bicycle", "bicycles", "mountain bike", "e-bike"),
    ("phone charger", "charging cable", "usb-c charger"),
    ("fridge", "refrigerator", "mini fridge"),
    ("gift card", "gift voucher", "giftcard"),
    ("lawn mower", "lawnmower", "grass cutter"),
    ("perfume", "fragrance", "cologne"),
    ("laptop", "notebook computer", "macbook"),
    ("dog food", "pet food", "puppy kibble"),
    ("wedding dress", "bridal gown"),
)
QUESTION_DEV = (
    ("do you price match", "will you match a competitor's price", "can you beat a lower price elsewhere"),
    ("do you ship to canada", "can you deliver to canada", "international shipping to canada?"),
    ("can i pay with paypal", "do you accept paypal"),
    ("is there a student discount", "do students get money off"),
    ("can i pick up in store", "do you have click and collect"),
)


class Group(BaseModel):
    """Things asked for that count as one: named by the phrase said most."""

    model_config = ConfigDict(frozen=True)

    label: str
    count: int  # turns
    conversations: int
    phrases: tuple[tuple[str, int], ...]  # each way it was said, with how often
    examples: tuple[str, ...]  # what shoppers wrote, up to three
    last_seen: str


class Share(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    count: int
    share: float


class Day(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: str  # YYYY-MM-DD (UTC) of the conversation's first turn in the period
    conversations: int
    handed_off: int

    @property
    def resolved_share(self) -> float:
        return 1 - self.handed_off / self.conversations if self.conversations else 0.0


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    turns: int
    conversations: int
    handed_off: int
    not_carried: tuple[Group, ...]
    unanswered: tuple[Group, ...]
    no_product: tuple[Group, ...]
    intents: tuple[Share, ...]
    ratings: tuple[Feedback, ...]
    days: tuple[Day, ...]

    @property
    def resolved_share(self) -> float:
        return 1 - self.handed_off / self.conversations if self.conversations else 0.0

    @property
    def thumbs(self) -> tuple[int, int]:
        return sum(r.rating == "up" for r in self.ratings), sum(r.rating == "down" for r in self.ratings)


def asked_for(fact: TurnFact) -> str:
    """The thing a search asked for, in the shopper's own spelling: the query, each word the
    parser wrote differently from the message ("tlevisions") put back as the shopper wrote it."""
    query = str(fact.slots.get("query") or "").strip().lower()
    said = re.findall(r"[a-z0-9][a-z0-9'-]*", fact.shopper_text.lower())
    if not query:
        return " ".join(said[:6])
    words = []
    for word in query.split():
        if word not in said:
            close = difflib.get_close_matches(word, said, n=1, cutoff=0.75)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


def question(fact: TurnFact) -> str:
    return " ".join(fact.shopper_text.split()).strip().rstrip("?!. ").lower()


def group(items: Sequence[tuple[str, TurnFact]], embed: Embed, threshold: float = PHRASE_THRESHOLD) -> list[Group]:
    """Group (phrase, turn) pairs by the meaning of the phrase; biggest groups first."""
    items = [(phrase, fact) for phrase, fact in items if phrase]
    if not items:
        return []
    counts = Counter(phrase for phrase, _ in items)
    distinct = [phrase for phrase, _ in counts.most_common()]
    vectors = np.asarray(embed(distinct), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    clusters = _clusters(vectors[:MAX_CLUSTERED], threshold)
    for i in range(min(len(distinct), MAX_CLUSTERED), len(distinct)):  # the rarest: the nearest group, or their own
        means = [float((vectors[members] @ vectors[i]).mean()) for members in clusters]
        best = int(np.argmax(means))
        if means[best] >= threshold:
            clusters[best].append(i)
        else:
            clusters.append([i])
    by_phrase: dict[str, list[TurnFact]] = defaultdict(list)
    for phrase, fact in items:
        by_phrase[phrase].append(fact)
    groups = []
    for members in clusters:
        phrases = sorted(((distinct[i], counts[distinct[i]]) for i in members), key=lambda pc: (-pc[1], len(pc[0]), pc[0]))
        facts = [fact for phrase, _ in phrases for fact in by_phrase[phrase]]
        examples = tuple(dict.fromkeys(f.shopper_text for f in sorted(facts, key=lambda f: f.created_at, reverse=True)))[:3]
        groups.append(
            Group(
                label=phrases[0][0],
                count=len(facts),
                conversations=len({f.conversation_id for f in facts}),
                phrases=tuple(phrases),
                examples=examples,
                last_seen=max(f.created_at for f in facts),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, -g.conversations, g.label))


def _clusters(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering on cosine similarity, stopped at ``threshold``."""
    clusters: list[list[int]] = [[i] for i in range(len(vectors))]
    if len(clusters) < 2:
        return clusters
    sums = vectors @ vectors.T  # sum of pairwise similarities between clusters i and j
    sizes = np.ones(len(vectors))
    alive = np.ones(len(vectors), dtype=bool)
    np.fill_diagonal(sums, -np.inf)
    while True:
        mean = sums / np.outer(sizes, sizes)
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < threshold:
            break
        clusters[i] += clusters[j]
        clusters[j] = []
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
    return [members for members in clusters if members]


def _days(start: datetime, end: datetime) -> list[str]:
    """Each day (YYYY-MM-DD, UTC) the period touches, quiet ones included."""
    first, last = start.astimezone(UTC).date(), (end.astimezone(UTC) - timedelta(seconds=1)).date()
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def report(log: ConversationLog, embed: Embed, start: datetime, end: datetime) -> Report:
    """Everything the owner's signals page shows for the period from ``start`` up to ``end``."""
    facts = log.facts(start, end)
    unmet: dict[str, list[TurnFact]] = defaultdict(list)
    for fact in facts:
        if fact.unmet:
            unmet[fact.unmet].append(fact)
    intents = Counter(f.intent for f in facts)
    first_day: dict[str, str] = {}
    handed: set[str] = set()
    for fact in facts:
        first_day.setdefault(fact.conversation_id, fact.created_at[:10])
        if fact.handoff_ticket:
            handed.add(fact.conversation_id)
    per_day: dict[str, list[str]] = defaultdict(list)
    for conversation, day in first_day.items():
        per_day[day].append(conversation)
    return Report(
        start=start,
        end=end,
        turns=len(facts),
        conversations=len(first_day),
        handed_off=len(handed),
        not_carried=tuple(group([(asked_for(f), f) for f in unmet["not_carried"]], embed)),
        unanswered=tuple(group([(question(f), f) for f in unmet["unanswered"]], embed, QUESTION_THRESHOLD)),
        no_product=tuple(group([(asked_for(f), f) for f in unmet["no_match"]], embed)),
        intents=tuple(Share(name=name, count=n, share=n / len(facts)) for name, n in intents.most_common()),
        ratings=tuple(reversed(log.feedback(start=start, end=end))),
        days=tuple(
            Day(day=day, conversations=len(per_day[day]), handed_off=sum(c in handed for c in per_day[day])) for day in _days(start, end)
        ),
    )
