"""Country risk profiles: one country's view of the regional risk report, for a parameter matrix
(one rendered profile per neighbour of Afghanistan: ``analysis/data/configs/neighbours.toml``).

Nothing here re-derives a number: the seed's assessment is :func:`analysis.risk.assess_exposure`
(default weights), the observed side is :func:`analysis.risk.load_observed` read through
:func:`analysis.observed.deaths_by_type`, :func:`~analysis.observed.country_year_deaths`,
:func:`~analysis.observed.compare_windows` and :func:`~analysis.observed.battle_deaths_by_group`.
What this package adds is the selection of one country, its threat statements by group, the
key figures with the dataset versions read from the data, and a summary in words computed from
them.

Modules: :mod:`.frames` (the profile, its key figures and summary), :mod:`.charts` (the threat
statements by militant group), :mod:`.rules` (the ``country`` parameter).

May import: :mod:`analysis.risk`, :mod:`analysis.observed`, :mod:`analysis.tables`,
:mod:`analysis.charts`, :mod:`analysis.rules` and :mod:`analysis.exceptions`. Computation
modules never import a chart module. Nothing imports a profile module but the notebooks.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "threats_chart": "charts",
    "COUNTRIES": "frames",
    "Profile": "frames",
    "country_profile": "frames",
    "dataset_versions": "frames",
    "key_figures": "frames",
    "summary": "frames",
    "threat_table": "frames",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)
