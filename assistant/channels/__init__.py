"""Channels: thin adapters over ``pipeline.handle``: the terminal (``cli``), the JSON API
and the support page (``web``), the Gradio chat (``ui``) and scripted conversations
(``replay``)."""

from assistant.channels import gradio_stubs

gradio_stubs.skip()  # before web and ui import Gradio: 1.1 s of every start
