"""All configuration, read once from ``SHOPASSIST_*`` environment variables.

Every piece of state (indexes, databases, caches) lives under ``SHOPASSIST_HOME``;
tests point that variable at a temporary directory.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from retrieval.embeddings import EncoderKind
from retrieval.embeddings import offline as embeddings_offline
from retrieval.types import ChromaServer


def default_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "shopassist"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPASSIST_", extra="ignore")

    home: Path = Field(default_factory=default_home, description="Directory holding all state.")
    store: Path | None = Field(default=None, description="Store directory (index + databases); default HOME/stores/demo.")
    torch_threads: int = Field(default=1, description="Torch threads; 1 is often fastest on 2 cores.")
    ingest_threads: int = Field(default=0, ge=0, description="Torch threads while a catalog or policies are embedded (0: every core).")
    encoder: EncoderKind | None = Field(
        default=None,
        description="The product encoder: int8 (all-MiniLM-L6-v2 as an int8 ONNX graph, about three times faster) or "
        "float32 (the model as shipped). Unset: the one a store's vectors were made with, int8 for a new store. "
        "A store embedded with another is refused until it is ingested again.",
    )
    top_k: int = Field(default=5, description="Products shown per answer.")
    max_message_chars: int = Field(default=2000, description="Longer messages are truncated with a notice.")
    frustration_handoff_after: int = Field(default=3, description="Consecutive failed turns before offering a human hand-off.")
    host: str = Field(default="127.0.0.1", description="Address `shopassist serve` binds to.")
    port: int = Field(default=7860, description="Port `shopassist serve` listens on.")
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (e.g. https://shop.example.com) allowed to call the API and embed the chat; JSON list or comma-separated.",
    )
    rate_limit_client: str = Field(
        default="30/minute;300/hour",
        description="Requests one client address may make to /api and the chat (POST), in `limits` notation; past it: 429 + Retry-After.",
    )
    rate_limit_lookup: str = Field(
        default="5/minute;20/hour;50/day",
        description="Failed order lookups allowed per email and per order id; past it lookups of them wait (429 + Retry-After).",
    )
    session_idle_minutes: float = Field(
        default=30.0, gt=0, description="A web conversation idle this long is forgotten, with the email it verified."
    )
    image_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts product images may be shown from (the shop's own CDN), comma-separated; * for any http(s) host; empty: none.",
    )
    retention_days: int = Field(
        default=90, ge=0, description="Conversations, ratings and hand-off tickets older than this many days are deleted; 0: kept."
    )
    max_body_bytes: int = Field(default=64_000, ge=1_000, description="Largest request body /api accepts (413 beyond it).")
    # the fine-tuned model understands shoppers better than the rules (docs/intent.md)
    intent_parser: Literal["llm", "rules"] = Field(
        default="llm", description="llm: the fine-tuned Gemma 3 270M parser (rules as its draft and fallback); rules: the rule parser."
    )
    intent_adapter: Path | None = Field(
        default=None,
        description="The intent parser's LoRA adapter folder. Unset: the store's own intent-adapter/ (made by "
        "`shopassist train intent --corrections`) when it has one, else the adapter shipped with the package.",
    )
    policy_encoder: Literal["tuned", "store"] = Field(
        default="tuned",
        description="Ranking of policy sections: tuned, the policy encoder (MiniLM with the LoRA adapter of `shopassist train "
        "policies`); store, the store's own encoder (docs/stores.md, 'Measured').",
    )
    asr_model: str = Field(default="tiny.en", description="Speech model: tiny.en, base (multilingual), or a faster-whisper model folder.")
    asr_threads: int = Field(default=2, description="CPU threads for speech recognition.")
    asr_max_seconds: float = Field(default=30.0, description="Longest recording accepted, in seconds.")
    asr_max_bytes: int = Field(default=10_000_000, description="Largest audio file accepted, in bytes.")
    asr_vocabulary_bias: bool = Field(default=True, description="Prompt Whisper with the catalog's brand and category names.")
    asr_min_avg_logprob: float = Field(default=-0.9, description="Below this average log-probability, ask the shopper to confirm.")
    asr_max_no_speech: float = Field(default=0.6, description="Above this no-speech probability, ask the shopper to confirm.")
    chroma_host: str | None = Field(
        default=None,
        description="Chroma server host (client/server mode, `chroma run --path DIR --port N`); unset: embedded Chroma in the store directory.",
    )
    chroma_port: int = Field(default=8000, description="Chroma server port.")
    database_url: str | None = Field(
        default=None,
        description="Where orders, returns, tickets, conversations, sessions and ratings live: postgresql://user:pass@host/db "
        "(one database per store, shared by every app process); unset: SQLite files in the store directory.",
    )
    chroma_ssl: bool = Field(default=False, description="Talk to the Chroma server over https.")
    admin_token: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="The owner page (/admin, the hand-off inbox) signs in with this token (at least 16 characters); unset: no owner page.",
    )
    webhook_url: AnyHttpUrl | None = Field(
        default=None,
        description="The help desk's webhook: each new hand-off ticket, each later shopper message of it, each team reply and each "
        "closing is POSTed here as JSON, in order, retried until it is taken. Unset: no events.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Signs each webhook POST (X-ShopAssist-Signature: t=<unix time>,v1=<HMAC-SHA256 of '<t>.<body>'>); "
        "required with SHOPASSIST_WEBHOOK_URL.",
    )
    webhook_retry_s: float = Field(
        default=5.0, gt=0, description="The webhook's first retry after a failure; each later one waits twice as long, at most an hour."
    )
    chromium: Path = Field(default=Path("/usr/bin/chromium"), description="The Chromium that `bench widget` drives (Debian's package).")
    today: date | None = Field(
        default=None,
        description="The date taken as today (return windows count to it); unset: the real date. For reproducible tests and evaluations.",
    )
    root_path: str = Field(default="", description="Public path prefix when served behind a reverse proxy, e.g. /assistant.")

    @model_validator(mode="after")
    def _webhook_signed(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("SHOPASSIST_WEBHOOK_URL needs SHOPASSIST_WEBHOOK_SECRET (at least 16 characters) to sign what it sends")
        return self

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"not a JSON list ({exc.msg})") from None
            else:
                value = [part.strip() for part in text.split(",") if part.strip()]
        if isinstance(value, list):
            for origin in value:
                if not isinstance(origin, str) or not _ORIGIN.fullmatch(origin):
                    raise ValueError(f"{origin!r} is not an origin like https://shop.example.com (scheme and host, no path)")
            return [origin.rstrip("/") for origin in value]
        return value

    @field_validator("image_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        if isinstance(value, str):
            value = json.loads(value) if value.strip().startswith("[") else [h.strip() for h in value.split(",") if h.strip()]
        if isinstance(value, list):
            for host in value:
                if not isinstance(host, str) or not re.fullmatch(r"\*|[A-Za-z0-9.-]+", host):
                    raise ValueError(f"{host!r} is not a host name like cdn.shop.example.com (no scheme or path), or *")
        return value

    @field_validator("rate_limit_client", "rate_limit_lookup")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        if value.strip():
            try:
                parse_many(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a rate limit like 30/minute;300/hour") from None
        return value.strip()

    def store_dir(self) -> Path:
        return Path(self.store) if self.store else self.home / "stores" / "demo"

    def cache_dir(self) -> Path:
        return self.home / "cache"

    def encoder_dir(self) -> Path:
        """Where the int8 product encoder's graph is built, once (``retrieval.embeddings``)."""
        return self.cache_dir() / "encoders"

    def upload_dir(self) -> Path:
        """Where the chat UI keeps uploads and recordings until their turn is answered."""
        return self.home / "uploads"

    def chroma_server(self) -> ChromaServer | None:
        """The Chroma server to use, or None for the embedded Chroma in each store directory."""
        if not self.chroma_host:
            return None
        return ChromaServer(host=self.chroma_host, port=self.chroma_port, ssl=self.chroma_ssl)


#: a web origin: scheme, host and an optional port
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?/?")


def get_settings() -> Settings:
    """A fresh read of the environment (cheap; tests change it between cases)."""
    return Settings()


#: what reading the settings raises for a bad ``SHOPASSIST_*`` value (``settings_problem`` words it)
SETTINGS_ERRORS = (ValidationError, SettingsError)


def settings_problem(exc: Exception) -> str:
    """One line naming each bad ``SHOPASSIST_*`` variable and what is wrong with it."""
    if not isinstance(exc, ValidationError):  # a value pydantic-settings could not even parse
        return str(exc).split(" from source")[0]
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "SHOPASSIST_" + "_".join(str(part) for part in error["loc"][:1]).upper()
        problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


def offline_environment() -> None:
    """Models come from installed packages; never let a library reach for a hub."""
    embeddings_offline()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def hand_to_workers(store: Path) -> None:
    """Settings for the worker processes ``serve --workers`` starts: they read the
    environment afresh, so the store chosen on the command line goes there."""
    os.environ["SHOPASSIST_STORE"] = str(Path(store).resolve())
