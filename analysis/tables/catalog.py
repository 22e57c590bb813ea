"""Every table the package reads, in one list: seed-derived first, then external and mappings.

``afghan-brief validate`` and the renderer walk :func:`all_tables`; :func:`get_spec` finds one
by name. The specs themselves live beside their loaders (:mod:`.seed`, :mod:`.ucdp`,
:mod:`.wdi`, :mod:`.mappings`, :mod:`.indicators`); this module only gathers them, so nothing
imports it back.
"""

from __future__ import annotations

from . import indicators, mappings, seed, ucdp, wdi
from .registry import TableSpec

EXTERNAL = [
    ucdp.UCDP_COUNTRY_YEAR,
    ucdp.UCDP_ACD,
    ucdp.UCDP_BRD,
    ucdp.UCDP_ACTORS,
    wdi.WDI,
    wdi.WDI_GOVERNANCE,
    mappings.COUNTRY_CODES,
    mappings.UCDP_ACTOR_MAP,
    indicators.INDICATOR_FAMILIES,
]


def all_tables() -> list[TableSpec]:
    """Every registered table, seed-derived first, then external and mapping tables."""
    return [*seed.TABLES, *EXTERNAL]


def get_spec(name: str) -> TableSpec:
    """The spec of the table called ``name``; KeyError naming the known tables otherwise."""
    for spec in all_tables():
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in all_tables())
    raise KeyError(f"unknown table '{name}'; known tables: {known}")
