"""The web app a shop deploys: FastAPI serving the Gradio chat and everything around it.

    /             a demo support page (a fictional help centre) with the floating widget
    /widget.js    the launcher script a shop pastes into its own pages
    /chat/        the Gradio chat UI (what the widget's iframe shows)
    /chat/gradio.js  Gradio's web component script, served by us (no CDN)
    /api/chat     JSON chat endpoint, the replay contract's fields per turn
    /api/feedback thumbs up/down on one answer
    /api/chat/{id}/team  the shop team's replies in a handed-off conversation
    /health       liveness and store size
    /admin        the owner page (hand-off inbox), only with SHOPASSIST_ADMIN_TOKEN set

Thin: every answer comes from ``pipeline.handle``; this module only moves JSON.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import re
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import gradio as gr
from fastapi import FastAPI, File, Form, HTTPException, Query, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field

from assistant.answer.html import CSS
from assistant.app import Services
from assistant.channels import guard
from assistant.channels.assets import CompressedAssets
from assistant.channels.replay import turn_json
from assistant.channels.sessions import SessionStore
from assistant.channels.ui import build_app, head, theme
from assistant.errors import UnknownTurn
from assistant.owner import page as owner_page
from assistant.owner.webhook import WebhookSender
from assistant.pipeline import Audio, handle
from assistant.records.outbox import Outbox
from assistant.settings import Settings
from assistant.types import CartItem, Handoff, Intent

log = logging.getLogger(__name__)

STATIC = files("assistant.channels") / "static"
#: the most characters /api/chat accepts; longer messages are refused, not truncated silently
MAX_API_MESSAGE = 20_000
#: no conversation has more turns than this; a larger turn number is refused, never looked up
MAX_TURN = 100_000


class ChatRequest(BaseModel):
    """(Lone UTF-16 surrogates never get this far: the JSON parser refuses them with a 422.)"""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(max_length=MAX_API_MESSAGE, description="What the shopper typed.")
    conversation_id: str | None = Field(
        default=None, max_length=64, description="Omit to start a conversation; then send back the conversation_id the answer gave."
    )


class ChatProduct(BaseModel):
    id: str
    title: str
    price: float
    currency: str
    brand: str | None = None
    category: str
    attributes: dict[str, Any] = Field(default_factory=dict, description="The shop's own attribute keys and values.")


class ChatSource(BaseModel):
    doc: str = Field(description="The policy document the answer quotes.")
    title: str
    section: str
    chunk_id: str


class TeamReply(BaseModel):
    author: str = Field(description="Who of the shop's team wrote it.")
    text: str
    created_at: str = Field(description="When, ISO 8601 UTC.")
    at: float = Field(description="Its position: send the last one back as `after` to get only newer replies.")


class TeamReplies(BaseModel):
    replies: list[TeamReply]


class ChatAnswer(BaseModel):
    """One answered turn: the reply text and everything the assistant showed with it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "conversation_id": "q3Vb0xYJ7pXrG1s2nWmK4cLd",
                    "conversation": "q3Vb0xYJ7pXrG1s2nWmK4cLd",
                    "turn": 1,
                    "transcript": "waterproof running shoes under $80",
                    "intent": "search_products",
                    "slots": {"query": "waterproof running shoes", "category": "shoes", "price_max": 80.0},
                    "text": "I found 3 matches for waterproof running shoes at or under $80.00:\n1. Trail Runner GTX ($74.99): waterproof, within budget\n...",
                    "products": [
                        {
                            "id": "SH-0012",
                            "title": "Trail Runner GTX",
                            "price": 74.99,
                            "currency": "USD",
                            "brand": "Acme",
                            "category": "shoes",
                            "attributes": {"waterproof": True, "color": "black"},
                        }
                    ],
                    "alternatives": [],
                    "sources": [],
                    "handoff": None,
                    "suggestions": ["Cheaper", "In black"],
                    "timings_ms": {"intent": 74.2, "retrieval": 18.5, "answer": 1.1, "total": 95.0},
                }
            ]
        }
    )

    conversation_id: str = Field(description="Send it back with the next message to continue this conversation.")
    conversation: str = Field(description="The same id (the replay contract's name for it).")
    turn: int = Field(description="The turn's number in its conversation, from 1.")
    transcript: str = Field(description="What was understood as the shopper's message (cleaned of markup).")
    intent: Intent
    slots: dict[str, Any] = Field(description="What the request was understood to ask for (filled slots only).")
    text: str = Field(description="The reply, in plain text.")
    products: list[ChatProduct] = Field(description='Products shown with the reply, in order ("the second one" refers to these).')
    alternatives: list[ChatProduct] = Field(description="Closest products offered when none met every constraint.")
    sources: list[ChatSource] = Field(description="Policy sections the reply is based on.")
    handoff: Handoff | None = Field(default=None, description="The ticket when the conversation was handed to a person.")
    cart: list[CartItem] = Field(
        default_factory=list,
        description='Products the shopper asked, in words, to add to the cart ("add the second one to my cart"): add them on the shop\'s side.',
    )
    suggestions: list[str] = Field(description="Short follow-ups the shopper may tap.")
    timings_ms: dict[str, float] = Field(description="Time each stage took.")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(max_length=64)
    turn: int = Field(ge=1, le=MAX_TURN)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


def _static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _topics(services: Services) -> str:
    """The help page's topic cards: each policy document's summary sentence and the shop's contacts."""
    cards = []
    for doc in services.policies.topics:
        overview = services.policies.overview(doc)
        if overview is not None:
            sentence = re.split(r"(?<=[.!?])\s", re.sub(r"[*_`]", "", overview.text), maxsplit=1)[0]
            cards.append((overview.title, sentence))
    if services.profile.contact_text():
        cards.append(("Contact us", services.profile.contact_text()))
    return "\n".join(f'    <article class="topic"><h2>{html.escape(t)}</h2><p>{html.escape(p)}</p></article>' for t, p in cards)


def _lifespan(services: Services):
    """Runs the help-desk webhook's deliverer while the app serves, when one is configured."""
    settings = services.settings

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sender = None
        if settings.webhook_url is not None and settings.webhook_secret is not None:
            secret = settings.webhook_secret.get_secret_value()
            sender = WebhookSender(Outbox(services.desk.engine), str(settings.webhook_url), secret, settings.webhook_retry_s)
            sender.start()
        try:
            yield
        finally:
            if sender is not None:
                sender.stop()

    return lifespan


def create_app(services: Services) -> FastAPI:
    settings = services.settings
    root = settings.root_path.rstrip("/")
    # the API's docs page with its Swagger UI files served from here (fastapi-offline), never a CDN
    app = FastAPIOffline(
        title=f"{services.store_name} shopping assistant",
        root_path=root,
        docs_url="/api/docs",
        redoc_url=None,
        static_url="/api/docs-files",
        favicon_url=f"{root}/api/docs-files/favicon.png",
        lifespan=_lifespan(services),
    )
    frontend = Path(gr.__file__).parent / "templates" / "frontend"
    stubs = unused_library_stubs(frontend / "assets")
    app.add_middleware(  # innermost: its answers get the CORS, cache and security headers below
        CompressedAssets,
        prefix=f"{root}/chat/assets/",
        directory=frontend / "assets",
        cache=settings.cache_dir() / "assets" / f"gradio-{gr.__version__}",
        skip=frozenset(name for name, _ in stubs),
    )
    # only the shop's own sites may call the API from a browser (none: this site only); the
    # web component's module scripts need CORS on the shop's pages, hence its origins
    app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["GET", "POST"], allow_headers=["*"])
    upload_limit = settings.asr_max_bytes + 100_000  # a recording plus its multipart envelope
    app.add_middleware(
        guard.BodyLimit,
        limit=lambda path: (
            settings.max_body_bytes if (api := path.removeprefix(root)).startswith("/api/") and api != "/api/chat/audio" else upload_limit
        ),
    )
    app.add_middleware(guard.ClientRateLimit, limits=settings.rate_limit_client)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages and JSON; Gradio's files come compressed
    app.add_middleware(guard.CacheHashedAssets, prefixes=(f"{root}/chat/assets/", f"{root}/assets/"))
    app.add_middleware(guard.SecurityHeaders, frame_ancestors=settings.allowed_origins)  # outermost: every answer has them
    guard.install(app)
    sessions = SessionStore(services.log, settings.session_idle_minutes)

    @app.get("/health")
    def health() -> dict:
        return {
            "status": "ok",
            "store": services.store_name,
            "products": len(services.products.products),
            "policy_chunks": len(services.policies.chunks),
        }

    def answer(message: str | Audio, conversation_id: str | None) -> dict:
        entry = sessions.new() if conversation_id is None else sessions.get(conversation_id)
        if entry is None:
            raise HTTPException(status_code=404, detail="Unknown or expired conversation; omit conversation_id to start a new one.")
        session, lock = entry
        with lock:
            result = handle(message, session, services, channel="api")
            sessions.save(session)
        if result.error:  # a bug: the session lives on, the client may retry
            raise HTTPException(status_code=500, detail="Something went wrong on our side; please try again.")
        if result.reply.retry_after:  # order lookups of this email or id are paused
            retry = str(result.reply.retry_after)
            raise HTTPException(status_code=429, detail=result.reply.text, headers={"Retry-After": retry})
        body = turn_json(session.conversation_id, result.turn, result)
        body["conversation_id"] = session.conversation_id
        body["suggestions"] = list(result.reply.suggestions)
        return body

    @app.post("/api/chat", response_model=ChatAnswer)
    def chat(request: ChatRequest) -> dict:
        return answer(request.message, request.conversation_id)

    @app.post("/api/chat/audio", response_model=ChatAnswer)
    def chat_audio(
        audio: Annotated[UploadFile, File(description="A recording: wav, mp3, ogg/opus, webm, m4a or flac.")],
        conversation_id: Annotated[str | None, Form(max_length=64, description="As for /api/chat.")] = None,
    ) -> dict:
        """A spoken message for custom front ends: transcribed (the answer's ``transcript``), then answered like a typed one."""
        suffix = re.sub(r"[^a-z0-9]", "", Path(audio.filename or "").suffix.lower())[:5]
        with tempfile.NamedTemporaryFile(suffix=f".{suffix}" if suffix else "") as recording:
            size = 0
            while chunk := audio.file.read(1 << 16):
                size += len(chunk)
                if size > settings.asr_max_bytes:
                    raise HTTPException(status_code=413, detail=f"The recording is larger than {settings.asr_max_bytes:,} bytes.")
                recording.write(chunk)
            recording.flush()
            return answer(Audio(Path(recording.name)), conversation_id)

    @app.get("/api/chat/{conversation_id}/team", response_model=TeamReplies)
    def team_replies(conversation_id: Annotated[str, PathParam(max_length=64)], after: Annotated[float, Query(ge=0)] = 0.0) -> dict:
        """What the shop's team answered in a conversation the assistant handed to a person, after ``after``."""
        if sessions.get(conversation_id) is None:
            raise HTTPException(status_code=404, detail="Unknown or expired conversation.")
        replies = services.desk.replies_in(conversation_id, after)
        return {"replies": [{"author": r.author, "text": r.text, "created_at": r.created_at, "at": r.recorded_at} for r in replies]}

    @app.post("/api/feedback", status_code=204)
    def feedback(request: FeedbackRequest) -> Response:
        if services.log is None:
            raise HTTPException(status_code=503, detail="Feedback is not stored for this store.")
        try:
            services.log.rate(request.conversation_id, request.turn, request.rating, request.comment)
        except UnknownTurn as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        return Response(status_code=204)

    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    owner_page.install(app, services, token, root)

    @app.get("/", response_class=HTMLResponse)
    def support_page() -> str:
        return _static_text("support.html").replace("{{TOPICS}}", _topics(services)).replace("{{STORE}}", html.escape(services.store_name))

    @app.get("/widget.js")
    def widget_script() -> Response:
        return Response(_static_text("widget.js"), media_type="text/javascript")

    gradio_js = frontend / "gradio.js"
    for name, stub in stubs:

        @app.get(f"/chat/assets/{name}", include_in_schema=False)
        def unused_library(stub: str = stub) -> Response:  # served in place of Gradio's file (see unused_library_stubs)
            return Response(stub, media_type="text/javascript")

    # the web component's bundle preloads its stylesheets from /assets/ of its host
    app.mount("/assets", StaticFiles(directory=frontend / "assets"), name="gradio-assets")

    @app.get("/chat/gradio.js")
    def web_component_script() -> FileResponse:
        # imports ./assets/..., which the mounted Gradio app serves under /chat/assets/
        return FileResponse(gradio_js, media_type="text/javascript")

    blocks = build_app(services, sessions).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/chat",
        css=CSS,
        head=head(),
        theme=theme(),
        show_error=False,
        max_file_size=settings.asr_max_bytes,
        footer_links=[],
        root_path=f"{root}/chat" if root else None,
    )


#: libraries Gradio's chat loads but this chat never runs: HLS video streaming (hls.js, about
#: 156 KB compressed, a third of the widget's first opening), used only to play video streams
UNUSED_LIBRARIES = ("hls",)


def unused_library_stubs(assets: Path) -> list[tuple[str, str]]:
    """(file name, module) for each of Gradio's build files of ``UNUSED_LIBRARIES``: a module
    with the same exports, each a function answering false ("streaming not supported"), so
    the chunks that import it load and never stream. The names come from the file itself, so
    a Gradio release with other names still gets a matching stub (the browser tests load the chat)."""
    stubs = []
    for library in UNUSED_LIBRARIES:
        for path in sorted(assets.glob(f"{library}-*.js")):
            exports = re.findall(r"export\s*\{([^}]*)\}", path.read_text(encoding="utf-8", errors="replace"))
            names = [part.split(" as ")[-1].strip() for part in (exports[-1] if exports else "").split(",") if part.strip()]
            if not names or not all(re.fullmatch(r"[A-Za-z_$][\w$]*", n) for n in names):
                continue  # not a module we understand: Gradio's own file is served
            body = "function unused(){return false}\nexport{" + ",".join(f"unused as {n}" for n in names) + "};\n"
            stubs.append((path.name, f"// {library}: not used by this chat (assistant/channels/web.py)\n{body}"))
    return stubs


def exposed_warning(host: str, origins: list[str]) -> str | None:
    """What to shout when ``serve`` would listen beyond this machine with no shop origins configured."""
    if _exposed(host, origins):
        return (
            f"WARNING: serving on {host}, reachable beyond this machine, with SHOPASSIST_ALLOWED_ORIGINS unset: the chat and"
            " API answer this site only, so no shop page can embed the widget. Set the shop's origins, e.g."
            " SHOPASSIST_ALLOWED_ORIGINS=https://shop.example.com (docs/security.md)."
        )
    return None


def _exposed(host: str, origins: list[str]) -> bool:
    if origins:
        return False
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return True


def serve(services: Services, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(services), host=host, port=port, log_level="warning")


def serve_workers(host: str, port: int, workers: int) -> None:
    """``workers`` processes on one port (uvicorn's supervisor; each worker builds its own
    services from the settings: ``SHOPASSIST_STORE`` names the store). They share the store's
    database: a conversation continues on whichever worker gets its next turn."""
    import uvicorn

    uvicorn.run("assistant.channels.web:app_from_settings", factory=True, host=host, port=port, workers=workers, log_level="warning")


def serving_services(settings: Settings, store_dir: Path, open_store: Callable[[], Services]) -> Services:
    """A serving process's services: at most two malloc heaps (before its threads exist),
    the intent model loading in the background while ``open_store`` opens the store, what
    loading freed handed back, and a thread that trims the heap from then on."""
    from assistant.app import preload_parser
    from assistant.memory import release_freed_memory, start_trimming, tune_malloc

    tune_malloc()
    preload_parser(settings, store_dir)
    services = open_store()
    release_freed_memory()
    start_trimming()
    return services


def app_from_settings() -> FastAPI:
    """The app of one ``serve --workers`` process: the settings' store, opened afresh."""
    from assistant.app import open_services
    from assistant.settings import get_settings

    settings = get_settings()
    return create_app(serving_services(settings, settings.store_dir(), lambda: open_services(settings)))
