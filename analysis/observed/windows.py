"""Window means: deaths per year in a baseline and a comparison window, their change, and deaths
by type; years outside a dataset's coverage are left out and the years used are shown. UCDP's low
and high estimates ride along as ranges (:func:`country_year_ranges`,
:func:`compare_window_ranges`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .cells import country_year_deaths
from .scope import (
    DEFAULT_BASELINE,
    DEFAULT_COMPARISON,
    VIOLENCE_TYPES,
    check_violence_types,
    check_window,
    check_windows,
    label,
)


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


def with_ranges(
    best: pd.DataFrame, low: pd.DataFrame, high: pd.DataFrame, keys: Sequence[str]
) -> pd.DataFrame:
    """``best`` with ``deaths_low`` and ``deaths_high`` from the same frame computed on UCDP's
    low and high estimates (matched on ``keys``). A missing or out-of-order estimate stays
    missing: no range is drawn or used there."""
    out = best.copy()
    for name, frame in (("deaths_low", low), ("deaths_high", high)):
        part = frame[[*keys, "deaths"]].rename(columns={"deaths": name})
        out = out.merge(part, on=list(keys), how="left")
    return out


def country_year_ranges(
    cells_by_estimate: Mapping[str, pd.DataFrame],
    violence_types: Iterable[str] = VIOLENCE_TYPES,
    *,
    western_europe: bool = True,
) -> pd.DataFrame:
    """:func:`country_year_deaths` on the best estimate with the low and high totals beside it
    (``cells_by_estimate``: estimate → :func:`violence_cells` built on it). Columns: those of
    :func:`country_year_deaths`, deaths_low, deaths_high."""
    frames = {
        e: country_year_deaths(cells_by_estimate[e], violence_types, western_europe=western_europe)
        for e in ("best", "low", "high")
    }
    return with_ranges(frames["best"], frames["low"], frames["high"], ["iso3", "year"])


def compare_window_ranges(
    ranges: pd.DataFrame,
    baseline: Sequence[int] = DEFAULT_BASELINE,
    comparison: Sequence[int] = DEFAULT_COMPARISON,
) -> pd.DataFrame:
    """:func:`compare_windows` per country on the best estimate, with the window means of the
    low and high estimates beside it: baseline_low, baseline_high, comparison_low,
    comparison_high (missing when a year's estimate is)."""
    out = compare_windows(ranges, baseline, comparison)
    for estimate in ("low", "high"):
        other = compare_windows(
            ranges.assign(deaths=ranges[f"deaths_{estimate}"]), baseline, comparison
        )
        out[f"baseline_{estimate}"] = out["iso3"].map(other.set_index("iso3")["baseline_mean"])
        out[f"comparison_{estimate}"] = out["iso3"].map(other.set_index("iso3")["comparison_mean"])
    return out
