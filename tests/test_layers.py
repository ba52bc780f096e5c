"""Layer rules a tool cannot see: every command module is listed and a missing one fails
loudly. (The import contracts themselves are checked by ``lint-imports`` in
scripts/test.sh; see docs/design/layers.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import culturescope.cli as cli

CLI_DIR = Path(cli.__file__).parent


def test_every_command_module_is_listed():
    on_disk = {f"culturescope.cli.{p.stem}" for p in CLI_DIR.glob("*_command.py")}
    assert on_disk == set(cli.COMMAND_MODULES)
    assert len(cli.COMMAND_MODULES) == len(set(cli.COMMAND_MODULES))


def test_a_misspelt_command_module_fails_loudly(monkeypatch):
    monkeypatch.setattr(
        cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "culturescope.cli.scroe_command"]
    )
    with pytest.raises(ModuleNotFoundError, match="scroe_command"):
        cli.build_parser()


def test_every_listed_command_is_on_the_command_line(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("gui", "demo", "instruments", "campaign", "import", "bundle", "score",
                    "policies", "signals", "report"):
        assert command in out


def test_every_core_module_is_under_the_database_contract():
    """A new top-level module is checked for database imports from the day it is added:
    the contract lists modules by name, so a forgotten one would escape it."""
    import tomllib

    import culturescope

    root = Path(culturescope.__file__).parent
    pyproject = root.parents[1] / "pyproject.toml"
    contracts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(
        c for c in contracts["contracts"] if c["id"] == "only-storage-touches-the-database"
    )
    on_disk = {
        f"culturescope.{p.stem}"
        for p in root.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists())
        and p.stem not in {"__init__", "__main__", "storage", "gui", "cli"}
    }
    assert on_disk == set(contract["source_modules"])
