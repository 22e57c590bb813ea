"""How the seed's statements are made, for reading: a voice as a name, and the stance and voice
of each relation, claim or event joined onto any table keyed by its id.

The vocabularies themselves (:data:`~analysis.tables.vocab.STANCES`, the ``author`` and
``anonymous`` voices) are declared in :mod:`.vocab` (what they mean: :mod:`.schemas`); the rules
that check them across tables in :mod:`.provenance`. May import: pandas, and this layer's
:mod:`.vocab` and :mod:`.seed`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pandas as pd

from .vocab import VOICE_ANONYMOUS, VOICE_AUTHOR

DataDir = str | os.PathLike | None

# the statement tables: their loader's name and id column
ID_COLUMNS = {"relations": "relation_id", "claims": "claim_id", "events": "event_id"}

VOICE_NAMES = {VOICE_AUTHOR: "the author", VOICE_ANONYMOUS: "an anonymous source"}


def voice_name(voice: object, names: Mapping[str, str]) -> str:
    """Who says it, for a reader: the author, an anonymous source, or the speaker's name.

    >>> names = {"jake_sullivan": "Jake Sullivan"}
    >>> [voice_name(v, names) for v in ("author", "anonymous", "jake_sullivan", None)]
    ['the author', 'an anonymous source', 'Jake Sullivan', 'not stated']
    """
    if not isinstance(voice, str) or not voice:
        return "not stated"
    return VOICE_NAMES.get(voice) or names.get(voice, voice)


def actor_names(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id → name."""
    return dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str), strict=True))


def attribution(statements: pd.DataFrame, actors: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """One row per statement: its id, ``stance``, ``voice`` (id), ``voice_name`` and the id it
    ``repeats`` ("" for an original); a plain frame to merge on the id column."""
    names = actor_names(actors)
    repeats = (
        statements["repeats"] if "repeats" in statements else pd.Series(pd.NA, statements.index)
    )
    return pd.DataFrame(
        {
            id_column: statements[id_column].astype(str).to_numpy(),
            "stance": statements["stance"].astype(str).to_numpy(),
            "voice": statements["voice"].astype(str).to_numpy(),
            "voice_name": [voice_name(v, names) for v in statements["voice"]],
            "repeats": ["" if pd.isna(r) else str(r) for r in repeats],
        }
    )


def with_attribution(
    frame: pd.DataFrame,
    table: str = "claims",
    *,
    data_dir: DataDir = None,
    after: str | None = None,
) -> pd.DataFrame:
    """``frame`` (any table with the id column of ``table``: ``claim_id``, ``relation_id`` or
    ``event_id``) with the ``stance`` and ``voice_name`` of each statement inserted after the
    column ``after`` (default: the id column). Rows whose id the table lacks get "not stated".

    For a table that quotes or paraphrases the article's statements (the brief's verdicts):
    ``with_attribution(verdict_table(claims), "claims")``.
    """
    from . import seed

    if table not in ID_COLUMNS:
        raise ValueError(f"table must be one of {', '.join(ID_COLUMNS)}; got {table!r}")
    id_column = ID_COLUMNS[table]
    if id_column not in frame:
        raise KeyError(f"the frame has no column {id_column!r} to join {table} on")
    statements = getattr(seed, f"load_{table}")(data_dir)
    info = attribution(statements, seed.load_actors(data_dir), id_column).set_index(id_column)
    out = frame.drop(columns=[c for c in ("stance", "voice_name") if c in frame]).copy()
    keys = out[id_column].astype(str)
    at = list(out.columns).index(after or id_column) + 1
    out.insert(at, "stance", keys.map(info["stance"]).fillna("not stated").to_numpy())
    out.insert(at + 1, "voice_name", keys.map(info["voice_name"]).fillna("not stated").to_numpy())
    return out
