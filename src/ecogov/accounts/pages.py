"""Login, logout and the account list."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecogov.accounts import service
from ecogov.platform.db import Database
from ecogov.platform.errors import (
    AuthenticationRequired,
    Conflict,
    EcogovError,
    InputError,
    TooManyRequests,
)
from ecogov.platform.http import (
    SESSION_COOKIE,
    client_address,
    get_database,
    get_settings_of,
    require_user,
)
from ecogov.platform.i18n import translate
from ecogov.platform.scope import Principal, Role
from ecogov.platform.templating import language_of, render
from ecogov.standards.timebase import BEIJING


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


DONE = ("created", "updated", "disabled", "enabled", "password")
"""Outcomes of the admin's forms, announced on the users list (``?done=…&username=…``)."""


async def _form(request: Request) -> dict[str, str]:
    """The submitted text fields, trimmed (passwords as typed), without the CSRF token."""
    data = await request.form()
    return {
        key: value if key.startswith("password") else value.strip()
        for key, value in data.items()
        if key != "csrf_token" and isinstance(value, str)
    }


def _role(text: str) -> Role:
    """The role chosen in a form; an unknown value is refused in Chinese."""
    try:
        return Role(text)
    except ValueError:
        raise InputError(f"请选择角色（choose a role）: {text!r}") from None


def _enterprise(text: str) -> int | None:
    """The enterprise chosen in a form (empty: none)."""
    if not text:
        return None
    if not text.isdigit() or len(text) > 10:
        raise InputError(
            f"企业编号须为正整数（the enterprise id must be a positive integer）: {text!r}"
        )
    return int(text)


def _matching_password(form: dict[str, str]) -> str:
    """The new password, refused when its confirmation differs."""
    password = form.get("password", "")
    if password != form.get("password_confirm", ""):
        zh = translate("users.password_mismatch")
        raise InputError(f"{zh}（{translate('users.password_mismatch', 'en')}）")
    return password


def _form_of(user: service.UserView) -> dict[str, str]:
    """An account's fields as the edit form shows them."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "region_code": user.region_code or "",
        "enterprise_id": "" if user.enterprise_id is None else str(user.enterprise_id),
    }


def _user_form(
    request: Request,
    db: Database,
    principal: Principal,
    user: service.UserView | None,
    form: dict[str, str],
    error: EcogovError | None = None,
    failed: str = "account",
) -> HTMLResponse:
    """The new-account form (``user`` None) or an account's edit page, with ``error`` shown
    above the form that was refused (``failed``: ``account`` or ``password``)."""
    provinces = get_settings_of(request).boundary_province_codes
    return render(
        request,
        "accounts/user_form.html",
        {
            "user": user,
            "form": {key: value for key, value in form.items() if not key.startswith("password")},
            "roles": [role for role in Role if role is not Role.PUBLIC],
            "regions": service.assignable_regions(db, principal, provinces),
            "enterprises": service.enterprise_choices(db, principal),
            "min_password": service.MIN_PASSWORD_LENGTH,
            "error": None if error is None else str(error),
            "failed": failed,
        },
        status_code=200 if error is None else error.status_code,
    )


def _done(username: str, outcome: str) -> RedirectResponse:
    return RedirectResponse(f"/users?done={outcome}&username={quote(username)}", status_code=303)


def _done_notice(request: Request) -> str | None:
    """The notice of the last form's outcome, from the redirect's query string."""
    outcome = request.query_params.get("done")
    if outcome not in DONE:
        return None
    username = request.query_params.get("username", "")
    return translate(f"users.done.{outcome}", language_of(request)).format(username=username)


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
                "done": _done_notice(request),
                "region_names": {
                    choice.code: choice.name
                    for choices in service.assignable_regions(
                        db, principal, get_settings_of(request).boundary_province_codes
                    ).values()
                    for choice in choices
                },
                "enterprise_names": service.enterprise_choices(db, principal) or {},
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

    @pages.get("/users/new", response_class=HTMLResponse)
    def new_user(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """The form for a new account (admins)."""
        return _user_form(request, db, principal, None, {})

    @pages.post("/users/new", response_model=None)
    async def create_user(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """Create an account; a refused form is shown again with the reason in Chinese."""
        form = await _form(request)
        try:
            user = service.create_user(
                db,
                principal,
                username=form.get("username", ""),
                password=_matching_password(form),
                role=_role(form.get("role", "")),
                display_name=form.get("display_name") or None,
                region_code=form.get("region_code") or None,
                enterprise_id=_enterprise(form.get("enterprise_id", "")),
                verify_enterprise=True,
            )
        except (InputError, Conflict) as exc:
            return _user_form(request, db, principal, None, form, exc)
        return _done(user.username, "created")

    @pages.get("/users/{username}/edit", response_class=HTMLResponse)
    def edit_user(
        username: str,
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """An account's edit form, its enable/disable switch and its password reset (admins)."""
        user = service.get_user(db, principal, username)
        return _user_form(request, db, principal, user, _form_of(user))

    @pages.post("/users/{username}/edit", response_model=None)
    async def update_user(
        username: str,
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """Save an account's display name, role, region and enterprise (admins; audited)."""
        user = service.get_user(db, principal, username)
        form = await _form(request)
        try:
            service.update_user(
                db,
                principal,
                username,
                display_name=form.get("display_name") or None,
                role=_role(form.get("role", "")),
                region_code=form.get("region_code") or None,
                enterprise_id=_enterprise(form.get("enterprise_id", "")),
            )
        except (InputError, Conflict) as exc:
            return _user_form(request, db, principal, user, form, exc)
        return _done(username, "updated")

    @pages.post("/users/{username}/active", response_model=None)
    async def set_active(
        username: str,
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """Disable (``active=0``) or enable (``active=1``) an account (admins; audited)."""
        user = service.get_user(db, principal, username)
        form = await _form(request)
        active = form.get("active") == "1"
        try:
            service.set_active(db, principal, username, active)
        except (InputError, Conflict) as exc:
            return _user_form(request, db, principal, user, _form_of(user), exc)
        return _done(username, "enabled" if active else "disabled")

    @pages.post("/users/{username}/password", response_model=None)
    async def reset_password(
        username: str,
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """Set a new password and end the account's sessions (admins; audited)."""
        user = service.get_user(db, principal, username)
        form = await _form(request)
        try:
            password = _matching_password(form)
            service.reset_password(db, principal, username, password)
        except (InputError, Conflict) as exc:
            return _user_form(request, db, principal, user, _form_of(user), exc, "password")
        return _done(username, "password")

    return pages
