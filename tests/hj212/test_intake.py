"""The receiver's logic without sockets: routing, authentication, replies, split packets."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.hj212.intake import Intake, Outcome, RegisteredDevice
from ecogov.platform.i18n import has_chinese
from ecogov.standards.hj212 import (
    HJ212_2017,
    HJT212_2005,
    CPArea,
    DataSegment,
    FramingError,
    HJ212Error,
    Violation,
    ViolationCode,
    data_answer,
    frame_segment,
    parse_packet,
)
from tests.hj212.support import HOUR, Registered, split_upload, upload

DEVICE = Registered("330106000000000000000001", "123456", "32", 1, 1, 1)
REGISTRY = {DEVICE.mn: RegisteredDevice(DEVICE.mn, DEVICE.pw, HJ212_2017, 1, "32")}
PEER = "127.0.0.1:5000"


def intake() -> Intake:
    return Intake(REGISTRY)


def handle(frame: bytes, into: Intake | None = None) -> Outcome:
    return (into or intake()).frame(frame, PEER, 1_000)


def reply_of(outcome: Outcome) -> DataSegment:
    assert outcome.reply is not None
    return parse_packet(outcome.reply).segment


def test_hourly_upload_is_a_record_and_answered_with_9014() -> None:
    outcome = handle(upload(DEVICE))
    assert outcome.record is not None
    mn, cn, data_time, st, qn, cp, _received = outcome.record
    assert (mn, cn, data_time, st) == (DEVICE.mn, "2061", int(HOUR.timestamp()), "32")
    assert cp.startswith("DataTime=20260301080000;w01018-Avg=40.1")
    assert outcome.archive is not None
    assert outcome.archive[5] == "stored"
    answer = reply_of(outcome)
    assert (answer.cn, answer.st, answer.qn, answer.flag) == ("9014", "91", qn, 4)
    assert outcome.mn == DEVICE.mn
    assert not outcome.rejects


def test_upload_without_the_ack_bit_gets_no_reply() -> None:
    outcome = handle(upload(DEVICE, flag=4))
    assert outcome.record is not None
    assert outcome.reply is None


def test_unknown_mn_is_refused_with_qnrtn_4() -> None:
    stranger = replace(DEVICE, mn="330106000000000000000999")
    outcome = handle(upload(stranger))
    assert outcome.record is None
    assert outcome.mn is None
    assert [row[5] for row in outcome.rejects] == ["unknown-mn"]
    answer = reply_of(outcome)
    assert answer.cn == "9011"
    assert answer.cp.value("QnRtn") == 4
    assert outcome.archive is not None
    assert outcome.archive[5] == "rejected"


def test_wrong_pw_is_refused_with_qnrtn_3() -> None:
    outcome = handle(upload(DEVICE, pw="654321"))
    assert [row[5] for row in outcome.rejects] == ["wrong-pw"]
    assert reply_of(outcome).cp.value("QnRtn") == 3
    assert outcome.rejects[0][7] is not None  # the frame is kept in the ledger


def test_crc_error_is_refused_with_qnrtn_9_saying_where() -> None:
    frame = upload(DEVICE)
    bad = frame[:-3] + (b"0" if frame[-3:-2] != b"0" else b"1") + frame[-2:]
    outcome = handle(bad)
    row = outcome.rejects[0]
    assert row[5] == "crc-mismatch"
    zh, en = str(row[6]).split(" / ", 1)  # Chinese first, saying where; the English particulars
    assert zh.startswith(f"CRC 校验不符（第 {len(bad) - 6} 字节）")
    assert has_chinese(zh)
    assert en.startswith("CRC ")
    assert "does not match" in en
    assert not has_chinese(en)
    assert reply_of(outcome).cp.value("QnRtn") == 9


def test_a_refused_frame_is_parsed_once() -> None:
    """Refusing costs the receiver one careful parse, not one per path the frame takes (a
    device sending broken frames at full speed would otherwise cost three times as much)."""
    frame = upload(DEVICE)
    bad = frame[:-3] + (b"0" if frame[-3:-2] != b"0" else b"1") + frame[-2:]
    with patch("ecogov.hj212.intake.parse_packet", wraps=parse_packet) as parse:
        outcome = handle(bad)
    assert parse.call_count == 1
    assert [row[5] for row in outcome.rejects] == ["crc-mismatch"]


def test_a_fault_of_the_codec_is_refused_not_raised() -> None:
    failing = HJ212Error([Violation(ViolationCode.INTERNAL, "unexpected KeyError while parsing")])
    with (
        patch("ecogov.hj212.intake.parse_known", return_value=None),
        patch("ecogov.hj212.intake.parse_packet", side_effect=failing),
    ):
        outcome = handle(upload(DEVICE))
    assert [row[5] for row in outcome.rejects] == ["internal"]
    assert outcome.reply is None  # nothing could be read to answer


def test_unreadable_frame_is_refused_without_reply() -> None:
    outcome = handle(b"##0010hello12345\r\n")
    assert outcome.rejects
    assert outcome.reply is None


def test_framing_errors_go_to_the_ledger() -> None:
    error = FramingError([Violation(ViolationCode.FRAME_TOO_LONG, "length 9999", 2)])
    outcome = intake().framing_error(error, PEER, 5)
    assert outcome.rejects == [(5, PEER, None, None, None, "frame-too-long", str(error), None)]


def test_upload_without_data_time_is_refused() -> None:
    segment = parse_packet(upload(DEVICE)).segment
    cp = CPArea(segment.cp.names[1:], segment.cp.raws[1:], segment.cp.separators[1:])
    outcome = handle(frame_segment(replace(segment, cp=cp).text()))
    assert [row[5] for row in outcome.rejects] == ["no-data-time"]
    assert outcome.record is None
    assert reply_of(outcome).cp.value("QnRtn") == 100


GROUP = (DEVICE.mn, "32", "2061", 2, "20260301080000")


def test_split_parts_are_persisted_and_answered() -> None:
    first, second = (handle(part) for part in split_upload(DEVICE))
    for number, outcome in enumerate((first, second), start=1):
        assert outcome.record is None
        assert outcome.part is not None
        assert outcome.part[:6] == (*GROUP, number)
        assert reply_of(outcome).cn == "9014"
        assert outcome.archive is not None
        assert outcome.archive[5] == "part"


def _part_texts(count: int = 2) -> list[str]:
    return [parse_packet(part).segment.text() for part in split_upload(DEVICE)[:count]]


def test_persisted_parts_are_joined_once_all_are_there() -> None:
    assert intake().join_persisted(_part_texts(1), 1_000) == Outcome()
    joined = intake().join_persisted(_part_texts(), 1_000)
    assert joined.record is not None
    assert joined.record[5] == parse_packet(upload(DEVICE)).segment.cp.text()
    assert joined.groups_done == [GROUP]
    assert joined.rejects == []


def test_a_split_group_left_incomplete_times_out_into_the_ledger() -> None:
    outcome = intake().join_persisted(_part_texts(1), 1_000, give_up=True)
    assert [row[5] for row in outcome.rejects] == ["split-timeout"]
    assert outcome.groups_done == [GROUP]
    assert outcome.record is None


def test_parts_resent_after_their_group_was_joined_are_dropped_without_a_row() -> None:
    """A logger that missed the answer to a group's last part sends that part again: it starts
    a group of its own that never completes. Its fields are all in the stored record."""
    stored = parse_packet(upload(DEVICE)).segment.cp.text()
    resent = _part_texts()[1:]
    outcome = intake().join_persisted(resent, 1_000, give_up=True, stored_cp=stored)
    assert outcome.rejects == []
    assert outcome.groups_done == [GROUP]
    assert outcome.record is None


def test_a_part_with_other_values_than_the_stored_record_still_times_out() -> None:
    stored = parse_packet(upload(DEVICE, cod="99.9")).segment.cp.text()
    outcome = intake().join_persisted(_part_texts(1), 1_000, give_up=True, stored_cp=stored)
    assert [row[5] for row in outcome.rejects] == ["split-timeout"]


def _from_device(cn: str, cp: str, qn: str = "20260301080000001", flag: int = 4) -> bytes:
    segment = f"QN={qn};ST=91;CN={cn};PW={DEVICE.pw};MN={DEVICE.mn};Flag={flag};CP=&&{cp}&&"
    return frame_segment(segment)


def test_answers_to_commands_become_events_without_reply() -> None:
    outcome = handle(_from_device("9011", "QnRtn=1"))
    assert outcome.event is not None
    assert (outcome.event.kind, outcome.event.cn, outcome.event.qn) == (
        "answer",
        "9011",
        "20260301080000001",
    )
    assert dict(outcome.event.fields) == {"QnRtn": "1"}
    assert outcome.reply is None
    assert outcome.record is None


def test_time_calibration_request_is_answered_with_9013() -> None:
    segment = f"QN=20260301080000001;ST=32;CN=1013;PW={DEVICE.pw};MN={DEVICE.mn};Flag=5;CP=&&&&"
    outcome = handle(frame_segment(segment))
    assert outcome.event is not None
    assert outcome.event.kind == "calibration"
    assert reply_of(outcome).cn == "9013"


def test_response_upload_is_an_event_and_acknowledged() -> None:
    segment = (
        f"QN=20260301080000001;ST=32;CN=1011;PW={DEVICE.pw};MN={DEVICE.mn};Flag=5;"
        "CP=&&SystemTime=20260301080001&&"
    )
    outcome = handle(frame_segment(segment))
    assert outcome.event is not None
    assert outcome.event.kind == "response"
    assert outcome.event.fields["SystemTime"] == "20260301080001"
    assert reply_of(outcome).cn == "9014"


def test_9014_is_the_codecs_data_answer() -> None:
    segment = parse_packet(upload(DEVICE)).segment
    outcome = handle(upload(DEVICE))
    assert outcome.reply == frame_segment(data_answer(segment, HJ212_2017).text(), HJ212_2017)


def test_devices_of_a_less_common_profile_are_parsed_with_their_own() -> None:
    others = [replace(DEVICE, mn=f"3301060000000000000001{n:02d}") for n in range(3)]
    field = replace(DEVICE, mn="330106000000000000000999", pw="654321")
    registry = {
        **{d.mn: RegisteredDevice(d.mn, d.pw, HJ212_2017, 1, "32") for d in others},
        field.mn: RegisteredDevice(field.mn, field.pw, HJT212_2005, 2, "32"),
    }
    mixed = Intake(registry)
    segment = (
        f"QN=20260301080000001;ST=32;CN=2061;PW={field.pw};MN={field.mn};"
        "CP=&&DataTime=20260301080000;w01018-Avg=40.1,w01018-Flag=N&&"
    )
    outcome = mixed.frame(frame_segment(segment, HJT212_2005), PEER, 1_000)
    assert outcome.record is not None
    assert outcome.record[:2] == (field.mn, "2061")
    assert mixed.frame(upload(others[0]), PEER, 1_000).reply is not None
    assert [row[5] for row in mixed.frame(upload(DEVICE), PEER, 1_000).rejects] == ["unknown-mn"]


# The lane for known headers (Intake._known) must decide exactly as the general path does.
LANE_PEERS = {
    DEVICE.mn: RegisteredDevice(DEVICE.mn, DEVICE.pw, HJ212_2017, 1, "32"),
    "330106000000000000000002": RegisteredDevice(
        "330106000000000000000002", "654321", HJ212_2017, 2, "31"
    ),
    "330106000000000000000003": RegisteredDevice(
        "330106000000000000000003", "111111", HJT212_2005, 3, "32"
    ),
}
MNS = [*LANE_PEERS, "330106000000000000000999"]
CP_AREAS = [
    "DataTime={dt};w01018-Avg={v},w01018-Flag=N",
    "DataTime={dt};w01018-Avg={v},w01018-Flag=D;w21003-Avg=2.5,w21003-Flag=N",
    "w01018-Avg={v},w01018-Flag=N",
    "DataTime={dt}",
    "SystemTime={dt}",
    "QnRtn=1",
]
FAULTS = ["mn", "pw", "profile", "cn", "qn", "data-time", "value", "crc"]
uploads_of_a_day = st.tuples(
    st.sampled_from(MNS[:3]),
    st.sampled_from(["2061", "2061", "2051", "2011", "1011", "9014", "1013"]),
    st.sampled_from([5, 5, 4, 7, 0]),
    st.sampled_from(["20260301080000001", "20260301080000999"]),
    st.sampled_from(["20260301080000", "20260301090000"]),
    st.sampled_from([0, 0, 1, 2, 3, 4, 5]),
    st.sampled_from(["40.1", "-3", "7.25"]),
    st.one_of(st.none(), st.none(), st.sampled_from(FAULTS)),
)


def _lane_frame(fields: tuple[Any, ...]) -> bytes:
    """A frame of a registered device, valid but for at most one fault."""
    mn, cn, flag, qn, dt, cp, value, fault = fields
    device = LANE_PEERS[mn]
    profile = device.profile
    if fault == "profile":
        profile = HJ212_2017 if profile is HJT212_2005 else HJT212_2005
    flag_field = "" if profile is HJT212_2005 else f"Flag={flag};"
    text = (
        f"QN={'20261301080000001' if fault == 'qn' else qn};ST=32;"
        f"CN={'20X1' if fault == 'cn' else cn};PW={'000000' if fault == 'pw' else device.pw};"
        f"MN={MNS[3] if fault == 'mn' else mn};{flag_field}CP=&&"
        + CP_AREAS[cp].format(
            dt="20260230080000" if fault == "data-time" else dt,
            v="x" if fault == "value" else value,
        )
        + "&&"
    )
    frame = frame_segment(text, profile)
    if fault == "crc":
        return frame[:-3] + (b"1" if frame[-3:-2] == b"0" else b"0") + frame[-2:]
    return frame


@settings(max_examples=300, deadline=None)
@given(st.lists(uploads_of_a_day, min_size=1, max_size=16))
def test_the_known_header_lane_decides_as_the_general_path(
    uploads: list[tuple[Any, ...]],
) -> None:
    frames = [_lane_frame(fields) for fields in uploads for _ in range(2)]
    with_lane = Intake(LANE_PEERS)
    laned = [with_lane.frame(frame, PEER, 1_000) for frame in frames]
    with patch("ecogov.hj212.intake.parse_known", return_value=None):
        general = Intake(LANE_PEERS)
        assert laned == [general.frame(frame, PEER, 1_000) for frame in frames]


def test_a_known_devices_next_upload_takes_the_lane() -> None:
    shared = intake()
    handle(upload(DEVICE), into=shared)
    with patch("ecogov.hj212.intake.parse_packet", side_effect=AssertionError("parsed")):
        outcome = handle(upload(DEVICE, moment=HOUR + timedelta(hours=1)), into=shared)
    assert outcome.record is not None
    assert outcome.record[2] == int(HOUR.timestamp()) + 3600
    assert reply_of(outcome).cn == "9014"
