"""The verifiable double-random draw (双随机; GOVERNANCE.md §2.2, issue 16 item 2).

Everything random comes from one :class:`Stream` keyed by the seed, consumed in an order fixed
by docs/enforcement-files.md ("The draw algorithm"), with exact integer and rational arithmetic
only, so anyone can re-run a published draw on any machine and get the same tasks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Final

import polars as pl

from ecogov.standards.enforcement.draw import CATEGORIES, DrawRules

__all__ = [
    "ALGORITHM",
    "INSPECTOR_SCHEMA",
    "OBJECT_SCHEMA",
    "Stream",
    "draw",
    "inspectors_digest",
    "objects_digest",
    "previous_digest",
    "seed_hash",
]

ALGORITHM: Final = "ecogov-draw-1"
"""The name of this algorithm; a published result names it, so a later change is a new name."""
_DOMAIN: Final = ALGORITHM.encode() + b"\x00"
_TWO64: Final = 1 << 64
_NOBODY: Final[frozenset[str]] = frozenset()

OBJECT_SCHEMA: dict[str, pl.DataType] = {
    "enterprise_id": pl.String(),
    "category": pl.String(),
    "grade": pl.String(),
    "risk_score": pl.Float64(),
    "region": pl.String(),
}
INSPECTOR_SCHEMA: dict[str, pl.DataType] = {
    "inspector_id": pl.String(),
    "unit": pl.String(),
    "region": pl.String(),
    "qualifications": pl.List(pl.String()),
    "former_workplaces": pl.List(pl.String()),
    "conflicts": pl.List(pl.String()),
}


def seed_hash(seed: str) -> str:
    """sha256 of the seed's UTF-8 bytes, hex: published before the draw."""
    return hashlib.sha256(seed.encode()).hexdigest()


class Stream:
    """Uniform random integers from SHA-256 of (algorithm, seed, block counter).

    Block ``c`` is ``SHA-256(b"ecogov-draw-1\\x00" + seed_utf8 + b"\\x00" + c as 8 bytes big
    endian)``; its 32 bytes are four 64-bit big-endian words used in order; blocks count from 0.
    """

    def __init__(self, seed: str) -> None:
        self._key = _DOMAIN + seed.encode() + b"\x00"
        self._counter = 0
        self._words: list[int] = []

    def word(self) -> int:
        """The next 64-bit word."""
        if not self._words:
            digest = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._words = [int.from_bytes(digest[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._words.pop()

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) by rejection: words ≥ 2^64 − (2^64 mod n) are skipped."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _TWO64 - _TWO64 % n
        while True:
            value = self.word()
            if value < limit:
                return value % n

    def chance(self, probability: Fraction) -> bool:
        """True with exactly ``probability`` (in [0, 1)) up to 2^-64: word × den < num × 2^64."""
        return self.word() * probability.denominator < probability.numerator * _TWO64


def _canonical(lines: pl.Series) -> str:
    """sha256 of the lines, each ended by a newline, in UTF-8."""
    text = "".join(f"{line}\n" for line in lines.to_list())
    return hashlib.sha256(text.encode()).hexdigest()


def objects_digest(objects: pl.DataFrame) -> str:
    """sha256 of the objects' canonical lines (id, category, grade, region, risk score as the
    shortest decimal that reads back as the same double — Python's ``repr``; tab-separated,
    sorted by id in code-point order) — the same for any file layout of the same directory."""
    ordered = objects.sort("enterprise_id")
    risk = pl.Series([repr(float(r)) for r in ordered.get_column("risk_score").to_list()])
    return _canonical(
        ordered.select(
            pl.concat_str(
                [pl.col("enterprise_id"), pl.col("category"), pl.col("grade"), pl.col("region"),
                 pl.lit(risk)],
                separator="\t",
            )
        ).to_series()
    )  # fmt: skip


def inspectors_digest(inspectors: pl.DataFrame) -> str:
    """sha256 of the inspectors' canonical lines (id, unit, region, qualifications, former
    workplaces, conflicts; each list sorted and joined by ``;``)."""
    lists = ["qualifications", "former_workplaces", "conflicts"]
    return _canonical(
        inspectors.sort("inspector_id")
        .select(
            pl.concat_str(
                [pl.col("inspector_id"), pl.col("unit"), pl.col("region"),
                 *(pl.col(c).list.sort().list.join(";") for c in lists)],
                separator="\t",
            )
        )
        .to_series()
    )  # fmt: skip


def previous_digest(previous: Mapping[str, Sequence[str]]) -> str:
    """sha256 of the previous teams' canonical lines (enterprise, sorted team joined by ``;``)."""
    return _canonical(
        pl.Series(
            [f"{e}\t{';'.join(sorted(team))}" for e, team in sorted(previous.items())],
            dtype=pl.String,
        )
    )


@dataclass(frozen=True)
class _Task:
    enterprise_id: str
    category: str
    grade: str
    basis: str


def _select(stream: Stream, members: list[str], share: Fraction) -> list[str]:
    """Randomized rounding of ``share × len(members)``, then a partial Fisher–Yates shuffle."""
    quota = share * len(members)
    count = floor(quota)
    if quota != count and stream.chance(quota - count):
        count += 1
    chosen = members
    for i in range(count):
        j = i + stream.below(len(chosen) - i)
        chosen[i], chosen[j] = chosen[j], chosen[i]
    return chosen[:count]


def _objects(
    objects: pl.DataFrame, rules: DrawRules, stream: Stream
) -> tuple[list[_Task], list[dict[str, object]]]:
    """Step 1 (reserved top-risk tasks) and step 2 (stratified selection) of the algorithm."""
    shares = {
        (c, g): Fraction(p) for c in CATEGORIES for g, p in rules.proportions.get(c, {}).items()
    }
    sizes = objects.group_by("category", "grade").len().iter_rows()
    expected = sum((shares.get((c, g), Fraction(0)) * n for c, g, n in sizes), Fraction(0))
    reserve = floor(expected * Fraction(rules.reserved_share))
    top = (
        objects.sort(["risk_score", "enterprise_id"], descending=[True, False])
        .head(reserve)
        .select("enterprise_id", "category", "grade")
    )
    tasks = [_Task(e, c, g, "reserved") for e, c, g in top.iter_rows()]
    strata = {
        (c, g): members
        for c, g, members in objects.join(
            top.select("enterprise_id"), on="enterprise_id", how="anti"
        )
        .group_by("category", "grade")
        .agg(pl.col("enterprise_id").sort())
        .iter_rows()
    }
    summary: list[dict[str, object]] = []
    for category in CATEGORIES:
        for grade in sorted(g for c, g in strata if c == category):
            members = strata[(category, grade)]
            share = shares.get((category, grade), Fraction(0))
            population = len(members)
            chosen = _select(stream, members, share)
            tasks += [_Task(e, category, grade, "random") for e in chosen]
            summary.append(
                {
                    "category": category,
                    "grade": grade,
                    "population": population,
                    "proportion": float(share),
                    "drawn": len(chosen),
                }
            )
    return tasks, summary


def _team(
    stream: Stream,
    pool: Sequence[str],
    pool_set: frozenset[str],
    excluded: frozenset[str],
    previous: frozenset[str],
    size: int,
) -> list[str]:
    """``size`` inspectors of ``pool`` by rejection, avoiding ``excluded`` and holding at most
    one member of the ``previous`` team; [] when no such team exists."""
    team: list[str] = []
    while len(team) < size:
        bad = excluded.union(team)
        if not previous.isdisjoint(team):
            bad |= previous
        if len(pool) - len(bad & pool_set) <= 0:
            return []
        candidate = pool[stream.below(len(pool))]
        while candidate in bad:
            candidate = pool[stream.below(len(pool))]
        team.append(candidate)
    return team


def draw(
    objects: pl.DataFrame,
    inspectors: pl.DataFrame,
    rules: DrawRules,
    seed: str,
    *,
    previous: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, object]:
    """The draw of ``objects`` (:data:`OBJECT_SCHEMA`, unique ids) and teams of ``inspectors``
    (:data:`INSPECTOR_SCHEMA`) under ``rules`` with ``seed``; ``previous`` maps an enterprise to
    the team of the previous draw. The result is the JSON document to publish."""
    stream = Stream(seed)
    tasks, summary = _objects(objects, rules, stream)
    region_of = dict(
        zip(
            objects.get_column("enterprise_id").to_list(),
            objects.get_column("region").to_list(),
            strict=True,
        )
    )
    avoid: dict[str, set[str]] = {}
    pools: dict[str, list[str]] = {}
    for ident, _unit, home, quals, former, conflicts in (
        inspectors.sort("inspector_id").select(list(INSPECTOR_SCHEMA)).iter_rows()
    ):
        for enterprise in (*former, *conflicts):
            avoid.setdefault(enterprise, set()).add(ident)
        if rules.qualification and rules.qualification not in quals:
            continue
        pools.setdefault(home if rules.inspector_scope == "region" else "*", []).append(ident)
    pool_sets = {key: frozenset(members) for key, members in pools.items()}
    avoided = {e: frozenset(ids) for e, ids in avoid.items()}
    before = {e: frozenset(team) for e, team in (previous or {}).items()}
    published: list[dict[str, object]] = []
    for number, task in enumerate(tasks, start=1):
        region = region_of[task.enterprise_id]
        key = region if rules.inspector_scope == "region" else "*"
        team = _team(
            stream,
            pools.get(key, []),
            pool_sets.get(key, frozenset()),
            avoided.get(task.enterprise_id, _NOBODY),
            before.get(task.enterprise_id, _NOBODY),
            rules.team_size,
        )
        published.append(
            {
                "number": number,
                "enterprise_id": task.enterprise_id,
                "category": task.category,
                "grade": task.grade,
                "region": region,
                "basis": task.basis,
                "inspectors": team,
            }
        )
    return {
        "algorithm": ALGORITHM,
        "seed_sha256": seed_hash(seed),
        "seed": seed,
        "inputs": {
            "objects_sha256": objects_digest(objects),
            "inspectors_sha256": inspectors_digest(inspectors),
            "previous_sha256": previous_digest(previous or {}),
        },
        "rules": {
            "team_size": rules.team_size,
            "reserved_share": rules.reserved_share,
            "inspector_scope": rules.inspector_scope,
            "qualification": rules.qualification,
        },
        "reserved": sum(1 for t in tasks if t.basis == "reserved"),
        "strata": summary,
        "unstaffed": [t["enterprise_id"] for t in published if not t["inspectors"]],
        "tasks": published,
    }
