"""What the observed side covers: countries (Afghanistan, its neighbours, Russia, India, the
US, Western Europe), years, UCDP violence types, and the checks of window and country parameters.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import numpy as np

from ..exceptions import ParameterError, shown

DataDir = str | os.PathLike | None


NEIGHBOURS = ("PAK", "IRN", "CHN", "TJK", "UZB", "TKM")


OBSERVED_COUNTRIES = ("AFG", *NEIGHBOURS, "RUS", "IND", "USA")


# Western Europe: nine large Western European states, this report's choice (the seed names
# "Europe", "Western nations" and Vienna; it lists no states). Summed as WEU in the charts.
WESTERN_EUROPE = ("GBR", "FRA", "DEU", "AUT", "BEL", "NLD", "ESP", "ITA", "SWE")


WEU = "WEU"  # the code of the Western Europe aggregate in this module's frames (not ISO 3166)


ALLOWED_COUNTRIES = (*OBSERVED_COUNTRIES, *WESTERN_EUROPE)


COUNTRY_LABELS = {
    "AFG": "Afghanistan",
    "PAK": "Pakistan",
    "IRN": "Iran",
    "CHN": "China",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "TKM": "Turkmenistan",
    "RUS": "Russia",
    "IND": "India",
    "USA": "United States",
    "GBR": "United Kingdom",
    "FRA": "France",
    "DEU": "Germany",
    "AUT": "Austria",
    "BEL": "Belgium",
    "NLD": "Netherlands",
    "ESP": "Spain",
    "ITA": "Italy",
    "SWE": "Sweden",
    WEU: "Western Europe",
    "KAZ": "Kazakhstan",  # shown on the seed's side (Central Asia), not in the observed set
    "KGZ": "Kyrgyzstan",
}


YEARS = (2015, 2024)


VIOLENCE_TYPES = ("state_based", "non_state", "one_sided")


VIOLENCE_LABELS = {
    "state_based": "state-based",
    "non_state": "non-state",
    "one_sided": "one-sided",
}


# the parts a violence type splits into: (part name, country-year violence_type it reads)
PARTS = {
    "state_based": (
        ("intrastate", "state_based_intrastate"),
        ("interstate", "state_based_interstate"),
    ),
    "non_state": (("non_state", "non_state"),),
    "one_sided": (("government", "one_sided_any_govt"), ("non_state_group", "one_sided_nsgroup")),
}


DEFAULT_BASELINE = (2018, 2020)


DEFAULT_COMPARISON = (2022, 2024)


def label(code: str) -> str:
    """The display name of an observed country code (``WEU`` is Western Europe)."""
    return COUNTRY_LABELS.get(code, code)


def check_countries(countries: Iterable[str], name: str = "countries") -> list[str]:
    """The codes as a list, or ParameterError naming the first one not in the observed set."""
    out = list(countries)
    allowed = set(ALLOWED_COUNTRIES) | {WEU}
    for code in out:
        if code not in allowed:
            raise ParameterError(
                f"{name}: unknown ISO3 code {code!r}; allowed: " + ", ".join(ALLOWED_COUNTRIES)
            )
    return out


def check_violence_types(types: Iterable[str]) -> list[str]:
    out = list(types)
    bad = [t for t in out if t not in VIOLENCE_TYPES]
    if bad or not out:
        raise ParameterError(
            f"violence_types must be a non-empty list of {', '.join(VIOLENCE_TYPES)}; "
            f"got {shown(out)}"
        )
    return out


def check_window(window: Sequence[int], name: str) -> tuple[int, int]:
    if len(window) != 2 or not all(isinstance(y, (int, np.integer)) for y in window):
        raise ParameterError(f"{name} must be [first year, last year]; got {shown(window)}")
    first, last = int(window[0]), int(window[1])
    if first > last:
        raise ParameterError(f"{name} must run forward (first <= last); got {[first, last]}")
    return first, last


def check_windows(baseline: Sequence[int], comparison: Sequence[int]) -> tuple[tuple, tuple]:
    """Both windows as (first, last) tuples; the baseline must end before the comparison starts."""
    base = check_window(baseline, "baseline_years")
    comp = check_window(comparison, "comparison_years")
    if base[1] >= comp[0]:
        raise ParameterError(
            f"baseline_years {list(base)} must end before comparison_years {list(comp)} start"
        )
    return base, comp
