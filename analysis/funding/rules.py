"""The funding report's parameter rules: ``unit``, ``show_context`` and ``compare_countries``
(ISO3 codes of the WDI table's countries, checked against the ``data_dir`` given with it).
"""

from __future__ import annotations

from .. import rules
from ..rules import boolean, choice, iso3_list, register
from .common import AFG, AGGREGATES


def _comparable_countries() -> set[str]:
    """ISO3 codes of the countries in the WDI table of the data_dir checked alongside (else the
    shipped one or ``$AFGHAN_BRIEF_DATA``'s), less the aggregates and Afghanistan."""
    from ..tables import load_wdi

    wdi = load_wdi(rules.current_data_dir())
    codes = set(wdi["country_code"].astype(str))
    if "is_aggregate" in wdi:
        codes -= set(wdi.loc[wdi["is_aggregate"].astype(bool), "country_code"].astype(str))
    return codes - set(AGGREGATES) - {AFG}


COMPARE_COUNTRIES_RULE = iso3_list(
    _comparable_countries, "countries of the WDI table other than AFG; no aggregates"
)

register("unit", choice("bn", "m"))
register("show_context", boolean())
register("compare_countries", COMPARE_COUNTRIES_RULE)
