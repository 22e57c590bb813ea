"""The brief: as_of windows, headline figures with sources and qualifiers, links to the reports."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from conftest import REPO

import analysis
from analysis import brief, risk
from analysis.exceptions import DataError


@pytest.fixture(scope="module")
def obs():
    return risk.load_observed(list(brief.VIOLENCE_TYPES), None)


@pytest.mark.parametrize(
    "as_of, comparison",
    [
        ("2025-12-31", (2022, 2024)),  # capped at the last UCDP year
        ("2024-12-31", (2022, 2024)),
        ("2024-12-30", (2022, 2023)),  # 2024 is not a full year yet
        ("2022-12-31", (2022, 2022)),
        ("2022-06-30", None),
        ("2021-09-01", None),
    ],
)
def test_comparison_window_ends_at_the_last_full_year(as_of, comparison):
    assert brief.windows(as_of) == brief.Windows((2018, 2020), comparison)


def test_headline_figures_have_a_source_and_qualifier_each(obs):
    win = brief.windows("2024-12-31")
    table = brief.headline_figures("2024-12-31", obs, brief.verdicts(obs, win))
    assert list(table.columns) == ["figure", "value", "unit", "qualifier", "source"]
    assert table["source"].str.len().gt(0).all()
    by_figure = table.set_index("figure")
    assert by_figure.loc["Central bank reserves held (total)", "value"] == "9.5"
    assert by_figure.loc["Pakistan, organised-violence deaths 2024", "value"] == "1,885"
    assert by_figure.loc["Pakistan–TTP battle deaths 2023", "value"] == "752"
    halted = by_figure.loc["Funding halted by World Bank"]
    assert (halted["value"], halted["qualifier"]) == ("not stated", "amount not stated")
    litigation = table[table["figure"].str.contains("litigation")].iloc[0]
    assert litigation["qualifier"].startswith("more than")  # never a bare 3.5
    assert not table["qualifier"].str.contains("derived").any()  # stated figures only


@pytest.fixture(scope="module")
def robust(obs):
    win = brief.windows("2024-12-31", obs.last_year)
    return brief.robust(obs, win, "2024-12-31")[1]


def test_headline_counts_are_robust_verdicts_with_the_chosen_windows_beside(obs, robust):
    win = brief.windows("2024-12-31", obs.last_year)
    claims = brief.verdicts(obs, win)
    table = brief.headline_figures("2024-12-31", obs, claims, robust=robust).set_index("figure")
    for verdict in risk.ROBUST_VERDICTS:
        expected = int((robust["robust_verdict"] == verdict).sum())
        assert table.loc[f"Claim tests {verdict}", "value"] == str(expected)
        assert "specifications" in table.loc[f"Claim tests {verdict}", "qualifier"]
    chosen = table.loc["Claim tests on the chosen windows alone"]
    tally = claims["verdict"].value_counts()
    assert chosen["value"] == " / ".join(
        str(int(tally.get(v, 0))) for v in ("supported", "contradicted", "not measurable")
    )
    assert "beside the robust verdicts" in chosen["qualifier"]


def test_the_chosen_windows_never_stand_alone_in_the_headlines(obs, robust):
    win = brief.windows("2024-12-31", obs.last_year)
    table = brief.headline_figures("2024-12-31", obs, brief.verdicts(obs, win), robust=robust)
    verdict_rows = table[table["figure"].str.startswith("Claim tests")]
    assert len(verdict_rows) == len(risk.ROBUST_VERDICTS) + 1


def test_as_of_before_the_executive_order_drops_its_figures(obs):
    win = brief.windows("2021-12-31")
    table = brief.headline_figures("2021-12-31", obs, brief.verdicts(obs, win))
    assert not table["source"].str.contains("White House").any()
    assert not table["figure"].str.startswith("Claim tests").any()  # nothing observed yet
    assert "Afghanistan, organised-violence deaths 2020" in set(table["figure"])


def test_no_comparison_year_gives_a_panel_that_says_so(obs):
    win = brief.windows("2021-12-31")
    assert brief.verdicts(obs, win) is None
    assert brief.verdict_table(None).empty
    fig = brief.claims_figure(None, "2021-12-31")
    assert "no full year after the withdrawal" in fig.layout.annotations[0].text


def test_source_label_names_publisher_and_year_or_dataset():
    sources = analysis.load_sources()
    assert brief.source_label("asiatimes-2021-09", sources) == "Asia Times (2021)"
    assert brief.source_label("wdi", sources) == "World Development Indicators"
    with pytest.raises(DataError, match="unknown source 'blog'"):
        brief.source_label("blog", sources)


def test_charts_are_the_other_reports_charts(obs):
    """The brief reuses the report modules' chart functions: same titles, no copies."""
    win = brief.windows("2024-12-31", obs.last_year)
    _, robust = brief.robust(obs, win, "2024-12-31")
    assert brief.claims_figure(robust, "2024-12-31").layout.title.text == (
        risk.robust_chart(robust).layout.title.text
    )
    fig = brief.reserves_figure("2024-12-31")
    assert "Source:" in next(a.text for a in fig.layout.annotations if a.name == "source-line")


def test_the_brief_links_every_other_report_by_its_rendered_name():
    # risk_profile is rendered per country as a matrix (analysis/data/configs/neighbours.toml);
    # linking its pages from the brief is left to the brief's owners
    names = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")} - {"brief", "risk_profile"}
    assert {name for name, _, _ in brief.REPORTS} == names
    nb = nbformat.read(REPO / "notebooks" / "brief.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for name in names:
        assert f"]({name}.html)" in text


def test_verdict_table_keeps_one_row_per_test_with_its_caveat(robust):
    table = brief.verdict_table(robust)
    assert len(table) == len(robust)
    assert set(table["robust_verdict"]) <= set(risk.ROBUST_VERDICTS)
    assert table["caveat"].str.len().min() > 10  # no verdict without its caveat
    assert table["chosen_verdict"].notna().all() and table["tested"].notna().all()
    assert isinstance(table, pd.DataFrame)


def test_brief_prose_follows_as_of_and_thresholds(obs, robust):
    late = brief.windows("2024-12-31", obs.last_year)
    early = brief.windows("2023-12-31", obs.last_year)
    assert "2018–2020 against 2022–2024" in brief.observed_text(late)
    assert "2018–2020 against 2022–2023" in brief.observed_text(early)
    assert "2022–2023" in brief.headline_intro(early, "2023-12-31")
    strict = risk.Thresholds(min_change_deaths=40, robust_share=0.9)
    text = brief.claims_text(robust, late, strict)
    assert "40 deaths a year" in text and "90%" in text
    assert "No full year" in brief.claims_text(None, brief.windows("2021-12-31"), strict)


def test_brief_caveats_are_read_from_the_data(obs):
    text = brief.caveats_text(obs, "2024-12-31")
    assert "Read as ISIS-K (ucdp_actor_map.csv)" in text
    assert "ETIM has no UCDP dyad after 2017" in text
    assert "reported up to 2020" in text  # Afghanistan's last WDI reserves year
