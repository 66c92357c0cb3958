"""Public portal (公众门户): read-only pages and open data for the public, no login
(issue Wave 2 · 4 of 7)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain

domain = Domain(name="portal")
