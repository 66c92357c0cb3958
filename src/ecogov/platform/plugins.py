"""The one way a domain package plugs into the platform.

A domain (``regions``, later ``monitoring``, ``plans``, ``sources`` …) exposes a module-level
``domain = Domain(...)`` and is listed under the ``ecogov.domains`` entry-point group in
``pyproject.toml``. The platform then finds, in that order of dependency:

* its tables (``models`` module, imported so the metadata and scope rules know them) and its
  Alembic revisions (``migrations`` folder, part of the one linear migration history);
* its JSON API router (mounted under ``/api/v1``) and its page router;
* its navigation entries, its messages (zh-CN, English);
* its Typer sub-app (``ecogov <name> …``) and its demo-data loader;
* the indicators it computes (``ecogov.platform.indicators``), which plan targets bind to;
* panels of the command-centre home page (指挥中心), drawn for the user's selected region;
* the legends and point layers it offers to the one map component (``ecogov.platform.maps``).

Nothing in ``platform``, ``web`` or ``cli`` names a domain.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecogov.platform.i18n import Catalogue, register
from ecogov.platform.indicators import Indicator
from ecogov.platform.maps import LegendSource, MapLayer
from ecogov.platform.scope import Principal, Role

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from ecogov.platform.db import Database


@dataclass(frozen=True)
class HomeContext:
    """What a command-centre panel is drawn for: who is looking at which region."""

    db: Database
    principal: Principal
    region_code: str
    language: str


@dataclass(frozen=True)
class Panel:
    """A panel of the command-centre home page: a template and its context."""

    template: str
    context: dict[str, Any]
    order: int = 100


HomePanel = Callable[[HomeContext], Panel | None]
"""Draws one panel of the command centre (指挥中心), or None when it has nothing to show."""

DemoLoader = Callable[["Database"], Iterable[str] | None]
"""Loads a domain's demo data; may return lines to show the user (e.g. the demo logins)."""


@dataclass(frozen=True)
class NavItem:
    """An entry of the top navigation bar."""

    message_key: str
    path: str
    roles: frozenset[Role] | None = None  # None: every logged-in user
    order: int = 100


@dataclass(frozen=True)
class Domain:
    """What a domain package contributes to the platform."""

    name: str
    models: str | None = None
    migrations: Path | None = None
    api: Callable[[], APIRouter] | None = None
    pages: Callable[[], APIRouter] | None = None
    cli: Callable[[], typer.Typer] | None = None
    cli_name: str | None = None
    demo: DemoLoader | None = None
    demo_order: int = 100
    nav: tuple[NavItem, ...] = ()
    messages: Catalogue = field(default_factory=dict)
    templates: Path | None = None
    static: Path | None = None
    """Folder of the domain's static assets (page scripts), served under ``/static/<name>/``."""
    indicators: tuple[Indicator, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    legends: tuple[LegendSource, ...] = ()
    map_layers: tuple[MapLayer, ...] = ()


ENTRY_POINT_GROUP = "ecogov.domains"


@cache
def domains() -> tuple[Domain, ...]:
    """Every installed domain, its models imported and messages registered, in name order."""
    found: list[Domain] = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        domain = entry.load()
        if not isinstance(domain, Domain):
            raise TypeError(f"entry point {entry.name!r} does not point at a Domain")
        if domain.models:
            importlib.import_module(domain.models)
        register(domain.messages)
        found.append(domain)
    return tuple(found)
