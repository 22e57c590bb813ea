"""The actor network: who threatens, attacks, engages, freezes ... whom, as the seed article says.

Nodes are the actors of ``actors.csv``, edges the directed ties of ``relations.csv`` (subject acts
on object). Everything here is a plain function over validated frames:

- :func:`build_graph` / :func:`load_graph`: nodes and edges, filtered by relation kind and period;
- :func:`neighbourhood`, :func:`focus_ties`: one actor's direct ties, with their quotes;
- :func:`tie_counts`, :func:`relation_summary`: counts per actor and per relation kind;
- :func:`layout`, :func:`drawn_edges`, :func:`edge_paths`: the fixed geometry of the chart;
- :func:`network_chart`, :func:`tie_counts_chart`: plotly figures (the brief reuses them, e.g.
  ``network_chart(load_graph(["threatens", "attacks"], "after", focus_actor="isis_k"), "isis_k")``);

Periods are relative to the end of the US withdrawal (31 August 2021). A tie whose ``period`` is
``both`` holds before and after, so it belongs to every period: ``period="before"`` keeps the ties
marked ``before`` or ``both``, ``period="after"`` those marked ``after`` or ``both``, and
``period="both"`` keeps every tie.

The report parameters ``relation_kinds``, ``period`` and ``focus_actor`` get their rules here, at
import (see :mod:`analysis.parameters`).
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import charts, parameters
from .exceptions import DataError, ParameterError, Problem
from .schemas import ACTOR_KINDS, RELATIONS

DataDir = str | os.PathLike | None

PERIOD_CHOICES = ("before", "after", "both")
# which values of relations.period each period parameter keeps
_PERIOD_KEEPS = {"before": ("before", "both"), "after": ("after", "both"), "both": PERIOD_CHOICES}
PERIOD_LABELS = {
    "before": "before 31 Aug 2021",
    "after": "after 31 Aug 2021",
    "both": "before and after 31 Aug 2021",
}

# one colour per relation kind, grouped by meaning: hostile (reds), money (browns),
# cooperative (greens, blues), institutional and diplomatic (purples, greys)
RELATION_COLORS = {
    "threatens": "#e31a1c",
    "attacks": "#99000d",
    "strikes": "#fb6a4a",
    "designates_terrorist": "#cb181d",
    "opposes": "#fc9272",
    "criticises": "#fdae6b",
    "freezes": "#8c510a",
    "blocks": "#bf812d",
    "halts": "#dfc27d",
    "invests_in": "#01665e",
    "endorses": "#238b45",
    "engages": "#2171b5",
    "seeks_ties": "#6baed6",
    "supports": "#41ab5d",
    "allied_with": "#00441b",
    "frees_detainees": "#e7298a",
    "embassy_open": "#6a51a3",
    "embassy_closed": "#9e9ac8",
    "member_of": "#525252",
    "observer_of": "#969696",
}
FADED_ALPHA = 0.18  # opacity of what lies outside the focus actor's neighbourhood

# concentric rings of the layout, inside out: the armed groups at the centre, the states and
# governments they threaten or deal with around them, institutions and people outside
RING_OF_KIND = {
    "militant_group": 0,
    "state": 1,
    "government": 1,
    "state_group": 2,
    "international_org": 2,
    "central_bank": 2,
    "person": 2,
}
RING_RADII = (1.4, 2.8, 4.0)

NODE_COLUMNS = ["actor_id", "name", "kind", "role", "iso3", "ties_out", "ties_in", "ties"]
EDGE_COLUMNS = [
    "relation_id",
    "subject_id",
    "subject_name",
    "relation",
    "object_id",
    "object_name",
    "period",
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
    "quote",
    "source_id",
]


# ---------------------------------------------------------------------------------------------
# Parameter rules


def unknown_actor_message(actor_id: object, actors: pd.DataFrame) -> str:
    """Why ``actor_id`` is not an actor: close matches by id or name, else every known id.

    >>> frame = pd.DataFrame({"actor_id": ["isis_k", "taliban"], "name": ["ISIS-K", "Taliban"]})
    >>> unknown_actor_message("ISIS-K", frame)
    "unknown actor 'ISIS-K'; did you mean 'isis_k'?"
    >>> unknown_actor_message("nobody", frame)
    "unknown actor 'nobody'; no close match among the 2 actors: isis_k, taliban"
    """
    ids = sorted(str(a) for a in actors["actor_id"])
    text = str(actor_id)
    lowered = text.strip().lower()
    by_name = {
        str(n).lower(): str(a) for a, n in zip(actors["actor_id"], actors["name"], strict=True)
    }
    candidates = {i.lower(): i for i in ids} | by_name
    close = difflib.get_close_matches(lowered, list(candidates), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(candidates[c] for c in close))
    if suggestions:
        return f"unknown actor {text!r}; did you mean " + " or ".join(map(repr, suggestions)) + "?"
    return f"unknown actor {text!r}; no close match among the {len(ids)} actors: " + ", ".join(ids)


def require_actor(actor_id: object, actors: pd.DataFrame, name: str = "focus_actor") -> str:
    """``actor_id`` if ``actors`` has it; else ParameterError naming it, with close matches."""
    if not isinstance(actor_id, str) or actor_id not in set(actors["actor_id"]):
        raise ParameterError(f"parameter '{name}': {unknown_actor_message(actor_id, actors)}")
    return actor_id


def _check_focus_actor(name: str, value: str) -> str:
    # checked against the actor table of the data_dir being checked with it
    from .tables import load_actors

    return require_actor(value, load_actors(parameters.current_data_dir()), name)


def _check_relation_kinds(name: str, value: list) -> list[str]:
    for kind in value:
        if not isinstance(kind, str) or kind not in RELATIONS:
            close = difflib.get_close_matches(str(kind), RELATIONS, n=2, cutoff=0.75)
            hint = ("did you mean " + " or ".join(map(repr, close)) + "? ") if close else ""
            raise ParameterError(
                f"parameter '{name}': unknown relation kind {kind!r}; {hint}allowed: "
                + ", ".join(RELATIONS)
            )
    repeated = sorted({k for k in value if value.count(k) > 1})
    if repeated:
        raise ParameterError(f"parameter '{name}': {repeated[0]!r} is listed twice")
    return list(value)


RELATION_KINDS_RULE = parameters.Rule(
    list,
    "a list of relation kinds (see analysis.schemas.RELATIONS); [] for every kind",
    _check_relation_kinds,
)
PERIOD_RULE = parameters.choice(*PERIOD_CHOICES)
FOCUS_ACTOR_RULE = parameters.Rule(
    str, "the id of an actor in actors.csv, e.g. 'taliban' or 'isis_k'", _check_focus_actor
)


parameters.register("relation_kinds", RELATION_KINDS_RULE)
parameters.register("period", PERIOD_RULE)
parameters.register("focus_actor", FOCUS_ACTOR_RULE)


# ---------------------------------------------------------------------------------------------
# The graph


@dataclass(frozen=True)
class ActorNetwork:
    """Nodes and edges of the network for one selection of relation kinds and period.

    ``actors`` is the whole actor table (to check ids against); ``nodes`` only the actors with at
    least one tie in ``edges`` (plus any kept on purpose); ``citations`` the sources of the edges.
    """

    actors: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame
    relation_kinds: tuple[str, ...]
    period: str
    citations: tuple[str, ...] = ()

    def name_of(self, actor_id: str) -> str:
        row = self.actors.loc[self.actors["actor_id"] == actor_id, "name"]
        return str(row.iloc[0]) if len(row) else actor_id


def _reference_problems(
    actors: pd.DataFrame, relations: pd.DataFrame, sources: pd.DataFrame | None
) -> list[Problem]:
    """Relations naming an actor missing from ``actors`` (or a source missing from ``sources``),
    by 1-based data row of relations.csv."""
    known = set(actors["actor_id"])
    known_sources = None if sources is None else set(sources["source_id"])
    problems = []
    for position, (_, row) in enumerate(relations.iterrows(), start=1):
        for column in ("subject_id", "object_id"):
            if row[column] not in known:
                message = f"unknown actor {row[column]!r} (not in actors.csv)"
                problems.append(Problem("relations.csv", message, position, column))
        if known_sources is not None and row["source_id"] not in known_sources:
            message = f"unknown source {row['source_id']!r} (not in sources.csv)"
            problems.append(Problem("relations.csv", message, position, "source_id"))
    return problems


def build_graph(
    actors: pd.DataFrame,
    relations: pd.DataFrame,
    relation_kinds: Sequence[str] = (),
    period: str = "both",
    *,
    keep: Iterable[str] = (),
    sources: pd.DataFrame | None = None,
) -> ActorNetwork:
    """The network of ``relations`` among ``actors``, keeping the ties of ``relation_kinds``
    (empty: every kind) in ``period`` (see the module docstring).

    ``keep`` names actors shown even without a tie in the selection (the focus actor). With
    ``sources``, the edges' citations are filled in. Raises DataError if a relation names an actor
    missing from ``actors`` (or a source missing from ``sources``), every such row at once;
    ParameterError for an unknown relation kind, period or kept actor.
    """
    kinds = tuple(RELATION_KINDS_RULE("relation_kinds", list(relation_kinds)))
    period = PERIOD_RULE("period", period)
    problems = _reference_problems(actors, relations, sources)
    if problems:
        raise DataError(problems)
    keep = [require_actor(a, actors, "keep") for a in keep]

    chosen = relations
    if kinds:
        chosen = chosen[chosen["relation"].astype(str).isin(kinds)]
    chosen = chosen[chosen["period"].astype(str).isin(_PERIOD_KEEPS[period])]
    names = dict(zip(actors["actor_id"], actors["name"].astype(str), strict=True))
    edges = chosen.assign(
        subject_name=chosen["subject_id"].map(names),
        object_name=chosen["object_id"].map(names),
        relation=chosen["relation"].astype(str),
        period=chosen["period"].astype(str),
    )
    for column in ("wording", "note", "date"):
        if column not in edges:
            edges[column] = pd.NA
    edges = edges[EDGE_COLUMNS].sort_values("relation_id", kind="stable").reset_index(drop=True)

    ties_out = edges["subject_id"].value_counts()
    ties_in = edges["object_id"].value_counts()
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
    return ActorNetwork(actors.copy(), nodes, edges, kinds, period, citations)


def load_graph(
    relation_kinds: Sequence[str] = (),
    period: str = "both",
    *,
    focus_actor: str | None = None,
    data_dir: DataDir = None,
) -> ActorNetwork:
    """:func:`build_graph` over the package's (or ``data_dir``'s) actors, relations and sources,
    keeping ``focus_actor`` as a node (ParameterError if that table has no such actor)."""
    from .tables import load_actors, load_relations, load_sources

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
    ``incoming``: it is acted upon), the other actor, period, the quote and its source.

    Sorted by direction, relation kind (in :data:`~analysis.schemas.RELATIONS` order), other actor.
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
    actor's total ties (most first), then actor id, relation order, direction."""
    edges = graph.edges
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
    """Ties per relation kind in the graph: how many, by the period each is stated for, and how
    many distinct actors act and are acted upon. Relation kinds in schema order, then a total."""
    edges = graph.edges
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
        "acting_actors": part["subject_id"].nunique(),
        "actors_acted_upon": part["object_id"].nunique(),
    }


# ---------------------------------------------------------------------------------------------
# Layout and charts


def layout(nodes: pd.DataFrame, centre: str | None = None) -> pd.DataFrame:
    """Fixed positions: actors on concentric rings by kind (armed groups inside, states and
    governments around them, groups of states, organisations, banks and people outside), evenly
    spaced on each ring in the order of :data:`~analysis.schemas.ACTOR_KINDS`, then actor id.
    ``centre`` (the focus actor) sits in the middle, off its ring, so its ties radiate outward.

    No randomness: the same nodes always get the same coordinates, whatever their row order.
    Returns actor_id, x, y (rounded to 6 decimals), in the order of ``nodes``.
    """
    kinds = nodes["kind"].astype(str)
    rings = kinds.map(lambda k: RING_OF_KIND.get(k, len(RING_RADII) - 1))
    rings[nodes["actor_id"] == centre] = -1
    kind_order = kinds.map(lambda k: ACTOR_KINDS.index(k) if k in ACTOR_KINDS else len(ACTOR_KINDS))
    xs = pd.Series(0.0, index=nodes.index)
    ys = pd.Series(0.0, index=nodes.index)
    for ring in sorted(set(rings) - {-1}):
        members = (
            nodes.loc[rings == ring]
            .assign(_kind=kind_order)
            .sort_values(["_kind", "actor_id"], kind="stable")
        )
        n = len(members)
        if ring == 0 and n == 1 and centre is None:
            continue  # a single armed group sits at the centre
        # start at the top, clockwise; each ring turned a little so nodes do not line up radially
        angles = math.pi / 2 - ring * 0.37 - 2 * math.pi * np.arange(n) / n
        xs[members.index] = RING_RADII[ring] * np.cos(angles)
        ys[members.index] = RING_RADII[ring] * np.sin(angles)
    return pd.DataFrame(
        {
            "actor_id": nodes["actor_id"].to_numpy(),
            "x": xs.round(6).to_numpy() + 0.0,  # + 0.0: no negative zeros
            "y": ys.round(6).to_numpy() + 0.0,
        }
    )


def drawn_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """One arrow per (subject, relation, object): the ties the article states more than once
    (ISIS-K threatens the US in five passages) are drawn once, thicker, with every quote in the
    hover. Columns: subject_id, relation, object_id, subject_name, object_name, ties,
    relation_ids (list), in the order of each group's first relation_id."""
    keys = ["subject_id", "relation", "object_id"]
    ordered = edges.sort_values("relation_id", kind="stable")
    groups = ordered.groupby(keys, sort=False)
    drawn = groups.agg(
        subject_name=("subject_name", "first"),
        object_name=("object_name", "first"),
        ties=("relation_id", "size"),
        relation_ids=("relation_id", list),
    ).reset_index()
    return drawn[[*keys, "subject_name", "object_name", "ties", "relation_ids"]]


_NODE_RADIUS = 0.2  # data units: where an edge stops short of its target's marker
_CURVE = 0.12  # bend of an edge (share of its length), more for each further kind of tie
_SAMPLES = 9


def edge_paths(drawn: pd.DataFrame, positions: pd.DataFrame) -> list[np.ndarray]:
    """The curved path of each row of :func:`drawn_edges`: (k, 2) points from near the subject to
    near the object, in row order.

    Each arrow bends to the right of its direction, so A → B and B → A do not overlap; arrows of
    further relation kinds from A to B bend further, one after the other in row order.
    """
    pos = positions.set_index("actor_id")[["x", "y"]]
    paths = []
    seen: dict[tuple[str, str], int] = {}
    for edge in drawn.itertuples(index=False):
        a = pos.loc[edge.subject_id].to_numpy(dtype=float)
        b = pos.loc[edge.object_id].to_numpy(dtype=float)
        k = seen.get((edge.subject_id, edge.object_id), 0)
        seen[(edge.subject_id, edge.object_id)] = k + 1
        paths.append(_curve(a, b, _CURVE * (1 + k)))
    return paths


def _curve(a: np.ndarray, b: np.ndarray, bend: float) -> np.ndarray:
    d = b - a
    length = float(np.hypot(*d))
    if length < 1e-9:  # a tie of an actor with itself: a small loop above the node
        t = np.linspace(0.15, 0.85, _SAMPLES) * 2 * np.pi
        centre = a + np.array([0.0, 0.22])
        return np.round(centre + 0.2 * np.column_stack([np.sin(t), -np.cos(t)]), 6) + 0.0
    normal = np.array([d[1], -d[0]]) / length  # right of the direction of travel
    control = (a + b) / 2 + normal * bend * length
    margin = min(_NODE_RADIUS / length, 0.3)
    t = np.linspace(margin, 1 - margin, _SAMPLES)[:, None]
    points = (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b
    return np.round(points, 6) + 0.0


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _edge_hover(edge, by_id: pd.DataFrame) -> str:
    """Who does what to whom, then each stated tie: id, period, quote, source."""
    verb = charts.esc(edge.relation).replace("_", " ")
    head = f"<b>{charts.esc(edge.subject_name)}</b> {verb} <b>{charts.esc(edge.object_name)}</b>"
    if edge.ties > 1:
        head += f" ({edge.ties} passages)"
    lines = [head]
    for relation_id in edge.relation_ids:
        tie = by_id.loc[relation_id]
        lines.append(
            f"{charts.esc(relation_id)}, stated for {PERIOD_LABELS[tie['period']]}:<br>“"
            + charts.wrap(tie["quote"])
            + f"”<br>source: {charts.esc(tie['source_id'])}"
        )
        if isinstance(tie["note"], str) and tie["note"]:
            lines.append("note: " + charts.wrap(tie["note"]))
    return "<br>".join(lines)


def _node_hover(node) -> str:
    lines = [
        f"<b>{charts.esc(node.name)}</b> ({charts.esc(node.actor_id)})",
        f"kind: {charts.esc(node.kind).replace('_', ' ')}",
    ]
    if isinstance(node.role, str) and node.role:
        lines.append("role: " + charts.wrap(node.role, 50))
    lines.append(f"ties shown: {node.ties_out} outgoing, {node.ties_in} incoming")
    return "<br>".join(lines)


_FALLBACK_SOURCE = "the seed article's actors and relations tables (analysis/data/seed)"


def _sources_of(graph: ActorNetwork) -> list[str]:
    cited = list(graph.citations) or [f"source {s}" for s in sorted(set(graph.edges["source_id"]))]
    return cited or [_FALLBACK_SOURCE]


def network_chart(
    graph: ActorNetwork,
    focus_actor: str | None = None,
    *,
    title: str | None = None,
    height: int = 860,
) -> go.Figure:
    """The network as a plotly figure: actors on fixed rings coloured by kind, ties as arrows
    coloured by relation kind pointing at the actor acted upon (one arrow per subject, relation and
    object, thicker when the article states it in several passages). With ``focus_actor``, its
    ties and neighbours are drawn in full and everything else faded. Hovering an arrow shows its
    quotes and sources; hovering an actor its name, kind and role."""
    nodes = graph.nodes
    positions = layout(nodes, centre=focus_actor)
    pos = positions.set_index("actor_id")
    near = set(neighbourhood(graph, focus_actor)) if focus_actor is not None else None
    fig = go.Figure()

    drawn = drawn_edges(graph.edges)
    drawn["path"] = edge_paths(drawn, positions)
    by_id = graph.edges.set_index("relation_id")
    drawn["hover"] = [_edge_hover(e, by_id) for e in drawn.itertuples(index=False)]
    if focus_actor is None:
        drawn["in_focus"] = True
    else:
        drawn["in_focus"] = (drawn["subject_id"] == focus_actor) | (
            drawn["object_id"] == focus_actor
        )
    for relation in [r for r in RELATIONS if r in set(drawn["relation"])]:
        part = drawn[drawn["relation"] == relation]
        color = RELATION_COLORS.get(relation, "#555555")
        fig.add_trace(
            _legend_entry(relation.replace("_", " "), f"relation-{relation}", line_color=color)
        )
        # one trace per line width and opacity (plotly sets both per trace, not per point)
        for (in_focus, ties), subset in part.groupby(
            [part["in_focus"], part["ties"].clip(upper=4)], sort=True
        ):
            fig.add_trace(
                _edge_trace(relation, subset, 1.0 if in_focus else FADED_ALPHA, int(ties))
            )

    for kind in [k for k in ACTOR_KINDS if k in set(nodes["kind"])]:
        part = nodes[nodes["kind"] == kind]
        xy = pos.loc[part["actor_id"]]
        color = charts.KIND_COLORS.get(kind, charts.MISSING_COLOR)
        opacity = [1.0 if near is None or a in near else 0.3 for a in part["actor_id"]]
        is_focus = [a == focus_actor for a in part["actor_id"]]
        fig.add_trace(_legend_entry(kind.replace("_", " "), f"actor-{kind}", marker_color=color))
        fig.add_trace(
            go.Scatter(
                x=xy["x"],
                y=xy["y"],
                mode="markers+text",
                name=kind.replace("_", " "),
                legendgroup=f"actor-{kind}",
                showlegend=False,
                marker=dict(
                    size=[12 + 2 * min(t, 10) for t in part["ties"]],
                    color=color,
                    opacity=opacity,
                    line=dict(
                        width=[3 if f else 1 for f in is_focus],
                        color=["#111111" if f else "#ffffff" for f in is_focus],
                    ),
                ),
                text=[charts.wrap(short_name(n), 18) for n in part["name"]],
                textposition=[_label_position(x, y) for x, y in zip(xy["x"], xy["y"], strict=True)],
                textfont=dict(size=11, color=[_rgba("#222222", max(o, 0.45)) for o in opacity]),
                hovertext=[_node_hover(n) for n in part.itertuples(index=False)],
                hoverinfo="text",
            )
        )
    if focus_actor is not None:
        fig.add_trace(
            _legend_entry(
                f"focus: {charts.esc(graph.name_of(focus_actor))}",
                "focus",
                marker=dict(size=14, symbol="circle-open", color="#111111", line=dict(width=3)),
            )
        )

    extent = max(RING_RADII) + 0.8
    fig.update_xaxes(visible=False, range=[-extent - 0.6, extent + 0.6])
    fig.update_yaxes(visible=False, range=[-extent, extent], scaleanchor="x", scaleratio=1)
    kinds_text = (
        "every relation kind"
        if not graph.relation_kinds
        else ", ".join(k.replace("_", " ") for k in graph.relation_kinds)
    )
    note = (
        f"{len(graph.edges)} stated ties ({kinds_text}), {PERIOD_LABELS[graph.period]}. "
        "Arrows point at the actor acted upon; thicker: stated in several passages."
    )
    if focus_actor is not None:
        note += f" {graph.name_of(focus_actor)}'s ties in full, the rest faded."
    if graph.edges.empty:
        note += " No tie matches this selection."
    charts.finish(
        fig,
        title=title
        or "Who threatens, engages and sanctions whom: the seed article's actor network",
        sources=_sources_of(graph),
        note=note,
        height=height,
    )
    fig.update_layout(hovermode="closest", legend=_SIDE_LEGEND, margin_r=190)
    return fig


# a many-item legend on the right, top-aligned (finish's one-row legend over the plot would
# run into the title)
_SIDE_LEGEND = dict(
    orientation="v",
    x=1.01,
    y=1,
    xanchor="left",
    yanchor="top",
    font=dict(size=11),
    tracegroupgap=2,
)


def short_name(name: str) -> str:
    """The abbreviation an actor's name ends with, else the name: labels on a crowded chart.

    >>> short_name("Islamic State-Khorasan (ISIS-K)"), short_name("Russia")
    ('ISIS-K', 'Russia')
    """
    name = str(name).strip()
    if name.endswith(")") and "(" in name:
        inner = name[name.rindex("(") + 1 : -1].strip()
        if inner and " " not in inner:
            return inner
    return name


def _label_position(x: float, y: float) -> str:
    """Labels outward from the centre, so they sit off the arrows between rings."""
    vertical = "top" if y > 0.3 else ("bottom" if y < -0.3 else "middle")
    horizontal = "right" if x > 0.3 else ("left" if x < -0.3 else "center")
    if vertical == "middle" and horizontal == "center":
        return "bottom center"
    return f"{vertical} {horizontal}"


def _legend_entry(name: str, group: str, *, line_color=None, marker_color=None, marker=None):
    """A legend item drawn in full colour, whatever the opacity of the traces it stands for."""
    if line_color is not None:
        return go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=name,
            legendgroup=group,
            line=dict(color=line_color, width=2.5),
            hoverinfo="skip",
        )
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        legendgroup=group,
        marker=marker or dict(size=12, color=marker_color),
        hoverinfo="skip",
    )


def _edge_trace(relation: str, drawn: pd.DataFrame, alpha: float, ties: int) -> go.Scatter:
    """Arrows of one relation kind: lines through each path with an arrowhead at its end (a
    marker turned along the line) and the hover text on every point of the path."""
    xs: list = []
    ys: list = []
    sizes: list = []
    symbols: list = []
    hovers: list = []
    for edge in drawn.itertuples(index=False):
        points = edge.path
        xs += [*points[:, 0].tolist(), None]
        ys += [*points[:, 1].tolist(), None]
        sizes += [0] * (len(points) - 1) + [10 + 2 * ties, 0]
        symbols += ["circle"] * (len(points) - 1) + ["arrow", "circle"]
        hovers += [edge.hover] * len(points) + [None]
    color = _rgba(RELATION_COLORS.get(relation, "#555555"), alpha)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        name=relation.replace("_", " "),
        legendgroup=f"relation-{relation}",
        showlegend=False,
        line=dict(color=color, width=(0.6 + 0.9 * ties) if alpha == 1.0 else 1.0),
        marker=dict(size=sizes, symbol=symbols, color=color, angleref="previous", line_width=0),
        hovertext=hovers,
        hoverinfo="text",
        connectgaps=False,
    )


def tie_counts_chart(
    counts: pd.DataFrame,
    *,
    sources: Iterable[str] = (),
    title: str | None = None,
    top: int | None = None,
) -> go.Figure:
    """Stacked horizontal bars of :func:`tie_counts`: one bar per actor (most ties on top), one
    segment per relation kind; hatched segments are ties the actor receives (incoming).

    ``top`` keeps the actors with most ties (all when None)."""
    totals = counts.groupby("actor_id", sort=False)["ties"].sum()
    order = list(totals.index)  # counts come sorted by total, most first
    if top is not None:
        order = order[:top]
    counts = counts[counts["actor_id"].isin(order)]
    names = counts.drop_duplicates("actor_id").set_index("actor_id")["name"]
    labels = {a: charts.esc(names[a]) for a in order}
    fig = go.Figure()
    relations = [r for r in RELATIONS if r in set(counts["relation"])]
    for relation in relations:  # legend: one solid entry per relation kind
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=relation.replace("_", " "),
                legendgroup=relation,
                marker_color=RELATION_COLORS.get(relation, "#555555"),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Bar(
            x=[None],
            y=[None],
            name="incoming (hatched)",
            legendgroup="incoming",
            marker=dict(
                color="#ffffff",
                line=dict(color="#555555", width=1),
                pattern=dict(shape="/", fgcolor="#555555"),
            ),
            hoverinfo="skip",
        )
    )
    for direction in ("outgoing", "incoming"):  # the actor's own acts first, then what it receives
        for relation in relations:
            part = counts[(counts["relation"] == relation) & (counts["direction"] == direction)]
            if part.empty:
                continue
            verb = relation.replace("_", " ")
            fig.add_trace(
                go.Bar(
                    y=[labels[a] for a in part["actor_id"]],
                    x=part["ties"],
                    orientation="h",
                    name=f"{verb} ({direction})",
                    legendgroup=relation,
                    showlegend=False,
                    marker=dict(
                        color=RELATION_COLORS.get(relation, "#555555"),
                        pattern=dict(shape="/" if direction == "incoming" else ""),
                    ),
                    hovertext=[
                        f"<b>{labels[a]}</b>: {n} {verb} tie{'s' if n != 1 else ''} ({direction})"
                        for a, n in zip(part["actor_id"], part["ties"], strict=True)
                    ],
                    hoverinfo="text",
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=[labels[a] for a in reversed(order)]
    )
    charts.finish(
        fig,
        title=title or "Ties per actor, by relation kind",
        sources=list(sources) or [_FALLBACK_SOURCE],
        x_title="ties (count of stated relations)",
        y_title="actor",
        note="Solid: ties where the actor acts (outgoing); hatched: ties it receives (incoming)."
        + (" No tie matches this selection." if counts.empty else ""),
        height=max(300, 110 + 24 * len(order)),
    )
    fig.update_xaxes(type="linear", rangemode="tozero", dtick=1 if totals.max() <= 12 else None)
    fig.update_layout(legend=_SIDE_LEGEND, margin_r=170)
    return fig
