"""Emergency JSON API under ``/api/v1/emergency``: the warnings with their decision trail, the
officers' moves, a suggestion from the installed forecast, and the emergency-reduction list with
its import. Every endpoint needs a login; the permission table decides the rest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field

from ecogov.emergency import review, service
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.http import get_database, require_user
from ecogov.platform.i18n import both
from ecogov.platform.params import IdPath
from ecogov.platform.scope import Principal

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]


class MoveIn(BaseModel):
    """An officer's decision: the note (required by the machine) and, to publish at another
    level or to adjust, the level."""

    note: str = Field(max_length=2000)
    level: str | None = Field(None, description="blue, yellow, orange or red")


class SuggestIn(BaseModel):
    """The city to suggest a warning for from its forecast."""

    city_code: str = Field(pattern=r"^\d{6}$")


def suggest_from_forecast(db: Database, principal: Principal, city_code: str) -> int | None:
    """Suggest with the installed forecast domain's forecast; a 409 saying so when there is
    none (the pages show the same notice)."""
    source = service.forecast_source()
    if source is None:
        raise Conflict(both("emergency.no_forecast_source"))
    return service.suggest(db, principal, city_code, source)


def router() -> APIRouter:
    """Routes under ``/api/v1/emergency``."""
    api = APIRouter(prefix="/emergency", tags=["emergency"])

    @api.get("/warnings")
    def warnings(db: Db, principal: User) -> list[service.WarningView]:
        """The warnings of the caller's region, newest first (without their trails)."""
        return service.warnings(db, principal)

    @api.get("/warnings/{warning_id}")
    def warning(warning_id: IdPath, db: Db, principal: User) -> service.WarningView:
        """A warning with its decision trail, oldest decision first."""
        return service.get(db, principal, warning_id)

    @api.get("/warnings/{warning_id}/review")
    def warning_review(warning_id: IdPath, db: Db, principal: User) -> review.Review:
        """After lifting: forecast vs observed AQI per day, and per enterprise of the list the
        ratio of its hourly emissions during the warning to the week before, per factor."""
        return review.review(db, principal, warning_id)

    @api.post("/warnings/{warning_id}/moves/{action}")
    def move(
        warning_id: IdPath, action: str, body: MoveIn, db: Db, principal: User
    ) -> dict[str, str]:
        """publish, reject, adjust or lift, with the officer's note; returns the new state."""
        state = service.decide(db, principal, warning_id, action, body.note, body.level)
        return {"state": state}

    @api.post("/warnings/suggest")
    def suggest(body: SuggestIn, db: Db, principal: User) -> dict[str, int | None]:
        """Suggest a warning for the city from its forecast; ``id`` is None when no level
        holds, else the suggested (or already open) warning."""
        return {"id": suggest_from_forecast(db, principal, body.city_code)}

    @api.get("/reductions")
    def reductions(db: Db, principal: User, level: str | None = None) -> list[service.ReductionRow]:
        """The emergency-reduction list in the caller's scope (an enterprise: its own)."""
        return service.reduction_list(db, principal, level=level)

    @api.post("/reductions/import", status_code=201)
    async def import_list(
        db: Db,
        principal: User,
        file: Annotated[UploadFile, File()],
        skip_bad_rows: Annotated[bool, Form()] = False,
    ) -> service.ImportResult:
        """Import the list (CSV or xlsx): idempotent, all or nothing by default."""
        content = await file.read()
        name = file.filename or "应急减排清单.xlsx"
        return service.import_measures(db, principal, name, content, skip_bad_rows=skip_bad_rows)

    return api
