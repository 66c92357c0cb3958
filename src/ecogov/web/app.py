"""FastAPI application factory: mounts every domain's API and pages on the platform shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecogov import __version__
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, EcogovError
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
from ecogov.platform.settings import Settings, get_settings
from ecogov.platform.templating import language_of, render
from ecogov.web import alerts_view
from ecogov.web import api as core_api
from ecogov.web import pages as core_pages
from ecogov.web.layout import layout_context

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/v1"


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
    return _problem(exc.status_code, exc.title, str(exc), request)


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


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the platform's web application for ``settings`` (default: the environment)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="ecogov",
        version=__version__,
        description="生态环境智慧治理平台 — eco-environment governance platform API",
        docs_url=f"{API_PREFIX}/docs",
        openapi_url=f"{API_PREFIX}/openapi.json",
        redoc_url=None,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    app.state.principal_loader = principal_loader()
    app.add_exception_handler(EcogovError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _database_refusal)
    app.add_exception_handler(DataError, _database_refusal)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(core_api.router(), prefix=API_PREFIX)
    app.include_router(core_pages.router(), dependencies=[Depends(layout_context)])
    app.include_router(alerts_view.api_router(), prefix=API_PREFIX)
    app.include_router(alerts_view.pages_router(), dependencies=[Depends(layout_context)])
    for domain in domains():
        if domain.api is not None:
            app.include_router(domain.api(), prefix=API_PREFIX)
        if domain.pages is not None:
            app.include_router(domain.pages(), dependencies=[Depends(layout_context)])
    document_problems(app, API_PREFIX)
    return app
