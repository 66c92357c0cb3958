"""The big screen's JSON snapshot (thin): ``GET /api/v1/bigscreen?region=…``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from ecogov.bigscreen import service
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, holds, require_user, shown_region
from ecogov.platform.params import OptionalRegionQuery
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]


def router() -> APIRouter:
    """API routes of the big screen."""
    api = APIRouter(tags=["bigscreen"])

    @api.get("/bigscreen")
    def snapshot(
        request: Request, db: Db, principal: User, region: OptionalRegionQuery = None
    ) -> Response:
        """A region's snapshot for the wall (default: the region the pages show): air map and
        ranking, water classes, online alerts of 24 h, rectification items, complaints today,
        targets' traffic lights. 304 when the client holds it (``If-None-Match``)."""
        chosen = region or shown_region(request, principal)
        found = service.snapshot(db, principal, chosen, language_of(request))
        headers = {"ETag": found.etag, "Cache-Control": "private, no-cache"}
        if holds(request, found.etag):
            return Response(status_code=304, headers=headers)
        return Response(found.body, media_type="application/json", headers=headers)

    return api
