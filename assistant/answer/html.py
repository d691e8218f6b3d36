"""HTML for a reply: product cards, comparison table, sources and hand-off notice.

Built only from the reply's structured fields, every value escaped; the markup uses
plain tags and inline images (data: URIs) that survive Gradio's HTML sanitiser.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from assistant.answer.products import format_price
from assistant.types import Reply
from retrieval.catalog import Product

CSS = """
.sa-cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:8px;padding-bottom:4px}
.sa-card{flex:1 1 140px;max-width:220px;border:1px solid #d0d5dd;border-radius:10px;padding:8px;background:#fff;color:#101828}
.sa-actions{display:flex;gap:6px;margin-top:6px;flex-wrap:wrap}
.sa-actions a{font-size:13px;font-weight:600;border-radius:8px;padding:8px 10px;min-height:20px;text-decoration:none;display:inline-block}
.sa-view{border:1px solid #175cd3;color:#175cd3;background:#fff}
.sa-cart{background:#175cd3;color:#fff;border:1px solid #175cd3}
.sa-cart-event{display:none}
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


#: the fragment of an "Add to cart" link that only tells the host page (followed by the product id)
CART_EVENT = "sa-add-to-cart:"

#: a card's links: (the product's page, the address that adds it to the shop's cart), either None
CardLinks = Callable[[Product], tuple[str | None, str | None]]


def _no_links(product: Product) -> tuple[str | None, str | None]:
    return product.url, None


def product_card(product: Product, image_hosts: Sequence[str] = (), links: CardLinks = _no_links) -> str:
    stock = '<span class="sa-stock sa-in">In stock</span>' if product.in_stock else '<span class="sa-stock sa-out">Out of stock</span>'
    rating = f"★ {product.rating:.1f} ({product.review_count})" if product.rating is not None else "No rating yet"
    view, cart = links(product)
    actions = []
    if view:
        label = _e(f"View {product.title}")
        actions.append(f'<a class="sa-view" href="{_e(view)}" target="_blank" rel="noopener noreferrer" aria-label="{label}">View</a>')
    if product.in_stock:
        # with the shop's cart address: a link (the widget also tells the host page); without
        # one: shown only inside the widget, which tells the host page (``ui.HEAD``, widget.js)
        label = _e(f"Add {product.title} to cart")
        if cart:
            actions.append(
                f'<a class="sa-cart" href="{_e(cart)}" target="_blank" rel="noopener noreferrer" aria-label="{label}">Add to cart</a>'
            )
        else:
            actions.append(f'<a class="sa-cart sa-cart-event" href="#{CART_EVENT}{_e(product.id)}" aria-label="{label}">Add to cart</a>')
    buttons = f'<div class="sa-actions">{"".join(actions)}</div>' if actions else ""
    return (
        f'<div class="sa-card" title="Item {_e(product.id)}">'
        f'<img src="{_e(image_src(product, image_hosts))}" alt="{_e(product.title)}">'
        f'<div class="sa-title">{_e(product.title)}</div>'
        f'<div class="sa-meta">{_e(product.brand)}</div>'
        f'<div class="sa-price">{_e(format_price(product.price, product.currency))}</div>'
        f'<div class="sa-meta">{_e(rating)}</div>{stock}{buttons}</div>'
    )


def profile_links(profile) -> CardLinks:
    """A card's links from the product's own ``url`` (else the profile's product-page template)
    and the profile's cart template (``assistant.records.profile.StoreProfile``)."""

    def links(product: Product) -> tuple[str | None, str | None]:
        return product.url or profile.product_url(product.id), profile.cart_url(product.id)

    return links


def reply_html(reply: Reply, image_hosts: Sequence[str] = (), links: CardLinks = _no_links) -> str:
    """The rich part of a reply (empty when the reply is text only); ``image_hosts``: see
    ``image_src``; ``links``: each card's page and add-to-cart addresses (``profile_links``)."""
    parts: list[str] = []
    if reply.comparison:
        table = reply.comparison
        head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
        body = "".join(f"<tr><th>{_e(name)}</th>{''.join(f'<td>{_e(v)}</td>' for v in values)}</tr>" for name, values in table.rows)
        parts.append(f'<table class="sa-table"><tr><th></th>{head}</tr>{body}</table>')
    elif reply.products:
        parts.append('<div class="sa-cards">' + "".join(product_card(p, image_hosts, links) for p in reply.products) + "</div>")
    if reply.alternatives:
        parts.append('<div class="sa-alt">Alternatives (not everything you asked for):</div>')
        parts.append('<div class="sa-cards">' + "".join(product_card(p, image_hosts, links) for p in reply.alternatives) + "</div>")
    for source in reply.sources[:1]:
        parts.append(f'<div class="sa-source">Source: {_e(source.title)} — {_e(source.section)}</div>')
    if reply.handoff:
        parts.append(
            f'<div class="sa-handoff"><b>Handed to a person</b> (ticket {_e(reply.handoff.ticket_id)}). {_e(reply.handoff.next_steps)}</div>'
        )
    return "".join(parts)
