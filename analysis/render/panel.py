"""The bar under every chart of a page: its data as CSV, its sources, its image; and its text.

The renderer knows no report. It reads what a figure says about itself, in plotly's layout
metadata ``layout.meta["afghan_brief"]`` (written by :func:`analysis.charts.finish`: title,
units, sources resolved to dataset records, note, quotes, a summary in words; a trace whose
position only marks a missing value says so in its own ``meta``), and the figure's data. A
figure without that metadata (any plotly figure of any notebook) still gets its bar, named by
its layout title.

For each figure :func:`figure_block` returns the HTML that replaces the bare plotly div:

- the chart in a container with ``role="figure"``, named by the chart's title
  (``aria-label``) and described (``aria-describedby``) by a visually hidden text summary
  built by :func:`summary_text` from the figure's data: what is plotted, per series its
  count, range and last value, missing values. Once plotly has drawn, the page's script gives
  the chart's own SVG ``role="img"`` with the same name and description (plotly's SVG has no
  accessible name, plotly.js#6920). The container is not ``role="img"`` itself: that role
  hides its children, and plotly's mode bar inside it holds buttons (axe: nested-interactive);
- an empty ``div.ab-bar`` that the page's one shared script (``assets/panel-<hash>.js``)
  fills with "Data (CSV)" (built in the browser from the figure's own data: one row per
  plotted point, missing values empty, with the figure's sources and licences in columns),
  "Image (PNG)" and "Image (SVG)" (plotly.js's own ``Plotly.downloadImage``, offline) and
  "Sources" (dataset, version, retrieval date, licence, citation; the quotes of seed rows;
  the chart's footer, its annotation named ``source-line``, as text).

Sources and quotes go into one JSON block per page (:class:`Registry`), each source once, so a
page grows by its summaries and a few hundred bytes per figure. Nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import struct
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

META_KEY = "afghan_brief"  # the namespace analysis.charts.finish writes into layout.meta
MAX_SERIES = 6  # series described one by one in a summary; the rest are counted
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)
_DTYPES = {"f8": "d", "f4": "f", "i1": "b", "u1": "B", "u1c": "B", "i2": "h", "u2": "H"}
_DTYPES |= {"i4": "i", "u4": "I", "i8": "q", "u8": "Q"}


def plain(text: Any) -> str:
    """Plotly label text as plain text: line breaks as spaces, tags dropped, entities decoded.

    >>> plain("<b>Kabul</b><br>&lt;b&gt; 7 bn")
    'Kabul <b> 7 bn'
    """
    if text is None:
        return ""
    text = _TAG.sub("", _BR.sub(" ", str(text)))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def decode(value: Any) -> list:
    """A data array of a figure's JSON as a list: plotly.py writes numpy arrays as base64
    typed arrays (``{"dtype": "f8", "bdata": ...}``); NaN becomes None.

    >>> decode({"dtype": "f8", "bdata": base64.b64encode(struct.pack("<2d", 1.5, math.nan))})
    [1.5, None]
    >>> decode("one"), decode([1, None])
    (['one'], [1, None])
    """
    if value is None:
        return []
    if isinstance(value, dict) and "bdata" in value:
        code = _DTYPES.get(str(value.get("dtype")))
        if code is None:
            return []
        raw = base64.b64decode(value["bdata"])
        size = struct.calcsize(code)
        values = list(struct.unpack(f"<{len(raw) // size}{code}", raw))
    elif isinstance(value, list | tuple):
        values = list(value)
    else:
        values = [value]
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


@dataclass
class Series:
    """One trace as a reader meets it: name, panel (subplot title), its points."""

    name: str
    panel: str
    x: list
    y: list
    value_axis: str  # "x" or "y": the axis that carries the values
    placeholder: bool  # positions only mark missing values
    kind: str  # "bar", "line", "dots", ...
    units: dict = field(default_factory=dict)  # axis → axis title

    @property
    def values(self) -> list:
        return self.x if self.value_axis == "x" else self.y

    @property
    def keys(self) -> list:
        return self.y if self.value_axis == "x" else self.x


def own_meta(figure: dict) -> dict:
    """What ``charts.finish`` wrote about the figure (empty for any other figure)."""
    meta = (figure.get("layout") or {}).get("meta")
    found = meta.get(META_KEY) if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def title_of(figure: dict) -> str:
    """The chart's title: from its metadata, else its layout title, else a neutral name."""
    meta_title = own_meta(figure).get("title")
    if meta_title:
        return str(meta_title)
    title = (figure.get("layout") or {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return plain(text) or "Untitled chart"


def _axis(layout: dict, ref: str | None, letter: str) -> dict:
    suffix = (ref or letter)[1:]
    axis = layout.get(f"{letter}axis{suffix}")
    return axis if isinstance(axis, dict) else {}


def _axis_title(axis: dict) -> str:
    title = axis.get("title")
    return plain(title.get("text") if isinstance(title, dict) else title)


def _panel(layout: dict, xaxis: dict, yaxis: dict) -> str:
    """A subplot's title: the paper annotation centred over its x domain at the top of its y
    domain (where plotly's make_subplots puts it)."""
    if "domain" not in xaxis or "domain" not in yaxis:
        return ""
    (x0, x1), (_, y1) = xaxis["domain"], yaxis["domain"]
    for note in layout.get("annotations") or []:
        if note.get("xref") != "paper" or note.get("yref") != "paper":
            continue
        x, y = note.get("x"), note.get("y")
        numeric = isinstance(x, int | float) and isinstance(y, int | float)
        if numeric and abs(x - (x0 + x1) / 2) < 0.01 and abs(y - y1) < 0.02:
            return plain(note.get("text"))
    return ""


def _kind(trace: dict) -> str:
    kind = trace.get("type", "scatter")
    if kind == "scatter":
        mode = str(trace.get("mode") or "lines+markers")
        return "line" if "lines" in mode else "dot"
    return str(kind)


def _decoration(trace: dict) -> bool:
    """An unnamed trace without hover (a dumbbell's bar, a range line): drawn to guide the
    eye; its values are in the CSV, not in the summary."""
    return not trace.get("name") and trace.get("hoverinfo") == "skip"


def series_of(figure: dict, *, decoration: bool = True) -> list[Series]:
    """Every trace with something to read (a legend-only trace has no point); without the
    unnamed, hover-less ones when ``decoration`` is False."""
    layout = figure.get("layout") or {}
    out = []
    for n, trace in enumerate(figure.get("data") or []):
        x, y = decode(trace.get("x")), decode(trace.get("y"))
        if not any(v is not None for v in x + y) or (not decoration and _decoration(trace)):
            continue
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        placeholder = (meta.get(META_KEY) or {}).get("placeholder")
        horizontal = trace.get("orientation") == "h"
        categorical_y = any(isinstance(v, str) for v in y)
        value_axis = placeholder or ("x" if horizontal or categorical_y or not y else "y")
        xaxis, yaxis = (
            _axis(layout, trace.get("xaxis"), "x"),
            _axis(layout, trace.get("yaxis"), "y"),
        )
        out.append(
            Series(
                name=plain(trace.get("name")) or f"series {n + 1}",
                panel=_panel(layout, xaxis, yaxis),
                x=x,
                y=y,
                value_axis=value_axis,
                placeholder=bool(placeholder),
                kind=_kind(trace),
                units={"x": _axis_title(xaxis), "y": _axis_title(yaxis)},
            )
        )
    return out


def number(value: float) -> str:
    """A value as a summary states it: thousands separated, three significant digits.

    >>> number(17304.0), number(0.2222), number(9.5), number(-1234.5), number(1e-5)
    ('17,304', '0.222', '9.5', '-1,234', '1e-05')
    """
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _numbers(values: list) -> list[float]:
    return [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _describe(name: str, parts: list[Series]) -> str:
    """One series (over every panel it appears in): its value, or count, range, where the
    highest is and the last value; the missing ones."""
    missing = sum(len(s.keys) for s in parts if s.placeholder)
    drawn = [s for s in parts if not s.placeholder]
    points = [(s, k, v) for s in drawn for k, v in zip(s.keys, s.values, strict=False)]
    missing += sum(1 for _, _, v in points if v is None)
    numeric = [(s, k, float(v)) for s, k, v in points if v is not None and _numbers([v])]
    text = name
    if drawn and not numeric:
        text += f": {len(points)} point{'s' if len(points) != 1 else ''}"
    elif len(numeric) == 1:
        text += f": {number(numeric[0][2])}"
    elif numeric:
        values = [v for _, _, v in numeric]
        top = max(numeric, key=lambda p: p[2])
        where = ", ".join(plain(w) for w in (top[0].panel, top[1]) if w not in ("", None))
        text += f": {len(numeric)} values, {number(min(values))} to {number(top[2])}"
        if where and len(numeric) > 2:
            text += f" (highest {where})"
        if len(drawn) == 1 and len(numeric) > 2 and _ordered(drawn[0].keys):
            text += f", last {number(numeric[-1][2])} ({plain(numeric[-1][1])})"
    if missing:
        text += f", {missing} missing" if drawn else f": {missing} missing"
    return text


def _ordered(keys: list) -> bool:
    """Are the keys years or dates in order (so "last" means latest)?"""
    nums = _numbers(keys)
    if len(nums) == len(keys):
        return nums == sorted(nums)
    return all(isinstance(k, str) and re.match(r"\d{4}-\d\d", k) for k in keys) and keys == sorted(
        keys
    )


def summary_text(figure: dict) -> str:
    """The chart in words for assistive technology: title, what is plotted and in which
    units, per series its value or its count, range, highest and last value, and how many
    values are missing (a missing value is never counted as zero). Built from the figure's
    data, so it says what the chart shows. The chart's notes and sources are in its panel.

    >>> summary_text({"data": [{"type": "bar", "name": "deaths", "x": [2020, 2021],
    ...     "y": [10, None]}], "layout": {"title": {"text": "Deaths"}}})
    'Deaths. Bar chart, 1 series. deaths: 10, 1 missing.'
    """
    meta = own_meta(figure)
    layout = figure.get("layout") or {}
    series = series_of(figure, decoration=False)
    parts = [title_of(figure).rstrip(".") + "."]
    if meta.get("summary"):
        parts.append(str(meta["summary"]).rstrip(".") + ".")
    if not series:
        notes = [
            plain(a.get("text"))
            for a in layout.get("annotations") or []
            if a.get("name") != "source-line" and a.get("text")
        ]
        parts.append("No values are plotted." + (f" {notes[0][:200]}." if notes else ""))
        return " ".join(parts)
    kinds = sorted({s.kind for s in series})
    what = f"{kinds[0].capitalize()} chart" if len(kinds) == 1 else "Chart"
    names = list(dict.fromkeys(s.name for s in series))
    panels = list(dict.fromkeys(s.panel for s in series if s.panel))
    what += f", {len(names)} series"
    if len(panels) > 1:
        what += (
            f" in {len(panels)} panels ({', '.join(panels[:4])}{', …' if len(panels) > 4 else ''})"
        )
    hidden = all(_axis(layout, None, a).get("visible") is False for a in "xy")
    units = sorted({s.units[s.value_axis] for s in series if s.units.get(s.value_axis)})
    if units and not hidden:
        what += "; values: " + "; ".join(units)
    parts.append(what + ".")
    if hidden:  # the positions are a layout, not values
        described = [
            f"{n}: {sum(len(s.keys) for s in series if s.name == n)} points" for n in names
        ]
    else:
        described = [_describe(n, [s for s in series if s.name == n]) for n in names]
    more = len(names) - MAX_SERIES
    parts.append(
        "; ".join(described[:MAX_SERIES])
        + (f"; {more} more series in the CSV" if more > 0 else "")
        + "."
    )
    if meta.get("note"):
        parts.append("Its notes: under Sources, below.")
    return " ".join(parts)


class Registry:
    """What a page's panels need beyond the figures' data: each source once, and per figure
    its title, its sources' keys and its quotes. Emitted once per page as JSON."""

    def __init__(self) -> None:
        self.sources: dict[str, dict] = {}
        self.figures: dict[str, dict] = {}

    def add(self, div_id: str, figure: dict) -> None:
        meta = own_meta(figure)
        keys = []
        for record in meta.get("sources") or []:
            record = _slim(record if isinstance(record, dict) else {"text": str(record)})
            key = (
                record.get("source_id")
                or "s" + hashlib.sha1(str(record.get("text")).encode()).hexdigest()[:8]
            )
            self.sources.setdefault(key, record)
            if key not in keys:
                keys.append(key)
        entry: dict[str, Any] = {"title": title_of(figure), "sources": keys}
        if meta.get("quotes"):
            entry["quotes"] = meta["quotes"]
        self.figures[div_id] = entry

    def script(self) -> str:
        """The registry as an inert JSON block (``<`` escaped: it cannot close the script)."""
        if not self.figures:
            return ""
        data = json.dumps(
            {"sources": self.sources, "figures": self.figures},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f'<script type="application/json" id="ab-panels">{data}</script>'


def _slim(record: dict) -> dict:
    """A source record as the page needs it: no empty field; a resolved source keeps its
    table's title, not the line the chart gave."""
    out = {k: v for k, v in record.items() if v not in (None, "")}
    if out.get("source_id"):
        out.pop("text", None)
    return out


def without_meta(figure: dict) -> dict:
    """The figure as the page draws it: the description moved into the page's registry and
    summary is not embedded a second time."""
    layout = dict(figure.get("layout") or {})
    meta = layout.get("meta")
    if isinstance(meta, dict) and META_KEY in meta:
        rest = {k: v for k, v in meta.items() if k != META_KEY}
        if rest:
            layout["meta"] = rest
        else:
            layout.pop("meta")
    return {**figure, "layout": layout}


def figure_block(figure: dict, div_id: str, plot_html: str) -> str:
    """The chart named and described for assistive technology, and its (empty) panel bar."""
    title = html.escape(title_of(figure), quote=True)
    summary = html.escape(summary_text(figure), quote=False)
    return (
        f'<div class="ab-figure"><div class="ab-chart" role="figure" aria-label="{title}" '
        f'aria-describedby="{div_id}-sum">{plot_html}</div>'
        f'<p class="ab-sr" id="{div_id}-sum">{summary}</p>'
        f'<div class="ab-bar" data-figure="{div_id}"></div></div>'
    )


def _asset_text(name: str) -> str:
    return resources.files("analysis.render").joinpath("panel_assets", name).read_text("utf-8")


def write_assets(assets_dir: Path) -> dict[str, str]:
    """The panel's script and stylesheet in ``assets_dir`` (content-hashed names, each written
    whole and only when missing); returns their file names."""
    from .manifest import atomic_write_text

    names = {}
    for key, name in (("panel_js", "panel.js"), ("panel_css", "panel.css")):
        text = _asset_text(name)
        stem, suffix = name.rsplit(".", 1)
        names[key] = f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.{suffix}"
        target = assets_dir / names[key]
        if not target.is_file():
            atomic_write_text(target, text)
    return names
