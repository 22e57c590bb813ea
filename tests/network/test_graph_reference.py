"""The relations' reference check, made column-wise, finds what the row-by-row check it replaced
(kept here as the reference) found, in the same order: on the shipped tables and on relations
broken in every column it checks, several ways in one row."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import load_actors, load_relations, load_sources
from analysis.exceptions import DataError, Problem
from analysis.network import build_graph
from analysis.network.graph import _reference_problems


def reference_problems(actors, relations, sources):
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


@pytest.fixture(scope="module")
def tables():
    return load_actors(), load_relations(), load_sources()


def _broken(relations: pd.DataFrame) -> pd.DataFrame:
    broken = relations.copy()
    broken.loc[broken.index[0], "object_id"] = "nobody"
    broken.loc[broken.index[3], ["subject_id", "object_id", "source_id"]] = ["x", "y", "src_z"]
    broken.loc[broken.index[5], "source_id"] = "src_missing"
    broken.loc[broken.index[-1], "subject_id"] = "<b>ghost</b>"
    return broken


def test_the_same_problems_in_the_same_order(tables):
    actors, relations, sources = tables
    assert _reference_problems(actors, relations, sources) == []
    broken = _broken(relations)
    for with_sources in (sources, None):
        ours = _reference_problems(actors, broken, with_sources)
        theirs = reference_problems(actors, broken, with_sources)
        assert ours == theirs
    assert [(p.row, p.column) for p in ours] == [
        (1, "object_id"),
        (4, "subject_id"),
        (4, "object_id"),
        (len(broken), "subject_id"),
    ]


def test_a_broken_relations_table_names_every_row_at_once(tables):
    actors, relations, sources = tables
    with pytest.raises(DataError) as caught:
        build_graph(actors, _broken(relations), sources=sources)
    lines = [line.strip() for line in str(caught.value).splitlines()]
    assert lines[0] == "6 data problems:"
    assert (
        "relations.csv, row 4, column 'source_id': unknown source 'src_z' (not in sources.csv)"
        in lines
    )
