"""What every browser test shares: the Chromium to drive, its flags, where screenshots go, the
platform served on a free loopback port, and logging in as a demo user."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
"""The demo accounts' passwords, by username."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: Any) -> Iterator[tuple[str, int]]:
    """Serve ``app`` on a free loopback port for the duration; yields (host, port)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("test server did not start")
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_url(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL."""
    with serve(app) as (host, port):
        yield f"http://{host}:{port}"


def log_in(page: Any, server: str, username: str, password: str | None = None) -> None:
    """Log in through the login form as ``username`` (a demo account unless a password is given)
    and wait for the command centre."""
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or PASSWORDS[username])
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/")


@contextmanager
def serve_module(db: Database, load: Callable[[], object]) -> Iterator[str]:
    """The platform on ``db`` served for a whole test module, after ``load`` put the module's
    data into the session's database; the database is emptied of everything but reference data
    afterwards (as the function-scoped ``db`` fixture does), even when loading failed."""
    from tests.conftest import TEST_SECRET, _clean

    try:
        load()
        settings = Settings(
            database_url=db.url, secret_key=TEST_SECRET, boundary_provinces="330000"
        )
        with serve_url(create_app(settings, db)) as url:
            yield url
    finally:
        _clean(db)


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (playwright ``Browser``), closed afterwards; the screenshot
    folder exists."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
