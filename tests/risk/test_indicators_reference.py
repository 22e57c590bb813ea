"""The indicator series, read from rows picked once per Observed, equal the frame-filtering
computation they replaced (kept here as the reference): every indicator the claim tests run,
on each of UCDP's estimates, on the shipped data, and the whole specification grid with it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import observed
from analysis.risk import CLAIM_TESTS, indicators, load_observed
from analysis.risk.indicators import BRD_THRESHOLD, SERIES_COLUMNS, Observed, _member_test
from analysis.tables.estimates import ordered


def _reference_brd_part(obs, dyads, iso3, year, estimate):
    brd = obs.brd
    if year > int(brd["year"].max()) or year < int(brd["year"].min()):
        return None
    rows = brd[brd["year"] == year]
    names = [f"{a} - {b}" for a, b in zip(rows["side_a"], rows["side_b"], strict=True)]
    lower = upper = 0.0
    for dyad in dyads:
        hits = [i for i, n in enumerate(names) if n == dyad]
        if not hits:
            upper += BRD_THRESHOLD
            continue
        row = rows.iloc[hits[0]]
        if iso3 not in row["location_iso3"] or iso3 not in row["battle_iso3"]:
            return None
        low, high = ordered(row["bd_low"], row["bd_best"], row["bd_high"])
        value = {"best": float(row["bd_best"]), "low": low, "high": high}[estimate]
        if pd.isna(value):
            return None
        lower += value
        upper += value
    return lower, upper


def reference_cell_series(obs: Observed, ind, estimate: str) -> pd.DataFrame:
    cells = obs.cells_for(estimate)
    types = ind.types or obs.violence_types
    member = _member_test(obs, ind)
    single = ind.kind == "actors"
    part = cells[cells["iso3"].isin(ind.countries) & cells["violence_type"].isin(types)]
    rows = []
    for year, g in part.groupby("year", sort=True):
        year = int(year)
        lower = upper = 0.0
        known = True
        notes: list[str] = []
        if single and not set(ind.actors) & obs.present.get(year, set()):
            rows.append(
                dict(
                    year=year,
                    deaths=np.nan,
                    lower=0.0,
                    upper=math.inf,
                    status="not in UCDP this year",
                )
            )
            continue
        for r in g.itertuples(index=False):
            mine = [d for d in r.dyads if member(d, r.iso3, year)]
            if not mine:
                continue
            if len(mine) == len(r.dyads) and not pd.isna(r.deaths):
                lower += r.deaths
                upper += r.deaths
                continue
            brd = (
                _reference_brd_part(obs, mine, r.iso3, year, estimate)
                if r.violence_type == "state_based" and r.status != "estimate out of order"
                else None
            )
            if brd is not None and brd[0] == brd[1]:
                lower += brd[0]
                upper += brd[1]
                notes.append(f"{observed.label(r.iso3)}: {r.part} from BRD")
                continue
            known = False
            total = r.deaths if not pd.isna(r.deaths) else r.deaths_reported
            cap = math.inf if pd.isna(total) or r.status == "estimate out of order" else total
            if brd is not None:
                lower += brd[0]
                upper += min(brd[1], cap)
            else:
                upper += cap
            why = (
                "shares its total with an excluded dyad"
                if r.status == "not separable"
                else "estimate out of order"
                if r.status == "estimate out of order"
                else "shares its total with other dyads"
            )
            notes.append(f"{observed.label(r.iso3)}: {r.part} {why} (not separable)")
        rows.append(
            dict(
                year=year,
                deaths=lower if known else np.nan,
                lower=lower,
                upper=upper,
                status="; ".join(notes) if notes else "reported",
            )
        )
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    out.attrs["covered"] = (int(obs.cells["year"].min()), int(obs.cells["year"].max()))
    return out


CELL_KINDS = ("organised_violence", "actors", "family", "cy_dyad")
INDICATORS = sorted(
    {
        ind.normalised()
        for test in CLAIM_TESTS
        for pair in test.pairs()
        for ind in pair
        if ind is not None and ind.normalised().kind in CELL_KINDS
    },
    key=repr,
)


@pytest.fixture(scope="module")
def obs():
    return load_observed()


def test_the_indicators_cover_every_kind_of_part():
    assert {i.kind for i in INDICATORS} == set(CELL_KINDS)
    assert any(i.isis_k_only for i in INDICATORS)


@pytest.mark.parametrize("estimate", ["best", "low", "high"])
def test_every_indicator_series_equals_the_reference(obs, estimate):
    statuses = []
    for ind in INDICATORS:
        ours = indicators.indicator_series(obs, ind, estimate)
        theirs = reference_cell_series(obs, ind, estimate)
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
        assert ours.attrs == theirs.attrs
        statuses += list(ours["status"])
    # the series pass through every branch: BRD parts, shared totals, years UCDP lacks the actor
    text = " ".join(statuses)
    assert "from BRD" in text and "(not separable)" in text and "not in UCDP this year" in text


def test_a_country_named_twice_counts_once(obs):
    ind = next(i for i in INDICATORS if i.kind == "organised_violence")
    twice = ind.with_countries(ind.countries + ind.countries[:1])
    pd.testing.assert_frame_equal(
        indicators.indicator_series(obs, twice), reference_cell_series(obs, twice, "best")
    )
