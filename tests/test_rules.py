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


# ---------------------------------------------------------------------------------------------
# Relations between parameters (analysis.rules.register_relation)


@pytest.fixture
def probe_relation(monkeypatch):
    """Two probe parameters and a relation between them that records what it saw."""
    monkeypatch.setitem(rules.RULES, "low_for_test", rules.number(0, 100))
    monkeypatch.setitem(rules.RULES, "high_for_test", rules.number(0, 100))
    monkeypatch.setattr(rules, "RELATIONS", {})
    seen = []

    def ordered(low_for_test, high_for_test):
        seen.append((low_for_test, high_for_test, rules.current_data_dir()))
        if low_for_test >= high_for_test:
            raise ParameterError(f"low_for_test {low_for_test} must be below {high_for_test}")

    rules.register_relation(("low_for_test", "high_for_test"), ordered, "low below high")
    return seen


def test_a_relation_runs_after_each_rule_with_normalised_values(probe_relation, tmp_path):
    rules.check(low_for_test=1, high_for_test=2, data_dir=str(tmp_path))
    assert probe_relation == [(1.0, 2.0, str(tmp_path))]  # floats: the rules ran first
    with pytest.raises(ParameterError) as err:
        rules.check(low_for_test=5, high_for_test=2)
    assert str(err.value) == "low_for_test 5.0 must be below 2.0"
    assert err.value.parameter == "high_for_test"  # the last name, when the check names none
    assert err.value.relation == ("low_for_test", "high_for_test")


def test_a_relation_is_not_checked_without_all_its_parameters(probe_relation):
    rules.check(low_for_test=50)
    assert probe_relation == []
    with pytest.raises(ParameterError, match="must be a number between 0 and 100"):
        rules.check(low_for_test=500, high_for_test=2)  # its own rule fails first
    assert probe_relation == []


def test_a_relation_names_two_different_parameters(probe_relation):
    for names in (("low_for_test",), ("low_for_test", "low_for_test")):
        with pytest.raises(ValueError, match="two or more different parameters"):
            rules.register_relation(names, lambda **v: None, "")
    rules.register_relation(("low_for_test", "high_for_test"), lambda **v: None, "replaced")
    assert [r.allowed for r in rules.relations_of("high_for_test")] == ["replaced"]


@pytest.mark.parametrize(
    "baseline, comparison, message",
    [
        ([2018, 2021], [2020, 2024], "'comparison_years' [2020, 2024] overlaps baseline_years"),
        ([2021, 2023], [2015, 2017], "'comparison_years' [2015, 2017] lies before baseline_years"),
        ([2018, 2020], [2020, 2020], "'comparison_years' [2020, 2020] overlaps baseline_years"),
    ],
)
def test_the_risk_windows_must_follow_each_other(baseline, comparison, message):
    with pytest.raises(ParameterError) as err:
        check_parameters(baseline_years=baseline, comparison_years=comparison)
    assert message in str(err.value) and err.value.parameter == "comparison_years"
    check_parameters(baseline_years=[2015, 2017], comparison_years=[2018, 2018])  # adjacent: fine


def test_a_long_value_is_cut_in_a_rules_message():
    with pytest.raises(ParameterError) as err:
        check_parameters(unit="k" * 100_000)
    assert str(err.value).endswith("got '" + "k" * 78 + "…")  # 80 characters, quote included
