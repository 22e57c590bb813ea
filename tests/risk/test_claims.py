"""Claims against outcomes on one specification: the rules with a minimum change and ranges, the
chosen-window table (every row with its caveat and scope), the window dependence, key figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import observed, risk
from analysis.exceptions import ParameterError
from analysis.risk.indicators import Window


@pytest.fixture(scope="module")
def obs():
    return risk.load_observed()


@pytest.fixture(scope="module")
def cy():
    return analysis.load_ucdp_country_year()


@pytest.fixture(scope="module")
def verdicts(obs):
    return risk.claims_vs_outcomes(analysis.load_claims(), obs)


def row(table, test):
    found = table[table["test"] == test]
    assert len(found) == 1, test
    return found.iloc[0]


def w(mean, lower=None, upper=None, years=(2022,)):
    lower = mean if lower is None else lower
    upper = mean if upper is None else upper
    return Window(mean, lower, upper, tuple(years))


# ---------------------------------------------------------------------------------------------
# The rules


@pytest.mark.parametrize(
    ("base", "comp", "verdict"),
    [
        (10, 40, "supported"),  # +30 a year and +300 %: both minimums reached
        (10, 30, "contradicted"),  # +20 a year: under 25 deaths a year
        (200, 230, "contradicted"),  # +30 a year but +15 %: under 20 %
        (200, 250, "supported"),  # +50 a year, +25 %
        (50, 10, "contradicted"),  # a fall
    ],
)
def test_a_rise_counts_only_above_the_minimum_change(base, comp, verdict):
    assert risk.judge("rise", w(comp), w(base))[0] == verdict


def test_no_rise_is_supported_by_a_fall_or_a_small_change_and_contradicted_by_a_clear_rise():
    assert risk.judge("no_rise", w(10), w(5))[0] == "supported"  # +5: not a rise that counts
    assert risk.judge("no_rise", w(2), w(10))[0] == "supported"
    assert risk.judge("no_rise", w(100), w(10))[0] == "contradicted"


def test_the_minimum_change_is_a_parameter():
    small = risk.MinChange(deaths=5, percent=10)
    assert risk.judge("rise", w(30), w(10), min_change=small)[0] == "supported"
    assert risk.judge("rise", w(30), w(10))[0] == "contradicted"
    with pytest.raises(ParameterError, match="minimum change in deaths must be >= 0"):
        risk.MinChange(deaths=-1)


def test_a_range_decides_only_when_all_of_it_agrees():
    shared = w(np.nan, 80, 171)  # a total shared with other dyads: only bounds
    assert risk.judge("exceeds", shared, versus=w(0)) == (
        "supported",
        "above by at least the minimum change",
    )
    assert risk.judge("rise", w(np.nan, 0, 100), w(50))[0] == "not measurable"
    assert risk.judge("rise", w(np.nan, 0, 10), w(100))[0] == "contradicted"
    verdict, why = risk.judge("rise", w(np.nan, 0, math.inf), w(5))
    assert verdict == "not measurable" and "not zero" in why  # missing is never zero


def test_zero_says_when_the_baseline_was_zero_too():
    assert risk.judge("zero", w(0), w(5)) == (
        "supported",
        "none recorded, after some in the baseline",
    )
    verdict, why = risk.judge("zero", w(0), w(0))
    assert verdict == "not measurable" and "baseline was zero too" in why
    assert risk.judge("zero", w(3), w(0))[0] == "contradicted"


def test_positive_reads_the_lower_bound():
    assert risk.judge("positive", w(np.nan, 80, 171))[0] == "supported"
    assert risk.judge("positive", w(0))[0] == "contradicted"
    assert risk.judge("positive", w(np.nan, 0, 5))[0] == "not measurable"


def test_a_window_the_data_do_not_cover_is_not_measurable():
    empty = Window(np.nan, np.nan, np.nan, ())
    assert risk.judge("rise", empty, w(5))[0] == "not measurable"


# ---------------------------------------------------------------------------------------------
# The chosen-window table on the shipped data


def test_every_risk_claim_and_every_claim_a_test_names_is_listed(verdicts):
    claims = analysis.load_claims()
    risk_ids = set(claims.loc[claims["topic"].isin(risk.RISK_TOPICS), "claim_id"])
    named = {t.claim_id for t in risk.CLAIM_TESTS if t.claim_id}
    phrases = [t.quote_has.casefold() for t in risk.CLAIM_TESTS if t.quote_has]
    quoted = {
        c.claim_id for c in claims.itertuples() if any(p in c.quote.casefold() for p in phrases)
    }
    assert set(verdicts["claim_id"]) == risk_ids | (named & set(claims["claim_id"])) | quoted
    assert set(verdicts["verdict"]) <= set(risk.VERDICTS)


def test_no_verdict_appears_without_its_caveat_and_scope(verdicts):
    assert verdicts["caveat"].str.len().min() > 10
    assert verdicts["target"].str.len().min() > 5
    assert verdicts["untested"].str.len().min() > 5
    assert verdicts["quote"].notna().all() and verdicts["rule"].str.len().min() > 10


def test_ttp_claim_is_supported_against_the_2018_2020_baseline(verdicts):
    r = row(verdicts, "C18")
    assert r["verdict"] == "supported"
    assert r["baseline_mean"] == pytest.approx((147 + 148 + 186) / 3)
    assert r["comparison_mean"] == pytest.approx((494 + 752) / 2)
    assert r["comparison_used"] == "2022–2023"  # BRD v24.1 ends in 2023
    assert r["evidence"].startswith("2018–2020: 160.3/yr → 2022–2023: 623/yr")


def test_isis_k_in_russia_is_the_2024_attack_and_china_has_none(verdicts):
    assert row(verdicts, "C12-china")["verdict"] == "contradicted"
    russia = row(verdicts, "C12-russia")
    assert russia["verdict"] == "supported"
    assert russia["comparison_mean"] == pytest.approx(146 / 3)  # Crocus City Hall, 2024


def test_the_us_zero_cannot_discriminate_against_a_zero_baseline(verdicts):
    us = row(verdicts, "C07")  # IS killed no one in the US in 2018-2020 either
    assert us["verdict"] == "not measurable"
    assert "baseline was zero too" in us["evidence"]


def test_a_shared_total_gives_a_range_never_a_zero(verdicts, cy):
    c06 = row(verdicts, "C06")
    assert np.isnan(c06["comparison_mean"])  # Pakistan's IS killings are not separable
    assert c06["verdict"] == "supported"
    # the range: Russia's and Iran's IS killings (separable) plus 0 to Pakistan's whole total
    nsg = cy[(cy["violence_type"] == "one_sided_nsgroup") & cy["year"].between(2022, 2024)]
    exact = nsg[nsg["iso3"].isin(["RUS", "IRN"]) & (nsg["year"] == 2024)]["deaths_best"].sum()
    pakistan = nsg[nsg["iso3"] == "PAK"]["deaths_best"].sum()
    assert (
        f"2022–2024: {exact / 3:,.0f}–{(exact + pakistan) / 3:,.0f}/yr (not separable)"
        in (c06["evidence"])
    )
    etim = row(verdicts, "C17-china")
    assert etim["verdict"] == "not measurable"


def test_neighbours_and_the_west_are_measured_alike():
    tests = {t.key: t for t in risk.CLAIM_TESTS}
    near, west = tests["C32-neighbours"], tests["C32-west"]
    assert [i.label for i, _ in near.pairs()] == [i.label for i, _ in west.pairs()]
    assert near.indicator.kind == west.indicator.kind == "family"
    assert "all organised violence" in [i.label for i in near.variants]


def test_the_wests_small_organised_violence_rise_is_not_a_change(obs):
    west = next(t for t in risk.CLAIM_TESTS if t.key == "C32-west")
    spec = risk.run_spec(west, obs, range(2018, 2021), range(2022, 2025), pair=1)
    assert spec["variant"] == "all organised violence"
    assert 0 < spec["effect"] < 25  # a rise (the French gang conflict), under 25 deaths a year
    assert spec["verdict"] == "supported"  # risk did not grow by the minimum change


def test_a_claim_without_a_test_is_listed_as_no_test_defined(obs):
    claims = pd.DataFrame(
        {
            "claim_id": ["C90", "C91"],
            "topic": ["threat", "economy"],
            "claim": ["a new threat", "not a risk claim"],
            "quote": ["quoted", "quoted"],
            "stance": ["asserted", "asserted"],  # columns another curator adds are not read
        }
    )
    table = risk.claims_vs_outcomes(claims, obs)
    assert table["claim_id"].tolist() == ["C90"]
    assert table["verdict"].iloc[0] == "not measurable"
    assert table["evidence"].iloc[0].startswith(risk.NO_TEST)


def test_a_test_found_by_its_quote_is_used_only_when_the_claim_exists(obs):
    pledge = "said on Tuesday the group won’t allow any group to use Afghan soil to launch attacks"
    claims = pd.DataFrame(
        {"claim_id": ["C95"], "topic": ["counterterrorism"], "claim": ["pledge"], "quote": [pledge]}
    )
    table = risk.claims_vs_outcomes(claims, obs)
    assert table["test"].tolist() == ["pledge-afghan-soil"]
    assert table["claim_id"].tolist() == ["C95"]
    assert "Afghanistan–Pakistan interstate" in table["indicator"].iloc[0]
    assert risk.claims_vs_outcomes(claims.assign(quote="something else"), obs).empty


def test_evaluate_rejects_overlapping_windows(obs):
    with pytest.raises(ParameterError, match="must end before comparison_years"):
        risk.evaluate(risk.CLAIM_TESTS[1], obs, [2018, 2022], [2021, 2024])


def test_legacy_indicators_still_read(obs):
    ttp = risk.Indicator("pakistan_ttp", ("PAK",))
    rise = risk.ClaimTest("C99", "t", "rise", ttp)
    no_rise = risk.ClaimTest("C99", "t", "no_rise", ttp)
    assert risk.evaluate(rise, obs, [2015, 2017], [2022, 2024])["verdict"] == "contradicted"
    assert risk.evaluate(no_rise, obs, [2015, 2017], [2022, 2024])["verdict"] == "supported"
    russia = risk.ClaimTest("C99", "t", "zero", risk.Indicator("is_one_sided", ("RUS",)))
    # IS killed civilians in Russia in 2015, 2016 and 2018 (the Caucasus province), none in
    # 2019-2023, 146 in 2024
    assert risk.evaluate(russia, obs, [2015, 2018], [2021, 2023])["verdict"] == "supported"
    assert risk.evaluate(russia, obs, [2019, 2020], [2021, 2023])["verdict"] == "not measurable"
    assert risk.evaluate(russia, obs, [2015, 2018], [2022, 2024])["verdict"] == "contradicted"


# ---------------------------------------------------------------------------------------------
# The window dependence and key figures


def test_window_dependence_flips_the_ttp_verdict(obs):
    table = risk.window_dependence(obs)
    assert table["verdict"].tolist() == ["contradicted", "supported"]
    assert table["baseline_mean"].tolist() == [
        pytest.approx((1954 + 526 + 506) / 3),
        pytest.approx(481 / 3),
    ]
    assert table["comparison_mean"].tolist() == [623.0, 623.0]
    text = risk.window_dependence_text(table, observed.pakistan_ttp(obs.brd))
    # the series' first year, its lowest and its last: read from it, not chosen by hand
    assert text.startswith(
        "Pakistan–TTP battle-related deaths were 1,954 in 2015, 147 in 2018, 752"
    )
    assert "Against a 2015–2017 baseline (995 a year)" in text and "**contradicted**" in text
    assert "Against a 2018–2020 baseline (160 a year)" in text and "**supported**" in text
    assert "(2022–2024 requested; the data end in 2023)" in text
    assert text._repr_markdown_() == str(text)


def test_dependence_baselines_adds_the_chosen_window_and_drops_overlaps():
    assert risk.dependence_baselines() == [(2015, 2017), (2018, 2020)]
    assert risk.dependence_baselines([2016, 2019], [2021, 2024]) == [
        (2015, 2017),
        (2016, 2019),
        (2018, 2020),
    ]
    with pytest.raises(ParameterError, match="must end before comparison_years"):
        risk.dependence_baselines([2018, 2022], [2022, 2024])


def test_key_figures_read_their_years_and_releases_from_the_data(obs, verdicts, cy):
    _, _, table = risk.assess_exposure()
    figures = risk.key_figures(obs, table, verdicts, risk.window_dependence(obs))
    value = figures.set_index("figure")["value"]
    last = int(cy["year"].max())
    pak = cy.query("iso3 == 'PAK' and year == @last and violence_type == 'total'")
    assert value[f"Pakistan, organised-violence deaths {last}"] == pak["deaths_best"].iloc[0]
    assert value["Pakistan–TTP battle deaths 2021"] == 259
    assert value["TTP change 2015–2017→2022–2023: contradicted"] == -372.3
    version = sorted(set(cy["version"]))[-1]
    assert (figures["source"] == f"UCDP country-year v{version}").any()
    assert figures["id"].is_unique
    counts = value[[f"Claim tests {v} (chosen windows)" for v in risk.VERDICTS]]
    assert counts.sum() == len(verdicts)
