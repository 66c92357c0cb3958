"""Request bodies are capped and authenticated before they are read (defect 17)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecogov.plans.models import ProgressReport
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.helpers import PASSWORD, csrf_from, login, make_user
from tests.plans.support import small_plan, task_ids

MB = 2**20


@pytest.fixture
def small_limit(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The application with a 1 MB request limit."""
    capped = settings.model_copy(update={"max_request_mb": 1})
    with TestClient(create_app(capped, db), base_url="http://testserver") as client:
        yield client


def _reports(db: Database) -> int:
    with db.transaction(SYSTEM) as session:
        return session.scalar(select(func.count(ProgressReport.id))) or 0


def _officer_task(db: Database, client: TestClient) -> tuple[int, dict[str, str]]:
    plan = small_plan(db, "330106", [("1", None, ("区治水办",))])
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    return task_ids(db, plan)["1"], {"X-CSRF-Token": login(client, "xh")}


def test_an_upload_over_the_limit_is_refused_with_413(
    db: Database, small_limit: TestClient
) -> None:
    task, headers = _officer_task(db, small_limit)
    url = f"/api/v1/plans/tasks/{task}/reports"
    big = [("files", ("big.bin", b"\0" * (2 * MB), "application/octet-stream"))]
    refused = small_limit.post(url, data={"text": "整改"}, files=big, headers=headers)
    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"
    assert "超过 1 MB 的上限" in refused.json()["detail"]
    assert refused.headers["x-frame-options"] == "DENY"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n\r\n'
        for _ in range(4):
            yield b"x" * (MB // 2)
        yield b"\r\n--b--\r\n"

    streamed = small_limit.post(
        url,
        content=chunks(),
        headers={**headers, "content-type": "multipart/form-data; boundary=b"},
    )
    assert streamed.status_code == 413
    assert _reports(db) == 0
    small = [("files", ("ok.txt", b"fine", "text/plain"))]
    accepted = small_limit.post(url, data={"text": "整改"}, files=small, headers=headers)
    assert accepted.status_code == 201, accepted.text


def test_anonymous_bodies_are_refused_before_they_are_read(
    db: Database, client: TestClient
) -> None:
    plan = small_plan(db, "330106", [("1", None, ("区治水办",))])
    task = task_ids(db, plan)["1"]
    upload = [("files", ("x.bin", b"\0" * 1000, "application/octet-stream"))]
    refused = client.post(f"/api/v1/plans/tasks/{task}/reports", data={"text": "x"}, files=upload)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "请先登录"
    page = client.post(
        f"/plans/tasks/{task}/reports",
        data={"text": "x"},
        files=upload,
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next=/plans/tasks/{task}/reports"
    token = csrf_from(client.get("/login").text)  # the login form itself is small and public
    huge = client.post(
        "/login", data={"username": "x" * 100_000, "password": "y", "csrf_token": token}
    )
    assert huge.status_code == 413
    assert _reports(db) == 0


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[tuple[str, int]]:
    """The platform on a free loopback port (real HTTP, so headers can come before a body)."""
    if db.backend != "sqlite":
        pytest.skip("runs once, on the embedded database")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings, db)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "test server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)


def _headers_only(address: tuple[str, int], path: str, cookie: str = "") -> bytes:
    """Announce a 200 MB multipart upload, send none of it, and read the answer."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address[0]}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {200 * MB}\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n"
    )
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head.encode("ascii"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer


def test_a_200_mb_upload_is_answered_before_its_body_is_sent(
    db: Database, live_server: tuple[str, int]
) -> None:
    """Defect 17: the server read 200 MB before saying "larger than 20 MB"; an anonymous client
    got its 401 after ~146 MB had reached the temp folder."""
    import httpx

    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    base = f"http://{live_server[0]}:{live_server[1]}"
    with httpx.Client(base_url=base) as browser:
        token = csrf_from(browser.get("/login").text)
        browser.post("/login", data={"username": "xh", "password": PASSWORD, "csrf_token": token})
        session = browser.cookies.get("ecogov_session")
    assert session
    path = "/api/v1/plans/tasks/1/reports"
    assert _headers_only(live_server, path).startswith(b"HTTP/1.1 401")
    answer = _headers_only(live_server, path, f"ecogov_session={session}")
    assert answer.startswith(b"HTTP/1.1 413")
