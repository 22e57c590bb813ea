"""Regional risk shift: who the seed says faces which group's threat, before and after 31 August
2021, and how each of its risk claims fares against what UCDP observed.

The observed side lives in :mod:`analysis.observed`; this module holds the seed's assessment, the
claims-vs-outcomes verdicts, the report's parameters and their charts.

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

**Exposure** of a state in a period is a sum over the threat edges that reach it::

    exposure(state, period) = Σ over edges reaching the state of
        w_strength(edge) × w_kind(edge) × w_period(edge, period) × share(state, edge)

- ``w_strength``: ``weight_weak``, ``weight_moderate`` or ``weight_strong`` by the edge's strength;
- ``w_kind``: 1 for ``threatens`` (the unit), ``weight_attack`` for ``attacks``;
- ``w_period``: 1 if the edge's period is that period, ``weight_both`` in each period if it is
  ``both``, else 0;
- ``share``: 1 for the state an edge names; for a group of states (:data:`GROUP_MEMBERS`) each
  member gets ``1 / members`` (``group_spread="split"``) or 1 (``"full"``).

Each edge counts once, so a threat the article repeats in several statements weighs more. The
**shift** is ``exposure(after) − exposure(before)``. :func:`sensitivity` recomputes the ranking over
a grid of weights (each strength weight ×0.5, ×1, ×2 keeping weak ≤ moderate ≤ strong,
``weight_attack`` and ``weight_both`` likewise, both spreads) and reports how often each state
ranks first and its range of ranks.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import charts, observed, parameters, tables
from .exceptions import DataError, ParameterError, Problem

DataDir = str | os.PathLike | None

THREAT_RELATIONS = ("threatens", "attacks")
SUBJECT_KINDS = ("militant_group",)
OBJECT_KINDS = ("state", "state_group")
PERIODS = ("before", "after")
STRENGTH_LABELS = {1: "weak", 2: "moderate", 3: "strong"}
# the states a group of states in actors.csv stands for (ISO3); the seed does not list them
GROUP_MEMBERS = {
    # "Central Asia": the five post-Soviet Central Asian states
    "central_asia": ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    # "Western nations" / "Europe" beside the US, which has its own edges: the Western Europe set
    # of the observed side (analysis.observed.WESTERN_EUROPE)
    "western_countries": observed.WESTERN_EUROPE,
}
SEED_SOURCE = "Asia Times, 'US-Taliban anti-terror cooperation: not so fast', September 2021"


# ---------------------------------------------------------------------------------------------
# The strength lexicon: a small table of its own


# the lexicon's schema lives in analysis.schemas, its loader in analysis.tables (one registry)
STRENGTH_TERMS = tables.STRENGTH_TERMS
load_strength_terms = tables.load_strength_terms


def _normal(text: str) -> str:
    return str(text).casefold().replace("\u2019", "'").replace("\u2018", "'")


def match_strength(wording: str, terms: pd.DataFrame) -> dict | None:
    """The lexicon row that gives ``wording`` its strength: the longest term found in it (ties:
    the first listed). None when no term matches.

    >>> terms = pd.DataFrame({"term": ["threat", "no longer faces any direct or immediate threat"],
    ...                       "strength": [2, 1], "rationale": ["", ""], "order": [0, 1]})
    >>> match_strength("the US no longer faces any direct or immediate threat", terms)["strength"]
    1
    """
    text = _normal(wording)
    hits = [
        (len(row.term), -row.order, row)
        for row in terms.itertuples(index=False)
        if _normal(row.term) in text
    ]
    if not hits:
        return None
    _, _, best = max(hits, key=lambda h: (h[0], h[1]))
    return {"term": best.term, "strength": int(best.strength), "rationale": best.rationale}


# ---------------------------------------------------------------------------------------------
# Threat edges and exposure


def threat_edges(
    relations: pd.DataFrame, actors: pd.DataFrame, terms: pd.DataFrame
) -> pd.DataFrame:
    """Threat edges (militant group → state or group of states) with their strength.

    Columns: relation_id, subject_id, subject, relation, object_id, object, object_kind, period,
    wording, term, strength, strength_label, rationale, quote, source_id, note.
    Raises DataError listing every wording no lexicon term matches.
    """
    kind = actors.set_index("actor_id")["kind"].astype(str)
    name = actors.set_index("actor_id")["name"].astype(str)
    rel = relations[relations["relation"].astype(str).isin(THREAT_RELATIONS)].copy()
    rel = rel[
        rel["subject_id"].map(kind).isin(SUBJECT_KINDS)
        & rel["object_id"].map(kind).isin(OBJECT_KINDS)
    ]
    rows, problems = [], []
    for position, row in rel.iterrows():
        hit = match_strength(row["wording"], terms)
        if hit is None:
            problems.append(
                Problem(
                    "relations.csv",
                    f"wording {row['wording']!r} of {row['relation_id']} matches no term of "
                    "strength_terms.csv; add a term with its strength and rationale",
                    int(position) + 1,
                    "wording",
                )
            )
            continue
        rows.append(
            dict(
                relation_id=row["relation_id"],
                subject_id=row["subject_id"],
                subject=name[row["subject_id"]],
                relation=str(row["relation"]),
                object_id=row["object_id"],
                object=name[row["object_id"]],
                object_kind=kind[row["object_id"]],
                period=str(row["period"]),
                wording=row["wording"],
                term=hit["term"],
                strength=hit["strength"],
                strength_label=STRENGTH_LABELS[hit["strength"]],
                rationale=hit["rationale"],
                quote=row["quote"],
                source_id=row["source_id"],
                note=row.get("note"),
            )
        )
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows).reset_index(drop=True)


@dataclass(frozen=True)
class Weights:
    """The exposure formula's weights (see the module docstring); every one is a parameter."""

    weak: float = 1.0
    moderate: float = 2.0
    strong: float = 3.0
    attack: float = 1.5
    both: float = 1.0
    group_spread: str = "split"

    def __post_init__(self):
        for field in ("weak", "moderate", "strong", "attack", "both"):
            value = getattr(self, field)
            if not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
                raise ParameterError(f"weight_{field} must be a number >= 0; got {value!r}")
        if self.group_spread not in ("split", "full"):
            raise ParameterError(
                f"group_spread must be 'split' or 'full'; got {self.group_spread!r}"
            )

    def strength(self, level: int) -> float:
        return {1: self.weak, 2: self.moderate, 3: self.strong}[level]

    def describe(self) -> str:
        return (
            f"weak {self.weak:g}, moderate {self.moderate:g}, strong {self.strong:g}; "
            f"attack ×{self.attack:g}; 'both' counts {self.both:g} in each period; "
            f"groups {self.group_spread}"
        )


def edge_targets(
    edges: pd.DataFrame, actors: pd.DataFrame, members: dict | None = None
) -> pd.DataFrame:
    """One row per edge and state it reaches: the edge's columns plus iso3, via (the group's
    name, "" for a state named directly) and n_targets (states the edge reaches).

    Raises DataError for a state without iso3 or a group of states without a member list.
    """
    members = GROUP_MEMBERS if members is None else members
    iso3_of = actors.set_index("actor_id")["iso3"]
    rows, problems = [], []
    for edge in edges.to_dict("records"):
        if edge["object_kind"] == "state":
            iso3 = iso3_of.get(edge["object_id"])
            if iso3 is None or pd.isna(iso3):
                problems.append(
                    Problem("actors.csv", f"state {edge['object_id']!r} has no iso3", column="iso3")
                )
                continue
            states, via = [str(iso3)], ""
        elif edge["object_id"] in members:
            states, via = list(members[edge["object_id"]]), edge["object"]
        else:
            problems.append(
                Problem(
                    "actors.csv",
                    f"group of states {edge['object_id']!r} has no member list in "
                    "analysis.risk.GROUP_MEMBERS",
                )
            )
            continue
        for iso3 in states:
            rows.append({**edge, "iso3": iso3, "via": via, "n_targets": len(states)})
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows)


def edge_contributions(
    edges: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    weights: Weights = Weights(),
    members: dict | None = None,
    *,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per edge, state reached and period, with its contribution to exposure and the
    arithmetic as text. Pass ``targets`` (from :func:`edge_targets`) to skip recomputing them.

    Columns: relation_id, iso3, period, via, strength, relation, contribution, formula, wording,
    quote, subject.
    """
    if targets is None:
        targets = edge_targets(edges, actors, members)
    parts = []
    for period in PERIODS:
        t = targets[targets["period"].isin([period, "both"])].copy()
        w_strength = t["strength"].map({1: weights.weak, 2: weights.moderate, 3: weights.strong})
        w_kind = np.where(t["relation"] == "attacks", weights.attack, 1.0)
        w_period = np.where(t["period"] == "both", weights.both, 1.0)
        grouped = (t["via"] != "") & (weights.group_spread == "split")
        share = np.where(grouped, 1.0 / t["n_targets"], 1.0)
        t["contribution"] = w_strength.to_numpy() * w_kind * w_period * share
        t["formula"] = [
            _formula(*args)
            for args in zip(
                w_strength,
                t["strength"],
                w_kind,
                t["period"],
                w_period,
                grouped,
                t["n_targets"],
                t["via"],
                t["contribution"],
                strict=True,
            )
        ]
        t["period"] = period
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    columns = [
        "relation_id",
        "iso3",
        "period",
        "via",
        "strength",
        "relation",
        "contribution",
        "formula",
        "wording",
        "quote",
        "subject",
    ]
    return out[columns]


def _formula(w_strength, strength, w_kind, period, w_period, grouped, n, via, value) -> str:
    text = f"{w_strength:g} ({STRENGTH_LABELS[strength]})"
    if w_kind != 1.0:
        text += f" × {w_kind:g} (attack)"
    if period == "both":
        text += f" × {w_period:g} (both periods)"
    if grouped:
        text += f" × 1/{n} ({via})"
    return f"{text} = {value:.3g}"


def exposure(contributions: pd.DataFrame) -> pd.DataFrame:
    """Exposure per state: before, after, shift (after − before), ranks, sorted by after.

    Columns: iso3, country, before, after, shift, rank_after, rank_shift, edges_before,
    edges_after. Ranks are 1 for the highest (ties share the best rank).
    """
    table = (
        contributions.pivot_table(
            index="iso3", columns="period", values="contribution", aggfunc="sum", fill_value=0.0
        )
        .reindex(columns=list(PERIODS), fill_value=0.0)
        .rename_axis(columns=None)
    )
    counts = (
        contributions.groupby(["iso3", "period"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(PERIODS), fill_value=0)
    )
    out = table.reset_index()
    out["shift"] = out["after"] - out["before"]
    out["rank_after"] = out["after"].rank(ascending=False, method="min").astype(int)
    out["rank_shift"] = out["shift"].rank(ascending=False, method="min").astype(int)
    out["edges_before"] = out["iso3"].map(counts["before"]).astype(int)
    out["edges_after"] = out["iso3"].map(counts["after"]).astype(int)
    out.insert(1, "country", out["iso3"].map(observed.label))
    return out.sort_values(["after", "iso3"], ascending=[False, True], ignore_index=True)


def assess_exposure(
    weights: Weights = Weights(), data_dir: DataDir = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load the seed tables and return (edges, contributions, exposure) for ``weights``."""
    from .tables import load_actors, load_relations

    actors = load_actors(data_dir)
    edges = threat_edges(load_relations(data_dir), actors, load_strength_terms(data_dir))
    contributions = edge_contributions(edges, actors, weights)
    return edges, contributions, exposure(contributions)


def weight_grid(weights: Weights, factors: Sequence[float] = (0.5, 1.0, 2.0)) -> list[Weights]:
    """Weights around ``weights``: each weight times each factor, keeping weak ≤ moderate ≤
    strong, with both group spreads."""
    grid = []
    for fw, fm, fs, fa, fb, spread in itertools.product(
        factors, factors, factors, factors, factors, ("split", "full")
    ):
        w = replace(
            weights,
            weak=weights.weak * fw,
            moderate=weights.moderate * fm,
            strong=weights.strong * fs,
            attack=weights.attack * fa,
            both=weights.both * fb,
            group_spread=spread,
        )
        if w.weak <= w.moderate <= w.strong:
            grid.append(w)
    return grid


def sensitivity(
    edges: pd.DataFrame,
    actors: pd.DataFrame,
    weights: Weights = Weights(),
    *,
    rank_by: str = "after",
    factors: Sequence[float] = (0.5, 1.0, 2.0),
    members: dict | None = None,
) -> pd.DataFrame:
    """How each state's rank (by ``after`` exposure or by ``shift``) moves across
    :func:`weight_grid`. Columns: iso3, country, rank_at_weights, best_rank, worst_rank,
    median_rank, share_first, runs. Sorted by rank at the given weights."""
    if rank_by not in ("after", "shift"):
        raise ParameterError(f"rank_by must be 'after' or 'shift'; got {rank_by!r}")
    column = f"rank_{rank_by}"
    targets = edge_targets(edges, actors, members)
    base = exposure(edge_contributions(edges, weights=weights, targets=targets))
    ranks = []
    grid = weight_grid(weights, factors)
    for w in grid:
        table = exposure(edge_contributions(edges, weights=w, targets=targets))
        ranks.append(table.set_index("iso3")[column])
    frame = pd.concat(ranks, axis=1)
    out = pd.DataFrame(
        {
            "iso3": frame.index,
            "best_rank": frame.min(axis=1).astype(int).to_numpy(),
            "worst_rank": frame.max(axis=1).astype(int).to_numpy(),
            "median_rank": frame.median(axis=1).to_numpy(),
            "share_first": (frame == 1).mean(axis=1).to_numpy(),
            "runs": len(grid),
        }
    )
    out["rank_at_weights"] = out["iso3"].map(base.set_index("iso3")[column]).astype(int)
    out.insert(1, "country", out["iso3"].map(observed.label))
    cols = [
        "iso3",
        "country",
        "rank_at_weights",
        "best_rank",
        "worst_rank",
        "median_rank",
        "share_first",
        "runs",
    ]
    return out[cols].sort_values(["rank_at_weights", "iso3"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Claims vs outcomes

RISK_TOPICS = ("threat", "risk_shift")
VERDICTS = ("supported", "contradicted", "not measurable")
VERDICT_COLORS = {
    "supported": "#1b7837",
    "contradicted": "#b2182b",
    "not measurable": charts.MISSING_COLOR,
}
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
    from . import external

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


# ---------------------------------------------------------------------------------------------
# Report parameters (rules registered at import; see analysis.parameters)


def _register(name: str, rule: parameters.Rule) -> None:
    existing = parameters.RULES.get(name)
    if existing is not None and existing.type is rule.type and existing.allowed == rule.allowed:
        return  # another report declared the same parameter with the same meaning
    parameters.register(name, rule)


YEAR_RULE = parameters.year_range(observed.YEARS[0], observed.YEARS[1])
WEIGHT_RULE = parameters.number(0.0, 100.0)
_register(
    "focus_countries",
    parameters.iso3_list(
        lambda: set(observed.ALLOWED_COUNTRIES),
        "Afghanistan, its neighbours, Russia, India, the US or a Western European state of the "
        "observed set",
        min_items=1,
    ),
)
_register("baseline_years", YEAR_RULE)
_register("comparison_years", YEAR_RULE)
_register("violence_types", parameters.choices(*observed.VIOLENCE_TYPES))
for _name in ("weight_weak", "weight_moderate", "weight_strong", "weight_attack", "weight_both"):
    _register(_name, WEIGHT_RULE)
_register("group_spread", parameters.choice("split", "full"))


def weights_from(p) -> Weights:
    """The :class:`Weights` of a checked parameter namespace (``P`` in the notebook)."""
    return Weights(
        weak=p.weight_weak,
        moderate=p.weight_moderate,
        strong=p.weight_strong,
        attack=p.weight_attack,
        both=p.weight_both,
        group_spread=p.group_spread,
    )


# ---------------------------------------------------------------------------------------------
# Charts

PERIOD_COLORS = {"before": "#7f7f7f", "after": "#c0392b"}
PERIOD_NAMES = {"before": "before 31 Aug 2021", "after": "after 31 Aug 2021"}


def collapse_groups(table: pd.DataFrame, numeric: Sequence[str]) -> pd.DataFrame:
    """The nine Western European rows as one ``WEU`` row when their values are equal."""
    members = list(observed.WESTERN_EUROPE)
    part = table[table["iso3"].isin(members)]
    if part.empty or len(part.drop_duplicates(list(numeric))) != 1:
        return table
    row = part.iloc[[0]].copy()
    row["iso3"] = observed.WEU
    row["country"] = f"{observed.label(observed.WEU)} (each of {len(part)})"
    return pd.concat([table[~table["iso3"].isin(members)], row], ignore_index=True)


def _edges_hover(contributions: pd.DataFrame, iso3: str, period: str, limit: int = 8) -> str:
    if iso3 == observed.WEU:
        iso3 = observed.WESTERN_EUROPE[0]  # members are equal; show one member's edges
    part = contributions[(contributions["iso3"] == iso3) & (contributions["period"] == period)]
    lines = [
        f"{charts.esc(r.relation_id)} {charts.esc(r.subject)} {charts.esc(r.relation)}: "
        f"“{charts.esc(r.wording)}” · {charts.esc(r.formula)}"
        for r in part.head(limit).itertuples(index=False)
    ]
    if len(part) > limit:
        lines.append(f"… and {len(part) - limit} more")
    return "<br>".join(lines) or "no threat edge"


def exposure_chart(
    table: pd.DataFrame, contributions: pd.DataFrame, weights: Weights = Weights()
) -> go.Figure:
    """Grouped horizontal bars: each state's exposure before and after 31 August 2021; hover
    lists the threat edges (relation id, quoted wording, arithmetic)."""
    data = collapse_groups(table, ["before", "after"]).sort_values(["after", "before"])
    fig = go.Figure()
    for period in PERIODS:
        hover = [
            f"<b>{charts.esc(r.country)}</b>, {PERIOD_NAMES[period]}: "
            f"{getattr(r, period):.2f}<br>{_edges_hover(contributions, r.iso3, period)}"
            for r in data.itertuples(index=False)
        ]
        fig.add_trace(
            go.Bar(
                y=[charts.esc(c) for c in data["country"]],
                x=data[period],
                orientation="h",
                name=PERIOD_NAMES[period],
                marker_color=PERIOD_COLORS[period],
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="group")
    return charts.finish(
        fig,
        title="Exposure to militant threats as the seed article assesses it",
        sources=[SEED_SOURCE],
        x_title="exposure score (weighted threat statements; no unit)",
        note=f"Weights: {weights.describe()}. Strength read from each statement's wording by "
        "strength_terms.csv.",
        height=120 + 40 * len(data),
    )


def shift_chart(
    table: pd.DataFrame, contributions: pd.DataFrame, weights: Weights = Weights()
) -> go.Figure:
    """Horizontal bars of the shift (after − before) per state: red more exposed after the
    withdrawal, blue less."""
    data = collapse_groups(table, ["before", "after", "shift"]).sort_values("shift")
    hover = [
        f"<b>{charts.esc(r.country)}</b>: shift {r.shift:+.2f} "
        f"({r.before:.2f} → {r.after:.2f})<br><i>after</i>:<br>"
        f"{_edges_hover(contributions, r.iso3, 'after', 5)}<br><i>before</i>:<br>"
        f"{_edges_hover(contributions, r.iso3, 'before', 5)}"
        for r in data.itertuples(index=False)
    ]
    fig = go.Figure(
        go.Bar(
            y=[charts.esc(c) for c in data["country"]],
            x=data["shift"],
            orientation="h",
            marker_color=["#c0392b" if v > 0 else "#2c7fb8" for v in data["shift"]],
            text=[f"{v:+.2f}" for v in data["shift"]],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    return charts.finish(
        fig,
        title="The shift: exposure after minus before 31 August 2021",
        sources=[SEED_SOURCE],
        x_title="change in exposure score (after − before; no unit)",
        note=f"Weights: {weights.describe()}.",
        height=120 + 34 * len(data),
    )


def sensitivity_chart(sens: pd.DataFrame, rank_by: str = "shift") -> go.Figure:
    """Each state's range of ranks across the weight grid (line), its rank at the chosen weights
    (dot) and how often it ranks first (label)."""
    data = collapse_groups(
        sens, ["rank_at_weights", "best_rank", "worst_rank", "median_rank", "share_first"]
    ).sort_values(["rank_at_weights", "best_rank"], ascending=False)
    fig = go.Figure()
    for r in data.itertuples(index=False):
        fig.add_trace(
            go.Scatter(
                x=[r.best_rank, r.worst_rank],
                y=[charts.esc(r.country)] * 2,
                mode="lines",
                line=dict(color="#bbbbbb", width=8),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    hover = [
        f"<b>{charts.esc(r.country)}</b><br>rank at the chosen weights: {r.rank_at_weights}"
        f"<br>range over {r.runs} weightings: {r.best_rank}–{r.worst_rank} "
        f"(median {r.median_rank:g})<br>ranked first in {r.share_first:.0%}"
        for r in data.itertuples(index=False)
    ]
    fig.add_trace(
        go.Scatter(
            x=data["rank_at_weights"],
            y=[charts.esc(c) for c in data["country"]],
            mode="markers+text",
            marker=dict(size=12, color="#c0392b"),
            text=[f"first in {v:.0%}" if v > 0 else "" for v in data["share_first"]],
            textposition="top center",
            name="rank at the chosen weights",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    worst = int(data["worst_rank"].max()) if len(data) else 1
    fig.update_xaxes(range=[worst + 0.5, 0.5], dtick=1)
    what = "shift (after − before)" if rank_by == "shift" else "exposure after 31 Aug 2021"
    runs = int(data["runs"].iloc[0]) if len(data) else 0
    return charts.finish(
        fig,
        title=f"How robust is the ranking? Rank by {what} across {runs} weightings",
        sources=[SEED_SOURCE],
        x_title="rank (1 = most exposed)",
        note="Grey: best to worst rank when each weight is halved, kept or doubled (weak ≤ "
        "moderate ≤ strong) and groups are split or counted in full.",
        height=120 + 36 * len(data),
    )


def claims_chart(table: pd.DataFrame) -> go.Figure:
    """One row per claim test, placed in its verdict's column; hover gives the claim, its quote,
    the indicator, the rule and the numbers."""
    data = table.iloc[::-1]
    labels = [f"{r.claim_id} · {charts.esc(r.target)}" for r in data.itertuples(index=False)]
    fig = go.Figure()
    for verdict in VERDICTS:
        mask = (data["verdict"] == verdict).to_numpy()
        part = data[mask]
        hover = [
            f"<b>{charts.esc(r.claim_id)} — {verdict}</b><br>{charts.wrap(r.claim, 70)}<br>"
            f"<i>“{charts.wrap(r.quote, 70)}”</i><br>indicator: {charts.wrap(r.indicator, 70)}"
            f"<br>rule: {charts.wrap(r.rule, 70)}<br>{charts.wrap(r.evidence, 70)}"
            for r in part.itertuples(index=False)
        ]
        fig.add_trace(
            go.Scatter(
                x=[verdict] * len(part),
                y=[lab for lab, m in zip(labels, mask, strict=True) if m],
                mode="markers+text",
                marker=dict(size=16, symbol="square", color=VERDICT_COLORS[verdict]),
                text=[charts.esc(e if len(e) <= 46 else e[:45] + "…") for e in part["evidence"]],
                textposition="middle right",
                textfont=dict(size=10),
                name=verdict,
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=list(VERDICTS), range=[-0.3, 3.2])
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return charts.finish(
        fig,
        title="The article's risk claims against what UCDP observed",
        sources=[SEED_SOURCE, observed.UCDP_CY, observed.UCDP_BRD],
        x_title="verdict by the stated rule",
        note="Hover for the quote, the indicator and the rule. " + observed.IS_CAVEAT,
        height=140 + 34 * len(data),
    )


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
    cy, brd = "UCDP country-year v25.1", "UCDP BRD v24.1"
    rows = [
        ("Afghanistan, organised-violence deaths 2021", total[("AFG", 2021)], "deaths", cy),
        ("Afghanistan, organised-violence deaths 2022", total[("AFG", 2022)], "deaths", cy),
        ("Pakistan, organised-violence deaths 2024", total[("PAK", 2024)], "deaths", cy),
        ("Pakistan–TTP battle deaths 2015", ttp[2015], "deaths", brd),
        ("Pakistan–TTP battle deaths 2019", ttp[2019], "deaths", brd),
        ("Pakistan–TTP battle deaths 2021", ttp[2021], "deaths", brd),
        ("Pakistan–TTP battle deaths 2023", ttp[2023], "deaths", brd),
        ("Civilians killed by IS in Iran 2024", is_os[("IRN", 2024)], "deaths", cy),
        ("Civilians killed by IS in Russia 2024", is_os[("RUS", 2024)], "deaths", cy),
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
