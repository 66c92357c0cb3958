"""Builder: framing, answers 9011–9014 and the host's reverse commands, against Appendix C."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import TypedDict

import pytest

from ecogov.standards.hj212 import (
    BEIJING,
    HJ212_2025,
    HJT212_2005,
    BuildError,
    CPArea,
    DataSegment,
    build_packet,
    calibrate,
    data_answer,
    execution_result,
    format_value,
    frame_segment,
    get_history,
    get_realtime_data,
    get_rtd_interval,
    get_site_time,
    new_qn,
    notice_answer,
    parse_packet,
    request,
    request_answer,
    sample_now,
    set_rtd_interval,
    set_site_time,
    stop_realtime_data,
)

MN = "010000A8900016F000169DC0"
QN = "20160801085857223"


class Device(TypedDict):
    """The addressing fields every host command takes."""

    st: str
    pw: str
    mn: str
    qn: str


DEVICE: Device = {"st": "32", "pw": "123456", "mn": MN, "qn": QN}
T0 = datetime(2016, 8, 1, 8, 0, tzinfo=BEIJING)


def text(segment: DataSegment) -> str:
    return segment.text()


def prefix(cn: str, flag: int, st: str = "32") -> str:
    return f"QN={QN};ST={st};CN={cn};PW=123456;MN={MN};Flag={flag};"


def test_requests_are_byte_identical_to_appendix_c() -> None:
    cases = [
        (get_site_time(**DEVICE, pol_id="w01018"), "1011", "PolId=w01018"),
        (set_rtd_interval(30, **DEVICE), "1062", "RtdInterval=30"),
        (get_rtd_interval(**DEVICE), "1061", ""),
        (get_realtime_data(**DEVICE), "2011", ""),
        (stop_realtime_data(**DEVICE), "2012", ""),
        (get_history("2051", T0.replace(minute=40), T0.replace(minute=40), **DEVICE), "2051",
         "BeginTime=20160801084000;EndTime=20160801084000"),
        (get_history("2061", T0, T0, **DEVICE), "2061",
         "BeginTime=20160801080000;EndTime=20160801080000"),
        (get_history("2031", T0.replace(hour=0), T0.replace(hour=0), **DEVICE), "2031",
         "BeginTime=20160801000000;EndTime=20160801000000"),
        (calibrate("w01018", **DEVICE), "3011", "PolId=w01018"),
        (sample_now("w01018", **DEVICE), "3012", "PolId=w01018"),
        (request("1000", {"OverTime": 5, "ReCount": 3}, st="32", pw="123456", mn=MN, qn=QN),
         "1000", "OverTime=5;ReCount=3"),
    ]  # fmt: skip
    for segment, cn, cp in cases:
        expected = f"{prefix(cn, 5)}CP=&&{cp}&&"
        assert text(segment) == expected
        assert build_packet(segment) == frame_segment(expected)


def test_set_site_time_c3() -> None:
    moment = datetime(2016, 8, 1, 0, 58, 57, tzinfo=UTC)  # 08:58:57 in Beijing
    segment = set_site_time(moment, pol_id="w01018", **DEVICE)
    assert text(segment) == f"{prefix('1012', 5)}CP=&&PolId=w01018;SystemTime=20160801085857&&"


def test_answers_match_appendix_c() -> None:
    request_c1 = parse_packet(
        frame_segment(f"{prefix('1000', 5)}CP=&&OverTime=5;ReCount=3&&")
    ).segment
    assert text(request_answer(request_c1)) == f"{prefix('9011', 4, '91')}CP=&&QnRtn=1&&"
    assert text(execution_result(request_c1)) == f"{prefix('9012', 4, '91')}CP=&&ExeRtn=1&&"
    assert text(request_answer(request_c1, 3)).endswith("CP=&&QnRtn=3&&")
    assert text(execution_result(request_c1, 100)).endswith("CP=&&ExeRtn=100&&")
    assert text(notice_answer(request_c1)) == f"{prefix('9013', 4, '91')}CP=&&&&"
    upload = replace(request_c1, qn="20160801085857534", cn="2061")
    answer = data_answer(upload)
    assert text(answer) == f"{prefix('9014', 4, '91').replace(QN, upload.qn or '')}CP=&&&&"
    assert build_packet(answer).startswith(b"##")
    assert data_answer(upload, HJT212_2005).flag == 0


def test_history_refuses_other_commands() -> None:
    with pytest.raises(BuildError):
        get_history("2011", T0, T0, **DEVICE)


def test_build_refuses_what_the_parser_would_refuse() -> None:
    with pytest.raises(BuildError) as refused:
        build_packet(set_rtd_interval(10, **DEVICE))
    assert "cp-range" in str(refused.value)
    injected = replace(get_realtime_data(**DEVICE), pw="1;CN=9")
    with pytest.raises(BuildError):
        build_packet(injected)
    with pytest.raises(BuildError):
        frame_segment("x" * 10000)


def test_cp_area_from_records_and_values() -> None:
    cp = CPArea.from_records(
        [
            {"DataTime": T0},
            {"w01018-Avg": Decimal("40.10"), "w01018-Flag": "N"},
            [("w00000-Cou", 63), ("w00000-Avg", 17.5)],
        ]
    )
    assert cp.text() == (
        "DataTime=20160801080000;w01018-Avg=40.10,w01018-Flag=N;w00000-Cou=63,w00000-Avg=17.5"
    )
    assert [len(r.fields) for r in cp.records()] == [1, 2, 2]
    segment = replace(get_realtime_data(**DEVICE), cn="2061", flag=4, cp=cp)
    assert parse_packet(build_packet(segment)).segment == segment


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1E+2"), "100"),
        (Decimal("0.000001"), "0.000001"),
        (1e-05, "0.00001"),
        (7, "7"),
        (time(0, 0, 0), "000000"),
        (datetime(2016, 8, 1, 8, 58, 57), "20160801085857"),
    ],
)
def test_format_value(value: object, expected: str) -> None:
    assert format_value(value) == expected


@pytest.mark.parametrize("value", [True, Decimal("NaN"), object(), None])
def test_format_value_refuses(value: object) -> None:
    with pytest.raises(BuildError):
        format_value(value)


def test_new_qn_is_a_millisecond_timestamp() -> None:
    assert new_qn(datetime(2016, 8, 1, 8, 58, 57, 223456, tzinfo=BEIJING)) == QN
    assert len(new_qn()) == 17


def test_requests_follow_the_device_profile() -> None:
    assert sample_now("w01018", **DEVICE, profile=HJ212_2025).flag == 9
    assert get_history("2061", T0, T0, **DEVICE, profile=HJT212_2005).flag == 1
