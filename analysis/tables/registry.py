"""The table registry: every data table the package reads, declared once.

A :class:`TableSpec` names a table, the file pattern it is found by, its pandera schema (named
as ``"module:NAME"`` of this package and imported when first needed) and an optional ``tidy``
step that reshapes the validated raw file into the frame analysts use. Loaders
(`load_actors()`, `load_ucdp_country_year()`, ...) are thin wrappers over :func:`load_table`;
``afghan-brief validate`` walks :func:`.catalog.all_tables`.

A file whose exact bytes passed validation before, with this code (the renderer records them:
:mod:`.validcache`), is read without pandera: its columns take the types validation gave them.
Any other file is validated as ever.

Every read is remembered: :func:`last_loaded` says which file a table was last read from (what
:mod:`.releases` describes), and when ``$AFGHAN_BRIEF_READS`` names a file, one JSON line per read
is appended to it (the renderer sets it for each report's kernel, to learn which tables a report
depends on). A file that is clearly another dataset than the table's (the conflict-level UCDP
battle-deaths file where the dyadic one belongs, a release with renamed columns) fails with one
line saying what it is (:mod:`.identify`), not one line per row.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..exceptions import DataError
from . import validcache
from .datadir import READS_ENV_VAR, find_file
from .identify import diagnose
from .readers import parse_csv, read_data, schema_problems

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True)
class TableSpec:
    """One table: where its file is, what it must look like, how it is tidied."""

    name: str
    pattern: str  # glob matched in a user data directory and in analysis/data/<subdir>
    subdir: str  # "seed", "external" or "mappings"
    schema_ref: Any  # "module:NAME" of analysis.tables (imported on first use), or a schema
    description: str
    tidy: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    read_kwargs: dict = field(default_factory=dict)

    def path(self, data_dir: str | os.PathLike | None = None) -> Path:
        return find_file(self.pattern, self.subdir, data_dir)

    @cached_property
    def schema(self) -> pa.DataFrameSchema | type[pa.DataFrameModel]:
        """The pandera schema (importing it imports pandera)."""
        if not isinstance(self.schema_ref, str):
            return self.schema_ref
        module, _, name = self.schema_ref.partition(":")
        return getattr(importlib.import_module(f".{module}", __package__), name)


def read_validated(
    spec: TableSpec, data_dir: str | os.PathLike | None = None, *, path: Path | None = None
) -> pd.DataFrame:
    """The table's file read and validated against its schema (before tidying); DataError if bad.
    ``path``: read this file instead of resolving the table's (it must be one it resolved to)."""
    path = spec.path(data_dir) if path is None else path
    stat = path.stat()
    key = (spec.name, str(path), stat.st_mtime_ns, stat.st_size)
    _remember(spec, path, data_dir, key)
    if key not in _CACHE or validcache.recording_now():  # a record needs the bytes read
        raw = read_data(path, path.name)
        frame = parse_csv(raw, path.name, **spec.read_kwargs)
        validated = validcache.reuse(spec.name, raw, frame)  # None: validate
        if validated is None:
            required = [str(c) for c in getattr(spec.schema, "columns", {})]
            wrong = diagnose(spec.name, list(frame.columns), path, data_dir, required)
            if wrong is not None:
                raise DataError([wrong])
            validated, problems = schema_problems(frame, spec.schema, path.name)
            if problems:
                raise DataError(problems)
            validcache.passed(spec.name, raw, frame, validated)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = validated
    return _CACHE[key].copy()


# validated frames by (table, path, mtime, size): an edited file is read again; and tidied
# frames by ("tidy", table, path, mtime, size, data_dir), each with the reads its tidy step made
_CACHE: dict[tuple, Any] = {}
_CACHE_SIZE = 64
# table -> (file last read, the data_dir it was resolved with)
_LAST: dict[str, tuple[Path, str | os.PathLike | None]] = {}


def last_loaded(table: str) -> tuple[Path | None, str | os.PathLike | None]:
    """The file this process last read for ``table`` and the data_dir it was resolved with."""
    return _LAST.get(table, (None, None))


# the reads of each tidy step running now (a tidy step may load other tables)
_TRACKING: list[list[tuple]] = []


def _remember(spec: TableSpec, path: Path, data_dir, key: tuple) -> None:
    for reads in _TRACKING:
        reads.append((spec, path, data_dir, key))
    _LAST[spec.name] = (path, data_dir)
    log = os.environ.get(READS_ENV_VAR)
    if not log:
        return
    record = {
        "table": spec.name,
        "pattern": spec.pattern,
        "subdir": spec.subdir,
        "file": str(path.resolve()),
        "data_dir": str(data_dir) if data_dir not in (None, "") else None,
    }
    try:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    except OSError:
        pass  # a record for the renderer, never a reason to fail a load


def load_table(spec: TableSpec, data_dir: str | os.PathLike | None = None):
    """Load one table: read, validate, tidy. Raises DataError naming file, row, column.

    (By name: ``load_table(catalog.get_spec("funding"))``.)

    A tidied table is kept for this process with every read its tidy step made (the table's
    file and the lookup tables it joins): loaded again, it is tidied again only if one of those
    files changed or another file is now found for it; the reads are remembered (and logged) as
    a load would make them. Callers get a copy, lists in cells included.
    """
    if spec.tidy is None:
        return read_validated(spec, data_dir)
    if validcache.recording_now():  # a record needs every read made
        return _tidied(spec, data_dir)
    path = spec.path(data_dir)
    stat = path.stat()
    where = str(data_dir) if data_dir not in (None, "") else None
    key = ("tidy", spec.name, str(path), stat.st_mtime_ns, stat.st_size, where)
    kept = _CACHE.get(key)
    if kept is not None and all(_unchanged(*read) for read in kept[1]):
        for read in kept[1]:
            _remember(*read)
        return _copy(kept[0])
    reads: list[tuple] = []
    _TRACKING.append(reads)
    try:
        frame = _tidied(spec, data_dir, path)
    finally:
        _TRACKING.remove(reads)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (frame, tuple(reads))
    return _copy(frame)


def _tidied(spec: TableSpec, data_dir, path: Path | None = None) -> pd.DataFrame:
    frame = read_validated(spec, data_dir, path=path)
    if "data_dir" in inspect.signature(spec.tidy).parameters:  # tidy steps that join lookups
        return spec.tidy(frame, data_dir=data_dir)
    return spec.tidy(frame)


def _unchanged(spec: TableSpec, path: Path, data_dir, key: tuple) -> bool:
    """The table is still found at ``path``, whose size and mtime are those it was read with."""
    try:
        now = spec.path(data_dir)
        stat = now.stat()
    except (OSError, DataError):
        return False
    return now == path and (stat.st_mtime_ns, stat.st_size) == key[2:4]


def _copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy a caller may change: the frame's, and each list held in a cell."""
    out = frame.copy()
    for column in [c for c, kind in out.dtypes.items() if pd.api.types.is_object_dtype(kind)]:
        values = out[column].tolist()
        if any(isinstance(v, list) for v in values):
            copied = [list(v) if isinstance(v, list) else v for v in values]
            out[column] = pd.Series(copied, index=out.index, dtype=object)
    return out
