"""FastAPI application factory: mounts every domain's API and pages on the platform shell."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from ecogov import __version__
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, EcogovError
from ecogov.platform.http import verify_csrf
from ecogov.platform.plugins import domains, principal_loader
from ecogov.platform.settings import Settings, get_settings
from ecogov.platform.templating import render
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


def _problem(status: int, title: str, detail: str, request: Request) -> JSONResponse:
    """An RFC 9457 problem+json response."""
    return JSONResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.url.path,
        },
        status_code=status,
        media_type="application/problem+json",
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EcogovError)
    if _wants_html(request):
        if isinstance(exc, AuthenticationRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "detail": str(exc)},
            status_code=exc.status_code,
        )
    return _problem(exc.status_code, exc.title, str(exc), request)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return _problem(422, "Invalid input", details, request)


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
    return app
