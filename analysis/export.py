"""One report's work: execute its notebook with papermill, export it to an offline HTML page.

:func:`execute_report` runs a notebook in its own kernel (papermill's engine) and writes the
executed notebook and its page into a work directory; the renderer moves them into place.

Under papermill, plotly shows a figure only as the ``application/vnd.plotly.v1+json``
mimetype, which nbconvert's HTML drops. :class:`PlotlyOfflinePreprocessor` adds a ``text/html``
version of each such output: a ``div`` drawn by the report set's one local copy of plotly.js
(``assets/plotly-<version>.min.js``). The template (lab, minus its CDN scripts: require.js,
MathJax, mermaid, widgets) links that script and the notebook CSS, also kept once in
``assets/``. Nothing on a page reaches the network; :func:`external_sources` proves it.

Outputs are not made more trusted than nbconvert makes them: a DataFrame's HTML is pandas'
escaped HTML, stream text is escaped by nbconvert, plotly's JSON escapes ``<``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lock import Kernels

PLOTLY_MIME = "application/vnd.plotly.v1+json"
DEFAULT_FIGURE_HEIGHT = "480px"

# The lab template without anything fetched from a CDN. `resources.assets` is the relative
# path from the page to assets/ ("assets" or "../assets").
TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<script src="{{ resources.assets }}/{{ resources.plotly_js }}"></script>
{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block notebook_css -%}
<link rel="stylesheet" href="{{ resources.assets }}/{{ resources.notebook_css }}">
<style>
a.anchor-link{display:none}.jp-Collapser{display:none}
.jp-InputArea,.jp-InputArea-editor{overflow:hidden}
.jp-OutputArea-output pre{line-height:inherit;font-family:inherit}
.jp-RenderedText pre{color:var(--jp-content-font-color1);font-size:var(--jp-code-font-size)}
main{max-width:70rem;margin:0 auto}
.ab-params{font:13px/1.4 var(--jp-code-font-family,monospace);color:#444;background:#f6f6f6;
border-radius:4px;padding:.5rem .8rem;margin:1rem 20px}
.ab-params summary{cursor:pointer}
@media print{.jp-Cell-inputWrapper,.jp-Cell-outputWrapper{display:block}}
</style>
{%- endblock notebook_css -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.ab_params %}
<details class="ab-params"><summary>Parameters of this report</summary>
<pre>{{ resources.ab_params | e }}</pre></details>
{%- endif %}
{%- endblock body_header -%}
"""


def plotly_js_name() -> str:
    """The file name of the local plotly.js, versioned so pages and script always match."""
    from plotly.offline import get_plotlyjs_version

    return f"plotly-{get_plotlyjs_version()}.min.js"


def _notebook_css() -> str:
    """The lab template's own stylesheets (layout and light theme), as one text."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    for base in TemplateExporter().template_paths:
        static = Path(base) / "lab" / "static"
        if (static / "index.css").is_file():
            return "\n".join(
                (static / name).read_text(encoding="utf-8")
                for name in ("index.css", "theme-light.css")
            )
    raise FileNotFoundError("nbconvert's lab template (static/index.css) is not installed")


def write_assets(assets_dir: Path) -> dict[str, str]:
    """Put plotly.js and the notebook CSS in ``assets_dir`` once; return their file names.

    Each file is written whole (temp file, then rename) and only when missing, so pages of an
    earlier run keep working while a new run renders.
    """
    from plotly.offline import get_plotlyjs

    from .manifest import atomic_write_text

    assets_dir.mkdir(parents=True, exist_ok=True)
    names = {"plotly_js": plotly_js_name()}
    target = assets_dir / names["plotly_js"]
    if not target.is_file():
        atomic_write_text(target, get_plotlyjs())
    css = _notebook_css()
    names["notebook_css"] = f"notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    target = assets_dir / names["notebook_css"]
    if not target.is_file():
        atomic_write_text(target, css)
    return names


def _preprocessor_class():
    from nbconvert.preprocessors import Preprocessor

    class PlotlyOfflinePreprocessor(Preprocessor):
        """Give every plotly JSON output a ``text/html`` twin drawn by the local plotly.js."""

        def preprocess_cell(self, cell, resources, index):
            for n, output in enumerate(cell.get("outputs", [])):
                data = output.get("data", {})
                if PLOTLY_MIME in data and "text/html" not in data:
                    data["text/html"] = figure_html(data[PLOTLY_MIME], f"figure-{index}-{n}")
            return cell, resources

    return PlotlyOfflinePreprocessor


def figure_html(figure: dict | str, div_id: str) -> str:
    """A plotly figure (the mimetype's JSON) as a div and the script that draws it; plotly.js
    itself is loaded once by the page."""
    import plotly.io as pio

    if isinstance(figure, str):
        figure = json.loads(figure)
    return pio.to_html(
        figure,
        config=figure.get("config"),
        include_plotlyjs=False,
        full_html=False,
        validate=False,
        div_id=div_id,
        default_height=DEFAULT_FIGURE_HEIGHT,
    )


_local = threading.local()  # one exporter per thread: exporters are not thread-safe


def _exporter(show_code: bool):
    cache = getattr(_local, "exporters", None)
    if cache is None:
        cache = _local.exporters = {}
    if show_code not in cache:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name="lab",
            exclude_input=not show_code,
            exclude_input_prompt=not show_code,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            embed_images=True,
        )
        exporter.raw_template = TEMPLATE
        exporter.register_preprocessor(_preprocessor_class()(), enabled=True)
        cache[show_code] = exporter
    return cache[show_code]


def notebook_html(
    nb: Any,
    assets: dict[str, str],
    *,
    show_code: bool = False,
    assets_href: str = "assets",
    parameters: dict | None = None,
    title: str | None = None,
) -> str:
    """Export an executed notebook (a NotebookNode) to one self-standing offline HTML page.

    ``assets`` are the names :func:`write_assets` returned; ``assets_href`` is the path from the
    page to the assets directory. ``parameters`` are listed in a collapsed box at the top.
    """
    resources = {
        "assets": assets_href,
        **assets,
        "ab_params": "\n".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in (parameters or {}).items()
        ),
    }
    if title:
        resources["metadata"] = {"name": title}  # the page's <title> (unless the notebook has one)
    body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    problems = external_sources(body)
    if problems:
        raise ValueError(f"page would load from the network: {', '.join(problems[:3])}")
    return body


_RESOURCE = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?"
    r"\b(src|href|data|poster|srcset)\s*=\s*([\"']?)\s*((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\"')\s]+)", re.I)


def external_sources(page: str) -> list[str]:
    """Every URL a page would fetch from the network by itself: script, stylesheet, image,
    frame and media sources, CSS ``url()`` and ``@import``. Plain ``<a href>`` links are not
    fetched and are allowed."""
    found = [m.group(4) for m in _RESOURCE.finditer(page)]
    found += [m.group(1) for m in _CSS_URL.finditer(page)]
    return [html.unescape(u) for u in found]


# ---------------------------------------------------------------------------------------------
# Executing one report: papermill in its own kernel, then the page


@dataclass(frozen=True)
class CellError:
    """Where and how a report failed. ``cell_index`` counts the notebook file's cells from 0
    (as ``nb.cells`` does); ``execution_count`` is the ``In [n]`` of the executed notebook."""

    cell_index: int | None
    execution_count: int | None
    ename: str
    evalue: str
    source: str = ""  # the failing cell's first line

    @property
    def summary(self) -> str:
        where = "before any cell ran" if self.cell_index is None else f"cell {self.cell_index}"
        if self.execution_count is not None:
            where += f" (In [{self.execution_count}])"
        return f"{where}: {self.ename}: {self.evalue}"

    def as_dict(self) -> dict:
        return {**asdict(self), "summary": self.summary}


@dataclass
class Executed:
    """One report's execution: ``work`` holds ``<name>.ipynb`` and ``<name>.html`` (for a
    failure: the notebook with its error cell marked, and a page with the code shown)."""

    status: str  # "ok", "failed", "interrupted"
    duration: float
    work: Path
    error: CellError | None = None


KERNEL = "python3"


def execute_report(
    name: str,
    notebook: Path,
    parameters: dict[str, Any],
    work: Path,
    *,
    assets: dict[str, str],
    kernels: Kernels,
    output_path: Path | None = None,
    show_code: bool = False,
    timeout: float | None = None,
    on_start: Callable[[int], None] | None = None,
    on_cell: Callable[[int], None] | None = None,
) -> Executed:
    """Execute ``notebook`` with ``parameters`` in a new ``python3`` kernel (papermill's engine,
    without its path handlers, which change the process's working directory), then export it.

    The kernel runs in the notebook's directory. ``output_path`` is where the notebook will be
    published (recorded in its metadata). ``on_start(code_cells)`` and ``on_cell(n)`` report
    progress from this thread. A cell that raises, a dead kernel or a timeout is a failure.
    """
    import nbformat
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook

    started = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{name}.ipynb"
    nb = _load_for_papermill(notebook)
    nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL, language="python")
    nb = prepare_notebook_metadata(nb, str(notebook), str(output_path or executed))
    nb = remove_error_markers(nb)
    count = [0]

    def on_cell_start(cell, cell_index, **_):
        if cell.cell_type == "code" and on_cell is not None:
            count[0] += 1
            on_cell(count[0])

    if on_start is not None:
        on_start(sum(c.cell_type == "code" for c in nb.cells))
    try:
        papermill_engines.execute_notebook_with_engine(
            None,
            nb,
            kernel_name=KERNEL,
            input_path=str(notebook),
            output_path=None,  # no autosave after every cell: one write at the end
            progress_bar=False,
            log_output=False,
            start_timeout=60,
            execution_timeout=timeout,
            kernel_manager_class=kernels.manager_class(name, work / "kernel.log"),
            resources={"metadata": {"path": str(notebook.parent)}},
            on_cell_start=on_cell_start,
        )
        raise_for_execution_errors(nb, str(executed))  # writes the marked notebook, raises
    except PapermillExecutionError as exc:
        (work / "kernel.log").unlink(missing_ok=True)  # the error is in the notebook
        cells = remove_error_markers(nbformat.read(executed, as_version=4)).cells
        error = CellError(
            _source_index(cells, exc.cell_index),
            exc.exec_count,
            exc.ename,
            _one_line(exc.evalue),
            _first_line(exc.source),
        )
        return _failed(name, executed, error, parameters, assets, started)
    except Exception as exc:  # the kernel died, a cell timed out, the kernel did not start
        if kernels.cancelled.is_set():
            return Executed("interrupted", time.monotonic() - started, work)
        error = _mark_dead_cell(nb, exc)
        nbformat.write(nb, executed)
        return _failed(name, executed, error, parameters, assets, started)
    finally:
        kernels.discard(name)
    nbformat.write(nb, executed)
    page = notebook_html(
        nb, assets, show_code=show_code, parameters=_shown(parameters), title=_title(nb, name)
    )
    (work / f"{name}.html").write_text(page, encoding="utf-8")
    (work / "kernel.log").unlink(missing_ok=True)
    return Executed("ok", time.monotonic() - started, work)


def _load_for_papermill(path: Path):
    """The notebook as papermill's loader prepares it (metadata papermill expects)."""
    import nbformat
    from papermill import __version__ as papermill_version

    nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault(
        "papermill",
        {
            "default_parameters": {},
            "parameters": {},
            "environment_variables": {},
            "version": papermill_version,
        },
    )
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    return nb


def _mark_dead_cell(nb, exc: Exception) -> CellError:
    """The cell running when the kernel died or timed out, marked the way papermill marks a
    cell that raised (a red banner on top, an anchor before the cell)."""
    import nbformat
    from papermill.execute import ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_MESSAGE_TEMPLATE

    started = [
        i for i, c in enumerate(nb.cells) if c.metadata.get("papermill", {}).get("start_time")
    ]
    at = started[-1] if started else None
    cell = nb.cells[at] if at is not None else None
    error = CellError(
        _source_index(nb.cells, at) if at is not None else None,
        cell.get("execution_count") if cell is not None else None,
        type(exc).__name__,
        _one_line(str(exc)) or "no message",
        _first_line(cell.source) if cell is not None else "",
    )
    if at is not None:
        anchor = nbformat.v4.new_markdown_cell(ERROR_ANCHOR_MSG)
        top = nbformat.v4.new_markdown_cell(ERROR_MESSAGE_TEMPLATE % str(error.execution_count))
        anchor.metadata["tags"] = top.metadata["tags"] = [ERROR_MARKER_TAG]
        nb.cells.insert(at, anchor)
        nb.cells.insert(0, top)
    return error


def _failed(name, executed: Path, error, parameters, assets, started) -> Executed:
    """A failed run's page (code shown, for debugging) beside its marked notebook; the page is
    written for ``failed/``, one level below the assets."""
    import nbformat

    with suppress(Exception):  # the notebook is what matters; the page is a convenience
        nb = nbformat.read(executed, as_version=4)
        page = notebook_html(
            nb,
            assets,
            show_code=True,
            assets_href="../assets",
            parameters=_shown(parameters),
            title=f"FAILED: {_title(nb, name)}",
        )
        (executed.parent / f"{name}.html").write_text(page, encoding="utf-8")
    return Executed("failed", time.monotonic() - started, executed.parent, error)


def _source_index(cells: list, index: int) -> int:
    """Index in the notebook file of an executed notebook's cell (papermill inserted one)."""
    injected = [
        i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])
    ]
    return index - sum(i < index for i in injected)


def _first_line(source: str) -> str:
    lines = [ln for ln in source.splitlines() if ln.strip()]
    return lines[0].strip()[:120] if lines else ""


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0][:300] if lines else ""


def _title(nb, fallback: str) -> str:
    """The page title: the first ``# heading`` of the first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
            break
    return fallback


def _shown(parameters: dict) -> dict:
    return {k: v for k, v in parameters.items() if not (k == "data_dir" and v == "")}
