"""The table registry: every data table the package reads, declared once.

A :class:`TableSpec` names a table, the file pattern it is found by, its pandera schema and an
optional ``tidy`` step that reshapes the validated raw file into the frame analysts use. Loaders
(`load_actors()`, `load_ucdp_country_year()`, ...) are thin wrappers over :func:`load_table`;
``afghan-brief validate`` walks :func:`.catalog.all_tables`.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..exceptions import DataError
from .datadir import find_file
from .readers import read_csv, schema_problems


@dataclass(frozen=True)
class TableSpec:
    """One table: where its file is, what it must look like, how it is tidied."""

    name: str
    pattern: str  # glob matched in a user data directory and in analysis/data/<subdir>
    subdir: str  # "seed", "external" or "mappings"
    schema: pa.DataFrameSchema | type[pa.DataFrameModel]
    description: str
    tidy: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    read_kwargs: dict = field(default_factory=dict)

    def path(self, data_dir: str | os.PathLike | None = None) -> Path:
        return find_file(self.pattern, self.subdir, data_dir)


def read_validated(spec: TableSpec, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The table's file read and validated against its schema (before tidying); DataError if bad."""
    path = spec.path(data_dir)
    stat = path.stat()
    key = (spec.name, str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        frame = read_csv(path, **spec.read_kwargs)
        validated, problems = schema_problems(frame, spec.schema, path.name)
        if problems:
            raise DataError(problems)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = validated
    return _CACHE[key].copy()


# validated frames by (table, path, mtime, size): an edited file is read again
_CACHE: dict[tuple, pd.DataFrame] = {}
_CACHE_SIZE = 64


def load_table(spec: TableSpec, data_dir: str | os.PathLike | None = None):
    """Load one table: read, validate, tidy. Raises DataError naming file, row, column.

    (By name: ``load_table(catalog.get_spec("funding"))``.)
    """
    frame = read_validated(spec, data_dir)
    if spec.tidy is None:
        return frame
    if "data_dir" in inspect.signature(spec.tidy).parameters:  # tidy steps that join lookups
        return spec.tidy(frame, data_dir=data_dir)
    return spec.tidy(frame)
