"""Checks on a table's cells as written, before its schema coerces them.

Coercion loses what the user wrote: ``inf``, ``NaN`` or ``1e999`` in a number column become
floats a schema accepts (an infinite WDI value was published as "inf bn USD"; a typed ``NaN``
passed for a missing value), and a date column with one ``01/09/2021`` fails as a whole, reported
as ``nan`` with no row. :func:`raw_problems` reads the text of every number and date column and
names each bad cell (file, row, column, the value as written, cut to 80 characters):

- a number column (float or integer) takes finite numbers only: ``inf``, ``-Infinity``, ``NaN``
  and numbers too large for a float are refused (an empty cell is the one way to say missing);
- a date column (``datetime64``) takes ``YYYY-MM-DD`` dates that exist.

May import: pandas, :mod:`analysis.exceptions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import Problem, shown

_NOT_FINITE = {
    f"{sign}{word}" for sign in ("", "+", "-") for word in ("nan", "inf", "infinity", "nat")
}


def _columns(schema) -> dict[str, str]:
    """Column name -> dtype text, for a DataFrameSchema or a DataFrameModel class."""
    if hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    return {str(name): str(column.dtype) for name, column in schema.columns.items()}


def _is_number(dtype: str) -> bool:
    return dtype.lower().startswith(("float", "int", "uint"))


def _is_date(dtype: str) -> bool:
    return dtype.startswith("datetime64")


def raw_problems(frame: pd.DataFrame, schema, file: str) -> list[Problem]:
    """Every cell of ``frame`` (read as text) that its schema's number or date column would
    take wrongly: non-finite numbers, dates that are not ``YYYY-MM-DD`` or do not exist."""
    problems = []
    for column, dtype in _columns(schema).items():
        if column not in frame.columns:
            continue  # the schema reports the missing column
        text = frame[column]
        present = text.notna()
        if not present.any():
            continue
        if _is_number(dtype):
            values = pd.to_numeric(text.where(present), errors="coerce")
            words = text.where(present, "").str.strip().str.lower()
            bad = present & (np.isinf(values.to_numpy(dtype=float)) | words.isin(_NOT_FINITE))
            message = (
                "is not a finite number (infinite and NaN values are refused; leave the cell "
                "empty for a missing value)"
            )
        elif _is_date(dtype):
            shaped = text.where(present, "").str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
            bad = present & ~(shaped & parsed.notna())
            message = "is not a valid date (YYYY-MM-DD)"
        else:
            continue
        for index in frame.index[bad.to_numpy()]:
            problems.append(
                Problem(file, f"{shown(text[index])} {message}", int(index) + 1, column)
            )
    return problems
