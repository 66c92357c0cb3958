"""TimedCache: fresh values are reused, stale ones recomputed, the oldest evicted; the public
response cache replays public answers for their lifetime only, and never personal ones."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest
from fastapi import Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from ecogov.platform.cache import (
    KeptAnswer,
    ResponseCache,
    SharedShelf,
    TimedCache,
    shared_lifetime,
    shelf_folder,
)
from ecogov.platform.errors import TooManyRequests
from ecogov.platform.http import SESSION_COOKIE
from ecogov.platform.ratelimit import RateRule, limit
from ecogov.platform.security import SecurityHeadersMiddleware, csp_nonce
from ecogov.platform.settings import Settings


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_fresh_value_is_reused_and_a_stale_one_recomputed() -> None:
    clock = Clock()
    calls: list[str] = []
    timed: TimedCache[str, int] = TimedCache(seconds=30, clock=clock)

    def compute() -> int:
        calls.append("x")
        return len(calls)

    assert timed.get("k", compute) == 1
    clock.now += 29.9
    assert timed.get("k", compute) == 1
    clock.now += 0.2
    assert timed.get("k", compute) == 2
    timed.clear()
    assert timed.get("k", compute) == 3


def test_the_oldest_entries_go_beyond_the_limit() -> None:
    clock = Clock()
    timed: TimedCache[int, int] = TimedCache(seconds=30, max_entries=2, clock=clock)
    for key, value in ((0, 0), (1, 10), (2, 20)):
        clock.now += 1
        timed.get(key, lambda value=value: value)  # type: ignore[misc]
    assert timed.get(0, lambda: -1) == -1  # evicted, so computed again
    assert timed.get(2, lambda: -1) == 20


# --- the public response cache --------------------------------------------------------------


def _cached_app(
    clock: Clock,
    headers: dict[str, str],
    requests: int = 10,
    max_total_bytes: int = 2**26,
    shelf: SharedShelf | None = None,
) -> tuple[TestClient, list[str]]:
    """A FastAPI app behind the platform's two outer middlewares; its route counts its calls
    against a rule of ``requests`` a minute and echoes the script nonce."""
    calls: list[str] = []
    app = FastAPI()
    app.state.settings = Settings(
        secret_key="x" * 32, rate_limits={"public": RateRule(requests=requests, per_seconds=60)}
    )

    @app.get("/thing", dependencies=[Depends(limit("public"))])
    def thing(request: Request) -> Response:
        calls.append(request.url.query)
        body = f"call {len(calls)} nonce {csp_nonce(request)}"
        return Response(body, headers={"ETag": '"t1"', **headers})

    app.add_middleware(ResponseCache, clock=clock, max_total_bytes=max_total_bytes, shelf=shelf)
    app.add_middleware(SecurityHeadersMiddleware)
    return TestClient(app), calls


def test_a_public_answer_is_replayed_for_its_lifetime_with_each_requests_nonce() -> None:
    clock = Clock()
    client, calls = _cached_app(clock, {"Cache-Control": "public, max-age=60"})
    first = client.get("/thing")
    clock.now += 59
    again = client.get("/thing")
    assert calls == [""]  # replayed: the route did not run
    nonce = again.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert again.text == f"call 1 nonce {nonce}" != first.text
    assert again.headers["age"] == "59"
    assert again.headers["etag"] == '"t1"'
    assert client.get("/thing?lang=en").text.startswith("call 2")  # another address
    clock.now += 1  # its lifetime is over
    assert client.get("/thing").text.startswith("call 3")
    assert len(calls) == 3


def test_a_replay_answers_304_and_counts_against_the_rate_limit() -> None:
    clock = Clock()
    client, calls = _cached_app(clock, {"Cache-Control": "public, max-age=60"}, requests=3)
    client.get("/thing")
    held = client.get("/thing", headers={"If-None-Match": 'W/"t1"'})
    assert held.status_code == 304
    assert held.content == b""
    assert held.headers["cache-control"] == "public, max-age=60"
    assert client.get("/thing").status_code == 200  # the third request of the minute
    with pytest.raises(TooManyRequests):  # the fourth: the application refuses it
        client.get("/thing")
    assert calls == [""]  # only the first ran the route; the refusal came from its dependency


@pytest.mark.parametrize(
    "headers",
    [
        {"Cache-Control": "private, max-age=60"},
        {"Cache-Control": "public, max-age=0"},
        {"Cache-Control": "public, max-age=60", "Set-Cookie": "a=b"},
        {"Cache-Control": "public, max-age=60", "Vary": "Accept, Authorization"},
    ],
)
def test_private_answers_are_never_kept(headers: dict[str, str]) -> None:
    client, calls = _cached_app(Clock(), headers)
    client.get("/thing")
    client.get("/thing")
    assert len(calls) == 2


def test_the_oldest_answers_go_first_beyond_the_bytes_kept() -> None:
    public = {"Cache-Control": "public, max-age=60"}
    client, calls = _cached_app(Clock(), public, max_total_bytes=30)
    client.get("/thing?a")  # each body is kept as 20 bytes (the nonce marked): two are > 30
    client.get("/thing?b")
    client.get("/thing?b")  # kept
    client.get("/thing?a")  # gone
    assert calls == ["a", "b", "a"]


def test_visitors_with_a_session_are_never_answered_from_the_cache() -> None:
    client, calls = _cached_app(Clock(), {"Cache-Control": "public, max-age=60"})
    client.get("/thing")
    client.cookies.set(SESSION_COOKIE, "token")
    assert client.get("/thing").text.startswith("call 2")
    assert len(calls) == 2


@given(st.lists(st.sampled_from(["public", "private", "no-store", "max-age=5", "s-maxage=9"])))
def test_only_public_answers_with_a_max_age_have_a_shared_lifetime(parts: list[str]) -> None:
    lifetime = shared_lifetime([(b"cache-control", ", ".join(parts).encode())])
    assert lifetime == (5 if "public" in parts and "max-age=5" in parts else 0)


# --- the workers' shared shelf ----------------------------------------------------------------


def _kept(clock: Clock, body: bytes, lifetime: float = 60) -> KeptAnswer:
    return KeptAnswer((), body, None, (), clock.now, clock.now + lifetime)


def test_a_shelf_gives_back_what_was_put_within_its_lifetime(tmp_path: Path) -> None:
    clock = Clock()
    shelf = SharedShelf(tmp_path, clock=clock)
    shelf.put((b"/a", b""), _kept(clock, b"A"))
    other = SharedShelf(tmp_path, clock=clock)  # another worker
    found = other.get((b"/a", b""))
    assert found is not None
    assert found.body == b"A"
    assert other.get((b"/b", b"")) is None
    clock.now += 60
    assert other.get((b"/a", b"")) is None


def test_a_damaged_file_on_the_shelf_is_a_miss(tmp_path: Path) -> None:
    clock = Clock()
    shelf = SharedShelf(tmp_path, clock=clock)
    shelf.put((b"/a",), _kept(clock, b"A"))
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"not a pickle")
    assert shelf.get((b"/a",)) is None


def test_a_shelf_sweeps_the_oldest_beyond_its_bytes(tmp_path: Path) -> None:
    clock = Clock()
    shelf = SharedShelf(tmp_path, max_total_bytes=2_500, clock=clock)
    for name in ("a", "b", "c"):
        shelf.put((name.encode(),), _kept(clock, name.encode() * 1000))
        os.utime(shelf._path((name.encode(),)), (clock.now, clock.now))
        clock.now += 1
    shelf.sweep()
    assert shelf.get((b"a",)) is None
    assert shelf.get((b"c",)) is not None


def test_each_database_has_its_own_shelf(tmp_path: Path) -> None:
    assert shelf_folder(tmp_path, "sqlite:///a.db") != shelf_folder(tmp_path, "sqlite:///b.db")


def test_an_answer_one_worker_kept_is_replayed_by_another(tmp_path: Path) -> None:
    clock = Clock()
    public = {"Cache-Control": "public, max-age=60"}
    first, first_calls = _cached_app(clock, public, shelf=SharedShelf(tmp_path, clock=clock))
    second, second_calls = _cached_app(clock, public, shelf=SharedShelf(tmp_path, clock=clock))
    first.get("/thing")
    again = second.get("/thing")
    assert again.text.startswith("call 1")
    assert again.headers["age"] == "0"
    assert (first_calls, second_calls) == ([""], [])


def test_requests_for_an_answer_being_computed_wait_for_it() -> None:
    clock = Clock()
    calls: list[str] = []
    app = FastAPI()
    app.state.settings = Settings(secret_key="x" * 32)

    @app.get("/slow")
    async def slow() -> Response:
        calls.append("slow")
        await asyncio.sleep(0.2)
        return Response("done", headers={"Cache-Control": "public, max-age=60"})

    app.add_middleware(ResponseCache, clock=clock)

    async def ten_at_once() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(*(client.get("/slow") for _ in range(10)))
        return [a.text for a in answers]

    assert asyncio.run(ten_at_once()) == ["done"] * 10
    assert calls == ["slow"]
