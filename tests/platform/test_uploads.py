"""Stored upload names never carry a path."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ecogov.platform.uploads import MAX_NAME_LENGTH, base_name


def test_paths_are_cut_to_their_base_name() -> None:
    assert base_name("../../x.txt") == "x.txt"
    assert base_name("..\\..\\windows\\照片.jpg") == "照片.jpg"
    assert base_name("C:\\Users\\a\\报告.pdf") == "报告.pdf"
    assert base_name("/etc/passwd") == "passwd"
    assert base_name("a/b\\c/d.doc") == "d.doc"
    assert base_name("整改照片.jpg") == "整改照片.jpg"
    assert base_name("..") == "upload"
    assert base_name("dir/", "evidence") == "evidence"
    assert base_name(None) == "upload"
    assert base_name("x" * 300 + ".jpg").endswith(".jpg")


@given(st.text())
def test_no_stored_name_holds_a_separator_or_a_parent(name: str) -> None:
    stored = base_name(name)
    assert "/" not in stored
    assert "\\" not in stored
    assert stored not in {"", ".", ".."}
    assert 0 < len(stored) <= MAX_NAME_LENGTH
    assert not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in stored)
