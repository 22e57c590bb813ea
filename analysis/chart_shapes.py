"""Axis-spanning shapes (``add_vline``, ``add_vrect``, ``add_hline``) added to many panels at once.

Plotly adds each such shape by re-assigning the figure's whole tuple of shapes, and its whole
tuple of annotations (a grid's panel titles among them), validating every one again: a chart of
twelve panels with a line and a band in each spent most of its time there. :class:`Spanning`
builds each shape as plotly does (the same ``Shape`` arguments, the panel's axes as ``xref`` /
``yref``, `` domain`` on the spanning axis) and adds them all in one assignment; the figure is
the same (``tests/test_chart_shapes.py`` compares it with plotly's own calls). A shape plotly
could decide to leave out (a whole figure, or a panel without a trace: plotly's empty-panel
check) is added by plotly's own method, in its turn.

Imports plotly only: the report layer's chart modules use it.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

# the shape plotly's add_<kind> starts from, and the axis it spans (made "<axis> domain")
_KINDS = {
    "vline": (lambda x: dict(type="line", x0=x, x1=x, y0=0, y1=1), "yref"),
    "hline": (lambda y: dict(type="line", x0=0, x1=1, y0=y, y1=y), "xref"),
    "vrect": (lambda x: dict(type="rect", x0=x[0], x1=x[1], y0=0, y1=1), "yref"),
    "hrect": (lambda y: dict(type="rect", x0=0, x1=1, y0=y[0], y1=y[1]), "xref"),
}


class Spanning:
    """Collect axis-spanning shapes for ``fig``; :meth:`flush` (or leaving a ``with`` block)
    adds them. ``add(kind, at, **kwargs)``: ``kind`` one of vline, hline (``at`` a value),
    vrect, hrect (``at`` a pair); ``kwargs`` as plotly's ``add_<kind>`` takes them, with
    :func:`analysis.charts.panel`'s ``row``, ``col`` and ``exclude_empty_subplots``."""

    def __init__(self, fig: go.Figure):
        self.fig = fig
        self._pending: list[go.layout.Shape] = []

    def __enter__(self) -> Spanning:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.flush()

    def add(self, kind: str, at: Any, **kwargs: Any) -> None:
        start, spans = _KINDS[kind]
        row, col = kwargs.get("row"), kwargs.get("col")
        if (
            row is None
            or col is None
            or kwargs.get("exclude_empty_subplots", True)
            or any(k.startswith("annotation") or k in ("xref", "yref") for k in kwargs)
        ):  # plotly decides: keep the order of shapes
            self.flush()
            args = (at,) if kind.endswith("line") else tuple(at)
            getattr(self.fig, f"add_{kind}")(*args, **kwargs)
            return
        placing = ("row", "col", "exclude_empty_subplots")
        given = {k: v for k, v in kwargs.items() if k not in placing}
        shape = go.layout.Shape(**{**start(at), **given})
        sub = self.fig.get_subplot(row, col)
        shape.update(
            xref=sub.xaxis.plotly_name.replace("axis", ""),
            yref=sub.yaxis.plotly_name.replace("axis", ""),
        )
        shape[spans] += " domain"
        self._pending.append(shape)

    def flush(self) -> None:
        if self._pending:
            self.fig.layout.shapes = self.fig.layout.shapes + tuple(self._pending)
            self._pending = []
