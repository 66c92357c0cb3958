"""``ecogov sources list``, ``show`` and ``check-uscc``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.sources.cli import app
from tests.sources.test_service import enterprise


def test_list_show_and_check(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    created = enterprise(db)
    monkeypatch.setattr("ecogov.sources.cli.database", lambda: db)
    listed = CliRunner().invoke(app(), ["list", "--region", "330100"])
    assert listed.stdout.split("\t")[:3] == [str(created.enterprise_id), created.uscc, "330106"]
    shown = CliRunner().invoke(app(), ["show", str(created.enterprise_id)])
    assert json.loads(shown.stdout)["enterprise"]["uscc"] == created.uscc
    checked = CliRunner().invoke(app(), ["check-uscc", "91350100m000100y43"])
    assert checked.stdout == "91350100M000100Y43 校验通过（91350100M000100Y43 is valid）\n"
    refused = CliRunner().invoke(app(), ["check-uscc", "91350100M000100Y44"])
    assert isinstance(refused.exception, InputError)
