"""`afghan-brief validate`: a summary and exit 0, or one line per problem and exit 3."""

from __future__ import annotations

import subprocess
import sys

from analysis.cli import main


def test_validate_shipped_data_exits_0(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "tables valid" in out
    assert "funding" in out and "ucdp_country_year" in out
    assert "quotes verbatim" in out


def test_validate_bad_directory_lists_each_problem_and_exits_3(seed_min, capsys):
    seed_min.replace("funding.csv", "9500000000", "lots")
    seed_min.replace("relations.csv", "usa,freezes", "uss,freezes")
    assert main(["validate", "--data", str(seed_min)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert "funding.csv, row 1, column 'amount_usd': 'lots' is not a valid number" in err
    assert "relations.csv, row 1, column 'subject_id': unknown actor 'uss'" in err
    assert err[-1] == "error: 2 data problem(s); nothing was changed"


def test_validate_env_var_override(seed_min, capsys, monkeypatch):
    seed_min.replace("events.csv", "2021-08-26", "2021-02-30")
    monkeypatch.setenv("AFGHAN_BRIEF_DATA", str(seed_min))
    assert main(["validate"]) == 3
    assert "events.csv, row 1, column 'date'" in capsys.readouterr().err


def test_validate_missing_directory_is_one_line(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a directory" in err


def test_console_script_shows_no_traceback_for_bad_data(seed_min):
    seed_min.write_bytes("actors.csv", b"\xff\xfeactor_id\n")
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", "--data", str(seed_min)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3
    assert "Traceback" not in run.stderr
    assert "actors.csv: is not UTF-8: byte 0xff on line 1" in run.stderr


def test_validate_prints_ucdp_estimate_warnings_and_still_exits_0(capsys):
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning: ")]
    assert warnings, "the shipped UCDP files have estimates out of order"
    russia = next(w for w in warnings if "Russia" in w and "sb_total_deaths_high_cy" in w)
    assert "ucdp_organized_violence_country_year_v25_1_2015_2024.csv, row 1440" in russia
    assert "high estimate 5,823 below the best estimate 7,673" in russia
    assert f"{len(warnings)} data warning(s)" in captured.out


def test_warnings_are_printed_beside_errors_too(seed_min, capsys):
    seed_min.replace("funding.csv", "9500000000", "lots")
    assert main(["validate", "--data", str(seed_min)]) == 3
    err = capsys.readouterr().err
    assert "warning: " in err and "error: 1 data problem(s)" in err
