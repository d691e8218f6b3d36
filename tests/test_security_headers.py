"""Security suite, headers: every answer of the real app says nosniff, a referrer policy and
who may frame it; browsers on other sites get no CORS grant until the shop names its
origins; ``serve`` shouts when it listens beyond loopback with none named."""

from __future__ import annotations

import dataclasses
import socket

import pytest
from fastapi.testclient import TestClient

from assistant.channels.web import create_app, exposed_warning
from tests.test_security_input import cli

SHOP = "https://shop.example.com"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def default_client(demo_services):
    with TestClient(create_app(demo_services)) as client:
        yield client


@pytest.fixture(scope="module")
def shop_client(demo_services):
    settings = demo_services.settings.model_copy(update={"allowed_origins": [SHOP]})
    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings))) as client:
        yield client


@pytest.mark.parametrize("path", ["/", "/health", "/widget.js", "/chat/", "/api/docs"])
def test_every_page_sends_the_security_headers(default_client, path):
    response = default_client.get(path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"


def test_errors_send_them_too(default_client):
    response = default_client.post("/api/chat", content=b"x" * 100_000, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.headers["x-content-type-options"] == "nosniff"


def test_with_no_origins_set_no_other_site_may_call_the_api(default_client):
    response = default_client.post("/api/chat", json={"message": "hello"}, headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in response.headers
    preflight = default_client.options(
        "/api/chat", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    )
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers


def test_the_shops_origins_may_frame_the_chat_and_call_the_api(shop_client):
    response = shop_client.get("/chat/", headers={"Origin": SHOP})
    assert response.headers["content-security-policy"] == f"frame-ancestors 'self' {SHOP}"
    response = shop_client.post("/api/chat", json={"message": "hello"}, headers={"Origin": SHOP})
    assert response.headers["access-control-allow-origin"] == SHOP
    response = shop_client.post("/api/chat", json={"message": "hello"}, headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("host", "origins", "warns"),
    [
        ("127.0.0.1", [], False),
        ("::1", [], False),
        ("localhost", [], False),
        ("0.0.0.0", [], True),
        ("192.168.1.20", [], True),
        ("shop-assistant.internal", [], True),
        ("0.0.0.0", [SHOP], False),
    ],
)
def test_serve_warns_beyond_loopback_without_origins(host, origins, warns):
    assert (exposed_warning(host, origins) is not None) == warns


def test_the_serve_command_prints_the_warning(home, demo_services):
    """The real command: it warns before it listens (on a port this test holds, so it stops there)."""
    with socket.socket() as held:
        held.bind(("0.0.0.0", 0))
        held.listen()
        result = cli("serve", "--host", "0.0.0.0", "--port", str(held.getsockname()[1]), home=home)
    stderr = result.stderr.decode()
    assert "WARNING: serving on 0.0.0.0" in stderr and "SHOPASSIST_ALLOWED_ORIGINS" in stderr
