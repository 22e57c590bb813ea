"""Parameter matrices: a config's lists of values become one report per combination, named from
its values, each checked before any kernel starts and named when bad; the index groups them.

The expansion and the checks run without a kernel; one slow test renders the shipped neighbours'
risk-profile matrix for three countries.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURES, REPO

from analysis import render
from analysis.exceptions import ConfigError, ParameterError
from analysis.render import matrix
from analysis.render.index import write_index
from analysis.render.manifest import Manifest

NOTEBOOK_FIXTURES = FIXTURES / "notebooks"
NEIGHBOURS = REPO / "analysis" / "data" / "configs" / "neighbours.toml"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "render.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _no_kernel(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render.executors, "execute_report", boom)


GRID = """
[reports.single]
notebook = "ok"

[matrices.grid]
notebook = "ok"
parameters = { as_of = "2024-06-30" }
matrix = { unit = ["bn", "m"], show_context = [true, false] }
"""


def test_a_matrix_is_the_cartesian_product_of_its_lists(tmp_path):
    reports = render.load_config(_config(tmp_path, GRID), NOTEBOOK_FIXTURES)
    grid = [r for r in reports if r.matrix == "grid"]
    assert [r.name for r in grid] == [
        "grid-bn-true",
        "grid-bn-false",
        "grid-m-true",
        "grid-m-false",
    ]
    # every combination once, each with the shared parameter
    combos = {(r.parameters["unit"], r.parameters["show_context"]) for r in grid}
    assert combos == {("bn", True), ("bn", False), ("m", True), ("m", False)}
    assert all(r.parameters["as_of"] == "2024-06-30" for r in grid)
    assert all(r.varying == ("unit", "show_context") for r in grid)
    assert all(r.notebook.name == "ok.ipynb" for r in grid)
    single = next(r for r in reports if r.name == "single")
    assert single.matrix is None  # a named set stays on its own


def test_listed_combinations_are_named_by_what_varies_between_them(tmp_path):
    text = """
[matrices.windows]
notebook = "ok"
combinations = [
  { unit = "bn", as_of = "2023-12-31" },
  { unit = "bn", as_of = "2024-12-31" },
]
"""
    reports = render.load_config(_config(tmp_path, text), NOTEBOOK_FIXTURES)
    # unit is the same in both: only as_of names them
    assert [r.name for r in reports] == ["windows-2023_12_31", "windows-2024_12_31"]  # "-" splits
    assert reports[0].varying == ("as_of",)


def test_report_names_are_stable_and_file_system_safe():
    values = {"country": "PAK", "years": [2022, 2024], "label": "a/b c", "on": False}
    varying = ["country", "years", "label", "on"]
    name = matrix.report_name("m", values, varying)
    assert name == "m-PAK-2022_2024-a_b_c-false"
    assert name == matrix.report_name("m", dict(reversed(values.items())), varying)  # stable
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name)
    long = matrix.report_name("m", {"x": "y" * 300}, ["x"])
    assert len(long) == matrix.MAX_NAME and long != matrix.report_name("m", {"x": "z" * 300}, ["x"])


def test_selecting_a_matrix_by_name_selects_all_its_reports(tmp_path):
    path = _config(tmp_path, GRID)
    assert len(render.select_reports(["grid"], NOTEBOOK_FIXTURES, path)) == 4
    assert [r.name for r in render.select_reports(["grid-m-true"], NOTEBOOK_FIXTURES, path)] == [
        "grid-m-true"
    ]
    with pytest.raises(ParameterError, match="unknown report 'gird'; reports: .*grid"):
        render.select_reports(["gird"], NOTEBOOK_FIXTURES, path)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[matrices.m]\nnotebook = "ok"\n',
            "render.toml: matrices.m: give either matrix = { name = [values] } or combinations",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { unit = "bn" }\n',
            "render.toml: matrices.m.matrix.unit: must be a non-empty list of values",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["bn", "bn"] }\n',
            "render.toml: matrices.m.matrix.unit: 'bn' is listed twice",
        ),
        (
            '[matrices.m]\nnotebook = "nope"\nmatrix = { unit = ["bn"] }\n',
            "render.toml: matrices.m.notebook: unknown report 'nope'",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["bn"] }\ncolour = 1\n',
            "render.toml: matrices.m.colour: unknown key",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nparameters = { unit = "m" }\n'
            'matrix = { unit = ["bn"] }\n',
            "render.toml: matrices.m: parameter 'unit' is both in parameters and in the matrix",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\ncombinations = [{ unit = "bn" }, { unit = "bn" }]\n',
            "render.toml: matrices.m.combinations[1]: the same as combinations[0]",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { as_of = [2024-01-01] }\n',
            "render.toml: matrices.m.matrix.as_of[0]: date values cannot be passed",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["a b", "a/b"] }\n',
            "render.toml: matrices.m: combination 2 of 2 (unit = \"a/b\", report 'm-a_b') has "
            "the same report name as combination 1",
        ),
        (
            '[reports.m-bn]\nnotebook = "ok"\n[matrices.m]\nnotebook = "ok"\n'
            'matrix = { unit = ["bn", "m"] }\n',
            "render.toml: report 'm-bn' (matrices.m) has the name of 'm-bn'",
        ),
        (
            '[matrices.m]\nnotebook = "ok"\nmatrix = { a = [1, 2, 3, 4, 5, 6, 7, 8], '
            "b = [1, 2, 3, 4, 5, 6, 7, 8], c = [1, 2, 3, 4, 5, 6, 7, 8] }\n",
            "render.toml: matrices.m: 512 combinations; a matrix renders at most 500",
        ),
    ],
    ids=[
        "no values",
        "not a list",
        "repeated value",
        "unknown notebook",
        "unknown key",
        "given twice",
        "repeated combination",
        "toml date",
        "names collide",
        "name taken",
        "too large",
    ],
)
def test_a_broken_matrix_is_one_line_naming_file_matrix_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        render.load_config(_config(tmp_path, text), NOTEBOOK_FIXTURES)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_bad_combination_is_named_before_any_kernel_starts(tmp_path, monkeypatch):
    _no_kernel(monkeypatch)
    text = (
        '[matrices.m]\nnotebook = "ok"\nmatrix = { unit = ["bn", "kg"], as_of = ["2024-01-01"] }\n'
    )
    path = _config(tmp_path, text)
    out = tmp_path / "reports"
    with pytest.raises(ConfigError) as err:
        render.render_all(render.select_reports((), NOTEBOOK_FIXTURES, path), out)
    assert str(err.value) == (
        f'{path}: matrices.m.matrix.unit, combination 2 of 2 (unit = "kg", as_of = '
        "\"2024-01-01\", report 'm-kg'): parameter 'unit' must be one of 'bn', 'm'; got 'kg'"
    )
    assert not (out / "m-bn.html").exists() and not (out / "manifest.json").exists()


def test_an_unknown_parameter_of_a_matrix_names_its_key(tmp_path, monkeypatch):
    _no_kernel(monkeypatch)
    path = _config(tmp_path, '[matrices.m]\nnotebook = "ok"\nmatrix = { unti = ["bn", "m"] }\n')
    with pytest.raises(ConfigError, match=r"matrices\.m\.matrix\.unti, combination 1 of 2 .*"
                       r"report 'm-bn' has no parameter 'unti'"):  # fmt: skip
        render.render_all(render.select_reports((), NOTEBOOK_FIXTURES, path), tmp_path / "r")


def test_every_neighbour_of_afghanistan_has_a_profile_in_the_shipped_config():
    from analysis.observed import NEIGHBOURS as neighbours

    reports = render.load_config(NEIGHBOURS, REPO / "notebooks")
    assert {r.parameters["country"] for r in reports} == set(neighbours)
    assert {r.name for r in reports} == {f"risk_profile-{c}" for c in neighbours}
    assert {r.notebook.name for r in reports} == {"risk_profile.ipynb"}
    assert "analysis/data/configs/neighbours.toml" in (REPO / "README.md").read_text()


def test_the_shipped_matrix_passes_every_check_before_kernels(tmp_path, monkeypatch):
    _no_kernel(monkeypatch)  # planning and checks only: nothing to execute when all fail early
    from analysis.render import engine, manifest, parameters

    reports = render.load_config(NEIGHBOURS, REPO / "notebooks")
    hasher = manifest.FileHasher()
    for report in reports:
        job = manifest.plan_report(report, None, hasher, "code", False)
        parameters.validate(job.notebook, job.given, job.name)  # raises on a bad value
    assert engine.cpus() >= 1


def _entry(name, params, matrix_name=None, varying=(), status="ok"):
    entry = {
        "notebook": "notebooks/ok.ipynb",
        "parameters": params,
        "status": status,
        "html": f"{name}.html",
        "ipynb": f"{name}.ipynb",
        "good": {"key": "k", "rendered_at": "2025-01-01T00:00:00+00:00", "duration_s": 1.0},
    }
    if matrix_name:
        entry["matrix"] = {"name": matrix_name, "varying": list(varying)}
    return entry


def test_the_index_groups_a_matrix_in_one_table_with_its_varying_parameters(tmp_path):
    manifest = Manifest(tmp_path)
    manifest.reports.update(
        {
            "single": _entry("single", {"unit": "m"}),
            "p-PAK": _entry("p-PAK", {"country": "PAK", "as_of": "x"}, "p", ["country"]),
            "p-IRN": _entry("p-IRN", {"country": "IRN", "as_of": "x"}, "p", ["country"]),
        }
    )
    write_index(manifest)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    tables = page.split("<table")[1:]
    assert len(tables) == 2  # the single report's table, then the matrix's
    assert "single.html" in tables[0] and "p-PAK" not in tables[0]
    group = tables[1]
    assert '<h2 id="matrix-p">p' in page and "matrix of 2 reports" in page
    assert "<th>report</th><th>country</th><th>status</th>" in group  # country is a column
    assert re.search(r'href="p-IRN.html">p-IRN</a></td><td>IRN</td>', group)
    assert re.search(r'href="p-PAK.html">p-PAK</a></td><td>PAK</td>', group)
    assert "all with <code>as_of = &quot;x&quot;</code>" in page  # shared once, not a column


@pytest.mark.slow
def test_a_matrix_of_three_countries_renders_three_pages_and_an_index_group(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(REPO / "notebooks" / "risk_profile.ipynb", notebooks)
    config = _config(
        tmp_path,
        '[matrices.profiles]\nnotebook = "risk_profile"\n'
        'matrix = { country = ["PAK", "IRN", "TKM"] }\n',
    )
    out = tmp_path / "reports"
    run = render.render_all(render.select_reports((), notebooks, config), out, jobs=2)
    assert run.exit_code == 0, [r.error for r in run.results]
    names = ["profiles-PAK", "profiles-IRN", "profiles-TKM"]
    assert sorted(r.name for r in run.results) == sorted(names)
    for name, country in zip(names, ("PAK", "IRN", "TKM"), strict=True):
        executed = nbformat.read(out / f"{name}.ipynb", as_version=4)
        injected = next(
            c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])
        )
        assert f'country = "{country}"' in injected.source  # each got its own country
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        label = {"PAK": "Pakistan", "IRN": "Iran", "TKM": "Turkmenistan"}[country]
        assert f"<strong>{label}.</strong>" in page  # the summary speaks of that country
    manifest = json.loads((out / "manifest.json").read_text())
    assert {manifest["reports"][n]["matrix"]["name"] for n in names} == {"profiles"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<h2 id="matrix-profiles">') == 1 and index.count("<table") == 1
    assert "<th>report</th><th>country</th>" in index
    for name in names:
        assert f'href="{name}.html"' in index
