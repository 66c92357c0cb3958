"""The i18n guarantee as users meet it (issue 14, defect 3): every page, empty and then with the
demo's data, as each demo role sees it in zh-CN, shows no English words beyond codes, units,
standard names and user names; and every refusal of the API answers with a problem whose title
and detail are Chinese first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Final

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.demo import load_demo
from ecogov.enforcement import demo as enforcement_demo
from ecogov.plans import demo as plans_demo
from ecogov.platform.db import Database
from ecogov.platform.i18n import has_chinese, translate
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.settings import Settings
from ecogov.sources.demo import DEMO_USER, demo_uscc
from ecogov.waste import demo as waste_demo
from ecogov.web.app import create_app
from tests.helpers import login, make_user

ALLOWED_WORDS: Final = frozenset({
    # standards, methods, formats and protocol fields named as Chinese documents name them
    "HJ", "GB", "AQI", "IAQI", "CWQI", "TLI", "PM", "SO", "NO", "CO", "NOx", "VOCs", "COD",
    "BOD", "pH", "DO", "TP", "TN", "MN", "QN", "ST", "PW", "CP", "CN", "QnRtn", "ExeRtn", "ID",
    "CSV", "Excel", "xlsx", "txt", "Word", "PDF", "docx", "UTF", "WGS", "API", "JSON", "GeoJSON",
    "CNEMC", "UCI", "CSRF", "USCC", "ISO", "JavaScript", "OpenAPI", "Swagger",
    # units
    "mg", "ug", "μg", "kW", "kWh", "MB", "KB", "km", "min",
    # water classes and fuel grades (I–VI), the language switch, the platform's name
    "II", "III", "IV", "VI", "English", "ecogov",
})  # fmt: skip
"""Latin words a zh-CN page may show: codes, units and standard names, not sentences."""
DATA_WORDS: Final = frozenset(
    [login.username for login in DEMO_LOGINS]
    + [DEMO_USER[0], SYSTEM.username]
    + [username for username, _ in waste_demo.DEMO_USERS.values()]
    + [username for username, *_ in enforcement_demo.INSPECTORS]
    + [value.username for value in vars(plans_demo).values() if isinstance(value, Principal)]
)
"""User names (data, not prose): the demo accounts and the simulated officers."""
TOKEN: Final = re.compile(r"[A-Za-z0-9μ][A-Za-z0-9μ_.-]*")
BRACKETED: Final = re.compile(r"（[^（）]*）")
"""An English gloss after the Chinese (``中文（English）``), the project's bilingual form."""
SLASHED: Final = re.compile(r"(?<=[\u4e00-\u9fff）」”。]) / [^\u4e00-\u9fff]*$")
"""An English gloss after a slash (``中文 / English``)."""
SKIPPED_TAGS: Final = frozenset({"script", "style", "template", "code", "pre", "kbd", "samp"})
"""Elements whose text is data or code (an audit record's JSON, a packet), not prose."""
LINKS_PER_ROUTE: Final = 2
NOT_PAGES: Final = ("/api/", "/static/", "/logout", "/switch-region", "/login", "/lang/")
"""Not pages to read: the API, assets, and actions (log out, switch region or language)."""
ENTERPRISE: Final = {
    "uscc": demo_uscc(7, "330106"),
    "name": "西湖测试印染有限公司",
    "industry_code": "C1713",
    "industry": "棉印染精加工",
    "region_code": "330106",
}


class _Visible(HTMLParser):
    """The visible text of a page: text nodes and the attributes shown to users, outside
    code-like elements and elements marked ``translate="no"`` (names, codes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.links: list[str] = []
        self.title = ""
        self.document = False
        """Whether this is a whole page (a part a page fetches, data-fragment, has no title)."""

    def _hidden(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.document = self.document or tag == "html"
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        void = tag in {"input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"}
        skipped = tag in SKIPPED_TAGS or found.get("translate") == "no"
        if not (self._hidden() or skipped):
            shown = ["title", "placeholder", "aria-label", "alt"]
            if tag == "input" and found.get("type") in ("submit", "button"):
                shown.append("value")
            self.texts += [str(found[name]) for name in shown if found.get(name)]
        if not void:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden():
            self.texts.append(" ".join(data.split()))
            if self.stack and self.stack[-1][0] == "title":
                self.title += " ".join(data.split())

    def untitled(self) -> list[str]:
        """The page's ``<title>`` when, less the platform's name, it has no Chinese: a tab
        named by a bare code (``MN 3301…``) or an English word."""
        own = self.title.removesuffix(translate("app.name", "zh")).strip(" ·")
        return [] if has_chinese(own) or not self.document else [f"<title>{self.title}</title>"]


def english_words(text: str) -> list[str]:
    """The Latin words of ``text`` outside its English glosses that are not codes, units,
    standard names or user names."""
    prose = SLASHED.sub("", BRACKETED.sub("", text))
    words = [token.strip(".-_") for token in TOKEN.findall(prose)]
    return [word for word in words if word and not _exempt(word)]


LATIN_RUN: Final = re.compile(r"[a-z]{3,}")
"""A word inside a token with digits: ``per`` of ``CO-95per`` is English; ``a`` of ``a21026``,
``PM`` of ``PM2.5`` and the capitals of a code (``SIM0101``) are not."""


def _exempt(word: str) -> bool:
    """A code (has digits and no English word: a21026, C2614, PM2.5), a single letter, or an
    allowed name."""
    return (
        len(word) == 1
        or word in ALLOWED_WORDS
        or word in DATA_WORDS
        or (
            any(char.isdigit() for char in word)
            and all(_exempt(run) for run in LATIN_RUN.findall(word) if run != word)
        )
    )


def _page_routes(app: FastAPI) -> list[str]:
    paths: dict[str, dict[str, object]] = app.openapi()["paths"]
    return sorted(
        path
        for path, operations in paths.items()
        if "get" in operations and not path.startswith(NOT_PAGES)
    )


def _pattern(route: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", route)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")


def crawl(client: TestClient, app: FastAPI) -> Iterator[tuple[str, list[str]]]:
    """(path, its English-looking texts) of every page reachable as the logged-in client: the
    routes without parameters, then up to two links to each route with parameters (demo ids)."""
    routes = _page_routes(app)
    patterns = {route: _pattern(route) for route in routes if "{" in route}
    queue = [route for route in routes if "{" not in route]
    seen = set(queue)
    visits = dict.fromkeys(patterns, 0)
    while queue:
        path = queue.pop(0)
        response = client.get(path, headers={"accept": "text/html"})
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        page = _Visible()
        page.feed(response.text)
        yield path, [text for text in page.texts if english_words(text)] + page.untitled()
        for link in page.links:
            target = link.split("?", 1)[0].split("#", 1)[0]
            route = next((r for r, p in patterns.items() if p.match(target)), None)
            if route and target not in seen and visits[route] < LINKS_PER_ROUTE:
                visits[route] += 1
                seen.add(target)
                queue.append(target)


def test_a_title_needs_chinese_of_its_own() -> None:
    page = _Visible()
    page.feed("<html><head><title>MN 33010600000001 · 生态环境智慧治理平台</title></head></html>")
    assert page.untitled() == ["<title>MN 33010600000001 · 生态环境智慧治理平台</title>"]
    page = _Visible()
    page.feed("<html><head><title>数采仪 MN 33010600000001 · 生态环境智慧治理平台</title>")
    assert page.untitled() == []


def test_english_words_finds_prose_but_not_codes_or_glosses() -> None:
    assert english_words("设备数据异常：no hourly data for 5 h") == ["no", "hourly", "data", "for"]
    assert english_words("规划仅供工作人员查看（plans are for officers）") == []
    assert english_words("只有管理员可以查看 / only officers read imports") == []
    assert english_words("二氧化硫(a21026) 超标 PM2.5 AQI 35 μg/m3，HJ 633，≤ 0.5 mg/L") == []
    assert english_words("编辑用户 hangzhou · 生态环境智慧治理平台") == []
    assert english_words("plans.state.closed") == ["plans.state.closed"]
    assert english_words("PM2.5 CO-95per O3-8h-90per kWh2 SIM0101") == ["CO-95per", "O3-8h-90per"]


def _read_as(app: FastAPI, logins: list[tuple[str, str]], found: dict[str, set[str]]) -> set[str]:
    """Crawl ``app`` as each of ``logins``; adds what looks English to ``found`` (text → where)
    and returns the paths read."""
    pages: set[str] = set()
    for username, password in logins:
        client = TestClient(app)
        login(client, username, password)
        for path, texts in crawl(client, app):
            pages.add(path)
            for text in texts:
                found.setdefault(text[:160], set()).add(f"{username} {path}")
    return pages


@pytest.mark.slow
def test_every_demo_page_is_chinese_for_every_role(db: Database, settings: Settings) -> None:
    if db.backend != "sqlite":
        pytest.skip("the crawl of the demo runs once, on the embedded database")
    app = create_app(settings, db)
    logins = [(login.username, login.password) for login in DEMO_LOGINS]
    found: dict[str, set[str]] = {}
    # the empty states first: the accounts only, no data yet
    load_demo_accounts(db)
    empty = _read_as(app, logins, found)
    assert {"/", "/plans", "/alerts", "/water", "/air", "/sources", "/hj212"} <= empty
    for _ in load_demo(db):
        pass
    pages = _read_as(app, [*logins, DEMO_USER], found)
    # every page route was read, those with ids through the demo's links
    assert len(pages) >= 40
    assert {"/", "/plans", "/alerts", "/water", "/air", "/sources", "/hj212", "/audit"} <= pages
    assert any(path.startswith("/plans/rectification/") for path in pages)
    assert any(path.startswith("/hj212/devices/") for path in pages)
    for path in ("/login", "/no-such-page"):  # what a visitor meets before logging in
        page = _Visible()
        page.feed(TestClient(app).get(path, headers={"accept": "text/html"}).text)
        for text in [text for text in page.texts if english_words(text)] + page.untitled():
            found.setdefault(text[:160], set()).add(f"(anonymous) {path}")
    lines = [f"{text!r} on {sorted(where)[:2]}" for text, where in sorted(found.items())]
    assert not lines, f"{len(lines)} English texts on zh-CN pages:\n" + "\n".join(lines)


def _chinese_first(response: Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    for field in ("title", "detail"):
        text = str(body[field])
        first_chinese = re.search(r"[\u4e00-\u9fff]", text)
        words = (m for m in TOKEN.finditer(text) if not _exempt(m.group().strip(".-_")))
        first_word = next(words, None)
        assert first_chinese is not None, (field, body)
        assert first_word is None or first_chinese.start() < first_word.start(), (field, body)


def test_api_refusals_are_chinese_first(db: Database, client: TestClient) -> None:
    _chinese_first(client.get("/api/v1/me"), 401)
    _chinese_first(client.get("/api/v1/no-such-thing"), 404)
    _chinese_first(client.post("/api/v1/plans/drafts", json={}), 401)
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    headers = {"X-CSRF-Token": login(client, "zj")}
    _chinese_first(client.post("/api/v1/sources/enterprises", json=ENTERPRISE), 403)  # no CSRF
    _chinese_first(client.get("/api/v1/plans/tasks", params={"status": "nonsense"}), 422)
    _chinese_first(client.get("/api/v1/plans/tasks", params={"plan": "x"}), 422)
    _chinese_first(client.get("/api/v1/plans/999999"), 404)
    _chinese_first(client.get("/api/v1/regions/990000"), 404)
    _chinese_first(client.get("/api/v1/audit"), 403)
    _chinese_first(client.post("/api/v1/plans/rectifications", json={}, headers=headers), 422)
    created = client.post("/api/v1/sources/enterprises", json=ENTERPRISE, headers=headers)
    assert created.status_code == 201, created.text
    _chinese_first(
        client.post("/api/v1/sources/enterprises", json=ENTERPRISE, headers=headers), 409
    )
    # the same refusals in English when asked for
    assert client.get("/api/v1/audit", params={"lang": "en"}).json()["title"] == "Forbidden"
