"""A store's profile: the shop's own facts and the rules its actions obey (``profile.yaml``).

Every shopper-facing sentence that names the shop, its contacts, a return window or a
reply time takes it from here (or from the shop's policy documents): no shop fact is
written in code. The file is documented in docs/stores.md and validated on every start;
a bad value is a ``ProfileError`` naming the field and what is allowed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import ProfileError

PROFILE_FILE = "profile.yaml"


class Support(BaseModel):
    """How shoppers reach a person at the shop (all optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str | None = None
    phone: str | None = None
    hours: str | None = None
    contact_url: str | None = None

    def lines(self) -> list[str]:
        """'email help@shop.example', 'phone ...' for the parts the shop gave."""
        parts = [("email", self.email), ("phone", self.phone), ("hours", self.hours), ("contact page", self.contact_url)]
        return [f"{label} {value}" for label, value in parts if value]


class ReturnRules(BaseModel):
    """What a return needs before the assistant opens one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_days: int = Field(ge=0, le=3650, description="Returns are opened only this many days after the start event.")
    window_from: Literal["delivery", "purchase"] = "delivery"
    excluded_categories: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    conditional: dict[str, str] = Field(default_factory=dict, description="category or tag -> condition the shopper confirms")
    next_steps: str | None = None

    @field_validator("excluded_categories", "excluded_tags", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        return tuple(str(v).strip().lower() for v in value) if isinstance(value, (list, tuple)) else value

    @field_validator("conditional", mode="before")
    @classmethod
    def _lower_keys(cls, value: object) -> object:
        return {str(k).strip().lower(): str(v) for k, v in value.items()} if isinstance(value, dict) else value

    def deadline(self, placed_at: str, delivered_at: str | None) -> date | None:
        """The last day a return can be opened, or None when the start event has not happened."""
        start = delivered_at if self.window_from == "delivery" else placed_at
        if not start:
            return None
        return date.fromisoformat(start[:10]) + timedelta(days=self.window_days)

    def window_text(self) -> str:
        """'14 days of delivery', as the rule is quoted to shoppers."""
        event = "delivery" if self.window_from == "delivery" else "purchase"
        return f"{self.window_days} days of {event}"


class OrdersBackend(BaseModel):
    """The shop's own order system, asked over HTTP instead of imported orders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    auth_header: str | None = None
    auth_env: str | None = Field(default=None, description="environment variable holding the auth header's value")
    timeout_seconds: float = Field(default=3.0, gt=0, le=30)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value


class StoreProfile(BaseModel):
    """One shop's facts and rules (``STORE/profile.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=120)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    locale: str = Field(default="en-US", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    site_url: str | None = None
    product_url_template: str | None = None
    cart_url_template: str | None = None
    support: Support = Field(default_factory=Support)
    handoff_reply_time: str | None = None
    returns: ReturnRules | None = None
    orders_backend: OrdersBackend | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("product_url_template", "cart_url_template")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "{id}" not in value:
            raise ValueError("must contain {id}, where the product id goes (e.g. https://shop.example/p/{id})")
        if not re.match(r"^https?://[^\s/{}]+", value, re.I):
            raise ValueError("must be a web address starting with http:// or https://")
        return value

    def product_url(self, product_id: str) -> str | None:
        """The product's page: the profile's template with the id filled in, or None."""
        return self.product_url_template.replace("{id}", quote(product_id)) if self.product_url_template else None

    def cart_url(self, product_id: str, quantity: int = 1) -> str | None:
        """The address that puts the product in the shop's cart, or None when the profile has none."""
        if not self.cart_url_template:
            return None
        return self.cart_url_template.replace("{id}", quote(product_id)).replace("{quantity}", str(quantity))

    def contact_text(self) -> str:
        """How to reach the shop, or '' when the profile names no contact."""
        return "; ".join(self.support.lines())


def load_profile(store_dir: Path) -> StoreProfile | None:
    """The store's profile, or None when it has none. Raises ``ProfileError`` on a bad file."""
    path = Path(store_dir) / PROFILE_FILE
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: not valid YAML ({exc}); see docs/stores.md for the format") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping of fields (name: ..., currency: ...); see docs/stores.md")
    try:
        return StoreProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'profile'}: {e['msg']}" for e in exc.errors())
        raise ProfileError(f"{path}: {problems} (see docs/stores.md)") from exc


def save_profile(store_dir: Path, profile: StoreProfile) -> Path:
    path = Path(store_dir) / PROFILE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = profile.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    if not data.get("support"):
        data.pop("support", None)
    header = "# This shop's facts and rules; every field is described in docs/stores.md.\n"
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def name_store(store_dir: Path, name: str | None) -> StoreProfile:
    """Create the profile (with ``name``) or rename the shop in it; other fields are kept."""
    current = load_profile(store_dir)
    if current is None:
        if not name:
            raise ProfileError(f'{Path(store_dir) / PROFILE_FILE}: the store has no profile yet; name the shop with --name "Shop Name"')
        profile = StoreProfile(name=name)
    elif name and name != current.name:
        profile = current.model_copy(update={"name": StoreProfile(name=name).name})
    else:
        return current
    save_profile(store_dir, profile)
    return profile
