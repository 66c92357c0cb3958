"""Every operation of the OpenAPI schema, fuzzed by schemathesis as four users would call it.

Bounded for the suite: a few derandomized examples per operation and generation mode (valid and
invalid input), each sent as the admin, a province officer, a county officer and an enterprise
user, on a small registry, plan and rectification ledger so that low ids exist. It asserts no
server error (5xx) and every answer within the documented schema: a documented status code,
content type and body. ``ECOGOV_FUZZ_EXAMPLES`` raises the number of examples (a longer run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ecogov.plans import drafts, service
from ecogov.platform.db import Database
from ecogov.platform.http import CSRF_HEADER, SESSION_COOKIE
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from tests.helpers import login, make_user
from tests.plans.support import small_plan

EXAMPLES = int(os.environ.get("ECOGOV_FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Logging out would end the session the rest of the run uses; logging in is tried by every
# login test, and its lock-out would refuse the next role's login.
SKIPPED = frozenset({("POST", "/logout"), ("POST", "/login")})
ROLES: dict[str, tuple[Role, str | None]] = {
    "admin": (Role.ADMIN, None),
    "province": (Role.PROVINCE_OFFICER, "330000"),
    "county": (Role.COUNTY_OFFICER, "330106"),
    "enterprise": (Role.ENTERPRISE, None),
}


def seed(db: Database) -> int:
    """A small world with ids 1, 2 …: an enterprise with its outlet, device, channel, permit and
    meter, a plan with tasks, a rectification item and a draft. Returns the enterprise id."""
    enterprise = sources.create_enterprise(
        db,
        SYSTEM,
        sources.NewEnterprise(
            uscc=demo_uscc(7, "330106"),
            name="西湖测试印染有限公司",
            industry_code="C1713",
            industry="棉印染精加工",
            region_code="330106",
            lon=120.13,
            lat=30.26,
        ),
    )
    ent_id = enterprise.enterprise_id
    outlet = sources.add_outlet(db, SYSTEM, ent_id, code="DW001", name="总排口", medium="water")
    device = sources.register_device(
        db, SYSTEM, outlet.id, mn="330106000000000000000042", pw="123456"
    )
    sources.add_device_factor(
        db, SYSTEM, device.id, factor_code="w01018", unit="mg/L", range_high=500
    )
    sources.set_permit_limit(
        db, SYSTEM, outlet.id, factor_code="w01018", limit_value=200, unit="mg/L"
    )
    sources.add_meter(db, SYSTEM, ent_id, code="M1", name="产线", line="production", running_kw=5)
    small_plan(db, "330106", [("1", "2026-06-30", ("区生态环境分局",)), ("2", None, ())])
    service.create_item(
        db,
        SYSTEM,
        region_code="330106",
        problem="河道垃圾",
        origin="inspection",
        target="清理",
        measures="巡查",
        deadline=date(2026, 12, 31),
        unit_name="区城管局",
    )
    drafts.upload(
        db,
        SYSTEM,
        region_code="330106",
        text="西湖区2026年治水工作要点\n一、重点任务\n1. 完成截污纳管。（区建设局，2026年6月底前）",
        source_name=None,
        year=2026,
        today=date(2026, 1, 5),
    )
    return ent_id


@pytest.fixture
def world(db: Database) -> int:
    """The seeded world and one account per fuzzed role; the enterprise's id."""
    ent_id = seed(db)
    for name, (role, region) in ROLES.items():
        make_user(
            db,
            f"fuzz-{name}",
            role,
            region,
            enterprise_id=ent_id if role is Role.ENTERPRISE else None,
        )
    return ent_id


Credentials = dict[str, tuple[dict[str, str], dict[str, str]]]
"""Role → (headers, cookies) of its logged-in session."""


def probe_all(app: FastAPI, credentials: Credentials) -> Iterator[str]:
    """Fuzz every operation, each generated request sent as every role; yields one report per
    failing operation, mode and role."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        name = f"{operation.method.upper()} {operation.path}"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for role, failure in _probe(operation, mode, app, credentials).items():
                yield f"{name} [{mode.value}, {role}]: {failure}"


def _probe(
    operation: Any, mode: GenerationMode, app: FastAPI, credentials: Credentials
) -> dict[str, str]:
    failures: dict[str, str] = {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: Any) -> None:
        for role, (headers, cookies) in credentials.items():
            response = case.call(app=app, headers=headers, cookies=cookies)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                titles = "; ".join(sorted({failure.title for failure in group.exceptions}))
                failures.setdefault(
                    role, f"{titles} ({response.status_code}) — {case.as_curl_command()}"
                )

    try:
        probe()
    except Unsatisfiable:
        # an operation without input has no invalid version
        if mode is GenerationMode.POSITIVE:
            raise
    return failures


@pytest.mark.slow
def test_every_operation_answers_within_its_schema(client: TestClient, world: int) -> None:
    credentials: Credentials = {}
    for role in ROLES:
        token = login(client, f"fuzz-{role}")
        session = client.cookies.get(SESSION_COOKIE)
        assert session is not None
        credentials[role] = ({CSRF_HEADER: token}, {SESSION_COOKIE: session})
    client.cookies.clear()
    app = client.app
    assert isinstance(app, FastAPI)
    failures = list(probe_all(app, credentials))
    assert failures == [], "\n".join(failures)
