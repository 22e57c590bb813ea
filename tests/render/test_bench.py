"""The benchmark script: the chain it times is the plain one, its numbers add up."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURES

from analysis.render import bench, bench_report
from analysis.render.bench_measure import REPO, NotebookTiming, notebook_timing, suite_command

NOTEBOOK_FIXTURES = FIXTURES / "notebooks"


def test_the_chain_is_papermill_then_nbconvert_per_notebook(tmp_path):
    papermill, nbconvert = bench.chain_commands(
        NOTEBOOK_FIXTURES / "ok.ipynb", tmp_path, {"data_dir": "/data"}
    )
    bin_dir = str(Path(sys.executable).parent)
    executed = f"{tmp_path}/ok.ipynb"
    assert papermill[:3] == [f"{bin_dir}/papermill", str(NOTEBOOK_FIXTURES / "ok.ipynb"), executed]
    assert papermill[papermill.index("-k") + 1] == "python3"
    assert papermill[papermill.index("--cwd") + 1] == str(
        NOTEBOOK_FIXTURES
    )  # where the renderer runs it
    assert json.loads(papermill[papermill.index("-y") + 1]) == {"data_dir": "/data"}
    assert nbconvert == [f"{bin_dir}/jupyter", "nbconvert", "--to", "html", executed]


def _numbers(**changes) -> bench.Bench:
    """A run with known numbers: two reports, a bare kernel start of 1.5 s (median)."""
    numbers = bench.Bench(
        ["a", "b"],
        2,
        chain_s=30.0,
        render_s=12.0,
        noop_s=[0.2, 0.1, 0.3],
        page_bytes={"a": 2048, "b": 4096},
        chain_page_bytes={"a": 300 * 1024, "b": 310 * 1024},
        asset_bytes=5 * 1024**2,
        machine={
            "cpus": "2",
            "cpu": "AMD EPYC",
            "ram": "24 GiB",
            "python": "3",
            "os": "Linux",
            "bytecode": "cached",
        },
        load_start=[1.5, 1.0, 0.5],
        load_end=[3.25, 2.0, 1.0],
        kernel_start_s=[1.0, 1.5, 9.0],
        timings={
            "a": NotebookTiming(2.4, 1.2, 0.3, 4.0, 3, 1.1, "import pandas as pd"),
            "b": NotebookTiming(4.5, 1.4, 0.2, 6.2, 5, 4.0, "fit()"),
        },
        chain_timings={"a": NotebookTiming(2.0), "b": NotebookTiming(4.0)},
        report_s={"a": 4.5, "b": 7.0},
    )
    for name, value in changes.items():
        setattr(numbers, name, value)
    return numbers


def test_the_report_states_ratio_machine_load_and_each_reports_time():
    numbers = _numbers()
    assert numbers.ratio == pytest.approx(0.4) and numbers.noop_median == pytest.approx(0.2)
    text = bench.report(numbers)
    assert "2 CPUs (AMD EPYC), 24 GiB RAM, Python 3 (bytecode cached), Linux" in text
    assert "1.50 1.00 0.50 at the start, 3.25 2.00 1.00 at the end" in text
    assert "noisy" in text  # the reader is told the machine is shared
    assert "| ratio render / chain | **0.40** |" in text
    assert "| no-op re-render (median of 3) | 0.20 |" in text
    assert "| bare kernel start (`python3`, jupyter_client, median of 3) | 1.50 |" in text
    # a: kernel 1.2, cells 2.4 = 1.6 kernel starts, 2.0 in the chain, stop 0.3, page 4.5 - 4.0
    assert (
        "| a | 1.20 | 2.40 | 1.60 | 2.00 | 0.30 | 0.50 | 4.50 | "
        "cell 3, 1.10 s: `import pandas as pd` |"
    ) in text
    assert "pages: a 2 KiB, b 4 KiB" in text
    assert "matrix render" not in text  # none was timed
    assert "test suite: not measured (pass --with-tests)" in text
    numbers.matrix_reports, numbers.matrix_local_s, numbers.matrix_dask_s = ["m-a", "m-b"], 8, 10
    numbers.matrix_page_bytes = {"m-a": 1024, "m-b": 1024}
    text = bench.report(numbers)
    assert "matrix render, forced, 2 reports (m-a, m-b), 2 at a time:" in text
    assert "| local threads (`--jobs 2`) | 8.0 |" in text
    assert "| ratio Dask / local | 1.25 |" in text
    assert "matrix pages: m-a 1 KiB, m-b 1 KiB" in text


def test_a_report_without_timing_metadata_shows_dashes_not_a_crash():
    numbers = _numbers(timings={}, chain_timings={}, report_s={})
    numbers.timings = {"b": NotebookTiming(4.5)}
    text = bench.report(numbers)
    assert "| a | - | - | - | - | - | - | - | - |" in text
    assert "a: cells <= 2.0 x bare kernel start | - | 2.00x | not measured |" in text


def test_each_target_is_met_or_not_by_how_much():
    rows = {t.name: t for t in bench_report.targets(_numbers())}
    a, b = rows["a: cells <= 2.0 x bare kernel start"], rows["b: cells <= 2.0 x bare kernel start"]
    assert a.value == pytest.approx(1.6) and a.met and a.verdict == "met, 0.40x under"
    assert b.value == pytest.approx(3.0) and not b.met
    assert b.verdict == "NOT met, 1.00x over (1.50 x the limit)"
    render = rows["forced render <= 0.3 x plain chain (2 reports)"]
    assert render.value == pytest.approx(0.4) and render.verdict.startswith("NOT met, 0.10x over")
    noop = rows["no-op render <= 0.2 s"]
    assert noop.met and noop.verdict == "met, 0.00 s under"  # exactly at the limit is met
    assert rows["every page <= 300 KiB"].row() == (
        "| every page <= 300 KiB | 4 KiB (b) | 300 KiB | met, 296 KiB under |"
    )
    suite = rows["test suite <= 150 s"]
    assert suite.met is None and suite.verdict == "not measured"


def test_the_page_target_counts_the_matrix_pages_and_names_those_over():
    numbers = _numbers(matrix_page_bytes={"m-a": 400 * 1024, "m-b": 320 * 1024})
    page = {t.name: t for t in bench_report.targets(numbers)}["every page <= 300 KiB"]
    assert page.value == pytest.approx(400) and not page.met
    assert page.row() == (
        "| every page <= 300 KiB | 400 KiB (m-a; over: m-a, m-b) | 300 KiB "
        "| NOT met, 100 KiB over (1.33 x the limit) |"
    )


def test_a_measured_test_suite_is_held_to_its_target_and_a_failing_one_says_so():
    numbers = _numbers(suite_s=180.0, suite_rc=1, suite_summary="2 failed, 900 passed in 179.9s")
    numbers.suite_command = ["python", "-m", "pytest", "-n", "2", "--dist", "loadfile"]
    suite = {t.name: t for t in bench_report.targets(numbers)}["test suite <= 150 s"]
    assert suite.verdict == "NOT met, 30.00 s over (1.20 x the limit)"
    assert "exit 1: 2 failed" in suite.row()
    text = bench.report(numbers)
    assert "test suite (`python -m pytest -n 2 --dist loadfile`): 180 s, exit 1" in text


def test_the_json_holds_every_number_and_verdict_as_strict_json():
    numbers = _numbers(chain_s=0.0)  # a ratio that cannot be computed: null, not NaN
    data = json.loads(json.dumps(bench._plain(bench_report.as_json(numbers)), allow_nan=False))
    assert data["ratio_render_chain"] is None and data["kernel_start_median_s"] == 1.5
    assert data["timings"]["a"]["cells_s"] == 2.4 and data["load_end"] == [3.25, 2.0, 1.0]
    assert data["cells_per_kernel_start"] == {"a": pytest.approx(1.6), "b": pytest.approx(3.0)}
    assert data["largest_page"] == {"name": "b", "bytes": 4096}
    verdicts = {t["name"]: t for t in data["targets"]}
    assert verdicts["no-op render <= 0.2 s"]["met"] is True
    assert verdicts["forced render <= 0.3 x plain chain (2 reports)"]["value"] is None
    assert verdicts["b: cells <= 2.0 x bare kernel start"]["margin"] == pytest.approx(-1.0)


def _executed(tmp_path, cells, notebook_meta=None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = notebook_meta or {}
    for kind, source, meta, tags in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(
            source
        )
        cell.metadata.update(meta)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    return path


def _pm(start: str, end: str, duration: float) -> dict:
    t = "2024-01-01T00:00:"
    return {"papermill": {"start_time": t + start, "end_time": t + end, "duration": duration}}


def test_cell_time_kernel_start_and_stop_come_from_papermills_metadata(tmp_path):
    path = _executed(
        tmp_path,
        [
            ("markdown", "# Title", _pm("02.000+00:00", "02.001+00:00", 0.001), []),
            ("code", "x = 1", _pm("02.001+00:00", "02.101+00:00", 0.1), ["parameters"]),
            ("code", "x = 2", _pm("02.101+00:00", "02.201+00:00", 0.1), ["injected-parameters"]),
            (
                "code",
                "\nimport pandas\nimport plotly",
                _pm("02.201+00:00", "05.201+00:00", 3.0),
                [],
            ),
            ("code", "print(x)", _pm("05.201+00:00", "05.701+00:00", 0.5), []),
        ],
        {
            "start_time": "2024-01-01T00:00:00.500000+00:00",
            "end_time": "2024-01-01T00:00:07.701000+00:00",
            "duration": 7.201,
        },
    )
    timing = notebook_timing(path)
    assert timing.source == "papermill"
    assert timing.cells_s == pytest.approx(3.701)  # every cell, the injected one too
    assert timing.kernel_start_s == pytest.approx(1.5)  # notebook start -> first cell start
    assert timing.kernel_stop_s == pytest.approx(2.0)  # last cell end -> notebook end
    assert timing.total_s == pytest.approx(7.201)
    # the slowest cell numbered as in the notebook file (the injected cell is not in it)
    assert (timing.slowest_cell, timing.slowest_s) == (2, 3.0)
    assert timing.slowest_source == "import pandas"


def _nbclient(start: str, end: str) -> dict:
    t = "2024-01-01T00:00:"
    return {"execution": {"iopub.execute_input": t + start, "shell.execute_reply": t + end}}


def test_a_notebook_run_by_nbclient_alone_is_timed_from_its_execution_metadata(tmp_path):
    path = _executed(
        tmp_path,
        [
            ("markdown", "# Title", {}, []),
            ("code", "import numpy", _nbclient("01.000Z", "01.750Z"), []),
            ("code", "1 + 1", _nbclient("01.800Z", "01.850Z"), []),
        ],
    )
    timing = notebook_timing(path)
    assert timing.source == "nbclient" and timing.cells_s == pytest.approx(0.8)
    assert timing.kernel_start_s is None and timing.kernel_stop_s is None  # not recorded
    assert (timing.slowest_cell, timing.slowest_source) == (1, "import numpy")


def test_a_notebook_never_executed_has_no_timing(tmp_path):
    assert notebook_timing(_executed(tmp_path, [("code", "x = 1", {}, [])])) is None


def test_the_timed_test_suite_is_the_makefiles_test_command():
    recipe = (REPO / "Makefile").read_text().split("\ntest:", 1)[1].splitlines()[1].strip()
    assert recipe == "$(PY) -m pytest -n $(JOBS) --dist loadfile"
    command = suite_command(3)
    assert command[0] == sys.executable
    assert " ".join(command[1:]) == "-m pytest -n 3 --dist loadfile"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--jobs", "0"], "--jobs 0: must be at least 1"),
        (["--kernel-runs", "0"], "--kernel-runs 0: must be at least 1"),
        (["nope"], "unknown report 'nope'; reports in"),
        (["--notebooks", "{tmp}/none"], "none does not exist"),
        (["--notebooks", "{tmp}"], "no report notebook (*.ipynb) in it"),
        (["--matrix", "{tmp}/none.toml"], "--matrix {tmp}/none.toml: no such file"),
        (["--matrix", str(bench.DEFAULT_MATRIX)], "unknown report 'risk_profile'"),
        (["--data", "{tmp}/none"], "--data {tmp}/none: not a directory"),
        (["--json", "{tmp}/none/out.json"], "its directory {tmp}/none cannot be written"),
        (["--json", "{tmp}"], "--json {tmp}: is a directory"),
        (["--keep", "{tmp}/file"], "--keep {tmp}/file: exists and is not a directory"),
        (["--jobs", "two"], "argument --jobs: invalid int value: 'two'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_2_before_anything_is_timed(
    argv, says, tmp_path, monkeypatch, capsys
):
    (tmp_path / "file").write_text("")
    monkeypatch.setattr(bench, "run", lambda *a, **k: pytest.fail("timed despite a bad argument"))
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if "--notebooks" not in argv:
        argv = ["--notebooks", str(NOTEBOOK_FIXTURES), *argv]
    if "--matrix" not in argv:  # the default matrix is of notebooks/, not of the fixtures
        argv.append("--no-matrix")
    try:
        code = bench.main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert says.replace("{tmp}", str(tmp_path)) in err


def test_a_failing_step_is_one_line_naming_it(tmp_path):
    with pytest.raises(bench.BenchError, match=r"^the forced render failed \(exit 3\): boom$"):
        bench._timed(
            [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"],
            "the forced render",
        )
    with pytest.raises(bench.BenchError, match=r"^x failed \(exit 3\): $"):  # nothing said
        bench._timed([sys.executable, "-c", "raise SystemExit(3)"], "x")


def test_machine_reads_the_cpu_count():
    assert int(bench.machine()["cpus"]) >= 1


def test_the_machine_line_says_whether_bytecode_is_cached(monkeypatch):
    # a container that sets PYTHONDONTWRITEBYTECODE makes every process compile the package
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert bench.machine()["bytecode"].startswith("not cached")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE")
    assert bench.machine()["bytecode"] == "cached"


@pytest.mark.slow
def test_a_benchmark_of_one_tiny_notebook_measures_both_sides(tmp_path, monkeypatch):
    monkeypatch.setenv("SLOW_SECONDS", "0.5")  # its slowest cell, in every kernel
    config = tmp_path / "matrix.toml"
    config.write_text('[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["bn", "m"] }\n')
    work = tmp_path / "work"
    numbers = bench.run(
        NOTEBOOK_FIXTURES, ["slow"], jobs=1, work=work, matrix=config, kernel_runs=1
    )
    assert numbers.chain_s > 0 and numbers.render_s > 0 and len(numbers.noop_s) == 3
    assert len(numbers.kernel_start_s) == 1 and numbers.kernel_start_s[0] > 0
    # each side's executed notebook timed from its metadata: kernel start, cells, report time
    for timing in (numbers.timings["slow"], numbers.chain_timings["slow"]):
        assert timing.source == "papermill" and timing.kernel_start_s > 0 and timing.cells_s > 0
    for timing in (numbers.timings["slow"], numbers.chain_timings["slow"]):
        assert timing.slowest_source == "import os" and timing.slowest_s >= 0.5  # it sleeps
    assert numbers.report_s["slow"] >= numbers.timings["slow"].total_s
    assert len(numbers.load_start) == len(numbers.load_end) == 3
    assert numbers.noop_median < numbers.render_s  # nothing to do is cheaper than rendering
    assert (work / "chain" / "slow.html").is_file()  # the chain produced its page
    assert (work / "render" / "slow.html").is_file()  # and so did the renderer
    assert numbers.page_bytes["slow"] > 0 and numbers.asset_bytes > 1_000_000
    # the matrix, rendered on local threads and on a LocalCluster, page for page
    assert numbers.matrix_reports == ["m-bn", "m-m"]
    assert set(numbers.matrix_page_bytes) == {"m-bn", "m-m"}
    for kind in ("local", "dask"):
        assert getattr(numbers, f"matrix_{kind}_s") > 0
        assert sorted(p.name for p in (work / f"matrix-{kind}").glob("*.html")) == sorted(
            [f"{n}.html" for n in numbers.matrix_reports] + ["changes.html", "index.html"]
        )
