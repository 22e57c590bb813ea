"""The indicator-family table: one list of the UCDP actors counted as 'jihadist violence', each
with a reason, validated like every table, and read the same for every country."""

from __future__ import annotations

import shutil

import pytest

import analysis
from analysis.exceptions import DataError
from analysis.tables import catalog, indicators
from analysis.tables.datadir import package_data_dir

SHIPPED = package_data_dir() / "mappings" / "indicator_families.csv"


def _copy(tmp_path, old: str, new: str):
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "indicator_families.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_the_table_is_registered_and_validated_with_the_others():
    assert catalog.get_spec("indicator_families") is indicators.INDICATOR_FAMILIES
    report = analysis.validate_data()
    assert "indicator_families" in {t.name for t in report.tables}
    assert report.ok


def test_the_jihadist_family_holds_the_groups_the_article_names_and_their_branches():
    members = indicators.family_members(indicators.load_indicator_families(), "jihadist")
    assert {members[a] for a in ("IS", "TTP", "Jaish al-Adl", "al-Qaida", "ETIM")} == {
        "IS",
        "TTP",
        "Jaish al-Adl",
        "al-Qaida",
        "ETIM",
    }
    assert members["HGB"] == members["TJP"] == members["Jamaat-ul-Ahrar"] == "TTP"
    assert members["AQAP"] == "al-Qaida"
    assert "LeJ" not in members  # considered, left out, and the table says why


def test_every_row_says_why():
    families = indicators.load_indicator_families()
    assert families["note"].str.len().min() > 10
    left_out = families[~families["counted"]]
    assert len(left_out) >= 1 and left_out["branch"].isna().all()


def test_an_unknown_family_names_the_known_ones():
    with pytest.raises(KeyError, match="known: jihadist"):
        indicators.family_members(indicators.load_indicator_families(), "separatist")


def test_a_counted_actor_without_a_branch_is_a_data_error(tmp_path):
    data = _copy(tmp_path, "jihadist,356,TTP,TTP,true", "jihadist,356,TTP,,true")
    with pytest.raises(DataError) as err:
        indicators.load_indicator_families(data)
    assert "indicator_families.csv" in str(err.value)
    assert "a counted actor needs a branch" in str(err.value)


def test_counted_must_be_true_or_false_naming_row_and_column(tmp_path):
    data = _copy(tmp_path, "jihadist,356,TTP,TTP,true", "jihadist,356,TTP,TTP,yes")
    with pytest.raises(DataError) as err:
        indicators.load_indicator_families(data)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("indicator_families.csv", 2, "counted")


def test_a_user_directory_replaces_the_table(tmp_path):
    shutil.copy(SHIPPED, tmp_path / "indicator_families.csv")
    text = (tmp_path / "indicator_families.csv").read_text(encoding="utf-8")
    (tmp_path / "indicator_families.csv").write_text(
        text.replace(
            "jihadist,4364,Jaish al-Adl,Jaish al-Adl,true", "jihadist,4364,Jaish al-Adl,,false"
        ),
        encoding="utf-8",
    )
    members = indicators.family_members(indicators.load_indicator_families(tmp_path), "jihadist")
    assert "Jaish al-Adl" not in members and "IS" in members
