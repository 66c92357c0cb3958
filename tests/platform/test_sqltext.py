"""Search text is matched literally: LIKE wildcards in what a user types are escaped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, literal, select

from ecogov.platform.sqltext import contains, escape_like, starts_with

ENGINE = create_engine("sqlite://")


def _matches(condition: object) -> bool:
    with ENGINE.connect() as connection:
        return connection.execute(select(condition)).scalar() == 1  # type: ignore[call-overload]


def test_wildcards_are_escaped() -> None:
    assert escape_like("100%_a\\b") == "100\\%\\_a\\\\b"


@settings(max_examples=200, deadline=None)  # a query per example
@given(st.text(alphabet="ab%_\\", max_size=6), st.text(alphabet="ab%_\\", max_size=6))
def test_contains_and_starts_with_agree_with_python(haystack: str, needle: str) -> None:
    assert _matches(contains(literal(haystack), needle)) is (needle in haystack)
    assert _matches(starts_with(literal(haystack), needle)) is haystack.startswith(needle)
