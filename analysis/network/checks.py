"""Checks of the network report's inputs: relation kinds, periods, stances and actor ids (with
close matches for a mistyped id), as rules the graph functions and the report's parameters share.
"""

from __future__ import annotations

import difflib

import pandas as pd

from .. import rules
from ..exceptions import ParameterError, shown
from ..tables.vocab import RELATIONS, STANCES

PERIOD_CHOICES = ("before", "after", "both")


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
    from ..tables import load_actors

    return require_actor(value, load_actors(rules.current_data_dir()), name)


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
        raise ParameterError(f"parameter '{name}': {shown(repeated[0])} is listed twice")
    return list(value)


RELATION_KINDS_RULE = rules.Rule(
    list,
    "a list of relation kinds (see analysis.tables.schemas.RELATIONS); [] for every kind",
    _check_relation_kinds,
)


PERIOD_RULE = rules.choice(*PERIOD_CHOICES)


STANCES_RULE = rules.choices(*STANCES, min_items=0)


FOCUS_ACTOR_RULE = rules.Rule(
    str, "the id of an actor in actors.csv, e.g. 'taliban' or 'isis_k'", _check_focus_actor
)
