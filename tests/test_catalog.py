"""Cleaning and validation of catalog rows and files (no model needed)."""

import json

import pytest

from retrieval.catalog import CatalogFileError, clean_text, parse_price, read_rows, validate_row
from retrieval.ingest import validate_file
from tests.conftest import product_row, write_jsonl


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$1,299.00", (1299.0, "USD")),
        ("1.299,00 €", (1299.0, "EUR")),
        ("EUR 15", (15.0, "EUR")),
        ("£7.5", (7.5, "GBP")),
        ("49.90", (49.9, None)),
        (49.9, (49.9, None)),
        ("1,5", (1.5, None)),
        ("12,000", (12000.0, None)),
    ],
)
def test_parse_price(raw, expected):
    assert parse_price(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "", "$", "12..3.4x", True])
def test_parse_price_rejects(raw):
    with pytest.raises(ValueError):
        parse_price(raw)


def test_clean_text_strips_html_and_whitespace():
    assert clean_text("<p>Soft  <b>cotton</b>&amp; wool</p>\n<br>tee") == "Soft cotton& wool tee"


def test_validate_row_cleans_everything():
    product = validate_row(
        {
            "id": "X-1",
            "title": "  <b>Trail</b>   Shoe ",
            "category": " Shoes ",
            "price": "$1,299.00",
            "rating": "4.5",
            "review_count": "1,024",
            "stock": "",
            "tags": "running| trail ,Waterproof",
            "attributes": json.dumps({"Colour": "Black", "size": "9|10|11"}),
        }
    )
    assert product.title == "Trail Shoe"
    assert product.category == "shoes"
    assert (product.price, product.currency) == (1299.0, "USD")
    assert product.review_count == 1024 and product.stock == 0
    assert product.tags == ["running", "trail", "waterproof"]
    assert product.color == "black" and product.sizes() == ["9", "10", "11"]


def test_mapping_and_attr_columns():
    product = validate_row(
        {"sku": "A-1", "name": "Mug", "cat": "kitchen", "cost": "€4,50", "attr_color": "Red", "attr_capacity_ml": "350"},
        {"id": "sku", "title": "name", "category": "cat", "price": "cost"},
    )
    assert (product.id, product.title, product.price, product.currency) == ("A-1", "Mug", 4.5, "EUR")
    assert product.attributes == {"color": "red", "capacity_ml": "350"}


@pytest.mark.parametrize(
    "row, reason",
    [
        ({"title": "x", "category": "c", "price": 1}, "id: required field is missing"),
        ({"id": "a b", "title": "x", "category": "c", "price": 1}, "id: String should match pattern"),
        ({"id": "a", "title": "x", "category": "c", "price": "ten"}, "price"),
        ({"id": "a", "title": "x", "category": "c", "price": -3}, "price"),
        ({"id": "a", "title": "x", "category": "c", "price": 3, "rating": 9}, "rating"),
        ({"id": "a", "title": "x", "category": "c", "price": 3, "colour": "red"}, "unknown field"),
        ({"id": "a", "title": "x", "category": "c", "price": 3, "currency": "dollaroos"}, "unknown currency"),
        ({"id": "a", "title": "x", "category": "c", "price": 3, "attributes": "{not json"}, "attributes"),
    ],
)
def test_validate_row_reasons(row, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(")):
        validate_row(row)


def test_validate_file_quarantines_with_reasons(tmp_path):
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            product_row("A-1"),
            "{broken json",
            "[1, 2]",
            product_row("A-2", price="free"),
            product_row("A-1", title="Same id again"),
            product_row("A-3", title="Test product A-1"),  # same title, brand and attributes as A-1
            product_row("A-4"),
        ],
    )
    products, rejected, read = validate_file(path)
    assert read == 7
    assert [p.id for p in products] == ["A-1", "A-4"]
    reasons = {r.line: r.reason for r in rejected}
    assert reasons[2].startswith("invalid JSON")
    assert "expected a JSON object" in reasons[3]
    assert "price" in reasons[4]
    assert "duplicate id 'A-1'" in reasons[5]
    assert "duplicate of product 'A-1'" in reasons[6]


def test_csv_and_json_array(tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text('id,title,category,price,tags\nC-1,"<i>Kettle</i>",kitchen,"$1,020.50","a|b"\nC-2,Pan,kitchen\n', encoding="utf-8")
    products, rejected, read = validate_file(csv_path)
    assert read == 2 and products[0].title == "Kettle" and products[0].price == 1020.5
    assert rejected[0].line == 3 and "price: required field is missing" in rejected[0].reason

    json_path = tmp_path / "c.json"
    json_path.write_text(json.dumps([product_row("J-1"), "nope"]), encoding="utf-8")
    products, rejected, _ = validate_file(json_path)
    assert [p.id for p in products] == ["J-1"] and rejected[0].line == 2


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("c.xml", "<x/>", "unknown catalog format"),
        ("c.jsonl", "", "the file is empty"),
        ("c.json", '{"a": 1}', "expected a JSON array"),
        ("c.json", "[{]", "invalid JSON"),
        ("c.csv", b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CatalogFileError, match=message):
        list(read_rows(path))


def test_missing_file(tmp_path):
    with pytest.raises(CatalogFileError, match="no such file"):
        list(read_rows(tmp_path / "nope.jsonl"))


def test_a_catalogs_own_colour_and_size_keys_are_its_colour_and_sizes():
    from retrieval.catalog import Product
    from retrieval.types import Constraints

    boots = Product.model_validate(
        {
            "id": "B1",
            "title": "S1P safety boots",
            "category": "safety-wear",
            "price": 49.0,
            "attributes": {"colour_name": "Black", "uk_sizes": ["8", "9", "10"], "pack_size": 2},
        }
    )
    assert boots.color == "Black" and boots.sizes() == ["8", "9", "10"]  # a single pack_size is not a size
    assert Constraints(color="black", size="9").matches(boots) and not Constraints(size="2").matches(boots)
    plain = Product.model_validate(
        {"id": "P1", "title": "Tee", "category": "apparel", "price": 9.0, "attributes": {"color": "red", "size": "M"}}
    )
    assert plain.color == "red" and plain.sizes() == ["M"]
