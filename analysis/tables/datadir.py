"""Where data files come from: a directory the user points at, an installed release set, or the
package's own copies.

Resolution order for every table, file by file:

1. the ``data_dir`` argument (``--data`` on the command line), else ``$AFGHAN_BRIEF_DATA``: a
   directory whose files replace the shipped ones (a corrected ``funding.csv``, a newer UCDP
   release); when that directory is a *data store* (made by ``afghan-brief data update --data
   DIR``), its active release set is read instead;
2. the release set ``afghan-brief data update`` installed in the user's data store (default: the
   platform's user data directory, ``$AFGHAN_BRIEF_DATA_HOME`` overrides it);
3. the copies shipped inside the package.

A directory may hold only some tables; the rest fall through to the next place. Files are matched
by a pattern, so ``ucdp_prio_armed_conflict_v26_1_2015_2025.csv`` replaces the shipped v25.1
file. Everything here is cheap (no pandas): the renderer's no-op run uses it.

A user's directory is never skipped in silence: one that cannot be listed, or a file matching a
table's pattern that is not a readable regular file (a dangling symlink, a FIFO, a device, a
directory, a file without read permission or above :data:`analysis.files.DATA_FILE_CAP`), is a
:class:`DataError` naming the file and the option (``--data`` or ``$AFGHAN_BRIEF_DATA``) — never
a fall-back to the shipped table. Entries are checked by type before anything is opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from .. import files
from ..exceptions import DataError, Problem

ENV_VAR = "AFGHAN_BRIEF_DATA"
HOME_ENV_VAR = "AFGHAN_BRIEF_DATA_HOME"
READS_ENV_VAR = "AFGHAN_BRIEF_READS"  # a file the loaders append one line per table read to
# called with (pattern, subdir, the file found or None) after every look-up while set: how a
# validation learns every file it looked for (analysis.tables.validcache); None otherwise
lookup_hook: Callable[[str, str, Path | None], None] | None = None
APP_NAME = "afghan-brief"
CURRENT_NAME = "current"  # a store's pointer file: the id of its active release set
SETS_DIR = "sets"


def package_data_dir() -> Path:
    """The directory of the data shipped with the package (``analysis/data``)."""
    return Path(str(resources.files("analysis") / "data"))


def store_dir() -> Path:
    """The user's data store: ``$AFGHAN_BRIEF_DATA_HOME``, else the platform's user data
    directory for afghan-brief (``~/.local/share/afghan-brief`` on Linux). Not created here."""
    chosen = os.environ.get(HOME_ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def is_store(path: Path) -> bool:
    """A directory made by ``data update``: it has a ``sets/`` folder or a ``current`` pointer."""
    return (path / CURRENT_NAME).is_file() or (path / SETS_DIR).is_dir()


def active_set(store: Path | None = None) -> Path | None:
    """The active release set of a data store (default: the user's), or None when nothing is
    installed there. A pointer naming a set that is gone counts as nothing installed."""
    store = store_dir() if store is None else store
    try:
        name = files.read_text(store / CURRENT_NAME, cap=files.CONFIG_CAP).strip()
    except files.Refused:
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    path = store / SETS_DIR / name
    return path if path.is_dir() else None


def origin(data_dir: str | os.PathLike | None = None) -> str:
    """How the user named the override directory, for messages: ``--data`` or the variable."""
    return "--data" if data_dir not in (None, "") else f"${ENV_VAR}"


def user_data_dir(data_dir: str | os.PathLike | None = None) -> Path | None:
    """The user's override directory, from the argument or ``$AFGHAN_BRIEF_DATA``; None if unset.

    A data store given here stands for its active release set."""
    chosen = data_dir if data_dir not in (None, "") else os.environ.get(ENV_VAR) or None
    if chosen is None:
        return None
    path = Path(chosen).expanduser()
    if not path.is_dir():
        what = "a dangling symlink" if path.is_symlink() else "not a directory"
        raise DataError([Problem(str(path), f"{origin(data_dir)} is {what}")])
    try:
        files.listing(path)
    except files.Refused as exc:
        raise DataError([Problem(str(path), f"{origin(data_dir)} {exc.reason}")]) from None
    if is_store(path):
        current = active_set(path)
        if current is None:
            raise DataError(
                [Problem(str(path), f"{origin(data_dir)} is a data store with no installed set")]
            )
        return current
    return path


def search_path(data_dir: str | os.PathLike | None = None) -> list[tuple[str, Path]]:
    """Where a table's file is looked for, in order: (origin, directory) pairs before the
    shipped copies. Origins: ``--data``, ``$AFGHAN_BRIEF_DATA``, ``installed``."""
    out = []
    user = user_data_dir(data_dir)
    if user is not None:
        out.append((origin(data_dir), user))
    installed = active_set()
    if installed is not None and installed != user:
        out.append(("installed", installed))
    return out


def find_file(pattern: str, default_subdir: str, data_dir: str | os.PathLike | None = None) -> Path:
    """Resolve one table's file: the single match of ``pattern`` in the user directory, else in
    the installed release set, else the package's copy under ``analysis/data/<default_subdir>``.
    With ``$AFGHAN_BRIEF_READS`` set, the lookup is logged (the renderer learns which files a
    report depends on)."""
    try:
        path = _find(pattern, default_subdir, data_dir)
    except FileNotFoundError:
        if lookup_hook is not None:
            lookup_hook(pattern, default_subdir, None)
        raise
    if lookup_hook is not None:
        lookup_hook(pattern, default_subdir, path)
    log = os.environ.get(READS_ENV_VAR)
    if log:
        import json

        record = {
            "table": f"file:{pattern}",
            "pattern": pattern,
            "subdir": default_subdir,
            "file": str(path.resolve()),
            "data_dir": str(data_dir) if data_dir else None,
        }
        try:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
        except OSError:
            pass
    return path


def _find(pattern: str, default_subdir: str, data_dir: str | os.PathLike | None) -> Path:
    for where, directory in search_path(data_dir):
        try:
            matches = files.matching(directory, pattern)
        except files.Refused as exc:
            raise DataError([Problem(str(directory), f"{where} {exc.reason}")]) from None
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches)
            raise DataError([Problem(str(directory), f"several files match '{pattern}': {names}")])
        if matches:
            try:  # by type before opening; a file that cannot be read is an error, not absent
                files.readable(matches[0], cap=files.DATA_FILE_CAP, what="a data file")
            except files.Refused as exc:
                raise DataError(
                    [Problem(exc.path, f"{exc.reason} (in the {where} directory {directory})")]
                ) from None
            return matches[0]
    matches = sorted((package_data_dir() / default_subdir).glob(pattern))
    if len(matches) != 1:  # a broken installation, not a user mistake
        raise FileNotFoundError(f"package data for '{pattern}' missing in {default_subdir}")
    return matches[0]


def file_origin(path: Path, data_dir: str | os.PathLike | None = None) -> str:
    """Where a resolved file comes from, for messages and ``data status``: ``--data``,
    ``$AFGHAN_BRIEF_DATA``, ``installed set <id>`` or ``shipped``."""
    for name, directory in search_path(data_dir):
        if path.parent == directory:
            return f"installed set {directory.name}" if name == "installed" else name
    return "shipped"
