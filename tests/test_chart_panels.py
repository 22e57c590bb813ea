"""Lines and shades placed in one panel of a multi-panel chart (``charts.panel``) come out as
plotly places them with its own empty-panel check, which scans the whole figure per shape:
the same figure, byte for byte, for panels with traces, without, and with only other objects."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from analysis import charts, observed, risk, tables


def _plotlys_own(fig, row, col):
    return {} if row is None else dict(row=row, col=col)


def _grid() -> go.Figure:
    fig = make_subplots(rows=3, cols=2)
    fig.add_trace(go.Scatter(x=[2019, 2023], y=[1, 2]), row=1, col=1)
    fig.add_trace(go.Bar(x=[2020, 2022], y=[3, 4]), row=2, col=2)
    # (1, 2) stays empty; (3, 1) holds no trace, only an annotation and a shape of its own
    fig.add_annotation(x=2020, y=1, xref="x5", yref="y5", text="only text here")
    fig.add_shape(type="line", x0=2019, x1=2020, y0=0, y1=1, xref="x5", yref="y5")
    return fig


def _draw(fig: go.Figure, row: int, col: int) -> None:
    charts.mark_withdrawal(fig, yearly=True, row=row, col=col)
    charts.mark_split_year(fig, label=False, row=row, col=col)
    fig.add_hline(y=0, line_width=1, **charts.panel(fig, row, col))


PANELS = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]


def test_every_kind_of_panel_gets_what_plotly_gives_it(monkeypatch):
    ours = _grid()
    for row, col in PANELS:
        _draw(ours, row, col)
    monkeypatch.setattr(charts, "panel", _plotlys_own)
    theirs = _grid()
    for row, col in PANELS:
        _draw(theirs, row, col)
    assert ours.to_json() == theirs.to_json()
    # the check still works: the empty panels got nothing, the others their lines
    refs = {(s.xref, s.yref) for s in ours.layout.shapes}
    assert ("x", "y domain") in refs and ("x4", "y4 domain") in refs
    assert ("x2", "y2 domain") not in refs and ("x3", "y3 domain") not in refs
    assert ("x5", "y5 domain") in refs  # its annotation makes it a panel for plotly


def test_a_figure_without_panels_takes_the_whole_figure():
    assert charts.panel(go.Figure(), None, None) == {}
    assert charts.panel(go.Figure(go.Bar(y=[1])), 1, 1) == dict(row=1, col=1)


@pytest.fixture(scope="module")
def obs():
    return risk.load_observed()


def _both(monkeypatch, build) -> tuple[str, str]:
    ours = build().to_json()
    with monkeypatch.context() as m:
        m.setattr(charts, "panel", _plotlys_own)
        theirs = build().to_json()
    return ours, theirs


def test_report_charts_of_many_panels_are_unchanged(obs, monkeypatch):
    claims = tables.load_claims()
    grid = risk.specification_grid(obs, claims, [2018, 2020], [2022, 2024])
    robust = risk.robust_verdicts(grid, claims)
    by_type = observed.deaths_by_type(obs.cells)
    tests = [t for t in risk.CLAIM_TESTS if t.indicator is not None][:4]
    builds = [
        lambda: risk.specification_curves(grid, robust),
        lambda: observed.deaths_chart(by_type),
        lambda: risk.indicator_chart(obs, [t.indicator for t in tests]),
    ]
    for build in builds:
        ours, theirs = _both(monkeypatch, build)
        assert ours == theirs
        assert '"y domain"' in ours or 'domain"' in ours
