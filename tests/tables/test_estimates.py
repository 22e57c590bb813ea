"""UCDP estimates out of order (low above best, high below it) are data warnings: named by file,
row and column, never failing validation, never used as a bound."""

from __future__ import annotations

import csv
import math
import shutil

from analysis.tables import estimates, validate
from analysis.tables.datadir import package_data_dir

CY = "ucdp_organized_violence_country_year_v25_1_2015_2024.csv"


def _raw(name: str, row: int) -> dict:
    with (package_data_dir() / "external" / name).open(encoding="utf-8-sig", newline="") as h:
        return list(csv.DictReader(h))[row - 1]


def test_the_known_out_of_order_rows_are_reported_with_file_row_and_column():
    warnings = estimates.estimate_warnings()
    where = {(w.file, w.column, w.row) for w in warnings}
    russia = next(
        w for w in warnings if w.column == "sb_total_deaths_high_cy" and "Russia" in w.message
    )
    raw = _raw(CY, russia.row)  # the row number points at the file's own row
    assert (raw["country_cy"].strip(), raw["year_cy"]) == ("Russia (Soviet Union)", "2024")
    assert int(raw["sb_total_deaths_high_cy"]) < int(raw["sb_total_deaths_best_cy"])
    countries = {w.message.split("(")[-1].split(",")[0] for w in warnings}
    assert {"Armenia", "Colombia"} <= countries
    assert all(
        f in (CY, "ucdp_battle_related_deaths_dyadic_v24_1_2015_2023.csv") for f, _, _ in where
    )
    for w in warnings:  # each one is what it says: read independently from the raw file
        raw = _raw(w.file, w.row) if w.file == CY else None
        if raw is not None:
            best = int(raw[w.column.replace("_high_", "_best_").replace("_low_", "_best_")])
            value = int(raw[w.column])
            assert value < best if "_high_" in w.column else value > best


def test_validation_passes_and_carries_the_warnings():
    report = validate.validate_data()
    assert report.ok
    assert len(report.warnings) == len(estimates.estimate_warnings()) > 0


def test_a_corrected_file_has_no_warning(tmp_path):
    source = package_data_dir() / "external" / CY
    with source.open(encoding="utf-8-sig", newline="") as h:
        rows = list(csv.DictReader(h))
    for row in rows:
        for key in list(row):
            if key.endswith("_high_cy"):
                best = key.replace("_high_", "_best_")
                row[key] = str(max(int(row[key]), int(row[best])))
            if key.endswith("_low_cy"):
                best = key.replace("_low_", "_best_")
                row[key] = str(min(int(row[key]), int(row[best])))
    with (tmp_path / CY).open("w", encoding="utf-8", newline="") as h:
        writer = csv.DictWriter(h, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shutil.copy(package_data_dir() / "mappings" / "country_codes.csv", tmp_path)
    left = [w for w in estimates.estimate_warnings(tmp_path) if w.file == CY]
    assert left == []


def test_ordered_never_returns_an_out_of_order_bound():
    assert estimates.ordered(1, 2, 3) == (1.0, 3.0)
    low, high = estimates.ordered(158, 146, 217)
    assert math.isnan(low) and high == 217.0
    assert all(math.isnan(v) for v in estimates.ordered(None, 5, None))
