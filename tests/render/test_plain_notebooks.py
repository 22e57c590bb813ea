"""Any papermill notebook renders as papermill runs it: no package rule needed, values typed from
the parameters cell as ``papermill --help-notebook`` reads it, ``-p`` strings read as
``papermill -p`` reads them, no injected cell without a parameter, failures named by notebook
and by the cell numbers Jupyter shows for the notebook file.

The fixtures in ``tests/fixtures/notebooks/plain/`` are papermill's own test notebooks
(``simple_execute``, ``complex_parameters``, ``no_parameters``) and one whose cell raises.
"""

from __future__ import annotations

import logging
import re

import nbformat
import papermill
import pytest
from conftest import FIXTURES

from analysis import render
from analysis.cli import main
from analysis.exceptions import ParameterError
from analysis.render import manifest, parameters

PLAIN = FIXTURES / "notebooks" / "plain"


def test_the_parameters_are_read_as_papermill_help_notebook_reads_them():
    ours = parameters.declared(PLAIN / "complex_parameters.ipynb")
    theirs = papermill.inspect_notebook(str(PLAIN / "complex_parameters.ipynb"))
    assert list(ours) == list(theirs) == ["msg", "a", "b", "c", "n"]  # `d = a == 3` is skipped
    for name, info in theirs.items():
        assert (ours[name].type_name, ours[name].help) == (info["inferred_type_name"], info["help"])
    assert ours["a"].value_type is float  # its annotation
    assert ours["b"].value_type is list  # its type comment: List[str]
    assert ours["n"].value_type is int  # untyped, but its default is an int
    assert ours["msg"].value_type is None and ours["c"].value_type is None  # nothing says


def test_a_default_that_is_not_a_literal_is_kept_as_written(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("import os\nhome = os.environ.get('HOME')  # where")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "expr.ipynb"
    nbformat.write(nb, path)
    (home,) = parameters.declared(path).values()
    assert (home.literal, home.default_source) == (False, "os.environ.get('HOME')")


@pytest.mark.parametrize("raw", ["hello", "True", "False", "None", "3", "-3", "2.5", "1e3", ""])
def test_an_untyped_value_is_read_as_papermill_p_reads_it(raw):
    from papermill.cli import _resolve_type  # papermill's own reading: the reference

    untyped = parameters.Declared("msg", "None", None, "")
    assert parameters.parse_cli_value("msg", raw, untyped) == _resolve_type(raw)
    assert type(parameters.parse_cli_value("msg", raw, untyped)) is type(_resolve_type(raw))


def test_a_typed_value_follows_the_annotation_or_the_default():
    found = parameters.declared(PLAIN / "complex_parameters.ipynb")
    assert parameters.parse_cli_value("a", "3", found["a"]) == 3.0  # float, not papermill's int
    assert parameters.parse_cli_value("n", "4", found["n"]) == 4
    assert parameters.parse_cli_value("b", "x,y", found["b"]) == ["x", "y"]
    with pytest.raises(ParameterError) as err:
        parameters.parse_cli_value("a", "lots", found["a"], PLAIN / "complex_parameters.ipynb")
    assert str(err.value) == (
        f"notebook {PLAIN / 'complex_parameters.ipynb'}: parameter 'a' must be a float (no "
        "rule; typed by the notebook); got 'lots'"
    )


def test_a_plain_notebook_needs_no_rule_and_checks_types_naming_the_notebook():
    notebook = PLAIN / "complex_parameters.ipynb"
    assert not parameters.is_package_report(notebook)
    full = parameters.validate(notebook, {"msg": "hello", "a": 3}, "complex_parameters")
    assert full == {"msg": "hello", "a": 3, "b": ["Hello", "World"], "c": None, "n": 3}
    with pytest.raises(ParameterError) as err:
        parameters.validate(notebook, {"a": "lots"}, "complex_parameters")
    assert str(err.value).startswith(f"notebook {notebook}: parameter 'a' must be a float")
    # a package report still needs a rule for every parameter it is given
    with pytest.raises(ParameterError, match="parameter 'unit' must be one of 'bn', 'm'"):
        parameters.validate(FIXTURES / "notebooks" / "ok.ipynb", {"unit": "kg"}, "ok")


def test_p_for_a_parameter_a_plain_notebook_lacks_is_passed_through_as_papermill_does(caplog):
    report = render.Report(
        "no_parameters", PLAIN / "no_parameters.ipynb", cli_values={"msg": "hello"}
    )
    with caplog.at_level(logging.WARNING, logger="analysis.render"):
        job = manifest.plan_report(report, None, manifest.FileHasher(), "code", False)
    assert job.given == {"msg": "hello"}
    assert "passed unknown parameter 'msg', as papermill does" in caplog.text
    # a package report refuses it, naming the report
    ok = render.Report("ok", FIXTURES / "notebooks" / "ok.ipynb", cli_values={"msg": "hello"})
    with pytest.raises(ParameterError, match="report 'ok' has no parameter 'msg'"):
        manifest.plan_report(ok, None, manifest.FileHasher(), "code", False)


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.slow
def test_a_folder_of_plain_notebooks_renders_with_p_msg_hello(tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["render", "--notebooks", str(PLAIN), "--out", str(out), "-p", "msg", "hello"])
    captured = capsys.readouterr()
    assert code == 4  # failing.ipynb raises on purpose; the others render
    assert "3 rendered, 1 failed" in captured.out
    # the failure names the notebook and the cell as Jupyter numbers the notebook file
    assert "FAILED failing: cell 4 (In [3]): ValueError: broken on purpose: msg='hello'" in (
        captured.err
    )
    assert re.search(r"^  notebook: \S*plain/failing\.ipynb$", captured.err, re.M)
    assert "Traceback" not in captured.err

    simple = _code_cells(out / "simple_execute.ipynb")
    assert _text(simple[-1]) == "hello\n"  # print(msg)
    complex_ = _code_cells(out / "complex_parameters.ipynb")
    assert _text(complex_[-1]).splitlines() == [
        "msg = 'hello' (str)",
        "a = 2.25 (float)",
        "b = ['Hello', 'World'] (list)",
        "c = None (NoneType)",
        "d = False (bool)",
        "n = 3 (int)",
    ]
    injected = [c for c in complex_ if "injected-parameters" in c.metadata["tags"]]
    assert len(injected) == 1 and injected[0].source.splitlines()[1:] == ['msg = "hello"']
    # papermill injects a name the notebook does not declare, at the top: so do we
    no_params = _code_cells(out / "no_parameters.ipynb")
    assert "injected-parameters" in no_params[0].metadata["tags"]
    assert _text(no_params[-1]) == "42\n"


@pytest.mark.slow
def test_without_parameters_nothing_is_injected_and_cell_numbers_match(tmp_path):
    reports = [
        render.Report(name, PLAIN / f"{name}.ipynb")
        for name in ("no_parameters", "complex_parameters", "failing")
    ]
    run = render.render_all(reports, tmp_path, jobs=2)
    status = {r.name: r for r in run.results}
    for name in ("no_parameters", "complex_parameters"):
        assert status[name].status == "ok"
        cells = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4).cells
        assert not [c for c in cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(cells) == len(nbformat.read(PLAIN / f"{name}.ipynb", as_version=4).cells)
    error = status["failing"].error
    # the fifth cell (index 4) is the third code cell: Jupyter shows it as In [3]
    assert (error.cell_index, error.execution_count) == (4, 3)
    assert error.evalue == "broken on purpose: msg=None"


@pytest.mark.slow
def test_typed_parameters_of_a_plain_notebook_arrive_typed(tmp_path):
    report = render.Report(
        "complex_parameters",
        PLAIN / "complex_parameters.ipynb",
        cli_values={"a": "3", "n": "4", "msg": "7"},
    )
    run = render.render_all([report], tmp_path)
    assert run.exit_code == 0
    lines = _text(_code_cells(tmp_path / "complex_parameters.ipynb")[-1]).splitlines()
    assert "a = 3.0 (float)" in lines  # by its annotation, where papermill -p would give 3
    assert "n = 4 (int)" in lines  # by its default's type
    assert "msg = 7 (int)" in lines  # untyped: as papermill -p reads "7"
