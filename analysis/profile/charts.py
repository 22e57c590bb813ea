"""The country profile's own chart: which militant group's threat reaches the country, before
and after the withdrawal, as the seed article words it. The observed charts are
:mod:`analysis.observed`'s, drawn for the one country."""

from __future__ import annotations

import plotly.graph_objects as go

from .. import charts
from ..risk.assessment import PERIODS
from ..risk.charts import PERIOD_COLORS, PERIOD_NAMES, SEED_SOURCE
from .frames import Profile


def threats_chart(profile: Profile) -> go.Figure:
    """Horizontal bars per militant group: its statements' contribution to the country's
    exposure before and after 31 August 2021; the hover quotes each statement's wording. A
    country no statement reaches gets a figure saying so (no bars: not a zero)."""
    data = profile.contributions
    fig = go.Figure()
    groups = sorted(set(data["subject"]))
    for period in PERIODS:
        part = data[data["period"] == period]
        values, hovers = [], []
        for group in groups:
            rows = part[part["subject"] == group]
            values.append(float(rows["contribution"].sum()) if not rows.empty else None)
            hovers.append(
                f"<b>{charts.esc(group)}</b>, {PERIOD_NAMES[period]}: "
                + (
                    "<br>".join(
                        f"{charts.esc(r.relation_id)} {charts.esc(r.relation)}: "
                        f"“{charts.esc(r.wording)}”"
                        + (f" (via {charts.esc(r.via)})" if r.via else "")
                        + f" · {r.contribution:.2f}"
                        for r in rows.itertuples(index=False)
                    )
                    or "no statement"
                )
            )
        fig.add_trace(
            go.Bar(
                y=[charts.esc(g) for g in groups],
                x=values,
                orientation="h",
                name=PERIOD_NAMES[period],
                marker_color=PERIOD_COLORS[period],
                hovertext=hovers,
                hoverinfo="text",
            )
        )
    if not groups:
        fig.add_annotation(
            text=f"No threat statement of the article reaches {charts.esc(profile.label)}",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font=dict(size=14, color="#555555"),
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    fig.update_layout(barmode="group")
    return charts.finish(
        fig,
        title=f"{profile.label}: whose threat the seed article sees, before and after",
        sources=[SEED_SOURCE],
        x_title="contribution to the exposure score (weighted statements; no unit)",
        note=f"Weights: {profile.weights.describe()}. A statement about a group of states "
        "reaches each member with its share.",
        height=120 + 44 * max(len(groups), 2),
    )
