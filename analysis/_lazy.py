"""Names a package re-exports, imported on first use (PEP 562).

``analysis`` and its sub-packages list which of their modules defines each public name; a name
is imported when it is first used, so importing one module of a package (a report's ``rules``,
the data lookup) loads only that module, and ``afghan-brief`` starts without pandas.

Ground level: imports nothing of the package.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping


def exports(
    package: str, names: Mapping[str, str], modules: Iterable[str] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``names`` maps each public name to the module
    (relative to the package) that defines it; ``modules`` are sub-modules reachable as
    attributes (``analysis.funding``)."""
    modules = frozenset(modules)

    def __getattr__(name: str) -> object:
        if name in names:
            value = getattr(importlib.import_module(f".{names[name]}", package), name)
            sys.modules[package].__dict__[name] = value  # the next use is a plain lookup
            return value
        if name in modules:
            return importlib.import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*names, *modules})

    return __getattr__, __dir__
