"""``afghan-brief data update`` against a real local HTTP server serving release files in the
publishers' formats (UCDP zips and download page, World Bank API pages): an install with
sidecars, a second run that downloads nothing, and every failure leaving the store as it was."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
import release_files as rf
from werkzeug import Response

from analysis.cli import main
from analysis.exceptions import DataError, FetchError
from analysis.tables.datadir import CURRENT_NAME
from analysis.tables.releases import dataset_info
from analysis.tables.updater import Store, update
from analysis.tables.updater.publishers import UCDP_ENV, WORLDBANK, WORLDBANK_ENV


class Publisher:
    """UCDP's download site and the World Bank API on one local server: ETags, conditional
    requests, paging, and faults on demand (status, delay, a body to serve instead)."""

    def __init__(self, server):
        self.server = server
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, object] = {}  # path -> int status, float delay, or bytes
        self.hits: list[tuple[str, int]] = []
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def ucdp(self, release: str, tables=tuple(rf.UCDP_FILES), **options) -> None:
        self.files["/downloads/index.html"] = rf.ucdp_index(release)
        for table in tables:
            self.files[rf.zip_path(table, release)] = rf.ucdp_zip(table, release, **options)

    def worldbank(self, lastupdated: str, pages: int = 2) -> None:
        for spec in WORLDBANK:
            records = rf.worldbank_records(spec.table)
            for code, _ in spec.series:
                for page in range(1, pages + 1):
                    body = rf.worldbank_page(records.get(code, []), page, pages, lastupdated)
                    self.files[f"/v2/indicator/{code}?page={page}"] = body

    def _key(self, request) -> str:
        if request.path.startswith("/v2/"):
            code = request.path.rsplit("/", 1)[-1]
            return f"/v2/indicator/{code}?page={request.args.get('page', '1')}"
        return request.path

    def handle(self, request):
        key = self._key(request)
        fault = self.faults.get(key)
        if isinstance(fault, float):
            time.sleep(fault)
        if isinstance(fault, int):
            self.hits.append((key, fault))
            return Response(b"fault", status=fault)
        body = fault if isinstance(fault, bytes) else self.files.get(key)
        if body is None:
            self.hits.append((key, 404))
            return Response(b"not found", status=404)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            self.hits.append((key, 304))
            return Response(status=304, headers={"ETag": etag})
        self.hits.append((key, 200))
        return Response(body, status=200, headers={"ETag": etag})

    def statuses(self) -> set[int]:
        return {status for _, status in self.hits}


@pytest.fixture
def publisher(httpserver, monkeypatch) -> Publisher:
    import logging

    monkeypatch.setattr(logging.getLogger("werkzeug"), "level", logging.WARNING)
    monkeypatch.setenv(UCDP_ENV, httpserver.url_for("/downloads"))
    monkeypatch.setenv(WORLDBANK_ENV, httpserver.url_for("/v2"))
    pub = Publisher(httpserver)
    pub.ucdp("26.1", new_year=True, early_rows=3)
    pub.worldbank("2026-07-01")
    return pub


def _state(store: Path) -> tuple:
    """What must not change when an update fails: the pointer and the sets' files."""
    current = (store / CURRENT_NAME).read_text() if (store / CURRENT_NAME).exists() else None
    sets = (
        sorted(
            (str(p.relative_to(store)), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in (store / "sets").rglob("*")
            if p.is_file()
        )
        if (store / "sets").exists()
        else []
    )
    return current, sets


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


# --- a good update ----------------------------------------------------------------------------


def test_update_installs_every_table_with_a_provenance_sidecar(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    out = capsys.readouterr().out
    assert "ucdp_acd: 25.1 -> 26.1" in out and "ucdp_brd: 24.1 -> 26.1" in out
    active = Store().active()
    assert active is not None and active.path.parent.parent == data_store
    files = sorted(p.name for p in active.path.glob("*.csv"))
    assert len(files) == 6
    for name in files:
        meta = json.loads((active.path / f"{name}.meta.json").read_text(encoding="utf-8"))
        for key in ("url", "retrieved", "release", "sha256", "licence", "citation", "filter"):
            assert meta.get(key), (name, key)
        assert meta["sha256"] == hashlib.sha256((active.path / name).read_bytes()).hexdigest()
        assert meta["url"].startswith(publisher.server.url_for("/"))
    acd = dataset_info("ucdp_acd")  # the loaders now read the installed set
    assert (acd.version, acd.first_year, acd.last_year) == ("26.1", 2015, 2025)  # 2010 rows dropped
    assert acd.origin == f"installed set {active.id}" and acd.retrieved
    wdi = dataset_info("wdi")
    assert wdi.version == "2026-07-01"  # the API's lastupdated
    assert {s for _, s in publisher.hits} == {200}
    # both pages of every World Bank series were fetched
    assert sum(k.endswith("page=2") for k, _ in publisher.hits) == sum(
        len(s.series) for s in WORLDBANK
    )


def test_a_second_update_with_nothing_new_downloads_nothing(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    before = _state(data_store)
    publisher.hits.clear()
    capsys.readouterr()
    assert main(["data", "update"]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert publisher.statuses() == {304}  # every request conditional, every answer "unchanged"
    assert _state(data_store) == before


def test_status_lists_the_sets_and_what_is_read(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    capsys.readouterr()
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    active = Store().active()
    assert f"* {active.id}" in out
    assert re.search(r"ucdp_acd\s+v26\.1 2015–2025\s+retrieved \d{4}-\d\d-\d\d\s+\[installed", out)


def test_rollback_restores_the_previous_set(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    first = Store().active().id
    publisher.ucdp("27.1", new_year=True)
    assert main(["data", "update"]) == 0
    assert dataset_info("ucdp_acd").version == "27.1"
    assert main(["data", "rollback"]) == 0
    assert Store().active().id == first
    assert dataset_info("ucdp_acd").version == "26.1"


def test_rollback_refuses_a_damaged_set(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    first = Store().active()
    publisher.ucdp("27.1", new_year=True)
    assert main(["data", "update"]) == 0
    (target,) = first.path.glob("ucdp_prio_armed_conflict_*.csv")
    target.write_text(target.read_text() + "tampered\n")
    before = _state(data_store)
    capsys.readouterr()
    assert main(["data", "rollback"]) == 3
    assert "checksum mismatch" in _one_line(capsys)
    assert _state(data_store) == before


# --- every failure leaves the store as it was -------------------------------------------------


@pytest.fixture
def installed(publisher, data_store, capsys):
    assert main(["data", "update"]) == 0
    capsys.readouterr()
    return _state(data_store)


def _zip_path(table, release="26.1"):
    return rf.zip_path(table, release)


@pytest.mark.parametrize(
    "fault, code, words",
    [
        (404, 6, "HTTP 404"),
        (503, 6, "HTTP 503"),
    ],
)
def test_http_errors_change_nothing(publisher, installed, data_store, capsys, fault, code, words):
    publisher.ucdp("27.1")
    publisher.faults[_zip_path("ucdp_brd", "27.1")] = fault
    assert main(["data", "update", "--retries", "1"]) == code
    line = _one_line(capsys)
    assert words in line and "ucdp-brd-dyadic-271-csv.zip" in line
    assert _state(data_store) == installed


def test_server_errors_are_retried_with_backoff(publisher, data_store):
    publisher.faults[_zip_path("ucdp_acd")] = 500
    with pytest.raises(FetchError, match=r"HTTP 500 .* after 3 attempt"):
        update(retries=3, backoff=0.01)
    assert [s for k, s in publisher.hits if k == _zip_path("ucdp_acd")] == [500, 500, 500]
    assert Store().active() is None


def test_a_timeout_changes_nothing(publisher, installed, data_store):
    publisher.ucdp("27.1")
    publisher.faults["/downloads/index.html"] = 1.5
    with pytest.raises(FetchError, match="timed out"):
        update(timeout=0.3, retries=1)
    assert _state(data_store) == installed


def test_a_truncated_zip_changes_nothing(publisher, installed, data_store, capsys):
    publisher.ucdp("27.1")
    whole = publisher.files[_zip_path("ucdp_acd", "27.1")]
    publisher.faults[_zip_path("ucdp_acd", "27.1")] = whole[: len(whole) // 2]
    assert main(["data", "update"]) == 6
    assert "not a readable zip" in _one_line(capsys)
    assert _state(data_store) == installed


def test_a_checksum_mismatch_inside_the_zip_changes_nothing(
    publisher, installed, data_store, capsys
):
    name, text = rf.ucdp_csv("ucdp_acd", "27.1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, text.encode())
    damaged = bytearray(buffer.getvalue())
    at = damaged.index(b"Afghanistan")  # a byte of the member's data, not its header
    damaged[at] ^= 0x20
    publisher.ucdp("27.1")
    publisher.faults[_zip_path("ucdp_acd", "27.1")] = bytes(damaged)
    assert main(["data", "update"]) == 6
    assert "checksum mismatch" in _one_line(capsys)
    assert _state(data_store) == installed


def test_a_renamed_column_changes_nothing(publisher, installed, data_store, capsys):
    publisher.ucdp("27.1", rename=("year_cy", "year"))
    assert main(["data", "update"]) == 3
    line = _one_line(capsys)
    assert "organizedviolencecy-271-csv.zip" in line and "year_cy" in line
    assert _state(data_store) == installed


def test_an_older_release_than_the_installed_one_is_refused(
    publisher, installed, data_store, capsys
):
    publisher.files.clear()
    publisher.ucdp("25.1", drop_after=2024)
    publisher.worldbank("2026-07-01")
    assert main(["data", "update"]) == 3
    line = _one_line(capsys)
    assert "release 25.1" in line and "older than the installed 26.1" in line
    assert _state(data_store) == installed


def test_an_older_world_bank_update_is_refused(publisher, installed, data_store, capsys):
    publisher.worldbank("2024-01-31")
    publisher.ucdp("26.1", new_year=True, early_rows=3)
    assert main(["data", "update"]) == 3
    assert "older than the installed 2026-07-01" in _one_line(capsys)
    assert _state(data_store) == installed


def test_a_world_bank_api_error_changes_nothing(publisher, installed, data_store, capsys):
    error = json.dumps([{"message": [{"id": "120", "key": "Invalid value", "value": "bad"}]}])
    publisher.faults["/v2/indicator/PV.EST?page=1"] = error.encode()
    publisher.worldbank("2026-08-01")
    assert main(["data", "update"]) == 6
    assert "World Bank API error (Invalid value: bad)" in _one_line(capsys)
    assert _state(data_store) == installed


# --- offline install: --from ------------------------------------------------------------------


def test_from_a_directory_of_release_zips(tmp_path, data_store, capsys):
    release = rf.write_release_dir(tmp_path / "downloads", "26.1", new_year=True, early_rows=2)
    assert main(["data", "update", "--from", str(release)]) == 0
    assert dataset_info("ucdp_country_year").version == "26.1"
    meta = json.loads(
        next(Store().active().path.glob("ucdp_prio*.meta.json")).read_text(encoding="utf-8")
    )
    assert meta["origin"].endswith("ucdp-prio-acd-261-csv.zip") and meta["retrieved"] is None
    capsys.readouterr()
    assert main(["data", "update", "--from", str(release)]) == 0  # the same files again
    assert "nothing new" in capsys.readouterr().out


def test_from_the_conflict_level_brd_says_what_it_is(tmp_path, data_store, capsys):
    header, rows = rf._read("ucdp_battle_related_deaths_dyadic_*.csv")
    drop = header.index("dyad_id")
    lines = [",".join(c for i, c in enumerate(r) if i != drop) for r in [header, *rows[:5]]]
    (tmp_path / "BattleDeaths_v24_1_conf.csv").write_text("\n".join(lines) + "\n")
    assert main(["data", "update", "--from", str(tmp_path)]) == 3
    line = _one_line(capsys)
    assert "BattleDeaths_v24_1_conf.csv" in line
    assert "conflict-level version" in line and "expected the UCDP Battle-Related Deaths" in line
    assert Store().active() is None


def test_from_a_sha256sums_mismatch_changes_nothing(tmp_path, data_store, capsys):
    release = rf.write_release_dir(tmp_path / "d", "26.1", tables=("ucdp_acd",))
    (release / "SHA256SUMS").write_text("0" * 64 + "  " + rf.zip_name("ucdp_acd", "26.1") + "\n")
    assert main(["data", "update", "--from", str(release)]) == 6
    assert "checksum mismatch with SHA256SUMS" in _one_line(capsys)
    assert Store().active() is None


def test_update_into_a_store_given_with_data(tmp_path, capsys):
    store = tmp_path / "my-store"
    release = rf.write_release_dir(tmp_path / "d", "26.1", tables=("ucdp_acd",), new_year=True)
    assert main(["data", "update", "--data", str(store), "--from", str(release)]) == 0
    assert Store(store).active() is not None
    assert Store().active() is None  # the default store untouched
    # the store given with --data reads as a data directory too
    assert dataset_info("ucdp_acd", store).version == "26.1"
    assert dataset_info("ucdp_acd").version == "25.1"
    with pytest.raises(DataError, match="no installed set"):
        (tmp_path / "empty-store" / "sets").mkdir(parents=True)
        dataset_info("ucdp_acd", tmp_path / "empty-store")
