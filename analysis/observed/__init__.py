"""What UCDP observed: organised violence by country, year, type and actor, 2015–2024.

The observed half of the regional risk report (:mod:`analysis.risk` holds the seed's assessment
and the claims-vs-outcomes verdicts). Everything here is a plain function over the frames of
:mod:`analysis.tables`; loading happens only when a frame is not passed in.

**Cells.** The UCDP country-year file gives deaths per country, year and type of violence with the
list of active dyads, never deaths per dyad. Its types split without overlap into five *parts*:
state-based intrastate and interstate, non-state, and one-sided violence by a government or by a
non-state group (the file lists the one-sided dyads together; a dyad whose perpetrator is
``Government of ...`` belongs to the government part). :func:`violence_cells` returns one row per
country, year and part; the three violence types are sums of their parts.

**Exclusions.** Dyads unrelated to Afghanistan that would swamp a "shift" are removed
(:data:`EXCLUDED_DYADS`: the Russia–Ukraine war, the Wagner mutiny, the Kyrgyzstan–Tajikistan
border conflict). A part whose dyads are all excluded keeps 0 deaths (UCDP records no other
dyad there); a part that mixes excluded and kept dyads cannot be split with this data and becomes
**missing** (``status == "not separable"``), never a guess.

**Actors.** Each kept dyad is attributed to the first *group of interest* on either side, in the
order of :data:`ACTOR_GROUPS` (IS, TTP, Jaish al-Adl, al-Qaida, ETIM, Taleban, Government of
Afghanistan), read through ``ucdp_actor_map.csv`` at the place and on the days the dyad's sides
existed: IS is ISIS-K only where the map reads it so by location and date (UCDP has one IS actor
for every branch), "IS (other province)" elsewhere (Russia 2015–2020: the Caucasus province); the
Taliban are an insurgency (``Taleban``) to 15 August 2021 and the government (UCDP's Government
of Afghanistan) from then; 2021 NRF fighting counts for the Taliban government. A part's
deaths go to a group only when all its kept dyads belong to that group; otherwise to "several
actors". An actor's deaths in a year when UCDP lists no dyad of it anywhere are **not measurable**
(missing), not zero: ETIM after 2017, al-Qaida after 2022.

**Estimates.** Cells can be built on UCDP's best, low or high estimate; an estimate out of order
with the best (``afghan-brief validate`` warns of each) is missing, never used as a bound. Charts
of best estimates draw the low–high range as whiskers.

**Windows.** :func:`compare_windows` averages deaths per year in a baseline and a comparison
window. Years outside a dataset's coverage (the BRD release may end a year before the others) are
left out of the window and
the years used are shown; a missing value inside the coverage makes the window missing.

Modules: :mod:`.scope` (countries, years, violence types, window checks), :mod:`.actors`
(which group a dyad belongs to, read through the actor map), :mod:`.cells` (country-year cells
with exclusions, on UCDP's best, low or high estimate), :mod:`.battles` (battle deaths per
dyad and group, Pakistan–TTP, conflict intensity), :mod:`.windows` (window means and changes),
:mod:`.charts` and :mod:`.battle_charts` (figures from those frames).

May import: pandas, numpy, plotly, :mod:`analysis.tables`, :mod:`analysis.charts` and
:mod:`analysis.exceptions`. Computation modules never import a chart module.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "ACTOR_GROUPS": "actors",
    "ActorGroup": "actors",
    "GHANI": "actors",
    "GHANI_THEN_TALIBAN": "actors",
    "IS_OTHER": "actors",
    "ISIS_K": "actors",
    "OTHER": "actors",
    "SEVERAL": "actors",
    "TALIBAN_GOVERNMENT": "actors",
    "TALIBAN_INSURGENCY": "actors",
    "actor_group": "actors",
    "actors_present": "actors",
    "dyad_actors": "actors",
    "is_government_dyad": "actors",
    "is_reading": "actors",
    "battle_deaths_chart": "battle_charts",
    "is_one_sided_chart": "battle_charts",
    "ttp_chart": "battle_charts",
    "PAKISTAN_TTP_CONFLICT": "battles",
    "battle_deaths_by_group": "battles",
    "conflict_intensity": "battles",
    "dyad_battle_deaths": "battles",
    "pakistan_ttp": "battles",
    "CELL_COLUMNS": "cells",
    "ESTIMATES": "cells",
    "EXCLUDED_DYADS": "cells",
    "Exclusion": "cells",
    "actor_breakdown": "cells",
    "actor_year_deaths": "cells",
    "country_year_deaths": "cells",
    "sum_or_missing": "cells",
    "violence_cells": "cells",
    "COUNTRY_ORDER": "charts",
    "GROUP_COLORS": "charts",
    "IS_CAVEAT": "charts",
    "TYPE_COLORS": "charts",
    "UCDP_ACD": "charts",
    "UCDP_BRD": "charts",
    "UCDP_CY": "charts",
    "deaths_chart": "charts",
    "esc_label": "charts",
    "exclusion_note": "charts",
    "window_change_chart": "charts",
    "ALLOWED_COUNTRIES": "scope",
    "COUNTRY_LABELS": "scope",
    "DEFAULT_BASELINE": "scope",
    "DEFAULT_COMPARISON": "scope",
    "DataDir": "scope",
    "NEIGHBOURS": "scope",
    "OBSERVED_COUNTRIES": "scope",
    "PARTS": "scope",
    "VIOLENCE_LABELS": "scope",
    "VIOLENCE_TYPES": "scope",
    "WESTERN_EUROPE": "scope",
    "WEU": "scope",
    "YEARS": "scope",
    "check_countries": "scope",
    "check_violence_types": "scope",
    "check_window": "scope",
    "check_windows": "scope",
    "label": "scope",
    "compare_windows": "windows",
    "deaths_by_type": "windows",
    "window_mean": "windows",
    "compare_window_ranges": "windows",
    "country_year_ranges": "windows",
    "with_ranges": "windows",
    "error_arrays": "charts",
    "source": "charts",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)
