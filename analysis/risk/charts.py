"""Charts of the seed's assessment and the chosen-window verdicts: exposure, shift, sensitivity
of the ranking, and claims against outcomes (the specification grid's charts are in
:mod:`.spec_charts`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from .. import charts, observed
from .assessment import PERIODS, Weights
from .definitions import VERDICTS

SEED_SOURCE = "Asia Times, 'US-Taliban anti-terror cooperation: not so fast', September 2021"


VERDICT_COLORS = {
    "supported": "#2166ac",
    "contradicted": "#b2182b",
    "not measurable": charts.MISSING_COLOR,
}


PERIOD_COLORS = {"before": "#7f7f7f", "after": "#c0392b"}


PERIOD_NAMES = {"before": "before 31 Aug 2021", "after": "after 31 Aug 2021"}


def collapse_groups(table: pd.DataFrame, numeric: Sequence[str]) -> pd.DataFrame:
    """The nine Western European rows as one ``WEU`` row when their values are equal."""
    members = list(observed.WESTERN_EUROPE)
    part = table[table["iso3"].isin(members)]
    if part.empty or len(part.drop_duplicates(list(numeric))) != 1:
        return table
    row = part.iloc[[0]].copy()
    row["iso3"] = observed.WEU
    row["country"] = f"{observed.label(observed.WEU)} (each of {len(part)})"
    return pd.concat([table[~table["iso3"].isin(members)], row], ignore_index=True)


def _edges_hover(contributions: pd.DataFrame, iso3: str, period: str, limit: int = 8) -> str:
    if iso3 == observed.WEU:
        iso3 = observed.WESTERN_EUROPE[0]  # members are equal; show one member's edges
    part = contributions[(contributions["iso3"] == iso3) & (contributions["period"] == period)]
    if "counted" in part:  # the counted statements first: what makes the bar
        part = part.sort_values("counted", ascending=False, kind="stable")
    lines = [
        f"{charts.esc(r.relation_id)} {charts.esc(r.subject)} {charts.esc(r.relation)}: "
        f"“{charts.esc(r.wording)}”{_how(r)} · {charts.esc(r.formula)}"
        for r in part.head(limit).itertuples(index=False)
    ]
    if len(part) > limit:
        lines.append(f"… and {len(part) - limit} more")
    return "<br>".join(lines) or "no threat edge"


def _how(row) -> str:
    """ " (expected, said by Dominic Raab)": how and by whom a statement is made, when known."""
    stance = getattr(row, "stance", None)
    voice = getattr(row, "voice_name", None)
    if not isinstance(stance, str):
        return ""
    return f" ({charts.esc(stance)}, said by {charts.esc(voice)})"


def exposure_chart(
    table: pd.DataFrame, contributions: pd.DataFrame, weights: Weights = Weights()
) -> go.Figure:
    """Grouped horizontal bars: each state's exposure before and after 31 August 2021; hover
    lists the threat edges (relation id, quoted wording, arithmetic)."""
    data = collapse_groups(table, ["before", "after"]).sort_values(["after", "before"])
    fig = go.Figure()
    for period in PERIODS:
        hover = [
            f"<b>{charts.esc(r.country)}</b>, {PERIOD_NAMES[period]}: "
            f"{getattr(r, period):.2f}<br>{_edges_hover(contributions, r.iso3, period)}"
            for r in data.itertuples(index=False)
        ]
        fig.add_trace(
            go.Bar(
                y=[charts.esc(c) for c in data["country"]],
                x=data[period],
                orientation="h",
                name=PERIOD_NAMES[period],
                marker_color=PERIOD_COLORS[period],
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="group")
    return charts.finish(
        fig,
        title="Exposure to militant threats as the seed article assesses it",
        sources=[SEED_SOURCE],
        x_title="exposure score (weighted threat statements; no unit)",
        note=f"Weights: {weights.describe()}. Strength read from each statement's wording by "
        "strength_terms.csv. Denials, repeats and anonymous sources never count.",
        height=120 + 40 * len(data),
    )


def shift_chart(
    table: pd.DataFrame, contributions: pd.DataFrame, weights: Weights = Weights()
) -> go.Figure:
    """Horizontal bars of the shift (after − before) per state: red more exposed after the
    withdrawal, blue less."""
    data = collapse_groups(table, ["before", "after", "shift"]).sort_values("shift")
    hover = [
        f"<b>{charts.esc(r.country)}</b>: shift {r.shift:+.2f} "
        f"({r.before:.2f} → {r.after:.2f})<br><i>after</i>:<br>"
        f"{_edges_hover(contributions, r.iso3, 'after', 5)}<br><i>before</i>:<br>"
        f"{_edges_hover(contributions, r.iso3, 'before', 5)}"
        for r in data.itertuples(index=False)
    ]
    fig = go.Figure(
        go.Bar(
            y=[charts.esc(c) for c in data["country"]],
            x=data["shift"],
            orientation="h",
            marker_color=["#c0392b" if v > 0 else "#2c7fb8" for v in data["shift"]],
            text=[f"{v:+.2f}" for v in data["shift"]],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    return charts.finish(
        fig,
        title="The shift: exposure after minus before 31 August 2021",
        sources=[SEED_SOURCE],
        x_title="change in exposure score (after − before; no unit)",
        note=f"Weights: {weights.describe()}. Denials, repeats and anonymous sources never count.",
        height=120 + 34 * len(data),
    )


def sensitivity_chart(sens: pd.DataFrame, rank_by: str = "shift") -> go.Figure:
    """Each state's range of ranks across the weight grid (line), its rank at the chosen weights
    (dot) and how often it ranks first (label)."""
    data = collapse_groups(
        sens, ["rank_at_weights", "best_rank", "worst_rank", "median_rank", "share_first"]
    ).sort_values(["rank_at_weights", "best_rank"], ascending=False)
    fig = go.Figure()
    for r in data.itertuples(index=False):
        fig.add_trace(
            go.Scatter(
                x=[r.best_rank, r.worst_rank],
                y=[charts.esc(r.country)] * 2,
                mode="lines",
                line=dict(color="#bbbbbb", width=8),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    hover = [
        f"<b>{charts.esc(r.country)}</b><br>rank at the chosen weights: {r.rank_at_weights}"
        f"<br>range over {r.runs} weightings: {r.best_rank}–{r.worst_rank} "
        f"(median {r.median_rank:g})<br>ranked first in {r.share_first:.0%}"
        for r in data.itertuples(index=False)
    ]
    fig.add_trace(
        go.Scatter(
            x=data["rank_at_weights"],
            y=[charts.esc(c) for c in data["country"]],
            mode="markers+text",
            marker=dict(size=12, color="#c0392b"),
            text=[f"first in {v:.0%}" if v > 0 else "" for v in data["share_first"]],
            textposition="top center",
            name="rank at the chosen weights",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    worst = int(data["worst_rank"].max()) if len(data) else 1
    fig.update_xaxes(range=[worst + 0.5, 0.5], dtick=1)
    what = "shift (after − before)" if rank_by == "shift" else "exposure after 31 Aug 2021"
    runs = int(data["runs"].iloc[0]) if len(data) else 0
    return charts.finish(
        fig,
        title=f"How robust is the ranking? Rank by {what} across {runs} weightings",
        sources=[SEED_SOURCE],
        x_title="rank (1 = most exposed)",
        note="Grey: best to worst rank when each weight is halved, kept or doubled (weak ≤ "
        "moderate ≤ strong) and groups are split or counted in full.",
        height=120 + 36 * len(data),
    )


def claims_chart(table: pd.DataFrame) -> go.Figure:
    """One row per claim test, placed in its chosen-window verdict's column, the part of the
    claim tested as its label and its caveat written beside the evidence; hover gives the claim,
    its quote, the parts left untested, the indicator and the rule. (The robust verdicts across
    specifications: :func:`~analysis.risk.spec_charts.robust_chart`.)"""
    data = table.iloc[::-1]
    labels = [f"{r.claim_id} · {charts.esc(r.target)}" for r in data.itertuples(index=False)]
    fig = go.Figure()
    for verdict in VERDICTS:
        mask = (data["verdict"] == verdict).to_numpy()
        part = data[mask]
        hover = [
            f"<b>{charts.esc(r.claim_id)} — {verdict}</b> (chosen windows)<br>"
            f"tested: {charts.wrap(r.target, 70)}<br>"
            f"untested: {charts.wrap(getattr(r, 'untested', '') or 'nothing named', 70)}<br>"
            f"{charts.wrap(r.claim, 70)}<br>"
            f"<i>“{charts.wrap(r.quote, 70)}”</i><br>indicator: {charts.wrap(r.indicator, 70)}"
            f"<br>rule: {charts.wrap(r.rule, 70)}<br>{charts.wrap(r.evidence, 70)}"
            f"<br><i>caveat:</i> {charts.wrap(r.caveat, 70)}"
            for r in part.itertuples(index=False)
        ]
        fig.add_trace(
            go.Scatter(
                x=[verdict] * len(part),
                y=[lab for lab, m in zip(labels, mask, strict=True) if m],
                mode="markers+text",
                marker=dict(size=16, symbol="square", color=VERDICT_COLORS[verdict]),
                text=[
                    charts.esc(_clip(f"caveat: {c}" if c else e, 60))
                    for e, c in zip(part["evidence"], part["caveat"], strict=True)
                ],
                textposition="middle right",
                textfont=dict(size=10),
                name=verdict,
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=list(VERDICTS), range=[-0.3, 3.2])
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return charts.finish(
        fig,
        title="The article's risk claims against what UCDP observed, on the chosen windows",
        sources=[SEED_SOURCE, observed.source("ucdp_country_year"), observed.source("ucdp_brd")],
        x_title="verdict by the stated rule, on the chosen windows alone",
        note="Each label is the part of the claim tested; the caveat is written beside it. Hover "
        "for the quote, the parts untested, the indicator, the rule and the numbers. "
        + observed.IS_CAVEAT,
        height=140 + 34 * len(data),
        quotes=table,
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
