"""Claims against outcomes: each risk claim of the article paired with an observed UCDP
indicator and a rule, its verdict, how the verdict depends on the windows, and the key figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import observed
from .assessment import DataDir

RISK_TOPICS = ("threat", "risk_shift")


VERDICTS = ("supported", "contradicted", "not measurable")


RULES = {
    "rise": "supported if the comparison window's mean is above the baseline's; contradicted "
    "if not; not measurable if either is missing",
    "no_rise": "supported if the comparison window's mean is at most the baseline's; "
    "contradicted if above; not measurable if either is missing",
    "positive": "supported if deaths are recorded in the comparison window (mean > 0); "
    "contradicted if none are; not measurable if missing",
    "zero": "supported if no deaths are recorded in the comparison window; contradicted if "
    "any are; not measurable if missing",
    "exceeds": "supported if the comparison-window mean of the first set is above that of the "
    "second; contradicted if not; not measurable if missing",
    "none": "not measurable with this data",
}


@dataclass(frozen=True)
class Indicator:
    """An observed series: what (``kind``) and where (``countries``)."""

    kind: str  # organised_violence, is_one_sided, pakistan_ttp, actor:<UCDP name>
    countries: tuple[str, ...] = ()

    def describe(self) -> str:
        where = ", ".join(observed.label(c) for c in self.countries)
        return {
            "organised_violence": f"organised-violence deaths (UCDP country-year) in {where}",
            "is_one_sided": f"civilians killed by IS (UCDP one-sided violence) in {where}",
            "pakistan_ttp": "Pakistan–TTP battle-related deaths (UCDP BRD)",
        }.get(self.kind, f"deaths UCDP attributes to {self.kind.split(':', 1)[-1]} in {where}")


@dataclass(frozen=True)
class ClaimTest:
    """One claim of claims.csv paired with an observed indicator and a rule."""

    claim_id: str
    target: str  # what part of the claim is tested, in a few words
    rule: str  # a key of RULES
    indicator: Indicator | None = None
    versus: Indicator | None = None  # the second set of an "exceeds" rule
    reason: str = ""  # why, for a "none" rule; caveats otherwise


NEIGHBOURS = observed.NEIGHBOURS


WEST = ("USA", *observed.WESTERN_EUROPE)


CLAIM_TESTS = (
    ClaimTest(
        "C02",
        "Afghanistan's terror potential on screens worldwide",
        "none",
        reason="media attention is not in UCDP",
    ),
    ClaimTest(
        "C06",
        "ISIS-K: neighbours vs the US, after",
        "exceeds",
        Indicator("is_one_sided", ("RUS", "CHN", "IRN", "PAK")),
        Indicator("is_one_sided", ("USA",)),
        reason="'for longer' is not testable; Pakistan's IS killings share a total with other "
        "groups, so the neighbours' sum is a lower bound",
    ),
    ClaimTest(
        "C07",
        "no direct ISIS-K threat to the US",
        "zero",
        Indicator("is_one_sided", ("USA",)),
        reason="IS in the US is not necessarily ISIS-K; the sleeper-cell exception is a "
        "condition, not a forecast",
    ),
    ClaimTest(
        "C12",
        "ISIS-K a direct danger to China",
        "positive",
        Indicator("is_one_sided", ("CHN",)),
        reason="a danger can exist without deaths; the rule asks whether IS killed anyone",
    ),
    ClaimTest(
        "C12",
        "ISIS-K a direct danger to Russia",
        "positive",
        Indicator("is_one_sided", ("RUS",)),
        reason="a danger can exist without deaths; the rule asks whether IS killed anyone",
    ),
    ClaimTest(
        "C13", "ISIS-K recruiting Taliban fighters", "none", reason="recruitment is not in UCDP"
    ),
    ClaimTest(
        "C16",
        "neighbours fear a coalition incl. al-Qaeda and ETIM",
        "none",
        reason="fears are not in UCDP; ETIM and al-Qaida have no UCDP dyad after 2022",
    ),
    ClaimTest(
        "C17",
        "jihad against China (Uighur 'liberation')",
        "rise",
        Indicator("actor:ETIM", ("CHN",)),
        reason="ETIM has no UCDP dyad after 2017: its activity is not measurable, not zero",
    ),
    ClaimTest(
        "C17",
        "jihad exported to Central Asia",
        "rise",
        Indicator("organised_violence", ("TJK", "UZB", "TKM")),
    ),
    ClaimTest("C17", "jihad exported to Iran", "rise", Indicator("is_one_sided", ("IRN",))),
    ClaimTest(
        "C18",
        "TTP ramps up its attacks in Pakistan",
        "rise",
        Indicator("pakistan_ttp", ("PAK",)),
        reason="the verdict depends on the baseline window: see the window comparison",
    ),
    ClaimTest(
        "C32", "risk grows in the neighbours", "rise", Indicator("organised_violence", NEIGHBOURS)
    ),
    ClaimTest(
        "C32",
        "risk recedes for the US and the West",
        "no_rise",
        Indicator("is_one_sided", WEST),
        reason="the West's pre-withdrawal risk to its forces in Afghanistan is not in UCDP "
        "(deaths are counted where they happen, not by nationality): IS killings at home",
    ),
    ClaimTest(
        "C34",
        "Afghanistan exports terror to Russia, China, Iran",
        "rise",
        Indicator("is_one_sided", ("RUS", "CHN", "IRN")),
        reason="that this serves US interests is not testable",
    ),
)


@dataclass(frozen=True)
class Observed:
    """The observed frames the claims are tested on."""

    cells: pd.DataFrame
    present: dict
    brd: pd.DataFrame
    acd: pd.DataFrame
    violence_types: tuple[str, ...] = observed.VIOLENCE_TYPES


def load_observed(
    violence_types: Iterable[str] = observed.VIOLENCE_TYPES, data_dir: DataDir = None
) -> Observed:
    """Load UCDP country-year, BRD, ACD and the actor map; build the cells once."""
    from .. import tables as external

    cy = external.load_ucdp_country_year(data_dir)
    actor_map = external.load_ucdp_actor_map(data_dir)
    cells = observed.violence_cells(cy, actor_map)
    return Observed(
        cells=cells,
        present=observed.actors_present(cy),
        brd=external.load_ucdp_brd(data_dir),
        acd=external.load_ucdp_acd(data_dir),
        violence_types=tuple(observed.check_violence_types(violence_types)),
    )


def indicator_series(obs: Observed, indicator: Indicator) -> pd.DataFrame:
    """Per year: deaths summed over the indicator's countries (NaN if any is missing), lower
    (the sum over the countries that are measurable: a lower bound, deaths being ≥ 0), status.

    Columns: year, deaths, lower, status. The frame's ``attrs["covered"]`` is the (first, last)
    year the dataset covers.
    """
    if indicator.kind == "pakistan_ttp":
        series = observed.pakistan_ttp(obs.brd)
        out = series.assign(lower=series["deaths"].fillna(0.0))[
            ["year", "deaths", "lower", "status"]
        ]
        out.attrs["covered"] = (int(obs.brd["year"].min()), int(obs.brd["year"].max()))
        return out
    if indicator.kind == "organised_violence":
        per = observed.country_year_deaths(obs.cells, obs.violence_types, western_europe=False)
        per = per[per["iso3"].isin(indicator.countries)].assign(
            status=lambda f: np.where(f["deaths"].isna(), "not separable", "reported")
        )
    elif indicator.kind == "is_one_sided" or indicator.kind.startswith("actor:"):
        actor = "IS" if indicator.kind == "is_one_sided" else indicator.kind.split(":", 1)[1]
        types = ["one_sided"] if indicator.kind == "is_one_sided" else obs.violence_types
        per = observed.actor_year_deaths(
            obs.cells, actor, indicator.countries, types, present=obs.present
        )
    else:
        raise ValueError(f"unknown indicator kind {indicator.kind!r}")
    rows = []
    for year, g in per.groupby("year", sort=True):
        missing = g[g["deaths"].isna()]
        status = "; ".join(f"{observed.label(r.iso3)}: {r.status}" for r in missing.itertuples())
        rows.append(
            dict(
                year=int(year),
                deaths=observed.sum_or_missing(g["deaths"]),
                lower=float(g["deaths"].fillna(0.0).sum()),
                status=status or "reported",
            )
        )
    out = pd.DataFrame(rows, columns=["year", "deaths", "lower", "status"])
    out.attrs["covered"] = (int(obs.cells["year"].min()), int(obs.cells["year"].max()))
    return out


def _window(series: pd.DataFrame, window, column: str = "deaths") -> tuple[float, str]:
    frame = pd.DataFrame({"year": series["year"], "deaths": series[column]})
    return observed.window_mean(frame, window, series.attrs.get("covered"))


def _mean_text(value: float, used: str, lower: float | None = None) -> str:
    """``2018–2020: 160.3/yr``; a missing mean as "no value" or "at least" its lower bound."""
    if pd.isna(value):
        shown = f"at least {_fmt(lower)}/yr" if lower else "no value"
    else:
        shown = f"{_fmt(value)}/yr"
    return f"{used}: {shown}" if used else shown


def _fmt(value: float) -> str:
    """``1,433``, ``48.7``, ``missing``."""
    if pd.isna(value):
        return "missing"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def evaluate(test: ClaimTest, obs: Observed, baseline, comparison) -> dict:
    """The verdict of one claim test for two windows, with the numbers behind it.

    Keys: baseline_mean, comparison_mean, baseline_used, comparison_used, versus_mean, verdict,
    evidence (the numbers in words), rule (text).
    """
    base, comp = observed.check_windows(baseline, comparison)
    result = dict(
        baseline_mean=np.nan,
        comparison_mean=np.nan,
        baseline_used="",
        comparison_used="",
        versus_mean=np.nan,
        rule=RULES[test.rule],
    )
    if test.rule == "none" or test.indicator is None:
        return {**result, "verdict": "not measurable", "evidence": test.reason}
    series = indicator_series(obs, test.indicator)
    b, b_used = _window(series, base)
    c, c_used = _window(series, comp)
    c_low, _ = _window(series, comp, "lower")
    result.update(baseline_mean=b, comparison_mean=c, baseline_used=b_used, comparison_used=c_used)
    missing = "; ".join(sorted({s for s in series["status"] if s != "reported"}))
    if test.rule in ("rise", "no_rise"):
        if np.isnan(b) or np.isnan(c):
            verdict = "not measurable"
        else:
            rose = c > b
            verdict = "supported" if rose == (test.rule == "rise") else "contradicted"
        evidence = f"{_mean_text(b, b_used)} → {_mean_text(c, c_used)}"
    elif test.rule in ("positive", "zero"):
        if c_low > 0:
            verdict = "supported" if test.rule == "positive" else "contradicted"
        elif c == 0:
            verdict = "contradicted" if test.rule == "positive" else "supported"
        else:
            verdict = "not measurable"
        evidence = _mean_text(c, c_used, c_low)
    elif test.rule == "exceeds":
        other = indicator_series(obs, test.versus)
        v, v_used = _window(other, comp)
        result["versus_mean"] = v
        if not np.isnan(v) and c_low > v:
            verdict = "supported"
        elif not np.isnan(v) and not np.isnan(c) and c <= v:
            verdict = "contradicted"
        else:
            verdict = "not measurable"
        evidence = f"{_mean_text(c, c_used, c_low)} vs {_mean_text(v, '')}"
    else:
        raise ValueError(f"unknown rule {test.rule!r}")
    if missing and verdict == "not measurable":
        evidence += f" ({missing})"
    if test.reason and verdict == "not measurable" and test.rule != "none":
        evidence += f"; {test.reason}"
    return {**result, "verdict": verdict, "evidence": evidence}


CLAIM_COLUMNS = [
    "claim_id",
    "target",
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


def claims_vs_outcomes(
    claims: pd.DataFrame,
    obs: Observed,
    baseline=observed.DEFAULT_BASELINE,
    comparison=observed.DEFAULT_COMPARISON,
    tests: Sequence[ClaimTest] = CLAIM_TESTS,
) -> pd.DataFrame:
    """Every risk claim (topic threat or risk_shift) with its test(s) and verdict.

    A risk claim with no test in ``tests`` gets one row "not measurable: no observed indicator
    paired"; a test whose claim is not in ``claims`` is skipped. Columns: :data:`CLAIM_COLUMNS`.
    """
    risk = claims[claims["topic"].astype(str).isin(RISK_TOPICS)]
    by_claim: dict[str, list[ClaimTest]] = {}
    for test in tests:
        by_claim.setdefault(test.claim_id, []).append(test)
    rows = []
    for claim in risk.itertuples(index=False):
        pairs = by_claim.get(claim.claim_id) or [
            ClaimTest(
                claim.claim_id,
                "the claim as a whole",
                "none",
                reason="no observed indicator paired with this claim",
            )
        ]
        for test in pairs:
            result = evaluate(test, obs, baseline, comparison)
            rows.append(
                dict(
                    claim_id=claim.claim_id,
                    target=test.target,
                    claim=claim.claim,
                    quote=claim.quote,
                    indicator=test.indicator.describe() if test.indicator else "none",
                    caveat=test.reason if test.rule != "none" else "",
                    **result,
                )
            )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def window_dependence(
    obs: Observed,
    test: ClaimTest | None = None,
    baselines: Sequence[Sequence[int]] = ((2015, 2017), (2018, 2020)),
    comparison=observed.DEFAULT_COMPARISON,
) -> pd.DataFrame:
    """The verdict of one test (default: C18, Pakistan–TTP battle deaths) under several baseline
    windows. Columns: baseline, baseline_mean, comparison, comparison_mean, change, verdict."""
    test = test or next(t for t in CLAIM_TESTS if t.claim_id == "C18")
    rows = []
    for window in baselines:
        result = evaluate(test, obs, window, comparison)
        rows.append(
            dict(
                claim_id=test.claim_id,
                baseline=result["baseline_used"],
                baseline_mean=result["baseline_mean"],
                comparison=result["comparison_used"],
                comparison_requested=f"{comparison[0]}–{comparison[1]}",
                comparison_mean=result["comparison_mean"],
                change=result["comparison_mean"] - result["baseline_mean"],
                verdict=result["verdict"],
            )
        )
    return pd.DataFrame(rows)


class Prose(str):
    """Text that Jupyter shows as Markdown when it is a cell's last expression."""

    def _repr_markdown_(self) -> str:
        return str(self)


ALTERNATIVE_BASELINES = ((2015, 2017), (2018, 2020))


def dependence_baselines(
    baseline=observed.DEFAULT_BASELINE, comparison=observed.DEFAULT_COMPARISON
) -> list[tuple[int, int]]:
    """The baselines to compare a verdict under: :data:`ALTERNATIVE_BASELINES` and the chosen
    one, in order, without repeats, keeping those that end before the comparison window."""
    base, comp = observed.check_windows(baseline, comparison)
    windows = sorted(set(ALTERNATIVE_BASELINES) | {base})
    return [w for w in windows if w[1] < comp[0]]


def window_dependence_text(table: pd.DataFrame, series: pd.DataFrame | None = None) -> Prose:
    """The window comparison in a few sentences, every number taken from ``table`` (and, when
    given, single years from ``series``: year, deaths)."""
    parts = []
    if series is not None:
        years = series.dropna(subset=["deaths"]).set_index("year")["deaths"]
        picks = [y for y in (2015, 2019, 2023) if y in years.index]
        if picks:
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


def key_figures(
    obs: Observed,
    exposure_table: pd.DataFrame,
    claims_table: pd.DataFrame,
    dependence: pd.DataFrame,
) -> pd.DataFrame:
    """The report's headline numbers: figure, value (rounded), unit, source. Deterministic."""
    totals = observed.country_year_deaths(obs.cells, observed.VIOLENCE_TYPES)
    total = totals.set_index(["iso3", "year"])["deaths_reported"]
    ttp = observed.pakistan_ttp(obs.brd).set_index("year")["deaths"]
    is_os = observed.actor_year_deaths(
        obs.cells, "IS", ["IRN", "RUS"], ["one_sided"], present=obs.present
    ).set_index(["iso3", "year"])["deaths"]
    top = exposure_table.sort_values(["shift", "iso3"], ascending=[False, True]).iloc[0]
    from ..tables.releases import loaded_info  # release facts read from the loaded data

    cy_info, brd_info = loaded_info("ucdp_country_year"), loaded_info("ucdp_brd")
    cy, brd = cy_info.versioned, brd_info.versioned
    cy_last, brd_last = cy_info.last_year, brd_info.last_year
    rows = [
        ("Afghanistan, organised-violence deaths 2021", total[("AFG", 2021)], "deaths", cy),
        ("Afghanistan, organised-violence deaths 2022", total[("AFG", 2022)], "deaths", cy),
        (f"Pakistan, organised-violence deaths {cy_last}", total[("PAK", cy_last)], "deaths", cy),
        ("Pakistan–TTP battle deaths 2015", ttp[2015], "deaths", brd),
        ("Pakistan–TTP battle deaths 2019", ttp[2019], "deaths", brd),
        ("Pakistan–TTP battle deaths 2021", ttp[2021], "deaths", brd),
        (f"Pakistan–TTP battle deaths {brd_last}", ttp[brd_last], "deaths", brd),
        (f"Civilians killed by IS in Iran {cy_last}", is_os[("IRN", cy_last)], "deaths", cy),
        (f"Civilians killed by IS in Russia {cy_last}", is_os[("RUS", cy_last)], "deaths", cy),
    ]
    for r in dependence.itertuples(index=False):
        rows.append(
            (
                f"TTP change {r.baseline}→{r.comparison}: {r.verdict}",
                r.change,
                "deaths per year",
                brd,
            )
        )
    rows.append(
        (
            f"Largest seed-assessed shift: {top['country']}",
            top["shift"],
            "score",
            "seed article, exposure formula",
        )
    )
    for verdict in VERDICTS:
        rows.append(
            (
                f"Claim tests {verdict}",
                int((claims_table["verdict"] == verdict).sum()),
                "tests",
                "claims vs outcomes",
            )
        )
    out = pd.DataFrame(rows, columns=["figure", "value", "unit", "source"])
    out["value"] = [round(float(v), 1) for v in out["value"]]
    return out
