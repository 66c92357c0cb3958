"""Server-rendered pages: one Jinja environment over the web layout and every domain's templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from ecogov.platform.audit import AUDIT_KIND
from ecogov.platform.cache import SHARE_HEADER
from ecogov.platform.clock import beijing_time
from ecogov.platform.http import (
    LANGUAGE_COOKIE,
    NONCE_COOKIE,
    csrf_token,
    current_principal,
)
from ecogov.platform.i18n import pick_language, translate
from ecogov.platform.periods import as_period, period_choices, period_text
from ecogov.platform.permissions import allowed
from ecogov.platform.plugins import NavItem, domains
from ecogov.platform.scope import Principal
from ecogov.platform.security import csp_nonce

CORE_NAV = (
    NavItem("nav.home", "/", order=0),
    NavItem("nav.alerts", "/alerts", order=32, requires=("read", "platform.alerts")),
    NavItem("nav.audit", "/audit", order=99, requires=("read", AUDIT_KIND.key)),
)
WEB_TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


@cache
def environment() -> Environment:
    """The Jinja environment: the web layout first, then each domain's template folder."""
    folders = [WEB_TEMPLATES] + [d.templates for d in domains() if d.templates is not None]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # the one period picker (web/templates/_period.html) and period names on every page
    env.globals.update(as_period=as_period, period_choices=period_choices, period_text=period_text)
    env.filters["beijing_time"] = beijing_time
    return env


def language_of(request: Request) -> str:
    """The page language: ``?lang=`` first, then the cookie, else zh-CN."""
    return pick_language(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))


def navigation(principal: Principal) -> list[NavItem]:
    """The navigation entries this principal may use, in display order."""
    items = [*CORE_NAV, *(item for d in domains() for item in d.nav)]
    visible = [item for item in items if item.visible_to(principal)]
    return sorted(visible, key=lambda item: (item.order, item.path))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    *,
    per_user: bool = False,
) -> HTMLResponse:
    """Render ``template`` with the layout's context (user, language, navigation, CSRF token,
    the nonce inline scripts carry).

    A page shown to a logged-in user depends on what the user may see (role, region,
    enterprise), the address, the language and the cookies: it says so (:data:`SHARE_HEADER`)
    and the platform's response cache may show it to every user who sees the same, for
    ``page_cache_seconds`` or until the next audited change. A page that also depends on who
    the user is (their own tasks) passes ``per_user=True``."""
    principal = current_principal(request)
    language = language_of(request)
    token = csrf_token(request)
    values: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "lang": language,
        # pages show a form or a button only when the permission table allows the action
        "may": lambda action, kind, subject=None: allowed(principal, action, kind, subject),
        "_": lambda key: translate(key, language),
        "nav": navigation(principal),
        "csrf_token": token,
        "csp_nonce": csp_nonce(request),
        "switcher": getattr(request.state, "switcher", None),
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    if principal.is_authenticated and request.method == "GET" and not per_user:
        response.headers[SHARE_HEADER.decode()] = "visibility"
    new_nonce = getattr(request.state, "new_nonce", None)
    if new_nonce is not None:
        response.set_cookie(
            NONCE_COOKIE,
            new_nonce,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
