"""A tidied table is kept per process: tidied again when a file it was made from changed, and
never changed by what a caller does with the frame it got."""

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import tables
from analysis.tables import datadir, registry

SHIPPED = datadir.package_data_dir()
BRD = "ucdp_battle_related_deaths_dyadic_v24_1_2015_2023.csv"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A data directory with its own BRD table and actor map (joined when BRD is tidied)."""
    registry._CACHE.clear()
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(SHIPPED / "external" / BRD, target / BRD)
    shutil.copy(SHIPPED / "mappings" / "ucdp_actor_map.csv", target / "ucdp_actor_map.csv")
    yield target
    registry._CACHE.clear()


@pytest.fixture
def tidied(monkeypatch) -> list:
    """The tables tidied from now on (a spy)."""
    calls = []
    real = registry._tidied

    def spy(spec, data_dir, path=None):
        calls.append(spec.name)
        return real(spec, data_dir, path)

    monkeypatch.setattr(registry, "_tidied", spy)
    return calls


def _edit(path: Path, old: str, new: str) -> None:
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a coarse clock too


def test_a_table_is_tidied_once_and_equals_a_fresh_tidy(data, tidied):
    first = tables.load_ucdp_brd(data)
    again = tables.load_ucdp_brd(data)
    assert tidied.count("ucdp_brd") == 1
    pd.testing.assert_frame_equal(again, first)
    registry._CACHE.clear()
    pd.testing.assert_frame_equal(tables.load_ucdp_brd(data), first)


def test_a_caller_changing_its_frame_changes_no_later_load(data):
    first = tables.load_ucdp_brd(data)
    expected = first.copy()
    expected["seed_actor_ids"] = [list(v) for v in first["seed_actor_ids"]]
    first.loc[0, "bd_best"] = -1
    for ids in first["seed_actor_ids"]:
        ids.append("changed")
    first.pop("year")
    again = tables.load_ucdp_brd(data)
    pd.testing.assert_frame_equal(again, expected)


def test_a_changed_table_file_is_read_and_tidied_again(data, tidied):
    before = tables.load_ucdp_brd(data)
    _edit(data / BRD, "Government of Afghanistan", "Government of Afghanistam")
    after = tables.load_ucdp_brd(data)
    assert tidied.count("ucdp_brd") == 2
    assert "Government of Afghanistam" in set(after["side_a"]) - set(before["side_a"])


def test_a_changed_lookup_file_means_tidying_again(data, tidied):
    tables.load_ucdp_brd(data)
    _edit(data / "ucdp_actor_map.csv", "UCDP has no separate", "UCDP has no own")
    tables.load_ucdp_brd(data)
    assert tidied.count("ucdp_brd") == 2


def test_a_lookup_file_added_to_the_data_directory_means_tidying_again(data, tidied):
    tables.load_ucdp_brd(data)
    shutil.copy(SHIPPED / "mappings" / "country_codes.csv", data / "country_codes.csv")
    tables.load_ucdp_brd(data)
    assert tidied.count("ucdp_brd") == 2


def test_a_kept_table_is_logged_and_remembered_as_a_load(data, tmp_path, monkeypatch):
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(datadir.READS_ENV_VAR, str(log))
    tables.load_ucdp_brd(data)
    first = log.read_text(encoding="utf-8").splitlines()
    tables.load_country_codes()  # the shipped file, remembered as the last one read
    log.write_text("", encoding="utf-8")
    tables.load_ucdp_brd(data)
    assert set(log.read_text(encoding="utf-8").splitlines()) == set(first)  # lookups too
    assert {json.loads(line)["table"] for line in first} >= {"ucdp_brd", "ucdp_actor_map"}
    codes = SHIPPED / "mappings" / "country_codes.csv"
    assert registry.last_loaded("country_codes") == (codes, data)  # as the tidy step read it
