"""Quotes are verbatim, numbers appear in their quotes, and every id a row names exists."""

from __future__ import annotations

import pytest

from analysis import tables
from analysis.exceptions import DataError
from analysis.tables import provenance

SEED_TABLES = ("sources", "actors", "relations", "funding", "events", "claims")


def _load(data_dir=None) -> dict:
    return {name: getattr(tables, f"load_{name}")(data_dir) for name in SEED_TABLES}


@pytest.fixture(scope="module")
def shipped():
    return _load()


def test_shipped_quotes_are_verbatim_in_their_source(shipped):
    texts = provenance.source_texts(shipped["sources"])
    assert "asiatimes-2021-09" in texts
    assert provenance.check_quotes(shipped, texts) == []
    n_quotes = sum(len(shipped[t]) for t in SEED_TABLES if t != "sources")
    assert n_quotes > 100  # the whole article, not a sample


def test_shipped_numbers_appear_in_their_quotes(shipped):
    assert provenance.check_numbers(shipped) == []


def test_shipped_references_resolve(shipped):
    assert provenance.check_references(shipped) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("around US$7 billion worth", {7.0, 7e9}),
        ("$460 million in emergency reserves", {460.0, 4.6e8}),
        ("killed 170 and 13 US servicemen", {170.0, 13.0}),
        ("some 2,000 largely foreign fighters", {2000.0}),
        ("3.5 bn to be made available", {3.5, 3.5e9}),
        ("280 m USD moved", {280.0, 2.8e8}),
        ("no figures here", set()),
    ],
)
def test_numbers_in_reads_stated_figures(text, expected):
    assert provenance.numbers_in(text) == expected


def test_numbers_in_does_not_read_digits_inside_words():
    assert provenance.numbers_in("ISIS-K and the G7 met") == set()


# (table, old, new, file, row, column, message part)
BROKEN = {
    "quote not verbatim": (
        "events.csv",
        "an assault that killed",
        "an attack that killed",
        "events.csv",
        1,
        "quote",
        "not verbatim",
    ),
    "number not in quote": (
        "events.csv",
        ",170,13,",
        ",175,13,",
        "events.csv",
        1,
        "killed",
        "175 does not appear",
    ),
    "amount not in quote": (
        "funding.csv",
        "7000000000",
        "7500000000",
        "funding.csv",
        2,
        "amount_usd",
        "7.5e+09 does not appear",
    ),
    "unknown actor": (
        "relations.csv",
        "usa,freezes",
        "uss,freezes",
        "relations.csv",
        1,
        "subject_id",
        "unknown actor 'uss'",
    ),
    "unknown actor in a list": (
        "claims.csv",
        ",usa,asiatimes",
        ",usa;narnia,asiatimes",
        "claims.csv",
        1,
        "object_ids",
        "unknown actor 'narnia'",
    ),
    "unknown source": (
        "funding.csv",
        "F01,dab,dab,held,central bank reserves,9500000000,exact,,,asiatimes-2021-09",
        "F01,dab,dab,held,central bank reserves,9500000000,exact,,,blog-2021",
        "funding.csv",
        1,
        "source_id",
        "unknown source 'blog-2021'",
    ),
    "unknown part_of": (
        "funding.csv",
        ",F01,",
        ",F09,",
        "funding.csv",
        2,
        "part_of",
        "unknown measure 'F09'",
    ),
    "wording not in quote": (
        "relations.csv",
        ",frozen,",
        ",seized,",
        "relations.csv",
        1,
        "wording",
        "not part of",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_provenance_rule_catches(seed_min, case):
    name, old, new, file, row, column, part = BROKEN[case]
    seed_min.replace(name, old, new)
    problems = provenance.check_provenance(_load(seed_min), seed_min)
    assert [(p.file, p.row, p.column) for p in problems] == [(file, row, column)]
    assert part in problems[0].message


def test_assert_provenance_raises_with_every_problem(seed_min):
    seed_min.replace("events.csv", ",170,13,", ",175,14,")
    with pytest.raises(DataError) as err:
        provenance.assert_provenance(_load(seed_min), seed_min)
    assert [p.column for p in err.value.problems] == ["killed", "killed_us_military"]
    assert "2 data problems" in str(err.value)


def test_minimal_fixture_passes_every_rule(seed_min):
    assert provenance.check_provenance(_load(seed_min), seed_min) == []
