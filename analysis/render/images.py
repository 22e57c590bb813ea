"""Static images of every figure of a report (``afghan-brief render --images png,svg``).

kaleido draws each figure of the executed notebook with the report set's own plotly.js in the
system's Chromium (or Chrome): no network, MathJax off. The images are written into the
report's work directory with its page, and published with it (:func:`publish`): the set in
``<out>/<name>.images/`` is replaced by one directory rename, never file by file, so a reader
sees the old set or the new one. A report rendered again without ``--images`` loses its old
images (they would no longer match its page). Needs the ``images`` extra
(``pip install 'afghan-brief[images]'``); :func:`check` says in one line what is missing
before any kernel starts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import AfghanBriefError, ParameterError

FORMATS = ("png", "svg")
SUFFIX = ".images"  # <out>/<name>.images/<NN>-<title>.<format>
WIDTH = 1050  # px, when a figure sets none: about the width a chart has on the page
PNG_SCALE = 2  # sharp on screens and slides
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PLOTLY_MIME = "application/vnd.plotly.v1+json"


class ImagesUnavailableError(AfghanBriefError):
    """Raised when ``--images`` is asked for but kaleido or a Chromium browser is missing."""

    exit_code = 2


class ImageExportError(AfghanBriefError):
    """Raised when a report's figures could not be exported (the report fails alone)."""

    exit_code = 4


def parse_formats(text: str | tuple | list | None) -> tuple[str, ...]:
    """``"png,svg"`` → ``("png", "svg")``; an unknown format is a ParameterError.

    >>> parse_formats("svg, png,svg")
    ('svg', 'png')
    """
    if not text:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(str(f).strip().lower() for f in items if str(f).strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ParameterError(
            f"--images {str(text)[:40]!r}: formats are {', '.join(FORMATS)} (comma-separated)",
            "images",
        )
    return formats


def browser_path() -> str | None:
    """The browser kaleido will drive: ``$BROWSER_PATH`` when set, else the first of
    :data:`BROWSERS` on the PATH."""
    given = os.environ.get("BROWSER_PATH")
    if given:
        return given
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def check(formats: tuple[str, ...]) -> str:
    """Before any kernel: kaleido importable and a browser there. Returns the browser's path;
    raises ImagesUnavailableError with one line saying what to install."""
    import importlib.util

    if importlib.util.find_spec("kaleido") is None:
        raise ImagesUnavailableError(
            "--images needs kaleido, which is not installed: pip install 'afghan-brief[images]'"
        )
    browser = browser_path()
    if browser is None:
        raise ImagesUnavailableError(
            "--images needs Chromium or Chrome and found none (no $BROWSER_PATH; none of "
            f"{', '.join(BROWSERS)} on the PATH): install one (Debian: apt-get install "
            "chromium) or set BROWSER_PATH"
        )
    if not (Path(browser).is_file() and os.access(browser, os.X_OK)):
        raise ImagesUnavailableError(
            f"--images: BROWSER_PATH={browser[:200]!r} is not an executable file"
        )
    return browser


@dataclass(frozen=True)
class ImageJob:
    """What every report of a run needs to export its figures."""

    formats: tuple[str, ...]
    browser: str
    plotly_js: Path  # the report set's own copy
    timeout: float = 90.0  # seconds per image


def figures(notebook_path: Path) -> list[dict]:
    """Every plotly figure of an executed notebook, in page order."""
    import nbformat

    nb = nbformat.read(notebook_path, as_version=4)
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get(PLOTLY_MIME)
            if figure is not None:
                found.append(json.loads(figure) if isinstance(figure, str) else figure)
    return found


def file_stem(n: int, figure: dict) -> str:
    """``03-total-reserves-incl-gold-wdi``: the figure's place on the page and its title.

    >>> file_stem(2, {"layout": {"title": {"text": "Deaths <b>by</b> year, 2015–2024"}}})
    '03-deaths-by-year-2015-2024'
    """
    from .panel import title_of  # here: a render without --images never loads the panel code

    slug = re.sub(r"[^a-z0-9]+", "-", title_of(figure).lower()).strip("-")[:60].rstrip("-")
    return f"{n + 1:02d}-{slug or 'chart'}"


INDEX = "index.json"  # in each images directory: the formats asked for, each file's chart


def export(notebook_path: Path, target: Path, job: ImageJob) -> list[str]:
    """Write every figure of the executed notebook into ``target`` in each format, with an
    ``index.json`` naming each file's chart; returns the file names. Raises ImageExportError
    when kaleido or the browser fails."""
    from .panel import title_of, without_meta

    target.mkdir(parents=True, exist_ok=True)
    todo, charts = [], []
    for n, figure in enumerate(figures(notebook_path)):
        figure = without_meta(figure)
        layout = figure.get("layout") or {}
        for fmt in job.formats:
            opts = {"format": fmt, "width": layout.get("width") or WIDTH}
            if layout.get("height"):
                opts["height"] = layout["height"]
            if fmt == "png":
                opts["scale"] = PNG_SCALE
            todo.append((f"{file_stem(n, figure)}.{fmt}", figure, opts))
            charts.append({"file": todo[-1][0], "chart": title_of(figure)})
    if todo:
        import asyncio  # here: a render that exports no image never loads it

        try:
            asyncio.run(_export(todo, target, job))
        except Exception as exc:  # kaleido, the browser, the figure: the report fails alone
            message = " ".join(str(exc).split())[:300] or type(exc).__name__
            raise ImageExportError(f"could not export the figures' images: {message}") from exc
    index = {"formats": list(job.formats), "images": charts}
    (target / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return [name for name, _, _ in todo]


async def _export(todo: list, target: Path, job: ImageJob) -> None:
    import kaleido

    async with kaleido.Kaleido(
        n=1, path=job.browser, plotlyjs=str(job.plotly_js), mathjax=False, timeout=job.timeout
    ) as k:
        for name, figure, opts in todo:
            await k.write_fig(figure, path=str(target / name), opts=opts)


def after_execute(outcome, name: str, job: ImageJob | None):
    """A report that executed: its images beside its page in the work directory, or the
    report failed (its previous good page and images stay)."""
    from .execute import CellError, Executed

    if job is None or outcome.status != "ok":
        return outcome
    try:
        export(outcome.work / f"{name}.ipynb", outcome.work / f"{name}{SUFFIX}", job)
    except ImageExportError as exc:
        error = CellError(None, None, type(exc).__name__, str(exc))
        return Executed("failed", outcome.duration, outcome.work, error)
    return outcome


def publish(work: Path, out: Path, name: str) -> dict | None:
    """Move a report's new images into place as one directory; without new images, remove the
    old ones (they show an earlier render). Returns the manifest's record of them."""
    new, live = work / f"{name}{SUFFIX}", out / f"{name}{SUFFIX}"
    old = work / f".old{SUFFIX}"
    if live.is_dir():
        os.replace(live, old)  # out of the way first: a rename cannot replace a full directory
    if not new.is_dir():
        shutil.rmtree(old, ignore_errors=True)
        return None
    os.replace(new, live)
    shutil.rmtree(old, ignore_errors=True)
    index = json.loads((live / INDEX).read_text(encoding="utf-8"))
    files = [f"{live.name}/{item['file']}" for item in index["images"]]
    return {"formats": index["formats"], "files": files}


def missing(entry: dict, out: Path, name: str, formats: tuple[str, ...]) -> bool:
    """Does an up-to-date report lack images in a format now asked for?"""
    if not formats:
        return False
    record = entry.get("images") or {}
    have = set(record.get("formats") or [])
    return not (set(formats) <= have and (out / f"{name}{SUFFIX}").is_dir())
