"""Parameter rules: what value each report parameter may take, declared once by name.

A notebook declares its parameters in one cell tagged ``parameters`` (name, type, default and a
comment each; :mod:`analysis.render.parameters` reads them without a kernel). What values are
*allowed* is a :class:`Rule` registered here under the parameter's name with :func:`register`:
the same name means the same thing in every report. Report modules register their own rules
(``analysis/<topic>/rules.py``); a notebook names the rule modules it needs in its metadata
(``"afghan_brief": {"rules": [...]}``), so the renderer imports only those, and a broken report
module breaks only its own report.

Some promises hold between parameters: a comparison window after the baseline, a window inside
the years the data cover. A report module declares such a **relation** with
:func:`register_relation` (the names it relates and a check over their values); :func:`check`
applies every relation whose names are all given, after each value passed its own rule, so the
notebook's ``check_parameters`` cell and the renderer's check before any kernel starts refuse
the same combinations with the same message.

Generic by design: this module imports nothing of the package but :mod:`analysis.exceptions`.
The two rules every report of the package shares, ``as_of`` and ``data_dir``, are here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .exceptions import ParameterError, shown


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
                f"parameter '{name}' must be {self.allowed}; "
                f"got {type(value).__name__} {shown(value)}"
            )
        return self.check(name, value)


def _fail(name: str, value: Any, allowed: str) -> None:
    raise ParameterError(f"parameter '{name}' must be {allowed}; got {shown(value)}")


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
                    f"parameter '{name}': unknown ISO3 code {shown(code)}; allowed: "
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


@dataclass(frozen=True)
class Relation:
    """A promise between parameters: ``check(**values)`` (each value already checked by its own
    rule, normalised) returns nothing or raises ParameterError; ``allowed`` says it in words
    (``afghan-brief list`` shows it)."""

    names: tuple[str, ...]
    check: Callable[..., Any]
    allowed: str


RELATIONS: dict[tuple[str, ...], Relation] = {}


def register_relation(names: Iterable[str], check: Callable[..., Any], allowed: str) -> None:
    """Declare a check over several parameters together (report modules call this at import).

    ``check`` is called with the named parameters as keywords whenever all of them are checked
    together, and raises ParameterError, naming the parameter the user should change
    (``parameter=``; default: the last name), when they contradict each other or the data
    (:func:`current_data_dir`). One relation per tuple of names: registering it again (a module
    re-imported) replaces it.
    """
    names = tuple(names)
    if len(names) < 2 or len(set(names)) != len(names):
        raise ValueError(f"a relation names two or more different parameters; got {names}")
    RELATIONS[names] = Relation(names, check, allowed)


def relations_of(name: str) -> list[Relation]:
    """The relations a parameter takes part in (for ``list``)."""
    return [r for r in RELATIONS.values() if name in r.names]


def _check_relations(checked: dict[str, Any]) -> None:
    for relation in list(RELATIONS.values()):
        if not all(name in checked for name in relation.names):
            continue
        try:
            relation.check(**{name: checked[name] for name in relation.names})
        except ParameterError as exc:
            exc.parameter = exc.parameter or relation.names[-1]
            exc.relation = relation.names
            raise


_DATA_DIR: contextvars.ContextVar[str | None] = contextvars.ContextVar("data_dir", default=None)


def current_data_dir() -> str | None:
    """The ``data_dir`` being checked alongside, for rules whose allowed values come from data
    (known ISO3 codes, actor ids). None means the shipped data (or ``$AFGHAN_BRIEF_DATA``)."""
    return _DATA_DIR.get()


def check(**values: Any) -> SimpleNamespace:
    """Check parameter values by name, then the relations between them; return them
    normalised, as attributes.

    Called in each notebook right after its parameters cell::

        P = analysis.check_parameters(as_of=as_of, unit=unit, data_dir=data_dir)

    >>> check(as_of="2023-12-31").as_of
    '2023-12-31'
    >>> check(as_of="31/12/2023")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: parameter 'as_of' must be an ISO date YYYY-MM-DD; got ...
    """
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
        _check_relations(checked)  # with the data_dir still set: some read the data
    finally:
        if token is not None:
            _DATA_DIR.reset(token)
    return SimpleNamespace(**{name: checked[name] for name in values})


def import_providers(modules: Iterable[str]) -> dict[str, BaseException]:
    """Import the modules that register rules (``analysis.funding.rules``); return those that
    failed, with their error, instead of raising: one broken module must not stop the others."""
    failures: dict[str, BaseException] = {}
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # a bug in that module: reported by whoever needs its rules
            failures[module] = exc
    return failures
