"""The package's report parameters: ``analysis.check_parameters(...)`` as the notebooks call it.

Each report topic registers the rules of its own parameters in a small module of its own
(:data:`RULE_MODULES`), apart from its computation and charts. :func:`check_parameters` imports
those modules only when a parameter has no rule yet, each on its own: if one of them is broken,
only the parameters whose rule it holds fail, with a message naming the module.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from . import rules
from .exceptions import ParameterError

RULE_MODULES = (
    "analysis.funding.rules",
    "analysis.risk.rules",
    "analysis.network.rules",
    "analysis.profile.rules",
)


def check_parameters(**values: Any) -> SimpleNamespace:
    """Check report parameters by name; return them normalised, as attributes.

    Called in each notebook right after its parameters cell::

        P = analysis.check_parameters(as_of=as_of, unit=unit, data_dir=data_dir)

    >>> check_parameters(unit="m").unit
    'm'
    >>> check_parameters(unit="kg")
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: parameter 'unit' must be one of 'bn', 'm'; got 'kg'
    """
    unknown = [name for name in values if name not in rules.RULES]
    if unknown:
        failures = rules.import_providers(RULE_MODULES)
        still = [name for name in unknown if name not in rules.RULES]
        if still and failures:
            module, exc = next(iter(failures.items()))
            raise ParameterError(
                f"parameter '{still[0]}' has no rule: {module} failed to import "
                f"({type(exc).__name__}: {exc})",
                still[0],
            )
    return rules.check(**values)
