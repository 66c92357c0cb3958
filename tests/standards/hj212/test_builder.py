"""Builder: framing, answers 9011–9014 and the host's reverse commands, against Appendix C."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from ecogov.standards.hj212 import (
    BEIJING,
    HJ212_2025,
    HJT212_2005,
    Addressee,
    BuildError,
    CPArea,
    DataSegment,
    build_packet,
    data_answer,
    execution_result,
    format_value,
    frame_segment,
    new_qn,
    notice_answer,
    parse_packet,
    request,
    request_answer,
    reverse_command,
)

MN = "010000A8900016F000169DC0"
QN = "20160801085857223"
DEVICE = Addressee(st="32", pw="123456", mn=MN)
T0 = datetime(2016, 8, 1, 8, 0, tzinfo=BEIJING)


def span(moment: datetime) -> dict[str, object]:
    """The history window ``BeginTime``–``EndTime`` of one moment."""
    return {"BeginTime": moment, "EndTime": moment}


def text(segment: DataSegment) -> str:
    return segment.text()


def prefix(cn: str, flag: int, st: str = "32") -> str:
    return f"QN={QN};ST={st};CN={cn};PW=123456;MN={MN};Flag={flag};"


def test_requests_are_byte_identical_to_appendix_c() -> None:
    cases: list[tuple[str, dict[str, object], str]] = [
        ("1011", {"PolId": "w01018"}, "PolId=w01018"),
        ("1062", {"RtdInterval": 30}, "RtdInterval=30"),
        ("1061", {}, ""),
        ("2011", {}, ""),
        ("2012", {}, ""),
        ("2051", span(T0.replace(minute=40)), "BeginTime=20160801084000;EndTime=20160801084000"),
        ("2061", span(T0), "BeginTime=20160801080000;EndTime=20160801080000"),
        ("2031", span(T0.replace(hour=0)), "BeginTime=20160801000000;EndTime=20160801000000"),
        ("3011", {"PolId": "w01018"}, "PolId=w01018"),
        ("3012", {"PolId": "w01018"}, "PolId=w01018"),
    ]
    segments = [(reverse_command(cn, DEVICE, fields, qn=QN), cn, cp) for cn, fields, cp in cases]
    c1 = request("1000", DEVICE, {"OverTime": 5, "ReCount": 3}, qn=QN)
    for segment, cn, cp in [*segments, (c1, "1000", "OverTime=5;ReCount=3")]:
        expected = f"{prefix(cn, 5)}CP=&&{cp}&&"
        assert text(segment) == expected
        assert build_packet(segment) == frame_segment(expected)


def test_set_site_time_c3() -> None:
    moment = datetime(2016, 8, 1, 0, 58, 57, tzinfo=UTC)  # 08:58:57 in Beijing
    segment = reverse_command("1012", DEVICE, {"SystemTime": moment, "PolId": "w01018"}, qn=QN)
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


def test_reverse_commands_refuse_what_appendix_c_does_not_show() -> None:
    with pytest.raises(BuildError, match="takes no field BeginTime"):
        reverse_command("2011", DEVICE, span(T0))
    with pytest.raises(BuildError, match="needs the field PolId"):
        reverse_command("3011", DEVICE)
    with pytest.raises(BuildError, match="CN=1000 is not a reverse command"):
        reverse_command("1000", DEVICE)


def test_build_refuses_what_the_parser_would_refuse() -> None:
    with pytest.raises(BuildError) as refused:
        build_packet(reverse_command("1062", DEVICE, {"RtdInterval": 10}))
    assert "cp-range" in str(refused.value)
    injected = replace(reverse_command("2011", DEVICE, qn=QN), pw="1;CN=9")
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
    segment = replace(reverse_command("2011", DEVICE, qn=QN), cn="2061", flag=4, cp=cp)
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
    sample = reverse_command("3012", replace(DEVICE, profile=HJ212_2025), {"PolId": "w01018"})
    assert sample.flag == 9
    assert reverse_command("2061", replace(DEVICE, profile=HJT212_2005), span(T0)).flag == 1
