"""Uploaded files: the names they are stored under.

A browser sends only a file's base name, but any client can send ``../../x.txt`` or
``C:\\Users\\x\\a.jpg``: such a name is kept without its folders (``/`` and ``\\`` alike), so no
stored name ever carries a path.
"""

from __future__ import annotations

import re
from typing import Final

DEFAULT_NAME: Final = "upload"
MAX_NAME_LENGTH: Final = 256
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def base_name(filename: str | None, default: str = DEFAULT_NAME) -> str:
    """The last part of ``filename`` after any ``/`` or ``\\``, without control characters,
    at most 256 characters; ``default`` when nothing (or only ``.``/``..``) is left."""
    name = _UNSAFE.sub("", re.split(r"[/\\]", filename or "")[-1]).strip()
    if name in {"", ".", ".."}:
        return default
    return name[-MAX_NAME_LENGTH:] if len(name) > MAX_NAME_LENGTH else name
