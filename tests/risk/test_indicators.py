"""The observed series claims are tested on: exact where UCDP separates them, a range where a total
is shared, not measurable (never zero) where UCDP lists nothing; on UCDP's low, best and high
estimates. Expected values are read from the raw frames in each test."""

from __future__ import annotations

import math

import pytest

import analysis
from analysis import risk


@pytest.fixture(scope="module")
def obs():
    return risk.load_observed()


@pytest.fixture(scope="module")
def cy():
    return analysis.load_ucdp_country_year()


@pytest.fixture(scope="module")
def brd():
    return analysis.load_ucdp_brd()


def by_year(series):
    return series.set_index("year")


def cy_value(cy, iso3, year, violence_type, estimate="best"):
    rows = cy[(cy["iso3"] == iso3) & (cy["year"] == year) & (cy["violence_type"] == violence_type)]
    return float(rows[f"deaths_{estimate}"].iloc[0])


def test_jihadist_violence_in_france_counts_every_is_death(obs, cy):
    s = by_year(risk.indicator_series(obs, risk.jihadist(("FRA",))))
    # 2015: IS killed civilians in Paris; France's state-based row holds only Iraq–IS: both count
    expected = cy_value(cy, "FRA", 2015, "one_sided") + cy_value(cy, "FRA", 2015, "state_based")
    assert s.loc[2015, "deaths"] == expected
    # 2023: the DZ Mafia – Yoda gang war is not jihadist: only IS's one killing counts
    assert s.loc[2023, "deaths"] == cy_value(cy, "FRA", 2023, "one_sided")


def test_the_isis_k_reading_leaves_out_the_caucasus_province(obs, cy):
    isis_k = by_year(risk.indicator_series(obs, risk.is_civilians(("RUS",))))
    any_branch = by_year(risk.indicator_series(obs, risk.is_civilians(("RUS",), False)))
    assert any_branch.loc[2018, "deaths"] == cy_value(cy, "RUS", 2018, "one_sided") > 0
    assert isis_k.loc[2018, "deaths"] == 0  # the actor map reads Russia 2015-2020 as Caucasus
    assert isis_k.loc[2024, "deaths"] == cy_value(cy, "RUS", 2024, "one_sided")


def test_a_shared_state_based_total_is_split_by_brd_where_brd_covers_it(obs, brd, cy):
    pak = by_year(
        risk.indicator_series(
            obs, risk.Indicator("family", ("PAK",), family="jihadist", types=("state_based",))
        )
    )
    rows = brd[(brd["year"] == 2023) & brd["location_iso3"].map(lambda loc: "PAK" in loc)]
    jihadist = rows[rows["side_b"].isin(["TTP", "IS", "TJP"])]["bd_best"].sum()
    # HGB is in the country-year dyad list but not in BRD (under 25 deaths): up to 24 more
    assert pak.loc[2023, "lower"] == jihadist
    assert pak.loc[2023, "upper"] == jihadist + 24
    assert math.isnan(pak.loc[2023, "deaths"])
    # after BRD's last year the shared intrastate total allows only the range 0 .. all of it
    # (the interstate part holds only the Afghanistan–Pakistan dyad: not jihadist, 0)
    assert pak.loc[2024, "lower"] == 0
    assert pak.loc[2024, "upper"] == cy_value(cy, "PAK", 2024, "state_based_intrastate")
    assert "not separable" in pak.loc[2024, "status"]


def test_an_actor_ucdp_does_not_list_is_not_measurable_never_zero(obs):
    etim = by_year(risk.indicator_series(obs, risk.Indicator("actors", ("CHN",), actors=("ETIM",))))
    assert etim.loc[2017, "deaths"] > 0
    assert math.isnan(etim.loc[2022, "deaths"]) and math.isinf(etim.loc[2022, "upper"])
    assert etim.loc[2022, "status"] == "not in UCDP this year"


def test_the_afghanistan_pakistan_dyad_sums_both_states_rows(obs, cy):
    s = by_year(risk.indicator_series(obs, risk.AFGHANISTAN_PAKISTAN))
    expected = cy_value(cy, "AFG", 2024, "state_based_interstate") + cy_value(
        cy, "PAK", 2024, "state_based_interstate"
    )
    assert s.loc[2024, "deaths"] == expected
    assert s.loc[2020, "deaths"] == 0  # no dyad: a measured zero


def test_estimates_order_low_best_high(obs):
    ind = risk.organised(("PAK", "IND"))
    best, low, high = (
        by_year(risk.indicator_series(obs, ind, e))["deaths"] for e in risk.ESTIMATES
    )
    assert (low <= best).all() and (best <= high).all() and (low < high).any()


def test_brd_series_after_its_coverage_is_left_out_not_zero(obs, brd):
    s = risk.indicator_series(obs, risk.PAKISTAN_TTP)
    assert s["year"].max() == brd["year"].max()
    assert s.attrs["covered"][1] == brd["year"].max()
    w = risk.window(s, range(2022, 2025))
    assert w.used == (2022, 2023)


def test_windows_text_names_the_years_used():
    assert risk.years_text((2022, 2023, 2024)) == "2022–2024"
    assert risk.years_text((2022, 2024)) == "2022, 2024"
    assert risk.years_text(()) == "not covered"


def test_ranges_of_totals_and_of_an_actor(obs):
    totals = risk.totals_with_ranges(obs).set_index(["iso3", "year"])
    pak = totals.loc[("PAK", 2024)]
    assert pak["deaths_low"] <= pak["deaths"] <= pak["deaths_high"]
    rus = totals.loc[("RUS", 2024)]
    assert math.isnan(rus["deaths_high"])  # the high estimate is out of order there
    is_iran = risk.actor_deaths_with_ranges(obs, "IS", ["IRN"], ["one_sided"]).set_index("year")
    assert is_iran.loc[2024, "deaths_low"] <= is_iran.loc[2024, "deaths"]


def test_an_unknown_estimate_is_refused(obs):
    with pytest.raises(ValueError, match="estimate must be one of"):
        risk.indicator_series(obs, risk.PAKISTAN_TTP, "median")
