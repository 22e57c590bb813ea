"""Parameters as notebooks declare them: command-line strings parsed by declared type, and the
rules modules a notebook names in its metadata, imported for that notebook only."""

from __future__ import annotations

import json

import pytest

from analysis.exceptions import ParameterError, ReportModuleError
from analysis.render import parameters


@pytest.mark.parametrize(
    "kind, raw, expected",
    [
        ("str", "bn", "bn"),
        ("bool", "false", False),
        ("int", "3", 3),
        ("float", "0.5", 0.5),
        ("list", "PAK,IRN", ["PAK", "IRN"]),
        ("list", "2018,2020", [2018, 2020]),
        ("list", '["PAK"]', ["PAK"]),
    ],
)
def test_cli_values_are_parsed_to_the_declared_type(kind, raw, expected):
    decl = parameters.Declared("x", kind, None, "")
    assert parameters.parse_cli_value("x", raw, decl) == expected


def test_unparseable_cli_value_names_the_parameter():
    import analysis.funding.rules  # noqa: F401  (registers show_context's rule)

    decl = parameters.Declared("show_context", "bool", True, "")
    with pytest.raises(ParameterError, match="parameter 'show_context' must be True or False"):
        parameters.parse_cli_value("show_context", "maybe", decl)


def _notebook(tmp_path, modules) -> str:
    nb = {
        "cells": [],
        "metadata": {"afghan_brief": {"rules": modules}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "report.ipynb"
    path.write_text(json.dumps(nb))
    return str(path)


def test_a_notebook_names_its_rules_modules_in_its_metadata(tmp_path):
    assert parameters.rule_modules(_notebook(tmp_path, ["analysis.funding.rules"])) == [
        "analysis.funding.rules"
    ]
    plain = tmp_path / "plain.ipynb"
    plain.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert parameters.rule_modules(plain) == []


def test_a_rules_module_that_fails_to_import_fails_its_report_by_name(tmp_path, monkeypatch):
    (tmp_path / "broken_report_rules.py").write_text("raise RuntimeError('a bug')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    notebook = _notebook(tmp_path, ["broken_report_rules"])
    with pytest.raises(ReportModuleError) as err:
        parameters.load_rules(notebook, "risk_pakistan")
    assert str(err.value) == (
        "report 'risk_pakistan': its rules module broken_report_rules failed to import "
        "(RuntimeError: a bug)"
    )
    assert err.value.exit_code == 4
    parameters.load_rules(_notebook(tmp_path, ["analysis.funding.rules"]), "fine")  # no error
