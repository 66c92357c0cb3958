"""A draw's files downloaded from the API are the layouts of docs/enforcement-files.md:
``ecogov enforcement verify-draw`` accepts them (exit 0) and rejects a tampered result (1)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.enforcement import draws
from ecogov.enforcement.models import InspectionObject
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.enforcement.support import enterprise
from tests.enforcement.test_commands import run
from tests.helpers import login, make_user

API = "/api/v1/enforcement"
NAMES = ("objects.csv", "inspectors.csv", "rules.toml", "previous.json")


def _region(db: Database) -> None:
    for index in range(1, 7):
        enterprise(db, index, level="municipal" if index % 2 else "general")
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=1)
    for index in range(4):
        draws.add_inspector(
            db,
            SYSTEM,
            draws.NewInspector(
                "330106",
                f"执法{index}",
                f"ZJ-{index}",
                "西湖分局",
                qualifications=("执法证",),
                conflicts=(2,) if index == 0 else (),
            ),
        )


def _draw(client: TestClient, token: str, title: str) -> int:
    headers = {"X-CSRF-Token": token}
    rules = {
        "draw": {"reserved_share": 0.5, "proportions": {"key": {"unrated": 1.0}}},
        "name": "西湖区规则",
    }
    body = {"region_code": "330106", "title": title, "rules": rules}
    draw_id = int(client.post(f"{API}/draws", json=body, headers=headers).json()["id"])
    for step in ("publish-hash", "run", "publish-result"):
        assert client.post(f"{API}/draws/{draw_id}/{step}", headers=headers).status_code == 200
    return draw_id


def _download(client: TestClient, draw_id: int, folder: Path) -> dict[str, Path]:
    paths = {}
    for name in (*NAMES, "seed.txt", "published.json"):
        response = client.get(f"{API}/draws/{draw_id}/files/{name}")
        assert response.status_code == 200, (name, response.text)
        assert name in response.headers["content-disposition"]
        paths[name] = folder / name
        paths[name].write_bytes(response.content)
    return paths


def _verify(paths: dict[str, Path], published: Path) -> tuple[int, str]:
    seed = paths["seed.txt"].read_text(encoding="utf-8").strip()
    result = run(
        "verify-draw",
        "--objects", str(paths["objects.csv"]),
        "--inspectors", str(paths["inspectors.csv"]),
        "--rules", str(paths["rules.toml"]),
        "--previous", str(paths["previous.json"]),
        "--seed", seed,
        "--published", str(published),
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_downloaded_files_verify_and_a_tampered_result_fails(
    client: TestClient, db: Database, tmp_path: Path
) -> None:
    _region(db)
    token = login(client, "xh")
    client.post(f"{API}/directory/sync?region=330106", headers={"X-CSRF-Token": token})
    first = _draw(client, token, "一季度")
    second = _draw(client, token, "二季度")  # its previous teams are the first draw's
    # the directory changes after the draws: the published files keep what they ran on
    with db.transaction(SYSTEM) as session:
        for row in session.scalars(select(InspectionObject)):
            row.risk_score = 99.5
    for draw_id in (first, second):
        folder = tmp_path / str(draw_id)
        folder.mkdir()
        paths = _download(client, draw_id, folder)
        code, output = _verify(paths, paths["published.json"])
        assert code == 0, output
        assert "核验通过" in output
    previous = json.loads(paths["previous.json"].read_text(encoding="utf-8"))
    assert previous["tasks"], "the second draw ran with the first one's teams"
    document = json.loads(paths["published.json"].read_text(encoding="utf-8"))
    assert document["tasks"]
    document["tasks"][0]["inspectors"] = list(reversed(document["tasks"][0]["inspectors"]))[:1]
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, output = _verify(paths, tampered)
    assert code == 1
    assert "核验未通过" in output


def test_seed_and_result_wait_for_publication_and_enterprises_see_no_draw_files(
    client: TestClient, db: Database
) -> None:
    _region(db)
    token = login(client, "xh")
    headers = {"X-CSRF-Token": token}
    client.post(f"{API}/directory/sync?region=330106", headers=headers)
    body = {"region_code": "330106", "title": "三季度", "rules": {}}
    draw_id = int(client.post(f"{API}/draws", json=body, headers=headers).json()["id"])
    for name in NAMES:
        assert client.get(f"{API}/draws/{draw_id}/files/{name}").status_code == 200
    for name in ("seed.txt", "published.json"):
        refused = client.get(f"{API}/draws/{draw_id}/files/{name}")
        assert refused.status_code == 409
        assert "尚未公开" in refused.json()["detail"]
    unknown = client.get(f"{API}/draws/{draw_id}/files/secret.txt")
    assert unknown.status_code == 404
    objects = client.get(f"{API}/draws/{draw_id}/files/objects.csv").content.decode("utf-8-sig")
    assert objects.splitlines()[0] == "企业编号,类别,信用等级,风险分,行政区划"
    page = client.get(f"/enforcement/draws/{draw_id}").text
    assert "files/objects.csv" in page
    assert "files/published.json" not in page
    client.post("/logout", headers=headers)
    login(client, "qy")  # an enterprise user does not see the region's draws at all
    assert client.get(f"{API}/draws/{draw_id}/files/inspectors.csv").status_code == 404
