"""FastAPI application factory: mounts every domain's API and pages on the platform shell."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecogov import __version__
from ecogov.platform.cache import ResponseCache, SharedShelf, shelf_folder
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, EcogovError, TooManyRequests
from ecogov.platform.http import verify_csrf
from ecogov.platform.i18n import translate
from ecogov.platform.plugins import domains, principal_loader
from ecogov.platform.problems import (
    PROBLEM_MEDIA_TYPE,
    document_problems,
    http_error_text,
    invalid_parameters,
    validation_detail,
)
from ecogov.platform.security import SecurityHeadersMiddleware, csp_nonce
from ecogov.platform.settings import Settings, get_settings
from ecogov.platform.templating import language_of, render
from ecogov.platform.uploads import BodyLimitMiddleware
from ecogov.web import alerts_view, imports_view, map_api
from ecogov.web import api as core_api
from ecogov.web import pages as core_pages
from ecogov.web.layout import layout_context

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/v1"
PUBLIC_WRITE_PATHS = ("/login", "/logout")
"""The shell's paths that accept a request body before login; domains add theirs
(``Domain.public_write_paths``)."""
SWAGGER_UI = "/static/vendor/swagger-ui"
"""Swagger UI's assets, copied from the npm package swagger-ui-dist by ``make assets``."""


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX) and "text/html" in request.headers.get(
        "accept", ""
    )


def _problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem+json response."""
    return JSONResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.url.path,
            **extra,
        },
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EcogovError)
    if _wants_html(request):
        if isinstance(exc, AuthenticationRequired):
            # The path is user input: percent-encode it, a header carries Latin-1 only.
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "detail": str(exc)},
            status_code=exc.status_code,
        )
    response = _problem(exc.status_code, exc.title(language_of(request)), str(exc), request)
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    language = language_of(request)
    invalid = invalid_parameters(exc.errors(), language)
    if _wants_html(request):
        detail = validation_detail(invalid, language)
        return render(request, "error.html", {"status": 422, "detail": detail}, status_code=422)
    return _problem(
        422,
        translate("problem.invalid", language),
        validation_detail(invalid, language),
        request,
        errors=[item.model_dump() for item in invalid],
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """A refusal of the routing itself (no such path, wrong method) as a problem in Chinese."""
    assert isinstance(exc, StarletteHTTPException)
    title, detail = http_error_text(exc.status_code, language_of(request))
    if _wants_html(request):
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "detail": detail},
            status_code=exc.status_code,
        )
    response = _problem(exc.status_code, title, detail, request)
    response.headers.update(exc.headers or {})
    return response


async def _database_refusal(request: Request, exc: Exception) -> Response:
    """A constraint no service check caught (409) or a value no column holds (422)."""
    language = language_of(request)
    if isinstance(exc, IntegrityError):
        title, detail, status = "problem.conflict", "problem.integrity", 409
    else:
        title, detail, status = "problem.invalid", "problem.data", 422
    return _problem(status, translate(title, language), translate(detail, language), request)


async def _api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over our OpenAPI schema, from our own static files (no CDN), its inline
    script carrying the response's CSP nonce."""
    page = get_swagger_ui_html(
        openapi_url=f"{API_PREFIX}/openapi.json",
        title="ecogov API",
        swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
    )
    html = bytes(page.body).decode("utf-8")
    return HTMLResponse(html.replace("<script>", f'<script nonce="{csp_nonce(request)}">'))


WARM_UP_CLIENT = ("warm-up", 0)
"""The address a worker's start-up requests come from (never a visitor's, for rate limits)."""


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Ask the app once for every domain's ``warm_paths`` before the worker takes visitors:
    the first of them found routes, templates and results ready (measured: the portal's home
    took 2 s cold, of which 1.9 s were such one-time set-up, and 5 ms warm)."""
    if app.state.settings.warm_up:
        # A path that fails (an empty database, a domain's bug) must not keep the worker from
        # serving: its answer is dropped like the others'.
        transport = httpx.ASGITransport(app, raise_app_exceptions=False, client=WARM_UP_CLIENT)
        async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
            for domain in domains():
                for path in domain.warm_paths:
                    await client.get(path, headers={"accept": "text/html"})
    yield


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the platform's web application for ``settings`` (default: the environment)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="ecogov",
        version=__version__,
        description="生态环境智慧治理平台 — eco-environment governance platform API",
        docs_url=None,  # served by _api_docs from our own copy of Swagger UI
        openapi_url=f"{API_PREFIX}/openapi.json",
        redoc_url=None,
        dependencies=[Depends(verify_csrf)],
        lifespan=_warm_up,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    app.state.principal_loader = principal_loader()
    app.add_exception_handler(EcogovError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _database_refusal)
    app.add_exception_handler(DataError, _database_refusal)
    for domain in domains():
        if domain.static is not None:
            # Before /static, which would otherwise answer these paths with 404.
            app.mount(
                f"/static/{domain.name}",
                StaticFiles(directory=domain.static),
                name=f"static-{domain.name}",
            )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_request_mb * 2**20,
        anonymous_bytes=settings.anonymous_request_kb * 2**10,
        public_paths=PUBLIC_WRITE_PATHS,
        public_limits={
            public.path: (public.max_kb or settings.anonymous_request_kb) * 2**10
            for domain in domains()
            for public in domain.public_write_paths
        },
    )
    # before routing: public answers and shareable pages replayed
    shelf = (
        SharedShelf(shelf_folder(settings.page_cache_dir, settings.database_url))
        if settings.page_cache_seconds
        else None
    )
    app.add_middleware(
        ResponseCache,
        page_seconds=settings.page_cache_seconds,
        not_pages=(f"{API_PREFIX}/", "/static/"),
        shelf=shelf,
    )
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: its headers reach every answer
    app.add_api_route(f"{API_PREFIX}/docs", _api_docs, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(core_api.router(), prefix=API_PREFIX)
    app.include_router(map_api.router(), prefix=API_PREFIX)
    app.include_router(imports_view.api_router(), prefix=API_PREFIX)
    app.include_router(core_pages.router(), dependencies=[Depends(layout_context)])
    app.include_router(imports_view.router(), dependencies=[Depends(layout_context)])
    app.include_router(alerts_view.api_router(), prefix=API_PREFIX)
    app.include_router(alerts_view.pages_router(), dependencies=[Depends(layout_context)])
    for domain in domains():
        if domain.api is not None:
            app.include_router(domain.api(), prefix=API_PREFIX)
        if domain.pages is not None:
            app.include_router(domain.pages(), dependencies=[Depends(layout_context)])
    document_problems(app, API_PREFIX)
    return app
