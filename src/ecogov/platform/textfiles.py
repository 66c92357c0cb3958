"""Reading the text files bureaus exchange: UTF-8 (with or without BOM), else GB18030 as
Chinese Excel and Word write it."""

from __future__ import annotations

from pathlib import Path

from ecogov.platform.errors import InputError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, name: str) -> str:
    """The text of ``data`` (from a file or upload called ``name``); InputError when neither
    encoding reads it."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: neither UTF-8 nor GB18030 text")


def read_text(path: Path) -> str:
    """The text of the file at ``path`` (InputError when it is missing or undecodable)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return decode_text(path.read_bytes(), path.name)
