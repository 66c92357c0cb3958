"""Security as a browser or an attacker meets it: headers, exports, login throttling, uploads."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import csrf_from, login, make_user


def test_a_formula_sent_as_a_username_is_inert_in_the_audit_export(
    db: Database, client: TestClient
) -> None:
    """Defect 16: an anonymous visitor's failed login lands in the admin's audit CSV."""
    formula = '=HYPERLINK("http://evil.example","x")'
    token = csrf_from(client.get("/login").text)
    client.post("/login", data={"username": formula, "password": "x" * 8, "csrf_token": token})
    make_user(db, "root", Role.ADMIN)
    login(client, "root")
    exported = client.get("/audit.csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    cells = [row["对象编号"] for row in rows if row["操作代码"] == "auth.login_failed"]
    assert cells == ["'" + formula]
