"""Channels: thin adapters over ``pipeline.handle``: the terminal (``cli``), the JSON API
and the support page (``web``), the Gradio chat (``ui``) and scripted conversations
(``replay``)."""
