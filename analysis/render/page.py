"""One executed notebook as an offline HTML page, drawn by the report set's local plotly.js.

Under papermill, plotly shows a figure only as the ``application/vnd.plotly.v1+json``
mimetype, which nbconvert's HTML drops. The ``PlotlyOfflinePreprocessor`` adds a ``text/html``
version of each such output: a ``div`` drawn by the report set's one local copy of plotly.js
(``assets/plotly-<version>.min.js``) from the page's one packed block of figure data
(:mod:`.plots`). The template (lab, minus its CDN scripts: require.js,
MathJax, mermaid, widgets) links that script and the notebook CSS, also kept once in
``assets/``. Nothing on a page reaches the network; :func:`external_sources` proves it.
Each figure is named, described and given its bar of data, sources and image by :mod:`.panel`.

Outputs are not made more trusted than nbconvert makes them: a DataFrame's HTML is pandas'
escaped HTML, stream text is escaped by nbconvert, plotly's JSON escapes ``<``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
from pathlib import Path
from typing import Any

from . import panel, plots
from .a11y import name_tables

PLOTLY_MIME = "application/vnd.plotly.v1+json"


# The lab template without anything fetched from a CDN. `resources.assets` is the relative
# path from the page to assets/ ("assets" or "../assets").
TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<script src="{{ resources.assets }}/{{ resources.plotly_js }}"></script>
{%- if resources.panel_js %}
<script src="{{ resources.assets }}/{{ resources.panel_js }}" defer></script>
<link rel="stylesheet" href="{{ resources.assets }}/{{ resources.panel_css }}">
{%- endif %}
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
.jp-RenderedHTMLCommon a:link,.jp-RenderedHTMLCommon a:visited{text-decoration:underline}
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
{%- block body_footer -%}
{{ resources.ab_panels }}
{{ super() }}
{%- endblock body_footer -%}
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
    return {**names, **panel.write_assets(assets_dir)}


def _preprocessor_class():
    from nbconvert.preprocessors import Preprocessor

    class PlotlyOfflinePreprocessor(Preprocessor):
        """Give every plotly JSON output a ``text/html`` twin drawn by the local plotly.js."""

        def preprocess(self, nb, resources):
            resources["ab_registry"] = panel.Registry()
            resources["ab_plots"] = plots.Plots()
            nb, resources = super().preprocess(nb, resources)
            resources["ab_panels"] = (
                resources.pop("ab_registry").script() + resources.pop("ab_plots").script()
            )
            return nb, resources

        def preprocess_cell(self, cell, resources, index):
            for n, output in enumerate(cell.get("outputs", [])):
                data = output.get("data", {})
                if PLOTLY_MIME in data and "text/html" not in data:
                    figure, div_id = data[PLOTLY_MIME], f"figure-{index}-{n}"
                    if isinstance(figure, str):
                        figure = json.loads(figure)
                    resources["ab_registry"].add(div_id, figure)
                    plot = resources["ab_plots"].add(div_id, panel.without_meta(figure))
                    data["text/html"] = panel.figure_block(figure, div_id, plot)
            return cell, resources

    return PlotlyOfflinePreprocessor


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
    body = name_tables(body)  # a DataFrame of any notebook gets an accessible name
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
