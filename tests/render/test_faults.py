"""Faults of the output directory, the notebooks and the parameters, table by table: each case
is made for real in a temporary directory next to a copy of a good render (or simulated where
this machine cannot make it, as its helper in ``tests/faults.py`` says), then ``afghan-brief``
runs in this process.

A user's mistake or an unusable place must end with its exit code (2 parameter, notebook or
config; 7 an output directory that cannot be written), ONE line on stderr naming what and where,
and the previous good pages, manifest and history byte for byte as they were. A render killed
outright leaves a temporary folder the next run removes, whatever it renders; a damaged
manifest is rebuilt from the pages present; a disk filling up during a run still gives the
failure summary and the history line.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from faults import (
    NOTEBOOKS,
    NearlyFullDisk,
    cli,
    copy_good,
    fifo_guard,
    immutable,
    is_root,
    refuse_writes,
    render_args,
    render_good,
    snapshot,
)

from analysis import files, render
from analysis.exceptions import OutputError, ParameterError
from analysis.render import executors, outdir

pytestmark = pytest.mark.slow  # every case starts from a real good render (one kernel)

REPORTS = REPO / "notebooks"


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


def _one_line(capsys, code: int, *args) -> str:
    got, _, err = cli(capsys, *args)
    assert got == code, err
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


# ---------------------------------------------------------------------------------------------
# The output directory cannot be used: exit 7 before anything is written


def read_only(out, monkeypatch, tmp_path, stack):
    """Read-only for the user. Root writes anywhere, so as root the refusal is simulated at
    the ``os`` calls files are created through (EACCES, as the kernel answers a user)."""
    stack.callback(out.chmod, 0o755)
    out.chmod(0o555)
    if is_root():
        refuse_writes(monkeypatch, out, errno.EACCES)
    return out, ["output directory", "cannot be written (Permission denied)"]


def immutable_dir(out, monkeypatch, tmp_path, stack):
    """``chattr +i``: real where root may set the flag (CAP_LINUX_IMMUTABLE), else simulated
    with the error the kernel gives (EPERM) at the same ``os`` calls."""
    if not stack.enter_context(immutable(out)):
        refuse_writes(monkeypatch, out, errno.EPERM)
    return out, ["output directory", "cannot be written (Operation not permitted)"]


def full_disk(out, monkeypatch, tmp_path, stack):
    """No space left: simulated (a real full file system needs a mount: root with
    CAP_SYS_ADMIN); every write under the output directory fails with ENOSPC."""
    NearlyFullDisk(monkeypatch, out, free=0)
    return out, ["output directory", "cannot be written (No space left on device)"]


def below_a_file(out, monkeypatch, tmp_path, stack):
    return out / "ok.html" / "more", ["is below", "ok.html, which is a regular file"]


def lock_path_is_a_directory(out, monkeypatch, tmp_path, stack):
    (out / ".render.lock").unlink()
    (out / ".render.lock").mkdir()
    return out, [".render.lock is a directory, but the render needs a file there (its lock)"]


def assets_is_a_file(out, monkeypatch, tmp_path, stack):
    shutil.move(out / "assets", tmp_path / "assets-moved")
    (out / "assets").write_text("not a folder", encoding="utf-8")
    return out, ["assets is a regular file, but the render needs a directory there"]


def manifest_is_a_directory(out, monkeypatch, tmp_path, stack):
    (out / "manifest.json").unlink()
    (out / "manifest.json").mkdir()
    return out, ["manifest.json is a directory, but the render needs a file there"]


OUTPUT_FAULTS = [
    read_only,
    immutable_dir,
    full_disk,
    below_a_file,
    lock_path_is_a_directory,
    assets_is_a_file,
    manifest_is_a_directory,
]


@pytest.mark.parametrize("fault", OUTPUT_FAULTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("force", [False, True], ids=["no-op run", "forced run"])
def test_an_unusable_output_directory_is_one_line_exit_7(
    fault, force, out, tmp_path, monkeypatch, no_kernel, capsys
):
    with ExitStack() as stack:
        target, expected = fault(out, monkeypatch, tmp_path, stack)
        before = snapshot(out)
        try:
            line = _one_line(capsys, 7, *render_args(target, *(["--force"] if force else [])))
        finally:
            monkeypatch.undo()  # the simulated file system goes before the snapshot is read
    assert line.startswith("error: ")
    for part in expected:
        assert part in line
    assert snapshot(out) == before


def test_the_new_exit_code_is_documented():
    assert OutputError.exit_code == 7
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`7` the output directory cannot be written" in readme
    from analysis import cli as cli_module

    assert "7 the output\ndirectory cannot be written" in cli_module.__doc__


# ---------------------------------------------------------------------------------------------
# Bad notebooks: exit 2, one line naming the file; the others still listed


def not_json(folder):
    (folder / "bad.ipynb").write_text("root:x:0:0:secret\n", encoding="utf-8")
    return ["bad.ipynb: is not JSON (line 1, column 1)"]


def json_but_not_a_notebook(folder):
    (folder / "bad.ipynb").write_text('["secret", 1]', encoding="utf-8")
    return ["bad.ipynb: is JSON but not a Jupyter notebook"]


def fifo_notebook(folder):
    os.mkfifo(folder / "bad.ipynb")
    return ["bad.ipynb: is a FIFO (named pipe), not a regular file; refused unopened"]


def notebook_above_the_cap(folder):
    """A sparse file one byte over the notebook cap (no disk used)."""
    with (folder / "bad.ipynb").open("wb") as handle:
        handle.truncate(files.NOTEBOOK_CAP + 1)
    return ["bad.ipynb: is 50.0 MiB, above the cap of 50.0 MiB for a notebook"]


def expression_default(folder):
    nb = nbformat.read(folder / "ok.ipynb", as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace('unit: str = "bn"', 'unit: str = "b" + "n"')
    nbformat.write(nb, folder / "bad.ipynb")
    return ['parameter \'unit\': its default "b" + "n" is an expression, not a value']


NOTEBOOK_FAULTS = [
    not_json,
    json_but_not_a_notebook,
    fifo_notebook,
    notebook_above_the_cap,
    expression_default,
]


@pytest.mark.parametrize("fault", NOTEBOOK_FAULTS, ids=lambda f: f.__name__)
def test_a_bad_notebook_is_one_line_exit_2_and_list_shows_the_others(
    fault, out, tmp_path, no_kernel, capsys
):
    folder = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, folder)
    expected = fault(folder)
    before = snapshot(out)
    args = ["render", "bad", "--notebooks", folder, "--out", out]
    with fifo_guard(folder / "bad.ipynb") as guard:
        line = _one_line(capsys, 2, *args)
        code, listed, err = cli(capsys, "list", "--notebooks", folder)
    assert not guard["fired"], "blocked reading the FIFO"
    for part in expected:
        assert part in line
    assert "secret" not in line  # the file's content is never echoed
    assert snapshot(out) == before
    # list: the broken notebook listed as broken, every other one with its parameters
    assert code == 2 and len(err) == 1 and expected[0] in err[0]
    assert "bad  (" in listed and "BROKEN" in listed
    for name in ("broken", "dies", "ok", "slow"):
        assert f"{name}  (" in listed
    assert 'unit          str   = "bn"' in listed


# ---------------------------------------------------------------------------------------------
# Promises: relations between parameters, checked before any kernel (exit 2)


def _config(tmp_path: Path, parameters: str) -> Path:
    path = tmp_path / "render.toml"
    text = f'[reports.pak]\nnotebook = "risk_profile"\nparameters = {{ {parameters} }}\n'
    path.write_text(text, encoding="utf-8")
    return path


def _short_ucdp(tmp_path: Path, last_year: int) -> Path:
    """A data directory whose UCDP country-year table ends in ``last_year``."""
    from analysis.tables.datadir import package_data_dir

    name = "ucdp_organized_violence_country_year_v25_1_2015_2024.csv"
    lines = (package_data_dir() / "external" / name).read_text(encoding="utf-8").splitlines()
    year = lines[0].split(",").index("year_cy")
    kept = [lines[0]] + [ln for ln in lines[1:] if int(ln.split(",")[year]) <= last_year]
    data = tmp_path / "data"
    data.mkdir()
    (data / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return data


@pytest.mark.parametrize(
    "how, expected",
    [
        (
            ["-p", "comparison_years", "2019,2021"],
            "report 'risk_profile': parameter 'comparison_years' [2019, 2021] overlaps "
            "baseline_years [2018, 2020]: the comparison window must start after the baseline",
        ),
        (
            ["-p", "baseline_years", "2021,2023", "-p", "comparison_years", "2016,2018"],
            "parameter 'comparison_years' [2016, 2018] lies before baseline_years [2021, 2023]",
        ),
        (
            "config: both",
            "render.toml: reports.pak.parameters.comparison_years: parameter 'comparison_years' "
            "[2020, 2024] overlaps baseline_years [2018, 2021]",
        ),
        (
            "config: baseline only",
            "render.toml: reports.pak.parameters.baseline_years: parameter 'comparison_years' "
            "[2022, 2024] overlaps baseline_years [2019, 2023]",
        ),
        (
            "data ends in 2021",
            "parameter 'comparison_years' [2022, 2024] lies outside the data: UCDP's "
            "country-year table covers 2015–2021",
        ),
    ],
    ids=["cli overlap", "cli before", "config", "config key given", "outside the data"],
)
def test_windows_that_contradict_each_other_or_the_data_stop_before_any_kernel(
    how, expected, out, tmp_path, no_kernel, capsys
):
    base = ["render", "--notebooks", REPORTS, "--out", out]
    if how == "config: both":
        config = _config(tmp_path, "baseline_years = [2018, 2021], comparison_years = [2020, 2024]")
        args = [*base, "pak", "--config", config]
    elif how == "config: baseline only":
        config = _config(tmp_path, "baseline_years = [2019, 2023]")
        args = [*base, "pak", "--config", config]
    elif how == "data ends in 2021":
        args = [*base, "risk_profile", "--data", _short_ucdp(tmp_path, 2021)]
    else:
        args = [*base, "risk_profile", *how]
    before = snapshot(out)
    line = _one_line(capsys, 2, *args)
    assert expected in line
    assert snapshot(out) == before


def test_a_config_that_is_a_fifo_is_refused_unopened(out, tmp_path, no_kernel, capsys):
    os.mkfifo(tmp_path / "render.toml")
    before = snapshot(out)
    args = ["render", "--notebooks", REPORTS, "--out", out, "--config", tmp_path / "render.toml"]
    with fifo_guard(tmp_path / "render.toml") as guard:
        line = _one_line(capsys, 2, *args)
    assert not guard["fired"], "blocked reading the FIFO"
    assert "render.toml: is a FIFO (named pipe), not a regular file; refused unopened" in line
    assert snapshot(out) == before


def test_the_notebook_refuses_the_same_windows_in_jupyter():
    """The check a notebook's check cell runs is the same relation (no kernel needed)."""
    import analysis

    with pytest.raises(ParameterError) as err:
        analysis.check_parameters(baseline_years=[2018, 2020], comparison_years=[2019, 2021])
    assert "overlaps baseline_years [2018, 2020]" in str(err.value)
    assert err.value.parameter == "comparison_years"


def test_a_long_value_is_cut_in_the_message(out, no_kernel, capsys):
    value = "PAK," + "X" * 100_000
    line = _one_line(
        capsys, 2, "render", "risk_profile", "--notebooks", REPORTS, "--out", out,
        "-p", "country", value,
    )  # fmt: skip
    assert "parameter 'country' must be one of" in line
    assert "…" in line and len(line) < 400


# ---------------------------------------------------------------------------------------------
# The Python API: one line, nothing echoed


def test_the_api_refuses_a_set_for_a_list_parameter(out, no_kernel):
    before = snapshot(out)
    with pytest.raises(ParameterError) as err:
        render.render_report(
            "risk_profile", {"comparison_years": {2022, 2024}}, out, notebooks_dir=REPORTS
        )
    message = str(err.value)
    assert "parameter 'comparison_years' must be a list [start, end] of two years" in message
    assert "; got set {20" in message and "\n" not in message
    for value, got in (("2022,2024", "got str '2022,2024'"), (iter([2022]), "got list_iterator")):
        with pytest.raises(ParameterError, match=got):
            render.render_report(
                "risk_profile", {"comparison_years": value}, out, notebooks_dir=REPORTS
            )
    assert snapshot(out) == before


def test_the_api_refuses_a_notebook_outside_the_notebooks_folder(out, tmp_path, no_kernel):
    secret = tmp_path / "elsewhere" / "secret.ipynb"
    secret.parent.mkdir()
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    for notebook, expected in (
        (secret, "is outside the notebooks folder"),
        ("/etc/passwd", "not a .ipynb file"),
        (REPORTS / ".." / "README.md", "not a .ipynb file"),
    ):
        with pytest.raises(ParameterError) as err:
            render.render_report(notebook, {}, out, notebooks_dir=REPORTS)
        message = str(err.value)
        assert expected in message and "\n" not in message
        assert "SECRET" not in message and "root:" not in message


# ---------------------------------------------------------------------------------------------
# Faults during a run (kernels start)


def test_a_damaged_manifest_is_rebuilt_from_the_pages_present(out, capsys):
    good_page = (out / "ok.html").read_bytes()
    manifest = (out / "manifest.json").read_bytes()
    (out / "manifest.json").write_bytes(manifest[: len(manifest) // 3])  # truncated
    code, _, err = cli(capsys, *render_args(out, report="slow"))  # another report
    assert code == 0
    assert len(err) == 1 and err[0].startswith("warning: ") and "was damaged" in err[0]
    assert "rebuilt from the 1 page(s) present" in err[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ok.html"' in index and 'href="slow.html"' in index  # not orphaned
    assert (out / "ok.html").read_bytes() == good_page
    rebuilt = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert rebuilt["reports"]["ok"]["status"] == "recovered"
    assert rebuilt["reports"]["ok"]["notebook"] == str(NOTEBOOKS / "ok.ipynb")  # read back
    assert rebuilt["reports"]["slow"]["status"] == "ok"


def _killed_render(out: Path, tmp_path: Path, sig: int) -> subprocess.CompletedProcess:
    """A real render of the slow fixture in another process, sent ``sig`` while its kernel
    sleeps; its kernel is stopped afterwards (SIGKILL leaves it running)."""
    marker = tmp_path / "kernel.pid"
    env = {**os.environ, "SLOW_SECONDS": "120", "SLOW_MARKER": str(marker)}
    command = [sys.executable, "-m", "analysis", *render_args(out, "--force", report="slow")]
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 90
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the slow notebook never started"
        assert list(out.glob(".tmp-render-*")), "the run works in a temporary folder"
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
        if marker.exists() and marker.read_text():
            with suppress(ProcessLookupError):
                os.kill(int(marker.read_text()), signal.SIGKILL)
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_a_killed_render_leaves_nothing_the_next_no_op_run_does_not_clean(
    sig, out, tmp_path, capsys
):
    good = {name: (out / name).read_bytes() for name in ("ok.html", "ok.ipynb")}
    killed = _killed_render(out, tmp_path, sig)
    if sig == signal.SIGHUP:  # handled: the run stops its kernel and cleans up itself
        assert killed.returncode == 128 + signal.SIGHUP
        assert b"render stopped by SIGHUP" in killed.stderr
        assert b"Traceback" not in killed.stderr
    else:
        assert killed.returncode == -signal.SIGKILL
        assert list(out.glob(".tmp-render-*")), "SIGKILL leaves the work folder behind"
    code, stdout, err = cli(capsys, *render_args(out))  # a no-op run: ok is up to date
    assert code == 0 and "1 up to date" in stdout, err
    assert not list(out.glob(".tmp-render-*")) and not list(out.glob(".*.tmp"))
    assert {name: (out / name).read_bytes() for name in good} == good


def test_a_disk_filling_up_still_gives_the_failure_summary_and_the_history_line(
    out, monkeypatch, capsys
):
    """Simulated nearly full disk (see NearlyFullDisk): room for the start-up probe and a
    history line, not for the executed notebook, nor for the manifest or the index."""
    good = {name: (out / name).read_bytes() for name in ("ok.html", "ok.ipynb", "manifest.json")}
    history = (out / "history.jsonl").read_text(encoding="utf-8").splitlines()
    disk = NearlyFullDisk(monkeypatch, out, free=outdir.PROBE_BYTES + 900)
    code, stdout, err = cli(capsys, *render_args(out, "--force"))
    monkeypatch.undo()
    assert code == 4  # the report failed; the run did not crash (exit 1) on its records
    assert disk.refused >= 3
    text = "\n".join(err)
    assert "FAILED ok: writing its files: OSError: [Errno 28] No space left on device" in text
    assert "warning: manifest.json was not written (No space left on device)" in text
    assert "Traceback" not in text
    assert "1 failed" in stdout
    lines = (out / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[:-1] == history
    last = json.loads(lines[-1])
    assert last["exit_code"] == 4 and last["reports"]["ok"]["status"] == "failed"
    assert {name: (out / name).read_bytes() for name in good} == good
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".tmp-render-*"))
    assert not (out / "failed" / "ok.ipynb").exists()  # nothing half-written was kept


def test_a_cell_printing_megabytes_is_capped_with_a_note(out, tmp_path, monkeypatch, capsys):
    """Capped at a smaller size than the default (what is tested is the mechanism): the cell
    prints eight times the cap."""
    from analysis.render import outputs

    monkeypatch.setattr(outputs, "CELL_OUTPUT_CAP", 256 * 1024)
    folder = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, folder)
    nb = nbformat.read(folder / "slow.ipynb", as_version=4)
    nb.cells[-1].source = 'print("0123456789abcde\\n" * (8 * 256 * 1024 // 16))'
    nbformat.write(nb, folder / "loud.ipynb")
    code, _, err = cli(capsys, "render", "loud", "--notebooks", folder, "--out", out)
    assert code == 0, err
    page = (out / "loud.html").read_text(encoding="utf-8")
    executed = (out / "loud.ipynb").read_text(encoding="utf-8")
    assert len(page.encode()) < 1024 * 1024 and len(executed.encode()) < 512 * 1024
    for note in ("this cell's output was cut: it produced 2.", "above the cap of 256.0 KiB"):
        assert note in page and note in executed
    assert "0123456789abcde" in page  # the head of the output is kept


def test_a_report_whose_files_cannot_be_published_fails_alone(out, monkeypatch, capsys):
    """The output directory refuses the first file a good report publishes (its figures file;
    simulated where it is written: the disk filled between execution and publication). The
    report fails naming that, its previous page and notebook stay, the run records it."""
    from analysis.render import engine

    good = {name: (out / name).read_bytes() for name in ("ok.html", "ok.ipynb")}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(engine, "publish_figures", full)
    code, _, err = cli(capsys, *render_args(out, "--force"))
    assert code == 4
    assert "FAILED ok: publishing its files: OSError: No space left on device" in err[0]
    assert {name: (out / name).read_bytes() for name in good} == good
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]["ok"]
    assert entry["status"] == "failed" and entry["html"] == "ok.html"
    assert not list(out.glob(".tmp-render-*"))
