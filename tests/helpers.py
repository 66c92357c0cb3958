"""Small helpers the tests share: creating accounts and logging a client in."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ecogov.accounts.service import UserView, create_user
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role

PASSWORD = "correct-horse-9"


def make_user(
    db: Database,
    username: str,
    role: Role,
    region_code: str | None = None,
    enterprise_id: int | None = None,
) -> UserView:
    """Create an account with the shared test password."""
    return create_user(
        db,
        SYSTEM,
        username=username,
        password=PASSWORD,
        role=role,
        region_code=region_code,
        enterprise_id=enterprise_id,
    )


def csrf_from(html: str) -> str:
    """The CSRF token embedded in a rendered page."""
    match = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the form; returns the CSRF token of the new session."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_from(client.get("/").text)
