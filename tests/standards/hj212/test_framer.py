"""Stream framer: sticky and split reads, garbage, oversize lengths, resynchronisation."""

from __future__ import annotations

from ecogov.standards.hj212 import Frame, Framer, FramingError, frame_segment, parse_packet
from ecogov.standards.hj212.errors import ViolationCode as V

HEAD = "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
A = frame_segment(HEAD + "CP=&&DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N&&")
B = frame_segment(HEAD + "CP=&&&&")


def run(*chunks: bytes, close: bool = True) -> list[Frame | FramingError]:
    framer = Framer()
    events = [event for chunk in chunks for event in framer.feed(chunk)]
    return events + (framer.close() if close else [])


def kinds(events: list[Frame | FramingError]) -> list[object]:
    return [e.data if isinstance(e, Frame) else sorted(e.codes) for e in events]


def test_sticky_packets_in_one_read() -> None:
    events = run(A + B + A)
    assert kinds(events) == [A, B, A]
    assert [e.offset for e in events if isinstance(e, Frame)] == [0, len(A), len(A) + len(B)]


def test_packet_split_over_reads_byte_by_byte() -> None:
    stream = A + B
    assert kinds(run(*(stream[i : i + 1] for i in range(len(stream))))) == [A, B]


def test_garbage_before_header_is_reported_once() -> None:
    events = run(b"\x00\xffjunk#", b"#x", A)
    assert kinds(events) == [[V.FRAME_GARBAGE], A]
    error = events[0]
    assert isinstance(error, FramingError)
    assert error.violations[0].position == 0
    assert "9 bytes" in error.violations[0].message


def test_oversize_length_is_refused_and_the_stream_resyncs() -> None:
    assert kinds(run(b"##9999QN=" + A)) == [[V.FRAME_TOO_LONG], [V.FRAME_GARBAGE], A]


def test_truncated_packet_followed_by_a_good_one() -> None:
    truncated = A[:40]
    events = run(truncated, B, close=False)
    assert kinds(events) == [[V.FRAME_TRUNCATED], B]
    assert kinds(run(truncated + B + A)) == [[V.FRAME_TRUNCATED], B, A]


def test_wrong_length_field_cut_at_crlf_and_reported_by_the_parser() -> None:
    wrong = b"##0010" + A[6:]
    events = run(wrong + B)
    assert kinds(events) == [wrong, B]
    packet = parse_packet(wrong, strict=False)
    assert {v.code for v in packet.violations} == {V.FRAME_LENGTH_MISMATCH}


def test_missing_tail_without_next_header() -> None:
    no_tail = A[:-2] + b"xx"
    assert kinds(run(no_tail)) == [[V.FRAME_TAIL]]


def test_close_reports_incomplete_frame_and_trailing_garbage() -> None:
    assert kinds(run(A[:30])) == [[V.FRAME_TRUNCATED]]
    assert kinds(run(A + b"tail")) == [A, [V.FRAME_GARBAGE]]
    assert kinds(run(b"")) == []


def test_hash_runs_do_not_recurse_or_grow() -> None:
    framer = Framer()
    assert kinds(framer.feed(b"#" * 100_000 + A)) == [[V.FRAME_GARBAGE], A]
    assert framer.buffered == 0


def test_buffer_stays_bounded_on_endless_garbage() -> None:
    framer = Framer()
    for _ in range(100):
        framer.feed(b"x" * 10_000)
    assert framer.buffered == 0
