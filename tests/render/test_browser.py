"""The rendered report set in a real browser: every figure draws offline, no JavaScript error,
no network request; markup in the data is shown as text, never run."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest
from browsercheck import check_page
from conftest import REPO
from notebook_runs import figures

from analysis.cli import main
from analysis.tables.datadir import package_data_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the fewest figures each report draws with its defaults
MIN_FIGURES = {"funding_freezes": 4, "regional_risk": 5, "actor_network": 2, "brief": 4}
PAYLOAD = "<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2>"


@pytest.fixture(scope="module")
def rendered(rendered_reports) -> Path:
    return rendered_reports  # the session's one render of every report (conftest)


def test_every_report_was_rendered(rendered):
    names = {p.stem for p in rendered.glob("*.html")} - {"index", "changes"}
    assert names == {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    index = (rendered / "index.html").read_text(encoding="utf-8")
    for name in [*names, "changes"]:
        assert f'href="{name}.html"' in index


@pytest.mark.parametrize("name", sorted(MIN_FIGURES))
def test_every_figure_of_a_report_draws_offline(rendered, browser, name):
    result = check_page(browser, rendered / f"{name}.html")
    assert result.ok, str(result)
    assert result.figures >= MIN_FIGURES[name], str(result)


def test_the_index_page_loads_cleanly(rendered, browser):
    result = check_page(browser, rendered / "index.html")
    assert result.ok, str(result)


def test_the_changes_page_loads_cleanly(rendered, browser):
    page = rendered / "changes.html"
    result = check_page(browser, page)
    assert result.ok, str(result)
    text = page.read_text(encoding="utf-8")
    for name in MIN_FIGURES:  # every report has its section, linked to its page
        assert f'<a href="{name}.html">{name}</a>' in text
    assert 'href="changes.html"' in (rendered / "index.html").read_text(encoding="utf-8")


def test_plotly_js_ships_once_with_the_set(rendered):
    scripts = list(rendered.rglob("plotly*.js"))
    assert len(scripts) == 1
    for page in rendered.glob("*.html"):
        assert "cdn.plot.ly" not in page.read_text(encoding="utf-8")


_TEXTS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd =>
    gd.data.map(t => [t.name === undefined ? null : t.name,
                      t.hovertext === undefined ? null : t.hovertext]))"""


def test_the_charts_are_drawn_from_their_notebooks_own_data(rendered, browser):
    """The page's packed figures, unpacked in the browser, give plotly.js the notebook's own
    traces: every series name and every point's hover, in order (the largest page)."""
    executed = nbformat.read(rendered / "regional_risk.ipynb", as_version=4)
    expected = [[[t.get("name"), t.get("hovertext")] for t in f["data"]] for f in figures(executed)]
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((rendered / "regional_risk.html").resolve().as_uri())
    page.wait_for_function("Array.from(document.querySelectorAll('.plotly-graph-div'))"
                           ".every(d => d._fullLayout)")  # fmt: skip
    drawn = page.evaluate(_TEXTS)
    context.close()
    assert len(drawn) == len(expected) and drawn == expected


def test_a_browser_that_cannot_unpack_the_charts_says_so_in_their_place(rendered, browser):
    context = browser.new_context(offline=True)
    context.add_init_script("delete window.DecompressionStream;")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto((rendered / "brief.html").resolve().as_uri())
    page.wait_for_selector(".plotly-graph-div .ab-hint")
    hints = page.locator(".plotly-graph-div .ab-hint").all_inner_texts()
    charts = page.locator(".plotly-graph-div").count()
    context.close()
    assert charts >= MIN_FIGURES["brief"] and len(hints) == charts
    assert all("cannot unpack the chart data" in h for h in hints)
    assert errors  # and logged: a page check counts it as an error


# --- markup in the data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def markup_data(tmp_path_factory) -> Path:
    """A data directory whose actor name, quote and source text carry live markup."""
    data = tmp_path_factory.mktemp("markup-data")
    seed = package_data_dir() / "seed"
    for name in ("actors.csv", "sources.csv", "relations.csv"):
        shutil.copy(seed / name, data / name)
    _edit(data / "actors.csv", "actor_id", "isis_k", name=f"ISIS-K {PAYLOAD}")
    (data / "markup.txt").write_text(f"A test document. It says {PAYLOAD} in one line.\n")
    with (data / "sources.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "markup-test",
                "document",
                "Markup test",
                "tests",
                "",
                "2021-09-01",
                "day",
                "markup.txt",
                "test fixture",
                "test fixture",
                "made up for the escaping test",
            ]
        )
    with (data / "relations.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (data / "relations.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerow(
            dict(
                relation_id="R999",
                subject_id="isis_k",
                relation="threatens",
                object_id="usa",
                period="after",
                stance="asserted",
                voice="author",
                repeats="",
                wording="It says",
                source_id="markup-test",
                quote=f"It says {PAYLOAD} in one line.",
                date="2021-09-01",
                date_precision="day",
                date_bound="on",
                note="test fixture",
            )
        )
    assert main(["validate", "--data", str(data)]) == 0
    return data


def _edit(path: Path, key: str, value: str, **changes) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row[key] == value:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_markup_in_the_data_is_shown_as_text_never_run(markup_data, tmp_path, browser):
    out = tmp_path / "reports"
    code = main(
        [
            "render",
            "actor_network",
            "--out",
            str(out),
            "--notebooks",
            str(REPO / "notebooks"),
            "--data",
            str(markup_data),
            "-p",
            "focus_actor",
            "isis_k",
        ]
    )
    assert code == 0
    page = out / "actor_network.html"
    result = check_page(browser, page)
    assert result.ok, str(result)
    from playwright.sync_api import Error  # noqa: F401  (imported for a clear failure if missing)

    context = browser.new_context(offline=True)
    view = context.new_page()
    view.goto(page.resolve().as_uri())
    view.wait_for_load_state("load")
    assert view.evaluate("window.__pwned") is None  # neither the script nor onerror ran
    text = view.inner_text("body")
    assert "<script>window.__pwned = 1</script>" in text  # shown, as text
    context.close()
