"""Data validated once per content (:mod:`analysis.tables.validcache`): a record of exactly
the bytes that passed lets a kernel skip pandera; anything else — a changed byte, another data
directory, a missing, corrupt, truncated, hostile or foreign record — validates as before, with
the same messages, and never crashes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from analysis import tables
from analysis.exceptions import DataError
from analysis.tables import catalog, datadir, registry, validcache
from analysis.tables.validate import validate_data

SHIPPED = datadir.package_data_dir()
# one file of each kind a validation reads (a seed table, a UCDP table, a mapping, a source
# text), and one byte of it to change: a letter of a name, still a valid file
KINDS = {
    "seed": ("funding.csv", "central bank reserves", "central bank reservas"),
    "external": (
        "ucdp_battle_related_deaths_dyadic_v24_1_2015_2023.csv",
        "Government of Afghanistan",
        "Government of Afghanistam",
    ),
    "mappings": ("country_codes.csv", "Canada", "Canade"),
    "texts": ("000_b2957a9caff7a1c7.txt", "frozen around", "frozen aroune"),
}
REQUIRED = [(s.pattern, s.subdir) for s in catalog.all_tables()]


def _record(data_dir) -> validcache.Record:
    """Validate ``data_dir`` as the renderer does (every problem raised) and record it."""
    with validcache.recording() as record:
        validate_data(data_dir).raise_for_problems()
    assert validcache.save(record, data_dir)
    return record


def _forget() -> None:
    """As in a new process: no frame read before, no cache read before."""
    registry._CACHE.clear()
    validcache._LOADED[:] = [None, None]


@pytest.fixture(autouse=True)
def fresh():
    _forget()
    yield
    _forget()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped data recorded once: the cache file's bytes, and every table as a full
    validation (pandera) loads it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(validcache.CACHE_ENV_VAR, str(tmp_path_factory.mktemp("cache")))
        mp.setenv(datadir.HOME_ENV_VAR, str(tmp_path_factory.mktemp("store")))
        mp.delenv(datadir.ENV_VAR, raising=False)
        _forget()
        _record(None)
        frames = {spec.name: tables.load_table(spec) for spec in catalog.all_tables()}
        recorded = validcache.cache_file().read_bytes()
        _forget()
    return recorded, frames


@pytest.fixture
def validations(monkeypatch) -> list[str]:
    """The tables validated with pandera from now on (a spy on the schema check)."""
    seen: list[str] = []
    real = registry.schema_problems

    def spy(frame, schema, file):
        seen.append(file)
        return real(frame, schema, file)

    monkeypatch.setattr(registry, "schema_problems", spy)
    return seen


def _install(recorded: bytes) -> Path:
    path = validcache.cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(recorded)
    return path


def _data_dir(tmp_path: Path) -> Path:
    """A data directory holding a copy of one file of each kind (the rest: shipped)."""
    target = tmp_path / "data"
    target.mkdir()
    for subdir, (name, _, _) in KINDS.items():
        shutil.copy(SHIPPED / subdir / name, target / name)
    return target


def _change_a_byte(data: Path, kind: str) -> Path:
    name, old, new = KINDS[kind]
    before = (data / name).read_bytes()
    after = before.replace(old.encode(), new.encode(), 1)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    (data / name).write_bytes(after)
    return data / name


def test_a_recorded_table_is_read_without_validating_and_equals_the_validated_one(
    shipped, validations
):
    recorded, frames = shipped
    _install(recorded)
    for spec in catalog.all_tables():
        pd.testing.assert_frame_equal(tables.load_table(spec), frames[spec.name], check_exact=True)
    assert validations == []  # not one table went through pandera


def test_without_a_cache_every_table_is_validated_as_today(validations):
    for spec in catalog.all_tables():
        tables.load_table(spec)
    assert len(validations) == len(catalog.all_tables())
    assert not validcache.cache_file().exists()  # a kernel reads the cache, never writes it


def test_a_kernel_reading_recorded_tables_never_imports_pandera(shipped):
    code = (
        "import sys, analysis\n"
        "from analysis.tables import catalog, registry\n"
        "for spec in catalog.all_tables(): registry.load_table(spec)\n"
        "analysis.network.load_graph([], 'both')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandera')[:1])\n"
    )

    def pandera_modules() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
        )
        return done.stdout.strip()

    assert pandera_modules() == "['pandera']"  # no cache: validated, pandera imported
    _install(shipped[0])
    assert pandera_modules() == "[]"


def test_the_renderer_validates_a_data_directory_once(tmp_path, monkeypatch):
    data = _data_dir(tmp_path)
    assert not validcache.known_valid(data, REQUIRED)
    _record(data)
    assert validcache.known_valid(data, REQUIRED)
    assert not validcache.known_valid(None, REQUIRED)  # another place: not this record
    assert not validcache.known_valid(data, [*REQUIRED, ("other.csv", "seed")])


@pytest.mark.parametrize("kind", list(KINDS))
def test_one_changed_byte_in_any_file_read_means_validating_again(tmp_path, kind, validations):
    data = _data_dir(tmp_path)
    record = _record(data)
    assert validcache.known_valid(data, REQUIRED)
    changed = _change_a_byte(data, kind)
    assert str(changed) in {p for ps in record.lookups.values() for p in ps}  # it was read
    _forget()
    validations.clear()
    assert not validcache.known_valid(data, REQUIRED)
    for spec in catalog.all_tables():
        tables.load_table(spec, data)
    assert validations == ([changed.name] if kind != "texts" else [])  # only the changed table


def test_a_defect_in_a_recorded_directory_is_reported_as_without_a_cache(seed_min, validations):
    seed_min.replace("funding.csv", "9500000000", "9.5 billion")
    with pytest.raises(DataError) as uncached:
        tables.load_funding(seed_min)
    plain = [str(p) for p in validate_data(seed_min).problems]
    seed_min.replace("funding.csv", "9.5 billion", "9500000000")
    _forget()
    _record(seed_min)  # the good file recorded
    seed_min.replace("funding.csv", "9500000000", "9.5 billion")  # then one value broken
    _forget()
    with pytest.raises(DataError) as cached:
        tables.load_funding(seed_min)
    assert str(cached.value) == str(uncached.value)
    assert "'9.5 billion' is not a valid number" in str(cached.value)
    assert [str(p) for p in validate_data(seed_min).problems] == plain


def test_a_changed_source_text_is_checked_again_and_its_quote_reported(tmp_path):
    data = _data_dir(tmp_path)
    _record(data)
    _change_a_byte(data, "texts")
    assert not validcache.known_valid(data, REQUIRED)
    problems = [str(p) for p in validate_data(data).problems]
    assert any("quote" in p for p in problems), problems


def test_another_directory_with_other_bytes_never_uses_the_record(tmp_path, validations):
    first, second = tmp_path / "a", tmp_path / "b"
    for target in (first, second):
        target.mkdir()
        shutil.copy(SHIPPED / "seed" / "funding.csv", target / "funding.csv")
    _change_a_byte(second, "seed")
    _record(first)
    _forget()
    validations.clear()
    tables.load_funding(first)
    assert validations == []
    tables.load_funding(second)
    assert validations == ["funding.csv"]
    assert validcache.known_valid(first, REQUIRED)
    assert not validcache.known_valid(second, REQUIRED)


def _stamped(recorded: bytes, **change) -> bytes:
    data = json.loads(recorded)
    data["stamp"] = {**data["stamp"], **change}
    return json.dumps(data).encode()


def _planned(recorded: bytes, table: str, plan) -> bytes:
    data = json.loads(recorded)
    for entry in data["sets"]:
        entry["tables"][table]["columns"] = plan
    return json.dumps(data).encode()


def _int_for_text(recorded: bytes) -> bytes:
    """A forged record: funding's text column 'quote' typed as a whole number."""
    data = json.loads(recorded)
    plan = data["sets"][0]["tables"]["funding"]["columns"]
    return _planned(recorded, "funding", [[c, "int64" if c == "quote" else t] for c, t in plan])


BAD_CACHES = {
    "truncated": lambda r: r[: len(r) // 2],
    "empty": lambda r: b"",
    "not JSON": lambda r: b"\x80\x81 not json",
    "a list": lambda r: b"[]",
    "deeply nested": lambda r: b"[" * 100_000,
    "another package version": lambda r: _stamped(r, package="0.0.1"),
    "another code": lambda r: _stamped(r, code="0" * 64),
    "another pandas": lambda r: _stamped(r, pandas="1.0.0"),
    "another format": lambda r: _stamped(r, format=0),
    "a type not allowed": lambda r: _planned(r, "funding", [["measure_id", "category"]]),
    "a type as code": lambda r: _planned(r, "funding", [["quote", "__import__('os')"]]),
    "columns not the file's": lambda r: _planned(r, "funding", [["nope", "str"]]),
    "a type the text does not take": _int_for_text,
    "a set that is not an object": lambda r: json.dumps(
        {**json.loads(r), "sets": [1, "x", None]}
    ).encode(),
}


ONE_TABLE_FORGED = {  # funding's record only: the rest of the cache is good
    "a type not allowed",
    "a type as code",
    "columns not the file's",
    "a type the text does not take",
}


@pytest.mark.parametrize("bad", BAD_CACHES, ids=list(BAD_CACHES))
def test_a_bad_cache_is_no_cache(shipped, validations, bad):
    recorded, frames = shipped
    _install(BAD_CACHES[bad](recorded))
    funding = tables.load_funding()
    pd.testing.assert_frame_equal(funding, frames["funding"], check_exact=True)
    assert "funding.csv" in validations  # validated, as without a cache
    if bad in ONE_TABLE_FORGED:
        validations.clear()
        tables.load_actors()  # the other tables' records still hold
        assert validations == []
    else:
        assert not validcache.known_valid(None, REQUIRED)


@pytest.mark.parametrize("kind", ["a directory", "a FIFO", "a symlink to /dev/zero", "too big"])
def test_a_cache_path_that_is_no_usable_file_is_no_cache(shipped, validations, kind):
    path = validcache.cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "a directory":
        path.mkdir()
    elif kind == "a FIFO":
        os.mkfifo(path)
    elif kind == "a symlink to /dev/zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(shipped[0] + b" " * validcache.CACHE_CAP)
    tables.load_funding()
    assert validations == ["funding.csv"]
    assert not validcache.known_valid(None, REQUIRED)


def test_a_forged_look_up_outside_the_data_folders_is_refused(shipped):
    data = json.loads(shipped[0])
    data["sets"][0]["inputs"].append(["passwd", "../../../../etc", "/etc/passwd", "0" * 64])
    _install(json.dumps(data).encode())
    assert not validcache.known_valid(None, REQUIRED)


def test_the_cache_is_written_whole_or_not_at_all(shipped, monkeypatch, tmp_path):
    path = _install(shipped[0])
    data = _data_dir(tmp_path)
    with validcache.recording() as record:
        tables.load_funding(data)
    real, renames = os.replace, []

    def interrupted(src, dst):
        renames.append(src)
        if len(renames) == 1:
            assert Path(src).parent == Path(dst).parent == path.parent  # beside it, renamed
            assert json.loads(Path(src).read_bytes())["sets"]  # the new file is whole...
            assert path.read_bytes() == shipped[0]  # ...the old one untouched until the rename
            raise KeyboardInterrupt  # killed before the rename
        return real(src, dst)

    monkeypatch.setattr(validcache.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        validcache.save(record, data)
    assert path.read_bytes() == shipped[0]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    assert validcache.save(record, data)
    saved = json.loads(path.read_bytes())
    assert len(saved["sets"]) == 2  # the shipped data's record is kept beside the new one
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_an_unwritable_cache_directory_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(validcache.CACHE_ENV_VAR, str(blocker / "cache"))
    with validcache.recording() as record:
        tables.load_funding()
    assert validcache.save(record, None) is False


def test_a_file_that_changed_while_it_was_validated_is_not_recorded(tmp_path):
    data = _data_dir(tmp_path)
    with validcache.recording() as record:
        validate_data(data).raise_for_problems()
        _change_a_byte(data, "seed")
        registry._CACHE.clear()
        tables.load_funding(data)  # read again: other bytes
    assert validcache.save(record, data) is False
    assert not validcache.cache_file().exists()


def test_a_stamp_names_the_code_and_the_libraries():
    stamp = validcache.stamp()
    assert set(stamp) == {"format", "package", "code", "python", "pandas", "numpy", "pandera"}
    assert stamp["pandas"] == pd.__version__


def test_tables_this_process_read_before_are_recorded_too(tmp_path):
    for spec in catalog.all_tables():  # read (and kept in memory) before the renderer validates
        tables.load_table(spec)
    record = _record(None)
    assert sorted(record.tables) == sorted(s.name for s in catalog.all_tables())
    assert all(plan is not None for _, plan in record.tables.values())


def test_a_temporary_file_a_killed_writer_left_is_removed_by_the_next_write(tmp_path):
    folder = validcache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old, fresh = folder / ".validated.json.killed.tmp", folder / ".validated.json.other.tmp"
    old.write_text("{half")
    fresh.write_text("{being written")
    os.utime(old, (1, 1))
    with validcache.recording() as record:
        tables.load_funding()
    assert validcache.save(record, None)
    assert sorted(p.name for p in folder.iterdir()) == [fresh.name, validcache.FILE_NAME]
