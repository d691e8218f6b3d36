"""Shared fixtures: every test runs with SHOPASSIST_HOME in a temp dir, a real Chroma,
the real bundled embedding model and real SQLite."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from assistant.settings import Settings, offline_environment

offline_environment()
# the dialogue tests pin the rule parser's behaviour; the LLM parser has its own tests
os.environ.setdefault("SHOPASSIST_INTENT_PARSER", "rules")


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shopassist-home")


#: set to 1 to run every test's stores against one real Chroma server (CI does, for the retrieval tests)
SERVER_MODE = os.environ.get("SHOPASSIST_TEST_CHROMA_SERVER") == "1"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server (`chroma run`) on a free loopback port; yields (host, port)."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).parent / "chroma"
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"chroma server did not start: {(path / 'server.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
    yield "127.0.0.1", port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian: /usr/lib/postgresql/N/bin), if any."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on a free loopback port, its data in a temp folder (owned by
    ``nobody`` when the tests run as root: initdb refuses root); yields its base URL, to
    which a test appends a database name. Skipped where the binaries are missing, unless
    ``SHOPASSIST_REQUIRE_POSTGRES=1`` (CI), which makes that a failure."""
    import shutil
    import tempfile

    folder = _postgres_bin()
    if folder is None:
        message = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
        if os.environ.get("SHOPASSIST_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="shopassist-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    port = free_port()
    data, log = root / "data", root / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            pytest.fail(f"{args[0]} failed: {done.stdout[-1500:]} {done.stderr[-1500:]}")

    run(str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "shopassist", "--no-sync", "-E", "UTF8")
    options = f"-h 127.0.0.1 -p {port} -k {root} -F -c max_connections=200"
    run(str(folder / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
    yield f"postgresql://shopassist@127.0.0.1:{port}"
    subprocess.run([*as_user, str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty PostgreSQL database for one test; its URL."""
    import uuid

    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _isolated_home(home, monkeypatch, request):
    monkeypatch.setenv("SHOPASSIST_HOME", str(home))
    monkeypatch.delenv("SHOPASSIST_STORE", raising=False)
    monkeypatch.delenv("SHOPASSIST_CHROMA_HOST", raising=False)
    if SERVER_MODE:
        host, port = request.getfixturevalue("chroma_server")
        monkeypatch.setenv("SHOPASSIST_CHROMA_HOST", host)
        monkeypatch.setenv("SHOPASSIST_CHROMA_PORT", str(port))


@pytest.fixture(scope="session")
def settings(home) -> Settings:
    # the demo data's "today": its orders' return windows count to it (tools/demo_store/generate.py AS_OF)
    return Settings(home=home, today=date(2026, 11, 21))


@pytest.fixture(scope="session")
def embedder(settings):
    from retrieval.embeddings import load_default_embedder

    return load_default_embedder(1, settings.encoder_dir())


@pytest.fixture(scope="session")
def demo_services(settings):
    """The demo store, built once for the whole test session."""
    from assistant.app import ensure_demo_store, open_services

    ensure_demo_store(settings, progress=False)
    return open_services(settings)


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app, port: int | None = None):
    """``app`` (ASGI) on a real uvicorn server on loopback, in a thread; yields its base URL
    once ``/health`` answers, and stops it afterwards."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the web app did not start")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def new_store(root: Path, embedder, **options):
    """A ``retrieval.store.Store`` on the Chroma the test run uses (embedded, or the server
    of ``SHOPASSIST_TEST_CHROMA_SERVER=1``), as the application would open it."""
    from retrieval.store import Store

    return Store(root, embedder, server=Settings().chroma_server(), **options)


def search_over(root: Path, embedder, rows: list[dict]):
    """A ``ProductSearch`` over a new store holding ``rows``, ingested as a shop's catalog file."""
    from retrieval.ingest import ingest_catalog
    from retrieval.search import ProductSearch

    store = new_store(root / "store", embedder)
    ingest_catalog(store, write_jsonl(root / "c.jsonl", rows), progress=False)
    return ProductSearch(store)


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
