"""The running demo feed (演示实时数据): an HJ 212 receiver on loopback and simulated data loggers
of a handful of demo devices uploading to it as the wall clock runs, beside the web server.

``ecogov serve --demo`` starts it (the domain's demo service, see
:attr:`ecogov.platform.plugins.Domain.demo_service`): real-time data every 30 s, 10-minute data
and hourly means as each interval ends, so the device pages keep getting new values while the
demo runs. Production serving never starts it. The receiver and the loggers share one event loop
in a background thread; :meth:`LiveFeed.stop` (or leaving the ``with`` block, as the server does
on Ctrl-C) stops the loggers, lets the receiver commit what it acknowledged, and joins the thread
within a bounded time. Only a loopback address is accepted: the feed is for this machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from ecogov.hj212.demo import demo_now, live_devices
from ecogov.hj212.eventloop import run_loop
from ecogov.hj212.receiver import Receiver, ReceiverSettings
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError

log = logging.getLogger(__name__)

FOREVER_S: Final = 10 * 365 * 86_400.0
"""How long the simulated loggers would upload if never stopped [s]."""


class FeedError(EcogovError):
    """The demo feed could not start (its port taken, no demo devices …)."""


@dataclass(frozen=True)
class FeedSettings:
    """Where the demo receiver listens (loopback only) and how the loggers upload [s]."""

    host: str = "127.0.0.1"
    port: int = 9212
    interval: float = 2.0
    commands: tuple[str, ...] = ("2011", "2051", "2061")
    start_timeout: float = 30.0
    stop_timeout: float = 30.0

    def __post_init__(self) -> None:
        try:
            loopback = ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise InputError(
                f"演示数据接收服务只监听本机回环地址，{self.host} 不是"
                f" (the demo feed listens on loopback only, not {self.host})"
            )


class LiveFeed:
    """A receiver and simulated loggers of ``devices`` in a background thread (module docstring).

    ``now`` gives the instant the loggers' data clocks start from (the demo's clock).
    """

    def __init__(
        self,
        url: str,
        devices: Sequence[SimulatedDevice],
        settings: FeedSettings | None = None,
        now: Callable[[], datetime] = demo_now,
    ) -> None:
        self.url = url
        self.devices = list(devices)
        self.settings = settings or FeedSettings()
        self.now = now
        self.port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def running(self) -> bool:
        """Whether the feed's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the receiver, then the loggers; returns once the receiver listens (raises
        :class:`FeedError` when it cannot, or does not within ``start_timeout``)."""
        if not self.devices:
            raise FeedError("没有可模拟的在线监测设备 (no demo devices to simulate)")
        if self.running:
            return
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="hj212-demo-feed", daemon=True)
        self._thread.start()
        if not self._ready.wait(self.settings.start_timeout):
            self.stop()
            raise FeedError("演示数据接收服务启动超时 (the demo feed did not start in time)")
        if self._error is not None:
            self._thread.join(self.settings.stop_timeout)
            message = f"演示数据接收服务未能启动 (the demo feed did not start): {self._error}"
            raise FeedError(message)

    def stop(self) -> None:
        """Stop the loggers and the receiver and join the thread (bounded by ``stop_timeout``)."""
        thread = self._thread
        if thread is None:
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(stop.set)
        thread.join(self.settings.stop_timeout)
        if thread.is_alive():
            log.error("demo feed still stopping after %.0f s", self.settings.stop_timeout)
        else:
            self._thread = None

    def __enter__(self) -> LiveFeed:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            run_loop(self._main())
        except BaseException as error:  # reported to start(); the thread ends either way
            self._error = error
            log.exception("demo feed stopped on an error")
        finally:
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        settings = self.settings
        receiver = Receiver(self.url, ReceiverSettings(host=settings.host, port=settings.port))
        await receiver.start()
        self.port = receiver.port
        config = SimulationConfig(
            host=settings.host,
            port=receiver.port,
            seconds=FOREVER_S,
            interval=settings.interval,
            commands=settings.commands,
            defects=0.0,
            drain=1.0,
            start=self.now(),
            live=True,
        )
        loggers = asyncio.create_task(simulate(self.devices, config))
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            loggers.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loggers
            await receiver.stop()


DEMO_FEED: Final = FeedSettings()
"""Where the demo feed listens: HJ 212's usual port on 127.0.0.1."""


@contextmanager
def demo_feed(url: str) -> Iterator[LiveFeed]:
    """The demo feed of the demo's live devices (see :func:`ecogov.hj212.demo.live_devices`)
    as :data:`DEMO_FEED` says, running for the ``with`` block."""
    db = Database(url)
    try:
        devices = live_devices(db)
    finally:
        db.dispose()
    with LiveFeed(url, devices, DEMO_FEED) as feed:
        yield feed
