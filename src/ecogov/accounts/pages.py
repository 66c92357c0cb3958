"""Login, logout and the account list."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecogov.accounts import service
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, TooManyRequests
from ecogov.platform.http import (
    SESSION_COOKIE,
    client_address,
    get_database,
    get_settings_of,
    require_user,
)
from ecogov.platform.i18n import translate
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.standards.timebase import BEIJING


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def router() -> APIRouter:
    """Page routes of the accounts domain."""
    pages = APIRouter()

    @pages.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str | None = None) -> HTMLResponse:
        """The login form."""
        return render(request, "accounts/login.html", {"next": _safe_next(next), "error": None})

    @pages.post("/login", response_model=None)
    def login(
        request: Request,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        next: Annotated[str | None, Form()] = None,
        db: Database = Depends(get_database),
    ) -> Response:
        """Check the password, open a session and go where the user was heading."""
        settings = get_settings_of(request)
        language = language_of(request)
        refused = {"next": _safe_next(next), "username": username}
        try:
            token, _ = service.login(
                db,
                username.strip(),
                password,
                settings.session_hours,
                client=client_address(request),
                rules=settings.login_throttle,
            )
        except TooManyRequests as exc:
            message = translate("auth.throttled", language).format(seconds=exc.retry_after)
            wait = render(
                request, "accounts/login.html", {**refused, "error": message}, status_code=429
            )
            wait.headers["Retry-After"] = str(exc.retry_after)
            return wait
        except AuthenticationRequired:
            message = translate("auth.failed", language)
            return render(
                request, "accounts/login.html", {**refused, "error": message}, status_code=401
            )
        response = RedirectResponse(_safe_next(next), status_code=303)
        secure = settings.cookie_secure
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https" if secure is None else secure,
            max_age=settings.session_hours * 3600,
        )
        return response

    @pages.post("/logout")
    def logout(request: Request, db: Database = Depends(get_database)) -> RedirectResponse:
        """End the session."""
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            service.logout(db, token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @pages.get("/users", response_class=HTMLResponse)
    def users_page(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Every account (admins), with the login limits an admin may lift."""
        return render(
            request,
            "accounts/users.html",
            {
                "users": service.list_users(db, principal, manage=True),
                "throttled": {
                    name: until.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
                    for name, until in service.throttled_accounts(db, principal).items()
                },
            },
        )

    @pages.post("/users/{username}/unlock")
    def unlock(
        username: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> RedirectResponse:
        """Lift every login limit of an account (admins; audited)."""
        service.unlock(db, principal, username)
        return RedirectResponse(f"/users?unlocked={quote(username)}", status_code=303)

    return pages
