"""Each seed-table schema rejects a bad file with a message naming file, row and column."""

from __future__ import annotations

import pytest

from analysis import tables
from analysis.exceptions import DataError
from analysis.tables.validate import validate_data


def test_minimal_fixture_is_valid(seed_min):
    report = validate_data(seed_min)
    assert [str(p) for p in report.problems] == []
    funding = tables.load_funding(seed_min)
    assert funding["amount_usd"].tolist() == [9.5e9, 7e9]


# (table, old text, new text, expected message parts)
DEFECTS = {
    "wrong type": (
        "funding.csv",
        "9500000000",
        "9.5 billion",
        ["funding.csv", "row 1", "'amount_usd'", "'9.5 billion' is not a valid number"],
    ),
    "negative amount": (
        "funding.csv",
        "7000000000",
        "-7000000000",
        ["funding.csv", "row 2", "'amount_usd'"],
    ),
    "bad date": (
        "events.csv",
        "2021-08-26",
        "2021-08-32",
        ["events.csv", "row 1", "'date'", "'2021-08-32' is not a valid date"],
    ),
    "duplicate id": (
        "relations.csv",
        "\n",
        "\nR001,usa,freezes,dab,both,frozen,asiatimes-2021-09,"
        "The US has already frozen,2021-09-01,month,,asserted,author,,on\n",
        ["relations.csv", "'relation_id'", "duplicate value 'R001'"],
    ),
    "value outside vocabulary": (
        "relations.csv",
        "freezes",
        "befriends",
        ["relations.csv", "row 1", "'relation'", "befriends"],
    ),
    "negative death count": ("events.csv", ",170,", ",-170,", ["events.csv", "row 1", "'killed'"]),
    "bad iso3": ("actors.csv", ",USA,", ",usa,", ["actors.csv", "row 1", "'iso3'"]),
    "amount with not_stated": (
        "funding.csv",
        "exact",
        "not_stated",
        ["funding.csv", "amount_usd must be empty"],
    ),
    "unexpected column": (
        "claims.csv",
        "claim_id,",
        "claim_id,extra,",
        ["claims.csv", "'extra'", "unexpected column"],
    ),
}


@pytest.mark.parametrize("defect", DEFECTS, ids=list(DEFECTS))
def test_schema_rejects(seed_min, defect):
    name, old, new, expected = DEFECTS[defect]
    if defect == "unexpected column":
        text = seed_min.file(name).read_text(encoding="utf-8").splitlines()
        text = [text[0].replace(old, new)] + [line.replace(",", ",x,", 1) for line in text[1:]]
        seed_min.file(name).write_text("\n".join(text) + "\n", encoding="utf-8")
    else:
        seed_min.replace(name, old, new)
    loader = getattr(tables, f"load_{name.removesuffix('.csv')}")
    with pytest.raises(DataError) as err:
        loader(seed_min)
    message = str(err.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_missing_column_is_named(seed_min):
    seed_min.drop_column("funding.csv", "amount_qualifier")
    with pytest.raises(DataError, match="funding.csv, column 'amount_qualifier': required column"):
        tables.load_funding(seed_min)


def test_ragged_row_is_named(seed_min):
    seed_min.replace("funding.csv", "F02,usa,", "F02,usa,extra,")
    with pytest.raises(DataError, match="funding.csv, row 2: has 16 fields, the header has 15"):
        tables.load_funding(seed_min)


def test_empty_file_is_rejected(seed_min):
    seed_min.write_bytes("claims.csv", b"")
    with pytest.raises(DataError, match=r"^claims.csv: is empty"):
        tables.load_claims(seed_min)


def test_header_only_file_is_rejected(seed_min):
    header = seed_min.file("claims.csv").read_bytes().splitlines()[0]
    seed_min.write_bytes("claims.csv", header + b"\n")
    with pytest.raises(DataError, match="header but no data rows"):
        tables.load_claims(seed_min)


def test_non_utf8_bytes_are_rejected_with_the_line(seed_min):
    raw = seed_min.file("actors.csv").read_bytes().replace(b"ISIS-K,", b"ISIS-K\xe9,")
    seed_min.write_bytes("actors.csv", raw)
    with pytest.raises(DataError, match=r"actors.csv: is not UTF-8: byte 0xe9 on line 4"):
        tables.load_actors(seed_min)


def test_every_problem_is_reported_at_once(seed_min):
    seed_min.replace("funding.csv", "9500000000", "lots")
    seed_min.replace("funding.csv", "frozen", "melted")
    seed_min.replace("events.csv", "2021-08-26", "yesterday")
    report = validate_data(seed_min)
    where = sorted((p.file, p.row, p.column) for p in report.problems)
    assert where == [
        ("events.csv", 1, "date"),
        ("funding.csv", 1, "amount_usd"),
        ("funding.csv", 2, "measure"),
    ]
