"""The regional-risk report's prose follows its parameters and data (nothing typed), and the
grid's charts show every verdict with its counts, the chosen-window verdict beside it, and the
caveat."""

from __future__ import annotations

import dataclasses
import math

import pytest

import analysis
from analysis import risk


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
    return risk.robust_verdicts(grid, claims)


def test_windows_text_follows_the_windows_and_says_where_the_data_end(obs):
    default = risk.windows_text(obs, [2018, 2020], [2022, 2024])
    other = risk.windows_text(obs, [2015, 2017], [2022, 2023])
    assert "2018–2020" in default and "2018–2020" not in other
    assert "2015–2017" in other and "2022–2023" in other
    brd_last = int(obs.brd["year"].max())
    assert f"end in {brd_last}" in default
    capped = risk.windows_text(obs, [2018, 2020], [2022, 2024], as_of="2023-06-30")
    assert "2022 (2022–2024 requested; `as_of` (2023-06-30) ends it)" in capped


def test_thresholds_text_follows_the_parameters():
    text = risk.thresholds_text(risk.Thresholds(10, 50, 0.9, 0.4))
    assert "10 deaths a year and 50 %" in text and "90%" in text and "40%" in text
    assert "25 deaths" not in text


def test_sources_text_reads_releases_and_years_from_the_data(obs):
    text = risk.sources_text(obs)
    assert f"v{sorted(set(obs.cy['version']))[-1]}" in text
    newer = dataclasses.replace(obs, cy=obs.cy.assign(version="26.1"), _cache={})
    assert "Country-Year Dataset on Organized Violence v26.1" in risk.sources_text(newer)


def test_absence_text_reads_when_ucdp_last_lists_an_actor(obs):
    assert "ETIM has no UCDP dyad after 2017" in risk.absence_text(obs)
    present = {y: set(v) for y, v in obs.present.items()}
    present[2020].add("ETIM")
    moved = dataclasses.replace(obs, present=present, _cache={})
    assert "ETIM has no UCDP dyad after 2020" in risk.absence_text(moved)


def test_robust_summary_gives_the_robust_counts_with_the_chosen_counts_beside(robust):
    text = risk.robust_summary(robust, [2018, 2020], [2022, 2024])
    counts = risk.robust_counts(robust)
    for verdict, n in counts.items():
        assert f"**{n} {verdict}**" in text
    chosen = risk.robust_counts(robust, "chosen_verdict")
    assert f"{chosen['supported']} supported" in text
    assert "On the chosen windows alone (2018–2020 against 2022–2024" in text


def test_grid_text_counts_what_ran(grid, obs):
    text = risk.grid_text(grid, [2018, 2020], [2022, 2024], obs)
    assert f"**{len(grid):,} specifications over {grid['test'].nunique()} tests**" in text
    assert "2015–2017, 2018–2020, 2015–2020" in text


def test_the_robust_chart_shows_each_test_with_counts_chosen_verdict_and_caveat(robust):
    fig = risk.robust_chart(robust)
    bars = [t for t in fig.data if t.type == "bar" and t.name in ("supported", "contradicted")]
    assert len(bars) == 2 and len(bars[0].y) == len(robust)
    chosen = [t for t in fig.data if t.type == "scatter"]
    labels_with_chosen = {y for t in chosen for y in t.y}
    assert labels_with_chosen == set(bars[0].y)  # the chosen verdict beside every row
    for hover in bars[0].hovertext:
        assert "caveat:" in hover and "tested:" in hover and "untested:" in hover
        assert "chosen windows:" in hover
    texts = [a.text for a in fig.layout.annotations if a.text and "measurable support" in a.text]
    assert len(texts) == (robust["specifications"] > 0).sum()


def test_specification_curves_draw_every_specification_and_the_chosen_one(grid, robust):
    fig = risk.specification_curves(grid, robust)
    points = sum(
        len(t.x) for t in fig.data if t.name in ("supported", "contradicted", "not measurable")
    )
    drawable = grid[
        grid["effect"].map(math.isfinite)
        | (grid["effect_lower"].map(math.isfinite) & grid["effect_upper"].map(math.isfinite))
        | grid["effect_lower"].map(math.isfinite)
    ]
    assert points == len(drawable)
    diamonds = [t for t in fig.data if t.name == "chosen windows"]
    assert sum(len(t.x) for t in diamonds) == drawable["chosen"].sum()
    # a specification with no bound at all (ETIM, not in UCDP) has no point: nothing is drawn
    # at zero for it
    assert not drawable[drawable["test"] == "C17-china"]["variant_index"].eq(0).any()


def test_indicator_chart_marks_ranges_and_years_not_covered(obs):
    fig = risk.indicator_chart(obs, risk.AFGHANISTAN_INDICATORS)
    missing = [t for t in fig.data if t.legendgroup == "missing"]
    brd_last = int(obs.brd["year"].max())
    assert any(brd_last + 1 in list(t.x) for t in missing)  # BRD does not cover the last year
    ranges = [t for t in fig.data if t.legendgroup == "range"]
    assert ranges and all(b is not None for t in ranges for b in t.base)
    split = [s for s in fig.layout.shapes if s.name == "split-year"]
    assert len(split) == len(risk.AFGHANISTAN_INDICATORS)


def test_export_records_carry_counts_and_stable_ids(obs, robust, claims):
    records = risk.verdict_records(robust, obs)
    assert [r["id"] for r in records] == [
        f"verdict_{t.replace('-', '_').lower()}" for t in robust["test"]
    ]
    for r, (_, row) in zip(records, robust.iterrows(), strict=True):
        assert r["verdict"] == row["robust_verdict"]
        assert (
            sum(r["counts"][k] for k in ("supported", "contradicted", "not_measurable"))
            == (r["counts"]["specifications"])
        )
        assert r["caveat"] and r["tested"]
        if r["counts"]["supported"] + r["counts"]["contradicted"] == 0:
            assert r["value"] is None  # nothing measurable: missing, never 0
    bundle = analysis.figures.export("regional_risk", verdicts=records).bundle
    assert len(bundle["verdicts"]) == len(robust)
