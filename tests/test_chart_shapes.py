"""Spanning shapes added in one assignment make the figure plotly's own calls make."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import charts
from analysis.chart_shapes import Spanning


def _grid(filled=(1, 2, 3)):
    fig = make_subplots(rows=2, cols=2, subplot_titles=["a", "b", "c", "d"])
    for i in filled:
        fig.add_trace(go.Bar(x=[2020, 2022], y=[1, 2]), row=(i - 1) // 2 + 1, col=(i - 1) % 2 + 1)
    return fig


def _marks(fig, add):
    """Every kind of shape in every panel (the fourth holds no trace), a whole-figure one too."""
    for i in range(4):
        row, col = i // 2 + 1, i % 2 + 1
        where = charts.panel(fig, row, col)
        add("vline", 2021.5, line_dash="dash", line_color="#444444", line_width=1, **where)
        add("vrect", (2020.5, 2021.5), fillcolor="#eeeeee", opacity=1, layer="below", **where)
        add("hline", 0, line_color="#888888", line_width=1, **where)
        add("hrect", (1, 2), fillcolor="#dddddd", line_width=0, **where)
    add("vline", 2019, line_width=2)


def _plotly(fig):
    def add(kind, at, **kwargs):
        args = (at,) if kind.endswith("line") else tuple(at)
        getattr(fig, f"add_{kind}")(*args, **kwargs)

    _marks(fig, add)
    return fig


def test_the_figure_is_plotlys():
    for filled in [(1, 2, 3), (1, 2, 3, 4), ()]:
        ours = _grid(filled)
        with Spanning(ours) as shapes:
            _marks(ours, shapes.add)
        theirs = _plotly(_grid(filled))
        assert ours.to_json() == theirs.to_json()
        assert len(ours.layout.shapes) == len(theirs.layout.shapes)


def test_panel_marks_are_plotlys_line_and_split_year():
    ours, theirs = _grid(), _grid()
    with Spanning(ours) as shapes:
        charts.panel_marks(shapes, ours, 1, 2)
    theirs.add_vline(
        x=2021 + 242 / 365,
        line_dash="dash",
        line_color="#444444",
        line_width=1,
        **charts.panel(theirs, 1, 2),
    )
    charts.mark_split_year(theirs, label=False, row=1, col=2)
    assert ours.to_json() == theirs.to_json()


def test_nothing_is_added_when_the_block_raises():
    fig = _grid()
    try:
        with Spanning(fig) as shapes:
            shapes.add("vline", 1, **charts.panel(fig, 1, 1))
            raise RuntimeError
    except RuntimeError:
        pass
    assert fig.layout.shapes == ()


def _templated(use):
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Bar(x=[1], y=[2]), row=1, col=1)
    fig.update_layout(title=dict(text="t"))
    use(fig)
    fig.update_layout(font=charts.FONT, height=400)
    return fig


def test_a_template_set_once_validated_gives_plotlys_figure(monkeypatch):
    monkeypatch.setattr(charts, "_TEMPLATES", {})
    expected = _templated(lambda f: f.update_layout(template=charts.TEMPLATE)).to_json()
    for _ in range(3):  # validated, then reused
        assert _templated(charts.use_template).to_json() == expected


def test_a_changed_registered_template_is_validated_again(monkeypatch):
    import plotly.io as pio

    monkeypatch.setattr(charts, "_TEMPLATES", {})
    charts.use_template(go.Figure())
    edited = go.layout.Template(pio.templates[charts.TEMPLATE])
    edited.layout.font.size = 21
    shipped = pio.templates[charts.TEMPLATE]
    pio.templates[charts.TEMPLATE] = edited
    try:
        fig = go.Figure()
        charts.use_template(fig)
        assert fig.layout.template.layout.font.size == 21
        pio.templates[charts.TEMPLATE].layout.font.size = 22  # edited in place
        fig = go.Figure()
        charts.use_template(fig)
        assert fig.layout.template.layout.font.size == 22
    finally:
        pio.templates[charts.TEMPLATE] = shipped
