"""The one long-table mechanism: paging, sorting, select filters and search on the server, links
that keep the page's other parameters, and bad parameters refused in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from ecogov.platform.errors import InputError
from ecogov.platform.tables import Choice, SortKey, TableSpec, table_page


@dataclass(frozen=True)
class Row:
    code: str
    kind: str
    score: int | None


SPEC = TableSpec(
    name="things",
    sorts=(
        SortKey("code", "x.code", lambda row: row.code),
        SortKey("score", "x.score", lambda row: row.score),
    ),
    choices=(Choice("kind", "x.kind", lambda row: row.kind),),
    search=lambda row: row.code,
    sizes=(2, 5, 10),
    default_size=5,
)
ROWS = [Row(f"C{n:02d}", "odd" if n % 2 else "even", None if n % 4 == 0 else n) for n in range(12)]


def _request(query: dict[str, str] | list[tuple[str, str]]) -> Request:
    return Request(
        {
            "type": "http",
            "path": "/things",
            "query_string": urlencode(query).encode(),
            "headers": [],
        }
    )


def _codes(query: dict[str, str] | list[tuple[str, str]]) -> list[str]:
    return [row.code for row in table_page(SPEC, ROWS, _request(query)).rows]


def test_pages_keep_the_rows_order_and_count_them() -> None:
    page = table_page(SPEC, ROWS, _request({"page": "3"}))
    assert [r.code for r in page.rows] == ["C10", "C11"]
    assert (page.total, page.pages, page.first, page.last) == (12, 3, 11, 12)
    past = table_page(SPEC, ROWS, _request({"page": "9"}))
    assert past.page == 3  # past the last page: the last


def test_sort_descending_puts_empty_values_last_either_way() -> None:
    up = _codes({"sort": "score", "size": "10"})
    down = _codes({"sort": "-score", "size": "10", "page": "2"})
    assert up[:3] == ["C01", "C02", "C03"]
    assert down == ["C04", "C08"]  # the empty scores, after every number


def test_filters_and_search_narrow_the_rows() -> None:
    page = table_page(SPEC, ROWS, _request({"kind": "odd", "q": "c1"}))
    assert [r.code for r in page.rows] == ["C11"]
    assert (page.total, page.unfiltered, page.filtered) == (1, 12, True)
    assert [o.value for o in page.options["kind"] if o.selected] == ["odd"]


def test_links_keep_the_pages_other_parameters() -> None:
    page = table_page(SPEC, ROWS, _request([("period", "2025"), ("sort", "-score"), ("page", "2")]))
    nxt = dict(parse_qsl(urlsplit(page.href(page=3)).query))
    assert nxt == {"period": "2025", "sort": "-score", "page": "3"}
    resorted = dict(parse_qsl(urlsplit(page.sort_href("score")).query))
    assert resorted == {"period": "2025", "sort": "score"}  # a new sort starts on page 1
    assert page.sorted_by("score") == "descending"
    assert page.hidden("q", "size", "kind") == [("period", "2025"), ("sort", "-score")]
    assert page.cleared() == "/things?period=2025&sort=-score"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"page": "0"}, "页码"),
        ({"page": "二"}, "页码"),
        ({"page": "100001"}, "页码"),
        ({"size": "7"}, "每页行数"),
        ({"size": "-1"}, "每页行数"),
        ({"sort": "colour"}, "排序列"),
        ({"sort": "--code"}, "排序列"),
        ({"kind": "x" * 101}, "筛选条件过长"),
        ({"q": "x" * 101}, "关键字过长"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(query: dict[str, str], words: str) -> None:
    with pytest.raises(InputError, match=words) as refused:
        table_page(SPEC, ROWS, _request(query))
    assert refused.value.status_code == 422


def test_a_filter_value_no_row_has_shows_no_rows() -> None:
    page = table_page(SPEC, ROWS, _request({"kind": "prime"}))
    assert (page.rows, page.total) == ([], 0)
    assert [(o.value, o.selected) for o in page.options["kind"]] == [
        ("even", False),
        ("odd", False),
        ("prime", True),
    ]


def test_a_table_without_a_search_box_refuses_a_search() -> None:
    bare = TableSpec(name="bare", sorts=SPEC.sorts)
    with pytest.raises(InputError, match="不支持关键字查询"):
        table_page(bare, ROWS, _request({"q": "C1"}))


@given(
    st.lists(st.one_of(st.none(), st.integers(-50, 50)), max_size=40),
    st.sampled_from(["score", "-score"]),
    st.sampled_from([2, 5, 10]),
)
def test_every_row_appears_on_exactly_one_page_in_order(
    scores: list[int | None], sort: str, size: int
) -> None:
    rows = [Row(f"R{i:02d}", "k", score) for i, score in enumerate(scores)]
    first = table_page(SPEC, rows, _request({"sort": sort, "size": str(size)}))
    seen = [
        row
        for n in range(1, first.pages + 1)
        for row in table_page(
            SPEC, rows, _request({"sort": sort, "size": str(size), "page": str(n)})
        ).rows
    ]
    assert sorted(r.code for r in seen) == sorted(r.code for r in rows)
    values = [r.score for r in seen]
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present))
    assert present == sorted(present, reverse=sort.startswith("-"))


def test_page_numbers_show_the_ends_and_a_window_with_gaps() -> None:
    rows = [Row(f"R{i:03d}", "k", i) for i in range(100)]
    page = table_page(SPEC, rows, _request({"size": "5", "page": "10"}))
    assert page.numbers() == [1, None, 8, 9, 10, 11, 12, None, 20]
