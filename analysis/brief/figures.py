"""What the brief exports for the change report: its headline figures and the claims' robust
verdicts (records of :func:`analysis.figures.export`)."""

from __future__ import annotations

import pandas as pd

from .. import risk
from ..figures import number, slug


def figure_records(headlines: pd.DataFrame) -> list[dict]:
    """The headline table as export records: id (from the figure), label, value (None when not
    stated, or for a text value such as "8 / 3 / 5"), unit, source, text (as shown)."""
    return [
        dict(
            id=slug(r.figure),
            label=r.figure,
            value=number(r.value),
            unit=r.unit,
            source=r.source,
            text=f"{r.value} {r.unit} ({r.qualifier})",
        )
        for r in headlines.itertuples(index=False)
    ]


def verdict_records(robust: pd.DataFrame | None, obs: risk.Observed) -> list[dict]:
    """The robust verdicts as export records (none when nothing is observed yet)."""
    return [] if robust is None else risk.verdict_records(robust, obs)
