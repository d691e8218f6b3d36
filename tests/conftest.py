"""Shared fixtures: every test runs with SHOPASSIST_HOME in a temp dir, a real Chroma,
the real bundled embedding model and real SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings, offline_environment

offline_environment()


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shopassist-home")


@pytest.fixture(autouse=True)
def _isolated_home(home, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_HOME", str(home))
    monkeypatch.delenv("SHOPASSIST_STORE", raising=False)


@pytest.fixture(scope="session")
def settings(home) -> Settings:
    return Settings(home=home)


@pytest.fixture(scope="session")
def embedder():
    from retrieval.embeddings import load_default_embedder

    return load_default_embedder(1)


@pytest.fixture(scope="session")
def demo_services(settings):
    """The demo store, built once for the whole test session."""
    from assistant.stores import ensure_demo_store, open_services

    ensure_demo_store(settings, progress=False)
    return open_services(settings)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def product_row(pid: str, **fields) -> dict:
    row = {
        "id": pid,
        "title": f"Test product {pid}",
        "description": "A product used in tests.",
        "category": "headphones",
        "brand": "Acme",
        "price": 10.0,
        "stock": 3,
        "attributes": {"color": "black"},
    }
    row.update(fields)
    return row
