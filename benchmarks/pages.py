"""Every page of the demo, as the users who open them: time to serve each one.

Target (issue "Wave 2 · 1 of 7", defect 8): every page ≤ 300 ms at the demo's size.

The script builds the demo database in a temporary folder (as ``ecogov demo load`` does), then,
for each of the province officer, a county officer and the enterprise user, logs in and crawls
the pages reachable from the command centre by following links (same site, HTML pages only, at
most ``PER_KIND`` URLs per page kind — a path whose segments holding a digit are taken as ids —
so that 300 station pages count as one page, not 300). The crawl's fetch of a URL is its first
load (``first``: the first look after the demo was loaded, which pays for whatever is not stored
at import); each page found is then fetched ``REPEATS`` times (a user's second visit, with the
server's caches warm). The app runs in-process (no network), so the figure is the server's time.
Roles whose login the demo does not have (``OPTIONAL``, e.g. the inspectors of the enforcement
demo) are skipped with a note.

Prints first, p50 and p95 per page kind and role, then

    RESULT name=pages_first_ms value=<the slowest first load> unit=ms baseline=target_300ms ...
    RESULT name=pages_p95_ms value=<the worst page kind's p95> unit=ms baseline=target_300ms
    ratio=300/value

``--db PATH`` keeps the demo database at PATH (built there when absent, reused when present).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from fastapi.testclient import TestClient

TARGET_MS = 300.0
REPEATS = 5
PER_KIND = 3
MAX_FETCHES = 400
ROLES = (
    ("province", "zhejiang", "zhejiang-demo"),
    ("county", "xihu", "xihu-demo"),
    ("enterprise", "qiye", "qiye-demo"),
    ("inspector", "zhifa1", "zhifa1-demo"),
)
OPTIONAL = frozenset({"inspector"})
"""Roles timed only when the demo has their login."""
SKIP = re.compile(r"^/(api/|static/|logout|lang/|switch-region)|\.(csv|xlsx|json|geojson|css|js)$")
HREF = re.compile(r'href="([^"#]+)"')


class Answer(Protocol):
    """What the crawl reads of an answer (httpx's, or the test client's)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def text(self) -> str: ...


class Client(Protocol):
    """An HTTP client of the app: the in-process test client here, an httpx client of a
    served app in ``pages_load.py``."""

    def get(self, url: str) -> Answer: ...
    def post(self, url: str, *, data: dict[str, str], follow_redirects: bool) -> Answer: ...


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', html)
    if not found:
        raise SystemExit("no CSRF token on the login page")
    return found.group(1)


def login(client: Client, username: str, password: str) -> bool:
    """Log in through the login form (its CSRF token); whether the server accepted."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    return response.status_code in (302, 303)


def kind_of(path: str) -> str:
    """The page a path is an instance of: segments holding a digit (ids, codes) become ``{…}``."""
    parts = path.split("/")
    return "/".join("{…}" if any(c.isdigit() for c in part) else part for part in parts)


def _links(url: str, html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
        if parts.netloc and parts.netloc != "testserver":
            continue
        if not SKIP.search(parts.path):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(
    client: Client, per_kind: int = PER_KIND, max_fetches: int = MAX_FETCHES
) -> tuple[dict[str, list[str]], dict[str, float], int]:
    """Page kind → the URLs found for it (at most ``per_kind``), breadth first from the command
    centre; the time of each URL's fetch [ms] (its first load); the number of fetches."""
    found: dict[str, list[str]] = defaultdict(list)
    first: dict[str, float] = {}
    queue, seen, fetches = ["/"], {"/"}, 0
    while queue and fetches < max_fetches:
        url = queue.pop(0)
        kind = kind_of(urlsplit(url).path)
        if len(found[kind]) >= per_kind:
            continue
        fetches += 1
        start = time.perf_counter()
        response = client.get(url)
        first[url] = (time.perf_counter() - start) * 1000
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        found[kind].append(url)
        for link in _links(url, response.text):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found, first, fetches


def _ms(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def _result(name: str, value: float) -> str:
    return (
        f"RESULT name={name} value={value:.1f} unit=ms baseline=target_300ms "
        f"ratio={TARGET_MS / max(value, 0.1):.2f}"
    )


def main() -> None:
    """Build the demo, crawl it as each role, time every page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="demo database file (built when absent)")
    arguments = parser.parse_args()
    path = arguments.db or Path(tempfile.mkdtemp(prefix="ecogov-pages-")) / "demo.db"
    os.environ["ECOGOV_DATABASE_URL"] = f"sqlite:///{path.resolve()}"
    from ecogov.demo import load_demo
    from ecogov.platform.db import Database
    from ecogov.platform.settings import get_settings
    from ecogov.web.app import create_app

    settings = get_settings()
    if not path.exists():
        started = time.perf_counter()
        for _ in load_demo(Database(settings.database_url)):
            pass
        print(f"demo built in {time.perf_counter() - started:.1f} s at {path}")
    app = create_app(settings)
    worst = worst_first = 0.0
    print(f"{'role':<11} {'page':<44} {'urls':>4} {'first':>8} {'p50':>8} {'p95':>8}  [ms]")
    for role, username, password in ROLES:
        with TestClient(app) as client:
            if not login(client, username, password):
                if role in OPTIONAL:
                    print(f"{role:<11} (no login {username} in this demo: skipped)")
                    continue
                raise SystemExit(f"login of {username} failed")
            found, first_ms, fetches = crawl(client)
            if fetches >= MAX_FETCHES:
                print(f"{role:<11} (crawl stopped at {MAX_FETCHES} fetches: pages may be missing)")
            for kind, urls in sorted(found.items()):
                if not urls:
                    continue
                first = max(first_ms[url] for url in urls)
                warm = [_ms(client, url) for url in urls for _ in range(REPEATS)]
                p50 = statistics.median(warm)
                p95 = statistics.quantiles(warm, n=20, method="inclusive")[-1]
                worst, worst_first = max(worst, p95), max(worst_first, first)
                slow = "  SLOW" if max(p95, first) > TARGET_MS else ""
                print(
                    f"{role:<11} {kind:<44} {len(urls):>4} {first:>8.1f} {p50:>8.1f} {p95:>8.1f}"
                    f"{slow}"
                )
    print(_result("pages_first_ms", worst_first))
    print(_result("pages_p95_ms", worst))


if __name__ == "__main__":
    main()
