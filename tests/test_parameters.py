"""Parameter rules: checked by name, one clear line per bad value, data-aware where needed."""

from __future__ import annotations

import pytest

from analysis import parameters
from analysis.exceptions import ParameterError


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
        parameters.check(**values)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_values_come_back_normalised_in_the_order_given():
    p = parameters.check(as_of="2021-09-01", unit="m", show_context=False, data_dir="")
    assert vars(p) == {"as_of": "2021-09-01", "unit": "m", "show_context": False, "data_dir": ""}


def test_rules_see_the_data_dir_checked_with_them(tmp_path):
    seen = []
    rule = parameters.Rule(
        str, "anything", lambda name, value: seen.append(parameters.current_data_dir()) or value
    )
    parameters.register("probe_for_test", rule)
    try:
        parameters.check(probe_for_test="x", data_dir=str(tmp_path))
        parameters.check(probe_for_test="x")
    finally:
        del parameters.RULES["probe_for_test"]
    assert seen == [str(tmp_path), None]
    assert parameters.current_data_dir() is None  # reset after the check


def test_registering_the_same_meaning_twice_is_fine_a_different_one_is_not():
    parameters.register("unit", parameters.choice("bn", "m"))
    with pytest.raises(ValueError, match="already has a different rule"):
        parameters.register("unit", parameters.choice("bn", "m", "k"))


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
    decl = parameters.Declared("show_context", "bool", True, "")
    with pytest.raises(ParameterError, match="parameter 'show_context' must be True or False"):
        parameters.parse_cli_value("show_context", "maybe", decl)


def test_a_rules_error_names_its_parameter_as_data_not_only_in_text():
    with pytest.raises(ParameterError) as err:
        parameters.check(unit="m", as_of="someday")
    assert err.value.parameter == "as_of"
