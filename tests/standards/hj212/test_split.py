"""PNUM/PNO reassembly (Appendix C.49/C.50): completion, timeout, eviction, inconsistency."""

from __future__ import annotations

from dataclasses import replace

from ecogov.standards.hj212 import (
    Reassembled,
    Reassembler,
    ReassemblyError,
    frame_segment,
    parse_packet,
)
from ecogov.standards.hj212.errors import ViolationCode as V

PREFIX = "ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;PNUM=2;"
PART_1 = parse_packet(
    frame_segment(
        f"QN=20160801085857534;{PREFIX}PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,"
        "w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,"
        "w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&"
    )
).segment
PART_2 = parse_packet(
    frame_segment(
        f"QN=20160801085857535;{PREFIX}PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,"
        "w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&"
    )
).segment


def test_c49_parts_in_any_order_make_the_c47_message() -> None:
    for order in ((PART_1, PART_2), (PART_2, PART_1)):
        reassembler = Reassembler()
        assert reassembler.add(order[0], now=0.0) == []
        assert reassembler.pending == 1
        (done,) = reassembler.add(order[1], now=1.0)
        assert isinstance(done, Reassembled)
        assert done.parts == (PART_1, PART_2)
        merged = done.segment
        assert (merged.qn, merged.flag, merged.pnum, merged.pno) == (
            "20160801085857534",
            4,
            None,
            None,
        )
        assert merged.cp.names.count("DataTime") == 1
        assert list(merged.cp.factors()) == ["w00000", "w01001", "w01018"]
        assert [r.code for r in merged.cp.records()] == [None, "w00000", "w01001", "w01018"]
        assert reassembler.pending == 0


def test_unsplit_packets_pass_through() -> None:
    plain = replace(PART_1, flag=4, pnum=None, pno=None)
    assert Reassembler().add(plain, now=0.0) == [Reassembled(plain, (plain,))]


def test_timeout_reports_the_partial_group() -> None:
    reassembler = Reassembler(timeout=10.0)
    reassembler.add(PART_1, now=0.0)
    assert reassembler.expire(now=5.0) == []
    (error,) = reassembler.expire(now=11.0)
    assert isinstance(error, ReassemblyError)
    assert error.codes == {V.SPLIT_TIMEOUT}
    assert error.partial == (PART_1,)
    assert "missing PNO [2]" in str(error)


def test_eviction_keeps_memory_bounded() -> None:
    reassembler = Reassembler(max_groups=2)
    events = []
    for hour in range(5):
        part = replace(
            PART_1, cp=replace(PART_1.cp, raws=(f"2016080100{hour}000", *PART_1.cp.raws[1:]))
        )
        events += reassembler.add(part, now=float(hour))
    assert reassembler.pending == 2
    assert [e.codes for e in events if isinstance(e, ReassemblyError)] == [{V.SPLIT_EVICTED}] * 3
    assert len(events) == 3
    tight = Reassembler(max_bytes=10)
    other = replace(PART_1, mn="OTHER")
    tight.add(PART_1, now=0.0)
    (evicted,) = tight.add(other, now=0.0)
    assert isinstance(evicted, ReassemblyError)
    assert evicted.codes == {V.SPLIT_EVICTED}


def test_duplicates_and_inconsistent_parts() -> None:
    reassembler = Reassembler()
    reassembler.add(PART_1, now=0.0)
    assert reassembler.add(PART_1, now=0.0) == []  # retransmission
    changed = replace(PART_1, qn="20160801085857999")
    (error,) = reassembler.add(changed, now=0.0)
    assert isinstance(error, ReassemblyError)
    assert error.codes == {V.SPLIT_INCONSISTENT}
    (bad,) = Reassembler(max_parts=1).add(PART_1, now=0.0)
    assert isinstance(bad, ReassemblyError)
    assert bad.codes == {V.SPLIT_INCONSISTENT}
