"""The Gradio chat: a thin shell over ``pipeline.run_turn``. ``build_app`` never launches."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Iterator

import gradio as gr

from assistant.dialogue import Session
from assistant.pipeline import Services, run_turn
from assistant.render import CSS, reply_html

log = logging.getLogger(__name__)

EXAMPLES = [
    "Waterproof running shoes under $80, size 10",
    "Noise cancelling headphones",
    "What is your return policy?",
    "Where is my order NW-100001?",
]


def _stream_words(text: str) -> Iterator[str]:
    words = text.split(" ")
    for end in range(1, len(words) + 1, 4):
        yield " ".join(words[:end])
    yield text


def respond(message: str, history: list[dict], session: Session | None, services: Services) -> Iterator[tuple[list[dict], Session, str]]:
    session = session or Session()
    history = list(history or []) + [{"role": "user", "content": message}]
    try:
        result = run_turn(message, session, services)
        text = html.escape(result.reply.text).replace("\n", "<br>")
        rich = reply_html(result.reply)
    except Exception:  # never lose the session over one bad turn
        log.exception("turn failed")
        text, rich = "Sorry, something went wrong on my side. Please try again or rephrase.", ""
    history.append({"role": "assistant", "content": ""})
    for partial in _stream_words(text):
        history[-1] = {"role": "assistant", "content": partial}
        yield history, session, ""
        time.sleep(0.01)
    history[-1] = {"role": "assistant", "content": text + rich}
    yield history, session, ""


def build_app(services: Services) -> gr.Blocks:
    with gr.Blocks(title=f"{services.store_name} assistant") as app:
        gr.Markdown(f"### {services.store_name} shopping assistant")
        session = gr.State(None)
        chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="sa-chat", sanitize_html=True)
        with gr.Row():
            box = gr.Textbox(label="Your message", placeholder="Ask about products, orders, returns…", scale=8, elem_id="sa-input")
            send = gr.Button("Send", variant="primary", scale=1)
        gr.Examples(EXAMPLES, inputs=box, label="Try")

        def _respond(message, history, state):
            yield from respond(message, history, state, services)

        box.submit(_respond, inputs=[box, chatbot, session], outputs=[chatbot, session, box], api_name="chat")
        send.click(_respond, inputs=[box, chatbot, session], outputs=[chatbot, session, box], api_visibility="private")
    return app


def launch(services: Services, host: str = "127.0.0.1", port: int = 7860) -> None:
    app = build_app(services)
    app.queue().launch(server_name=host, server_port=port, css=CSS, show_error=False)
