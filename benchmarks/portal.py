"""The public portal under load: 100 concurrent anonymous clients over its pages and API.

Target (issue 17, item 1): over a province-year of demo data, p95 ≤ 200 ms and ≥ 500
requests/s on this 2-core machine.

The script builds the demo database in a temporary folder (as ``ecogov demo load`` does, and as
``benchmarks/pages.py``), serves it with uvicorn (``WORKERS`` processes; uvloop and httptools
when installed) on a free loopback port, its workers warming up at start as ``ecogov serve``'s
do, fetches every URL of :data:`PATHS` once (the first figures, after the warm-up), then runs
``wrk`` (a C load generator, so the clients leave the two cores to the server; installed with
apt when missing and running as root): ``CLIENTS`` keep-alive connections, as browsers hold
them, each requesting the URLs of :data:`PATHS` in turn without pause (full GETs, no
conditional requests), for ``DURATION`` seconds. The portal's per-address rate limit is raised
for the run (every client comes from 127.0.0.1). ``PORTAL_BENCH_WORKDIR`` names a folder whose
``demo.db`` an earlier run built, to reuse it. Prints the load average (the machine is
shared), the first time per URL, p50/p95/p99 and rps, then

    RESULT name=portal_p95_ms value=<p95> unit=ms baseline=target_200ms ratio=200/value
    RESULT name=portal_rps value=<rps> unit=req/s baseline=target_500 ratio=value/500
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TARGET_P95_MS = 200.0
TARGET_RPS = 500.0
CLIENTS = 100
DURATION = int(os.environ.get("PORTAL_BENCH_SECONDS", "30"))
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
    """The server's environment over the demo in ``workdir`` (built unless already there)."""
    env = dict(os.environ)
    env["ECOGOV_DATABASE_URL"] = f"sqlite:///{workdir / 'demo.db'}"
    env["ECOGOV_WARM_UP"] = "1"  # as ecogov serve: each worker computes the portal first
    env["ECOGOV_RATE_LIMITS"] = json.dumps({"public": {"requests": 10**9, "per_seconds": 1}})
    if (workdir / "demo.db").exists():
        print(f"demo reused from {workdir}")
        return env
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


WRK_SCRIPT = """
local paths = {%(paths)s}
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK requests=%%d seconds=%%.3f p50=%%.3f p95=%%.3f p99=%%.3f not_ok=%%d failed=%%d\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""
"""wrk's Lua: each thread walks :data:`PATHS` in turn; ``done`` prints the figures [ms]."""


def _wrk() -> str:
    """The path of ``wrk``, installed from Debian when missing and running as root."""
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is missing: install it (apt-get install wrk) and run again")
    return found


def _load(base: str, workdir: Path) -> dict[str, float]:
    """Run wrk against ``base``; its ``done`` line as numbers."""
    script = workdir / "portal.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in PATHS)})
    command = [_wrk(), "-t2", f"-c{CLIENTS}", f"-d{DURATION}s", "--timeout", "30s"]
    command += ["-H", "Accept: text/html,application/json;q=0.9,*/*;q=0.8"]
    out = subprocess.run([*command, "-s", str(script), base], capture_output=True, text=True)
    print(out.stdout.rstrip())
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures: {out.stderr}")
    return {k: float(v) for k, v in (field.split("=") for field in line.split()[1:])}


def main() -> None:
    """Build the demo, serve it, time the portal cold and under 100 concurrent clients."""
    kept = os.environ.get("PORTAL_BENCH_WORKDIR")  # a folder whose demo.db a run built
    workdir = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="ecogov-portal-"))
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
        print(f"load average before the run: {os.getloadavg()} (a shared 2-core machine)")
        figures = _load(base, workdir)
        print(f"load average after the run: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    p95 = figures["p95"]
    rps = figures["requests"] / figures["seconds"]
    print(
        f"{CLIENTS} clients (wrk, keep-alive), {WORKERS} workers, {figures['seconds']:.1f} s: "
        f"{figures['requests']:.0f} requests ({figures['not_ok']:.0f} not 2xx/3xx, "
        f"{figures['failed']:.0f} failed), p50 {figures['p50']:.1f} ms, p95 {p95:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms, {rps:.0f} req/s"
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
