"""analysis.render.plots: a page's figures packed into one block, each drawn from the very
JSON the notebook output (data, layout, config, frames), its div sized as plotly sizes it."""

from __future__ import annotations

import json
import math

import nbformat
from notebook_runs import with_figures

from analysis.render import page as html_page
from analysis.render import panel, plots

NAMES = {"plotly_js": "p.js", "notebook_css": "n.css", "panel_js": "panel.js", "panel_css": "c"}


def _specification_curve(points: int = 2000) -> dict:
    """A chart like the risk report's specification curves: a point per specification, each
    hover a few long phrases in another combination (the page's heaviest kind of chart)."""
    verdicts = ["supported", "contradicted", "not measurable"]
    indicators = ["jihadist violence", "civilians killed by ISIS-K", "ISIS-K violence, all types"]
    hovers = [
        f"<b>{verdicts[i % 3]}</b>: 2022–2023: {i % 97}–{i % 89 + 100}/yr (not separable) vs "
        f"0/yr; above by at least the<br>minimum change<br>indicator: {indicators[i % 3]} · "
        f"estimate: {('low', 'best', 'high')[i % 3]}<br>baseline 2015–2017 · comparison 2022"
        for i in range(points)
    ]
    template = {"layout": {"font": {"family": "Helvetica"}, "colorway": ["#2166ac"] * 10}}
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": list(range(points)),
                "y": [i / 3 for i in range(points)],
                "hovertext": hovers,
                "hoverinfo": "text",
            }
        ],
        "layout": {"title": {"text": "Specification curves"}, "height": 2137, "template": template},
    }


def test_a_page_packs_its_figures_once_and_draws_each_from_the_notebooks_json():
    curve = _specification_curve()
    small = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"meta": {"k": 1}}}
    page = html_page.notebook_html(with_figures(curve, small), NAMES)
    drawn = plots.page_figures(page)
    assert drawn == {
        "figure-0-0": {**panel.without_meta(curve), "config": {"responsive": True}},
        "figure-0-1": {**small, "config": {"responsive": True}},
    }
    assert page.count('class="plotly-graph-div"') == 2
    assert "Plotly.newPlot" not in page  # no figure's JSON written out in a script of its own
    assert "minimum change" not in page  # the hovers are in the packed block only
    size = len(json.dumps(curve, ensure_ascii=False).encode())
    assert len(page.encode()) < size / 4  # the chart alone, as JSON, weighs 4 pages
    assert '<div style="height:2137px; width:100%;"><div class="plotly-graph-div"' in page


def test_a_page_without_figures_has_no_block():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Only words")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    page = html_page.notebook_html(nb, NAMES)
    assert plots.BLOCK_ID not in page and plots.page_figures(page) == {}


def test_a_figure_is_drawn_with_its_config_and_frames():
    figure = {
        "data": [{"y": [1, 2]}],
        "layout": {},
        "config": {"displaylogo": False},
        "frames": [{"data": [{"y": [2, 1]}]}],
    }
    assert plots.drawn(figure) == {**figure, "config": {"displaylogo": False, "responsive": True}}
    fixed = plots.drawn({"data": [], "config": {"responsive": False}})
    assert fixed == {"data": [], "layout": {}, "config": {"responsive": False}}


def test_the_div_is_sized_as_plotly_sizes_it():
    def style(figure):
        return plots.figure_div(figure, "f").split('"')[1]

    assert style({"layout": {}}) == "height:480px; width:100%;"
    assert style({"layout": {"height": 700, "width": 500}}) == "height:700px; width:500px;"
    assert style({"layout": {"template": {"layout": {"height": 300}}}}).startswith("height:300px")
    assert style({"layout": {"height": "50vh"}}).startswith("height:50vh")


def test_values_json_has_no_literal_for_are_drawn_as_gaps():
    packed = plots.pack({"f": {"data": [{"y": [1.5, math.nan, math.inf]}]}})
    assert plots.unpack(packed) == {"f": {"data": [{"y": [1.5, None, None]}]}}
    assert set(packed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
