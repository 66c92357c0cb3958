"""The device page (with its chart of hourly means) and the receiver status page."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from ecogov.hj212 import service
from ecogov.hj212.exceedance import ExceedanceView
from ecogov.hj212.intake import Intake, RegisteredDevice
from ecogov.hj212.service import HourlyLimit, RecordView, chart_series
from ecogov.hj212.store import Batch, write_batch
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources import service as sources
from ecogov.standards.hj212 import HJ212_2017
from ecogov.standards.hj212.codes import lookup_factor
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user
from tests.hj212.support import HOUR, make_devices, store_hours, upload

CHART_DATA = re.compile(r'<script type="application/json" id="hourly-chart-data">(.*?)</script>')


def chart_of(page: str) -> dict[str, Any]:
    """The chart data embedded in a device page."""
    found = CHART_DATA.search(page)
    assert found is not None, "no chart data in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_device_page_shows_data_exceedances_and_findings(client: TestClient, db: Database) -> None:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    login(client, "qiye")
    page = client.get(f"/hj212/devices/{device.mn}")
    assert page.status_code == 200
    assert "2026-03-01 09:00" in page.text  # the newest hour first
    assert "75.0 mg/L" in page.text  # the exceedance's peak
    assert "数据缺失" in page.text  # 30 days judged, 3 hours reported
    assert client.get("/hj212/devices/330106FFFFFFFFFFFFFFFFFF").status_code == 404
    assert client.get("/hj212").status_code == 403  # the receiver page is for officers


def test_device_page_names_factors_with_the_code_beside(client: TestClient, db: Database) -> None:
    """Issue 14 defect 7: factor codes (w01018) are shown as 化学需氧量(w01018)."""
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    login(client, "qiye")
    page = client.get(f"/hj212/devices/{device.mn}").text
    factor = lookup_factor("w01018")
    assert factor is not None
    named = f"{factor.name.zh}(w01018)"
    hourly = page.split('id="hourly-table"', 1)[1].split("</thead>", 1)[0]
    assert f'<th data-factor="w01018">{named}</th>' in hourly
    exceedances = page.split('id="exceedance-table"', 1)[1].split("</table>", 1)[0]
    assert f'<td data-factor="w01018">{named}（' in exceedances
    name = sources.get_enterprise(db, SYSTEM, device.enterprise_id).enterprise.name
    assert f'id="device-enterprise">{name}</a>' in page  # the enterprise by name, not its id


def test_device_page_charts_hourly_means_against_the_permit_limit(
    client: TestClient, db: Database
) -> None:
    """Stored data of March 2026 chart, whatever the wall clock says: the window ends at the
    device's newest hour."""
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    store_hours(db, device, ["20.5"], start=HOUR - timedelta(days=8))  # outside the 7 days
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    login(client, "qiye")
    page = client.get(f"/hj212/devices/{device.mn}")
    assert page.status_code == 200
    assert 'id="chart-w01018"' in page.text
    assert "/static/vendor/echarts.min.js" in page.text
    assert "近7天小时均值" in page.text
    chart = chart_of(page.text)
    assert chart["until"] == "2026-03-01T11:00:00+08:00"
    assert chart["since"] == "2026-02-22T11:00:00+08:00"
    cod, ammonia = chart["factors"]
    assert (cod["code"], cod["name_zh"], cod["unit"], cod["field"]) == (
        "w01018",
        "化学需氧量",
        "mg/L",
        "Avg",
    )
    assert cod["limit"] == 50
    assert cod["points"] == [
        ["2026-03-01T08:00:00+08:00", 30.0, "N"],
        ["2026-03-01T09:00:00+08:00", 75.0, "N"],
        ["2026-03-01T10:00:00+08:00", 40.0, "N"],
    ]
    assert cod["exceedances"] == [["2026-03-01T09:00:00+08:00", "2026-03-01T10:00:00+08:00"]]
    assert ammonia["code"] == "w21003"
    assert ammonia["limit"] is None
    assert [point[1] for point in ammonia["points"]] == [2.5, 2.5, 2.5]
    english = client.get(f"/hj212/devices/{device.mn}?lang=en")
    assert "Hourly means, last 7 days" in english.text
    assert "Hourly limit" in english.text


def test_device_page_is_scoped(client: TestClient, db: Database) -> None:
    """Users outside the device's enterprise or region get the same 404 as for an unknown MN,
    and see none of its chart data."""
    (device,) = make_devices(db, 1)  # in 330106, Hangzhou
    store_hours(db, device, ["30.0"])
    make_user(db, "nb", Role.CITY_OFFICER, "330200")  # Ningbo
    login(client, "nb")
    refused = client.get(f"/hj212/devices/{device.mn}")
    assert refused.status_code == 404
    assert "hourly-chart-data" not in refused.text
    client.cookies.clear()
    assert client.get(f"/hj212/devices/{device.mn}", follow_redirects=False).status_code in (
        302,
        303,
        401,
    )
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    assert chart_of(client.get(f"/hj212/devices/{device.mn}").text)["factors"]


def _record(hour: int, values: dict[str, dict[str, Any]]) -> RecordView:
    moment = datetime(2026, 3, 1, hour, tzinfo=BEIJING)
    return RecordView("MN", "2061", moment, None, values, 0, moment)


def test_chart_series_flags_gaps_converted_values_and_events() -> None:
    hourly = [
        _record(8, {"a21026": {"Avg": 40, "ZsAvg": 55.5, "Flag": "N"}}),
        _record(9, {"a21026": {"Avg": 41, "ZsAvg": 56.0, "Flag": "D"}}),
        _record(12, {"a21026": {"Avg": 90, "ZsAvg": 120.0, "Flag": "N"}}),
        _record(13, {"a21026": {"Flag": "N"}}),  # no value: not a point
    ]
    limits = {"a21026": HourlyLimit(100.0, "mg/m³", "converted")}
    event = ExceedanceView(
        "MN",
        "a21026",
        "hourly",
        "converted",
        datetime(2026, 3, 1, 12, tzinfo=BEIJING),
        datetime(2026, 3, 1, 13, tzinfo=BEIJING),
        1.0,
        120.0,
        100.0,
        "mg/m³",
        1.2,
    )
    daily = ExceedanceView(**{**event.__dict__, "averaging": "daily"})
    (series,) = chart_series(hourly, limits, [event, daily])
    assert (series.field, series.limit, series.unit) == ("ZsAvg", 100.0, "mg/m³")
    assert series.points == [
        ("2026-03-01T08:00:00+08:00", 55.5, "N"),
        ("2026-03-01T09:00:00+08:00", 56.0, "D"),
        ("2026-03-01T10:00:00+08:00", None, None),  # the line breaks over the missing hours
        ("2026-03-01T12:00:00+08:00", 120.0, "N"),
    ]
    assert series.exceedances == [("2026-03-01T12:00:00+08:00", "2026-03-01T13:00:00+08:00")]
    assert series.name_zh == "二氧化硫"


def test_status_page_for_admins_lists_rejects(client: TestClient, db: Database) -> None:
    """A malformed frame's ledger row reads Chinese first: the reason's name beside its code,
    then the broken rule in Chinese and the English particulars."""
    (device,) = make_devices(db, 1)
    frame = upload(device)
    bad_crc = frame[:-3] + (b"0" if frame[-3:-2] != b"0" else b"1") + frame[-2:]
    registry = {device.mn: RegisteredDevice(device.mn, device.pw, HJ212_2017, 1, device.st)}
    batch = Batch()
    batch.add(Intake(registry).frame(bad_crc, "10.0.0.9:4000", 0))
    batch.add(Intake({}).frame(frame, "10.0.0.9:4000", 0))
    with db.transaction(SYSTEM) as session:
        write_batch(session.connection(), batch)
    make_user(db, "admin", Role.ADMIN)
    login(client, "admin")
    page = client.get("/hj212")
    assert page.status_code == 200
    assert 'id="receiver-table"' in page.text
    rows = re.findall(r"<tr><td><time.*?</tr>", page.text.split('id="reject-table"')[1])
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    by_reason = {re.sub(r"<.*?>", "", cell[3]): cell[4] for cell in cells}
    assert set(by_reason) == {"CRC 校验不符 crc-mismatch", "未登记设备 unknown-mn"}
    crc = html.unescape(by_reason["CRC 校验不符 crc-mismatch"])
    assert crc.startswith(f"CRC 校验不符（第 {len(frame) - 6} 字节）：CRC 校验码")
    assert crc.endswith("[crc-mismatch]")
    assert " / CRC " in crc
    assert by_reason["未登记设备 unknown-mn"] == (
        f"MN={device.mn} 不是已登记的监测设备 / MN={device.mn} is not a registered device"
    )


def test_the_overview_reads_the_latest_hours_even_before_the_chart_window(db: Database) -> None:
    """Issue 14: the device page reads only the records it shows (the chart's 7 days, or back to
    the 24th newest hour when the device reported less in them), with the same result as
    reading the whole judged window of 30 days."""
    (device,) = make_devices(db, 1)
    store_hours(db, device, [f"{i}.0" for i in range(30)], start=HOUR - timedelta(days=10))
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    overview = service.device_overview(db, SYSTEM, device.mn)
    until = HOUR + timedelta(hours=3)  # the end of the newest hour
    judged = service.records(
        db, SYSTEM, device.mn, cn="2061", since=until - timedelta(days=30), until=until
    )
    assert len(judged) == 33
    assert overview.latest == judged[-24:][::-1]
    assert [r.values["w01018"]["Avg"] for r in overview.latest[:5]] == [40.0, 75.0, 30.0, 29, 28]
    assert overview.chart is not None
    cod = overview.chart.factors[0]
    assert [point[1] for point in cod.points] == [30.0, 75.0, 40.0]  # the last 7 days only
