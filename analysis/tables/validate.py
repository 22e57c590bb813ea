"""Validate every table at once: schemas, then provenance and referential integrity.

:func:`validate_data` is what ``afghan-brief validate`` and the renderer call before any kernel
starts. It never stops at the first problem. UCDP estimates out of order (low above best, high
below it) come back as **warnings** (:mod:`.estimates`): reported with file, row and column, kept
as published, never failing validation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..exceptions import DataError, Problem
from .catalog import all_tables
from .datadir import user_data_dir
from .estimates import estimate_warnings
from .provenance import check_provenance
from .registry import load_table


@dataclass
class TableResult:
    name: str
    file: str
    rows: int | None  # None when the table failed to load
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ValidationReport:
    tables: list[TableResult]
    cross_problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)  # shown, never failing validation

    @property
    def problems(self) -> list[Problem]:
        return [p for t in self.tables for p in t.problems] + self.cross_problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if not self.ok:
            raise DataError(self.problems)


def validate_data(data_dir: str | os.PathLike | None = None) -> ValidationReport:
    """Load and check every registered table; return what passed and every problem found."""
    user_data_dir(data_dir)  # a missing directory is one problem, not one per table
    results: list[TableResult] = []
    loaded: dict[str, pd.DataFrame] = {}
    for spec in all_tables():
        try:
            path = spec.path(data_dir)
        except DataError as exc:
            results.append(TableResult(spec.name, spec.pattern, None, exc.problems))
            continue
        try:
            frame = load_table(spec, data_dir)
        except DataError as exc:
            results.append(TableResult(spec.name, _shown(path), None, exc.problems))
            continue
        results.append(TableResult(spec.name, _shown(path), len(frame)))
        if spec.subdir == "seed":
            loaded[spec.name] = frame
    cross = check_provenance(loaded, data_dir)
    failed = {t.name for t in results if t.rows is None}
    specs = {s.name: s for s in all_tables() if s.name not in failed}
    return ValidationReport(results, cross, estimate_warnings(data_dir, specs))


def _shown(path: Path) -> str:
    """A path as a user should see it: relative to the package for shipped data."""
    parts = path.parts
    if "analysis" in parts and "data" in parts:
        i = parts.index("data")
        if i > 0 and parts[i - 1] == "analysis":
            return str(Path(*parts[i - 1 :]))
    return str(path)
