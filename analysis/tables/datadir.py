"""Where data files come from: the package's own copies, or a directory the user points at.

Resolution order for every table: the ``data_dir`` argument, then the ``AFGHAN_BRIEF_DATA``
environment variable, then the copies shipped inside the package. A user directory may hold only
some tables (a corrected ``funding.csv``, a newer UCDP release); the rest fall back to the package.
Files are matched by a pattern, so ``ucdp_prio_armed_conflict_v26_1_2015_2025.csv`` replaces the
shipped v25.1 file.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from ..exceptions import DataError, Problem

ENV_VAR = "AFGHAN_BRIEF_DATA"


def package_data_dir() -> Path:
    """The directory of the data shipped with the package (``analysis/data``)."""
    return Path(str(resources.files("analysis") / "data"))


def user_data_dir(data_dir: str | os.PathLike | None = None) -> Path | None:
    """The user's override directory, from the argument or ``$AFGHAN_BRIEF_DATA``; None if unset."""
    chosen = data_dir if data_dir not in (None, "") else os.environ.get(ENV_VAR) or None
    if chosen is None:
        return None
    path = Path(chosen).expanduser()
    if not path.is_dir():
        origin = "data_dir" if data_dir not in (None, "") else f"${ENV_VAR}"
        raise DataError([Problem(str(path), f"{origin} is not a directory")])
    return path


def find_file(pattern: str, default_subdir: str, data_dir: str | os.PathLike | None = None) -> Path:
    """Resolve one table's file: the single match of ``pattern`` in the user directory, else the
    package's copy under ``analysis/data/<default_subdir>``."""
    user = user_data_dir(data_dir)
    if user is not None:
        matches = sorted(user.glob(pattern))
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches)
            raise DataError([Problem(str(user), f"several files match '{pattern}': {names}")])
        if matches:
            return matches[0]
    matches = sorted((package_data_dir() / default_subdir).glob(pattern))
    if len(matches) != 1:  # a broken installation, not a user mistake
        raise FileNotFoundError(f"package data for '{pattern}' missing in {default_subdir}")
    return matches[0]
