"""notebooks/actor_network.ipynb runs with its defaults (the session's render of every report)
and under plain papermill with other valid parameters; a bad parameter stops it in the check
cell right after the parameters, in one line."""

from __future__ import annotations

import re

import nbformat
import notebook_runs
import pytest
from conftest import FIXTURES, REPO
from notebook_runs import checked_output, exported, figures
from papermill.exceptions import PapermillExecutionError

from analysis import network

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "actor_network.ipynb"


def run(tmp_path, **parameters):
    """A fresh execution: for the failure paths."""
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def shared(tmp_path_factory, **parameters):
    """The session's one execution with ``parameters`` (read-only: each caller gets a copy)."""
    return notebook_runs.shared_run(NOTEBOOK, tmp_path_factory, **parameters)


def key_table(nb) -> str:
    return checked_output(nb, "text/plain")


def footer(fig: dict) -> str:
    return next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "source-line")


def index_rows(table_text: str) -> list[str]:
    """Row labels (the first column) of a captioned table's text: caption and header skipped."""
    lines = table_text.split("\n\n")[0].splitlines()[2:]
    return [re.split(r"\s{2,}", line.strip())[0] for line in lines if line.strip()]


def test_defaults_draw_the_whole_network_around_the_taliban(rendered_reports):
    nb = notebook_runs.rendered(rendered_reports, NOTEBOOK.stem)
    network_fig, counts_fig = figures(nb)
    expected = network.relation_summary(network.load_graph())
    assert f"{expected.loc['all kinds', 'ties']} stated ties (every relation kind)" in footer(
        network_fig
    )
    names = [t.get("name") for t in network_fig["data"]]
    assert "focus: Taliban" in names and "threatens" in names and "freezes" in names
    assert counts_fig["layout"]["barmode"] == "stack"
    ties_html = next(
        o["data"]["text/html"]
        for c in nb.cells
        if "focus_ties" in c.source
        for o in c.outputs
        if "text/html" in o.get("data", {})
    )
    assert "freed several detained TTP fighters" in ties_html  # the Taliban free TTP fighters
    table = key_table(nb)
    assert index_rows(table)[0] == "threatens" and "all kinds" in table
    records = {f["id"]: f for f in exported(nb)["figures"]}
    assert records["ties_all_kinds"]["value"] == expected.loc["all kinds", "ties"]
    assert records["ties_threatens"]["value"] == expected.loc["threatens", "ties"]


def test_other_parameters_filter_the_network_and_move_the_focus(tmp_path_factory):
    nb = shared(
        tmp_path_factory,
        relation_kinds=["threatens", "attacks"],
        period="after",
        focus_actor="isis_k",
    )
    network_fig, _ = figures(nb)
    assert "(threatens, attacks), after 31 Aug 2021" in footer(network_fig)
    names = {t.get("name") for t in network_fig["data"]}
    assert "focus: Islamic State-Khorasan (ISIS-K)" in names
    assert not names & {"engages", "freezes", "seeks ties"}
    assert index_rows(key_table(nb)) == ["threatens", "attacks", "all kinds"]


def test_data_dir_replaces_the_shipped_tables(tmp_path_factory):
    nb = shared(tmp_path_factory, data_dir=str(FIXTURES / "network"))
    lines = key_table(nb).splitlines()
    total = next(line for line in lines if line.strip().startswith("all kinds")).split()
    assert total[2:5] == ["10", "3", "6"]  # ties, stated before, stated after in the fixture


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"focus_actor": "nobody"}, "parameter 'focus_actor': unknown actor 'nobody'"),
        ({"period": "later"}, "parameter 'period' must be one of 'before', 'after', 'both'"),
        (
            {"relation_kinds": ["likes"]},
            "parameter 'relation_kinds': unknown relation kind 'likes'",
        ),
    ],
    ids=["focus_actor", "period", "relation_kinds"],
)
def test_bad_value_stops_in_the_check_cell(tmp_path, parameters, message):
    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, **parameters)
    assert err.value.ename == "ParameterError"
    assert message in err.value.evalue
    assert err.value.traceback == [f"ParameterError: {err.value.evalue}"]  # one line, no trace
    nb = nbformat.read(tmp_path / "actor_network.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]  # papermill adds markdown error banners
    tags = [c.metadata.get("tags", []) for c in code]
    injected = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    assert "parameters" in tags[injected - 1]
    failed = next(i for i, c in enumerate(code) if c.source == err.value.source)
    assert failed == injected + 1  # the code cell right after the (injected) parameters
    assert "check_parameters" in code[failed].source
    assert not any(c.outputs for c in code[failed + 1 :])  # nothing ran after it
