"""``rfc3987_syntax``, imported by the renderer only when something calls it.

nbformat (which the renderer needs to read and write notebooks) imports ``jsonschema``; when
``rfc3987_syntax`` is installed (``jsonschema[format-nongpl]``, as Jupyter installs it),
jsonschema's format checkers import it, and it builds some thirty Lark parsers as it is
imported: 1–3 s of every render process, for the ``iri`` formats no notebook schema uses
(nbformat validates without format checks). See python-jsonschema/jsonschema#1428.

:func:`defer` (called when :mod:`analysis.render` is imported) puts a stand-in module under
that name before anything imports jsonschema. jsonschema takes ``is_valid_syntax`` from it, a
function that imports the real module on its first call and hands the call on; any other
name read from the stand-in, or a submodule imported under it, imports the real module too.
Nothing changes when jsonschema was already imported, when the module is not installed, or
once the real module is loaded: it then replaces the stand-in in ``sys.modules``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

NAME = "rfc3987_syntax"
_lock = threading.RLock()


class _StandIn(types.ModuleType):
    """Stands for the real module until something reads a name it does not define."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":  # probes: __file__, __wrapped__ ...
            raise AttributeError(name)
        return getattr(real(), name)


def real() -> types.ModuleType:
    """The real module, imported now if the stand-in still holds its place."""
    with _lock:
        current = sys.modules.get(NAME)
        if current is not None and not isinstance(current, _StandIn):
            return current
        sys.modules.pop(NAME, None)
        try:
            return importlib.import_module(NAME)
        except BaseException:
            if current is not None:
                sys.modules[NAME] = current
            raise


def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    """``rfc3987_syntax.is_valid_syntax``, the one name jsonschema imports from it."""
    return real().is_valid_syntax(*args, **kwargs)


def defer() -> bool:
    """Put the stand-in in place when it can help; True when it did."""
    with _lock:
        if NAME in sys.modules or "jsonschema._format" in sys.modules:
            return False
        spec = importlib.util.find_spec(NAME)
        if spec is None:  # not installed: jsonschema does without it
            return False
        stand_in = _StandIn(NAME, "stands for rfc3987_syntax until it is used")
        stand_in.__spec__ = spec  # the real module's: find_spec() answers as before
        stand_in.__path__ = list(spec.submodule_search_locations or [])
        stand_in.is_valid_syntax = is_valid_syntax
        sys.modules[NAME] = stand_in
        return True
