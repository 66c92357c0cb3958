"""The HJ 212 protocol profiles a device may be registered with, by name."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.standards.hj212 import (
    HJ212_2017,
    HJ212_2017_FIELD,
    HJ212_2017_SURFACE_WATER,
    HJ212_2025,
    HJT212_2005,
    ProtocolProfile,
)

ERRORS: Final[Catalogue] = {
    "sources.error.profile": (
        "未知的 HJ 212 协议配置 {name!r}，已有：{known}",
        "unknown HJ 212 protocol profile {name!r}; known: {known}",
    ),
}
register(ERRORS)

PROFILES: Final = MappingProxyType(
    {
        profile.name: profile
        for profile in (
            HJ212_2017,
            HJ212_2017_FIELD,
            HJ212_2017_SURFACE_WATER,
            HJT212_2005,
            HJ212_2025,
        )
    }
)
"""Codec profiles by their name, as stored in ``monitoring_device.profile``."""
DEFAULT_PROFILE: Final = HJ212_2017.name


def profile_named(name: str) -> ProtocolProfile:
    """The codec profile called ``name``; ``InputError`` listing the known ones otherwise."""
    profile = PROFILES.get(name)
    if profile is None:
        known = ", ".join(repr(n) for n in PROFILES)
        raise InputError(both("sources.error.profile", name=name, known=known))
    return profile
