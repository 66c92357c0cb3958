"""Issue 17 item 1: the public portal needs no login, leaks nothing beyond each endpoint's
declared fields, answers 304 to a known ETag and 429 past the rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.portal import schemas, service
from ecogov.standards.timebase import BEIJING
from tests.conftest import TEST_SECRET

API = (
    "/api/v1/public/air/latest",
    "/api/v1/public/air/ranking/now",
    "/api/v1/public/air/ranking/day",
    "/api/v1/public/air/index/month",
    "/api/v1/public/air/index/year",
    "/api/v1/public/water/sections",
    "/api/v1/public/enterprises",
    "/api/v1/public/draws",
)
PAGES = (
    "/portal",
    "/portal/air",
    "/portal/air?tab=day",
    "/portal/air?tab=month",
    "/portal/air?tab=year",
    "/portal/water",
    "/portal/enterprises",
    "/portal/draws",
)
FORBIDDEN = {"username", "phone", "recorded_by", "created_by", "inspectors", "user_id", "notes"}
"""Names of personal or internal fields no public response may carry."""


@pytest.fixture
def portal(db: Database) -> Iterator[TestClient]:
    from ecogov.monitoring.air import demo
    from ecogov.web.app import create_app

    demo.load(db, hours=24 * 40)
    service.clear()
    settings = Settings(
        database_url=db.url,
        secret_key=TEST_SECRET,
        boundary_provinces="330000",
        rate_limits={"public": {"requests": 5, "per_seconds": 60}},
    )
    moment = datetime(2026, 11, 22, 9, tzinfo=BEIJING)
    with clock.frozen(moment), TestClient(create_app(settings, db)) as client:
        yield client
    service.clear()


def _declared(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref") or next(
        (item["$ref"] for item in schema.get("anyOf", []) if "$ref" in item), None
    )
    if ref:
        return _declared(definitions[ref.rsplit("/", 1)[1]], definitions)
    if schema.get("type") == "array" and "items" in schema:  # tuples (prefixItems) hold scalars
        return {"items": _declared(schema["items"], definitions)}
    return schema


def _diff(value: Any, schema: dict[str, Any], definitions: dict[str, Any], where: str) -> None:
    schema = _declared(schema, definitions)
    if isinstance(value, dict):
        allowed = set(schema.get("properties", {}))
        assert set(value) <= allowed, f"{where}: undeclared {set(value) - allowed}"
        for key, item in value.items():
            _diff(item, schema["properties"][key], definitions, f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            _diff(item, schema["items"], definitions, f"{where}[]")


def test_every_public_answer_holds_only_its_declared_fields(portal: TestClient) -> None:
    openapi = portal.get("/api/v1/openapi.json").json()
    definitions = openapi["components"]["schemas"]
    public = [path for path in openapi["paths"] if path.startswith("/api/v1/public/")]
    assert len(public) >= 7
    for model in schemas.Public.__subclasses__():
        assert not FORBIDDEN & set(model.model_fields), model.__name__
    for path in API:
        portal.app.state.rate_limiter = None  # type: ignore[attr-defined]
        response = portal.get(path)
        assert response.status_code == 200, (path, response.text)
        template = path.replace("ranking/now", "ranking/{kind}").replace(
            "ranking/day", "ranking/{kind}"
        )
        template = template.replace("index/month", "index/{kind}").replace(
            "index/year", "index/{kind}"
        )
        declared = openapi["paths"][template]["get"]["responses"]["200"]["content"]
        _diff(response.json(), declared["application/json"]["schema"], definitions, path)
    assert portal.get("/api/v1/public/air/latest").json()["stations"]


def test_pages_open_without_login_and_are_cacheable(portal: TestClient) -> None:
    for path in PAGES:
        portal.app.state.rate_limiter = None  # type: ignore[attr-defined]
        response = portal.get(path, headers={"accept": "text/html"}, follow_redirects=False)
        assert response.status_code == 200, (path, response.text[:300])
        assert "/login" not in response.headers.get("location", "")
        assert response.headers["cache-control"].startswith("public")
        assert "set-cookie" not in response.headers
        again = portal.get(
            path, headers={"accept": "text/html", "if-none-match": response.headers["etag"]}
        )
        assert again.status_code == 304
    home = portal.get("/portal", headers={"accept": "text/html"})
    assert "portal-map" in home.text
    assert portal.get("/portal", headers={"accept": "text/html"}).text == home.text  # kept
    assert "/portal/complaints/new" in home.text


def test_etag_304_csv_and_rate_limit(portal: TestClient) -> None:
    first = portal.get("/api/v1/public/air/ranking/now")
    assert first.headers["last-modified"].endswith("GMT")
    assert first.headers["cache-control"] == "public, max-age=60"
    second = portal.get(
        "/api/v1/public/air/ranking/now", headers={"if-none-match": first.headers["etag"]}
    )
    assert second.status_code == 304
    assert second.content == b""
    csv = portal.get("/api/v1/public/air/ranking/now?format=csv")
    assert csv.status_code == 200
    assert csv.text.lstrip("\ufeff").startswith("排名,")
    assert csv.text.count("\n") == len(first.json()["cities"]) + 1
    portal.get("/api/v1/public/draws")
    portal.get("/api/v1/public/draws")  # the fifth request of the minute
    refused = portal.get("/api/v1/public/draws")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "请求过于频繁" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) == 12  # one token per 12 s


def test_workers_warm_the_portal_at_start(db: Database) -> None:
    """With ``warm_up`` a worker has computed what the portal shows before its first visitor."""
    from ecogov.monitoring.air import demo
    from ecogov.web.app import create_app

    demo.load(db, hours=24 * 3)
    service.clear()
    settings = Settings(database_url=db.url, secret_key=TEST_SECRET, warm_up=True)
    with clock.frozen(datetime(2026, 11, 22, 9, tzinfo=BEIJING)):
        assert not service._published._entries
        with TestClient(create_app(settings, db)):
            warmed = {key[1] for key in service._published._entries if isinstance(key, tuple)}
    service.clear()
    assert {"air.latest", "water.sections", "draws"} <= warmed
    assert ("air.index", "year", "2025") in warmed


def test_serve_warms_by_default_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECOGOV_WARM_UP")
    assert Settings(secret_key=TEST_SECRET).warm_up
    monkeypatch.setenv("ECOGOV_WARM_UP", "0")
    assert not Settings(secret_key=TEST_SECRET).warm_up


def test_dark_aqi_badges_carry_white_digits(portal: TestClient) -> None:
    """HJ 633 charts print levels 4-6 (red, purple, maroon) in white; 1-3 stay dark."""
    ranking = portal.get("/api/v1/public/air/ranking/now").json()["cities"]
    portal.app.state.rate_limiter = None  # type: ignore[attr-defined]
    home = portal.get("/portal", headers={"accept": "text/html"}).text
    for city in ranking:
        if city["aqi"] is None:
            continue
        kind = "aqi aqi-dark" if city["level"] >= 4 else "aqi"
        badge = f'<span class="{kind}" style="background: {city["colour"]}">{city["aqi"]}</span>'
        assert badge in home, (city["name"], city["level"])
