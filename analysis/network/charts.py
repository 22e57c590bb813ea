"""Figures of the network: the ring chart with every tie's quotes and speakers in its hover
(line style: how the article states the tie), and tie counts per actor.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from .. import charts
from ..tables.vocab import ACTOR_KINDS, RELATIONS, STANCES
from .geometry import RING_RADII, drawn_edges, edge_paths, layout
from .graph import ActorNetwork, neighbourhood

PERIOD_LABELS = {
    "before": "before 31 Aug 2021",
    "after": "after 31 Aug 2021",
    "both": "before and after 31 Aug 2021",
}


# one colour per relation kind, grouped by meaning: hostile (reds), money (browns),
# cooperative (greens, blues), institutional and diplomatic (purples, greys)
RELATION_COLORS = {
    "threatens": "#e31a1c",
    "attacks": "#5e0000",
    "strikes": "#ac8260",
    "designates_terrorist": "#d8367c",
    "opposes": "#965350",
    "criticises": "#eea721",
    "urges": "#d08522",
    "freezes": "#7f3209",
    "blocks": "#c8a668",
    "halts": "#e2ca89",
    "invests_in": "#728d93",
    "endorses": "#4c7a17",
    "engages": "#2171b5",
    "seeks_ties": "#38bafc",
    "supports": "#7eaf92",
    "allied_with": "#003a20",
    "frees_detainees": "#7c386d",
    "embassy_open": "#7f12ff",
    "embassy_closed": "#5139bb",
    "member_of": "#4a4848",
    "observer_of": "#5492cd",
}


FADED_ALPHA = 0.18  # opacity of what lies outside the focus actor's neighbourhood


# how the article states a tie, drawn as the line's dash and the arrow's head: a solid line with
# an arrowhead is a tie the article asserts; the others are broken lines, and a denied tie ends
# in a cross instead of an arrowhead
STANCE_STYLES = {
    "asserted": ("solid", "arrow"),
    "reported": ("dot", "arrow"),
    "expected": ("dash", "arrow"),
    "hypothetical": ("dashdot", "arrow"),
    "denied": ("longdash", "x-thin"),
}


STANCE_LABELS = {
    "asserted": "asserted (solid)",
    "reported": "reported, not endorsed (dotted)",
    "expected": "expected (dashed)",
    "hypothetical": "only under a condition (dash-dot)",
    "denied": "denied (long dashes, ×)",
}


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
        said = f"{charts.esc(tie['stance'])} by {charts.esc(tie['voice_name'])}"
        if tie["repeats"]:
            said += f", repeating {charts.esc(tie['repeats'])}"
        lines.append(
            f"{charts.esc(relation_id)}, stated for {PERIOD_LABELS[tie['period']]}; "
            f"{said}:<br>“"
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
    quotes, who says them and their sources; hovering an actor its name, kind and role.

    The line style says how the article states a tie (:data:`STANCE_STYLES`): solid with an
    arrowhead where it asserts it; dotted where it only reports it, dashed where it expects it,
    dash-dot where it holds only under a condition, long dashes ending in a cross where it denies
    it. The same tie stated in two ways is two arrows. The legend lists the stances shown."""
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
    carriers: list[tuple[int, str, pd.DataFrame]] = []  # (trace index, relation, its edges)
    for relation in [r for r in RELATIONS if r in set(drawn["relation"])]:
        part = drawn[drawn["relation"] == relation]
        color = RELATION_COLORS.get(relation, "#555555")
        fig.add_trace(
            _legend_entry(relation.replace("_", " "), f"relation-{relation}", line_color=color)
        )
        # one trace per stance, line width and opacity (plotly sets dash, width and opacity per
        # trace, not per point)
        for (stance, in_focus, ties), subset in part.groupby(
            [part["stance"], part["in_focus"], part["ties"].clip(upper=4)], sort=True
        ):
            fig.add_trace(
                _edge_trace(
                    relation, subset, 1.0 if in_focus else FADED_ALPHA, int(ties), str(stance)
                )
            )
            carriers.append((len(fig.data) - 1, relation, subset))
    if carriers:
        fig.add_trace(_hover_trace(carriers))
    for stance in [s for s in STANCES if s in set(drawn["stance"])]:
        fig.add_trace(
            _legend_entry(
                STANCE_LABELS[stance],
                f"stance-{stance}",
                line_color="#444444",
                dash=STANCE_STYLES[stance][0],
            )
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
    stances_text = "" if not graph.stances else f", stated as {', '.join(graph.stances)}"
    repeats = int((graph.edges["repeats"] != "").sum()) if "repeats" in graph.edges else 0
    note = (
        f"{len(graph.edges) - repeats} stated ties ({kinds_text}{stances_text}), "
        f"{PERIOD_LABELS[graph.period]}"
        + (f", and {repeats} passage(s) repeating one of them" if repeats else "")
        + ". Arrows point at the actor acted upon; thicker: stated in several passages; "
        "line style: how the article states the tie (legend); hover the middle of an arrow for "
        "its quotes and who says them."
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


def _legend_entry(
    name: str, group: str, *, line_color=None, marker_color=None, marker=None, dash="solid"
):
    """A legend item drawn in full colour, whatever the opacity of the traces it stands for."""
    if line_color is not None:
        return go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=name,
            legendgroup=group,
            line=dict(color=line_color, width=2.5, dash=dash),
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


def _edge_trace(
    relation: str, drawn: pd.DataFrame, alpha: float, ties: int, stance: str = "asserted"
) -> go.Scatter:
    """Arrows of one relation kind and stance: lines through each path, dashed by the stance,
    with a head at the end (an arrow turned along the line, or a cross for a denied tie). The
    lines do not hover: each tie's text is carried once, by :func:`_hover_trace`."""
    dash, head = STANCE_STYLES.get(stance, STANCE_STYLES["asserted"])
    xs: list = []
    ys: list = []
    sizes: list = []
    symbols: list = []
    for edge in drawn.itertuples(index=False):
        points = edge.path
        xs += [*points[:, 0].tolist(), None]
        ys += [*points[:, 1].tolist(), None]
        sizes += [0] * (len(points) - 1) + [10 + 2 * ties, 0]
        symbols += ["circle"] * (len(points) - 1) + [head, "circle"]
    color = _rgba(RELATION_COLORS.get(relation, "#555555"), alpha)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        name=f"{relation.replace('_', ' ')} ({stance})",
        legendgroup=f"relation-{relation}",
        showlegend=False,
        line=dict(color=color, width=(0.6 + 0.9 * ties) if alpha == 1.0 else 1.0, dash=dash),
        marker=dict(
            size=sizes,
            symbol=symbols,
            color=color,
            angleref="previous",
            line=dict(width=2 if head != "arrow" else 0, color=color),
        ),
        hoverinfo="skip",
        connectgaps=False,
    )


def _hover_trace(carriers: list[tuple[int, str, pd.DataFrame]]) -> go.Scatter:
    """One hover point per tie, in the middle of its arrow, carrying the tie's text once (the
    quotes, who says them, sources) with ``customdata`` naming the trace that draws the arrow.
    Putting the text on every point of every path repeated it nine times and made the page
    several hundred KiB heavier."""
    xs, ys, texts, owners, colors = [], [], [], [], []
    for index, relation, edges in carriers:
        for edge in edges.itertuples(index=False):
            middle = edge.path[len(edge.path) // 2]
            xs.append(float(middle[0]))
            ys.append(float(middle[1]))
            texts.append(edge.hover)
            owners.append(index)
            colors.append(RELATION_COLORS.get(relation, "#555555"))
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers",
        name="tie details",
        showlegend=False,
        marker=dict(size=16, color="rgba(0,0,0,0)"),
        hovertext=texts,
        hoverinfo="text",
        hoverlabel=dict(bgcolor="#ffffff", bordercolor=colors, font=dict(color="#222222")),
        customdata=owners,
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
