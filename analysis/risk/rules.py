"""The regional-risk report's parameter rules: focus countries, the two windows, violence types,
the five exposure weights, how a threat to a group of states is spread over its members,
which stances of the article's threat statements count, and the thresholds of the robust
verdicts (minimum change, robust and measurable shares; the brief uses the same names)."""

from __future__ import annotations

from .. import rules
from ..exceptions import ParameterError
from ..observed import scope
from ..rules import (
    Rule,
    choice,
    choices,
    iso3_list,
    number,
    register,
    register_relation,
    year_range,
)
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


def _data_years() -> tuple[int, int]:
    """The first and last year of UCDP's country-year table in the data_dir checked alongside
    (else $AFGHAN_BRIEF_DATA's, the installed set's, the shipped one)."""
    from ..tables import load_ucdp_country_year

    years = load_ucdp_country_year(rules.current_data_dir())["year"]
    return int(years.min()), int(years.max())


def check_windows(baseline_years: list[int], comparison_years: list[int]) -> None:
    """The comparison window starts after the baseline ends (before and after the withdrawal),
    and neither lies wholly outside the years the data cover (one that overlaps them is used
    over the years it shares, as the report says)."""
    base, comp = list(baseline_years), list(comparison_years)
    if base[1] >= comp[0]:
        how = "overlaps" if comp[1] >= base[0] else "lies before"
        raise ParameterError(
            f"parameter 'comparison_years' {comp} {how} baseline_years {base}: the comparison "
            "window must start after the baseline ends",
            "comparison_years",
        )
    first, last = _data_years()
    for name, window in (("baseline_years", base), ("comparison_years", comp)):
        if window[1] < first or window[0] > last:
            raise ParameterError(
                f"parameter '{name}' {window} lies outside the data: UCDP's country-year table "
                f"covers {first}–{last}",
                name,
            )


register_relation(
    ("baseline_years", "comparison_years"),
    check_windows,
    "comparison_years starts after baseline_years ends; each window overlaps the data's years",
)
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
