"""The one way a domain package plugs into the platform.

A domain (``regions``, later ``monitoring``, ``plans``, ``sources`` …) exposes a module-level
``domain = Domain(...)`` and is listed under the ``ecogov.domains`` entry-point group in
``pyproject.toml``. The platform then finds, in that order of dependency:

* its tables (``models`` module, imported so the metadata and scope rules know them) and its
  Alembic revisions (``migrations`` folder, part of the one linear migration history);
* its JSON API router (mounted under ``/api/v1``) and its page router;
* its navigation entries, its messages (zh-CN, English);
* its Typer sub-app (``ecogov <name> …``) and its demo-data loader;
* its resource kinds and their rows of the permission table (``ecogov.platform.permissions``);
* the indicators it computes (``ecogov.platform.indicators``), which plan targets bind to;
* panels of the command-centre home page (指挥中心), drawn for the user's selected region;
* the services the shell itself needs from exactly one domain: who a session token belongs to
  (:data:`PrincipalLoader`, from the accounts domain) and the region directory behind the region
  switcher and the home map (:class:`RegionDirectory`, from the regions domain).
* the kinds of alert it publishes, the converters turning alerts into tracked items and the
  listeners following what is published (``ecogov.platform.alerts``).
* the legends and point layers it offers to the one map component (``ecogov.platform.maps``).
* the paths on which it accepts a body from an anonymous visitor (:class:`PublicWrite`).

Nothing in ``platform``, ``web`` or ``cli`` names a domain.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ecogov.platform.alerts import AlertConverter, AlertKind, AlertListener
from ecogov.platform.i18n import Catalogue, register
from ecogov.platform.indicators import Indicator
from ecogov.platform.maps import LegendSource, MapLayer
from ecogov.platform.permissions import ResourceKind, allowed
from ecogov.platform.scope import Principal

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

DemoService = Callable[[str], AbstractContextManager[object]]
"""Something a domain runs beside the web server in demo mode only (``ecogov serve --demo``),
given the database URL: entered before serving starts, left when the server stops."""


PrincipalLoader = Callable[["Database", str | None], Principal | None]
"""Who a session token belongs to, or None for an unknown or expired token."""


@dataclass(frozen=True)
class RegionDirectory:
    """The administrative divisions as the shell's pages need them (region switcher, home map).

    Each lookup is scoped to the principal; the region objects are the providing domain's views
    (with at least ``code``, ``name`` and ``level``), handed to templates as they are.
    """

    ensure_visible: Callable[[Principal, str], None]
    """Refuse a region outside the principal's scope."""
    get: Callable[[Database, Principal, str], Any]
    """One region by its code."""
    lineage: Callable[[Database, Principal, str], Sequence[Any]]
    """The region and its ancestors, top first."""
    children: Callable[[Database, Principal, str | None], Sequence[Any]]
    """The subdivisions of a region (the provinces for None)."""
    switchable: Callable[[Database, Principal], Sequence[Any]]
    """The regions the region switcher offers the principal."""


@dataclass(frozen=True)
class NavItem:
    """An entry of the top navigation bar."""

    message_key: str
    path: str
    order: int = 100
    requires: tuple[str, str] | None = None  # (action, resource kind); None: every logged-in user

    def visible_to(self, principal: Principal) -> bool:
        """Whether the menu offers this entry to ``principal``: only what the role may open."""
        if not principal.is_authenticated:
            return False
        if self.requires is None:
            return True
        action, kind = self.requires
        return allowed(principal, action, kind)


@dataclass(frozen=True)
class PublicWrite:
    """A path that accepts a request body before login (the only anonymous writes), and the
    largest such body [KiB] (None: the settings' ``anonymous_request_kb``)."""

    path: str
    max_kb: int | None = None


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
    cli_mounts: tuple[str, ...] = ()
    """Command groups of other domains the sub-app is also mounted under (``ecogov forecast``
    is also ``ecogov air forecast``), so a domain extends a lower one's commands without the lower
    one importing it."""
    demo: DemoLoader | None = None
    demo_order: int = 100
    demo_service: DemoService | None = None
    nav: tuple[NavItem, ...] = ()
    messages: Catalogue = field(default_factory=dict)
    templates: Path | None = None
    static: Path | None = None
    """Folder of the domain's static assets (page scripts), served under ``/static/<name>/``."""
    indicators: tuple[Indicator, ...] = ()
    permissions: tuple[ResourceKind, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    principal_loader: PrincipalLoader | None = None
    region_directory: RegionDirectory | None = None
    alert_kinds: tuple[AlertKind, ...] = ()
    alert_converters: tuple[AlertConverter, ...] = ()
    alert_listeners: tuple[AlertListener, ...] = ()
    legends: tuple[LegendSource, ...] = ()
    map_layers: tuple[MapLayer, ...] = ()
    public_write_paths: tuple[PublicWrite, ...] = ()
    """Paths of the domain that accept anonymous request bodies (a public intake form)."""
    warm_paths: tuple[str, ...] = ()
    """Anonymous GET paths each worker asks itself once at start (``settings.warm_up``), so
    that its first visitors do not pay for route set-up, template compilation and the first
    computation of what the paths show."""


ENTRY_POINT_GROUP = "ecogov.domains"
_T = TypeVar("_T")


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


def principal_loader() -> PrincipalLoader:
    """The one installed domain's session-token lookup (the accounts domain)."""
    found = [d.principal_loader for d in domains() if d.principal_loader is not None]
    return _exactly_one(found, "principal_loader")


def region_directory() -> RegionDirectory:
    """The one installed domain's region directory (the regions domain)."""
    found = [d.region_directory for d in domains() if d.region_directory is not None]
    return _exactly_one(found, "region_directory")


def _exactly_one(found: list[_T], what: str) -> _T:
    if len(found) != 1:
        raise RuntimeError(f"exactly one installed domain must provide {what}; found {len(found)}")
    return found[0]
