"""Security headers on every response, and the per-request nonce of the inline scripts.

One ASGI middleware adds, to every HTTP response of the application (pages, API, static files,
errors):

* ``Content-Security-Policy``: everything from our own origin only; scripts only from
  ``/static`` or inline with this response's nonce (``<script nonce="{{ csp_nonce }}">``), no
  inline event handlers, no plug-ins; ``frame-ancestors 'none'`` so no page can be framed.
  Inline *styles* stay allowed: ECharts and the templates position elements with them, and
  styles cannot run script.
* ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``;
* ``Strict-Transport-Security`` only on HTTPS requests. Behind a reverse proxy the scheme comes
  from the server (uvicorn's ``--proxy-headers`` with ``--forwarded-allow-ips`` trusts
  ``X-Forwarded-Proto`` from the proxy it names), never from an arbitrary client's header.
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY: Final = "csp_nonce"
HSTS_SECONDS: Final = 31_536_000
CSP_DIRECTIVES: Final = (
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def content_security_policy(nonce: str) -> str:
    """The policy of a response whose inline scripts carry ``nonce``."""
    return "; ".join(CSP_DIRECTIVES).format(nonce=nonce)


def security_headers(nonce: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (HSTS only when the request came over HTTPS)."""
    headers = [
        (b"content-security-policy", content_security_policy(nonce).encode("ascii")),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https:
        headers.append(
            (b"strict-transport-security", f"max-age={HSTS_SECONDS}; includeSubDomains".encode())
        )
    return headers


def csp_nonce(request: Request) -> str:
    """This request's script nonce ('' outside the middleware, e.g. in a bare test app)."""
    nonce = request.scope.get("state", {}).get(NONCE_KEY)
    return nonce if isinstance(nonce, str) else ""


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` to every HTTP response, with a fresh nonce per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})[NONCE_KEY] = nonce
        extra = security_headers(nonce, scope.get("scheme") == "https")
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)
