"""Data-quality and fraud checks on constructed hourly series, each finding with its cause."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from ecogov.hj212.frames import FACTOR_SCHEMA
from ecogov.hj212.quality import (
    CHECKS,
    Channel,
    CheckInput,
    Meter,
    load_rules,
    resolve,
    run_checks,
)
from ecogov.platform.errors import InputError
from tests.hj212.support import HOUR

T0 = int(HOUR.timestamp())
H = 3600
MN = "330106000000000000000001"


def hourly(
    code: str, values: Sequence[float | None], flags: str | None = None, **extra: list[float]
) -> pl.DataFrame:
    """A factor frame of one factor: ``values`` as hourly ``Avg`` (None: hour missing)."""
    rows = []
    for index, value in enumerate(values):
        if value is None:
            continue
        row: dict[str, object] = dict.fromkeys(FACTOR_SCHEMA)
        row |= {"data_time": T0 + H * index, "code": code, "Avg": value}
        row["Flag"] = "N" if flags is None else flags[index]
        for kind, series in extra.items():
            row[kind] = series[index]
        rows.append(row)
    return pl.DataFrame(rows, schema=FACTOR_SCHEMA)


def check(
    name: str, frame: pl.DataFrame, hours: int, **inputs: object
) -> list[tuple[str | None, int, int, str]]:
    """Findings of one check only: (factor, start offset [h], end offset [h], cause)."""
    only = {other: False for other in CHECKS if other != name}
    data = CheckInput(MN, frame, T0, T0 + H * hours, **inputs)  # type: ignore[arg-type]
    return [
        (
            f.factor,
            int((f.start.timestamp() - T0) // H),
            int((f.end.timestamp() - T0) // H),
            f.cause,
        )
        for f in run_checks(data, only)
    ]


def test_missing_reports_beyond_the_interval() -> None:
    frame = hourly("w01018", [40, 41, None, None, None, 40, 39, None])
    assert check("missing", frame, 8) == [
        (None, 2, 5, "连续 3 小时无小时数据（应每小时一条）"),
        (None, 7, 8, "连续 1 小时无小时数据（应每小时一条）"),
    ]
    assert check("missing", hourly("w01018", []), 3) == [
        (None, 0, 3, "连续 3 小时无小时数据（应每小时一条）")
    ]


def test_flat_line_of_six_hours_or_more() -> None:
    values = [40.1, 12.3, 12.3, 12.3, 12.3, 12.3, 12.3, 41.0, 5.0, 5.0, 5.0]
    assert check("flat_line", hourly("w01018", values), 11) == [
        ("w01018", 1, 7, "w01018 小时均值连续 6 小时恒为 12.3")
    ]
    broken = [12.3, 12.3, 12.3, None, 12.3, 12.3, 12.3]
    assert check("flat_line", hourly("w01018", broken), 7) == []  # a gap is not a flat line
    flagged = hourly("w01018", [12.3] * 8, flags="NNNCNNNN")
    assert check("flat_line", flagged, 8) == []  # the calibration hour breaks it


def test_range_edge_pegged_at_zero_or_full_scale() -> None:
    channels = {"w01018": Channel(0, 1000, 4)}
    values = [40, 0.5, 0.0, 40, 40, 995, 1000, 1000, 999, 40]  # 2 h at zero: too short
    assert check("range_edge", hourly("w01018", values), 10, channels=channels) == [
        ("w01018", 5, 9, "w01018 小时均值 995.0–1000.0 连续 4 小时处于量程 0–1000 两端 2% 以内")
    ]


def test_hugging_the_detection_limit() -> None:
    channels = {"w21003": Channel(0, 100, 0.05)}
    low = [0.05, 0.06, 0.07, 0.05] * 6 + [0.2] * 2
    (found,) = check("detection_limit", hourly("w21003", low), 26, channels=channels)
    assert found == (
        "w21003",
        0,
        26,
        "w21003 在 26 个有效小时中 92% 的均值不超过检出限 0.05 的 1.5 倍",
    )
    normal = [0.5] * 30
    assert check("detection_limit", hourly("w21003", normal), 30, channels=channels) == []


def test_converted_values_inconsistent_with_oxygen() -> None:
    # measured 20 mg/m³ at O2 12 %: converted to the 9 % reference is 20 × 12 / 9 = 26.67
    zs = [26.67] * 6 + [20.0, 20.0] + [26.67] * 2  # hours 6–7: Zs equal to measured: implies 12 %
    frame = pl.concat(
        [
            hourly("a21026", [20.0] * 10, ZsAvg=zs),
            hourly("a19001", [12.0] * 10),
        ]
    )
    (found,) = check("zs_consistency", frame, 10)
    assert found[:3] == ("a21026", 6, 8)
    assert found[3] == "a21026 折算值推算的基准氧含量为 12.0 %，其余时段为 9.0 %，持续 2 小时"


def test_treatment_off_while_production_runs() -> None:
    ts = [T0 + H * (i + 1) for i in range(6)]  # readings stamped at the end of each hour
    production = Meter(pl.DataFrame({"ts": ts, "power_kw": [80.0, 120, 120, 110, 5, 5]}), 50)
    treatment = Meter(pl.DataFrame({"ts": ts, "power_kw": [30.0, 2, 1, 40, 0, 0]}), 10)
    inputs = {"production": production, "treatment": treatment}
    assert check("treatment_off", hourly("w01018", []), 6, **inputs) == [
        (None, 1, 3, "生产设施功率 120–120 kW 运行时，治理设施功率低于 10 kW，持续 2 小时")
    ]
    assert check("treatment_off", hourly("w01018", []), 6) == []  # no meters: nothing to say


def test_rule_sets_change_parameters_and_switch_checks_off(tmp_path: Path) -> None:
    assert set(resolve(None)) == set(CHECKS)
    chosen = resolve({"flat_line": {"hours": 3}, "missing": False})
    assert chosen["flat_line"]["hours"] == 3
    assert "missing" not in chosen
    values = [5.0, 5.0, 5.0, 9.0]
    assert check("flat_line", hourly("w01018", values), 4) == []
    data = CheckInput(MN, hourly("w01018", values), T0, T0 + 4 * H)
    assert [f.check for f in run_checks(data, {"flat_line": {"hours": 3}})] == ["flat_line"]
    path = tmp_path / "rules.json"
    path.write_text('{"flat_line": {"minutes": 3}}', encoding="utf-8")
    with pytest.raises(InputError, match="has no parameter minutes"):
        load_rules(path)
    path.write_text('{"astrology": false}', encoding="utf-8")
    with pytest.raises(InputError, match="is not a check"):
        load_rules(path)
