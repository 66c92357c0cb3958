"""The event loop of the receiver and the simulated loggers: uvloop where it is installed.

Both spend most of their time in the loop's socket callbacks (one read and one write per packet
per connection); uvloop runs them in C. Without it (Windows) the asyncio loop does the same work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on uvloop where it exists, else on the asyncio event loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - platforms without uvloop
        return asyncio.run(main)
    return uvloop.run(main)
