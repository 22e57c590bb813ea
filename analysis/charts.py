"""Shared chart conventions: every figure gets a title, axis units, a source line and safe hovers.

Report modules (:mod:`analysis.funding`, :mod:`analysis.risk`, :mod:`analysis.network`) build their
figures with plotly and pass them through :func:`finish`. Text that comes from data (quotes, actor
names) goes through :func:`esc` before it reaches a title, label or hover, so markup in a data file
is shown as text, never interpreted.
"""

from __future__ import annotations

import hashlib
import html
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

WITHDRAWAL = pd.Timestamp("2021-08-31")  # last US troops out of Afghanistan
TAKEOVER = pd.Timestamp(
    "2021-08-15"
)  # Taliban enter Kabul; UCDP's "Government of Afghanistan" after
WITHDRAWAL_LABEL = "US withdrawal complete, 31 Aug 2021"
MISSING_COLOR = "#bdbdbd"
FOOTER_OFFSET = 64  # px from the plot area to the footer: room for tick labels and axis title
LINE_HEIGHT = 17  # px per footer line at font size 11
FOOTER_CHARS = 110  # characters per footer line (11 px font, a figure ~900 px wide)
TEMPLATE = "plotly_white"
FONT = dict(family="Helvetica, Arial, sans-serif", size=13)

# one colour per actor kind / country used across reports, so a reader learns them once
KIND_COLORS = {
    "militant_group": "#c0392b",
    "state": "#2c7fb8",
    "state_group": "#7fcdbb",
    "international_org": "#8856a7",
    "central_bank": "#d95f0e",
    "government": "#41b6c4",
    "person": "#636363",
}
COUNTRY_COLORS = {
    "AFG": "#000000",
    "PAK": "#1b9e77",
    "IRN": "#d95f02",
    "CHN": "#e7298a",
    "RUS": "#7570b3",
    "TJK": "#66a61e",
    "UZB": "#e6ab02",
    "TKM": "#a6761d",
    "KGZ": "#1f78b4",
    "KAZ": "#b2df8a",
    "IND": "#fb9a99",
    "USA": "#2c3e50",
    "WLD": "#999999",
    "SAS": "#cab2d6",
}


def esc(text: object) -> str:
    """Escape data text for plotly labels and hovers (``<script>`` is shown, never run).

    >>> esc('<script>alert(1)</script> & co')
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=False)


def wrap(text: object, width: int = 60) -> str:
    """Escape and wrap text for a hover box (lines joined by ``<br>``)."""
    return "<br>".join(textwrap.wrap(esc(text), width)) or ""


def source_line(sources: Iterable[str]) -> str:
    """``Source: a; b`` from citations (escaped, de-duplicated, order kept)."""
    seen = list(dict.fromkeys(s for s in sources if s))
    return "Source: " + "; ".join(esc(s) for s in seen)


def finish(
    fig: go.Figure,
    *,
    title: str,
    sources: Iterable[str],
    y_title: str | None = None,
    x_title: str | None = None,
    note: str | Sequence[str] | None = None,
    height: int = 460,
    legend_on_top: bool = True,
    legend_right: bool = False,
) -> go.Figure:
    """Give a figure the package's look: title, axis titles (with units), and a footer under the
    plot holding an optional note (caveats, exclusions) and the source line.

    The footer is wrapped to :data:`FOOTER_CHARS` a line and the bottom margin holds all of it;
    ``height`` is the plot's own height, the figure grows by what the footer and legend need. With
    ``legend_on_top`` the legend sits above the plot, clear of labels drawn at its top edge
    (the withdrawal marker, subplot titles); with ``legend_right`` it stands right of the plot, a
    column for small multiples whose panel titles a legend on top would cover. A ``note`` given
    as a list keeps each item on its own line.
    """
    notes = [note] if isinstance(note, str) else list(note or [])
    raw_lines = [esc(n) for n in notes if n] + [source_line(sources)]
    lines = [
        piece
        for line in "<br>".join(raw_lines).split("<br>")
        for piece in (textwrap.wrap(line, FOOTER_CHARS, break_on_hyphens=False) or [""])
    ]
    top = 110 if legend_on_top else 70
    bottom = FOOTER_OFFSET + LINE_HEIGHT * len(lines) + 10
    total = height + top + bottom
    fig.update_layout(
        title=dict(text=esc(title), x=0.01, xanchor="left", y=1 - 12 / total, yanchor="top"),
        template=TEMPLATE,
        font=FONT,
        height=total,
        margin=dict(l=70, r=30, t=top, b=bottom),
        hoverlabel=dict(align="left"),
        legend=dict(
            orientation="h",
            xanchor="left",
            x=0,
            yanchor="bottom",
            y=1 + (24 / height if legend_on_top else 0),
        ),
    )
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-FOOTER_OFFSET,
        showarrow=False,
        align="left",
        xanchor="left",
        yanchor="top",
        font=dict(size=11, color="#555555"),
        name="source-line",
    )
    if legend_right:
        fig.update_layout(
            legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"),
            margin=dict(r=230),
        )
    if y_title is not None:
        fig.update_yaxes(title_text=esc(y_title))
    if x_title is not None:
        fig.update_xaxes(title_text=esc(x_title))
    return fig


SPLIT_YEAR = 2021
SPLIT_COLOR = "#f0f0f0"
SPLIT_LABEL = "2021: split year (before and after)"
SPLIT_NOTE = (
    "Shaded: 2021, the split year. Yearly data cannot split it at the withdrawal: its value holds "
    "months before and after 31 Aug 2021."
)


def mark_split_year(fig: go.Figure, *, label: bool = True, row=None, col=None) -> go.Figure:
    """Shade 2021 on a yearly axis: a yearly value of 2021 is neither before nor after the
    withdrawal (UCDP and the World Bank count whole years)."""
    kwargs = {} if row is None else dict(row=row, col=col)
    fig.add_vrect(
        x0=SPLIT_YEAR - 0.5,
        x1=SPLIT_YEAR + 0.5,
        fillcolor=SPLIT_COLOR,
        opacity=1,
        layer="below",
        line_width=0,
        name="split-year",
        **kwargs,
    )
    if label:
        place = dict(yref="paper") if row is None else dict(row=row, col=col, yref="y domain")
        fig.add_annotation(
            x=SPLIT_YEAR,
            y=0,
            text=SPLIT_LABEL,
            showarrow=False,
            yanchor="bottom",
            textangle=-90,
            xshift=-8,
            font=dict(size=9, color="#777777"),
            **place,
        )
    return fig


def mark_withdrawal(fig: go.Figure, *, yearly: bool = False, row=None, col=None) -> go.Figure:
    """A dashed vertical line at the end of the US withdrawal. On a yearly axis it sits at
    2021.67 (end of August), between the 2021 and 2022 points, and 2021 is shaded as the split
    year (:func:`mark_split_year`)."""
    x = 2021 + 242 / 365 if yearly else WITHDRAWAL
    kwargs = {} if row is None else dict(row=row, col=col)
    fig.add_vline(x=x, line_dash="dash", line_color="#444444", line_width=1, **kwargs)
    fig.add_annotation(
        x=x,
        y=1,
        yref="paper",
        text=WITHDRAWAL_LABEL,
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font=dict(size=10, color="#444444"),
    )
    if yearly:
        mark_split_year(fig, row=row, col=col)
    return fig


def citation(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """A short citation for a source id from the sources table (publisher, title, licence)."""
    if sources is None:
        from .tables import load_sources

        sources = load_sources()
    row = sources.loc[sources["source_id"] == source_id]
    if row.empty:
        raise KeyError(f"unknown source '{source_id}'")
    r = row.iloc[0]
    return f"{r['publisher']}, {r['title']} ({r['licence']})"


def table_view(frame: pd.DataFrame, wide: Sequence[str] = ("quote", "claim", "evidence")):
    """``frame`` for display in a report: every cell in full (pandas cuts text at 50 characters,
    and a quote is the point of the table), HTML-escaped, without the index; ``wide`` columns
    wrap. Element ids derive from the content, so a re-run renders the same HTML."""
    digest = hashlib.sha1(frame.to_csv().encode("utf-8")).hexdigest()[:10]
    return (
        frame.style.set_uuid(f"tbl-{digest}")
        .hide(axis="index")
        .format(escape="html", na_rep="")
        .set_properties(
            subset=[c for c in wide if c in frame.columns],
            **{"white-space": "normal", "min-width": "24em", "text-align": "left"},
        )
    )
