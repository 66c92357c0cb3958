"""Manifest, licence, transport and money rules on hand-made bundles, with their boundaries."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.workdays import add_working_days
from tests.engine.waste.builders import AS_OF, bundle, findings, manifest, party

CODE, OTHER = "900-249-08", "900-041-49"
NO = "20253301000001"


def _accepted(day: date, confirmed: datetime | None) -> dict[str, object]:
    return manifest(NO, day, accepted_at=datetime(day.year, day.month, day.day, 15),
                    confirmed_at=confirmed)  # fmt: skip


def test_receipt_confirmation_counts_national_working_days() -> None:
    # 2025-09-30 is a Tuesday before the National Day holiday (1–8 October); Saturday
    # 11 October is a make-up working day: the fifth working day after is 14 October.
    accepted = date(2025, 9, 30)
    assert add_working_days(accepted, 5) == date(2025, 10, 14)
    on_time = bundle(manifests=[_accepted(accepted, datetime(2025, 10, 14, 23, 59))])
    assert findings(on_time, "receipt_overdue") == []
    late = bundle(manifests=[_accepted(accepted, datetime(2025, 10, 15, 8))])
    [found] = findings(late, "receipt_overdue")
    assert (found["subject"], found["code"], found["period"]) == ("R1", CODE, "2025-09-30")
    assert found["evidence"]["deadline"] == "2025-10-14"
    assert found["evidence"]["confirmed"] == "2025-10-15"


def test_unconfirmed_receipt_is_overdue_after_the_deadline_only() -> None:
    open_receipt = bundle(manifests=[_accepted(date(2025, 9, 30), None)])
    assert findings(open_receipt, "receipt_overdue", as_of=date(2025, 10, 14)) == []
    [found] = findings(open_receipt, "receipt_overdue", as_of=date(2025, 10, 15))
    assert found["evidence"]["confirmed"] is None


@settings(max_examples=60, deadline=None)
@given(received_kg=st.integers(0, 25_000), relative=st.sampled_from([0.05, 0.1]))
def test_weight_discrepancy_beyond_the_share_of_the_shipped_amount(
    received_kg: int, relative: float
) -> None:
    received = received_kg / 1000
    data = bundle(manifests=[manifest(NO, date(2025, 3, 1), shipped_t=10.0, received_t=received)])
    found = findings(data, "weight_discrepancy", rules={"relative": relative})
    assert len(found) == (1 if abs(received_kg - 10_000) > relative * 10_000 else 0)


def test_weight_discrepancy_ignores_unweighed_and_cancelled_manifests() -> None:
    unweighed = manifest(NO, date(2025, 3, 1), received_t=None)
    cancelled = manifest("20253301000002", date(2025, 3, 1), received_t=0.1, status="cancelled")
    assert findings(bundle(manifests=[unweighed, cancelled]), "weight_discrepancy") == []


def _licence(number: str, party_id: str, kind: str, code: str | None, first: date,
             last: date | None, capacity: float | None = None) -> dict[str, object]:  # fmt: skip
    return {"licence_no": number, "party_id": party_id, "kind": kind, "waste_code": code,
            "annual_capacity_t": capacity, "valid_from": first, "valid_to": last}  # fmt: skip


HALF_YEAR = _licence("L1", "R1", "operation", CODE, date(2025, 1, 1), date(2025, 6, 30))
CARRIER = _licence("T1", "C1", "transport", None, date(2020, 1, 1), None)


def _rules(
    data_rule: str, *manifests: dict[str, object], licences: list[dict[str, object]]
) -> list[str]:
    found = findings(bundle(manifests=list(manifests), licences=licences), data_rule)
    return [f["period"] for f in found]


def test_receiver_licence_valid_on_the_last_day_and_expired_the_next() -> None:
    licences = [HALF_YEAR, CARRIER]
    last = manifest(NO, date(2025, 6, 30))
    after = manifest("20253301000002", date(2025, 7, 1))
    assert _rules("receiver_licence_expired", last, after, licences=licences) == ["2025-07-01"]
    assert _rules("receiver_unlicensed", last, after, licences=licences) == []
    other = manifest("20253301000003", date(2025, 3, 1), waste_code=OTHER)
    assert _rules("receiver_unlicensed", other, licences=licences) == ["2025-03-01"]
    assert _rules("receiver_licence_expired", other, licences=licences) == []


def test_a_licence_without_a_code_covers_every_code() -> None:
    blanket = _licence("L2", "R1", "operation", None, date(2020, 1, 1), None)
    other = manifest(NO, date(2025, 3, 1), waste_code=OTHER)
    assert _rules("receiver_unlicensed", other, licences=[blanket]) == []
    [found] = findings(bundle(manifests=[other], licences=[HALF_YEAR]), "receiver_unlicensed")
    assert found["evidence"]["licences"] is None


def test_carrier_needs_a_transport_licence_on_the_pickup_day() -> None:
    picked = manifest(NO, date(2025, 3, 1))
    waiting = manifest("20253301000002", date(2025, 3, 1), picked_up_at=None)
    assert _rules("carrier_unlicensed", picked, waiting, licences=[CARRIER]) == []
    assert _rules("carrier_unlicensed", picked, waiting, licences=[]) == ["2025-03-01"]
    ended = _licence("T1", "C1", "transport", None, date(2020, 1, 1), date(2025, 2, 28))
    operation = _licence("T2", "C1", "operation", None, date(2020, 1, 1), None)
    assert _rules("carrier_unlicensed", picked, licences=[ended, operation]) == ["2025-03-01"]


def test_receiver_capacity_per_code_and_for_a_licence_without_code() -> None:
    licence = _licence("L1", "R1", "operation", CODE, date(2024, 7, 1), date(2025, 6, 30), 2.0)
    two = [manifest(f"2025330100000{i}", date(2025, 2, i), received_t=1.0) for i in (1, 2)]
    assert findings(bundle(manifests=two, licences=[licence]), "receiver_capacity") == []
    more = [*two, manifest("20253301000003", date(2025, 2, 3), received_t=0.5)]
    [found] = findings(bundle(manifests=more, licences=[licence]), "receiver_capacity")
    assert (found["code"], found["period"]) == (CODE, "2025")
    assert found["evidence"] == {"licences": ["L1"], "received_t": 2.5, "capacity_t": 2.0}
    blanket = _licence("L2", "R1", "operation", None, date(2025, 1, 1), None, 3.0)
    mixed = [*more, manifest("20253301000004", date(2025, 2, 4), received_t=0.6, waste_code=OTHER)]
    total = findings(bundle(manifests=mixed, licences=[blanket]), "receiver_capacity")
    assert [(f["code"], f["evidence"]["received_t"]) for f in total] == [(None, 3.1)]


def _haversine(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    p0, p1 = math.radians(lat0), math.radians(lat1)
    a = (
        math.sin((p1 - p0) / 2) ** 2
        + math.cos(p0) * math.cos(p1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


ENDS = [party("G1", lon=120.0, lat=30.0), party("R1", "receiver", lon=121.0, lat=30.0)]


@settings(max_examples=30, deadline=None)
@given(minutes=st.integers(10 * 60, 20 * 60))
def test_transport_overtime_against_distance_speed_and_allowance(minutes: int) -> None:
    picked = datetime(2025, 3, 1, 9)
    shipped = manifest(NO, picked.date(), delivered_at=picked + timedelta(minutes=minutes))
    allowed = _haversine(120.0, 30.0, 121.0, 30.0) / 40 + 12
    found = findings(bundle(parties=ENDS, manifests=[shipped]), "transport_overtime")
    assert len(found) == (1 if minutes / 60 > allowed else 0)


def test_route_deviation_measures_from_the_segment() -> None:
    shipped = manifest(NO, date(2025, 3, 1))

    def track(*points: tuple[float, float]) -> list[dict[str, object]]:
        return [{"manifest_no": NO, "ts": datetime(2025, 3, 1, 10 + i), "lon": lon, "lat": lat}
                for i, (lon, lat) in enumerate(points)]  # fmt: skip

    near = track((120.0, 30.0), (120.5, 30.05), (121.05, 30.0))  # 5.6 km off, 4.8 km beyond
    assert findings(bundle(parties=ENDS, manifests=[shipped], tracks=near), "route_deviation") == []
    far = track((120.5, 30.05), (120.5, 30.2), (120.6, 30.15))
    [found] = findings(bundle(parties=ENDS, manifests=[shipped], tracks=far), "route_deviation")
    assert (found["subject"], found["evidence"]["lat"]) == ("C1", 30.2)
    assert 22.0 < found["evidence"]["off_km"] < 22.5  # 0.2° of latitude


def _doc(doc_id: str, kind: str, manifest_no: str | None, day: date, amount: float,
         quantity: float | None = None, code: str = CODE) -> dict[str, object]:  # fmt: skip
    return {"doc_id": doc_id, "kind": kind, "payer_id": "G1", "payee_id": "R1",
            "manifest_no": manifest_no, "date": day, "amount_yuan": amount,
            "quantity_t": quantity, "waste_code": code}  # fmt: skip


def test_payments_without_received_goods() -> None:
    received = manifest(NO, date(2025, 3, 1))
    unweighed = manifest("20253301000002", date(2025, 3, 1), received_t=None)
    docs = [
        _doc("D1", "payment", NO, date(2025, 4, 1), 100.0),
        _doc("D2", "invoice", "20253301000002", date(2025, 4, 1), 100.0),
        _doc("D3", "payment", "20253301999999", date(2025, 4, 2), 100.0),
        _doc("D4", "contract", "20253301999999", date(2025, 4, 2), 100.0),
    ]
    found = findings(
        bundle(manifests=[received, unweighed], payments=docs), "payment_without_goods"
    )
    assert [f["evidence"]["doc_id"] for f in found] == ["D2", "D3"]
    assert {f["subject"] for f in found} == {"R1"}


def test_goods_without_payment_after_the_days() -> None:
    def accepted(days: int) -> dict[str, object]:
        day = AS_OF - timedelta(days=days)
        return manifest(NO, day, accepted_at=datetime(day.year, day.month, day.day, 12))

    assert findings(bundle(manifests=[accepted(90)]), "goods_without_payment") == []
    [found] = findings(bundle(manifests=[accepted(91)]), "goods_without_payment")
    assert found["evidence"]["days_unpaid"] == 91
    paid = [_doc("D1", "payment", NO, AS_OF, 100.0)]
    assert findings(bundle(manifests=[accepted(150)], payments=paid), "goods_without_payment") == []
    invoiced = [_doc("D1", "invoice", NO, AS_OF, 100.0)]
    assert len(findings(bundle(manifests=[accepted(150)], payments=invoiced),
                        "goods_without_payment")) == 1  # fmt: skip
    period = [_doc("D2", "payment", None, date(2025, 1, 5), 5000.0)]
    assert (
        findings(bundle(manifests=[accepted(150)], payments=period), "goods_without_payment") == []
    )
    last_year = [_doc("D2", "payment", None, date(2024, 12, 5), 5000.0)]
    assert len(findings(bundle(manifests=[accepted(150)], payments=last_year),
                        "goods_without_payment")) == 1  # fmt: skip


def test_unit_price_below_the_share_of_the_market_price() -> None:
    docs = [
        _doc("D1", "invoice", NO, date(2025, 3, 1), 899.0, 1.0),  # HW08: 3000 yuan/t × 0.3
        _doc("D2", "invoice", NO, date(2025, 3, 1), 900.0, 1.0),
        _doc("D3", "payment", NO, date(2025, 3, 1), 10.0, None),
        _doc("D4", "invoice", NO, date(2025, 3, 1), 10.0, 1.0, code="900-000-33"),
    ]
    found = findings(bundle(payments=docs), "price_below_market")
    assert [(f["subject"], f["evidence"]["doc_id"]) for f in found] == [("G1", "D1")]
    assert found[0]["evidence"]["unit_price"] == 899.0
