"""The platform's caches: computations several parts of a page share, and public answers.

Indicators of a home page, a ranking and its report often need the same evaluation within a
second or two; :class:`TimedCache` keeps a result for a few seconds so they share it. Entries
expire by age, the oldest go first beyond ``max_entries``, and an import clears the cache of
what it changed. The computation runs outside the lock: two threads may compute the same key
at once, and the later result wins.

:class:`ResponseCache` keeps whole answers that declare themselves shareable and replays them
before routing, dependencies or the thread pool run:

- public answers (``Cache-Control: public, max-age=N``), for their stated lifetime only, to
  visitors without a session (a cache hit of the portal cost 0.8-1.2 ms of Python in the
  application; replayed here it costs a dict look-up, a rate-limit count and a copy);
- logged-in users' pages that say they depend on nothing but what the user may see
  (:data:`SHARE_HEADER`, set by ``templating.render``), to every user of the same visibility
  (role, region, enterprise: :attr:`Principal.visibility`), for ``page_seconds`` at most and
  only while no audited change has landed since (:func:`ecogov.platform.audit.last_change`),
  so an officer's own change, or a colleague's, shows at once, and data that arrive without an
  audited change (telemetry, the receiver's statistics) within ``page_seconds``. Each replay
  carries the viewer's own name, CSRF token and script nonce. Fifty officers browsing a
  province's pages cost 11-150 ms of CPU a page computed (issue 20), about 1 ms replayed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Final, Generic, TypeVar

from anyio import CapacityLimiter, Event, to_thread
from markupsafe import escape
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecogov.platform.audit import last_change
from ecogov.platform.db import Database
from ecogov.platform.errors import TooManyRequests
from ecogov.platform.http import NONCE_COOKIE, SESSION_COOKIE, csrf_token_for, names
from ecogov.platform.ratelimit import RULES_KEY, count
from ecogov.platform.scope import Principal
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
CSRF_MARK: Final = b"\x00csrf\x00"
"""Where the storing user's CSRF token stood in a kept page (each replay puts the viewer's)."""
USER_MARK: Final = b"\x00user\x00"
"""Where the storing user's name stood in the layout's header of a kept page."""
WHO: Final = b'<span class="who">'
"""What precedes the user's name in the layout's header (``web/templates/base.html``)."""
SWEEP_EVERY: Final = 256
"""A shared shelf checks its size every this many writes."""
LOOKUP_THREADS: Final = 4
"""Threads looking up a page's viewer, apart from the pool the pages run in: when every
thread of that pool is busy computing slow pages, a replay must not queue behind them."""
SHARE_HEADER: Final = b"x-ecogov-share"
"""Set by a page whose answer depends only on the viewer's visibility, the address, the
language and the cookies other than the session's; never sent to the client."""
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


class SharedShelf:
    """Kept answers in a folder every worker process of a host reads and writes, so an answer
    one worker computed is replayed by the others (with two workers each computing every page
    once, a province's 600 officer pages cost twice what they need). Each answer is one file
    named by a hash of its key, written whole and renamed into place; one past its lifetime is
    never read. Beyond ``max_total_bytes`` the oldest files go, checked every
    :data:`SWEEP_EVERY` writes. The folder belongs to one database (its key leaves the database
    out): :func:`shelf_folder`."""

    def __init__(
        self,
        folder: Path,
        *,
        max_total_bytes: int = 2**28,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.max_total_bytes = max_total_bytes
        self._clock = clock
        self._writes = 0
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, key: tuple[bytes, ...]) -> Path:
        return self.folder / hashlib.sha256(b"\x00".join(key)).hexdigest()

    def get(self, key: tuple[bytes, ...]) -> KeptAnswer | None:
        """The answer kept under ``key`` if it is still within its lifetime."""
        try:
            kept = pickle.loads(self._path(key).read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        if not isinstance(kept, KeptAnswer) or self._clock() >= kept.expires_at:
            return None
        return kept

    def put(self, key: tuple[bytes, ...], kept: KeptAnswer) -> None:
        """Keep ``kept`` under ``key`` (a full disk loses the copy, never the answer)."""
        path = self._path(key)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            partial.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(path)
        except OSError:
            partial.unlink(missing_ok=True)
            return
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:
            self.sweep()

    def sweep(self) -> None:
        """Remove the oldest files beyond ``max_total_bytes``."""
        files = []
        for path in self.folder.iterdir():
            try:
                stat = path.stat()
            except OSError:  # another worker removed it meanwhile
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_total_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


def shelf_folder(root: Path, database_url: str) -> Path:
    """The shelf's folder under ``root`` for one database (named by a hash of its URL)."""
    return root / hashlib.sha256(database_url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Viewer:
    """A logged-in user asking for a page: what their key and replay need."""

    principal: Principal
    token: str
    generation: int
    """:func:`ecogov.platform.audit.last_change` when the request came in."""


class ResponseCache:
    """ASGI middleware replaying shareable GET answers (see the module's docstring).

    Public answers: only requests without a session cookie are answered from or stored in the
    cache, only 200 answers that declare ``Cache-Control: public, max-age=N`` (N > 0), set no
    cookie and vary by nothing the key leaves out are kept, for N seconds at most.

    Pages: a request with a session for a path outside ``not_pages`` is answered as that
    session's user (loaded here, and left
    in the request's state so the application does not load it again); a 200 answer carrying
    :data:`SHARE_HEADER` and setting no cookie is kept for ``page_seconds`` (0: never) under
    the user's visibility, the address, the cookies other than the session's and the anonymous
    nonce, and the latest audited change (not the ``Accept`` headers: see :func:`_key`).

    Either way a replay says how old it is in ``Age``; the oldest go first beyond
    ``max_entries`` answers or ``max_total_bytes`` bytes, and a body over ``max_body_bytes`` is
    not kept. A replay counts against the rate-limit rules the original was counted against
    (over the limit, the application answers and refuses), answers ``If-None-Match`` with 304,
    and carries the request's own script nonce (and a page the viewer's name and CSRF token).
    Lives inside the security headers middleware, which adds the per-request headers to every
    answer, replayed or not.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        page_seconds: int = 0,
        not_pages: tuple[str, ...] = (),
        shelf: SharedShelf | None = None,
        max_entries: int = 4096,
        max_body_bytes: int = 2**21,
        max_total_bytes: int = 2**27,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.page_seconds = page_seconds
        self.not_pages = not_pages
        """Path prefixes no page lives under (the API, static files): a GET there with a
        session goes straight to the application, which loads the user where it needs one
        (looking the user up here cost two queries a static file)."""
        self.shelf = shelf
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self.max_total_bytes = max_total_bytes
        self._total_bytes = 0
        self._clock = clock
        self._entries: OrderedDict[tuple[bytes, ...], KeptAnswer] = OrderedDict()
        self._lookups: CapacityLimiter | None = None
        self._computing: dict[tuple[bytes, ...], Event] = {}
        """The keys being computed now: a request for one waits for that answer instead of
        computing it again (fifty officers asking for a page nobody kept yet computed it up to
        fifty times at once)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        token = next((value for name, value in cookies if name == SESSION_COOKIE), None)
        viewer = None
        if token is not None:
            viewer = await self._viewer(scope, token) if self._may_be_page(scope) else None
            if viewer is None:
                await self.app(scope, receive, send)
                return
        key = _key(scope, viewer, cookies)
        computing = self._computing.get(key)
        if computing is not None:  # the same answer is being computed: wait for it
            await computing.wait()
        now = self._clock()
        kept = self._find(key, now)
        if kept is not None and _counted(scope, kept.rules):
            await _replay(scope, send, kept, now, _marks(scope, viewer))
            return
        done = self._computing.setdefault(key, Event())
        try:
            await self._keep_through(scope, receive, send, key, now, viewer)
        finally:
            if self._computing.get(key) is done:
                del self._computing[key]
            done.set()

    def _may_be_page(self, scope: Scope) -> bool:
        """Whether a GET with a session may be answered by a kept page: pages are kept at all,
        and the path is under none of the ``not_pages`` prefixes."""
        return self.page_seconds > 0 and not str(scope["path"]).startswith(self.not_pages)

    def _find(self, key: tuple[bytes, ...], now: float) -> KeptAnswer | None:
        """The answer kept under ``key`` within its lifetime, here or on the shared shelf
        (which gives only answers within theirs)."""
        kept = self._entries.get(key)
        if kept is not None and now < kept.expires_at:
            return kept
        kept = self.shelf.get(key) if self.shelf is not None else None
        if kept is not None:
            self._remember(key, kept)
        return kept

    async def _viewer(self, scope: Scope, token: str) -> Viewer | None:
        """The logged-in user of ``token`` and the latest audited change (None when the token
        is no live session, or the application has no accounts): one trip to a worker thread
        of its own (:data:`LOOKUP_THREADS`), so a slow database never holds the event loop."""
        state = scope["app"].state
        loader = getattr(state, "principal_loader", None)
        db = getattr(state, "db", None)
        if loader is None or not isinstance(db, Database):
            return None

        def load() -> tuple[Principal | None, int]:
            return loader(db, token), last_change(db)

        if self._lookups is None:  # made in the event loop that uses it
            self._lookups = CapacityLimiter(LOOKUP_THREADS)
        principal, generation = await to_thread.run_sync(load, limiter=self._lookups)
        if principal is None or not principal.is_authenticated:
            return None
        scope.setdefault("state", {})["principal"] = principal
        return Viewer(principal, token, generation)

    async def _keep_through(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[bytes, ...],
        now: float,
        viewer: Viewer | None,
    ) -> None:
        """Run the application, keeping its answer when it is shareable."""
        lifetime = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def keeping_send(message: Message) -> None:
            nonlocal lifetime, headers
            if message["type"] == "http.response.start":
                given = list(message.get("headers", []))
                headers = [(k, v) for k, v in given if k.lower() != SHARE_HEADER]
                lifetime = _lifetime(given, viewer, self.page_seconds, message["status"])
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and lifetime > 0:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > self.max_body_bytes:
                    lifetime = 0
                elif not message.get("more_body", False):
                    body = _marked(b"".join(chunks), _marks(scope, viewer))
                    self._keep(key, scope, headers, body, now, lifetime)
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
        etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        kept = KeptAnswer(
            headers=tuple((k, v) for k, v in headers if k.lower() != b"content-length"),
            body=body,
            etag=etag,
            rules=tuple(state.get(RULES_KEY, ())),
            kept_at=now,
            expires_at=now + lifetime,
        )
        self._remember(key, kept)
        if self.shelf is not None:
            self.shelf.put(key, kept)

    def _remember(self, key: tuple[bytes, ...], kept: KeptAnswer) -> None:
        """Hold ``kept`` in this process, the oldest going beyond the limits."""
        self._forget(key)
        self._entries[key] = kept
        self._total_bytes += len(kept.body)
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


def _lifetime(
    headers: list[tuple[bytes, bytes]], viewer: Viewer | None, page_seconds: int, status: int
) -> int:
    """Seconds an answer may be kept: a public one's ``max-age``, a shareable page's
    ``page_seconds`` (one that sets a cookie: never), 0 otherwise."""
    if status != 200:
        return 0
    if viewer is None:
        return shared_lifetime(headers)
    names_given = {name.lower() for name, _ in headers}
    if SHARE_HEADER in names_given and b"set-cookie" not in names_given:
        return page_seconds
    return 0


@dataclass(frozen=True)
class Mark:
    """A value of this request's own in a kept body, and the mark standing in its place."""

    mark: bytes
    value: bytes
    places: int = -1
    """How many of the value's places are marked, from the first (-1: every one)."""


def _marks(scope: Scope, viewer: Viewer | None) -> list[Mark]:
    """What a kept body holds in place of this request's own values: its script nonce, and a
    page's CSRF token and the user's name (its first place after :data:`WHO` only: the
    layout's header; the same text elsewhere on the page is the page's own)."""
    nonce = str(scope.get("state", {}).get(NONCE_KEY, "")).encode()
    marks = [Mark(NONCE_MARK, nonce)] if nonce else []
    if viewer is not None:
        secret = scope["app"].state.settings.secret_key
        marks.append(Mark(CSRF_MARK, csrf_token_for(secret, viewer.token).encode()))
        name = WHO + escape(viewer.principal.username).encode()
        marks.append(Mark(WHO + USER_MARK, name, places=1))
    return marks


def _marked(body: bytes, marks: list[Mark]) -> bytes:
    """``body`` with this request's own values replaced by their marks."""
    for mark in marks:
        body = body.replace(mark.value, mark.mark, mark.places)
    return body


def _cookies(scope: Scope) -> list[tuple[str, str]]:
    """The request's cookies as (name, value) pairs, in the order sent."""
    found = []
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = part.strip().partition("=")
                if cookie_name:
                    found.append((cookie_name, cookie_value))
    return found


def _key(scope: Scope, viewer: Viewer | None, cookies: list[tuple[str, str]]) -> tuple[bytes, ...]:
    """What a kept answer is found by: the address and :data:`KEY_HEADERS`; for a page, the
    ``cookies`` but the session's and the anonymous nonce, the viewer's visibility and the latest
    audited change (a page's language comes from its address or a cookie, never from the
    ``Accept`` headers, which differ between browsers asking for the same page)."""
    headers = dict(scope["headers"])
    address = (scope["path"].encode(), scope["query_string"])
    if viewer is None:
        return (*address, *(headers.get(name, b"") for name in KEY_HEADERS))
    personal = {SESSION_COOKIE, NONCE_COOKIE}
    kept = "; ".join(f"{n}={v}" for n, v in cookies if n not in personal)
    return (
        b"page",
        *address,
        kept.encode("latin-1"),
        repr(viewer.principal.visibility).encode(),
        str(viewer.generation).encode(),
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


async def _replay(
    scope: Scope, send: Send, kept: KeptAnswer, now: float, marks: list[Mark]
) -> None:
    """Send a kept answer (or 304 when the client holds it) with its age and this request's
    own values in place of their marks."""
    age = (b"age", str(int(now - kept.kept_at)).encode())
    sent = dict(scope["headers"]).get(b"if-none-match")
    if kept.etag is not None and sent is not None and names(sent.decode("latin-1"), kept.etag):
        headers = [(k, v) for k, v in kept.headers if k.lower() in NOT_MODIFIED_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": [*headers, age]})
        await send({"type": "http.response.body", "body": b""})
        return
    body = kept.body
    for mark in marks:
        body = body.replace(mark.mark, mark.value)
    length = (b"content-length", str(len(body)).encode())
    await send(
        {"type": "http.response.start", "status": 200, "headers": [*kept.headers, length, age]}
    )
    await send({"type": "http.response.body", "body": body})
