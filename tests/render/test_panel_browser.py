"""The per-chart panel and accessibility of the rendered report set in a real browser,
offline: "Data (CSV)" downloads the plotted values, the image buttons export through
plotly.js, every chart's SVG is named and described, and axe-core finds no serious or
critical violation on any page (index and reports)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from browsercheck import check_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def rendered(rendered_reports) -> Path:
    return rendered_reports  # the session's one render of every report (conftest)


@pytest.fixture
def open_page(browser):
    contexts = []

    def opener(path: Path):
        context = browser.new_context(offline=True, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.ab-bar')).every(b => b.children.length)"
        )
        return page, errors

    yield opener
    for context in contexts:
        context.close()


def _bar(page, title: str):
    figure = page.locator(".ab-figure").filter(has=page.locator(f'[aria-label="{title}"]'))
    assert figure.count() == 1, title
    return figure.locator(".ab-bar")


def _download(page, button) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _csv(page, title: str) -> list[dict]:
    name, data = _download(page, _bar(page, title).get_by_role("button", name="Data (CSV)"))
    assert name.endswith(".csv")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("name", ["brief", "funding_freezes", "regional_risk", "actor_network"])
def test_every_chart_is_named_described_and_has_its_bar(rendered, open_page, name):
    page, errors = open_page(rendered / f"{name}.html")
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.ab-figure')).map(f => {
            const svg = f.querySelector('svg.main-svg');
            const summary = document.getElementById(svg.getAttribute('aria-describedby'));
            return {role: svg.getAttribute('role'), name: svg.getAttribute('aria-label'),
                    container: f.querySelector('.ab-chart').getAttribute('aria-label'),
                    summary: summary ? summary.textContent : '',
                    buttons: Array.from(f.querySelectorAll('.ab-bar button'))
                                  .map(b => b.textContent)};
        })"""
    )
    assert charts and page.locator(".plotly-graph-div").count() == len(charts)
    for chart in charts:
        assert chart["role"] == "img" and chart["name"] and chart["name"] == chart["container"]
        assert chart["summary"].startswith(chart["name"].rstrip(".")), chart
        assert chart["buttons"] == ["Data (CSV)", "Sources", "Image (PNG)", "Image (SVG)"]
    assert errors == []


def test_the_csv_holds_the_plotted_values_and_leaves_missing_ones_empty(rendered, open_page):
    page, _ = open_page(rendered / "funding_freezes.html")
    rows = _csv(page, "Frozen, blocked, halted: who, what and how much")
    by_series = {r["series"]: r for r in rows}
    assert by_series["frozen"]["x"] == "7" and by_series["blocked"]["x"] == "0.46"
    assert by_series["frozen"]["x_axis"] == "Amount (bn USD)"
    # the World Bank's halted funding states no amount: drawn as a cross at 0, empty here
    halted = by_series["amount not stated"]
    assert halted["x"] == "" and halted["y"] == "World Bank: halted funding"
    assert all(r["licences"] == "© Asia Times; quoted as evidence" for r in rows)
    assert "the World Bank" in halted["hover"] and "asiatimes-2021-09" in halted["hover"]

    reserves = _csv(page, "Total reserves incl. gold (WDI): Afghanistan reports none after 2020")
    afghan = {r["x"]: r["y"] for r in reserves if r["series"] == "Afghanistan"}
    assert float(afghan["2020"]) == pytest.approx(9.7489, abs=1e-4)  # the value, unrounded
    assert afghan["2021"] == ""  # not reported: empty, never 0
    assert {r["panel"] for r in reserves} >= {"Afghanistan", "Pakistan"}
    assert "World Development Indicators (World Bank)" in reserves[0]["sources"]
    assert "CC BY 4.0" in reserves[0]["licences"]


def test_the_sources_box_lists_datasets_with_version_licence_and_the_quotes(rendered, open_page):
    page, _ = open_page(rendered / "regional_risk.html")
    bar = _bar(page, "Organised-violence deaths by country and year, 2015–2024")
    toggle = bar.get_by_role("button", name="Sources")
    box = bar.locator(".ab-sources")
    assert box.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert box.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    text = box.inner_text()
    assert "UCDP Country-Year Dataset on Organized Violence v25.1" in text
    assert "version 25.1" in text and "licence: CC BY 4.0" in text
    assert "retrieved (date not recorded)" in text and "Cite: Davies, Pettersson" in text
    assert "Under the chart:" in text and "Excluded as unrelated to Afghanistan" in text

    claims = _bar(page, "How the article's risk claims hold up across specifications")
    claims.get_by_role("button", name="Sources").click()
    assert claims.locator(".ab-quotes q").count() >= 1  # the claims' verbatim quotes


def test_the_image_buttons_export_through_plotly_offline(rendered, open_page):
    page, errors = open_page(rendered / "brief.html")
    bar = _bar(page, "The shift: exposure after minus before 31 August 2021")
    name, png = _download(page, bar.get_by_role("button", name="Image (PNG)"))
    assert name == "brief-the-shift-exposure-after-minus-before-31-august-2021.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    name, svg = _download(page, bar.get_by_role("button", name="Image (SVG)"))
    assert name.endswith(".svg") and svg.lstrip().startswith(b"<svg")
    assert b"The shift: exposure after minus before" in svg
    assert errors == []


@pytest.mark.parametrize(
    "name", ["index", "brief", "funding_freezes", "regional_risk", "actor_network"]
)
def test_axe_finds_no_serious_or_critical_violation(rendered, browser, name):
    from axe_playwright_python.sync_playwright import Axe

    path = rendered / f"{name}.html"
    assert check_page(browser, path).ok  # drawn, offline, before axe looks at it
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    if name != "index":
        page.wait_for_function("document.querySelectorAll('svg.main-svg[role=img]').length > 0")
    violations = Axe().run(page).response["violations"]
    context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == []


@pytest.mark.parametrize("name", ["index", "changes"])
def test_the_index_and_changes_pages_have_no_axe_violation_at_all(rendered, browser, name):
    """Not only serious and critical: a main landmark, captioned tables (moderate and minor
    rules included)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((rendered / f"{name}.html").resolve().as_uri())
    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    context.close()
    assert [f"{v['id']} ({v['impact']})" for v in violations] == []
