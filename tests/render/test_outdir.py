"""analysis.render.outdir without kernels: what a killed render left is removed and nothing
else; a damaged manifest is rebuilt from the pages present; a record a full disk refuses is a
warning. (The faults themselves, end to end: tests/render/test_faults.py.)"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from analysis.exceptions import OutputError
from analysis.render import manifest as mf
from analysis.render import outdir


def test_only_what_a_killed_render_leaves_is_cleaned(tmp_path: Path):
    out = tmp_path / "reports"
    (out / ".tmp-render-abc123" / "ok").mkdir(parents=True)
    (out / ".tmp-render-abc123" / "ok" / "ok.html").write_text("half")
    (out / ".manifest.json.4242.tmp").write_text("{")
    (out / "assets").mkdir()
    (out / "assets" / ".plotly-9.min.js.4242.tmp").write_text("half")
    (out / ".write-probe-xyz").write_bytes(b"\0")
    kept = [out / "ok.html", out / ".render.lock", out / "notes.tmp", out / "assets" / "p.js"]
    for path in kept:
        path.write_text("keep")
    (out / ".tmp-notes").mkdir()  # a folder of the user's, not a render's
    removed = outdir.clean_stale(out)
    assert sorted(removed) == [
        ".manifest.json.4242.tmp",
        ".tmp-render-abc123",
        ".write-probe-xyz",
        "assets/.plotly-9.min.js.4242.tmp",
    ]
    assert all(path.read_text() == "keep" for path in kept) and (out / ".tmp-notes").is_dir()


def test_a_rebuilt_manifest_lists_each_page_with_its_notebook(tmp_path: Path):
    out = tmp_path
    for name, params in (("a", {"unit": "m"}), ("b", {})):
        (out / f"{name}.html").write_text("<html></html>")
        executed = {"cells": [], "metadata": {"papermill": {"input_path": f"/nb/{name}.ipynb"}}}
        executed["metadata"]["papermill"]["parameters"] = params
        (out / f"{name}.ipynb").write_text(json.dumps(executed))
    (out / "c.html").write_text("a page without its notebook is not a report")
    (out / "index.html").write_text("the index is not a report")
    (out / mf.MANIFEST_NAME).write_text('{"format": 1, "repo')  # truncated
    warnings: list[str] = []
    manifest = outdir.load_manifest(out, warnings)
    assert sorted(manifest.reports) == ["a", "b"]
    entry = manifest.reports["a"]
    assert (entry["html"], entry["notebook"], entry["parameters"]) == (
        "a.html",
        "/nb/a.ipynb",
        {"unit": "m"},
    )
    assert manifest.good_key("a") is None  # renders again when next asked for
    assert len(warnings) == 1 and "rebuilt from the 2 page(s) present" in warnings[0]


def test_an_intact_manifest_is_read_as_it_is(tmp_path: Path):
    manifest = mf.Manifest(tmp_path)
    manifest.reports["x"] = {"status": "ok"}
    manifest.save()
    warnings: list[str] = []
    assert outdir.load_manifest(tmp_path, warnings).reports == {"x": {"status": "ok"}}
    empty = tmp_path / "empty"
    empty.mkdir()
    mf.Manifest(empty).save()  # no report yet: nothing to recover, no warning
    assert outdir.load_manifest(empty, warnings).reports == {} and warnings == []


def test_a_record_the_disk_refuses_is_a_warning():
    warnings: list[str] = []

    def full():
        raise OSError(errno.ENOSPC, "No space left on device")

    assert outdir.attempt(warnings, "index.html", full) is False
    assert warnings == [
        "index.html was not written (No space left on device); the previous one is kept"
    ]
    assert outdir.attempt(warnings, "x", lambda: None) is True and len(warnings) == 1


def test_prepare_creates_the_directory_and_names_a_file_in_the_way(tmp_path: Path):
    assert outdir.prepare(tmp_path / "a" / "b") == (tmp_path / "a" / "b").resolve()
    (tmp_path / "a" / "b" / "failed").write_text("x")
    with pytest.raises(OutputError, match="failed is a regular file, but the render needs a"):
        outdir.prepare(tmp_path / "a" / "b")
