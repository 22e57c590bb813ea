"""Battle deaths per dyad (UCDP BRD) and per group of interest in the focus countries, the
Pakistan–TTP series, and the UCDP/PRIO intensity of a conflict by year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..exceptions import DataError, Problem
from ..tables.estimates import ordered
from .actors import _ActorLookup, actor_group, reading_note
from .cells import EXCLUDED_DYADS, PAKISTAN_GOVT_ID, TTP_ID, Exclusion
from .scope import YEARS, DataDir, check_countries, check_window, label


def dyad_battle_deaths(
    brd: pd.DataFrame,
    side_a_id: int,
    side_b_id: int,
    years: Sequence[int] = YEARS,
) -> pd.DataFrame:
    """Battle-related deaths of one dyad per year (BRD). A year inside BRD's coverage with no row
    is missing ("below 25 deaths or inactive"), a year after its last year is "not covered".
    ``deaths_low`` and ``deaths_high`` are BRD's low and high estimates (NaN when out of order
    with the best: never a bound). Columns: year, deaths, deaths_low, deaths_high, status, dyad."""
    first, last = check_window(years, "years")
    rows = brd[(brd["side_a_id"] == side_a_id) & (brd["side_b_id"] == side_b_id)]
    if rows.empty:
        raise DataError(
            [
                Problem(
                    "UCDP BRD file", f"no dyad with side_a_id {side_a_id} and side_b_id {side_b_id}"
                )
            ]
        )
    name = f"{rows['side_a'].iloc[0]} – {rows['side_b'].iloc[0]}"
    covered = int(brd["year"].max())
    by_year = rows.set_index("year")
    out = []
    for year in range(first, last + 1):
        row = dict(year=year, deaths=np.nan, deaths_low=np.nan, deaths_high=np.nan)
        if year > covered:
            row["status"] = f"not covered (BRD ends {covered})"
        elif year in by_year.index:
            r = by_year.loc[year]
            low, high = ordered(r["bd_low"], r["bd_best"], r["bd_high"])
            row.update(deaths=float(r["bd_best"]), deaths_low=low, deaths_high=high)
            row["status"] = "reported"
        else:
            row["status"] = "no row (below 25 deaths)"
        out.append(row)
    frame = pd.DataFrame(out, columns=["year", "deaths", "deaths_low", "deaths_high", "status"])
    frame["dyad"] = name
    return frame


def pakistan_ttp(brd: pd.DataFrame | None = None, *, data_dir: DataDir = None) -> pd.DataFrame:
    """Pakistan–TTP battle-related deaths per year, 2015 to the BRD release's last year.

    >>> s = pakistan_ttp().set_index("year")
    >>> s.loc[[2015, 2019, 2021, 2023], "deaths"].tolist()
    [1954.0, 148.0, 259.0, 752.0]
    """
    if brd is None:
        from ..tables import load_ucdp_brd

        brd = load_ucdp_brd(data_dir)
    return dyad_battle_deaths(brd, PAKISTAN_GOVT_ID, TTP_ID)


def conflict_intensity(
    acd: pd.DataFrame, conflict_id: int, years: Sequence[int] = YEARS
) -> pd.DataFrame:
    """ACD intensity of one conflict per year: 1 (25–999 battle deaths), 2 (1,000 or more), NaN
    when the conflict is not active in ACD that year.

    Columns: year, intensity_level, label, sides."""
    first, last = check_window(years, "years")
    rows = acd[acd["conflict_id"] == conflict_id].set_index("year")
    if rows.empty:
        raise DataError([Problem("UCDP ACD file", f"no conflict with conflict_id {conflict_id}")])
    labels = {1: "minor (25–999 battle deaths)", 2: "war (1,000 or more)"}
    out = []
    for year in range(first, last + 1):
        if year in rows.index:
            level = int(rows.at[year, "intensity_level"])
            sides = f"{rows.at[year, 'side_a']} – {rows.at[year, 'side_b']}"
            out.append(
                dict(year=year, intensity_level=float(level), label=labels[level], sides=sides)
            )
        else:
            out.append(dict(year=year, intensity_level=np.nan, label="not active", sides=""))
    return pd.DataFrame(out, columns=["year", "intensity_level", "label", "sides"])


PAKISTAN_TTP_CONFLICT = 404


def battle_deaths_by_group(
    brd: pd.DataFrame,
    focus_countries: Iterable[str],
    actor_map: pd.DataFrame,
    exclusions: Iterable[Exclusion] = EXCLUDED_DYADS,
) -> pd.DataFrame:
    """BRD battle deaths per focus country (the conflict's location), year and actor group.

    BRD places a dyad where its incompatibility lies (``location_iso3``; an interstate dyad
    counts for each state), not where each battle was fought. ``deaths_low`` / ``deaths_high``
    sum BRD's low and high estimates (NaN when one is out of order with the best); ``reading``
    is the actor map's note for an IS group (why it is, or is not, read as ISIS-K there).
    Columns: iso3, country, year, actor_group, deaths, deaths_low, deaths_high, dyads, reading.
    """
    focus = check_countries(focus_countries, "focus_countries")
    lookup = _ActorLookup(actor_map)
    excluded = {e.dyad for e in exclusions}
    rows = []
    for row in brd.itertuples(index=False):
        dyad = f"{row.side_a} - {row.side_b}"
        if dyad in excluded:
            continue
        for iso3 in row.location_iso3:
            if iso3 in focus:
                group = actor_group(dyad, iso3, int(row.year), lookup)
                low, high = ordered(row.bd_low, row.bd_best, row.bd_high)
                reading = (
                    reading_note(lookup, "IS", iso3, int(row.year))
                    if group.startswith("IS")
                    else ""
                )
                rows.append(
                    dict(
                        iso3=iso3,
                        year=int(row.year),
                        actor_group=group,
                        deaths=float(row.bd_best),
                        deaths_low=low,
                        deaths_high=high,
                        dyad=dyad,
                        reading=reading,
                    )
                )
    columns = ["iso3", "year", "actor_group", "deaths", "deaths_low", "deaths_high", "dyad"]
    frame = pd.DataFrame(rows, columns=[*columns, "reading"])
    out = (
        frame.groupby(["iso3", "year", "actor_group"], sort=True)
        .agg(
            deaths=("deaths", "sum"),
            deaths_low=("deaths_low", lambda v: v.sum() if v.notna().all() else np.nan),
            deaths_high=("deaths_high", lambda v: v.sum() if v.notna().all() else np.nan),
            dyads=("dyad", lambda d: "; ".join(sorted(set(d)))),
            reading=("reading", lambda r: " ".join(dict.fromkeys(x for x in r if x))),
        )
        .reset_index()
    )
    out.insert(1, "country", out["iso3"].map(label))
    return out
