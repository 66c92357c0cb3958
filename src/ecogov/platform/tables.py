"""Long tables on pages: one mechanism to page, sort and filter them on the server.

A page declares its table once (:class:`TableSpec`: the columns it sorts by, the select filters,
what the search box looks in, the page sizes); :func:`table_page` reads ``page``, ``size``,
``sort`` (a column key, ``-key`` for descending), ``q`` (the search box) and the select filters
from the query string, refuses bad values with a Chinese message (422), and returns the one page
of rows to show (:class:`TablePage`) with the total and the links to other pages, sorts and
filters, each keeping the page's other query parameters (period, plan, region …). The template
side is the macros of ``web/templates/_table.html``.

Two ways to get the rows: :func:`table_page` takes every row the page's query returned (already
within the principal's scope) and orders, filters and slices them here — for the hundreds of
rows of a ledger or a section list; :func:`fetched_page` hands the checked :class:`TableQuery`
to a service function that pages, sorts and filters in the database and returns the page's rows
and the total — for registries of thousands. Empty values sort last in either direction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Generic, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from ecogov.platform.errors import InputError

__all__ = [
    "PAGE_MAX",
    "Choice",
    "SortKey",
    "TablePage",
    "TableQuery",
    "TableSpec",
    "fetched_page",
    "read_query",
    "table_page",
]

Row = TypeVar("Row")
PAGE_MAX: Final = 100_000
"""The highest page number accepted (a larger one is refused, not clamped)."""
SEARCH_MAX: Final = 100
"""The longest search text accepted [characters]."""
_OWN: Final = ("page", "size", "sort", "q")


@dataclass(frozen=True)
class SortKey:
    """A column the table sorts by: its query key, its header's message key, and the value a
    row sorts on (None sorts last)."""

    key: str
    label: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Choice:
    """A select filter: its query key, its label's message key, the value of a row it compares
    with, and how an option is shown (a message key prefix, or the value itself)."""

    key: str
    label: str
    value: Callable[[Any], Any]
    option_label: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """How a page's table is paged, sorted and filtered.

    ``name`` prefixes the element ids (``<name>-pager`` …); ``default_sort`` is a sort value
    (``"-class"``) or None to keep the rows' own order; ``search`` gives the text of a row the
    search box looks in (None: no search box)."""

    name: str
    sorts: tuple[SortKey, ...]
    choices: tuple[Choice, ...] = ()
    search: Callable[[Any], str] | None = None
    sizes: tuple[int, ...] = (25, 50, 100, 200)
    default_size: int = 50
    default_sort: str | None = None

    def sort_key(self, key: str) -> SortKey | None:
        """The sortable column ``key``, or None."""
        return next((s for s in self.sorts if s.key == key), None)


@dataclass(frozen=True)
class Option:
    """One option of a select filter: the value sent and whether it is chosen."""

    value: str
    selected: bool


@dataclass(frozen=True)
class TablePage(Generic[Row]):
    """One page of a table, with what the macros need to draw the controls."""

    spec: TableSpec
    rows: list[Row]
    total: int
    """Rows matching the search and filters (all pages)."""
    unfiltered: int | None
    """Rows before the search and filters (None when not counted)."""
    page: int
    size: int
    sort: str | None
    search: str
    chosen: dict[str, str]
    options: dict[str, list[Option]]
    path: str
    params: tuple[tuple[str, str], ...] = field(default=())
    """The query parameters of the page that are not the table's (kept by every link)."""

    @property
    def pages(self) -> int:
        """How many pages (at least one)."""
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The number of the first row shown (0 when none)."""
        return (self.page - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """The number of the last row shown."""
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def filtered(self) -> bool:
        """Whether a search or a select filter is on."""
        return bool(self.search or self.chosen)

    def state(self) -> dict[str, str]:
        """The table's own parameters as they are now (defaults left out)."""
        values = dict(self.chosen)
        if self.search:
            values["q"] = self.search
        if self.sort is not None and self.sort != self.spec.default_sort:
            values["sort"] = self.sort
        if self.size != self.spec.default_size:
            values["size"] = str(self.size)
        if self.page != 1:
            values["page"] = str(self.page)
        return values

    def href(self, **changes: str | int | None) -> str:
        """This page's link with ``changes`` (None drops a parameter); changing anything but
        the page goes back to page 1. The page's other parameters are kept."""
        values = self.state()
        if "page" not in changes:
            values.pop("page", None)
        for key, value in changes.items():
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = str(value)
        if values.get("page") == "1":
            del values["page"]
        query = urlencode([*self.params, *values.items()])
        return f"{self.path}?{query}" if query else self.path

    def cleared(self) -> str:
        """This page's link without the search and the select filters."""
        return self.href(q=None, **dict.fromkeys(self.chosen))

    def sort_href(self, key: str) -> str:
        """The link of a column header: ascending, or descending when already ascending."""
        return self.href(sort=f"-{key}" if self.sort == key else key)

    def sorted_by(self, key: str) -> str | None:
        """``ascending``/``descending`` when the table is sorted by ``key`` (aria-sort)."""
        if self.sort == key:
            return "ascending"
        return "descending" if self.sort == f"-{key}" else None

    def hidden(self, *without: str) -> list[tuple[str, str]]:
        """The parameters a form of the table must carry as hidden fields (all but the
        form's own ``without`` and the page number)."""
        state = {k: v for k, v in self.state().items() if k not in (*without, "page")}
        return [*[(k, v) for k, v in self.params if k not in without], *state.items()]

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last, and ``around`` either side of the current
        one; None marks a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        previous = 0
        for n in sorted(n for n in wanted if 1 <= n <= self.pages):
            if n - previous > 1:
                numbers.append(None)
            numbers.append(n)
            previous = n
        return numbers


def _refuse(zh: str, en: str) -> InputError:
    return InputError(f"{zh} / {en}")


def _positive(params: Mapping[str, str], key: str, zh: str, maximum: int) -> int | None:
    text = params.get(key, "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= maximum:
        raise _refuse(
            f"{zh}“{text}”无效：应为 1–{maximum} 的整数",
            f"{key} {text!r} is not a whole number from 1 to {maximum}",
        )
    return int(text)


def _size(spec: TableSpec, params: Mapping[str, str]) -> int:
    size = _positive(params, "size", "每页行数", max(spec.sizes))
    if size is None:
        return spec.default_size
    if size not in spec.sizes:
        allowed = "、".join(str(s) for s in spec.sizes)
        raise _refuse(f"每页行数“{size}”无效：可选 {allowed}", f"size must be one of {allowed}")
    return size


def _sort(spec: TableSpec, params: Mapping[str, str]) -> str | None:
    text = params.get("sort", "").strip()
    if not text:
        return spec.default_sort
    if spec.sort_key(text.removeprefix("-")) is None:
        keys = "、".join(s.key for s in spec.sorts)
        raise _refuse(
            f"排序列“{text}”无效：可选 {keys}（前加“-”为降序）",
            f"sort {text!r} is not a column of this table: one of {keys} (prefix - to descend)",
        )
    return text


def _search(spec: TableSpec, params: Mapping[str, str]) -> str:
    text = params.get("q", "").strip()
    if text and spec.search is None:
        raise _refuse("此表不支持关键字查询", "this table has no search box")
    if len(text) > SEARCH_MAX:
        raise _refuse(
            f"查询关键字过长（{len(text)} 字），最多 {SEARCH_MAX} 字",
            f"search text too long ({len(text)} characters, at most {SEARCH_MAX})",
        )
    return text


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _ordered(rows: list[Row], sort: SortKey, descending: bool) -> list[Row]:
    """``rows`` by the column's value, empty values last whichever the direction."""
    present = [row for row in rows if sort.value(row) is not None]
    empty = [row for row in rows if sort.value(row) is None]
    return sorted(present, key=sort.value, reverse=descending) + empty


@dataclass(frozen=True)
class TableQuery:
    """What a request asks of a table, checked against its spec."""

    page: int
    size: int
    sort: str | None
    search: str
    chosen: dict[str, str]

    @property
    def offset(self) -> int:
        """Rows before the page asked for."""
        return (self.page - 1) * self.size

    @property
    def sort_column(self) -> str | None:
        """The key of the column sorted by (without the ``-``), or None."""
        return self.sort.removeprefix("-") if self.sort else None

    @property
    def descending(self) -> bool:
        """Whether the sort is descending."""
        return bool(self.sort and self.sort.startswith("-"))


def read_query(spec: TableSpec, request: Request) -> TableQuery:
    """The table parameters of the request's query string, checked.

    Raises:
        InputError: a parameter the table does not accept (422, Chinese then English).
    """
    params = request.query_params
    chosen: dict[str, str] = {}
    for choice in spec.choices:
        wanted = params.get(choice.key, "").strip()
        if len(wanted) > SEARCH_MAX:
            raise _refuse(
                f"筛选条件过长（{len(wanted)} 字），最多 {SEARCH_MAX} 字",
                f"filter {choice.key} too long ({len(wanted)} characters, at most {SEARCH_MAX})",
            )
        if wanted:
            chosen[choice.key] = wanted
    return TableQuery(
        page=_positive(params, "page", "页码", PAGE_MAX) or 1,
        size=_size(spec, params),
        sort=_sort(spec, params),
        search=_search(spec, params),
        chosen=chosen,
    )


def _page(
    spec: TableSpec,
    request: Request,
    query: TableQuery,
    rows: Sequence[Row],
    total: int,
    unfiltered: int | None,
    values: Mapping[str, Iterable[str]],
) -> TablePage[Row]:
    # A value no row has (a link kept across periods or regions) shows no rows, not an error:
    # it stays among the options, chosen.
    options = {
        choice.key: [
            Option(value, value == query.chosen.get(choice.key))
            for value in sorted(
                {*values.get(choice.key, ()), *filter(None, [query.chosen.get(choice.key)])}
            )
        ]
        for choice in spec.choices
    }
    own = {*_OWN, *(c.key for c in spec.choices)}
    return TablePage(
        spec=spec,
        rows=list(rows),
        total=total,
        unfiltered=unfiltered,
        page=query.page,
        size=query.size,
        sort=query.sort,
        search=query.search,
        chosen=query.chosen,
        options=options,
        path=request.url.path,
        params=tuple((k, v) for k, v in request.query_params.multi_items() if k not in own),
    )


def _last_page(query: TableQuery, total: int) -> TableQuery:
    """``query`` moved to the last page when it asks for one past it."""
    pages = max(1, math.ceil(total / query.size))
    return replace(query, page=pages) if query.page > pages else query


def table_page(spec: TableSpec, rows: Sequence[Row], request: Request) -> TablePage[Row]:
    """The page of ``rows`` the request's query asks for (``page``, ``size``, ``sort``, ``q``
    and the spec's select filters), filtered, sorted and sliced here; the page's other query
    parameters are carried by every link. A page past the last shows the last.

    Raises:
        InputError: a parameter the table does not accept (422, Chinese then English).
    """
    query = read_query(spec, request)
    chosen = query.chosen
    shown = [
        row
        for row in rows
        if all(_text(c.value(row)) == chosen[c.key] for c in spec.choices if c.key in chosen)
    ]
    if query.search and spec.search is not None:
        needle = query.search.casefold()
        shown = [row for row in shown if needle in spec.search(row).casefold()]
    if query.sort_column is not None:
        column = spec.sort_key(query.sort_column)
        assert column is not None  # checked by read_query
        shown = _ordered(shown, column, query.descending)
    query = _last_page(query, len(shown))
    values = {c.key: {_text(c.value(row)) for row in rows} - {""} for c in spec.choices}
    page_rows = shown[query.offset : query.offset + query.size]
    return _page(spec, request, query, page_rows, len(shown), len(rows), values)


def fetched_page(
    spec: TableSpec,
    request: Request,
    fetch: Callable[[TableQuery], tuple[Sequence[Row], int]],
    values: Mapping[str, Iterable[str]] | None = None,
) -> TablePage[Row]:
    """The page the request's query asks for, fetched by ``fetch`` (the rows of the page and
    the total of matching rows: paged, sorted and filtered by the database, for tables too long
    to hold); ``values`` are the options of each select filter. A page past the last shows the
    last.

    Raises:
        InputError: a parameter the table does not accept (422, Chinese then English).
    """
    query = read_query(spec, request)
    rows, total = fetch(query)
    last = _last_page(query, total)
    if last != query:
        query = last
        rows, total = fetch(query)
    return _page(spec, request, query, rows, total, None, values or {})
