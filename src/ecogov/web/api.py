"""Core JSON API: health (public) and the audit log (admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import text

from ecogov import __version__
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.migrate import current_revisions
from ecogov.platform.scope import Principal
from ecogov.web import audit_view


def router() -> APIRouter:
    """Routes under ``/api/v1``."""
    api = APIRouter()

    @api.get("/health", tags=["platform"])
    def health(db: Database = Depends(get_database)) -> dict[str, Any]:
        """Liveness and database reachability (deliberately public; reveals no data)."""
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {
            "status": "ok",
            "version": __version__,
            "database": db.backend,
            "schema": current_revisions(db.engine),
        }

    @api.get("/audit", tags=["platform"])
    def audit_log(
        actor: str | None = None,
        action: str | None = Query(None, description="action prefix, e.g. users."),
        entity: str | None = None,
        since: str | None = Query(None, description="first Beijing day, YYYY-MM-DD"),
        until: str | None = Query(None, description="last Beijing day, YYYY-MM-DD"),
        limit: int = Query(200, ge=1, le=5000),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[dict[str, Any]]:
        """Audit entries, newest first (admins)."""
        flt = audit_view.AuditFilter(actor, action, entity, since, until, limit)
        return audit_view.entries(db, principal, flt)

    return api
