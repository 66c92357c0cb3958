"""``ecogov water …``: classify and grade files, import data, evaluate a period."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Final

import typer

from ecogov.monitoring.water import evaluation, exports, files, service
from ecogov.platform.console import database, file_error, write_file
from ecogov.platform.exports import spec_csv, spec_xlsx, to_csv
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.scope import SYSTEM

OUTPUT: Final[Catalogue] = {
    "water.cli.note": ("说明：{note}", "note: {note}"),
    "water.cli.imported": ("地表水导入 {kind}：{summary}", "water import {kind}: {summary}"),
    "water.cli.ignored": ("未使用的列：{columns}", "ignored columns: {columns}"),
    "water.cli.rejected": ("拒收：{reason}", "rejected: {reason}"),
}
register(OUTPUT)

ERRORS: Final[Catalogue] = {
    "water.error.region_code": (
        "{code!r} 不是6位数字的行政区划代码",
        "{code!r} is not a 6-digit region code",
    ),
}
register(ERRORS)


class WaterBodyChoice(StrEnum):
    """``--waterbody``: rivers, or lakes and reservoirs (their total phosphorus limits differ)."""

    RIVER = "river"
    LAKE = "lake"


class ImportFormat(StrEnum):
    """What ``ecogov water import`` reads."""

    SECTIONS = "sections"
    LONG = "long"
    WIDE = "wide"


class EvaluateBy(StrEnum):
    """Rows of ``ecogov water evaluate``."""

    SECTION = "section"
    BASIN = "basin"
    CITY = "city"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise file_error("cli.read_failed", path, exc) from exc


def _write(data: bytes, output: Path | None) -> None:
    """Write to ``output``, or to standard output when it is None or ``-``."""
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_file(data, output)


def _region(code: str | None) -> str | None:
    if code is not None and not (len(code) == 6 and code.isdigit()):
        raise typer.BadParameter(both("water.error.region_code", code=code), param_hint="--region")
    return code


_EXPORT_TABLES = {"section": "sections", "basin": "basins", "city": "cities"}
"""Evaluation grouping → the export table whose column spec lays it out."""
_OUTPUT = typer.Option(None, "-o", "--output", help="Output file (default: standard output).")


def app() -> typer.Typer:
    """The ``water`` sub-command."""
    cli = typer.Typer(
        help="Surface water (地表水): GB 3838-2002 classes, sections, imports, evaluation.",
        no_args_is_help=True,
    )

    @cli.command("classify")
    def classify_command(
        input_file: Path = typer.Argument(
            ..., metavar="INPUT", help="Long CSV or .xlsx: section,time,parameter,value[,unit]."
        ),
        waterbody: WaterBodyChoice = typer.Option(
            WaterBodyChoice.RIVER, "--waterbody", help="river, or lake (lakes and reservoirs)."
        ),
        output: Path | None = _OUTPUT,
    ) -> None:
        """Classify each section and time (GB 3838-2002; 环办〔2011〕22号), without the database.

        Writes section,time,class,grade,main_pollutants and class_<parameter> per parameter.
        """
        table = files.classify(input_file.name, _read(input_file), water_body=waterbody.value)
        _write(to_csv(table, bom=False), output)

    @cli.command("grade")
    def grade_command(
        input_file: Path = typer.Argument(
            ..., metavar="INPUT", help="CSV or .xlsx: basin,section,class (I … V, 劣V)."
        ),
        output: Path | None = _OUTPUT,
    ) -> None:
        """Grade basins by their section classes (环办〔2011〕22号), without the database.

        Writes basin,sections,share_I_III,share_worse_than_V,grade (shares in %). Basins of
        fewer than 5 sections get no grade (the method needs their concentrations).
        """
        result = files.grade_basins(input_file.name, _read(input_file))
        _write(to_csv(result.table, bom=False), output)
        for note in result.notes:
            typer.echo(translate("water.cli.note").format(note=note), err=True)

    @cli.command("import")
    def import_command(
        kind: ImportFormat = typer.Argument(..., metavar="FORMAT", help="sections, long or wide."),
        paths: list[Path] = typer.Argument(..., metavar="PATH...", help="CSV or .xlsx files."),
        section: str | None = typer.Option(
            None, "--section", help="Section code of wide files that have no section column."
        ),
        skip_bad_rows: bool = typer.Option(
            False,
            "--skip-bad-rows",
            help="Store the good rows of files with bad ones (default: all or nothing).",
        ),
    ) -> None:
        """Import sections or observations in one transaction (re-importing changes nothing):
        all or nothing unless --skip-bad-rows; rejected rows are recorded either way.

        Prints the counts, then each rejected row (file, row, column, reason) on stderr.
        """
        report = service.import_files(
            database(),
            SYSTEM,
            kind.value,
            [(path.name, _read(path)) for path in paths],
            section=section,
            skip_bad_rows=skip_bad_rows,
        )
        typer.echo(
            translate("water.cli.imported").format(kind=kind.value, summary=report.summary())
        )
        if report.ignored_columns:
            typer.echo(
                translate("water.cli.ignored").format(columns=", ".join(report.ignored_columns))
            )
        for rejection in report.rejections:
            typer.echo(translate("water.cli.rejected").format(reason=rejection), err=True)

    @cli.command("evaluate")
    def evaluate_command(
        period: str = typer.Option(..., "--period", help="YYYY, YYYY-MM or YYYY-Qn."),
        by: EvaluateBy = typer.Option(EvaluateBy.SECTION, "--by", help="section, basin or city."),
        region: str | None = typer.Option(None, "--region", help="6-digit region code."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON records."),
        output: Path | None = _OUTPUT,
    ) -> None:
        """Evaluate a period per section, basin or city, with the previous year's values.

        Prints CSV (or JSON with --json); -o writes CSV, or Excel when the name ends in .xlsx.
        """
        db = database()
        table = evaluation.evaluate(
            db, SYSTEM, evaluation.parse_period(period), by.value, _region(region)
        )
        if as_json:
            text = json.dumps(table.to_dicts(), ensure_ascii=False, default=str, indent=1)
            _write((text + "\n").encode("utf-8"), output)
            return
        named = exports.with_region_names(db, SYSTEM, table)
        spec = exports.spec_for(_EXPORT_TABLES[by.value])
        if output is not None and output.suffix.lower() == ".xlsx":
            _write(spec_xlsx(named, spec, f"water-{by.value}"), output)
        else:
            _write(spec_csv(named, spec, bom=output is not None), output)

    return cli
