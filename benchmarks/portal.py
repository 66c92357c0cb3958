"""The public portal under load: 100 concurrent anonymous clients over its pages and API.

Target (issue 17, item 1): over a province-year of demo data, p95 ≤ 200 ms and ≥ 500
requests/s on this 2-core machine.

The script builds the demo database in a temporary folder (as ``ecogov demo load`` does, and as
``benchmarks/pages.py``), serves it with uvicorn (``WORKERS`` processes) on a free loopback
port, its workers warming up as deployed (``ECOGOV_WARM_UP``), fetches every URL of
:data:`PATHS` once (the first figures, after the warm-up), then runs ``CLIENTS`` asyncio +
httpx clients, each requesting the URLs in turn without pause, for ``DURATION`` seconds. The
portal's per-address rate limit is raised for the run (every client comes from 127.0.0.1). Prints
the first time per URL, p50/p95 and rps, then

    RESULT name=portal_p95_ms value=<p95> unit=ms baseline=target_200ms ratio=200/value
    RESULT name=portal_rps value=<rps> unit=req/s baseline=target_500 ratio=value/500
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TARGET_P95_MS = 200.0
TARGET_RPS = 500.0
CLIENTS = 100
DURATION = float(os.environ.get("PORTAL_BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("PORTAL_BENCH_WORKERS", "2"))
PATHS = (
    "/portal",
    "/portal/air",
    "/portal/air?tab=day",
    "/portal/air?tab=month",
    "/portal/water",
    "/portal/enterprises",
    "/portal/draws",
    "/api/v1/public/air/latest",
    "/api/v1/public/air/ranking/now",
    "/api/v1/public/air/index/month",
    "/api/v1/public/air/index/year",
    "/api/v1/public/water/sections",
    "/api/v1/public/enterprises",
    "/api/v1/public/draws",
)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _build_demo(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ECOGOV_DATABASE_URL"] = f"sqlite:///{workdir / 'demo.db'}"
    env["ECOGOV_WARM_UP"] = "1"  # as deployed: each worker computes the portal before serving
    env["ECOGOV_RATE_LIMITS"] = json.dumps({"public": {"requests": 10**9, "per_seconds": 1}})
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ecogov", "demo", "load"], env=env, check=True)
    print(f"demo built in {time.perf_counter() - started:.1f} s at {workdir}")
    return env


def wait_ready(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    """Wait until the server at ``base`` answers its health check (it warms up first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


async def _client(
    base: str, offset: int, stop: float, times: list[float], codes: list[int]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        index = offset
        while time.perf_counter() < stop:
            path = PATHS[index % len(PATHS)]
            index += 1
            started = time.perf_counter()
            response = await client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            codes.append(response.status_code)


async def _load(base: str) -> tuple[list[float], list[int], float]:
    times: list[float] = []
    codes: list[int] = []
    started = time.perf_counter()
    stop = started + DURATION
    await asyncio.gather(*(_client(base, n, stop, times, codes) for n in range(CLIENTS)))
    return times, codes, time.perf_counter() - started


def main() -> None:
    """Build the demo, serve it, time the portal cold and under 100 concurrent clients."""
    workdir = Path(tempfile.mkdtemp(prefix="ecogov-portal-"))
    env = _build_demo(workdir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "--factory", "ecogov.web.app:create_app"]
    command += ["--port", str(port), "--workers", str(WORKERS), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env)
    try:
        wait_ready(base, server)
        print(f"{'first':>8}  [ms]  url")
        for path in PATHS:
            started = time.perf_counter()
            status = httpx.get(base + path, timeout=60).status_code
            print(f"{(time.perf_counter() - started) * 1000:8.0f}  {status}  {path}")
        times, codes, elapsed = asyncio.run(_load(base))
    finally:
        server.terminate()
        server.wait(timeout=30)
    failed = sum(code != 200 for code in codes)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    rps = len(times) / elapsed
    print(
        f"{CLIENTS} clients, {WORKERS} workers, {elapsed:.1f} s: {len(times)} requests "
        f"({failed} not 200), p50 {p50:.0f} ms, p95 {p95:.0f} ms, {rps:.0f} req/s"
    )
    print(
        f"RESULT name=portal_p95_ms value={p95:.1f} unit=ms baseline=target_200ms "
        f"ratio={TARGET_P95_MS / p95:.2f}"
    )
    print(
        f"RESULT name=portal_rps value={rps:.0f} unit=req/s baseline=target_500 "
        f"ratio={rps / TARGET_RPS:.2f}"
    )


if __name__ == "__main__":
    main()
