"""The task ledger as a long table: paged, sorted and searched on the server, within the
officer's scope, with bad parameters refused in Chinese (issue 14 defect 8)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import login, make_user
from tests.plans.support import small_plan

HTML = {"accept": "text/html"}


def _plans(db: Database) -> int:
    """A Hangzhou plan of 60 tasks (every seventh overdue by as many days as its number) and a
    Ningbo plan the Hangzhou officer must not see."""
    today = clock.today()
    tasks = [
        (
            str(n),
            (today - timedelta(days=n) if n % 7 == 0 else today + timedelta(days=n)).isoformat(),
            ("市治水办" if n % 2 else "市生态环境局",),
        )
        for n in range(1, 61)
    ]
    small_plan(db, "330200", [("1", None, ("宁波治水办",))], title="宁波工作要点")
    return small_plan(db, "330100", tasks)


def _tasks(html: str) -> list[str]:
    return re.findall(r'<tr data-task="\d+"[^>]*>\s*<td>([^<]+)</td>', html)


def test_the_ledger_is_paged_sorted_and_searched(db: Database, client: TestClient) -> None:
    _plans(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    first = client.get("/plans/tasks").text
    assert _tasks(first) == [str(n) for n in range(1, 51)]
    assert "共 60 条，当前第 1–50 条（第 1/2 页）" in first
    assert 'href="/plans/tasks?page=2"' in first
    assert _tasks(client.get("/plans/tasks", params={"page": 2}).text) == [
        str(n) for n in range(51, 61)
    ]
    worst = client.get("/plans/tasks", params={"sort": "-overdue", "size": 25}).text
    assert _tasks(worst)[:8] == ["56", "49", "42", "35", "28", "21", "14", "7"]
    assert 'aria-sort="descending"' in worst
    assert 'id="tasks-worst"' in first
    due = _tasks(client.get("/plans/tasks", params={"sort": "-due", "size": 100}).text)
    assert due[0] == "60"
    assert len(due) == 60
    found = client.get("/plans/tasks", params={"q": "任务5", "unit": "市治水办"}).text
    assert _tasks(found) == ["5", "51", "53", "55", "57", "59"]
    assert "（筛选自 30 条）" in found  # the unit filter first, then the search
    kept = client.get("/plans/tasks", params={"unit": "市治水办", "sort": "due", "size": 25})
    assert (
        'href="/plans/tasks?unit=%E5%B8%82%E6%B2%BB%E6%B0%B4%E5%8A%9E&amp;sort=due&amp;size=25&amp;page=2"'
        in kept.text
    )


def test_the_ledger_stays_within_the_officers_scope(db: Database, client: TestClient) -> None:
    _plans(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    assert _tasks(client.get("/plans/tasks", params={"q": "宁波"}).text) == []
    assert "共 60 条" in client.get("/plans/tasks").text
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    login(client, "nb")
    ningbo = client.get("/plans/tasks").text
    assert "共 1 条" in ningbo
    assert "任务1" in ningbo


def test_bad_table_parameters_are_refused_in_chinese(db: Database, client: TestClient) -> None:
    _plans(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    for params, words in (
        ({"page": "0"}, "页码"),
        ({"page": "abc"}, "页码"),
        ({"size": "1000"}, "每页行数"),
        ({"sort": "salary"}, "排序列"),
        ({"q": "长" * 101}, "关键字过长"),
    ):
        refused = client.get("/plans/tasks", params=params, headers=HTML)
        assert refused.status_code == 422, params
        assert words in refused.text, params
    api = client.get("/plans/tasks", params={"sort": "salary"})
    assert api.status_code == 422
