"""Data validated once per content: what passed validation, recorded by the SHA-256 of its bytes.

Validating the data (pandera schemas, references, quotes) takes seconds, and importing pandera
alone over half a second. The renderer validates a data directory before any kernel starts
and records here what passed; each report's kernel, reading the same bytes, gives their columns
the types validation gave them instead of validating again, and never imports pandera. The
next render skips validating a directory none of whose files changed.

**What is recorded.** One JSON file, :data:`FILE_NAME` in the cache directory
(``$AFGHAN_BRIEF_CACHE_HOME``, else the platform's user cache directory:
``~/.cache/afghan-brief`` on Linux), written whole or not at all (a temporary file, then
``os.replace``). Per data directory validated (the newest :data:`MAX_SETS`): every file the
validation looked for (pattern and folder → the file found, or none) with the SHA-256 of the
bytes it read; per table, the SHA-256 of its file and the type validation gave each column,
kept only when casting the file's text to those types gives exactly pandera's frame. The file
is stamped (:func:`stamp`) with its format, the package version, a digest of the data layer's
code and the versions of Python, pandas, numpy and pandera: any difference and it is not used.

**What is trusted.** Content only: a kernel hashes the bytes it has just read and reuses a
record for exactly those bytes; the renderer skips validation only when every file looked for
resolves to the same file with the same hash (re-hashed, never by size or date). A missing,
unreadable, truncated, corrupt or foreign cache is no cache: validation runs as it always did,
with the same messages. It is JSON: nothing in it is executed, and a column's type is taken
only from :data:`DTYPES`.

Imports no pandas or pandera of its own (the frames it is handed bring pandas).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import files
from .._version import __version__
from ..exceptions import DataError
from . import datadir

if TYPE_CHECKING:
    import pandas as pd

FORMAT = 1
CACHE_ENV_VAR = "AFGHAN_BRIEF_CACHE_HOME"
FILE_NAME = "validated.json"
MAX_SETS = 8  # data directories remembered, the most recently validated kept
STALE_TMP_S = 3600  # a temporary file this old was left by a killed writer
CACHE_CAP = 4 * files.MiB  # a cache above this is not read
SUBDIRS = frozenset({"seed", "external", "mappings", "texts"})
# the column types a record may name: what the schemas coerce to
DTYPES = frozenset(
    {
        "str",
        "object",
        "bool",
        "boolean",
        "int64",
        "Int64",
        "float64",
        "Float64",
        "datetime64[ns]",
        "datetime64[us]",
        "datetime64[ms]",
        "datetime64[s]",
    }
)


def cache_dir() -> Path:
    """``$AFGHAN_BRIEF_CACHE_HOME``, else the platform's user cache directory for
    afghan-brief (``~/.cache/afghan-brief`` on Linux). Not created here."""
    chosen = os.environ.get(CACHE_ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(datadir.APP_NAME, appauthor=False)


def cache_file() -> Path:
    return cache_dir() / FILE_NAME


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_STAMP: dict[str, Any] = {}


def stamp() -> dict[str, Any]:
    """What a cache must have been written with to be used: format, package version, a digest
    of the data layer's code (every module of :mod:`analysis.tables`, and :mod:`analysis.files`),
    and the versions of Python, pandas, numpy and pandera (read without importing them)."""
    if not _STAMP:
        from importlib.metadata import PackageNotFoundError, version

        def of(name: str) -> str:
            try:
                return version(name)
            except PackageNotFoundError:
                return "none"

        here = Path(__file__).parent
        code = hashlib.sha256()
        for path in sorted([*here.glob("*.py"), here.parent / "files.py"]):
            code.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        _STAMP.update(
            format=FORMAT,
            package=__version__,
            code=code.hexdigest(),
            python=sys.version.split()[0],
            **{name: of(name) for name in ("pandas", "numpy", "pandera")},
        )
    return _STAMP


_LOADED: list = [None, None]  # [the cache file's (path, inode, size, mtime), its usable content]


def _cache() -> dict | None:
    """The cache's content if it can be used here (read, parsed, stamped as :func:`stamp`),
    else None. Read again when the file changed."""
    path = cache_file()
    try:
        info = files.check(path, cap=CACHE_CAP, what="a cache")
    except files.Refused:
        return None
    key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    if _LOADED[0] != key:
        try:
            data = json.loads(files.read_text(path, cap=CACHE_CAP, what="a cache"))
        except (files.Refused, ValueError, RecursionError):
            data = None
        usable = isinstance(data, dict) and isinstance(data.get("sets"), list)
        _LOADED[:] = [key, data if usable and data.get("stamp") == stamp() else None]
    return _LOADED[1]


def _sets(data: dict | None) -> list[dict]:
    return [s for s in (data or {}).get("sets", []) if isinstance(s, dict)]


def _valid_plan(plan: Any) -> bool:
    if not isinstance(plan, list) or not plan:
        return False
    pairs = [p for p in plan if isinstance(p, list) and len(p) == 2]
    if len(pairs) != len(plan) or not all(isinstance(c, str) and t in DTYPES for c, t in pairs):
        return False
    return len({c for c, _ in pairs}) == len(pairs)


def _plan_for(data: dict, table: str, sha: str) -> list | None:
    for entry in reversed(_sets(data)):
        tables = entry.get("tables")
        record = tables.get(table) if isinstance(tables, dict) else None
        if isinstance(record, dict) and record.get("sha256") == sha:
            plan = record.get("columns")
            if _valid_plan(plan):
                return plan
    return None


def reuse(table: str, raw: bytes, frame: pd.DataFrame) -> pd.DataFrame | None:
    """``frame`` (the text of ``raw``, a file of ``table``) with the column types validation
    gave exactly these bytes before, or None: validate it."""
    data = _cache()
    if data is None:
        return None
    sha = _sha(raw)
    plan = _plan_for(data, table, sha)
    if plan is None or [c for c, _ in plan] != [str(c) for c in frame.columns]:
        return None
    try:
        typed = _cast(frame, plan)
    except Exception:  # types these bytes do not take (a forged record): validate instead
        return None
    if _RECORD is not None:
        _RECORD.tables[table] = (sha, plan)
    return typed


def _cast(frame: pd.DataFrame, plan: list) -> pd.DataFrame:
    """``frame`` with each column cast to its type in ``plan`` (text columns left as read)."""
    changes = {c: t for c, t in plan if str(frame[c].dtype) != t}
    return frame.astype(changes) if changes else frame


def _plan_of(frame: pd.DataFrame, validated: pd.DataFrame) -> list | None:
    """The column types of ``validated`` if casting ``frame`` to them gives exactly it."""
    import pandas as pd

    plan = [[str(c), str(t)] for c, t in validated.dtypes.items()]
    if not _valid_plan(plan) or [str(c) for c in frame.columns] != [c for c, _ in plan]:
        return None
    try:
        pd.testing.assert_frame_equal(
            _cast(frame, plan),
            validated,
            check_exact=True,
            check_index_type=True,
            check_column_type=True,
        )
    except (AssertionError, TypeError, ValueError):
        return None
    return plan


def passed(table: str, raw: bytes, frame: pd.DataFrame, validated: pd.DataFrame) -> None:
    """``raw`` (a file of ``table``, read as ``frame``) passed its schema as ``validated``;
    remembered while :func:`recording`."""
    if _RECORD is not None:
        _RECORD.tables[table] = (_sha(raw), _plan_of(frame, validated))


@dataclass
class Record:
    """What one validation looked for, read and passed."""

    lookups: dict[tuple[str, str], set[str | None]] = field(default_factory=dict)
    reads: dict[str, set[str]] = field(default_factory=dict)  # path -> hashes of bytes read
    tables: dict[str, tuple[str, list | None]] = field(default_factory=dict)  # sha, types


_RECORD: Record | None = None


@contextmanager
def recording() -> Iterator[Record]:
    """While inside, every look-up, read and table that passed is recorded (for :func:`save`)."""
    global _RECORD
    record = Record()

    def looked_up(pattern: str, subdir: str, path: Path | None) -> None:
        found = None if path is None else str(path)
        record.lookups.setdefault((pattern, subdir), set()).add(found)

    def read(path, data: bytes) -> None:
        record.reads.setdefault(str(path), set()).add(_sha(data))

    _RECORD, datadir.lookup_hook, files.read_hook = record, looked_up, read
    try:
        yield record
    finally:
        _RECORD, datadir.lookup_hook, files.read_hook = None, None, None


def recording_now() -> bool:
    return _RECORD is not None


def _where(data_dir: str | os.PathLike | None) -> list[str | None]:
    """Which data a validation was of: the user's directory and the installed set (an index
    only: what counts is that every file found is the same, with the same bytes)."""
    user, installed = datadir.user_data_dir(data_dir), datadir.active_set()
    return [None if p is None else str(Path(p).resolve()) for p in (user, installed)]


def save(record: Record, data_dir: str | os.PathLike | None) -> bool:
    """Record that the data ``record`` saw passed validation; False when nothing was written
    (a file changed while it was validated, the cache directory cannot be written)."""
    try:
        where = _where(data_dir)
    except DataError:
        return False
    inputs = []
    for (pattern, subdir), found in sorted(record.lookups.items()):
        if len(found) != 1:
            return False
        path = next(iter(found))
        hashes = {None} if path is None else record.reads.get(path)
        if hashes is None:  # looked for, never read: its bytes now
            try:
                hashes = {_sha(files.read_bytes(path, cap=files.DATA_FILE_CAP))}
            except files.Refused:
                return False
        if len(hashes) != 1:  # it changed while it was validated
            return False
        inputs.append([pattern, subdir, path, next(iter(hashes))])
    tables = {
        name: {"sha256": sha, "columns": plan}
        for name, (sha, plan) in sorted(record.tables.items())
        if plan is not None
    }
    entry = {"where": where, "inputs": inputs, "tables": tables}
    kept = [s for s in _sets(_cache()) if s.get("where") != where]
    text = json.dumps({"stamp": stamp(), "sets": [*kept, entry][-MAX_SETS:]}, separators=(",", ":"))
    try:
        _write(cache_file(), text)
    except OSError:
        return False
    return True


def _write(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then ``os.replace``.
    Temporary files a killed writer left (an hour old) are removed; another writer's stay."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if time.time() - stale.lstat().st_mtime > STALE_TMP_S:
                stale.unlink()
        except OSError:
            pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def known_valid(data_dir: str | os.PathLike | None, required: Iterable[tuple[str, str]]) -> bool:
    """Whether this data passed validation before, with this code: every file the recorded
    validation looked for (``required``: at least these patterns and folders) is found again,
    the same file, with the same SHA-256. False at any doubt: validate."""
    data = _cache()
    if data is None:
        return False
    try:
        where = _where(data_dir)
    except DataError:
        return False  # validation names the problem
    entry = next((s for s in reversed(_sets(data)) if s.get("where") == where), None)
    inputs = entry.get("inputs") if entry else None
    if not isinstance(inputs, list) or not inputs:
        return False
    looked = set()
    for item in inputs:
        if not (isinstance(item, list) and len(item) == 4 and _safe(item[0], item[1])):
            return False
        pattern, subdir, path, sha = item
        looked.add((pattern, subdir))
        if not _same(pattern, subdir, path, sha, data_dir):
            return False
    return set(required) <= looked


def _safe(pattern: Any, subdir: Any) -> bool:
    """A recorded look-up this package could have made: a folder of its data, a file name."""
    return (
        isinstance(pattern, str)
        and subdir in SUBDIRS
        and pattern
        and "/" not in pattern
        and "\\" not in pattern
        and not pattern.startswith(".")
    )


def _same(pattern: str, subdir: str, path: Any, sha: Any, data_dir) -> bool:
    try:
        found = datadir.find_file(pattern, subdir, data_dir)
    except FileNotFoundError:
        return path is None
    except (DataError, OSError):
        return False
    if str(found) != path:
        return False
    try:
        return _sha(files.read_bytes(found, cap=files.DATA_FILE_CAP)) == sha
    except files.Refused:
        return False
