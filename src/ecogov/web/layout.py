"""What the page layout needs on every page: the region switcher within the user's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request

from ecogov.platform.db import Database
from ecogov.platform.http import current_principal, get_database, shown_region
from ecogov.platform.plugins import region_directory
from ecogov.platform.scope import Principal


@dataclass(frozen=True)
class Switcher:
    """The region switcher: the selected region and the regions the user may switch to."""

    selected: str
    options: Sequence[Any]


def layout_context(
    request: Request,
    db: Database = Depends(get_database),
    principal: Principal = Depends(current_principal),
) -> None:
    """Put the region switcher on ``request.state`` for the layout template."""
    if principal.is_authenticated:
        request.state.switcher = Switcher(
            selected=shown_region(request, principal),
            options=region_directory().switchable(db, principal),
        )
