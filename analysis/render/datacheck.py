"""The package's data as the engine sees it: validated before any kernel, hashed for the manifest.

The one engine module that imports the data layer (:mod:`analysis.tables`); it never imports a
report. :func:`check_data` validates a data directory (every problem at once, exit 3) once per
content, recording what passed for the kernels, and returns the file each table resolves to,
with its SHA-256, for the manifest. The data-directory
lookup (:func:`user_data_dir`, :func:`find_file`, :func:`active_set`; cheap: no pandas) is
re-exported for the fingerprints. :func:`read_log` and :func:`data_records` turn the log of
tables a report's kernel read (``$AFGHAN_BRIEF_READS``) into what the manifest and
``<name>.figures.json`` record: each file, its SHA-256 and its release facts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..tables.datadir import ENV_VAR, READS_ENV_VAR, active_set, find_file, user_data_dir

__all__ = [
    "ENV_VAR",
    "READS_ENV_VAR",
    "active_set",
    "check_data",
    "data_records",
    "find_file",
    "read_log",
    "user_data_dir",
]


def read_log(path: Path) -> list[dict]:
    """The tables a kernel read, once each, in first-read order: table, pattern, subdir, file."""
    seen: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "table" in record:
            seen[record["table"]] = record  # the last read of a table counts
    tables = {r["file"] for r in seen.values() if not r["table"].startswith("file:")}
    # a file looked up for a table is that table's read; other lookups (texts) stay
    return [
        r for r in seen.values() if not (r["table"].startswith("file:") and r["file"] in tables)
    ]


def data_records(reads: list[dict], hash_file: Callable[[Path], str]) -> list[dict]:
    """Per table read: file, SHA-256 and, for a publisher's dataset, its release facts
    (version, first and last year, retrieval time, origin)."""
    from ..tables.releases import DATASETS, _info

    out = []
    for read in reads:
        path = Path(read["file"])
        if not path.is_file():
            continue
        record = {"table": read["table"], "file": path.name, "sha256": hash_file(path)}
        if read["table"] in DATASETS:
            try:
                info = _info(read["table"], path, read.get("data_dir"))
            except Exception:  # the report rendered; its provenance record must not break it
                info = None
            if info is not None:
                record.update(
                    version=info.version,
                    first_year=info.first_year,
                    last_year=info.last_year,
                    retrieved=info.retrieved,
                    origin=info.origin,
                    label=info.versioned,
                )
        out.append(record)
    return out


def check_data(data_dir: str | None, hash_file: Callable[[Path], str], shown: Callable) -> dict:
    """Validate ``data_dir`` (None: the shipped data or ``$AFGHAN_BRIEF_DATA``); raise
    DataError listing every problem; return ``{table: {"file": ..., "sha256": ...}}``.

    Once per content: data that passed before, every file it was read from unchanged
    (re-hashed), is not validated again; data that passes is recorded for the next run and
    for the reports' kernels, which then read its tables without validating them again
    (:mod:`analysis.tables.validcache`)."""
    from ..tables import validcache
    from ..tables.catalog import all_tables

    required = [(spec.pattern, spec.subdir) for spec in all_tables()]
    if not validcache.known_valid(data_dir, required):
        from ..tables.validate import validate_data

        with validcache.recording() as record:
            report = validate_data(data_dir)
        report.raise_for_problems()
        validcache.save(record, data_dir)
    return {
        spec.name: {"file": shown(path), "sha256": hash_file(path)}
        for spec in all_tables()
        for path in [spec.path(data_dir)]
    }
