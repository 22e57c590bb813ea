"""The package's exceptions: one root, one subclass per kind of failure.

A user's mistake (bad parameter, bad config, bad data, a held lock) is raised as a subclass of
:class:`AfghanBriefError`. The CLI prints it as one line and exits with the class's
``exit_code``; in Jupyter it renders as one line too (IPython honours ``_render_traceback_``).
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

MESSAGE_VALUE_LIMIT = 80  # characters of a user's value echoed in a message


def cut(text: object, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """``text`` (or its ``str``) on one line, cut to ``limit`` characters with "…": a value
    echoed in a message never floods the terminal.

    >>> cut("x" * 100)[-3:], len(cut("x" * 100))
    ('xx…', 80)
    >>> cut(repr([2022, 2024]))
    '[2022, 2024]'
    """
    text = str(text).replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """A user's value as a message quotes it: its ``repr``, cut (:func:`cut`)."""
    return cut(repr(value), limit)


class AfghanBriefError(Exception):
    """Raised for any failure the user can fix; the root of this package's exceptions."""

    exit_code = 1

    def _render_traceback_(self) -> list[str]:  # IPython hook: one clear message, no traceback
        return [f"{type(self).__name__}: {self}"]


class ParameterError(AfghanBriefError):
    """Raised when a report parameter is unknown, of the wrong type or not an allowed value.

    ``parameter`` names it (set by :func:`analysis.parameters.check` for every rule's error), so
    a caller can point at where the value came from (a config key) without parsing the message.
    """

    exit_code = 2

    MAX_MESSAGE = 500  # whatever a message quotes, it stays one readable line
    relation: tuple[str, ...] = ()  # the parameters of a broken relation (analysis.rules)

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(cut(message, self.MAX_MESSAGE))
        self.parameter = parameter


class ConfigError(ParameterError):
    """Raised when a render config file cannot be read or names something that does not exist."""


class UnknownReportError(ParameterError):
    """Raised when a report name does not match any notebook in ``notebooks/``."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where (file, row, column) and what."""

    file: str
    message: str
    row: int | None = None  # 1-based data row (the header is row 0)
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(AfghanBriefError):
    """Raised when one or more data files fail validation; carries every problem found."""

    exit_code = 3

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = f"{len(self.problems)} data problems:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def _render_traceback_(self) -> list[str]:
        return [f"DataError: {self._summary()}"]


class ReportModuleError(AfghanBriefError):
    """Raised when a module a report names (its parameter rules) fails to import: a bug in that
    report, which fails alone while the other reports render (exit 4)."""

    exit_code = 4


class RenderError(AfghanBriefError):
    """Raised when one or more reports failed to execute; the others were still rendered."""

    exit_code = 4


class SchedulerError(AfghanBriefError):
    """Raised when ``--dask`` cannot be used: the scheduler cannot be reached, or the
    ``distributed`` package (the ``dask`` extra) is not installed. Nothing was rendered."""

    exit_code = 2


class LockHeldError(AfghanBriefError):
    """Raised when another render holds the output directory's lock (or another ``data update``
    the data store's)."""

    exit_code = 5


class FetchError(AfghanBriefError):
    """Raised when a publisher's file cannot be fetched (HTTP error, timeout, broken or truncated
    download); the installed data is left as it was."""

    exit_code = 6


class OutputError(AfghanBriefError):
    """Raised when the output directory cannot be written: read-only or immutable, on a full
    disk, below a file, its lock path or ``assets`` of the wrong kind. Nothing was changed."""

    exit_code = 7
