"""Helpers every funding frame and chart shares: money units, dating by ``as_of``, amounts
and dates as text, the columns a frame must have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ..exceptions import DataError, ParameterError, Problem

UNITS = {"bn": 1e9, "m": 1e6}


QUALIFIER_WORDS = {"exact": "", "about": "about ", "more_than": "more than "}


AFG = "AFG"


AGGREGATES = ("WLD", "SAS")


FIRST_YEAR = 2015


NO_DATA = "no data reported"


def unit_factor(unit: str) -> float:
    """USD per displayed unit: 1e9 for ``"bn"``, 1e6 for ``"m"``; ParameterError otherwise.

    >>> unit_factor("m")
    1000000.0
    """
    if unit not in UNITS:
        raise ParameterError(f"parameter 'unit' must be one of 'bn', 'm'; got {unit!r}")
    return UNITS[unit]


def unit_label(unit: str) -> str:
    """``"bn USD"`` or ``"m USD"``."""
    unit_factor(unit)
    return f"{unit} USD"


def _as_of(as_of: str | dt.date | pd.Timestamp | None) -> pd.Timestamp | None:
    if as_of is None or as_of == "":
        return None
    try:
        return (
            pd.Timestamp(dt.date.fromisoformat(as_of))
            if isinstance(as_of, str)
            else (pd.Timestamp(as_of).normalize())
        )
    except (ValueError, TypeError):
        raise ParameterError(
            f"parameter 'as_of' must be an ISO date YYYY-MM-DD; got {as_of!r}"
        ) from None


def period_end(date: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day of the period each date speaks for (day, month or year precision).

    >>> period_end(pd.Series(pd.to_datetime(["2021-09-01", "2021-08-26", "2021-01-01"])),
    ...            pd.Series(["month", "day", "year"])).dt.strftime("%Y-%m-%d").tolist()
    ['2021-09-30', '2021-08-26', '2021-12-31']
    """
    date = pd.to_datetime(date)
    precision = pd.Series(precision, index=date.index).astype(str)
    month_end = date + pd.offsets.MonthEnd(0)
    year_end = pd.to_datetime(date.dt.year.astype("Int64").astype(str) + "-12-31", errors="coerce")
    return date.where(precision == "day", month_end.where(precision == "month", year_end))


def dated_by(frame: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The rows of an evidence frame whose period ends on or before ``as_of`` (all if None)."""
    cutoff = _as_of(as_of)
    if cutoff is None or frame.empty:
        return frame.copy()
    keep = period_end(frame["date"], frame["date_precision"]) <= cutoff
    return frame.loc[keep.to_numpy()].copy()


def _last_year(as_of) -> int | None:
    """The last calendar year complete on ``as_of`` (an annual value is dated 31 December)."""
    cutoff = _as_of(as_of)
    if cutoff is None:
        return None
    return cutoff.year if (cutoff.month, cutoff.day) == (12, 31) else cutoff.year - 1


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(f"{table} table", f"missing column(s): {', '.join(missing)}")])


def fmt_number(value: float, digits: int = 2) -> str:
    """A figure for reading: thousands separators, at most ``digits`` decimals (none from 100 up),
    no trailing zeros.

    >>> [fmt_number(v) for v in (9.5, 7.0, 0.46, 9500.0, 2500.0000001, -20.7388, 9748.95)]
    ['9.5', '7', '0.46', '9,500', '2,500', '-20.74', '9,749']
    """
    if value is None or pd.isna(value):
        return "not stated"
    if abs(float(value)) >= 100:
        digits = 0
    text = f"{float(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount_text(amount_usd: float, qualifier: str, unit: str = "bn") -> str:
    """``"about 7 bn USD"``, ``"more than 3.5 bn USD"``, ``"amount not stated"``.

    >>> amount_text(7e9, "about"), amount_text(4.6e8, "exact", "m")
    ('about 7 bn USD', '460 m USD')
    >>> amount_text(float("nan"), "not_stated")
    'amount not stated'
    """
    factor = unit_factor(unit)
    if qualifier == "not_stated" or pd.isna(amount_usd):
        return "amount not stated"
    words = QUALIFIER_WORDS.get(str(qualifier), "")
    return f"{words}{fmt_number(amount_usd / factor)} {unit} USD"


def date_text(date: pd.Timestamp, precision: str, bound: str = "on") -> str:
    """A date written to its precision: ``"11 Feb 2022"``, ``"Sep 2021"``, ``"2021"``; with
    ``bound="by"`` (the source says only that it had happened by then) ``"by 11 Feb 2022"``.

    >>> day, month = pd.Timestamp("2022-02-11"), pd.Timestamp("2021-08-01")
    >>> date_text(day, "day", "by"), date_text(month, "month")
    ('by 11 Feb 2022', 'Aug 2021')
    """
    if pd.isna(date):
        return "date not stated"
    if precision == "day":
        text = f"{date.day} {date:%b %Y}"
    elif precision == "month":
        text = f"{date:%b %Y}"
    else:
        text = f"{date:%Y}"
    return f"by {text}" if bound == "by" else text


def date_bounds(frame: pd.DataFrame) -> list[str]:
    """Each row's ``date_bound``: ``on`` its date, or ``by`` it (``on`` where the frame has no
    such column or no value)."""
    if "date_bound" not in frame:
        return ["on"] * len(frame)
    return [b if isinstance(b, str) else "on" for b in frame["date_bound"].astype(object)]


def when_texts(frame: pd.DataFrame) -> list[str]:
    """:func:`date_text` of every row of a frame with ``date``, ``date_precision`` and, if it has
    one, ``date_bound``."""
    return [
        date_text(d, str(p), b)
        for d, p, b in zip(frame["date"], frame["date_precision"], date_bounds(frame), strict=True)
    ]


def _names(actors: pd.DataFrame | None) -> dict[str, str]:
    if actors is None:
        return {}
    _require(actors, ("actor_id", "name"), "actors")
    return dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str), strict=True))


def _string(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _qualifier(qualifier: str) -> str:
    return {
        "exact": "stated",
        "about": "about (stated)",
        "more_than": "more than (stated)",
        "not_stated": "amount not stated",
    }.get(qualifier, qualifier)
