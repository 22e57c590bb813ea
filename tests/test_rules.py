"""Parameter rules: checked by name, one clear line per bad value, data-aware where needed; the
rules of each report come from its own module, so a broken one breaks only its own parameters."""

from __future__ import annotations

import pytest

import analysis.parameters
from analysis import rules
from analysis.exceptions import ParameterError
from analysis.parameters import check_parameters


@pytest.mark.parametrize(
    "values, message",
    [
        ({"unit": "kg"}, "parameter 'unit' must be one of 'bn', 'm'; got 'kg'"),
        ({"as_of": "2021-13-01"}, "parameter 'as_of' must be an ISO date YYYY-MM-DD"),
        ({"show_context": "yes"}, "parameter 'show_context' must be True or False; got str"),
        ({"data_dir": "/no/such/dir"}, "parameter 'data_dir' must be an existing directory"),
        ({"nonsense": 1}, "parameter 'nonsense' has no declared rule"),
    ],
)
def test_bad_values_raise_one_line_naming_the_parameter(values, message):
    with pytest.raises(ParameterError) as err:
        check_parameters(**values)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_values_come_back_normalised_in_the_order_given():
    p = check_parameters(as_of="2021-09-01", unit="m", show_context=False, data_dir="")
    assert vars(p) == {"as_of": "2021-09-01", "unit": "m", "show_context": False, "data_dir": ""}


def test_rules_see_the_data_dir_checked_with_them(tmp_path):
    seen = []
    rule = rules.Rule(
        str, "anything", lambda name, value: seen.append(rules.current_data_dir()) or value
    )
    rules.register("probe_for_test", rule)
    try:
        rules.check(probe_for_test="x", data_dir=str(tmp_path))
        rules.check(probe_for_test="x")
    finally:
        del rules.RULES["probe_for_test"]
    assert seen == [str(tmp_path), None]
    assert rules.current_data_dir() is None  # reset after the check


def test_registering_the_same_meaning_twice_is_fine_a_different_one_is_not():
    check_parameters(unit="m")  # the funding report's rules are registered
    rules.register("unit", rules.choice("bn", "m"))
    with pytest.raises(ValueError, match="already has a different rule"):
        rules.register("unit", rules.choice("bn", "m", "k"))


def test_a_rules_error_names_its_parameter_as_data_not_only_in_text():
    with pytest.raises(ParameterError) as err:
        check_parameters(unit="m", as_of="someday")
    assert err.value.parameter == "as_of"


@pytest.fixture
def broken_rules_module(tmp_path, monkeypatch):
    """A report rules module that raises on import, on sys.path, listed with the package's."""
    (tmp_path / "broken_report_rules.py").write_text("raise RuntimeError('a bug in this report')\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    monkeypatch.setattr(
        analysis.parameters,
        "RULE_MODULES",
        ("broken_report_rules", *analysis.parameters.RULE_MODULES),
    )
    return "broken_report_rules"


def test_a_broken_report_module_does_not_break_the_other_reports_parameters(
    broken_rules_module, fresh_rules
):
    assert check_parameters(unit="m", focus_actor="isis_k").unit == "m"


def test_a_parameter_only_a_broken_module_could_check_names_that_module(broken_rules_module):
    with pytest.raises(ParameterError) as err:
        check_parameters(colour="red")
    message = str(err.value)
    assert "parameter 'colour' has no rule: broken_report_rules failed to import" in message
    assert "RuntimeError: a bug in this report" in message
    assert err.value.parameter == "colour"
