"""Exceedance events on constructed hourly and daily series, and through the service."""

from __future__ import annotations

import json
from datetime import timedelta

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ecogov.hj212.cli import app
from ecogov.hj212.exceedance import LIMIT_SCHEMA, exceedance_events, exceedances
from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame
from ecogov.hj212.service import quality_findings
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.meters import store_readings
from ecogov.standards.hj212 import format_timestamp
from tests.helpers import login, make_user
from tests.hj212.support import (
    HOUR,
    Client,
    make_devices,
    running_receiver,
    store_hours,
    upload,
)

T0 = int(HOUR.timestamp())


def records(cods: list[float | None], flags: str | None = None, step: int = 3600) -> pl.DataFrame:
    """Records whose COD means are ``cods`` (None: no record that interval); converted = 2×."""
    rows = []
    for index, cod in enumerate(cods):
        if cod is None:
            continue
        flag = "N" if flags is None else flags[index]
        moment = HOUR + timedelta(seconds=step * index)
        cp = (
            f"DataTime={format_timestamp(moment)};"
            f"w01018-Avg={cod},w01018-ZsAvg={cod * 2},w01018-Flag={flag};"
            f"w21003-Avg=1.0,w21003-Flag=N"
        )
        rows.append((T0 + step * index, cp))
    return pl.DataFrame(rows, schema=RECORD_SCHEMA, orient="row")


def limits(value: float, basis: str = "measured") -> pl.DataFrame:
    return pl.DataFrame([("w01018", value, basis)], schema=LIMIT_SCHEMA, orient="row")


def test_factor_frame_reads_every_field() -> None:
    frame = factor_frame(records([40.0, 41.5]))
    assert frame.columns[:3] == ["data_time", "code", "Avg"]
    cod = frame.filter(pl.col("code") == "w01018")
    assert cod["Avg"].to_list() == [40.0, 41.5]
    assert cod["ZsAvg"].to_list() == [80.0, 83.0]
    assert cod["Flag"].to_list() == ["N", "N"]
    assert frame.filter(pl.col("code") == "w21003")["ZsAvg"].null_count() == 2
    assert factor_frame(pl.DataFrame(schema=RECORD_SCHEMA)).is_empty()


def test_consecutive_hours_make_one_event_with_peak_and_multiple() -> None:
    events = exceedance_events(factor_frame(records([40, 60, 80, 55, 40])), limits(50), 3600)
    (event,) = events.to_dicts()
    assert event == {
        "code": "w01018",
        "start": T0 + 3600,
        "end": T0 + 4 * 3600,
        "intervals": 3,
        "peak": 80.0,
        "limit": 50.0,
        "multiple": 1.6,
        "basis": "measured",
    }


def test_invalid_flags_never_exceed_and_gaps_split_events() -> None:
    cods: list[float | None] = [60, 70, 90, 60, None, 60, 40]
    events = exceedance_events(
        factor_frame(records(cods, flags="NNDNNNN")), limits(50), 3600
    ).to_dicts()
    assert [(e["start"], e["intervals"], e["peak"]) for e in events] == [
        (T0, 2, 70.0),  # the fault-flagged 90 neither exceeds nor joins
        (T0 + 3 * 3600, 1, 60.0),
        (T0 + 5 * 3600, 1, 60.0),  # after the missing hour: a new event
    ]
    for flag in "MDCFB":
        assert exceedance_events(factor_frame(records([99], flag)), limits(50), 3600).is_empty()


def test_converted_basis_uses_zs_values_and_daily_means() -> None:
    measured = exceedance_events(factor_frame(records([30, 30])), limits(50), 3600)
    converted = exceedance_events(factor_frame(records([30, 30])), limits(50, "converted"), 3600)
    assert measured.is_empty()
    assert converted["peak"].to_list() == [60.0]
    daily = exceedance_events(factor_frame(records([60, 60], step=86_400)), limits(50), 86_400)
    assert daily["end"].to_list() == [T0 + 2 * 86_400]


def test_service_judges_stored_hours_against_the_permit(db: Database) -> None:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        for hour, cod in enumerate(["40.0", "65.5", "70.0", "45.0"]):
            client.send(upload(device, moment=HOUR + timedelta(hours=hour), cod=cod))
        client.replies(4)
        client.close()
    owner = Principal("qy", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    (event,) = exceedances(db, owner, device.mn, HOUR, HOUR + timedelta(days=1))
    assert (event.factor, event.averaging, event.hours, event.peak, event.unit) == (
        "w01018",
        "hourly",
        2.0,
        70.0,
        "mg/L",
    )
    assert event.start == HOUR + timedelta(hours=1)
    assert event.multiple == 1.4


def test_findings_and_judge_through_service_api_and_cli(
    db: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0"] * 8 + ["60.0", "31.0"])
    production = sources.add_meter(
        db, SYSTEM, device.enterprise_id, code="PM01", name="", line="production", running_kw=50
    )
    treatment = sources.add_meter(
        db, SYSTEM, device.enterprise_id, code="TM01", name="", line="treatment", running_kw=10,
        outlet_id=device.outlet_id,
    )  # fmt: skip
    ends = [T0 + 3600 * (hour + 1) for hour in range(10)]
    store_readings(db, SYSTEM, production.id, pl.DataFrame({"ts": ends, "power_kw": [100.0] * 10}))
    off = [20.0] * 4 + [0.0] * 3 + [20.0] * 3
    store_readings(db, SYSTEM, treatment.id, pl.DataFrame({"ts": ends, "power_kw": off}))
    until = HOUR + timedelta(hours=10)
    findings = quality_findings(db, SYSTEM, device.mn, HOUR, until)
    assert [(f.check, f.factor, f.start, f.end) for f in findings] == [
        ("flat_line", "w01018", HOUR, HOUR + timedelta(hours=8)),
        ("flat_line", "w21003", HOUR, until),  # the helper's ammonia never changes
        ("treatment_off", None, HOUR + timedelta(hours=4), HOUR + timedelta(hours=7)),
    ]
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    window = {"since": HOUR.isoformat(), "until": until.isoformat()}
    listed = client.get(f"/api/v1/hj212/devices/{device.mn}/findings", params=window).json()
    assert [f["check"] for f in listed] == ["flat_line", "flat_line", "treatment_off"]
    events = client.get(f"/api/v1/hj212/devices/{device.mn}/exceedances", params=window).json()
    assert [(e["factor"], e["peak"]) for e in events] == [("w01018", 60.0)]
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    judged = CliRunner().invoke(
        app(), ["judge", "--mn", device.mn, "--since", window["since"], "--until", window["until"]]
    )
    kinds = [json.loads(line)["kind"] for line in judged.stdout.splitlines()]
    assert kinds == ["exceedance", "finding", "finding", "finding"]
