"""The specification grid and the robust verdicts: which windows it runs (capped by the data and
as_of), one chosen specification per test agreeing with the chosen-window table, counts that add
up, verdicts that follow the thresholds, and the fragile cases the issue names."""

from __future__ import annotations

import pytest

import analysis
from analysis import risk
from analysis.exceptions import ParameterError


@pytest.fixture(scope="module")
def obs():
    return risk.load_observed()


@pytest.fixture(scope="module")
def claims():
    return analysis.load_claims()


@pytest.fixture(scope="module")
def grid(obs, claims):
    return risk.specification_grid(obs, claims)


@pytest.fixture(scope="module")
def robust(grid, claims):
    return risk.robust_verdicts(grid, claims).set_index("test")


def test_grid_windows_add_the_chosen_ones_cap_at_the_last_year_and_leave_years_out():
    baselines, comparisons = risk.grid_windows([2016, 2019], [2022, 2024], last_year=2024)
    assert [b.label for b in baselines] == ["2016–2019", "2015–2017", "2018–2020", "2015–2020"]
    assert [b.chosen for b in baselines] == [True, False, False, False]
    years = [c.years for c in comparisons]
    assert len(years) == len(set(years))  # a year set is run once
    assert {(2022, 2023, 2024), (2022, 2023), (2023, 2024), (2022, 2024)} <= set(years)
    assert {(2022,), (2023,), (2024,)} <= set(years)  # two-year windows, a year left out
    left_out = [c for c in comparisons if c.kind == "leave one out"]
    assert all(c.left_out not in c.years for c in left_out)
    _, capped = risk.grid_windows([2018, 2020], [2022, 2024], last_year=2022)
    assert [c.years for c in capped] == [(2022,)]  # 2023-2024 starts after the last year


def test_last_full_year_follows_as_of():
    assert risk.last_full_year("2023-12-31") == 2023
    assert risk.last_full_year("2024-03-01") == 2023
    assert risk.last_full_year(None) is None


def test_each_measurable_test_has_one_chosen_specification_agreeing_with_the_table(
    grid, obs, claims
):
    chosen = grid[grid["chosen"]]
    assert chosen["test"].is_unique
    table = risk.claims_vs_outcomes(claims, obs).set_index("test")
    for r in chosen.itertuples(index=False):
        assert r.variant_index == 0 and r.estimate == "best"
        assert r.verdict == table.loc[r.test, "verdict"], r.test


def test_specifications_are_unique_and_every_window_is_covered(grid):
    key = ["test", "variant_index", "estimate", "baseline_used", "comparison_used"]
    assert not grid.duplicated(key).any()
    assert (grid["comparison_used"] != "not covered").all()
    assert set(grid["estimate"]) == {"low", "best", "high"}


def test_counts_add_up_and_the_verdict_follows_them(robust):
    assert (
        robust["supported"] + robust["contradicted"] + robust["not_measurable"]
        == robust["specifications"]
    ).all()
    for test, r in robust.iterrows():
        assert r["robust_verdict"] == risk.robust_verdict(
            r["supported"], r["contradicted"], r["specifications"]
        ), test


def test_robust_verdict_thresholds():
    t = risk.Thresholds(robust_share=0.8, measurable_share=0.5)
    assert risk.robust_verdict(8, 2, 10, t) == "robust"
    assert risk.robust_verdict(7, 3, 10, t) == "fragile"
    assert risk.robust_verdict(2, 8, 10, t) == "contradicted"
    assert risk.robust_verdict(4, 0, 10, t) == "not measurable"  # 40 % measurable
    assert risk.robust_verdict(0, 0, 0, t) == "not measurable"


def test_bad_thresholds_are_parameter_errors():
    with pytest.raises(ParameterError, match="robust_share must be above 0.5"):
        risk.Thresholds(robust_share=0.5)
    with pytest.raises(ParameterError, match="measurable_share must be a share"):
        risk.Thresholds(measurable_share=0)
    with pytest.raises(ParameterError, match="minimum change in percent"):
        risk.Thresholds(min_change_percent=-5)


def test_claims_resting_on_the_2024_attacks_are_not_robust(grid, robust):
    """Crocus City Hall (Russia) and Kerman (Iran), both in 2024: without 2024 the claims fall."""
    for test in ("C12-russia", "C34"):
        assert robust.loc[test, "robust_verdict"] == "fragile", test
        assert "without 2024: contradicted" in robust.loc[test, "note"], test
    dropped = grid[
        (grid["test"] == "C34")
        & (grid["variant_index"] == 0)
        & (grid["estimate"] == "best")
        & (grid["comparison_used"] == "2022–2023")
    ]
    assert (dropped["verdict"] == "contradicted").all() and len(dropped) > 0


def test_the_ttp_claim_turns_on_the_baseline(grid, robust):
    primary = grid[(grid["test"] == "C18") & (grid["variant_index"] == 0)]
    early = primary[primary["baseline_used"] == "2015–2017"]["verdict"]
    late = primary[primary["baseline_used"] == "2018–2020"]["verdict"]
    assert (early == "contradicted").all() and (late == "supported").all()
    assert robust.loc["C18", "robust_verdict"] == "fragile"


def test_a_zero_test_says_where_the_baseline_was_zero_too(grid, robust):
    us = grid[grid["test"] == "C07"]
    zero = us[us["baseline_zero"]]
    assert len(zero) > 0 and (zero["verdict"] == "not measurable").all()
    assert f"baseline zero too in {len(zero)} of {len(us)}" in robust.loc["C07", "note"]


def test_tests_without_an_indicator_have_no_specification(robust):
    for test in ("C02", "C16"):
        assert robust.loc[test, "specifications"] == 0
        assert robust.loc[test, "robust_verdict"] == "not measurable"
        assert robust.loc[test, "caveat"]


def test_thresholds_change_the_verdicts(obs, claims):
    strict = risk.Thresholds(robust_share=0.99)
    grid = risk.specification_grid(obs, claims, thresholds=strict)
    table = risk.robust_verdicts(grid, claims, strict).set_index("test")
    assert table.loc["C32-west", "robust_verdict"] == "fragile"  # 123 of 126, under 99 %
    # the West's organised violence rose by a few deaths a year (a French gang conflict): not a
    # change at 25 deaths a year, a change when any rise counts
    west = next(t for t in risk.CLAIM_TESTS if t.key == "C32-west")
    args = (west, obs, range(2018, 2021), range(2022, 2025))
    assert risk.run_spec(*args, pair=1)["verdict"] == "supported"
    loose = risk.Thresholds(min_change_deaths=0, min_change_percent=0).min_change
    assert risk.run_spec(*args, pair=1, min_change=loose)["verdict"] == "contradicted"


def test_as_of_caps_the_comparison_windows(obs, claims):
    grid = risk.specification_grid(obs, claims, as_of="2023-06-30")
    used = {y for text in grid["comparison_used"] for y in text.replace("–", ",").split(",")}
    assert used == {"2022"}


def test_the_robust_table_shows_scope_and_caveat_beside_every_verdict(robust):
    assert (robust["caveat"].str.len() > 10).all()
    assert (robust["target"].str.len() > 5).all()
    assert (robust["untested"].str.len() > 5).all()
    assert set(robust["robust_verdict"]) <= set(risk.ROBUST_VERDICTS)
    view = risk.verdict_table(robust.reset_index())
    assert list(view.columns) == risk.VERDICT_TABLE_COLUMNS
    assert view["caveat"].str.len().min() > 10 and view["chosen_verdict"].notna().all()
