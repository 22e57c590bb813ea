"""Charts of observed violence: deaths by type per country and year, and the change between
windows; with the conventions they share (missing markers, withdrawal lines, panel grids).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import charts
from ..chart_shapes import Spanning
from .actors import (
    GHANI,
    GHANI_THEN_TALIBAN,
    IS_OTHER,
    ISIS_K,
    OTHER,
    SEVERAL,
    TALIBAN_GOVERNMENT,
    TALIBAN_INSURGENCY,
)
from .cells import EXCLUDED_DYADS, Exclusion
from .scope import (
    OBSERVED_COUNTRIES,
    VIOLENCE_LABELS,
    VIOLENCE_TYPES,
    WESTERN_EUROPE,
    WEU,
    YEARS,
    check_windows,
    label,
)

_SOURCES = {"UCDP_CY": "ucdp_country_year", "UCDP_BRD": "ucdp_brd", "UCDP_ACD": "ucdp_acd"}


def source(table: str) -> str:
    """A UCDP table's source line as loaded: name, version, citation and licence, read from
    the data and its provenance sidecar (never typed here)."""
    from ..tables.releases import loaded_info

    return loaded_info(table).label


def __getattr__(name: str) -> str:
    # UCDP_CY, UCDP_BRD, UCDP_ACD: the source lines of the loaded releases, computed on use
    if name in _SOURCES:
        return source(_SOURCES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


IS_CAVEAT = (
    "UCDP codes every Islamic State branch as one actor, IS; it is read as ISIS-K only where "
    "ucdp_actor_map.csv says so (by location and date), elsewhere as IS (other province)."
)


GROUP_COLORS = {
    ISIS_K: "#b72b27",
    IS_OTHER: "#ea710d",
    "TTP": "#2f976b",
    "Jaish al-Adl": "#bf6739",
    "al-Qaida": "#596d8f",
    "ETIM": "#de0097",
    TALIBAN_INSURGENCY: "#000000",
    TALIBAN_GOVERNMENT: "#700090",
    GHANI: "#636363",
    GHANI_THEN_TALIBAN: "#969696",
    OTHER: "#69bfdc",
    SEVERAL: charts.MISSING_COLOR,
}


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


def error_arrays(best, low, high) -> tuple[list, list, list[bool]]:
    """Plotly error-bar arrays (plus, minus) from UCDP's estimates, and which rows have a range:
    none where an estimate is missing (out of order ones are missing already)."""
    best, low, high = (pd.Series(v, dtype=float).reset_index(drop=True) for v in (best, low, high))
    ok = (best.notna() & low.notna() & high.notna()).tolist()
    plus = [float(h - b) if k else None for b, h, k in zip(best, high, ok, strict=True)]
    minus = [float(b - lo) if k else None for b, lo, k in zip(best, low, ok, strict=True)]
    return plus, minus, ok


def _range_trace(x, best, low, high, *, name="UCDP low–high", showlegend=True, **kwargs):
    """Whiskers from UCDP's low to its high estimate around ``best`` (no whisker where either is
    missing or out of order: never a bound)."""
    plus, minus, ok = error_arrays(best, low, high)
    best, low, high = (pd.Series(v, dtype=float).reset_index(drop=True) for v in (best, low, high))
    text = [
        f"UCDP low–high: {lo:,.0f}–{h:,.0f}"
        if k
        else "no range (an estimate missing or out of order)"
        for lo, h, k in zip(low, high, ok, strict=True)
    ]
    return go.Scatter(
        x=list(x),
        y=list(best),
        mode="markers",
        marker=dict(size=1, color="#333333"),
        error_y=dict(
            type="data", symmetric=False, array=plus, arrayminus=minus, color="#333333", width=3
        ),
        name=name,
        legendgroup="range",
        showlegend=showlegend,
        hovertext=text,
        hoverinfo="text",
        **kwargs,
    )


def _withdrawal_lines(fig: go.Figure, rows: int, cols: int, n: int) -> None:
    """A dashed line at the end of the withdrawal and 2021 shaded as the split year in every
    panel (the labels go in the note: above a panel they would cover the panel's title)."""
    with Spanning(fig) as shapes:
        for i in range(n):
            charts.panel_marks(shapes, fig, i // cols + 1, i % cols + 1)


def deaths_chart(
    by_type: pd.DataFrame,
    countries: Sequence[str] | None = None,
    *,
    exclusions: Iterable[Exclusion] = EXCLUDED_DYADS,
    ranges: pd.DataFrame | None = None,
) -> go.Figure:
    """Small multiples: organised-violence deaths per year by violence type, one panel per
    country, each with its own scale; the withdrawal marked and 2021 shaded as the split year;
    not separable years as grey ×. ``ranges`` (iso3, year, deaths, deaths_low, deaths_high: the
    totals over the types) adds UCDP's low–high range of each year's total as a whisker."""
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
                + f"<br>{charts.esc(source('ucdp_country_year'))}"
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
        if ranges is not None:
            r = ranges[ranges["iso3"] == iso3].sort_values("year")
            if not r.empty:
                fig.add_trace(
                    _range_trace(
                        r["year"],
                        r["deaths"],
                        r["deaths_low"],
                        r["deaths_high"],
                        showlegend=not any(t.legendgroup == "range" for t in fig.data),
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
        title="Organised-violence deaths by country and year, "
        f"{int(by_type['year'].min())}–{int(by_type['year'].max())}",
        sources=[source("ucdp_country_year")],
        y_title=None,
        note=f"Dashed line: {charts.WITHDRAWAL_LABEL}. {charts.SPLIT_NOTE} "
        + exclusion_note(exclusions)
        + " Each panel has its own scale (deaths per year). "
        "× = missing: a total shared with an excluded dyad cannot be split."
        + (
            " Whiskers: UCDP's low–high estimates of the year's total."
            if ranges is not None
            else ""
        ),
        height=230 * rows + 60,
        legend_right=True,
    )
    fig.update_yaxes(title_text="deaths", col=1)
    fig.update_xaxes(title_text="year", row=rows)
    return fig


def esc_label(code: str) -> str:
    return charts.esc(label(code))


ZERO_LANES = {"baseline_mean": "0 before", "comparison_mean": "0 after"}
MISSING_LANE = "no value"


def window_change_chart(changes: pd.DataFrame, baseline, comparison) -> go.Figure:
    """Dumbbell: mean deaths per year in the baseline and comparison windows, per country, on a
    log axis. A log axis has no zero, so zeros (and missing windows, as ×) sit in a separate
    lane at the left, never at a small number; UCDP's low–high range of each mean is a whisker
    when ``changes`` has ``baseline_low`` … ``comparison_high`` columns."""
    base, comp = check_windows(baseline, comparison)
    data = changes.copy()
    order = data.sort_values("comparison_mean", na_position="first")["country"].tolist()
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, column_widths=[0.14, 0.86], horizontal_spacing=0.015
    )
    for r in data.itertuples(index=False):
        values = [v for v in (r.baseline_mean, r.comparison_mean) if not pd.isna(v) and v > 0]
        if len(values) == 2:
            fig.add_trace(
                go.Scatter(
                    x=values,
                    y=[r.country] * 2,
                    mode="lines",
                    line=dict(color="#bbbbbb", width=3),
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=1,
                col=2,
            )
    for column, used, name, color in (
        ("baseline_mean", "baseline_used", f"baseline {base[0]}–{base[1]}", "#7f7f7f"),
        ("comparison_mean", "comparison_used", f"comparison {comp[0]}–{comp[1]}", "#d7191c"),
    ):
        prefix = column.split("_")[0]
        has_range = f"{prefix}_low" in data.columns and f"{prefix}_high" in data.columns

        def hover(r, column=column, used=used, name=name, prefix=prefix, has_range=has_range):
            text = (
                f"<b>{charts.esc(r.country)}</b><br>{charts.esc(name)}: "
                f"{getattr(r, column):,.1f} deaths a year ({getattr(r, used)})"
            )
            if has_range:
                lo, hi = getattr(r, f"{prefix}_low"), getattr(r, f"{prefix}_high")
                text += (
                    f"<br>UCDP low–high: {lo:,.1f}–{hi:,.1f}"
                    if not (pd.isna(lo) or pd.isna(hi))
                    else "<br>no low–high range (an estimate missing or out of order)"
                )
            change = "n/a" if pd.isna(r.change) else f"{r.change:+,.1f} a year"
            return f"{text}<br>change: {change}<br>{charts.esc(source('ucdp_country_year'))}"

        positive = data[data[column] > 0]
        error = None
        if has_range and not positive.empty:
            plus, minus, _ = error_arrays(
                positive[column], positive[f"{prefix}_low"], positive[f"{prefix}_high"]
            )
            error = dict(
                type="data",
                symmetric=False,
                array=plus,
                arrayminus=minus,
                color=color,
                thickness=1,
                width=4,
            )
        fig.add_trace(
            go.Scatter(
                x=positive[column],
                y=positive["country"],
                mode="markers",
                marker=dict(color=color, size=11, line=dict(width=2, color=color)),
                error_x=error,
                name=name,
                legendgroup=name,
                hovertext=[hover(r) for r in positive.itertuples(index=False)],
                hoverinfo="text",
            ),
            row=1,
            col=2,
        )
        zeros = data[data[column] == 0]
        if not zeros.empty:
            fig.add_trace(
                go.Scatter(
                    x=[ZERO_LANES[column]] * len(zeros),
                    y=zeros["country"],
                    mode="markers",
                    marker=dict(color=color, size=11, symbol="circle-open", line=dict(width=2)),
                    name=f"{name}: 0",
                    legendgroup=name,
                    showlegend=False,
                    hovertext=[
                        f"{hover(r)}<br>0: no deaths recorded (drawn in the zero lane, not on the "
                        "log axis)"
                        for r in zeros.itertuples(index=False)
                    ],
                    hoverinfo="text",
                ),
                row=1,
                col=1,
            )
        gaps = data[data[column].isna()]
        if not gaps.empty:
            fig.add_trace(
                _missing_trace(
                    [MISSING_LANE] * len(gaps),
                    gaps["country"],
                    [
                        f"<b>{charts.esc(r.country)}</b>: {charts.esc(name)} missing "
                        "(a year in the window is not separable)"
                        for r in gaps.itertuples(index=False)
                    ],
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                ),
                row=1,
                col=1,
            )
    fig.update_xaxes(type="log", row=1, col=2)
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[*ZERO_LANES.values(), MISSING_LANE],
        range=[-0.6, 2.6],
        tickangle=-90,
        row=1,
        col=1,
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig = charts.finish(
        fig,
        title=f"Deaths per year before and after: {base[0]}–{base[1]} vs {comp[0]}–{comp[1]}",
        sources=[source("ucdp_country_year")],
        note="A log axis has no zero: zeros are open markers in the left lane, missing windows "
        "× beside them. Whiskers: UCDP's low–high estimates of each mean. " + exclusion_note(),
        height=60 + 34 * len(data),
    )
    fig.update_xaxes(title_text="mean organised-violence deaths per year (log scale)", row=1, col=2)
    fig.update_xaxes(title_text="", row=1, col=1)
    return fig
