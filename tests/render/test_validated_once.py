"""The renderer validates a data directory once per content, and the reports' kernels read the
tables it validated without validating them again (:mod:`analysis.tables.validcache`)."""

from __future__ import annotations

import nbformat
import pytest

from analysis import render
from analysis.exceptions import DataError
from analysis.render import datacheck
from analysis.render.manifest import FileHasher
from analysis.tables import registry, validate, validcache


@pytest.fixture
def validations(monkeypatch) -> list:
    """Every validation of a whole data directory from now on (a spy)."""
    calls = []
    real = validate.validate_data

    def spy(data_dir=None):
        calls.append(data_dir)
        return real(data_dir)

    monkeypatch.setattr(validate, "validate_data", spy)
    registry._CACHE.clear()
    validcache._LOADED[:] = [None, None]
    return calls


def _check(data_dir) -> dict:
    return datacheck.check_data(str(data_dir), FileHasher().file, str)


def test_unchanged_data_is_validated_once_and_a_defect_every_time(seed_min, validations):
    first = _check(seed_min)
    assert validations == [str(seed_min)] and validcache.cache_file().is_file()
    assert _check(seed_min) == first  # the same tables and hashes for the manifest
    assert validations == [str(seed_min)]  # not validated again
    seed_min.replace("funding.csv", "9500000000", "9.5 billion")
    for _ in (1, 2):  # a failure is never recorded: reported again, whole
        with pytest.raises(DataError) as err:
            _check(seed_min)
        assert "funding.csv, row 1, column 'amount_usd': '9.5 billion' is not a valid number" in (
            str(err.value)
        )
    assert len(validations) == 3


def _probe(notebooks) -> None:
    """A notebook that reads tables and says whether its kernel imported pandera."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sys\n"
            "import analysis\n"
            "analysis.load_funding(), analysis.load_ucdp_brd()\n"
            "print('pandera imported:', 'pandera' in sys.modules)"
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, notebooks / "probe.ipynb")


def _printed(out) -> str:
    executed = nbformat.read(out / "probe.ipynb", as_version=4)
    return "".join(o.get("text", "") for o in executed.cells[0].outputs).strip()


@pytest.mark.slow
def test_a_report_kernel_reads_the_validated_tables_without_pandera(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _probe(notebooks)
    result = render.render_report("probe", out_dir=tmp_path / "out", notebooks_dir=notebooks)
    assert result.status == "ok"
    assert _printed(tmp_path / "out") == "pandera imported: False"
    # where no cache can be written (as in a kernel that no render prepared): validated, as before
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv(validcache.CACHE_ENV_VAR, str(blocker / "cache"))
    result = render.render_report(
        "probe", out_dir=tmp_path / "out2", notebooks_dir=notebooks, force=True
    )
    assert result.status == "ok"
    assert _printed(tmp_path / "out2") == "pandera imported: True"
