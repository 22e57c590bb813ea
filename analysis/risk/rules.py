"""The regional-risk report's parameter rules: focus countries, the two windows, violence types,
the five exposure weights and how a threat to a group of states is spread over its members."""

from __future__ import annotations

from ..observed import scope
from ..rules import choice, choices, iso3_list, number, register, year_range

YEAR_RULE = year_range(scope.YEARS[0], scope.YEARS[1])
WEIGHT_RULE = number(0.0, 100.0)

register(
    "focus_countries",
    iso3_list(
        lambda: set(scope.ALLOWED_COUNTRIES),
        "Afghanistan, its neighbours, Russia, India, the US or a Western European state of the "
        "observed set",
        min_items=1,
    ),
)
register("baseline_years", YEAR_RULE)
register("comparison_years", YEAR_RULE)
register("violence_types", choices(*scope.VIOLENCE_TYPES))
for _name in ("weight_weak", "weight_moderate", "weight_strong", "weight_attack", "weight_both"):
    register(_name, WEIGHT_RULE)
register("group_spread", choice("split", "full"))
