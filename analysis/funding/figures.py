"""The funding report's key figures: each with its unit, how far its source commits to it,
its source id and quote (or the WDI series and cell it comes from).
"""

from __future__ import annotations

import pandas as pd

from .common import (
    AFG,
    FIRST_YEAR,
    _names,
    _qualifier,
    _string,
    dated_by,
    fmt_number,
    unit_factor,
    unit_label,
)
from .economy import ODA_LEVEL, ODA_SHARE, gaps, gdp_growth, imf_credit, net_oda, reserves
from .measures import ACTIONS, executive_order, freeze_measures, reserve_composition


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


def figure_records(key: pd.DataFrame) -> list[dict]:
    """The key-figures table (:func:`key_figures`) as export records; the source is the row's
    source id."""
    from ..figures import key_figure_records

    return key_figure_records(key, source="source_id")
