"""The country-year totals, computed column-wise, equal the group-by-group computation they
replaced (kept here as the reference), on the shipped UCDP data for every estimate, every
selection of violence types and both ways of counting Western Europe."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis import observed
from analysis.observed.cells import VIOLENCE_LABELS, WESTERN_EUROPE, WEU, label
from analysis.risk import load_observed


def _reference_sum(values: pd.Series) -> float:
    return float(values.sum()) if values.notna().all() else np.nan


def _reference_note(group: pd.DataFrame) -> str:
    notes = []
    for row in group.itertuples(index=False):
        if row.status == "not separable":
            notes.append(
                f"{VIOLENCE_LABELS[row.violence_type]} ({row.part}) not separable: "
                f"{', '.join(row.excluded_dyads)} excluded from a total shared with "
                f"{', '.join(row.dyads)}"
            )
        elif row.status == "estimate out of order":
            notes.append(
                f"{VIOLENCE_LABELS[row.violence_type]} ({row.part}): UCDP's estimate out of order "
                "with its best estimate, left out"
            )
        elif row.status == "excluded":
            notes.append(
                f"{row.deaths_reported:,.0f} deaths excluded: {', '.join(row.excluded_dyads)}"
            )
    return "; ".join(notes)


def reference_country_year_deaths(cells, violence_types, *, western_europe=True):
    part = cells[cells["violence_type"].isin(violence_types)].copy()
    if western_europe:
        part["iso3"] = part["iso3"].where(~part["iso3"].isin(WESTERN_EUROPE), WEU)
    grouped = part.groupby(["iso3", "year"], sort=True)
    out = grouped.agg(
        deaths=("deaths", _reference_sum),
        deaths_reported=("deaths_reported", _reference_sum),
        excluded_deaths=("excluded_deaths", _reference_sum),
    ).reset_index()
    out["note"] = [_reference_note(g) for _, g in grouped]
    out.insert(1, "country", out["iso3"].map(label))
    return out


@pytest.fixture(scope="module")
def obs():
    return load_observed()


SELECTIONS = [
    list(c) for n in (1, 2, 3) for c in itertools.combinations(observed.VIOLENCE_TYPES, n)
]


def test_the_data_hold_every_kind_of_note(obs):
    # else the comparison below proves less than it says
    statuses = set().union(*(obs.cells_for(e)["status"] for e in ("best", "low", "high")))
    assert {"not separable", "excluded", "estimate out of order"} <= statuses


@pytest.mark.parametrize("estimate", ["best", "low", "high"])
def test_country_year_deaths_equals_the_reference(obs, estimate):
    cells = obs.cells_for(estimate)
    noted = 0
    for types, weu in itertools.product(SELECTIONS, (True, False)):
        ours = observed.country_year_deaths(cells, types, western_europe=weu)
        theirs = reference_country_year_deaths(cells, types, western_europe=weu)
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
        noted += int((ours["note"] != "").sum())
    assert noted > 0
