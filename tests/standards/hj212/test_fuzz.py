"""Fuzzing of the parser and the framer: random bytes, mutated packets, random chunking.

Each Hypothesis example draws a seed and runs a *batch* of inputs, so the suite pushes about
100,000 inputs through the codec in about 15 seconds. The total scales with an environment
variable; the documented long run is one million inputs (about 3–4 minutes on one core)::

    ECOGOV_FUZZ_INPUTS=1000000 .venv/bin/pytest tests/standards/hj212/test_fuzz.py -q

Properties: nothing but :class:`HJ212Error` escapes and no ``internal`` violation appears (every
input, tolerant mode, under a random device profile); every clean result, which the fast path may
have produced, equals the careful path's; strict refuses exactly when tolerant reports violations
(every eighth input); a chunked stream of packets frames exactly like the whole stream.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import (
    HJ212_2017,
    HJ212_2017_FIELD,
    HJ212_2025,
    HJT212_2005,
    CrcFlavour,
    Frame,
    Framer,
    FramingError,
    HJ212Error,
    Packet,
    ProtocolProfile,
    frame_segment,
    parse_packet,
)
from ecogov.standards.hj212.errors import ViolationCode
from ecogov.standards.hj212.parser import _careful_frame, _fast_segment

from .test_appendix_c import CLEAN

TOTAL = int(os.environ.get("ECOGOV_FUZZ_INPUTS", "100000"))
EXAMPLES = 50  # Hypothesis examples per test; each runs a batch
SHARE = {"random": 0.30, "mutated": 0.35, "stream": 0.35}
ALPHABET = b"##0123456789QNSTCPWMFlagPNUO=;,&&-.abw\r\n \xe6\xb8\x85"
TO_ALPHABET = bytes(ALPHABET[i % len(ALPHABET)] for i in range(256))  # random bytes → protocol text


def _hourly_packet(rng: random.Random) -> bytes:
    codes = rng.sample(["w00000", "w01001", "w01018", "w21003", "w21011", "w21001", "a21026"], 4)
    records = [f"DataTime=201608{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}0000"]
    for code in codes:
        values = [f"{rng.uniform(0, 500):.{rng.randint(0, 3)}f}" for _ in range(4)]
        records.append(
            f"{code}-Cou={values[0]},{code}-Min={values[1]},{code}-Avg={values[2]},"
            f"{code}-Max={values[3]},{code}-Flag={rng.choice('NFMSDCTB')}"
        )
    head = "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
    return frame_segment(f"{head}CP=&&{';'.join(records)}&&")


POOL = [frame_segment(e.text) for e in CLEAN] + [
    _hourly_packet(random.Random(n)) for n in range(40)
]


def _batch(kind: str) -> int:
    return max(1, int(TOTAL * SHARE[kind]) // EXAMPLES)


def _random_input(rng: random.Random) -> bytes:
    size = rng.choice([0, 1, 5, 12, 40, 120, 300, 1100]) if rng.random() < 0.97 else 5000
    data = rng.randbytes(size)
    if rng.random() < 0.5:
        data = data.translate(TO_ALPHABET)
    if rng.random() < 0.5:
        data = b"##%04d" % rng.randint(0, 1100) + data
    return data + (b"\r\n" if rng.random() < 0.5 else b"")


def _mutate(rng: random.Random, frame: bytes) -> bytes:
    data = bytearray(frame)
    for _ in range(rng.randint(1, 3)):
        operation = rng.randrange(7)
        at = rng.randrange(len(data) + 1)
        if operation == 0 and data:  # flip one byte
            data[at % len(data)] ^= 1 << rng.randrange(8)
        elif operation == 1:  # truncate
            del data[at:]
        elif operation == 2:  # duplicate a slice
            end = min(len(data), at + rng.randint(1, 40))
            data[at:at] = data[at:end]
        elif operation == 3:  # wrong length field
            data[2:6] = b"%04d" % rng.randint(0, 9999)
        elif operation == 4:  # delete a slice
            del data[at : at + rng.randint(1, 10)]
        elif operation == 5:  # insert a protocol character
            data[at:at] = bytes([rng.choice(ALPHABET)])
        else:  # replace with a random byte
            if data:
                data[at % len(data)] = rng.randrange(256)
    return bytes(data)


PROFILES = [
    HJ212_2017,
    HJ212_2017_FIELD,
    HJT212_2005,
    HJ212_2025,
    replace(HJ212_2017, crc_flavours=(CrcFlavour.MODBUS, CrcFlavour.HJ212), strict=False),
]


def _check_tolerant(data: bytes, profile: ProtocolProfile = HJ212_2017) -> Packet:
    """Tolerant mode returns a packet for any bytes and never reports an internal error."""
    packet = parse_packet(data, profile, strict=False)
    assert ViolationCode.INTERNAL not in {v.code for v in packet.violations}
    return packet


def _check_strict(data: bytes, tolerant: Packet, profile: ProtocolProfile) -> None:
    """Strict mode refuses exactly the packets tolerant mode finds violations in."""
    if tolerant.violations:
        with pytest.raises(HJ212Error) as refused:
            parse_packet(data, profile, strict=True)
        assert refused.value.violations == tolerant.violations
    else:
        assert parse_packet(data, profile, strict=True) == tolerant


def _run(batch: int, seed: int, make: Callable[[random.Random], bytes]) -> None:
    """Tolerant parse of every input under a random profile. A clean result may come from the
    fast path, so it is compared with the careful path's; every eighth input is parsed strictly."""
    rng = random.Random(seed)
    for index in range(batch):
        data = make(rng)
        profile = rng.choice(PROFILES)
        packet = _check_tolerant(data, profile)
        if not packet.violations:
            assert _careful_frame(data, profile, []) == packet
        if index % 8 == 0:
            _check_strict(data, packet, profile)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@FUZZ
@given(st.integers(0, 2**32))
def test_random_bytes(seed: int) -> None:
    _run(_batch("random"), seed, _random_input)


@FUZZ
@given(st.integers(0, 2**32))
def test_mutated_packets(seed: int) -> None:
    _run(_batch("mutated"), seed, lambda rng: _mutate(rng, rng.choice(POOL)))


@FUZZ
@given(st.integers(0, 2**32))
def test_fast_and_careful_paths_agree_on_valid_packets(seed: int) -> None:
    rng = random.Random(seed)
    frame = _hourly_packet(rng)
    fast = _fast_segment(frame[6:-6].decode("ascii"), HJ212_2017)
    assert fast is not None  # the fast path takes it
    packet = parse_packet(frame)
    assert packet == _careful_frame(frame, HJ212_2017, [])


VALUE_ALPHABET = "0123456789+-.eNFT ;,=&/"


@FUZZ
@given(st.integers(0, 2**32))
def test_known_device_with_random_values_agrees_with_careful_path(seed: int) -> None:
    """After a device's clean packet, its next packets take the layout-pattern path: each value
    replaced by random protocol text is judged exactly as the careful path judges it."""
    rng = random.Random(seed)
    warm = _hourly_packet(rng)
    assert not parse_packet(warm).violations
    for profile in PROFILES:
        parse_packet(warm, profile, strict=False)  # each profile now knows the device
    segment = warm[6:-6].decode()
    cut = segment.index("CP=&&") + 5
    for _ in range(_batch("mutated") // 20):
        pieces = segment[cut:-2].split("=")
        index = rng.randrange(1, len(pieces))
        value = "".join(rng.choices(VALUE_ALPHABET, k=rng.randint(0, 6)))
        old = pieces[index].split(";")[0].split(",")[0]  # the value before the next name
        pieces[index] = value + pieces[index][len(old) :]
        data = frame_segment(segment[:cut] + "=".join(pieces) + "&&")
        profile = rng.choice(PROFILES)
        packet = _check_tolerant(data, profile)
        assert _careful_frame(data, profile, []) == packet


def test_fast_path_takes_every_clean_appendix_c_example() -> None:
    """All but the ``//…//`` logs (C.40, C.41), which only the careful path reads."""
    eligible = [frame for frame in POOL if b"//" not in frame]
    assert len(eligible) == len(POOL) - 3
    for frame in eligible:
        assert _fast_segment(frame[6:-6].decode("ascii"), HJ212_2017) == parse_packet(frame).segment


def _frames(events: list[Frame | FramingError]) -> list[object]:
    return [e.data if isinstance(e, Frame) else e.violations for e in events]


def _feed(chunks: list[bytes]) -> list[Frame | FramingError]:
    framer = Framer()
    events = [event for chunk in chunks for event in framer.feed(chunk)]
    return events + framer.close()


def _chunk(rng: random.Random, stream: bytes) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(stream)), min(len(stream) - 1, rng.randint(0, 60))))
    return [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]


@FUZZ
@given(st.integers(0, 2**32))
def test_random_chunking_of_a_packet_stream(seed: int) -> None:
    rng = random.Random(seed)
    budget = _batch("stream")
    while budget > 0:
        packets = [rng.choice(POOL) for _ in range(rng.randint(1, 30))]
        budget -= len(packets)
        stream = b"".join(packets)
        whole = _feed([stream])
        assert [e.data for e in whole if isinstance(e, Frame)] == packets
        assert _frames(_feed(_chunk(rng, stream))) == _frames(whole)
        noisy = b"".join(rng.choice([b"", b"junk", b"#", b"##12"]) + p for p in packets)
        noisy_whole = _feed([noisy])
        assert _frames(_feed(_chunk(rng, noisy))) == _frames(noisy_whole)
        for event in noisy_whole:
            if isinstance(event, Frame):
                _check_tolerant(event.data)
