"""The regional-risk report's sentences with numbers in them, written from the data and the
parameters, never typed: which data and years, the windows, the thresholds, the verdict counts,
the window dependence and the caveats. Each function returns :class:`Prose` (Markdown in
Jupyter).

May import: pandas, :mod:`analysis.observed`, :mod:`.indicators`, :mod:`.grid`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import observed
from .grid import BASELINES, COMPARISONS, ROBUST_VERDICTS, Thresholds, last_full_year, robust_counts
from .indicators import Observed


class Prose(str):
    """Text that Jupyter shows as Markdown when it is a cell's last expression."""

    def _repr_markdown_(self) -> str:
        return str(self)


def span(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def sources_text(obs: Observed) -> Prose:
    """The UCDP datasets used, each with its release and years, read from the data."""
    versions, years = obs.versions(), obs.years()
    names = {
        "country-year": "UCDP Country-Year Dataset on Organized Violence",
        "BRD": "UCDP Battle-Related Deaths (dyadic)",
        "ACD": "UCDP/PRIO Armed Conflict Dataset",
    }
    parts = [f"{names[k]} v{versions[k]} ({span(*years[k])})" for k in names if k in versions]
    return Prose(
        "**Data.** " + "; ".join(parts) + " (all CC BY 4.0; citations under each chart). "
        f"Observed years run {span(*years['country-year'])}."
    )


def windows_text(
    obs: Observed, baseline: Sequence[int], comparison: Sequence[int], as_of: str | None = None
) -> Prose:
    """The chosen windows and the years the data cover in each."""
    base, comp = observed.check_windows(baseline, comparison)
    last = obs.last_year
    cap = last_full_year(as_of)
    end = min(comp[1], last, cap) if cap is not None else min(comp[1], last)
    text = (
        f"The chosen windows: a baseline of {span(*base)} against a comparison of "
        f"{span(comp[0], end)}"
    )
    if end < comp[1]:
        why = f"the data end in {last}" if end == last else f"`as_of` ({as_of}) ends it"
        text += f" ({span(*comp)} requested; {why})"
    brd_last = obs.years().get("BRD", (None, last))[1]
    if brd_last < end:
        text += f". Battle-death series (UCDP BRD) end in {brd_last}: their windows use the years "
        text += "they cover, and every table shows the years used"
    return Prose(text + ".")


def thresholds_text(thresholds: Thresholds) -> Prose:
    """The report's thresholds (parameters), in words."""
    t = thresholds
    return Prose(
        f"**Thresholds** (parameters of this report): a change counts only from "
        f"**{t.min_change_deaths:g} deaths a year and {t.min_change_percent:g} %** "
        f"(`min_change_deaths`, `min_change_percent`); a verdict is **robust** when at least "
        f"**{t.robust_share:.0%}** of the measurable specifications support it, **contradicted** "
        f"when as many contradict it, **fragile** in between (`robust_share`), and **not "
        f"measurable** when fewer than **{t.measurable_share:.0%}** of its specifications can be "
        "measured (`measurable_share`)."
    )


def grid_text(
    grid: pd.DataFrame,
    baseline: Sequence[int],
    comparison: Sequence[int],
    obs: Observed,
    as_of: str | None = None,
) -> Prose:
    """What the specification grid varies, and how many specifications it ran."""
    base, comp = observed.check_windows(baseline, comparison)
    bases = ", ".join(span(*w) for w in dict.fromkeys([*BASELINES, base]))
    comps = ", ".join(span(*w) for w in dict.fromkeys([*COMPARISONS, comp]))
    cap = last_full_year(as_of)
    last = obs.last_year if cap is None else min(cap, obs.last_year)
    tests = grid["test"].nunique() if not grid.empty else 0
    return Prose(
        f"Each claim test runs on every combination of: baseline windows {bases}; comparison "
        f"windows {comps}, each ending by {last} (the last year the data and `as_of` allow), and "
        "each with one year left out in turn; UCDP's low, best and high estimates; and the "
        "test's primary indicator and its defensible variants. Specifications with the same "
        f"years and choices count once: **{len(grid):,} specifications over {tests} tests**."
    )


def robust_summary(
    robust: pd.DataFrame, baseline: Sequence[int], comparison: Sequence[int]
) -> Prose:
    """The robust verdict counts, with the chosen-window counts beside them, never alone."""
    base, comp = observed.check_windows(baseline, comparison)
    r = robust_counts(robust)
    c = robust_counts(robust, "chosen_verdict")
    robust_part = ", ".join(f"**{r[v]} {v}**" for v in ROBUST_VERDICTS)
    chosen_part = ", ".join(f"{n} {v}" for v, n in c.items())
    agree = {"robust": "supported", "contradicted": "contradicted", "fragile": ""}
    expected = robust["robust_verdict"].map(lambda v: agree.get(v, v))
    differ = robust[expected != robust["chosen_verdict"]]
    text = (
        f"Across their specifications, the {len(robust)} claim tests are {robust_part}. "
        f"On the chosen windows alone ({span(*base)} against {span(*comp)}, best estimate, "
        f"primary indicator) the same tests are {chosen_part}."
    )
    if len(differ):
        text += (
            f" For {len(differ)} tests the verdict on the chosen windows differs from the robust "
            "one (fragile, or robust where the chosen windows cannot measure it): "
            + ", ".join(sorted(differ["test"]))
            + "."
        )
    return Prose(text)


def window_dependence_text(table: pd.DataFrame, series: pd.DataFrame | None = None) -> Prose:
    """The window comparison in a few sentences, every number taken from ``table`` (and, when
    given, from ``series``: year, deaths — its first year, its lowest and its last)."""
    parts = []
    if series is not None:
        years = series.dropna(subset=["deaths"]).set_index("year")["deaths"]
        if not years.empty:
            picks = sorted({int(years.index[0]), int(years.idxmin()), int(years.index[-1])})
            parts.append(
                "Pakistan–TTP battle-related deaths were "
                + ", ".join(f"{years[y]:,.0f} in {y}" for y in picks)
                + "."
            )
    for row in table.itertuples(index=False):
        if pd.isna(row.change):
            parts.append(f"Against a {row.baseline} baseline the verdict is **{row.verdict}**.")
            continue
        direction = "above" if row.change > 0 else "at or below"
        cut = (
            f" ({row.comparison_requested} requested; the data end in {row.comparison[-4:]})"
            if row.comparison != row.comparison_requested
            else ""
        )
        parts.append(
            f"Against a {row.baseline} baseline ({row.baseline_mean:,.0f} a year), the "
            f"{row.comparison} mean{cut} of {row.comparison_mean:,.0f} a year is {direction} "
            f"it: by the rule, the claim is **{row.verdict}**."
        )
    if table["verdict"].nunique() > 1:
        parts.append(
            "The verdict turns on the baseline: the choice of window decides the answer, so "
            "both are shown."
        )
    return Prose(" ".join(parts))


def absence_text(obs: Observed, actors: Sequence[str] = ("ETIM", "al-Qaida")) -> Prose:
    """When UCDP last lists a dyad of each actor (its activity after that is not measurable)."""
    years = sorted(obs.present)
    parts = []
    for actor in actors:
        listed = [y for y in years if actor in obs.present[y]]
        if not listed:
            parts.append(f"{actor} has no UCDP dyad in {span(years[0], years[-1])}")
        elif listed[-1] < years[-1]:
            parts.append(f"{actor} has no UCDP dyad after {listed[-1]}")
    if not parts:
        return Prose("")
    return Prose(
        "; ".join(parts)
        + ": their activity then is not measurable here, which is not the same as zero."
    )


def caveats_text(obs: Observed) -> Prose:
    """The report's caveats, each data fact read from the data (the IS reading from the actor
    map, the actors UCDP stops listing)."""
    reading = observed.is_reading(obs.actor_map) if obs.actor_map is not None else ""
    return Prose(
        "**Caveats.** UCDP counts a dyad only from 25 deaths a year; small attacks appear only "
        f"as one-sided violence. {reading} {absence_text(obs)} Deaths are counted where they "
        "happen, not by the victims' nationality. The exposure scores measure what the article "
        "says, not what happened."
    )
