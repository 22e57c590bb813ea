"""The package's data as the engine sees it: validated before any kernel, hashed for the manifest.

The one engine module that imports the data layer (:mod:`analysis.tables`); it never imports a
report. :func:`check_data` validates a data directory (every problem at once, exit 3) and returns
the file each table resolves to, with its SHA-256, for the manifest. The data-directory
lookup (:func:`user_data_dir`, cheap: no pandas) is re-exported for the fingerprints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..tables.datadir import ENV_VAR, user_data_dir

__all__ = ["ENV_VAR", "check_data", "user_data_dir"]


def check_data(data_dir: str | None, hash_file: Callable[[Path], str], shown: Callable) -> dict:
    """Validate ``data_dir`` (None: the shipped data or ``$AFGHAN_BRIEF_DATA``); raise
    DataError listing every problem; return ``{table: {"file": ..., "sha256": ...}}``."""
    from ..tables.catalog import all_tables
    from ..tables.validate import validate_data

    validate_data(data_dir).raise_for_problems()
    return {
        spec.name: {"file": shown(path), "sha256": hash_file(path)}
        for spec in all_tables()
        for path in [spec.path(data_dir)]
    }
