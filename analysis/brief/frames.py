"""The brief's tables: the observed windows capped by ``as_of``, headline figures with their
sources and qualifiers, and the claims-vs-outcomes verdicts.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd

from .. import funding, observed, risk
from ..exceptions import DataError, Problem
from ..tables import load_actors, load_claims, load_funding, load_sources

DataDir = str | os.PathLike | None


# The full reports the brief leads to: rendered as <name>.html beside it.
REPORTS = (
    ("funding_freezes", "Funding freezes", "what was frozen, blocked or halted, and what followed"),
    (
        "regional_risk",
        "Regional risk shift",
        "who faces which threat; what UCDP observed; verdicts",
    ),
    ("actor_network", "Actor network", "every actor and tie the article names, with quotes"),
)


BASELINE = (2018, 2020)  # three full years before the takeover and withdrawal


COMPARISON = (2022, 2024)  # the first full years after, up to the latest UCDP release


VIOLENCE_TYPES = ("state_based", "non_state", "one_sided")


# funding key figures the brief repeats, by their source: the article's, then the WDI context
BEST = "UCDP best estimate"


SEED_SOURCE = "asiatimes-2021-09"


EO_SOURCE = "wh-eo-2022-02-11"


@dataclass(frozen=True)
class Windows:
    """The observed windows the brief compares: baseline, and comparison (None if ``as_of`` comes
    before any full year after the withdrawal)."""

    baseline: tuple[int, int]
    comparison: tuple[int, int] | None


def windows(as_of: str, last_year: int | None = None) -> Windows:
    """Baseline 2018–2020 and comparison 2022–2024, the comparison ending at the last full year
    ``as_of`` covers (UCDP counts whole years) and at ``last_year``, the data's last year.

    >>> windows("2024-12-31"), windows("2023-06-30").comparison, windows("2022-06-30").comparison
    (Windows(baseline=(2018, 2020), comparison=(2022, 2024)), (2022, 2022), None)
    >>> windows("2025-12-31", last_year=2023).comparison
    (2022, 2023)
    """
    day = dt.date.fromisoformat(as_of)
    last_full = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    end = min(COMPARISON[1], last_full, last_year if last_year is not None else last_full)
    return Windows(BASELINE, (COMPARISON[0], end) if end >= COMPARISON[0] else None)


def source_label(source_id: str, sources: pd.DataFrame) -> str:
    """A short label for a source: publisher and year, or the dataset's title."""
    row = sources.loc[sources["source_id"] == source_id]
    if row.empty:
        raise DataError([Problem("sources.csv", f"unknown source '{source_id}'")])
    r = row.iloc[0]
    if r["kind"] == "dataset":
        return str(r["title"])
    return (
        f"{r['publisher']} ({r['published'].year})" if pd.notna(r["published"]) else r["publisher"]
    )


def funding_headlines(key_figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The funding report's stated figures (the article's and the executive order's) and the last
    reported Afghan reserves, with a source label each."""
    picked = key_figures[
        key_figures["source_id"].isin([SEED_SOURCE, EO_SOURCE])
        | key_figures["figure"].str.startswith("Afghan total reserves")
    ]
    picked = picked[~picked["qualifier"].astype(str).str.contains("derived")]  # stated only
    return pd.DataFrame(
        {
            "figure": picked["figure"],
            "value": picked["value"].astype(str),
            "unit": picked["unit"],
            "qualifier": picked["qualifier"].astype(str),
            "source": [source_label(s, sources) for s in picked["source_id"]],
        }
    )


def observed_headlines(
    obs: risk.Observed,
    claims: pd.DataFrame | None,
    win: Windows,
    sources: pd.DataFrame,
    robust: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Deaths in Afghanistan and Pakistan at the ends of the windows, the last Pakistan–TTP
    battle-death year covered, the robust verdict counts (with ``robust``) and, beside them, the
    tally on the chosen windows. Empty of post-withdrawal rows when ``win.comparison`` is None."""
    from ..tables.releases import loaded_info  # the loaded releases, not typed versions

    cy, brd = (
        f"{i.name} v{i.version}" if i.version else i.name
        for i in (loaded_info("ucdp_country_year"), loaded_info("ucdp_brd"))
    )
    totals = observed.country_year_deaths(obs.cells, obs.violence_types).set_index(["iso3", "year"])
    rows = []
    years = [win.baseline[1]] + ([win.comparison[1]] if win.comparison else [])
    for iso3, name in (("AFG", "Afghanistan"), ("PAK", "Pakistan")):
        for year in years:
            value = totals["deaths"].get((iso3, year))
            rows.append(
                (f"{name}, organised-violence deaths {year}", _count(value), "deaths", BEST, cy)
            )
    if win.comparison:
        ttp = observed.pakistan_ttp(obs.brd)
        ttp = ttp[(ttp["year"] <= win.comparison[1]) & ttp["deaths"].notna()]
        if not ttp.empty:
            last = ttp.iloc[-1]
            rows.append(
                (
                    f"Pakistan–TTP battle deaths {last['year']}",
                    _count(last["deaths"]),
                    "deaths",
                    BEST,
                    brd,
                )
            )
    if robust is not None:
        n, specs = len(robust), int(robust["specifications"].sum())
        for verdict in risk.ROBUST_VERDICTS:
            rows.append(
                (
                    f"Claim tests {verdict}",
                    str(int((robust["robust_verdict"] == verdict).sum())),
                    "tests",
                    f"of {n} tests, across {specs:,} specifications (robust verdicts)",
                    "seed claims vs UCDP, specification grid (analysis.risk)",
                )
            )
    if claims is not None:
        tally = claims["verdict"].value_counts()
        counts = " / ".join(
            str(int(tally.get(v, 0))) for v in ("supported", "contradicted", "not measurable")
        )
        rows.append(
            (
                "Claim tests on the chosen windows alone",
                counts,
                "tests",
                "supported / contradicted / not measurable, windows "
                f"{win.baseline[0]}–{win.baseline[1]} vs {win.comparison[0]}–{win.comparison[1]}"
                + (" (beside the robust verdicts above)" if robust is not None else ""),
                "seed claims vs UCDP (analysis.risk)",
            )
        )
    return pd.DataFrame(rows, columns=["figure", "value", "unit", "qualifier", "source"])


def headline_figures(
    as_of: str,
    obs: risk.Observed,
    claims: pd.DataFrame | None,
    *,
    unit: str = "bn",
    data_dir: DataDir = None,
    robust: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The brief's key table: every headline figure with its unit and source, as of ``as_of``
    (``obs`` from :func:`analysis.risk.load_observed`, ``claims`` from :func:`verdicts`,
    ``robust`` from :func:`robust`)."""
    from ..tables import load_wdi

    sources = load_sources(data_dir)
    key = funding.key_figures(
        load_funding(data_dir), load_wdi(data_dir), load_actors(data_dir), as_of=as_of, unit=unit
    )
    win = windows(as_of, obs.last_year)
    table = pd.concat(
        [funding_headlines(key, sources), observed_headlines(obs, claims, win, sources, robust)],
        ignore_index=True,
    )
    table.index = range(1, len(table) + 1)
    return table


def verdicts(
    obs: risk.Observed,
    win: Windows,
    data_dir: DataDir = None,
    thresholds: risk.Thresholds | None = None,
) -> pd.DataFrame | None:
    """The regional-risk report's chosen-window claims table for the brief's windows (None when
    ``as_of`` leaves no full year after the withdrawal)."""
    if win.comparison is None:
        return None
    return risk.claims_vs_outcomes(
        load_claims(data_dir),
        obs,
        list(win.baseline),
        list(win.comparison),
        min_change=(thresholds or risk.Thresholds()).min_change,
    )


def robust(
    obs: risk.Observed,
    win: Windows,
    as_of: str,
    thresholds: risk.Thresholds | None = None,
    data_dir: DataDir = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The regional-risk report's specification grid and robust verdicts for the brief's windows
    (``(None, None)`` when ``as_of`` leaves no full year after the withdrawal)."""
    if win.comparison is None:
        return None, None
    thresholds = thresholds or risk.Thresholds()
    claims = load_claims(data_dir)
    grid = risk.specification_grid(
        obs, claims, list(win.baseline), list(win.comparison), as_of=as_of, thresholds=thresholds
    )
    return grid, risk.robust_verdicts(grid, claims, thresholds)


VERDICT_TABLE_COLUMNS = risk.VERDICT_TABLE_COLUMNS


def verdict_table(table: pd.DataFrame | None) -> pd.DataFrame:
    """One row per claim test, for reading (:func:`analysis.risk.verdict_table`): the part
    tested, the robust verdict with its counts, the chosen-window verdict and evidence beside it,
    the caveat and the parts untested. A chosen-window table alone (:func:`verdicts`) gives the
    same columns with the robust ones empty; None an empty table."""
    if table is None:
        return pd.DataFrame(columns=VERDICT_TABLE_COLUMNS)
    if "robust_verdict" in table.columns:
        return risk.verdict_table(table)
    return pd.DataFrame(
        dict(
            claim_id=table["claim_id"],
            tested=table["target"],
            robust_verdict="",
            specifications="",
            chosen_verdict=table["verdict"],
            chosen_evidence=table["evidence"],
            caveat=table["caveat"],
            untested=table["untested"],
        )
    )[VERDICT_TABLE_COLUMNS].reset_index(drop=True)


def _count(value) -> str:
    return "no data" if value is None or pd.isna(value) else f"{int(value):,}"
