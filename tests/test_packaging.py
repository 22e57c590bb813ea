"""The built wheel carries its data: loaders and validate work from the installed package, away
from the source tree (dataset packages' habit: test what users install)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO

from analysis.tables import catalog

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    wheels = tmp_path_factory.mktemp("wheel")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(REPO)], check=True)
    (wheel,) = wheels.glob("afghan_brief-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _run(installed, code: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("AFGHAN_BRIEF_DATA", None)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_installed_package_loads_its_own_data(installed, tmp_path):
    run = _run(
        installed,
        "import analysis; f = analysis.load_funding(); "
        "print(analysis.__file__); print(f['amount_usd'].max())",
        tmp_path,
    )
    assert run.returncode == 0, run.stderr
    where, biggest = run.stdout.split()
    assert where.startswith(str(installed))  # not the source tree
    assert float(biggest) == 9.5e9


def test_installed_package_validates_every_table(installed, tmp_path):
    run = _run(
        installed,
        "import sys, analysis.cli; sys.exit(analysis.cli.main(['validate']))",
        tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert f"{len(catalog.all_tables())} tables valid" in run.stdout  # the new ones ship too
    assert "analysis/data/mappings/indicator_families.csv" in run.stdout
    assert "analysis/data/seed/strength_terms.csv" in run.stdout


def test_installed_package_ships_its_report_notebooks(installed):
    shipped = sorted(p.name for p in (installed / "analysis" / "notebooks").glob("*.ipynb"))
    assert shipped == sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def test_a_pip_user_lists_and_renders_from_an_empty_folder(installed, tmp_path):
    # no notebooks/ here: the commands use the installed notebooks and say so
    listed = _run(
        installed, "import sys, analysis.cli; sys.exit(analysis.cli.main(['list']))", tmp_path
    )
    assert listed.returncode == 0, listed.stderr
    assert "using the notebooks installed with the package" in listed.stderr
    assert str(installed / "analysis" / "notebooks") in listed.stderr
    assert "funding_freezes" in listed.stdout and "regional_risk" in listed.stdout

    code = (
        "import sys, analysis.cli; sys.exit(analysis.cli.main(['render', 'brief', '--out', 'r']))"
    )
    rendered = _run(installed, code, tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "r" / "brief.html").stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # nothing written beside it


def test_installed_package_ships_the_example_matrix_config(installed, tmp_path):
    code = (
        "import pathlib, tomllib, analysis; "
        "p = pathlib.Path(analysis.__file__).parent / 'data' / 'configs' / 'neighbours.toml'; "
        "print(p); print(sorted(tomllib.loads(p.read_text())['matrices']))"
    )
    run = _run(installed, code, tmp_path)
    assert run.returncode == 0, run.stderr
    where, names = run.stdout.splitlines()
    assert where.startswith(str(installed)) and names == "['risk_profile']"
