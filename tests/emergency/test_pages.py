"""The emergency pages and API through the web application: the warnings list with the levels in
force, the suggestion from the installed forecast (or the notice that there is none), the
warning page's trail, move forms and reduction tasks, and the reduction-list import form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ecogov.emergency import service
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.emergency.test_warnings import CITY, LIST, enterprise, forecast
from tests.helpers import csrf_from, login, make_user


def _officer(db: Database, client: TestClient) -> str:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    return login(client, "hz")


def test_without_a_forecast_the_list_says_so(
    db: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "forecast_source", lambda: None)  # no forecast domain installed
    token = _officer(db, client)
    html = client.get("/emergency").text
    assert '<a href="/emergency"' in html  # navigation entry
    assert 'id="no-forecast-source"' in html
    assert "尚未接入城市空气质量预报" in html
    assert 'id="none-in-force"' in html
    refused = client.post("/emergency/suggest", data={"csrf_token": token, "city_code": "330100"})
    assert refused.status_code == 409
    assert "尚未接入" in refused.text
    api = client.post(
        "/api/v1/emergency/warnings/suggest",
        json={"city_code": "330100"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 409


def test_suggest_publish_and_the_warning_page(
    db: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    (ea, a), (_, b) = enterprise(db, 1), enterprise(db, 2, "330102")
    service.import_measures(db, CITY, "清单.csv", LIST.format(a=a, b=b).encode())
    monkeypatch.setattr(service, "forecast_source", lambda: forecast(230, 240))
    token = _officer(db, client)
    assert 'id="suggest-form"' in client.get("/emergency").text
    made = client.post(
        "/emergency/suggest",
        data={"csrf_token": token, "city_code": "330100"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    path = made.headers["location"]
    page = client.get(path).text
    assert 'data-state="suggested"' in page
    assert 'data-move="publish"' in page
    assert 'data-move="reject"' in page
    empty = client.post(f"{path}/moves/publish", data={"csrf_token": token, "note": " "})
    assert empty.status_code == 409 or empty.status_code == 422
    done = client.post(
        f"{path}/moves/publish",
        data={"csrf_token": token, "note": "会商后发布", "level": "yellow"},
    )
    assert done.status_code == 200
    page = done.text
    assert 'data-state="published"' in page
    trail = page.split('id="warning-trail"', 1)[1].split("</table>", 1)[0]
    assert "会商后发布" in trail
    assert "hz" in trail
    reductions = page.split('id="warning-reductions"', 1)[1].split("</table>", 1)[0]
    assert f'data-enterprise="{ea}"' in reductions
    assert 'data-task-state="assigned"' in reductions
    listing = client.get("/emergency").text
    assert 'data-level="yellow"' in listing.split('id="in-force"', 1)[1].split("</section>")[0]
    warning_id = int(path.rsplit("/", 1)[1])
    api = client.get(f"/api/v1/emergency/warnings/{warning_id}").json()
    assert [e["move"] for e in api["events"]] == ["suggest", "publish"]
    lifted = client.post(
        f"/api/v1/emergency/warnings/{warning_id}/moves/lift",
        json={"note": "连续36小时低于黄色"},
        headers={"X-CSRF-Token": token},
    )
    assert lifted.json() == {"state": "lifted"}


def test_county_officers_read_without_moves_and_enterprises_have_no_entry(
    db: Database, client: TestClient
) -> None:
    warning_id = service.suggest(db, CITY, "330100", forecast(230, 240))
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    page = client.get(f"/emergency/{warning_id}").text
    assert 'id="warning-moves"' not in page
    assert 'id="suggest-form"' not in client.get("/emergency").text
    firm, _ = enterprise(db, 3)
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=firm)
    login(client, "qy")
    assert '<a href="/emergency"' not in client.get("/").text
    assert client.get("/emergency", headers={"accept": "text/html"}).status_code == 403


def test_the_import_form_stores_the_list(db: Database, client: TestClient) -> None:
    (_, a), (_, b) = enterprise(db, 1), enterprise(db, 2, "330102")
    _officer(db, client)
    form = client.get("/emergency/reductions").text
    assert 'id="import-form"' in form
    files = {"file": ("清单.csv", LIST.format(a=a, b=b).encode(), "text/csv")}
    done = client.post(
        "/emergency/reductions/import", data={"csrf_token": csrf_from(form)}, files=files
    )
    assert done.status_code == 200
    assert "新增 3 条" in done.text
    assert done.text.count("data-enterprise=") == 3
    bad = {
        "file": ("bad.csv", f"统一社会信用代码,预警级别,限产比例,减排措施\n{a},紫色,1,x\n".encode())
    }
    refused = client.post(
        "/emergency/reductions/import", data={"csrf_token": csrf_from(form)}, files=bad
    )
    assert refused.status_code == 422
    assert "紫色" in refused.text
