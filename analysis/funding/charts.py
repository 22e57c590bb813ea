"""Charts of the freeze measures: the reserves' composition, who froze what, and when."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from .. import charts
from .common import date_bounds, unit_factor, unit_label
from .measures import ACTIONS, FREEZE_MEASURES

ACTION_COLORS = {
    "frozen": "#4e86b5",
    "blocked": "#824aab",
    "halted": "#d86009",
    "made available": "#2aad82",
    "left to litigation": "#7c7a7c",
    "transferred": "#e0a90a",
}


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
        quotes=[composition[composition["stated"]], order],
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
        quotes=measures,
    )


def _symbol(precision: str, bound: str) -> str:
    if bound == "by":
        return "triangle-left-open"
    return "circle" if precision == "day" else "circle-open"


def _precision_text(precision: str, bound: str) -> str:
    if bound == "by":
        return "done by then; the source does not say when"
    return f"{precision} precision"


def chart_freeze_timeline(
    timeline: pd.DataFrame, *, sources: pd.DataFrame | None = None, as_of=None
) -> go.Figure:
    """Dated dots, one row per actor and action: who froze, blocked, halted, released or moved
    what, and when, labelled with the amount. Filled dots are dated to the day, open ones to the
    month (or year) only, placed at its first day; a left-pointing triangle marks an act the
    source says was done by that date without dating it; the withdrawal is a dashed line."""
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
                symbol=[
                    _symbol(p, b)
                    for p, b in zip(group["date_precision"], date_bounds(group), strict=True)
                ],
                line=dict(width=2, color=color),
            ),
            hovertext=[
                f"<b>{charts.esc(r.actor)}</b> {charts.esc(r.action)} {charts.esc(r.what)}: "
                f"{charts.esc(r.amount_label)}<br>{charts.esc(r.when)} "
                f"({_precision_text(r.date_precision, b)})<br>" + _quote_hover(r.source_id, r.quote)
                for r, b in zip(group.itertuples(), date_bounds(group), strict=True)
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
        note="Filled: dated to the day; open: dated to the month only (placed at its first day); "
        "triangle: done by that date, when the source does not say.",
        height=300 + 34 * len(order),
        quotes=timeline,
    )
