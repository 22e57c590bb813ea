"""Schemas of the external raw files (UCDP, World Bank WDI, the two mappings), declared once.

Each raw file has a pandera schema (``coerce=True``; every file is read as text first). The UCDP
and WDI schemas require the columns this package uses, with their types, ranges and keys, and
ignore any others (``strict=False``), so a newer release with extra columns loads while one whose
columns were renamed fails with "required column is missing" naming the column. Dates in UCDP
files must be ISO ``YYYY-MM-DD``: the spreadsheet copy SOURCES.md mentions had ``d-m-yyyy`` dates,
which a lenient parser would silently misread. Vocabularies (violence types, UCDP codes) are
module constants so loaders, reports and tests name the same values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

DataDir = str | os.PathLike | None


YEARS = (1946, 2100)  # UCDP/PRIO data start in 1946; anything past 2100 is a typo


CY_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East")


UCDP_REGIONS = {1: "Europe", 2: "Middle East", 3: "Asia", 4: "Africa", 5: "Americas"}


INCOMPATIBILITY = {1: "territory", 2: "government", 3: "government_and_territory"}


TYPE_OF_CONFLICT = {
    1: "extrasystemic",
    2: "interstate",
    3: "intrastate",
    4: "internationalized_intrastate",
}


INTENSITY_LEVEL = {1: "25-999 battle deaths in the year", 2: "1,000 or more battle deaths"}


NO_DYAD = "NO_DYAD"  # UCDP's marker for an empty dyad list


@dataclass(frozen=True)
class ViolenceType:
    """One ``violence_type`` of the tidy country-year frame and the raw columns it comes from."""

    name: str
    deaths: str  # raw column template; "{}" is best, low or high
    dyads: tuple[str, ...]  # prefixes of *_dyad_count_cy / *_dyad_ids_cy / *_dyad_names_cy
    meaning: str


VIOLENCE_TYPES = (
    ViolenceType("state_based", "sb_total_deaths_{}_cy", ("sb",), "state-based armed conflict"),
    ViolenceType(
        "state_based_intrastate",
        "sb_intrastate_deaths_{}_cy",
        ("sb_intrastate",),
        "state-based, within one state",
    ),
    ViolenceType(
        "state_based_interstate",
        "sb_interstate_deaths_{}_cy",
        ("sb_interstate",),
        "state-based, between states",
    ),
    ViolenceType("non_state", "ns_total_deaths_{}_cy", ("ns",), "non-state conflict"),
    ViolenceType("one_sided", "os_total_deaths_{}_cy", ("os",), "one-sided violence (civilians)"),
    ViolenceType(
        "one_sided_main_govt",
        "os_main_govt_killings_{}_cy",
        (),
        "one-sided violence by the country's own government",
    ),
    ViolenceType(
        "one_sided_any_govt",
        "os_any_govt_killings_{}_cy",
        (),
        "one-sided violence by any government",
    ),
    ViolenceType(
        "one_sided_nsgroup",
        "os_nsgroup_killings_{}_cy",
        (),
        "one-sided violence by non-state groups",
    ),
    ViolenceType(
        "total",
        "cumulative_total_deaths_in_orgvio_{}_cy",
        ("sb", "ns", "os"),
        "all organized violence (state-based + non-state + one-sided)",
    ),
)


VIOLENCE_TYPE_NAMES = tuple(v.name for v in VIOLENCE_TYPES)


ESTIMATES = ("best", "low", "high")


_INT_LIST = r"^\s*\d+(\s*,\s*\d+)*\s*$"  # "750, 770" (UCDP sometimes puts two spaces)


_DYAD_IDS = rf"^({NO_DYAD}|\d+(; \d+)*)$"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _int_list_check() -> pa.Check:
    return pa.Check.str_matches(_INT_LIST, error="comma-separated whole numbers")


def _iso_date_check() -> pa.Check:
    def valid(series: pd.Series) -> pd.Series:
        shaped = series.str.fullmatch(_ISO_DATE.pattern)
        parsed = pd.to_datetime(series.where(shaped), format="%Y-%m-%d", errors="coerce")
        return shaped & parsed.notna()

    return pa.Check(valid, error="date written YYYY-MM-DD")


def _year() -> pa.Column:
    return pa.Column(int, pa.Check.in_range(*YEARS))


def _count() -> pa.Column:
    return pa.Column(int, pa.Check.ge(0))


def _codes(values: Iterable[int]) -> pa.Column:
    return pa.Column(int, pa.Check.isin(sorted(values)))


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _int_list(nullable: bool = False) -> pa.Column:
    return pa.Column(str, _int_list_check(), nullable=nullable)


def _regions() -> pa.Column:
    """A UCDP region list ("3" or "2, 3"): whole numbers, each a region code UCDP defines."""

    def known(series: pd.Series) -> pd.Series:
        return series.map(
            lambda v: (
                not isinstance(v, str) or all(int(c) in UCDP_REGIONS for c in re.findall(r"\d+", v))
            )
        )

    codes = ", ".join(f"{k} {v}" for k, v in UCDP_REGIONS.items())
    return pa.Column(
        str, [_int_list_check(), pa.Check(known, error=f"UCDP region codes ({codes})")]
    )


def _iso_date(nullable: bool = False) -> pa.Column:
    return pa.Column(str, _iso_date_check(), nullable=nullable)


def _country_year_columns() -> dict[str, pa.Column]:
    columns = {
        "country_id_cy": pa.Column(int, pa.Check.in_range(1, 999)),  # Gleditsch–Ward code
        "country_cy": _text(),
        "year_cy": _year(),
        "region_cy": pa.Column(str, pa.Check.isin(CY_REGIONS)),
        "version": _text(),
    }
    for kind in VIOLENCE_TYPES:
        for estimate in ESTIMATES:
            columns[kind.deaths.format(estimate)] = _count()
        if len(kind.dyads) == 1:
            prefix = kind.dyads[0]
            columns[f"{prefix}_dyad_count_cy"] = _count()
            columns[f"{prefix}_dyad_ids_cy"] = pa.Column(
                str, pa.Check.str_matches(_DYAD_IDS, error="'; '-separated dyad ids or NO_DYAD")
            )
            columns[f"{prefix}_dyad_names_cy"] = _text()
    return columns


UCDP_COUNTRY_YEAR_SCHEMA = pa.DataFrameSchema(
    _country_year_columns(),
    unique=["country_id_cy", "year_cy"],
    coerce=True,
    strict=False,  # 74 columns in v25.1; only those above are used
    name="UCDP country-year organized violence",
)


UCDP_ACD_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column(int, pa.Check.gt(0)),
        "location": _text(),
        "side_a": _text(),
        "side_a_id": _int_list(),
        "side_a_2nd": _text(nullable=True),
        "side_b": _text(),
        "side_b_id": _int_list(),
        "side_b_2nd": _text(nullable=True),
        "incompatibility": _codes(INCOMPATIBILITY),
        "territory_name": _text(nullable=True),
        "year": _year(),
        "intensity_level": _codes(INTENSITY_LEVEL),
        "cumulative_intensity": _codes((0, 1)),
        "type_of_conflict": _codes(TYPE_OF_CONFLICT),
        "start_date": _iso_date(),
        "start_prec": pa.Column(int, pa.Check.ge(1)),
        "start_date2": _iso_date(),
        "start_prec2": pa.Column(int, pa.Check.ge(1)),
        "ep_end": _codes((0, 1)),
        "ep_end_date": _iso_date(nullable=True),
        "ep_end_prec": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "gwno_a": _int_list(),
        "gwno_a_2nd": _int_list(nullable=True),
        "gwno_b": _int_list(nullable=True),
        "gwno_b_2nd": _int_list(nullable=True),
        "gwno_loc": _int_list(),
        "region": _regions(),
        "version": _text(),
    },
    unique=["conflict_id", "year"],
    coerce=True,
    strict=False,
    name="UCDP/PRIO Armed Conflict Dataset",
)


UCDP_BRD_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column(int, pa.Check.gt(0)),
        "dyad_id": pa.Column(int, pa.Check.gt(0)),
        "location_inc": _text(),
        "side_a": _text(),
        "side_a_id": pa.Column(int, pa.Check.gt(0)),
        "side_a_2nd": _text(nullable=True),
        "side_b": _text(),
        "side_b_id": pa.Column(int, pa.Check.gt(0)),
        "side_b_2nd": _text(nullable=True),
        "incompatibility": _codes(INCOMPATIBILITY),
        "territory_name": _text(nullable=True),
        "year": _year(),
        "bd_best": _count(),
        "bd_low": _count(),
        "bd_high": _count(),
        "type_of_conflict": _codes(TYPE_OF_CONFLICT),
        "battle_location": _text(),
        "gwno_a": _int_list(),
        "gwno_a_2nd": _int_list(nullable=True),
        "gwno_b": _int_list(nullable=True),
        "gwno_b_2nd": _int_list(nullable=True),
        "gwno_loc": _int_list(),
        "gwno_battle": _int_list(),
        "region": _regions(),
        "version": _text(),
    },
    unique=["dyad_id", "year"],
    coerce=True,
    strict=False,
    name="UCDP Battle-Related Deaths, dyadic",
)


# raw column -> tidy column, kind ("int", "flag", "text", "ids"), nullable
_ACTOR_COLUMNS = (
    ("ActorId", "ucdp_actor_id", "int", False),
    ("NameData", "name", "text", False),
    ("NameOrig", "name_orig", "text", False),
    ("NameOrigFull", "name_orig_full", "text", True),
    ("NameOrigFullEng", "name_orig_full_eng", "text", True),
    ("NameChange", "name_change", "flag", False),
    ("NewName", "new_name", "text", True),
    ("NewNameFullMotherTongue", "new_name_full_mother_tongue", "text", True),
    ("NewNameFullEng", "new_name_full_eng", "text", True),
    ("Org", "org", "int", False),
    ("ConflictId", "conflict_ids", "ids", True),
    ("DyadId", "dyad_ids", "ids", True),
    ("PrimaryParty", "primary_party", "flag", False),
    ("OSID", "os_ids", "ids", True),
    ("OSCoalition", "os_coalition", "flag", False),
    ("OSCoalitionID", "os_coalition_ids", "ids", True),
    ("NSID", "ns_ids", "ids", True),
    ("NSCoalition", "ns_coalition", "flag", False),
    ("NSCoalitionID", "ns_coalition_ids", "ids", True),
    ("Splinter", "splinter", "flag", False),
    ("NamePrev", "name_prev", "text", True),
    ("ActorIdPrev", "actor_ids_prev", "ids", True),
    ("SplitTemp", "split_temp", "flag", False),
    ("NameSplitTemp", "name_split_temp", "text", True),
    ("ActorIdSplitTemp", "actor_ids_split_temp", "ids", True),
    ("Alliance", "alliance", "flag", False),
    ("NameAlliance", "name_alliance", "text", True),
    ("ActorIdAlliance", "actor_ids_alliance", "ids", True),
    ("JoinGroup", "join_group", "flag", False),
    ("GroupName", "group_name", "text", True),
    ("ActorIdGroup", "actor_ids_group", "ids", True),
    ("Location", "location", "text", False),
    ("GWNOLoc", "gwno_loc", "ids", False),
    ("Region", "region", "ids", False),
    ("Version", "version", "text", False),
)


ORG_CODES = (1, 2, 3, 4)  # 4 = a state's government (every "Government of ..." actor, no other)


def _actor_column(raw: str, kind: str, nullable: bool) -> pa.Column:
    if raw == "ActorId":
        return pa.Column(int, [pa.Check.gt(0)], unique=True)
    if raw == "Org":
        return _codes(ORG_CODES)
    return {
        "int": lambda: pa.Column(int, nullable=nullable),
        "flag": lambda: _codes((0, 1)),
        "text": lambda: _text(nullable),
        "ids": lambda: _int_list(nullable),
    }[kind]()


UCDP_ACTORS_SCHEMA = pa.DataFrameSchema(
    {raw: _actor_column(raw, kind, nullable) for raw, _, kind, nullable in _ACTOR_COLUMNS},
    coerce=True,
    strict=False,
    name="UCDP Actor Dataset",
)


WDI_SCHEMA = pa.DataFrameSchema(
    {
        "country_name": _text(),
        "country_code": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z0-9]{3}$", error="3-letter World Bank code")
        ),
        "indicator_code": _text(),
        "indicator_name": _text(),
        "year": _year(),
        "value": pa.Column(float),  # the extracts drop empty cells; a gap is a missing row
    },
    unique=["country_code", "indicator_code", "year"],
    coerce=True,
    strict=False,
    name="World Development Indicators (long)",
)


COUNTRY_CODES_SCHEMA = pa.DataFrameSchema(
    {
        "gw_code": pa.Column(int, pa.Check.in_range(1, 999), unique=True),
        "iso3": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z]{3}$", error="ISO 3166-1 alpha-3"), unique=True
        ),
        "name": pa.Column(str, unique=True),
    },
    coerce=True,
    strict=True,
    name="Gleditsch–Ward to ISO3",
)


def _windows_ok(frame: pd.DataFrame) -> pd.Series | bool:
    """Rows whose validity window starts no later than it ends and overlaps no other row of the
    same actor and location."""
    if not {"ucdp_actor_id", "location_iso3", "valid_from", "valid_to"} <= set(frame.columns):
        return True
    start = [_day(v, pd.Timestamp.min) for v in frame["valid_from"]]
    end = [_day(v, pd.Timestamp.max) for v in frame["valid_to"]]
    place = list(zip(frame["ucdp_actor_id"], frame["location_iso3"].fillna(""), strict=True))
    rows = range(len(frame))
    ok = [
        start[i] <= end[i]
        and not any(
            j != i and place[j] == place[i] and start[j] <= end[i] and start[i] <= end[j]
            for j in rows
        )
        for i in rows
    ]
    return pd.Series(ok, index=frame.index)


def _day(value, open_end: pd.Timestamp) -> pd.Timestamp:
    """A ``YYYY-MM-DD`` text or Timestamp as a Timestamp; missing or unparseable → ``open_end``."""
    day = pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")
    return open_end if pd.isna(day) else day


UCDP_ACTOR_MAP_SCHEMA = pa.DataFrameSchema(
    {
        "ucdp_actor_id": pa.Column(int, pa.Check.gt(0)),
        "ucdp_name": _text(),
        "actor_id": pa.Column(
            str,
            pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="seed actor id"),
            nullable=True,
        ),
        "location_iso3": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z]{3}$", error="ISO 3166-1 alpha-3"), nullable=True
        ),
        "valid_from": _iso_date(nullable=True),
        "valid_to": _iso_date(nullable=True),
        "note": _text(nullable=True),
    },
    checks=[
        pa.Check(
            _windows_ok,
            error="valid_from after valid_to, or a window overlapping another row "
            "of the same actor and location",
        )
    ],
    coerce=True,
    strict=True,
    name="UCDP actor to seed actor",
)
