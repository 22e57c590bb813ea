"""notebooks/regional_risk.ipynb runs under plain papermill with defaults and other valid
parameters; a bad parameter stops it in the check cell right after the parameters, in one line."""

from __future__ import annotations

import nbformat
import notebook_runs
import pytest
from conftest import FIXTURES, REPO
from notebook_runs import checked_output, figures
from papermill.exceptions import PapermillExecutionError

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "regional_risk.ipynb"


def run(tmp_path, **parameters):
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def key_table(nb) -> str:
    return checked_output(nb, "text/plain")


def titles(nb) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(nb)]


def value(table: str, figure: str) -> float:
    """The value printed after ``figure`` in the key-figures table's text."""
    line = next(line for line in table.splitlines() if figure in line)
    return float(line.split(figure, 1)[1].split()[0])


def markdown_outputs(nb) -> str:
    return "\n".join(
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/markdown" in o.get("data", {})
    )


def test_defaults_draw_every_chart_and_the_known_figures(tmp_path):
    nb = run(tmp_path)
    names = titles(nb)
    assert len(names) == 9
    for start in (
        "Exposure to militant threats",
        "The shift: exposure after minus before",
        "How robust is the ranking?",
        "Organised-violence deaths by country and year",
        "State-based battle deaths by actor",
        "The article's risk claims",
    ):
        assert any(n.startswith(start) for n in names), start
    table = key_table(nb)
    assert value(table, "Pakistan, organised-violence deaths 2024") == 1885
    assert value(table, "Pakistan–TTP battle deaths 2021") == 259
    assert value(table, "Pakistan–TTP battle deaths 2023") == 752
    assert value(table, "TTP change 2015–2017→2022–2023: contradicted") == -372.3
    assert value(table, "TTP change 2018–2020→2022–2023: supported") == 462.7
    prose = markdown_outputs(nb)
    assert "1,954 in 2015, 148 in 2019, 752 in 2023" in prose
    assert "**contradicted**" in prose and "**supported**" in prose


def test_other_focus_window_and_weights(tmp_path):
    nb = run(
        tmp_path,
        focus_countries=["PAK", "IRN"],
        baseline_years=[2015, 2017],
        weight_strong=5.0,
    )
    battle = next(f for f in figures(nb) if f["layout"]["title"]["text"].startswith("State-based"))
    panels = [
        a["text"]
        for a in battle["layout"]["annotations"]
        if a["text"] in ("Pakistan", "Iran", "Russia")
    ]
    assert panels == ["Pakistan", "Iran"]
    table = key_table(nb)
    assert value(table, "Largest seed-assessed shift: China") == 16  # strong 5: CHN 16, PAK 15
    change = next(
        f for f in figures(nb) if f["layout"]["title"]["text"].startswith("Deaths per year")
    )
    assert change["layout"]["title"]["text"].endswith("2015–2017 vs 2022–2024")
    claims_html = next(
        o["data"]["text/html"]
        for c in nb.cells
        if "claims_vs_outcomes" in c.source
        for o in c.outputs
        if "text/html" in o.get("data", {})
    )
    assert "2015–2017: 995.3/yr → 2022–2023: 623/yr" in claims_html


def test_data_dir_replaces_the_seed_tables(tmp_path):
    nb = run(tmp_path, data_dir=str(FIXTURES / "risk"))
    assert value(key_table(nb), "Largest seed-assessed shift: Russia") == 3


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"focus_countries": ["PAK", "XYZ"]},
            "parameter 'focus_countries': unknown ISO3 code 'XYZ'",
        ),
        (
            {"baseline_years": [2020, 2018]},
            "parameter 'baseline_years' must be a list [start, end]",
        ),
        ({"weight_strong": -1.0}, "parameter 'weight_strong' must be a number between 0 and 100"),
    ],
    ids=["unknown_iso3", "reversed_years", "negative_weight"],
)
def test_bad_value_stops_in_the_check_cell(tmp_path, parameters, message):
    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, **parameters)
    assert err.value.ename == "ParameterError"
    assert message in err.value.evalue
    assert err.value.traceback == [f"ParameterError: {err.value.evalue}"]  # one line, no trace
    nb = nbformat.read(tmp_path / "regional_risk.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]  # papermill adds markdown error banners
    tags = [c.metadata.get("tags", []) for c in code]
    injected = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    assert "parameters" in tags[injected - 1]
    failed = next(i for i, c in enumerate(code) if c.source == err.value.source)
    assert failed == injected + 1  # the code cell right after the (injected) parameters
    assert "check_parameters" in code[failed].source
    assert not any(c.outputs for c in code[failed + 1 :])  # nothing ran after it
