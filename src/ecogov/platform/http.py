"""HTTP plumbing shared by every domain's API and page routers: database, principal, CSRF.

Authentication is by a server-side session whose random token travels in an HttpOnly cookie.
CSRF protection is the signed double-submit pattern: the token is an HMAC of the session token
(or, before login, of an anonymous nonce cookie) under the secret key, and every unsafe request
must echo it in a form field ``csrf_token`` or the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from fastapi import Depends, Request

from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, PermissionDenied
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.plugins import PrincipalLoader
from ecogov.platform.scope import ANONYMOUS, Principal
from ecogov.platform.settings import Settings

ERRORS: Final[Catalogue] = {
    "auth.csrf_missing": (
        "缺少 CSRF 令牌：请先打开表单页面再提交",
        "CSRF token missing: load the form page first, then submit it",
    ),
    "auth.csrf_invalid": (
        "CSRF 令牌缺失或无效：请刷新页面后重试",
        "CSRF token missing or invalid: reload the page and try again",
    ),
}
register(ERRORS)

SESSION_COOKIE = "ecogov_session"
NONCE_COOKIE = "ecogov_nonce"
LANGUAGE_COOKIE = "ecogov_lang"
REGION_COOKIE = "ecogov_region"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    """The application's database (set by the app factory)."""
    db = request.app.state.db
    assert isinstance(db, Database)
    return db


def get_settings_of(request: Request) -> Settings:
    """The application's settings (set by the app factory)."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def current_principal(request: Request) -> Principal:
    """Who is calling: the session's user, or the anonymous public."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    loader: PrincipalLoader = request.app.state.principal_loader
    principal = loader(get_database(request), request.cookies.get(SESSION_COOKIE)) or ANONYMOUS
    request.state.principal = principal
    return principal


def require_user(principal: Principal = Depends(current_principal)) -> Principal:
    """Any logged-in user; anonymous callers get 401 (pages redirect to the login form)."""
    if not principal.is_authenticated:
        raise AuthenticationRequired(both("auth.login_first"))
    return principal


def _csrf_subject(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(NONCE_COOKIE)


def csrf_token_for(secret_key: str, subject: str) -> str:
    """The CSRF token bound to a session token or nonce."""
    return hmac.new(secret_key.encode(), subject.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token for this request's session, minting an anonymous nonce when needed."""
    subject = _csrf_subject(request)
    if subject is None:
        subject = getattr(request.state, "new_nonce", None) or secrets.token_urlsafe(24)
        request.state.new_nonce = subject
    return csrf_token_for(get_settings_of(request).secret_key, subject)


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose CSRF token is missing or wrong (applied to every route)."""
    if request.method in SAFE_METHODS:
        return
    subject = _csrf_subject(request)
    if subject is None:
        raise PermissionDenied(both("auth.csrf_missing"))
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = csrf_token_for(get_settings_of(request).secret_key, subject)
    if sent is None or not hmac.compare_digest(sent, expected):
        raise PermissionDenied(both("auth.csrf_invalid"))


def client_address(request: Request) -> str:
    """The calling client's IP address, as the server saw it. Behind a reverse proxy, uvicorn's
    ``--proxy-headers`` (with ``--forwarded-allow-ips`` naming the proxy) puts the forwarded
    address here; a client's own ``X-Forwarded-For`` is never trusted."""
    return request.client.host if request.client is not None else "unknown"


def selected_region(request: Request, principal: Principal) -> str | None:
    """The region the user is looking at: the switcher's cookie if within scope, else home."""
    wanted = request.query_params.get("region") or request.cookies.get(REGION_COOKIE)
    if (
        wanted
        and len(wanted) == 6
        and wanted.isdigit()
        and (principal.sees_everything or principal.can_see_region(wanted))
    ):
        return wanted
    return principal.region_code


def shown_region(request: Request, principal: Principal) -> str:
    """The region the pages show: the selected one (:func:`selected_region`), else, for a user
    without a region of their own (an admin), the platform's home province."""
    return (
        selected_region(request, principal) or get_settings_of(request).boundary_province_codes[0]
    )


def holds(request: Request, etag: str) -> bool:
    """Whether the client already holds the representation tagged ``etag`` (its
    ``If-None-Match`` names it, weakly or strongly, or is ``*``): answer 304 then."""
    return names(request.headers.get("if-none-match", ""), etag)


def names(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header value names ``etag`` (weakly or strongly) or is
    ``*``."""
    return if_none_match.strip() == "*" or etag in {
        tag.strip().removeprefix("W/") for tag in if_none_match.split(",")
    }
