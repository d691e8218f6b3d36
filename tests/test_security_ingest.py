"""Security suite, catalog ingestion: the probes of issue 17, each on a real file ingested
into a real store (real Chroma, real embeddings)."""

from __future__ import annotations

import csv
import json

import pytest

from assistant.answer.html import image_src, reply_html
from assistant.types import Reply, Slots
from retrieval.catalog import clean_text
from retrieval.ingest import ingest_catalog, validate_file
from tests.conftest import new_store, product_row, write_jsonl


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\x0b", "\x1c"])
def test_a_jsonl_row_with_a_unicode_line_break_is_valid(tmp_path, char):
    path = tmp_path / "catalog.jsonl"
    rows = [product_row("A-1", title=f"Trail{char}shoe"), product_row("A-2")]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    products, rejected, read = validate_file(path)
    assert (read, rejected) == (2, [])
    assert products[0].title == "Trail shoe"


def test_a_csv_row_with_a_unicode_line_break_is_one_row(tmp_path):
    path = tmp_path / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "description", "category", "brand", "price"])
        writer.writerow(["C-1", "Rain\u2028jacket", "Keeps you dry.\u0085Packs small.", "jackets", "Acme", "59.00"])
        writer.writerow(["C-2", "Fleece", "Warm.", "jackets", "Acme", "39.00"])
    products, rejected, read = validate_file(path)
    assert (read, rejected) == (2, [])
    assert [p.title for p in products] == ["Rain jacket", "Fleece"]
    assert products[0].description == "Keeps you dry. Packs small."


@pytest.mark.parametrize("price", ["1.299", "12.999", 1.299, "$0.125"])
def test_a_price_with_more_than_two_decimals_is_quarantined_not_rounded(tmp_path, price):
    path = write_jsonl(tmp_path / "catalog.jsonl", [product_row("P-1", price=price)])
    products, rejected, _ = validate_file(path)
    assert products == []
    assert "more than 2 decimals" in rejected[0].reason and "thousands separator" in rejected[0].reason


@pytest.mark.parametrize(("price", "amount"), [("1.299,00", 1299.0), ("$1,299.00", 1299.0), ("1,299", 1299.0), ("19.99", 19.99), (5, 5.0)])
def test_unambiguous_prices_still_parse(tmp_path, price, amount):
    path = write_jsonl(tmp_path / "catalog.jsonl", [product_row("P-1", price=price)])
    products, rejected, _ = validate_file(path)
    assert rejected == [] and products[0].price == amount


def test_sync_with_a_mapping_keeps_a_product_whose_row_was_quarantined(tmp_path, embedder):
    def row(sku: str, price: object) -> dict:
        data = product_row(sku, price=price)
        data["sku"] = data.pop("id")
        return data

    store = new_store(tmp_path / "store", embedder)
    mapping = {"id": "sku"}
    first = write_jsonl(tmp_path / "v1.jsonl", [row("K-1", 10), row("K-2", 20), row("K-3", 30)])
    assert ingest_catalog(store, first, mapping=mapping, progress=False).added == 3
    second = write_jsonl(tmp_path / "v2.jsonl", [row("K-1", 10), row("K-2", "not a price")])  # K-3 left the catalog
    report = ingest_catalog(store, second, mapping=mapping, sync=True, progress=False)
    assert [r.line for r in report.quarantined] == [2]
    assert report.deleted == 1 and set(store.product_hashes()) == {"K-1", "K-2"}  # K-2 kept, K-3 deleted


@pytest.mark.parametrize(
    "title",
    [
        "&lt;svg onload=alert(1)&gt;Trail shoe",
        "&amp;lt;svg onload=alert(1)&amp;gt;Trail shoe",
        "&amp;amp;lt;img src=x onerror=alert(1)&amp;amp;gt;Trail shoe",
        "<b>Trail</b> &#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;shoe",
    ],
)
def test_markup_written_as_entities_is_stripped(tmp_path, title):
    path = write_jsonl(tmp_path / "catalog.jsonl", [product_row("H-1", title=title)])
    products, rejected, _ = validate_file(path)
    assert rejected == []
    assert "<" not in products[0].title and ">" not in products[0].title and "onload" not in products[0].title
    assert products[0].title.endswith("shoe")


def test_plain_comparisons_and_ampersands_survive():
    assert clean_text("Tom &amp; Jerry, size < 10 and > 5") == "Tom & Jerry, size < 10 and > 5"


def test_remote_images_are_shown_only_from_the_shops_hosts(tmp_path):
    rows = [
        product_row("I-1", image="https://cdn.shop.example.com/shoe.jpg"),
        product_row("I-2", image="https://tracker.evil.example/pixel.gif"),
        product_row("I-3", image="javascript:alert(1)"),
    ]
    products, _, _ = validate_file(write_jsonl(tmp_path / "catalog.jsonl", rows))
    shop = ["cdn.shop.example.com"]
    assert image_src(products[0], shop) == "https://cdn.shop.example.com/shoe.jpg"
    assert image_src(products[1], shop).startswith("data:image/svg+xml")
    assert image_src(products[2], shop).startswith("data:image/svg+xml")
    assert image_src(products[0], ()).startswith("data:image/svg+xml")  # none named: no remote image at all
    assert image_src(products[1], ["*"]) == "https://tracker.evil.example/pixel.gif"  # any http(s) host, when the shop says so
    cards = reply_html(Reply(intent="search_products", slots=Slots(), text="", products=tuple(products)), shop)
    assert "evil.example" not in cards and "javascript:" not in cards


def test_image_hosts_setting(monkeypatch):
    from assistant.settings import SETTINGS_ERRORS, Settings, settings_problem

    monkeypatch.setenv("SHOPASSIST_IMAGE_HOSTS", "cdn.shop.example.com, images.shop.example.com")
    assert Settings().image_hosts == ["cdn.shop.example.com", "images.shop.example.com"]
    monkeypatch.setenv("SHOPASSIST_IMAGE_HOSTS", "https://cdn.shop.example.com/")
    with pytest.raises(SETTINGS_ERRORS) as problem:
        Settings()
    assert settings_problem(problem.value).startswith("SHOPASSIST_IMAGE_HOSTS: 'https://cdn.shop.example.com/' is not a host name")


def test_card_links_come_from_the_catalog_or_the_profile_and_are_web_addresses_only():
    from assistant.answer.html import profile_links
    from assistant.records.profile import StoreProfile
    from retrieval.catalog import Product

    own = Product(id="A-1", title='Kettle "Pro"', category="kitchen", price=20, stock=2, url="https://shop.example/kettle?a=1&b=2")
    bare = Product(id="B 2".replace(" ", "-"), title="Mug", category="kitchen", price=5, stock=0)
    profile = StoreProfile(
        name="Shop",
        product_url_template="https://shop.example/p/{id}",
        cart_url_template="https://shop.example/cart?sku={id}&qty={quantity}",
    )
    html = reply_html(Reply(intent="search_products", slots=Slots(), text="", products=(own, bare)), (), profile_links(profile))
    assert 'href="https://shop.example/kettle?a=1&amp;b=2"' in html and 'aria-label="View Kettle &quot;Pro&quot;"' in html
    assert 'href="https://shop.example/cart?sku=A-1&amp;qty=1"' in html
    assert 'href="https://shop.example/p/B-2"' in html
    assert html.count("Add to cart") == 1  # never for an item that is out of stock
    # without a cart address: a link that only tells the host page (shown inside the widget)
    bare_html = reply_html(Reply(intent="search_products", slots=Slots(), text="", products=(own, bare)))
    assert bare_html.count("Add to cart") == 1 and 'class="sa-cart sa-cart-event" href="#sa-add-to-cart:A-1"' in bare_html

    for bad in ("javascript:alert(1)", "//evil.example/x", "https://x.example/a b", 'https://x.example/"onmouseover='):
        with pytest.raises(ValueError, match="http"):
            Product(id="C-3", title="Bad", category="kitchen", price=1, url=bad)
    for template in ("javascript:alert('{id}')", "shop.example/p/{id}"):
        with pytest.raises(ValueError, match="http"):
            StoreProfile(name="Shop", product_url_template=template)
    with pytest.raises(ValueError, match=r"\{id\}"):
        StoreProfile(name="Shop", cart_url_template="https://shop.example/cart")
