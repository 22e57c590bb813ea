"""The seed's assessment: threat edges read from the relations table, their strength from the
wording lexicon, each state's exposure before and after 31 August 2021 under explicit weights
(counting only the statements :mod:`.counting` lets count), and how the ranking moves over a grid
of weights.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import observed
from ..exceptions import DataError, ParameterError, Problem
from ..tables import seed
from ..tables.statements import actor_names, voice_name
from .counting import DEFAULT_STANCES, check_stances, not_counted

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


# the lexicon's schema lives in analysis.tables.schemas, its loader in analysis.tables.seed
STRENGTH_TERMS = seed.STRENGTH_TERMS


load_strength_terms = seed.load_strength_terms


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


def threat_edges(
    relations: pd.DataFrame, actors: pd.DataFrame, terms: pd.DataFrame
) -> pd.DataFrame:
    """Threat statements (militant group → state or group of states) with their strength and
    how the article makes them (every one, counted or not: see :mod:`.counting`).

    Columns: relation_id, subject_id, subject, relation, object_id, object, object_kind, period,
    stance, voice, voice_name, repeats ("" for an original), wording, term, strength,
    strength_label, rationale, quote, source_id, note.
    Raises DataError listing every wording no lexicon term matches.
    """
    names = actor_names(actors)
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
                stance=str(row.get("stance", "asserted")),
                voice=str(row.get("voice", "author")),
                voice_name=voice_name(row.get("voice", "author"), names),
                repeats="" if pd.isna(row.get("repeats")) else str(row.get("repeats")),
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
    """The exposure formula's weights and the stances it counts (see the module docstring);
    every one is a parameter. ``stances``: a statement in another stance weighs 0; a denial,
    a repeat or an anonymous voice always weighs 0."""

    weak: float = 1.0
    moderate: float = 2.0
    strong: float = 3.0
    attack: float = 1.5
    both: float = 1.0
    group_spread: str = "split"
    stances: tuple[str, ...] = DEFAULT_STANCES

    def __post_init__(self):
        object.__setattr__(self, "stances", check_stances(self.stances))
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
            f"groups {self.group_spread}; counting {', '.join(self.stances)} statements"
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

    A statement that does not count (a denial, a repeat, an anonymous voice, a stance outside
    ``weights.stances``) keeps its rows with contribution 0, ``counted`` False and the reason in
    ``formula``, so the reader sees it was read and left out.

    Columns: relation_id, iso3, period, via, strength, relation, stance, voice_name, counted,
    contribution, formula, wording, quote, subject.
    """
    if targets is None:
        targets = edge_targets(edges, actors, members)
    parts = []
    for period in PERIODS:
        t = targets[targets["period"].isin([period, "both"])].copy()
        reasons = not_counted(t, weights.stances)
        t["counted"] = np.array([not r for r in reasons], dtype=bool)
        w_strength = t["strength"].map({1: weights.weak, 2: weights.moderate, 3: weights.strong})
        w_kind = np.where(t["relation"] == "attacks", weights.attack, 1.0)
        w_period = np.where(t["period"] == "both", weights.both, 1.0)
        grouped = (t["via"] != "") & (weights.group_spread == "split")
        share = np.where(grouped, 1.0 / t["n_targets"], 1.0)
        value = w_strength.to_numpy() * w_kind * w_period * share
        t["contribution"] = np.where(t["counted"], value, 0.0) + 0.0
        t["formula"] = [
            _formula(*args) if not reason else f"not counted: {reason}"
            for reason, *args in zip(
                reasons,
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
    for column, default in (("stance", "asserted"), ("voice_name", "the author")):
        if column not in out:
            out[column] = default
    columns = [
        "relation_id",
        "iso3",
        "period",
        "via",
        "strength",
        "relation",
        "stance",
        "voice_name",
        "counted",
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
    edges_after (the counted statements). Ranks are 1 for the highest (ties share the best
    rank). A state reached only by statements that do not count is listed with 0.
    """
    table = (
        contributions.pivot_table(
            index="iso3", columns="period", values="contribution", aggfunc="sum", fill_value=0.0
        )
        .reindex(columns=list(PERIODS), fill_value=0.0)
        .rename_axis(columns=None)
    )
    counted = (
        contributions[contributions["counted"].astype(bool)]
        if "counted" in contributions
        else contributions
    )
    counts = (
        counted.groupby(["iso3", "period"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(PERIODS), fill_value=0)
    )
    out = table.reset_index()
    out["shift"] = out["after"] - out["before"]
    out["rank_after"] = out["after"].rank(ascending=False, method="min").astype(int)
    out["rank_shift"] = out["shift"].rank(ascending=False, method="min").astype(int)
    out["edges_before"] = out["iso3"].map(counts["before"]).fillna(0).astype(int)
    out["edges_after"] = out["iso3"].map(counts["after"]).fillna(0).astype(int)
    out.insert(1, "country", out["iso3"].map(observed.label))
    return out.sort_values(["after", "iso3"], ascending=[False, True], ignore_index=True)


def assess_exposure(
    weights: Weights = Weights(), data_dir: DataDir = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load the seed tables and return (edges, contributions, exposure) for ``weights``."""
    from ..tables import load_actors, load_relations

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
    median_rank, share_first, runs. Sorted by rank at the given weights.

    Computed for the whole grid at once: a statement's contribution is a product of weights
    (strength × kind × period × share), so each weighting is one column of a matrix, summed per
    state and period exactly as :func:`exposure` sums one weighting.
    """
    if rank_by not in ("after", "shift"):
        raise ParameterError(f"rank_by must be 'after' or 'shift'; got {rank_by!r}")
    targets = edge_targets(edges, actors, members)
    grid = [weights, *weight_grid(weights, factors)]  # column 0: the weights given
    rows = pd.concat(
        [
            targets[targets["period"].isin([period, "both"])].assign(_period=period)
            for period in PERIODS
        ],
        ignore_index=True,
    )
    counted = np.array([not r for r in not_counted(rows, weights.stances)], dtype=bool)
    strength = rows["strength"].to_numpy()
    by_level = np.array([[w.weak, w.moderate, w.strong] for w in grid])  # weightings × 3
    w_strength = by_level[:, strength - 1].T  # rows × weightings
    attack = (rows["relation"] == "attacks").to_numpy()[:, None]
    both = (rows["period"] == "both").to_numpy()[:, None]
    w_kind = np.where(attack, np.array([w.attack for w in grid]), 1.0)
    w_period = np.where(both, np.array([w.both for w in grid]), 1.0)
    split = np.array([w.group_spread == "split" for w in grid])
    grouped = (rows["via"] != "").to_numpy()[:, None] & split
    share = np.where(grouped, 1.0 / rows["n_targets"].to_numpy()[:, None], 1.0)
    values = np.where(counted[:, None], w_strength * w_kind * w_period * share, 0.0) + 0.0
    states = sorted(set(rows["iso3"]))
    sums = pd.DataFrame(values).groupby([rows["_period"], rows["iso3"]]).sum()

    def total(period: str) -> pd.DataFrame:  # states × weightings; 0 where nothing reached
        if period not in set(rows["_period"]):
            return pd.DataFrame(0.0, index=states, columns=sums.columns)
        return sums.loc[period].reindex(states, fill_value=0.0)

    score = total("after") if rank_by == "after" else total("after") - total("before")
    ranks = score.rank(ascending=False, method="min").astype(int)
    frame = ranks.iloc[:, 1:]
    out = pd.DataFrame(
        {
            "iso3": frame.index,
            "best_rank": frame.min(axis=1).astype(int).to_numpy(),
            "worst_rank": frame.max(axis=1).astype(int).to_numpy(),
            "median_rank": frame.median(axis=1).to_numpy(),
            "share_first": (frame == 1).mean(axis=1).to_numpy(),
            "runs": frame.shape[1],
        }
    )
    out["rank_at_weights"] = ranks.iloc[:, 0].to_numpy()
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


def weights_from(p) -> Weights:
    """The :class:`Weights` of a checked parameter namespace (``P`` in the notebook)."""
    return Weights(
        weak=p.weight_weak,
        moderate=p.weight_moderate,
        strong=p.weight_strong,
        attack=p.weight_attack,
        both=p.weight_both,
        group_spread=p.group_spread,
        stances=tuple(p.counted_stances),
    )
