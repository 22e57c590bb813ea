"""The two curated mappings that join UCDP to the seed tables, and the look-ups over them.

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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..exceptions import DataError, Problem
from .registry import TableSpec, load_table
from .vocab import DataDir, _day


def _ints(value) -> list[int]:
    """``"750, 770"`` → ``[750, 770]``; missing → ``[]``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [int(part) for part in str(value).split(",") if part.strip()]


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
                    f"no ISO3 code for Gleditsch–Ward codes {', '.join(map(str, missing))} "
                    f"({context}); add them to a country_codes.csv beside the data file",
                )
            ]
        )
    return [iso3_by_gw[code] for code in gw_codes]


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


def _parse_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column], format="%Y-%m-%d")
    return out


def _tidy_country_codes(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.sort_values("gw_code", ignore_index=True)


def _tidy_actor_map(raw: pd.DataFrame) -> pd.DataFrame:
    out = _parse_dates(raw, "valid_from", "valid_to")
    out["ucdp_name"] = out["ucdp_name"].map(_clean)
    return out


COUNTRY_CODES = TableSpec(
    "country_codes",
    "country_codes.csv",
    "mappings",
    "external_schemas:COUNTRY_CODES_SCHEMA",
    "Gleditsch–Ward state codes (UCDP) to ISO 3166-1 alpha-3 (WDI, seed tables)",
    tidy=_tidy_country_codes,
)


UCDP_ACTOR_MAP = TableSpec(
    "ucdp_actor_map",
    "ucdp_actor_map.csv",
    "mappings",
    "external_schemas:UCDP_ACTOR_MAP_SCHEMA",
    "UCDP actors to seed actor ids, by location and date",
    tidy=_tidy_actor_map,
)


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
    >>> sorted(set(amap.query("ucdp_actor_id == 234").location_iso3))
    ['AFG', 'IRN', 'PAK', 'RUS', 'TJK']
    """
    return load_table(UCDP_ACTOR_MAP, data_dir)
