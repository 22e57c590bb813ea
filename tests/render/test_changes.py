"""What changed since the last render: figures taken out of the page into figures.json,
compared with the previous good render (moved, appended vs revised, verdicts flipped, data
versions), changes.html and history; a data update re-renders only the reports that read the
updated table; the notification hooks."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
import release_files as rf
from conftest import FIXTURES

import analysis.figures
from analysis.cli import main
from analysis.render import changes, figures_out
from analysis.render.hooks import run_hook


def _doc(figures=(), verdicts=(), data=(), at="t1"):
    return {
        "figures": list(figures),
        "verdicts": list(verdicts),
        "data": list(data),
        "rendered_at": at,
    }


def _fig(fid, value, year=None, label=None):
    out = {"id": fid, "label": label or fid, "value": value, "unit": "deaths", "source": "s"}
    if year is not None:
        out["year"] = year
    return out


DATA_2024 = [{"table": "ucdp_cy", "sha256": "a", "version": "25.1", "last_year": 2024}]
DATA_2025 = [{"table": "ucdp_cy", "sha256": "b", "version": "26.1", "last_year": 2025}]


def test_the_engine_knows_the_reports_mimetype():
    assert figures_out.MIME == analysis.figures.MIME


def test_compare_tells_moved_appended_revised_and_missing_apart():
    old = _doc(
        [_fig("a", 100.0), _fig("y2023", 10, 2023), _fig("y2024", None, 2024), _fig("gone", 1)],
        data=DATA_2024,
    )
    new = _doc(
        [
            _fig("a", 150.0),
            _fig("y2023", 12, 2023),
            _fig("y2024", 5, 2024),
            _fig("y2025", 7, 2025),
            _fig("b", 3),
        ],
        data=DATA_2025,
        at="t2",
    )
    change = changes.compare(old, new, "r")
    kinds = {m.id: (m.kind, m.old, m.new) for m in change.figures}
    assert kinds == {
        "a": ("moved", 100.0, 150.0),
        "y2023": ("revised", 10, 12),  # a year the old data covered: the publisher revised it
        "y2024": ("now available", None, 5),  # missing before: never read as a move from 0
        "y2025": ("appended", None, 7),  # after the old data's last year
    }
    moved = next(m for m in change.figures if m.id == "a")
    assert (moved.absolute, moved.relative) == (50.0, 0.5)
    assert change.added == ["b"] and change.removed == ["gone"]
    assert change.data == [
        {
            "table": "ucdp_cy",
            "old": "25.1",
            "new": "26.1",
            "text": "25.1 → 26.1, to 2025 (was 2024)",
        }
    ]
    assert change.summary().startswith("r: 1 figure moved, 1 past year revised, 1 new year")


def test_compare_flips_verdicts_and_says_nothing_when_nothing_changed():
    v = {"id": "c1", "label": "claim", "value": None, "unit": "", "source": "s"}
    old = _doc([_fig("a", 1.0)], [{**v, "verdict": "supported"}], DATA_2024)
    assert not changes.compare(old, old, "r").changed
    flipped = changes.compare(
        old, _doc([_fig("a", 1.0)], [{**v, "verdict": "contradicted"}], DATA_2024), "r"
    )
    assert flipped.verdicts == [
        {"id": "c1", "label": "claim", "old": "supported", "new": "contradicted", "counts": None}
    ]
    assert changes.compare(None, old, "r").first_render


def test_take_figures_removes_the_bundle_from_the_page_only():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    bundle = {"format": 1, "report": "r", "figures": [_fig("a", 1.0)], "verdicts": []}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={figures_out.MIME: bundle, "text/plain": "(1 key figures exported)"},
        )
    ]
    nb.cells = [cell]
    assert figures_out.take_figures(nb) == bundle
    assert cell.outputs[0]["data"] == {"text/plain": "(1 key figures exported)"}
    assert figures_out.take_figures(nb) is None


def test_a_hook_gets_the_summary_and_its_failure_is_only_a_warning(tmp_path):
    target = tmp_path / "got.txt"
    assert run_hook(f"cat > {target}", "line one\nline two\n") is None
    assert target.read_text() == "line one\nline two\n"
    warning = run_hook(f"{sys.executable} -c 'import sys; sys.exit(3)'", "x")
    assert warning and "exited 3" in warning
    assert "did not finish" in run_hook("sleep 5", "x", timeout=0.2)


# --- the whole chain, with kernels ------------------------------------------------------------


@pytest.fixture
def two_reports(tmp_path) -> Path:
    """A report that reads the ACD table and exports figures, and one that reads no data."""
    target = tmp_path / "notebooks"
    target.mkdir()
    shutil.copy(FIXTURES / "changes" / "figures.ipynb", target)
    shutil.copy(FIXTURES / "notebooks" / "ok.ipynb", target)
    return target


@pytest.mark.slow
def test_a_data_update_rerenders_what_it_affects_and_says_what_moved(two_reports, tmp_path, capsys):
    out = tmp_path / "reports"
    args = ["render", "--notebooks", str(two_reports), "--out", str(out), "--jobs", "2"]
    assert main(args) == 0
    assert "vnd.afghan-brief" not in (out / "figures.html").read_text()  # taken out of the page
    first = json.loads((out / "figures.figures.json").read_text())
    assert first["exported"] and first["data"][0]["version"] == "25.1"
    ids = [f["id"] for f in first["figures"]]
    assert ids[:3] == ["conflicts_2022", "conflicts_2023", "conflicts_2024"]

    release = rf.write_release_dir(
        tmp_path / "downloads", "26.1", tables=("ucdp_acd",), new_year=True, drop_one_in=2023
    )
    assert main(["data", "update", "--from", str(release)]) == 0
    hook = tmp_path / "hook.txt"
    capsys.readouterr()
    assert main([*args, "--on-change", f"cat > {hook}"]) == 0
    out_text = capsys.readouterr().out
    assert "up to date: ok" in out_text  # it reads no data: not rendered again
    line = next(x for x in out_text.splitlines() if x.startswith("figures:"))
    assert "1 past year revised" in line and "1 new year appended" in line
    assert "ucdp_acd 25.1 → 26.1, to 2025 (was 2024)" in line
    assert line in hook.read_text()  # the hook got the summary on stdin

    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["reports"]["figures"]
    assert entry["figures"] == "figures.figures.json"
    assert entry["good"]["data"][0]["version"] == "26.1"
    history = [json.loads(x) for x in (out / "history.jsonl").read_text().splitlines()]
    assert history[-1]["changes"]["figures"]["data"][0]["new"] == "26.1"
    page = (out / "changes.html").read_text()
    assert "Conflicts in 2023" in page and "revised" in page and "25.1 → 26.1" in page
    assert 'href="changes.html"' in (out / "index.html").read_text()

    capsys.readouterr()
    assert main([*args, "-p", "show_context", "false", "figures"]) == 0
    assert "1 verdict flipped" in capsys.readouterr().out
    capsys.readouterr()
    assert main([*args, "-p", "show_context", "false", "figures"]) == 0
    assert "no figure, verdict or data version changed" in capsys.readouterr().out


@pytest.mark.slow
def test_a_failing_hook_never_breaks_the_render(two_reports, tmp_path, capsys):
    out = tmp_path / "reports"
    args = ["render", "ok", "--notebooks", str(two_reports), "--out", str(out)]
    assert main([*args, "--on-change", "exit 9"]) == 0  # a first render is no change
    assert main([*args, "--force", "-p", "unit", "m", "--on-change", "exit 9"]) == 0
    broken = two_reports / "ok.ipynb"
    nb = nbformat.read(broken, as_version=4)
    nb.cells[2].source = "raise ValueError('boom')"
    nbformat.write(nb, broken)
    capsys.readouterr()
    assert main([*args, "--on-failure", "exit 7"]) == 4
    assert "warning: hook 'exit 7' exited 7" in capsys.readouterr().err


def test_the_data_a_report_read_is_fingerprinted_by_content_not_by_path(tmp_path):
    # a release set installs a copy of every table; a copy of the same bytes is the same data
    from analysis.render import manifest as mf
    from analysis.tables.datadir import package_data_dir

    shipped = package_data_dir() / "external" / "wdi_afghanistan_region_2015_2025.csv"
    reads = [{"table": "wdi", "pattern": "wdi_afghanistan_region_*.csv", "subdir": "external"}]
    hasher = mf.FileHasher()
    at_shipped, _ = mf.data_fingerprint(None, hasher, reads)
    copy = tmp_path / "data"
    copy.mkdir()
    shutil.copy(shipped, copy / shipped.name)
    at_copy, files = mf.data_fingerprint(str(copy), hasher, reads)
    assert at_copy == at_shipped and str(copy) in next(iter(files))
    (copy / shipped.name).write_bytes(
        shipped.read_bytes().replace(b"Afghanistan", b"Afghanistan ", 1)
    )
    assert mf.data_fingerprint(str(copy), mf.FileHasher(), reads)[0] != at_shipped
