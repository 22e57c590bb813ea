"""notebooks/funding_freezes.ipynb runs with its defaults (the session's render of every
report) and under plain papermill with others; a bad value stops at the check cell."""

from __future__ import annotations

import json

import nbformat
import notebook_runs
import papermill as pm
import pytest
from conftest import FIXTURES, REPO
from notebook_runs import exported, figures, markdown_outputs, markdown_sources

NOTEBOOK = REPO / "notebooks" / "funding_freezes.ipynb"


def run(tmp_path, **parameters):
    """A fresh execution: for the failure paths."""
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def shared(tmp_path_factory, **parameters):
    """The session's one execution with ``parameters`` (read-only: each caller gets a copy)."""
    return notebook_runs.shared_run(NOTEBOOK, tmp_path_factory, **parameters)


pytestmark = pytest.mark.slow


def key_figures_text(nb) -> str:
    cells = [c for c in nb.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert len(cells) == 1 and cells[0].metadata.get("keep_output") is True
    (output,) = cells[0].outputs
    return output["data"]["text/plain"] + output["data"]["text/html"]


def test_declared_parameters_and_the_checked_cell():
    """What the issue asks of this notebook's cells (conventions shared by all notebooks are
    checked in test_notebooks.py)."""
    declared = pm.inspect_notebook(str(NOTEBOOK))
    types = {name: d["inferred_type_name"] for name, d in declared.items()}
    assert types == {
        "as_of": "str",
        "unit": "str",
        "compare_countries": "list",
        "show_context": "bool",
        "data_dir": "str",
    }
    assert all(d["help"] for d in declared.values())
    nb = nbformat.read(NOTEBOOK, as_version=4)
    checked = [c for c in nb.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert len(checked) == 1
    assert "analysis.funding.key_figures(funding, wdi, actors, as_of=P.as_of, unit=P.unit)" in (
        checked[0].source
    )
    assert checked[0].metadata.get("keep_output") is True
    unchecked = [c for c in nb.cells if c.cell_type == "code" and c not in checked]
    assert all(not c.outputs and c.execution_count is None for c in unchecked)


def test_defaults(rendered_reports):
    nb = notebook_runs.rendered(rendered_reports, NOTEBOOK.stem)
    figs = figures(nb)
    assert len(figs) == 7  # composition, measures, timeline + four context charts
    titles = [f["layout"]["title"]["text"] for f in figs]
    assert titles[0].startswith("Afghan central bank reserves")
    assert "Afghanistan reports none after 2020" in titles[3]
    assert all(any(a.get("name") == "source-line" for a in f["layout"]["annotations"])
               for f in figs)  # fmt: skip
    composition = json.dumps(figs[0]["data"])
    assert "US-held: executive order" in composition
    measures = json.dumps(figs[1]["data"])
    assert "halted, amount not stated" in measures
    table = key_figures_text(nb)
    for text in ("9.5", "2.5", "0.46", "not stated", "bn USD", "wh-eo-2022-02-11", "-20.7"):
        assert text in table
    assert "9,500" not in table
    prose = markdown_outputs(nb)
    assert "About 7 bn USD of the 9.5 bn USD" in prose
    assert "for the comparison countries it stays at or under" in prose and "Tajikistan" in prose
    typed = markdown_sources(nb)
    for fact in ("under 8 per cent", "a fifth", "9.5 bn", "460 m", "after 2020"):
        assert fact not in typed, fact
    bundle = exported(nb)
    by_id = {f["id"]: f for f in bundle["figures"]}
    assert by_id["central_bank_reserves_held_total"]["value"] == 9.5
    assert by_id["funding_halted_by_world_bank"]["value"] is None  # not stated, never 0


def test_non_default_parameters(tmp_path_factory):
    nb = shared(tmp_path_factory, unit="m", compare_countries=["PAK", "CHN"], show_context=False,
             as_of="2021-12-31")  # fmt: skip
    figs = figures(nb)
    assert len(figs) == 3  # no context charts
    assert figs[0]["layout"]["yaxis"]["title"]["text"] == "Amount (m USD)"
    assert "US-held: executive order" not in json.dumps(figs[0]["data"])
    assert "11 Feb 2022" not in json.dumps(figs[2]["data"])  # timeline stops at as_of
    table = key_figures_text(nb)
    for text in ("9,500", "7,000", "2,500", "460", "m USD", "32.7"):
        assert text in table
    assert "wh-eo-2022-02-11" not in table
    prose = markdown_outputs(nb)
    assert "About 7,000 m USD of the 9,500 m USD" in prose  # the unit follows
    assert "Tajikistan" not in prose  # the comparison countries follow


def test_data_dir_replaces_the_shipped_tables(tmp_path_factory):
    nb = shared(tmp_path_factory, data_dir=str(FIXTURES / "funding"), compare_countries=["CHN"])
    figs = figures(nb)
    assert len(figs) == 7
    assert "20 Aug 2021" in json.dumps(figs[2]["data"])  # the fixture's invented tie (R005)
    assert [t["name"] for t in figs[5]["data"]] == ["Afghanistan", "China"]


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"compare_countries": ["XXX"]}, "parameter 'compare_countries': unknown ISO3 code 'XXX'"),
        ({"unit": "kg"}, "parameter 'unit' must be one of 'bn', 'm'; got 'kg'"),
        ({"as_of": "2021-13-01"}, "parameter 'as_of' must be an ISO date YYYY-MM-DD"),
    ],
    ids=["unknown-iso3", "unit-kg", "malformed-date"],
)
def test_bad_value_stops_at_the_check_cell(tmp_path, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, **parameters)
    assert info.value.ename == "ParameterError"
    assert message in info.value.evalue
    assert "\n" not in info.value.evalue  # one line
    nb = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    # papermill adds red marker cells around the error; they are not the report's cells
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    injected = next(
        i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])
    )
    failed = [
        i
        for i, c in enumerate(cells)
        if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert failed == [injected + 1]
    assert "check_parameters" in cells[injected + 1].source
    assert all(c.get("execution_count") is None for c in cells[injected + 2 :] if "outputs" in c)
    assert figures(nb) == []
