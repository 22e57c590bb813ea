"""Parameters as a notebook declares them, checked before any kernel starts.

:func:`declared` reads a notebook's ``parameters`` cell without a kernel, the way ``papermill
--help-notebook`` does (name, annotation or type comment, default, help comment). A notebook of
this package names, in its metadata, the modules that register the rules of its parameters::

    "metadata": {"afghan_brief": {"rules": ["analysis.funding.rules"]}}

:func:`rule_modules` reads that list and :func:`validate` imports exactly those modules before
checking with :func:`analysis.rules.check`, so the engine needs to know nothing of the reports,
and a report module that fails to import breaks only the reports that name it.

Any other notebook is a **plain papermill notebook**: it needs no rule. Its values are typed as
papermill infers them: by the parameter's annotation (``a: float = 2.25``, ``b = [] # type:
List[str]``), else by its default's type; an untyped parameter (``msg = None``) takes a ``-p``
string the way ``papermill -p`` does (``True``/``False``/``None``, an int, a float, else the
string). A value of the wrong type is refused naming the notebook and the parameter.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files, rules
from ..exceptions import ParameterError, ReportModuleError, cut, shown
from ..rules import Rule, check, import_providers

METADATA_KEY = "afghan_brief"

# an annotation's base name -> the Python type a value must have
_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "sequence": list,
    "tuple": list,  # a TOML array or a -p list arrives as a list; papermill injects it as such
    "dict": dict,
    "mapping": dict,
}


@dataclass(frozen=True)
class Declared:
    """One parameter as its notebook declares it.

    ``type_name`` is the annotation or type comment as written ("None" when there is none, as
    papermill reports it); ``default`` the default's value when it is a Python literal, else
    None with the expression kept in ``default_source`` (``d = a == 3``).
    """

    name: str
    type_name: str
    default: Any
    help: str
    default_source: str | None = None

    @property
    def literal(self) -> bool:
        return self.default_source is None

    @property
    def rule(self) -> Rule | None:
        return rules.RULES.get(self.name)

    @property
    def value_type(self) -> type | None:
        """The type a value must have: the annotation's, else the default's; None if neither
        says (an untyped parameter whose default is None or an expression)."""
        typed = _annotation_type(self.type_name)
        if typed is not None:
            return typed
        if self.literal and self.default is not None:
            kind = type(self.default)
            return list if kind is tuple else kind
        return None

    @property
    def optional(self) -> bool:
        """None is a value it may take: ``Optional[...]``, ``... | None`` or a None default."""
        return (self.literal and self.default is None) or "optional" in self.type_name.lower()

    @property
    def allowed(self) -> str:
        if self.rule is not None:
            return self.rule.allowed
        kind = self.value_type
        if kind is None:
            return "any value (no rule; a -p string is read as papermill reads it)"
        article = "an" if kind.__name__[0] in "aeiou" else "a"
        return f"{article} {kind.__name__} (no rule; typed by the notebook)"


def _annotation_type(annotation: str) -> type | None:
    """``"List[str]"`` -> list, ``"Optional[int]"`` -> int, ``"float"`` -> float; None for no
    annotation ("None") or one that names no plain type (``"NoneType"``, ``"pd.DataFrame"``)."""
    text = annotation.strip().strip("'\"")
    match = re.match(r"^(?:typing\.)?(\w+)\s*(?:\[(.*)\])?$", text)
    if not match:
        return None
    base, inner = match.group(1).lower(), match.group(2)
    if base == "optional" and inner:
        return _annotation_type(inner)
    return _TYPES.get(base)


def is_package_report(notebook: str | os.PathLike) -> bool:
    """Whether a notebook is one of this package's reports (its metadata carries
    ``afghan_brief``): its parameters then need a rule each."""
    return METADATA_KEY in _metadata(notebook)


def read_notebook(notebook: str | os.PathLike) -> dict:
    """A notebook file's JSON, read safely: a regular file (checked by type before it is
    opened), at most :data:`analysis.files.NOTEBOOK_CAP`, UTF-8, JSON, and shaped as a notebook
    (an object with a list of cells). Anything else is one ParameterError naming the file and
    what is wrong with it, never quoting its content."""
    try:
        text = files.read_text(notebook, cap=files.NOTEBOOK_CAP, what="a notebook")
    except files.Refused as exc:
        raise ParameterError(f"notebook {notebook}: {exc.reason}") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise ParameterError(
            f"notebook {notebook}: is not a notebook (JSON nested too deep)"
        ) from None
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise ParameterError(
            f"notebook {notebook}: is not JSON{where}; a notebook is a Jupyter .ipynb file"
        ) from None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("cells"), list)
        and isinstance(data.get("metadata", {}), dict)
        and all(isinstance(c, dict) for c in data["cells"])
    ):
        raise ParameterError(
            f"notebook {notebook}: is JSON but not a Jupyter notebook (no list of cells)"
        )
    return data


def _metadata(notebook: str | os.PathLike) -> dict:
    meta = read_notebook(notebook).get("metadata")
    return meta if isinstance(meta, dict) else {}


def rule_modules(notebook: str | os.PathLike) -> list[str]:
    """The modules a notebook's metadata names as registering its parameters' rules."""
    modules = (_metadata(notebook).get(METADATA_KEY) or {}).get("rules") or []
    return [m for m in modules if isinstance(m, str)]


def load_rules(notebook: str | os.PathLike, report: str | None = None) -> None:
    """Import the rule modules a notebook names; ReportModuleError naming the report and the
    module if one of them fails to import (that report fails; the others are unaffected)."""
    failures = import_providers(rule_modules(notebook))
    if failures:
        module, exc = next(iter(failures.items()))
        who = f"report '{report or Path(notebook).stem}'"
        raise ReportModuleError(
            f"{who}: its rules module {module} failed to import ({type(exc).__name__}: {exc})"
        )


def declared(notebook: str | os.PathLike) -> dict[str, Declared]:
    """The parameters a notebook declares, read from its first cell tagged ``parameters``
    without a kernel, as ``papermill --help-notebook`` reads them (Python notebooks)."""
    import logging

    import nbformat
    from papermill.translators import PythonTranslator

    logger = logging.getLogger("papermill")  # "Unable to parse line ...": as papermill, skipped
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())

    data = read_notebook(notebook)
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # a notebook nbformat cannot read: the user's file, named
        raise ParameterError(
            f"notebook {notebook}: is not a notebook nbformat can read ({type(exc).__name__})"
        ) from None
    cell = next((c for c in nb.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return {}
    out = {}
    for info in PythonTranslator.inspect(cell):
        text = info.default
        try:
            default, source = ast.literal_eval(text), None
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            default, source = None, text
        out[info.name] = Declared(info.name, info.inferred_type_name, default, info.help, source)
    return out


def non_plain(value: Any) -> str | None:
    """The type name of the first part of ``value`` a notebook cannot be given (papermill
    injects str, int, float, bool, None, and lists and dicts of them), or None when it can.

    >>> non_plain(["PAK", 2]), non_plain({"PAK"}), non_plain({"a": [1, (2, 3)]})
    (None, 'set', None)
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return None
    if isinstance(value, (list, tuple)):
        return next((bad for bad in map(non_plain, value) if bad), None)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            return "dict with keys that are not text"
        return next((bad for bad in map(non_plain, value.values()) if bad), None)
    return type(value).__name__


def check_plain(
    name: str, value: Any, decl: Declared | None, where: str, notebook: str | os.PathLike
) -> None:
    """ParameterError (``where`` first, the parameter named) for a value no notebook can be
    given: a set, an object, a frame. A list parameter takes a list, never a set."""
    bad = non_plain(value)
    if bad is None:
        return
    import_providers(rule_modules(notebook))  # for the message: what the notebook's rules allow
    allowed = decl.allowed if decl is not None else "a str, int, float, bool or None, or a list"
    raise ParameterError(
        f"{where}parameter '{name}' must be {allowed}; got {bad} {shown(value)}", name
    )


def papermill_value(raw: str) -> Any:
    """A ``-p`` string as ``papermill -p`` reads it: ``True``, ``False``, ``None``, an int, a
    float, else the string itself.

    >>> [papermill_value(v) for v in ("True", "None", "3", "2.5", "hello")]
    [True, None, 3, 2.5, 'hello']
    """
    if raw in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[raw]
    for cast in (int, float):
        try:
            return cast(raw)
        except ValueError:
            pass
    return raw


def parse_cli_value(
    name: str, raw: str, declared_param: Declared, notebook: str | os.PathLike | None = None
) -> Any:
    """Turn a command-line string into the declared type: ``-p unit m``, ``-p years 2018,2020``,
    ``-p compare_countries PAK,IRN``, ``-p show_context false``, or JSON (``'["PAK"]'``); an
    untyped parameter of a plain notebook as papermill reads it (:func:`papermill_value`)."""
    kind = declared_param.value_type
    text = raw.strip()
    if kind is None:
        return papermill_value(raw)
    if declared_param.optional and text == "None":
        return None
    try:
        if kind is str:
            return raw
        if kind is bool:
            lowered = text.lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            raise ValueError
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
        if kind is list:
            if text.startswith("["):
                return json.loads(text)
            items = [t.strip() for t in text.split(",") if t.strip()]
            return [int(i) if i.lstrip("-").isdigit() else i for i in items]
        if kind is dict:
            value = json.loads(text)
            if isinstance(value, dict):
                return value
    except ValueError:
        pass
    if notebook is not None:  # for the message: what the notebook's rules allow
        import_providers(rule_modules(notebook))
    where = f"notebook {notebook}: " if notebook is not None and declared_param.rule is None else ""
    raise ParameterError(
        f"{where}parameter '{name}' must be {declared_param.allowed}; got {shown(raw)}", name
    )


def check_types(notebook: str | os.PathLike, values: dict[str, Any], decl: dict) -> None:
    """A plain notebook's given values against the types its parameters cell declares (an int
    is a float; None only where the parameter may be None). Raises ParameterError naming the
    notebook and the parameter."""
    for name, value in values.items():
        if name not in decl:
            continue  # passed through as papermill does
        kind = decl[name].value_type
        if kind is None or (value is None and decl[name].optional):
            continue
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            continue
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            continue
        raise ParameterError(
            f"notebook {notebook}: parameter '{name}' must be {decl[name].allowed}; got "
            f"{type(value).__name__} {shown(value)}",
            name,
        )


def check_literal_defaults(notebook: str | os.PathLike, decl: dict[str, Declared]) -> None:
    """A package report's defaults are values its rules can check before any kernel starts;
    ParameterError naming the first one that is an expression the kernel would compute."""
    for name, d in decl.items():
        if not d.literal:
            raise ParameterError(
                f"notebook {notebook}: parameter '{name}': its default {cut(d.default_source)} "
                "is an expression, not a value; a report's parameters cell gives each parameter "
                "a literal (text, a number, True or False, a list)",
                name,
            )


def validate(notebook: str | os.PathLike, values: dict[str, Any], report: str) -> dict[str, Any]:
    """Check a report's parameters before a kernel starts: unknown names, types, allowed values.

    A package report's values are checked by their rules, every parameter needing one; a plain
    notebook's given values by the types its parameters cell declares (a name it does not
    declare is passed through, as papermill passes it, with a warning). Returns the full
    parameter set (literal defaults filled in) as the notebook will see it.
    """
    load_rules(notebook, report)
    decl = declared(notebook)
    package = is_package_report(notebook)
    unknown = sorted(set(values) - set(decl))
    if unknown and package:  # a plain notebook takes them, as papermill does (see plan_report)
        raise ParameterError(
            f"report '{report}' has no parameter '{unknown[0]}'; its parameters: "
            + (", ".join(decl) or "(none)")
        )
    if package:
        check_literal_defaults(notebook, decl)
    full = {name: d.default for name, d in decl.items() if d.literal}
    full.update(values)
    if package:
        check(**full)  # raises on the first bad value, then broken relations, naming them
    else:
        check_types(notebook, values, decl)
    return full
