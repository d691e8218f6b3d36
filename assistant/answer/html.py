"""HTML for a reply: product cards, comparison table, sources and hand-off notice.

Built only from the reply's structured fields, every value escaped; the markup uses
plain tags and inline images (data: URIs) that survive Gradio's HTML sanitiser.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from assistant.answer.products import format_price
from assistant.types import Reply
from retrieval.catalog import Product

CSS = """
.sa-cards{display:flex;flex-wrap:nowrap;overflow-x:auto;gap:10px;margin-top:8px;padding-bottom:4px}
.sa-card{flex:0 0 150px;border:1px solid #d0d5dd;border-radius:10px;padding:8px;background:#fff;color:#101828}
.sa-card img{width:100%;height:70px;object-fit:contain;border-radius:6px}
.sa-title{font-weight:600;font-size:13px;line-height:1.3;margin:4px 0}
.sa-meta{font-size:12px;color:#475467}
.sa-price{font-weight:700;font-size:14px}
.sa-stock{font-size:11px;border-radius:8px;padding:1px 6px;display:inline-block}
.sa-in{background:#dcfae6;color:#067647}.sa-out{background:#fee4e2;color:#b42318}
.sa-alt{font-size:12px;font-weight:600;color:#b54708;margin-top:8px}
.sa-table{border-collapse:collapse;font-size:12px;margin-top:8px}
.sa-table th,.sa-table td{border:1px solid #d0d5dd;padding:4px 6px;text-align:left;vertical-align:top}
.sa-source{font-size:12px;color:#475467;margin-top:6px}
.sa-handoff{border-left:4px solid #2e90fa;padding:6px 8px;margin-top:8px;background:#eff8ff;color:#101828}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


@cache
def _demo_image(name: str) -> str | None:
    resource = files("assistant.demo") / "images" / name
    if not resource.is_file():
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(resource.read_bytes()).decode("ascii")


@cache
def _placeholder(category: str) -> str:
    letter = _e((category or "?")[:1].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120"><rect width="120" height="120" rx="12" fill="#e4e7ec"/>'
        f'<text x="60" y="75" font-size="48" text-anchor="middle" fill="#667085" font-family="sans-serif">{letter}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def image_src(product: Product, image_hosts: Sequence[str] = ()) -> str:
    """The card's image: an http(s) URL only on one of ``image_hosts``
    (``SHOPASSIST_IMAGE_HOSTS``; ``*``: any host), so the shopper's browser fetches nothing
    from hosts the shop did not name; else the bundled image of that name, else a placeholder."""
    image = product.image or ""
    if image.startswith("data:image/"):
        return image
    if image.startswith(("https://", "http://")):
        host = (urlsplit(image).hostname or "").lower()
        if "*" in image_hosts or host in {h.lower() for h in image_hosts}:
            return image
        return _placeholder(product.category)
    if image:
        found = _demo_image(image.rsplit("/", 1)[-1])
        if found:
            return found
    return _placeholder(product.category)


def product_card(product: Product, image_hosts: Sequence[str] = ()) -> str:
    stock = '<span class="sa-stock sa-in">In stock</span>' if product.in_stock else '<span class="sa-stock sa-out">Out of stock</span>'
    rating = f"★ {product.rating:.1f} ({product.review_count})" if product.rating is not None else "No rating yet"
    return (
        f'<div class="sa-card" title="Item {_e(product.id)}">'
        f'<img src="{_e(image_src(product, image_hosts))}" alt="{_e(product.title)}">'
        f'<div class="sa-title">{_e(product.title)}</div>'
        f'<div class="sa-meta">{_e(product.brand)}</div>'
        f'<div class="sa-price">{_e(format_price(product.price, product.currency))}</div>'
        f'<div class="sa-meta">{_e(rating)}</div>{stock}</div>'
    )


def reply_html(reply: Reply, image_hosts: Sequence[str] = ()) -> str:
    """The rich part of a reply (empty when the reply is text only); ``image_hosts``: see ``image_src``."""
    parts: list[str] = []
    if reply.comparison:
        table = reply.comparison
        head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
        body = "".join(f"<tr><th>{_e(name)}</th>{''.join(f'<td>{_e(v)}</td>' for v in values)}</tr>" for name, values in table.rows)
        parts.append(f'<table class="sa-table"><tr><th></th>{head}</tr>{body}</table>')
    elif reply.products:
        parts.append('<div class="sa-cards">' + "".join(product_card(p, image_hosts) for p in reply.products) + "</div>")
    if reply.alternatives:
        parts.append('<div class="sa-alt">Alternatives (not everything you asked for):</div>')
        parts.append('<div class="sa-cards">' + "".join(product_card(p, image_hosts) for p in reply.alternatives) + "</div>")
    for source in reply.sources[:1]:
        parts.append(f'<div class="sa-source">Source: {_e(source.title)} — {_e(source.section)}</div>')
    if reply.handoff:
        parts.append(
            f'<div class="sa-handoff"><b>Handed to a person</b> (ticket {_e(reply.handoff.ticket_id)}). {_e(reply.handoff.next_steps)}</div>'
        )
    return "".join(parts)
