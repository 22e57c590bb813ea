"""``render --images``: static images of every figure beside its page, published with it; a
clear line and exit 2 when kaleido or a browser is missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from analysis import render
from analysis.cli import main
from analysis.exceptions import ParameterError
from analysis.render import images

NOTEBOOKS = FIXTURES / "notebooks"


def _no_kernel(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render.executors, "execute_report", boom)


def test_formats_are_png_and_svg_only():
    assert images.parse_formats("SVG,png, svg") == ("svg", "png")
    assert images.parse_formats(None) == ()
    with pytest.raises(ParameterError, match="--images 'gif': formats are png, svg"):
        images.parse_formats("gif")


def test_without_a_browser_the_render_stops_with_one_line_before_any_kernel(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium, no chrome
    _no_kernel(monkeypatch)
    out = tmp_path / "reports"
    code = main(
        ["render", "ok", "--notebooks", str(NOTEBOOKS), "--out", str(out), "--images", "png"]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [
        "error: --images needs Chromium or Chrome and found none (no $BROWSER_PATH; none of "
        "chromium, chromium-browser, google-chrome, google-chrome-stable, chrome on the PATH): "
        "install one (Debian: apt-get install chromium) or set BROWSER_PATH"
    ]
    assert not out.exists()  # nothing written, not even the lock


def test_a_browser_path_that_is_no_browser_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "chrome"))
    _no_kernel(monkeypatch)
    code = main(
        ["render", "--notebooks", str(NOTEBOOKS), "--out", str(tmp_path), "--images", "svg"]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith("error: --images: BROWSER_PATH='")


def test_without_kaleido_the_line_says_what_to_install(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "kaleido" else real(name, *a)
    )
    _no_kernel(monkeypatch)
    code = main(
        ["render", "--notebooks", str(NOTEBOOKS), "--out", str(tmp_path), "--images", "png"]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        "error: --images needs kaleido, which is not installed: "
        "pip install 'afghan-brief[images]'\n"
    )


def _image_dir(work: Path, name: str, *files: str, formats=("png",)) -> Path:
    target = work / f"{name}{images.SUFFIX}"
    target.mkdir(parents=True)
    for file in files:
        (target / file).write_text(file)
    index = {"formats": list(formats), "images": [{"file": f, "chart": f} for f in files]}
    (target / images.INDEX).write_text(json.dumps(index))
    return target


def test_publishing_replaces_the_whole_set_and_a_render_without_images_drops_the_old(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()
    _image_dir(out, "r", "01-old.png", "02-gone.png")
    _image_dir(work, "r", "01-new.png")
    record = images.publish(work, out, "r")
    assert record == {"formats": ["png"], "files": ["r.images/01-new.png"]}
    assert sorted(p.name for p in (out / "r.images").iterdir()) == ["01-new.png", "index.json"]
    assert not (work / "r.images").exists() and not (work / ".old.images").exists()
    # rendered again without --images: images of an earlier render must not stand beside it
    (tmp_path / "next-work").mkdir()
    assert images.publish(tmp_path / "next-work", out, "r") is None
    assert not (out / "r.images").exists()


def test_an_up_to_date_report_without_the_formats_asked_for_renders_again(tmp_path):
    _image_dir(tmp_path, "r", "01-a.png", formats=("png",))
    entry = {"images": {"formats": ["png"], "files": []}}
    assert not images.missing(entry, tmp_path, "r", ("png",))
    assert images.missing(entry, tmp_path, "r", ("png", "svg"))
    assert not images.missing({}, tmp_path, "r", ())  # none asked for
    shutil.rmtree(tmp_path / "r.images")
    assert images.missing(entry, tmp_path, "r", ("png",))  # removed by hand


@pytest.mark.slow
def test_images_are_exported_offline_and_published_with_the_page(tmp_path):
    if images.browser_path() is None:
        pytest.fail("chromium is not installed: run `make browser`")
    out = tmp_path / "reports"
    found = render.find_notebooks(NOTEBOOKS)
    report = render.Report("ok", found["ok"], {"unit": "m"})
    run = render.render_all([report], out, images="png,svg")
    assert run.exit_code == 0, run.results[0].error
    folder = out / "ok.images"
    png, svg = folder / "01-fixture-chart-m.png", folder / "01-fixture-chart-m.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "Fixture chart (m)" in text
    assert "</script>" not in text  # the trace name is text in the image too
    index = json.loads((folder / images.INDEX).read_text())
    assert index["images"][0] == {"file": png.name, "chart": "Fixture chart (m)"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reports"]["ok"]["images"]["files"] == [
        f"ok.images/{png.name}",
        f"ok.images/{svg.name}",
    ]
    assert not list(out.glob(".tmp-*"))
    # nothing changed: skipped, the images stay; asked for without images: rendered, dropped
    assert render.render_all([report], out, images="png").results[0].status == "skipped"
    assert png.is_file()
    assert render.render_all([report], out, force=True).results[0].status == "ok"
    assert not folder.exists()


@pytest.mark.slow
def test_a_failed_export_fails_the_report_and_keeps_its_last_good_page(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    found = render.find_notebooks(NOTEBOOKS)
    report = render.Report("ok", found["ok"], {})
    assert render.render_all([report], out).exit_code == 0
    good = (out / "ok.html").read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("the browser crashed")

    monkeypatch.setattr(images, "_export", broken)
    monkeypatch.setattr(images, "check", lambda formats: "/usr/bin/chromium")
    run = render.render_all([report], out, images="png", force=True)
    (result,) = run.results
    assert run.exit_code == 4 and result.status == "failed"
    assert "could not export the figures' images: the browser crashed" in result.error.evalue
    assert (out / "ok.html").read_bytes() == good and not (out / "ok.images").exists()
