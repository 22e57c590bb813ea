"""`afghan-brief list` and `afghan-brief render`: a thin click layer over analysis.render.

Option handling is tested with click's CliRunner and ``render_all`` patched (no kernel);
exit codes through ``main`` (which maps the package's errors to them); checks that run before
any kernel (parameters, config, data, lock) against the real renderer with kernels forbidden.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO

from analysis import render
from analysis.cli import cli, main
from analysis.exceptions import DataError, LockHeldError, ParameterError, Problem
from analysis.render import DaskExecutor
from analysis.render.execute import CellError
from analysis.render.lock import render_lock

NOTEBOOK_FIXTURES = FIXTURES / "notebooks"


class FakeRender:
    """Stands in for render_all: records its call, reports progress, returns a result."""

    def __init__(self, results=(), raises: BaseException | None = None):
        self.results, self.raises, self.calls = list(results), raises, []

    def __call__(self, reports, out_dir, **options):
        self.calls.append((list(reports), out_dir, options))
        if self.raises is not None:
            raise self.raises
        progress = options["progress"]
        progress.plan([r.name for r in self.results if r.status != "skipped"], [], 1)
        for result in self.results:
            progress.start(result.name, 3)
            progress.finish(result)
        return render.RunResult(self.results, Path(out_dir).resolve(), 1.5)


@pytest.fixture
def fake(monkeypatch):
    def install(*results, raises=None):
        stub = FakeRender(results, raises)
        monkeypatch.setattr(render, "render_all", stub)
        return stub

    return install


def _ok(name="ok"):
    return render.RenderResult(
        name, f"{NOTEBOOK_FIXTURES}/{name}.ipynb", {}, "ok", 2.0, f"{name}.html"
    )


def _failed():
    error = CellError(3, 4, "ValueError", "boom: broken on purpose", 'raise ValueError("boom")')
    return render.RenderResult(
        "broken",
        str(NOTEBOOK_FIXTURES / "broken.ipynb"),
        {},
        "failed",
        1.0,
        html="broken.html",
        ipynb="broken.ipynb",
        failed_ipynb="failed/broken.ipynb",
        error=error,
    )


# ---------------------------------------------------------------------------------------------
# Options reach the API


def test_render_passes_its_options_to_the_api(fake, tmp_path):
    stub = fake(_ok())
    args = ["render", "ok", "-p", "unit", "m", "-p", "as_of", "2023-01-01", "-p", "unit", "bn"]
    args += ["--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path / "r"), "--jobs", "3"]
    args += ["--force", "--timeout", "5", "--show-code", "--wait", "--data", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    ((reports, out_dir, options),) = stub.calls
    assert [(r.name, r.notebook.name, dict(r.cli_values)) for r in reports] == [
        ("ok", "ok.ipynb", {"unit": "bn", "as_of": "2023-01-01"})  # the last -p wins
    ]
    assert out_dir == str(tmp_path / "r")
    assert {k: v for k, v in options.items() if k != "progress"} == {
        "data_dir": str(tmp_path),
        "jobs": 3,
        "force": True,
        "show_code": True,
        "timeout": 5.0,
        "wait": True,
        "images": None,  # --images not given
        "executor": None,  # local threads
    }


def test_render_dask_runs_the_reports_on_the_named_scheduler(fake, tmp_path):
    stub = fake(_ok())
    args = ["render", "ok", "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--dask", "tcp://10.0.0.1:8786", "--jobs", "3"])
    assert result.exit_code == 0, result.output
    ((_, _, options),) = stub.calls
    executor = options["executor"]
    assert isinstance(executor, DaskExecutor)  # built, not connected: the engine connects
    assert (executor.address, executor.jobs) == ("tcp://10.0.0.1:8786", 3)


def test_render_defaults_to_every_notebook_and_plain_log_lines(fake):
    stub = fake(_ok("ok"), _ok("slow"))
    result = CliRunner().invoke(cli, ["render", "--notebooks", str(NOTEBOOK_FIXTURES)])
    assert result.exit_code == 0, result.output
    ((reports, out_dir, options),) = stub.calls
    assert [r.name for r in reports] == ["broken", "dies", "ok", "slow"]
    assert out_dir == "reports" and options["jobs"] is None and options["force"] is False
    lines = result.output.splitlines()  # not a terminal: one plain line per event
    assert lines[0].endswith("rendering 2 report(s), 1 at a time")
    assert any(line.endswith("start  ok") for line in lines)
    assert any(line.endswith("done   slow (2.0 s)") for line in lines)
    assert lines[-2] == "2 rendered in 1.50 s; index: reports/index.html"
    # the summary ends with what changed: here nothing (the stubbed results compared nothing)
    assert lines[-1] == "changes: no figure, verdict or data version changed since the last render"


def test_render_with_a_config_renders_its_sets_with_command_line_overrides(fake, tmp_path):
    stub = fake(_ok("ok_m"))
    config = tmp_path / "render.toml"
    config.write_text('[reports.ok_m]\nnotebook = "ok"\nparameters = { unit = "m" }\n')
    args = [
        "render",
        "--config",
        str(config),
        "--notebooks",
        str(NOTEBOOK_FIXTURES),
        "-p",
        "as_of",
        "2022",
    ]
    assert CliRunner().invoke(cli, args).exit_code == 0
    ((reports, _, _),) = stub.calls
    assert [(r.name, dict(r.parameters), dict(r.cli_values)) for r in reports] == [
        ("ok_m", {"unit": "m"}, {"as_of": "2022"})
    ]


@pytest.mark.parametrize(
    "args",
    [["--jobs", "0"], ["--timeout", "0"], ["-p", "unit"], ["--frobnicate"]],
    ids=["jobs", "timeout", "half a -p", "unknown option"],
)
def test_usage_errors_exit_2(fake, args, capsys):
    stub = fake()
    assert main(["render", "--notebooks", str(NOTEBOOK_FIXTURES), *args]) == 2
    assert not stub.calls and "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Exit codes and messages


@pytest.mark.parametrize(
    "error, code",
    [
        (ParameterError("parameter 'unit' must be one of 'bn', 'm'; got 'kg'"), 2),
        (DataError([Problem("funding.csv", "'lots' is not a valid number", 1, "amount_usd")]), 3),
        (LockHeldError("another render is writing to reports"), 5),
        (render.RenderInterrupted(signal.SIGTERM), 143),
        (render.RenderInterrupted(signal.SIGINT), 130),
    ],
    ids=["parameter", "data", "lock", "sigterm", "ctrl-c"],
)
def test_errors_map_to_exit_codes_with_one_message(fake, capsys, error, code):
    fake(raises=error)
    assert main(["render", "--notebooks", str(NOTEBOOK_FIXTURES)]) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert str(error) in err


def test_a_failed_report_prints_one_block_and_exits_4(fake, capsys, tmp_path):
    fake(_ok("ok"), _failed())
    assert main(["render", "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path)]) == 4
    captured = capsys.readouterr()
    block = captured.err.splitlines()
    assert block[0] == "FAILED broken: cell 3 (In [4]): ValueError: boom: broken on purpose"
    assert block[1].startswith("  notebook: ") and block[1].endswith("broken.ipynb")
    assert block[2] == '  cell:     raise ValueError("boom")'
    assert block[3].endswith(f"{tmp_path}/failed/broken.ipynb")
    assert block[4].endswith(f"{tmp_path}/broken.html")
    assert "1 rendered, 1 failed" in captured.out


# ---------------------------------------------------------------------------------------------
# The real renderer, stopped before any kernel


@pytest.fixture
def no_kernel(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render.executors, "execute_report", boom)


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "colour", "red"], "error: report 'ok' has no parameter 'colour'; its parameters:"),
        (["-p", "show_context", "maybe"], "must be True or False; got 'maybe'"),
        (["-p", "unit", "kg"], "error: report 'ok': parameter 'unit' must be one of 'bn', 'm'"),
    ],
    ids=["unknown", "wrong type", "disallowed"],
)
def test_bad_parameters_exit_2_before_any_kernel(no_kernel, tmp_path, capsys, args, message):
    argv = ["render", "ok", *args, "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "ok.html").exists()


def test_an_unknown_report_exits_2(no_kernel, tmp_path, capsys):
    assert (
        main(["render", "nope", "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path)]) == 2
    )
    assert "unknown report 'nope'; reports: broken, dies, ok, slow" in capsys.readouterr().err


def test_a_broken_config_exits_2_naming_file_and_key(no_kernel, tmp_path, capsys):
    config = tmp_path / "render.toml"
    config.write_text('[reports.ok_m]\nnotebook = "ok"\nparameters = { unit = 3 }\n')
    argv = ["render", "--config", str(config), "--notebooks", str(NOTEBOOK_FIXTURES)]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {config}: reports.ok_m.parameters.unit: parameter 'unit'")
    assert err.count("\n") == 1


def test_invalid_data_exits_3_with_each_problem(no_kernel, seed_min, tmp_path, capsys):
    seed_min.replace("funding.csv", "9500000000", "lots")
    argv = ["render", "ok", "--data", str(seed_min), "--notebooks", str(NOTEBOOK_FIXTURES)]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert "funding.csv, row 1, column 'amount_usd': 'lots' is not a valid number" in err
    assert not (tmp_path / "out" / "ok.html").exists()


def test_a_held_lock_exits_5(no_kernel, tmp_path, capsys):
    with render_lock(tmp_path):
        assert main(["render", "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(tmp_path)]) == 5
    err = capsys.readouterr().err
    assert "another render is writing to" in err and "--wait" in err and err.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# list


def test_list_shows_every_report_with_its_parameters(tmp_path, capsys):
    config = tmp_path / "render.toml"
    config.write_text('[reports.ok_m]\nnotebook = "ok"\nparameters = { unit = "m" }\n')
    assert main(["list", "--notebooks", str(NOTEBOOK_FIXTURES), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    for report in ("broken", "dies", "ok", "slow"):
        assert f"\n{report}  (" in f"\n{out}"
    assert '  unit          str   = "bn"' in out
    assert 'money unit: "bn" or "m"' in out and "allowed: one of 'bn', 'm'" in out
    assert "  show_context  bool  = true" in out and "allowed: True or False" in out
    assert 'ok_m: ok(unit="m")' in out


# ---------------------------------------------------------------------------------------------
# The no-op render stays light


@pytest.mark.slow
def test_a_no_op_render_imports_no_heavy_library(tmp_path):
    out = tmp_path / "reports"
    argv = ["render", "slow", "--notebooks", str(NOTEBOOK_FIXTURES), "--out", str(out)]
    assert main(argv) == 0
    probe = (
        "import sys\nfrom analysis.cli import main\n"
        f"code = main({argv!r})\n"
        "heavy = ('pandas', 'pandera', 'plotly', 'nbconvert', 'papermill', 'nbformat', 'rich',\n"
        "         'jupyter_client', 'zmq', 'asyncio', 'importlib.metadata', 'filelock',\n"
        "         'analysis.render.page', 'analysis.render.panel')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert run.stdout.splitlines()[-1] == "0 []", run.stdout + run.stderr
    assert "1 up to date" in run.stdout
