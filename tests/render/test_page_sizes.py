"""Every report page of the rendered set weighs at most 300 KiB (plotly.js, the notebook and
panel styles and the panel script are shared assets, written once in assets/), and draws
exactly the figures its executed notebook output."""

from __future__ import annotations

import nbformat
import pytest
from conftest import REPO
from notebook_runs import figures

from analysis.render import panel, plots

pytestmark = pytest.mark.slow

LIMIT = 300 * 1024  # bytes of one report page, its figures' data included


def test_every_report_page_weighs_at_most_300_kib(rendered_reports):
    pages = {p.stem: p.stat().st_size for p in rendered_reports.glob("*.html")}
    reports = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    assert reports <= set(pages)
    heavy = {name: f"{size / 1024:.0f} KiB" for name, size in pages.items() if size > LIMIT}
    assert not heavy, f"pages over {LIMIT // 1024} KiB: {heavy}"
    assert not list(rendered_reports.glob("assets/*.html"))  # the assets hold no page


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")))
def test_a_page_draws_the_figures_of_its_notebook_unchanged(rendered_reports, name):
    page = (rendered_reports / f"{name}.html").read_text(encoding="utf-8")
    executed = nbformat.read(rendered_reports / f"{name}.ipynb", as_version=4)
    expected = [plots.drawn(panel.without_meta(f)) for f in figures(executed)]
    assert expected and list(plots.page_figures(page).values()) == expected
