"""A country's risk profile: the right country's statements and observations, numbers that agree
with the raw UCDP tables, missing (never zero) where the article does not assess a country, and
dataset versions read from the data."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import profile
from analysis.exceptions import ParameterError


@pytest.fixture(scope="module")
def pakistan() -> profile.Profile:
    return profile.country_profile("PAK")


@pytest.fixture(scope="module")
def india() -> profile.Profile:
    return profile.country_profile("IND")


def _figures(p) -> pd.DataFrame:
    return profile.key_figures(p).set_index("id")


def test_observed_deaths_agree_with_the_raw_country_year_table(pakistan):
    # no excluded dyad is located in Pakistan: its total is UCDP's own total
    cy = analysis.load_ucdp_country_year()
    total = cy[(cy.iso3 == "PAK") & (cy.violence_type == "total")].set_index("year")["deaths_best"]
    figures = _figures(pakistan)
    assert figures.loc["deaths_baseline", "value"] == round(total.loc[2018:2020].mean(), 1)
    assert figures.loc["deaths_comparison", "value"] == round(total.loc[2022:2024].mean(), 1)
    assert figures.loc["deaths_baseline", "label"].endswith("2018–2020")


def test_battle_deaths_agree_with_the_raw_brd_table_over_its_coverage(pakistan):
    brd = analysis.load_ucdp_brd()
    last = int(brd["year"].max())
    located = brd[brd["location_iso3"].apply(lambda codes: "PAK" in codes)]
    expected = located[located["year"].between(2022, last)]["bd_best"].sum()
    figure = _figures(pakistan).loc["battle_deaths"]
    assert figure["value"] == round(float(expected), 1)
    assert figure["label"].endswith(f"Pakistan, 2022–{last}")  # the window cut to the data
    assert figure["source"] == f"UCDP BRD v{brd['version'].iloc[0]}"  # read, not typed


def test_the_exposure_is_the_sum_of_the_statements_shown(pakistan):
    statements = profile.threat_table(pakistan)
    after = statements[statements["period"] == "after"]
    figures = _figures(pakistan)
    assert figures.loc["exposure_after", "value"] == round(after["contribution"].sum(), 1)
    assert figures.loc["statements_after", "value"] == len(after)
    assert set(after["subject"]) >= {"Tehrik-e-Taliban Pakistan (TTP)"}
    assert (statements["contribution"] > 0).all()


def test_a_country_the_article_does_not_assess_has_no_score_not_zero(india):
    figures = _figures(india)
    assert pd.isna(figures.loc["exposure_after", "value"])  # exported as None (below)
    assert pd.isna(figures.loc["exposure_shift", "value"])
    assert figures.loc["statements_after", "value"] == 0  # a count: zero statements
    assert (
        "no threat statement of the article reaches India" in figures.loc["exposure_after", "text"]
    )
    text = profile.summary(india)
    assert "no exposure score (not a score of zero)" in text
    records = analysis.figures.records(profile.key_figures(india))
    assert next(r for r in records if r["id"] == "exposure_after")["value"] is None


def test_the_summary_speaks_of_the_country_with_the_figures_numbers(pakistan):
    text = profile.summary(pakistan)
    figures = _figures(pakistan)
    assert text.startswith("**Pakistan.**")
    for key in ("deaths_baseline", "deaths_comparison", "deaths_change"):
        assert figures.loc[key, "text"] in text
    assert figures.loc["battle_deaths", "text"] in text
    assert text._repr_markdown_() == str(text)


def test_the_profile_follows_its_windows_and_violence_types():
    p = profile.country_profile("IRN", [2015, 2017], [2021, 2022], ["one_sided"])
    assert p.baseline == (2015, 2017) and p.violence_types == ("one_sided",)
    assert set(p.by_type["violence_type"]) == {"one_sided"} and set(p.by_type["iso3"]) == {"IRN"}
    assert _figures(p).loc["deaths_comparison", "label"].endswith("2021–2022")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"country": "XXX"}, "country must be one of AFG, PAK"),
        ({"country": "PAK", "baseline_years": [2022, 2023]}, "must end before comparison_years"),
        ({"country": "PAK", "violence_types": ["wars"]}, "violence_types must be"),
    ],
    ids=["country", "windows", "violence type"],
)
def test_bad_arguments_are_one_clear_error(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        profile.country_profile(**kwargs)


def test_the_country_rule_names_what_is_allowed():
    assert analysis.check_parameters(country="TKM").country == "TKM"
    with pytest.raises(ParameterError) as err:
        analysis.check_parameters(country="pak")
    assert str(err.value).startswith("parameter 'country' must be one of 'AFG', 'PAK', 'IRN'")


def test_the_threats_chart_draws_each_group_or_says_there_is_none(pakistan, india):
    fig = profile.threats_chart(pakistan)
    groups = set(profile.threat_table(pakistan)["subject"])
    assert {y for trace in fig.data for y in trace.y} == groups
    assert fig.layout.title.text.startswith("Pakistan: whose threat")
    assert any("Source: Asia Times" in a.text for a in fig.layout.annotations)
    empty = profile.threats_chart(india)
    assert all(not trace.y for trace in empty.data)  # no bars: not a bar of zero
    assert any(
        "No threat statement of the article reaches India" in a.text
        for a in empty.layout.annotations
    )


def test_the_tables_it_already_read_give_what_reading_them_again_gives(pakistan):
    # country_profile takes versions, years and the actor map from the tables load_observed
    # read instead of reading and validating them a second time
    assert (pakistan.versions, pakistan.covered) == profile.dataset_versions()
    again = analysis.observed.battle_deaths_by_group(
        analysis.load_ucdp_brd(), ["PAK"], analysis.load_ucdp_actor_map()
    )
    pd.testing.assert_frame_equal(pakistan.battle, again)
