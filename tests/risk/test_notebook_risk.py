"""notebooks/regional_risk.ipynb runs with its defaults (the session's render of every report)
and under plain papermill with other valid parameters (its prose and verdicts follow them); it
exports its key figures and verdicts; a bad parameter stops it in the check cell right after
the parameters, in one line."""

from __future__ import annotations

import nbformat
import notebook_runs
import pytest
from conftest import FIXTURES, REPO
from notebook_runs import checked_output, exported, figures, markdown_outputs, markdown_sources
from papermill.exceptions import PapermillExecutionError

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "regional_risk.ipynb"


def run(tmp_path, **parameters):
    """A fresh execution: for the failure paths."""
    return notebook_runs.run(NOTEBOOK, tmp_path, **parameters)


def shared(tmp_path_factory, **parameters):
    """The session's one execution with ``parameters`` (read-only: each caller gets a copy)."""
    return notebook_runs.shared_run(NOTEBOOK, tmp_path_factory, **parameters)


def key_table(nb) -> str:
    return checked_output(nb, "text/plain")


def titles(nb) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(nb)]


def value(table: str, figure: str) -> float:
    """The value printed after ``figure`` in the key-figures table's text."""
    line = next(line for line in table.splitlines() if figure in line)
    return float(line.split(figure, 1)[1].split()[0])


@pytest.fixture(scope="module")
def defaults(rendered_reports):
    return notebook_runs.rendered(rendered_reports, NOTEBOOK.stem)


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    return shared(
        tmp_path_factory,
        focus_countries=["PAK", "IRN"],
        baseline_years=[2015, 2017],
        comparison_years=[2022, 2023],
        weight_strong=5.0,
        min_change_deaths=10.0,
        min_change_percent=50.0,
        robust_share=0.99,
    )


def test_defaults_draw_every_chart_and_the_known_figures(defaults):
    names = titles(defaults)
    assert len(names) == 11
    for start in (
        "Exposure to militant threats",
        "The shift: exposure after minus before",
        "How robust is the ranking?",
        "Organised-violence deaths by country and year",
        "State-based battle deaths by actor",
        "How the article's risk claims hold up across specifications",
        "Specification curves",
        "Afghanistan: ISIS-K",
    ):
        assert any(n.startswith(start) for n in names), start
    table = key_table(defaults)
    assert value(table, "Pakistan–TTP battle deaths 2021") == 259
    assert value(table, "TTP change 2015–2017→2022–2023: contradicted") == -372.3
    assert value(table, "TTP change 2018–2020→2022–2023: supported") == 462.7
    prose = markdown_outputs(defaults)
    assert "1,954 in 2015" in prose and "752 in 2023" in prose


def test_no_data_dependent_number_is_typed_into_the_prose(defaults):
    typed = markdown_sources(defaults)
    for fact in ("v25.1", "v24.1", "2015–2024", "to 2023", "after 2017", "after 2022"):
        assert fact not in typed, fact
    prose = markdown_outputs(defaults)
    assert "v25.1" in prose and "2015–2024" in prose  # written from the data instead


def test_the_robust_verdicts_sit_beside_the_chosen_windows_with_caveats(defaults):
    prose = markdown_outputs(defaults)
    assert "On the chosen windows alone (2018–2020 against 2022–2024" in prose
    assert "a change counts only from **25 deaths a year and 20 %**" in prose
    bundle = exported(defaults)
    verdicts = {v["id"]: v for v in bundle["verdicts"]}
    assert {"verdict_c18", "verdict_c32_neighbours", "verdict_c32_west"} <= set(verdicts)
    for v in verdicts.values():
        assert v["caveat"] and v["tested"] and v["chosen_verdict"]
        counts = v["counts"]
        assert (
            counts["supported"] + counts["contradicted"] + counts["not_measurable"]
            == (counts["specifications"])
        )
    robust_chart = next(
        f for f in figures(defaults) if f["layout"]["title"]["text"].startswith("How the article")
    )
    hovers = " ".join(h for t in robust_chart["data"] for h in (t.get("hovertext") or []))
    assert hovers.count("caveat:") >= len(verdicts)


def test_other_windows_and_thresholds_change_the_text_and_the_verdicts(defaults, other):
    prose = markdown_outputs(other)
    assert "a baseline of 2015–2017 against a comparison of 2022–2023" in prose
    assert "On the chosen windows alone (2015–2017 against 2022–2023" in prose
    assert "**10 deaths a year and 50 %**" in prose and "**99%**" in prose
    assert "2018–2020 against 2022–2024" not in prose
    battle = next(
        f for f in figures(other) if f["layout"]["title"]["text"].startswith("State-based")
    )
    panels = [
        a["text"]
        for a in battle["layout"]["annotations"]
        if a["text"] in ("Pakistan", "Iran", "Russia")
    ]
    assert panels == ["Pakistan", "Iran"]
    assert value(key_table(other), "Largest seed-assessed shift: China") == 16  # strong 5
    west = {v["id"]: v for v in exported(other)["verdicts"]}["verdict_c32_west"]
    default_west = {v["id"]: v for v in exported(defaults)["verdicts"]}["verdict_c32_west"]
    assert default_west["verdict"] == "robust" and west["verdict"] != "robust"  # 99 % needed


def test_exported_ids_are_stable_across_parameters(defaults, other):
    ids = [f["id"] for f in exported(defaults)["figures"]]
    assert len(ids) == len(set(ids))
    assert {v["id"] for v in exported(defaults)["verdicts"]} == {
        v["id"] for v in exported(other)["verdicts"]
    }
    shared = {"pakistan_ttp_battle_deaths_2021", "claim_tests_robust_grid"}
    assert shared <= set(ids) and shared <= {f["id"] for f in exported(other)["figures"]}


def test_data_dir_replaces_the_seed_tables(tmp_path_factory):
    nb = shared(tmp_path_factory, data_dir=str(FIXTURES / "risk"))
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
        ({"robust_share": 0.4}, "parameter 'robust_share' must be a number between 0.51 and 1"),
    ],
    ids=["unknown_iso3", "reversed_years", "robust_share_not_a_majority"],
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
