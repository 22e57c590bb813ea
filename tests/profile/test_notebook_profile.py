"""notebooks/risk_profile.ipynb runs with its defaults (the session's render of every report)
and under plain papermill with other valid parameters; a bad parameter stops it in the check
cell right after the parameters, in one line."""

from __future__ import annotations

import notebook_runs
import pytest
from conftest import REPO
from notebook_runs import checked_output, figures
from papermill.exceptions import PapermillExecutionError

from analysis.figures import MIME

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "risk_profile.ipynb"


def run(tmp_path, **parameters):
    """A fresh execution: for the failure paths."""
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def shared(tmp_path_factory, **parameters):
    """The session's one execution with ``parameters`` (read-only: each caller gets a copy)."""
    return notebook_runs.shared_run(NOTEBOOK, tmp_path_factory, **parameters)


def exported(nb) -> dict:
    return next(
        o["data"][MIME] for c in nb.cells for o in c.get("outputs", []) if MIME in o.get("data", {})
    )


def test_defaults_profile_pakistan_and_export_its_key_figures(rendered_reports):
    nb = notebook_runs.rendered(rendered_reports, NOTEBOOK.stem)
    titles = [f["layout"]["title"]["text"] for f in figures(nb)]
    assert len(titles) == 4
    assert titles[0] == "Pakistan: whose threat the seed article sees, before and after"
    table = checked_output(nb)
    assert "Battle deaths in conflicts located in Pakistan" in table
    bundle = exported(nb)
    assert bundle["report"] == "risk_profile"
    ids = [f["id"] for f in bundle["figures"]]
    assert ids == [
        "exposure_after",
        "exposure_shift",
        "statements_after",
        "deaths_baseline",
        "deaths_comparison",
        "deaths_change",
        "battle_deaths",
    ]


def test_another_country_and_windows(tmp_path_factory):
    nb = shared(
        tmp_path_factory, country="TKM", baseline_years=[2015, 2017], violence_types=["one_sided"]
    )
    titles = [f["layout"]["title"]["text"] for f in figures(nb)]
    assert titles[0].startswith("Turkmenistan: whose threat")
    assert any(t.endswith("2015–2017 vs 2022–2024") for t in titles)
    labels = {f["id"]: f["label"] for f in exported(nb)["figures"]}
    assert labels["deaths_baseline"].endswith("2015–2017")


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"country": "XYZ"}, "parameter 'country' must be one of 'AFG', 'PAK'"),
        ({"comparison_years": [2024, 2022]}, "parameter 'comparison_years' must be a list"),
    ],
    ids=["unknown_country", "reversed_years"],
)
def test_bad_value_stops_in_the_check_cell(tmp_path, parameters, message):
    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, **parameters)
    assert err.value.ename == "ParameterError" and message in err.value.evalue
    assert err.value.traceback == [f"ParameterError: {err.value.evalue}"]  # one line, no trace
    assert "check_parameters" in err.value.source
