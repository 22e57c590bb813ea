"""UCDP's low, best and high estimates: rows where they are out of order, as data warnings.

UCDP publishes three estimates of every death count. In a few rows of the shipped releases they
are not ordered (the high estimate below the best, or the low above it: Russia 2024 state-based,
Armenia 2022, Colombia 2020 in the country-year file). Such a row is kept as published, but its
out-of-order estimate must not be drawn as a range or used as a bound: :func:`estimate_warnings`
lists each one (file, row, column) for ``afghan-brief validate``, and the report code leaves it
out (see :func:`ordered`). A warning never fails validation.

May import: pandas and the rest of :mod:`analysis.tables`, nothing above it.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import DataError, Problem
from .registry import TableSpec, read_validated
from .vocab import VIOLENCE_TYPES, DataDir


def _triples() -> list[tuple[str, str, str, str]]:
    """(table, low, best, high) raw columns of every UCDP table with three estimates."""
    out = [
        (
            "ucdp_country_year",
            kind.deaths.format("low"),
            kind.deaths.format("best"),
            kind.deaths.format("high"),
        )
        for kind in VIOLENCE_TYPES
    ]
    out.append(("ucdp_brd", "bd_low", "bd_best", "bd_high"))
    return out


def _where(raw: pd.DataFrame, table: str, index) -> str:
    row = raw.loc[index]
    if table == "ucdp_country_year":
        return f"{str(row['country_cy']).strip()}, {row['year_cy']}"
    return f"{str(row['side_a']).strip()} – {str(row['side_b']).strip()}, {row['year']}"


def out_of_order(raw: pd.DataFrame, low: str, best: str, high: str) -> pd.DataFrame:
    """Rows of ``raw`` whose ``low > best`` or ``high < best``: index, column, estimate, best."""
    rows = []
    for column, bad in ((high, raw[high] < raw[best]), (low, raw[low] > raw[best])):
        for index in raw.index[bad.fillna(False)]:
            rows.append(
                dict(
                    index=index,
                    column=column,
                    value=raw.at[index, column],
                    best=raw.at[index, best],
                )
            )
    return pd.DataFrame(rows, columns=["index", "column", "value", "best"])


def estimate_warnings(
    data_dir: DataDir = None, specs: dict[str, TableSpec] | None = None
) -> list[Problem]:
    """One :class:`Problem` per out-of-order UCDP estimate, naming file, row and column.

    Tables that fail to load are skipped (their problems are reported by validation itself).

    >>> warnings = [str(p) for p in estimate_warnings()]
    >>> print(warnings[-1])  # doctest: +NORMALIZE_WHITESPACE
    ucdp_organized_violence_country_year_v25_1_2015_2024.csv, row 1440, column
    'sb_total_deaths_high_cy': high estimate 5,823 below the best estimate 7,673
    (Russia (Soviet Union), 2024): left out of low–high ranges
    """
    if specs is None:
        from .ucdp import UCDP_BRD, UCDP_COUNTRY_YEAR

        specs = {"ucdp_country_year": UCDP_COUNTRY_YEAR, "ucdp_brd": UCDP_BRD}
    problems: list[Problem] = []
    frames: dict[str, tuple[str, pd.DataFrame] | None] = {}
    for table, low, best, high in _triples():
        if table not in frames:
            try:
                spec = specs[table]
                frames[table] = (spec.path(data_dir).name, read_validated(spec, data_dir))
            except (DataError, KeyError):
                frames[table] = None
        if frames[table] is None:
            continue
        name, raw = frames[table]
        for bad in out_of_order(raw, low, best, high).itertuples(index=False):
            which = "high" if bad.column == high else "low"
            relation = "below" if which == "high" else "above"
            problems.append(
                Problem(
                    name,
                    f"{which} estimate {int(bad.value):,} {relation} the best estimate "
                    f"{int(bad.best):,} ({_where(raw, table, bad.index)}): left out of low–high "
                    "ranges",
                    int(bad.index) + 1,
                    bad.column,
                )
            )
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))


def ordered(low, best, high) -> tuple[float, float]:
    """``(low, high)`` as floats when ``low <= best <= high``; NaN for an estimate out of order
    (never used as a bound) or missing.

    >>> ordered(6314, 7673, 5823)
    (6314.0, nan)
    """

    def num(v):
        return float("nan") if v is None or pd.isna(v) else float(v)

    lo, b, hi = num(low), num(best), num(high)
    return (lo if lo <= b else float("nan"), hi if hi >= b else float("nan"))
