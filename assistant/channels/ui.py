"""The Gradio chat: a thin shell over ``pipeline.handle``. ``build_app`` never launches.

One input (``MultimodalTextbox``) takes typed text, a microphone recording or an audio
upload; answers stream word by word and end with the reply's cards/table/source,
rendered only from its structured fields. Suggestion chips follow each answer, and
thumbs up/down are stored with the conversation (``ConversationLog``).
"""

from __future__ import annotations

import html
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from assistant.answer.html import profile_links, reply_html
from assistant.app import Services
from assistant.channels.inputs import clean_text
from assistant.dialogue import Session
from assistant.errors import UnknownTurn
from assistant.pipeline import Audio, handle, starters
from assistant.types import Reply

log = logging.getLogger(__name__)

MAX_CHIPS = 3
WELCOME = "Hi! Ask me about our products, your order or the shop's policies."
#: Gradio labels the microphone, upload and send buttons but not the message box itself
HEAD = """<script>
(function () {
  function label() {
    document.querySelectorAll("#sa-input textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Message to the shopping assistant");
    });
  }
  new MutationObserver(label).observe(document.documentElement, {childList: true, subtree: true});
  // inside the shop's page (widget.js): "Add to cart" on a card tells the host page, which
  // adds it with its own code (the "shopassist:add-to-cart" event, README "Embed")
  if (window.parent === window) return;
  var shown = document.createElement("style");  // Gradio scopes the app's own CSS to its container
  shown.textContent = ".sa-cart-event{display:inline-block!important}";
  document.head.appendChild(shown);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.sa-cart");
    if (!link) return;
    var card = link.closest(".sa-card");
    var href = link.getAttribute("href") || "";
    var fromLink = href.indexOf("#sa-add-to-cart:") === 0 ? decodeURIComponent(href.slice(16)) : null;
    var id = fromLink || (card && (card.getAttribute("title") || "").replace(/^Item /, ""));
    if (!id) return;
    window.parent.postMessage({type: "shopassist:add-to-cart", productId: id, quantity: 1}, "*");
    if (fromLink) event.preventDefault();
  });
})();
</script>"""
ONE_AT_A_TIME = "I can only listen to one recording at a time; I used the first one."

Outputs = tuple  # (history, session, box, *chips)


def _stream_words(text: str) -> Iterator[str]:
    words = text.split(" ")
    for end in range(1, len(words), 4):
        yield " ".join(words[:end])
    yield text


def _chips(suggestions: tuple[str, ...] | list[str]) -> list:
    shown = list(suggestions)[:MAX_CHIPS]
    return [gr.update(value=s, visible=True) for s in shown] + [gr.update(visible=False)] * (MAX_CHIPS - len(shown))


def _message_parts(message: str | dict | None) -> tuple[str, list[str]]:
    if isinstance(message, dict):
        files = [f if isinstance(f, str) else f.get("path", "") for f in message.get("files") or []]
        return str(message.get("text") or ""), [f for f in files if f]
    return str(message or ""), []


def answer_turn(text: str, audio: list[str], session: Session, services: Services) -> tuple[str, str, Reply | None]:
    """(shopper message to show, assistant text as HTML, reply) for one UI turn; never raises.

    A recording wins over typed text; its transcript is shown as the shopper's message.
    """
    try:
        result = handle(Audio(Path(audio[0])) if audio else clean_text(text), session, services, channel="ui")
    finally:  # a recording is kept only until it is answered
        discard_uploads(audio, services.settings.upload_dir())
    if result.error:
        return text or "🎤", html.escape(result.reply.text), None
    reply_text = result.reply.text
    if audio:
        shown = f"🎤 {result.transcript}" if result.transcript else "🎤 (recording)"
        if len(audio) > 1:
            reply_text = f"{ONE_AT_A_TIME}\n{reply_text}"
    else:
        shown = result.transcript or text
    return shown, html.escape(reply_text).replace("\n", "<br>"), result.reply


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


def stream_turn(message: str | dict | None, history: list[dict] | None, session: Session | None, services: Services) -> Iterator[Outputs]:
    session = session or Session()
    text, audio = _message_parts(message)
    history = list(history or [])
    shopper, reply_text, reply = answer_turn(text, audio, session, services)
    history.append({"role": "user", "content": shopper})
    history.append({"role": "assistant", "content": ""})
    hidden = [gr.update(visible=False)] * MAX_CHIPS
    for partial in _stream_words(reply_text):
        history[-1] = {"role": "assistant", "content": partial}
        yield (history, session, None, *hidden)
        time.sleep(0.01)
    rich = reply_html(reply, services.settings.image_hosts, profile_links(services.profile)) if reply is not None else ""
    history[-1] = {"role": "assistant", "content": reply_text + rich}
    yield (history, session, None, *_chips(reply.suggestions if reply else ()))


def record_feedback(data: gr.LikeData, session: Session | None, services: Services) -> None:
    """Thumbs up/down on an assistant message: stored against that turn."""
    if session is None or services.log is None or not isinstance(data.index, (int, tuple, list)):
        return
    index = data.index if isinstance(data.index, int) else data.index[0]
    turn = index // 2 + 1  # messages alternate shopper, assistant
    try:
        if data.liked is True or data.liked == "Like":
            services.log.rate(session.conversation_id, turn, "up")
        elif data.liked is False or data.liked == "Dislike":
            services.log.rate(session.conversation_id, turn, "down")
        else:
            services.log.unrate(session.conversation_id, turn)
    except UnknownTurn:
        log.warning("feedback for an unrecorded turn %s of %s", turn, session.conversation_id)


def build_app(services: Services) -> gr.Blocks:
    use_upload_dir(services.settings.upload_dir())
    blocks = gr.Blocks(title=f"{services.store_name} assistant", fill_height=True, delete_cache=(UPLOAD_MAX_AGE_S, UPLOAD_MAX_AGE_S))
    with blocks as app:
        # forgotten (with any email it verified) once idle as long as an API conversation
        session = gr.State(None, time_to_live=services.settings.session_idle_minutes * 60)
        chatbot = gr.Chatbot(
            label=f"{services.store_name} shopping assistant",
            elem_id="sa-chat",
            placeholder=WELCOME,
            sanitize_html=True,
            feedback_options=("Like", "Dislike"),
            scale=1,
            min_height=360,
        )
        with gr.Row(elem_id="sa-suggestions"):
            chips = [
                gr.Button(visible=False, size="sm", variant="secondary", elem_classes=["sa-chip"], min_width=60) for _ in range(MAX_CHIPS)
            ]
        box = gr.MultimodalTextbox(
            label="Message to the shopping assistant",
            show_label=False,
            placeholder="Type a question, or use the microphone…",
            sources=["microphone", "upload"],
            # browsers record webm/ogg; "audio" alone rejects webm (guessed as video/webm)
            file_types=["audio", ".webm", ".weba", ".ogg", ".opus", ".m4a", ".mp3", ".wav", ".flac", ".aac"],
            elem_id="sa-input",
            submit_btn="Send",
            html_attributes=gr.InputHTMLAttributes(enterkeyhint="send", autocomplete="off"),
        )
        gr.Examples(list(starters(services)), inputs=box, label="Try")
        outputs = [chatbot, session, box, *chips]

        def _respond(message, history, state):
            yield from stream_turn(message, history, state, services)

        box.submit(_respond, inputs=[box, chatbot, session], outputs=outputs, api_name="chat")
        for chip in chips:
            chip.click(_respond, inputs=[chip, chatbot, session], outputs=outputs, api_visibility="private")

        def _feedback(data: gr.LikeData, state):
            record_feedback(data, state, services)

        chatbot.like(_feedback, inputs=[session], outputs=None, api_visibility="private")
        # a cleared chat is a new conversation (turn numbers start again)
        chatbot.clear(lambda: None, inputs=None, outputs=[session], api_visibility="private")
    return app


def launch(services: Services, host: str = "127.0.0.1", port: int = 7860) -> None:
    """The chat alone (``shopassist serve`` serves it inside the web app instead)."""
    from assistant.answer.html import CSS

    build_app(services).queue().launch(
        server_name=host, server_port=port, css=CSS, show_error=False, max_file_size=services.settings.asr_max_bytes
    )
