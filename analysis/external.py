"""External tables (UCDP, World Bank WDI) and the two mappings that join them to the seed tables.

Six raw files ship byte for byte under ``analysis/data/external`` (provenance, licences and coding
caveats in ``seeds/external/SOURCES.md``); two curated mappings under ``analysis/data/mappings``:

==================  ===============================================  ============================
table               file pattern                                     one row per
==================  ===============================================  ============================
ucdp_country_year   ucdp_organized_violence_country_year_*.csv       country, year, violence type
ucdp_acd            ucdp_prio_armed_conflict_*.csv                   conflict, year
ucdp_brd            ucdp_battle_related_deaths_dyadic_*.csv          dyad, year
ucdp_actors         ucdp_actor_list_*.csv                            UCDP actor
wdi                 wdi_afghanistan_region_*.csv                     country, indicator, year
wdi_governance      wdi_databank_governance_refugees_*.csv           country, indicator, year
country_codes       country_codes.csv                                Gleditsch–Ward code
ucdp_actor_map      ucdp_actor_map.csv                               actor, location, window
==================  ===============================================  ============================

Each raw file has a pandera schema (``coerce=True``; every file is read as text first). The UCDP
and WDI schemas require the columns this package uses, with their types, ranges and keys, and
ignore any others (``strict=False``), so a newer release with extra columns loads while one whose
columns were renamed fails with "required column is missing" naming the column. Dates in UCDP
files must be ISO ``YYYY-MM-DD``: the spreadsheet copy SOURCES.md mentions had ``d-m-yyyy`` dates,
which a lenient parser would silently misread.

The tidy steps of the UCDP tables join the two mapping tables (:func:`load_country_codes`,
:func:`load_ucdp_actor_map`) from the same ``data_dir`` as the table being loaded, so a corrected
mapping in a user's directory is used too.

Country codes. UCDP names states by their Gleditsch–Ward (GW) number (Gleditsch & Ward 1999,
"Interstate System Membership: A Revised List of the Independent States since 1816",
International Interactions 25(4): 393–413); WDI by ISO 3166-1 alpha-3. ``country_codes.csv`` maps
every GW code in the shipped UCDP files to one ISO3 code. Where GW differs from COW or ISO: 260 is
Germany (the German Federal Republic's code continues), 678 Yemen and 816 Vietnam (the northern
states' codes continue), 365 Russia (Soviet Union); UCDP keeps 345 "Serbia (Yugoslavia)" for
Serbia where GW's list moves to 340, so 345 → SRB; 347 Kosovo → XKX, a user-assigned code outside
ISO 3166-1 that the World Bank uses. Sources in ``country_codes.csv.meta.json``.

Actors. UCDP has no separate ISIS-K: every Islamic State branch is actor 234 ``IS``, and the
conflict's location tells branches apart; ``ucdp_actor_map.csv`` reads IS as ``isis_k`` only where
a conflict is located in Afghanistan, Pakistan, Iran, Tajikistan or Russia. From 15 August 2021
UCDP's "Government of Afghanistan" is the Taliban. :func:`map_ucdp_actor` applies the map.

>>> cy = load_ucdp_country_year()
>>> int(cy.query("iso3 == 'PAK' and year == 2024 and violence_type == 'total'").deaths_best.iloc[0])
1885
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from .catalog import TableSpec, load_table
from .exceptions import DataError, Problem

DataDir = str | os.PathLike | None

# ---------------------------------------------------------------------------------------------
# Vocabularies and constants, each declared once
# ---------------------------------------------------------------------------------------------

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

# World Bank aggregate codes (regions, income and lending groups); every other code is a country
WDI_AGGREGATES = frozenset(
    {
        *("AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU"),
        *("FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC"),
        *("LIC", "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS"),
        *("PST", "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC"),
        "WLD",
    }
)

# unit of each WDI series, from its indicator name; a series not listed here gets <NA>
INDICATOR_UNITS = {
    "BX.TRF.PWKR.CD.DT": "current USD",
    "DT.DOD.DECT.CD": "current USD",
    "DT.DOD.DIMF.CD": "current USD",
    "DT.ODA.ODAT.CD": "current USD",
    "DT.ODA.ODAT.GN.ZS": "% of GNI",
    "DT.ODA.ODAT.PC.ZS": "current USD per person",
    "FI.RES.TOTL.CD": "current USD",
    "FP.CPI.TOTL.ZG": "% per year",
    "MS.MIL.XPND.GD.ZS": "% of GDP",
    "NY.GDP.MKTP.CD": "current USD",
    "NY.GDP.MKTP.KD.ZG": "% per year",
    "NY.GDP.PCAP.CD": "current USD per person",
    "PA.NUS.FCRF": "local currency units per USD",
    "SM.POP.REFG": "persons",
    "SM.POP.REFG.OR": "persons",
    "SM.POP.RHCR.EO": "persons",
    "SP.POP.TOTL": "persons",
    "VC.IHR.PSRC.P5": "per 100,000 people",
    "CC.EST": "index (about -2.5 to 2.5, higher is better)",
    "GE.EST": "index (about -2.5 to 2.5, higher is better)",
    "PV.EST": "index (about -2.5 to 2.5, higher is better)",
}

# ---------------------------------------------------------------------------------------------
# Checks shared by the schemas
# ---------------------------------------------------------------------------------------------

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


def _iso_date(nullable: bool = False) -> pa.Column:
    return pa.Column(str, _iso_date_check(), nullable=nullable)


# ---------------------------------------------------------------------------------------------
# Schemas of the raw files
# ---------------------------------------------------------------------------------------------


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
        "region": _int_list(),
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
        "region": _int_list(),
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

# ---------------------------------------------------------------------------------------------
# Small parsing helpers
# ---------------------------------------------------------------------------------------------


def _ints(value) -> list[int]:
    """``"750, 770"`` → ``[750, 770]``; missing → ``[]``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [int(part) for part in str(value).split(",") if part.strip()]


def _dyad_list(value: str, cast=str) -> list:
    """``"a; b"`` → ``["a", "b"]``; ``NO_DYAD`` → ``[]``."""
    return [] if value == NO_DYAD else [cast(part) for part in value.split("; ")]


def _names(value) -> list[str]:
    """A UCDP ``", "``-joined name list (``side_a_2nd``) as a list; missing → ``[]``.

    Names containing a comma are split too: the result is only used for look-ups by name.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _iso3_by_gw(codes: pd.DataFrame) -> dict[int, str]:
    return dict(zip(codes["gw_code"].astype(int), codes["iso3"], strict=True))


def _to_iso3(gw_codes: list[int], iso3_by_gw: dict[int, str], context: str) -> list[str]:
    missing = [code for code in gw_codes if code not in iso3_by_gw]
    if missing:
        raise DataError(
            [
                Problem(
                    "country_codes.csv",
                    f"no ISO3 code for Gleditsch–Ward code {missing[0]} ({context}); add it to a "
                    f"country_codes.csv in the directory $AFGHAN_BRIEF_DATA points at",
                )
            ]
        )
    return [iso3_by_gw[code] for code in gw_codes]


# ---------------------------------------------------------------------------------------------
# Actor mapping
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MapRow:
    ucdp_actor_id: int
    ucdp_name: str  # normalised: stripped, case-folded
    actor_id: str | None
    location_iso3: str | None
    start: pd.Timestamp
    end: pd.Timestamp


def _map_rows(actor_map: pd.DataFrame) -> list[_MapRow]:
    def opt(value):
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    return [
        _MapRow(
            int(row.ucdp_actor_id),
            str(row.ucdp_name).strip().casefold(),
            opt(row.actor_id),
            opt(row.location_iso3),
            _day(row.valid_from, pd.Timestamp.min),
            _day(row.valid_to, pd.Timestamp.max),
        )
        for row in actor_map.itertuples(index=False)
    ]


def _window(date_or_year) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A year → its first and last day; a date (``"2021-08-15"``, ``date``, Timestamp) → that day;
    None → all time."""
    if date_or_year is None:
        return pd.Timestamp.min, pd.Timestamp.max
    if isinstance(date_or_year, int) and not isinstance(date_or_year, bool):
        return pd.Timestamp(date_or_year, 1, 1), pd.Timestamp(date_or_year, 12, 31)
    if isinstance(date_or_year, str | dt.date | pd.Timestamp):
        day = pd.Timestamp(date_or_year).normalize()
        return day, day
    raise TypeError(f"date_or_year must be a year, a date or None, not {date_or_year!r}")


def _matching(rows: list[_MapRow], name_or_id, location_iso3, date_or_year) -> list[_MapRow]:
    if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
        hit = [r for r in rows if r.ucdp_actor_id == int(name_or_id)]
    else:
        hit = [r for r in rows if r.ucdp_name == str(name_or_id).strip().casefold()]
    start, end = _window(date_or_year)
    return sorted(
        (
            r
            for r in hit
            if r.location_iso3 in (None, location_iso3) and r.start <= end and start <= r.end
        ),
        key=lambda r: r.start,
    )


def map_ucdp_actor(
    name_or_id: int | str,
    location_iso3: str | None,
    date_or_year: int | str | dt.date | None,
    actor_map: pd.DataFrame | None = None,
) -> str | None:
    """The seed actor id a UCDP actor stands for at a place and time, or None.

    ``name_or_id`` is a UCDP ActorId (``234`` or ``"234"``) or its name (``"IS"``, matched
    ignoring case and surrounding spaces). ``location_iso3`` is where the conflict is located
    (ISO3; rows of the map with a location apply only there). ``date_or_year`` is a day or a
    whole year. Returns None when the map has no row for the actor there and then, or the row
    names no seed actor (Jaish al-Adl, IMU, NRF). Raises ValueError when a year spans two
    mappings (Government of Afghanistan in 2021): pass a date, or use
    :func:`map_ucdp_actor_in_year`. ``actor_map`` defaults to :func:`load_ucdp_actor_map`.

    >>> map_ucdp_actor("IS", "PAK", 2023), map_ucdp_actor(234, "SYR", 2023)
    ('isis_k', None)
    >>> map_ucdp_actor(130, "AFG", 2020), map_ucdp_actor(130, "AFG", "2021-08-15")
    ('ghani_admin', 'taliban')
    """
    rows = _map_rows(load_ucdp_actor_map() if actor_map is None else actor_map)
    found = _matching(rows, name_or_id, location_iso3, date_or_year)
    ids = list(dict.fromkeys(r.actor_id for r in found))
    if len(ids) > 1:
        spans = "; ".join(f"{r.actor_id} {r.start.date()}..{r.end.date()}" for r in found)
        raise ValueError(
            f"UCDP actor {name_or_id!r} maps to several seed actors in {date_or_year}: {spans}; "
            "pass a date or use map_ucdp_actor_in_year()"
        )
    return ids[0] if ids else None


def map_ucdp_actor_in_year(
    name_or_id: int | str,
    location_iso3: str | None,
    year: int,
    actor_map: pd.DataFrame | None = None,
) -> list[str]:
    """Every seed actor id a UCDP actor stands for at some time in ``year``, in date order.

    >>> map_ucdp_actor_in_year("Government of Afghanistan", "AFG", 2021)
    ['ghani_admin', 'taliban']
    """
    rows = _map_rows(load_ucdp_actor_map() if actor_map is None else actor_map)
    found = _matching(rows, name_or_id, location_iso3, int(year))
    return list(dict.fromkeys(r.actor_id for r in found if r.actor_id is not None))


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


# ---------------------------------------------------------------------------------------------
# Tidy steps (validated raw frame → analysts' frame)
# ---------------------------------------------------------------------------------------------


def _tidy_country_year(raw: pd.DataFrame, data_dir: DataDir = None) -> pd.DataFrame:
    iso3 = _iso3_by_gw(load_country_codes(data_dir))
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


def _parse_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column], format="%Y-%m-%d")
    return out


def _add_places(frame: pd.DataFrame, data_dir: DataDir = None, **iso3_columns: str) -> pd.DataFrame:
    """Turn every ``gwno_*`` field into a list of ints and add ISO3 lists for the named ones
    (``location_iso3="gwno_loc"``)."""
    iso3 = _iso3_by_gw(load_country_codes(data_dir))
    out = frame.copy()
    for column in [c for c in out.columns if c.startswith("gwno_")]:
        out[column] = out[column].map(_ints)
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
    out = _add_places(out, data_dir, location_iso3="gwno_loc")
    out = _labels(out)
    out["ep_end"] = out["ep_end"].astype(bool)
    out["ep_end_prec"] = out["ep_end_prec"].astype("Int64")
    out["seed_actor_ids"] = _with_seed_ids(out, data_dir)
    for side in ("a", "b"):
        out[f"side_{side}_id"] = out[f"side_{side}_id"].map(_ints)
    columns = list(UCDP_ACD_SCHEMA.columns)
    columns.insert(columns.index("gwno_loc") + 1, "location_iso3")
    return out[[*columns, "seed_actor_ids"]].sort_values(["conflict_id", "year"], ignore_index=True)


def _tidy_brd(raw: pd.DataFrame, data_dir: DataDir = None) -> pd.DataFrame:
    out = _add_places(raw, data_dir, location_iso3="gwno_loc", battle_iso3="gwno_battle")
    out = _labels(out)
    for column in ("bd_best", "bd_low", "bd_high"):
        out[column] = out[column].astype("Int64")
    out["seed_actor_ids"] = _with_seed_ids(out, data_dir)
    columns = list(UCDP_BRD_SCHEMA.columns)
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


def _tidy_wdi(raw: pd.DataFrame) -> pd.DataFrame:
    out = raw[list(WDI_SCHEMA.columns)].copy()
    out["is_aggregate"] = out["country_code"].isin(WDI_AGGREGATES)
    out["unit"] = out["indicator_code"].map(INDICATOR_UNITS)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    columns = [
        "country_code",
        "country_name",
        "is_aggregate",
        "indicator_code",
        "indicator_name",
        "unit",
        "year",
        "value",
    ]
    return out[columns].sort_values(["country_code", "indicator_code", "year"], ignore_index=True)


def _tidy_country_codes(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.sort_values("gw_code", ignore_index=True)


def _tidy_actor_map(raw: pd.DataFrame) -> pd.DataFrame:
    out = _parse_dates(raw, "valid_from", "valid_to")
    out["ucdp_name"] = out["ucdp_name"].map(_clean)
    return out


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

UCDP_COUNTRY_YEAR = TableSpec(
    "ucdp_country_year",
    "ucdp_organized_violence_country_year_*.csv",
    "external",
    UCDP_COUNTRY_YEAR_SCHEMA,
    "UCDP organized violence per country and year, by type of violence (deaths, dyads)",
    tidy=_tidy_country_year,
)
UCDP_ACD = TableSpec(
    "ucdp_acd",
    "ucdp_prio_armed_conflict_*.csv",
    "external",
    UCDP_ACD_SCHEMA,
    "UCDP/PRIO armed conflicts per year (sides, intensity, type, dates)",
    tidy=_tidy_acd,
)
UCDP_BRD = TableSpec(
    "ucdp_brd",
    "ucdp_battle_related_deaths_dyadic_*.csv",
    "external",
    UCDP_BRD_SCHEMA,
    "UCDP battle-related deaths per dyad and year",
    tidy=_tidy_brd,
)
UCDP_ACTORS = TableSpec(
    "ucdp_actors",
    "ucdp_actor_list_*.csv",
    "external",
    UCDP_ACTORS_SCHEMA,
    "UCDP actor list: ids, names, name history, locations",
    tidy=_tidy_actors,
)
WDI = TableSpec(
    "wdi",
    "wdi_afghanistan_region_*.csv",
    "external",
    WDI_SCHEMA,
    "World Bank WDI series for Afghanistan, its region and comparators (long)",
    tidy=_tidy_wdi,
)
WDI_GOVERNANCE = TableSpec(
    "wdi_governance",
    "wdi_databank_governance_refugees_*.csv",
    "external",
    WDI_SCHEMA,
    "World Bank governance estimates (WGI) and refugees by origin (long)",
    tidy=_tidy_wdi,
)
COUNTRY_CODES = TableSpec(
    "country_codes",
    "country_codes.csv",
    "mappings",
    COUNTRY_CODES_SCHEMA,
    "Gleditsch–Ward state codes (UCDP) to ISO 3166-1 alpha-3 (WDI, seed tables)",
    tidy=_tidy_country_codes,
)
UCDP_ACTOR_MAP = TableSpec(
    "ucdp_actor_map",
    "ucdp_actor_map.csv",
    "mappings",
    UCDP_ACTOR_MAP_SCHEMA,
    "UCDP actors to seed actor ids, by location and date",
    tidy=_tidy_actor_map,
)
TABLES = [
    UCDP_COUNTRY_YEAR,
    UCDP_ACD,
    UCDP_BRD,
    UCDP_ACTORS,
    WDI,
    WDI_GOVERNANCE,
    COUNTRY_CODES,
    UCDP_ACTOR_MAP,
]

# ---------------------------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------------------------


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


def load_wdi(data_dir: DataDir = None) -> pd.DataFrame:
    """World Development Indicators, long: one row per country, indicator and year with a value.

    ==============  ========  ====================================================================
    column          dtype     meaning
    ==============  ========  ====================================================================
    country_code    str       ISO3, or a World Bank aggregate code (WLD world, SAS South Asia)
    country_name    str       World Bank name (``Iran, Islamic Rep.``)
    is_aggregate    bool      country_code is a World Bank aggregate (``WDI_AGGREGATES``)
    indicator_code  str       WDI series code
    indicator_name  str       WDI series name
    unit            str       from ``INDICATOR_UNITS``: current USD; current USD per person;
                              % of GNI; % of GDP; % per year; local currency units per USD;
                              persons; per 100,000 people (<NA> for a series not listed)
    year            int64     calendar year
    value           float64   in ``unit``
    ==============  ========  ====================================================================

    A missing year is a missing row, never a filled value: Afghan reserves stop after 2020.

    >>> wdi = load_wdi()
    >>> reserves = wdi.query("country_code == 'AFG' and indicator_code == 'FI.RES.TOTL.CD'")
    >>> int(reserves.year.max()), round(float(reserves.value.iloc[-1]) / 1e9, 2)
    (2020, 9.75)
    >>> reserves.unit.iloc[0]
    'current USD'
    """
    return load_table(WDI, data_dir)


def load_wdi_governance(data_dir: DataDir = None) -> pd.DataFrame:
    """WDI DataBank extract, long, same columns as :func:`load_wdi`: Worldwide Governance
    Indicators ``PV.EST`` (political stability and absence of violence/terrorism), ``GE.EST``
    (government effectiveness), ``CC.EST`` (control of corruption) — estimates on a scale of about
    −2.5 to +2.5, higher is better — and ``SM.POP.RHCR.EO``, refugees under UNHCR's mandate by
    country of origin (persons; the only series given for WLD and SAS).

    >>> gov = load_wdi_governance()
    >>> afg = gov.query("country_code == 'AFG' and indicator_code == 'SM.POP.RHCR.EO'")
    >>> afg.set_index("year").loc[[2021, 2022], "value"].astype(int).tolist()
    [2712869, 5661717]
    """
    return load_table(WDI_GOVERNANCE, data_dir)


def load_country_codes(data_dir: DataDir = None) -> pd.DataFrame:
    """Gleditsch–Ward state codes to ISO 3166-1 alpha-3, one row per GW code.

    =======  =====  ==================================================================
    column   dtype  meaning
    =======  =====  ==================================================================
    gw_code  int64  Gleditsch–Ward code as UCDP uses it (unique)
    iso3     str    ISO 3166-1 alpha-3 (unique; XKX for Kosovo, user-assigned)
    name     str    short English name
    =======  =====  ==================================================================

    >>> codes = load_country_codes().set_index("gw_code")
    >>> codes.loc[[260, 345, 347, 678, 700, 816], "iso3"].tolist()
    ['DEU', 'SRB', 'XKX', 'YEM', 'AFG', 'VNM']
    """
    return load_table(COUNTRY_CODES, data_dir)


def load_ucdp_actor_map(data_dir: DataDir = None) -> pd.DataFrame:
    """UCDP actors to seed actor ids, one row per actor, location and validity window.

    =============  ==========  ================================================================
    column         dtype       meaning
    =============  ==========  ================================================================
    ucdp_actor_id  int64       UCDP ActorId
    ucdp_name      str         UCDP's name (v22.1 NameData, stripped)
    actor_id       str         seed actor id; missing when the seed names no such actor
    location_iso3  str         the row applies only to conflicts located here (missing: anywhere)
    valid_from     datetime64  first day the row applies (NaT: open)
    valid_to       datetime64  last day the row applies, inclusive (NaT: open)
    note           str         why
    =============  ==========  ================================================================

    >>> amap = load_ucdp_actor_map()
    >>> sorted(amap.query("ucdp_actor_id == 234").location_iso3)
    ['AFG', 'IRN', 'PAK', 'RUS', 'TJK']
    """
    return load_table(UCDP_ACTOR_MAP, data_dir)
