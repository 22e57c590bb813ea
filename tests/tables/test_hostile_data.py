"""Hostile data directories: each case is a real fault made in a temporary data directory (or
simulated where this machine cannot make it, as its helper says), given to ``afghan-brief render
--data`` (or ``$AFGHAN_BRIEF_DATA``) over an output directory holding a good render.

Every case must end the same way: exit 3 before any kernel starts, ONE line on stderr naming
the file (and the row and column, for a bad cell; the option, for a file that cannot be used),
the previous good pages, manifest and history byte for byte as they were, and never a silent
fall-back to the shipped table, a hang, or a read of a device.
"""

from __future__ import annotations

import csv
import errno
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from faults import cli, copy_good, fifo_guard, is_root, render_args, render_good, snapshot

from analysis import files
from analysis.render import executors
from analysis.tables.datadir import ENV_VAR, package_data_dir

pytestmark = pytest.mark.slow  # the good render every case starts from runs one kernel

WDI = "wdi_afghanistan_region_2015_2025.csv"
ACD = "ucdp_prio_armed_conflict_v25_1_2015_2024.csv"
CY = "ucdp_organized_violence_country_year_v25_1_2015_2024.csv"
TEXT = "000_b2957a9caff7a1c7.txt"


@pytest.fixture(scope="module")
def good_template(tmp_path_factory) -> Path:
    return render_good(tmp_path_factory.mktemp("good") / "reports")


@pytest.fixture
def out(good_template, tmp_path) -> Path:
    return copy_good(good_template, tmp_path / "reports")


@pytest.fixture
def no_kernel(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(executors, "execute_report", boom)


@pytest.fixture
def data(tmp_path) -> Path:
    """The user's data directory: a copy of the small seed fixture (valid as it is)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "seed_min", target)
    return target


def _edit(path: Path, row: int, column: str, value: str, source: Path | None = None) -> None:
    """Set one cell (1-based data row) of a CSV file, copying it from ``source`` first."""
    with (source or path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _shipped(subdir: str, name: str) -> Path:
    return package_data_dir() / subdir / name


# ---------------------------------------------------------------------------------------------
# Each fault: (make it in the data directory, what the one line must say)


def dangling_symlink(data, monkeypatch):
    (data / "funding.csv").unlink()
    (data / "funding.csv").symlink_to(data / "gone.csv")
    return [
        "funding.csv: is a symlink to",
        "gone.csv, which does not exist",
        "--data directory",
    ]


def fifo_table(data, monkeypatch):
    (data / "funding.csv").unlink()
    os.mkfifo(data / "funding.csv")
    return ["funding.csv: is a FIFO (named pipe), not a regular file; refused unopened"]


def device_symlink(data, monkeypatch):
    """A symlink to a character device. /dev/null rather than /dev/zero: were the check to
    regress, this test fails (an empty file) instead of reading until memory runs out."""
    (data / "funding.csv").unlink()
    (data / "funding.csv").symlink_to("/dev/null")
    return ["funding.csv: is a character device, not a regular file"]


def directory_named_like_a_table(data, monkeypatch):
    (data / "funding.csv").unlink()
    (data / "funding.csv").mkdir()
    return ["funding.csv: is a directory, not a regular file"]


def file_above_the_cap(data, monkeypatch):
    """A sparse file one byte over the cap: its size is real, its blocks are not (no disk)."""
    with (data / "funding.csv").open("r+b") as handle:
        handle.truncate(files.DATA_FILE_CAP + 1)
    return ["funding.csv: is 100.0 MiB, above the cap of 100.0 MiB for a data file"]


def unreadable_file(data, monkeypatch):
    """No read permission. Root reads any file, so as root the refusal is simulated where the
    package opens it (``os.open`` raising EACCES for this path)."""
    target = data / "funding.csv"
    target.chmod(0)
    if is_root():
        real_open = os.open

        def fake_open(path, flags, *args, **kwargs):
            if Path(os.fsdecode(path)).absolute() == target.absolute():
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
    return ["funding.csv: cannot be read (Permission denied)", "--data directory"]


def infinite_wdi_value(data, monkeypatch):
    _edit(data / WDI, 3, "value", "inf", _shipped("external", WDI))
    return [f"{WDI}, row 3, column 'value': 'inf' is not a finite number"]


def nan_wdi_value(data, monkeypatch):
    _edit(data / WDI, 5, "value", "NaN", _shipped("external", WDI))
    return [f"{WDI}, row 5, column 'value': 'NaN' is not a finite number"]


def overflowing_number_in_a_seed_table(data, monkeypatch):
    _edit(data / "funding.csv", 1, "amount_usd", "1e999")
    return ["funding.csv, row 1, column 'amount_usd': '1e999' is not a finite number"]


def infinite_ucdp_count(data, monkeypatch):
    _edit(data / CY, 2, "sb_total_deaths_best_cy", "-Infinity", _shipped("external", CY))
    return [f"{CY}, row 2, column 'sb_total_deaths_best_cy': '-Infinity' is not a finite"]


def date_in_another_format(data, monkeypatch):
    _edit(data / "funding.csv", 2, "date", "01/09/2021")
    return ["funding.csv, row 2, column 'date': '01/09/2021' is not a valid date (YYYY-MM-DD)"]


def date_that_does_not_exist(data, monkeypatch):
    _edit(data / "funding.csv", 1, "date", "2021-02-30")
    return ["funding.csv, row 1, column 'date': '2021-02-30' is not a valid date"]


def unknown_ucdp_region(data, monkeypatch):
    _edit(data / ACD, 4, "region", "3, 9", _shipped("external", ACD))
    return [f"{ACD}, row 4, column 'region': '3, 9' fails check UCDP region codes (1 Europe"]


def non_utf8_article_text(data, monkeypatch):
    text = _shipped("texts", TEXT).read_bytes()
    (data / TEXT).write_bytes(text[:200] + b"\n\xff\xfe" + text[200:])
    line = text[:200].count(b"\n") + 2
    return [
        f"{TEXT}: is not UTF-8: byte 0xff on line {line}",
        "sources.csv row 1, column 'text_file'",
    ]


def directory_article_text(data, monkeypatch):
    (data / TEXT).mkdir()
    return [f"{TEXT}: is a directory, not a regular file", "sources.csv row 1"]


def a_long_value(data, monkeypatch):
    _edit(data / "funding.csv", 1, "amount_usd", "9" * 50 + "x" * 100_000)
    return ["funding.csv, row 1, column 'amount_usd': '99999", "…"]


CASES = [
    dangling_symlink,
    fifo_table,
    device_symlink,
    directory_named_like_a_table,
    file_above_the_cap,
    unreadable_file,
    infinite_wdi_value,
    nan_wdi_value,
    overflowing_number_in_a_seed_table,
    infinite_ucdp_count,
    date_in_another_format,
    date_that_does_not_exist,
    unknown_ucdp_region,
    non_utf8_article_text,
    directory_article_text,
    a_long_value,
]


@pytest.mark.parametrize("how", ["--data", f"${ENV_VAR}"])
@pytest.mark.parametrize("fault", CASES, ids=lambda f: f.__name__)
def test_a_hostile_data_directory_is_one_line_exit_3_and_changes_nothing(
    fault, how, data, out, no_kernel, monkeypatch, capsys
):
    expected = fault(data, monkeypatch)
    before = snapshot(out)
    if how == "--data":
        args = render_args(out, "--data", str(data))
    else:  # the same parameters as the good render: --force, or it would be up to date
        monkeypatch.setenv(ENV_VAR, str(data))
        args = render_args(out, "--force")
        expected = [e.replace("--data directory", f"${ENV_VAR} directory") for e in expected]
    fifo = data / "funding.csv"
    if fifo.exists() and fifo.is_fifo():
        with fifo_guard(fifo) as guard:
            code, _, err = cli(capsys, *args)
        assert not guard["fired"], "the render blocked on the FIFO"
    else:
        code, _, err = cli(capsys, *args)
    assert code == 3
    assert len(err) == 1, err
    (line,) = err
    for part in expected:
        assert part in line
    assert "shipped" not in line or "not used" in line
    assert len(line) < 400  # a long value is cut, never echoed in full
    assert snapshot(out) == before


def test_an_unreadable_data_directory_is_named_not_skipped(
    out, data, no_kernel, monkeypatch, capsys
):
    """An $AFGHAN_BRIEF_DATA directory the user cannot list. Root lists any directory, so as
    root the refusal is simulated where the package lists it (``os.listdir`` raising EACCES)."""
    data.chmod(0)
    if is_root():
        real_listdir = os.listdir

        def fake_listdir(path="."):
            if Path(os.fsdecode(path)).absolute() == data.absolute():
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_listdir(path)

        monkeypatch.setattr(os, "listdir", fake_listdir)
    monkeypatch.setenv(ENV_VAR, str(data))
    before = snapshot(out)
    try:
        code, _, err = cli(capsys, *render_args(out, "--force"))
    finally:
        data.chmod(0o755)
    assert (code, len(err)) == (3, 1), err
    assert f"{data}: ${ENV_VAR} cannot be read (Permission denied)" in err[0]
    assert snapshot(out) == before


def test_a_dangling_data_directory_is_named(out, tmp_path, no_kernel, monkeypatch, capsys):
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "link"))
    before = snapshot(out)
    code, _, err = cli(capsys, *render_args(out, "--force"))
    assert (code, len(err)) == (3, 1), err
    assert f"link: ${ENV_VAR} is a dangling symlink" in err[0]
    assert snapshot(out) == before


def test_validate_lists_the_same_problem_with_its_place(data, capsys):
    """``validate`` (no render) names the same cell: file, row, column and the value."""
    infinite_wdi_value(data, None)
    code, _, err = cli(capsys, "validate", "--data", str(data))
    problems = [line for line in err if not line.startswith("warning:")]  # UCDP's, as published
    assert code == 3
    assert f"{WDI}, row 3, column 'value': 'inf' is not a finite number" in problems[0]
    assert problems[1:] == ["error: 1 data problem(s); nothing was changed"]
