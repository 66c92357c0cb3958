"""The platform's caches: computations several parts of a page share, and public answers.

Indicators of a home page, a ranking and its report often need the same evaluation within a
second or two; :class:`TimedCache` keeps a result for a few seconds so they share it. Entries
expire by age, the oldest go first beyond ``max_entries``, and an import clears the cache of
what it changed. The computation runs outside the lock: two threads may compute the same key
at once, and the later result wins.

:class:`PublicResponseCache` keeps whole answers that declare themselves shareable
(``Cache-Control: public, max-age=N``) and replays them, for their stated lifetime only, to
visitors without a session before routing, dependencies or the thread pool run (a cache hit
of the portal cost 0.8-1.2 ms of Python in the application; replayed here it costs a dict
look-up, a rate-limit count and a copy).
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock
from typing import Final, Generic, TypeVar

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecogov.platform.errors import TooManyRequests
from ecogov.platform.http import SESSION_COOKIE, names
from ecogov.platform.ratelimit import RULES_KEY, count
from ecogov.platform.security import NONCE_KEY

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TimedCache(Generic[K, V]):
    """Results by key, each reused for ``seconds`` after it was computed (by ``clock``)."""

    def __init__(
        self, seconds: float, max_entries: int = 32, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value of ``key`` if it is fresh, else ``compute()`` (then cached)."""
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now, value)
            while len(self._entries) > self.max_entries:
                del self._entries[min(self._entries, key=lambda k: self._entries[k][0])]
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


NONCE_MARK: Final = b"\x00nonce\x00"
"""Where the storing request's script nonce stood in a kept body (each replay puts its own)."""
KEY_HEADERS: Final = (b"accept", b"accept-language", b"cookie")
"""Request headers an answer may depend on: part of the key, with the path and query."""
NOT_MODIFIED_HEADERS: Final = frozenset(
    {b"etag", b"cache-control", b"last-modified", b"vary", b"expires"}
)
"""What a 304 repeats of the kept answer (RFC 9110, 15.4.5)."""
_MAX_AGE = re.compile(rb"max-age=(\d+)")


@dataclass(frozen=True)
class KeptAnswer:
    """A public answer as the application gave it, the nonce replaced by :data:`NONCE_MARK`."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: str | None
    rules: tuple[str, ...]
    """The rate-limit rules the answer was counted against: each replay counts again."""
    kept_at: float
    expires_at: float


def shared_lifetime(headers: list[tuple[bytes, bytes]]) -> int:
    """Seconds a shared cache may keep an answer with these headers: its ``max-age`` when it
    says ``Cache-Control: public``, sets no cookie and varies by nothing but
    :data:`KEY_HEADERS`, else 0."""
    control = b""
    for name, value in headers:
        if name.lower() == b"set-cookie":
            return 0
        if name.lower() == b"vary" and not {
            part.strip().lower() for part in value.split(b",")
        } <= set(KEY_HEADERS):
            return 0
        if name.lower() == b"cache-control":
            control = value.lower()
    found = _MAX_AGE.search(control)
    return int(found.group(1)) if b"public" in control and found else 0


class PublicResponseCache:
    """ASGI middleware replaying public GET answers (see the module's docstring).

    Only requests without a session cookie are answered from or stored in the cache, only 200
    answers that declare ``Cache-Control: public, max-age=N`` (N > 0), set no cookie and vary
    by nothing the key leaves out are kept, for N seconds at most (a replay says how old it is
    in ``Age``); the oldest go first beyond ``max_entries`` answers or ``max_total_bytes``
    bytes, and a body over ``max_body_bytes`` is not kept. A replay counts
    against the rate-limit rules the original was counted against (over the limit, the
    application answers and refuses), answers ``If-None-Match`` with 304, and carries the
    request's own script nonce. Lives inside the security headers middleware, which adds
    the per-request headers to every answer, replayed or not.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_entries: int = 512,
        max_body_bytes: int = 2**21,
        max_total_bytes: int = 2**26,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self.max_total_bytes = max_total_bytes
        self._total_bytes = 0
        self._clock = clock
        self._entries: OrderedDict[tuple[bytes, ...], KeptAnswer] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _in_session(scope):
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        kept = self._entries.get(key)
        now = self._clock()
        if kept is not None and now < kept.expires_at and _counted(scope, kept.rules):
            await _replay(scope, send, kept, now)
            return
        await self._keep_through(scope, receive, send, key, now)

    async def _keep_through(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[bytes, ...], now: float
    ) -> None:
        """Run the application, keeping its answer when it is public."""
        lifetime = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def keeping_send(message: Message) -> None:
            nonlocal lifetime, headers
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                lifetime = shared_lifetime(headers) if message["status"] == 200 else 0
            elif message["type"] == "http.response.body" and lifetime > 0:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > self.max_body_bytes:
                    lifetime = 0
                elif not message.get("more_body", False):
                    self._keep(key, scope, headers, b"".join(chunks), now, lifetime)
            await send(message)

        await self.app(scope, receive, keeping_send)

    def _keep(
        self,
        key: tuple[bytes, ...],
        scope: Scope,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        now: float,
        lifetime: int,
    ) -> None:
        state = scope.get("state", {})
        nonce = str(state.get(NONCE_KEY, "")).encode()
        etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        marked = body.replace(nonce, NONCE_MARK) if nonce else body
        self._forget(key)
        self._entries[key] = KeptAnswer(
            headers=tuple((k, v) for k, v in headers if k.lower() != b"content-length"),
            body=marked,
            etag=etag,
            rules=tuple(state.get(RULES_KEY, ())),
            kept_at=now,
            expires_at=now + lifetime,
        )
        self._total_bytes += len(marked)
        while len(self._entries) > self.max_entries or self._total_bytes > self.max_total_bytes:
            self._forget(next(iter(self._entries)))  # the oldest kept

    def _forget(self, key: tuple[bytes, ...]) -> None:
        gone = self._entries.pop(key, None)
        if gone is not None:
            self._total_bytes -= len(gone.body)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._entries.clear()
        self._total_bytes = 0


def _in_session(scope: Scope) -> bool:
    cookies = b"".join(v for k, v in scope["headers"] if k == b"cookie")
    return SESSION_COOKIE.encode() + b"=" in cookies


def _key(scope: Scope) -> tuple[bytes, ...]:
    headers = dict(scope["headers"])
    return (
        scope["path"].encode(),
        scope["query_string"],
        *(headers.get(name, b"") for name in KEY_HEADERS),
    )


def _counted(scope: Scope, rules: tuple[str, ...]) -> bool:
    """Count a replay against ``rules``; False when the client is over one (the application
    then answers, and refuses with its 429)."""
    if not rules:
        return True
    try:
        count(Request(scope), rules)
    except TooManyRequests:
        return False
    return True


async def _replay(scope: Scope, send: Send, kept: KeptAnswer, now: float) -> None:
    """Send a kept answer (or 304 when the client holds it) with its age and this request's
    nonce."""
    age = (b"age", str(int(now - kept.kept_at)).encode())
    sent = dict(scope["headers"]).get(b"if-none-match")
    if kept.etag is not None and sent is not None and names(sent.decode("latin-1"), kept.etag):
        headers = [(k, v) for k, v in kept.headers if k.lower() in NOT_MODIFIED_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": [*headers, age]})
        await send({"type": "http.response.body", "body": b""})
        return
    nonce = str(scope.get("state", {}).get(NONCE_KEY, "")).encode()
    body = kept.body.replace(NONCE_MARK, nonce) if nonce else kept.body
    length = (b"content-length", str(len(body)).encode())
    await send(
        {"type": "http.response.start", "status": 200, "headers": [*kept.headers, length, age]}
    )
    await send({"type": "http.response.body", "body": body})
