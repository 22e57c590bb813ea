"""Afghanistan after the August 2021 US withdrawal: validated data, analysis and chart functions.

>>> import analysis
>>> funding = analysis.load_funding()          # doctest: +SKIP
>>> analysis.validate_data().ok                # doctest: +SKIP

Names are imported on first use (PEP 562), so ``afghan-brief`` starts without loading pandas.
In a Jupyter kernel, importing the package also shows plotly figures without plotly's renderer
machinery (:mod:`analysis._display`): the same output, a few seconds sooner.
"""

from __future__ import annotations

from ._display import register as _register_display
from ._lazy import exports
from ._version import __version__ as __version__  # re-exported

_API = {
    # seed-derived tables
    "load_sources": "tables",
    "load_actors": "tables",
    "load_relations": "tables",
    "load_funding": "tables",
    "load_events": "tables",
    "load_claims": "tables",
    "load_strength_terms": "tables",
    # external tables and mappings
    "load_ucdp_country_year": "tables",
    "load_ucdp_acd": "tables",
    "load_ucdp_brd": "tables",
    "load_ucdp_actors": "tables",
    "load_wdi": "tables",
    "load_wdi_governance": "tables",
    "load_country_codes": "tables",
    "load_ucdp_actor_map": "tables",
    # checks
    "validate_data": "tables",
    "check_parameters": "parameters",
    # errors
    "AfghanBriefError": "exceptions",
    "DataError": "exceptions",
    "ParameterError": "exceptions",
}
# the layers, each a sub-package: data (tables), reports (funding, risk, observed, network,
# brief, profile, with the shared chart conventions in charts), and the rendering engine (render)
_MODULES = (
    "tables",
    "charts",
    "funding",
    "risk",
    "observed",
    "network",
    "brief",
    "profile",
    "render",
    "rules",
    "parameters",
    "figures",
)

__all__ = sorted([*_API, *_MODULES, "__version__"])

__getattr__, __dir__ = exports(__name__, _API, _MODULES)

_register_display()
