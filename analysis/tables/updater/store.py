"""The data store: installed release sets, the active one, and the switch between them.

Layout (``$AFGHAN_BRIEF_DATA_HOME``, the platform's user data directory, or ``--data DIR``)::

    current                 the id of the active set (one line; replaced atomically)
    sets/<id>/              a complete set of the external tables, each with <file>.meta.json,
                            and set.json (when, from where, which releases, the previous set)
    .cache/                 the last body of every URL fetched, with its ETag / Last-Modified
    .staging-*/             a set being built (removed on failure, renamed into sets/ on success)
    .update.lock            one update at a time

A new set becomes active by writing ``current`` (a temporary file, then ``os.replace``): a reader
sees the old set or the new one, never a mix. Older sets are kept (the last :data:`KEEP`), so
``data rollback`` can make the previous one active again after checking its files against their
sidecars' SHA-256.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...exceptions import DataError, LockHeldError, Problem
from ..datadir import CURRENT_NAME, SETS_DIR, active_set, store_dir
from .fetch import sha256_file

KEEP = 5
SET_FILE = "set.json"
LOCK_NAME = ".update.lock"
CACHE_DIR = ".cache"


@dataclass
class SetInfo:
    """One installed set, as ``data status`` lists it."""

    id: str
    path: Path
    created: str
    source: str
    tables: dict[str, dict] = field(default_factory=dict)  # table -> file, release, sha256, ...
    previous: str | None = None
    active: bool = False

    @classmethod
    def read(cls, path: Path, active: bool = False) -> SetInfo:
        try:
            data = json.loads((path / SET_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(
            id=path.name,
            path=path,
            created=data.get("created", "?"),
            source=data.get("source", "?"),
            tables=data.get("tables", {}),
            previous=data.get("previous"),
            active=active,
        )


class Store:
    """A data store directory (see the module docstring)."""

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root).expanduser() if root not in (None, "") else store_dir()

    @property
    def sets_dir(self) -> Path:
        return self.root / SETS_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def active(self) -> SetInfo | None:
        path = active_set(self.root)
        return SetInfo.read(path, active=True) if path is not None else None

    def sets(self) -> list[SetInfo]:
        """Every installed set, oldest first (ids sort by creation time)."""
        if not self.sets_dir.is_dir():
            return []
        current = active_set(self.root)
        return [
            SetInfo.read(p, active=p == current)
            for p in sorted(self.sets_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".")
        ]

    @contextmanager
    def locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / LOCK_NAME), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise LockHeldError(
                f"another data update is writing to {self.root}; nothing was changed"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def staging(self) -> Path:
        import tempfile

        self.root.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob(".staging-*"):  # left by an update that was killed
            shutil.rmtree(stale, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))

    def new_id(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        taken = {s.id for s in self.sets()}
        n, candidate = 1, stamp
        while candidate in taken:
            n += 1
            candidate = f"{stamp}-{n}"
        return candidate

    def install(self, staged: Path, record: dict) -> SetInfo:
        """Move a validated staged set into ``sets/`` and make it active, atomically."""
        previous = self.active()
        set_id = self.new_id()
        record = {**record, "id": set_id, "previous": previous.id if previous else None}
        (staged / SET_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        self.sets_dir.mkdir(parents=True, exist_ok=True)
        target = self.sets_dir / set_id
        os.rename(staged, target)
        self._point_at(set_id)
        self._prune()
        return SetInfo.read(target, active=True)

    def _point_at(self, set_id: str) -> None:
        tmp = self.root / f".{CURRENT_NAME}.{os.getpid()}.tmp"
        tmp.write_text(set_id + "\n", encoding="utf-8")
        os.replace(tmp, self.root / CURRENT_NAME)

    def _prune(self) -> None:
        sets = self.sets()
        for old in [s for s in sets if not s.active][: max(0, len(sets) - KEEP)]:
            shutil.rmtree(old.path, ignore_errors=True)

    def rollback(self) -> tuple[SetInfo, SetInfo]:
        """Make the set before the active one active again; return (was active, now active)."""
        with self.locked():
            current = self.active()
            if current is None:
                raise DataError([Problem(str(self.root), "no installed data set to roll back")])
            sets = self.sets()
            earlier = [s for s in sets if s.id < current.id]
            target = next((s for s in sets if s.id == current.previous), None) or (
                earlier[-1] if earlier else None
            )
            if target is None:
                raise DataError(
                    [
                        Problem(
                            str(current.path),
                            "is the only installed set: there is nothing to roll back to "
                            "(remove the store's 'current' file to use the shipped data)",
                        )
                    ]
                )
            damaged = verify(target.path)
            if damaged:
                raise DataError(damaged)
            self._point_at(target.id)
            return current, SetInfo.read(target.path, active=True)


def verify(set_dir: Path) -> list[Problem]:
    """Files of a set whose bytes differ from their sidecar's SHA-256 (or that are missing)."""
    problems = []
    for sidecar in sorted(set_dir.glob("*.meta.json")):
        data_file = sidecar.with_name(sidecar.name[: -len(".meta.json")])
        try:
            recorded = json.loads(sidecar.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError):
            problems.append(Problem(str(sidecar), "unreadable provenance sidecar"))
            continue
        if not data_file.is_file():
            problems.append(Problem(str(data_file), "is missing from its set"))
        elif recorded and sha256_file(data_file) != recorded:
            problems.append(Problem(str(data_file), "checksum mismatch with its sidecar's SHA-256"))
    return problems


def status(root: str | os.PathLike | None = None) -> tuple[Store, list[SetInfo]]:
    """The store and its sets (``data status``)."""
    store = Store(root)
    return store, store.sets()


def rollback(root: str | os.PathLike | None = None) -> tuple[SetInfo, SetInfo]:
    """Make the previous installed set active again (``data rollback``)."""
    return Store(root).rollback()
