"""The brief's sentences with numbers in them, written from the data and its parameters: the
datasets and years, the windows, the money, the claims' verdict counts and the caveats.

Nothing is typed that depends on data: a newer UCDP release, another ``as_of`` or other
thresholds change the text with the figures.
"""

from __future__ import annotations

import pandas as pd

from .. import funding, observed, risk
from ..tables import load_actors, load_funding, load_wdi
from .frames import DataDir, Windows


def span(window) -> str:
    return f"{window[0]}–{window[1]}" if window[0] != window[1] else str(window[0])


def sources_text(obs: risk.Observed) -> risk.Prose:
    """The sources of the brief, with each UCDP release and its years read from the data."""
    data = risk.sources_text(obs).replace("**Data.** ", "")
    return risk.Prose(
        "**Sources.** The seed article (Asia Times, September 2021), quoted verbatim in the full "
        "reports; a White House fact sheet on the US executive order on Afghan central-bank "
        "assets; "
        + data.replace(" (all CC BY 4.0; citations under each chart)", "")
        + " World Bank World Development Indicators. All data CC BY 4.0."
    )


def headline_intro(win: Windows, as_of: str) -> risk.Prose:
    """What the headline table holds and which windows its observed figures use."""
    text = (
        "What the article stated about the money (the World Bank's halted funding has no amount "
        "because the article gives none), what the executive order did with the US-held "
        "reserves, the last reserves figure the central bank reported, and what UCDP counted. "
        f"`as_of` ({as_of}) leaves out whatever is dated after it"
    )
    if win.comparison is None:
        return risk.Prose(text + ": no full year after the withdrawal is observed yet.")
    return risk.Prose(
        text + f"; the observed windows are {span(win.baseline)} against {span(win.comparison)} "
        "(the comparison ends at the last full year `as_of` and the data cover)."
    )


def money_text(as_of: str, unit: str = "bn", data_dir: DataDir = None) -> risk.Prose:
    """The money, as the article states it (:func:`analysis.funding.money_text`)."""
    rows = load_funding(data_dir)
    composition = funding.reserve_composition(rows, as_of=as_of, unit=unit)
    measures = funding.freeze_measures(rows, load_actors(data_dir), as_of=as_of, unit=unit)
    return risk.Prose(str(funding.money_text(composition, measures, unit)))


def observed_text(win: Windows) -> risk.Prose:
    """What the observed-change chart shows, with its windows."""
    if win.comparison is None:
        return risk.Prose("No full year after the withdrawal is covered yet.")
    return risk.Prose(
        f"Mean organised-violence deaths a year in {span(win.baseline)} against "
        f"{span(win.comparison)} (UCDP best estimates, low–high ranges as whiskers), with dyads "
        "unrelated to Afghanistan removed where they can be; a total that cannot be separated is "
        "missing, never zero, and a zero sits in its own lane, never at a small number on the "
        "log axis."
    )


def claims_text(
    robust: pd.DataFrame | None,
    win: Windows,
    thresholds: risk.Thresholds,
    dependence: pd.DataFrame | None = None,
) -> risk.Prose:
    """The claims section's lead: how verdicts are reached, the robust counts with the
    chosen-window counts beside them, and the window dependence of the TTP claim."""
    if robust is None or win.comparison is None:
        return risk.Prose("No full year after the withdrawal is observed yet: no verdict.")
    parts = [
        "Each testable part of the article's risk claims is run over a grid of specifications "
        "(baseline and comparison windows, a year left out, UCDP's low, best and high estimates, "
        f"defensible indicator variants); {thresholds.describe()}.",
        str(risk.robust_summary(robust, win.baseline, win.comparison)),
    ]
    if dependence is not None and len(dependence) > 1:
        d = dependence.dropna(subset=["baseline_mean"])
        described = ", ".join(
            f"{r.baseline_mean:,.0f} a year in {r.baseline}" for r in d.itertuples(index=False)
        )
        parts.append(
            f"The TTP claim shows why: Pakistan–TTP battle deaths were {described}, so the "
            "claim reads differently against each baseline; the regional-risk report shows the "
            "specification curves."
        )
    return risk.Prose(" ".join(parts))


def caveats_text(obs: risk.Observed, as_of: str, data_dir: DataDir = None) -> risk.Prose:
    """The brief's caveats, each fact read from the data (the IS reading from the actor map,
    the actors UCDP stops listing, where the reserves series stops)."""
    reading = observed.is_reading(obs.actor_map) if obs.actor_map is not None else ""
    reserves = funding.reserves(load_wdi(data_dir), as_of=as_of)
    return risk.Prose(
        "**Caveats.** "
        + " ".join(
            t
            for t in (
                reading,
                "UCDP counts a dyad only from 25 deaths a year.",
                str(risk.absence_text(obs)),
                str(funding.reserves_gap_text(reserves)),
            )
            if t
        )
    )
