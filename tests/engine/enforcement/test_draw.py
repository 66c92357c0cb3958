"""The verifiable draw: its random stream, proportions per stratum, avoidance, team size,
determinism and the golden result of the example files."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.enforcement.draw import (
    INSPECTOR_SCHEMA,
    OBJECT_SCHEMA,
    Stream,
    draw,
    seed_hash,
)
from ecogov.standards.enforcement.draw import DEFAULT_DRAW, DrawRules


def test_stream_words_are_sha256_of_algorithm_seed_and_counter() -> None:
    stream = Stream("种子")
    block = hashlib.sha256(b"ecogov-draw-1\x00" + "种子".encode() + b"\x00" + bytes(8)).digest()
    assert [stream.word() for _ in range(4)] == [
        int.from_bytes(block[i : i + 8], "big") for i in (0, 8, 16, 24)
    ]
    block1 = hashlib.sha256(
        b"ecogov-draw-1\x00" + "种子".encode() + b"\x00" + (1).to_bytes(8, "big")
    )
    assert stream.word() == int.from_bytes(block1.digest()[:8], "big")


def test_stream_golden_values() -> None:
    # Pinned: a change of these numbers breaks every published draw.
    stream = Stream("2026Q1")
    assert [stream.below(1000) for _ in range(6)] == GOLDEN_BELOW_1000


GOLDEN_BELOW_1000 = [929, 108, 956, 988, 930, 157]


def test_below_rejects_the_biased_tail() -> None:
    stream = Stream("x")
    n = (1 << 63) + 1  # half the words are rejected
    values = [stream.below(n) for _ in range(50)]
    assert all(0 <= v < n for v in values)
    with pytest.raises(ValueError, match="positive"):
        stream.below(0)


def test_chance_is_exact_at_the_edges() -> None:
    stream = Stream("y")
    assert not any(stream.chance(Fraction(0)) for _ in range(100))
    hits = sum(stream.chance(Fraction(1, 4)) for _ in range(4000))
    assert 850 < hits < 1150


def objects_frame(rows: list[tuple[str, str, str, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=OBJECT_SCHEMA, orient="row")


def inspectors_frame(
    rows: list[tuple[str, str, str, list[str], list[str], list[str]]],
) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=INSPECTOR_SCHEMA, orient="row")


grades = st.sampled_from(["green", "blue", "yellow", "red", "unrated"])
categories = st.sampled_from(["special", "key", "general"])


@st.composite
def directories(draw_: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, list[str]]]:
    regions = ["R1", "R2"]
    count = draw_(st.integers(1, 40))
    ids = [f"E{n:03d}" for n in range(count)]
    objects = objects_frame(
        [
            (
                e,
                draw_(categories),
                draw_(grades),
                float(draw_(st.integers(0, 50))),
                draw_(st.sampled_from(regions)),
            )
            for e in ids
        ]
    )
    people = []
    for n in range(draw_(st.integers(0, 8))):
        former = draw_(st.lists(st.sampled_from(ids), max_size=3))
        conflicts = draw_(st.lists(st.sampled_from(ids), max_size=3))
        people.append(
            (f"I{n}", "unit", draw_(st.sampled_from(regions)), ["执法证"], former, conflicts)
        )
    inspectors = inspectors_frame(people)
    previous = {
        e: draw_(
            st.lists(st.sampled_from([p[0] for p in people]), min_size=2, max_size=2, unique=True)
        )
        for e in ids
        if len(people) >= 2 and draw_(st.booleans())
    }
    return objects, inspectors, previous


@settings(max_examples=120, deadline=None)
@given(
    directories(),
    st.text(min_size=1, max_size=12),
    st.sampled_from([0.0, 0.3]),
    st.sampled_from([2, 3]),
)
def test_avoidance_is_never_violated_and_teams_are_full_or_reported(
    data: tuple[pl.DataFrame, pl.DataFrame, dict[str, list[str]]],
    seed: str,
    reserved: float,
    team_size: int,
) -> None:
    objects, inspectors, previous = data
    rules = DrawRules(
        proportions=DEFAULT_DRAW.proportions, reserved_share=reserved, team_size=team_size
    )
    result = draw(objects, inspectors, rules, seed, previous=previous)
    assert result == draw(objects, inspectors, rules, seed, previous=previous)
    people = {row["inspector_id"]: row for row in inspectors.iter_rows(named=True)}
    region = dict(objects.select("enterprise_id", "region").iter_rows())
    tasks = result["tasks"]
    assert isinstance(tasks, list)
    assert len({t["enterprise_id"] for t in tasks}) == len(tasks)
    for task in tasks:
        team = task["inspectors"]
        enterprise = task["enterprise_id"]
        assert team == [] or (len(team) == team_size and len(set(team)) == team_size)
        for ident in team:
            person = people[ident]
            assert enterprise not in person["former_workplaces"]
            assert enterprise not in person["conflicts"]
            assert person["region"] == region[enterprise]
        assert len(set(team) & set(previous.get(enterprise, []))) <= 1
    assert result["unstaffed"] == [t["enterprise_id"] for t in tasks if not t["inspectors"]]


def test_proportions_per_stratum_are_met_within_sampling_error_over_many_seeds() -> None:
    sizes = {
        ("key", "green"): 37,
        ("key", "red"): 5,
        ("general", "blue"): 123,
        ("general", "yellow"): 9,
    }
    rows = [
        (f"{c}-{g}-{n:03d}", c, g, 0.0, "R1") for (c, g), size in sizes.items() for n in range(size)
    ]
    objects = objects_frame(rows)
    inspectors = inspectors_frame([(f"I{n}", "u", "R1", [], [], []) for n in range(4)])
    seeds = 300
    drawn: dict[tuple[str, str], int] = dict.fromkeys(sizes, 0)
    for seed in range(seeds):
        result = draw(objects, inspectors, DEFAULT_DRAW, f"seed-{seed}")
        for stratum in result["strata"]:  # type: ignore[attr-defined]
            key = (stratum["category"], stratum["grade"])
            expected = DEFAULT_DRAW.proportions[key[0]][key[1]] * sizes[key]
            assert abs(stratum["drawn"] - expected) < 1  # randomized rounding: floor or ceil
            drawn[key] += stratum["drawn"]
    for key, size in sizes.items():
        share = DEFAULT_DRAW.proportions[key[0]][key[1]]
        mean = drawn[key] / seeds
        frac = share * size % 1
        error = 4 * (frac * (1 - frac) / seeds) ** 0.5 + 1e-9
        assert abs(mean - share * size) <= error, key


def test_red_is_drawn_more_often_than_green() -> None:
    rows = [(f"G{n:03d}", "general", "green", 0.0, "R1") for n in range(200)]
    rows += [(f"R{n:03d}", "general", "red", 0.0, "R1") for n in range(20)]
    result = draw(objects_frame(rows), inspectors_frame([]), DEFAULT_DRAW, "s")
    share = {s["grade"]: s["drawn"] / s["population"] for s in result["strata"]}  # type: ignore[attr-defined]
    assert share["red"] > share["green"]


def test_reserved_share_goes_to_the_highest_risk_first() -> None:
    rows = [(f"E{n:03d}", "general", "blue", float(n % 17), "R1") for n in range(100)]
    rules = DrawRules(proportions=DEFAULT_DRAW.proportions, reserved_share=0.4)
    result = draw(objects_frame(rows), inspectors_frame([]), rules, "s")
    reserved = [t for t in result["tasks"] if t["basis"] == "reserved"]  # type: ignore[attr-defined]
    assert len(reserved) == result["reserved"] == 2  # floor(0.4 × 0.05 × 100)
    assert [t["enterprise_id"] for t in reserved] == ["E016", "E033"]


def test_different_seeds_give_different_draws_and_the_hash_is_published() -> None:
    rows = [(f"E{n:03d}", "general", "blue", 0.0, "R1") for n in range(400)]
    objects, nobody = objects_frame(rows), inspectors_frame([])
    first, second = (
        draw(objects, nobody, DEFAULT_DRAW, "a"),
        draw(objects, nobody, DEFAULT_DRAW, "b"),
    )
    assert first["tasks"] != second["tasks"]
    assert first["seed_sha256"] == seed_hash("a") == hashlib.sha256(b"a").hexdigest()


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 150), st.floats(0, 1), st.text(min_size=1, max_size=8))
def test_each_stratum_draws_its_share_rounded_down_or_up(
    size: int, share: float, seed: str
) -> None:
    rows = [(f"E{n:03d}", "key", "blue", 0.0, "R1") for n in range(size)]
    rules = DrawRules(proportions={"key": {"blue": share}})
    result = draw(objects_frame(rows), inspectors_frame([]), rules, seed)
    drawn = len(result["tasks"])  # type: ignore[arg-type]
    exact = Fraction(share) * size
    assert drawn in {int(exact), -(-exact.numerator // exact.denominator)}
