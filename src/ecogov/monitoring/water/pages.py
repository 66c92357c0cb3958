"""Surface-water pages (水环境): the section map of a period, section pages, basin and city
tables, drinking-water sources, exports and the import form. Every page needs a login and shows
only the sections of the selected region within the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ecogov.engine.water import CLASS_LABELS, ITEM_CODES, limits_frame
from ecogov.engine.water_means import beijing_local
from ecogov.monitoring.water import earlywarning, evaluation, exports, maplayers, service
from ecogov.monitoring.water.maplayers import CLASS_COLOURS
from ecogov.platform import maps, tables
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.exports import DOWNLOAD_RESPONSES, download_spec
from ecogov.platform.http import get_database, get_settings_of, require_user, selected_region
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.params import OptionalPeriodQuery
from ecogov.platform.scope import Principal
from ecogov.platform.tables import Choice, SortKey, TableSpec
from ecogov.platform.templating import language_of, render
from ecogov.regions import service as regions
from ecogov.regions.service import RegionView
from ecogov.standards.water_assessment import lookup_item

ERRORS: Final[Catalogue] = {
    "water.error.no_data": ("本区域尚无地表水数据", "no surface-water data in this region yet"),
    "water.error.no_page": ("没有地表水页面 {table!r}", "no water page {table!r}"),
    "water.error.no_export": (
        "没有导出 {name!r}：应为 <表>.csv 或 <表>.xlsx，表为 {tables} 之一",
        "no export {name!r}: use <table>.csv or <table>.xlsx, table one of {tables}",
    ),
}
register(ERRORS)

TABLES: Final = ("sections", "basins", "cities", "drinking")
"""Tables the pages show and export."""


@dataclass(frozen=True)
class View:
    """What every water page shows: the region, its trail and the period (None without data)."""

    region: RegionView
    trail: list[RegionView]
    period: evaluation.Period | None


def _view(request: Request, db: Database, principal: Principal, period: str | None) -> View:
    default = get_settings_of(request).boundary_province_codes[0]
    code = selected_region(request, principal) or default
    regions.ensure_visible(principal, code)
    chosen = (
        evaluation.parse_period(period)
        if period
        else evaluation.default_period(db, principal, code)
    )
    return View(
        region=regions.get_region(db, principal, code),
        trail=regions.lineage(db, principal, code),
        period=chosen,
    )


_TABLE_BY: Final[dict[str, evaluation.EvaluationBy]] = {
    "sections": "section",
    "basins": "basin",
    "cities": "city",
    "drinking": "section",
}


def _table(db: Database, principal: Principal, view: View, table: str) -> pl.DataFrame:
    """The rows of one of :data:`TABLES` for the view's region and period."""
    if view.period is None:
        raise NotFound(both("water.error.no_data"))
    rows = evaluation.evaluate(db, principal, view.period, _TABLE_BY[table], view.region.code)
    return rows.filter(pl.col("drinking_source")) if table == "drinking" else rows


_CLASS_ORDER: Final = {label: number for number, label in CLASS_LABELS.items()}


def _class_number(column: str) -> Callable[[dict[str, Any]], int | None]:
    """A row's class as a number (I = 1 … 劣V = 6) for sorting; worst first is ``-class``."""
    return lambda row: _CLASS_ORDER.get(row[column]) if row[column] else None


def _verdict(column: str, yes: str, no: str) -> Callable[[dict[str, Any]], str | None]:
    """A yes/no/unknown column as the word of its message key (``water.<word>``)."""
    return lambda row: None if row[column] is None else (yes if row[column] else no)


def _field(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[column]


_SECTION_SORTS: Final = (
    SortKey("section", "water.code", _field("section")),
    SortKey("name", "water.name", _field("name")),
    SortKey("water_name", "water.water_name", _field("water_name")),
    SortKey("class", "water.class", _class_number("class")),
    SortKey("months", "water.months", _field("months")),
)
_SECTION_SEARCH: Final = lambda row: " ".join(  # noqa: E731
    str(row[key] or "") for key in ("section", "name", "water_name", "basin")
)
_CLASS_CHOICE: Final = Choice("class", "water.class", _field("class"))
SECTIONS_TABLE: Final = TableSpec(
    name="sections",
    sorts=(
        *_SECTION_SORTS,
        SortKey("basin", "water.basin", _field("basin")),
        SortKey("level", "water.level", _field("control_level")),
        SortKey("target", "water.target", _class_number("target")),
        SortKey("attains", "water.attains", _field("attains")),
        SortKey("class_prev", "water.previous", _class_number("class_prev")),
    ),
    choices=(
        _CLASS_CHOICE,
        Choice("basin", "water.basin", _field("basin")),
        Choice("level", "water.level", _field("control_level"), option_label="water.level."),
        Choice("attains", "water.attains", _verdict("attains", "met", "missed"), "water."),
    ),
    search=_SECTION_SEARCH,
)
"""The section table of ``/water``: ``?sort=-class`` lists the worst sections first."""
DRINKING_TABLE: Final = TableSpec(
    name="drinking",
    sorts=(
        *_SECTION_SORTS,
        SortKey("compliance", "water.compliance", _field("drinking_compliant")),
        SortKey("class_prev", "water.previous", _class_number("class_prev")),
    ),
    choices=(
        _CLASS_CHOICE,
        Choice(
            "compliance",
            "water.compliance",
            _verdict("drinking_compliant", "compliant", "noncompliant"),
            "water.",
        ),
    ),
    search=_SECTION_SEARCH,
)
"""The drinking-water-source table of ``/water/drinking``."""


def _map(request: Request, principal: Principal, view: View, rows: pl.DataFrame | None) -> Any:
    """The section map: the period's located sections, coloured by class, over the region."""
    features = maplayers.section_features(rows.to_dicts()) if rows is not None else []
    period = f"&period={view.period.label}" if view.period else ""
    return maps.config(
        principal,
        view.region.code,
        language_of(request),
        drill="/water?region={code}" + period,
        visible={"sections"},
        features={"sections": features},
    )


def _limits(water_body: str) -> dict[str, dict[str, list[float | None]]]:
    """Class I–V bounds of every classified item for the section chart, by item code."""
    rows = limits_frame().filter((pl.col("water_body") == water_body) & pl.col("classified"))
    return {
        str(row["parameter"]): {
            side: [row[f"{side}_{k}"] for k in range(1, 6)] for side in ("lower", "upper")
        }
        for row in rows.iter_rows(named=True)
    }


def _beijing_text(time: pl.Expr) -> pl.Expr:
    """A UTC instant shown in Beijing time, to the minute (midnight samples as the date)."""
    local = beijing_local(time)
    midnight = local.dt.time() == pl.time(0)
    return (
        pl.when(midnight)
        .then(local.dt.strftime("%Y-%m-%d"))
        .otherwise(local.dt.strftime("%Y-%m-%d %H:%M"))
    )


def _item_names(codes: list[str]) -> dict[str, str]:
    return {code: lookup_item(code).name_zh for code in codes}


EARLY_WARNING_TABLE = TableSpec(
    name="early-warning",
    sorts=(
        SortKey("probability", "water.early_warning.probability", lambda w: w.probability),
        SortKey("section", "water.name", lambda w: w.section_code),
    ),
    choices=(
        Choice("section", "water.code", lambda w: w.section_code),
        Choice("parameter", "water.parameter", lambda w: w.parameter),
    ),
    search=lambda w: f"{w.section_code} {w.section_name} {w.parameter}",
    default_sort="-probability",
)


def router() -> APIRouter:
    """Page routes of the surface-water domain."""
    pages = APIRouter()

    @pages.get("/water", response_class=HTMLResponse)
    def overview(
        request: Request,
        period: OptionalPeriodQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Map of the region's sections coloured by class, totals and the section table."""
        view = _view(request, db, principal, period)
        rows = _table(db, principal, view, "sections") if view.period else None
        dicts = rows.to_dicts() if rows is not None else []
        return render(
            request,
            "water/overview.html",
            {
                "view": view,
                "rows": dicts,
                "table": tables.table_page(SECTIONS_TABLE, dicts, request),
                "map_config": _map(request, principal, view, rows),
                "totals": evaluation.summarize(rows) if rows is not None else None,
                "colours": CLASS_COLOURS,
                "simulated": rows is not None and bool(rows["simulated"].any()),
            },
        )

    @pages.get("/water/sections/{code}", response_class=HTMLResponse)
    def section_page(
        request: Request,
        code: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """A section: its details, class month by month, and each item against class limits."""
        section = service.get_section(db, principal, code)
        history = evaluation.section_history(db, principal, code)
        observations = service.section_observations(db, principal, code)
        codes = [c for c in ITEM_CODES if c in set(observations["parameter"].to_list())]
        series = {
            item: observations.filter(pl.col("parameter") == item)
            .select(_beijing_text(pl.col("time")), "value")
            .rows()
            for item in codes
        }
        return render(
            request,
            "water/section.html",
            {
                "section": section,
                "region_name": regions.region_names(db, principal, [section.region_code]).get(
                    section.region_code, section.region_code
                ),
                "history": history.to_dicts(),
                "series": series,
                "names": _item_names(codes),
                "limits": _limits(section.water_body),
                "colours": CLASS_COLOURS,
            },
        )

    @pages.get("/water/early-warning", response_class=HTMLResponse)
    def early_warning_page(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """水质预警: per section and factor next month's predicted value against the target-class
        limit and the probability of exceeding it, most probable first."""
        found = earlywarning.assess(db, principal)
        names = _item_names(sorted({w.parameter for w in found}))
        return render(
            request,
            "water/early_warning.html",
            {
                "t": tables.table_page(EARLY_WARNING_TABLE, found, request),
                "names": names,
                "threshold": earlywarning.DEFAULT_THRESHOLD,
                "labels": CLASS_LABELS,
                "view": None,
            },
        )

    @pages.get("/water/{table}", response_class=HTMLResponse)
    def table_page(
        request: Request,
        table: str,
        period: OptionalPeriodQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Basin, city or drinking-water-source table of the period."""
        if table not in TABLES or table == "sections":
            raise NotFound(both("water.error.no_page", table=table))
        view = _view(request, db, principal, period)
        rows = _table(db, principal, view, table) if view.period else None
        dicts = rows.to_dicts() if rows is not None else []
        return render(
            request,
            f"water/{'drinking' if table == 'drinking' else 'groups'}.html",
            {
                "view": view,
                "table": table,
                "rows": dicts,
                "drinking": tables.table_page(DRINKING_TABLE, dicts, request)
                if table == "drinking"
                else None,
                "totals": evaluation.summarize(rows)
                if rows is not None and table == "drinking"
                else None,
                "colours": CLASS_COLOURS,
            },
        )

    @pages.get("/water/export/{name}", responses=DOWNLOAD_RESPONSES)
    def export(
        request: Request,
        name: str,
        period: OptionalPeriodQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """A table as CSV (UTF-8 with BOM) or Excel: ``/water/export/basins.xlsx``."""
        table, _, fmt = name.partition(".")
        if table not in TABLES or fmt not in {"csv", "xlsx"}:
            raise NotFound(both("water.error.no_export", name=name, tables=", ".join(TABLES)))
        view = _view(request, db, principal, period)
        rows = _table(db, principal, view, table)
        assert view.period is not None
        return download_spec(
            exports.with_region_names(db, principal, rows),
            exports.spec_for(table),
            fmt,
            f"water-{table}-{view.region.code}-{view.period.label}",
        )

    @pages.get("/water/import/form", response_class=HTMLResponse)
    def import_form(request: Request, principal: Principal = Depends(require_user)) -> HTMLResponse:
        """The upload form for registry and observation files."""
        return render(request, "water/import.html", {"report": None, "error": None})

    @pages.post("/water/import/form", response_class=HTMLResponse)
    def import_upload(
        request: Request,
        kind: Annotated[str, Form()],
        uploads: Annotated[list[UploadFile], File(alias="files")],
        section: Annotated[str | None, Form()] = None,
        skip_bad_rows: Annotated[bool, Form()] = False,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Import the uploaded files and show the report (or why nothing was imported)."""
        files = [(upload.filename or "upload", upload.file.read()) for upload in uploads]
        try:
            report = service.import_files(
                db, principal, kind, files, section=section or None, skip_bad_rows=skip_bad_rows
            )
        except InputError as exc:
            return render(
                request, "water/import.html", {"report": None, "error": str(exc)}, status_code=422
            )
        return render(request, "water/import.html", {"report": report, "error": None})

    return pages
