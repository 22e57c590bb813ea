"""Funding freezes: what was frozen, blocked or halted, by whom, how much, out of what total, and
what the World Bank's series show for an aid-dependent economy.

Analysis functions are pure: they take validated frames (``load_funding()``, ``load_events()``,
``load_relations()``, ``load_actors()``, ``load_wdi()``) and return tidy frames. Chart functions
take those frames and return plotly figures finished with :func:`analysis.charts.finish`.

Rules this module keeps:

- An amount the source does not state stays missing: the World Bank's halt is "halted, amount not
  stated", drawn as a labelled marker, never as a bar of zero.
- A figure computed here is marked as derived, with its arithmetic and the quotes of both stated
  figures: "held elsewhere" is 9.5 − 7 = 2.5 bn USD, a subtraction, not a figure the article states,
  and the article does not say where that money is held.
- Years a series does not report are a gap with a "no data reported" marker, never zero (Afghan
  reserves stop after 2020: the central bank stopped reporting).
- ``as_of`` leaves out what is dated after it. A row is dated by the end of the period it speaks
  for: a day is that day, a month its last day, a year (and every WDI annual value) 31 December.

Parameters registered in :mod:`.rules`: ``unit``, ``show_context``, ``compare_countries`` (ISO3
codes of countries in the WDI table; aggregates WLD and SAS and Afghanistan itself are not
allowed: Afghanistan is always shown and an aggregate is not a country to compare with).

Modules: :mod:`.common` (units, dates, amounts as text), :mod:`.measures` (reserve composition,
freeze measures, the executive order, the timeline), :mod:`.economy` (WDI series and their gaps),
:mod:`.figures` (the key-figures table and its export records), :mod:`.prose` (sentences with
numbers, written from the data), :mod:`.charts` and :mod:`.economy_charts` (figures from those
frames), :mod:`.rules` (the report's parameter rules).

May import: pandas, numpy, plotly, :mod:`analysis.tables` (the data layer),
:mod:`analysis.charts` (shared conventions), :mod:`analysis.rules`, :mod:`analysis.figures`
(export records) and :mod:`analysis.exceptions`. Computation modules never import a chart module.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "ACTION_COLORS": "charts",
    "chart_freeze_measures": "charts",
    "chart_freeze_timeline": "charts",
    "chart_reserve_composition": "charts",
    "AFG": "common",
    "AGGREGATES": "common",
    "FIRST_YEAR": "common",
    "NO_DATA": "common",
    "QUALIFIER_WORDS": "common",
    "UNITS": "common",
    "amount_text": "common",
    "date_text": "common",
    "dated_by": "common",
    "fmt_number": "common",
    "period_end": "common",
    "unit_factor": "common",
    "unit_label": "common",
    "GDP_GROWTH": "economy",
    "IMF_CAVEAT": "economy",
    "IMF_CREDIT": "economy",
    "ODA_LEVEL": "economy",
    "ODA_SHARE": "economy",
    "RESERVES": "economy",
    "gaps": "economy",
    "gdp_growth": "economy",
    "imf_credit": "economy",
    "net_oda": "economy",
    "reserves": "economy",
    "wdi_series": "economy",
    "RESERVES_GAP_NOTE": "economy_charts",
    "WDI_CITATION": "economy_charts",
    "WDI_LICENCE": "economy_charts",
    "chart_gdp_growth": "economy_charts",
    "chart_imf_credit": "economy_charts",
    "chart_oda": "economy_charts",
    "chart_reserves": "economy_charts",
    "figure_records": "figures",
    "key_figures": "figures",
    "Prose": "prose",
    "aid_text": "prose",
    "composition_text": "prose",
    "money_text": "prose",
    "reserves_gap_text": "prose",
    "ACTIONS": "measures",
    "FREEZE_MEASURES": "measures",
    "TIMELINE_MEASURES": "measures",
    "TIMELINE_RELATIONS": "measures",
    "executive_order": "measures",
    "freeze_measures": "measures",
    "freeze_timeline": "measures",
    "reserve_composition": "measures",
    "COMPARE_COUNTRIES_RULE": "rules",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)
