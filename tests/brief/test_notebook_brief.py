"""notebooks/brief.ipynb runs under plain papermill with defaults and an earlier as_of; a bad
as_of stops it in the check cell."""

from __future__ import annotations

import nbformat
import notebook_runs
import pytest
from conftest import REPO
from notebook_runs import checked_output, figures
from papermill.exceptions import PapermillExecutionError

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "brief.ipynb"


def run(tmp_path, **parameters):
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def key_table(nb) -> str:
    return checked_output(nb, "text/html")


def n_figures(nb) -> int:
    return len(figures(nb))


def test_defaults(tmp_path):
    nb = run(tmp_path)
    assert n_figures(nb) == 4
    table = key_table(nb)
    for text in ("9.5", "not stated", "1,885", "752", "Asia Times (2021)"):
        assert text in table


def test_an_earlier_as_of_leaves_out_what_came_after(tmp_path):
    nb = run(tmp_path, as_of="2021-12-31")
    table = key_table(nb)
    assert "White House" not in table and "2024" not in table
    assert n_figures(nb) == 4  # the observed panels say nothing is observable yet


def test_a_malformed_as_of_stops_at_the_check_cell(tmp_path):
    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, as_of="2021-13-01")
    assert err.value.ename == "ParameterError"
    assert "parameter 'as_of' must be an ISO date YYYY-MM-DD; got '2021-13-01'" in err.value.evalue
    nb = nbformat.read(tmp_path / "brief.ipynb", as_version=4)
    failed = [
        c
        for c in nb.cells
        if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.outputs)
    ]
    assert len(failed) == 1 and "check_parameters" in failed[0].source
