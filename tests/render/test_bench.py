"""The benchmark script: the chain it times is the plain one, its numbers add up."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from analysis.render import bench

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


def test_the_report_states_ratio_verdict_and_machine():
    numbers = bench.Bench(
        ["a", "b"],
        2,
        chain_s=30.0,
        render_s=12.0,
        noop_s=[0.2, 0.1, 0.3],
        page_bytes={"a": 2048, "b": 4096},
        chain_page_bytes={"a": 300 * 1024, "b": 310 * 1024},
        asset_bytes=5 * 1024**2,
        machine={"cpus": "2", "cpu": "AMD EPYC", "ram": "24 GiB", "load": "0.1", "python": "3"},
    )
    assert numbers.ratio == pytest.approx(0.4) and numbers.noop_median == pytest.approx(0.2)
    text = bench.report(numbers)
    assert "| ratio (target <= 0.5) | **0.40** (meets it) |" in text
    assert "| no-op re-render (median of 3) | 0.20 |" in text
    assert "2 CPUs (AMD EPYC), 24 GiB RAM" in text and "pages: a 2 KiB, b 4 KiB" in text
    numbers.render_s = 18.0
    assert "**0.60** (misses it)" in bench.report(numbers)
    assert "matrix render" not in text  # none was timed
    numbers.matrix_reports, numbers.matrix_local_s, numbers.matrix_dask_s = ["m-a", "m-b"], 8, 10
    text = bench.report(numbers)
    assert "matrix render, forced, 2 reports (m-a, m-b), 2 at a time:" in text
    assert "| local threads (`--jobs 2`) | 8.0 |" in text
    assert "| ratio Dask / local | 1.25 |" in text


def test_machine_reads_the_cpu_count():
    assert int(bench.machine()["cpus"]) >= 1


@pytest.mark.slow
def test_a_benchmark_of_one_tiny_notebook_measures_both_sides(tmp_path):
    config = tmp_path / "matrix.toml"
    config.write_text('[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["bn", "m"] }\n')
    work = tmp_path / "work"
    numbers = bench.run(NOTEBOOK_FIXTURES, ["slow"], jobs=1, work=work, matrix=config)
    assert numbers.chain_s > 0 and numbers.render_s > 0 and len(numbers.noop_s) == 3
    assert numbers.noop_median < numbers.render_s  # nothing to do is cheaper than rendering
    assert (work / "chain" / "slow.html").is_file()  # the chain produced its page
    assert (work / "render" / "slow.html").is_file()  # and so did the renderer
    assert numbers.page_bytes["slow"] > 0 and numbers.asset_bytes > 1_000_000
    # the matrix, rendered on local threads and on a LocalCluster, page for page
    assert numbers.matrix_reports == ["m-bn", "m-m"]
    for kind in ("local", "dask"):
        assert getattr(numbers, f"matrix_{kind}_s") > 0
        assert sorted(p.name for p in (work / f"matrix-{kind}").glob("*.html")) == sorted(
            [f"{n}.html" for n in numbers.matrix_reports] + ["changes.html", "index.html"]
        )
