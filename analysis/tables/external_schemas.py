"""Schemas of the external raw files (UCDP, World Bank WDI, the mappings), declared once.

Each raw file has a pandera schema (``coerce=True``; every file is read as text first). The UCDP
and WDI schemas require the columns this package uses, with their types, ranges and keys, and
ignore any others (``strict=False``), so a newer release with extra columns loads while one whose
columns were renamed fails with "required column is missing" naming the column. Dates in UCDP
files must be ISO ``YYYY-MM-DD``: the spreadsheet copy SOURCES.md mentions had ``d-m-yyyy`` dates,
which a lenient parser would silently misread. Vocabularies (violence types, UCDP codes) and the
lists of columns read are constants of :mod:`.vocab` (imported without pandera), re-exported
here, so loaders, reports and tests name the same values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from .vocab import (  # declared without pandera; re-exported: loaders and tests name them here too
    _ACTOR_COLUMNS,
    ACD_COLUMNS,
    BRD_COLUMNS,
    CY_REGIONS,
    ESTIMATES,
    INCOMPATIBILITY,
    INTENSITY_LEVEL,
    NO_DYAD,
    ORG_CODES,
    TYPE_OF_CONFLICT,
    UCDP_REGIONS,
    VIOLENCE_TYPE_NAMES,  # noqa: F401
    VIOLENCE_TYPES,
    WDI_COLUMNS,
    YEARS,
    DataDir,  # noqa: F401
    ViolenceType,  # noqa: F401
    _day,
)


def _keyed(names: tuple[str, ...], columns: dict[str, pa.Column]) -> dict[str, pa.Column]:
    """``columns`` in the order of ``names`` (:mod:`.vocab`'s list of a file's columns), which
    must name the same columns: a schema and the list the loaders select by cannot drift."""
    if set(names) != set(columns) or len(names) != len(columns):
        raise AssertionError(f"schema columns {sorted(columns)} differ from {names}")
    return {name: columns[name] for name in names}


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
    _keyed(
        ACD_COLUMNS,
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
    ),
    unique=["conflict_id", "year"],
    coerce=True,
    strict=False,
    name="UCDP/PRIO Armed Conflict Dataset",
)


UCDP_BRD_SCHEMA = pa.DataFrameSchema(
    _keyed(
        BRD_COLUMNS,
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
    ),
    unique=["dyad_id", "year"],
    coerce=True,
    strict=False,
    name="UCDP Battle-Related Deaths, dyadic",
)


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
    _keyed(
        WDI_COLUMNS,
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
    ),
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


def _branch_when_counted(frame: pd.DataFrame) -> pd.Series | bool:
    """A counted actor names its branch; an actor left out names none."""
    if not {"counted", "branch"} <= set(frame.columns):
        return True
    value = frame["counted"].astype(str)
    counted = value == "true"
    has_branch = frame["branch"].notna() & (frame["branch"].astype(str).str.strip() != "")
    return (counted == has_branch) | ~value.isin(["true", "false"])  # a bad value: reported once


INDICATOR_FAMILIES_SCHEMA = pa.DataFrameSchema(
    {
        "family": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="lower-case id")),
        "ucdp_actor_id": pa.Column(int, pa.Check.gt(0)),
        "ucdp_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "branch": pa.Column(str, nullable=True),
        "counted": pa.Column(str, pa.Check.isin(["true", "false"], error="true or false")),
        "note": pa.Column(str, pa.Check.str_length(min_value=3)),
    },
    checks=[
        pa.Check(
            _branch_when_counted,
            error="a counted actor needs a branch; an actor left out has none",
        )
    ],
    unique=["family", "ucdp_name"],
    coerce=True,
    strict=True,
    name="indicator families",
)
