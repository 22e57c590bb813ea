"""Report parameters: declared in each notebook's ``parameters`` cell, checked here by name.

A notebook declares its parameters in one cell tagged ``parameters``, one per line, typed and
commented::

    as_of: str = "2024-12-31"  # ISO date (YYYY-MM-DD); figures dated after it are left out

Name, type, default and help come from that cell (read without a kernel by
:func:`papermill.inspect_notebook`). What values are *allowed* is declared once here, in
:data:`RULES`, keyed by parameter name: the same name means the same thing in every report. The
renderer calls :func:`check` before any kernel starts; each notebook calls it in the cell right
after its parameters, so a bad value stops there with one line naming the parameter and what is
allowed.
"""

from __future__ import annotations

import ast
import contextvars
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .exceptions import ParameterError

# ---------------------------------------------------------------------------------------------
# Rules: one per parameter name. A rule takes a value and returns it normalised, or raises
# ParameterError with what is allowed.


@dataclass(frozen=True)
class Rule:
    """What a parameter may be: its Python type, a description of the allowed values, a check."""

    type: type
    allowed: str
    check: Callable[[str, Any], Any]

    def __call__(self, name: str, value: Any) -> Any:
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.type in (list, tuple) and isinstance(value, (list, tuple)):
            value = self.type(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ParameterError(
                f"parameter '{name}' must be {self.allowed}; got {type(value).__name__} {value!r}"
            )
        return self.check(name, value)


def _fail(name: str, value: Any, allowed: str) -> None:
    raise ParameterError(f"parameter '{name}' must be {allowed}; got {value!r}")


def iso_date() -> Rule:
    allowed = "an ISO date YYYY-MM-DD"

    def check(name, value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            _fail(name, value, allowed)

    return Rule(str, allowed, check)


def choice(*options: str) -> Rule:
    allowed = "one of " + ", ".join(repr(o) for o in options)

    def check(name, value):
        if value not in options:
            _fail(name, value, allowed)
        return value

    return Rule(str, allowed, check)


def choices(*options: str, min_items: int = 1) -> Rule:
    allowed = f"a list of at least {min_items} of " + ", ".join(repr(o) for o in options)

    def check(name, value):
        bad = [v for v in value if v not in options]
        if bad or len(value) < min_items or len(set(value)) != len(value):
            _fail(name, value, allowed)
        return list(value)

    return Rule(list, allowed, check)


def iso3_list(known: Callable[[], set[str]], what: str, min_items: int = 0) -> Rule:
    """A list of ISO3 codes, each one of ``known()`` (computed lazily from the data)."""
    allowed = f"a list of ISO3 codes ({what})"

    def check(name, value):
        codes = known()
        for code in value:
            if not isinstance(code, str) or code not in codes:
                raise ParameterError(
                    f"parameter '{name}': unknown ISO3 code {code!r}; allowed: "
                    + ", ".join(sorted(codes))
                )
        if len(value) < min_items or len(set(value)) != len(value):
            _fail(name, value, f"{allowed}, at least {min_items}, no repeats")
        return list(value)

    return Rule(list, allowed, check)


def year_range(first: int = 1989, last: int = 2030) -> Rule:
    allowed = f"a list [start, end] of two years with {first} <= start <= end <= {last}"

    def check(name, value):
        if (
            len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not first <= value[0] <= value[1] <= last
        ):
            _fail(name, value, allowed)
        return [int(value[0]), int(value[1])]

    return Rule(list, allowed, check)


def number(low: float = 0.0, high: float = float("inf")) -> Rule:
    allowed = f"a number between {low:g} and {high:g}"

    def check(name, value):
        if not low <= value <= high:
            _fail(name, value, allowed)
        return float(value)

    return Rule(float, allowed, check)


def boolean() -> Rule:
    return Rule(bool, "True or False", lambda name, value: value)


def optional_directory() -> Rule:
    allowed = 'an existing directory, or "" for the shipped data'

    def check(name, value):
        if value and not Path(value).expanduser().is_dir():
            _fail(name, value, allowed)
        return value

    return Rule(str, allowed, check)


def text(pattern_help: str = "text") -> Rule:
    return Rule(str, pattern_help, lambda name, value: value)


RULES: dict[str, Rule] = {
    "as_of": iso_date(),
    "unit": choice("bn", "m"),
    "show_context": boolean(),
    "data_dir": optional_directory(),
}


def register(name: str, rule: Rule) -> None:
    """Declare the rule of a parameter name (report modules call this at import).

    Registering an equivalent rule again (same type and allowed values: a second report using the
    name with the same meaning, or a module re-imported) is fine; a different meaning is a bug.
    """
    existing = RULES.get(name)
    if existing is not None and (existing.type, existing.allowed) != (rule.type, rule.allowed):
        raise ValueError(f"parameter '{name}' already has a different rule: {existing.allowed}")
    RULES[name] = rule


_DATA_DIR: contextvars.ContextVar[str | None] = contextvars.ContextVar("data_dir", default=None)


def current_data_dir() -> str | None:
    """The ``data_dir`` being checked alongside, for rules whose allowed values come from data
    (known ISO3 codes, actor ids). None means the shipped data (or ``$AFGHAN_BRIEF_DATA``)."""
    return _DATA_DIR.get()


# ---------------------------------------------------------------------------------------------
# Checking


def check(**values: Any) -> SimpleNamespace:
    """Check parameter values by name; return them normalised, as attributes.

    Called in each notebook right after its parameters cell::

        P = analysis.check_parameters(as_of=as_of, unit=unit, data_dir=data_dir)

    >>> check(unit="m").unit
    'm'
    >>> check(unit="kg")
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: parameter 'unit' must be one of 'bn', 'm'; got 'kg'
    """
    _load_report_rules()
    checked = {}
    # data_dir first: rules whose allowed values come from data read them from that directory
    order = sorted(values, key=lambda name: name != "data_dir")
    token = None
    try:
        for name in order:
            rule = RULES.get(name)
            if rule is None:
                raise ParameterError(
                    f"parameter '{name}' has no declared rule (a bug in the report)"
                )
            try:
                checked[name] = rule(name, values[name])
            except ParameterError as exc:
                exc.parameter = exc.parameter or name
                raise
            if name == "data_dir":
                token = _DATA_DIR.set(checked[name] or None)
    finally:
        if token is not None:
            _DATA_DIR.reset(token)
    return SimpleNamespace(**{name: checked[name] for name in values})


def _load_report_rules() -> None:
    """Import the report modules, which register the rules of their own parameters."""
    import importlib

    for module in ("funding", "risk", "network"):
        try:
            importlib.import_module(f"analysis.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"analysis.{module}":
                raise


# ---------------------------------------------------------------------------------------------
# Declarations read from a notebook's parameters cell


@dataclass(frozen=True)
class Declared:
    """One parameter as its notebook declares it."""

    name: str
    type_name: str
    default: Any
    help: str

    @property
    def allowed(self) -> str:
        _load_report_rules()
        rule = RULES.get(self.name)
        return rule.allowed if rule else "(no rule)"


def declared(notebook: str | os.PathLike) -> dict[str, Declared]:
    """The parameters a notebook declares, read from its ``parameters`` cell without a kernel."""
    import papermill

    found = papermill.inspect_notebook(str(notebook))
    out = {}
    for name, info in found.items():
        default = ast.literal_eval(info["default"]) if info["default"] else None
        out[name] = Declared(name, info["inferred_type_name"], default, info["help"] or "")
    return out


def parse_cli_value(name: str, raw: str, declared_param: Declared) -> Any:
    """Turn a command-line string into the declared type: ``-p unit m``, ``-p years 2018,2020``,
    ``-p compare_countries PAK,IRN``, ``-p show_context false``, or JSON (``'["PAK"]'``)."""
    kind = declared_param.type_name
    text = raw.strip()
    try:
        if kind == "str":
            return raw
        if kind == "bool":
            lowered = text.lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            raise ValueError
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind in ("list", "tuple"):
            if text.startswith("["):
                return json.loads(text)
            items = [t.strip() for t in text.split(",") if t.strip()]
            return [int(i) if i.lstrip("-").isdigit() else i for i in items]
        if kind == "dict":
            return json.loads(text)
    except ValueError:
        pass
    raise ParameterError(f"parameter '{name}' must be {declared_param.allowed}; got {raw!r}")


def validate(notebook: str | os.PathLike, values: dict[str, Any], report: str) -> dict[str, Any]:
    """Check a report's parameters before a kernel starts: unknown names, types, allowed values.

    Returns the full parameter set (defaults filled in) as the notebook will receive it.
    """
    decl = declared(notebook)
    unknown = sorted(set(values) - set(decl))
    if unknown:
        raise ParameterError(
            f"report '{report}' has no parameter '{unknown[0]}'; its parameters: " + ", ".join(decl)
        )
    full = {name: d.default for name, d in decl.items()}
    full.update(values)
    check(**full)  # raises on the first bad value, naming it
    return full
