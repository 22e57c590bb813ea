"""Shared chart conventions: every figure gets a title, axis units, a source line and safe hovers.

Report modules (:mod:`analysis.funding`, :mod:`analysis.risk`, :mod:`analysis.network`) build their
figures with plotly and pass them through :func:`finish`. Text that comes from data (quotes, actor
names) goes through :func:`esc` before it reaches a title, label or hover, so markup in a data file
is shown as text, never interpreted.

:func:`finish` also describes the figure for the renderer's per-chart panel, in
``fig.layout.meta["afghan_brief"]`` (:data:`META_KEY`): title, units, each source resolved
against the sources table (dataset, version, licence, citation), the note, the quotes of seed
rows the chart shows, and which traces only mark a missing value (drawn with
:data:`MISSING_SYMBOL` at a placeholder position, so their position is not a value).
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

WITHDRAWAL = pd.Timestamp("2021-08-31")  # last US troops out of Afghanistan
TAKEOVER = pd.Timestamp(
    "2021-08-15"
)  # Taliban enter Kabul; UCDP's "Government of Afghanistan" after
WITHDRAWAL_LABEL = "US withdrawal complete, 31 Aug 2021"
MISSING_COLOR = "#bdbdbd"
# a marker drawn with this symbol stands for a missing value: where it sits on the value axis
# (0, the axis floor) is a placeholder, never a value (the renderer leaves it empty in the CSV)
MISSING_SYMBOL = "x-thin-open"
META_KEY = "afghan_brief"  # fig.layout.meta[META_KEY]: the figure described for the renderer
FOOTER_OFFSET = 64  # px from the plot area to the footer: room for tick labels and axis title
LINE_HEIGHT = 17  # px per footer line at font size 11
FOOTER_CHARS = 110  # characters per footer line (11 px font, a figure ~900 px wide)
TEMPLATE = "plotly_white"
FONT = dict(family="Helvetica, Arial, sans-serif", size=13)

# one colour per actor kind / country used across reports, so a reader learns them once
KIND_COLORS = {
    "militant_group": "#bf3a2a",
    "state": "#0880cd",
    "state_group": "#8fbeb0",
    "international_org": "#7f5197",
    "central_bank": "#db5f06",
    "government": "#3eb5c3",
    "person": "#646462",
}
COUNTRY_COLORS = {
    "AFG": "#000000",
    "PAK": "#089970",
    "IRN": "#b73207",
    "CHN": "#db2e97",
    "RUS": "#7977bd",
    "TJK": "#6fa351",
    "UZB": "#daa802",
    "TKM": "#ae7b00",
    "KGZ": "#2164df",
    "KAZ": "#b2df8a",
    "IND": "#bb9798",
    "USA": "#284051",
    "WLD": "#686974",
    "SAS": "#bfadcc",
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
    quotes: Iterable | None = None,
    summary: str | None = None,
) -> go.Figure:
    """Give a figure the package's look: title, axis titles (with units), and a footer under the
    plot holding an optional note (caveats, exclusions) and the source line.

    The footer is wrapped to :data:`FOOTER_CHARS` a line and the bottom margin holds all of it;
    ``height`` is the plot's own height, the figure grows by what the footer and legend need. With
    ``legend_on_top`` the legend sits above the plot, clear of labels drawn at its top edge
    (the withdrawal marker, subplot titles); with ``legend_right`` it stands right of the plot, a
    column for small multiples whose panel titles a legend on top would cover. A ``note`` given
    as a list keeps each item on its own line.

    The figure is also described in ``fig.layout.meta[META_KEY]`` for the renderer's panel
    (see :func:`figure_meta`): ``quotes`` are the seed rows the chart shows, as
    ``(source_id, quote)`` pairs or a frame with those columns; ``summary`` says in words what
    the chart shows, ahead of the values the renderer reads from its data.
    """
    sources = [s for s in sources if s]
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
    use_template(fig)
    fig.update_layout(
        title=dict(text=esc(title), x=0.01, xanchor="left", y=1 - 12 / total, yanchor="top"),
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
    meta = figure_meta(
        title=title,
        sources=sources,
        units={"x": x_title, "y": y_title},
        note=[n for n in notes if n],
        quotes=quotes,
        summary=summary,
    )
    fig.update_layout(meta={**_own_meta(fig), META_KEY: meta})
    _mark_placeholders(fig)
    return fig


# template name -> (the registered template, its JSON, the JSON plotly validated it to)
_TEMPLATES: dict[str, tuple] = {}


def use_template(fig: go.Figure, name: str = TEMPLATE) -> None:
    """``fig.update_layout(template=name)``, with plotly's validation of the template (some
    15 ms a figure) done once per process: later figures get the JSON it gave, unvalidated as
    plotly sets a new figure's default template. A registered template that changed (another
    object, or edited in place) is validated again. The figure is the same."""
    import plotly.io as pio

    source = pio.templates[name]
    kept = _TEMPLATES.get(name)
    if kept is None or kept[0] is not source or kept[1] != source.to_plotly_json():
        fig.update_layout(template=name)
        _TEMPLATES[name] = (source, source.to_plotly_json(), fig.layout.template.to_plotly_json())
        return
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = kept[2]
    finally:
        layout._validate = fig._validate


def _own_meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def figure_meta(
    *,
    title: str,
    sources: Iterable[str],
    units: dict | None = None,
    note: Sequence[str] = (),
    quotes: Iterable | None = None,
    summary: str | None = None,
) -> dict:
    """A figure described for the renderer (plain text, unescaped: the renderer escapes it).

    >>> meta = figure_meta(title="t", sources=["the seed article", "a blog"])
    >>> [s.get("source_id") for s in meta["sources"]], meta["sources"][1]
    (['asiatimes-2021-09', None], {'text': 'a blog'})
    """
    return {
        "title": str(title),
        "units": {k: v for k, v in (units or {}).items() if v},
        "sources": [source_record(s) for s in dict.fromkeys(sources)],
        "note": [str(n) for n in note],
        "quotes": _quote_pairs(quotes),
        "summary": summary or "",
    }


def _quote_pairs(quotes) -> list[list[str]]:
    """``(source_id, quote)`` pairs, each once, order kept, from pairs or frames with a
    ``quote`` (and ``source_id``) column, or a list of those; rows without a quote dropped."""
    if quotes is None:
        return []
    if isinstance(quotes, pd.DataFrame):
        ids = quotes["source_id"] if "source_id" in quotes else [""] * len(quotes)
        quotes = list(zip(ids, quotes["quote"], strict=True))
    pairs: list[list[str]] = []
    for item in quotes:
        if item is None:
            continue
        found = _quote_pairs(item) if isinstance(item, pd.DataFrame) else [item]
        for source_id, quote in found:
            if isinstance(quote, str) and quote.strip():
                pair = ["" if pd.isna(source_id) else str(source_id), quote.strip()]
                if pair not in pairs:
                    pairs.append(pair)
    return pairs


# a source line names "the seed article" when it has no citation at hand
_SEED_ARTICLE = ("the seed article", "seed article")
_WORD = re.compile(r"v\d+(?:\.\d+)+|\w+")
_VERSION = re.compile(r"\bv(\d+(?:\.\d+)+)\b")


@lru_cache(maxsize=4)
def _sources_table(data_dir: str | None) -> pd.DataFrame | None:
    from .tables import load_sources

    try:
        return load_sources(data_dir)
    except Exception:  # a panel never breaks a chart; the line is shown as given
        return None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _matches(text: str, row) -> bool:
    """Does a source line name this source? Its id, its title (without remarks in
    parentheses), or most of the title's words with the same version."""
    low = text.lower()
    title = str(row.title)
    bare = re.sub(r"\s*\([^)]*\)", "", title).strip().lower()
    if row.source_id.lower() in low or (bare and bare in low):
        return True
    if row.kind == "article" and low.strip() in _SEED_ARTICLE:
        return True
    words, given = _words(bare), _words(low)
    version = _VERSION.search(title)
    same_version = version is None or f"v{version.group(1)}" in given
    return bool(words) and same_version and len(words & given) >= 0.8 * len(words)


def source_record(text: str, table: pd.DataFrame | None = None) -> dict:
    """A source line resolved against the sources table: dataset title, publisher, version,
    date, licence, citation, URL. ``retrieved`` is None where the table records no retrieval
    date. A line that names no known source keeps only its text.

    >>> r = source_record("UCDP Battle-Related Deaths Dataset v24.1 (Davies et al. 2024)")
    >>> r["source_id"], r["version"], r["licence"]
    ('ucdp-brd-dyadic-24.1', '24.1', 'CC BY 4.0')
    """
    table = _sources_table(None) if table is None else table
    record: dict = {"text": str(text)}
    if table is None:
        return record
    found = [r for r in table.itertuples(index=False) if _matches(str(text), r)]
    if len(found) != 1:
        return record
    row = found[0]
    version = _VERSION.search(str(row.title))

    def value(v):
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    published = None
    if not pd.isna(row.published):
        width = {"year": 4, "month": 7}.get(str(row.date_precision), 10)
        published = pd.Timestamp(row.published).date().isoformat()[:width]
    record.update(
        source_id=row.source_id,
        kind=value(row.kind),
        title=value(row.title),
        publisher=value(row.publisher),
        version=version.group(1) if version else None,
        published=published,
        retrieved=value(getattr(row, "retrieved", None)),
        licence=value(row.licence),
        citation=value(row.citation),
        url=value(row.url),
    )
    return record


def _mark_placeholders(fig: go.Figure) -> None:
    """Tell the renderer which coordinate of a missing-value marker is a placeholder: the value
    axis (x for horizontal marks or a categorical y, else y)."""
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        symbol = getattr(marker, "symbol", None) if marker is not None else None
        symbols = symbol if isinstance(symbol, list | tuple) else [symbol]
        if not symbols or any(s != MISSING_SYMBOL for s in symbols):
            continue
        ys = [] if getattr(trace, "y", None) is None else list(trace.y)
        categorical_y = any(isinstance(v, str) for v in ys)
        axis = "x" if getattr(trace, "orientation", None) == "h" or categorical_y else "y"
        own = dict(trace.meta) if isinstance(trace.meta, dict) else {}
        trace.meta = {**own, META_KEY: {"placeholder": axis}}


SPLIT_YEAR = 2021
SPLIT_COLOR = "#f0f0f0"
SPLIT_LABEL = "2021: split year (before and after)"
SPLIT_NOTE = (
    "Shaded: 2021, the split year. Yearly data cannot split it at the withdrawal: its value holds "
    "months before and after 31 Aug 2021."
)


def panel(fig: go.Figure, row: int | None, col: int | None) -> dict:
    """The arguments that put an axis-spanning shape (``add_vline``, ``add_vrect``,
    ``add_hline``) in the panel at ``row``, ``col``; {} for the whole figure.

    Plotly draws no such shape in an empty panel and, to know, scans every trace, shape and
    annotation of the figure for each shape it adds: most of the time a chart of many panels
    takes. A panel that holds a trace is not empty whatever else the figure holds, so there
    the scan is skipped (``exclude_empty_subplots=False``); the figure is the same.
    """
    if row is None:
        return {}
    try:
        sub = fig.get_subplot(row, col)
        axes = (sub.xaxis.plotly_name, sub.yaxis.plotly_name)
    except Exception:  # not a grid of xy panels: plotly's own checks decide
        return dict(row=row, col=col)
    axes = tuple(name.replace("axis", "") for name in axes)
    filled = any(
        (getattr(t, "xaxis", None) or "x", getattr(t, "yaxis", None) or "y") == axes
        for t in fig.data
    )
    return dict(row=row, col=col, exclude_empty_subplots=not filled)


def mark_split_year(fig: go.Figure, *, label: bool = True, row=None, col=None) -> go.Figure:
    """Shade 2021 on a yearly axis: a yearly value of 2021 is neither before nor after the
    withdrawal (UCDP and the World Bank count whole years)."""
    kwargs = panel(fig, row, col)
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


def panel_marks(shapes, fig: go.Figure, row: int, col: int) -> None:
    """The dashed line at the end of the withdrawal and 2021 shaded as the split year in the
    panel at ``row``, ``col``, without labels, collected in ``shapes`` (a
    :class:`analysis.chart_shapes.Spanning` of ``fig``): as ``add_vline`` then
    :func:`mark_split_year` there, in one assignment for every panel."""
    where = panel(fig, row, col)
    shapes.add(
        "vline", 2021 + 242 / 365, line_dash="dash", line_color="#444444", line_width=1, **where
    )
    shapes.add(
        "vrect",
        (SPLIT_YEAR - 0.5, SPLIT_YEAR + 0.5),
        fillcolor=SPLIT_COLOR,
        opacity=1,
        layer="below",
        line_width=0,
        name="split-year",
        **where,
    )


def mark_withdrawal(fig: go.Figure, *, yearly: bool = False, row=None, col=None) -> go.Figure:
    """A dashed vertical line at the end of the US withdrawal. On a yearly axis it sits at
    2021.67 (end of August), between the 2021 and 2022 points, and 2021 is shaded as the split
    year (:func:`mark_split_year`)."""
    x = 2021 + 242 / 365 if yearly else WITHDRAWAL
    kwargs = panel(fig, row, col)
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


class TableView:
    """A report table as a reader sees it: HTML for pages and Jupyter (every cell in full,
    escaped, no index, a caption when given), and the same rows as plain text for a notebook's
    stored outputs — a diff and nbval compare the values, never an object address."""

    def __init__(self, frame: pd.DataFrame, styler, caption: str | None = None):
        self.data = frame
        self.styler = styler
        self.caption = caption

    def to_html(self) -> str:
        return self.styler.to_html()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            text = self.data.to_string(index=False, na_rep="")
        return f"{self.caption}\n{text}" if self.caption else text


def table_view(
    frame: pd.DataFrame,
    wide: Sequence[str] = ("quote", "claim", "evidence"),
    caption: str | None = None,
    precision: int | None = None,
) -> TableView:
    """``frame`` for display in a report: every cell in full (pandas cuts text at 50 characters,
    and a quote is the point of the table), HTML-escaped, without the index; ``wide`` columns
    wrap; ``caption`` names the table for every reader; ``precision``: decimals of the float
    columns (default: pandas' styler default). Element ids derive from the content, so a re-run
    renders the same HTML."""
    digest = hashlib.sha1(frame.to_csv().encode("utf-8")).hexdigest()[:10]
    styler = (
        frame.style.set_uuid(f"tbl-{digest}")
        .hide(axis="index")
        .format(escape="html", na_rep="", precision=precision)
        .set_properties(
            subset=[c for c in wide if c in frame.columns],
            **{"white-space": "normal", "min-width": "24em", "text-align": "left"},
        )
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return TableView(frame, styler, caption)
