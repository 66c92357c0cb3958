"""Surface-water JSON API under ``/api/v1/water``: sections, their data, evaluations, imports.

Every route needs a login; what it returns is limited to the caller's region scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile, status
from pydantic import BaseModel

from ecogov.monitoring.water import earlywarning, evaluation, maplayers, service
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.maps import feature_collection
from ecogov.platform.params import OptionalPeriodQuery, OptionalRegionQuery, PeriodQuery
from ecogov.platform.scope import Principal


class EvaluationOut(BaseModel):
    """An evaluation: its period, the period compared with, and one record per row."""

    period: str
    previous: str
    by: str
    rows: list[dict[str, Any]]


def router() -> APIRouter:
    """Routes under ``/api/v1/water``."""
    api = APIRouter(prefix="/water", tags=["water"])

    @api.get("/early-warning")
    def early_warning(
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[earlywarning.EarlyWarning]:
        """Per section and factor of the caller's scope, next month's prediction and the
        probability of exceeding the target-class limit, most probable first."""
        return earlywarning.assess(db, principal)

    @api.get("/sections")
    def list_sections(
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[service.SectionView]:
        """Sections in the caller's scope (within ``region``)."""
        return service.list_sections(db, principal, region)

    @api.get("/sections.geojson")
    def sections_geojson(
        period: OptionalPeriodQuery = None,
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """The located sections of a period as GeoJSON points with their water class (the
        map's sections layer; ``category`` is the class label)."""
        chosen = (
            evaluation.parse_period(period)
            if period
            else evaluation.default_period(db, principal, region)
        )
        if chosen is None:
            return feature_collection([])
        rows = evaluation.evaluate(db, principal, chosen, "section", region)
        return feature_collection(maplayers.section_features(rows.to_dicts()))

    @api.get("/sections/{code}")
    def get_section(
        code: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.SectionView:
        """One section."""
        return service.get_section(db, principal, code)

    @api.get("/sections/{code}/observations")
    def observations(
        code: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[dict[str, Any]]:
        """Every observation of a section: time (UTC), parameter (canonical code), value [GB
        3838 units] and flag."""
        return service.section_observations(db, principal, code).to_dicts()

    @api.get("/sections/{code}/history")
    def history(
        code: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[dict[str, Any]]:
        """The section's class month by month, with grade and main pollutants."""
        return evaluation.section_history(db, principal, code).to_dicts()

    @api.get("/evaluation", response_model=EvaluationOut)
    def evaluate(
        period: PeriodQuery,
        by: evaluation.EvaluationBy = Query("section"),
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> EvaluationOut:
        """Evaluation of a period per section, basin or city, with the same period a year
        before; shares in %, changes in percentage points."""
        chosen = evaluation.parse_period(period)
        rows = evaluation.evaluate(db, principal, chosen, by, region)
        return EvaluationOut(
            period=chosen.label, previous=chosen.previous.label, by=by, rows=rows.to_dicts()
        )

    @api.post("/imports/{kind}", status_code=status.HTTP_201_CREATED)
    def import_files(
        kind: str,
        uploads: Annotated[list[UploadFile], File(alias="files")],
        section: Annotated[str | None, Form()] = None,
        skip_bad_rows: Annotated[bool, Form()] = False,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.ImportReport:
        """Import sections (``sections``) or observations (``long``, ``wide``) from uploaded
        CSV or .xlsx files, in one transaction, all or nothing unless ``skip_bad_rows``;
        officers and admins only."""
        files = [(upload.filename or "upload", upload.file.read()) for upload in uploads]
        return service.import_files(
            db, principal, kind, files, section=section or None, skip_bad_rows=skip_bad_rows
        )

    return api
