"""A page's plotly figures: each an empty div, their data packed once per page.

A report's charts repeat long texts: a hover per point that cites its quote or its dataset
cell, the same layout template in every figure. Written out as plotly writes them (JSON in an
inline script per figure, ``<`` and every non-ASCII character escaped), the figures of the
regional risk report made a 1.1 MB page. Here every figure of a page goes, as plotly's own
JSON, into one block deflated and base64-encoded (:func:`pack`): about a tenth of the size.
The page's shared script (``assets/panel-<hash>.js``) inflates it with the browser's
``DecompressionStream`` and draws each figure with ``Plotly.newPlot`` from the same data, layout
and config as before, so what a reader sees, hovers and downloads is unchanged; a browser
without ``DecompressionStream`` shows a line saying so in each chart's place.

The block is base64 text in an inert ``<script type="text/plain">``: data cannot close the
script or run. :func:`unpack` reads it back (for tests and tools).

May import: the standard library, plotly (its JSON encoder, for values JSON has no literal for).
"""

from __future__ import annotations

import base64
import html
import json
import re
import zlib
from typing import Any

BLOCK_ID = "ab-figures"
ENCODING = "deflate+base64"  # zlib-wrapped deflate: DecompressionStream("deflate")
DEFAULT_HEIGHT = "480px"
DEFAULT_WIDTH = "100%"


def drawn(figure: dict) -> dict:
    """What ``Plotly.newPlot`` gets for a figure: its data, layout, frames (when any) and config
    (``responsive`` unless the figure says otherwise), as ``plotly.io.to_html`` gives them."""
    config = dict(figure.get("config") or {})
    config.setdefault("responsive", True)
    out: dict[str, Any] = {
        "data": figure.get("data") or [],
        "layout": figure.get("layout") or {},
        "config": config,
    }
    if figure.get("frames"):
        out["frames"] = figure["frames"]
    return out


def _css_size(value: Any, default: str) -> str:
    if value is None:
        return default
    try:
        float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{value}px"


def figure_div(figure: dict, div_id: str) -> str:
    """The figure's place on the page, sized as plotly sizes it (layout, else template, else
    the defaults); the page's script draws into the inner ``div.plotly-graph-div``."""
    layout = figure.get("layout") or {}
    template = ((layout.get("template") or {}).get("layout")) or {}
    height = _css_size(layout.get("height", template.get("height")), DEFAULT_HEIGHT)
    width = _css_size(layout.get("width", template.get("width")), DEFAULT_WIDTH)
    style = html.escape(f"height:{height}; width:{width};", quote=True)
    return (
        f'<div style="{style}"><div id="{html.escape(div_id, quote=True)}" '
        'class="plotly-graph-div" style="height:100%; width:100%;"></div></div>'
    )


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # NaN or infinity: null, as plotly's own encoder writes them
        from plotly.io.json import to_json_plotly

        return _json(json.loads(to_json_plotly(value)))


def pack(figures: dict[str, dict]) -> str:
    """Figures by div id (each as :func:`drawn` gives it) as one deflated, base64 text.

    >>> unpack(pack({"f": {"data": [{"y": [1, float("nan")]}]}}))
    {'f': {'data': [{'y': [1, None]}]}}
    """
    return base64.b64encode(zlib.compress(_json(figures).encode("utf-8"), 9)).decode("ascii")


def unpack(text: str) -> dict[str, dict]:
    """The figures of a :func:`pack` text."""
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


class Plots:
    """The figures of one page, in order, emitted as one block at the end of the page."""

    def __init__(self) -> None:
        self.figures: dict[str, dict] = {}

    def add(self, div_id: str, figure: dict) -> str:
        """Keep the figure for the block; return its div."""
        self.figures[div_id] = drawn(figure)
        return figure_div(figure, div_id)

    def script(self) -> str:
        if not self.figures:
            return ""
        return (
            f'<script type="text/plain" id="{BLOCK_ID}" data-encoding="{ENCODING}">'
            f"{pack(self.figures)}</script>"
        )


def page_figures(page: str) -> dict[str, dict]:
    """The figures a rendered page draws, by div id (empty for a page without figures)."""
    found = re.search(rf'<script\b[^>]*\bid="{BLOCK_ID}"[^>]*>([^<]*)</script>', page)
    return unpack(found.group(1)) if found else {}
