"""What UCDP observed: organised violence by country, year, type and actor, 2015–2024.

The observed half of the regional risk report (:mod:`analysis.risk` holds the seed's assessment
and the claims-vs-outcomes verdicts). Everything here is a plain function over the frames of
:mod:`analysis.external`; loading happens only when a frame is not passed in.

**Cells.** The UCDP country-year file gives deaths per country, year and type of violence with the
list of active dyads, never deaths per dyad. Its types split without overlap into five *parts*:
state-based intrastate and interstate, non-state, and one-sided violence by a government or by a
non-state group (the file lists the one-sided dyads together; a dyad whose perpetrator is
``Government of ...`` belongs to the government part). :func:`violence_cells` returns one row per
country, year and part; the three violence types are sums of their parts.

**Exclusions.** Dyads unrelated to Afghanistan that would swamp a "shift" are removed
(:data:`EXCLUDED_DYADS`: the Russia–Ukraine war, the Wagner mutiny, the Kyrgyzstan–Tajikistan
border conflict). A part whose dyads are all excluded keeps 0 deaths (UCDP records no other
dyad there); a part that mixes excluded and kept dyads cannot be split with this data and becomes
**missing** (``status == "not separable"``), never a guess.

**Actors.** Each kept dyad is attributed to the first *group of interest* on either side, in the
order of :data:`ACTOR_GROUPS` (IS, TTP, Jaish al-Adl, al-Qaida, ETIM, Taleban, Government of
Afghanistan), read through ``ucdp_actor_map.csv``: IS located in Afghanistan, Pakistan, Iran,
Tajikistan or Russia is ISIS-K (UCDP has one IS actor for every branch), and Government of
Afghanistan is the Ghani government until 14 August 2021 and the Taliban from 15 August. A part's
deaths go to a group only when all its kept dyads belong to that group; otherwise to "several
actors". An actor's deaths in a year when UCDP lists no dyad of it anywhere are **not measurable**
(missing), not zero: ETIM after 2017, al-Qaida after 2022.

**Windows.** :func:`compare_windows` averages deaths per year in a baseline and a comparison
window. Years outside a dataset's coverage (BRD v24.1 ends in 2023) are left out of the window and
the years used are shown; a missing value inside the coverage makes the window missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import charts
from .exceptions import DataError, ParameterError, Problem

DataDir = str | os.PathLike | None

NEIGHBOURS = ("PAK", "IRN", "CHN", "TJK", "UZB", "TKM")
OBSERVED_COUNTRIES = ("AFG", *NEIGHBOURS, "RUS", "IND", "USA")
# Western Europe: nine large Western European states, this report's choice (the seed names
# "Europe", "Western nations" and Vienna; it lists no states). Summed as WEU in the charts.
WESTERN_EUROPE = ("GBR", "FRA", "DEU", "AUT", "BEL", "NLD", "ESP", "ITA", "SWE")
WEU = "WEU"  # the code of the Western Europe aggregate in this module's frames (not ISO 3166)
ALLOWED_COUNTRIES = (*OBSERVED_COUNTRIES, *WESTERN_EUROPE)
COUNTRY_LABELS = {
    "AFG": "Afghanistan",
    "PAK": "Pakistan",
    "IRN": "Iran",
    "CHN": "China",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "TKM": "Turkmenistan",
    "RUS": "Russia",
    "IND": "India",
    "USA": "United States",
    "GBR": "United Kingdom",
    "FRA": "France",
    "DEU": "Germany",
    "AUT": "Austria",
    "BEL": "Belgium",
    "NLD": "Netherlands",
    "ESP": "Spain",
    "ITA": "Italy",
    "SWE": "Sweden",
    WEU: "Western Europe",
    "KAZ": "Kazakhstan",  # shown on the seed's side (Central Asia), not in the observed set
    "KGZ": "Kyrgyzstan",
}
YEARS = (2015, 2024)
VIOLENCE_TYPES = ("state_based", "non_state", "one_sided")
VIOLENCE_LABELS = {
    "state_based": "state-based",
    "non_state": "non-state",
    "one_sided": "one-sided",
}
# the parts a violence type splits into: (part name, country-year violence_type it reads)
PARTS = {
    "state_based": (
        ("intrastate", "state_based_intrastate"),
        ("interstate", "state_based_interstate"),
    ),
    "non_state": (("non_state", "non_state"),),
    "one_sided": (("government", "one_sided_any_govt"), ("non_state_group", "one_sided_nsgroup")),
}
DEFAULT_BASELINE = (2018, 2020)
DEFAULT_COMPARISON = (2022, 2024)

UCDP_CY = "UCDP Country-Year Dataset on Organized Violence v25.1 (Davies et al. 2025, CC BY 4.0)"
UCDP_BRD = "UCDP Battle-Related Deaths Dataset v24.1 (Davies et al. 2024, CC BY 4.0)"
UCDP_ACD = (
    "UCDP/PRIO Armed Conflict Dataset v25.1 (Gleditsch et al. 2002; Davies et al. 2025, CC BY 4.0)"
)
IS_CAVEAT = (
    "UCDP codes every Islamic State branch as one actor, IS; located in Afghanistan, Pakistan, "
    "Iran, Tajikistan or Russia it is read as ISIS-K (in Russia before 2021 mostly the Caucasus "
    "province)."
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


@dataclass(frozen=True)
class ActorGroup:
    """A UCDP actor the report follows: its UCDP name and how its dyads are labelled."""

    ucdp_name: str
    label: str  # label when the actor map gives no seed actor here and then
    by_seed_id: tuple[tuple[str, str], ...] = ()  # seed actor id -> label


ACTOR_GROUPS = (
    ActorGroup("IS", "IS, other branches", (("isis_k", "ISIS-K (UCDP: IS)"),)),
    ActorGroup("TTP", "TTP"),
    ActorGroup("Jaish al-Adl", "Jaish al-Adl"),
    ActorGroup("al-Qaida", "al-Qaida"),
    ActorGroup("ETIM", "ETIM"),
    ActorGroup("Taleban", "Taliban", (("taliban", "Taliban"),)),
    ActorGroup(
        "Government of Afghanistan",
        "Government of Afghanistan",
        (("ghani_admin", "Government of Afghanistan (Ghani)"), ("taliban", "Taliban")),
    ),
)
SEVERAL = "several actors (not separable)"
OTHER = "other actors"
GROUP_COLORS = {
    "ISIS-K (UCDP: IS)": "#c0392b",
    "IS, other branches": "#e6550d",
    "TTP": "#1b9e77",
    "Jaish al-Adl": "#d95f02",
    "al-Qaida": "#7570b3",
    "ETIM": "#e7298a",
    "Taliban": "#000000",
    "Government of Afghanistan (Ghani)": "#636363",
    "Government of Afghanistan (Ghani, then Taliban)": "#969696",
    OTHER: "#9ecae1",
    SEVERAL: charts.MISSING_COLOR,
}

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


def label(code: str) -> str:
    """The display name of an observed country code (``WEU`` is Western Europe)."""
    return COUNTRY_LABELS.get(code, code)


# ---------------------------------------------------------------------------------------------
# Input checks shared by the functions (ParameterError: the caller passed a bad value)


def check_countries(countries: Iterable[str], name: str = "countries") -> list[str]:
    """The codes as a list, or ParameterError naming the first one not in the observed set."""
    out = list(countries)
    allowed = set(ALLOWED_COUNTRIES) | {WEU}
    for code in out:
        if code not in allowed:
            raise ParameterError(
                f"{name}: unknown ISO3 code {code!r}; allowed: " + ", ".join(ALLOWED_COUNTRIES)
            )
    return out


def check_violence_types(types: Iterable[str]) -> list[str]:
    out = list(types)
    bad = [t for t in out if t not in VIOLENCE_TYPES]
    if bad or not out:
        raise ParameterError(
            f"violence_types must be a non-empty list of {', '.join(VIOLENCE_TYPES)}; got {out!r}"
        )
    return out


def check_window(window: Sequence[int], name: str) -> tuple[int, int]:
    if len(window) != 2 or not all(isinstance(y, (int, np.integer)) for y in window):
        raise ParameterError(f"{name} must be [first year, last year]; got {window!r}")
    first, last = int(window[0]), int(window[1])
    if first > last:
        raise ParameterError(f"{name} must run forward (first <= last); got {[first, last]}")
    return first, last


def check_windows(baseline: Sequence[int], comparison: Sequence[int]) -> tuple[tuple, tuple]:
    """Both windows as (first, last) tuples; the baseline must end before the comparison starts."""
    base = check_window(baseline, "baseline_years")
    comp = check_window(comparison, "comparison_years")
    if base[1] >= comp[0]:
        raise ParameterError(
            f"baseline_years {list(base)} must end before comparison_years {list(comp)} start"
        )
    return base, comp


# ---------------------------------------------------------------------------------------------
# Dyads and actors


def dyad_actors(dyad: str) -> set[str]:
    """The actor names in a UCDP dyad name: sides split at " - ", coalitions at ", ".

    >>> sorted(dyad_actors("High Council of Afghanistan Islamic Emirate, IS - Taleban"))
    ['High Council of Afghanistan Islamic Emirate', 'IS', 'Taleban']
    """
    return {name.strip() for side in dyad.split(" - ") for name in side.split(", ") if name.strip()}


def is_government_dyad(dyad: str) -> bool:
    """A one-sided dyad whose perpetrator is a government (``Government of X - Civilians``)."""
    return dyad.startswith("Government of ")


class _ActorLookup:
    """map_ucdp_actor_in_year over one actor map, memoised."""

    def __init__(self, actor_map: pd.DataFrame):
        from .external import map_ucdp_actor_in_year

        self._map = actor_map
        self._fn = map_ucdp_actor_in_year
        self._cache: dict[tuple, list[str]] = {}

    def __call__(self, name: str, iso3: str, year: int) -> list[str]:
        key = (name, iso3, year)
        if key not in self._cache:
            self._cache[key] = self._fn(name, iso3, year, self._map)
        return self._cache[key]


def actor_group(dyad: str, iso3: str, year: int, lookup) -> str:
    """The group a dyad is attributed to: the first of :data:`ACTOR_GROUPS` on either side,
    labelled through the actor map at the country and year; :data:`OTHER` if none."""
    names = dyad_actors(dyad)
    for group in ACTOR_GROUPS:
        if group.ucdp_name not in names:
            continue
        seed_ids = lookup(group.ucdp_name, iso3, year)
        labels = dict(group.by_seed_id)
        found = [labels[s] for s in seed_ids if s in labels]
        if len(found) > 1:  # Government of Afghanistan in 2021
            return "Government of Afghanistan (Ghani, then Taliban)"
        return found[0] if found else group.label
    return OTHER


def actors_present(cy: pd.DataFrame) -> dict[int, set[str]]:
    """Per year, every actor name in any dyad UCDP lists anywhere in the world that year."""
    rows = cy[cy["violence_type"].isin(["state_based", "non_state", "one_sided"])]
    present: dict[int, set[str]] = {}
    for year, names in zip(rows["year"], rows["dyad_names"], strict=True):
        bucket = present.setdefault(int(year), set())
        for dyad in names or []:
            bucket |= dyad_actors(dyad)
    return present


# ---------------------------------------------------------------------------------------------
# Country-year cells


def _load(cy, actor_map, data_dir):
    from . import external

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
) -> pd.DataFrame:
    """One row per country, year and part of a violence type, with exclusions applied.

    ===============  =========  ============================================================
    column           dtype      meaning
    ===============  =========  ============================================================
    iso3, country    str        ISO3 and display name
    year             int64
    violence_type    str        state_based, non_state, one_sided
    part             str        intrastate, interstate, non_state, government,
                                non_state_group
    deaths_reported  float64    UCDP best estimate for the part, as published
    deaths           float64    after exclusions; NaN when not separable
    excluded_deaths  float64    deaths of excluded dyads (0 if none; NaN if not separable)
    status           str        reported, excluded, not separable
    dyads            object     kept dyad names (list)
    excluded_dyads   object     excluded dyad names (list)
    actor_group      str        the group all kept dyads share, SEVERAL, or "" if none
    ===============  =========  ============================================================
    """
    countries = check_countries(countries)
    first, last = check_window(years, "years")
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
                rows.append(_cell(iso3, year, violence_type, part, src, dyads, excluded, lookup))
    out = pd.DataFrame(rows, columns=CELL_COLUMNS)
    return out.sort_values(["iso3", "year", "violence_type", "part"], ignore_index=True)


def _cell(iso3, year, violence_type, part, src, dyads, excluded, lookup) -> dict:
    reported = float(src.deaths_best) if not pd.isna(src.deaths_best) else np.nan
    gone = [d for d in dyads if d in excluded]
    kept = [d for d in dyads if d not in excluded]
    if not gone:
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
    grouped = part.groupby(["iso3", "year"], sort=True)
    out = grouped.agg(
        deaths=("deaths", sum_or_missing),
        deaths_reported=("deaths_reported", sum_or_missing),
        excluded_deaths=("excluded_deaths", sum_or_missing),
    ).reset_index()
    out["note"] = [_cell_note(g) for _, g in grouped]
    out.insert(1, "country", out["iso3"].map(label))
    return out


def _cell_note(group: pd.DataFrame) -> str:
    notes = []
    for row in group.itertuples(index=False):
        if row.status == "not separable":
            notes.append(
                f"{VIOLENCE_LABELS[row.violence_type]} ({row.part}) not separable: "
                f"{', '.join(row.excluded_dyads)} excluded from a total shared with "
                f"{', '.join(row.dyads)}"
            )
        elif row.status == "excluded":
            notes.append(
                f"{row.deaths_reported:,.0f} deaths excluded: {', '.join(row.excluded_dyads)}"
            )
    return "; ".join(notes)


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

    Missing (NaN) when the actor shares a part with other actors (``not separable``) or UCDP lists
    no dyad of it anywhere that year (``not in UCDP this year``: not measurable, not zero); 0 when
    UCDP lists the actor that year but not in this country's chosen violence types.
    Columns: iso3, country, year, deaths, status.
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
    part = cells[cells["violence_type"].isin(types) & cells["iso3"].isin(countries)]
    rows = []
    for (iso3, year), group in part.groupby(["iso3", "year"], sort=True):
        involved = group[[actor in set().union(*map(dyad_actors, d)) for d in group["dyads"]]]
        if actor not in present.get(int(year), set()):
            deaths, status = np.nan, "not in UCDP this year"
        elif involved.empty:
            deaths, status = 0.0, "no dyad here"
        elif (involved["dyads"].map(len) > 1).any() or involved["deaths"].isna().any():
            deaths, status = np.nan, "not separable"
        else:
            deaths, status = float(involved["deaths"].sum()), "attributed"
        rows.append(
            dict(iso3=iso3, country=label(iso3), year=int(year), deaths=deaths, status=status)
        )
    return pd.DataFrame(rows, columns=["iso3", "country", "year", "deaths", "status"])


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


# ---------------------------------------------------------------------------------------------
# BRD and ACD


def dyad_battle_deaths(
    brd: pd.DataFrame,
    side_a_id: int,
    side_b_id: int,
    years: Sequence[int] = YEARS,
) -> pd.DataFrame:
    """Battle-related deaths of one dyad per year (BRD). A year inside BRD's coverage with no row
    is missing ("below 25 deaths or inactive"), a year after its last year is "not covered".
    Columns: year, deaths, status, dyad."""
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
    by_year = rows.set_index("year")["bd_best"]
    out = []
    for year in range(first, last + 1):
        if year > covered:
            out.append(dict(year=year, deaths=np.nan, status=f"not covered (BRD ends {covered})"))
        elif year in by_year.index:
            out.append(dict(year=year, deaths=float(by_year[year]), status="reported"))
        else:
            out.append(dict(year=year, deaths=np.nan, status="no row (below 25 deaths)"))
    frame = pd.DataFrame(out, columns=["year", "deaths", "status"])
    frame["dyad"] = name
    return frame


PAKISTAN_GOVT_ID, TTP_ID = 142, 356


def pakistan_ttp(brd: pd.DataFrame | None = None, *, data_dir: DataDir = None) -> pd.DataFrame:
    """Pakistan–TTP battle-related deaths per year, 2015–2024 (BRD v24.1 ends in 2023).

    >>> s = pakistan_ttp().set_index("year")
    >>> s.loc[[2015, 2019, 2021, 2023], "deaths"].tolist()
    [1954.0, 148.0, 259.0, 752.0]
    """
    if brd is None:
        from .external import load_ucdp_brd

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
    counts for each state), not where each battle was fought. Columns: iso3, country, year,
    actor_group, deaths, dyads.
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
                rows.append(
                    dict(
                        iso3=iso3,
                        year=int(row.year),
                        actor_group=group,
                        deaths=float(row.bd_best),
                        dyad=dyad,
                    )
                )
    frame = pd.DataFrame(rows, columns=["iso3", "year", "actor_group", "deaths", "dyad"])
    out = (
        frame.groupby(["iso3", "year", "actor_group"], sort=True)
        .agg(deaths=("deaths", "sum"), dyads=("dyad", lambda d: "; ".join(sorted(set(d)))))
        .reset_index()
    )
    out.insert(1, "country", out["iso3"].map(label))
    return out


# ---------------------------------------------------------------------------------------------
# Windows


def window_mean(
    series: pd.DataFrame, window: Sequence[int], covered: Sequence[int] | None = None
) -> tuple[float, str]:
    """Mean deaths per year of ``series`` (year, deaths) over ``window``.

    Years outside ``covered`` (default: the series' years) are left out and the years used are
    returned as text ("2022–2023"); a NaN inside the coverage makes the mean NaN.
    """
    first, last = check_window(window, "window")
    years = series["year"]
    lo, hi = (int(years.min()), int(years.max())) if covered is None else covered
    use = series[series["year"].between(max(first, lo), min(last, hi))]
    if use.empty:
        return np.nan, "not covered"
    used = f"{int(use['year'].min())}–{int(use['year'].max())}"
    if use["deaths"].isna().any():
        return np.nan, used
    return float(use["deaths"].mean()), used


def compare_windows(
    series: pd.DataFrame,
    baseline: Sequence[int] = DEFAULT_BASELINE,
    comparison: Sequence[int] = DEFAULT_COMPARISON,
    *,
    by: str = "iso3",
    covered: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Mean deaths per year in each window and the change, per ``by`` group.

    Columns: ``by``, baseline_mean, baseline_used, comparison_mean, comparison_used, change
    (comparison − baseline), ratio (comparison / baseline; NaN when the baseline is 0).
    """
    base, comp = check_windows(baseline, comparison)
    rows = []
    groups = series.groupby(by, sort=False) if by else [(None, series)]
    for key, g in groups:
        b, b_used = window_mean(g, base, covered)
        c, c_used = window_mean(g, comp, covered)
        ratio = c / b if b and not np.isnan(b) and not np.isnan(c) else np.nan
        row = {by: key} if by else {}
        row.update(
            baseline_mean=b,
            baseline_used=b_used,
            comparison_mean=c,
            comparison_used=c_used,
            change=c - b,
            ratio=ratio,
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    if by == "iso3":
        out.insert(1, "country", out["iso3"].map(label))
    return out


def deaths_by_type(
    cells: pd.DataFrame,
    violence_types: Iterable[str] = VIOLENCE_TYPES,
    *,
    western_europe: bool = True,
) -> pd.DataFrame:
    """:func:`country_year_deaths` for each violence type: iso3, country, year, violence_type,
    deaths (NaN when not separable), deaths_reported, excluded_deaths, note."""
    parts = []
    for vtype in check_violence_types(violence_types):
        part = country_year_deaths(cells, [vtype], western_europe=western_europe)
        part.insert(3, "violence_type", vtype)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Charts


TYPE_COLORS = {"state_based": "#2c7fb8", "non_state": "#fdae61", "one_sided": "#d7191c"}
COUNTRY_ORDER = (*OBSERVED_COUNTRIES, WEU, *WESTERN_EUROPE)


def exclusion_note(exclusions: Iterable[Exclusion] = EXCLUDED_DYADS) -> str:
    """The exclusion list as one sentence for a chart's note."""
    by_reason: dict[str, list[str]] = {}
    for e in exclusions:
        by_reason.setdefault(e.reason.split(" (")[0], []).append(e.dyad.split(" - ", 1)[1])
    parts = [f"{reason} ({', '.join(sides)})" for reason, sides in by_reason.items()]
    return "Excluded as unrelated to Afghanistan: " + "; ".join(parts) + "."


def _missing_trace(x, y, text, name="no data / not separable", showlegend=True, **kwargs):
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker=dict(symbol="x-thin-open", size=11, color="#7f7f7f", line=dict(width=2)),
        name=name,
        legendgroup="missing",
        showlegend=showlegend,
        hovertext=text,
        hoverinfo="text",
        **kwargs,
    )


def _grid(n: int, cols: int = 4) -> tuple[int, int]:
    return (n + cols - 1) // cols, min(n, cols)


def _withdrawal_lines(fig: go.Figure, rows: int, cols: int, n: int) -> None:
    """A dashed line at the end of the withdrawal in every panel (the label goes in the note:
    above a panel it would cover the panel's title)."""
    x = 2021 + 242 / 365
    for i in range(n):
        fig.add_vline(
            x=x,
            line_dash="dash",
            line_color="#444444",
            line_width=1,
            row=i // cols + 1,
            col=i % cols + 1,
        )


def deaths_chart(
    by_type: pd.DataFrame,
    countries: Sequence[str] | None = None,
    *,
    exclusions: Iterable[Exclusion] = EXCLUDED_DYADS,
) -> go.Figure:
    """Small multiples: organised-violence deaths per year by violence type, one panel per
    country, each with its own scale; the withdrawal marked; not separable years as grey ×."""
    present = list(dict.fromkeys(by_type["iso3"]))
    order = [c for c in COUNTRY_ORDER if c in present] if countries is None else list(countries)
    rows, cols = _grid(len(order))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[esc_label(c) for c in order],
        vertical_spacing=0.09,
        horizontal_spacing=0.06,
    )
    types = [t for t in VIOLENCE_TYPES if t in set(by_type["violence_type"])]
    for i, iso3 in enumerate(order):
        row, col = i // cols + 1, i % cols + 1
        part = by_type[by_type["iso3"] == iso3]
        for vtype in types:
            g = part[part["violence_type"] == vtype].sort_values("year")
            hover = [
                f"<b>{charts.esc(label(iso3))} {r.year}</b><br>{VIOLENCE_LABELS[vtype]}: "
                + ("not separable" if pd.isna(r.deaths) else f"{r.deaths:,.0f} deaths")
                + (f"<br>{charts.wrap(r.note, 70)}" if r.note else "")
                + f"<br>{charts.esc(UCDP_CY)}"
                for r in g.itertuples(index=False)
            ]
            fig.add_trace(
                go.Bar(
                    x=g["year"],
                    y=g["deaths"],
                    name=VIOLENCE_LABELS[vtype],
                    marker_color=TYPE_COLORS[vtype],
                    legendgroup=vtype,
                    showlegend=i == 0,
                    hovertext=hover,
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
        gaps = part[part["deaths"].isna()].drop_duplicates(["year"])
        if not gaps.empty:
            text = [
                f"<b>{charts.esc(label(iso3))} {r.year}</b>: missing, not zero<br>"
                f"{charts.wrap(r.note, 70)}"
                for r in gaps.itertuples(index=False)
            ]
            fig.add_trace(
                _missing_trace(
                    gaps["year"],
                    [0] * len(gaps),
                    text,
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                ),
                row=row,
                col=col,
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[YEARS[0] - 0.6, YEARS[1] + 0.6], dtick=3)
    fig.update_yaxes(rangemode="tozero")
    for i, iso3 in enumerate(order):  # a panel of zeros: say so, and keep the axis at 0..1
        values = by_type.loc[by_type["iso3"] == iso3, "deaths"]
        if values.notna().all() and (values == 0).all():
            fig.update_yaxes(range=[0, 1], row=i // cols + 1, col=i % cols + 1)
            fig.add_annotation(
                text="0 deaths recorded every year",
                x=2019.5,
                y=0.5,
                showarrow=False,
                font=dict(size=11, color="#555555"),
                row=i // cols + 1,
                col=i % cols + 1,
            )
    _withdrawal_lines(fig, rows, cols, len(order))
    charts.finish(
        fig,
        title="Organised-violence deaths by country and year, 2015–2024",
        sources=[UCDP_CY],
        y_title=None,
        note=f"Dashed line: {charts.WITHDRAWAL_LABEL}. "
        + exclusion_note(exclusions)
        + " Each panel has its own scale (deaths per year). "
        "× = missing: a total shared with an excluded dyad cannot be split.",
        height=230 * rows + 60,
        legend_right=True,
    )
    fig.update_yaxes(title_text="deaths", col=1)
    fig.update_xaxes(title_text="year", row=rows)
    return fig


def esc_label(code: str) -> str:
    return charts.esc(label(code))


def window_change_chart(changes: pd.DataFrame, baseline, comparison) -> go.Figure:
    """Dumbbell: mean deaths per year in the baseline and comparison windows, per country, on a
    log axis. A 0 is drawn at the axis floor as an open marker and labelled 0; missing as ×."""
    base, comp = check_windows(baseline, comparison)
    data = changes.copy()
    positive = pd.concat([data["baseline_mean"], data["comparison_mean"]])
    positive = positive[positive > 0]
    floor = max(0.1, float(positive.min()) / 3) if not positive.empty else 0.1
    order = data.sort_values("comparison_mean", na_position="first")["country"].tolist()
    fig = go.Figure()
    for r in data.itertuples(index=False):
        values = [v for v in (r.baseline_mean, r.comparison_mean) if not pd.isna(v)]
        if len(values) == 2:
            fig.add_trace(
                go.Scatter(
                    x=[max(v, floor) for v in values],
                    y=[r.country] * 2,
                    mode="lines",
                    line=dict(color="#bbbbbb", width=3),
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    for column, used, name, color in (
        ("baseline_mean", "baseline_used", f"baseline {base[0]}–{base[1]}", "#7f7f7f"),
        ("comparison_mean", "comparison_used", f"comparison {comp[0]}–{comp[1]}", "#d7191c"),
    ):
        ok = data[data[column].notna()]
        hover = [
            f"<b>{charts.esc(r.country)}</b><br>{charts.esc(name)}: "
            f"{getattr(r, column):,.1f} deaths a year ({getattr(r, used)})<br>change: "
            + ("n/a" if pd.isna(r.change) else f"{r.change:+,.1f} a year")
            + f"<br>{charts.esc(UCDP_CY)}"
            for r in ok.itertuples(index=False)
        ]
        symbols = ["circle" if v > 0 else "circle-open" for v in ok[column]]
        fig.add_trace(
            go.Scatter(
                x=ok[column].clip(lower=floor),
                y=ok["country"],
                mode="markers+text",
                marker=dict(color=color, size=11, symbol=symbols, line=dict(width=2, color=color)),
                text=["0" if v == 0 else "" for v in ok[column]],
                textposition="middle left",
                name=name,
                hovertext=hover,
                hoverinfo="text",
            )
        )
        gaps = data[data[column].isna()]
        if not gaps.empty:
            fig.add_trace(
                _missing_trace(
                    [floor] * len(gaps),
                    gaps["country"],
                    [
                        f"<b>{charts.esc(r.country)}</b>: {charts.esc(name)} missing "
                        "(a year in the window is not separable)"
                        for r in gaps.itertuples(index=False)
                    ],
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                )
            )
    fig.update_xaxes(type="log")
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    return charts.finish(
        fig,
        title=f"Deaths per year before and after: {base[0]}–{base[1]} vs {comp[0]}–{comp[1]}",
        sources=[UCDP_CY],
        x_title="mean organised-violence deaths per year (log scale)",
        note="Open markers at the left edge are 0 (a log axis has no zero). " + exclusion_note(),
        height=60 + 34 * len(data),
    )


def battle_deaths_chart(by_group: pd.DataFrame, focus_countries: Sequence[str]) -> go.Figure:
    """Per focus country, BRD battle deaths per year stacked by actor group; years after BRD's
    coverage (2024) marked as missing."""
    focus = check_countries(focus_countries, "focus_countries")
    rows, cols = _grid(len(focus), cols=2)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=[esc_label(c) for c in focus], vertical_spacing=0.12
    )
    groups = [g for g in GROUP_COLORS if g in set(by_group["actor_group"])]
    last = int(by_group["year"].max()) if not by_group.empty else YEARS[1] - 1
    for i, iso3 in enumerate(focus):
        row, col = i // cols + 1, i % cols + 1
        part = by_group[by_group["iso3"] == iso3]
        for group in groups:
            g = part[part["actor_group"] == group]
            if g.empty:
                continue
            hover = [
                f"<b>{charts.esc(label(iso3))} {r.year}</b><br>{charts.esc(group)}: "
                f"{r.deaths:,.0f} battle deaths<br>{charts.wrap(r.dyads, 70)}"
                f"<br>{charts.esc(UCDP_BRD)}"
                for r in g.itertuples(index=False)
            ]
            fig.add_trace(
                go.Bar(
                    x=g["year"],
                    y=g["deaths"],
                    name=charts.esc(group),
                    legendgroup=group,
                    marker_color=GROUP_COLORS[group],
                    hovertext=hover,
                    hoverinfo="text",
                    showlegend=not any(t.legendgroup == group for t in fig.data),
                ),
                row=row,
                col=col,
            )
        after = list(range(last + 1, YEARS[1] + 1))
        if after:
            fig.add_trace(
                _missing_trace(
                    after,
                    [0] * len(after),
                    [f"{y}: not covered (UCDP BRD v24.1 ends in {last})" for y in after],
                    name="not covered by BRD",
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                ),
                row=row,
                col=col,
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[YEARS[0] - 0.6, YEARS[1] + 0.6], dtick=2)
    _withdrawal_lines(fig, rows, cols, len(focus))
    charts.finish(
        fig,
        title="State-based battle deaths by actor, conflicts located in the focus countries",
        sources=[UCDP_BRD],
        note=f"Dashed line: {charts.WITHDRAWAL_LABEL}. "
        + IS_CAVEAT
        + " BRD places a dyad where its conflict is located, not each battle; an "
        "interstate dyad counts for both states. " + exclusion_note(),
        height=300 * rows + 40,
        legend_right=True,
    )
    fig.update_yaxes(title_text="battle deaths", col=1)
    return fig


def ttp_chart(
    series: pd.DataFrame,
    intensity: pd.DataFrame,
    baselines: Sequence[Sequence[int]] = ((2015, 2017), DEFAULT_BASELINE),
    comparison: Sequence[int] = DEFAULT_COMPARISON,
) -> go.Figure:
    """Pakistan–TTP battle deaths per year (BRD) with the windows shaded and their means drawn,
    and the conflict's ACD intensity in a strip below."""
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.8, 0.2], vertical_spacing=0.06
    )
    ok = series[series["deaths"].notna()]
    fig.add_trace(
        go.Bar(
            x=ok["year"],
            y=ok["deaths"],
            name="battle deaths (BRD)",
            marker_color="#1b9e77",
            text=[f"{v:,.0f}" for v in ok["deaths"]],
            textposition="outside",
            hovertext=[
                f"<b>{r.year}</b>: {r.deaths:,.0f} battle deaths, Pakistan – TTP"
                f"<br>{charts.esc(UCDP_BRD)}"
                for r in ok.itertuples(index=False)
            ],
            hoverinfo="text",
        ),
        row=1,
        col=1,
    )
    gaps = series[series["deaths"].isna()]
    if not gaps.empty:
        fig.add_trace(
            _missing_trace(
                gaps["year"],
                [0] * len(gaps),
                [f"{r.year}: {charts.esc(r.status)}" for r in gaps.itertuples()],
                name="no BRD value",
            ),
            row=1,
            col=1,
        )
    windows = [(w, "baseline") for w in baselines] + [(comparison, "comparison")]
    shades = ["#fee8c8", "#e0ecf4", "#fde0dd"]
    for (window, kind), shade in zip(windows, shades, strict=False):
        first, last = check_window(window, f"{kind}_years")
        fig.add_vrect(
            x0=first - 0.45,
            x1=last + 0.45,
            fillcolor=shade,
            opacity=0.6,
            layer="below",
            line_width=0,
            row=1,
            col=1,
        )
        mean, used = window_mean(
            series[["year", "deaths"]],
            (first, last),
            (
                int(series.loc[series["status"] == "reported", "year"].min()),
                int(series.loc[series["status"] == "reported", "year"].max()),
            ),
        )
        if not np.isnan(mean):
            lo, hi = (int(y) for y in used.split("–"))
            fig.add_trace(
                go.Scatter(
                    x=[lo - 0.45, hi + 0.45],
                    y=[mean, mean],
                    mode="lines",
                    line=dict(color="#444444", dash="dot"),
                    showlegend=False,
                    hovertext=f"{kind} {used}: mean {mean:,.0f} a year",
                    hoverinfo="text",
                ),
                row=1,
                col=1,
            )
            fig.add_annotation(
                x=(lo + hi) / 2,
                y=mean,
                text=f"{kind} {used}: {mean:,.0f}/yr",
                showarrow=False,
                yshift=12,
                font=dict(size=11),
                row=1,
                col=1,
            )
    active = intensity[intensity["intensity_level"].notna()]
    fig.add_trace(
        go.Scatter(
            x=active["year"],
            y=active["intensity_level"],
            mode="markers",
            marker=dict(
                size=12,
                symbol="square",
                color=["#b2182b" if v == 2 else "#f4a582" for v in active["intensity_level"]],
            ),
            name="conflict intensity (ACD)",
            hovertext=[
                f"<b>{r.year}</b>: {charts.esc(r.label)}<br>{charts.esc(r.sides)}"
                f"<br>{charts.esc(UCDP_ACD)}"
                for r in active.itertuples(index=False)
            ],
            hoverinfo="text",
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(range=[0.5, 2.5], tickvals=[1, 2], ticktext=["minor", "war"], row=2, col=1)
    fig.update_xaxes(dtick=1, range=[YEARS[0] - 0.6, YEARS[1] + 0.6])
    charts.mark_withdrawal(fig, yearly=True, row=1, col=1)
    charts.finish(
        fig,
        title="Pakistan–TTP: battle deaths by year and the windows a verdict depends on",
        sources=[UCDP_BRD, UCDP_ACD],
        note="BRD v24.1 ends in 2023: 2024 has no battle-death value (ACD shows the conflict "
        "at war level, 1,000+ battle deaths, in 2024). From 2023 ACD's conflict includes HGB "
        "and TJP.",
        height=520,
    )
    fig.update_yaxes(title_text="battle deaths per year", row=1, col=1)
    fig.update_yaxes(title_text="ACD", row=2, col=1)
    fig.update_xaxes(title_text="year", row=2, col=1)
    return fig


def is_one_sided_chart(series: pd.DataFrame) -> go.Figure:
    """Civilians killed by IS (UCDP one-sided violence) per year in the given countries, from
    :func:`actor_year_deaths`; missing years as ×."""
    fig = go.Figure()
    for iso3, g in series.groupby("iso3", sort=False):
        ok = g[g["deaths"].notna()]
        fig.add_trace(
            go.Bar(
                x=ok["year"],
                y=ok["deaths"],
                name=esc_label(iso3),
                marker_color=charts.COUNTRY_COLORS.get(iso3, "#636363"),
                text=[f"{v:,.0f}" if v else "" for v in ok["deaths"]],
                textposition="outside",
                hovertext=[
                    f"<b>{esc_label(iso3)} {r.year}</b>: {r.deaths:,.0f} civilians killed by "
                    f"IS ({charts.esc(r.status)})<br>{charts.esc(UCDP_CY)}"
                    for r in ok.itertuples(index=False)
                ],
                hoverinfo="text",
            )
        )
        gaps = g[g["deaths"].isna()]
        if not gaps.empty:
            fig.add_trace(
                _missing_trace(
                    gaps["year"],
                    [0] * len(gaps),
                    [
                        f"{esc_label(iso3)} {r.year}: {charts.esc(r.status)}"
                        for r in gaps.itertuples()
                    ],
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                )
            )
    fig.update_layout(barmode="group")
    fig.update_xaxes(dtick=1, range=[YEARS[0] - 0.6, YEARS[1] + 0.6])
    charts.mark_withdrawal(fig, yearly=True)
    return charts.finish(
        fig,
        title="Civilians killed by IS (one-sided violence) per year",
        sources=[UCDP_CY],
        y_title="deaths per year",
        x_title="year",
        note=IS_CAVEAT + " 0 = UCDP lists IS that year but records no IS killings here.",
    )
