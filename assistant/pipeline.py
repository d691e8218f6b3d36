"""The one place that knows the order of the stages:

    audio -> voice (transcript) -> intent (parser) -> dialogue state -> retrieval -> answer -> session update

``handle`` is the one turn handler every channel (web API, Gradio chat, terminal, replay)
calls: it alone numbers turns, records them in the store's conversation log, and turns an
unexpected error into a clear reply without losing the session.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import customer_service as service
from assistant.answer import order_actions, returns
from assistant.answer import products as answer
from assistant.answer.attributes import only_measures, resolve_attribute
from assistant.app import Services
from assistant.dialogue import MAX_COMPARE, Session, UnresolvedReference, constraints_of, merge_constraints, resolve_refs
from assistant.intent.ground import CART, EMAIL
from assistant.intent.rules.lexicon import quantity, without_filler
from assistant.reading import (
    REFERS,
    another_color,
    asks_the_range,
    beyond_brand,
    focus_attribute,
    in_catalog,
    is_new_search,
    measures_in_force,
    names_a_category,
    names_products,
    only_a_brand,
    priced_one,
    than_shown,
    unmeasured_comparative,
)
from assistant.types import ORDER_INTENTS, DialogueContext, Intent, ParsedIntent, Reply, Slots, TurnResult
from assistant.voice.asr import AudioError, Transcript
from prompts import render
from retrieval.catalog import Product
from retrieval.measures import unread, without_measures
from retrieval.types import Constraints, SearchRequest
from retrieval.words import tokenize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Audio:
    """A recorded message (a file the channel received), answered after transcription."""

    path: Path


@dataclass(frozen=True)
class Heard:
    """A recording already transcribed (``listen``), so that a channel can show the shopper
    what was heard before the answer; ``error``: why nothing could be heard."""

    transcript: Transcript | None
    asr_ms: float
    error: str | None = None


def listen(audio: Audio, services: Services) -> Heard:
    """Transcribe a recording (the first half of a voice turn); never raises on bad audio."""
    start = time.perf_counter()
    try:
        transcript = services.asr().transcribe(audio.path)
    except AudioError as exc:
        return Heard(None, round((time.perf_counter() - start) * 1000, 2), str(exc))
    return Heard(transcript, round((time.perf_counter() - start) * 1000, 2))


def handle(message: str | Audio | Heard, session: Session, services: Services, *, channel: str) -> TurnResult:
    """Answer one shopper message, typed or spoken, in its session: the turn handler.

    Numbers the turn (``TurnResult.turn``), records it in the store's conversation log
    under ``channel``, passes it to the help desk when the conversation was handed to a
    person before it (``ticket.message``), and never raises on a bug: the shopper gets an apology, the error
    is logged with its traceback, ``TurnResult.error`` is set and the session lives on.
    """
    turn = session.next_turn()
    handed_off = session.handed_off  # a ticket opened before this turn: the team hears of it
    try:
        if isinstance(message, Audio):
            result = run_voice_turn(message.path, session, services)
        elif isinstance(message, Heard):
            result = heard_turn(message, session, services)
        else:
            result = run_turn(message, session, services)
    except Exception:  # a bug: answered, logged, never fatal to the session
        log.exception("turn %s of conversation %s failed", turn, session.conversation_id)
        transcript = " ".join(str(message or "").split()) if isinstance(message, str) else ""
        reply = Reply(intent="out_of_scope", slots=Slots(), text=render("turn_error"), failed=True)
        result = TurnResult(
            transcript=transcript, parsed=ParsedIntent(intent="out_of_scope", confidence=0.0), reply=reply, timings_ms={}, error=True
        )
    result = result.model_copy(update={"turn": turn})
    worth = _worth_recording(message, result)
    if services.log is not None and worth:
        try:
            services.log.record(session.conversation_id, turn, result, channel=channel)
        except Exception:  # the log is for the owner; the shopper still gets the answer
            log.exception("could not record turn %s of conversation %s", turn, session.conversation_id)
    if handed_off and worth:
        try:
            services.desk.shopper_wrote(handed_off, turn, result.transcript, result.reply.text)
        except Exception:  # the help desk's copy; the shopper still gets the answer
            log.exception("could not pass turn %s of conversation %s to the help desk", turn, session.conversation_id)
    return result


def _worth_recording(message: str | Audio | Heard, result: TurnResult) -> bool:
    """Empty messages and turns a rate limit held are answered but leave no log row."""
    return not (isinstance(message, str) and not message.strip()) and result.reply.retry_after is None


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = round(self.ms.get(name, 0.0) + (time.perf_counter() - start) * 1000, 2)


def prepare_message(text: str, limit: int) -> tuple[str, str | None]:
    """Normalise whitespace and cap the length; returns (text, notice or None)."""
    text = " ".join((text or "").split())
    if len(text) > limit:
        return text[:limit], render("truncated", limit=limit)
    return text, None


_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|correct|right|that.s right|that is right|exactly|sure|ok|okay|y)\b", re.I)
_NO = re.compile(r"^\W*(?:no|nope|wrong|not quite|that.s wrong|n)\W*$", re.I)
#: an answer to a yes/no question the assistant asked ("yes, it's unopened", "no, I opened it")
_ANSWER_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|correct|right|sure|ok|okay|y|it is)\b", re.I)
_ANSWER_NO = re.compile(r"^\W*(?:no|nope|nah|not|n|it.s not|it is not|it isn.t)\b", re.I)


def run_voice_turn(audio: str | Path, session: Session, services: Services) -> TurnResult:
    """Transcribe a recording and answer it; an unsure transcript is read back for a "yes" first."""
    return heard_turn(listen(Audio(Path(audio)), services), session, services)


def heard_turn(heard: Heard, session: Session, services: Services) -> TurnResult:
    """Answer a transcribed recording; an unsure transcript is read back for a "yes" first."""
    if heard.transcript is None:
        reply = Reply(intent="out_of_scope", slots=Slots(), text=heard.error or render("turn_error"), failed=True)
        return TurnResult(
            transcript="",
            parsed=ParsedIntent(intent="out_of_scope", confidence=0.0),
            reply=reply,
            timings_ms={"asr": heard.asr_ms, "total": heard.asr_ms},
        )
    text = heard.transcript.text
    if not heard.transcript.confident:
        timer = _Timer()
        timer.ms["asr"] = heard.asr_ms
        with timer.stage("intent"):
            parsed = services.parser.parse(text, session.context())
        session.pending_transcript = text
        reply = Reply(
            intent=parsed.intent, slots=parsed.slots, text=render("confirm_transcript", transcript=text), suggestions=("Yes", "No")
        )
        timer.ms["total"] = round(sum(timer.ms.values()), 2)
        return TurnResult(transcript=text, parsed=parsed, reply=reply, timings_ms=timer.ms)
    return run_turn(text, session, services, transcript_ms=heard.asr_ms)


def run_turn(text: str, session: Session, services: Services, *, transcript_ms: float | None = None) -> TurnResult:
    """Answer one shopper message and update the session."""
    timer = _Timer()
    if transcript_ms is not None:
        timer.ms["asr"] = round(transcript_ms, 2)
    if session.pending_transcript is not None:
        pending, session.pending_transcript = session.pending_transcript, None
        if _YES.search(text or ""):
            text = pending
        elif _NO.search(text or ""):
            reply = Reply(intent="out_of_scope", slots=Slots(), text=render("transcript_rejected"))
            return TurnResult(transcript=text, parsed=ParsedIntent(intent="out_of_scope", confidence=0.0), reply=reply, timings_ms=timer.ms)
    text, notice = prepare_message(text, services.settings.max_message_chars)
    if not text:
        parsed = ParsedIntent(intent="out_of_scope", confidence=0.0)
        reply = Reply(intent="out_of_scope", slots=Slots(), text=render("empty_message"), failed=True)
        return TurnResult(transcript="", parsed=parsed, reply=reply, timings_ms=timer.ms)
    given = EMAIL.search(text) if session.awaiting_reply_to and session.handed_off else None
    reply_to = given.group().lower() if given else None
    session.awaiting_reply_to = False  # asked once: a message without an email moves on
    context: DialogueContext | None = None  # set where the message is parsed
    answered = bool(_ANSWER_YES.search(text) or _ANSWER_NO.search(text))  # yes or no to a question the assistant asked
    if session.pending_action is not None and answered:  # a stated cancel/change
        parsed = ParsedIntent(
            intent="cancel_order" if session.pending_action.kind == "cancel" else "change_order",
            slots=Slots(order_id=session.pending_action.order.order_id),
        )
        with timer.stage("answer"):
            reply = order_actions.confirm_action(session, not _ANSWER_NO.search(text), services.service_desk())
    elif session.pending_return is not None and answered:  # a return's condition
        parsed = ParsedIntent(intent="return_request", slots=Slots(order_id=session.pending_return.order.order_id))
        with timer.stage("answer"):
            reply = returns.confirm_return(session, not _ANSWER_NO.search(text), services.service_desk())
    elif reply_to is not None:  # the email the hand-off asked for
        parsed = ParsedIntent(intent="human_agent", slots=Slots(email=reply_to))
        with timer.stage("answer"):
            reply = service.reply_to_reply(session, reply_to, services.service_desk())
    else:
        session.pending_return = session.pending_action = None  # anything else drops what was waiting for a yes
        context = session.context()
        with timer.stage("intent"):
            parsed = _continuing(text, services.parser.parse(text, context), session)
        if session.pending_intent == "change_order" and parsed.intent not in ORDER_INTENTS:
            session.pending_intent = None  # asked what should change, and the shopper moved on
        reply = _answer(text, parsed, session, services, timer)
    if parsed.frustrated or (reply.failed and session.failures + 1 >= services.settings.frustration_handoff_after):
        if reply.handoff is None and not session.handed_off:
            reason = "the shopper is frustrated" if parsed.frustrated else "the assistant could not help several times"
            escalation = service.handoff_reply(
                session, reply.slots, services.service_desk(), reason, intent=reply.intent, message=text, category="stuck"
            )
            reply = reply.extended(after=f"\n\n{escalation.text}", after_said=f"\n\n{escalation.said()}")
            reply = reply.model_copy(update={"handoff": escalation.handoff})
    if notice:
        reply = reply.extended(before=f"{notice}\n")
    _remember(session, text, parsed, reply)
    timer.ms["total"] = round(sum(v for k, v in timer.ms.items()), 2)
    return TurnResult(transcript=text, parsed=parsed, reply=reply, timings_ms=timer.ms, context=context)


#: a question of how something is done, not a request for a person ("how long before I get an answer to a complaint")
_ASKS_HOW = re.compile(r"^\W*(?:how|what|when|where|why|which|who)\b", re.I)


def _answer(text: str, parsed: ParsedIntent, session: Session, services: Services, timer: _Timer) -> Reply:
    """The stages after the intent: dialogue state, retrieval and the answer for one parsed message."""
    intent = parsed.intent
    slots = parsed.slots
    if intent in ("product_question", "compare_products") and not session.shown and not _refers(text, slots):
        # a question about a product, with none on screen and none referred to ("how tall is
        # mount everest?", "is the sony xm5 waterproof?"): the catalog and the policies judge
        # it below, as they judge an out-of-scope message (a product it names is searched for)
        intent, slots = "out_of_scope", Slots()
        parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent != "search_products" and (priced := priced_one(text, session)):
        # "how is the €100 one delivered?": the voucher on screen at that price, not an order
        intent, slots = "product_question", Slots(product_refs=[str(session.shown.index(priced) + 1)])
        parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "product_question" and (color := another_color(text, slots, session)):
        # "have you a blue one instead?" after asking about a pink one: the search in force, in blue
        intent, slots = "search_products", Slots(color=color)
        parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "search_products" and (attribute := focus_attribute(slots, session)):
        # "what needle size?" right after a question about one yarn: that yarn's, not a search
        intent, slots = "product_question", Slots(attribute=attribute, product_refs=["it"])
        parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "compare_products" and (read := than_shown(text, parsed, session)) is not parsed:
        # "anything cheaper than those?" after a comparison: a search below their prices
        intent, slots = "search_products", Slots(price_max=read.slots.price_max, price_min=read.slots.price_min)
        parsed = read.model_copy(update={"intent": intent, "slots": slots})
    chosen = _chosen_among_compared(text, parsed, session)
    if chosen:  # "just the cheaper one", "only a clear one": one of the products just compared
        with timer.stage("answer"):
            slots = Slots(product_refs=[p.id for p in chosen])
            return answer.product_question_reply(chosen, None, slots, text, services.vocabulary.attributes)
    if intent in ("out_of_scope", "policy_question") and session.shown:
        # "what size is the chuck?", "how much does it cover?": a parser that does not know
        # this shop's attribute names sends them elsewhere; the products on screen know them
        intent, slots = _about_shown(text, intent, slots, session, services)
    if intent == "product_question" and session.constraints.query and (brand := only_a_brand(text, services.products)):
        # "only pilot" after a list: that brand's products of the search in force, not one product named Pilot
        intent, slots = "search_products", Slots(brand=brand)
        parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "policy_question":
        asked = names_a_category(text, services.products)
        if not asked and not _documents_answer(text, services):
            asked = names_products(text, services.products)  # "do you sell thread as well?", no document says
        if asked:  # "do you sell gift cards?": the shop's gift cards, whatever its documents say of them
            intent, slots = "search_products", Slots(query=asked)
            parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "out_of_scope":
        with timer.stage("retrieval"):
            if _documents_answer(text, services):  # the shop's own documents answer it
                intent, slots = "policy_question", Slots()
    if intent == "human_agent" and not slots.order_id and _ASKS_HOW.match(text):
        with timer.stage("retrieval"):
            if _documents_answer(text, services):
                # "how do I make a formal complaint?": how it is done, from the shop's own documents
                intent, slots = "policy_question", Slots()
    rescued = False
    if intent in ("out_of_scope", "greeting"):
        with timer.stage("retrieval"):
            named = services.products.named_products(without_filler(text))
        if named:  # "central heating inhibitor": a message that names what the shop sells is never out of scope
            intent, slots, rescued = "search_products", Slots(query=named), True
            parsed = parsed.model_copy(update={"intent": intent, "slots": slots})
    if intent == "search_products" and not rescued and _documents_say_instead(text, parsed.slots, services):
        # "can I get my fountain pen's nib tuned?": a service the documents describe, not pens
        intent, slots = "policy_question", Slots()
    if intent == "search_products":
        with timer.stage("retrieval"):
            parsed = parsed.model_copy(update={"slots": in_catalog(text, parsed.slots, services.products)})
        parsed = beyond_brand(text, than_shown(text, parsed, session), session)
        fresh = rescued or asks_the_range(text, parsed.slots, session) or is_new_search(parsed.slots, session, services.products)
        said, before = parsed.slots.query, session.constraints.query
        if not fresh and said and before and services.products.names_only_attributes(said):
            # "hardcover only" after "novels by Canadian authors": those novels, in hardcover
            parsed = parsed.model_copy(update={"slots": parsed.slots.model_copy(update={"query": f"{before} {said}"})})
        slots = merge_constraints(session, parsed, fresh=fresh)
        constraints = constraints_of(slots)
        with timer.stage("retrieval"):
            # the words in force that name an attribute value are filters ("waterproof"), carried with the query
            features = services.products.attribute_filters(slots.query or "", constraints)
            constraints = constraints.model_copy(update={"attributes": features or None})
            unknown = unmeasured_comparative(text, slots, session, services.products)
            if unknown:  # "lighter ones" where nothing on screen lists a weight
                return Reply(intent="search_products", slots=session.constraints, text=unknown, failed=True)
            slots, measures = measures_in_force(text, slots, session, services.products, constraints, fresh=fresh)
            constraints = constraints.model_copy(update={"measures": measures or None})
            words = without_measures(slots.query or "") or slots.query or ""
            request = SearchRequest(query=words, constraints=constraints, sort=slots.sort, k=services.settings.top_k)
            result = services.products.search(request)
        session.measures = measures
        with timer.stage("answer"):
            unchecked = unread(text, measures)
            return answer.search_reply(result, slots, list(services.vocabulary.categories), services.profile.currency, unchecked)
    if intent in ("product_question", "compare_products"):
        try:
            products = resolve_refs(session, slots.product_refs, default_all=intent == "compare_products")
        except UnresolvedReference as exc:
            if not session.shown and _documents_answer(text, services):
                # "what is care+ and how much does it cost?": no product, the shop's documents say
                return _answer(text, parsed.model_copy(update={"intent": "policy_question", "slots": Slots()}), session, services, timer)
            # "what's the shaft made of?": read as a product named "shaft", it is the focus's attribute
            focus = session.focus[:1] or session.shown[:1]
            of_focus = bool(focus) and resolve_attribute(text, focus, services.vocabulary.attributes, literal=True) is not None
            named = None if of_focus or intent != "product_question" else services.products.named_products(without_filler(text))
            if named and slots.attribute and services.products.names_only_attributes(named):
                named = None  # "how much is the red one?": a pick among those shown, none of which is red
            if named:  # "liberty tana lawn" with yarn on screen, "do you have the salt road letters?": the shop's
                searched = parsed.model_copy(update={"intent": "search_products", "slots": Slots(query=named)})
                return _answer(text, searched, session, services, timer)
            if not of_focus:
                return Reply(intent=intent, slots=slots, text=str(exc), failed=True)
            products, slots = focus, slots.model_copy(update={"product_refs": []})
        with timer.stage("answer"):
            if intent == "product_question" and slots.attribute == CART:
                return answer.cart_reply(products, _with_refs(slots, products), quantity(text) or 1)
            if intent == "product_question":
                return answer.product_question_reply(
                    products, slots.attribute, _with_refs(slots, products), text, services.vocabulary.attributes
                )
            if len(products) < 2:
                products = (products + [p for p in session.shown if p not in products])[:2]
            if len(products) < 2:
                return Reply(
                    intent=intent, slots=slots, text="I need at least two products to compare. Search for a few first.", failed=True
                )
            return answer.comparison_reply(
                products[:MAX_COMPARE], _with_refs(slots, products[:MAX_COMPARE]), text, services.vocabulary.attributes
            )
    if intent == "policy_question":
        with timer.stage("retrieval"):
            hits = services.policies.search(text, topic=slots.policy_topic)
        with timer.stage("answer"):
            if not services.policies.chunks:
                text = render("policy_unpublished", store=services.store_name, contact=services.profile.contact_text())
                return Reply(intent=intent, slots=slots, text=text, suggestions=("Talk to a human",))
            if not slots.policy_topic and not services.policies.relevant(text):  # never the best of unrelated sections
                text = render("policy_not_covered", store=services.store_name, contact=services.profile.contact_text())
                return Reply(intent=intent, slots=slots, text=text, suggestions=("Talk to a human",))
            return answer.policy_reply(text, hits, slots, suggestions=starters(services, policies=True))
    if intent in ORDER_INTENTS:
        with timer.stage("retrieval"):
            desk = services.service_desk()
            if intent == "order_status":
                reply = service.order_status_reply(session, slots, desk, text)
            elif intent == "return_request":
                reply = returns.return_reply(session, slots, desk, text)
            elif intent == "cancel_order":
                reply = order_actions.cancel_reply(session, slots, desk)
            else:
                reply = order_actions.change_reply(session, slots, desk)
            if slots.order_id or slots.email or session.pending_order_id or session.pending_email or not services.policies.answers:
                return reply
            # no order named: "can earbuds still go back?" is also a question the policies answer;
            # a return asked for without an order always gets the returns rule that fits it best
            if reply.failed or (intent != "return_request" and not services.policies.answers_confidently(text)):
                return reply
            hits = services.policies.search(text)
        if not hits:
            return reply
        answer_ = answer.policy_reply(text, hits, slots)
        combined = reply.extended(before=f"{answer_.text}\n\n", before_said=f"{answer_.said()}\n\n")
        return combined.model_copy(update={"sources": answer_.sources})
    if intent == "human_agent":
        if slots.complaint:
            return service.handoff_reply(session, slots, services.service_desk(), "a complaint", message=text, category="complaint")
        return service.handoff_reply(session, slots, services.service_desk(), "the shopper asked for a person", message=text)
    if intent == "greeting":
        example = starters(services)[0] if services.products.products else ""
        return Reply(
            intent=intent,
            slots=slots,
            text=render("greeting", store=services.store_name, example=example.lower()),
            suggestions=starters(services),
        )
    return Reply(intent="out_of_scope", slots=slots, text=render("out_of_scope"), suggestions=starters(services)[:2])


def _documents_say_instead(text: str, slots: Slots, services: Services) -> bool:
    """Whether a search's words the catalog lacks are all in the policy section that answers
    the message confidently: what the shopper asks for is something the documents describe."""
    unknown = [t for t in tokenize(slots.query or "") if t not in services.products.vocabulary_terms]
    return bool(unknown) and _documents_answer(text, services) and services.policies.best_holds(text, unknown)


def _documents_answer(text: str, services: Services) -> bool:
    """Whether the shop's own policy documents answer ``text`` confidently (none: never)."""
    return bool(services.policies.answers) and services.policies.answers_confidently(text)


def _refers(text: str, slots: Slots) -> bool:
    """Whether a message refers to products shown ("the second one", "both", "it", "which")."""
    shown_refs = any(ref in ("all", "it") or re.fullmatch(r"-?\d+", ref) for ref in slots.product_refs)
    return shown_refs or REFERS.search(text.lower()) is not None


def _about_shown(text: str, intent: Intent, slots: Slots, session: Session, services: Services) -> tuple[Intent, Slots]:
    """A product question (a comparison for "which ...") when the message names an attribute
    of the products on screen; a policy question must also refer to them ("it", "which").
    A message that is only a measure ("how long is it?") asks the measure its word suggests
    (a length), which a message with more words ("how long does it take?") does not."""
    said = text.lower()
    if intent == "policy_question" and not (slots.product_refs or REFERS.search(said)):
        return intent, slots
    several = re.search(r"\bwhich\b", said) is not None and len(session.shown) >= 2
    products = session.shown[:MAX_COMPARE] if several else (session.focus[:1] or session.shown[:1])
    attribute = resolve_attribute(text, products, services.vocabulary.attributes, literal=True)
    if attribute is None and only_measures(text, products):  # "how long is it?": the product's length
        attribute = resolve_attribute(text, products, services.vocabulary.attributes)
    if attribute is None:
        return intent, slots
    return ("compare_products" if several else "product_question"), Slots(attribute=attribute, product_refs=slots.product_refs)


_ONE = re.compile(r"\bone\b")


def _chosen_among_compared(text: str, parsed: ParsedIntent, session: Session) -> list[Product]:
    """The products just compared that the message picks out, or none: "the cheaper one"
    (the cheapest of them; "the dearer one" the dearest), "only a clear one", "the makita
    one" (those of them with the colour, size or brand it names, when some have it and some
    not). Only right after a comparison, and only for a message about one of them (it says
    "one", or the parser read a question about products on screen), so "anything cheaper?"
    and "show me white ones" still search."""
    compared = session.focus
    if session.last_intent != "compare_products" or len(compared) < 2:
        return []
    if not (_ONE.search(text.lower()) or parsed.intent in ("product_question", "compare_products")):
        return []
    if parsed.relative_price and _ONE.search(text.lower()):
        pick = min if parsed.relative_price == "cheaper" else max
        return [pick(compared, key=lambda p: p.price)]
    named = Constraints(color=parsed.slots.color, size=parsed.slots.size, brand=parsed.slots.brand)
    if named.is_empty():
        return []
    matching = [p for p in compared if named.matches(p)]
    return matching if 0 < len(matching) < len(compared) else []


def starters(services: Services, *, policies: bool = False) -> tuple[str, ...]:
    """Suggestions drawn from this store: its largest categories, its order desk, its policy
    documents (``policies``: only those)."""
    docs = tuple(f"Tell me about {title.lower()}" for title in dict.fromkeys(c.title for c in services.policies.chunks))
    if policies:
        return docs[1:3]
    counts = Counter(p.category for p in services.products.products)
    shown = tuple(f"Show me {category.replace('-', ' ').replace('_', ' ')}" for category, _ in counts.most_common(1))
    orders = ("Where is my order?",) if services.orders is not None else ()
    return (shown + docs[:1] + orders)[:3]


_EMAIL = re.compile(r"\S+@\S+")


def _continuing(text: str, parsed: ParsedIntent, session: Session) -> ParsedIntent:
    """A message that only gives the order id or email the assistant asked for continues the
    request that asked ("I want to return order 1001" ... "sam@example.org" is still a
    return), whichever of the two order requests the parser read it as."""
    asked = session.pending_intent
    new = parsed.slots
    if asked == "change_order" and parsed.intent != "change_order" and (new.size or new.color or new.address):
        # asked what should change: "size L", "make it the blue one", "to 4 Rue Lepic, Paris"
        changed = Slots(size=new.size, color=new.color, address=new.address, item=new.item or new.query)
        return parsed.model_copy(update={"intent": "change_order", "slots": changed})
    if asked is None or parsed.intent not in ORDER_INTENTS or parsed.intent == asked:
        return parsed
    rest = _EMAIL.sub(" ", text)
    if parsed.slots.order_id:
        rest = re.sub(re.escape(parsed.slots.order_id).replace("\\-", "[-\\s]?"), " ", rest, flags=re.I)
    if len(re.findall(r"[a-z]+", rest.lower())) > 3:  # more than "my email is ...": a request of its own
        return parsed
    return parsed.model_copy(update={"intent": asked})


def _with_refs(slots: Slots, products: list) -> Slots:
    return slots.model_copy(update={"product_refs": [p.id for p in products]})


def _remember(session: Session, text: str, parsed: ParsedIntent, reply: Reply) -> None:
    session.history.append({"role": "shopper", "text": text})
    session.history.append({"role": "assistant", "text": reply.text})
    if reply.intent == "search_products":
        session.constraints = reply.slots
        if reply.products:
            session.shown = list(reply.products)
            session.focus = []
        elif reply.alternatives:  # the list on screen now: "the first one" is one of them
            session.shown = list(reply.alternatives)
            session.focus = []
    elif reply.intent in ("product_question", "compare_products") and reply.products:
        session.focus = list(reply.products)
    session.failures = session.failures + 1 if reply.failed else 0
    session.last_intent = parsed.intent
