"""seeds/ is immutable, every file has provenance, and the package ships current copies."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from analysis.tables import build

SEEDS = REPO / "seeds"
SIDECAR_KEYS = {"file", "title", "publisher", "licence", "citation", "sha256", "bytes"}
EXTERNAL_KEYS = SIDECAR_KEYS | {"origin", "upstream", "filter", "rows"}


def _data_files() -> list[Path]:
    return sorted(p for p in SEEDS.rglob("*") if p.is_file() and not p.name.endswith(".meta.json"))


def test_every_seed_file_has_a_sidecar_with_provenance():
    for path in _data_files():
        sidecar = path.with_name(path.name + ".meta.json")
        assert sidecar.exists(), f"{path} has no sidecar"
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        wanted = EXTERNAL_KEYS if path.suffix == ".csv" else SIDECAR_KEYS
        assert wanted <= meta.keys(), f"{sidecar.name} lacks {wanted - meta.keys()}"
        assert meta["file"] == path.name


def test_every_seed_file_matches_its_recorded_sha256():
    files = build.seed_files(SEEDS)
    assert len(files) == len(_data_files()) == 8
    assert build.altered_seeds(SEEDS) == []


def test_sidecar_hashes_agree_with_the_publishers_list_in_sources_md():
    listed = dict(
        (name, digest)
        for digest, name in re.findall(
            r"^([0-9a-f]{64})\s+(\S+\.csv)$",
            (SEEDS / "external" / "SOURCES.md").read_text(encoding="utf-8"),
            re.M,
        )
    )
    assert len(listed) == 6
    for name, digest in listed.items():
        meta = json.loads((SEEDS / "external" / f"{name}.meta.json").read_text(encoding="utf-8"))
        assert meta["sha256"] == digest


def test_sidecar_row_counts_match_the_files():
    import csv

    for path in SEEDS.glob("external/*.csv"):
        meta = json.loads(path.with_name(path.name + ".meta.json").read_text(encoding="utf-8"))
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = sum(1 for _ in csv.reader(handle)) - 1
        assert records == meta["rows"], path.name


def test_altered_seed_file_is_detected(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    article = copy / "000_b2957a9caff7a1c7.txt"
    article.write_bytes(article.read_bytes().replace(b"2,000", b"3,000"))
    assert build.altered_seeds(copy) == [str(article)]
    with pytest.raises(SystemExit, match="differ from their sidecar"):
        build.build(copy)


def test_package_copies_are_current():
    assert build.stale_copies(SEEDS) == []


def test_a_stale_package_copy_is_reported(tmp_path, monkeypatch):
    fake_package = tmp_path / "data"
    shutil.copytree(REPO / "analysis" / "data", fake_package)
    (fake_package / "texts" / "000_b2957a9caff7a1c7.txt").write_text("edited", encoding="utf-8")
    monkeypatch.setattr(build, "package_data_dir", lambda: fake_package)
    assert build.stale_copies(SEEDS) == [str(fake_package / "texts" / "000_b2957a9caff7a1c7.txt")]
    assert build.main(["--seeds", str(SEEDS), "--check"]) == 1
    build.build(SEEDS)  # refreshes the copy
    assert build.stale_copies(SEEDS) == []
