"""Reading CSV files and validating frames, with every failure turned into a :class:`Problem`.

Nothing here raises on the first error: a file is read, checked against its schema lazily, and all
problems (file, row, column, what) come back together, so ``afghan-brief validate`` can list them
at once. Row numbers are 1-based data rows, as a spreadsheet shows them below the header.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import files
from ..exceptions import DataError, Problem, shown
from .rawvalues import raw_problems

if TYPE_CHECKING:
    import pandera.pandas as pa

_DTYPE_CHECK = re.compile(r"^(coerce_)?dtype\(")


def read_csv(path: Path, *, display_name: str | None = None, **kwargs) -> pd.DataFrame:
    """Read a CSV file with every column as text (schemas coerce types), or raise DataError.

    Catches what a user's file can get wrong before a schema sees it: not a regular file (by
    type, before opening it), above the size cap (:data:`analysis.files.DATA_FILE_CAP`),
    non-UTF-8 bytes, an empty file, a header only, ragged rows. What is parsed is the bytes
    checked, read once.
    """
    name = display_name or path.name
    return parse_csv(read_data(path, name), name, **kwargs)


def read_data(path: Path, name: str) -> bytes:
    """A data file's bytes (a regular file, within the cap), or DataError naming it."""
    try:
        return files.read_bytes(path, cap=files.DATA_FILE_CAP, what="a data file")
    except files.Refused as exc:
        raise DataError([Problem(name, exc.reason)]) from None


def parse_csv(raw: bytes, name: str, **kwargs) -> pd.DataFrame:
    """A data file's bytes (:func:`read_data`) as a frame of text columns, or DataError."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [Problem(name, f"is not UTF-8: byte 0x{raw[exc.start]:02x} on line {line}")]
        ) from None
    if not raw.strip():
        raise DataError([Problem(name, "is empty (no header, no rows)")])
    ragged = _ragged_rows(raw.decode("utf-8-sig"), name)
    if ragged:
        raise DataError(ragged)
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
            index_col=False,
            **kwargs,
        )
    except pd.errors.ParserError as exc:
        raise DataError([Problem(name, f"is not a well-formed CSV file: {exc}")]) from None
    except csv.Error as exc:
        raise DataError([Problem(name, f"is not a well-formed CSV file: {exc}")]) from None
    if frame.empty:
        raise DataError([Problem(name, "has a header but no data rows")])
    return frame


def _ragged_rows(text: str, name: str, limit: int = 20) -> list[Problem]:
    """Rows whose number of fields differs from the header's (the first ``limit`` of them)."""
    problems = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        for number, row in enumerate(reader, start=1):
            if row and len(row) != len(header):
                problems.append(
                    Problem(name, f"has {len(row)} fields, the header has {len(header)}", number)
                )
                if len(problems) >= limit:
                    break
    except csv.Error as exc:
        problems.append(Problem(name, f"is not a well-formed CSV file: {exc}"))
    return problems


def schema_problems(
    frame: pd.DataFrame, schema: pa.DataFrameSchema | type[pa.DataFrameModel], file: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate ``frame`` lazily; return (validated frame or None, problems).

    One problem per failing cell: when a value cannot be coerced to its column's type, the follow-on
    dtype and check failures pandera also reports for that column are dropped. Cells whose text
    a number or date column would take wrongly (``inf``, ``NaN``, ``01/09/2021``) are named as
    written first (:mod:`.rawvalues`), and pandera's reports on those columns dropped.
    """
    from pandera.errors import SchemaErrors

    raw = raw_problems(frame, schema, file)
    try:
        validated = schema.validate(frame, lazy=True)
        problems = []
    except SchemaErrors as exc:
        validated, problems = None, _failure_problems(exc.failure_cases, file)
    if not raw:
        return validated, problems
    rows, columns = {p.row for p in raw}, {p.column for p in raw}
    kept = [  # pandera's follow-ons of a bad cell: its row's checks, its column's coercion
        p for p in problems if p.row not in rows and not (p.row is None and p.column in columns)
    ]
    return None, sorted(raw + kept, key=lambda p: (p.row or 0, p.column or "", p.message))


def _failure_problems(cases: pd.DataFrame, file: str) -> list[Problem]:
    coerce_failed = set(
        cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"].astype(str)
    )
    problems: list[Problem] = []
    seen: set[tuple] = set()
    key_parts: dict[int, list[tuple[str, object]]] = {}
    for case in cases.itertuples(index=False):
        check, column = str(case.check), case.column
        index = case.index
        row = int(index) + 1 if index is not None and not pd.isna(index) else None
        if check == "multiple_fields_uniqueness" and row is not None:
            key_parts.setdefault(row, []).append((str(column), case.failure_case))
            continue
        if column in coerce_failed and not check.startswith("coerce_dtype"):
            continue  # consequence of the coercion failure already reported
        problem = _describe(check, column, case.failure_case, row, file)
        key = (problem.row, problem.column, problem.message)
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    for row, parts in key_parts.items():  # one problem per row, naming the whole key
        names = ", ".join(c for c, _ in parts)
        values = ", ".join(shown(v) for _, v in parts)
        problems.append(Problem(file, f"duplicate key ({names}) = ({values})", row))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.message))


def _describe(check: str, column, value, row: int | None, file: str) -> Problem:
    if check == "column_in_schema":
        return Problem(file, "unexpected column (not in the schema)", column=str(value))
    if check == "column_in_dataframe":
        return Problem(file, "required column is missing", column=str(value))
    if check.startswith("coerce_dtype") or _DTYPE_CHECK.match(check):
        wanted = check[check.index("(") + 1 : -1].strip("'")
        return Problem(file, f"{shown(value)} is not a valid {_friendly(wanted)}", row, str(column))
    if check == "not_nullable":
        return Problem(file, "value is missing", row, str(column))
    if check == "field_uniqueness" or check.startswith("unique"):
        return Problem(file, f"duplicate value {shown(value)} (must be unique)", row, str(column))
    column_name = None if column is None or pd.isna(column) or column == "" else str(column)
    if column_name is not None and column_name == file:
        column_name = None
    return Problem(file, f"{shown(value)} fails check {check}", row, column_name)


def _friendly(dtype: str) -> str:
    if dtype.startswith("datetime"):
        return "date (YYYY-MM-DD)"
    if dtype.startswith(("float", "Float")):
        return "number"
    if dtype.startswith(("int", "Int")):
        return "whole number"
    if dtype in ("bool", "boolean"):
        return "true/false value"
    return dtype
