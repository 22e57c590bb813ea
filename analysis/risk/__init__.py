"""Regional risk shift: who the seed says faces which group's threat, before and after 31 August
2021, and how each of its risk claims fares against what UCDP observed.

The observed side lives in :mod:`analysis.observed`; this package holds the seed's assessment
(:mod:`.assessment`, with which statements count in :mod:`.counting`) and the
claims against outcomes, by concern: what each claim is tested
against (:mod:`.definitions`: the part tested and untested, the rule, the indicator and its
variants, the caveat), the observed series with their bounds (:mod:`.indicators`), the rules and
the chosen-window verdicts (:mod:`.claims`), the specification grid and robust verdicts
(:mod:`.grid`), sentences written from the data (:mod:`.prose`), key figures and export records
(:mod:`.figures`); the report's parameter rules (:mod:`.rules`) and the charts (:mod:`.charts`,
:mod:`.spec_charts`).

**Claims against outcomes.** Each testable part of a claim is run over a grid of specifications
(baseline and comparison windows, a year left out, UCDP's low/best/high estimate, indicator
variants); a change counts only above a minimum change; each test gets counts of specifications
that support, contradict or cannot measure it and a robust verdict (robust / fragile /
contradicted / not measurable), shown beside the chosen-window verdict and its caveat.

**Threat edges.** From ``relations.csv``: every ``threatens`` or ``attacks`` row whose subject is
a militant group and whose object is a state or a group of states, with the period it speaks for
(``before`` / ``after`` the withdrawal, or ``both``) and its ``wording``, the phrase of the quote
that carries the tie's strength.

**Strength** (1 weak, 2 moderate, 3 strong) is read from ``wording`` by the lexicon
``strength_terms.csv`` (term, strength, rationale): the wording and the terms are compared in
lower case with curly apostrophes made straight, every term found in the wording is a match, and
the **longest** matching term wins (a tie goes to the term listed first). So "no longer faces any
direct or immediate threat" (1: the threat is denied) beats "threat" (2). A wording that no term
matches is an error (:class:`~analysis.exceptions.DataError` naming the relation and its wording):
no strength is ever defaulted; add a term to the lexicon.

**Which statements count** (:mod:`.counting`): every threat edge carries how the article makes
it (``stance``, ``voice``, ``repeats``; see :mod:`analysis.tables.schemas`). An edge counts when
its stance is one of ``counted_stances`` (a parameter; by default ``asserted`` and ``expected``)
and it is said in the author's or a named speaker's voice. A denial never counts ("the US no
longer faces any direct or immediate threat" adds nothing), nor a statement of an anonymous
source, nor a repeat (a photo caption restating the text counts once, as the original). An edge
that does not count stays in the tables with contribution 0 and the reason.

**Exposure** of a state in a period is a sum over the counted threat edges that reach it::

    exposure(state, period) = Σ over counted edges reaching the state of
        w_strength(edge) × w_kind(edge) × w_period(edge, period) × share(state, edge)

- ``w_strength``: ``weight_weak``, ``weight_moderate`` or ``weight_strong`` by the edge's strength;
- ``w_kind``: 1 for ``threatens`` (the unit), ``weight_attack`` for ``attacks``;
- ``w_period``: 1 if the edge's period is that period, ``weight_both`` in each period if it is
  ``both``, else 0;
- ``share``: 1 for the state an edge names; for a group of states (:data:`GROUP_MEMBERS`) each
  member gets ``1 / members`` (``group_spread="split"``) or 1 (``"full"``).

Each edge counts once, so a threat the article states in several passages weighs more (a row
marked as repeating another does not count at all). The
**shift** is ``exposure(after) − exposure(before)``. :func:`sensitivity` recomputes the ranking over
a grid of weights (each strength weight ×0.5, ×1, ×2 keeping weak ≤ moderate ≤ strong,
``weight_attack`` and ``weight_both`` likewise, both spreads) and reports how often each state
ranks first and its range of ranks.

May import: pandas, numpy, plotly, :mod:`analysis.tables`, :mod:`analysis.observed`,
:mod:`analysis.charts`, :mod:`analysis.rules`, :mod:`analysis.figures` (export records) and
:mod:`analysis.exceptions`. Computation modules never import a chart module.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "PERIOD_COLORS": "charts",
    "PERIOD_NAMES": "charts",
    "SEED_SOURCE": "charts",
    "VERDICT_COLORS": "charts",
    "claims_chart": "charts",
    "collapse_groups": "charts",
    "exposure_chart": "charts",
    "sensitivity_chart": "charts",
    "shift_chart": "charts",
    "ALTERNATIVE_BASELINES": "claims",
    "CLAIM_COLUMNS": "claims",
    "MinChange": "claims",
    "NO_TEST": "claims",
    "claims_vs_outcomes": "claims",
    "dependence_baselines": "claims",
    "evaluate": "claims",
    "judge": "claims",
    "run_spec": "claims",
    "tested_claims": "claims",
    "window_dependence": "claims",
    "AFGHANISTAN_INDICATORS": "definitions",
    "AFGHANISTAN_IS": "definitions",
    "AFGHANISTAN_PAKISTAN": "definitions",
    "CLAIM_TESTS": "definitions",
    "ClaimTest": "definitions",
    "Indicator": "definitions",
    "NEIGHBOURS": "definitions",
    "ORIGINAL_TESTS": "definitions",
    "PAKISTAN_TTP": "definitions",
    "RISK_TOPICS": "definitions",
    "RULES": "definitions",
    "TTP_FAMILY": "definitions",
    "VERDICTS": "definitions",
    "WEST": "definitions",
    "is_civilians": "definitions",
    "is_violence": "definitions",
    "jihadist": "definitions",
    "organised": "definitions",
    "figure_records": "figures",
    "key_figures": "figures",
    "verdict_records": "figures",
    "BASELINES": "grid",
    "COMPARISONS": "grid",
    "ROBUST_VERDICTS": "grid",
    "Thresholds": "grid",
    "grid_windows": "grid",
    "last_full_year": "grid",
    "robust_counts": "grid",
    "robust_verdict": "grid",
    "robust_verdicts": "grid",
    "specification_grid": "grid",
    "thresholds_from": "grid",
    "VERDICT_TABLE_COLUMNS": "grid",
    "verdict_table": "grid",
    "ESTIMATES": "indicators",
    "Observed": "indicators",
    "indicator_series": "indicators",
    "load_observed": "indicators",
    "window": "indicators",
    "actor_deaths_with_ranges": "indicators",
    "totals_with_ranges": "indicators",
    "window_changes": "indicators",
    "years_text": "indicators",
    "Prose": "prose",
    "absence_text": "prose",
    "caveats_text": "prose",
    "grid_text": "prose",
    "robust_summary": "prose",
    "sources_text": "prose",
    "thresholds_text": "prose",
    "window_dependence_text": "prose",
    "windows_text": "prose",
    "indicator_chart": "spec_charts",
    "robust_chart": "spec_charts",
    "specification_curves": "spec_charts",
    "DataDir": "assessment",
    "GROUP_MEMBERS": "assessment",
    "OBJECT_KINDS": "assessment",
    "PERIODS": "assessment",
    "STRENGTH_LABELS": "assessment",
    "STRENGTH_TERMS": "assessment",
    "SUBJECT_KINDS": "assessment",
    "THREAT_RELATIONS": "assessment",
    "Weights": "assessment",
    "assess_exposure": "assessment",
    "edge_contributions": "assessment",
    "edge_targets": "assessment",
    "exposure": "assessment",
    "load_strength_terms": "assessment",
    "match_strength": "assessment",
    "sensitivity": "assessment",
    "threat_edges": "assessment",
    "weight_grid": "assessment",
    "weights_from": "assessment",
    "COUNTABLE_STANCES": "counting",
    "DEFAULT_STANCES": "counting",
    "check_stances": "counting",
    "counting_summary": "counting",
    "counting_text": "counting",
    "not_counted": "counting",
    "with_counting": "counting",
    "STANCES_RULE": "rules",
    "MEASURABLE_RULE": "rules",
    "MIN_CHANGE_DEATHS_RULE": "rules",
    "MIN_CHANGE_PERCENT_RULE": "rules",
    "ROBUST_SHARE_RULE": "rules",
    "WEIGHT_RULE": "rules",
    "YEAR_RULE": "rules",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)
