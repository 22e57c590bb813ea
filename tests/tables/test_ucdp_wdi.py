"""External tables: known values, tidy shapes, code and actor mappings, and bad files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES

from analysis.exceptions import DataError
from analysis.tables import catalog, external_schemas, mappings, ucdp
from analysis.tables import wdi as wb
from analysis.tables.catalog import get_spec
from analysis.tables.datadir import ENV_VAR, package_data_dir

RAW = package_data_dir() / "external"
CY_FILE = "ucdp_organized_violence_country_year_v25_1_2015_2024.csv"
ACD_FILE = "ucdp_prio_armed_conflict_v25_1_2015_2024.csv"
BRD_FILE = "ucdp_battle_related_deaths_dyadic_v24_1_2015_2023.csv"
NEW_CY = "ucdp_organized_violence_country_year_v26_1_2015_2025.csv"  # "another release"
WDI_FILE = "wdi_afghanistan_region_2015_2025.csv"


def _raw_rows(name: str) -> list[dict[str, str]]:
    """A shipped file read with the csv module only, independent of the package."""
    with (RAW / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _ints(field: str) -> list[int]:
    return [int(x) for x in field.split(",") if x.strip()]


def _user_dir(tmp_path: Path, fixture: str, as_name: str) -> Path:
    shutil.copy(FIXTURES / "external" / fixture, tmp_path / as_name)
    return tmp_path


# --- registry --------------------------------------------------------------------------------


def test_every_external_table_is_registered_with_a_description_and_a_tidy_step():
    names = [spec.name for spec in catalog.EXTERNAL]
    assert names == [
        "ucdp_country_year",
        "ucdp_acd",
        "ucdp_brd",
        "ucdp_actors",
        "wdi",
        "wdi_governance",
        "country_codes",
        "ucdp_actor_map",
        "indicator_families",
    ]
    for spec in catalog.EXTERNAL:
        assert spec.description and "\n" not in spec.description
        assert spec.tidy is not None
        assert get_spec(spec.name) is spec
        assert len(list((package_data_dir() / spec.subdir).glob(spec.pattern))) == 1


# --- UCDP country-year -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cy() -> pd.DataFrame:
    return ucdp.load_ucdp_country_year()


def test_country_year_pakistan_2024_total_is_1885(cy):
    row = cy.query("iso3 == 'PAK' and year == 2024 and violence_type == 'total'")
    assert len(row) == 1
    assert row[["deaths_best", "deaths_low", "deaths_high"]].iloc[0].tolist() == [1885, 1799, 2446]
    assert row["gw_code"].iloc[0] == 770
    assert row["dyad_count"].iloc[0] == 6 + 3 + 5  # state-based + non-state + one-sided


def test_country_year_afghanistan_2015_by_type(cy):
    afg = cy.query("iso3 == 'AFG' and year == 2015").set_index("violence_type")
    best = afg["deaths_best"]
    assert best["state_based"] == 17304
    assert best["state_based_intrastate"] == 17303
    assert best["state_based_interstate"] == 1
    assert best["non_state"] == 534
    assert best["one_sided"] == 180
    assert best["total"] == 18018
    assert afg.loc["state_based_interstate", "dyad_names"] == [
        "Government of Afghanistan - Government of Pakistan"
    ]
    assert "IS - Taleban" in afg.loc["non_state", "dyad_names"]


def test_country_year_is_long_with_one_row_per_country_year_and_type(cy):
    assert len(cy) == 1960 * 9
    assert not cy.duplicated(["gw_code", "year", "violence_type"]).any()
    assert list(cy.columns) == [
        "gw_code",
        "iso3",
        "country",
        "year",
        "region",
        "violence_type",
        "deaths_best",
        "deaths_low",
        "deaths_high",
        "dyad_count",
        "dyad_ids",
        "dyad_names",
        "version",
    ]
    assert cy["violence_type"].cat.ordered
    assert list(cy["violence_type"].cat.categories) == list(external_schemas.VIOLENCE_TYPE_NAMES)
    assert cy["gw_code"].dtype == "int64" and cy["year"].dtype == "int64"
    for column in ("deaths_best", "deaths_low", "deaths_high", "dyad_count"):
        assert cy[column].dtype == "Int64"
    assert cy["iso3"].notna().all()
    assert set(cy["version"]) == {"25.1"}
    assert (cy["year"].min(), cy["year"].max()) == (2015, 2024)


def test_country_year_deaths_match_the_raw_file_in_every_row(cy):
    raw = {(int(r["country_id_cy"]), int(r["year_cy"])): r for r in _raw_rows(CY_FILE)}
    tidy = cy.set_index(["gw_code", "year", "violence_type"])
    for (gw, year), row in raw.items():
        for kind in external_schemas.VIOLENCE_TYPES:
            got = tidy.loc[(gw, year, kind.name)]
            for estimate in external_schemas.ESTIMATES:
                assert got[f"deaths_{estimate}"] == int(row[kind.deaths.format(estimate)])


def test_total_is_the_sum_of_the_three_types_of_violence(cy):
    wide = cy.pivot_table(
        index=["gw_code", "year"], columns="violence_type", values="deaths_best", observed=True
    )
    parts = wide["state_based"] + wide["non_state"] + wide["one_sided"]
    assert (parts == wide["total"]).all()


def test_no_dyad_is_an_empty_list_and_an_unlisted_dyad_set_is_missing(cy):
    canada = cy.query("iso3 == 'CAN' and year == 2015").set_index("violence_type")
    assert canada.loc["state_based", "dyad_names"] == []
    assert canada.loc["state_based", "dyad_count"] == 0
    assert canada.loc["one_sided_nsgroup", "dyad_names"] is None
    assert pd.isna(canada.loc["one_sided_nsgroup", "dyad_count"])


def test_dyad_ids_agree_with_dyad_count(cy):
    listed = cy[cy["dyad_ids"].notna()]
    assert (listed["dyad_ids"].map(len) == listed["dyad_count"]).all()


# --- UCDP/PRIO ACD ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def acd() -> pd.DataFrame:
    return ucdp.load_ucdp_acd()


def test_acd_shape_keys_and_dtypes(acd):
    assert len(acd) == len(_raw_rows(ACD_FILE)) == 557
    assert not acd.duplicated(["conflict_id", "year"]).any()
    assert str(acd["start_date"].dtype).startswith("datetime64")
    assert acd["ep_end"].dtype == bool
    assert set(acd["intensity_level"]) == {1, 2}
    assert set(acd["type_of_conflict"].cat.categories) == set(
        external_schemas.TYPE_OF_CONFLICT.values()
    )


def test_acd_afghanistan_taliban_conflict(acd):
    row = acd.query("conflict_id == 333 and year == 2015").iloc[0]
    assert row["start_date"] == pd.Timestamp("1975-07-02")
    assert row["start_date2"] == pd.Timestamp("1978-04-27")
    assert row["type_of_conflict"] == "internationalized_intrastate"
    assert row["incompatibility"] == "government"
    assert row["gwno_a_2nd"] == [2, 770]
    assert row["location_iso3"] == ["AFG"]
    assert row["region"] == ["Asia"]
    assert row["seed_actor_ids"] == ["ghani_admin", "pak", "usa", "taliban"]
    after = acd.query("conflict_id == 333 and year == 2022").iloc[0]
    assert after["side_b_id"] == [8114, 8343]  # NRF, AFF: ids sorted on their own
    assert after["seed_actor_ids"] == ["taliban"]


def test_acd_lists_split_and_locations_get_iso3(acd):
    red_sea = acd.query("conflict_id == 16099 and year == 2024").iloc[0]
    assert red_sea["gwno_a"] == [200, 2]  # the raw field is "200,  2"
    assert red_sea["side_a_id"] == [28, 3]
    assert red_sea["location_iso3"] == ["USA", "GBR", "YEM"]
    assert red_sea["region"] == ["Europe", "Middle East", "Americas"]
    border = acd.query("conflict_id == 11639 and year == 2024").iloc[0]
    assert border["location_iso3"] == ["AFG", "PAK"]
    assert border["seed_actor_ids"] == ["taliban", "pak"]


def test_acd_pakistan_ttp_reached_war_intensity_in_2024(acd):
    ttp = acd.query("conflict_id == 404").set_index("year")
    assert ttp.loc[2024, "intensity_level"] == 2
    assert ttp.loc[2023, "intensity_level"] == 1
    assert ttp.loc[2024, "seed_actor_ids"] == ["pak", "ttp"]


def test_acd_is_is_isis_k_in_russia_but_not_in_syria(acd):
    russia = acd.query("conflict_id == 13588 and year == 2024").iloc[0]
    assert russia["seed_actor_ids"] == ["rus", "isis_k"]
    syria_is = acd[acd["location"].eq("Syria") & acd["side_b"].eq("IS")]
    assert len(syria_is) > 0
    assert not syria_is["seed_actor_ids"].map(lambda ids: "isis_k" in ids).any()


# --- UCDP BRD --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def brd() -> pd.DataFrame:
    return ucdp.load_ucdp_brd()


def test_brd_pakistan_ttp_battle_deaths(brd):
    ttp = brd.query("dyad_id == 857").set_index("year")
    assert ttp.loc[[2015, 2019, 2021, 2023], "bd_best"].tolist() == [1954, 148, 259, 752]
    assert ttp.loc[2023, ["bd_low", "bd_high"]].tolist() == [715, 759]
    assert ttp.loc[2023, "battle_iso3"] == ["AFG", "PAK"]
    assert ttp.loc[2023, "seed_actor_ids"] == ["pak", "ttp"]


def test_brd_matches_the_raw_file(brd):
    raw = _raw_rows(BRD_FILE)
    assert len(brd) == len(raw) == 580
    by_key = brd.set_index(["dyad_id", "year"])
    for row in raw:
        got = by_key.loc[(int(row["dyad_id"]), int(row["year"]))]
        assert got["bd_best"] == int(row["bd_best"])
        assert got["gwno_battle"] == _ints(row["gwno_battle"])


def test_brd_shape_keys_and_dtypes(brd):
    assert not brd.duplicated(["dyad_id", "year"]).any()
    for column in ("bd_best", "bd_low", "bd_high"):
        assert brd[column].dtype == "Int64"
    assert brd["side_b_id"].dtype == "int64"
    assert set(brd["version"]) == {"24.1"}


def test_brd_maps_actors_at_the_conflicts_location_not_the_battles(brd):
    iraq_is = brd.query("dyad_id == 524 and year == 2021").iloc[0]
    assert iraq_is["battle_iso3"] == ["AFG", "IRQ"]
    assert iraq_is["location_iso3"] == ["IRQ"]
    assert "isis_k" not in iraq_is["seed_actor_ids"]
    assert "usa" in iraq_is["seed_actor_ids"]  # a secondary side, mapped by name
    afg_is = brd.query("side_a_id == 130 and side_b_id == 234").set_index("year")
    assert afg_is.loc[2020, "seed_actor_ids"] == ["ghani_admin", "usa", "isis_k"]
    assert afg_is.loc[2022, "seed_actor_ids"] == ["taliban", "isis_k"]
    assert afg_is.loc[2022, "bd_best"] == 253


# --- UCDP actors -----------------------------------------------------------------------------


def test_actor_list_reads_bom_crlf_and_quoted_newlines():
    actors = ucdp.load_ucdp_actors()
    assert len(actors) == 1725
    assert actors.columns[0] == "ucdp_actor_id"  # not "\ufeffActorId"
    assert actors["ucdp_actor_id"].is_unique
    by_id = actors.set_index("ucdp_actor_id")
    assert by_id.loc[422, "name_orig_full_eng"] == (
        "Alliance of Democratic Forces for the Liberation of Congo-\nKinshasa"
    )
    assert by_id.loc[769, "name"] == "al-Qaida"  # "al-Qaida " in the file
    assert by_id.loc[130, "gwno_loc"] == [700, 365, 770, 2, 200]  # " 700, ..." in the file
    assert by_id.loc[234, "name_change"]
    assert by_id.loc[303, "name"] == "Taleban"
    assert (by_id.loc[by_id["name"].str.startswith("Government of"), "org"] == 4).all()


# --- WDI -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wdi() -> pd.DataFrame:
    return wb.load_wdi()


def test_wdi_afghan_reserves_reach_9_75_bn_in_2020_and_then_stop(wdi):
    reserves = wdi.query("country_code == 'AFG' and indicator_code == 'FI.RES.TOTL.CD'")
    assert reserves["year"].tolist() == [2015, 2016, 2017, 2018, 2019, 2020]
    assert reserves.set_index("year").loc[2020, "value"] == pytest.approx(9.748946e9, rel=1e-6)
    assert reserves.query("year >= 2021").empty
    assert reserves["unit"].unique().tolist() == ["current USD"]


def test_wdi_is_long_with_units_and_aggregates(wdi):
    assert len(wdi) == 1893
    assert not wdi.duplicated(["country_code", "indicator_code", "year"]).any()
    assert list(wdi.columns) == [
        "country_code",
        "country_name",
        "is_aggregate",
        "indicator_code",
        "indicator_name",
        "unit",
        "year",
        "value",
    ]
    assert set(wdi.loc[wdi["is_aggregate"], "country_code"]) == {"WLD", "SAS"}
    assert wdi["unit"].notna().all()
    assert wdi["year"].dtype == "int64" and wdi["value"].dtype == "float64"
    units = wdi.drop_duplicates("indicator_code").set_index("indicator_code")["unit"]
    assert units["DT.ODA.ODAT.GN.ZS"] == "% of GNI"
    assert units["SP.POP.TOTL"] == "persons"
    assert units["NY.GDP.PCAP.CD"] == "current USD per person"


def test_wdi_afghan_gdp_fell_by_a_fifth_in_2021(wdi):
    growth = wdi.query("country_code == 'AFG' and indicator_code == 'NY.GDP.MKTP.KD.ZG'")
    assert growth.set_index("year").loc[2021, "value"] == pytest.approx(-20.738839, abs=1e-6)


def test_wdi_governance_long_and_known_values():
    gov = wb.load_wdi_governance()
    assert len(gov) == 450
    assert not gov.duplicated(["country_code", "indicator_code", "year"]).any()
    afg = gov.query("country_code == 'AFG'").pivot(
        index="year", columns="indicator_code", values="value"
    )
    assert afg.loc[2017, "PV.EST"] == pytest.approx(-2.794976, abs=1e-6)
    assert afg.loc[2023, "SM.POP.RHCR.EO"] == 6403144
    aggregates = gov[gov["is_aggregate"]]
    assert set(aggregates["indicator_code"]) == {"SM.POP.RHCR.EO"}
    assert gov["unit"].notna().all()


# --- country codes ---------------------------------------------------------------------------


def _gw_codes_in_shipped_ucdp_files() -> set[int]:
    codes = {int(r["country_id_cy"]) for r in _raw_rows(CY_FILE)}
    for name, fields in (
        (ACD_FILE, ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc")),
        (BRD_FILE, ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc", "gwno_battle")),
    ):
        for row in _raw_rows(name):
            for field in fields:
                codes.update(_ints(row[field]))
    return codes


def test_every_gw_code_in_the_shipped_ucdp_files_maps_to_exactly_one_iso3():
    codes = mappings.load_country_codes()
    assert codes["gw_code"].is_unique and codes["iso3"].is_unique
    iso3_of = codes.groupby("gw_code")["iso3"].nunique()
    used = _gw_codes_in_shipped_ucdp_files()
    assert len(used) == 196
    assert used <= set(iso3_of.index), sorted(used - set(iso3_of.index))
    assert (iso3_of[sorted(used)] == 1).all()


def test_gw_codes_that_differ_from_cow_or_iso():
    iso3 = mappings.load_country_codes().set_index("gw_code")["iso3"]
    assert iso3[260] == "DEU"
    assert iso3[345] == "SRB"
    assert iso3[347] == "XKX"
    assert iso3[365] == "RUS"
    assert iso3[678] == "YEM"
    assert iso3[816] == "VNM"
    assert iso3[713] == "TWN"


def test_every_wdi_country_is_a_mapped_state_or_an_aggregate(wdi):
    iso3 = set(mappings.load_country_codes()["iso3"])
    countries = set(wdi.loc[~wdi["is_aggregate"], "country_code"])
    assert countries <= iso3


# --- actor mapping ---------------------------------------------------------------------------


def test_is_is_isis_k_only_where_location_and_date_support_it():
    for place in ("AFG", "PAK"):
        assert mappings.map_ucdp_actor(234, place, 2015) == "isis_k"
    # Russia 2015-2020: the Caucasus province; Iran before 2024 and Tajikistan before 2021: not
    # attributed to Khorasan. The map keeps a row for each, with the reading in its note.
    assert mappings.map_ucdp_actor(234, "RUS", 2019) is None
    assert mappings.map_ucdp_actor(234, "RUS", 2024) == "isis_k"
    assert mappings.map_ucdp_actor(234, "IRN", 2017) is None
    assert mappings.map_ucdp_actor(234, "IRN", 2024) == "isis_k"
    assert mappings.map_ucdp_actor(234, "TJK", 2018) is None
    assert mappings.map_ucdp_actor("IS", "SYR", 2023) is None
    assert mappings.map_ucdp_actor("IS", "IRQ", "2021-08-26") is None
    assert mappings.map_ucdp_actor("IS", None, 2023) is None
    amap = mappings.load_ucdp_actor_map()
    caucasus = amap[(amap["ucdp_actor_id"] == 234) & (amap["location_iso3"] == "RUS")]
    assert "Caucasus province" in caucasus.loc[caucasus["actor_id"].isna(), "note"].iloc[0]


def test_the_nrf_is_dated_from_the_fall_of_kabul():
    amap = mappings.load_ucdp_actor_map().set_index("ucdp_actor_id")
    assert amap.loc[8114, "valid_from"] == pd.Timestamp("2021-08-15")


def test_government_of_afghanistan_is_the_taliban_from_15_august_2021():
    assert mappings.map_ucdp_actor(130, "AFG", 2020) == "ghani_admin"
    assert mappings.map_ucdp_actor(130, "AFG", 2020) != "taliban"
    assert mappings.map_ucdp_actor(130, "AFG", 2022) == "taliban"
    assert (
        mappings.map_ucdp_actor("Government of Afghanistan", "PAK", "2021-08-14") == "ghani_admin"
    )
    assert mappings.map_ucdp_actor("Government of Afghanistan", "PAK", "2021-08-15") == "taliban"
    assert mappings.map_ucdp_actor(130, None, 2010) == "afg"
    with pytest.raises(ValueError, match="pass a date"):
        mappings.map_ucdp_actor(130, "AFG", 2021)
    assert mappings.map_ucdp_actor_in_year(130, "AFG", 2021) == ["ghani_admin", "taliban"]


def test_actor_names_and_ids_both_map():
    assert mappings.map_ucdp_actor("Taleban", "AFG", 2019) == "taliban"
    assert mappings.map_ucdp_actor(" AL-QAIDA ", "USA", 2016) == "al_qaeda"
    assert mappings.map_ucdp_actor("356", "PAK", 2023) == "ttp"
    assert mappings.map_ucdp_actor(1156, "CHN", 2008) == "etim"
    for ucdp_id, seed_id in ((142, "pak"), (114, "irn"), (57, "rus"), (135, "chn"), (3, "usa")):
        assert mappings.map_ucdp_actor(ucdp_id, None, 2022) == seed_id
    assert mappings.map_ucdp_actor("Government of India", "PAK", 2019) == "ind"


def test_actors_without_a_seed_actor_are_kept_but_map_to_none():
    amap = mappings.load_ucdp_actor_map().set_index("ucdp_actor_id")
    for ucdp_id in (4364, 359, 8114):
        assert ucdp_id in amap.index
        assert pd.isna(amap.loc[ucdp_id, "actor_id"])
        assert mappings.map_ucdp_actor(ucdp_id, "IRN", 2023) is None
    assert mappings.map_ucdp_actor(99999, "AFG", 2023) is None


def test_actor_map_ids_and_names_exist_in_the_ucdp_actor_list():
    names = ucdp.load_ucdp_actors().set_index("ucdp_actor_id")["name"]
    amap = mappings.load_ucdp_actor_map()
    for row in amap.itertuples():
        assert row.ucdp_actor_id in names.index, row.ucdp_actor_id
        assert names[row.ucdp_actor_id] == row.ucdp_name


def test_actor_map_rejects_overlapping_windows(tmp_path):
    text = (package_data_dir() / "mappings" / "ucdp_actor_map.csv").read_text(encoding="utf-8")
    text = text.replace(
        "130,Government of Afghanistan,taliban,,2021-08-15,",
        "130,Government of Afghanistan,taliban,,2021-08-01,",
    )
    (tmp_path / "ucdp_actor_map.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        mappings.load_ucdp_actor_map(data_dir=tmp_path)
    message = str(err.value)
    assert "ucdp_actor_map.csv" in message
    assert "overlapping another row" in message
    assert "row 11" in message and "row 12" in message  # the ghani_admin and taliban rows


# --- bad files: every failure names the file, and the row and column where it can ------------


def test_a_small_valid_country_year_file_from_a_user_directory_loads(tmp_path):
    data_dir = _user_dir(tmp_path, "ucdp_cy_small.csv", NEW_CY)
    cy = ucdp.load_ucdp_country_year(data_dir=data_dir)
    assert len(cy) == 3 * 9
    assert set(cy["iso3"]) == {"CAN"}


def test_another_release_with_renamed_columns_names_the_missing_columns(tmp_path):
    data_dir = _user_dir(tmp_path, "ucdp_cy_renamed_columns.csv", NEW_CY)
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_country_year(data_dir=data_dir)
    problems = {(p.file, p.column, p.message) for p in err.value.problems}
    assert problems == {
        (NEW_CY, "country_id_cy", "required column is missing"),
        (NEW_CY, "year_cy", "required column is missing"),
    }
    assert f"{NEW_CY}, column 'country_id_cy': required column is missing" in str(err.value)


def test_a_negative_death_count_names_file_row_and_column(tmp_path):
    data_dir = _user_dir(tmp_path, "ucdp_cy_negative_deaths.csv", NEW_CY)
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_country_year(data_dir=data_dir)
    assert str(err.value) == (
        f"{NEW_CY}, row 2, column 'sb_total_deaths_best_cy': -5 fails check "
        "greater_than_or_equal_to(0)"
    )


def test_a_non_numeric_year_names_file_row_and_column(tmp_path):
    data_dir = _user_dir(tmp_path, "ucdp_cy_bad_year.csv", NEW_CY)
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_country_year(data_dir=data_dir)
    assert (
        str(err.value) == f"{NEW_CY}, row 3, column 'year_cy': '20l7' is not a valid whole number"
    )


def test_a_duplicate_country_year_names_both_rows(tmp_path):
    data_dir = _user_dir(tmp_path, "ucdp_cy_duplicate_key.csv", NEW_CY)
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_country_year(data_dir=data_dir)
    assert [p.row for p in err.value.problems] == [2, 3]
    assert all(p.file == NEW_CY for p in err.value.problems)
    assert "row 3: duplicate key (country_id_cy, year_cy) = (" in str(err.value)
    assert "2016)" in str(err.value)


def test_an_empty_file_is_reported(tmp_path):
    (tmp_path / NEW_CY).write_bytes(b"")
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_country_year(data_dir=tmp_path)
    assert str(err.value) == f"{NEW_CY}: is empty (no header, no rows)"


def test_a_non_utf8_file_is_reported(tmp_path):
    (tmp_path / WDI_FILE).write_bytes(b"\xff\xfec\x00o\x00u\x00n\x00t\x00r\x00y\x00\n\x00")
    with pytest.raises(DataError) as err:
        wb.load_wdi(data_dir=tmp_path)
    assert str(err.value) == f"{WDI_FILE}: is not UTF-8: byte 0xff on line 1"


def test_spreadsheet_dates_in_an_acd_file_are_rejected(tmp_path):
    text = (RAW / ACD_FILE).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace("2011-08-20", "20-8-2011", 1)
    name = "ucdp_prio_armed_conflict_v26_1_2015_2025.csv"
    (tmp_path / name).write_text("".join(lines[:4]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ucdp.load_ucdp_acd(data_dir=tmp_path)
    assert str(err.value) == (
        f"{name}, row 1, column 'start_date': '20-8-2011' fails check date written YYYY-MM-DD"
    )


# --- bring your own data ---------------------------------------------------------------------


def test_data_dir_replaces_the_shipped_wdi_file_and_nothing_else(tmp_path):
    data_dir = _user_dir(tmp_path, "wdi_corrected.csv", WDI_FILE)
    wdi = wb.load_wdi(data_dir=data_dir)
    assert len(wdi) == 3
    reserves = wdi.query("country_code == 'AFG'").set_index("year")["value"]
    assert reserves[2020] == 9.5e9
    assert wdi.set_index("country_code").loc["WLD", "is_aggregate"]
    assert len(wb.load_wdi()) == 1893  # the shipped copy is untouched
    assert len(wb.load_wdi_governance(data_dir=data_dir)) == 450  # falls back to the package


def test_the_environment_variable_points_at_a_data_directory(tmp_path, monkeypatch):
    data_dir = _user_dir(tmp_path, "wdi_corrected.csv", WDI_FILE)
    monkeypatch.setenv(ENV_VAR, str(data_dir))
    wdi = wb.load_wdi()
    assert wdi.query("country_code == 'AFG' and year == 2020")["value"].tolist() == [9.5e9]
    monkeypatch.delenv(ENV_VAR)
    assert len(wb.load_wdi()) == 1893


def test_a_mapping_override_in_data_dir_reaches_the_tidy_step(tmp_path):
    """A corrected actor map in the user's directory is used when loading BRD from there."""
    import shutil

    from analysis.tables.datadir import package_data_dir

    src = package_data_dir() / "mappings" / "ucdp_actor_map.csv"
    text = src.read_text(encoding="utf-8")
    lines = text.splitlines()
    header, rows = lines[0], lines[1:]
    kept = [r for r in rows if not r.startswith("356,")]  # drop the TTP mapping
    assert len(kept) == len(rows) - 1
    (tmp_path / "ucdp_actor_map.csv").write_text(
        "\n".join([header, *kept]) + "\n", encoding="utf-8"
    )
    shutil.copy(
        package_data_dir() / "external" / "ucdp_battle_related_deaths_dyadic_v24_1_2015_2023.csv",
        tmp_path,
    )
    from analysis import tables as external

    shipped = external.load_ucdp_brd()
    override = external.load_ucdp_brd(tmp_path)
    assert shipped["seed_actor_ids"].map(lambda ids: "ttp" in ids).any()
    assert not override["seed_actor_ids"].map(lambda ids: "ttp" in ids).any()


def test_duplicate_key_is_one_problem_naming_the_key(tmp_path):
    from analysis import tables as external
    from analysis.exceptions import DataError
    from analysis.tables.datadir import package_data_dir

    src = package_data_dir() / "external" / "wdi_afghanistan_region_2015_2025.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    (tmp_path / src.name).write_text("\n".join([*lines[:3], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        external.load_wdi(tmp_path)
    problems = [str(p) for p in err.value.problems]
    assert problems == [
        f"{src.name}, row 2: duplicate key (country_code, indicator_code, year) = "
        "('AFG', 'BX.TRF.PWKR.CD.DT', 2016)",
        f"{src.name}, row 3: duplicate key (country_code, indicator_code, year) = "
        "('AFG', 'BX.TRF.PWKR.CD.DT', 2016)",
    ]
