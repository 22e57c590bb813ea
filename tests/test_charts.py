"""Shared chart conventions: footers fit, data text is escaped, the withdrawal is marked."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from analysis import charts


def _footer(fig):
    return next(a for a in fig.layout.annotations if a.name == "source-line")


@pytest.mark.parametrize("note", [None, "one caveat", "caveat<br>and a second line"])
def test_footer_fits_inside_the_bottom_margin(note):
    fig = charts.finish(go.Figure(), title="t", sources=["UCDP"], note=note)
    lines = _footer(fig).text.count("<br>") + 1
    bottom_of_text = -_footer(fig).yshift + charts.LINE_HEIGHT * lines
    assert bottom_of_text <= fig.layout.margin.b
    assert fig.layout.height - fig.layout.margin.b - fig.layout.margin.t >= 300  # plot keeps room


def test_source_line_lists_each_source_once_in_order():
    assert charts.source_line(["UCDP", "WDI", "UCDP", ""]) == "Source: UCDP; WDI"


def test_data_text_is_escaped_everywhere_finish_puts_it():
    fig = charts.finish(
        go.Figure(),
        title="<b>x</b>",
        sources=["<script>s</script>"],
        note="<i>n</i>",
        y_title="<u>",
    )
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"
    assert "<script>" not in _footer(fig).text and "&lt;script&gt;" in _footer(fig).text
    assert fig.layout.yaxis.title.text == "&lt;u&gt;"


def test_wrap_escapes_and_breaks_lines():
    text = charts.wrap("<script>alert(1)</script> " + "word " * 30, width=40)
    assert text.startswith("&lt;script&gt;")
    assert all(len(line) <= 40 for line in text.split("<br>"))


def test_withdrawal_marker_on_a_yearly_axis_sits_between_2021_and_2022():
    fig = charts.mark_withdrawal(go.Figure(), yearly=True)
    x = fig.layout.shapes[0].x0
    assert 2021.6 < x < 2021.7
    assert fig.layout.annotations[0].text == charts.WITHDRAWAL_LABEL


def test_citation_reads_the_sources_table():
    assert "Asia Times" in charts.citation("asiatimes-2021-09")
    with pytest.raises(KeyError, match="unknown source 'nope'"):
        charts.citation("nope")


def test_table_view_shows_text_in_full_escaped_and_stable():
    import pandas as pd

    frame = pd.DataFrame({"id": ["R1"], "quote": ["<b>bold</b> " + "a long quote " * 10]})
    html = charts.table_view(frame).to_html()
    assert "&lt;b&gt;bold&lt;/b&gt; " + "a long quote " * 9 in html  # not cut at 50 characters
    assert "<b>bold</b>" not in html
    assert html == charts.table_view(frame).to_html()  # no random element ids
    assert html != charts.table_view(frame.assign(id="R2")).to_html()


def test_table_view_stores_its_rows_as_text_not_an_object_address():
    import pandas as pd

    frame = pd.DataFrame({"figure": ["frozen in the US"], "value": [7.0], "quote": [None]})
    view = charts.table_view(frame, caption="Key figures")
    text = repr(view)
    assert "0x" not in text and "Styler" not in text
    assert text.splitlines()[0] == "Key figures"
    assert "frozen in the US" in text and "7.0" in text
    assert "<caption" in view.to_html() and "Key figures" in view.to_html()
    assert view._repr_html_() == view.to_html()
    assert repr(charts.table_view(frame)) == repr(charts.table_view(frame))  # stable across calls


def test_a_yearly_axis_shades_2021_as_the_split_year():
    fig = charts.mark_withdrawal(go.Figure(), yearly=True)
    split = [s for s in fig.layout.shapes if s.name == "split-year"]
    assert len(split) == 1 and (split[0].x0, split[0].x1) == (2020.5, 2021.5)
    assert charts.SPLIT_LABEL in [a.text for a in fig.layout.annotations]
    dated = charts.mark_withdrawal(go.Figure())  # a date axis needs no split year
    assert not [s for s in dated.layout.shapes if s.name == "split-year"]
