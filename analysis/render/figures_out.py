"""A report's key figures and verdicts, taken out of its page into ``<name>.figures.json``.

A report that exports them displays one bundle of the mimetype :data:`MIME` (the engine knows
this mimetype and nothing else of the bundle's maker). :func:`take_figures` removes the bundle
from the executed notebook's outputs before the page is drawn (the page keeps the output's
one-line text), :func:`figures_document` adds the render time and the data files behind the
figures (table, release, years: from :mod:`.datacheck`), and :func:`read_figures` reads the
previous render's file for :mod:`.changes`. Standard library only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MIME = "application/vnd.afghan-brief.figures+json"
SUFFIX = ".figures.json"
FORMAT = 1


def take_figures(nb: Any) -> dict | None:
    """Remove every figures bundle from the notebook's outputs; return the last one (None when
    the report exports none)."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None and MIME in data:
                bundle = data.pop(MIME)
                found = json.loads(bundle) if isinstance(bundle, str) else dict(bundle)
    return found


def figures_document(name: str, bundle: dict | None, data: list[dict], rendered_at: str) -> dict:
    """What ``<name>.figures.json`` holds: the bundle's figures and verdicts (empty lists when
    the report exports none), when, and the data behind them."""
    bundle = bundle or {}
    return {
        "format": FORMAT,
        "report": name,
        "exported": bool(bundle),
        "rendered_at": rendered_at,
        "figures": list(bundle.get("figures") or []),
        "verdicts": list(bundle.get("verdicts") or []),
        "data": data,
    }


def read_figures(path: Path) -> dict | None:
    """A ``figures.json`` document, or None when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


READS_LOG = "reads.jsonl"  # in a report's work directory: the tables its kernel read


def publish_figures(
    name: str, work: Path, out: Path, hash_file, rendered_at: str
) -> tuple[Any, list[dict], list[dict]]:
    """After a good render: write ``<name>.figures.json`` beside the page (the bundle the
    report exported, and the data files behind it) and compare it with the previous one.
    Returns (the :class:`~.changes.ReportChange`, the tables read, the data records)."""
    from .changes import compare
    from .datacheck import data_records, read_log
    from .manifest import atomic_write_text

    log = work / READS_LOG
    reads = read_log(log) if log.is_file() else None
    data = data_records(reads or [], hash_file)
    bundle = read_figures(work / f"{name}{SUFFIX}")
    document = figures_document(name, bundle, data, rendered_at)
    target = out / f"{name}{SUFFIX}"
    change = compare(read_figures(target), document, name)
    atomic_write_text(target, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    if reads is None:  # the kernel read no data file (or ran without the log)
        return change, [], data
    plain_reads = [{k: r.get(k) for k in ("table", "pattern", "subdir")} for r in reads]
    return change, plain_reads, data
