"""The observed series a claim is tested on: per year, deaths with a lower and an upper bound.

A series (:func:`indicator_series`) has, per year, ``deaths`` (NaN when it cannot be separated
from other violence), ``lower`` and ``upper`` (what the data allow: deaths are ≥ 0 and a part
shared with other dyads holds at most its total) and a ``status``. It is computed on UCDP's best,
low or high estimate; an estimate out of order with the best is never used as a bound (its part
has no upper bound at all).

How a part (country, year, violence type's part) counts for an indicator of UCDP actors or an
indicator family:

- no dyad of the indicator's actors in it: 0;
- only their dyads: its deaths;
- theirs and others' (a shared total): for a state-based part, BRD's per-dyad battle deaths of
  their dyads located (and fought) in the country, in the years BRD covers, with up to 24 deaths
  for each of their dyads BRD does not list (its threshold is 25); otherwise the range 0 to the
  part's total.

An actor UCDP lists nowhere in a year is **not measurable** that year (ETIM after 2017), unless it
is one of a family, whose count is what UCDP recorded (such an actor adds 0).

May import: pandas, numpy, :mod:`analysis.tables`, :mod:`analysis.observed`, :mod:`.definitions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from .. import observed
from ..observed.actors import _ActorLookup, dyad_actors, reads_as_isis_k
from ..tables.estimates import ordered
from .definitions import Indicator

DataDir = observed.DataDir

ESTIMATES = ("best", "low", "high")

BRD_THRESHOLD = 24  # most deaths a dyad-year BRD does not list can have (it lists 25 or more)


@dataclass(frozen=True)
class Observed:
    """The observed frames the claims are tested on (``cells`` on UCDP's best estimate)."""

    cells: pd.DataFrame
    present: dict
    brd: pd.DataFrame
    acd: pd.DataFrame
    violence_types: tuple[str, ...] = observed.VIOLENCE_TYPES
    cy: pd.DataFrame | None = None
    actor_map: pd.DataFrame | None = None
    families: pd.DataFrame | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def cells_for(self, estimate: str = "best") -> pd.DataFrame:
        """The country-year cells built on UCDP's ``best``, ``low`` or ``high`` estimate."""
        if estimate == "best":
            return self.cells
        key = ("cells", estimate)
        if key not in self._cache:
            if self.cy is None or self.actor_map is None:
                raise ValueError("this Observed has no country-year frame: use load_observed()")
            self._cache[key] = observed.violence_cells(self.cy, self.actor_map, estimate=estimate)
        return self._cache[key]

    def lookup(self) -> _ActorLookup:
        if "lookup" not in self._cache:
            if self.actor_map is None:
                from ..tables import load_ucdp_actor_map

                object.__setattr__(self, "actor_map", load_ucdp_actor_map())
            self._cache["lookup"] = _ActorLookup(self.actor_map)
        return self._cache["lookup"]

    def members(self, family: str, branch: str = "") -> set[str]:
        """The UCDP names counted for ``family`` (one ``branch`` of it when given)."""
        from ..tables import family_members, load_indicator_families

        if self.families is None:
            object.__setattr__(self, "families", load_indicator_families())
        found = family_members(self.families, family)
        return {name for name, b in found.items() if not branch or b == branch}

    @property
    def last_year(self) -> int:
        return int(self.cells["year"].max())

    def versions(self) -> dict[str, str]:
        """The UCDP release of each dataset, read from the data (``"25.1"``)."""
        out = {}
        for name, frame in (("country-year", self.cy), ("BRD", self.brd), ("ACD", self.acd)):
            if frame is not None and "version" in frame and len(frame):
                out[name] = str(sorted(set(frame["version"].astype(str)))[-1])
        return out

    def years(self) -> dict[str, tuple[int, int]]:
        """The (first, last) year each dataset covers, from the data."""
        out = {"country-year": (int(self.cells["year"].min()), int(self.cells["year"].max()))}
        for name, frame in (("BRD", self.brd), ("ACD", self.acd)):
            if frame is not None and len(frame):
                out[name] = (int(frame["year"].min()), int(frame["year"].max()))
        return out


def load_observed(
    violence_types: Iterable[str] = observed.VIOLENCE_TYPES, data_dir: DataDir = None
) -> Observed:
    """Load UCDP country-year, BRD, ACD, the actor map and the indicator families; build the
    cells once (those on the low and high estimates when first asked for)."""
    from .. import tables as external

    cy = external.load_ucdp_country_year(data_dir)
    actor_map = external.load_ucdp_actor_map(data_dir)
    return Observed(
        cells=observed.violence_cells(cy, actor_map),
        present=observed.actors_present(cy),
        brd=external.load_ucdp_brd(data_dir),
        acd=external.load_ucdp_acd(data_dir),
        violence_types=tuple(observed.check_violence_types(violence_types)),
        cy=cy,
        actor_map=actor_map,
        families=external.load_indicator_families(data_dir),
    )


SERIES_COLUMNS = ["year", "deaths", "lower", "upper", "status"]


def indicator_series(obs: Observed, indicator: Indicator, estimate: str = "best") -> pd.DataFrame:
    """Per year: deaths summed over the indicator's countries (NaN if any part is not
    separable), ``lower`` and ``upper`` bounds (equal to deaths when it is known), status.

    Columns: year, deaths, lower, upper, status. ``attrs["covered"]`` is the (first, last) year
    the series' data cover.
    """
    if estimate not in ESTIMATES:
        raise ValueError(f"estimate must be one of {ESTIMATES}; got {estimate!r}")
    key = ("series", indicator, estimate)
    if key in obs._cache:
        return obs._cache[key].copy()
    ind = indicator.normalised()
    if ind.kind == "brd_dyad":
        out = _brd_dyad_series(obs, ind, estimate)
    elif ind.kind in ("organised_violence", "actors", "family", "cy_dyad"):
        out = _cell_series(obs, ind, estimate)
    else:
        raise ValueError(f"unknown indicator kind {indicator.kind!r}")
    obs._cache[key] = out
    return out.copy()


def _brd_dyad_series(obs: Observed, ind: Indicator, estimate: str) -> pd.DataFrame:
    series = observed.dyad_battle_deaths(obs.brd, *ind.dyad)
    value = series["deaths"] if estimate == "best" else series[f"deaths_{estimate}"]
    below = series["status"].str.startswith("no row")
    out = pd.DataFrame(
        {
            "year": series["year"],
            "deaths": value,
            "lower": np.where(below, 0.0, value),
            "upper": np.where(below, float(BRD_THRESHOLD), value),
            "status": series["status"],
        }
    )
    out.loc[series["status"].str.startswith("not covered"), ["lower", "upper"]] = np.nan
    if estimate != "best":  # an out-of-order estimate: no value, no bound
        bad = series["deaths"].notna() & value.isna()
        out.loc[bad, ["lower", "upper", "status"]] = [0.0, math.inf, "estimate out of order"]
    first, last = int(obs.brd["year"].min()), int(obs.brd["year"].max())
    out = out[out["year"].between(first, last)].reset_index(drop=True)
    out.attrs["covered"] = (first, last)
    return out[SERIES_COLUMNS]


def _member_test(obs: Observed, ind: Indicator):
    """A function (dyad, iso3, year) → whether the dyad counts for the indicator."""
    if ind.kind == "organised_violence":
        return lambda dyad, iso3, year: True
    if ind.kind == "cy_dyad":
        names = set(ind.dyad)
        return lambda dyad, iso3, year: dyad in names
    names = set(ind.actors) if ind.kind == "actors" else obs.members(ind.family, ind.branch)
    lookup = obs.lookup()

    def member(dyad: str, iso3: str, year: int) -> bool:
        found = dyad_actors(dyad) & names
        if not found:
            return False
        if ind.isis_k_only and found == {"IS"}:
            return reads_as_isis_k(lookup, iso3, year)
        return True

    return member


def _brd_part(obs, dyads, iso3, year, estimate) -> tuple[float, float] | None:
    """BRD's battle deaths of ``dyads`` located and fought in ``iso3`` in ``year`` as (lower,
    upper), 24 more for each dyad BRD does not list; None when a dyad's BRD row is located
    elsewhere (its deaths here are unknown) or the year is past BRD's coverage."""
    found = _brd_year(obs, year)
    if found is None:
        return None
    rows, first = found
    lower = upper = 0.0
    for dyad in dyads:
        if dyad not in first:
            upper += BRD_THRESHOLD
            continue
        row = rows.iloc[first[dyad]]
        if iso3 not in row["location_iso3"] or iso3 not in row["battle_iso3"]:
            return None
        low, high = ordered(row["bd_low"], row["bd_best"], row["bd_high"])
        value = {"best": float(row["bd_best"]), "low": low, "high": high}[estimate]
        if pd.isna(value):
            return None
        lower += value
        upper += value
    return lower, upper


def _brd_year(obs: Observed, year: int) -> tuple[pd.DataFrame, dict[str, int]] | None:
    """BRD's rows of ``year`` and the position of each dyad's first row among them ("side A -
    side B"), read once per Observed; None outside the years BRD covers."""
    key = ("brd_year", year)
    if key not in obs._cache:
        brd = obs.brd
        if year > int(brd["year"].max()) or year < int(brd["year"].min()):
            obs._cache[key] = None
        else:
            rows = brd[brd["year"] == year]
            first: dict[str, int] = {}
            for i, (a, b) in enumerate(zip(rows["side_a"], rows["side_b"], strict=True)):
                first.setdefault(f"{a} - {b}", i)
            obs._cache[key] = (rows, first)
    return obs._cache[key]


def _cell_rows(obs: Observed, estimate: str) -> dict[tuple[str, str], list[tuple[int, Any]]]:
    """The cells of ``estimate`` as (position, row) by (iso3, violence type), in the frame's
    order: read once per Observed, then picked per indicator without touching the frame."""
    key = ("cell_rows", estimate)
    if key not in obs._cache:
        by: dict[tuple[str, str], list[tuple[int, Any]]] = {}
        for position, r in enumerate(obs.cells_for(estimate).itertuples(index=False)):
            by.setdefault((r.iso3, r.violence_type), []).append((position, r))
        obs._cache[key] = by
    return obs._cache[key]


def _cell_series(obs: Observed, ind: Indicator, estimate: str) -> pd.DataFrame:
    types = ind.types or obs.violence_types
    member = _member_test(obs, ind)
    single = ind.kind == "actors"
    by_place = _cell_rows(obs, estimate)
    # the rows of the indicator's countries and types, in the frame's order, by year
    picked = sorted(
        (
            found
            for key in product(set(ind.countries), set(types))
            for found in by_place.get(key, ())
        ),
        key=lambda found: found[0],
    )
    by_year: dict[int, list] = {}
    for _, r in picked:
        by_year.setdefault(int(r.year), []).append(r)
    rows = []
    for year, g in sorted(by_year.items()):
        lower = upper = 0.0
        known = True
        notes: list[str] = []
        if single and not set(ind.actors) & obs.present.get(year, set()):
            rows.append(
                dict(
                    year=year,
                    deaths=np.nan,
                    lower=0.0,
                    upper=math.inf,
                    status="not in UCDP this year",
                )
            )
            continue
        for r in g:
            mine = [d for d in r.dyads if member(d, r.iso3, year)]
            if not mine:
                continue
            if len(mine) == len(r.dyads) and not pd.isna(r.deaths):
                lower += r.deaths
                upper += r.deaths
                continue
            brd = (
                _brd_part(obs, mine, r.iso3, year, estimate)
                if r.violence_type == "state_based" and r.status != "estimate out of order"
                else None
            )
            if brd is not None and brd[0] == brd[1]:
                lower += brd[0]
                upper += brd[1]
                notes.append(f"{observed.label(r.iso3)}: {r.part} from BRD")
                continue
            known = False
            total = r.deaths if not pd.isna(r.deaths) else r.deaths_reported
            cap = math.inf if pd.isna(total) or r.status == "estimate out of order" else total
            if brd is not None:
                lower += brd[0]
                upper += min(brd[1], cap)
            else:
                upper += cap
            why = (
                "shares its total with an excluded dyad"
                if r.status == "not separable"
                else "estimate out of order"
                if r.status == "estimate out of order"
                else "shares its total with other dyads"
            )
            notes.append(f"{observed.label(r.iso3)}: {r.part} {why} (not separable)")
        rows.append(
            dict(
                year=year,
                deaths=lower if known else np.nan,
                lower=lower,
                upper=upper,
                status="; ".join(notes) if notes else "reported",
            )
        )
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    out.attrs["covered"] = (int(obs.cells["year"].min()), int(obs.cells["year"].max()))
    return out


@dataclass(frozen=True)
class Window:
    """A window's mean per year over the years used, with its bounds."""

    mean: float
    lower: float
    upper: float
    used: tuple[int, ...]

    @property
    def covered(self) -> bool:
        return bool(self.used)

    @property
    def exact(self) -> bool:
        return not math.isnan(self.mean)

    @property
    def text(self) -> str:
        return years_text(self.used)


def years_text(years: Sequence[int]) -> str:
    """``2022–2024``, ``2022, 2024``, ``2023``; "not covered" for none.

    >>> years_text((2022, 2023, 2024)), years_text((2022, 2024)), years_text(())
    ('2022–2024', '2022, 2024', 'not covered')
    """
    years = sorted(years)
    if not years:
        return "not covered"
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def window(series: pd.DataFrame | SeriesMap, years: Iterable[int]) -> Window:
    """The mean of ``series`` over ``years`` inside its coverage, with lower and upper means."""
    data = series if isinstance(series, SeriesMap) else SeriesMap.of(series)
    lo, hi = data.covered
    use = [y for y in sorted({int(y) for y in years}) if lo <= y <= hi and y in data.values]
    if not use:
        return Window(np.nan, np.nan, np.nan, ())
    deaths, lower, upper = zip(*(data.values[y] for y in use), strict=True)
    n = len(use)
    mean = sum(deaths) / n if not any(math.isnan(d) for d in deaths) else np.nan
    return Window(mean, sum(lower) / n, sum(upper) / n, tuple(use))


@dataclass(frozen=True)
class SeriesMap:
    """A series as year → (deaths, lower, upper), for fast window means."""

    covered: tuple[int, int]
    values: dict

    @classmethod
    def of(cls, series: pd.DataFrame) -> SeriesMap:
        covered = series.attrs.get("covered") or (
            int(series["year"].min()),
            int(series["year"].max()),
        )
        values = {
            int(y): (float(d), float(lo), float(hi))
            for y, d, lo, hi in zip(
                series["year"], series["deaths"], series["lower"], series["upper"], strict=True
            )
        }
        return cls(tuple(covered), values)


def series_map(obs: Observed, indicator: Indicator, estimate: str = "best") -> SeriesMap:
    """:func:`indicator_series` as a :class:`SeriesMap`, computed once per Observed."""
    key = ("map", indicator, estimate)
    if key not in obs._cache:
        obs._cache[key] = SeriesMap.of(indicator_series(obs, indicator, estimate))
    return obs._cache[key]


def totals_with_ranges(
    obs: Observed, violence_types: Iterable[str] | None = None, *, western_europe: bool = True
) -> pd.DataFrame:
    """Organised-violence deaths per country and year (best estimate) with UCDP's low and high
    totals beside them (:func:`analysis.observed.country_year_ranges`)."""
    cells = {e: obs.cells_for(e) for e in ESTIMATES}
    return observed.country_year_ranges(
        cells, violence_types or obs.violence_types, western_europe=western_europe
    )


def window_changes(
    obs: Observed,
    baseline: Sequence[int],
    comparison: Sequence[int],
    violence_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Mean deaths a year per country in both windows and the change, with the means of UCDP's
    low and high estimates (:func:`analysis.observed.compare_window_ranges`)."""
    return observed.compare_window_ranges(
        totals_with_ranges(obs, violence_types), baseline, comparison
    )


def actor_deaths_with_ranges(
    obs: Observed,
    actor: str,
    countries: Iterable[str],
    violence_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """:func:`analysis.observed.actor_year_deaths` on the best estimate with the low and high
    estimates beside it (``deaths_low``, ``deaths_high``; missing when out of order)."""
    frames = {
        e: observed.actor_year_deaths(
            obs.cells_for(e),
            actor,
            list(countries),
            list(violence_types or obs.violence_types),
            present=obs.present,
        )
        for e in ESTIMATES
    }
    return observed.with_ranges(frames["best"], frames["low"], frames["high"], ["iso3", "year"])
