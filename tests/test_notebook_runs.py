"""The tests' shared executions (tests/notebook_runs.py): built once per session whichever
xdist worker asks first, the same folder for every asker, a failure never taken for a result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from notebook_runs import once, session_dir

from analysis.tables.datadir import HOME_ENV_VAR


class Factory:
    """A worker's tmp_path_factory: its own folder inside the session's."""

    def __init__(self, base: Path):
        self.base = base

    def getbasetemp(self) -> Path:
        self.base.mkdir(parents=True, exist_ok=True)
        return self.base


def test_workers_share_one_build(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    gw0, gw1 = Factory(tmp_path / "popen-gw0"), Factory(tmp_path / "popen-gw1")
    assert session_dir(gw0) == session_dir(gw1) == tmp_path
    built = []

    def build(target: Path) -> None:
        built.append(os.environ[HOME_ENV_VAR])
        (target / "out.txt").write_text("done")

    first, second = once(gw0, "run", build), once(gw1, "run", build)
    assert first == second and (second / "out.txt").read_text() == "done"
    assert len(built) == 1  # the second worker read the first one's result
    assert Path(built[0]).is_dir() and not any(Path(built[0]).iterdir())  # an empty store


def test_without_xdist_the_session_is_the_base_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert session_dir(Factory(tmp_path / "pytest-7")) == tmp_path / "pytest-7"


def test_a_failed_build_fails_every_asker_and_is_not_built_again(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    factory, calls = Factory(tmp_path), []

    def broken(target: Path) -> None:
        calls.append(target)
        (target / "half.txt").write_text("half")
        raise RuntimeError("kernel died")

    with pytest.raises(RuntimeError, match="kernel died"):
        once(factory, "run", broken)
    with pytest.raises(pytest.fail.Exception, match="shared run failed .*kernel died"):
        once(factory, "run", broken)
    assert len(calls) == 1
