"""Indicator families: which UCDP actors an observed indicator counts together.

``indicator_families.csv`` (under ``analysis/data/mappings``) lists, per family, the UCDP actors
considered for it: ``counted`` ones make up the family (under a ``branch``: TTP affiliates under
TTP, AQAP under al-Qaida), the others were considered and left out, each with a note saying why.
The one family shipped, ``jihadist``, is what the regional-risk report measures "jihadist
violence" by, for Afghanistan's neighbours and the West alike.

Its schema is declared with the other mappings' (:mod:`.external_schemas`). May import: pandas
and the rest of :mod:`analysis.tables` (the data layer), nothing above it.
"""

from __future__ import annotations

import pandas as pd

from .registry import TableSpec, load_table
from .vocab import DataDir


def _tidy_families(raw: pd.DataFrame) -> pd.DataFrame:
    out = raw.copy()
    out["ucdp_name"] = out["ucdp_name"].str.strip()
    out["counted"] = out["counted"] == "true"
    return out.reset_index(drop=True)


INDICATOR_FAMILIES = TableSpec(
    "indicator_families",
    "indicator_families.csv",
    "mappings",
    "external_schemas:INDICATOR_FAMILIES_SCHEMA",
    "Indicator families: the UCDP actors counted as one indicator (jihadist violence), with notes",
    tidy=_tidy_families,
)


def load_indicator_families(data_dir: DataDir = None) -> pd.DataFrame:
    """The indicator-family table, one row per family and UCDP actor considered.

    =============  =====  ==================================================================
    column         dtype  meaning
    =============  =====  ==================================================================
    family         str    the family (``jihadist``)
    ucdp_actor_id  int64  UCDP ActorId
    ucdp_name      str    the name in UCDP's dyad names (stripped)
    branch         str    the group it counts under; missing when not counted
    counted        bool   counted for the family, or considered and left out
    note           str    why
    =============  =====  ==================================================================

    >>> fam = load_indicator_families()
    >>> sorted(family_members(fam, "jihadist"))[:4]
    ['AQAP', 'ETIM', 'HGB', 'IS']
    >>> sorted(set(family_members(fam, "jihadist").values()))
    ['ETIM', 'IS', 'Jaish al-Adl', 'TTP', 'al-Qaida']
    """
    return load_table(INDICATOR_FAMILIES, data_dir)


def family_members(families: pd.DataFrame, family: str) -> dict[str, str]:
    """The counted actors of ``family``: UCDP name → branch. KeyError naming the known families
    when ``family`` has no counted actor."""
    rows = families[(families["family"] == family) & families["counted"]]
    if rows.empty:
        known = ", ".join(sorted(set(families["family"])))
        raise KeyError(f"no indicator family {family!r}; known: {known}")
    return dict(zip(rows["ucdp_name"], rows["branch"], strict=True))
