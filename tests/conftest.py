"""Shared fixtures: a small valid seed-table directory to break one defect at a time."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


class DataDir:
    """A copy of ``tests/fixtures/seed_min`` in a temporary directory, editable per test."""

    def __init__(self, path: Path):
        self.path = path

    def file(self, name: str) -> Path:
        return self.path / name

    def replace(self, name: str, old: str, new: str, count: int = 1) -> None:
        text = self.file(name).read_text(encoding="utf-8")
        assert old in text, f"fixture {name} has no {old!r} to replace"
        self.file(name).write_text(text.replace(old, new, count), encoding="utf-8")

    def drop_column(self, name: str, column: str) -> None:
        import csv

        with self.file(name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        at = rows[0].index(column)
        with self.file(name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(r[:at] + r[at + 1 :] for r in rows)

    def write_bytes(self, name: str, data: bytes) -> None:
        self.file(name).write_bytes(data)

    def __fspath__(self) -> str:
        return str(self.path)

    __str__ = __fspath__


@pytest.fixture(autouse=True)
def data_store(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty data store (``$AFGHAN_BRIEF_DATA_HOME``) and cache of
    validated data (``$AFGHAN_BRIEF_CACHE_HOME``): installed release sets and validation
    records never leak from a developer's machine or from one test into another."""
    from analysis.tables.datadir import HOME_ENV_VAR
    from analysis.tables.validcache import CACHE_ENV_VAR

    store = tmp_path_factory.mktemp("store")
    monkeypatch.setenv(HOME_ENV_VAR, str(store))
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path_factory.mktemp("cache")))
    return store


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium with networking off (see browsercheck.py)."""
    from browsercheck import offline_browser

    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run `make browser` (CI installs it in .ci/run)")
    with offline_browser() as b:
        yield b


@pytest.fixture(scope="session")
def rendered_reports(tmp_path_factory) -> Path:
    """Every report of notebooks/ rendered with its defaults (pages, executed notebooks, index),
    once per session: the page tests and the notebooks' tests of their defaults read this one
    render. Tests of the engine render their own."""
    from notebook_runs import once

    from analysis.cli import main

    def build(out: Path) -> None:
        argv = ["render", "--out", str(out), "--notebooks", str(REPO / "notebooks"), "--force"]
        code = main(argv)
        assert code == 0, f"afghan-brief render of every report exited {code}"

    return once(tmp_path_factory, "reports", build)


@pytest.fixture
def seed_min(tmp_path: Path) -> DataDir:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "seed_min", target)
    return DataDir(target)


def pytest_collection_modifyitems(config, items):
    """nbval runs whole notebooks: mark them slow. (Their cells share a kernel, so `make test`
    distributes with --dist loadfile: one notebook, one worker.)"""
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.slow)


def _report_rule_modules() -> list[str]:
    """analysis.<topic>.rules modules imported so far (not analysis.rules, the registry)."""
    return [
        m
        for m in sys.modules
        if m.startswith("analysis.") and m.endswith(".rules") and m.count(".") == 2
    ]


@pytest.fixture
def fresh_rules(monkeypatch):
    """As in a fresh kernel: only the shared rules (as_of, data_dir) registered and no report's
    rules module imported; the registry and the modules are restored afterwards."""
    from analysis import rules

    saved = {m: sys.modules.pop(m) for m in _report_rule_modules()}
    monkeypatch.setattr(rules, "RULES", {k: rules.RULES[k] for k in ("as_of", "data_dir")})
    yield rules
    for module in _report_rule_modules():
        del sys.modules[module]
    for module, obj in saved.items():
        sys.modules[module] = obj
        parent, _, child = module.rpartition(".")
        setattr(importlib.import_module(parent), child, obj)
