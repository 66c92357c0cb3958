"""The i18n guarantee, read from the source: every message key the code and templates name is in
the merged catalogue with a zh-CN text in Chinese and an English one, and no user-facing error
is raised with an English-only literal (issue 14, defect 3)."""

from __future__ import annotations

import ast
import functools
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

import ecogov
from ecogov.platform import i18n
from ecogov.platform.errors import EcogovError
from ecogov.platform.plugins import domains
from ecogov.platform.statemachine import Refusal

SRC: Final = Path(ecogov.__file__).resolve().parent
NOT_CHINESE: Final = {
    "lang.switch": "the language switch names the other language in that language",
    "where.cookie": "Cookie is the header's name in Chinese texts as well",
}
"""Catalogue entries whose zh-CN text may lack Chinese, and why."""
KEY_CALL: Final = re.compile(
    r"""(?<![\w.])(?:_|translate|both|texts|_refusal|_message)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']\s*[,)]"""
)
"""A message key named literally: ``_("…")`` in templates, ``translate("…")``, ``both("…")``."""
LATIN_WORD: Final = re.compile(r"[A-Za-z]{2,}")
USER_ERRORS_EXTRA: Final = frozenset({"BadParameter"})
"""Errors shown to users that are not ours: Typer's bad-parameter message of a CLI command."""


def _modules() -> Iterator[str]:
    for module in pkgutil.walk_packages([str(SRC)], prefix="ecogov."):
        if not module.name.endswith("__main__"):
            yield module.name


def _catalogue() -> dict[str, tuple[str, str]]:
    domains()
    for name in _modules():
        importlib.import_module(name)
    return dict(i18n._messages)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _sources(*suffixes: str) -> list[Path]:
    return sorted(p for suffix in suffixes for p in SRC.rglob(f"*{suffix}"))


def test_every_catalogue_entry_has_chinese_and_english() -> None:
    bad = [
        f"{key}: {texts!r}"
        for key, texts in _catalogue().items()
        if (not i18n.has_chinese(texts[0]) and key not in NOT_CHINESE) or not texts[1].strip()
    ]
    assert not bad, "\n".join(bad)
    catalogue = _catalogue()
    assert all(key in catalogue for key in NOT_CHINESE), "stale allowlist entry"


def test_every_key_named_in_code_or_templates_is_in_the_catalogue() -> None:
    catalogue = _catalogue()
    named = {
        (path.relative_to(SRC).as_posix(), key)
        for path in _sources(".py", ".html")
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 400  # the scan sees the code's keys
    missing = sorted(f"{path}: {key}" for path, key in named if key not in catalogue)
    assert not missing, "\n".join(missing)


def _literal_text(node: ast.expr) -> str | None:
    """The literal characters of a string or f-string argument; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def english_only_raises(path: Path, names: set[str], root: Path = SRC) -> list[str]:
    """``raise Name("literal")`` in ``path`` whose literal has Latin words and no Chinese."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in names or not node.exc.args:
            continue
        text = _literal_text(node.exc.args[0])
        if text is not None and LATIN_WORD.search(text) and not i18n.has_chinese(text):
            found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}: {name}({text!r})")
    return found


def _raised_literals(names: set[str]) -> Iterator[tuple[str, str]]:
    """(where, literal) of every ``raise Name("literal", …)`` in the source."""
    for path in _sources(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                first = node.exc.args[0] if node.exc.args else None
                if name in names and isinstance(first, ast.Constant):
                    yield f"{path.relative_to(SRC)}:{node.lineno}", str(first.value)


def test_state_machine_refusals_name_a_catalogue_reason() -> None:
    catalogue = _catalogue()
    names = {cls.__name__ for cls in _subclasses(Refusal)}
    reasons = list(_raised_literals(names))
    assert len(reasons) >= 5
    missing = [
        f"{where}: {reason}"
        for where, reason in reasons
        if f"fsm.refused.{reason}" not in catalogue
    ]
    assert not missing, missing


def test_user_facing_errors_are_raised_with_chinese_first() -> None:
    _catalogue()
    keyed = {cls.__name__ for cls in _subclasses(Refusal)}
    names = {cls.__name__ for cls in _subclasses(EcogovError)} - keyed | {"EcogovError"}
    assert {"InputError", "NotFound", "Conflict", "RejectedFile", "FeedError"} <= names
    names |= USER_ERRORS_EXTRA
    found = [hit for path in _sources(".py") for hit in english_only_raises(path, names)]
    assert not found, f"{len(found)} English-only user-facing errors:\n" + "\n".join(found)


def test_the_scan_sees_an_english_only_raise(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        'def f() -> None:\n    raise InputError(f"year {1} is out of range")\n'
        'def g() -> None:\n    raise InputError(f"年份 {1} 超出范围（year out of range）")\n',
        encoding="utf-8",
    )
    hits = english_only_raises(source, {"InputError"}, tmp_path)
    assert hits == ["probe.py:2: InputError('year  is out of range')"]


@pytest.mark.parametrize(
    ("text", "chinese"), [("年份有误", True), ("year", False), ("PM2.5 超标", True), ("", False)]
)
def test_has_chinese(text: str, chinese: bool) -> None:
    assert i18n.has_chinese(text) is chinese


def test_both_gives_chinese_first_then_english() -> None:
    assert (
        i18n.both("auth.no_such_user", username="li") == "用户 li 不存在（User li does not exist）"
    )


def test_every_audited_table_and_action_has_a_chinese_name() -> None:
    catalogue = _catalogue()
    from ecogov.platform.models import Base
    from ecogov.web.audit_view import action_label

    tables = sorted(str(mapper.class_.__tablename__) for mapper in Base.registry.mappers)
    tables = [table for table in tables if not table.startswith("test_")]
    assert [table for table in tables if f"audit.entity.{table}" not in catalogue] == []
    actions = {
        action
        for path in _sources(".py")
        for action in re.findall(r'action="([a-z0-9_.]+)"', path.read_text(encoding="utf-8"))
    }
    assert len(actions) > 20
    unnamed = sorted(action for action in actions if not i18n.has_chinese(action_label(action)))
    assert unnamed == []


FOREIGN_TEXT_ALLOWED: Final = {
    "TyperException": "Typer's usage errors: the CLI rewrites them in Chinese (usage_text), "
    "checked by tests/test_cli_i18n.py",
}
"""Exception types whose own text may reach users without Chinese, and why."""
FOREIGN_TEXT_PLACES: Final[dict[str, str]] = {}
"""Source folders whose handlers may quote an exception's text, and why."""
MESSAGE_WRAPPERS: Final = frozenset(
    {"both", "texts", "file_error", "translate", "_refusal", "_", "Violation"}
)
"""Calls that put a detail into a catalogue message (which has Chinese): ``both(key, reason=e)``;
an HJ 212 ``Violation(code, particulars)`` reads its code's Chinese rule first (VIOLATION_TEXTS)."""
LOGGERS: Final = frozenset({"log", "LOG", "logger", "logging"})


def _text_uses(handler: ast.ExceptHandler) -> Iterator[tuple[int, bool]]:
    """(line, framed) of each place the text of ``handler``'s exception reaches a message:
    ``framed`` when a Chinese literal or a catalogue message surrounds it."""
    parents: dict[ast.AST, ast.AST] = {}
    for statement in handler.body:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
    for statement in handler.body:
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Name) and node.id == handler.name):
                continue
            parent = parents.get(node)
            if not isinstance(parent, ast.FormattedValue | ast.Call | ast.keyword) or (
                isinstance(parent, ast.Call) and parent.func is node
            ):
                continue  # ``exc.zh``, ``raise … from exc``, ``self.error = exc``: not its text
            framed, outer = False, parents.get(node)
            while outer is not None and not isinstance(outer, ast.stmt):
                if isinstance(outer, ast.Compare):
                    break  # ``"locked" in str(exc)`` reads the text, shows nothing
                if isinstance(outer, ast.JoinedStr) and i18n.has_chinese(
                    _literal_text(outer) or ""
                ):
                    framed = True
                    break
                if isinstance(outer, ast.Call):
                    func = outer.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    owner = func.value if isinstance(func, ast.Attribute) else None
                    if isinstance(owner, ast.Name) and owner.id in LOGGERS:
                        break  # the operators' log, not a user's message
                    if name in MESSAGE_WRAPPERS:
                        framed = True
                        break
                outer = parents.get(outer)
            else:
                yield node.lineno, framed
                continue
            if framed:
                yield node.lineno, True


def _caught_types(module: object, handler: ast.ExceptHandler) -> list[type]:
    assert handler.type is not None
    value = eval(compile(ast.Expression(handler.type), "<except>", "eval"), vars(module))
    return list(value) if isinstance(value, tuple) else [value]


def _raised_without_chinese(cls: type) -> list[str]:
    """Raises of ``cls`` (or a subclass) anywhere in the source whose literal texts have Latin
    words and no Chinese."""
    keyed = {sub.__name__ for sub in _subclasses(Refusal)}  # a catalogue reason, not a text
    names = ({cls.__name__} | {sub.__name__ for sub in _subclasses(cls)}) - keyed
    return [where for name, where in _english_raises() if name in names]


@functools.cache
def _english_raises() -> list[tuple[str, str]]:
    """(raised name, where) of every raise in the source whose literal texts have Latin words
    and no Chinese."""
    found = []
    for path in _sources(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            literals = [t for t in map(_literal_text, node.exc.args) if t is not None]
            if any(LATIN_WORD.search(t) for t in literals) and not any(
                i18n.has_chinese(t) for t in literals
            ):
                found.append((name, f"{path.relative_to(SRC).as_posix()}:{node.lineno}"))
    return found


def unframed_exception_texts(path: Path, module: object, root: Path = SRC) -> list[str]:
    """``except T as exc`` handlers of ``path`` passing ``exc``'s own text to a user with no
    Chinese around it, where ``T`` is not known to speak Chinese: a foreign type (Python's,
    a library's), a type on the allowlist, or one of ours raised with an English-only text."""
    found: list[str] = []
    if any(path.relative_to(root).as_posix().startswith(place) for place in FOREIGN_TEXT_PLACES):
        return found
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ExceptHandler) or node.name is None:
            continue
        bare = [line for line, framed in _text_uses(node) if not framed]
        if not bare:
            continue
        for cls in _caught_types(module, node):
            if any(base.__name__ in FOREIGN_TEXT_ALLOWED for base in cls.__mro__):
                continue
            where = f"{path.relative_to(root).as_posix()}:{bare[0]}: {cls.__name__}"
            if not cls.__module__.startswith("ecogov."):
                found.append(f"{where} (not ours: its text is English)")
            elif english := _raised_without_chinese(cls):
                found.append(f"{where} raised in English at {', '.join(english)}")
    return found


def test_exception_texts_reaching_users_speak_chinese_first() -> None:
    _catalogue()
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        if str(module.__file__).endswith(".py"):  # not a compiled extension
            found += unframed_exception_texts(Path(str(module.__file__)), module)
    assert len(list(_modules())) > 200  # the scan reads every module
    assert not found, "exception texts shown without Chinese:\n" + "\n".join(found)


def test_the_scan_sees_an_english_exception_text(tmp_path: Path) -> None:
    import json

    source = tmp_path / "probe.py"
    source.write_text(
        "def f(text):\n"
        "    try:\n        json.loads(text)\n"
        "    except ValueError as exc:\n        raise InputError(str(exc)) from exc\n"
        "    try:\n        json.loads(text)\n"
        "    except ValueError as exc:\n        raise InputError(f'不是 JSON（{exc}）') from exc\n"
        "    try:\n        json.loads(text)\n"
        "    except ValueError as exc:\n        raise InputError(both('k', reason=exc)) from exc\n"
        "    try:\n        json.loads(text)\n"
        "    except ValueError as exc:\n        log.warning('skipped: %s', exc)\n",
        encoding="utf-8",
    )
    hits = unframed_exception_texts(source, type(json)("probe"), tmp_path)
    assert hits == ["probe.py:5: ValueError (not ours: its text is English)"]
