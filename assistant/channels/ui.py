"""The Gradio chat: a thin shell over ``pipeline.handle``. ``build_app`` never launches.

A turn is two steps, so the shopper sees something at once: the message is shown with a
typing indicator (no queue); then a recording's transcript is shown as soon as it is heard,
and the answer replaces the indicator as soon as it is computed: the reply's ``said()`` text and the
cards, table, source or ticket rendered from its structured fields. Suggestion chips follow
each answer; thumbs up/down are stored with the conversation (``ConversationLog``).

The conversation id lives in the browser (``gr.BrowserState``), the session on the server
(``SessionStore``, shared with the JSON API): a reload, or the widget opened on another page
of the shop, shows the conversation again from the store's log.
"""

from __future__ import annotations

import html
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.html import profile_links, reply_html
from assistant.app import Services
from assistant.channels.inputs import clean_text
from assistant.channels.sessions import SessionStore
from assistant.dialogue import Session
from assistant.errors import UnknownTurn
from assistant.pipeline import Audio, Heard, handle, listen, starters
from assistant.records.conversations import interleave
from assistant.records.tickets import TeamMessage
from assistant.types import Reply

log = logging.getLogger(__name__)

MAX_CHIPS = 3
#: an email address the shop's page may identify the shopper with
EMAIL = re.compile(r"[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
WELCOME = "Hi! Ask me about our products, your order or the shop's policies."
#: what the widget may set through the chat's address (?welcome=...&suggestions=a|b), capped
MAX_OPTION_CHARS = 300
TYPING = '<span class="sa-typing" role="status" aria-label="The assistant is typing"><span></span><span></span><span></span></span>'
LISTENING = "🎤 …"
ONE_AT_A_TIME = "I can only listen to one recording at a time; I used the first one."
HEAD_SCRIPT = Path(__file__).parent / "static" / "chat.js"
#: how often an open chat handed to a person asks whether the team has answered
TEAM_POLL_S = 5.0
TEAM_CLASS = "sa-team"


def head() -> str:
    """The chat page's own script (``static/chat.js``): labels, add-to-cart events for the host
    page, one-tap voice, answers read aloud on request, Escape to close the widget."""
    return f"<script>{HEAD_SCRIPT.read_text(encoding='utf-8')}</script>"


def theme() -> gr.themes.Base:
    """Gradio's default look in the shopper's own system fonts: no web fonts to download
    (about 145 KB of the widget's first opening), and blue rather than orange."""
    return gr.themes.Default(
        primary_hue="blue",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
    )


def browser_secret(home: Path) -> str:
    """The key that encrypts the conversation id kept in the shopper's browser: one per
    installation (``HOME/browser-state.key``), so every process and every restart reads it."""
    path = home / "browser-state.key"
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        key = secrets.token_urlsafe(32)
        out.write(key)
    return key


def _chips(suggestions: tuple[str, ...] | list[str]) -> list:
    shown = list(suggestions)[:MAX_CHIPS]
    return [gr.update(value=s, visible=True) for s in shown] + [gr.update(visible=False)] * (MAX_CHIPS - len(shown))


def _message_parts(message: str | dict | None) -> tuple[str, list[str]]:
    if isinstance(message, dict):
        files = [f if isinstance(f, str) else f.get("path", "") for f in message.get("files") or []]
        return str(message.get("text") or ""), [f for f in files if f]
    return str(message or ""), []


def _markdown_text(text: str) -> str:
    """Text shown literally in Markdown (a shop's name may hold *, _, # or <)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def reply_message(reply: Reply, services: Services, before: str = "") -> str:
    """An answer as the chat shows it: what is said, then the cards, table, source or ticket."""
    rich = reply_html(reply, services.settings.image_hosts, profile_links(services.profile))
    return _escaped(f"{before}{reply.said()}") + rich


def team_message(message: TeamMessage, store: str) -> str:
    """A reply from the shop's team as the chat shows it (marked, so it is never rated as the assistant's)."""
    who = html.escape(f"{message.author}, {store} team")
    return f'<div class="{TEAM_CLASS}"><b>{who}</b><br>{_escaped(message.text)}</div>'


def discard_uploads(paths: list[str], upload_dir: Path) -> None:
    """Delete the uploaded files of a turn (only ever files inside ``upload_dir``)."""
    root = upload_dir.resolve()
    for name in paths:
        path = Path(name).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink(missing_ok=True)
            if path.parent != root and not any(path.parent.iterdir()):  # Gradio's one folder per upload
                path.parent.rmdir()


def use_upload_dir(upload_dir: Path) -> Path:
    """Make Gradio keep uploads under the state directory (``SHOPASSIST_HOME/uploads``)
    rather than the system's /tmp/gradio; it reads GRADIO_TEMP_DIR when a Blocks is built
    and whenever it checks a file, so this holds for the whole process."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(upload_dir)
    return upload_dir


#: uploads never submitted are deleted after this many seconds (checked as often)
UPLOAD_MAX_AGE_S = 600


class ChatTurns:
    """The chat's steps over the shared sessions; each returns Gradio outputs and never raises."""

    def __init__(self, services: Services, sessions: SessionStore) -> None:
        self.services = services
        self.sessions = sessions

    def _session(self, conversation: str | None) -> tuple[Session, threading.Lock]:
        """The browser's conversation when the server still keeps it, else a new one."""
        return (self.sessions.get(conversation) if conversation else None) or self.sessions.new()

    def show(self, message: str | dict | None, history: list[dict] | None) -> tuple[Any, ...]:
        """Step 1, at once: the shopper's message (a recording as 🎤) and the typing indicator."""
        text, audio = _message_parts(message)
        history = list(history or [])
        if not text.strip() and not audio:
            return (history, None, None, *[gr.update()] * MAX_CHIPS)
        shown = LISTENING if audio else html.escape(clean_text(text))
        history += [{"role": "user", "content": shown}, {"role": "assistant", "content": TYPING}]
        return (history, {"text": text, "audio": audio}, None, *[gr.update(visible=False)] * MAX_CHIPS)

    def answer(
        self, pending: dict | None, history: list[dict], conversation: str | None, seen: float | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Step 2: a recording's transcript shown as the shopper's message as soon as it is
        heard, then the answer in place of the typing indicator, and the suggestion chips."""
        if not pending:
            yield (gr.skip(), gr.skip(), gr.skip(), gr.skip(), *[gr.skip()] * MAX_CHIPS)
            return
        history = list(history)
        heard: Heard | None = None
        if pending["audio"]:
            try:
                heard = listen(Audio(Path(pending["audio"][0])), self.services)
            finally:  # a recording is kept only until it is heard
                discard_uploads(pending["audio"], self.services.settings.upload_dir())
            text = heard.transcript.text if heard.transcript else ""
            history[-2] = {"role": "user", "content": f"🎤 {html.escape(text)}" if text else "🎤 (recording)"}
            yield (list(history), gr.skip(), gr.skip(), gr.skip(), *[gr.skip()] * MAX_CHIPS)
        session, lock = self._session(conversation)
        with lock:
            result = handle(heard if heard is not None else clean_text(pending["text"]), session, self.services, channel="ui")
            self.sessions.save(session)
        before = ONE_AT_A_TIME + "\n" if heard is not None and len(pending["audio"]) > 1 else ""
        if result.error:
            content, chips = _escaped(result.reply.text), _chips(())
        else:
            content, chips = reply_message(result.reply, self.services, before), _chips(result.reply.suggestions)
        if heard is None and result.transcript and not result.error:
            history[-2] = {"role": "user", "content": html.escape(result.transcript)}
        history[-1] = {"role": "assistant", "content": content}
        # the team's replies written while this turn was answered: this history was taken before
        # them, and replaces what the page shows, so they are added here (never twice: ``seen``)
        latest = seen or 0.0
        if session.handed_off:
            history, latest = self._with_team_replies(session.conversation_id, history, latest)
        # handed to a person: the chat listens for the team's replies from now on
        yield (history, session.conversation_id, gr.Timer(active=bool(session.handed_off)), latest, *chips)

    def restore(self, conversation: str | None, request: gr.Request) -> tuple[Any, ...]:
        """On page load: the conversation this browser had, if the server still keeps it, and
        the widget's options from the chat's address (``?welcome=...&suggestions=a|b|c``)."""
        params = dict(request.query_params) if request is not None else {}
        welcome = clean_text(str(params.get("welcome") or ""))[:MAX_OPTION_CHARS] or WELCOME
        wanted = [clean_text(s)[:80] for s in str(params.get("suggestions") or "").split("|") if s.strip()][:MAX_CHIPS]
        chat = gr.update(placeholder=html.escape(welcome))
        entry = self.sessions.get(conversation) if conversation else None
        if entry is None or self.services.log is None or not conversation:
            return (chat, None, gr.Timer(active=False), 0.0, *_chips(wanted or starters(self.services)))
        history: list[dict] = []
        last: Reply | None = None
        seen = 0.0
        team = self.services.desk.replies_in(conversation)
        for item in interleave(self.services.log.turns_of(conversation), team):
            if isinstance(item, TeamMessage):
                history.append({"role": "assistant", "content": team_message(item, self.services.store_name)})
                seen = item.recorded_at
                continue
            history += [
                {"role": "user", "content": html.escape(item.shopper_text)},
                {"role": "assistant", "content": reply_message(item.reply, self.services)},
            ]
            last = item.reply
        listening = gr.Timer(active=bool(entry[0].handed_off))
        chips = _chips(last.suggestions if last else wanted)
        return (gr.update(value=history, placeholder=html.escape(welcome)), conversation, listening, seen, *chips)

    def team(self, conversation: str | None, history: list[dict] | None, seen: float | None) -> tuple[Any, Any]:
        """A tick of a chat handed to a person: the team's replies written since the last one shown."""
        if not conversation:
            return gr.skip(), gr.skip()
        shown, latest = self._with_team_replies(conversation, list(history or []), seen or 0.0)
        if latest == (seen or 0.0):
            return gr.skip(), gr.skip()
        return shown, latest

    def _with_team_replies(self, conversation: str, history: list[dict], seen: float) -> tuple[list[dict], float]:
        """``history`` with the team's replies written after ``seen``, and the last one's ``recorded_at`` (else ``seen``)."""
        for written in self.services.desk.replies_in(conversation, seen):
            history.append({"role": "assistant", "content": team_message(written, self.services.store_name)})
            seen = written.recorded_at
        return history, seen

    def identify(self, email: str, conversation: str | None) -> str | None:
        """The shop's page says who is signed in (``ShopAssistant.identify``): that email is used
        as if the shopper had typed it; nothing is verified by it (an order needs its number)."""
        address = (email or "").strip().lower()
        if not EMAIL.fullmatch(address):
            return conversation
        session, lock = self._session(conversation)
        with lock:
            session.identified_email = address
            self.sessions.save(session)
        return session.conversation_id

    def rate(self, data: gr.LikeData, conversation: str | None, history: list[dict] | None) -> None:
        """Thumbs up/down on an assistant message: stored against that turn (the team's replies are not rated)."""
        if not conversation or self.services.log is None or not isinstance(data.index, (int, tuple, list)):
            return
        index = data.index if isinstance(data.index, int) else data.index[0]
        shown = list(history or [])
        if not 0 <= index < len(shown) or TEAM_CLASS in str(shown[index].get("content") or ""):
            return
        turn = sum(1 for message in shown[: index + 1] if message.get("role") == "user")  # one shopper message a turn
        try:
            if data.liked is True or data.liked == "Like":
                self.services.log.rate(conversation, turn, "up")
            elif data.liked is False or data.liked == "Dislike":
                self.services.log.rate(conversation, turn, "down")
            else:
                self.services.log.unrate(conversation, turn)
        except UnknownTurn:
            log.warning("feedback for an unrecorded turn %s of %s", turn, conversation)


def build_app(services: Services, sessions: SessionStore | None = None) -> gr.Blocks:
    """The chat; ``sessions``: the JSON API's, so both continue the same conversations."""
    use_upload_dir(services.settings.upload_dir())
    turns = ChatTurns(services, sessions or SessionStore(services.log, services.settings.session_idle_minutes))
    blocks = gr.Blocks(title=f"{services.store_name} assistant", fill_height=True, delete_cache=(UPLOAD_MAX_AGE_S, UPLOAD_MAX_AGE_S))
    with blocks as app:
        conversation = gr.BrowserState(None, storage_key="shopassist-conversation", secret=browser_secret(services.settings.home))
        pending = gr.State(None)
        team_seen = gr.State(0.0)  # the last team reply shown (its recorded_at)
        listen_for_team = gr.Timer(TEAM_POLL_S, active=False)
        # a heading for screen readers (visually hidden); Markdown, whose code the chat loads anyway (gr.HTML adds 32 KB)
        gr.Markdown(f"# {_markdown_text(services.store_name)} shopping assistant", elem_id="sa-heading", padding=False)
        chatbot = gr.Chatbot(
            label=f"{services.store_name} shopping assistant",
            show_label=False,
            elem_id="sa-chat",
            placeholder=html.escape(WELCOME),
            sanitize_html=True,
            feedback_options=("Like", "Dislike"),
            buttons=[],
            scale=1,
            min_height=240,
        )
        with gr.Row(elem_id="sa-suggestions"):
            chips = [
                gr.Button(visible=False, size="sm", variant="secondary", elem_classes=["sa-chip"], min_width=60) for _ in range(MAX_CHIPS)
            ]
        with gr.Row(elem_id="sa-compose", equal_height=True):
            box = gr.MultimodalTextbox(
                label="Message to the shopping assistant",
                show_label=False,
                placeholder="Type your question…",
                sources=["upload"],  # the recording the voice button makes arrives as an upload
                # browsers record webm/ogg; "audio" alone rejects webm (guessed as video/webm)
                file_types=["audio", ".webm", ".weba", ".ogg", ".opus", ".m4a", ".mp3", ".wav", ".flac", ".aac"],
                elem_id="sa-input",
                submit_btn="Send",
                scale=1,
                html_attributes=gr.InputHTMLAttributes(enterkeyhint="send", autocomplete="off"),
            )
            gr.Button("Speak", elem_id="sa-mic", variant="secondary", min_width=48, scale=0)
        # filled by chat.js when the host page calls ShopAssistant.identify(email); never shown
        identity = gr.Textbox(elem_id="sa-identity", show_label=False, container=False, max_length=254)
        chip_outputs = chips
        quiet: dict[str, Any] = {"show_progress": "hidden", "api_visibility": "private"}

        def chain(trigger, source) -> None:
            # two requests a turn: the echo (no queue) and the answer (streamed: transcript, answer)
            step = trigger(turns.show, inputs=[source, chatbot], outputs=[chatbot, pending, box, *chip_outputs], queue=False, **quiet)
            step.then(
                turns.answer,
                inputs=[pending, chatbot, conversation, team_seen],
                outputs=[chatbot, conversation, listen_for_team, team_seen, *chip_outputs],
                **quiet,
            )

        chain(box.submit, box)
        for chip in chips:
            chain(chip.click, chip)
        chatbot.like(turns.rate, inputs=[conversation, chatbot], outputs=None, **quiet)
        listen_for_team.tick(turns.team, inputs=[conversation, chatbot, team_seen], outputs=[chatbot, team_seen], queue=False, **quiet)
        identity.input(turns.identify, inputs=[identity, conversation], outputs=[conversation], **quiet)
        app.load(turns.restore, inputs=[conversation], outputs=[chatbot, conversation, listen_for_team, team_seen, *chip_outputs], **quiet)
    return app


def launch(services: Services, host: str = "127.0.0.1", port: int = 7860) -> None:
    """The chat alone (``shopassist serve`` serves it inside the web app instead)."""
    from assistant.answer.html import CSS

    build_app(services).queue().launch(
        server_name=host,
        server_port=port,
        css=CSS,
        head=head(),
        theme=theme(),
        show_error=False,
        max_file_size=services.settings.asr_max_bytes,
    )
