"""Charts of observed violence: deaths by type per country and year, and the change between
windows; with the conventions they share (missing markers, withdrawal lines, panel grids).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import charts
from .cells import EXCLUDED_DYADS, OTHER, SEVERAL, Exclusion
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
    "UCDP codes every Islamic State branch as one actor, IS; located in Afghanistan, Pakistan, "
    "Iran, Tajikistan or Russia it is read as ISIS-K (in Russia before 2021 mostly the Caucasus "
    "province)."
)


GROUP_COLORS = {
    "ISIS-K (UCDP: IS)": "#b72b27",
    "IS, other branches": "#ea710d",
    "TTP": "#2f976b",
    "Jaish al-Adl": "#bf6739",
    "al-Qaida": "#596d8f",
    "ETIM": "#de0097",
    "Taliban": "#000000",
    "Government of Afghanistan (Ghani)": "#636363",
    "Government of Afghanistan (Ghani, then Taliban)": "#969696",
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
            + f"<br>{charts.esc(source('ucdp_country_year'))}"
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
        sources=[source("ucdp_country_year")],
        x_title="mean organised-violence deaths per year (log scale)",
        note="Open markers at the left edge are 0 (a log axis has no zero). " + exclusion_note(),
        height=60 + 34 * len(data),
    )
