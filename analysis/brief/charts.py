"""The brief's four key charts, drawn by the funding, risk and observed chart functions, and a
placeholder when nothing is observable yet.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import charts, funding, observed, risk
from ..tables import load_funding, load_sources
from .frames import COMPARISON, DataDir, Windows


def not_yet_observable(as_of: str) -> go.Figure:
    """A figure that says the post-withdrawal comparison needs a full year after 2021."""
    fig = go.Figure()
    fig.add_annotation(
        text=charts.esc(
            f"As of {as_of} no full year after the withdrawal is covered: the observed comparison "
            f"starts with {COMPARISON[0]}."
        ),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return charts.finish(fig, title="Claims against outcomes", sources=["UCDP"], height=200)


def claims_figure(
    table: pd.DataFrame | None, as_of: str, thresholds: risk.Thresholds | None = None
) -> go.Figure:
    """The risk report's robust-verdict chart (counts per claim test, the chosen-window verdict
    beside them) for a table of :func:`~.frames.robust`; a chosen-window table alone gives the
    risk report's claims chart; None a 'not yet observable' panel."""
    if table is None:
        return not_yet_observable(as_of)
    if "robust_verdict" in table.columns:
        return risk.robust_chart(table, thresholds or risk.Thresholds())
    return risk.claims_chart(table)


def observed_change_figure(obs: risk.Observed, win: Windows, as_of: str) -> go.Figure:
    """The risk report's window-change chart for the brief's windows, with UCDP's low–high
    ranges."""
    if win.comparison is None:
        return not_yet_observable(as_of)
    ranges = observed.country_year_ranges(
        {e: obs.cells_for(e) for e in ("best", "low", "high")}, obs.violence_types
    )
    changes = observed.compare_window_ranges(ranges, list(win.baseline), list(win.comparison))
    return observed.window_change_chart(changes, list(win.baseline), list(win.comparison))


def reserves_figure(as_of: str, unit: str = "bn", data_dir: DataDir = None) -> go.Figure:
    """The funding report's reserve-composition chart."""
    rows = load_funding(data_dir)
    composition = funding.reserve_composition(rows, as_of=as_of, unit=unit)
    order = funding.executive_order(rows, as_of=as_of, unit=unit)
    return funding.chart_reserve_composition(
        composition, order, unit=unit, sources=load_sources(data_dir), as_of=as_of
    )


def shift_figure(data_dir: DataDir = None) -> go.Figure:
    """The risk report's seed-assessed shift chart, at the report's default weights."""
    weights = risk.Weights()
    _, contributions, exposure = risk.assess_exposure(weights, data_dir=data_dir)
    return risk.shift_chart(exposure, contributions, weights)
