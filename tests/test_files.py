"""analysis.files: what a user's file is, decided from its ``stat`` before anything opens it."""

from __future__ import annotations

import os
import socket

import pytest

from analysis import files
from analysis.files import Refused


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as err:
        call(*args, **kwargs)
    assert "\n" not in str(err.value)
    return err.value.reason


@pytest.mark.parametrize("call", [files.check, files.read_bytes, files.readable])
def test_special_files_are_refused_by_type(tmp_path, call):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "null.csv").symlink_to("/dev/null")
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.csv"))
    try:
        reasons = {
            name: _refused(call, tmp_path / name, cap=100)
            for name in ("pipe.csv", "folder.csv", "null.csv", "gone.csv", "sock.csv")
        }
    finally:
        server.close()
    assert reasons["pipe.csv"] == "is a FIFO (named pipe), not a regular file; refused unopened"
    assert reasons["folder.csv"].startswith("is a directory, not a regular file")
    assert reasons["null.csv"].startswith("is a character device, not a regular file")
    assert (
        reasons["gone.csv"] == f"is a symlink to {tmp_path / 'nowhere.csv'}, which does not exist"
    )
    assert reasons["sock.csv"].startswith("is a socket, not a regular file")


def test_a_file_above_its_cap_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(3 * files.MiB)  # sparse: a size, no data
    reason = _refused(files.read_bytes, big, cap=2 * files.MiB, what="a data file")
    assert reason == "is 3.0 MiB, above the cap of 2.0 MiB for a data file"
    assert files.read_bytes(big, cap=3 * files.MiB) == b"\0" * (3 * files.MiB)


def test_text_must_be_utf8_and_the_bad_byte_is_placed(tmp_path):
    path = tmp_path / "text.txt"
    path.write_bytes(b"\xef\xbb\xbffirst line\nsecond \xe9 line\n")
    assert _refused(files.read_text, path, cap=100) == "is not UTF-8: byte 0xe9 on line 2"
    path.write_bytes("\ufeffK\u00e4se\n".encode())
    assert files.read_text(path, cap=100) == "K\u00e4se\n"  # a byte-order mark is dropped


def test_matching_sees_what_a_glob_would_skip(tmp_path):
    (tmp_path / "funding.csv").symlink_to(tmp_path / "gone")  # dangling: Path.glob skips it
    (tmp_path / "other.txt").write_text("x")
    assert [p.name for p in files.matching(tmp_path, "funding*.csv")] == ["funding.csv"]
    assert list(tmp_path.glob("funding.csv")) == []  # why matching() exists


def test_an_unlistable_directory_is_refused(tmp_path, monkeypatch):
    def denied(path="."):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "listdir", denied)
    assert _refused(files.listing, tmp_path) == "cannot be read (Permission denied)"
