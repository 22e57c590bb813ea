"""Parameters as a notebook declares them, checked before any kernel starts.

:func:`declared` reads a notebook's ``parameters`` cell without a kernel (papermill's
inspection: name, inferred type, default, help). A notebook names, in its metadata, the modules
that register the rules of its parameters::

    "metadata": {"afghan_brief": {"rules": ["analysis.funding.rules"]}}

:func:`rule_modules` reads that list and :func:`validate` imports exactly those modules before
checking with :func:`analysis.rules.check`, so the engine needs to know nothing of the reports,
and a report module that fails to import breaks only the reports that name it.
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import rules
from ..exceptions import ParameterError, ReportModuleError
from ..rules import import_providers

METADATA_KEY = "afghan_brief"


@dataclass(frozen=True)
class Declared:
    """One parameter as its notebook declares it."""

    name: str
    type_name: str
    default: Any
    help: str

    @property
    def allowed(self) -> str:
        rule = rules.RULES.get(self.name)
        return rule.allowed if rule else "(no rule)"


def rule_modules(notebook: str | os.PathLike) -> list[str]:
    """The modules a notebook's metadata names as registering its parameters' rules."""
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    modules = (meta.get(METADATA_KEY) or {}).get("rules") or []
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
    """The parameters a notebook declares, read from its ``parameters`` cell without a kernel."""
    import papermill

    found = papermill.inspect_notebook(str(notebook))
    out = {}
    for name, info in found.items():
        default = ast.literal_eval(info["default"]) if info["default"] else None
        out[name] = Declared(name, info["inferred_type_name"], default, info["help"] or "")
    return out


def parse_cli_value(
    name: str, raw: str, declared_param: Declared, notebook: str | os.PathLike | None = None
) -> Any:
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
    if notebook is not None:  # for the message: what the notebook's rules allow
        import_providers(rule_modules(notebook))
    raise ParameterError(f"parameter '{name}' must be {declared_param.allowed}; got {raw!r}")


def validate(notebook: str | os.PathLike, values: dict[str, Any], report: str) -> dict[str, Any]:
    """Check a report's parameters before a kernel starts: unknown names, types, allowed values.

    Returns the full parameter set (defaults filled in) as the notebook will receive it.
    """
    load_rules(notebook, report)
    decl = declared(notebook)
    unknown = sorted(set(values) - set(decl))
    if unknown:
        raise ParameterError(
            f"report '{report}' has no parameter '{unknown[0]}'; its parameters: " + ", ".join(decl)
        )
    full = {name: d.default for name, d in decl.items()}
    full.update(values)
    rules.check(**full)  # raises on the first bad value, naming it
    return full
