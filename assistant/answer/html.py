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

#: the voice button's microphone icon (a CSS mask, so it takes the button's text colour)
MIC_ICON = "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z'/%3E%3C/svg%3E\")"

CSS = """
.sa-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:8px;list-style:none;padding:0}
.sa-card{border:1px solid #d0d5dd;border-radius:12px;padding:10px;background:#fff;color:#101828;display:flex;flex-direction:column;gap:2px;margin:0}
.sa-card img{width:100%;height:84px;object-fit:contain;border-radius:8px;background:#f9fafb}
.sa-title{font-weight:600;font-size:14px;line-height:1.3;margin:4px 0 2px}
.sa-title a{color:inherit;text-decoration:none}.sa-title a:hover,.sa-title a:focus-visible{text-decoration:underline}
.sa-why{font-size:13px;color:#344054}
.sa-meta{font-size:13px;color:#475467}
.sa-price{font-weight:700;font-size:15px}
.sa-stock{font-size:12px;border-radius:8px;padding:1px 6px;display:inline-block;width:max-content}
.sa-in{background:#dcfae6;color:#05603a}.sa-out{background:#fee4e2;color:#912018}
.sa-actions{display:flex;gap:6px;margin-top:auto;padding-top:6px;flex-wrap:wrap}
.sa-actions a{font-size:14px;font-weight:600;border-radius:10px;padding:0 12px;min-height:44px;line-height:44px;text-decoration:none;display:inline-block;flex:1;text-align:center}
.sa-view{border:1px solid #175cd3;color:#175cd3;background:#fff}
.sa-cart{background:#175cd3;color:#fff;border:1px solid #175cd3}
.sa-cart-event{display:none}
.sa-alt{font-size:13px;font-weight:600;color:#93370d;margin-top:8px}
.sa-compare{overflow-x:auto;margin-top:8px;max-width:100%}
.sa-table{border-collapse:collapse;font-size:13px;min-width:100%}
.sa-table th,.sa-table td{border:1px solid #d0d5dd;padding:6px 8px;text-align:left;vertical-align:top;min-width:72px;word-break:normal!important;overflow-wrap:normal!important;hyphens:none}
.sa-table thead th{vertical-align:bottom;font-weight:600;background:#f9fafb;color:#101828}
.sa-table thead img{display:block;width:56px;height:56px;object-fit:contain;margin-bottom:4px}
.sa-table tbody th{font-weight:600;background:#f9fafb;color:#101828;min-width:0}
.sa-table td{color:#101828;background:#fff}
.sa-table td.sa-best{background:#dcfae6;font-weight:600}
.sa-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sa-same{font-size:13px;color:#344054;margin-top:6px}
.sa-source{font-size:13px;color:#344054;margin-top:6px}
.sa-handoff{border-left:4px solid #2e90fa;padding:6px 8px;margin-top:8px;background:#eff8ff;color:#101828}
.sa-team{border-left:4px solid #12b76a;padding:6px 8px;background:#ecfdf3;color:#101828}
.sa-typing{display:inline-flex;gap:4px;padding:4px 0}
.sa-typing span{width:8px;height:8px;border-radius:50%;background:#667085;animation:sa-blink 1.2s infinite both}
.sa-typing span:nth-child(2){animation-delay:.2s}.sa-typing span:nth-child(3){animation-delay:.4s}
@keyframes sa-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.sa-typing span{animation:none}}
.gradio-container{padding:8px!important;max-width:none!important;height:100vh;height:100dvh;min-height:0!important;box-sizing:border-box}
.gradio-container .main,.gradio-container .wrap,.gradio-container main.contain,.gradio-container .column{min-height:0!important}
.gradio-container main.contain{padding:0!important}
#sa-chat{flex:1 1 0!important;height:auto!important;min-height:120px!important}
#sa-chat .message-row.bot-row{max-width:100%!important;margin-left:0!important;margin-right:0!important}
#sa-heading{position:absolute!important;width:1px!important;height:1px!important;overflow:hidden!important;clip:rect(0 0 0 0);clip-path:inset(50%);margin:0;padding:0;border:0}
#sa-heading *{overflow:visible!important;max-height:none!important}
footer{display:none!important}
#sa-input textarea{font-size:16px!important;line-height:1.4!important}
#sa-input textarea::placeholder{color:#475467;opacity:1}
#sa-input .upload-button{display:none!important}
#sa-input button{min-width:44px;min-height:44px}
#sa-compose{flex-wrap:nowrap!important;gap:6px!important;align-items:stretch}
#sa-mic{min-height:44px;min-width:48px!important;max-width:56px;font-size:0!important;padding:0;position:relative}
#sa-mic::before{content:"";position:absolute;inset:0;margin:auto;width:22px;height:22px;background:currentColor;-webkit-mask:__MIC_ICON__ center/contain no-repeat;mask:__MIC_ICON__ center/contain no-repeat}
#sa-mic[data-state=recording]{background:#b42318;color:#fff}
#sa-chat .top-panel{display:none!important}
#sa-identity{display:none!important}
#sa-chat .md.chatbot.prose{opacity:1!important}
@media (max-width:480px){
.sa-cards{grid-template-columns:1fr}
.sa-card{display:grid;grid-template-columns:72px 1fr;column-gap:10px;align-items:start}
.sa-card img{grid-row:span 6;height:72px}
.sa-card>*:not(img){grid-column:2}
.sa-actions{grid-column:1/-1!important}
}
#sa-suggestions{gap:6px!important;flex-wrap:wrap!important}
.sa-chip{min-height:44px!important;flex:0 1 auto!important;width:auto!important}
""".replace("__MIC_ICON__", MIC_ICON)


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


def product_card(product: Product, image_hosts: Sequence[str] = (), links: CardLinks = _no_links, why: str = "") -> str:
    """One product as a card: image, title (a link to its page when there is one), why it is
    shown, price, rating, stock, and the View and Add to cart actions."""
    stock = '<span class="sa-stock sa-in">In stock</span>' if product.in_stock else '<span class="sa-stock sa-out">Out of stock</span>'
    rating = f"★ {product.rating:.1f} ({product.review_count} reviews)" if product.rating is not None else "No rating yet"
    view, cart = links(product)
    actions = []
    title = _e(product.title)
    if view:
        label = _e(f"View {product.title}")
        link = f'href="{_e(view)}" target="_blank" rel="noopener noreferrer"'
        title = f"<a {link}>{title}</a>"
        actions.append(f'<a class="sa-view" {link} aria-label="{label}">View</a>')
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
    reason = f'<div class="sa-why">{_e(why[0].upper() + why[1:])}</div>' if why else ""
    brand = (
        f'<div class="sa-meta">{_e(product.brand)}</div>' if product.brand and product.brand.lower() not in product.title.lower() else ""
    )
    return (
        f'<li class="sa-card" title="Item {_e(product.id)}">'
        f'<img src="{_e(image_src(product, image_hosts))}" alt="">'
        f'<div class="sa-title">{title}</div>{brand}{reason}'
        f'<div class="sa-price">{_e(format_price(product.price, product.currency))}</div>'
        f'<div class="sa-meta">{_e(rating)}</div>{stock}{buttons}</li>'
    )


def _cards(products: Sequence[Product], reasons: dict[str, str], image_hosts: Sequence[str], links: CardLinks, label: str) -> str:
    cards = "".join(product_card(p, image_hosts, links, reasons.get(p.id, "")) for p in products)
    return f'<ul class="sa-cards" aria-label="{_e(label)}">{cards}</ul>'


def comparison_html(reply: Reply, image_hosts: Sequence[str] = ()) -> str:
    """The comparison as a table: a column per product headed by its image and short name, a
    row per difference with the best cell marked, and what they share in one line below."""
    table = reply.comparison
    assert table is not None
    products = {p.id: p for p in reply.products}
    heads = []
    for pid, name in zip(table.product_ids, table.columns, strict=True):
        product = products.get(pid)
        image = f'<img src="{_e(image_src(product, image_hosts))}" alt="">' if product else ""
        full = f' title="{_e(product.title)}"' if product and product.title != name else ""
        heads.append(f'<th scope="col"{full}>{image}{_e(name)}</th>')
    body = []
    for name, values in table.rows:
        best = table.best.get(name)
        cells = "".join(
            f'<td class="sa-best">{_e(v)} <span class="sa-sr">(best)</span></td>' if i == best else f"<td>{_e(v)}</td>"
            for i, v in enumerate(values)
        )
        body.append(f'<tr><th scope="row">{_e(name)}</th>{cells}</tr>')
    parts = [
        f'<div class="sa-compare" role="region" aria-label="Comparison table" tabindex="0"><table class="sa-table">'
        f"<thead><tr><td></td>{''.join(heads)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    ]
    if table.shared:
        parts.append(f'<div class="sa-same">{_e(table.shared_text())}</div>')
    return "".join(parts)


def profile_links(profile) -> CardLinks:
    """A card's links from the product's own ``url`` (else the profile's product-page template)
    and the profile's cart template (``assistant.records.profile.StoreProfile``)."""

    def links(product: Product) -> tuple[str | None, str | None]:
        return product.url or profile.product_url(product.id), profile.cart_url(product.id)

    return links


def reply_html(reply: Reply, image_hosts: Sequence[str] = (), links: CardLinks = _no_links) -> str:
    """The rich part of a reply (empty when the reply is text only), shown below ``reply.said()``,
    which does not repeat it; ``image_hosts``: see ``image_src``; ``links``: each card's page and
    add-to-cart addresses (``profile_links``)."""
    parts: list[str] = []
    if reply.comparison:
        parts.append(comparison_html(reply, image_hosts))
    elif reply.products:
        parts.append(_cards(reply.products, reply.reasons, image_hosts, links, "Products"))
    if reply.alternatives:
        if reply.products:
            parts.append('<div class="sa-alt">Alternatives (not everything you asked for):</div>')
        parts.append(_cards(reply.alternatives, reply.reasons, image_hosts, links, "Alternatives"))
    said = reply.said()
    for source in reply.sources[:1]:
        if source.title not in said:
            parts.append(f'<div class="sa-source">Source: {_e(source.title)}, “{_e(source.section)}”</div>')
    for item in reply.cart:  # chat.js tells the shop's page, once, when the answer appears (Gradio keeps no data- attributes)
        parts.append(f'<span class="sa-cart-add" title="{_e(item.product_id)}" hidden>{item.quantity}</span>')
    if reply.handoff:
        ticket = "" if reply.handoff.ticket_id in said else f" · ticket {_e(reply.handoff.ticket_id)}"
        parts.append(f'<div class="sa-handoff" role="status"><b>Handed to a person</b>{ticket}</div>')
    return "".join(parts)
