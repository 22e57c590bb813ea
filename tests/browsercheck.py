"""Open rendered HTML pages in headless Chromium with networking off; count what drew.

Used by the browser tests. A page passes when every plotly figure container drew its SVG layers,
no JavaScript error was logged, and nothing tried to reach the network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# per figure container: did plotly lay it out and draw its SVG layers?
_DRAWN = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d =>
    !!d._fullLayout && d.querySelectorAll('svg.main-svg').length > 0
    && d.querySelectorAll('.trace, .shapelayer path').length > 0)"""


@dataclass
class PageResult:
    path: Path
    figures: int = 0
    drawn: int = 0
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # non-file URLs the page asked for

    @property
    def ok(self) -> bool:
        return self.figures == self.drawn and not self.errors and not self.requests

    def __str__(self) -> str:
        return (
            f"{self.path.name}: {self.drawn}/{self.figures} figures drew; "
            f"errors={self.errors}; network requests={self.requests}"
        )


@contextmanager
def offline_browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def check_page(browser, path: Path, timeout_ms: int = 15000) -> PageResult:
    result = PageResult(path)
    context = browser.new_context(offline=True)

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            result.requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: result.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            result.errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with suppress(PlaywrightTimeout):  # some figure never drew: counted below
        page.wait_for_function(f"({_DRAWN})().every(Boolean)", timeout=timeout_ms)
    drawn = page.evaluate(_DRAWN)
    result.figures, result.drawn = len(drawn), sum(drawn)
    context.close()
    return result
