"""Accessible names for the tables of any page, and landmarks on the index and changes pages."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd

from analysis.render import a11y
from analysis.render import page as html_page
from analysis.render.changes import write_changes_page
from analysis.render.index import write_index
from analysis.render.manifest import Manifest


def test_an_uncaptioned_dataframe_of_a_plain_notebook_is_named_by_its_columns():
    frame = pd.DataFrame({"country": ["AFG"], "deaths": [1], "year": [2021]})
    cell = nbformat.v4.new_code_cell("frame")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": frame.to_html(), "text/plain": repr(frame)},
            execution_count=1,
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    names = {"plotly_js": "p.js", "notebook_css": "n.css"}
    page = html_page.notebook_html(nb, names)
    (table,) = re.findall(r"<table\b[^>]*>", page)
    assert 'aria-label="Table 1: country, deaths, year"' in table


def test_a_captioned_or_labelled_table_keeps_its_own_name():
    captioned = '<table id="t">\n  <caption>Key figures</caption><thead></thead></table>'
    labelled = '<table aria-labelledby="h2"><thead><tr><th>a</th></tr></thead></table>'
    assert a11y.name_tables(captioned) == captioned
    assert a11y.name_tables(labelled) == labelled
    many = "<table><thead><tr>" + "".join(f"<th>c{i}</th>" for i in range(6)) + "</tr></thead>"
    assert 'aria-label="Table 1: c0, c1, c2, c3, …"' in a11y.name_tables(many + "</table>")


def test_the_index_and_changes_pages_have_a_main_landmark_and_captioned_tables(tmp_path: Path):
    manifest = Manifest(tmp_path)
    manifest.reports["ok"] = {"status": "ok", "html": "ok.html", "ipynb": "ok.ipynb", "good": {}}
    manifest.reports["m-PAK"] = {
        "status": "ok",
        "parameters": {"country": "PAK"},
        "matrix": {"name": "m", "varying": ["country"]},
    }
    write_index(manifest)
    write_changes_page(manifest)
    for name in ("index.html", "changes.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.count("<main>") == 1 and "</main>\n</body>" in text
        assert text.count("<table") == text.count("<caption>")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<caption>Reports of the matrix m, by country</caption>" in index
