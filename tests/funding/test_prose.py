"""The funding report's prose is written from the frames it describes: it follows compare_countries,
unit, as_of and a user's corrected data, and says "not stated" where the article does."""

from __future__ import annotations

import pytest

import analysis
from analysis import funding


@pytest.fixture(scope="module")
def wdi():
    return analysis.load_wdi()


def _share(wdi, country, years):
    rows = wdi[(wdi["country_code"] == country) & (wdi["indicator_code"] == funding.ODA_SHARE)]
    return rows[rows["year"].isin(years)]["value"]


def test_aid_text_follows_the_comparison_countries(wdi):
    default = funding.aid_text(
        funding.net_oda(wdi, ["PAK", "IRN", "TJK", "UZB"], as_of="2025-12-31")
    )
    only_iran = funding.aid_text(funding.net_oda(wdi, ["IRN"], as_of="2025-12-31"))
    afg = _share(wdi, "AFG", range(2015, 2021))
    assert f"{afg.min():.1f}–{afg.max():.1f} % of Afghanistan's GNI" in default
    top_tjk = _share(wdi, "TJK", range(2015, 2030)).max()
    assert f"at or under {top_tjk:.1f} %" in default and "Tajikistan" in default
    top_irn = _share(wdi, "IRN", range(2015, 2030)).max()
    assert f"at or under {top_irn:.1f} %" in only_iran and "Tajikistan" not in only_iran
    for typed in ("a fifth", "under 8 per cent"):
        assert typed not in default


def test_money_text_follows_unit_and_says_not_stated():
    rows, actors = analysis.load_funding(), analysis.load_actors()
    for unit, frozen in (("bn", "About 7 bn USD"), ("m", "About 7,000 m USD")):
        composition = funding.reserve_composition(rows, as_of="2024-12-31", unit=unit)
        measures = funding.freeze_measures(rows, actors, as_of="2024-12-31", unit=unit)
        text = funding.money_text(composition, measures, unit)
        assert text.startswith(frozen)
        assert "World Bank halted funding (an amount the article does not state)" in text


def test_composition_text_shows_the_derivation():
    composition = funding.reserve_composition(analysis.load_funding(), as_of="2024-12-31")
    text = funding.composition_text(composition)
    assert "**derived here**" in text and "9.5 − 7 = 2.5" in text


def test_reserves_gap_text_reads_the_last_reported_year(wdi):
    text = funding.reserves_gap_text(funding.reserves(wdi, as_of="2023-12-31"))
    reported = wdi[(wdi["country_code"] == "AFG") & (wdi["indicator_code"] == funding.RESERVES)][
        "year"
    ]
    assert f"reported up to {int(reported.max())}" in text
    assert f"not for {int(reported.max()) + 1}–2023" in text
