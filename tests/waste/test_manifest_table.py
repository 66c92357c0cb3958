"""The manifest table itself (no database): properties every walk through it keeps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.platform.statemachine import unreachable
from ecogov.waste.manifests import MANIFEST
from ecogov.waste.parties import to_tonnes

BEFORE_PICKUP = {"draft", "signed_out"}


@given(st.lists(st.integers(min_value=0, max_value=20), max_size=30))
def test_no_walk_cancels_after_pickup_or_leaves_cancelled(choices: list[int]) -> None:
    state, seen = MANIFEST.initial, [MANIFEST.initial]
    for choice in choices:
        moves = MANIFEST.moves_from(state)
        if not moves:
            assert MANIFEST.is_final(state)
            break
        move = moves[choice % len(moves)]
        if move.name == "cancel":
            assert state in BEFORE_PICKUP
        state = move.target
        seen.append(state)
    if "in_transit" in seen:
        assert "cancelled" not in seen[seen.index("in_transit") :]


def test_every_state_is_reachable_and_corrections_keep_received_goods() -> None:
    assert unreachable(MANIFEST) == []
    assert MANIFEST.move("correct").target == "corrected"
    assert {m.name for m in MANIFEST.moves_from("corrected")} == {"request_correction"}
    assert MANIFEST.move("cancel").needs_note
    for name in ("receive_with_discrepancy", "reject", "request_correction", "correct"):
        assert MANIFEST.move(name).needs_note, name


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_kilograms_are_thousandths_of_tonnes(amount: float) -> None:
    assert to_tonnes(amount, "kg") * 1000 == pytest.approx(to_tonnes(amount, "t"))
