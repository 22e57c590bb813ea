"""What the brief exports for the change report: its headline figures and the claims' robust
verdicts (records of :func:`analysis.figures.export`)."""

from __future__ import annotations

import pandas as pd

from .. import risk
from ..figures import key_figure_records


def figure_records(headlines: pd.DataFrame) -> list[dict]:
    """The headline table as export records (a text value such as "8 / 3 / 5" has no number)."""
    return key_figure_records(headlines)


def verdict_records(robust: pd.DataFrame | None, obs: risk.Observed) -> list[dict]:
    """The robust verdicts as export records (none when nothing is observed yet)."""
    return [] if robust is None else risk.verdict_records(robust, obs)
