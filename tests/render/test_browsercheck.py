"""The browser check itself: it must fail a page that draws nothing, errs, or reaches out."""

from __future__ import annotations

import pytest
from browsercheck import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def plotly_js(tmp_path):
    import plotly.offline

    (tmp_path / "plotly.min.js").write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    return tmp_path


PAGE = """<html><head><script src="plotly.min.js"></script></head><body>
<div id="f" class="plotly-graph-div" style="height:300px"></div>
<script>{script}</script></body></html>"""
DRAW = "Plotly.newPlot('f', [{x:[1,2], y:[3,4], type:'scatter'}], {});"


def test_a_drawn_figure_passes(browser, plotly_js):
    page = plotly_js / "ok.html"
    page.write_text(PAGE.format(script=DRAW), encoding="utf-8")
    result = check_page(browser, page)
    assert (result.figures, result.drawn, result.ok) == (1, 1, True), str(result)


def test_a_figure_that_never_draws_fails(browser, plotly_js):
    page = plotly_js / "empty.html"
    page.write_text(PAGE.format(script=""), encoding="utf-8")
    result = check_page(browser, page, timeout_ms=1500)
    assert (result.figures, result.drawn, result.ok) == (1, 0, False)


def test_a_javascript_error_fails(browser, plotly_js):
    page = plotly_js / "err.html"
    page.write_text(PAGE.format(script=DRAW + "undefinedFunction();"), encoding="utf-8")
    result = check_page(browser, page)
    assert not result.ok and any("undefinedFunction" in e for e in result.errors)


def test_a_network_request_fails(browser, plotly_js):
    page = plotly_js / "cdn.html"
    html = PAGE.format(script=DRAW).replace(
        "</body>", '<script src="https://cdn.plot.ly/plotly-2.0.0.min.js"></script></body>'
    )
    page.write_text(html, encoding="utf-8")
    result = check_page(browser, page)
    assert not result.ok and result.requests == ["https://cdn.plot.ly/plotly-2.0.0.min.js"]
