"""The specification grid: every claim test run on every defensible combination of choices, and
a robust verdict from the counts (a multiverse, or specification-curve, analysis).

The choices a verdict could turn on, all run:

- **baseline window**: 2015–2017, 2018–2020, 2015–2020 and the chosen one;
- **comparison window**: 2022–2023, 2022–2024, 2023–2024 and the chosen one, each ending at the
  last year the data cover and the last full year ``as_of`` allows (both read, never typed);
- **leave one year out** of each comparison window (does a verdict rest on one year's attack?);
- **UCDP's estimate**: low, best, high;
- **indicator**: the test's primary indicator and its defensible variants (:mod:`.definitions`).

Specifications that end up with the same years and choices are counted once, and one whose
window holds no year its data cover is not counted. Each test then gets counts of
specifications that support it, contradict it or cannot measure it, and a **robust verdict**
(:func:`robust_verdict`, thresholds :class:`Thresholds`, parameters of the report):

- *not measurable*: fewer than ``measurable_share`` of its specifications are measurable;
- *robust*: at least ``robust_share`` of the measurable ones support it;
- *contradicted*: at least ``robust_share`` of them contradict it;
- *fragile*: anything between.

The chosen-window verdict (chosen windows, best estimate, primary indicator) sits beside it.

May import: pandas, numpy, :mod:`analysis.observed`, :mod:`.definitions`, :mod:`.indicators`,
:mod:`.claims`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import observed
from ..exceptions import ParameterError
from .claims import MinChange, run_spec, tested_claims
from .definitions import CLAIM_TESTS, RULES, ClaimTest
from .indicators import ESTIMATES, Observed, years_text

BASELINES = ((2015, 2017), (2018, 2020), (2015, 2020))


COMPARISONS = ((2022, 2023), (2022, 2024), (2023, 2024))


ROBUST_VERDICTS = ("robust", "fragile", "contradicted", "not measurable")


@dataclass(frozen=True)
class Thresholds:
    """What counts as a change, and how many specifications make a verdict robust."""

    min_change_deaths: float = 25.0  # deaths a year
    min_change_percent: float = 20.0  # per cent of the lower value
    robust_share: float = 0.8  # of measurable specifications agreeing
    measurable_share: float = 0.3  # of all specifications measurable

    def __post_init__(self):
        for name in ("robust_share", "measurable_share"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ParameterError(f"{name} must be a share above 0 and at most 1; got {value!r}")
        if self.robust_share <= 0.5:
            raise ParameterError(
                f"robust_share must be above 0.5 (a majority); got {self.robust_share!r}"
            )
        MinChange(self.min_change_deaths, self.min_change_percent)  # checks both values

    @property
    def min_change(self) -> MinChange:
        return MinChange(self.min_change_deaths, self.min_change_percent)

    def describe(self) -> str:
        return (
            f"a change counts from {self.min_change.describe()}; robust when at least "
            f"{self.robust_share:.0%} of the measurable specifications support a claim "
            f"(contradicted when as many contradict it), not measurable when fewer than "
            f"{self.measurable_share:.0%} of them are measurable"
        )


def thresholds_from(p) -> Thresholds:
    """The thresholds of a checked parameter namespace (``analysis.check_parameters``)."""
    return Thresholds(p.min_change_deaths, p.min_change_percent, p.robust_share, p.measurable_share)


def last_full_year(as_of: str | None) -> int | None:
    """The last calendar year complete on ``as_of`` (UCDP counts whole years); None: no cap.

    >>> last_full_year("2024-12-31"), last_full_year("2024-06-30"), last_full_year(None)
    (2024, 2023, None)
    """
    if not as_of:
        return None
    day = dt.date.fromisoformat(as_of)
    return day.year if (day.month, day.day) == (12, 31) else day.year - 1


@dataclass(frozen=True)
class Choice:
    """A window of the grid: its label, the years it asks for, and how it was made."""

    label: str
    years: tuple[int, ...]
    kind: str = "window"  # "window" or "leave one out"
    left_out: int | None = None
    chosen: bool = False


def grid_windows(
    baseline: Sequence[int] = observed.DEFAULT_BASELINE,
    comparison: Sequence[int] = observed.DEFAULT_COMPARISON,
    last_year: int | None = None,
) -> tuple[list[Choice], list[Choice]]:
    """The baselines and comparison year-sets of the grid, the chosen windows among them;
    comparison windows end at ``last_year`` (a window starting after it is dropped)."""
    base, comp = observed.check_windows(baseline, comparison)
    baselines = [
        Choice(years_text(range(a, b + 1)), tuple(range(a, b + 1)), chosen=(a, b) == base)
        for a, b in dict.fromkeys([base, *BASELINES])
    ]
    comparisons: list[Choice] = []
    seen: set[tuple[int, ...]] = set()
    for a, b in dict.fromkeys([comp, *COMPARISONS]):
        end = b if last_year is None else min(b, last_year)
        if a > end:
            continue
        years = tuple(range(a, end + 1))
        windows = [Choice(years_text(years), years, chosen=(a, b) == comp)]
        if len(years) > 1:
            windows += [
                Choice(
                    f"{years_text(years)} without {y}",
                    tuple(x for x in years if x != y),
                    "leave one out",
                    y,
                )
                for y in years
            ]
        for w in windows:
            if w.years not in seen:
                seen.add(w.years)
                comparisons.append(w)
    return baselines, comparisons


SPEC_COLUMNS = [
    "claim_id",
    "test",
    "target",
    "rule",
    "variant",
    "variant_index",
    "estimate",
    "baseline",
    "comparison",
    "comparison_kind",
    "left_out",
    "baseline_used",
    "comparison_used",
    "baseline_mean",
    "comparison_mean",
    "versus_mean",
    "baseline_zero",
    "effect",
    "effect_lower",
    "effect_upper",
    "verdict",
    "why",
    "evidence",
    "chosen",
]


def specification_grid(
    obs: Observed,
    claims: pd.DataFrame,
    baseline: Sequence[int] = observed.DEFAULT_BASELINE,
    comparison: Sequence[int] = observed.DEFAULT_COMPARISON,
    *,
    as_of: str | None = None,
    thresholds: Thresholds = Thresholds(),
    tests: Sequence[ClaimTest] = CLAIM_TESTS,
    estimates: Sequence[str] = ESTIMATES,
) -> pd.DataFrame:
    """One row per specification of every tested claim (columns :data:`SPEC_COLUMNS`).

    ``chosen`` marks the chosen-window specification (chosen windows, best estimate, primary
    indicator). A test with rule "none" has no specification.
    """
    cap = last_full_year(as_of)
    last = obs.last_year if cap is None else min(cap, obs.last_year)
    baselines, comparisons = grid_windows(baseline, comparison, last)
    rows = []
    for claim, found in tested_claims(claims, tests):
        for test in found:
            for index, _ in enumerate(test.pairs()):
                for estimate in estimates:
                    for b in baselines:
                        for c in comparisons:
                            if max(b.years) >= min(c.years):
                                continue
                            spec = run_spec(
                                test,
                                obs,
                                b.years,
                                c.years,
                                pair=index,
                                estimate=estimate,
                                min_change=thresholds.min_change,
                            )
                            if spec["comparison_used"] == "not covered" or (
                                test.rule in ("rise", "no_rise", "zero")
                                and spec["baseline_used"] == "not covered"
                            ):
                                continue
                            rows.append(
                                dict(
                                    claim_id=claim.claim_id,
                                    test=test.key or claim.claim_id,
                                    target=test.target,
                                    rule=test.rule,
                                    variant_index=index,
                                    baseline=b.label,
                                    comparison=c.label,
                                    comparison_kind=c.kind,
                                    left_out=c.left_out,
                                    chosen=bool(
                                        b.chosen and c.chosen and index == 0 and estimate == "best"
                                    ),
                                    **spec,
                                )
                            )
    grid = pd.DataFrame(rows, columns=SPEC_COLUMNS)
    if grid.empty:
        return grid
    key = ["test", "variant_index", "estimate", "comparison_used"]
    key += ["baseline_used"]
    chosen = grid.groupby(key, sort=False)["chosen"].transform("any")
    grid = grid.assign(chosen=chosen).drop_duplicates(key, keep="first")
    return grid.reset_index(drop=True)


def robust_verdict(
    supported: int, contradicted: int, total: int, thresholds: Thresholds = Thresholds()
) -> str:
    """The robust verdict from a test's counts of specifications.

    >>> robust_verdict(9, 1, 12), robust_verdict(6, 4, 12), robust_verdict(1, 9, 10)
    ('robust', 'fragile', 'contradicted')
    >>> robust_verdict(2, 0, 10), robust_verdict(0, 0, 0)  # 2 of 10 measurable: under 30 %
    ('not measurable', 'not measurable')
    """
    measurable = supported + contradicted
    if total == 0 or measurable == 0 or measurable / total < thresholds.measurable_share:
        return "not measurable"
    if supported / measurable >= thresholds.robust_share:
        return "robust"
    if contradicted / measurable >= thresholds.robust_share:
        return "contradicted"
    return "fragile"


ROBUST_COLUMNS = [
    "claim_id",
    "test",
    "target",
    "untested",
    "claim",
    "quote",
    "rule",
    "indicator",
    "variants",
    "specifications",
    "supported",
    "contradicted",
    "not_measurable",
    "robust_verdict",
    "chosen_verdict",
    "chosen_evidence",
    "note",
    "caveat",
]


def robust_verdicts(
    grid: pd.DataFrame,
    claims: pd.DataFrame,
    thresholds: Thresholds = Thresholds(),
    tests: Sequence[ClaimTest] = CLAIM_TESTS,
) -> pd.DataFrame:
    """One row per test: the counts of its specifications, its robust verdict, the verdict at
    the chosen windows beside it, a note on what it rests on, its caveat and scope.
    Columns: :data:`ROBUST_COLUMNS`."""
    rows = []
    for claim, found in tested_claims(claims, tests):
        for test in found:
            key = test.key or claim.claim_id
            mine = grid[grid["test"] == key] if not grid.empty else grid
            counts = mine["verdict"].value_counts() if not mine.empty else pd.Series(dtype=int)
            s, c = int(counts.get("supported", 0)), int(counts.get("contradicted", 0))
            n = len(mine)
            chosen = mine[mine["chosen"]] if n else mine
            if test.rule == "none" or test.indicator is None:
                chosen_verdict, chosen_evidence = "not measurable", test.reason
            elif chosen.empty:
                chosen_verdict, chosen_evidence = "not measurable", "chosen windows not covered"
            else:
                chosen_verdict = chosen["verdict"].iloc[0]
                chosen_evidence = chosen["evidence"].iloc[0]
            rows.append(
                dict(
                    claim_id=claim.claim_id,
                    test=key,
                    target=test.target,
                    untested=test.untested,
                    claim=claim.claim,
                    quote=claim.quote,
                    rule=RULES[test.rule],
                    indicator=test.indicator.describe() if test.indicator else "none",
                    variants="; ".join(ind.label for ind, _ in test.pairs()),
                    specifications=n,
                    supported=s,
                    contradicted=c,
                    not_measurable=n - s - c,
                    robust_verdict=robust_verdict(s, c, n, thresholds),
                    chosen_verdict=chosen_verdict,
                    chosen_evidence=chosen_evidence,
                    note=_note(mine, test),
                    caveat=test.reason,
                )
            )
    return pd.DataFrame(rows, columns=ROBUST_COLUMNS)


def _note(mine: pd.DataFrame, test: ClaimTest) -> str:
    """What a verdict rests on: years whose removal flips the chosen verdict; for a "zero" test,
    the specifications whose baseline was zero too."""
    if mine.empty:
        return ""
    parts = []
    chosen = mine[mine["chosen"]]
    if not chosen.empty:
        row = chosen.iloc[0]
        same = mine[
            (mine["variant_index"] == 0)
            & (mine["estimate"] == "best")
            & (mine["baseline"] == row["baseline"])
            & (mine["comparison_kind"] == "leave one out")
            & mine["comparison"].str.startswith(row["comparison"] + " without")
        ]
        flips = same[same["verdict"] != row["verdict"]]
        for r in flips.itertuples(index=False):
            parts.append(f"without {int(r.left_out)}: {r.verdict}")
    if test.rule == "zero":
        zero = int(mine["baseline_zero"].sum())
        if zero:
            parts.append(
                f"baseline zero too in {zero} of {len(mine)} specifications: there the test "
                "cannot tell after from before"
            )
    return "; ".join(parts)


def robust_counts(robust: pd.DataFrame, column: str = "robust_verdict") -> dict[str, int]:
    """How many tests have each verdict (every verdict named, zeros included)."""
    names = (
        ROBUST_VERDICTS
        if column == "robust_verdict"
        else ("supported", "contradicted", "not measurable")
    )
    counts = robust[column].value_counts()
    return {v: int(counts.get(v, 0)) for v in names}


def share(part: int, whole: int) -> float:
    return math.nan if not whole else part / whole


VERDICT_TABLE_COLUMNS = [
    "claim_id",
    "tested",
    "robust_verdict",
    "specifications",
    "chosen_verdict",
    "chosen_evidence",
    "caveat",
    "untested",
]


def verdict_table(robust: pd.DataFrame) -> pd.DataFrame:
    """One row per claim test, for reading: the part of the claim tested, the robust verdict with
    its counts ("45 support, 0 contradict, 18 cannot measure (of 63)"), the chosen-window verdict
    and its evidence beside it, the caveat and the parts untested (:data:`VERDICT_TABLE_COLUMNS`).
    """
    counts = [
        f"{r.supported} support, {r.contradicted} contradict, {r.not_measurable} cannot "
        f"measure (of {r.specifications})"
        if r.specifications
        else "no indicator"
        for r in robust.itertuples(index=False)
    ]
    return pd.DataFrame(
        dict(
            claim_id=robust["claim_id"],
            tested=robust["target"],
            robust_verdict=robust["robust_verdict"],
            specifications=counts,
            chosen_verdict=robust["chosen_verdict"],
            chosen_evidence=robust["chosen_evidence"],
            caveat=robust["caveat"],
            untested=robust["untested"],
        )
    )[VERDICT_TABLE_COLUMNS].reset_index(drop=True)
