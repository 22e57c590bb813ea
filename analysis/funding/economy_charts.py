"""Charts of the WDI context: reserves (with the reporting gap and the article's own figure),
aid, growth and IMF credit, one panel per country.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import charts
from .charts import _empty_note, _quote_hover, _source_lines, _year_x
from .common import AFG, FIRST_YEAR, NO_DATA, date_text, fmt_number, unit_factor, unit_label
from .economy import GDP_GROWTH, IMF_CAVEAT, IMF_CREDIT, ODA_LEVEL, ODA_SHARE, RESERVES, gaps
from .measures import executive_order, reserve_composition

WDI_CITATION = "World Bank, World Development Indicators"


WDI_LICENCE = "CC BY 4.0"


RESERVES_GAP_NOTE = (
    "Grey band: no data reported. Afghanistan's central bank stopped reporting reserves after "
    "2020; the gap is not a fall to zero."
)


def _panel_grid(countries: list[str], names: dict[str, str], title_suffix: str = ""):
    cols = min(3, len(countries))
    rows = -(-len(countries) // cols)
    titles = [charts.esc(f"{names.get(c, c)}{title_suffix}") for c in countries]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        shared_xaxes=False,
        horizontal_spacing=0.08,
        vertical_spacing=0.16,
    )
    return fig, rows, cols


def _gap_band(fig: go.Figure, first: int, last: int, row: int, col: int, label: bool) -> None:
    fig.add_vrect(
        x0=first - 0.5,
        x1=last + 0.5,
        fillcolor=charts.MISSING_COLOR,
        opacity=0.35,
        line_width=0,
        **charts.panel(fig, row, col),
        annotation_text=NO_DATA if label else None,
        annotation_position="top left",
        annotation_font=dict(size=10, color="#555555"),
    )


def _wdi_hovers(data: pd.DataFrame, factor: float, digits: int, value_unit: str) -> list[str]:
    """Hover text for each point of a WDI series: the value in the chart's unit, or 'no data'."""
    return [
        _wdi_hover(
            r,
            NO_DATA if pd.isna(r.value) else f"{fmt_number(r.value / factor, digits)} {value_unit}",
        )
        for r in data.itertuples()
    ]


def _wdi_hover(r, value_text: str) -> str:
    return (
        f"<b>{charts.esc(r.country_name)}</b>, {r.year}: {charts.esc(value_text)}<br>"
        f"{charts.esc(WDI_CITATION)}, {charts.esc(r.indicator_code)}<br>"
        f"{charts.wrap(r.indicator_name)}"
    )


def _wdi_source(*codes: str) -> list[str]:
    return [f"{WDI_CITATION}, {', '.join(codes)} ({WDI_LICENCE})"]


def _panels(
    series: pd.DataFrame, *, factor: float, value_unit: str, y_title: str, digits: int = 2
) -> tuple[go.Figure, dict]:
    """Small multiples, one panel per country (own y axis), gaps as grey 'no data' bands."""
    countries = list(dict.fromkeys(series["country_code"]))
    names = dict(zip(series["country_code"], series["country_name"], strict=False))
    fig, _, cols = _panel_grid(countries, names)
    where = {}
    for i, code in enumerate(countries):
        row, col = i // cols + 1, i % cols + 1
        where[code] = (row, col)
        data = series.loc[series["country_code"] == code]
        fig.add_scatter(
            x=data["year"],
            y=data["value"] / factor,
            mode="lines+markers",
            name=charts.esc(names[code]),
            showlegend=False,
            connectgaps=False,
            line=dict(
                color=charts.COUNTRY_COLORS.get(code, "#636363"), width=3 if code == AFG else 2
            ),
            hovertext=_wdi_hovers(data, factor, digits, value_unit),
            hoverinfo="text",
            row=row,
            col=col,
        )
        if not data["reported"].any():  # nothing to read off an axis
            fig.update_yaxes(showticklabels=False, range=[0, 1], row=row, col=col)
        for gap in gaps(data).itertuples():
            _gap_band(fig, gap.first_year, gap.last_year, row, col, label=True)
        fig.update_xaxes(
            range=[FIRST_YEAR - 0.5, int(series["year"].max()) + 0.5], dtick=2, row=row, col=col
        )
        fig.update_yaxes(rangemode="tozero", tickformat=",~r", row=row, col=col)
        if col == 1:
            fig.update_yaxes(title_text=charts.esc(y_title), row=row, col=col)
        if i + cols >= len(countries):  # no panel below this one
            fig.update_xaxes(title_text="Year", row=row, col=col)
    return fig, where


def chart_reserves(
    reserves_frame: pd.DataFrame,
    funding: pd.DataFrame | None = None,
    *,
    unit: str = "bn",
    sources: pd.DataFrame | None = None,
    as_of=None,
) -> go.Figure:
    """Total reserves (WDI), one panel per country. Afghanistan's panel shows the gap from 2021 as a
    grey "no data reported" band, the seed's 9.5 bn USD (September 2021, a different measure: the
    central bank's holdings as the article states them) as a separate diamond, and the February
    2022 US executive order as an annotation citing its own source."""
    factor = unit_factor(unit)
    afg = reserves_frame.loc[reserves_frame["country_code"] == AFG]
    reported = afg.loc[afg["reported"], "year"]
    title = "Total reserves incl. gold (WDI)"
    if not reported.empty and reported.max() < afg["year"].max():
        title += f": Afghanistan reports none after {reported.max()}"
    if reserves_frame.empty:
        fig = go.Figure()
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(RESERVES))
    fig, where = _panels(
        reserves_frame,
        factor=factor,
        value_unit=unit_label(unit),
        y_title=f"Reserves ({unit_label(unit)})",
    )
    source_lines = _wdi_source(RESERVES)
    diamond = ""
    if AFG in where and funding is not None:
        row, col = where[AFG]
        right = int(reserves_frame["year"].max()) + 0.5
        comp = reserve_composition(funding, as_of=as_of, unit=unit)
        total = comp.loc[comp["role"] == "total"]
        if not total.empty:
            t = total.iloc[0]
            x = _year_x(t["date"])
            right = max(right, x + 0.5)
            fig.add_scatter(
                x=[x],
                y=[t["amount"]],
                mode="markers",
                row=row,
                col=col,
                marker=dict(symbol="diamond", size=12, color="#d95f0e"),
                name="seed article (stated holdings)",
                showlegend=False,
                hovertext=[
                    f"<b>{charts.esc(t['label'])}</b>, "
                    f"{date_text(t['date'], t['date_precision'])}<br>"
                    + _quote_hover(t["source_id"], t["quote"])
                ],
                hoverinfo="text",
            )
            source_lines += _source_lines([t["source_id"]], sources)
            diamond = (
                f" Diamond: the article's {t['label'].removesuffix(' (stated)')} held by the "
                f"central bank ({date_text(t['date'], t['date_precision'])}), a different measure "
                "from the World Bank series."
            )
        order = executive_order(funding, as_of=as_of, unit=unit)
        if not order.empty:
            x = _year_x(order["date"].iloc[0])
            right = max(right, x + 0.5)
            text = f"US executive order, {order['when'].iloc[0]}: " + "; ".join(
                order.loc[order["role"] == "split", "label"]
            )
            hover = "<br>".join(
                f"<b>{charts.esc(r.label)}</b><br>" + _quote_hover(r.source_id, r.quote)
                for r in order.itertuples()
            )
            fig.add_annotation(  # Afghanistan is always the first panel: axes x, y
                x=x,
                y=0,
                xref="x",
                yref="y",
                ax=0,
                ay=-60,
                text=charts.wrap(text, 28),
                showarrow=True,
                arrowhead=2,
                hovertext=hover,
                font=dict(size=10),
                align="left",
                bgcolor="rgba(255,255,255,0.85)",
                bordercolor="#999999",
            )
            source_lines += _source_lines(order["source_id"], sources)
        fig.update_xaxes(range=[FIRST_YEAR - 0.5, right], row=row, col=col)
    missing = gaps(reserves_frame)
    note = RESERVES_GAP_NOTE + diamond
    others = missing.loc[missing["country_code"] != AFG]
    if not others.empty:
        note += (
            " Also no data: "
            + "; ".join(
                f"{c} {y}" for c, y in zip(others["country_code"], others["years"], strict=True)
            )
            + "."
        )
    return charts.finish(
        fig,
        title=title,
        sources=source_lines,
        note=note,
        legend_on_top=False,
        height=300 * (-(-len(where) // 3)) + 120,
    )


def _lines(
    fig: go.Figure,
    series: pd.DataFrame,
    *,
    factor: float,
    value_unit: str,
    digits: int,
    row: int | None = None,
    showlegend: bool = True,
) -> None:
    kwargs = {} if row is None else dict(row=row, col=1)
    for code, data in series.groupby("country_code", sort=False):
        name = str(data["country_name"].iloc[0])
        fig.add_scatter(
            x=data["year"],
            y=data["value"] / factor,
            mode="lines+markers",
            connectgaps=False,
            name=charts.esc(name),
            legendgroup=code,
            showlegend=showlegend,
            line=dict(
                color=charts.COUNTRY_COLORS.get(code, "#636363"), width=4 if code == AFG else 2
            ),
            hovertext=_wdi_hovers(data, factor, digits, value_unit),
            hoverinfo="text",
            **kwargs,
        )


def _gap_note(series: pd.DataFrame) -> str:
    missing = gaps(series)
    if missing.empty:
        return ""
    parts = [f"{c} {y}" for c, y in zip(missing["country_code"], missing["years"], strict=True)]
    return (
        "No data reported (a gap in the line, not zero): " + "; ".join(dict.fromkeys(parts)) + "."
    )


def chart_oda(oda: pd.DataFrame, *, unit: str = "bn", as_of=None) -> go.Figure:
    """Net ODA received: level (top, in ``unit``) and share of GNI (bottom), one line per country;
    Afghanistan's line is the thick black one."""
    factor = unit_factor(unit)
    title = "Net official development assistance received: level and share of GNI"
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=[f"Net ODA received ({unit_label(unit)})", "Net ODA received (% of GNI)"],
    )
    if oda.empty:
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(ODA_LEVEL, ODA_SHARE))
    _lines(
        fig,
        oda.loc[oda["indicator_code"] == ODA_LEVEL],
        factor=factor,
        value_unit=unit_label(unit),
        digits=2,
        row=1,
    )
    _lines(
        fig,
        oda.loc[oda["indicator_code"] == ODA_SHARE],
        factor=1.0,
        value_unit="% of GNI",
        digits=1,
        row=2,
        showlegend=False,
    )
    charts.mark_withdrawal(fig, yearly=True, row=1, col=1)
    fig.update_yaxes(title_text=charts.esc(unit_label(unit)), row=1, col=1)
    fig.update_yaxes(title_text="% of GNI", row=2, col=1)
    fig.update_xaxes(title_text="Year", dtick=1, row=2, col=1)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(ODA_LEVEL, ODA_SHARE),
        note=_gap_note(oda),
        height=620,
    )


def chart_gdp_growth(growth: pd.DataFrame, *, as_of=None) -> go.Figure:
    """GDP growth (annual %), one line per country; a gap where a year is not reported."""
    title = "GDP growth: Afghanistan and comparison countries"
    fig = go.Figure()
    if growth.empty:
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(GDP_GROWTH))
    _lines(fig, growth, factor=1.0, value_unit="%", digits=1)
    fig.add_hline(y=0, line_color="#888888", line_width=1)
    charts.mark_withdrawal(fig, yearly=True)
    fig.update_xaxes(dtick=1)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(GDP_GROWTH),
        y_title="GDP growth (annual %)",
        x_title="Year",
        note=_gap_note(growth),
    )


def chart_imf_credit(credit: pd.DataFrame, *, unit: str = "bn", as_of=None) -> go.Figure:
    """Use of IMF credit, one panel per country (own y axis), with the SDR caveat on the chart and
    a dotted line at the August 2021 SDR allocation."""
    factor = unit_factor(unit)
    title = "Use of IMF credit (includes SDR allocations)"
    if credit.empty:
        fig = go.Figure()
        _empty_note(fig, f"No WDI year complete on or before {as_of or 'the cut-off'}")
        return charts.finish(fig, title=title, sources=_wdi_source(IMF_CREDIT), note=IMF_CAVEAT)
    fig, where = _panels(
        credit,
        factor=factor,
        value_unit=unit_label(unit),
        y_title=f"IMF credit ({unit_label(unit)})",
    )
    if int(credit["year"].max()) >= 2021:
        for row, col in where.values():
            fig.add_vline(
                x=2021,
                line_dash="dot",
                line_color="#8856a7",
                line_width=1,
                **charts.panel(fig, row, col),
            )
        fig.add_annotation(
            x=2021,
            y=1,
            xref="x",
            yref="y domain",
            text="Aug 2021 SDR allocation",
            showarrow=False,
            xanchor="right",
            yanchor="top",
            font=dict(size=10, color="#8856a7"),
        )
    missing = _gap_note(credit)
    return charts.finish(
        fig,
        title=title,
        sources=_wdi_source(IMF_CREDIT),
        legend_on_top=False,
        note=IMF_CAVEAT + (" " + missing if missing else ""),
        height=300 * (-(-len(where) // 3)) + 120,
    )
