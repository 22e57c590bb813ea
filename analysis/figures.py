"""Machine-readable key figures and verdicts: what a report exports for the renderer.

A report notebook ends with one cell that calls :func:`export`; its output carries the report's
key figures (and, for reports that judge claims, its verdicts) as one JSON bundle of the
mimetype :data:`MIME`. The renderer (which knows only this mimetype) takes the bundle out of the
page and writes it beside it as ``<name>.figures.json``; the change report compares those files
between renders. In Jupyter the cell shows one line saying what was exported.

A figure record::

    {"id": "reserves_frozen_us", "label": "Reserves frozen in the US", "value": 7e9,
     "unit": "USD", "source": "asiatimes-2021-09", "text": "about 7 bn USD"}

``id`` is stable across renders (the change report matches on it), ``value`` a finite number or
None (missing stays missing: never 0), ``unit`` and ``source`` say what it is and where it comes
from, ``text`` how the report shows it. A verdict record adds ``verdict`` and ``counts`` (how
many specifications support, contradict or cannot measure it) and may leave ``value`` None.

This module imports nothing of the package but :mod:`analysis.exceptions`.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MIME = "application/vnd.afghan-brief.figures+json"
FORMAT = 1
REQUIRED = ("id", "label", "value", "unit", "source")


def _plain(value: Any) -> Any:
    """A JSON-safe copy: numpy and pandas scalars as Python numbers, NaN/NA as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    try:  # pandas NA / NaT
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return str(value)


def records(rows: Iterable[Mapping[str, Any]] | Any) -> list[dict[str, Any]]:
    """Rows (dicts, or a DataFrame's rows) as checked, JSON-safe records.

    >>> records([{"id": "a", "label": "A", "value": float("nan"), "unit": "USD", "source": "s"}])
    [{'id': 'a', 'label': 'A', 'value': None, 'unit': 'USD', 'source': 's'}]
    >>> records([{"id": "a", "label": "A", "value": 1, "unit": "USD"}])
    Traceback (most recent call last):
    ...
    ValueError: figure record 1 ('a') lacks source
    """
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        missing = [k for k in REQUIRED if k not in row]
        if missing:
            raise ValueError(f"figure record {n} ({row.get('id')!r}) lacks {', '.join(missing)}")
        record = {str(k): _plain(v) for k, v in row.items()}
        if not isinstance(record["id"], str) or not record["id"]:
            raise ValueError(f"figure record {n}: id must be a non-empty string")
        if record["id"] in seen:
            raise ValueError(f"figure record {n}: id {record['id']!r} is used twice")
        value = record["value"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValueError(f"figure record {n} ({record['id']!r}): value must be a number")
        seen.add(record["id"])
        out.append(record)
    return out


class Exported:
    """The output of :func:`export`: a JSON bundle for the renderer, one line for a reader."""

    def __init__(self, report: str, figures: list[dict], verdicts: list[dict]):
        self.bundle = {"format": FORMAT, "report": report, "figures": figures, "verdicts": verdicts}

    def _repr_mimebundle_(self, include=None, exclude=None):
        n, v = len(self.bundle["figures"]), len(self.bundle["verdicts"])
        text = f"{n} key figures" + (f" and {v} verdicts" if v else "")
        return {MIME: self.bundle, "text/plain": f"({text} exported for the change report)"}

    def __repr__(self) -> str:
        return json.dumps(self.bundle, ensure_ascii=False)[:200]


def export(report: str, figures: Iterable | Any = (), verdicts: Iterable | Any = ()) -> Exported:
    """The key figures and verdicts of ``report``, checked, as a displayable bundle (the last
    expression of a notebook cell)."""
    return Exported(report, records(figures), records(verdicts))


def slug(text: str) -> str:
    """A stable record id from a label: lower case, runs of other characters as ``_``.

    >>> slug("Pakistan–TTP battle deaths 2023"), slug("Frozen by US (stated)")
    ('pakistan_ttp_battle_deaths_2023', 'frozen_by_us_stated')
    """
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def number(text: Any) -> float | None:
    """A number shown as text (``"9,500"``, ``"0.46"``, ``-20.7``) as a float; None when it is
    not one (``"not stated"``: missing stays missing).

    >>> number("9,500"), number(" 0.46 "), number("not stated"), number(float("nan"))
    (9500.0, 0.46, None, None)
    """
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else None
    try:
        value = float(str(text).replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def key_figure_records(table: Any, *, source: str = "source") -> list[dict[str, Any]]:
    """A report's key-figures table (columns ``figure``, ``value``, ``unit``, ``qualifier`` and
    a ``source`` column) as records: id from the figure, value a number (None when the table
    shows text such as "not stated"), text as the table shows it, with its qualifier.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"figure": ["Frozen by US"], "value": ["7"], "unit": ["bn USD"],
    ...                   "qualifier": ["about"], "source_id": ["asiatimes-2021-09"]})
    >>> key_figure_records(t, source="source_id")[0]["text"]
    '7 bn USD (about)'
    """
    return [
        dict(
            id=slug(row["figure"]),
            label=row["figure"],
            value=number(row["value"]),
            unit=row["unit"],
            source=row[source],
            text=f"{row['value']} {row['unit']} ({row['qualifier']})",
        )
        for _, row in table.iterrows()
    ]


def table_records(
    frame: Any,
    *,
    label: Sequence[str],
    value: str,
    unit: str,
    source: str,
    prefix: str = "",
) -> list[dict[str, Any]]:
    """Records from a table's rows: ``label`` names the columns (or the index, as "index") whose
    text makes the label and the id (``prefix`` first), ``value`` the column of the number;
    ``unit`` and ``source`` are given once for every row.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"ties": [33, 5]}, index=pd.Index(["threatens", "attacks"]))
    >>> [r["id"] for r in table_records(t, label=["index"], value="ties", unit="ties", source="s",
    ...                                 prefix="ties")]
    ['ties_threatens', 'ties_attacks']
    """
    rows = []
    for index, row in frame.iterrows():
        parts = [str(index) if c == "index" else str(row[c]) for c in label]
        text = " ".join(parts)
        rows.append(
            dict(
                id=slug(f"{prefix} {text}" if prefix else text),
                label=f"{prefix}: {text}" if prefix else text,
                value=number(row[value]),
                unit=unit,
                source=source,
            )
        )
    return rows
