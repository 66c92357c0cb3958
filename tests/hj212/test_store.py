"""The array literals PostgreSQL records are sent as: whatever the text, it comes back as it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.hj212.store import _number_array, _text_array
from ecogov.platform.db import Database

texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
)


def test_literals_quote_and_escape_every_element() -> None:
    assert _text_array(["a", 'say "hi"', "c:\\d", ""]) == '{"a","say \\"hi\\"","c:\\\\d",""}'
    assert _text_array(["a", None]) == '{"a",NULL}'
    assert _number_array([1, -2, 30]) == "{1,-2,30}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | texts, min_size=1, max_size=8))
def test_text_literals_round_trip_through_postgresql(
    migrated: Database, values: list[str | None]
) -> None:
    if migrated.backend != "postgresql":
        pytest.skip("array literals are read by PostgreSQL only")
    with migrated.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        rows = raw.execute("SELECT unnest(%s::text[])", [_text_array(values)]).fetchall()
    assert [row[0] for row in rows] == values
