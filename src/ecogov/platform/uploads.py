"""Uploads: how large a request may be, who may send one, and the names files are stored under.

A browser sends only a file's base name, but any client can send ``../../x.txt`` or
``C:\\Users\\x\\a.jpg``: such a name is kept without its folders (``/`` and ``\\`` alike), so no
stored name ever carries a path.

Request bodies are capped and authenticated by :class:`BodyLimitMiddleware` before the
application reads them (a 200 MB upload used to be read whole, and an anonymous one written to
the temp folder, before anything refused it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Final
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecogov.platform.errors import InputError, problem_title
from ecogov.platform.http import SESSION_COOKIE
from ecogov.platform.i18n import DEFAULT_LANGUAGE, both, translate

DEFAULT_NAME: Final = "upload"
MAX_NAME_LENGTH: Final = 256
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def base_name(filename: str | None, default: str = DEFAULT_NAME) -> str:
    """The last part of ``filename`` after any ``/`` or ``\\``, without control characters,
    at most 256 characters; ``default`` when nothing (or only ``.``/``..``) is left."""
    name = _UNSAFE.sub("", re.split(r"[/\\]", filename or "")[-1]).strip()
    if name in {"", ".", ".."}:
        return default
    return name[-MAX_NAME_LENGTH:] if len(name) > MAX_NAME_LENGTH else name


class BodyLimitMiddleware:
    """Caps request bodies before they are read, and asks for a login before accepting one.

    * A request body larger than the limit is refused with 413 from its ``Content-Length``
      before a byte is read; a chunked body is counted as it streams and refused with 413 the
      moment it passes the limit (the application sees the client disconnect and stops).
    * A request with a body to any path but ``public_paths`` (the login form) must come from a
      live session: otherwise 401 before the body is read. The principal found is kept for the
      request, so authentication runs once.
    * Public paths accept small bodies only (``anonymous_bytes``: a login form), or the cap a
      domain declares for its public path (``public_limits``: a complaint with its photos).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        anonymous_bytes: int,
        public_paths: Collection[str] = (),
        public_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.anonymous_bytes = anonymous_bytes
        self.public_paths = frozenset(public_paths)
        self.public_limits = dict(public_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        public = scope["path"] in self.public_paths or scope["path"] in self.public_limits
        if not public and not await _authenticated(scope):
            if _wants_page(scope):  # a form posted after the session ended: log in again
                await _redirect(send, f"/login?next={quote(scope['path'])}")
            else:
                await _refuse(send, 401, translate("auth.login_first"))
            return
        limit = (
            self.public_limits.get(scope["path"], self.anonymous_bytes)
            if public
            else self.max_bytes
        )
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, 413, _too_large(limit))
            return
        await self._capped(scope, receive, send, limit)

    async def _capped(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the application, refusing with 413 as soon as the streamed body passes ``limit``."""
        received = 0
        refused = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await _refuse(send, 413, _too_large(limit))
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the application says after is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def _has_body(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    length = headers.get(b"content-length")
    chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
    return chunked or (length is not None and length.strip() not in (b"", b"0"))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _authenticated(scope: Scope) -> bool:
    """Whether the request's session cookie belongs to a live session (the principal found is
    cached on the request, where ``current_principal`` picks it up)."""
    request = Request(scope)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    loader = request.app.state.principal_loader
    principal = await run_in_threadpool(loader, request.app.state.db, token)
    if principal is None:
        return False
    request.state.principal = principal
    return True


def _wants_page(scope: Scope) -> bool:
    accept = dict(scope.get("headers", [])).get(b"accept", b"")
    return not scope["path"].startswith("/api/") and b"text/html" in accept


async def _redirect(send: Send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("ascii")),
                (b"content-length", b"0"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _too_large(limit: int) -> str:
    return translate("upload.too_large").format(limit=_size_text(limit))


def _size_text(size: int) -> str:
    """``20 MB`` or ``64 KB`` (binary units, as the limits are set)."""
    if size >= 2**20:
        return f"{size / 2**20:g} MB"
    return f"{size / 2**10:g} KB"


async def _refuse(send: Send, status: int, detail: str) -> None:
    """Answer with a problem+json body (zh-CN) without reading the request."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": problem_title(status, DEFAULT_LANGUAGE),
            "status": status,
            "detail": detail,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


IMAGE_SIGNATURES: Final = (
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/gif", b"GIF8", 0),
    ("image/webp", b"WEBP", 8),
)
"""Image types recognised by their first bytes (the type a client declares is not trusted)."""


def image_type(content: bytes) -> str | None:
    """The image type ``content`` really is, by its signature (None: not a known image)."""
    for media, signature, offset in IMAGE_SIGNATURES:
        found = content[offset : offset + len(signature)] == signature
        if found and (media != "image/webp" or content[:4] == b"RIFF"):
            return media
    return None


def checked_image(filename: str, content: bytes, types: Collection[str], max_bytes: int) -> str:
    """The type of an uploaded image after the checks every image upload passes: not empty, at
    most ``max_bytes``, and really (by its bytes) one of ``types``; InputError (422) otherwise,
    naming the file. Stored images are served as attachments with this type."""
    name = base_name(filename)
    if not content:
        raise InputError(both("upload.image.empty", name=name))
    if len(content) > max_bytes:
        raise InputError(both("upload.image.large", name=name, limit=_size_text(max_bytes)))
    media = image_type(content)
    if media is None or media not in types:
        raise InputError(both("upload.image.type", name=name, types="、".join(sorted(types))))
    return media
