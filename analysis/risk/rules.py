"""The regional-risk report's parameter rules: focus countries, the two windows, violence types,
the five exposure weights, how a threat to a group of states is spread over its members,
which stances of the article's threat statements count, and the thresholds of the robust
verdicts (minimum change, robust and measurable shares; the brief uses the same names)."""

from __future__ import annotations

from ..observed import scope
from ..rules import Rule, choice, choices, iso3_list, number, register, year_range
from .counting import COUNTABLE_STANCES, check_stances

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

STANCES_RULE = Rule(
    list,
    "a list of stances to count, at least one of "
    + ", ".join(repr(s) for s in COUNTABLE_STANCES)
    + " (a denial never counts)",
    lambda name, value: list(check_stances(value, name)),
)
register("counted_stances", STANCES_RULE)
MIN_CHANGE_DEATHS_RULE = number(0.0, 10000.0)
MIN_CHANGE_PERCENT_RULE = number(0.0, 1000.0)
ROBUST_SHARE_RULE = number(0.51, 1.0)
MEASURABLE_RULE = number(0.01, 1.0)
register("min_change_deaths", MIN_CHANGE_DEATHS_RULE)
register("min_change_percent", MIN_CHANGE_PERCENT_RULE)
register("robust_share", ROBUST_SHARE_RULE)
register("measurable_share", MEASURABLE_RULE)
