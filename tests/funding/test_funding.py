"""analysis.funding: reserve composition, freezes, timeline, WDI context, key figures, charts."""

from __future__ import annotations

import doctest
import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

import analysis
from analysis import charts, tables
from analysis import funding as F
from analysis.exceptions import DataError, ParameterError

FIX = FIXTURES / "funding"


@pytest.fixture(scope="module")
def seed():
    """The funding fixture: the article's figures, the executive order, one invented tie."""
    return {name: getattr(tables, f"load_{name}")(FIX) for name in
            ("sources", "actors", "funding", "events", "relations")}  # fmt: skip


@pytest.fixture(scope="module")
def wdi():
    return analysis.load_wdi()


def _drop(frame: pd.DataFrame, ids: list[str], column: str = "measure_id") -> pd.DataFrame:
    return frame.loc[~frame[column].isin(ids)].reset_index(drop=True)


def _testmod_package(package) -> doctest.TestResults:
    """Run the doctests of every module of a report package (they are split by concern)."""
    import importlib
    import pkgutil

    failed = attempted = 0
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        failed, attempted = failed + result.failed, attempted + result.attempted
    return doctest.TestResults(failed, attempted)


def test_docstring_examples_hold():
    result = _testmod_package(F)
    assert result.attempted >= 5
    assert result.failed == 0


# --- parameters ---------------------------------------------------------------------------------


def test_compare_countries_accepts_countries_of_the_wdi_table():
    assert analysis.check_parameters(compare_countries=["PAK", "CHN"]).compare_countries == [
        "PAK",
        "CHN",
    ]
    assert analysis.check_parameters(compare_countries=[]).compare_countries == []


@pytest.mark.parametrize(
    "value, message",
    [
        (["XXX"], "unknown ISO3 code 'XXX'"),
        (["WLD"], "unknown ISO3 code 'WLD'"),  # an aggregate is not a country to compare with
        (["SAS"], "unknown ISO3 code 'SAS'"),
        (["AFG"], "unknown ISO3 code 'AFG'"),  # always shown; not a comparison
        (["PAK", "PAK"], "no repeats"),
        ("PAK", "must be a list"),
    ],
)
def test_compare_countries_rejects(value, message):
    with pytest.raises(ParameterError, match="compare_countries") as info:
        analysis.check_parameters(compare_countries=value)
    assert message in str(info.value)


def test_unknown_unit_is_a_parameter_error(seed):
    with pytest.raises(
        ParameterError, match=r"parameter 'unit' must be one of 'bn', 'm'; got 'kg'"
    ):
        F.reserve_composition(seed["funding"], unit="kg")
    with pytest.raises(ParameterError, match="'kg'"):
        F.key_figures(seed["funding"], unit="kg")


def test_malformed_as_of_is_a_parameter_error(seed):
    with pytest.raises(ParameterError, match="parameter 'as_of'.*'2021-13-01'"):
        F.freeze_measures(seed["funding"], as_of="2021-13-01")


# --- dating --------------------------------------------------------------------------------------


def test_a_row_is_dated_by_the_end_of_its_period(seed):
    funding = seed["funding"]
    # F01–F03 are dated "2021-09" (month): they count from 30 September
    assert F.dated_by(funding, "2021-09-29")["measure_id"].tolist() == ["F04"]
    assert F.dated_by(funding, "2021-09-30")["measure_id"].tolist() == ["F01", "F02", "F03", "F04"]
    assert len(F.dated_by(funding, "2022-02-11")) == 6
    assert len(F.dated_by(funding, None)) == 6


# --- reserve composition -----------------------------------------------------------------------


def test_reserve_composition_total_part_and_derived_remainder(seed):
    comp = F.reserve_composition(seed["funding"])
    assert comp["role"].tolist() == ["total", "part", "remainder"]
    assert comp["amount"].tolist() == [9.5, 7.0, 2.5]
    assert comp["amount_usd"].tolist() == [9.5e9, 7e9, 2.5e9]
    assert comp["stated"].tolist() == [True, True, False]
    assert comp["qualifier"].tolist() == ["exact", "about", "about"]
    rest = comp.iloc[2]
    assert rest["component"] == "Held elsewhere — the article does not say where"
    assert rest["arithmetic"] == "9.5 − 7 = 2.5"
    assert "not a figure the source states" in rest["derivation"]
    assert "F01, F02" in rest["derivation"]
    assert rest["label"] == "about 2.5 bn USD (derived: 9.5 − 7)"
    # both quotes, so the hover can show what the subtraction rests on
    assert "the $9.5 billion it holds" in rest["quote"]
    assert "around US$7 billion" in rest["quote"]
    assert comp.iloc[1]["held_in"] == "US institutions"


def test_reserve_composition_in_millions(seed):
    comp = F.reserve_composition(seed["funding"], unit="m")
    assert comp["amount"].tolist() == [9500.0, 7000.0, 2500.0]
    assert comp["unit"].unique().tolist() == ["m USD"]
    assert comp.iloc[2]["label"] == "about 2,500 m USD (derived: 9,500 − 7,000)"


def test_reserve_composition_ignores_the_later_split_of_a_part(seed):
    # F05/F06 (executive order) are part_of F02: they split the frozen part, not the total
    comp = F.reserve_composition(seed["funding"])
    assert "F05" not in comp["measure_id"].tolist()
    assert comp["amount"].sum() == pytest.approx(19.0)


def test_reserve_composition_before_the_article_is_empty(seed):
    assert F.reserve_composition(seed["funding"], as_of="2021-08-31").empty


def test_reserve_composition_without_parts_has_no_remainder(seed):
    comp = F.reserve_composition(_drop(seed["funding"], ["F02", "F05", "F06"]))
    assert comp["role"].tolist() == ["total"]


def test_reserve_composition_part_without_amount_cannot_be_derived(seed):
    funding = seed["funding"].copy()
    at = funding["measure_id"] == "F02"
    funding.loc[at, "amount_usd"] = np.nan
    funding.loc[at, "amount_qualifier"] = "not_stated"
    rest = F.reserve_composition(funding).iloc[-1]
    assert rest["role"] == "remainder"
    assert math.isnan(rest["amount_usd"])
    assert rest["derivation"].startswith("cannot be derived")


def test_reserve_composition_needs_the_held_total(seed):
    with pytest.raises(DataError, match="no held total") as info:
        F.reserve_composition(_drop(seed["funding"], ["F01"]))
    assert "funding table" in str(info.value)
    assert "'measure'" in str(info.value)


def test_reserve_composition_names_missing_columns(seed):
    with pytest.raises(DataError, match="missing column.*amount_usd"):
        F.reserve_composition(seed["funding"].drop(columns=["amount_usd"]))


def test_reserve_composition_rejects_parts_larger_than_the_total(seed):
    funding = seed["funding"].copy()
    funding.loc[funding["measure_id"] == "F02", "amount_usd"] = 12e9
    with pytest.raises(DataError, match="parts of F01 add up to 12 bn USD, more than its total"):
        F.reserve_composition(funding)


def test_reserve_composition_rejects_two_equal_totals(seed):
    funding = seed["funding"].copy()
    twin = funding.loc[funding["measure_id"] == "F01"].assign(measure_id="F09")
    funding = pd.concat([funding.loc[funding["measure_id"] != "F02"], twin])
    with pytest.raises(DataError, match="several held totals: F01, F09"):
        F.reserve_composition(funding)


def test_shipped_data_picks_the_article_total_over_the_fact_sheet_holding():
    comp = F.reserve_composition(analysis.load_funding())
    assert comp["measure_id"].tolist() == ["F01", "F02", ""]
    assert comp["amount"].tolist() == [9.5, 7.0, 2.5]


# --- freezes, executive order, timeline --------------------------------------------------------


def test_freeze_measures_keeps_the_missing_amount_missing(seed):
    m = F.freeze_measures(seed["funding"], seed["actors"])
    assert m["measure_id"].tolist() == ["F02", "F03", "F04"]  # largest first, unstated last
    assert m["actor"].tolist() == ["US", "International Monetary Fund (IMF)", "World Bank"]
    assert m["amount"].iloc[:2].tolist() == [7.0, 0.46]
    wb = m.iloc[2]
    assert math.isnan(wb["amount_usd"]) and math.isnan(wb["amount"])
    assert wb["label"] == "halted, amount not stated"
    assert m["drawn_as"].tolist() == ["bar", "bar", "marker"]
    assert m["when"].tolist() == ["Sep 2021", "Sep 2021", "Aug 2021"]


def test_freeze_measures_in_millions_and_by_date(seed):
    m = F.freeze_measures(seed["funding"], unit="m")
    assert m["label"].tolist()[:2] == ["frozen: about 7,000 m USD", "blocked: 460 m USD"]
    assert m["actor"].tolist()[0] == "usa"  # no actors table: ids stand in for names
    assert F.freeze_measures(seed["funding"], as_of="2021-08-31")["measure_id"].tolist() == ["F04"]


def test_freeze_measures_names_missing_columns(seed):
    with pytest.raises(DataError, match="funding table: missing column.*amount_qualifier"):
        F.freeze_measures(seed["funding"].drop(columns=["amount_qualifier"]))


def test_executive_order_on_the_shipped_data():
    order = F.executive_order(analysis.load_funding())
    assert order["role"].tolist() == ["held", "split", "split"]
    assert order["label"].tolist() == [
        "about 7 bn USD held in the US",
        "3.5 bn USD made available",
        "more than 3.5 bn USD left to litigation",
    ]
    assert set(order["source_id"]) == {"wh-eo-2022-02-11"}
    assert order["when"].unique().tolist() == ["11 Feb 2022"]
    assert F.executive_order(analysis.load_funding(), as_of="2022-02-10").empty


def test_freeze_timeline_merges_tables_without_repeats(seed):
    t = F.freeze_timeline(seed["events"], seed["relations"], seed["funding"], seed["actors"])
    assert t["origin"].tolist() == [
        "funding F04",  # Aug 2021; relation R003 and event E03 repeat it
        "relations R005",  # the invented US halt: no funding row says so
        "funding F03",
        "funding F02",
        "events E04",  # no actor: kept, labelled
        "funding F05",
        "funding F06",
    ]
    assert t["when"].tolist() == [
        "Aug 2021", "20 Aug 2021", "Sep 2021", "Sep 2021", "Sep 2021", "11 Feb 2022", "11 Feb 2022",
    ]  # fmt: skip
    assert t.loc[t["origin"] == "events E04", "actor"].item() == "actor not stated"
    assert t.loc[t["origin"] == "funding F06", "amount_label"].item() == "more than 3.5 bn USD"
    assert t["date"].is_monotonic_increasing
    assert "criticises" not in t["action"].tolist()  # R004 is no freeze


def test_freeze_timeline_respects_as_of(seed):
    t = F.freeze_timeline(
        seed["events"], seed["relations"], seed["funding"], seed["actors"], as_of="2021-12-31"
    )
    assert "wh-eo-2022-02-11" not in t["source_id"].tolist()
    assert len(t) == 5
    empty = F.freeze_timeline(
        seed["events"], seed["relations"], seed["funding"], as_of="2020-01-01"
    )
    assert empty.empty and "when" in empty.columns


def test_freeze_timeline_names_the_table_missing_a_column(seed):
    with pytest.raises(DataError, match="events table: missing column.*kind"):
        F.freeze_timeline(seed["events"].drop(columns=["kind"]), seed["relations"], seed["funding"])


# --- WDI context ---------------------------------------------------------------------------------


def test_afghan_reserves_stop_after_2020_and_the_gap_is_not_zero(wdi):
    res = F.reserves(wdi)
    afg = res.set_index("year")
    assert afg.index.tolist() == list(range(2015, 2026))
    assert afg.loc[2020, "value"] == pytest.approx(9.748946e9, rel=1e-6)
    assert afg.loc[2015:2020, "reported"].all()
    assert afg.loc[2021:, "value"].isna().all()  # NaN, never 0
    assert set(afg.loc[2021:, "status"]) == {"no data reported"}
    assert F.gaps(res)[["country_code", "years"]].values.tolist() == [["AFG", "2021–2025"]]


def test_compare_countries_get_the_same_series_with_their_own_gaps(wdi):
    res = F.reserves(wdi, ["PAK", "IRN"])
    assert res["country_code"].unique().tolist() == ["AFG", "PAK", "IRN"]
    assert res.loc[res["country_code"] == "PAK", "reported"].all()
    assert F.gaps(res).set_index("country_code")["years"].to_dict() == {
        "AFG": "2021–2025",
        "IRN": "2015–2025",  # Iran reports no reserves in this table
    }


def test_as_of_keeps_only_complete_years(wdi):
    assert F.reserves(wdi, as_of="2021-12-31")["year"].max() == 2021
    assert F.reserves(wdi, as_of="2021-12-30")["year"].max() == 2020
    assert F.reserves(wdi, as_of="2014-06-30").empty


def test_net_oda_level_and_share_2015_2023(wdi):
    oda = F.net_oda(wdi, ["PAK"])
    assert set(oda["indicator_code"]) == {F.ODA_LEVEL, F.ODA_SHARE}
    assert oda["year"].min() == 2015 and oda["year"].max() == 2023
    share = oda.query("indicator_code == @F.ODA_SHARE and country_code == 'AFG'").set_index("year")
    assert share.loc[2021, "value"] == pytest.approx(32.70, abs=0.01)
    assert share.loc[2015:2020, "value"].between(20, 23).all()


def test_gdp_growth_and_imf_credit_caveat(wdi):
    growth = F.gdp_growth(wdi, ["TJK"]).set_index(["country_code", "year"])
    assert growth.loc[("AFG", 2021), "value"] == pytest.approx(-20.74, abs=0.01)
    assert growth.loc[("AFG", 2025), "status"] == "no data reported"
    credit = F.imf_credit(wdi)
    assert credit["caveat"].unique().tolist() == [F.IMF_CAVEAT]
    assert "includes SDR allocations" in F.IMF_CAVEAT
    afg = credit.set_index("year")["value"]
    assert afg[2021] > 1.8 * afg[2020]  # the August 2021 allocation shows as a jump


def test_wdi_series_fills_the_grid_with_missing_not_zero():
    tiny = pd.DataFrame(
        {
            "country_code": ["AFG", "AFG", "PAK"],
            "country_name": ["Afghanistan", "Afghanistan", "Pakistan"],
            "indicator_code": ["X", "X", "X"],
            "indicator_name": ["x"] * 3,
            "year": [2015, 2017, 2016],
            "value": [1.0, 3.0, 0.0],
        }
    )
    out = F.wdi_series(tiny, "X", ["AFG", "PAK"])
    assert out["year"].tolist() == [2015, 2016, 2017] * 2
    assert out["reported"].tolist() == [True, False, True, False, True, False]
    assert out["value"].iloc[4] == 0.0  # a reported zero stays a zero
    assert F.gaps(out)["years"].tolist() == ["2016", "2015", "2017"]


def test_wdi_series_failures(wdi):
    with pytest.raises(DataError, match="indicator NOT.A.CODE has no rows"):
        F.wdi_series(wdi, "NOT.A.CODE")
    with pytest.raises(ParameterError, match="unknown country code.*'XXX'"):
        F.reserves(wdi, ["XXX"])
    with pytest.raises(DataError, match="wdi table: missing column.*value"):
        F.reserves(wdi.drop(columns=["value"]))


# --- key figures -------------------------------------------------------------------------------


def test_key_figures_in_billions(seed, wdi):
    kf = F.key_figures(seed["funding"], wdi, seed["actors"])
    assert kf.columns.tolist() == ["figure", "value", "unit", "qualifier", "source_id", "quote"]
    assert kf.index.tolist() == list(range(1, len(kf) + 1))
    head = kf.iloc[:5]
    assert head["value"].tolist() == ["9.5", "7", "2.5", "0.46", "not stated"]
    assert head["unit"].unique().tolist() == ["bn USD"]
    assert head["qualifier"].tolist() == [
        "stated",
        "about (stated)",
        "about, derived (9.5 − 7 = 2.5), not stated in the source",
        "stated",
        "amount not stated",
    ]
    assert kf.iloc[4]["figure"] == "Funding halted by World Bank"
    rows = kf.set_index("figure")
    assert rows.loc["Afghan total reserves incl. gold, 2020", "value"] == "9.75"
    assert "no data reported 2021–2025" in rows.loc["Afghan total reserves incl. gold, 2020",
                                                    "qualifier"]  # fmt: skip
    assert rows.loc["GDP growth, 2021 (lowest since 2015)", "value"] == "-20.7"
    assert rows.loc["Net ODA received (share of GNI), 2023", "unit"] == "% of GNI"


def test_key_figures_in_millions_before_the_executive_order(seed, wdi):
    kf = F.key_figures(seed["funding"], wdi, seed["actors"], as_of="2021-12-31", unit="m")
    assert kf["value"].tolist()[:4] == ["9,500", "7,000", "2,500", "460"]
    assert "wh-eo-2022-02-11" not in kf["source_id"].tolist()
    rows = kf.set_index("figure")
    assert rows.loc["Net ODA received (share of GNI), 2021", "value"] == "32.7"
    assert rows.loc["Use of IMF credit, 2021", "value"] == "1,185"
    assert rows.loc["Use of IMF credit, 2021", "unit"] == "m USD"


def test_key_figures_are_deterministic_and_need_the_held_total(seed, wdi):
    first = F.key_figures(seed["funding"], wdi, seed["actors"])
    again = F.key_figures(seed["funding"].sample(frac=1, random_state=1), wdi, seed["actors"])
    pd.testing.assert_frame_equal(first, again)
    with pytest.raises(DataError, match="no held total"):
        F.key_figures(_drop(seed["funding"], ["F01"]), wdi)


def test_key_figures_on_the_shipped_data_include_the_order_with_its_source():
    kf = F.key_figures(analysis.load_funding(), None, analysis.load_actors())
    eo = kf.loc[kf["source_id"] == "wh-eo-2022-02-11"]
    assert eo["value"].tolist() == ["7", "3.5", "3.5", "0.28"]
    assert eo["qualifier"].tolist()[:3] == ["about (stated)", "stated", "more than (stated)"]


# --- charts ------------------------------------------------------------------------------------


def _footer(fig) -> str:
    """The note and source line under a chart, unwrapped."""
    text = next(a.text for a in fig.layout.annotations if a.name == "source-line")
    return text.replace("<br>", " ")


def test_composition_chart_hatches_the_derived_remainder(seed):
    comp = F.reserve_composition(seed["funding"])
    order = F.executive_order(seed["funding"])
    fig = F.chart_reserve_composition(comp, order, sources=seed["sources"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.y[0] for b in bars] == [9.5, 7.0, 2.5, 3.5, 3.5]
    derived = bars[2]
    assert derived.marker.pattern.shape == "/"
    assert derived.marker.color == charts.MISSING_COLOR
    assert "derived" in derived.name
    assert "9.5 − 7" in derived.hovertext[0]
    assert "around US$7 billion" in derived.hovertext[0]  # both quotes
    assert "Held elsewhere — the article does not say where" in derived.hovertext[0]
    assert fig.layout.yaxis.title.text == "Amount (bn USD)"
    assert "Asia Times" in _footer(fig) and "The White House" in _footer(fig)
    assert "drawn at their stated floor" in _footer(fig)


def test_freeze_chart_draws_the_unstated_amount_as_a_marker(seed):
    fig = F.chart_freeze_measures(F.freeze_measures(seed["funding"], seed["actors"], unit="m"),
                                  unit="m", sources=seed["sources"])  # fmt: skip
    bars = [t for t in fig.data if t.type == "bar"]
    assert sorted(x for b in bars for x in b.x) == [460.0, 7000.0]  # no zero bar
    marker = next(t for t in fig.data if t.type == "scatter")
    assert list(marker.text) == ["halted, amount not stated"]
    assert "World Bank" in marker.y[0]
    assert "halted funding to Afghanistan last week" in marker.hovertext[0]
    assert fig.layout.xaxis.title.text == "Amount (m USD)"


def test_chart_text_from_data_is_escaped(seed):
    funding = seed["funding"].copy()
    funding.loc[funding["measure_id"] == "F03", "quote"] = "<script>alert(1)</script> blocked"
    fig = F.chart_freeze_measures(F.freeze_measures(funding, seed["actors"]))
    hovers = json.dumps(fig.to_plotly_json()["data"])
    assert "<script>" not in hovers
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hovers


def test_timeline_chart_marks_precision(seed):
    timeline = F.freeze_timeline(seed["events"], seed["relations"], seed["funding"], seed["actors"])
    fig = F.chart_freeze_timeline(timeline, sources=seed["sources"])
    points = sum(len(t.x) for t in fig.data)
    assert points == len(timeline) == 7
    symbols = [s for t in fig.data for s in t.marker.symbol]
    assert (
        symbols.count("circle") == 3
    )  # R005 and the two executive-order rows are dated to the day
    assert any("US withdrawal complete" in (a.text or "") for a in fig.layout.annotations)


def test_shipped_timeline_draws_the_freezes_before_the_withdrawal_and_f08_as_done_by(seed):
    # the article's freezes are undated; the text places them before the article ("has already
    # frozen", "last week"), in August 2021: none may be drawn after the withdrawal it preceded
    timeline = F.freeze_timeline(
        analysis.load_events(),
        analysis.load_relations(),
        analysis.load_funding(),
        analysis.load_actors(),
    ).set_index("origin")
    article = timeline.loc[["funding F02", "funding F03", "funding F04"]]
    assert (article["date"] <= analysis.charts.WITHDRAWAL).all()
    assert set(article["when"]) == {"Aug 2021"}
    # the ARTF transfer: done by the fact sheet's day, which is not the day it happened
    assert timeline.loc["funding F08", "when"] == "by 11 Feb 2022"
    fig = F.chart_freeze_timeline(timeline.reset_index(), sources=seed["sources"])
    moved = next(t for t in fig.data if "transferred" in t.name)
    assert list(moved.marker.symbol) == ["triangle-left-open"]
    assert "done by then; the source does not say when" in moved.hovertext[0]
    assert "triangle: done by that date" in fig.layout.annotations[-1].text.replace("<br>", " ")


def test_reserves_chart_shows_the_gap_and_the_executive_order(wdi):
    funding = analysis.load_funding()
    fig = F.chart_reserves(F.reserves(wdi, ["PAK"]), funding, sources=analysis.load_sources())
    afg = fig.data[0]
    assert afg.name == "Afghanistan"
    assert len(afg.y) == 11  # 2015–2025
    assert all(v is None or math.isnan(v) for v in afg.y[6:])  # 2021–2025 missing, not 0
    bands = [s for s in fig.layout.shapes if s.fillcolor == charts.MISSING_COLOR]
    assert [(b.x0, b.x1) for b in bands] == [(2020.5, 2025.5)]
    eo = next(a for a in fig.layout.annotations if "executive order" in (a.text or ""))
    assert "3.5 bn USD made" in eo.text and "litigation" in eo.text
    assert "wh-eo-2022-02-11" in eo.hovertext
    assert "The White House" in _footer(fig)
    assert "not a fall to zero" in _footer(fig)
    assert fig.layout.title.text.endswith("Afghanistan reports none after 2020")
    early = F.chart_reserves(F.reserves(wdi, as_of="2021-12-31"), funding, as_of="2021-12-31")
    assert not any("executive order" in (a.text or "") for a in early.layout.annotations)


def test_context_charts_cite_the_dataset_and_carry_units(wdi):
    oda = F.chart_oda(F.net_oda(wdi, ["PAK", "CHN"]), unit="m")
    assert oda.layout.yaxis.title.text == "m USD" and oda.layout.yaxis2.title.text == "% of GNI"
    assert "DT.ODA.ODAT.CD" in _footer(oda) and "CC BY 4.0" in _footer(oda)
    growth = F.chart_gdp_growth(F.gdp_growth(wdi, ["PAK", "CHN"]))
    assert [t.name for t in growth.data] == ["Afghanistan", "Pakistan", "China"]
    assert "AFG 2025" in _footer(growth)  # the missing year is named, not drawn as zero
    assert "World Bank" in growth.data[0].hovertext[0]
    imf = F.chart_imf_credit(F.imf_credit(wdi, ["PAK"]))
    assert "includes SDR allocations" in _footer(imf)
    assert any("SDR allocation" in (a.text or "") for a in imf.layout.annotations)
    assert imf.layout.yaxis.title.text == "IMF credit (bn USD)"


def test_charts_say_when_nothing_is_dated_before_as_of(seed, wdi):
    fig = F.chart_freeze_measures(F.freeze_measures(seed["funding"], as_of="2020-01-01"),
                                  as_of="2020-01-01")  # fmt: skip
    assert not fig.data
    assert any("No freeze" in (a.text or "") for a in fig.layout.annotations)
    empty = F.chart_reserves(F.reserves(wdi, as_of="2014-12-31"), as_of="2014-12-31")
    assert any("No WDI year" in (a.text or "") for a in empty.layout.annotations)
