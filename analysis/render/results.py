"""What a render run returns: one :class:`RenderResult` per report, a :class:`RunResult` for
the run (its exit code and summary), the progress hooks the CLI implements, and the exception
raised when a signal stopped the run.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..exceptions import AfghanBriefError
from .execute import CellError


@dataclass
class RenderResult:
    """What happened to one report. Paths are relative to the output directory."""

    name: str
    notebook: str
    parameters: dict[str, Any]
    status: str  # "ok", "skipped" (up to date), "failed", "interrupted"
    duration: float = 0.0
    html: str | None = None  # the report's good page (this run's, or kept from an earlier one)
    ipynb: str | None = None
    failed_ipynb: str | None = None
    failed_html: str | None = None
    error: CellError | None = None
    key: str = ""
    change: Any = None  # a .changes.ReportChange after a good render

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")


@dataclass
class RunResult:
    """A whole run: every report's result, where they went, how long it took."""

    results: list[RenderResult]
    out_dir: Path
    duration: float
    warnings: list[str] = field(default_factory=list)  # one line each (the CLI prints them)
    records_failed: bool = False  # manifest, index or history could not be written

    @property
    def failed(self) -> list[RenderResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """4 when a report failed; else 7 when a record of the run could not be written
        (the output directory filled up or became unwritable); else 0."""
        from ..exceptions import OutputError, RenderError

        if self.failed:
            return RenderError.exit_code
        return OutputError.exit_code if self.records_failed else 0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def summary(self) -> str:
        parts = [f"{self.count(s)} {w}" for s, w in _WORDS if self.count(s)]
        return ", ".join(parts) or "nothing to render"

    @property
    def changes(self) -> list:
        """Every rendered report's comparison with its previous good render."""
        return [r.change for r in self.results if r.change is not None]

    def change_lines(self) -> list[str]:
        """One line per report whose figures, verdicts or data changed (or first rendered);
        a single line saying so when nothing changed."""
        lines = [c.summary() for c in self.changes if c.changed or c.first_render]
        return lines or [
            "changes: no figure, verdict or data version changed since the last render"
        ]


_WORDS = (("ok", "rendered"), ("skipped", "up to date"), ("failed", "failed"))


class RenderInterrupted(AfghanBriefError):
    """Raised when Ctrl-C or SIGTERM stopped a render; finished reports were kept whole."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum
        name = signal.Signals(signum).name
        super().__init__(
            f"render stopped by {name}: kernels stopped, temporary files removed, "
            "reports finished before it were kept, the others left as they were"
        )


class Progress:
    """Hooks the CLI uses to show progress. Methods may be called from worker threads."""

    def plan(self, to_render: list[str], up_to_date: list[str], jobs: int) -> None: ...

    def start(self, name: str, cells: int) -> None: ...

    def cell(self, name: str, index: int) -> None: ...

    def finish(self, result: RenderResult) -> None: ...
