"""The brief: the one page an analyst reads first, built from the other reports' functions.

Nothing here re-derives a figure: headline figures come from :func:`analysis.funding.key_figures`
and the observed series of :mod:`analysis.observed`; the charts are the funding, risk and observed
chart functions; the verdicts are the regional-risk report's robust verdicts
(:func:`analysis.risk.robust_verdicts`), always with the chosen-window verdict and the caveat
beside them. What this package adds is the selection, the ``as_of`` cut-off for the observed
windows, its sentences written from the data, and the links to the full reports.

Modules: :mod:`.frames` (windows, headline figures, verdicts), :mod:`.prose` (the sentences with
numbers), :mod:`.figures` (export records), :mod:`.charts` (the four key charts, drawn by the other
reports' chart functions).

May import: the other report packages (funding, risk, observed), :mod:`analysis.tables`,
:mod:`analysis.charts`, :mod:`analysis.figures` (export records) and :mod:`analysis.exceptions`.
Nothing imports the brief.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "claims_figure": "charts",
    "not_yet_observable": "charts",
    "observed_change_figure": "charts",
    "reserves_figure": "charts",
    "shift_figure": "charts",
    "BASELINE": "frames",
    "BEST": "frames",
    "COMPARISON": "frames",
    "DataDir": "frames",
    "EO_SOURCE": "frames",
    "REPORTS": "frames",
    "SEED_SOURCE": "frames",
    "VIOLENCE_TYPES": "frames",
    "Windows": "frames",
    "funding_headlines": "frames",
    "headline_figures": "frames",
    "observed_headlines": "frames",
    "source_label": "frames",
    "VERDICT_TABLE_COLUMNS": "frames",
    "robust": "frames",
    "verdict_table": "frames",
    "verdicts": "frames",
    "windows": "frames",
    "caveats_text": "prose",
    "claims_text": "prose",
    "headline_intro": "prose",
    "money_text": "prose",
    "observed_text": "prose",
    "sources_text": "prose",
    "figure_records": "figures",
    "verdict_records": "figures",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)
