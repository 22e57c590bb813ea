"""Which of the article's threat statements count towards exposure, and why the others do not.

A statement counts when the article makes it in one of the counted stances (the report parameter
``counted_stances``, by default ``asserted`` and ``expected``) in the author's or a named
speaker's voice, and it is not a repeat of another row. A denial never counts, whatever the
parameter says ("the US no longer faces any direct or immediate threat" adds nothing to the US's
exposure); nor does an anonymous voice, nor a repeat (a photo caption restating the text counts
once, as the passage it repeats).

May import: pandas and :mod:`analysis.tables` (the vocabularies). Used by
:mod:`analysis.risk.assessment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..exceptions import ParameterError, shown
from ..tables.vocab import STANCES, VOICE_ANONYMOUS

DENIED = "denied"


# the stances the counted_stances parameter may name: every stance but a denial
COUNTABLE_STANCES = tuple(s for s in STANCES if s != DENIED)


DEFAULT_STANCES = ("asserted", "expected")


def check_stances(stances: Iterable[str], name: str = "counted_stances") -> tuple[str, ...]:
    """The stances to count, in vocabulary order; ParameterError for a denial, an unknown
    stance, a repeat or an empty list.

    >>> check_stances(["expected", "asserted"])
    ('asserted', 'expected')
    """
    if isinstance(stances, str):
        raise ParameterError(
            f"parameter '{name}' must be a list of stances; got {shown(stances)}", parameter=name
        )
    values = list(stances)
    allowed = ", ".join(repr(s) for s in COUNTABLE_STANCES)
    for value in values:
        if value == DENIED:
            raise ParameterError(
                f"parameter '{name}': 'denied' cannot be counted: a denial never adds exposure; "
                f"allowed: {allowed}",
                parameter=name,
            )
        if value not in COUNTABLE_STANCES:
            raise ParameterError(
                f"parameter '{name}': unknown stance {value!r}; allowed: {allowed}",
                parameter=name,
            )
    if not values or len(set(values)) != len(values):
        raise ParameterError(
            f"parameter '{name}' must list at least one of {allowed}, each once; "
            f"got {shown(values)}",
            parameter=name,
        )
    return tuple(s for s in COUNTABLE_STANCES if s in values)


def not_counted(statements: pd.DataFrame, stances: Sequence[str] = DEFAULT_STANCES) -> list[str]:
    """Why each statement does not count ("" where it counts): a repeat, a denial, an anonymous
    voice, or a stance outside ``stances``. Columns read: stance, voice, repeats (a frame without
    them, from before stances were coded, counts in full)."""
    n = len(statements)
    stance = _column(statements, "stance", "asserted", n)
    voice = _column(statements, "voice", "author", n)
    repeats = _column(statements, "repeats", "", n)
    reasons = []
    for s, v, r in zip(stance, voice, repeats, strict=True):
        if r:
            reasons.append(f"repeats {r}")
        elif s == DENIED:
            reasons.append("denied")
        elif v == VOICE_ANONYMOUS:
            reasons.append("anonymous voice")
        elif s not in stances:
            reasons.append(f"{s}, not a counted stance")
        else:
            reasons.append("")
    return reasons


def with_counting(edges: pd.DataFrame, stances: Sequence[str] = DEFAULT_STANCES) -> pd.DataFrame:
    """``edges`` with ``counted`` (bool) and ``not_counted`` (why not, "" where it counts): the
    table of threat statements a reader checks the score against."""
    reasons = not_counted(edges, check_stances(stances))
    return edges.assign(counted=[not r for r in reasons], not_counted=reasons)


def _column(frame: pd.DataFrame, column: str, default: str, n: int) -> list[str]:
    if column not in frame:
        return [default] * n
    return ["" if pd.isna(v) else str(v) for v in frame[column].astype(object)]


def counting_summary(edges: pd.DataFrame, stances: Sequence[str] = DEFAULT_STANCES) -> pd.DataFrame:
    """The threat statements by what happens to them: one row per reason (``counted`` first),
    with how many statements and their relation ids. Columns: status, statements, relation_ids.
    """
    reasons = not_counted(edges, stances)
    status = ["counted" if not r else r.split(",")[0].split(" R")[0] for r in reasons]
    frame = pd.DataFrame({"status": status, "relation_id": edges["relation_id"].astype(str)})
    order = ["counted", *STANCES, "repeats", "anonymous voice"]
    rows = []
    for key, part in frame.groupby("status", sort=False):
        rows.append(
            {
                "status": key,
                "statements": len(part),
                "relation_ids": ", ".join(sorted(part["relation_id"])),
                "_order": order.index(key) if key in order else len(order),
            }
        )
    out = pd.DataFrame(rows, columns=["status", "statements", "relation_ids", "_order"])
    return out.sort_values("_order").drop(columns="_order").reset_index(drop=True)


class Markdown(str):
    """Text that Jupyter shows as Markdown when it is a cell's last expression."""

    def _repr_markdown_(self) -> str:
        return str(self)


def counting_text(edges: pd.DataFrame, stances: Sequence[str] = DEFAULT_STANCES) -> Markdown:
    """The counting rule in words, with the numbers of the given threat statements: which
    stances count (the parameter), and how many statements each rule leaves out."""
    stances = check_stances(stances)
    summary = counting_summary(edges, stances).set_index("status")["statements"]
    left_out = [s for s in COUNTABLE_STANCES if s not in stances]
    counted = int(summary.get("counted", 0))
    parts = [
        f"**Counted** (`counted_stances`): statements the article makes in the stance "
        f"{_join(stances)}, in the author's or a named speaker's voice: {counted} of the "
        f"{len(edges)} threat statements."
    ]
    never = [
        f"{int(summary.get('denied', 0))} denied (a denial never adds exposure)",
        f"{int(summary.get('repeats', 0))} repeating another row (counted once, as the original)",
        f"{int(summary.get('anonymous voice', 0))} in an anonymous voice",
    ]
    parts.append("**Never counted:** " + "; ".join(never) + ".")
    if left_out:
        by_stance = [f"{int(summary.get(s, 0))} {s}" for s in left_out]
        parts.append(
            "**Not counted with these parameters:** " + ", ".join(by_stance) + " (add the "
            "stance to `counted_stances` to count it)."
        )
    return Markdown("\n\n".join(parts))


def _join(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
