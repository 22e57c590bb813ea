"""The renderer's API: offline pages, incremental runs, failures that keep the last good report,
checks before any kernel, the lock, clean interrupts.

Integration tests render the tiny fixture notebooks of ``tests/notebooks/`` into ``tmp_path``
(marked slow: each starts kernels). Checks that happen before any kernel run fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURES, REPO

from analysis import render
from analysis.exceptions import ConfigError, DataError, LockHeldError, ParameterError
from analysis.render import page as html_page
from analysis.render import plots
from analysis.render.lock import render_lock

NOTEBOOK_FIXTURES = FIXTURES / "notebooks"
slow = pytest.mark.slow


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """A copy of the fixture notebooks a test may edit."""
    target = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_FIXTURES, target)
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "reports"


def _reports(notebooks: Path, *names: str, **params) -> list[render.Report]:
    found = render.find_notebooks(notebooks)
    return [render.Report(n, found[n], dict(params)) for n in names]


def _no_kernel(monkeypatch):
    """Fail the test if a kernel would start."""

    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render.executors, "execute_report", boom)


# ---------------------------------------------------------------------------------------------
# A good report: offline page, manifest, history, index; skipped when nothing changed


@slow
def test_a_report_renders_to_an_offline_page_with_its_records(notebooks, out):
    run = render.render_all(_reports(notebooks, "ok", unit="m"), out)
    assert run.exit_code == 0
    (result,) = run.results
    assert (result.status, result.html, result.ipynb) == ("ok", "ok.html", "ok.ipynb")

    page = (out / "ok.html").read_text(encoding="utf-8")
    plotly_js = html_page.plotly_js_name()
    assert (out / "assets" / plotly_js).stat().st_size > 1_000_000  # one local copy
    assert f'<script src="assets/{plotly_js}"></script>' in page
    assert page.count('class="plotly-graph-div"') == 1
    div = re.search(r'<div [^>]*class="plotly-graph-div"[^>]*>', page).group(0)
    assert 'id="figure-4-0"' in div  # the figure's div, drawn by the local plotly.js
    assert list(plots.page_figures(page)) == ["figure-4-0"]  # from the page's packed block
    assert html_page.external_sources(page) == []
    assert "cdnjs" not in page and "require.min.js" not in page and "MathJax" not in page
    assert "Fixture chart (m)" in page  # the parameter reached the kernel
    # data text stays text: the DataFrame cell is escaped, the trace name cannot close a script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "</script><b>bar" not in page
    # code hidden by default
    assert "import plotly.graph_objects" not in page

    executed = nbformat.read(out / "ok.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)

    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["reports"]["ok"]
    assert entry["status"] == "ok" and entry["html"] == "ok.html"
    assert entry["parameters"] == {
        "unit": "m",
        "show_context": True,
        "as_of": "2024-12-31",
        "data_dir": "",
    }
    assert set(entry["inputs"]) == {
        "notebook_sha256",
        "parameters_sha256",
        "code_sha256",
        "data_sha256",
    }
    assert entry["data_files"]["funding"]["file"].endswith("funding.csv")
    assert len(entry["data_files"]["funding"]["sha256"]) == 64
    assert manifest["package_version"] and manifest["run"]["exit_code"] == 0
    history = (out / "history.jsonl").read_text().splitlines()
    assert len(history) == 1 and json.loads(history[0])["reports"]["ok"]["status"] == "ok"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ok.html"' in index and 'href="ok.ipynb"' in index
    assert "unit = &quot;m&quot;" in index and html_page.external_sources(index) == []
    assert not list(out.glob(".tmp-*"))


@slow
def test_a_report_whose_rules_module_is_broken_fails_alone(notebooks, out, tmp_path, monkeypatch):
    (tmp_path / "broken_report_rules.py").write_text("raise RuntimeError('a bug')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    nb = nbformat.read(notebooks / "ok.ipynb", as_version=4)
    nb.metadata["afghan_brief"] = {"rules": ["analysis.funding.rules", "broken_report_rules"]}
    nbformat.write(nb, notebooks / "okbroken.ipynb")
    run = render.render_all(_reports(notebooks, "ok", "okbroken"), out)
    assert run.exit_code == 4
    status = {r.name: r for r in run.results}
    assert status["ok"].status == "ok" and (out / "ok.html").is_file()
    assert status["okbroken"].status == "failed" and not (out / "okbroken.html").exists()
    assert (
        "its rules module broken_report_rules failed to import" in status["okbroken"].error.evalue
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reports"]["okbroken"]["status"] == "failed"


@slow
def test_show_code_keeps_the_code_cells(notebooks, out):
    render.render_all(_reports(notebooks, "slow"), out)
    assert "pathlib" not in (out / "slow.html").read_text(encoding="utf-8")
    render.render_all(_reports(notebooks, "slow"), out, show_code=True)
    assert "pathlib" in (out / "slow.html").read_text(encoding="utf-8")


@slow
def test_unchanged_reports_are_skipped_and_force_renders_them(notebooks, out, monkeypatch):
    reports = _reports(notebooks, "slow")
    assert render.render_all(reports, out).results[0].status == "ok"
    first = (out / "slow.html").stat().st_mtime_ns

    # same notebook, parameters, data and code: no kernel, the page untouched
    with monkeypatch.context() as m:
        _no_kernel(m)
        again = render.render_all(reports, out)
    assert again.results[0].status == "skipped" and again.exit_code == 0
    assert (out / "slow.html").stat().st_mtime_ns == first
    assert len((out / "history.jsonl").read_text().splitlines()) == 2

    assert render.render_all(reports, out, force=True).results[0].status == "ok"
    assert (out / "slow.html").stat().st_mtime_ns != first


@slow
def test_a_changed_input_renders_again(notebooks, out, seed_min, monkeypatch):
    # "ok" reads the sources table through the package; "ok" without that cell reads no data
    nb = nbformat.read(notebooks / "ok.ipynb", as_version=4)
    nbformat.write(nb, notebooks / "nodata.ipynb")
    nb.cells.insert(
        2, nbformat.v4.new_code_cell("import analysis\n\nanalysis.load_sources(data_dir)")
    )
    nbformat.write(nb, notebooks / "ok.ipynb")
    nodata = _reports(notebooks, "nodata")
    render.render_all(nodata, out, data_dir=seed_min)
    reports = _reports(notebooks, "ok")
    render.render_all(reports, out, data_dir=seed_min)
    with monkeypatch.context() as m:
        _no_kernel(m)
        assert render.render_all(reports, out, data_dir=seed_min).results[0].status == "skipped"

    statuses = []
    for change in ("data", "parameter", "code", "notebook"):
        if change == "data":  # a user's data file changed (still valid)
            seed_min.replace("sources.csv", "test fixture", "test fixture (corrected)")
            run = render.render_all(reports, out, data_dir=seed_min)
            with monkeypatch.context() as m:  # a report that read no data file stays up to date
                _no_kernel(m)
                skipped = render.render_all(nodata, out, data_dir=seed_min).results[0].status
            assert skipped == "skipped"
        elif change == "parameter":
            run = render.render_all(_reports(notebooks, "ok", unit="m"), out, data_dir=seed_min)
        elif change == "code":  # the analysis package changed
            monkeypatch.setattr(render.engine.mf, "package_fingerprint", lambda h: ("changed", {}))
            run = render.render_all(reports, out, data_dir=seed_min)
        else:
            nb = nbformat.read(notebooks / "ok.ipynb", as_version=4)
            nb.cells[-1].source = "The end, edited."
            nbformat.write(nb, notebooks / "ok.ipynb")
            run = render.render_all(reports, out, data_dir=seed_min)
        statuses.append(run.results[0].status)
    assert statuses == ["ok", "ok", "ok", "ok"]
    assert "The end, edited." in (out / "ok.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Failures: the previous good report survives, the failed notebook is saved, others finish


@slow
def test_a_raising_cell_keeps_the_previous_good_report(notebooks, out):
    shutil.copy(notebooks / "slow.ipynb", notebooks / "flaky.ipynb")
    reports = _reports(notebooks, "flaky", "ok")
    assert render.render_all(reports, out).exit_code == 0
    good_page = (out / "flaky.html").read_bytes()
    good_nb = (out / "flaky.ipynb").read_bytes()

    shutil.copy(notebooks / "broken.ipynb", notebooks / "flaky.ipynb")  # now it raises
    run = render.render_all(reports, out, force=True)

    assert run.exit_code == 4
    failed, other = run.results
    assert (failed.name, failed.status, other.status) == ("flaky", "failed", "ok")
    assert failed.error.cell_index == 3  # the 4th cell of broken.ipynb raises
    assert (failed.error.ename, failed.error.evalue) == ("ValueError", "boom: broken on purpose")
    assert failed.error.source == 'raise ValueError("boom: broken on purpose")'
    assert "cell 3 (In [" in failed.error.summary
    assert (out / "flaky.html").read_bytes() == good_page  # untouched
    assert (out / "flaky.ipynb").read_bytes() == good_nb
    saved = nbformat.read(out / "failed" / "flaky.ipynb", as_version=4)
    markers = [c for c in saved.cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert len(markers) == 2  # papermill's banner on top and anchor before the cell
    assert (out / "failed" / "flaky.html").is_file()

    entry = json.loads((out / "manifest.json").read_text())["reports"]["flaky"]
    assert entry["status"] == "failed" and entry["failed_ipynb"] == "failed/flaky.ipynb"
    assert entry["error"]["ename"] == "ValueError" and entry["html"] == "flaky.html"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="failed/flaky.ipynb"' in index and "FAILED" in index
    assert "boom: broken on purpose" in index
    assert not list(out.glob(".tmp-*"))

    # a failed report is never "up to date": run again, it fails again
    assert render.render_all(reports[:1], out).results[0].status == "failed"
    # reverted to what its good page shows: up to date again, the failure record goes
    shutil.copy(notebooks / "slow.ipynb", notebooks / "flaky.ipynb")
    assert render.render_all(reports[:1], out).results[0].status == "skipped"
    assert not (out / "failed" / "flaky.ipynb").exists()


@slow
def test_a_dead_kernel_is_a_failure(notebooks, out):
    run = render.render_all(_reports(notebooks, "dies"), out)
    (result,) = run.results
    assert run.exit_code == 4 and result.status == "failed"
    assert result.error.ename == "DeadKernelError" and result.error.cell_index == 2
    assert result.error.source == "import os"
    saved = nbformat.read(out / "failed" / "dies.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in saved.cells)
    assert not (out / "dies.html").exists()  # never had a good page


@slow
def test_a_cell_over_the_timeout_fails_the_report(notebooks, out, monkeypatch):
    monkeypatch.setenv("SLOW_SECONDS", "30")
    started = time.monotonic()
    run = render.render_all(_reports(notebooks, "slow"), out, timeout=2)
    assert time.monotonic() - started < 25
    (result,) = run.results
    assert result.status == "failed" and result.error.ename == "CellTimeoutError"
    assert result.error.cell_index == 2 and "timed out" in result.error.evalue


# ---------------------------------------------------------------------------------------------
# Checked before any kernel starts: parameters (2), config (2), data (3)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"colour": "red"}, "report 'ok' has no parameter 'colour'; its parameters: unit,"),
        ({"show_context": "yes"}, "parameter 'show_context' must be True or False; got str"),
        ({"unit": "kg"}, "parameter 'unit' must be one of 'bn', 'm'; got 'kg'"),
    ],
    ids=["unknown", "wrong type", "disallowed"],
)
def test_bad_parameters_stop_before_any_kernel(notebooks, out, monkeypatch, params, message):
    _no_kernel(monkeypatch)
    with pytest.raises(ParameterError) as err:
        render.render_all(_reports(notebooks, "ok", **params), out)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert not (out / "ok.html").exists() and not (out / "manifest.json").exists()


def test_cli_strings_are_parsed_by_declared_type(notebooks, out, monkeypatch):
    _no_kernel(monkeypatch)
    report = render.Report("ok", notebooks / "ok.ipynb", cli_values={"show_context": "maybe"})
    with pytest.raises(ParameterError, match="'show_context' must be True or False; got 'maybe'"):
        render.render_all([report], out)


def test_invalid_data_stops_before_any_kernel(notebooks, out, seed_min, monkeypatch):
    _no_kernel(monkeypatch)
    seed_min.replace("funding.csv", "9500000000", "lots")
    with pytest.raises(DataError) as err:
        render.render_all(_reports(notebooks, "ok"), out, data_dir=seed_min)
    assert "funding.csv, row 1, column 'amount_usd': 'lots' is not a valid number" in str(err.value)
    assert not (out / "ok.html").exists()


def test_bad_data_is_reported_as_data_even_where_a_parameter_rule_reads_it(
    out, seed_min, monkeypatch
):
    """actor_network's focus_actor default ('taliban') is not in the broken directory's actors:
    the data problem, not a parameter error, is what the user must see first."""
    _no_kernel(monkeypatch)
    seed_min.replace("funding.csv", "9500000000", "lots")
    with pytest.raises(DataError, match="funding.csv, row 1, column 'amount_usd'"):
        render.render_all(_reports(REPO / "notebooks", "actor_network"), out, data_dir=seed_min)


def test_a_missing_data_directory_is_a_data_error(notebooks, out, tmp_path, monkeypatch):
    _no_kernel(monkeypatch)
    with pytest.raises(DataError, match="is not a directory"):
        render.render_all(_reports(notebooks, "ok"), out, data_dir=tmp_path / "nope")


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "render.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_sets_become_reports(notebooks, tmp_path):
    path = _config(
        tmp_path,
        '[reports.ok_millions]\nnotebook = "ok"\nparameters = { unit = "m" }\n[reports.slow]\n',
    )
    first, second = render.select_reports((), notebooks, path)
    assert (first.name, first.notebook.name, dict(first.parameters)) == (
        "ok_millions",
        "ok.ipynb",
        {"unit": "m"},
    )
    assert (second.name, second.notebook.name) == ("slow", "slow.ipynb")
    assert [r.name for r in render.select_reports(["ok_millions"], notebooks, path)] == [
        "ok_millions"
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("[reports.x\n", "render.toml: invalid TOML: "),
        ('[reports.x]\nnotebook = "nope"\n', "render.toml: reports.x.notebook: unknown report"),
        ('[reports.x]\nnotebok = "ok"\n', "render.toml: reports.x.notebok: unknown key"),
        ("[report.x]\n", "render.toml: report: unknown key"),
        (
            '[reports.x]\nnotebook = "ok"\nparameters = { as_of = 2024-01-01 }\n',
            "render.toml: reports.x.parameters.as_of: date values cannot be passed",
        ),
    ],
    ids=["syntax", "unknown report", "unknown key", "unknown table", "toml date"],
)
def test_a_broken_config_is_one_line_naming_file_and_key(notebooks, tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        render.load_config(_config(tmp_path, text), notebooks)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "params, message",
    [
        (
            '{ colour = "red" }',
            "render.toml: reports.x.parameters.colour: report 'x' has no parameter 'colour'",
        ),
        (
            '{ show_context = "yes" }',
            "render.toml: reports.x.parameters.show_context: parameter 'show_context' must be",
        ),
    ],
    ids=["unknown parameter", "wrong type"],
)
def test_config_parameters_are_checked_naming_the_key(
    notebooks, out, tmp_path, monkeypatch, params, message
):
    _no_kernel(monkeypatch)
    path = _config(tmp_path, f'[reports.x]\nnotebook = "ok"\nparameters = {params}\n')
    with pytest.raises(ConfigError) as err:
        render.render_all(render.select_reports((), notebooks, path), out)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unknown_report_names_are_refused(notebooks):
    with pytest.raises(ParameterError, match="unknown report 'nope'; reports: broken, dies, ok"):
        render.select_reports(["nope"], notebooks)


def test_list_reports_reads_the_parameters_cells(notebooks):
    infos = {i.name: i for i in render.list_reports(notebooks)}
    assert sorted(infos) == ["broken", "dies", "ok", "slow"]
    unit = infos["ok"].parameters["unit"]
    assert (unit.type_name, unit.default, unit.help) == ("str", "bn", 'money unit: "bn" or "m"')
    assert unit.allowed == "one of 'bn', 'm'"


# ---------------------------------------------------------------------------------------------
# One render at a time; interrupts leave nothing half-written


def test_a_held_lock_refuses_a_second_render(notebooks, out, monkeypatch):
    _no_kernel(monkeypatch)
    with render_lock(out):
        with pytest.raises(LockHeldError) as err:
            render.render_all(_reports(notebooks, "ok"), out)
        assert f"pid {os.getpid()}" in str(err.value) and "--wait" in str(err.value)
        with pytest.raises(LockHeldError):
            render.render_all(_reports(notebooks, "ok"), out, wait=0.3)
    assert LockHeldError.exit_code == 5


@slow
def test_wait_queues_behind_the_lock_holder(notebooks, out):
    held = threading.Event()

    def hold():
        with render_lock(out):
            held.set()
            time.sleep(1.0)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    run = render.render_all(_reports(notebooks, "slow"), out, wait=True)
    thread.join()
    assert run.exit_code == 0 and time.monotonic() - started >= 0.9


@slow
def test_sigterm_stops_kernels_and_keeps_the_previous_report(notebooks, out, tmp_path):
    command = [sys.executable, "-m", "analysis", "render", "slow", "--notebooks", str(notebooks)]
    command += ["--out", str(out)]
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert first.returncode == 0, first.stderr
    good_page, good_nb = (out / "slow.html").read_bytes(), (out / "slow.ipynb").read_bytes()

    marker = tmp_path / "kernel.pid"
    env = {**os.environ, "SLOW_SECONDS": "120", "SLOW_MARKER": str(marker)}
    proc = subprocess.Popen(
        [*command, "--force"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the slow notebook never started"
        assert list(out.glob(".tmp-render-*")), "the run writes into a temporary directory"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert b"render stopped by SIGTERM" in stderr and b"Traceback" not in stderr
    kernel_pid = int(marker.read_text())
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(kernel_pid, 0)  # the kernel was stopped, not orphaned
    assert (out / "slow.html").read_bytes() == good_page
    assert (out / "slow.ipynb").read_bytes() == good_nb
    assert not list(out.glob(".tmp-render-*")) and not list(out.glob("**/.*.tmp"))
    last = json.loads((out / "history.jsonl").read_text().splitlines()[-1])
    assert last["exit_code"] == 143 and last["reports"]["slow"]["status"] == "interrupted"
    # the lock was released: the next render runs (and finds the report up to date)
    again = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert again.returncode == 0 and "1 up to date" in again.stdout


def test_signals_wait_while_a_report_is_moved_into_place():
    from analysis.render.lock import SignalGuard, Signalled

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be installed from the main thread")
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    moved = []
    with SignalGuard() as guard:
        with pytest.raises(Signalled) as err, guard.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            moved.append("html")  # still runs: the signal waits for the block's end
        assert err.value.signum == signal.SIGTERM and moved == ["html"]
        guard.hold()
        os.kill(os.getpid(), signal.SIGINT)  # after hold(): recorded, never raised
        time.sleep(0.05)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


# ---------------------------------------------------------------------------------------------
# The page itself (no kernel: a notebook with outputs, as papermill leaves it)


def _executed_notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def test_plotly_json_outputs_become_divs_drawn_by_the_local_script():
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1], "name": "</script>x"}], "layout": {}}
    cell = nbformat.v4.new_code_cell("fig", outputs=[])
    cell.outputs.append(
        nbformat.v4.new_output("display_data", data={html_page.PLOTLY_MIME: figure})
    )
    names = {"plotly_js": "plotly-9.9.9.min.js", "notebook_css": "notebook-0.css"}
    page = html_page.notebook_html(_executed_notebook(cell), names, parameters={"unit": "m"})
    assert '<script src="assets/plotly-9.9.9.min.js"></script>' in page
    assert '<link href="assets/notebook-0.css" rel="stylesheet"/>' in page
    assert plots.page_figures(page) == {"figure-0-0": {**figure, "config": {"responsive": True}}}
    assert "</script>x" not in page  # the figures' JSON is packed: it cannot close a script
    assert 'unit = "m"' in page  # the parameters box
    assert html_page.external_sources(page) == []
    failed = html_page.notebook_html(_executed_notebook(cell), names, assets_href="../assets")
    assert '<script src="../assets/plotly-9.9.9.min.js"></script>' in failed


def test_a_page_that_would_reach_the_network_is_refused():
    cell = nbformat.v4.new_markdown_cell('<img src="https://example.org/chart.png">')
    with pytest.raises(ValueError, match="would load from the network: https://example.org/"):
        html_page.notebook_html(
            _executed_notebook(cell), {"plotly_js": "p.js", "notebook_css": "n"}
        )


def test_external_sources_finds_what_a_browser_would_fetch():
    page = """<script src="https://cdn.plot.ly/plotly.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/a.css"><img alt="" src='http://x.org/i.png'>
    <style>body{background:url(https://x.org/bg.png)} @import "https://x.org/b.css";</style>
    <a href="https://ucdp.uu.se/">UCDP</a><script src="assets/plotly.min.js"></script>
    <img src="data:image/png;base64,AAAA">"""
    assert html_page.external_sources(page) == [
        "https://cdn.plot.ly/plotly.js",
        "//fonts.example.org/a.css",
        "http://x.org/i.png",
        "https://x.org/bg.png",
        "https://x.org/b.css",
    ]
