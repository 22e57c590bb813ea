"""Plotly figures shown in a Jupyter kernel without plotly's renderer machinery.

A plotly figure shows itself through ``plotly.io._renderers``, which imports ``nbformat`` at
module level; nbformat imports ``jsonschema``, whose format checkers import ``rfc3987_syntax``,
which builds some thirty parsers as it is imported: about 1–3 s before a report's first chart,
for a module that only decides which mimetype to send. In a plain ipykernel kernel plotly
sends one output, ``application/vnd.plotly.v1+json`` (its ``plotly_mimetype`` renderer): the
figure's JSON, which JupyterLab draws, nbval stores and the renderer turns into a page.

:func:`register` (called when ``analysis`` is imported) asks IPython to show plotly figures
with :func:`show`, which sends that same output built from the figure's JSON alone. Plotly's
own path is taken whenever its choice could differ: outside an ipykernel kernel (IPython in a
terminal), where plotly picks another renderer (``$PLOTLY_RENDERER``, Colab, Kaggle, Azure,
CoCalc, Databricks), and once ``plotly.io._renderers`` is loaded (a user set
``plotly.io.renderers.default``, or a FigureWidget was made): then the import costs nothing
more and plotly's settings decide. ``fig.show()`` is always plotly's.
``tests/test_display.py`` checks the output equals plotly's in a kernel.

Ground level: imports nothing of the package, and nothing at all until a figure is shown.
"""

from __future__ import annotations

import os
import sys
from typing import Any

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# environments where plotly picks a renderer other than its plotly mimetype in a kernel
_PLOTLY_ELSEWHERE = (
    "PLOTLY_RENDERER",
    "COLAB_NOTEBOOK_ID",
    "AZURE_NOTEBOOKS_HOST",
    "COCALC_PROJECT_ID",
    "DATABRICKS_RUNTIME_VERSION",
)
_RENDERERS = "plotly.io._renderers"


def mimebundle(fig: Any) -> dict[str, Any]:
    """The output plotly's ``plotly_mimetype`` renderer sends for ``fig``: its JSON, trace uids
    kept, no config (the renderer's config is empty unless a user set one)."""
    import json

    from plotly.io import to_json

    return {PLOTLY_MIME: json.loads(to_json(fig.to_dict(), validate=False, remove_uids=False))}


def show(fig: Any) -> None:
    """Display ``fig`` as plotly would in this kernel; see the module's docstring."""
    if _RENDERERS in sys.modules:
        fig._ipython_display_()  # what IPython does without this hook
        return
    from IPython.display import display

    display(mimebundle(fig), raw=True)


def _kernel_shell() -> Any:
    """The running ipykernel shell, or None (no IPython, a terminal, another frontend)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or not type(shell).__module__.startswith("ipykernel."):
        return None
    return shell


def register() -> bool:
    """In an ipykernel kernel where plotly would send its plotly mimetype, show plotly figures
    with :func:`show`. True when registered; cheap and harmless anywhere else."""
    shell = _kernel_shell()
    if shell is None or any(os.environ.get(v) for v in _PLOTLY_ELSEWHERE):
        return False
    if os.path.exists("/kaggle/input"):
        return False
    formatter = shell.display_formatter.ipython_display_formatter
    formatter.for_type_by_name("plotly.basedatatypes", "BaseFigure", show)
    return True
