"""Country-year cells from the UCDP country-year file: one row per country, year and part of
violence, with excluded dyads removed where they can be, shared totals missing (never a guess),
and deaths attributed to a group of interest only when every kept dyad belongs to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError, Problem
from .actors import (  # noqa: F401  (re-exported: callers import them from here)
    ACTOR_GROUPS,
    OTHER,
    SEVERAL,
    ActorGroup,
    _ActorLookup,
    actor_group,
    actors_present,
    dyad_actors,
    is_government_dyad,
)
from .scope import (
    ALLOWED_COUNTRIES,
    PARTS,
    VIOLENCE_LABELS,
    VIOLENCE_TYPES,
    WESTERN_EUROPE,
    WEU,
    YEARS,
    DataDir,
    check_countries,
    check_violence_types,
    check_window,
    label,
)


@dataclass(frozen=True)
class Exclusion:
    """A UCDP dyad left out of the observed totals, and why."""

    dyad: str  # the dyad name exactly as the country-year file writes it
    reason: str


EXCLUDED_DYADS = (
    Exclusion("Government of Russia (Soviet Union) - Government of Ukraine", "Russia–Ukraine war"),
    Exclusion(
        "Government of Russia (Soviet Union) - LSR", "Russia–Ukraine war (Freedom of Russia Legion)"
    ),
    Exclusion(
        "Government of Russia (Soviet Union) - RDK", "Russia–Ukraine war (Russian Volunteer Corps)"
    ),
    Exclusion(
        "Government of Russia (Soviet Union) - Chechen Republic of Ichkeria",
        "Russia–Ukraine war (Chechen units fighting for Ukraine)",
    ),
    Exclusion("Government of Russia (Soviet Union) - Wagner", "Wagner mutiny, June 2023"),
    Exclusion(
        "Government of Kyrgyzstan - Government of Tajikistan",
        "Kyrgyzstan–Tajikistan border conflict",
    ),
)


CELL_COLUMNS = [
    "iso3",
    "country",
    "year",
    "violence_type",
    "part",
    "deaths_reported",
    "deaths",
    "excluded_deaths",
    "status",
    "dyads",
    "excluded_dyads",
    "actor_group",
]


def _load(cy, actor_map, data_dir):
    from .. import tables as external

    if cy is None:
        cy = external.load_ucdp_country_year(data_dir)
    if actor_map is None:
        actor_map = external.load_ucdp_actor_map(data_dir)
    return cy, actor_map


def _split_one_sided(dyads: list[str], part: str) -> list[str]:
    keep_government = part == "government"
    return [d for d in dyads if is_government_dyad(d) == keep_government]


def violence_cells(
    cy: pd.DataFrame | None = None,
    actor_map: pd.DataFrame | None = None,
    *,
    countries: Iterable[str] = ALLOWED_COUNTRIES,
    years: Sequence[int] = YEARS,
    exclusions: Iterable[Exclusion] = EXCLUDED_DYADS,
    data_dir: DataDir = None,
    estimate: str = "best",
) -> pd.DataFrame:
    """One row per country, year and part of a violence type, with exclusions applied.

    ``estimate`` picks UCDP's ``best`` (default), ``low`` or ``high`` estimate. A low or high
    estimate out of order with the best (low above it, high below it; ``afghan-brief validate``
    warns of each) is never used: the part's deaths are missing, status "estimate out of order".

    ===============  =========  ============================================================
    column           dtype      meaning
    ===============  =========  ============================================================
    iso3, country    str        ISO3 and display name
    year             int64
    violence_type    str        state_based, non_state, one_sided
    part             str        intrastate, interstate, non_state, government,
                                non_state_group
    deaths_reported  float64    UCDP's estimate for the part, as published
    deaths           float64    after exclusions; NaN when not separable
    excluded_deaths  float64    deaths of excluded dyads (0 if none; NaN if not separable)
    status           str        reported, excluded, not separable, estimate out of order
    dyads            object     kept dyad names (list)
    excluded_dyads   object     excluded dyad names (list)
    actor_group      str        the group all kept dyads share, SEVERAL, or "" if none
    ===============  =========  ============================================================
    """
    countries = check_countries(countries)
    first, last = check_window(years, "years")
    if estimate not in ESTIMATES:
        raise ParameterError(f"estimate must be one of {', '.join(ESTIMATES)}; got {estimate!r}")
    cy, actor_map = _load(cy, actor_map, data_dir)
    lookup = _ActorLookup(actor_map)
    excluded = {e.dyad for e in exclusions}
    frame = cy[cy["iso3"].isin(countries) & cy["year"].between(first, last)]
    missing = sorted(set(countries) - set(frame["iso3"]))
    if missing:
        raise DataError(
            [
                Problem(
                    "UCDP country-year file", f"no rows for {', '.join(missing)} in {first}–{last}"
                )
            ]
        )
    by_type = {
        (row.iso3, int(row.year), str(row.violence_type)): row
        for row in frame.itertuples(index=False)
    }
    rows = []
    for iso3, year in sorted({(k[0], k[1]) for k in by_type}):
        for violence_type, parts in PARTS.items():
            listed = by_type[(iso3, year, violence_type)].dyad_names  # the type's dyads
            for part, source in parts:
                src = by_type[(iso3, year, source)]
                if violence_type == "one_sided":  # the sub-types list no dyads of their own
                    dyads = _split_one_sided(list(listed), part)
                else:
                    dyads = list(src.dyad_names)
                rows.append(
                    _cell(iso3, year, violence_type, part, src, dyads, excluded, lookup, estimate)
                )
    out = pd.DataFrame(rows, columns=CELL_COLUMNS)
    return out.sort_values(["iso3", "year", "violence_type", "part"], ignore_index=True)


ESTIMATES = ("best", "low", "high")


def _estimate(src, estimate: str) -> tuple[float, bool]:
    """The part's deaths by ``estimate`` and whether that estimate is usable (ordered)."""
    best = float(src.deaths_best) if not pd.isna(src.deaths_best) else np.nan
    if estimate == "best":
        return best, True
    value = getattr(src, f"deaths_{estimate}")
    value = float(value) if not pd.isna(value) else np.nan
    ordered = value <= best if estimate == "low" else value >= best
    return value, bool(ordered)


def _cell(iso3, year, violence_type, part, src, dyads, excluded, lookup, estimate="best") -> dict:
    reported, usable = _estimate(src, estimate)
    gone = [d for d in dyads if d in excluded]
    kept = [d for d in dyads if d not in excluded]
    if not usable:
        deaths, excluded_deaths, status = np.nan, np.nan, "estimate out of order"
    elif not gone:
        deaths, excluded_deaths, status = reported, 0.0, "reported"
    elif not kept:
        deaths, excluded_deaths, status = 0.0, reported, "excluded"
    else:
        deaths, excluded_deaths, status = np.nan, np.nan, "not separable"
    groups = {actor_group(d, iso3, year, lookup) for d in kept}
    group = "" if not groups else (groups.pop() if len(groups) == 1 else SEVERAL)
    return dict(
        iso3=iso3,
        country=label(iso3),
        year=year,
        violence_type=violence_type,
        part=part,
        deaths_reported=reported,
        deaths=deaths,
        excluded_deaths=excluded_deaths,
        status=status,
        dyads=kept,
        excluded_dyads=gone,
        actor_group=group,
    )


def sum_or_missing(values: pd.Series) -> float:
    """The sum, or NaN when any value is missing (a gap is never counted as zero)."""
    return float(values.sum()) if values.notna().all() else np.nan


def country_year_deaths(
    cells: pd.DataFrame,
    violence_types: Iterable[str] = VIOLENCE_TYPES,
    *,
    western_europe: bool = True,
) -> pd.DataFrame:
    """Deaths per country and year over the chosen violence types, after exclusions.

    A country-year is missing when any of its parts is (a sum never treats a gap as zero).
    With ``western_europe`` the nine :data:`WESTERN_EUROPE` states are summed into ``WEU``.
    Columns: iso3, country, year, deaths, deaths_reported, excluded_deaths, note.
    """
    types = check_violence_types(violence_types)
    part = cells[cells["violence_type"].isin(types)].copy()
    if western_europe:
        part["iso3"] = part["iso3"].where(~part["iso3"].isin(WESTERN_EUROPE), WEU)
    keys = [part["iso3"], part["year"]]
    values = part[["deaths", "deaths_reported", "excluded_deaths"]]
    # sum_or_missing per group, whole columns at once: a group with a gap is missing
    gaps = values.isna().groupby(keys, sort=True).any()
    out = values.groupby(keys, sort=True).sum().mask(gaps).reset_index()
    notes: dict[tuple, list[str]] = {}
    for iso3, year, *row in zip(
        part["iso3"].tolist(),
        part["year"].tolist(),
        part["status"].tolist(),
        part["violence_type"].tolist(),
        part["part"].tolist(),
        part["deaths_reported"].tolist(),
        part["dyads"].tolist(),
        part["excluded_dyads"].tolist(),
        strict=True,
    ):
        note = _part_note(*row)
        if note:
            notes.setdefault((iso3, year), []).append(note)
    out["note"] = [
        "; ".join(notes.get(key, ())) for key in zip(out["iso3"], out["year"], strict=True)
    ]
    out.insert(1, "country", out["iso3"].map(label))
    return out


def _part_note(status, violence_type, part, deaths_reported, dyads, excluded_dyads) -> str:
    """What a reader must know of one part's count: not separable, out of order, excluded."""
    if status == "not separable":
        return (
            f"{VIOLENCE_LABELS[violence_type]} ({part}) not separable: "
            f"{', '.join(excluded_dyads)} excluded from a total shared with "
            f"{', '.join(dyads)}"
        )
    if status == "estimate out of order":
        return (
            f"{VIOLENCE_LABELS[violence_type]} ({part}): UCDP's estimate out of order "
            "with its best estimate, left out"
        )
    if status == "excluded":
        return f"{deaths_reported:,.0f} deaths excluded: {', '.join(excluded_dyads)}"
    return ""


def actor_year_deaths(
    cells: pd.DataFrame,
    actor: str,
    countries: Iterable[str],
    violence_types: Iterable[str] = VIOLENCE_TYPES,
    *,
    present: dict[int, set[str]] | None = None,
    cy: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Deaths UCDP attributes to one actor (a UCDP name of :data:`ACTOR_GROUPS`) per country and
    year: the sum of parts whose kept dyads all involve it.

    ``status`` says what a value means:

    - ``attributed``: every part of the chosen types with a dyad of the actor holds only its dyads;
    - ``not separable`` (NaN): a part shares the actor's dyads with others' (or is missing);
    - ``not in UCDP this year`` (NaN): UCDP lists no dyad of the actor anywhere that year: not
      measurable, not zero;
    - ``no dyad reported`` (0): UCDP lists the actor that year, but no dyad of it here;
    - ``none of these types`` (0): no dyad of the actor here in the chosen types, but some in
      others; ``note`` names them (their deaths are in totals shared with other dyads).

    Columns: iso3, country, year, deaths, status, note.
    """
    groups = [g for g in ACTOR_GROUPS if g.ucdp_name == actor]
    if not groups:
        names = ", ".join(g.ucdp_name for g in ACTOR_GROUPS)
        raise ParameterError(f"unknown actor {actor!r}; known: {names}")
    countries = check_countries(countries)
    types = check_violence_types(violence_types)
    if present is None:
        if cy is None:
            raise ValueError("pass present= (from actors_present) or cy=")
        present = actors_present(cy)

    def has(dyads) -> list[bool]:
        return [actor in dyad_actors(d) for d in dyads]

    here = cells[cells["iso3"].isin(countries)]
    rows = []
    for (iso3, year), every in here.groupby(["iso3", "year"], sort=True):
        group = every[every["violence_type"].isin(types)]
        involved = group[[any(has(d)) for d in group["dyads"]]]
        elsewhere = every[~every["violence_type"].isin(types)]
        other = elsewhere[[any(has(d)) for d in elsewhere["dyads"]]]
        note = ""
        if actor not in present.get(int(year), set()):
            deaths, status = np.nan, "not in UCDP this year"
        elif involved.empty and other.empty:
            deaths, status = 0.0, "no dyad reported"
        elif involved.empty:
            deaths, status = 0.0, "none of these types"
            note = "; ".join(_other_types_note(actor, r, has) for r in other.itertuples())
        elif not all(all(has(d)) for d in involved["dyads"]) or involved["deaths"].isna().any():
            deaths, status = np.nan, "not separable"
        else:
            deaths, status = float(involved["deaths"].sum()), "attributed"
        rows.append(
            dict(
                iso3=iso3,
                country=label(iso3),
                year=int(year),
                deaths=deaths,
                status=status,
                note=note,
            )
        )
    return pd.DataFrame(rows, columns=["iso3", "country", "year", "deaths", "status", "note"])


def _other_types_note(actor: str, r, has) -> str:
    """How much of a part of another violence type is the actor's: all of it, or not separable."""
    kind = f"{VIOLENCE_LABELS[r.violence_type]} ({r.part})"
    dyads = "; ".join(r.dyads)
    if all(has(r.dyads)) and not pd.isna(r.deaths):
        return f"{actor} in {kind} violence here: {r.deaths:,.0f} deaths ({dyads})"
    return (
        f"{actor} in {kind} violence here ({dyads}), in a total shared with other dyads: "
        "not separable"
    )


def actor_breakdown(
    cells: pd.DataFrame,
    focus_countries: Iterable[str],
    violence_types: Iterable[str] = VIOLENCE_TYPES,
) -> pd.DataFrame:
    """Deaths per focus country, year and actor group (parts with no deaths left out).

    Parts whose kept dyads span several groups go to :data:`SEVERAL`; not separable parts are
    kept with NaN deaths so a chart can mark them. Columns: iso3, country, year, actor_group,
    deaths, dyads (text), missing (bool).
    """
    focus = check_countries(focus_countries, "focus_countries")
    types = check_violence_types(violence_types)
    part = cells[cells["iso3"].isin(focus) & cells["violence_type"].isin(types)].copy()
    part = part[(part["deaths"] != 0) | part["deaths"].isna()]
    part["actor_group"] = part["actor_group"].replace("", OTHER)
    part["dyad_text"] = part["dyads"].map(lambda d: "; ".join(d))
    rows = []
    for (iso3, year, group), g in part.groupby(["iso3", "year", "actor_group"], sort=True):
        rows.append(
            dict(
                iso3=iso3,
                country=label(iso3),
                year=int(year),
                actor_group=group,
                deaths=sum_or_missing(g["deaths"]),
                dyads="; ".join(sorted({d for ds in g["dyads"] for d in ds})),
                missing=bool(g["deaths"].isna().any()),
            )
        )
    return pd.DataFrame(
        rows, columns=["iso3", "country", "year", "actor_group", "deaths", "dyads", "missing"]
    )


PAKISTAN_GOVT_ID, TTP_ID = 142, 356
