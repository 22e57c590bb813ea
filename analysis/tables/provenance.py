"""Cross-table rules for the seed-derived tables: provenance and referential integrity.

- every ``source_id`` exists in ``sources``; every actor id a row names exists in ``actors``;
- every ``quote`` is verbatim in its source's text (``analysis/data/texts/<text_file>``);
- every number in a row's numeric fields appears in its quote ("US$7 billion" shows 7e9);
- a relation's ``wording`` is part of its quote; a funding row's ``part_of`` names a measure;
- a statement's ``voice`` is ``author``, ``anonymous`` or an actor id;
- a statement is counted once: ``repeats`` names an original row of the same table (not itself,
  not another repeat) that states the same thing, and no two rows state the same tie (or event,
  or claim) in the same quote and words unless one is marked as repeating the other.

Each function returns :class:`~analysis.exceptions.Problem` s; none raises on the first.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pandas as pd

from .. import files
from ..exceptions import DataError, Problem
from .datadir import find_file
from .vocab import VOICES

# numeric fields that must appear in the row's quote, per table
NUMERIC_FIELDS = {
    "actors": ("fighters",),
    "funding": ("amount_usd",),
    "events": ("killed", "killed_us_military"),
}
# columns holding actor ids, per table (list-valued columns hold several)
ACTOR_REFERENCES = {
    "actors": ("affiliation_id", "fighters_estimated_by"),
    "relations": ("subject_id", "object_id"),
    "funding": ("actor_id", "target_id"),
    "events": ("actor_id", "target_id"),
    "claims": ("subject_ids", "object_ids"),
}
# statement tables: their id column, and the columns a repeat must share with its original (a row
# that ties other actors is a statement of its own, not a repeat)
STATEMENT_TABLES = {
    "relations": ("relation_id", ("subject_id", "relation", "object_id")),
    "events": ("event_id", ("kind", "actor_id")),
    "claims": ("claim_id", ("topic",)),
}
_MULTIPLIERS = {
    "trillion": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "million": 1e6,
    "m": 1e6,
    "thousand": 1e3,
}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(trillion|billion|bn|million|thousand|m)\b)?",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[float]:
    """Every number a text states, in base units: ``"$9.5 billion"`` gives 9.5 and 9.5e9.

    >>> sorted(numbers_in("around US$7 billion of the $9.5 billion, 2,000 fighters"))
    [7.0, 9.5, 2000.0, 7000000000.0, 9500000000.0]
    """
    found: set[float] = set()
    for digits, unit in _NUMBER.findall(text):
        value = float(digits.replace(",", ""))
        found.add(value)
        if unit:
            found.add(value * _MULTIPLIERS[unit.lower()])
    return found


def _row(index) -> int:
    return int(index) + 1


def source_texts(
    sources: pd.DataFrame,
    data_dir: str | os.PathLike | None = None,
    problems: list[Problem] | None = None,
) -> dict:
    """source_id → its verbatim text, for sources that have one (user directory first); None
    for a source whose text file is there but cannot be used.

    A text that is there but cannot be used (a directory, a FIFO, not UTF-8, above the size
    cap) is a problem naming the file and the ``sources.csv`` row (appended to ``problems``;
    without that list, raised as DataError); its quotes are then not checked."""
    texts = {}
    found: list[Problem] = []
    for number, row in enumerate(sources.itertuples(), start=1):
        if isinstance(row.text_file, str) and row.text_file:
            try:
                path = find_file(Path(row.text_file).name, "texts", data_dir)
            except FileNotFoundError:
                continue
            except DataError as exc:  # there, but not a file that can be read
                problems_here = [(p.file, p.message) for p in exc.problems]
            else:
                try:
                    texts[row.source_id] = files.read_text(
                        path, cap=files.DATA_FILE_CAP, what="a source text"
                    )
                    continue
                except files.Refused as exc:
                    problems_here = [(path.name, exc.reason)]
            texts[row.source_id] = None  # reported once here, not once per quote
            whose = f"the text of source '{row.source_id}', sources.csv row {number}"
            found += [
                Problem(file, f"{message} ({whose}, column 'text_file')")
                for file, message in problems_here
            ]
    if problems is None and found:
        raise DataError(found)
    if problems is not None:
        problems += found
    return texts


def check_references(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Ids that point nowhere: unknown source ids, actor ids, ``part_of`` measures."""
    problems: list[Problem] = []
    sources = set(tables["sources"]["source_id"]) if "sources" in tables else None
    actors = set(tables["actors"]["actor_id"]) if "actors" in tables else None
    for name, frame in tables.items():
        file = f"{name}.csv"
        if sources is not None and name != "sources" and "source_id" in frame:
            for idx, value in frame["source_id"].items():
                if value not in sources:
                    problems.append(
                        Problem(file, f"unknown source '{value}'", _row(idx), "source_id")
                    )
        if actors is None:
            continue
        for column in ACTOR_REFERENCES.get(name, ()):
            for idx, value in frame[column].items():
                ids = value if isinstance(value, list) else ([] if pd.isna(value) else [value])
                for actor in ids:
                    if actor not in actors:
                        problems.append(
                            Problem(file, f"unknown actor '{actor}'", _row(idx), column)
                        )
    if "funding" in tables:
        funding = tables["funding"]
        measures = set(funding["measure_id"])
        for idx, value in funding["part_of"].items():
            if not pd.isna(value) and value not in measures:
                problems.append(
                    Problem("funding.csv", f"unknown measure '{value}'", _row(idx), "part_of")
                )
    return problems


def check_voices(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Voices that are neither ``author``, ``anonymous`` nor an actor of ``actors``."""
    if "actors" not in tables:
        return []
    known = set(tables["actors"]["actor_id"])
    problems: list[Problem] = []
    for name in STATEMENT_TABLES:
        frame = tables.get(name)
        if frame is None or "voice" not in frame:
            continue
        for idx, value in frame["voice"].items():
            if value not in VOICES and value not in known:
                problems.append(
                    Problem(
                        f"{name}.csv",
                        f"voice '{value}' is neither 'author', 'anonymous' nor an actor id "
                        "of actors.csv",
                        _row(idx),
                        "voice",
                    )
                )
    return problems


def _key(value) -> object:
    return tuple(value) if isinstance(value, list) else (None if pd.isna(value) else str(value))


def check_repeats(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Statements that would be counted twice, or a repeat that would drop a statement.

    ``repeats`` must name another row of the same table that is not itself a repeat (one
    original per statement) and that states the same thing (same subject, relation and object;
    same kind and actor; same topic); two rows stating the same thing in the same quote (and, for
    relations, the same wording) must mark one of them as repeating the other.
    """
    problems: list[Problem] = []
    for name, (id_column, same) in STATEMENT_TABLES.items():
        frame = tables.get(name)
        if frame is None or "repeats" not in frame:
            continue
        file = f"{name}.csv"
        rows = {str(r[id_column]): r for _, r in frame.iterrows()}
        for idx, row in frame.iterrows():
            target = row["repeats"]
            if pd.isna(target):
                continue
            own = str(row[id_column])
            original = rows.get(str(target))
            if original is None:
                message = f"repeats unknown {id_column} '{target}'"
            elif str(target) == own:
                message = f"{own} repeats itself"
            elif not pd.isna(original["repeats"]):
                message = (
                    f"repeats {target}, itself a repeat of {original['repeats']}: "
                    f"point at the original, {original['repeats']}"
                )
            else:
                differs = [c for c in same if _key(row[c]) != _key(original[c])]
                if not differs:
                    continue
                message = (
                    f"repeats {target} but differs from it in {', '.join(differs)}: a repeat "
                    "restates the same statement; a different one needs no repeats"
                )
            problems.append(Problem(file, message, _row(idx), "repeats"))
        originals = frame[frame["repeats"].isna()]
        seen: dict[tuple, str] = {}
        for idx, row in originals.iterrows():
            # the same tie in the same words: a relation also by its wording (one sentence can
            # state a tie twice over, "already opened talks, indicating a possible integration")
            key = (*(_key(row[c]) for c in same), row["quote"], row.get("wording"))
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        f"states the same as {seen[key]} in the same quote: it would count "
                        f"twice; remove it or mark it as repeating {seen[key]}",
                        _row(idx),
                        "repeats",
                    )
                )
            else:
                seen[key] = str(row[id_column])
    return problems


def check_quotes(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> list[Problem]:
    """Quotes not found verbatim in their source's text; relation wording not in its quote."""
    problems: list[Problem] = []
    known = set(tables["sources"]["source_id"]) if "sources" in tables else set(texts)
    for name, frame in tables.items():
        if name == "sources" or "quote" not in frame:
            continue
        file = f"{name}.csv"
        for idx, row in frame.iterrows():
            text = texts.get(row["source_id"])
            if row["source_id"] not in known:
                continue  # reported by check_references
            if text is None and row["source_id"] in texts:
                continue  # its text could not be read: reported once, by source_texts
            if text is None:
                problems.append(
                    Problem(
                        file,
                        f"source '{row['source_id']}' has no text to check the quote against",
                        _row(idx),
                        "quote",
                    )
                )
            elif row["quote"] not in text:
                problems.append(
                    Problem(
                        file,
                        f"quote is not verbatim in source '{row['source_id']}': "
                        f"{_clip(row['quote'])!r}",
                        _row(idx),
                        "quote",
                    )
                )
    if "relations" in tables:
        for idx, row in tables["relations"].iterrows():
            if row["wording"] not in row["quote"]:
                problems.append(
                    Problem(
                        "relations.csv",
                        f"wording {row['wording']!r} is not part of the quote",
                        _row(idx),
                        "wording",
                    )
                )
    return problems


def check_numbers(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Numeric values that their row's quote does not state."""
    problems: list[Problem] = []
    for name, fields in NUMERIC_FIELDS.items():
        if name not in tables:
            continue
        frame = tables[name]
        for idx, row in frame.iterrows():
            stated = numbers_in(row["quote"])
            for field in fields:
                value = row[field]
                if pd.isna(value):
                    continue
                if not any(math.isclose(float(value), n, rel_tol=1e-9) for n in stated):
                    problems.append(
                        Problem(
                            f"{name}.csv",
                            f"{float(value):g} does not appear in the quote",
                            _row(idx),
                            field,
                        )
                    )
    return problems


def check_provenance(tables: dict[str, pd.DataFrame], data_dir=None) -> list[Problem]:
    """All cross-table rules over already validated seed tables."""
    problems = check_references(tables)
    if "sources" in tables:
        problems += check_quotes(tables, source_texts(tables["sources"], data_dir, problems))
    problems += check_numbers(tables)
    problems += check_voices(tables)
    problems += check_repeats(tables)
    return problems


def assert_provenance(tables: dict[str, pd.DataFrame], data_dir=None) -> None:
    """Raise :class:`DataError` listing every provenance problem, if any."""
    problems = check_provenance(tables, data_dir)
    if problems:
        raise DataError(problems)


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
