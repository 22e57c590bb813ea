"""analysis.observed: UCDP cells with exclusions, actors, country totals, windows, BRD and ACD
series, and the charts; known values from the shipped UCDP files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import observed
from analysis.exceptions import DataError, ParameterError

RU = "Government of Russia (Soviet Union)"


@pytest.fixture(scope="module")
def cy():
    return analysis.load_ucdp_country_year()


@pytest.fixture(scope="module")
def actor_map():
    return analysis.load_ucdp_actor_map()


@pytest.fixture(scope="module")
def cells(cy, actor_map):
    return observed.violence_cells(cy, actor_map)


@pytest.fixture(scope="module")
def brd():
    return analysis.load_ucdp_brd()


def synthetic(iso3="RUS", year=2024, **parts):
    """A country-year frame for one country and year; ``parts`` maps a violence type of the tidy
    frame to (deaths, dyad names)."""
    empty = (0, [])
    sb_in, sb_inter = (
        parts.get("state_based_intrastate", empty),
        parts.get("state_based_interstate", empty),
    )
    ns = parts.get("non_state", empty)
    gov, nsg = parts.get("one_sided_any_govt", empty), parts.get("one_sided_nsgroup", empty)
    rows = {
        "state_based": (sb_in[0] + sb_inter[0], sb_in[1] + sb_inter[1]),
        "state_based_intrastate": sb_in,
        "state_based_interstate": sb_inter,
        "non_state": ns,
        "one_sided": (gov[0] + nsg[0], gov[1] + nsg[1]),
        "one_sided_any_govt": (gov[0], None),
        "one_sided_nsgroup": (nsg[0], None),
    }
    return pd.DataFrame(
        [
            dict(iso3=iso3, year=year, violence_type=k, deaths_best=d, dyad_names=n)
            for k, (d, n) in rows.items()
        ]
    )


# ---------------------------------------------------------------------------------------------
# Dyads and actors


def test_dyad_actors_splits_sides_and_coalitions():
    assert observed.dyad_actors("Government of Pakistan - TTP") == {"Government of Pakistan", "TTP"}
    assert observed.dyad_actors("IS - Civilians") == {"IS", "Civilians"}


@pytest.mark.parametrize(
    ("dyad", "iso3", "year", "group"),
    [
        ("Government of Pakistan - TTP", "PAK", 2023, "TTP"),
        ("Government of Afghanistan - IS", "AFG", 2019, observed.ISIS_K),
        ("Government of Syria - IS", "SYR", 2019, observed.IS_OTHER),
        # Russia 2015-2020 is the Caucasus province, Iran 2017 not Khorasan: the actor map's reading
        ("Government of Russia (Soviet Union) - IS", "RUS", 2019, observed.IS_OTHER),
        ("Government of Iran - IS", "IRN", 2017, observed.IS_OTHER),
        ("IS - Civilians", "RUS", 2024, observed.ISIS_K),
        ("IS - Civilians", "IRN", 2024, observed.ISIS_K),
        ("Government of Afghanistan - Taleban", "AFG", 2019, observed.TALIBAN_INSURGENCY),
        ("Government of Afghanistan - Taleban", "AFG", 2021, observed.TALIBAN_INSURGENCY),
        ("Government of Afghanistan - Civilians", "AFG", 2019, observed.GHANI),
        # the NRF formed after the fall of Kabul: its 2021 fighting was the Taliban government's
        ("Government of Afghanistan - NRF", "AFG", 2021, observed.TALIBAN_GOVERNMENT),
        ("Government of Afghanistan - Civilians", "AFG", 2021, observed.GHANI_THEN_TALIBAN),
        (
            "Government of Afghanistan - Government of Pakistan",
            "PAK",
            2023,
            observed.TALIBAN_GOVERNMENT,
        ),
        ("Government of Iran - Jaish al-Adl", "IRN", 2023, "Jaish al-Adl"),
        ("Government of India - CPI-Maoist", "IND", 2023, observed.OTHER),
    ],
)
def test_actor_group_reads_the_actor_map(actor_map, dyad, iso3, year, group):
    from analysis.observed.actors import _ActorLookup

    lookup = _ActorLookup(actor_map)
    assert observed.actor_group(dyad, iso3, year, lookup) == group


def test_actors_present_knows_who_ucdp_lists_each_year(cy):
    present = observed.actors_present(cy)
    assert "ETIM" in present[2017] and "ETIM" not in present[2022]
    assert "al-Qaida" in present[2022] and "al-Qaida" not in present[2023]
    assert all("IS" in present[y] for y in range(2015, 2025))


# ---------------------------------------------------------------------------------------------
# Cells and exclusions


def test_an_excluded_dyad_alone_leaves_zero_and_says_what_was_removed(actor_map):
    frame = synthetic(
        "TJK",
        2022,
        state_based_interstate=(87, ["Government of Kyrgyzstan - Government of Tajikistan"]),
    )
    part = observed.violence_cells(frame, actor_map, countries=["TJK"]).set_index("part")
    row = part.loc["interstate"]
    assert (row.deaths, row.excluded_deaths, row.status) == (0.0, 87.0, "excluded")
    totals = observed.country_year_deaths(
        observed.violence_cells(frame, actor_map, countries=["TJK"])
    )
    assert totals["deaths"].iloc[0] == 0.0 and totals["deaths_reported"].iloc[0] == 87.0
    assert (
        "87 deaths excluded: Government of Kyrgyzstan - Government of Tajikistan"
        in totals["note"].iloc[0]
    )


def test_an_excluded_dyad_sharing_a_total_makes_it_missing_not_a_guess(actor_map):
    frame = synthetic(
        state_based_intrastate=(86, [f"{RU} - IS", f"{RU} - LSR"]),
        one_sided_nsgroup=(146, ["IS - Civilians"]),
    )
    part = observed.violence_cells(frame, actor_map, countries=["RUS"]).set_index("part")
    assert np.isnan(part.loc["intrastate", "deaths"])
    assert part.loc["intrastate", "status"] == "not separable"
    assert part.loc["intrastate", "dyads"] == [f"{RU} - IS"]
    assert part.loc["non_state_group", "deaths"] == 146.0
    assert part.loc["non_state_group", "actor_group"] == observed.ISIS_K  # Russia 2024
    by_type = observed.deaths_by_type(observed.violence_cells(frame, actor_map, countries=["RUS"]))
    values = by_type.set_index("violence_type")["deaths"]
    assert np.isnan(values["state_based"]) and values["one_sided"] == 146.0


def test_one_sided_dyads_split_into_government_and_group_parts(actor_map):
    frame = synthetic(
        "IRN",
        2024,
        one_sided_any_govt=(1, ["Government of Iran - Civilians"]),
        one_sided_nsgroup=(94, ["IS - Civilians"]),
    )
    part = observed.violence_cells(frame, actor_map, countries=["IRN"]).set_index("part")
    assert part.loc["government", "dyads"] == ["Government of Iran - Civilians"]
    assert part.loc["non_state_group", ["deaths", "actor_group"]].tolist() == [
        94.0,
        observed.ISIS_K,
    ]


def test_shipped_cells_know_the_exclusions(cells):
    status = cells[cells["status"] != "reported"].groupby(["iso3", "year"])["status"].apply(set)
    assert status[("RUS", 2024)] == {"excluded", "not separable"}
    assert status[("TJK", 2022)] == {"excluded"}
    assert set(status.index.get_level_values("iso3")) == {"RUS", "TJK"}


def test_country_totals_hold_the_known_values(cells):
    totals = observed.country_year_deaths(cells).set_index(["iso3", "year"])
    assert totals.loc[("PAK", 2024), "deaths"] == 1885
    assert totals.loc[("AFG", 2021), "deaths"] == 36386
    assert totals.loc[("WEU", 2023), "deaths"] == 52  # France 48 + Belgium 2 + ... summed
    assert np.isnan(totals.loc[("RUS", 2024), "deaths"])  # never 0, never 7,819
    assert totals.loc[("RUS", 2024), "deaths_reported"] == 7819
    assert totals.loc[("TJK", 2022), ["deaths", "excluded_deaths"]].tolist() == [0.0, 87.0]
    one_sided = observed.country_year_deaths(cells, ["one_sided"]).set_index(["iso3", "year"])
    assert one_sided.loc[("RUS", 2024), "deaths"] == 146


def test_western_europe_members_can_be_kept_apart(cells):
    totals = observed.country_year_deaths(cells, western_europe=False)
    assert "WEU" not in set(totals["iso3"]) and "FRA" in set(totals["iso3"])


def test_actor_year_deaths_separates_measured_zero_from_not_measurable(cells, cy):
    present = observed.actors_present(cy)
    iran_russia = observed.actor_year_deaths(
        cells, "IS", ["IRN", "RUS"], ["one_sided"], present=present
    ).set_index(["iso3", "year"])
    assert iran_russia.loc[("IRN", 2024), "deaths"] == 94
    assert iran_russia.loc[("RUS", 2024), "deaths"] == 146
    # Iran 2022: no IS one-sided dyad, but IS fights in a state-based total shared with Jaish
    # al-Adl and PJAK: 0 civilians killed by IS, and the note says the fighting is not separable
    iran = iran_russia.loc[("IRN", 2022)]
    assert (iran["deaths"], iran["status"]) == (0.0, "none of these types")
    assert "Government of Iran - IS" in iran["note"] and "not separable" in iran["note"]
    # Iran 2019: UCDP lists IS that year, but no dyad of it in Iran at all
    assert iran_russia.loc[("IRN", 2019), ["deaths", "status", "note"]].tolist() == [
        0.0,
        "no dyad reported",
        "",
    ]
    # Russia 2019: IS's state-based part holds only its dyad: the note gives its deaths
    assert "26 deaths" in iran_russia.loc[("RUS", 2019), "note"]
    etim = observed.actor_year_deaths(cells, "ETIM", ["CHN"], cy=cy).set_index("year")
    assert etim.loc[2017, "deaths"] == 6
    assert (
        np.isnan(etim.loc[2022, "deaths"]) and etim.loc[2022, "status"] == "not in UCDP this year"
    )
    ttp = observed.actor_year_deaths(cells, "TTP", ["PAK"], present=present).set_index("year")
    assert ttp["status"].eq("not separable").all()  # TTP shares Pakistan's totals every year


def test_actor_year_deaths_rejects_an_unknown_actor(cells):
    with pytest.raises(ParameterError, match="unknown actor 'Hamas'"):
        observed.actor_year_deaths(cells, "Hamas", ["PAK"], present={})
    with pytest.raises(ValueError, match="pass present="):
        observed.actor_year_deaths(cells, "IS", ["PAK"])


def test_actor_breakdown_attributes_only_unshared_totals(cells):
    table = observed.actor_breakdown(cells, ["IRN"]).set_index(["year", "actor_group"])
    assert table.loc[(2024, observed.ISIS_K), "deaths"] == 94
    shared = table.loc[(2024, observed.SEVERAL)]
    assert shared["deaths"] == 123 and "Government of Iran - Jaish al-Adl" in shared["dyads"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: observed.check_countries(["PAK", "FRA", "ZZZ"]), "unknown ISO3 code 'ZZZ'"),
        (lambda: observed.check_violence_types(["war"]), "violence_types must be a non-empty"),
        (lambda: observed.check_violence_types([]), "violence_types must be a non-empty"),
        (lambda: observed.check_window([2020, 2018], "baseline_years"), "must run forward"),
        (lambda: observed.check_window([2020], "baseline_years"), "must be [first year, last"),
        (lambda: observed.check_windows([2018, 2022], [2022, 2024]), "must end before"),
    ],
)
def test_bad_inputs_are_parameter_errors(call, message):
    with pytest.raises(ParameterError) as err:
        call()
    assert message in str(err.value)


def test_a_country_missing_from_the_file_is_a_data_error(cy, actor_map):
    with pytest.raises(DataError, match="no rows for TKM"):
        observed.violence_cells(cy[cy["iso3"] != "TKM"], actor_map, countries=["PAK", "TKM"])


# ---------------------------------------------------------------------------------------------
# Windows


def series(values: dict) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "deaths": list(values.values())})


def test_window_mean_leaves_uncovered_years_out_and_says_so():
    s = series({2021: 10.0, 2022: 20.0, 2023: 30.0})
    assert observed.window_mean(s, (2022, 2024)) == (25.0, "2022–2023")
    assert observed.window_mean(s, (2026, 2027)) == (
        pytest.approx(np.nan, nan_ok=True),
        "not covered",
    )


def test_a_missing_year_inside_the_coverage_makes_the_window_missing():
    s = series({2021: 10.0, 2022: np.nan, 2023: 30.0})
    mean, used = observed.window_mean(s, (2021, 2023))
    assert np.isnan(mean) and used == "2021–2023"


def test_compare_windows_per_country(cells):
    totals = observed.country_year_deaths(cells)
    table = observed.compare_windows(totals).set_index("iso3")
    assert table.loc["PAK", ["baseline_mean", "comparison_mean"]].tolist() == [
        pytest.approx(395.0),
        pytest.approx(3782 / 3),
    ]
    assert np.isnan(table.loc["RUS", "comparison_mean"]) and np.isnan(table.loc["RUS", "change"])
    assert np.isnan(table.loc["CHN", "ratio"])  # a zero baseline has no ratio
    assert table.loc["WEU", "country"] == "Western Europe"


# ---------------------------------------------------------------------------------------------
# BRD and ACD


def test_pakistan_ttp_battle_deaths(brd):
    s = observed.pakistan_ttp(brd).set_index("year")
    assert s.loc[[2015, 2019, 2021, 2023], "deaths"].tolist() == [1954, 148, 259, 752]
    assert (
        np.isnan(s.loc[2024, "deaths"]) and s.loc[2024, "status"] == "not covered (BRD ends 2023)"
    )
    assert s["dyad"].iloc[0] == "Government of Pakistan – TTP"


def test_a_dyad_year_without_a_row_is_missing_not_zero(brd):
    s = observed.dyad_battle_deaths(brd, 142, 234).set_index("year")  # Pakistan – IS
    assert np.isnan(s.loc[2020, "deaths"]) and s.loc[2020, "status"] == "no row (below 25 deaths)"
    assert s.loc[2023, "deaths"] == 86


def test_an_unknown_dyad_or_conflict_is_a_data_error(brd):
    with pytest.raises(DataError, match="no dyad with side_a_id 142 and side_b_id 1"):
        observed.dyad_battle_deaths(brd, 142, 1)
    acd = analysis.load_ucdp_acd()
    with pytest.raises(DataError, match="no conflict with conflict_id 1"):
        observed.conflict_intensity(acd, 1)


def test_pakistan_ttp_conflict_intensity():
    acd = analysis.load_ucdp_acd()
    s = observed.conflict_intensity(acd, observed.PAKISTAN_TTP_CONFLICT).set_index("year")
    assert s.loc[[2015, 2019, 2024], "intensity_level"].tolist() == [2, 1, 2]
    assert s.loc[2024, "label"] == "war (1,000 or more)"


def test_battle_deaths_by_group_places_dyads_at_their_conflict(brd, actor_map):
    table = observed.battle_deaths_by_group(brd, ["PAK", "RUS"], actor_map)
    t = table.set_index(["iso3", "year", "actor_group"])["deaths"]
    assert t[("PAK", 2023, "TTP")] == 752
    assert t[("PAK", 2023, observed.ISIS_K)] == 86
    assert not ((table["iso3"] == "RUS") & (table["year"] >= 2022)).any()  # Ukraine excluded


# ---------------------------------------------------------------------------------------------
# Charts


def footer(fig) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source-line")


def test_deaths_chart_marks_missing_years_and_states_the_exclusions(cells):
    by_type = observed.deaths_by_type(cells)
    fig = observed.deaths_chart(by_type)
    missing = [t for t in fig.data if t.legendgroup == "missing"]
    assert len(missing) == 1 and list(missing[0].x) == [2023, 2024]  # Russia only
    assert "missing, not zero" in missing[0].hovertext[0]
    text = footer(fig).replace("<br>", " ")
    assert "Excluded as unrelated to Afghanistan: Russia–Ukraine war" in text
    assert "Kyrgyzstan–Tajikistan border conflict" in text and "UCDP Country-Year" in text
    dashed = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert len(dashed) == 11  # the withdrawal in every panel
    split = [s for s in fig.layout.shapes if s.name == "split-year"]
    assert len(split) == 11 and all(s.x0 == 2020.5 and s.x1 == 2021.5 for s in split)
    notes = [a.text for a in fig.layout.annotations]
    assert notes.count("0 deaths recorded every year") == 2  # Uzbekistan, Turkmenistan


def test_footer_lines_are_wrapped_and_fit_the_bottom_margin(cells):
    fig = observed.deaths_chart(observed.deaths_by_type(cells))
    lines = footer(fig).split("<br>")
    assert max(len(line) for line in lines) <= 140
    assert fig.layout.margin.b >= 62 + 16 * len(lines)


def test_window_change_chart_puts_zeros_in_their_own_lane_never_on_the_log_axis(cells):
    changes = observed.compare_windows(observed.country_year_deaths(cells))
    fig = observed.window_change_chart(changes, [2018, 2020], [2022, 2024])
    assert fig.layout.xaxis2.type == "log" and fig.layout.xaxis.type == "category"
    on_log = [t for t in fig.data if t.xaxis == "x2"]
    for trace in on_log:  # nothing at or below zero, nothing at a made-up floor
        assert all(x > 0 for x in trace.x)
    zero_after = next(t for t in fig.data if t.name == "comparison 2022–2024: 0")
    assert {"Tajikistan", "Uzbekistan", "Turkmenistan"} <= set(zero_after.y)
    assert set(zero_after.x) == {"0 after"}
    china = next(t for t in fig.data if t.name == "baseline 2018–2020: 0")
    assert "China" in china.y  # China's 0 before and 0.33 after: a zero, not a tripling
    comparison = next(t for t in on_log if t.name == "comparison 2022–2024")
    assert "China" in comparison.y
    missing = next(t for t in fig.data if t.legendgroup == "missing")
    assert list(missing.y) == ["Russia"] and set(missing.x) == {"no value"}


def test_window_change_chart_draws_ucdp_ranges_and_skips_out_of_order_ones(cells, cy, actor_map):
    by_estimate = {
        e: observed.violence_cells(cy, actor_map, estimate=e) for e in ("best", "low", "high")
    }
    ranges = observed.country_year_ranges(by_estimate)
    changes = observed.compare_window_ranges(ranges, [2018, 2020], [2022, 2024])
    pak = changes.set_index("iso3").loc["PAK"]
    assert pak["comparison_low"] <= pak["comparison_mean"] <= pak["comparison_high"]
    fig = observed.window_change_chart(changes, [2018, 2020], [2022, 2024])
    comparison = next(t for t in fig.data if t.name == "comparison 2022–2024")
    at = list(comparison.y).index("Pakistan")
    assert comparison.error_x.array[at] == pytest.approx(
        pak["comparison_high"] - pak["comparison_mean"]
    )


def test_an_out_of_order_estimate_is_missing_never_a_bound(cy, actor_map):
    high = observed.violence_cells(cy, actor_map, countries=["RUS"], estimate="high")
    part = high[(high["year"] == 2024) & (high["part"] == "interstate")].iloc[0]
    assert np.isnan(part["deaths"]) and part["status"] == "estimate out of order"
    low = observed.violence_cells(cy, actor_map, countries=["PAK"], estimate="low")
    best = observed.violence_cells(cy, actor_map, countries=["PAK"])
    assert (low["deaths"] <= best["deaths"]).all()
    with pytest.raises(ParameterError, match="estimate must be one of best, low, high"):
        observed.violence_cells(cy, actor_map, estimate="median")


def test_is_reading_is_written_from_the_actor_map(actor_map):
    text = observed.is_reading(actor_map)
    assert "Russia and Tajikistan from 2021" in text and "Iran from 2024" in text
    assert "IS (other province)" in text and "Russia to 2020" in text
    later = actor_map.copy()
    later.loc[
        (later["ucdp_actor_id"] == 234)
        & (later["location_iso3"] == "IRN")
        & later["actor_id"].isna(),
        "valid_to",
    ] = pd.Timestamp("2024-12-31")
    later.loc[
        (later["ucdp_actor_id"] == 234)
        & (later["location_iso3"] == "IRN")
        & later["actor_id"].notna(),
        "valid_from",
    ] = pd.Timestamp("2025-01-01")
    assert "Iran from 2025" in observed.is_reading(later)


def test_battle_deaths_chart_marks_the_year_brd_does_not_cover(brd, actor_map):
    by_group = observed.battle_deaths_by_group(brd, ["PAK", "IRN"], actor_map)
    fig = observed.battle_deaths_chart(by_group, ["PAK", "IRN"])
    names = {t.name for t in fig.data}
    assert {"TTP", "Jaish al-Adl", "not covered by BRD"} <= names
    gap = next(t for t in fig.data if t.name == "not covered by BRD")
    assert list(gap.x) == [2024] and "ends in 2023" in gap.hovertext[0]
    assert "ISIS-K" in footer(fig)
    with_map = observed.battle_deaths_chart(by_group, ["PAK", "IRN"], actor_map=actor_map)
    assert "Russia to 2020" in footer(with_map).replace("<br>", " ")
    ranges = [t for t in with_map.data if t.legendgroup == "range"]
    assert ranges and ranges[0].error_y.array is not None


def test_battle_deaths_chart_labels_is_branches_and_taliban_roles(brd, actor_map):
    by_group = observed.battle_deaths_by_group(brd, ["RUS", "AFG"], actor_map)
    groups = by_group.set_index(["iso3", "year"])["actor_group"]
    assert groups[("RUS", 2016)] == observed.IS_OTHER  # the Caucasus province, not ISIS-K
    caucasus = by_group[(by_group["iso3"] == "RUS") & (by_group["year"] == 2016)]
    assert "Caucasus province" in caucasus["reading"].iloc[0]
    afg = by_group[by_group["iso3"] == "AFG"].set_index(["year", "actor_group"])["deaths"]
    assert afg[(2021, observed.TALIBAN_INSURGENCY)] > 0  # the war to 15 August
    assert afg[(2021, observed.TALIBAN_GOVERNMENT)] > 0  # the NRF fighting after it
    assert (2022, observed.TALIBAN_INSURGENCY) not in afg.index


def test_ttp_chart_shades_the_windows_and_shows_their_means(brd):
    acd = analysis.load_ucdp_acd()
    fig = observed.ttp_chart(
        observed.pakistan_ttp(brd), observed.conflict_intensity(acd, observed.PAKISTAN_TTP_CONFLICT)
    )
    labels = {a.text for a in fig.layout.annotations}
    assert {"baseline 2015–2017: 995/yr", "baseline 2018–2020: 160/yr"} <= labels
    assert "comparison 2022–2023: 623/yr" in labels
    windows = [s for s in fig.layout.shapes if s.type == "rect" and s.name != "split-year"]
    assert len(windows) == 3
    split = [s for s in fig.layout.shapes if s.name == "split-year"]
    assert len(split) == 1 and split[0].x0 < 2021 < split[0].x1  # 2021 shaded as the split year
    bars = next(t for t in fig.data if t.type == "bar")
    assert bars.error_y.array is not None  # BRD low-high as whiskers
    assert "UCDP/PRIO Armed Conflict Dataset" in footer(fig).replace("<br>", " ")


def test_is_one_sided_chart(cells, cy):
    s = observed.actor_year_deaths(
        cells, "IS", ["IRN", "RUS"], ["one_sided"], present=observed.actors_present(cy)
    )
    fig = observed.is_one_sided_chart(s)
    bars = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data}
    assert bars["Russia"][2024] == 146 and bars["Iran"][2024] == 94
    assert "UCDP codes every Islamic State branch as one actor" in footer(fig)
    iran = next(t for t in fig.data if t.name == "Iran")
    hover = dict(zip(iran.x, iran.hovertext, strict=True))
    assert "no dyad here" not in " ".join(iran.hovertext)
    assert "not separable" in hover[2022] and "Government of Iran - IS" in hover[2022]
    assert "no IS dyad reported here" in hover[2019]
