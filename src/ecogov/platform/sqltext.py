"""Text search in SQL: what a user types into a search box is matched literally.

``LIKE`` treats ``%`` and ``_`` as wildcards, so a search for ``%`` used to match every row in
scope. Every search goes through :func:`contains` or :func:`starts_with`, which escape the
wildcards (and the escape character itself) before building the pattern; the same SQL works on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement

LIKE_ESCAPE: Final = "\\"


def escape_like(text: str) -> str:
    """``text`` with the ``LIKE`` wildcards ``%`` and ``_`` (and ``\\``) escaped by ``\\``."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """Rows whose ``column`` contains ``text`` literally (case as the database compares)."""
    return column.like(f"%{escape_like(text)}%", escape=LIKE_ESCAPE)  # type: ignore[no-any-return]


def starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """Rows whose ``column`` starts with ``text`` literally."""
    return column.like(f"{escape_like(text)}%", escape=LIKE_ESCAPE)  # type: ignore[no-any-return]
