"""notebooks/brief.ipynb runs with its defaults (the session's render of every report) and
under plain papermill with an earlier as_of; its headline counts are robust verdicts with the
chosen-window verdict beside them, its prose follows as_of and the thresholds, it exports its
figures and verdicts; a bad as_of stops it in the check cell."""

from __future__ import annotations

import nbformat
import notebook_runs
import pytest
from conftest import REPO
from notebook_runs import checked_output, exported, figures, markdown_outputs, markdown_sources
from papermill.exceptions import PapermillExecutionError

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "brief.ipynb"


def run(tmp_path, **parameters):
    """A fresh execution: for the failure paths."""
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def shared(tmp_path_factory, **parameters):
    """The session's one execution with ``parameters`` (read-only: each caller gets a copy)."""
    return notebook_runs.shared_run(NOTEBOOK, tmp_path_factory, **parameters)


def key_table(nb) -> str:
    return checked_output(nb, "text/html")


@pytest.fixture(scope="module")
def defaults(rendered_reports):
    return notebook_runs.rendered(rendered_reports, NOTEBOOK.stem)


def test_defaults(defaults):
    assert len(figures(defaults)) == 4
    table = key_table(defaults)
    for text in ("9.5", "not stated", "1,885", "752", "Asia Times (2021)"):
        assert text in table


def test_the_brief_shows_robust_verdicts_with_their_counts_and_the_chosen_windows_beside(defaults):
    table = key_table(defaults)
    for verdict in ("robust", "fragile", "contradicted", "not measurable"):
        assert f"Claim tests {verdict}" in table
    assert "specifications (robust verdicts)" in table
    assert "Claim tests on the chosen windows alone" in table
    chart = next(
        f for f in figures(defaults) if f["layout"]["title"]["text"].startswith("How the article")
    )
    hovers = " ".join(h for t in chart["data"] for h in (t.get("hovertext") or []))
    assert "caveat:" in hovers and "chosen windows:" in hovers
    bundle = exported(defaults)
    assert bundle["report"] == "brief" and bundle["verdicts"]
    assert all(v["caveat"] and "counts" in v for v in bundle["verdicts"])
    ids = [f["id"] for f in bundle["figures"]]
    assert "claim_tests_robust" in ids and len(ids) == len(set(ids))


def test_no_data_dependent_number_is_typed_into_the_prose(defaults):
    typed = markdown_sources(defaults)
    for fact in ("v25.1", "2015–2024", "2018–2020", "2022–2024", "9.5 bn", "460"):
        assert fact not in typed, fact
    prose = markdown_outputs(defaults)
    assert "2018–2020 against 2022–2024" in prose and "9.5 bn USD" in prose


def test_an_earlier_as_of_leaves_out_what_came_after_and_the_text_follows(tmp_path_factory):
    nb = shared(tmp_path_factory, as_of="2023-12-31", robust_share=0.9)
    prose = markdown_outputs(nb)
    assert "2018–2020 against 2022–2023" in prose and "2022–2024" not in prose
    assert "at least 90% of the measurable specifications" in prose
    table = key_table(nb)
    assert "2024" not in table


def test_before_any_year_after_the_withdrawal_nothing_is_judged(tmp_path_factory):
    nb = shared(tmp_path_factory, as_of="2021-12-31")
    table = key_table(nb)
    assert "White House" not in table and "2024" not in table
    assert "Claim tests" not in table
    assert len(figures(nb)) == 4  # the observed panels say nothing is observable yet
    assert exported(nb)["verdicts"] == []


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
