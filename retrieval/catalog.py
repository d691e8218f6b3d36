"""The canonical product schema, row cleaning and catalog file readers.

Every row from a catalog file goes through ``clean_row`` (HTML stripped, whitespace
normalised, prices such as "$1,299.00" parsed, currencies normalised) and is then
validated into a ``Product``. Whatever fails becomes a ``Rejected`` value carrying the
reason; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from retrieval.errors import CatalogFileError

AttributeValue = str | int | float | bool | list[str]

#: field -> (type, required, meaning); the README's schema table is generated from this.
CANONICAL_FIELDS: dict[str, tuple[str, bool, str]] = {
    "id": ("string", True, "Unique product id: letters, digits, '.', '_' or '-'."),
    "title": ("string", True, "Product name shown to shoppers."),
    "category": ("string", True, "Category, lower-cased on ingest (e.g. 'shoes')."),
    "price": ("number or string", True, "Price; '$1,299.00', '1.299,00 EUR' and 49.9 are all accepted."),
    "description": ("string", False, "Free text; HTML is stripped."),
    "brand": ("string", False, "Brand name."),
    "currency": (
        "string",
        False,
        "ISO 4217 code or symbol ($, EUR, GBP...); default: the price's symbol, else the store profile's currency, else USD.",
    ),
    "rating": ("number", False, "Average rating, 0 to 5."),
    "review_count": ("integer", False, "Number of reviews; default 0."),
    "stock": ("integer", False, "Units in stock; default 0 (out of stock)."),
    "attributes": (
        "object",
        False,
        "Name -> value (string, number, boolean or list of strings): color, size, material, "
        "battery_life_hours... In CSV: a JSON object, or one column per attribute named attr_<name>.",
    ),
    "tags": ("list of strings", False, "Keywords. In CSV: separated by ',' or '|'."),
    "image": ("string", False, "Image URL or path relative to the catalog file."),
    "url": ("string", False, "The product's page on the shop's site (http:// or https://): the card's View link."),
}

CURRENCY_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "chf": "CHF",
    "₹": "INR",
    "inr": "INR",
    "kr": "SEK",
    "sek": "SEK",
}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "p", "li", "div"}:
            self.parts.append(" ")


#: a tag left after stripping (markup written as entities, even several times over)
_TAG = re.compile(r"</?[A-Za-z!?/][^<>]*>?")
#: most rounds of decoding entities: "&amp;lt;svg&amp;gt;" needs two
_ROUNDS = 4


def clean_text(value: Any) -> str:
    """Strip HTML tags and entities and collapse whitespace. Markup written as entities
    (``&lt;svg onload=...&gt;``, or ``&amp;lt;`` encoded twice) is decoded and stripped
    too, so no tag survives in the text."""
    if value is None:
        return ""
    text = str(value)
    for _ in range(_ROUNDS):
        if "<" not in text and "&" not in text:
            break
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        decoded = html.unescape("".join(parser.parts))
        if decoded == text:
            break
        text = decoded
    text = _TAG.sub(" ", text)
    return " ".join(text.split())


def parse_price(value: Any) -> tuple[float, str | None]:
    """Parse '$1,299.00', '1.299,00 €', 'EUR 15', 49.9 -> (amount, currency code or None)."""
    if isinstance(value, bool):
        raise ValueError("price must be a number, not a boolean")
    if isinstance(value, (int, float)):
        return float(value), None
    text = clean_text(value).lower()
    if not text:
        raise ValueError("price is empty")
    currency = None
    for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True):
        if symbol in text:
            currency = CURRENCY_SYMBOLS[symbol]
            text = text.replace(symbol, " ")
            break
    number = text.strip().replace(" ", "")
    if not re.fullmatch(r"[0-9.,']+", number or "x"):
        raise ValueError(f"price {value!r} is not a number")
    number = number.replace("'", "")
    if "," in number and "." in number:
        # the last separator is the decimal one: 1,299.00 or 1.299,00
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    elif "," in number:
        head, _, tail = number.rpartition(",")
        number = number.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail
    return float(number), currency


def normalise_currency(value: Any) -> str:
    text = clean_text(value).lower()
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    if re.fullmatch(r"[a-z]{3}", text):
        return text.upper()
    raise ValueError(f"unknown currency {value!r}; use an ISO 4217 code such as USD")


def _split_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            value = json.loads(stripped)
        else:
            value = re.split(r"[|,;]", stripped)
    if not isinstance(value, (list, tuple)):
        value = [value]
    return [clean_text(v) for v in value if clean_text(v)]


def _attribute_kind(key: str) -> str | None:
    """'color' or 'size' when an attribute key's words say so ("colour_name", "uk_sizes"), else None."""
    words = set(re.split(r"[_\-\s.]+", key.lower()))
    if words & {"color", "colour", "colors", "colours"}:
        return "color"
    if words & {"size", "sizes"}:
        return "size"
    return None


#: the most words of a description's first sentence the encoder reads
LEAD_WORDS = 20


def _lead(description: str | None) -> str:
    """The first sentence of a description, at most ``LEAD_WORDS`` words."""
    if not description:
        return ""
    first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]
    return " ".join(first.split()[:LEAD_WORDS]).rstrip(".")


class Product(BaseModel):
    """A catalog product in the canonical schema."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    category: str = Field(min_length=1, max_length=80)
    brand: str = ""
    price: float = Field(ge=0, le=10_000_000)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    rating: float | None = Field(default=None, ge=0, le=5)
    review_count: int = Field(default=0, ge=0)
    stock: int = Field(default=0, ge=0)
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    image: str | None = None
    url: str | None = Field(default=None, max_length=2000)  # the product's page on the shop's site

    @field_validator("id", "title", "brand", "description", "image", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return clean_text(v) if isinstance(v, str) else v

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, v: Any) -> Any:
        if v in ("", None):
            return None
        text = str(v).strip()
        if not re.match(r"^https?://[^\s/]+", text, re.I) or re.search(r"[\s<>\"']", text):
            raise ValueError(f"url {text[:80]!r} must be a web address starting with http:// or https://")
        return text

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, v: Any) -> Any:
        return clean_text(v).lower() if isinstance(v, str) else v

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, v: Any) -> float:
        amount, _ = parse_price(v)
        if abs(amount * 100 - round(amount * 100)) > 1e-6:  # "1.299": 1,299 with a thousands dot, or a typo; never guess
            raise ValueError(f"price {v!r} has more than 2 decimals; write it as 1299 or 1.30 (is the dot a thousands separator?)")
        return round(amount, 2)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, v: Any) -> str:
        return normalise_currency(v)

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, v: Any) -> Any:
        return None if v in ("", None) else v

    @field_validator("review_count", "stock", mode="before")
    @classmethod
    def _count(cls, v: Any) -> Any:
        if v in ("", None):
            return 0
        if isinstance(v, str):
            v = v.replace(",", "").strip()
            return int(float(v)) if re.fullmatch(r"\d+(\.0+)?", v) else v
        return v

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, v: Any) -> list[str]:
        return [t.lower() for t in _split_list(v)]

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes(cls, v: Any) -> Any:
        if v in ("", None):
            return {}
        if isinstance(v, str):
            v = json.loads(v)
        if not isinstance(v, Mapping):
            return v
        cleaned: dict[str, Any] = {}
        for key, value in v.items():
            name = re.sub(r"[^a-z0-9]+", "_", str(key).lower()).strip("_")
            if not name or value is None or value == "":
                continue
            if isinstance(value, str):
                value = clean_text(value)
                if name in {"color", "colour"}:
                    value = value.lower()
                elif name == "size" and re.search(r"[|,;]", value):
                    value = _split_list(value)
            elif isinstance(value, (list, tuple)):
                value = [clean_text(x) for x in value if clean_text(x)]
            cleaned["color" if name == "colour" else name] = value
        return cleaned

    # -- derived views -------------------------------------------------------------
    @property
    def color(self) -> str | None:
        """The ``color`` attribute, else the first attribute the catalog names as a colour
        (``colour``, ``colour_name``, ``main_color``...)."""
        keys = ["color", *(k for k in self.attributes if k != "color" and _attribute_kind(k) == "color")]
        value = next((self.attributes[k] for k in keys if self.attributes.get(k) not in (None, "", [])), None)
        if isinstance(value, list):
            value = value[0]
        return str(value) if value is not None else None

    def sizes(self) -> list[str]:
        """The ``size`` attribute, with every list of sizes the catalog names otherwise (``sizes``,
        ``uk_sizes``: a list, the sizes a product comes in; a single ``pack_size`` is not one)."""
        found: list[str] = []
        for key in ["size", *(k for k in self.attributes if k != "size" and _attribute_kind(k) == "size")]:
            value = self.attributes.get(key)
            if value is None or (key != "size" and not isinstance(value, list)):
                continue
            for item in value if isinstance(value, list) else [value]:
                if str(item) not in found:
                    found.append(str(item))
        return found

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def content_hash(self) -> str:
        payload = json.dumps(self.model_dump(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def _attribute_phrases(self) -> list[str]:
        phrases = []
        for key, value in self.attributes.items():
            if isinstance(value, bool):
                if value:
                    phrases.append(key.replace("_", " "))
            elif isinstance(value, list):
                phrases.append(f"{key.replace('_', ' ')} {' '.join(value)}")
            else:
                phrases.append(f"{key.replace('_', ' ')} {value}")
        return phrases

    def search_text(self) -> str:
        """The text keyword search (BM25) indexes: everything the shop wrote about the product."""
        return self._joined_text(description=True)

    def dense_text(self) -> str:
        """The text the encoder embeds: title, brand and category, the description's first
        sentence (at most ``LEAD_WORDS`` words; keyword search reads all of it), attributes
        and tags. Fewer tokens (an encoder's cost grows with them) with what the product is
        kept; nDCG@10 on the demo and test stores in docs/retrieval.md."""
        return self._joined_text(description=False)

    def _joined_text(self, *, description: bool) -> str:
        return ". ".join(
            part
            for part in (
                self.title,
                f"{self.brand} {self.category}".strip(),
                self.description if description else _lead(self.description),
                "; ".join(self._attribute_phrases()),
                ", ".join(self.tags),
            )
            if part
        )


# --------------------------------------------------------------------------------
# Reading files


@dataclass(frozen=True)
class RawRow:
    line: int  # 1-based line (JSONL, CSV) or array index + 1 (JSON)
    data: dict[str, Any] | None
    error: str | None = None  # set when the row could not even be parsed


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    row: Any


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    raise CatalogFileError(f"{path.name}: unknown catalog format {suffix!r}; use .jsonl, .json (an array) or .csv")


def read_rows(path: Path, records: str = "products") -> Iterator[RawRow]:
    """Yield every row of a JSONL, JSON-array (or ``{records: [...]}``) or CSV file of
    ``records`` (products, orders...), malformed ones included."""
    if not path.exists():
        raise CatalogFileError(f"{path}: no such file")
    if path.is_dir():
        raise CatalogFileError(f"{path}: is a directory; give a .jsonl, .json or .csv file")
    fmt = detect_format(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFileError(f"{path.name}: not UTF-8 text ({exc.reason}); re-save it as UTF-8") from exc
    if not text.strip():
        raise CatalogFileError(f"{path.name}: the file is empty")
    if fmt == "jsonl":
        # only \n ends a JSON line: U+2028, U+0085 and the other breaks str.splitlines knows are valid inside strings
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRow(number, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            if isinstance(value, dict):
                yield RawRow(number, value)
            else:
                yield RawRow(number, None, f"expected a JSON object, got {type(value).__name__}")
    elif fmt == "json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogFileError(f"{path.name}: invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
        if isinstance(value, dict) and isinstance(value.get(records), list):
            value = value[records]
        if not isinstance(value, list):
            raise CatalogFileError(f'{path.name}: expected a JSON array of {records} (or {{"{records}": [...]}})')
        for index, item in enumerate(value, start=1):
            if isinstance(item, dict):
                yield RawRow(index, item)
            else:
                yield RawRow(index, None, f"expected a JSON object, got {type(item).__name__}")
    else:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)  # CSV's own line ends, quoted ones kept
        if not reader.fieldnames:
            raise CatalogFileError(f"{path.name}: the CSV has no header row")
        for row in reader:
            number = reader.line_num
            if None in row:
                yield RawRow(
                    number, None, f"row has {len(row[None]) + len(reader.fieldnames)} columns, header has {len(reader.fieldnames)}"
                )
                continue
            yield RawRow(number, {k.strip(): v for k, v in row.items() if k is not None})


def apply_mapping(data: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """Rename source columns to canonical ones and fold ``attr_*`` columns into attributes.

    ``mapping`` maps canonical field -> source column (``{"title": "name"}``).
    """
    source_to_field = {src: field for field, src in mapping.items()}
    out: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for key, value in data.items():
        name = source_to_field.get(key, key)
        if name.startswith(("attr_", "attributes.")) and name not in CANONICAL_FIELDS:
            attributes[name.split("_", 1)[1] if name.startswith("attr_") else name.split(".", 1)[1]] = value
        else:
            out[name] = value
    if attributes:
        base = out.get("attributes") or {}
        if isinstance(base, str) and base.strip():
            base = json.loads(base)
        out["attributes"] = {**(base if isinstance(base, Mapping) else {}), **attributes}
    return out


def describe_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "row"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (map it with --map FIELD=COLUMN or put it under attributes)"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def validate_row(data: Mapping[str, Any], mapping: Mapping[str, str] | None = None, default_currency: str | None = None) -> Product:
    """Map, clean and validate one raw row; raises ``ValueError`` with a readable reason.
    ``default_currency``: the shop's, for a row whose price names none (else USD)."""
    try:
        row = apply_mapping(data, mapping or {})
    except (json.JSONDecodeError, AttributeError) as exc:
        raise ValueError(f"attributes: not a JSON object ({exc})") from exc
    row = {k: v for k, v in row.items() if not (v is None or (isinstance(v, str) and not v.strip()))}
    if "price" in row and "currency" not in row:
        try:
            _, symbol_currency = parse_price(row["price"])
        except ValueError:
            symbol_currency = None
        if symbol_currency:
            row["currency"] = symbol_currency
        elif default_currency:
            row["currency"] = default_currency
    try:
        return Product.model_validate(row)
    except ValidationError as exc:
        raise ValueError(describe_errors(exc)) from None
    except (json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"unreadable value: {exc}") from None
