"""Storage and mass-balance rules on hand-made ledgers, including their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.waste.builders import AS_OF, bundle, findings, manifest, party

CODE = "900-249-08"


def entry(
    entry_id: str, day: date, stage: str, quantity: float, **extra: object
) -> dict[str, object]:
    """A ledger entry of G1 at facility F1 for :data:`CODE`."""
    return {"entry_id": entry_id, "party_id": "G1", "facility_id": "F1", "date": day,
            "waste_code": CODE, "stage": stage, "quantity_t": quantity, **extra}  # fmt: skip


def test_storage_age_consumes_the_oldest_batches_first() -> None:
    ledger = [
        entry("E1", date(2024, 12, 1), "stored_in", 2.0),
        entry("E2", date(2025, 6, 1), "stored_in", 1.0),
        entry("E3", date(2025, 3, 1), "handed_over", 1.5),
    ]
    [found] = findings(bundle(parties=[party("G1")], ledger=ledger), "storage_age")
    assert (found["subject"], found["code"], found["period"]) == ("G1", CODE, "2024-12-01")
    assert found["evidence"]["stock_t"] == 0.5
    assert found["evidence"]["age_days"] == (AS_OF - date(2024, 12, 1)).days
    assert found["severity"] == "orange"


def test_storage_age_is_silent_once_the_old_batch_left() -> None:
    ledger = [
        entry("E1", date(2024, 12, 1), "stored_in", 2.0),
        entry("E2", date(2025, 6, 1), "stored_in", 1.0),
        entry("E3", date(2025, 3, 1), "disposed", 2.0),
    ]
    assert findings(bundle(ledger=ledger), "storage_age") == []


@settings(max_examples=40, deadline=None)
@given(age=st.integers(300, 430), limit=st.sampled_from([180, 365]))
def test_storage_age_flags_exactly_the_batches_older_than_the_limit(age: int, limit: int) -> None:
    ledger = [entry("E1", AS_OF - timedelta(days=age), "stored_in", 1.0)]
    found = findings(bundle(ledger=ledger), "storage_age", rules={"limit_days": limit})
    assert len(found) == (1 if age > limit else 0)


def test_storage_age_ignores_entries_after_the_as_of_date() -> None:
    ledger = [entry("E1", date(2024, 1, 1), "stored_in", 1.0)]
    assert findings(bundle(ledger=ledger), "storage_age", as_of=date(2024, 12, 31)) == []
    assert len(findings(bundle(ledger=ledger), "storage_age", as_of=date(2025, 1, 2))) == 1


def _facility(capacity: float) -> dict[str, object]:
    return {"facility_id": "F1", "party_id": "G1", "kind": "storage", "capacity_t": capacity}


def test_storage_capacity_counts_the_end_of_day_stock() -> None:
    ledger = [
        entry("E1", date(2025, 3, 1), "stored_in", 6.0),
        entry("E2", date(2025, 3, 2), "stored_in", 6.0),
        entry("E3", date(2025, 3, 2), "handed_over", 5.0),
        entry("E4", date(2025, 3, 3), "stored_in", 4.5),
        entry("E5", date(2025, 3, 4), "stored_in", 0.5),
    ]
    [found] = findings(bundle(facilities=[_facility(10.0)], ledger=ledger), "storage_capacity")
    assert (found["subject"], found["code"], found["period"]) == ("G1", None, "2025")
    assert found["evidence"] == {
        "facility_id": "F1", "capacity_t": 10.0, "first_date": "2025-03-03", "dates_over": 2,
        "peak_t": 12.0, "peak_date": "2025-03-04",
    }  # fmt: skip


def test_storage_capacity_is_not_exceeded_at_the_capacity() -> None:
    ledger = [entry("E1", date(2025, 3, 1), "stored_in", 10.0)]
    assert findings(bundle(facilities=[_facility(10.0)], ledger=ledger), "storage_capacity") == []
    other = {**_facility(1.0), "kind": "disposal"}
    assert findings(bundle(facilities=[other], ledger=ledger), "storage_capacity") == []


def _plan(planned: float) -> dict[str, object]:
    return {"party_id": "G1", "year": 2025, "waste_code": CODE, "planned_t": planned}


def test_plan_exceeded_beyond_the_tolerance_only() -> None:
    at_limit = [entry("E1", date(2025, 2, 1), "generated", 11.0)]
    assert findings(bundle(plans=[_plan(10.0)], ledger=at_limit), "plan_exceeded") == []
    above = [*at_limit, entry("E2", date(2025, 3, 1), "generated", 0.001)]
    [found] = findings(bundle(plans=[_plan(10.0)], ledger=above), "plan_exceeded")
    assert (found["period"], found["evidence"]["generated_t"]) == ("2025", 11.001)


def test_generation_without_a_plan_exceeds_it() -> None:
    [found] = findings(
        bundle(ledger=[entry("E1", date(2025, 2, 1), "generated", 0.5)]), "plan_exceeded"
    )
    assert found["evidence"]["planned_t"] == 0.0


def test_handover_mismatch_against_active_manifests() -> None:
    ledger = [entry("E1", date(2025, 2, 1), "handed_over", 5.0, manifest_no="20253301000001")]
    shipped = [manifest("20253301000001", date(2025, 2, 1), shipped_t=5.0)]
    assert findings(bundle(ledger=ledger, manifests=shipped), "handover_mismatch") == []
    short = [manifest("20253301000001", date(2025, 2, 1), shipped_t=4.9)]
    [found] = findings(bundle(ledger=ledger, manifests=short), "handover_mismatch")
    assert found["evidence"] == {"handed_over_t": 5.0, "manifested_t": 4.9}
    cancelled = [manifest("20253301000001", date(2025, 2, 1), shipped_t=5.0, status="cancelled")]
    [found] = findings(bundle(ledger=ledger, manifests=cancelled), "handover_mismatch")
    assert found["evidence"]["manifested_t"] == 0.0


def test_never_shipped_after_the_grace_days() -> None:
    def ledger(days: int, stage: str = "generated") -> list[dict[str, object]]:
        return [entry("E1", AS_OF - timedelta(days=days), stage, 1.0)]

    assert findings(bundle(ledger=ledger(90)), "never_shipped") == []
    [found] = findings(bundle(ledger=ledger(91)), "never_shipped")
    assert (found["period"], found["evidence"]["days"]) == (
        (AS_OF - timedelta(days=91)).isoformat(),
        91,
    )
    used = [*ledger(200), entry("E2", AS_OF - timedelta(days=100), "utilised", 1.0)]
    assert findings(bundle(ledger=used), "never_shipped") == []
    shipped = [manifest("20253301000001", AS_OF - timedelta(days=150))]
    assert findings(bundle(ledger=ledger(200), manifests=shipped), "never_shipped") == []


def test_small_generator_gaps_longer_than_its_cycle() -> None:
    small = party("G1", small_generator=1, collection_cycle_days=30)
    ledger = [entry("E1", date(2025, 1, 1), "generated", 1.0)]
    pickups = [
        manifest("20253301000001", date(2025, 1, 31)),  # 30 days: on time
        manifest("20253301000002", date(2025, 3, 15)),  # 43 days
    ]
    data = bundle(parties=[small], ledger=ledger, manifests=pickups)
    [found] = findings(data, "small_collection", as_of=date(2025, 4, 14))  # 30 days after
    assert (found["subject"], found["code"], found["period"]) == ("G1", None, "2025-01-31")
    assert found["evidence"] == {
        "since": "2025-01-31", "until": "2025-03-15", "days": 43, "cycle_days": 30.0
    }  # fmt: skip
    late = findings(data, "small_collection", as_of=date(2025, 4, 15))
    assert [f["period"] for f in late] == ["2025-01-31", "2025-03-15"]


def test_small_generator_cycle_defaults_and_other_generators_are_not_checked() -> None:
    ledger = [entry("E1", date(2025, 1, 1), "generated", 1.0)]
    small = bundle(parties=[party("G1", small_generator=1)], ledger=ledger)
    assert findings(small, "small_collection", as_of=date(2025, 4, 1)) == []  # 90 days
    assert len(findings(small, "small_collection", as_of=date(2025, 4, 2))) == 1
    large = bundle(parties=[party("G1", small_generator=0)], ledger=ledger)
    assert findings(large, "small_collection") == []


def test_storage_capacity_keeps_each_facility_apart() -> None:
    facilities = [_facility(10.0), {**_facility(10.0), "facility_id": "F2"}]
    ledger = [
        entry("E1", date(2025, 3, 1), "stored_in", 8.0),
        entry("E2", date(2025, 3, 1), "stored_in", 8.0, facility_id="F2"),
        entry("E3", date(2025, 3, 2), "stored_in", 3.0, facility_id="F2"),
        entry("E4", date(2025, 3, 2), "stored_in", 1.0),
        entry("E5", date(2024, 12, 30), "stored_in", 1.0, facility_id="F2"),
    ]
    found = findings(bundle(facilities=facilities, ledger=ledger), "storage_capacity")
    assert [(f["evidence"]["facility_id"], f["evidence"]["peak_t"]) for f in found] == [
        ("F2", 12.0)
    ]


def _queue_fifo(moves: list[tuple[int, bool, int]]) -> list[tuple[int, int]]:
    """A plain queue: (day, kg left) of each batch after every move of the day order."""
    batches: list[list[int]] = []
    taken = 0
    for day, is_in, kg in sorted(moves, key=lambda move: move[0]):
        if is_in:
            batches.append([day, kg])
        else:
            taken += kg
    for batch in batches:
        used = min(batch[1], taken)
        batch[1] -= used
        taken -= used
    return [(day, kg) for day, kg in batches if kg > 0]


@settings(max_examples=60, deadline=None)
@given(
    moves=st.lists(
        st.tuples(st.integers(0, 700), st.booleans(), st.integers(1, 5000)), min_size=1, max_size=12
    )
)
def test_storage_age_agrees_with_a_plain_queue(moves: list[tuple[int, bool, int]]) -> None:
    start = AS_OF - timedelta(days=700)
    # one stored_in per day at most, so that the queue's order is the ledger's order
    days_in = {day: (day, True, kg) for day, is_in, kg in moves if is_in}
    unique = [*days_in.values(), *(move for move in moves if not move[1])]
    ledger = [
        entry(f"E{i:03d}", start + timedelta(days=day), "stored_in" if is_in else "handed_over",
              kg / 1000)
        for i, (day, is_in, kg) in enumerate(unique)
    ]  # fmt: skip
    found = findings(bundle(ledger=ledger), "storage_age")
    expected = [
        ((start + timedelta(days=day)).isoformat(), kg / 1000)
        for day, kg in _queue_fifo(unique)
        if (AS_OF - (start + timedelta(days=day))).days > 365
    ]
    assert sorted((f["period"], f["evidence"]["stock_t"]) for f in found) == sorted(expected)
