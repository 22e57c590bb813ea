"""Charts of the specification grid: the robust verdicts with their counts (a compact view for
the brief and the report), and the specification curves (every specification's effect, sorted,
one panel per claim test).

Every verdict drawn carries its caveat (hover) and the chosen-window verdict beside it.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import charts, observed
from ..chart_shapes import Spanning
from .charts import SEED_SOURCE, VERDICT_COLORS
from .grid import Thresholds

OUTCOMES = ("supported", "contradicted", "not measurable")


ROBUST_COLORS = {
    "robust": "#1b7837",
    "fragile": "#e08214",
    "contradicted": "#b2182b",
    "not measurable": charts.MISSING_COLOR,
}


CHOSEN_SYMBOLS = {"supported": "circle", "contradicted": "x", "not measurable": "line-ew-open"}


def _label(r) -> str:
    target = r.target if len(r.target) <= 48 else r.target[:47] + "…"
    return f"{charts.esc(r.claim_id)} · {charts.esc(target)}"


def _hover(r) -> str:
    measurable = r.supported + r.contradicted
    lines = [
        f"<b>{charts.esc(r.claim_id)} — {charts.esc(r.robust_verdict)}</b>",
        f"tested: {charts.wrap(r.target, 70)}",
        f"untested: {charts.wrap(r.untested or 'nothing named', 70)}",
        f"{r.specifications} specifications: {r.supported} support, {r.contradicted} contradict, "
        f"{r.not_measurable} cannot measure"
        + (f" ({r.supported / measurable:.0%} of the measurable support)" if measurable else ""),
        f"chosen windows: {charts.esc(r.chosen_verdict)} — {charts.wrap(r.chosen_evidence, 70)}",
        f"<i>caveat:</i> {charts.wrap(r.caveat, 70)}",
    ]
    if r.note:
        lines.append(f"<i>rests on:</i> {charts.wrap(r.note, 70)}")
    return "<br>".join(lines)


def robust_chart(
    robust: pd.DataFrame,
    thresholds: Thresholds = Thresholds(),
    *,
    sources: list[str] | None = None,
    title: str = "How the article's risk claims hold up across specifications",
) -> go.Figure:
    """One bar per claim test: the shares of its specifications that support, contradict or
    cannot measure it; its robust verdict written beside it, and the chosen-window verdict as a
    marker in its own column (never alone). Hover: the part tested, the parts untested, the
    caveat and what the verdict rests on."""
    data = robust.iloc[::-1].reset_index(drop=True)
    labels = [_label(r) for r in data.itertuples(index=False)]
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, column_widths=[0.76, 0.24], horizontal_spacing=0.02
    )
    total = data["specifications"].where(data["specifications"] > 0, 1)
    hover = [_hover(r) for r in data.itertuples(index=False)]
    for outcome, column in zip(
        OUTCOMES, ("supported", "contradicted", "not_measurable"), strict=True
    ):
        fig.add_trace(
            go.Bar(
                x=data[column] / total,
                y=labels,
                orientation="h",
                name={"not measurable": "cannot measure"}.get(outcome, outcome),
                marker_color=VERDICT_COLORS[outcome],
                hovertext=hover,
                hoverinfo="text",
                legendgroup=outcome,
            ),
            row=1,
            col=1,
        )
    none = data[data["specifications"] == 0]
    if not none.empty:
        fig.add_trace(
            go.Bar(
                x=[1.0] * len(none),
                y=[labels[i] for i in none.index],
                orientation="h",
                name="no indicator",
                marker=dict(color="white", line=dict(color=charts.MISSING_COLOR, width=1)),
                hovertext=[hover[i] for i in none.index],
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    for i, r in enumerate(data.itertuples(index=False)):
        measurable = r.supported + r.contradicted
        text = (
            f"<b>{r.robust_verdict}</b> · {r.supported}/{measurable} measurable support"
            if r.specifications
            else "<b>not measurable</b> · no indicator"
        )
        fig.add_annotation(
            x=0.01,
            y=labels[i],
            text=text,
            showarrow=False,
            xanchor="left",
            font=dict(
                size=10,
                color="#ffffff" if r.supported / (r.specifications or 1) > 0.3 else "#222222",
            ),
            row=1,
            col=1,
        )
    for verdict in OUTCOMES:
        part = data[data["chosen_verdict"] == verdict]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=["chosen windows"] * len(part),
                y=[labels[i] for i in part.index],
                mode="markers+text",
                marker=dict(
                    symbol=CHOSEN_SYMBOLS[verdict],
                    size=12,
                    color=VERDICT_COLORS[verdict],
                    line=dict(width=2, color=VERDICT_COLORS[verdict]),
                ),
                text=[{"not measurable": "not meas."}.get(verdict, verdict)] * len(part),
                textposition="middle right",
                textfont=dict(size=9),
                name=f"chosen windows: {verdict}",
                showlegend=False,
                hovertext=[hover[i] for i in part.index],
                hoverinfo="text",
            ),
            row=1,
            col=2,
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        range=[0, 1], tickformat=".0%", title_text="share of specifications", row=1, col=1
    )
    fig.update_xaxes(
        showticklabels=False,
        range=[-0.3, 2.2],
        title_text="chosen windows",
        showgrid=False,
        row=1,
        col=2,
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return charts.finish(
        fig,
        title=title,
        sources=sources
        or [SEED_SOURCE, observed.source("ucdp_country_year"), observed.source("ucdp_brd")],
        note=[
            f"Robust verdicts: {thresholds.describe()}.",
            "Bars: shares of each test's specifications that support it, contradict it, or cannot "
            "measure it. Right: the verdict on the chosen windows alone (best estimate, primary "
            "indicator). "
            "Hover a row for the part of the claim tested, the parts untested and the caveat.",
        ],
        quotes=data if "quote" in data else None,
        height=120 + 30 * len(data),
    )


def _y(r) -> float | None:
    for value in (r.effect, (r.effect_lower + r.effect_upper) / 2, r.effect_lower):
        if value is not None and not math.isnan(value) and not math.isinf(value):
            return float(value)
    return None


def specification_curves(
    grid: pd.DataFrame, robust: pd.DataFrame, thresholds: Thresholds = Thresholds()
) -> go.Figure:
    """One panel per claim test with specifications: each specification's effect (the change
    the rule reads: comparison − baseline, first − second set, or the level), sorted, coloured by
    its outcome, a whisker where the data give only a range; the chosen-window specification as
    a large diamond. Each panel has its own scale (deaths per year)."""
    tests = [t for t in robust["test"] if (grid["test"] == t).any()]
    cols = 2
    rows = max(1, (len(tests) + cols - 1) // cols)
    verdicts = robust.set_index("test")
    titles = []
    for t in tests:
        v = verdicts.loc[t]
        measurable = int(v["supported"] + v["contradicted"])
        titles.append(
            f"{charts.esc(t)}: {v['robust_verdict']} ({int(v['supported'])}/{measurable})"
        )
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        vertical_spacing=0.6 / rows,
        horizontal_spacing=0.08,
    )
    shown: set[str] = set()
    shapes = Spanning(fig)
    for i, t in enumerate(tests):
        row, col = i // cols + 1, i % cols + 1
        part = grid[grid["test"] == t].copy()
        part["y"] = [_y(r) for r in part.itertuples(index=False)]
        part = part.sort_values(["y", "verdict"], na_position="first").reset_index(drop=True)
        part["x"] = range(1, len(part) + 1)
        for outcome in OUTCOMES:
            g = part[(part["verdict"] == outcome) & part["y"].notna()]
            if g.empty:
                continue
            low = (g["y"] - g["effect_lower"]).where(~g["effect_lower"].isin([math.inf, -math.inf]))
            high = (g["effect_upper"] - g["y"]).where(
                ~g["effect_upper"].isin([math.inf, -math.inf])
            )
            fig.add_trace(
                go.Scatter(
                    x=g["x"],
                    y=g["y"],
                    mode="markers",
                    marker=dict(size=5, color=VERDICT_COLORS[outcome]),
                    error_y=dict(
                        type="data",
                        symmetric=False,
                        array=high.fillna(0).tolist(),
                        arrayminus=low.fillna(0).tolist(),
                        thickness=0.6,
                        width=0,
                        color=VERDICT_COLORS[outcome],
                    ),
                    name=outcome,
                    legendgroup=outcome,
                    showlegend=outcome not in shown,
                    hovertext=[_spec_hover(r) for r in g.itertuples(index=False)],
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            shown.add(outcome)
        chosen = part[part["chosen"] & part["y"].notna()]
        if not chosen.empty:
            fig.add_trace(
                go.Scatter(
                    x=chosen["x"],
                    y=chosen["y"],
                    mode="markers",
                    marker=dict(
                        size=13, symbol="diamond-open", color="#000000", line=dict(width=2)
                    ),
                    name="chosen windows",
                    legendgroup="chosen",
                    showlegend="chosen" not in shown,
                    hovertext=[_spec_hover(r) for r in chosen.itertuples(index=False)],
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            shown.add("chosen")
        shapes.add("hline", 0, line_color="#888888", line_width=1, **charts.panel(fig, row, col))
    shapes.flush()
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(title_text="deaths/yr", col=1)
    return charts.finish(
        fig,
        title="Specification curves: every specification of every claim test, sorted by effect",
        sources=[SEED_SOURCE, observed.source("ucdp_country_year"), observed.source("ucdp_brd")],
        note=[
            "Effect: comparison − baseline for a change, first − second set for 'exceeds', the "
            "comparison level for 'positive' and 'zero' (deaths a year). Whiskers: the range the "
            "data allow where a total is shared with other dyads. Panel title: robust verdict "
            "(supporting / measurable specifications).",
            f"Thresholds: {thresholds.describe()}.",
        ],
        height=220 * rows + 40,
        legend_right=True,
    )


def _spec_hover(r) -> str:
    extra = f" (without {int(r.left_out)})" if not pd.isna(r.left_out) else ""
    return (
        f"<b>{charts.esc(r.verdict)}</b>: {charts.wrap(r.evidence, 70)}<br>"
        f"indicator: {charts.esc(r.variant)} · estimate: {r.estimate}<br>"
        f"baseline {charts.esc(r.baseline_used)} · "
        f"comparison {charts.esc(r.comparison_used)}{extra}"
    )


def indicator_chart(obs, indicators, *, title: str | None = None) -> go.Figure:
    """One panel per indicator (:mod:`.definitions`): deaths per year as bars (UCDP best
    estimate, low–high as whiskers), a shaded range where a total shared with other dyads allows
    only bounds, × where a year is not measurable; the withdrawal and the 2021 split year marked.
    Each panel has its own scale."""
    from .indicators import indicator_series

    indicators = list(indicators)
    cols = min(3, len(indicators)) or 1
    rows = (len(indicators) + cols - 1) // cols
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[charts.esc(i.label) for i in indicators],
        horizontal_spacing=0.07,
        vertical_spacing=0.25 / max(rows, 1),
    )
    legend: set[str] = set()
    shapes = Spanning(fig)
    series = {ind: indicator_series(obs, ind, "best") for ind in indicators}
    years = sorted({int(y) for s in series.values() for y in s["year"]})
    for n, ind in enumerate(indicators):
        row, col = n // cols + 1, n % cols + 1
        best = series[ind]
        low = indicator_series(obs, ind, "low").set_index("year")["deaths"]
        high = indicator_series(obs, ind, "high").set_index("year")["deaths"]
        uncovered = [y for y in years if y not in set(best["year"])]
        if uncovered:
            fig.add_trace(
                go.Scatter(
                    x=uncovered,
                    y=[0] * len(uncovered),
                    mode="markers",
                    marker=dict(symbol="x-thin-open", size=11, color="#7f7f7f", line=dict(width=2)),
                    name="not measurable (not zero)",
                    legendgroup="missing",
                    showlegend="missing" not in legend,
                    hovertext=[
                        f"<b>{charts.esc(ind.label)} {y}</b>: not covered by this dataset"
                        for y in uncovered
                    ],
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            legend.add("missing")
        known = best[best["deaths"].notna()]
        plus, minus, _ = observed.error_arrays(
            known["deaths"], known["year"].map(low), known["year"].map(high)
        )
        fig.add_trace(
            go.Bar(
                x=known["year"],
                y=known["deaths"],
                marker_color="#2c7fb8",
                error_y=dict(type="data", symmetric=False, array=plus, arrayminus=minus, width=3),
                name="deaths (best; whisker: low–high)",
                legendgroup="deaths",
                showlegend="deaths" not in legend,
                hovertext=[
                    f"<b>{charts.esc(ind.label)} {r.year}</b>: {r.deaths:,.0f} deaths"
                    + (f"<br>{charts.wrap(r.status, 70)}" if r.status != "reported" else "")
                    for r in known.itertuples(index=False)
                ],
                hoverinfo="text",
            ),
            row=row,
            col=col,
        )
        legend.add("deaths")
        bounded = best[best["deaths"].isna() & best["upper"].map(math.isfinite)]
        if not bounded.empty:
            fig.add_trace(
                go.Bar(
                    x=bounded["year"],
                    y=bounded["upper"] - bounded["lower"],
                    base=bounded["lower"],
                    marker=dict(color="rgba(0,0,0,0)", line=dict(color="#7f7f7f", width=1.5)),
                    marker_pattern_shape="/",
                    name="not separable: the range the data allow",
                    legendgroup="range",
                    showlegend="range" not in legend,
                    hovertext=[
                        f"<b>{charts.esc(ind.label)} {r.year}</b>: not separable, between "
                        f"{r.lower:,.0f} and {r.upper:,.0f}<br>{charts.wrap(r.status, 70)}"
                        for r in bounded.itertuples(index=False)
                    ],
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            legend.add("range")
        gaps = best[best["deaths"].isna() & ~best["upper"].map(math.isfinite)]
        if not gaps.empty:
            fig.add_trace(
                go.Scatter(
                    x=gaps["year"],
                    y=[0] * len(gaps),
                    mode="markers",
                    marker=dict(symbol="x-thin-open", size=11, color="#7f7f7f", line=dict(width=2)),
                    name="not measurable (not zero)",
                    legendgroup="missing",
                    showlegend="missing" not in legend,
                    hovertext=[
                        f"<b>{charts.esc(ind.label)} {r.year}</b>: {charts.esc(r.status)}"
                        for r in gaps.itertuples(index=False)
                    ],
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            legend.add("missing")
        charts.panel_marks(shapes, fig, row, col)
    shapes.flush()
    if years:
        fig.update_xaxes(range=[min(years) - 0.6, max(years) + 0.6], dtick=2)
    fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(title_text="deaths per year", col=1)
    return charts.finish(
        fig,
        title=title or "The indicators, year by year",
        sources=[observed.source("ucdp_country_year"), observed.source("ucdp_brd")],
        note=[
            " · ".join(i.describe() for i in indicators),
            f"Dashed line: {charts.WITHDRAWAL_LABEL}. {charts.SPLIT_NOTE}",
        ],
        height=260 * rows + 40,
    )
