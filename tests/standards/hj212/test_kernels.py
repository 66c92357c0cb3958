"""The Python fallback of the codec's loops answers exactly as the C module, and is chosen by
``ECOGOV_NATIVE`` or by the C module's absence.

The codec tests of this folder run twice: here on whatever the environment chose (the C module
on a machine that built it), and once more in a child run with ``ECOGOV_NATIVE=0``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import _pure, kernels
from ecogov.standards.hj212.crc import format_crc

HAS_NATIVE = importlib.util.find_spec("ecogov.standards.hj212._native") is not None
FORCED_PURE = os.environ.get("ECOGOV_NATIVE") == "0"
FLAGS = frozenset({"N", "F", "M", "S", "D", "C", "T", "B"})
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

needs_native = pytest.mark.skipif(not HAS_NATIVE, reason="the C module was not built here")


def test_selection_follows_the_environment() -> None:
    assert kernels.NATIVE is (HAS_NATIVE and not FORCED_PURE)
    for name in kernels.NAMES:
        chosen = getattr(kernels, name)
        assert (chosen is getattr(_pure, name)) is not kernels.NATIVE


def test_crc_of_the_standards_worked_example() -> None:
    segment = (
        b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
        b"Flag=5;CP=&&RtdInterval=30&&"
    )
    assert format_crc(_pure.crc16_hj212(segment)) == "1C80"


def _frame(segment: bytes, crc: int | None) -> bytes:
    field = format_crc(_pure.crc16_hj212(segment) if crc is None else crc)
    return b"##%04d%b%s\r\n" % (len(segment), segment, field.encode())


@needs_native
@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_crcs_agree(data: bytes) -> None:
    from ecogov.standards.hj212 import _native

    assert _pure.crc16_hj212(data) == _native.crc16_hj212(data)
    assert _pure.crc16_modbus(data) == _native.crc16_modbus(data)


@needs_native
@settings(max_examples=500)
@given(
    st.one_of(
        st.text(alphabet="0123456789", min_size=13, max_size=18),
        st.text(max_size=18),
        st.builds(
            lambda y, mo, d, h, mi, s, z: f"{y:04d}{mo:02d}{d:02d}{h:02d}{mi:02d}{s:02d}{z}",
            st.integers(0, 9999),
            st.integers(0, 13),
            st.integers(0, 32),
            st.integers(0, 25),
            st.integers(0, 61),
            st.integers(0, 61),
            st.sampled_from(["", "000", "999", "1"]),
        ),
    ),
    st.sampled_from([False, True, None]),
)
def test_timestamps_agree(text: str, millis: bool | None) -> None:
    from ecogov.standards.hj212 import _native

    pure = _pure.is_valid_timestamp(text, millis=millis)
    assert pure == _native.is_valid_timestamp(text, millis=millis)


@needs_native
@settings(max_examples=400)
@given(
    st.binary(max_size=80),
    st.one_of(st.none(), st.integers(0, 0xFFFF)),
    st.integers(0, 100),
    st.sampled_from(["frame", "raw", "mangled"]),
)
def test_clean_frame_agrees(segment: bytes, crc: int | None, limit: int, shape: str) -> None:
    from ecogov.standards.hj212 import _native

    raw = _frame(segment, crc) if shape != "raw" else segment
    if shape == "mangled" and raw:
        raw = raw[: len(raw) // 2] + b"x" + raw[len(raw) // 2 + 1 :]
    assert _pure.clean_frame(raw, limit) == _native.clean_frame(raw, limit)


VALUE = st.one_of(
    st.from_regex(r"[+-]?[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(sorted(FLAGS)),
    st.text(alphabet="0123456789.+-NFx=;,é", max_size=5),
)


@needs_native
@settings(max_examples=500)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a01001-Rtd", "a01001-Flag", "w01018-Avg", "DataTime", "é"]),
            VALUE,
            st.sampled_from("nfa"),
        ),
        min_size=1,
        max_size=4,
    ),
    st.text(alphabet=";,", min_size=3, max_size=3),
    st.booleans(),
)
def test_match_layout_agrees(
    fields: list[tuple[str, str, str]], between: str, trailing: bool
) -> None:
    from ecogov.standards.hj212 import _native

    names = tuple(name for name, _, _ in fields)
    kinds = "".join(kind for _, _, kind in fields).encode()
    separators = between[: len(fields) - 1]
    cp = "".join(
        (separators[i - 1] if i else "") + f"{name}={value}"
        for i, (name, value, _) in enumerate(fields)
    ) + (";" if trailing else "")
    args = (cp, names, separators, kinds, FLAGS)
    assert _pure.match_layout(*args) == _native.match_layout(*args)


def test_match_layout_refuses_a_bad_layout() -> None:
    with pytest.raises(ValueError, match="one kind per name"):
        _pure.match_layout("a=1", ("a",), "", b"nn", FLAGS)


@pytest.mark.slow
@pytest.mark.skipif(FORCED_PURE, reason="this run is the fallback run itself")
def test_codec_tests_pass_on_the_fallback() -> None:
    environment = {**os.environ, "ECOGOV_NATIVE": "0"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, str(HERE)], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
