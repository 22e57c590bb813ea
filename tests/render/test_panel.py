"""The per-chart panel without a kernel: what charts.finish says about a figure, the summary
and the bar the engine builds from it, and the page that carries them."""

from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from notebook_runs import with_figures
from plotly.subplots import make_subplots

from analysis import charts
from analysis.render import page as html_page
from analysis.render import panel

UCDP_CY = "UCDP Country-Year Dataset on Organized Violence v25.1 (Davies et al. 2025, CC BY 4.0)"


def as_notebook_json(fig: go.Figure) -> dict:
    """The figure as a notebook stores it: plotly's JSON (numpy arrays as base64 typed
    arrays), read back."""
    return json.loads(pio.to_json(fig, validate=False))


def _line_figure() -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(
        x=np.arange(2015, 2021), y=np.array([7.0, 7.3, 8.1, 8.2, np.nan, 9.75]), name="AFG"
    )
    fig.add_scatter(x=[2015, 2016, 2017], y=[20.0, 22.1, 18.5], name="<b>PAK</b>")
    return charts.finish(
        fig,
        title="Reserves <i>in</i> bn",
        sources=[UCDP_CY, "a private note"],
        y_title="Reserves (bn USD)",
        note="Gap: not reported.",
    )


# --- what charts.finish writes ------------------------------------------------------------


def test_finish_describes_the_figure_for_the_renderer():
    meta = _line_figure().layout.meta[charts.META_KEY]
    assert meta["title"] == "Reserves <i>in</i> bn"  # plain text: the renderer escapes it
    assert meta["units"] == {"y": "Reserves (bn USD)"}
    assert meta["note"] == ["Gap: not reported."]
    ucdp, other = meta["sources"]
    assert (ucdp["source_id"], ucdp["version"], ucdp["licence"]) == (
        "ucdp-ged-cy-25.1",
        "25.1",
        "CC BY 4.0",
    )
    assert ucdp["citation"].startswith("Davies, Pettersson")
    assert ucdp["retrieved"] is None  # the sources table records no retrieval date
    assert other == {"text": "a private note"}  # not in the table: shown as given, no claims


def test_finish_keeps_its_old_calls_and_other_metadata():
    fig = go.Figure(layout_meta={"mine": 1})
    charts.finish(fig, title="t", sources=["UCDP"], y_title="y", note=None, height=300)
    assert fig.layout.meta["mine"] == 1 and fig.layout.meta[charts.META_KEY]["quotes"] == []
    json.loads(fig.to_json())  # the description is plain JSON


def test_finish_keeps_the_quotes_it_is_given_once_each():
    import pandas as pd

    rows = pd.DataFrame({"source_id": ["s1", "s1", "s2"], "quote": ["a", "a", None]})
    fig = charts.finish(go.Figure(), title="t", sources=["x"], quotes=[rows, ("s2", "b")])
    assert fig.layout.meta[charts.META_KEY]["quotes"] == [["s1", "a"], ["s2", "b"]]


@pytest.mark.parametrize(
    ("x", "y", "placeholder"),
    [([2021, 2022], [0, 0], "y"), ([0.0], ["World Bank: halted"], "x")],
    ids=["missing years drawn at 0", "an amount not stated drawn at 0"],
)
def test_finish_marks_the_markers_that_stand_for_missing_values(x, y, placeholder):
    fig = go.Figure(go.Scatter(x=x, y=y, mode="markers", marker_symbol=charts.MISSING_SYMBOL))
    fig.add_scatter(x=x, y=y, mode="markers")  # an ordinary marker: its position is a value
    charts.finish(fig, title="t", sources=["x"])
    assert fig.data[0].meta == {charts.META_KEY: {"placeholder": placeholder}}
    assert fig.data[1].meta is None


def test_the_charts_that_mark_missing_values_are_marked():
    """The package's own missing-value markers (observed, funding) follow the convention."""
    import pandas as pd

    from analysis.funding.charts import chart_freeze_measures

    measures = pd.DataFrame(
        {
            "actor": ["US", "World Bank"],
            "measure": ["frozen", "halted"],
            "instrument": ["reserves", "funding"],
            "amount": [7.0, np.nan],
            "drawn_as": ["bar", "marker"],
            "label": ["about 7 bn USD", "halted, amount not stated"],
            "when": ["Aug 2021", "Aug 2021"],
            "source_id": ["asiatimes-2021-09"] * 2,
            "quote": ["US$7 billion", "the World Bank halted funding"],
        }
    )
    figure = as_notebook_json(chart_freeze_measures(measures))
    marker = next(t for t in figure["data"] if t.get("name") == "amount not stated")
    assert marker["meta"][charts.META_KEY] == {"placeholder": "x"}
    assert "1 missing" in panel.summary_text(figure)
    assert panel.own_meta(figure)["quotes"][1] == ["asiatimes-2021-09", marker_quote(measures)]


def marker_quote(measures) -> str:
    return measures["quote"].iloc[1]


# --- the summary --------------------------------------------------------------------------


def test_the_summary_reads_the_values_from_the_figure_data():
    text = panel.summary_text(as_notebook_json(_line_figure()))
    assert text.startswith(
        "Reserves <i>in</i> bn. Line chart, 2 series; values: Reserves (bn USD)."
    )
    # typed arrays decoded; the missing 2019 counted as missing, never as a value of 0
    assert "AFG: 5 values, 7 to 9.75 (highest 2020), last 9.75 (2020), 1 missing" in text
    assert "PAK: 3 values, 18.5 to 22.1 (highest 2016), last 18.5 (2017)" in text  # tags dropped
    assert "Its notes: under Sources" in text


def test_the_summary_names_panels_and_counts_placeholders_as_missing():
    fig = make_subplots(rows=1, cols=2, subplot_titles=["Afghanistan", "Pakistan"])
    fig.add_bar(x=[2020, 2021], y=[10, 30], name="deaths", row=1, col=1)
    fig.add_bar(x=[2020], y=[5], name="deaths", row=1, col=2)
    fig.add_scatter(
        x=[2021], y=[0], mode="markers", marker_symbol=charts.MISSING_SYMBOL, name="no data",
        row=1, col=2,
    )  # fmt: skip
    charts.finish(fig, title="Deaths", sources=[UCDP_CY])
    text = panel.summary_text(as_notebook_json(fig))
    assert "2 series in 2 panels (Afghanistan, Pakistan)" in text
    assert "deaths: 3 values, 5 to 30" in text and "no data: 1 missing" in text
    assert "0 to" not in text  # the placeholder's 0 is not a value


def test_the_summary_of_an_empty_chart_says_so_and_why():
    fig = go.Figure()
    fig.add_annotation(text="No freeze dated on or before 2020-01-01", x=0.5, y=0.5)
    charts.finish(fig, title="Freezes", sources=["the seed article"])
    text = panel.summary_text(as_notebook_json(fig))
    assert text == "Freezes. No values are plotted. No freeze dated on or before 2020-01-01."


def test_the_summary_of_a_layout_counts_points_not_coordinates():
    fig = go.Figure(go.Scatter(x=[0.1, 0.5], y=[0.3, -0.2], name="state", mode="markers"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    text = panel.summary_text(as_notebook_json(fig))
    assert "state: 2 points" in text and "0.1" not in text


def test_a_figure_without_metadata_still_has_a_name_and_summary():
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}
    assert panel.title_of(figure) == "Untitled chart"
    assert "series 1: 2 values, 1 to 2" in panel.summary_text(figure)


# --- the markup and the page's registry ---------------------------------------------------


def test_a_figure_block_names_and_describes_the_chart_and_carries_its_bar():
    fig = charts.finish(
        go.Figure(go.Bar(x=[1], y=[2])), title='<img src=x onerror="alert(1)">', sources=["x"]
    )
    block = panel.figure_block(as_notebook_json(fig), "figure-3-0", "<div id='figure-3-0'></div>")
    assert 'role="figure"' in block
    assert 'aria-label="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in block
    assert 'aria-describedby="figure-3-0-sum"' in block and 'id="figure-3-0-sum"' in block
    assert '<div class="ab-bar" data-figure="figure-3-0"></div>' in block
    assert "<img" not in block.replace("&lt;img", "")


def test_the_registry_holds_each_source_once_and_cannot_close_its_script():
    registry = panel.Registry()
    first, second = as_notebook_json(_line_figure()), as_notebook_json(_line_figure())
    second["layout"]["meta"][charts.META_KEY]["quotes"] = [["s", "</script><b>x</b>"]]
    registry.add("figure-1-0", first)
    registry.add("figure-2-0", second)
    script = registry.script()
    assert "</script><b>" not in script and script.count("</script>") == 1
    data = json.loads(re.search(r">(.*)</script>", script).group(1))
    assert "ucdp-ged-cy-25.1" in data["sources"]
    assert len(data["sources"]) == 2  # the UCDP record and the unresolved line, once each
    assert data["figures"]["figure-2-0"]["quotes"] == [["s", "</script><b>x</b>"]]
    assert "text" not in data["sources"]["ucdp-ged-cy-25.1"]  # resolved: the table's title
    assert panel.Registry().script() == ""  # no figure, no block


def test_the_page_draws_the_figure_without_its_description_twice():
    figure = as_notebook_json(_line_figure())
    figure["layout"]["meta"]["other"] = "kept"
    drawn = panel.without_meta(figure)
    assert drawn["layout"]["meta"] == {"other": "kept"}
    assert charts.META_KEY in figure["layout"]["meta"]  # the notebook's copy is untouched


def test_a_page_carries_a_panel_and_a_summary_for_every_figure(tmp_path):
    assets = html_page.write_assets(tmp_path / "assets")
    assert (tmp_path / "assets" / assets["panel_js"]).read_text().startswith("/* afghan-brief")
    assert re.fullmatch(r"panel-[0-9a-f]{12}\.css", assets["panel_css"])
    figures = [as_notebook_json(_line_figure()), {"data": [{"y": [1]}], "layout": {}}]
    page = html_page.notebook_html(with_figures(*figures), assets)
    assert f'<script defer="" src="assets/{assets["panel_js"]}"></script>' in page
    assert f'href="assets/{assets["panel_css"]}"' in page
    for div in ("figure-0-0", "figure-0-1"):
        assert f'data-figure="{div}"' in page
        summary = re.search(rf'<p class="ab-sr" id="{div}-sum">([^<]+)</p>', page).group(1)
        assert "series" in summary
    registry = re.search(r'<script id="ab-panels" type="application/json">(.*?)</script>', page)
    assert set(json.loads(registry.group(1))["figures"]) == {"figure-0-0", "figure-0-1"}
    assert html_page.external_sources(page) == []
    assert '"afghan_brief"' not in page.split('id="ab-panels"')[0]  # drawn without its meta
