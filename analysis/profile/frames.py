"""One country's risk profile: the seed's threat statements against it, what UCDP observed there,
its key figures (dataset versions read from the data) and a summary in words computed from them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import observed
from ..exceptions import ParameterError
from ..risk.assessment import Weights, assess_exposure
from ..risk.indicators import load_observed
from ..risk.prose import Prose
from ..tables import load_ucdp_brd, load_ucdp_country_year

DataDir = str | os.PathLike | None


COUNTRIES = observed.OBSERVED_COUNTRIES  # the countries a profile can be drawn for


SEED = "seed article (Asia Times, Sept. 2021), exposure formula with the default weights"


@dataclass(frozen=True)
class Profile:
    """Everything a country profile shows, as frames (see :func:`country_profile`)."""

    country: str
    label: str
    baseline: tuple[int, int]
    comparison: tuple[int, int]
    violence_types: tuple[str, ...]
    weights: Weights
    exposure: pd.DataFrame  # the country's row of risk.exposure (empty: no statement names it)
    states_assessed: int  # states the seed's threat statements reach (ranks are out of these)
    contributions: pd.DataFrame  # one row per threat statement reaching it and period
    by_type: pd.DataFrame  # deaths per year and violence type (observed.deaths_by_type)
    change: pd.DataFrame  # one row: mean deaths a year in each window, change
    battle: pd.DataFrame  # BRD battle deaths per year and actor group
    versions: dict[str, str] = field(default_factory=dict)  # dataset -> release, from the data
    covered: dict[str, tuple[int, int]] = field(default_factory=dict)  # dataset -> years


def dataset_versions(
    data_dir: DataDir = None, *, tables: dict[str, pd.DataFrame] | None = None
) -> tuple[dict[str, str], dict]:
    """The UCDP releases and the years they cover, read from the tables themselves:
    ``({"ucdp_country_year": "25.1", ...}, {"ucdp_country_year": (2015, 2024), ...})``.
    ``tables`` gives the tables already loaded (by name), so they are not read again."""
    loaders = {"ucdp_country_year": load_ucdp_country_year, "ucdp_brd": load_ucdp_brd}
    tables = tables or {}
    versions, covered = {}, {}
    for name, load in loaders.items():
        frame = tables[name] if tables.get(name) is not None else load(data_dir)
        versions[name] = ", ".join(sorted(set(frame["version"].astype(str))))
        covered[name] = (int(frame["year"].min()), int(frame["year"].max()))
    return versions, covered


def country_profile(
    country: str,
    baseline_years: Sequence[int] = observed.DEFAULT_BASELINE,
    comparison_years: Sequence[int] = observed.DEFAULT_COMPARISON,
    violence_types: Iterable[str] = observed.VIOLENCE_TYPES,
    data_dir: DataDir = None,
) -> Profile:
    """The profile of ``country`` (ISO3, one of :data:`COUNTRIES`) for two windows."""
    if country not in COUNTRIES:
        raise ParameterError(
            f"country must be one of {', '.join(COUNTRIES)}; got {country!r}", "country"
        )
    base, comp = observed.check_windows(baseline_years, comparison_years)
    weights = Weights()
    _, contributions, exposure = assess_exposure(weights, data_dir)
    obs = load_observed(violence_types, data_dir)
    by_type = observed.deaths_by_type(obs.cells, obs.violence_types, western_europe=False)
    totals = observed.country_year_deaths(obs.cells, obs.violence_types, western_europe=False)
    totals = totals[totals["iso3"] == country]
    # the tables load_observed read: the same files, not read and validated again
    versions, covered = dataset_versions(tables={"ucdp_country_year": obs.cy, "ucdp_brd": obs.brd})
    return Profile(
        country=country,
        label=observed.label(country),
        baseline=base,
        comparison=comp,
        violence_types=obs.violence_types,
        weights=weights,
        exposure=exposure[exposure["iso3"] == country].reset_index(drop=True),
        states_assessed=len(exposure),
        contributions=contributions[
            (contributions["iso3"] == country) & (contributions["contribution"] > 0)
        ].reset_index(drop=True),
        by_type=by_type[by_type["iso3"] == country].reset_index(drop=True),
        change=observed.compare_windows(totals, base, comp),
        battle=observed.battle_deaths_by_group(obs.brd, [country], obs.actor_map),
        versions=versions,
        covered=covered,
    )


def threat_table(profile: Profile) -> pd.DataFrame:
    """The seed's threat statements against the country: period, militant group, relation,
    the quoted wording, strength, the group of states it came through, contribution, quote."""
    columns = ["period", "subject", "relation", "wording", "strength", "via", "contribution"]
    table = profile.contributions[[*columns, "relation_id", "quote"]]
    return table.sort_values(["period", "contribution"], ascending=[True, False]).reset_index(
        drop=True
    )


def _window_years(window: tuple[int, int], covered: tuple[int, int]) -> tuple[int, int] | None:
    first, last = max(window[0], covered[0]), min(window[1], covered[1])
    return (first, last) if first <= last else None


def _battle_in(profile: Profile) -> tuple[tuple[int, int] | None, float | None, str | None, float]:
    """Battle deaths located in the country over the comparison window's covered years: the
    years, the total (None when BRD covers none of them), the largest group and its deaths."""
    years = _window_years(profile.comparison, profile.covered["ucdp_brd"])
    if years is None:
        return None, None, None, np.nan
    part = profile.battle[profile.battle["year"].between(*years)]
    if part.empty:  # BRD lists no dyad located there in those years: none recorded
        return years, 0.0, None, np.nan
    by_group = part.groupby("actor_group")["deaths"].sum().sort_values(ascending=False)
    return years, float(part["deaths"].sum()), str(by_group.index[0]), float(by_group.iloc[0])


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _fmt(value) -> str:
    if value is None or pd.isna(value):
        return "missing"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def key_figures(profile: Profile) -> pd.DataFrame:
    """The profile's headline numbers as figure records (id, label, value, unit, source,
    text): what the page's key-figures cell shows and the report exports. Missing stays None."""
    cy = f"UCDP country-year v{profile.versions['ucdp_country_year']}"
    brd = f"UCDP BRD v{profile.versions['ucdp_brd']}"
    name = profile.label
    rows = []
    labels = {
        "exposure_after": ("Seed-assessed exposure after 31 Aug 2021", "after", "{:.2f}"),
        "exposure_shift": ("Seed-assessed shift (after − before)", "shift", "{:+.2f}"),
    }
    for key, (label, column, shown) in labels.items():
        if profile.exposure.empty:  # the article does not assess it: no score, not zero
            text, value = f"no threat statement of the article reaches {name}", None
        else:
            row = profile.exposure.iloc[0]
            value = _num(row[column])
            rank = row["rank_after" if column == "after" else "rank_shift"]
            text = f"{shown.format(row[column])} (rank {rank} of {profile.states_assessed})"
        rows.append((key, label, value, "score", SEED, text))
    after = int((profile.contributions["period"] == "after").sum())
    rows.append(
        ("statements_after", "Threat statements reaching it after 31 Aug 2021", after,
         "statements", "seed article (Asia Times, Sept. 2021)", f"{after}")
    )  # fmt: skip
    change = profile.change.iloc[0] if not profile.change.empty else None
    for key, column, used in (
        ("deaths_baseline", "baseline_mean", "baseline_used"),
        ("deaths_comparison", "comparison_mean", "comparison_used"),
    ):
        value = change[column] if change is not None else np.nan
        years = change[used] if change is not None else "not covered"
        rows.append(
            (key, f"Organised-violence deaths a year, {years}", _num(value), "deaths per year",
             cy, f"{_fmt(value)} deaths a year")
        )  # fmt: skip
    delta = change["change"] if change is not None else np.nan
    rows.append(
        ("deaths_change", "Change in organised-violence deaths a year", _num(delta),
         "deaths per year", cy, "missing" if pd.isna(delta) else f"{delta:+,.1f} deaths a year")
    )  # fmt: skip
    years, total, group, group_deaths = _battle_in(profile)
    span = f"{years[0]}–{years[1]}" if years else "after the data's coverage"
    rows.append(
        ("battle_deaths", f"Battle deaths in conflicts located in {name}, {span}", _num(total),
         "deaths", brd,
         "not covered" if total is None
         else f"{_fmt(total)}" + (f"; most ({_fmt(group_deaths)}) with {group}" if group else
                                  " recorded (dyads of 25 or more a year)"))
    )  # fmt: skip
    return pd.DataFrame(rows, columns=["id", "label", "value", "unit", "source", "text"])


def summary(profile: Profile) -> Prose:
    """The profile in a few sentences, every number computed from the profile's frames."""
    name, figures = profile.label, key_figures(profile).set_index("id")
    parts = []
    if profile.exposure.empty:
        parts.append(
            f"**{name}.** No threat statement of the seed article reaches {name}: the article "
            "does not assess it, so it has no exposure score (not a score of zero)."
        )
    else:
        row = profile.exposure.iloc[0]
        groups = sorted(
            set(profile.contributions.loc[profile.contributions["period"] == "after", "subject"])
        )
        parts.append(
            f"**{name}.** The seed article's threat statements give {name} an exposure of "
            f"{row['before']:.2f} before and {row['after']:.2f} after 31 August 2021 "
            f"({int(row['edges_before'])} and {int(row['edges_after'])} statements), rank "
            f"{row['rank_after']} of {profile.states_assessed} states after the withdrawal"
            + (f"; the threat after it comes from {', '.join(groups)}." if groups else ".")
        )
    base, comp = figures.loc["deaths_baseline"], figures.loc["deaths_comparison"]
    parts.append(
        f"UCDP recorded {base['text']} in organised violence in {name} in "
        f"{base['label'].rsplit(', ', 1)[-1]} and {comp['text']} in "
        f"{comp['label'].rsplit(', ', 1)[-1]} ({figures.loc['deaths_change', 'text']}; "
        f"{base['source']})."
    )
    battle = figures.loc["battle_deaths"]
    parts.append(f"{battle['label']}: {battle['text']} ({battle['source']}).")
    return Prose(" ".join(parts))
