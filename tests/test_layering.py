"""The layering of shared/docs/DESIGN.md is executable: import-linter checks the contracts in
pyproject.toml, and every installed domain must be named in them (a new domain that is left out
would escape the check)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from ecogov.platform.plugins import domains

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return {contract["id"]: contract for contract in contracts}


def _domain_packages() -> set[str]:
    """The top-level package of every installed domain (``ecogov.monitoring`` for air, water)."""
    packages = set()
    for domain in domains():
        if domain.models is None:
            continue
        parts = domain.models.split(".")
        packages.add(".".join(parts[:2]))
    return packages


def test_the_import_contracts_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True) == 0


def test_every_domain_is_placed_in_the_layers() -> None:
    layered = {
        module.strip()
        for layer in _contracts()["layers"]["layers"]  # type: ignore[attr-defined]
        for module in str(layer).split("|")
    }
    assert _domain_packages() <= layered


@pytest.mark.parametrize("contract", ["shell-names-no-domain", "engine-on-standards"])
def test_every_domain_is_forbidden_below_and_to_the_shell(contract: str) -> None:
    forbidden = set(_contracts()[contract]["forbidden_modules"])  # type: ignore[call-overload]
    assert _domain_packages() <= forbidden
