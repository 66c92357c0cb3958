"""Which implementation runs the codec's per-packet loops: the C module, or its Python fallback.

``_native.c`` is built by ``pip install`` where the machine has a C compiler and the Python
headers; where it has not, the build is skipped and :mod:`ecogov.standards.hj212._pure` answers
the same, slower. ``ECOGOV_NATIVE=0`` in the environment forces the fallback (the test suite
runs the codec tests both ways). See ``docs/decisions/native-fallback.md``.
"""

from __future__ import annotations

import os
from typing import Final

__all__ = [
    "NAMES",
    "NATIVE",
    "clean_frame",
    "crc16_hj212",
    "crc16_modbus",
    "is_valid_timestamp",
    "match_layout",
]


def _native_wanted() -> bool:
    """False when ``ECOGOV_NATIVE`` is set to ``0`` (or ``false``/``no``/``off``)."""
    return os.environ.get("ECOGOV_NATIVE", "1").strip().lower() not in {"0", "false", "no", "off"}


NAMES: Final = ("crc16_hj212", "crc16_modbus", "is_valid_timestamp", "clean_frame", "match_layout")
"""The functions both implementations provide."""

if _native_wanted():
    try:
        from ecogov.standards.hj212._native import (
            clean_frame,
            crc16_hj212,
            crc16_modbus,
            is_valid_timestamp,
            match_layout,
        )

        NATIVE = True
    except ImportError:  # built without a compiler: the fallback answers
        from ecogov.standards.hj212._pure import (
            clean_frame,
            crc16_hj212,
            crc16_modbus,
            is_valid_timestamp,
            match_layout,
        )

        NATIVE = False
else:
    from ecogov.standards.hj212._pure import (
        clean_frame,
        crc16_hj212,
        crc16_modbus,
        is_valid_timestamp,
        match_layout,
    )

    NATIVE = False
