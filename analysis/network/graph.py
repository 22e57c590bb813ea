"""The network as frames: nodes and edges filtered by relation kind, period and stance, an
actor's neighbourhood and ties with their quotes and who says them, and tie counts per actor,
relation kind and stance (a row that repeats another is shown but counted once).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import charts
from ..exceptions import DataError, Problem
from ..tables.statements import actor_names, voice_name
from ..tables.vocab import RELATIONS, STANCES
from .checks import PERIOD_CHOICES, PERIOD_RULE, RELATION_KINDS_RULE, STANCES_RULE, require_actor

DataDir = str | os.PathLike | None


# which values of relations.period each period parameter keeps
_PERIOD_KEEPS = {"before": ("before", "both"), "after": ("after", "both"), "both": PERIOD_CHOICES}


NODE_COLUMNS = ["actor_id", "name", "kind", "role", "iso3", "ties_out", "ties_in", "ties"]


EDGE_COLUMNS = [
    "relation_id",
    "subject_id",
    "subject_name",
    "relation",
    "object_id",
    "object_name",
    "period",
    "stance",
    "voice",
    "voice_name",
    "repeats",
    "wording",
    "quote",
    "source_id",
    "date",
    "note",
]


FOCUS_TIE_COLUMNS = [
    "relation_id",
    "direction",
    "relation",
    "other_id",
    "other_actor",
    "period",
    "stance",
    "voice_name",
    "repeats",
    "quote",
    "source_id",
]


@dataclass(frozen=True)
class ActorNetwork:
    """Nodes and edges of the network for one selection of relation kinds and period.

    ``actors`` is the whole actor table (to check ids against); ``nodes`` only the actors with at
    least one tie in ``edges`` (plus any kept on purpose); ``citations`` the sources of the edges;
    ``stances`` the stances kept (empty: every stance).
    """

    actors: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame
    relation_kinds: tuple[str, ...]
    period: str
    citations: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()

    def name_of(self, actor_id: str) -> str:
        row = self.actors.loc[self.actors["actor_id"] == actor_id, "name"]
        return str(row.iloc[0]) if len(row) else actor_id


def _reference_problems(
    actors: pd.DataFrame, relations: pd.DataFrame, sources: pd.DataFrame | None
) -> list[Problem]:
    """Relations naming an actor missing from ``actors`` (or a source missing from ``sources``),
    by 1-based data row of relations.csv, and within a row subject, object, source."""
    checks = [
        (column, set(actors["actor_id"]), "unknown actor {!r} (not in actors.csv)")
        for column in ("subject_id", "object_id")
    ]
    if sources is not None:
        checks.append(
            ("source_id", set(sources["source_id"]), "unknown source {!r} (not in sources.csv)")
        )
    found = []
    for order, (column, known, message) in enumerate(checks):
        values = relations[column]
        for index in np.flatnonzero(~values.isin(known).to_numpy()):
            row = int(index) + 1
            problem = Problem("relations.csv", message.format(values.iloc[index]), row, column)
            found.append((row, order, problem))
    return [problem for _, _, problem in sorted(found, key=lambda f: f[:2])]


def build_graph(
    actors: pd.DataFrame,
    relations: pd.DataFrame,
    relation_kinds: Sequence[str] = (),
    period: str = "both",
    *,
    keep: Iterable[str] = (),
    sources: pd.DataFrame | None = None,
    stances: Sequence[str] = (),
) -> ActorNetwork:
    """The network of ``relations`` among ``actors``, keeping the ties of ``relation_kinds``
    (empty: every kind) in ``period`` (see the module docstring) made in ``stances`` (empty:
    every stance; see :data:`~analysis.tables.schemas.STANCES`).

    ``keep`` names actors shown even without a tie in the selection (the focus actor). With
    ``sources``, the edges' citations are filled in. Raises DataError if a relation names an actor
    missing from ``actors`` (or a source missing from ``sources``), every such row at once;
    ParameterError for an unknown relation kind, period, stance or kept actor.

    A relations table without ``stance``/``voice``/``repeats`` (from before they were coded)
    reads as asserted by the author, no row repeating another.
    """
    kinds = tuple(RELATION_KINDS_RULE("relation_kinds", list(relation_kinds)))
    period = PERIOD_RULE("period", period)
    stances = tuple(STANCES_RULE("stances", list(stances)))
    relations = _with_statement_columns(relations)
    problems = _reference_problems(actors, relations, sources)
    if problems:
        raise DataError(problems)
    keep = [require_actor(a, actors, "keep") for a in keep]

    chosen = relations
    if kinds:
        chosen = chosen[chosen["relation"].astype(str).isin(kinds)]
    chosen = chosen[chosen["period"].astype(str).isin(_PERIOD_KEEPS[period])]
    if stances:
        chosen = chosen[chosen["stance"].astype(str).isin(stances)]
    names = actor_names(actors)
    edges = chosen.assign(
        subject_name=chosen["subject_id"].map(names),
        object_name=chosen["object_id"].map(names),
        relation=chosen["relation"].astype(str),
        period=chosen["period"].astype(str),
        stance=chosen["stance"].astype(str),
        voice=chosen["voice"].astype(str),
        voice_name=[voice_name(v, names) for v in chosen["voice"]],
        repeats=["" if pd.isna(r) else str(r) for r in chosen["repeats"]],
    )
    for column in ("wording", "note", "date"):
        if column not in edges:
            edges[column] = pd.NA
    edges = edges[EDGE_COLUMNS].sort_values("relation_id", kind="stable").reset_index(drop=True)

    counted = _originals(edges)  # a repeat is drawn and listed, but counted once
    ties_out = counted["subject_id"].value_counts()
    ties_in = counted["object_id"].value_counts()
    ids = set(edges["subject_id"]) | set(edges["object_id"]) | set(keep)
    nodes = actors[actors["actor_id"].isin(ids)].copy()
    nodes["kind"] = nodes["kind"].astype(str)
    for column in ("role", "iso3"):
        if column not in nodes:
            nodes[column] = pd.NA
    nodes["ties_out"] = nodes["actor_id"].map(ties_out).fillna(0).astype(int)
    nodes["ties_in"] = nodes["actor_id"].map(ties_in).fillna(0).astype(int)
    nodes["ties"] = nodes["ties_out"] + nodes["ties_in"]
    nodes = nodes[NODE_COLUMNS].sort_values("actor_id").reset_index(drop=True)

    citations: tuple[str, ...] = ()
    if sources is not None:
        citations = tuple(charts.citation(sid, sources) for sid in sorted(set(edges["source_id"])))
    return ActorNetwork(actors.copy(), nodes, edges, kinds, period, citations, stances)


def _with_statement_columns(relations: pd.DataFrame) -> pd.DataFrame:
    defaults = {"stance": "asserted", "voice": "author", "repeats": pd.NA}
    missing = {c: v for c, v in defaults.items() if c not in relations}
    return relations.assign(**missing) if missing else relations


def _originals(edges: pd.DataFrame) -> pd.DataFrame:
    """The edges that are not repeats of another row."""
    return edges[edges["repeats"].astype(str) == ""]


def load_graph(
    relation_kinds: Sequence[str] = (),
    period: str = "both",
    *,
    focus_actor: str | None = None,
    stances: Sequence[str] = (),
    data_dir: DataDir = None,
) -> ActorNetwork:
    """:func:`build_graph` over the package's (or ``data_dir``'s) actors, relations and sources,
    keeping ``focus_actor`` as a node (ParameterError if that table has no such actor)."""
    from ..tables import load_actors, load_relations, load_sources

    data_dir = data_dir or None
    actors = load_actors(data_dir)
    if focus_actor is not None:
        require_actor(focus_actor, actors)
    return build_graph(
        actors,
        load_relations(data_dir),
        relation_kinds,
        period,
        keep=[] if focus_actor is None else [focus_actor],
        sources=load_sources(data_dir),
        stances=stances,
    )


def neighbourhood(graph: ActorNetwork, focus_actor: str) -> list[str]:
    """The focus actor, then each actor it has a tie with in the graph (either direction), by id."""
    require_actor(focus_actor, graph.actors)
    edges = graph.edges
    others = set(edges.loc[edges["subject_id"] == focus_actor, "object_id"]) | set(
        edges.loc[edges["object_id"] == focus_actor, "subject_id"]
    )
    others.discard(focus_actor)
    return [focus_actor, *sorted(others)]


def focus_ties(graph: ActorNetwork, focus_actor: str) -> pd.DataFrame:
    """The focus actor's ties: relation, direction (``outgoing``: the focus actor acts;
    ``incoming``: it is acted upon), the other actor, period, how the article states it
    (``stance``) and who says it (``voice_name``), the row it repeats, the quote and its source.

    Sorted by direction, relation kind (in :data:`~analysis.tables.schemas.RELATIONS` order),
    other actor.
    """
    require_actor(focus_actor, graph.actors)
    edges = graph.edges
    out = edges[edges["subject_id"] == focus_actor].assign(
        direction="outgoing",
        other_id=lambda e: e["object_id"],
        other_actor=lambda e: e["object_name"],
    )
    inc = edges[(edges["object_id"] == focus_actor) & (edges["subject_id"] != focus_actor)].assign(
        direction="incoming",
        other_id=lambda e: e["subject_id"],
        other_actor=lambda e: e["subject_name"],
    )
    ties = pd.concat([out, inc], ignore_index=True)[FOCUS_TIE_COLUMNS]
    ties["direction"] = pd.Categorical(
        ties["direction"], categories=["outgoing", "incoming"], ordered=True
    )
    ties["relation"] = pd.Categorical(ties["relation"], categories=list(RELATIONS), ordered=True)
    ties = ties.sort_values(["direction", "relation", "other_id", "relation_id"], kind="stable")
    ties["direction"] = ties["direction"].astype(str)
    ties["relation"] = ties["relation"].astype(str)
    return ties.reset_index(drop=True)


def tie_counts(graph: ActorNetwork) -> pd.DataFrame:
    """Ties per actor, relation kind and direction (long): actor_id, name, kind, relation,
    direction (``outgoing`` / ``incoming``), ties. Only combinations that occur; sorted by the
    actor's total ties (most first), then actor id, relation order, direction. A row repeating
    another is not counted again."""
    edges = _originals(graph.edges)
    parts = [
        edges.rename(columns={"subject_id": "actor_id"}).assign(direction="outgoing"),
        edges.rename(columns={"object_id": "actor_id"}).assign(direction="incoming"),
    ]
    long = pd.concat([p[["actor_id", "relation", "direction"]] for p in parts], ignore_index=True)
    counts = (
        long.groupby(["actor_id", "relation", "direction"], sort=False)
        .size()
        .rename("ties")
        .reset_index()
    )
    meta = graph.nodes.set_index("actor_id")
    counts["name"] = counts["actor_id"].map(meta["name"])
    counts["kind"] = counts["actor_id"].map(meta["kind"])
    counts["total"] = counts["actor_id"].map(meta["ties"])
    counts["_rel"] = counts["relation"].map({r: i for i, r in enumerate(RELATIONS)})
    counts["_dir"] = (counts["direction"] == "incoming").astype(int)
    counts = counts.sort_values(
        ["total", "actor_id", "_rel", "_dir"], ascending=[False, True, True, True], kind="stable"
    )
    columns = ["actor_id", "name", "kind", "relation", "direction", "ties"]
    return counts[columns].astype({"ties": int}).reset_index(drop=True)


def relation_summary(graph: ActorNetwork) -> pd.DataFrame:
    """Ties per relation kind in the graph: how many (a repeat counted once, as its original),
    by the period each is stated for, how many the article asserts, and how many distinct actors
    act and are acted upon. Relation kinds in schema order, then a total."""
    edges = _originals(graph.edges)
    rows = []
    for relation in [r for r in RELATIONS if r in set(edges["relation"])]:
        part = edges[edges["relation"] == relation]
        rows.append(_summary_row(relation, part))
    rows.append(_summary_row("all kinds", edges))
    return pd.DataFrame(rows).set_index("relation")


def _summary_row(label: str, part: pd.DataFrame) -> dict:
    periods = part["period"].value_counts()
    return {
        "relation": label,
        "ties": len(part),
        "stated_before": int(periods.get("before", 0)),
        "stated_after": int(periods.get("after", 0)),
        "stated_both": int(periods.get("both", 0)),
        "asserted": int((part["stance"] == "asserted").sum()),
        "acting_actors": part["subject_id"].nunique(),
        "actors_acted_upon": part["object_id"].nunique(),
    }


def stance_summary(graph: ActorNetwork) -> pd.DataFrame:
    """Ties by how the article states them: one row per stance (vocabulary order, only those
    present), with how many ties the author states, a named speaker, an anonymous source, and
    in all; repeats are listed apart (``repeats``: rows restating another, not in the counts).
    """
    edges = graph.edges
    originals = _originals(edges)
    voice_kind = originals["voice"].map(
        lambda v: v if v in ("author", "anonymous") else "named speaker"
    )
    rows = []
    for stance in [s for s in STANCES if s in set(edges["stance"])]:
        mask = originals["stance"] == stance
        kinds = voice_kind[mask].value_counts()
        rows.append(
            {
                "stance": stance,
                "ties": int(mask.sum()),
                "by_the_author": int(kinds.get("author", 0)),
                "by_a_named_speaker": int(kinds.get("named speaker", 0)),
                "by_an_anonymous_source": int(kinds.get("anonymous", 0)),
                "repeats": int(((edges["stance"] == stance) & (edges["repeats"] != "")).sum()),
            }
        )
    columns = [
        "stance",
        "ties",
        "by_the_author",
        "by_a_named_speaker",
        "by_an_anonymous_source",
        "repeats",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("stance")
