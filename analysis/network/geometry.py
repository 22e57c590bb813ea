"""The network chart's fixed geometry: actors on rings by kind (the focus actor in the centre),
one drawn edge per pair and relation, and curved paths that stop short of their target.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..tables.vocab import ACTOR_KINDS

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


def layout(nodes: pd.DataFrame, centre: str | None = None) -> pd.DataFrame:
    """Fixed positions: actors on concentric rings by kind (armed groups inside, states and
    governments around them, groups of states, organisations, banks and people outside), evenly
    spaced on each ring in the order of :data:`~analysis.tables.schemas.ACTOR_KINDS`, then actor id.
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
    """One arrow per (subject, relation, object, stance): the ties the article states more than
    once in the same way (ISIS-K threatens Pakistan in several passages) are drawn once, thicker,
    with every quote in the hover; the same tie stated differently (asserted, denied, ...) is a
    separate arrow, drawn in its stance's line style. ``ties`` counts the passages that are not
    repeats of another row (a caption restating the text adds its quote, not thickness).

    Columns: subject_id, relation, object_id, stance, subject_name, object_name, ties,
    relation_ids (list), in the order of each group's first relation_id."""
    keys = ["subject_id", "relation", "object_id", "stance"]
    edges = edges.assign(
        stance=edges["stance"].astype(str) if "stance" in edges else "asserted",
        _original=(edges["repeats"].astype(str) == "") if "repeats" in edges else True,
    )
    ordered = edges.sort_values("relation_id", kind="stable")
    groups = ordered.groupby(keys, sort=False)
    drawn = groups.agg(
        subject_name=("subject_name", "first"),
        object_name=("object_name", "first"),
        ties=("_original", "sum"),
        relation_ids=("relation_id", list),
    ).reset_index()
    drawn["ties"] = drawn["ties"].astype(int).clip(lower=1)
    return drawn[[*keys, "subject_name", "object_name", "ties", "relation_ids"]]


_NODE_RADIUS = 0.2  # data units: where an edge stops short of its target's marker


_CURVE = 0.12  # bend of an edge (share of its length), more for each further kind of tie


_SAMPLES = 9


def edge_paths(drawn: pd.DataFrame, positions: pd.DataFrame) -> list[np.ndarray]:
    """The curved path of each row of :func:`drawn_edges`: (k, 2) points from near the subject to
    near the object, in row order.

    Each arrow bends to the right of its direction, so A → B and B → A do not overlap; arrows of
    further relation kinds (or stances) from A to B bend further, one after the other in row
    order.
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
