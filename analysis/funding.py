"""Funding freezes: what was frozen, blocked or halted, by whom, how much, out of what total, and
what the World Bank's series show for an aid-dependent economy.

Analysis functions are pure: they take validated frames (``load_funding()``, ``load_events()``,
``load_relations()``, ``load_actors()``, ``load_wdi()``) and return tidy frames. Chart functions
take those frames and return plotly figures finished with :func:`analysis.charts.finish`.

Rules this module keeps:

- An amount the source does not state stays missing: the World Bank's halt is "halted, amount not
  stated", drawn as a labelled marker, never as a bar of zero.
- A figure computed here is marked as derived, with its arithmetic and the quotes of both stated
  figures: "held elsewhere" is 9.5 − 7 = 2.5 bn USD, a subtraction, not a figure the article states,
  and the article does not say where that money is held.
- Years a series does not report are a gap with a "no data reported" marker, never zero (Afghan
  reserves stop after 2020: the central bank stopped reporting).
- ``as_of`` leaves out what is dated after it. A row is dated by the end of the period it speaks
  for: a day is that day, a month its last day, a year (and every WDI annual value) 31 December.

Parameters registered here: ``compare_countries`` (ISO3 codes of countries in the WDI table;
aggregates WLD and SAS and Afghanistan itself are not allowed: Afghanistan is always shown and an
aggregate is not a country to compare with).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import charts, parameters
from .exceptions import DataError, ParameterError, Problem
from .parameters import iso3_list, register

# ---------------------------------------------------------------------------------------------
# Constants

UNITS = {"bn": 1e9, "m": 1e6}
FREEZE_MEASURES = ("frozen", "blocked", "halted")
TIMELINE_MEASURES = (*FREEZE_MEASURES, "made_available", "subject_to_litigation", "transferred")
TIMELINE_RELATIONS = {"freezes": "frozen", "blocks": "blocked", "halts": "halted"}
ACTIONS = {
    "held": "held",
    "frozen": "frozen",
    "blocked": "blocked",
    "halted": "halted",
    "made_available": "made available",
    "subject_to_litigation": "left to litigation",
    "transferred": "transferred",
}
ACTION_COLORS = {
    "frozen": "#2c7fb8",
    "blocked": "#8856a7",
    "halted": "#d95f0e",
    "made available": "#1b9e77",
    "left to litigation": "#7f7f7f",
    "transferred": "#e6ab02",
}
QUALIFIER_WORDS = {"exact": "", "about": "about ", "more_than": "more than "}

AFG = "AFG"
AGGREGATES = ("WLD", "SAS")
FIRST_YEAR = 2015

RESERVES = "FI.RES.TOTL.CD"
ODA_LEVEL = "DT.ODA.ODAT.CD"
ODA_SHARE = "DT.ODA.ODAT.GN.ZS"
GDP_GROWTH = "NY.GDP.MKTP.KD.ZG"
IMF_CREDIT = "DT.DOD.DIMF.CD"
WDI_CITATION = "World Bank, World Development Indicators"
WDI_LICENCE = "CC BY 4.0"
IMF_CAVEAT = (
    "Use of IMF credit (DT.DOD.DIMF.CD) includes SDR allocations (World Bank metadata): "
    "the 2021 jump reflects the August 2021 general SDR allocation, not new lending."
)
NO_DATA = "no data reported"
RESERVES_GAP_NOTE = (
    "Grey band: no data reported. Afghanistan's central bank stopped reporting reserves after "
    "2020; the gap is not a fall to zero."
)

_FUNDING_COLUMNS = (
    "measure_id",
    "actor_id",
    "target_id",
    "measure",
    "instrument",
    "amount_usd",
    "amount_qualifier",
    "held_in",
    "part_of",
    "source_id",
    "quote",
    "date",
    "date_precision",
)
_EVENT_COLUMNS = (
    "event_id",
    "date",
    "date_precision",
    "name",
    "kind",
    "actor_id",
    "source_id",
    "quote",
)
_RELATION_COLUMNS = (
    "relation_id",
    "subject_id",
    "relation",
    "object_id",
    "source_id",
    "quote",
    "date",
    "date_precision",
)
_WDI_COLUMNS = ("country_code", "country_name", "indicator_code", "year", "value")


# ---------------------------------------------------------------------------------------------
# Parameters


def _comparable_countries() -> set[str]:
    """ISO3 codes of the countries in the WDI table of the data_dir checked alongside (else the
    shipped one or ``$AFGHAN_BRIEF_DATA``'s), less the aggregates and Afghanistan."""
    from .external import load_wdi

    wdi = load_wdi(parameters.current_data_dir())
    codes = set(wdi["country_code"].astype(str))
    if "is_aggregate" in wdi:
        codes -= set(wdi.loc[wdi["is_aggregate"].astype(bool), "country_code"].astype(str))
    return codes - set(AGGREGATES) - {AFG}


COMPARE_COUNTRIES_RULE = iso3_list(
    _comparable_countries, "countries of the WDI table other than AFG; no aggregates"
)
register("compare_countries", COMPARE_COUNTRIES_RULE)


# ---------------------------------------------------------------------------------------------
# Helpers


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
    >>> amount_text(np.nan, "not_stated")
    'amount not stated'
    """
    factor = unit_factor(unit)
    if qualifier == "not_stated" or pd.isna(amount_usd):
        return "amount not stated"
    words = QUALIFIER_WORDS.get(str(qualifier), "")
    return f"{words}{fmt_number(amount_usd / factor)} {unit} USD"


def date_text(date: pd.Timestamp, precision: str) -> str:
    """A date written to its precision: ``"11 Feb 2022"``, ``"Sep 2021"``, ``"2021"``."""
    if pd.isna(date):
        return "date not stated"
    if precision == "day":
        return f"{date.day} {date:%b %Y}"
    if precision == "month":
        return f"{date:%b %Y}"
    return f"{date:%Y}"


def _names(actors: pd.DataFrame | None) -> dict[str, str]:
    if actors is None:
        return {}
    _require(actors, ("actor_id", "name"), "actors")
    return dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str), strict=True))


def _year_x(date: pd.Timestamp) -> float:
    """A date as a fractional year, to place it on a yearly axis (1 Jan = .0)."""
    start = pd.Timestamp(year=date.year, month=1, day=1)
    days = 366 if date.is_leap_year else 365
    return date.year + (date - start).days / days


def _source_lines(source_ids: Iterable[str], sources: pd.DataFrame | None) -> list[str]:
    out = []
    for source_id in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        try:
            out.append(charts.citation(source_id, sources))
        except KeyError:
            out.append(source_id)
    return out


def _quote_hover(source_id: str, quote: str) -> str:
    return f"<i>{charts.wrap(quote)}</i><br>source: {charts.esc(source_id)}"


def _string(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# ---------------------------------------------------------------------------------------------
# Seed analysis


def _held_total(funding: pd.DataFrame) -> pd.Series:
    """The row stating the central bank's total reserves: measure ``held`` with an empty
    ``part_of``. Where several qualify (a later source restating US-held assets), the one a
    ``frozen``/``blocked``/``halted``/``held`` row is part of, then the earliest dated."""
    held = funding.loc[(funding["measure"].astype(str) == "held") & funding["part_of"].isna()]
    if held.empty:
        raise DataError(
            [
                Problem(
                    "funding table",
                    "no held total: reserve composition needs a row with measure 'held' and an "
                    "empty part_of (the central bank's total reserves, 9.5 bn USD in the seed)",
                    column="measure",
                )
            ]
        )
    if len(held) > 1:
        split = funding["measure"].astype(str).isin(("held", *FREEZE_MEASURES))
        parents = set(funding.loc[split, "part_of"].dropna().astype(str))
        with_parts = held.loc[held["measure_id"].astype(str).isin(parents)]
        held = with_parts if not with_parts.empty else held
        earliest = held.loc[held["date"] == held["date"].min()]
        if len(earliest) > 1:
            ids = ", ".join(earliest["measure_id"].astype(str))
            raise DataError(
                [Problem("funding table", f"several held totals: {ids}", column="measure")]
            )
        held = earliest
    return held.iloc[0]


def reserve_composition(funding: pd.DataFrame, *, as_of=None, unit: str = "bn") -> pd.DataFrame:
    """The central bank's reserves: the stated total, its stated parts, and the remainder.

    One row per component, in this order: the ``total`` (9.5 bn USD held, exact), each stated
    ``part`` of it (about 7 bn USD frozen by the US, held in US institutions), and a ``remainder``
    row *derived* here as total − parts (9.5 − 7 = 2.5 bn USD) whose location the article does not
    state. The remainder carries ``stated=False``, its arithmetic in ``derivation`` and the quotes
    of both stated figures. Rows dated after ``as_of`` are left out (no remainder without the
    total or a part).

    Columns: component, role (total/part/remainder), measure_id, actor_id, measure, amount_usd,
    amount (in ``unit``), unit, qualifier, stated, derivation, held_in, label, source_id, quote,
    date, date_precision.

    Raises DataError when ``funding`` lacks a column or the held total, or when the parts add up
    to more than the total.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    total = _held_total(funding)
    parts = funding.loc[
        (funding["part_of"].astype("string") == str(total["measure_id"]))
        & funding["measure"].astype(str).isin(("held", *FREEZE_MEASURES))
    ]
    stated_sum = parts["amount_usd"].sum(min_count=1)
    if pd.notna(total["amount_usd"]) and pd.notna(stated_sum) and stated_sum > total["amount_usd"]:
        raise DataError(
            [
                Problem(
                    "funding table",
                    f"parts of {total['measure_id']} add up to {fmt_number(stated_sum / 1e9)} bn "
                    f"USD, more than its total of {fmt_number(total['amount_usd'] / 1e9)} bn USD",
                    column="amount_usd",
                )
            ]
        )

    kept = dated_by(pd.concat([total.to_frame().T, parts]), as_of)
    kept_ids = set(kept["measure_id"].astype(str))
    rows = []
    if str(total["measure_id"]) in kept_ids:
        rows.append(_component(total, "total", "Total reserves held", unit))
        for _, part in parts.iterrows():
            if str(part["measure_id"]) in kept_ids:
                rows.append(_component(part, "part", _part_name(part), unit))
        kept_parts = parts.loc[parts["measure_id"].astype(str).isin(kept_ids)]
        if not kept_parts.empty:
            rows.append(_remainder(total, kept_parts, unit))
    columns = [
        "component",
        "role",
        "measure_id",
        "actor_id",
        "measure",
        "amount_usd",
        "amount",
        "unit",
        "qualifier",
        "stated",
        "arithmetic",
        "derivation",
        "held_in",
        "label",
        "source_id",
        "quote",
        "date",
        "date_precision",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["amount"] = out["amount_usd"].astype(float) / factor
    out["amount_usd"] = out["amount_usd"].astype(float)
    out["stated"] = out["stated"].astype(bool)
    out["date"] = pd.to_datetime(out["date"])
    return out.reset_index(drop=True)


def _part_name(part: pd.Series) -> str:
    action = ACTIONS.get(str(part["measure"]), str(part["measure"]))
    where = _string(part["held_in"])
    return f"{action.capitalize()}, held in {where}" if where else action.capitalize()


def _component(row: pd.Series, role: str, name: str, unit: str) -> dict:
    qualifier = str(row["amount_qualifier"])
    return dict(
        component=name,
        role=role,
        measure_id=str(row["measure_id"]),
        actor_id=str(row["actor_id"]),
        measure=str(row["measure"]),
        amount_usd=row["amount_usd"],
        unit=unit_label(unit),
        qualifier=qualifier,
        stated=True,
        arithmetic="",
        derivation="",
        held_in=_string(row["held_in"]),
        label=f"{amount_text(row['amount_usd'], qualifier, unit)} (stated)",
        source_id=str(row["source_id"]),
        quote=str(row["quote"]),
        date=row["date"],
        date_precision=str(row["date_precision"]),
    )


def _remainder(total: pd.Series, parts: pd.DataFrame, unit: str) -> dict:
    factor = unit_factor(unit)
    ids = [str(total["measure_id"]), *parts["measure_id"].astype(str)]
    if pd.isna(total["amount_usd"]) or parts["amount_usd"].isna().any():
        amount, qualifier, arithmetic = np.nan, "not_stated", ""
        derivation = "cannot be derived: " + ", ".join(ids) + " do not all state an amount"
        label = "amount not stated; cannot be derived"
    else:
        amount = float(total["amount_usd"] - parts["amount_usd"].sum())
        approximate = (parts["amount_qualifier"].astype(str) != "exact").any() or (
            str(total["amount_qualifier"]) != "exact"
        )
        qualifier = "about" if approximate else "exact"
        terms = " − ".join(
            fmt_number(v / factor) for v in [total["amount_usd"], *parts["amount_usd"]]
        )
        arithmetic = f"{terms} = {fmt_number(amount / factor)}"
        derivation = (
            f"derived: {arithmetic} {unit} USD, arithmetic on the stated figures "
            f"{', '.join(ids)}; not a figure the source states, which does not say where it is held"
        )
        label = f"{amount_text(amount, qualifier, unit)} (derived: {terms})"
    quotes = [str(total["quote"]), *parts["quote"].astype(str)]
    return dict(
        component="Held elsewhere — the article does not say where",
        role="remainder",
        measure_id="",
        actor_id=str(total["actor_id"]),
        measure="held",
        amount_usd=amount,
        unit=unit_label(unit),
        qualifier=qualifier,
        stated=False,
        arithmetic=arithmetic,
        derivation=derivation,
        held_in="",
        label=label,
        source_id="; ".join(dict.fromkeys([str(total["source_id"]), *parts["source_id"]])),
        quote=" | ".join(dict.fromkeys(quotes)),
        date=max([total["date"], *parts["date"]]),
        date_precision=str(total["date_precision"]),
    )


def freeze_measures(
    funding: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    as_of=None,
    unit: str = "bn",
) -> pd.DataFrame:
    """Who froze, blocked or halted what, and how much, as the sources state it.

    One row per funding measure in ``frozen``, ``blocked``, ``halted``, largest stated amount first
    and measures without an amount last. A measure whose amount is not stated (the World Bank's
    halt) keeps ``amount_usd`` NaN, ``label`` "halted, amount not stated" and ``drawn_as``
    ``"marker"``; the others are ``"bar"``.

    Columns: measure_id, actor_id, actor, measure, instrument, target_id, amount_usd, amount,
    unit, qualifier, label, drawn_as, held_in, source_id, quote, date, date_precision, when.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    names = _names(actors)
    rows = funding.loc[funding["measure"].astype(str).isin(FREEZE_MEASURES)]
    rows = dated_by(rows, as_of)
    out = pd.DataFrame(
        {
            "measure_id": rows["measure_id"].astype(str),
            "actor_id": rows["actor_id"].astype(str),
            "actor": [names.get(a, a) for a in rows["actor_id"].astype(str)],
            "measure": rows["measure"].astype(str),
            "instrument": rows["instrument"].astype(str),
            "target_id": rows["target_id"].astype(str),
            "amount_usd": rows["amount_usd"].astype(float),
            "amount": rows["amount_usd"].astype(float) / factor,
            "unit": unit_label(unit),
            "qualifier": rows["amount_qualifier"].astype(str),
            "held_in": [_string(v) for v in rows["held_in"]],
            "source_id": rows["source_id"].astype(str),
            "quote": rows["quote"].astype(str),
            "date": pd.to_datetime(rows["date"]),
            "date_precision": rows["date_precision"].astype(str),
        }
    )
    out["label"] = [
        f"{m}, amount not stated" if pd.isna(a) else f"{m}: {amount_text(a, q, unit)}"
        for m, a, q in zip(out["measure"], out["amount_usd"], out["qualifier"], strict=True)
    ]
    out["drawn_as"] = np.where(out["amount_usd"].isna(), "marker", "bar")
    out["when"] = [date_text(d, p) for d, p in zip(out["date"], out["date_precision"], strict=True)]
    out = out.sort_values(
        ["amount_usd", "date", "measure_id"], ascending=[False, True, True], na_position="last"
    )
    return out.reset_index(drop=True)


def executive_order(funding: pd.DataFrame, *, as_of=None, unit: str = "bn") -> pd.DataFrame:
    """The split of the US-held reserves announced after the article (the February 2022 US
    executive order), with its own source: the ``held`` row it splits (role ``held``: about 7 bn
    USD in the US) and the ``made_available`` / ``subject_to_litigation`` rows (role ``split``:
    3.5 bn USD for the Afghan people, more than 3.5 bn USD left to litigation). Empty when none
    is dated on or before ``as_of``.

    Columns: measure_id, role, measure, action, amount_usd, amount, qualifier, label, part_of,
    source_id, quote, date, date_precision, when.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    measure = funding["measure"].astype(str)
    split = funding.loc[measure.isin(("made_available", "subject_to_litigation"))]
    parents = funding.loc[
        funding["measure_id"].astype(str).isin(set(split["part_of"].dropna().astype(str)))
        & (measure == "held")
    ]
    rows = dated_by(pd.concat([parents, split]), as_of)
    role = np.where(rows["measure"].astype(str) == "held", "held", "split")
    out = pd.DataFrame(
        {
            "measure_id": rows["measure_id"].astype(str),
            "role": role,
            "measure": rows["measure"].astype(str),
            "action": [ACTIONS[m] for m in rows["measure"].astype(str)],
            "amount_usd": rows["amount_usd"].astype(float),
            "amount": rows["amount_usd"].astype(float) / factor,
            "qualifier": rows["amount_qualifier"].astype(str),
            "part_of": [_string(v) for v in rows["part_of"]],
            "source_id": rows["source_id"].astype(str),
            "quote": rows["quote"].astype(str),
            "date": pd.to_datetime(rows["date"]),
            "date_precision": rows["date_precision"].astype(str),
        }
    )
    out["label"] = [
        f"{amount_text(a, q, unit)} {act}"
        + (f" in {_string(h)}" if act == "held" and _string(h) else "")
        for a, q, act, h in zip(
            out["amount_usd"], out["qualifier"], out["action"], rows["held_in"], strict=True
        )
    ]
    out["when"] = [date_text(d, p) for d, p in zip(out["date"], out["date_precision"], strict=True)]
    out = out.sort_values(["date", "role", "measure_id"])
    return out.reset_index(drop=True)


def freeze_timeline(
    events: pd.DataFrame,
    relations: pd.DataFrame,
    funding: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    as_of=None,
    unit: str = "bn",
) -> pd.DataFrame:
    """Who froze, blocked, halted, released or moved what, and when, to the precision stated.

    Rows come from ``funding`` (measures other than ``held``), from ``relations`` (``freezes``,
    ``blocks``, ``halts``) and from ``events`` of kind ``freeze``. A relation that repeats a funding
    row (same actor, same action) is dropped, and so is a freeze event whose actor already froze,
    blocked or halted something above: the funding row carries the amount. Sorted by date, then
    actor.

    Columns: date, date_precision, when, actor_id, actor, action, what, amount_usd, amount_label,
    origin (table and id), source_id, quote.
    """
    unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    _require(relations, _RELATION_COLUMNS, "relations")
    _require(events, _EVENT_COLUMNS, "events")
    names = _names(actors)
    columns = [
        "date",
        "date_precision",
        "actor_id",
        "action",
        "what",
        "amount_usd",
        "amount_label",
        "origin",
        "source_id",
        "quote",
    ]

    money = dated_by(funding.loc[funding["measure"].astype(str).isin(TIMELINE_MEASURES)], as_of)
    from_funding = pd.DataFrame(
        {
            "date": pd.to_datetime(money["date"]),
            "date_precision": money["date_precision"].astype(str),
            "actor_id": money["actor_id"].astype(str),
            "action": [ACTIONS[m] for m in money["measure"].astype(str)],
            "what": money["instrument"].astype(str),
            "amount_usd": money["amount_usd"].astype(float),
            "amount_label": [
                amount_text(a, q, unit)
                for a, q in zip(
                    money["amount_usd"], money["amount_qualifier"].astype(str), strict=True
                )
            ],
            "origin": "funding " + money["measure_id"].astype(str),
            "source_id": money["source_id"].astype(str),
            "quote": money["quote"].astype(str),
        },
        columns=columns,
    )

    ties = dated_by(
        relations.loc[relations["relation"].astype(str).isin(TIMELINE_RELATIONS)], as_of
    )
    from_relations = pd.DataFrame(
        {
            "date": pd.to_datetime(ties["date"]),
            "date_precision": ties["date_precision"].astype(str),
            "actor_id": ties["subject_id"].astype(str),
            "action": [TIMELINE_RELATIONS[r] for r in ties["relation"].astype(str)],
            "what": [f"funds of {names.get(o, o)}" for o in ties["object_id"].astype(str)],
            "amount_usd": np.nan,
            "amount_label": "amount not stated",
            "origin": "relations " + ties["relation_id"].astype(str),
            "source_id": ties["source_id"].astype(str),
            "quote": ties["quote"].astype(str),
        },
        columns=columns,
    )

    acts = dated_by(events.loc[events["kind"].astype(str) == "freeze"], as_of)
    from_events = pd.DataFrame(
        {
            "date": pd.to_datetime(acts["date"]),
            "date_precision": acts["date_precision"].astype(str),
            "actor_id": [_string(a) for a in acts["actor_id"]],
            "action": "frozen",
            "what": acts["name"].astype(str),
            "amount_usd": np.nan,
            "amount_label": "amount not stated",
            "origin": "events " + acts["event_id"].astype(str),
            "source_id": acts["source_id"].astype(str),
            "quote": acts["quote"].astype(str),
        },
        columns=columns,
    )

    stated = set(zip(from_funding["actor_id"], from_funding["action"], strict=True))
    from_relations = from_relations.loc[
        [
            k not in stated
            for k in zip(from_relations["actor_id"], from_relations["action"], strict=True)
        ]
    ]
    freezers = {a for a, act in stated if act in FREEZE_MEASURES} | set(from_relations["actor_id"])
    from_events = from_events.loc[[a == "" or a not in freezers for a in from_events["actor_id"]]]
    parts = [f for f in (from_funding, from_relations, from_events) if not f.empty]
    out = pd.concat(parts, ignore_index=True) if parts else from_funding.iloc[0:0].copy()
    out["actor"] = [names.get(a, a) if a else "actor not stated" for a in out["actor_id"]]
    out["when"] = [date_text(d, p) for d, p in zip(out["date"], out["date_precision"], strict=True)]
    out = out.sort_values(["date", "actor", "origin"]).reset_index(drop=True)
    return out[
        [
            "date",
            "date_precision",
            "when",
            "actor_id",
            "actor",
            "action",
            "what",
            "amount_usd",
            "amount_label",
            "origin",
            "source_id",
            "quote",
        ]
    ]


# ---------------------------------------------------------------------------------------------
# WDI context


def wdi_series(
    wdi: pd.DataFrame,
    indicator: str,
    countries: Sequence[str] = (AFG,),
    *,
    as_of=None,
    first_year: int = FIRST_YEAR,
    last_year: int | None = None,
) -> pd.DataFrame:
    """One WDI indicator for the given countries, one row per country and year, gaps kept.

    The years run from ``first_year`` to ``last_year`` (default: the last year any country reports
    the indicator), capped at the last year complete on ``as_of``. A year a country does not report
    has ``value`` NaN, ``reported`` False and ``status`` "no data reported": it is a gap, not zero.

    Columns: country_code, country_name, indicator_code, indicator_name, year, value, reported,
    status. Raises DataError when the indicator is absent, ParameterError for a country code the
    table does not have.
    """
    _require(wdi, _WDI_COLUMNS, "wdi")
    rows = wdi.loc[wdi["indicator_code"] == indicator]
    if rows.empty:
        raise DataError(
            [Problem("wdi table", f"indicator {indicator} has no rows", column="indicator_code")]
        )
    countries = list(dict.fromkeys(countries))
    names = wdi.drop_duplicates("country_code").set_index("country_code")["country_name"]
    unknown = [c for c in countries if c not in names.index]
    if unknown:
        raise ParameterError(
            f"unknown country code(s) {', '.join(map(repr, unknown))}; the WDI table has: "
            + ", ".join(sorted(map(str, names.index)))
        )
    name = str(rows["indicator_name"].iloc[0]) if "indicator_name" in rows else indicator
    years = rows["year"].astype(int)
    end = int(years.max()) if last_year is None else int(last_year)
    complete = _last_year(as_of)
    if complete is not None:
        end = min(end, complete)
    grid = pd.MultiIndex.from_product(
        [countries, range(first_year, end + 1)], names=["country_code", "year"]
    ).to_frame(index=False)
    values = rows.assign(year=years)[["country_code", "year", "value"]]
    out = grid.merge(values, on=["country_code", "year"], how="left")
    out["value"] = out["value"].astype(float)
    out["country_name"] = out["country_code"].map(names).astype(str)
    out["indicator_code"] = indicator
    out["indicator_name"] = name
    out["reported"] = out["value"].notna()
    out["status"] = np.where(out["reported"], "reported", NO_DATA)
    order = {c: i for i, c in enumerate(countries)}
    out = out.sort_values(
        ["country_code", "year"], key=lambda s: s.map(order) if s.name == "country_code" else s
    )
    return out[
        [
            "country_code",
            "country_name",
            "indicator_code",
            "indicator_name",
            "year",
            "value",
            "reported",
            "status",
        ]
    ].reset_index(drop=True)


def _countries(compare: Sequence[str] | None) -> list[str]:
    return [AFG, *[c for c in (compare or ()) if c != AFG]]


def reserves(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Total reserves incl. gold (FI.RES.TOTL.CD, current USD) for Afghanistan and ``compare``,
    2015 to the table's last year: Afghanistan reports 2015–2020, then a gap (no data reported)."""
    return wdi_series(wdi, RESERVES, _countries(compare), as_of=as_of)


def net_oda(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Net ODA received, as a level (DT.ODA.ODAT.CD, current USD) and as % of GNI
    (DT.ODA.ODAT.GN.ZS), 2015–2023, stacked (tell them apart by ``indicator_code``)."""
    countries = _countries(compare)
    return pd.concat(
        [wdi_series(wdi, code, countries, as_of=as_of) for code in (ODA_LEVEL, ODA_SHARE)],
        ignore_index=True,
    )


def gdp_growth(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """GDP growth (NY.GDP.MKTP.KD.ZG, annual %) for Afghanistan and ``compare``."""
    return wdi_series(wdi, GDP_GROWTH, _countries(compare), as_of=as_of)


def imf_credit(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Use of IMF credit (DT.DOD.DIMF.CD, current USD). Caveat (:data:`IMF_CAVEAT`): the series
    includes SDR allocations, so its 2021 jump is the August 2021 allocation, not new lending."""
    out = wdi_series(wdi, IMF_CREDIT, _countries(compare), as_of=as_of)
    out["caveat"] = IMF_CAVEAT
    return out


def gaps(series: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive unreported years per country and indicator.

    Columns: country_code, indicator_code, first_year, last_year, years (label ``"2021–2025"``).
    """
    rows = []
    missing = series.loc[~series["reported"]]
    for (country, indicator), group in missing.groupby(
        ["country_code", "indicator_code"], sort=False
    ):
        years = sorted(group["year"].astype(int))
        start = prev = years[0]
        for year in [*years[1:], None]:
            if year is not None and year == prev + 1:
                prev = year
                continue
            label = str(start) if start == prev else f"{start}–{prev}"
            rows.append((country, indicator, start, prev, label))
            if year is not None:
                start = prev = year
    return pd.DataFrame(
        rows, columns=["country_code", "indicator_code", "first_year", "last_year", "years"]
    )


# ---------------------------------------------------------------------------------------------
# Key figures


def key_figures(
    funding: pd.DataFrame,
    wdi: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    *,
    as_of=None,
    unit: str = "bn",
    wdi_source_id: str = "wdi",
) -> pd.DataFrame:
    """The report's key figures, one row each, deterministic (fixed order, rounded, text values).

    Seed figures first (reserves held, their stated parts, the derived remainder, every other
    freeze, block or halt, then the executive order's split and any transfer), then Afghanistan's
    WDI figures (last reported reserves, latest net ODA level and share of GNI, deepest GDP
    contraction and latest growth, latest use of IMF credit), each within ``as_of``.

    Columns: figure, value (text: "9.5", "9,500", "not stated"), unit, qualifier, source_id, quote.
    Money is shown in ``unit`` ("bn USD" or "m USD"); percentages stay "%". The index counts
    from 1.
    """
    factor = unit_factor(unit)
    names = _names(actors)
    rows: list[dict] = []

    def money(figure, amount_usd, qualifier, source_id, quote):
        stated = not pd.isna(amount_usd)
        rows.append(
            dict(
                figure=figure,
                value=fmt_number(amount_usd / factor) if stated else "not stated",
                unit=unit_label(unit),
                qualifier=qualifier,
                source_id=source_id,
                quote=quote,
            )
        )

    comp = reserve_composition(funding, as_of=as_of, unit=unit)
    for row in comp.itertuples():
        if row.role == "remainder":
            qualifier = f"derived ({row.arithmetic}), not stated in the source"
            if row.qualifier == "about":
                qualifier = "about, " + qualifier
            money(row.component, row.amount_usd, qualifier, row.source_id, row.quote)
            continue
        if row.role == "total":
            figure = "Central bank reserves held (total)"
        else:
            figure = f"{ACTIONS.get(row.measure, row.measure).capitalize()} by "
            figure += names.get(row.actor_id, row.actor_id)
            figure += f", held in {row.held_in}" if row.held_in else ""
        money(figure, row.amount_usd, _qualifier(row.qualifier), row.source_id, row.quote)

    in_composition = set(comp["measure_id"])
    for row in freeze_measures(funding, actors, as_of=as_of, unit=unit).itertuples():
        if row.measure_id in in_composition:
            continue
        figure = f"{row.instrument[:1].upper()}{row.instrument[1:]} {row.measure} by {row.actor}"
        money(figure, row.amount_usd, _qualifier(row.qualifier), row.source_id, row.quote)

    for row in executive_order(funding, as_of=as_of, unit=unit).itertuples():
        if row.role == "held":
            figure = f"Central bank assets held in the US ({row.when} fact sheet)"
        else:
            figure = f"Of which {row.action} (US executive order, {row.when})"
        money(figure, row.amount_usd, _qualifier(row.qualifier), row.source_id, row.quote)
    moved = dated_by(funding.loc[funding["measure"].astype(str) == "transferred"], as_of)
    for row in moved.sort_values(["date", "measure_id"]).itertuples():
        origin = _string(row.held_in) or names.get(row.actor_id, row.actor_id)
        money(
            f"{row.instrument[:1].upper()}{row.instrument[1:]} transferred from {origin}",
            row.amount_usd,
            _qualifier(str(row.amount_qualifier)),
            row.source_id,
            row.quote,
        )

    if wdi is not None:
        rows.extend(_wdi_figures(wdi, as_of, unit, wdi_source_id))

    out = pd.DataFrame(rows, columns=["figure", "value", "unit", "qualifier", "source_id", "quote"])
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


def _qualifier(qualifier: str) -> str:
    return {
        "exact": "stated",
        "about": "about (stated)",
        "more_than": "more than (stated)",
        "not_stated": "amount not stated",
    }.get(qualifier, qualifier)


def _wdi_figures(wdi: pd.DataFrame, as_of, unit: str, source_id: str) -> list[dict]:
    factor = unit_factor(unit)
    rows = []

    def latest(series: pd.DataFrame) -> pd.Series | None:
        reported = series.loc[series["reported"] & (series["country_code"] == AFG)]
        return None if reported.empty else reported.iloc[-1]

    def add(figure, row, value, unit_text, qualifier):
        rows.append(
            dict(
                figure=figure,
                value=value,
                unit=unit_text,
                qualifier=qualifier,
                source_id=source_id,
                quote=f"WDI {row['indicator_code']}: {row['indicator_name']}",
            )
        )

    res = reserves(wdi, as_of=as_of)
    last = latest(res)
    if last is not None:
        after = gaps(res.loc[res["year"] > last["year"]])
        note = (
            f"last reported year; no data reported {after['years'].iloc[0]}"
            if not after.empty
            else "latest reported year"
        )
        add(
            f"Afghan total reserves incl. gold, {last['year']}",
            last,
            fmt_number(last["value"] / factor),
            unit_label(unit),
            note,
        )
    oda = net_oda(wdi, as_of=as_of)
    for code, unit_text in ((ODA_LEVEL, unit_label(unit)), (ODA_SHARE, "% of GNI")):
        last = latest(oda.loc[oda["indicator_code"] == code])
        if last is not None:
            value = last["value"] / factor if code == ODA_LEVEL else last["value"]
            digits = 2 if code == ODA_LEVEL else 1
            what = "level" if code == ODA_LEVEL else "share of GNI"
            add(
                f"Net ODA received ({what}), {last['year']}",
                last,
                fmt_number(value, digits),
                unit_text,
                "latest reported year",
            )
    growth = gdp_growth(wdi, as_of=as_of)
    afg = growth.loc[growth["reported"] & (growth["country_code"] == AFG)]
    if not afg.empty:
        worst = afg.loc[afg["value"].idxmin()]
        add(
            f"GDP growth, {worst['year']} (lowest since {FIRST_YEAR})",
            worst,
            fmt_number(worst["value"], 1),
            "%",
            "annual % change, constant prices",
        )
        last = afg.iloc[-1]
        if last["year"] != worst["year"]:
            add(
                f"GDP growth, {last['year']}",
                last,
                fmt_number(last["value"], 1),
                "%",
                "latest reported year",
            )
    last = latest(imf_credit(wdi, as_of=as_of))
    if last is not None:
        add(
            f"Use of IMF credit, {last['year']}",
            last,
            fmt_number(last["value"] / factor),
            unit_label(unit),
            "includes SDR allocations (WDI metadata)",
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Charts


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(
        text=charts.esc(text),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=14, color="#555555"),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)


def chart_reserve_composition(
    composition: pd.DataFrame,
    order: pd.DataFrame | None = None,
    *,
    unit: str = "bn",
    sources: pd.DataFrame | None = None,
    as_of=None,
) -> go.Figure:
    """Bars: the stated total; its stated part(s) stacked with the derived remainder (hatched, grey,
    labelled as derived and as held where the article does not say); and, when given, the split of
    the US-held part by the executive order (``order``, from :func:`executive_order`)."""
    factor = unit_factor(unit)
    fig = go.Figure()
    title = "Afghan central bank reserves: what was held, what was frozen"
    source_ids = (
        list(composition["source_id"].str.split("; ").explode()) if len(composition) else []
    )
    if composition.empty:
        _empty_note(fig, f"No reserve figures dated on or before {as_of or 'the cut-off'}")
        return charts.finish(
            fig, title=title, sources=_source_lines(source_ids, sources) or ["the seed article"]
        )
    columns = {"total": "Total held", "part": "Where it is held", "remainder": "Where it is held"}
    for row in composition.itertuples():
        derived = row.role == "remainder"
        if pd.isna(row.amount_usd):  # no bar of zero for an amount nobody states
            fig.add_annotation(
                x=columns[row.role],
                y=0,
                yanchor="bottom",
                showarrow=False,
                text=charts.wrap(f"{row.component}: {row.label}", 30),
                hovertext=_quote_hover(row.source_id, row.quote),
                font=dict(size=11, color="#555555"),
            )
            continue
        y = row.amount_usd / factor
        hover = (
            f"<b>{charts.esc(row.component)}</b><br>{charts.esc(row.label)}<br>"
            + (f"{charts.wrap(row.derivation)}<br>" if derived else "")
            + _quote_hover(row.source_id, row.quote)
        )
        fig.add_bar(
            x=[columns[row.role]],
            y=[y],
            name=charts.esc(row.component) + (" (derived)" if derived else ""),
            text=[f"{charts.wrap(row.component, 34)}<br>{charts.esc(row.label)}"],
            textposition="inside",
            insidetextanchor="middle",
            marker=dict(
                color=charts.MISSING_COLOR
                if derived
                else (
                    "#d95f0e"
                    if row.role == "total"
                    else ACTION_COLORS.get(ACTIONS.get(row.measure, ""), "#2c7fb8")
                ),
                pattern=dict(shape="/" if derived else "", fgcolor="#777777"),
                line=dict(color="#555555", width=1),
            ),
            hovertext=[hover],
            hoverinfo="text",
        )
    split = order.loc[order["role"] == "split"] if order is not None else None
    if split is not None and not split.empty:
        held = order.loc[order["role"] == "held"]
        for row in split.itertuples():
            if pd.isna(row.amount_usd):
                continue
            fig.add_bar(
                x=["US-held: executive order"],
                y=[row.amount_usd / factor],
                name=charts.esc(f"{row.action} ({row.when})"),
                text=[charts.esc(row.label)],
                textposition="inside",
                marker=dict(color=ACTION_COLORS[row.action], line=dict(color="#555555", width=1)),
                hovertext=[
                    f"<b>{charts.esc(row.label)}</b><br>" + _quote_hover(row.source_id, row.quote)
                ],
                hoverinfo="text",
            )
        source_ids += list(order["source_id"])
        headline = f"US executive order, {split['when'].iloc[0]} (after the article)"
        if not held.empty:
            headline += f": of {held['label'].iloc[0]}"
        fig.add_annotation(
            x="US-held: executive order",
            y=1,
            yref="paper",
            showarrow=False,
            yanchor="bottom",
            text=charts.wrap(headline, 36),
            hovertext="<br>".join(_quote_hover(r.source_id, r.quote) for r in order.itertuples()),
            font=dict(size=11, color="#444444"),
        )
    fig.update_layout(barmode="stack", showlegend=False)
    note = (
        "Hatched grey: derived here by subtracting stated figures; the article does not say where "
        "this part is held."
    )
    if split is not None and (split["qualifier"] == "more_than").any():
        note += " 'more than' amounts are drawn at their stated floor."
    return charts.finish(
        fig,
        title=title,
        sources=_source_lines(source_ids, sources),
        y_title=f"Amount ({unit_label(unit)})",
        note=note,
        legend_on_top=False,
    )


def chart_freeze_measures(
    measures: pd.DataFrame, *, unit: str = "bn", sources: pd.DataFrame | None = None, as_of=None
) -> go.Figure:
    """Horizontal bars: the stated amount of each freeze, block or halt; a measure with no amount
    stated is a grey labelled marker ("halted, amount not stated"), never a bar of zero."""
    unit_factor(unit)
    fig = go.Figure()
    title = "Frozen, blocked, halted: who, what and how much"
    if measures.empty:
        _empty_note(fig, f"No freeze, block or halt dated on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=["the seed article"])
    labels = [
        charts.esc(f"{a}: {m} {i}")
        for a, m, i in zip(
            measures["actor"], measures["measure"], measures["instrument"], strict=True
        )
    ]
    hovers = [
        f"<b>{charts.esc(r.actor)}</b>: {charts.esc(r.label)} ({charts.esc(r.when)})<br>"
        + _quote_hover(r.source_id, r.quote)
        for r in measures.itertuples()
    ]
    bars = (measures["drawn_as"] == "bar").to_numpy()
    for measure in FREEZE_MEASURES:
        pick = bars & (measures["measure"] == measure).to_numpy()
        if not pick.any():
            continue
        fig.add_bar(
            y=[lab for lab, p in zip(labels, pick, strict=True) if p],
            x=measures.loc[pick, "amount"],
            orientation="h",
            name=measure,
            marker_color=ACTION_COLORS[measure],
            text=[charts.esc(t) for t in measures.loc[pick, "label"]],
            textposition="auto",
            hovertext=[h for h, p in zip(hovers, pick, strict=True) if p],
            hoverinfo="text",
        )
    if (~bars).any():
        fig.add_scatter(
            y=[lab for lab, b in zip(labels, bars, strict=True) if not b],
            x=[0.0] * int((~bars).sum()),
            mode="markers+text",
            name="amount not stated",
            marker=dict(
                symbol="x-thin-open", size=16, color="#555555", line=dict(width=2, color="#555555")
            ),
            text=[charts.esc(t) for t in measures.loc[~bars, "label"]],
            textposition="middle right",
            hovertext=[h for h, b in zip(hovers, bars, strict=True) if not b],
            hoverinfo="text",
        )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    return charts.finish(
        fig,
        title=title,
        sources=_source_lines(measures["source_id"], sources),
        x_title=f"Amount ({unit_label(unit)})",
        y_title="Measure",
        note="A cross marks a measure whose amount the source does not state (not zero).",
        height=360 + 30 * len(measures),
    )


def chart_freeze_timeline(
    timeline: pd.DataFrame, *, sources: pd.DataFrame | None = None, as_of=None
) -> go.Figure:
    """Dated dots, one row per actor and action: who froze, blocked, halted, released or moved
    what, and when, labelled with the amount. Filled dots are dated to the day, open ones to the
    month (or year) only, placed at its first day; the withdrawal is a dashed line."""
    fig = go.Figure()
    title = "Freeze timeline: who froze, blocked or halted what, and when"
    if timeline.empty:
        _empty_note(fig, f"No freeze dated on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=["the seed article"])
    rows = [f"{a}: {act}" for a, act in zip(timeline["actor"], timeline["action"], strict=True)]
    order = list(dict.fromkeys(rows))
    for action, group in timeline.groupby("action", sort=False):
        color = ACTION_COLORS.get(action, "#636363")
        fig.add_scatter(
            x=group["date"],
            y=[charts.esc(rows[i]) for i in group.index],
            mode="markers+text",
            name=charts.esc(action),
            text=[charts.esc(f"{r.amount_label} ({r.when})") for r in group.itertuples()],
            textposition="middle right",
            textfont=dict(size=11),
            marker=dict(
                size=14,
                color=color,
                symbol=["circle" if p == "day" else "circle-open" for p in group["date_precision"]],
                line=dict(width=2, color=color),
            ),
            hovertext=[
                f"<b>{charts.esc(r.actor)}</b> {charts.esc(r.action)} {charts.esc(r.what)}: "
                f"{charts.esc(r.amount_label)}<br>{charts.esc(r.when)} "
                f"({charts.esc(r.date_precision)} precision)<br>"
                + _quote_hover(r.source_id, r.quote)
                for r in group.itertuples()
            ],
            hoverinfo="text",
        )
    charts.mark_withdrawal(fig)
    low = min(timeline["date"].min(), charts.WITHDRAWAL) - pd.Timedelta(days=30)
    high = max(timeline["date"].max(), charts.WITHDRAWAL) + pd.Timedelta(days=120)
    fig.update_xaxes(range=[low, high])
    fig.update_yaxes(
        categoryorder="array", categoryarray=[charts.esc(r) for r in order], autorange="reversed"
    )
    return charts.finish(
        fig,
        title=title,
        sources=_source_lines(timeline["source_id"], sources),
        x_title="Date",
        y_title="Actor: action",
        note="Filled: dated to the day; open: dated to the month only (placed at its first day).",
        height=300 + 34 * len(order),
    )


def _panel_grid(countries: list[str], names: dict[str, str], title_suffix: str = ""):
    cols = min(3, len(countries))
    rows = -(-len(countries) // cols)
    titles = [charts.esc(f"{names.get(c, c)}{title_suffix}") for c in countries]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        shared_xaxes=False,
        horizontal_spacing=0.08,
        vertical_spacing=0.16,
    )
    return fig, rows, cols


def _gap_band(fig: go.Figure, first: int, last: int, row: int, col: int, label: bool) -> None:
    fig.add_vrect(
        x0=first - 0.5,
        x1=last + 0.5,
        fillcolor=charts.MISSING_COLOR,
        opacity=0.35,
        line_width=0,
        row=row,
        col=col,
        annotation_text=NO_DATA if label else None,
        annotation_position="top left",
        annotation_font=dict(size=10, color="#555555"),
    )


def _wdi_hovers(data: pd.DataFrame, factor: float, digits: int, value_unit: str) -> list[str]:
    """Hover text for each point of a WDI series: the value in the chart's unit, or 'no data'."""
    return [
        _wdi_hover(
            r,
            NO_DATA if pd.isna(r.value) else f"{fmt_number(r.value / factor, digits)} {value_unit}",
        )
        for r in data.itertuples()
    ]


def _wdi_hover(r, value_text: str) -> str:
    return (
        f"<b>{charts.esc(r.country_name)}</b>, {r.year}: {charts.esc(value_text)}<br>"
        f"{charts.esc(WDI_CITATION)}, {charts.esc(r.indicator_code)}<br>"
        f"{charts.wrap(r.indicator_name)}"
    )


def _wdi_source(*codes: str) -> list[str]:
    return [f"{WDI_CITATION}, {', '.join(codes)} ({WDI_LICENCE})"]


def _panels(
    series: pd.DataFrame, *, factor: float, value_unit: str, y_title: str, digits: int = 2
) -> tuple[go.Figure, dict]:
    """Small multiples, one panel per country (own y axis), gaps as grey 'no data' bands."""
    countries = list(dict.fromkeys(series["country_code"]))
    names = dict(zip(series["country_code"], series["country_name"], strict=False))
    fig, _, cols = _panel_grid(countries, names)
    where = {}
    for i, code in enumerate(countries):
        row, col = i // cols + 1, i % cols + 1
        where[code] = (row, col)
        data = series.loc[series["country_code"] == code]
        fig.add_scatter(
            x=data["year"],
            y=data["value"] / factor,
            mode="lines+markers",
            name=charts.esc(names[code]),
            showlegend=False,
            connectgaps=False,
            line=dict(
                color=charts.COUNTRY_COLORS.get(code, "#636363"), width=3 if code == AFG else 2
            ),
            hovertext=_wdi_hovers(data, factor, digits, value_unit),
            hoverinfo="text",
            row=row,
            col=col,
        )
        if not data["reported"].any():  # nothing to read off an axis
            fig.update_yaxes(showticklabels=False, range=[0, 1], row=row, col=col)
        for gap in gaps(data).itertuples():
            _gap_band(fig, gap.first_year, gap.last_year, row, col, label=True)
        fig.update_xaxes(
            range=[FIRST_YEAR - 0.5, int(series["year"].max()) + 0.5], dtick=2, row=row, col=col
        )
        fig.update_yaxes(rangemode="tozero", tickformat=",~r", row=row, col=col)
        if col == 1:
            fig.update_yaxes(title_text=charts.esc(y_title), row=row, col=col)
        if i + cols >= len(countries):  # no panel below this one
            fig.update_xaxes(title_text="Year", row=row, col=col)
    return fig, where


def chart_reserves(
    reserves_frame: pd.DataFrame,
    funding: pd.DataFrame | None = None,
    *,
    unit: str = "bn",
    sources: pd.DataFrame | None = None,
    as_of=None,
) -> go.Figure:
    """Total reserves (WDI), one panel per country. Afghanistan's panel shows the gap from 2021 as a
    grey "no data reported" band, the seed's 9.5 bn USD (September 2021, a different measure: the
    central bank's holdings as the article states them) as a separate diamond, and the February
    2022 US executive order as an annotation citing its own source."""
    factor = unit_factor(unit)
    afg = reserves_frame.loc[reserves_frame["country_code"] == AFG]
    reported = afg.loc[afg["reported"], "year"]
    title = "Total reserves incl. gold (WDI)"
    if not reported.empty and reported.max() < afg["year"].max():
        title += f": Afghanistan reports none after {reported.max()}"
    if reserves_frame.empty:
        fig = go.Figure()
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(RESERVES))
    fig, where = _panels(
        reserves_frame,
        factor=factor,
        value_unit=unit_label(unit),
        y_title=f"Reserves ({unit_label(unit)})",
    )
    source_lines = _wdi_source(RESERVES)
    diamond = ""
    if AFG in where and funding is not None:
        row, col = where[AFG]
        right = int(reserves_frame["year"].max()) + 0.5
        comp = reserve_composition(funding, as_of=as_of, unit=unit)
        total = comp.loc[comp["role"] == "total"]
        if not total.empty:
            t = total.iloc[0]
            x = _year_x(t["date"])
            right = max(right, x + 0.5)
            fig.add_scatter(
                x=[x],
                y=[t["amount"]],
                mode="markers",
                row=row,
                col=col,
                marker=dict(symbol="diamond", size=12, color="#d95f0e"),
                name="seed article (stated holdings)",
                showlegend=False,
                hovertext=[
                    f"<b>{charts.esc(t['label'])}</b>, "
                    f"{date_text(t['date'], t['date_precision'])}<br>"
                    + _quote_hover(t["source_id"], t["quote"])
                ],
                hoverinfo="text",
            )
            source_lines += _source_lines([t["source_id"]], sources)
            diamond = (
                f" Diamond: the article's {t['label'].removesuffix(' (stated)')} held by the "
                f"central bank ({date_text(t['date'], t['date_precision'])}), a different measure "
                "from the World Bank series."
            )
        order = executive_order(funding, as_of=as_of, unit=unit)
        if not order.empty:
            x = _year_x(order["date"].iloc[0])
            right = max(right, x + 0.5)
            text = f"US executive order, {order['when'].iloc[0]}: " + "; ".join(
                order.loc[order["role"] == "split", "label"]
            )
            hover = "<br>".join(
                f"<b>{charts.esc(r.label)}</b><br>" + _quote_hover(r.source_id, r.quote)
                for r in order.itertuples()
            )
            fig.add_annotation(  # Afghanistan is always the first panel: axes x, y
                x=x,
                y=0,
                xref="x",
                yref="y",
                ax=0,
                ay=-60,
                text=charts.wrap(text, 28),
                showarrow=True,
                arrowhead=2,
                hovertext=hover,
                font=dict(size=10),
                align="left",
                bgcolor="rgba(255,255,255,0.85)",
                bordercolor="#999999",
            )
            source_lines += _source_lines(order["source_id"], sources)
        fig.update_xaxes(range=[FIRST_YEAR - 0.5, right], row=row, col=col)
    missing = gaps(reserves_frame)
    note = RESERVES_GAP_NOTE + diamond
    others = missing.loc[missing["country_code"] != AFG]
    if not others.empty:
        note += (
            " Also no data: "
            + "; ".join(
                f"{c} {y}" for c, y in zip(others["country_code"], others["years"], strict=True)
            )
            + "."
        )
    return charts.finish(
        fig,
        title=title,
        sources=source_lines,
        note=note,
        legend_on_top=False,
        height=300 * (-(-len(where) // 3)) + 120,
    )


def _lines(
    fig: go.Figure,
    series: pd.DataFrame,
    *,
    factor: float,
    value_unit: str,
    digits: int,
    row: int | None = None,
    showlegend: bool = True,
) -> None:
    kwargs = {} if row is None else dict(row=row, col=1)
    for code, data in series.groupby("country_code", sort=False):
        name = str(data["country_name"].iloc[0])
        fig.add_scatter(
            x=data["year"],
            y=data["value"] / factor,
            mode="lines+markers",
            connectgaps=False,
            name=charts.esc(name),
            legendgroup=code,
            showlegend=showlegend,
            line=dict(
                color=charts.COUNTRY_COLORS.get(code, "#636363"), width=4 if code == AFG else 2
            ),
            hovertext=_wdi_hovers(data, factor, digits, value_unit),
            hoverinfo="text",
            **kwargs,
        )


def _gap_note(series: pd.DataFrame) -> str:
    missing = gaps(series)
    if missing.empty:
        return ""
    parts = [f"{c} {y}" for c, y in zip(missing["country_code"], missing["years"], strict=True)]
    return (
        "No data reported (a gap in the line, not zero): " + "; ".join(dict.fromkeys(parts)) + "."
    )


def chart_oda(oda: pd.DataFrame, *, unit: str = "bn", as_of=None) -> go.Figure:
    """Net ODA received: level (top, in ``unit``) and share of GNI (bottom), one line per country;
    Afghanistan's line is the thick black one."""
    factor = unit_factor(unit)
    title = "Net official development assistance received: level and share of GNI"
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=[f"Net ODA received ({unit_label(unit)})", "Net ODA received (% of GNI)"],
    )
    if oda.empty:
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(ODA_LEVEL, ODA_SHARE))
    _lines(
        fig,
        oda.loc[oda["indicator_code"] == ODA_LEVEL],
        factor=factor,
        value_unit=unit_label(unit),
        digits=2,
        row=1,
    )
    _lines(
        fig,
        oda.loc[oda["indicator_code"] == ODA_SHARE],
        factor=1.0,
        value_unit="% of GNI",
        digits=1,
        row=2,
        showlegend=False,
    )
    charts.mark_withdrawal(fig, yearly=True, row=1, col=1)
    fig.update_yaxes(title_text=charts.esc(unit_label(unit)), row=1, col=1)
    fig.update_yaxes(title_text="% of GNI", row=2, col=1)
    fig.update_xaxes(title_text="Year", dtick=1, row=2, col=1)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(ODA_LEVEL, ODA_SHARE),
        note=_gap_note(oda),
        height=620,
    )


def chart_gdp_growth(growth: pd.DataFrame, *, as_of=None) -> go.Figure:
    """GDP growth (annual %), one line per country; a gap where a year is not reported."""
    title = "GDP growth: Afghanistan and comparison countries"
    fig = go.Figure()
    if growth.empty:
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(GDP_GROWTH))
    _lines(fig, growth, factor=1.0, value_unit="%", digits=1)
    fig.add_hline(y=0, line_color="#888888", line_width=1)
    charts.mark_withdrawal(fig, yearly=True)
    fig.update_xaxes(dtick=1)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(GDP_GROWTH),
        y_title="GDP growth (annual %)",
        x_title="Year",
        note=_gap_note(growth),
    )


def chart_imf_credit(credit: pd.DataFrame, *, unit: str = "bn", as_of=None) -> go.Figure:
    """Use of IMF credit, one panel per country (own y axis), with the SDR caveat on the chart and
    a dotted line at the August 2021 SDR allocation."""
    factor = unit_factor(unit)
    title = "Use of IMF credit (includes SDR allocations)"
    if credit.empty:
        fig = go.Figure()
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(IMF_CREDIT), note=IMF_CAVEAT)
    fig, where = _panels(
        credit,
        factor=factor,
        value_unit=unit_label(unit),
        y_title=f"IMF credit ({unit_label(unit)})",
    )
    if int(credit["year"].max()) >= 2021:
        for row, col in where.values():
            fig.add_vline(
                x=2021, line_dash="dot", line_color="#8856a7", line_width=1, row=row, col=col
            )
        fig.add_annotation(
            x=2021,
            y=1,
            xref="x",
            yref="y domain",
            text="Aug 2021 SDR allocation",
            showarrow=False,
            xanchor="right",
            yanchor="top",
            font=dict(size=10, color="#8856a7"),
        )
    missing = _gap_note(credit)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(IMF_CREDIT),
        legend_on_top=False,
        note=IMF_CAVEAT + (" " + missing if missing else ""),
        height=300 * (-(-len(where) // 3)) + 120,
    )
