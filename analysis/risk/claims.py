"""Claims against outcomes on one specification: the rules, a minimum change, one test's verdict
with the numbers behind it, and the table of every claim at the chosen windows.

A rule compares window means per year (:mod:`.indicators`). A change counts only when it reaches
the **minimum change** (:class:`MinChange`: so many deaths a year *and* so many per cent of the
baseline). Where a series is a range (a total shared with other dyads), the rule asks whether the
whole range supports, or contradicts, the claim; if the range allows both, the test is not
measurable on that specification. The robust verdict over many specifications is in :mod:`.grid`.

May import: pandas, numpy, :mod:`analysis.observed`, :mod:`analysis.exceptions`,
:mod:`.definitions`, :mod:`.indicators`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import observed
from ..exceptions import ParameterError
from .definitions import RISK_TOPICS, RULES, ClaimTest
from .indicators import Observed, Window, series_map, window, years_text


@dataclass(frozen=True)
class MinChange:
    """The smallest change that counts: ``deaths`` a year and ``percent`` of the lower value."""

    deaths: float = 25.0
    percent: float = 20.0

    def __post_init__(self):
        for name in ("deaths", "percent"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
                raise ParameterError(f"the minimum change in {name} must be >= 0; got {value!r}")

    def reached(self, high: float, low: float) -> bool:
        """Whether ``high`` is above ``low`` by the minimum change (both conditions)."""
        if math.isnan(high) or math.isnan(low):
            return False
        return high - low >= self.deaths and high >= low * (1 + self.percent / 100)

    def describe(self) -> str:
        return f"{self.deaths:g} deaths a year and {self.percent:g} %"


def _fmt(value: float) -> str:
    """``1,433``, ``48.7``, ``missing``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if math.isinf(value):
        return "unbounded"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def window_text(w: Window) -> str:
    """``2018–2020: 160.3/yr``, or its range ``2022–2024: 80–142/yr`` when not separable."""
    if not w.covered:
        return "not covered"
    if w.exact:
        return f"{w.text}: {_fmt(w.mean)}/yr"
    if math.isinf(w.upper):
        return f"{w.text}: at least {_fmt(w.lower)}/yr" if w.lower else f"{w.text}: no value"
    return f"{w.text}: {_fmt(w.lower)}–{_fmt(w.upper)}/yr (not separable)"


def judge(
    rule: str,
    comp: Window,
    base: Window | None = None,
    versus: Window | None = None,
    min_change: MinChange = MinChange(),
) -> tuple[str, str]:
    """The verdict of one rule on window means (bounds included) and why, in a few words."""
    if not comp.covered or (base is not None and not base.covered):
        return "not measurable", "a window has no year the data cover"
    if rule in ("rise", "no_rise", "exceeds"):
        other = versus if rule == "exceeds" else base
        if other is None or not other.covered:
            return "not measurable", "nothing to compare with"
        clearly = min_change.reached(comp.lower, other.upper)
        possibly = min_change.reached(comp.upper, other.lower)
        unbounded = math.isinf(comp.upper) or math.isinf(other.upper)
        if unbounded and not clearly:
            return "not measurable", "a value is missing (not measurable, not zero)"
        if rule == "no_rise":
            if not possibly:
                return "supported", "no rise reaching the minimum change"
            if clearly:
                return "contradicted", "a rise of at least the minimum change"
        else:
            if clearly:
                return "supported", "above by at least the minimum change"
            if not possibly:
                return "contradicted", "not above by the minimum change"
        return "not measurable", "the data's range allows both"
    if rule == "positive":
        if comp.lower > 0:
            return "supported", "deaths recorded"
        if comp.upper == 0:
            return "contradicted", "no deaths recorded"
        return "not measurable", "a value is missing"
    if rule == "zero":
        if comp.lower > 0:
            return "contradicted", "deaths recorded"
        if comp.upper == 0:
            if base is not None and base.upper == 0:
                return "not measurable", "the baseline was zero too: cannot discriminate"
            if base is not None and base.lower > 0:
                return "supported", "none recorded, after some in the baseline"
            return "not measurable", "the baseline is missing"
        return "not measurable", "a value is missing"
    raise ValueError(f"unknown rule {rule!r}")


def effect(rule: str, comp: Window, base: Window | None, versus: Window | None) -> tuple:
    """What the rule compares, as (value, lower, upper): comparison − baseline for a change,
    first − second set for "exceeds", the comparison level for "positive"/"zero"."""
    if rule in ("rise", "no_rise") and base is not None:
        return comp.mean - base.mean, comp.lower - base.upper, comp.upper - base.lower
    if rule == "exceeds" and versus is not None:
        return comp.mean - versus.mean, comp.lower - versus.upper, comp.upper - versus.lower
    return comp.mean, comp.lower, comp.upper


def run_spec(
    test: ClaimTest,
    obs: Observed,
    base_years: Sequence[int],
    comp_years: Sequence[int],
    *,
    pair: int = 0,
    estimate: str = "best",
    min_change: MinChange = MinChange(),
) -> dict:
    """One specification of one test: its windows, verdict and the numbers (a dict)."""
    ind, vs = test.pairs()[pair]
    series = series_map(obs, ind, estimate)
    b, c = window(series, base_years), window(series, comp_years)
    v = window(series_map(obs, vs, estimate), comp_years) if vs is not None else None
    base = b if test.rule in ("rise", "no_rise", "zero") else None
    verdict, why = judge(test.rule, c, base, v, min_change)
    value, low, high = effect(test.rule, c, base, v)
    if test.rule in ("rise", "no_rise"):
        evidence = f"{window_text(b)} → {window_text(c)}"
    elif test.rule == "exceeds":
        evidence = f"{window_text(c)} vs {window_text(v).split(': ', 1)[-1]}"
    elif test.rule == "zero":
        evidence = f"{window_text(c)} (baseline {window_text(b)})"
    else:
        evidence = window_text(c)
    return dict(
        variant=ind.label,
        estimate=estimate,
        baseline_used=b.text if base is not None or test.rule == "zero" else "",
        comparison_used=c.text,
        baseline_mean=b.mean,
        comparison_mean=c.mean,
        versus_mean=v.mean if v is not None else np.nan,
        baseline_zero=bool(b.covered and b.upper == 0),
        effect=value,
        effect_lower=low,
        effect_upper=high,
        verdict=verdict,
        why=why,
        evidence=f"{evidence}; {why}",
    )


def evaluate(
    test: ClaimTest,
    obs: Observed,
    baseline,
    comparison,
    *,
    min_change: MinChange = MinChange(),
    estimate: str = "best",
) -> dict:
    """The verdict of one claim test for two windows on its primary indicator.

    Keys: baseline_mean, comparison_mean, baseline_used, comparison_used, versus_mean, verdict,
    evidence (the numbers in words and why), rule (text), effect and its bounds.
    """
    base, comp = observed.check_windows(baseline, comparison)
    if test.rule == "none" or test.indicator is None:
        return dict(
            baseline_mean=np.nan,
            comparison_mean=np.nan,
            baseline_used="",
            comparison_used="",
            versus_mean=np.nan,
            rule=RULES["none"],
            verdict="not measurable",
            evidence=test.reason,
            effect=np.nan,
            effect_lower=np.nan,
            effect_upper=np.nan,
            baseline_zero=False,
        )
    spec = run_spec(
        test,
        obs,
        range(base[0], base[1] + 1),
        range(comp[0], comp[1] + 1),
        estimate=estimate,
        min_change=min_change,
    )
    spec.pop("why")
    spec.pop("variant")
    spec.pop("estimate")
    return {**spec, "rule": RULES[test.rule]}


CLAIM_COLUMNS = [
    "claim_id",
    "test",
    "target",
    "untested",
    "claim",
    "quote",
    "indicator",
    "rule",
    "baseline_used",
    "baseline_mean",
    "comparison_used",
    "comparison_mean",
    "versus_mean",
    "verdict",
    "evidence",
    "caveat",
]


NO_TEST = "no test defined"


def tested_claims(claims: pd.DataFrame, tests: Sequence[ClaimTest]) -> list[tuple]:
    """(claim row, tests) for every risk claim and every claim a test names; a risk claim no
    test names gets a "no test defined" test (not measurable). Reads only claim_id, topic, claim
    and quote."""
    out = []
    for claim in claims[["claim_id", "topic", "claim", "quote"]].itertuples(index=False):
        found = [t for t in tests if t.matches(claim.claim_id, claim.quote)]
        if not found and str(claim.topic) in RISK_TOPICS:
            found = [
                ClaimTest(
                    claim.claim_id,
                    "the claim as a whole",
                    "none",
                    reason=f"{NO_TEST}: no observed indicator paired with this claim",
                    untested="the whole claim",
                    key=claim.claim_id,
                )
            ]
        if found:
            out.append((claim, found))
    return out


def claims_vs_outcomes(
    claims: pd.DataFrame,
    obs: Observed,
    baseline=observed.DEFAULT_BASELINE,
    comparison=observed.DEFAULT_COMPARISON,
    tests: Sequence[ClaimTest] | None = None,
    *,
    min_change: MinChange = MinChange(),
) -> pd.DataFrame:
    """Every tested claim (the risk claims, and any claim a test names) with its test(s) and
    the verdict at the chosen windows, on each test's primary indicator and UCDP's best estimate.

    Every row carries its caveat and the parts of the claim left untested. A risk claim with no
    test gets one row "not measurable: no test defined". Columns: :data:`CLAIM_COLUMNS`.
    """
    if tests is None:
        from .definitions import CLAIM_TESTS

        tests = CLAIM_TESTS
    rows = []
    for claim, found in tested_claims(claims, tests):
        for test in found:
            result = evaluate(test, obs, baseline, comparison, min_change=min_change)
            rows.append(
                dict(
                    claim_id=claim.claim_id,
                    test=test.key or claim.claim_id,
                    target=test.target,
                    untested=test.untested,
                    claim=claim.claim,
                    quote=claim.quote,
                    indicator=test.indicator.describe() if test.indicator else "none",
                    caveat=test.reason,
                    **{k: result[k] for k in CLAIM_COLUMNS if k in result},
                )
            )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def window_dependence(
    obs: Observed,
    test: ClaimTest | None = None,
    baselines: Sequence[Sequence[int]] = ((2015, 2017), (2018, 2020)),
    comparison=observed.DEFAULT_COMPARISON,
    *,
    min_change: MinChange = MinChange(),
) -> pd.DataFrame:
    """The verdict of one test (default: C18, Pakistan–TTP battle deaths) under several baseline
    windows. Columns: claim_id, baseline, baseline_mean, comparison, comparison_requested,
    comparison_mean, change, verdict."""
    from .definitions import CLAIM_TESTS

    test = test or next(t for t in CLAIM_TESTS if t.claim_id == "C18")
    rows = []
    for w in baselines:
        result = evaluate(test, obs, w, comparison, min_change=min_change)
        rows.append(
            dict(
                claim_id=test.claim_id,
                baseline=result["baseline_used"],
                baseline_mean=result["baseline_mean"],
                comparison=result["comparison_used"],
                comparison_requested=years_text(range(comparison[0], comparison[1] + 1)),
                comparison_mean=result["comparison_mean"],
                change=result["comparison_mean"] - result["baseline_mean"],
                verdict=result["verdict"],
            )
        )
    return pd.DataFrame(rows)


ALTERNATIVE_BASELINES = ((2015, 2017), (2018, 2020))


def dependence_baselines(
    baseline=observed.DEFAULT_BASELINE, comparison=observed.DEFAULT_COMPARISON
) -> list[tuple[int, int]]:
    """The baselines to compare a verdict under: :data:`ALTERNATIVE_BASELINES` and the chosen
    one, in order, without repeats, keeping those that end before the comparison window."""
    base, comp = observed.check_windows(baseline, comparison)
    windows = sorted(set(ALTERNATIVE_BASELINES) | {base})
    return [w for w in windows if w[1] < comp[0]]
