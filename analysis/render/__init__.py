"""The rendering engine: report notebooks into an offline HTML report set (``afghan-brief render``).

>>> from analysis import render
>>> run = render.render_all(render.default_reports("notebooks"), "reports")   # doctest: +SKIP
>>> run.exit_code                                                            # doctest: +SKIP
0
>>> render.render_report("notebooks/regional_risk.ipynb", {"focus_countries": ["PAK"]},
...                      "reports", name="risk_pakistan").status              # doctest: +SKIP
'ok'

A report is a notebook in ``notebooks/`` (its name is the file stem) or a named parameter set
of a TOML config. :func:`render_all`, under the output directory's lock:

1. resolves every report's parameters (defaults, config, ``-p``) and fingerprints its inputs:
   notebook bytes, parameters, the ``analysis/`` package (code and shipped data), the user's
   data files; a report whose fingerprint matches its last good render is skipped;
2. checks their data (:mod:`.datacheck`, exit 3), then their parameters
   (:func:`.parameters.validate`, exit 2; some rules read the data) before any kernel
   starts;
3. executes them with papermill, each in its own kernel — ``jobs`` at a time on local
   threads, or as tasks on a Dask cluster (``executor=DaskExecutor(...)``) — and moves each
   report's files into place whole from a temporary directory inside the output directory;
4. writes ``manifest.json``, ``index.html`` and a line of ``history.jsonl``.

A report that fails keeps its previous good files; its executed notebook (error cell marked)
goes to ``failed/``. Ctrl-C, SIGTERM or SIGHUP stops the kernels, removes the temporary files
and leaves every report as it was or wholly new. An output directory that cannot be written is
refused before anything is (exit 7, :mod:`.outdir`), which also cleans what a killed render
left and rebuilds a damaged manifest from the pages present.

Modules: :mod:`.reports` (what to render: notebooks, configs), :mod:`.matrix` (a config's
parameter matrices), :mod:`.parameters` (declared parameters, checked before any kernel),
:mod:`.datacheck` (the package's data, validated once), :mod:`.engine` (the run),
:mod:`.executors` (where reports run: local threads; :func:`render_task`, one report as bytes)
and :mod:`.cluster` (a Dask cluster), :mod:`.execute` (one report in its own kernel),
:mod:`.kernel` (that kernel started and stopped without idle waits),
:mod:`.page` (offline HTML), :mod:`.panel` (each chart's name, summary and bar: CSV, sources,
image), :mod:`.a11y` (an accessible name for every uncaptioned table), :mod:`.outputs` (each
cell's stored output capped), :mod:`.outdir` (the output directory checked, cleaned,
recovered), :mod:`.images` (``--images``: static images with kaleido), :mod:`.figures_out` and
:mod:`.changes` (key figures beside each page, what changed since the last render),
:mod:`.hooks` (``--on-change`` / ``--on-failure``), :mod:`.manifest` and :mod:`.index`
(fingerprints, manifest, history, index page), :mod:`.lock` (one render per output
directory, signals), :mod:`.deferred` (``rfc3987_syntax``, which jsonschema imports for
nbformat, imported only if called) and :mod:`.bench` (``make bench``, with
:mod:`.bench_measure` and :mod:`.bench_report`). The command line (:mod:`analysis.cli`)
sits above the engine and the data layer and composes them.

May import: the standard library, papermill, nbconvert, nbformat, plotly (for its offline
script), distributed (in :mod:`.cluster` only, the optional ``dask`` extra), kaleido (in
:mod:`.images` only, the optional ``images`` extra), :mod:`analysis.exceptions`,
:mod:`analysis.rules`, :mod:`analysis.files`, and the data layer through :mod:`.datacheck`
only. Nothing here imports a report module (funding, risk, observed, network, brief, charts).
"""

from __future__ import annotations

from . import deferred, executors
from .cluster import DaskExecutor
from .engine import render_all, render_report
from .execute import CellError, execute_report
from .executors import LocalExecutor, render_task
from .reports import (
    Report,
    ReportInfo,
    default_reports,
    find_notebooks,
    list_reports,
    load_config,
    select_reports,
)
from .results import Progress, RenderInterrupted, RenderResult, RunResult

__all__ = [
    "CellError",
    "DaskExecutor",
    "LocalExecutor",
    "Progress",
    "RenderInterrupted",
    "RenderResult",
    "Report",
    "ReportInfo",
    "RunResult",
    "default_reports",
    "execute_report",
    "executors",
    "find_notebooks",
    "list_reports",
    "load_config",
    "render_all",
    "render_report",
    "render_task",
    "select_reports",
]

# nothing above imports nbformat: the stand-in is in place before it imports jsonschema
deferred.defer()
