"""Login, logout and the account list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecogov.accounts import service
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired
from ecogov.platform.http import (
    SESSION_COOKIE,
    get_database,
    get_settings_of,
    require_user,
)
from ecogov.platform.scope import Principal
from ecogov.platform.templating import render


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
        try:
            token, _ = service.login(db, username.strip(), password, settings.session_hours)
        except AuthenticationRequired as exc:
            return render(
                request,
                "accounts/login.html",
                {"next": _safe_next(next), "error": str(exc), "username": username},
                status_code=401,
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
        """Every account (admins)."""
        users = service.list_users(db, principal, manage=True)
        return render(request, "accounts/users.html", {"users": users})

    return pages
