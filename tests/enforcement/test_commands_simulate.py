"""On a simulated population (true violators known only to the simulator), the top-k risk list
finds violators more often than a random draw of the same size."""

from __future__ import annotations

from ecogov.enforcement.simulate import hit_rates, simulate


def test_top_k_hit_rate_beats_a_random_draw() -> None:
    population = simulate(4000, 200, seed=3, regions=10)
    rates = hit_rates(population, 200)
    assert rates.random > 0
    assert rates.top_k > rates.random
    assert rates.ratio > 3
