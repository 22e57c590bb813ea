"""Charts of who fought whom: battle deaths by group in the focus countries, Pakistan and the
TTP with UCDP/PRIO intensity, and IS one-sided violence in Iran and Russia.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import charts
from .actors import is_reading
from .charts import (
    GROUP_COLORS,
    IS_CAVEAT,
    _grid,
    _missing_trace,
    _range_trace,
    _withdrawal_lines,
    error_arrays,
    esc_label,
    exclusion_note,
    source,
)
from .scope import DEFAULT_BASELINE, DEFAULT_COMPARISON, YEARS, check_countries, check_window, label
from .windows import window_mean


def battle_deaths_chart(
    by_group: pd.DataFrame, focus_countries: Sequence[str], *, actor_map: pd.DataFrame | None = None
) -> go.Figure:
    """Per focus country, BRD battle deaths per year stacked by actor group; years after BRD's
    coverage marked as missing; the Taliban as an insurgency (to 15 Aug 2021) apart from the
    Taliban government (from it); BRD's low–high range of each year's total as a whisker (when
    ``by_group`` has ``deaths_low`` / ``deaths_high``). With ``actor_map`` the note says where IS
    is read as ISIS-K (:func:`~analysis.observed.actors.is_reading`); each IS bar's hover gives the
    map's reason."""
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
                + (
                    f"<br><i>reading:</i> {charts.wrap(r.reading, 70)}"
                    if getattr(r, "reading", "")
                    else ""
                )
                + f"<br>{charts.esc(source('ucdp_brd'))}"
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
        if {"deaths_low", "deaths_high"} <= set(part.columns) and not part.empty:
            totals = (
                part.groupby("year", sort=True)
                .agg(
                    deaths=("deaths", "sum"),
                    deaths_low=("deaths_low", lambda v: v.sum() if v.notna().all() else np.nan),
                    deaths_high=("deaths_high", lambda v: v.sum() if v.notna().all() else np.nan),
                )
                .reset_index()
            )
            fig.add_trace(
                _range_trace(
                    totals["year"],
                    totals["deaths"],
                    totals["deaths_low"],
                    totals["deaths_high"],
                    name="BRD low–high (total)",
                    showlegend=not any(t.legendgroup == "range" for t in fig.data),
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
                    [f"{y}: not covered ({_brd().versioned} ends in {last})" for y in after],
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
        sources=[source("ucdp_brd")],
        note=f"Dashed line: {charts.WITHDRAWAL_LABEL}. {charts.SPLIT_NOTE} "
        + (is_reading(actor_map) if actor_map is not None else IS_CAVEAT)
        + " The Taliban: UCDP's Taleban to 15 Aug 2021, its Government of Afghanistan from then"
        " (2021 NRF fighting counts for the Taliban government, which it fought)."
        " BRD places a dyad where its conflict is located, not each battle; an "
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
    plus, minus, has = (
        error_arrays(ok["deaths"], ok["deaths_low"], ok["deaths_high"])
        if {"deaths_low", "deaths_high"} <= set(ok.columns)
        else ([None] * len(ok), [None] * len(ok), [False] * len(ok))
    )
    fig.add_trace(
        go.Bar(
            x=ok["year"],
            y=ok["deaths"],
            name="battle deaths (BRD best; whisker: low–high)",
            marker_color="#1b9e77",
            error_y=dict(type="data", symmetric=False, array=plus, arrayminus=minus, width=3),
            text=[f"{v:,.0f}" for v in ok["deaths"]],
            textposition="outside",
            hovertext=[
                f"<b>{r.year}</b>: {r.deaths:,.0f} battle deaths, Pakistan – TTP"
                + (
                    f" (BRD low–high {r.deaths_low:,.0f}–{r.deaths_high:,.0f})"
                    if k
                    else " (no low–high range)"
                )
                + f"<br>{charts.esc(source('ucdp_brd'))}"
                for r, k in zip(ok.itertuples(index=False), has, strict=True)
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
            **charts.panel(fig, 1, 1),
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
                f"<br>{charts.esc(source('ucdp_acd'))}"
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
        sources=[source("ucdp_brd"), source("ucdp_acd")],
        note=_coverage_note(intensity)
        + " From 2023 ACD's conflict includes HGB and TJP. "
        + charts.SPLIT_NOTE,
        height=520,
    )
    fig.update_yaxes(title_text="battle deaths per year", row=1, col=1)
    fig.update_yaxes(title_text="ACD", row=2, col=1)
    fig.update_xaxes(title_text="year", row=2, col=1)
    return fig


def _brd():
    from ..tables.releases import loaded_info

    return loaded_info("ucdp_brd")


def _coverage_note(intensity: pd.DataFrame) -> str:
    """What the BRD release does not cover that the ACD release does, read from the loaded
    releases and the conflict's intensity (never typed)."""
    from ..tables.releases import loaded_info

    brd, acd = _brd(), loaded_info("ucdp_acd")
    if brd.last_year is None or acd.last_year is None or acd.last_year <= brd.last_year:
        return f"{brd.versioned} and {acd.versioned} cover the same years."
    later = intensity[(intensity["year"] > brd.last_year) & intensity["intensity_level"].notna()]
    levels = "; ".join(
        f"{'war level, 1,000+ battle deaths' if r.intensity_level == 2 else 'minor, 25–999'}"
        f" in {r.year}"
        for r in later.itertuples(index=False)
    )
    gap = (
        f"{brd.last_year + 1}–{acd.last_year}"
        if acd.last_year > brd.last_year + 1
        else str(acd.last_year)
    )
    return f"{brd.versioned} ends in {brd.last_year}: {gap} has no battle-death value" + (
        f" (ACD {acd.version} shows the conflict at {levels})." if levels else "."
    )


def is_one_sided_chart(series: pd.DataFrame, *, actor_map: pd.DataFrame | None = None) -> go.Figure:
    """Civilians killed by IS (UCDP one-sided violence) per year in the given countries, from
    :func:`actor_year_deaths`: missing years as ×; a 0 says why (no IS dyad reported here, or IS
    only in other types' dyads whose deaths are not separable); UCDP's low–high range as a
    whisker when ``series`` has ``deaths_low`` / ``deaths_high``."""
    fig = go.Figure()
    for iso3, g in series.groupby("iso3", sort=False):
        ok = g[g["deaths"].notna()]
        error = None
        if {"deaths_low", "deaths_high"} <= set(ok.columns):
            plus, minus, _ = error_arrays(ok["deaths"], ok["deaths_low"], ok["deaths_high"])
            error = dict(type="data", symmetric=False, array=plus, arrayminus=minus, width=3)
        fig.add_trace(
            go.Bar(
                x=ok["year"],
                y=ok["deaths"],
                name=esc_label(iso3),
                marker_color=charts.COUNTRY_COLORS.get(iso3, "#636363"),
                error_y=error,
                text=[f"{v:,.0f}" if v else "" for v in ok["deaths"]],
                textposition="outside",
                hovertext=[_is_hover(iso3, r) for r in ok.itertuples(index=False)],
                hoverinfo="text",
            )
        )
        gaps = g[g["deaths"].isna()]
        if not gaps.empty:
            fig.add_trace(
                _missing_trace(
                    gaps["year"],
                    [0] * len(gaps),
                    [_is_hover(iso3, r) for r in gaps.itertuples(index=False)],
                    showlegend=not any(t.legendgroup == "missing" for t in fig.data),
                )
            )
    fig.update_layout(barmode="group")
    fig.update_xaxes(dtick=1, range=[YEARS[0] - 0.6, YEARS[1] + 0.6])
    charts.mark_withdrawal(fig, yearly=True)
    return charts.finish(
        fig,
        title="Civilians killed by IS (one-sided violence) per year",
        sources=[source("ucdp_country_year")],
        y_title="deaths per year",
        x_title="year",
        note=[
            (is_reading(actor_map) if actor_map is not None else IS_CAVEAT),
            "0 = UCDP lists IS that year but records no IS killing of civilians here (hover: "
            "whether IS fought here in other dyads, whose deaths are not separable). "
            + charts.SPLIT_NOTE,
        ],
    )


_IS_STATUS = {
    "attributed": "civilians killed by IS",
    "no dyad reported": "civilians killed by IS: no IS dyad reported here",
    "none of these types": "civilians killed by IS (none recorded as one-sided violence)",
    "not separable": "not separable: IS shares the total with other perpetrators",
    "not in UCDP this year": "not measurable: UCDP lists no IS dyad anywhere this year",
}


def _is_hover(iso3: str, r) -> str:
    what = _IS_STATUS.get(r.status, charts.esc(r.status))
    value = "" if pd.isna(r.deaths) else f"{r.deaths:,.0f} "
    text = f"<b>{esc_label(iso3)} {r.year}</b>: {value}{what}"
    if {"deaths_low", "deaths_high"} <= set(r._fields) and not pd.isna(r.deaths):
        if pd.isna(r.deaths_low) or pd.isna(r.deaths_high):
            text += "<br>no low–high range (an estimate missing or out of order)"
        else:
            text += f"<br>UCDP low–high: {r.deaths_low:,.0f}–{r.deaths_high:,.0f}"
    note = getattr(r, "note", "")
    if note:
        text += f"<br>{charts.wrap(note, 70)}"
    return text + f"<br>{charts.esc(source('ucdp_country_year'))}"
