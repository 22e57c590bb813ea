"""UCDP tables: organised violence per country-year, UCDP/PRIO armed conflicts, battle-related
deaths per dyad, and the actor list — each read, validated and tidied into a long frame.

==================  ===============================================  ============================
table               file pattern                                     one row per
==================  ===============================================  ============================
ucdp_country_year   ucdp_organized_violence_country_year_*.csv       country, year, violence type
ucdp_acd            ucdp_prio_armed_conflict_*.csv                   conflict, year
ucdp_brd            ucdp_battle_related_deaths_dyadic_*.csv          dyad, year
ucdp_actors         ucdp_actor_list_*.csv                            UCDP actor
==================  ===============================================  ============================

The raw files ship byte for byte under ``analysis/data/external`` (provenance, licences and
coding caveats in ``seeds/external/SOURCES.md``). The tidy steps join the two mapping tables
(:mod:`.mappings`) from the same ``data_dir`` as the table being loaded, so a corrected mapping
in a user's directory is used too.

>>> cy = load_ucdp_country_year()
>>> int(cy.query("iso3 == 'PAK' and year == 2024 and violence_type == 'total'").deaths_best.iloc[0])
1885
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import DataError
from .identify import missing_codes_problem
from .mappings import (
    _clean,
    _ints,
    _iso3_by_gw,
    _map_rows,
    _MapRow,
    _matching,
    _names,
    _parse_dates,
    _to_iso3,
    load_country_codes,
    load_ucdp_actor_map,
)
from .registry import TableSpec, last_loaded, load_table
from .vocab import (
    _ACTOR_COLUMNS,
    ACD_COLUMNS,
    BRD_COLUMNS,
    ESTIMATES,
    INCOMPATIBILITY,
    NO_DYAD,
    TYPE_OF_CONFLICT,
    UCDP_REGIONS,
    VIOLENCE_TYPE_NAMES,
    VIOLENCE_TYPES,
    DataDir,
)


def _dyad_list(value: str, cast=str) -> list:
    """``"a; b"`` → ``["a", "b"]``; ``NO_DYAD`` → ``[]``."""
    return [] if value == NO_DYAD else [cast(part) for part in value.split("; ")]


def _seed_ids(row, rows: list[_MapRow]) -> list[str]:
    """Seed ids of the sides of one ACD/BRD row: primary sides by id, secondary ones by name,
    mapped at each of the conflict's locations during the row's year."""
    actors: list[int | str] = []
    for side in ("a", "b"):
        actors += _ints(getattr(row, f"side_{side}_id"))
        actors += _names(getattr(row, f"side_{side}_2nd"))
    places = row.location_iso3 or [None]
    found: list[str] = []
    for actor in actors:
        for place in places:
            found += [
                r.actor_id
                for r in _matching(rows, actor, place, int(row.year))
                if r.actor_id is not None
            ]
    return list(dict.fromkeys(found))


def _check_codes(table: str, codes, years, iso3: dict[int, str], data_dir: DataDir) -> None:
    """Every GW code (``codes``: one list per row, with the row's year) the mapping lacks, named
    at once with the file they come from: one DataError, not one run per code."""
    missing: dict[int, set[int]] = {}
    for row_codes, year in zip(codes, years, strict=True):
        for code in row_codes:
            if code not in iso3:
                missing.setdefault(code, set()).add(int(year))
    if missing:
        path, _ = last_loaded(table)
        raise DataError([missing_codes_problem(table, missing, path, data_dir)])


def _tidy_country_year(raw: pd.DataFrame, data_dir: DataDir = None) -> pd.DataFrame:
    iso3 = _iso3_by_gw(load_country_codes(data_dir))
    _check_codes(
        "ucdp_country_year",
        [[int(c)] for c in raw["country_id_cy"]],
        raw["year_cy"],
        iso3,
        data_dir,
    )
    base = pd.DataFrame(
        {
            "gw_code": raw["country_id_cy"].astype("int64"),
            "iso3": [
                _to_iso3([code], iso3, f"UCDP country '{name}'")[0]
                for code, name in zip(raw["country_id_cy"], raw["country_cy"], strict=True)
            ],
            "country": raw["country_cy"].map(_clean),
            "year": raw["year_cy"].astype("int64"),
            "region": raw["region_cy"],
            "version": raw["version"],
        }
    )
    parts = []
    for kind in VIOLENCE_TYPES:
        part = base.copy()
        part["violence_type"] = kind.name
        for estimate in ESTIMATES:
            part[f"deaths_{estimate}"] = raw[kind.deaths.format(estimate)].astype("Int64")
        if kind.dyads:
            part["dyad_count"] = sum(
                raw[f"{p}_dyad_count_cy"].astype("int64") for p in kind.dyads
            ).astype("Int64")
            part["dyad_ids"] = [
                sum((_dyad_list(v, int) for v in values), [])
                for values in zip(*(raw[f"{p}_dyad_ids_cy"] for p in kind.dyads), strict=True)
            ]
            part["dyad_names"] = [
                sum((_dyad_list(v) for v in values), [])
                for values in zip(*(raw[f"{p}_dyad_names_cy"] for p in kind.dyads), strict=True)
            ]
        else:  # the file gives no dyad list for the one-sided sub-types: missing, not empty
            part["dyad_count"] = pd.array([pd.NA] * len(part), dtype="Int64")
            part["dyad_ids"] = None
            part["dyad_names"] = None
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    long["violence_type"] = pd.Categorical(
        long["violence_type"], categories=list(VIOLENCE_TYPE_NAMES), ordered=True
    )
    columns = [
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
    return long[columns].sort_values(["gw_code", "year", "violence_type"], ignore_index=True)


def _add_places(
    frame: pd.DataFrame, table: str, data_dir: DataDir = None, **iso3_columns: str
) -> pd.DataFrame:
    """Turn every ``gwno_*`` field into a list of ints and add ISO3 lists for the named ones
    (``location_iso3="gwno_loc"``)."""
    iso3 = _iso3_by_gw(load_country_codes(data_dir))
    out = frame.copy()
    for column in [c for c in out.columns if c.startswith("gwno_")]:
        out[column] = out[column].map(_ints)
    for source in iso3_columns.values():
        _check_codes(table, out[source], out["year"], iso3, data_dir)
    for target, source in iso3_columns.items():
        out[target] = [_to_iso3(codes, iso3, f"UCDP {source}") for codes in out[source]]
    return out


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Coded ACD/BRD fields as ordered categoricals and region code lists as name lists."""
    out = frame.copy()
    for column, vocab in (
        ("incompatibility", INCOMPATIBILITY),
        ("type_of_conflict", TYPE_OF_CONFLICT),
    ):
        out[column] = pd.Categorical(
            out[column].map(vocab), categories=list(vocab.values()), ordered=True
        )
    out["region"] = out["region"].map(lambda v: [UCDP_REGIONS[code] for code in _ints(v)])
    return out


def _with_seed_ids(frame: pd.DataFrame, data_dir: DataDir = None) -> pd.Series:
    rows = _map_rows(load_ucdp_actor_map(data_dir))
    return pd.Series(
        [_seed_ids(row, rows) for row in frame.itertuples(index=False)],
        index=frame.index,
        dtype=object,
    )


def _tidy_acd(raw: pd.DataFrame, data_dir: DataDir = None) -> pd.DataFrame:
    out = _parse_dates(raw, "start_date", "start_date2", "ep_end_date")
    out = _add_places(out, "ucdp_acd", data_dir, location_iso3="gwno_loc")
    out = _labels(out)
    out["ep_end"] = out["ep_end"].astype(bool)
    out["ep_end_prec"] = out["ep_end_prec"].astype("Int64")
    out["seed_actor_ids"] = _with_seed_ids(out, data_dir)
    for side in ("a", "b"):
        out[f"side_{side}_id"] = out[f"side_{side}_id"].map(_ints)
    columns = list(ACD_COLUMNS)
    columns.insert(columns.index("gwno_loc") + 1, "location_iso3")
    return out[[*columns, "seed_actor_ids"]].sort_values(["conflict_id", "year"], ignore_index=True)


def _tidy_brd(raw: pd.DataFrame, data_dir: DataDir = None) -> pd.DataFrame:
    out = _add_places(
        raw, "ucdp_brd", data_dir, location_iso3="gwno_loc", battle_iso3="gwno_battle"
    )
    out = _labels(out)
    for column in ("bd_best", "bd_low", "bd_high"):
        out[column] = out[column].astype("Int64")
    out["seed_actor_ids"] = _with_seed_ids(out, data_dir)
    columns = list(BRD_COLUMNS)
    columns.insert(columns.index("gwno_loc") + 1, "location_iso3")
    columns.insert(columns.index("gwno_battle") + 1, "battle_iso3")
    return out[[*columns, "seed_actor_ids"]].sort_values(["dyad_id", "year"], ignore_index=True)


def _tidy_actors(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    for source, target, kind, _ in _ACTOR_COLUMNS:
        values = raw[source]
        if kind == "flag":
            out[target] = values.astype(bool)
        elif kind == "ids":
            out[target] = values.map(_ints)
        elif kind == "int":
            out[target] = values.astype("int64")
        else:
            out[target] = values.map(_clean)
    out["region"] = out["region"].map(lambda codes: [UCDP_REGIONS[c] for c in codes])
    return out.sort_values("ucdp_actor_id", ignore_index=True)


UCDP_COUNTRY_YEAR = TableSpec(
    "ucdp_country_year",
    "ucdp_organized_violence_country_year_*.csv",
    "external",
    "external_schemas:UCDP_COUNTRY_YEAR_SCHEMA",
    "UCDP organized violence per country and year, by type of violence (deaths, dyads)",
    tidy=_tidy_country_year,
)


UCDP_ACD = TableSpec(
    "ucdp_acd",
    "ucdp_prio_armed_conflict_*.csv",
    "external",
    "external_schemas:UCDP_ACD_SCHEMA",
    "UCDP/PRIO armed conflicts per year (sides, intensity, type, dates)",
    tidy=_tidy_acd,
)


UCDP_BRD = TableSpec(
    "ucdp_brd",
    "ucdp_battle_related_deaths_dyadic_*.csv",
    "external",
    "external_schemas:UCDP_BRD_SCHEMA",
    "UCDP battle-related deaths per dyad and year",
    tidy=_tidy_brd,
)


UCDP_ACTORS = TableSpec(
    "ucdp_actors",
    "ucdp_actor_list_*.csv",
    "external",
    "external_schemas:UCDP_ACTORS_SCHEMA",
    "UCDP actor list: ids, names, name history, locations",
    tidy=_tidy_actors,
)


def load_ucdp_country_year(data_dir: DataDir = None) -> pd.DataFrame:
    """UCDP organized violence, long: one row per country, year and type of violence.

    =============  ============  ==========================================================
    column         dtype         meaning
    =============  ============  ==========================================================
    gw_code        int64         Gleditsch–Ward state code (UCDP ``country_id_cy``)
    iso3           str           ISO 3166-1 alpha-3, from ``country_codes.csv``
    country        str           UCDP's name (``Russia (Soviet Union)``)
    year           int64         calendar year
    region         str           UCDP region: Africa, Americas, Asia, Europe, Middle East
    violence_type  category      ordered: state_based, state_based_intrastate,
                                 state_based_interstate, non_state, one_sided,
                                 one_sided_main_govt, one_sided_any_govt, one_sided_nsgroup,
                                 total
    deaths_best    Int64         deaths, UCDP best estimate (persons)
    deaths_low     Int64         deaths, low estimate (persons)
    deaths_high    Int64         deaths, high estimate (persons)
    dyad_count     Int64         active dyads (≥ 25 deaths in the year); <NA> for the
                                 one_sided_* sub-types, for which the file lists none
    dyad_ids       object        list of UCDP dyad ids ([] for NO_DYAD; None when not given)
    dyad_names     object        list of "side a - side b" names (as dyad_ids)
    version        str           UCDP release (``25.1``)
    =============  ============  ==========================================================

    Where the numbers come from: state_based ``sb_total_deaths_*``, the two state-based
    sub-types ``sb_intrastate_deaths_*`` and ``sb_interstate_deaths_*``, non_state
    ``ns_total_deaths_*``, one_sided ``os_total_deaths_*`` (= any_govt + nsgroup), its
    sub-types ``os_main_govt_killings_*`` (included in any_govt), ``os_any_govt_killings_*``,
    ``os_nsgroup_killings_*``, and total ``cumulative_total_deaths_in_orgvio_*``. Despite its
    name, "cumulative" sums the three types within one year (it equals state_based + non_state
    + one_sided in every row of v25.1); it does not accumulate over years. The total's dyads are
    the state-based, non-state and one-sided dyads together. UCDP's low/best/high are not always
    ordered (e.g. Russia 2024 state-based: low 6,314, best 7,673, high 5,823): kept as published.
    Interstate deaths appear in each state's row (Afghanistan–Pakistan 2024 in both).

    >>> cy = load_ucdp_country_year()
    >>> cy.groupby("violence_type", observed=True).size().unique().tolist()
    [1960]
    >>> pak = cy.query("iso3 == 'PAK' and year == 2024").set_index("violence_type")
    >>> pak.loc[["state_based", "non_state", "one_sided", "total"], "deaths_best"].tolist()
    [1549, 233, 103, 1885]
    """
    return load_table(UCDP_COUNTRY_YEAR, data_dir)


def load_ucdp_acd(data_dir: DataDir = None) -> pd.DataFrame:
    """UCDP/PRIO Armed Conflict Dataset: one row per conflict and year (≥ 25 battle deaths).

    ====================  ==============  ===================================================
    column                dtype           meaning
    ====================  ==============  ===================================================
    conflict_id           int64           UCDP conflict id
    location              str             the government(s) or territory fought over
    side_a                str             primary side A (a government)
    side_a_id             object          list of UCDP actor ids of side A
    side_a_2nd            str             states fighting alongside side A (nullable)
    side_b                str             primary side B, ", "-joined when several
    side_b_id             object          list of actor ids of side B; sorted on their own,
                                          so NOT in the order of the names in ``side_b``
    side_b_2nd            str             supporters of side B (nullable)
    incompatibility       category        territory, government, government_and_territory
    territory_name        str             the territory contested (nullable)
    year                  int64           calendar year
    intensity_level       int64           1 = 25–999 battle deaths, 2 = 1,000 or more
    cumulative_intensity  int64           1 once the conflict has reached 1,000 deaths
    type_of_conflict      category        extrasystemic, interstate, intrastate,
                                          internationalized_intrastate
    start_date            datetime64      first battle death of the conflict
    start_prec            int64           precision code of start_date (UCDP codebook)
    start_date2           datetime64      first battle death of the current episode
    start_prec2           int64           precision code of start_date2
    ep_end                bool            the episode ended this year
    ep_end_date           datetime64      end of the episode (NaT while active)
    ep_end_prec           Int64           precision of ep_end_date (empty in v25.1)
    gwno_a                object          list of GW codes of side A
    gwno_a_2nd            object          list of GW codes of side A's supporters ([])
    gwno_b                object          list of GW codes of side B if states ([])
    gwno_b_2nd            object          list of GW codes of side B's supporters ([])
    gwno_loc              object          list of GW codes of the location
    location_iso3         object          ``gwno_loc`` as ISO3 codes
    region                object          list of region names (Europe, Middle East, Asia,
                                          Africa, Americas)
    version               str             UCDP release
    seed_actor_ids        object          seed actor ids of both sides and their supporters,
                                          mapped by :func:`map_ucdp_actor_in_year` at the
                                          conflict's location during the year
    ====================  ==============  ===================================================

    >>> acd = load_ucdp_acd()
    >>> row = acd.query("conflict_id == 333 and year == 2020").iloc[0]
    >>> row.location_iso3, row.type_of_conflict, row.seed_actor_ids
    (['AFG'], 'internationalized_intrastate', ['ghani_admin', 'usa', 'taliban'])
    """
    return load_table(UCDP_ACD, data_dir)


def load_ucdp_brd(data_dir: DataDir = None) -> pd.DataFrame:
    """UCDP battle-related deaths: one row per dyad and year.

    ================  ==========  =============================================================
    column            dtype       meaning
    ================  ==========  =============================================================
    conflict_id       int64       UCDP conflict id
    dyad_id           int64       UCDP dyad id
    location_inc      str         location of the incompatibility
    side_a            str         side A (a government)
    side_a_id         int64       UCDP actor id of side A
    side_a_2nd        str         states fighting alongside side A (nullable)
    side_b            str         side B
    side_b_id         int64       UCDP actor id of side B
    side_b_2nd        str         supporters of side B (nullable)
    incompatibility   category    territory, government, government_and_territory
    territory_name    str         nullable
    year              int64       calendar year
    bd_best           Int64       battle-related deaths, best estimate (persons)
    bd_low            Int64       low estimate (persons)
    bd_high           Int64       high estimate (persons)
    type_of_conflict  category    extrasystemic, interstate, intrastate,
                                  internationalized_intrastate
    battle_location   str         countries where the battles took place
    gwno_a            object      list of GW codes of side A
    gwno_a_2nd        object      list of GW codes of side A's supporters ([])
    gwno_b            object      list of GW codes of side B if states ([])
    gwno_b_2nd        object      list of GW codes of side B's supporters ([])
    gwno_loc          object      list of GW codes of the incompatibility's location
    location_iso3     object      ``gwno_loc`` as ISO3; actors are mapped at this location
    gwno_battle       object      list of GW codes where battles took place
    battle_iso3       object      ``gwno_battle`` as ISO3
    region            object      list of region names
    version           str         UCDP release (``24.1``)
    seed_actor_ids    object      seed actor ids of both sides and their supporters
    ================  ==========  =============================================================

    Actors are mapped at the conflict's location, not the battles': IS in the Iraq conflict
    fought in Afghanistan in 2021 (``battle_iso3`` ['AFG', 'IRQ']) stays unmapped.

    >>> brd = load_ucdp_brd()
    >>> ttp = brd.query("side_a_id == 142 and side_b_id == 356").set_index("year")
    >>> ttp.loc[[2015, 2019, 2021, 2023], "bd_best"].tolist()
    [1954, 148, 259, 752]
    >>> ttp.loc[2023, "seed_actor_ids"]
    ['pak', 'ttp']
    """
    return load_table(UCDP_BRD, data_dir)


def load_ucdp_actors(data_dir: DataDir = None) -> pd.DataFrame:
    """The UCDP Actor Dataset: one row per actor (v22.1: 1,725 actors).

    ============================  ========  ===================================================
    column                        dtype     meaning
    ============================  ========  ===================================================
    ucdp_actor_id                 int64     UCDP ActorId (side ids in ACD and BRD)
    name                          str       name used in UCDP data (NameData, stripped)
    name_orig                     str       name when first entering UCDP data
    name_orig_full                str       full original name, mother tongue (nullable)
    name_orig_full_eng            str       full original name, English (nullable)
    name_change                   bool      the actor changed names
    new_name                      str       later names, ", "-joined (nullable)
    new_name_full_mother_tongue   str       nullable
    new_name_full_eng             str       nullable
    org                           int64     4 a government; 1–3 non-state (in v22.1, 2 are all
                                            "Supporters of ..." and 3 ethnic or clan groups)
    conflict_ids                  object    list of state-based conflict ids
    dyad_ids                      object    list of state-based dyad ids
    primary_party                 bool      primary party to a state-based conflict
    os_ids                        object    list of one-sided actor ids
    os_coalition                  bool      part of a one-sided coalition
    os_coalition_ids              object    list
    ns_ids                        object    list of non-state dyad ids
    ns_coalition                  bool      part of a non-state coalition
    ns_coalition_ids              object    list
    splinter                      bool      splinter of another actor
    name_prev                     str       the actor(s) it split from (nullable)
    actor_ids_prev                object    list of their ids
    split_temp                    bool      temporary split
    name_split_temp               str       nullable
    actor_ids_split_temp          object    list
    alliance                      bool      formed by an alliance
    name_alliance                 str       nullable
    actor_ids_alliance            object    list
    join_group                    bool      joined a group
    group_name                    str       nullable
    actor_ids_group               object    list
    location                      str       countries where it was active, ", "-joined
    gwno_loc                      object    list of their GW codes (UCDP's order)
    region                        object    list of region names
    version                       str       UCDP release
    ============================  ========  ===================================================

    >>> actors = load_ucdp_actors().set_index("ucdp_actor_id")
    >>> len(actors), actors.loc[769, "name"], actors.loc[234, "new_name"]
    (1725, 'al-Qaida', 'TQJBR, ISI, ISIS, IS')
    """
    return load_table(UCDP_ACTORS, data_dir)
