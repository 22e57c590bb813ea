"""The renderer does not pay for ``rfc3987_syntax`` (1–3 s of Lark parsers built at import)
unless something calls it, and jsonschema's ``iri`` format checks answer as they did.

Each check runs in a fresh interpreter: the stand-in works only when it is in place before
jsonschema is first imported, which in this test process has long happened."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO

IRIS = ["http://example.org/ä?q=ü#frag", "not an iri", "urn:isbn:0451450523", "http://[::1"]

CHECK = f"""
import json, sys
{{setup}}
import jsonschema, nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
text = nbformat.writes(nb)
assert nbformat.reads(text, as_version=4) == nb
before = {{{{m for m in ("rfc3987_syntax", "lark") if m in sys.modules}}}}
stand_in = type(sys.modules.get("rfc3987_syntax")).__name__
checker = jsonschema.FormatChecker()
iri = [checker.conforms(value, "iri") for value in {IRIS!r}]
iri_reference = [checker.conforms(value, "iri-reference") for value in {IRIS!r}]
real = type(sys.modules["rfc3987_syntax"]).__name__
print(json.dumps(dict(before=sorted(before), stand_in=stand_in, iri=iri,
                      iri_reference=iri_reference, real=real, lark="lark" in sys.modules)))
"""


def _run(setup: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(setup=setup)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(out.stdout)


def test_notebooks_are_written_without_it_and_iri_checks_answer_as_before():
    plain = _run("")  # jsonschema as it comes: the real module at import
    deferred = _run("import analysis.render")
    assert plain["before"] == ["lark", "rfc3987_syntax"]  # else this test proves nothing
    assert deferred["before"] == ["rfc3987_syntax"] and deferred["stand_in"] == "_StandIn"
    assert deferred["iri"] == plain["iri"] and deferred["iri_reference"] == plain["iri_reference"]
    assert True in plain["iri"] and False in plain["iri"]
    # the first call imported the real module, which took the stand-in's place
    assert deferred["real"] == "module" and deferred["lark"]


def test_any_other_use_of_the_module_gets_the_real_one():
    code = (
        "import analysis.render, jsonschema, sys\n"
        "import rfc3987_syntax\n"
        "assert 'lark' not in sys.modules\n"
        "rfc3987_syntax.RFC3987_SYNTAX_GRAMMAR_PATH\n"  # any other name: the real module
        "assert 'lark' in sys.modules\n"
        "assert type(sys.modules['rfc3987_syntax']).__name__ == 'module'\n"
        "from rfc3987_syntax.syntax_helpers import is_valid_syntax\n"
        "assert is_valid_syntax('iri', 'http://example.org/')\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_nothing_changes_when_jsonschema_came_first():
    code = (
        "import jsonschema, sys\n"
        "import analysis.render\n"
        "assert type(sys.modules['rfc3987_syntax']).__name__ == 'module'\n"
        "from analysis.render import deferred\n"
        "assert deferred.defer() is False\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


@pytest.mark.slow
def test_a_render_never_imports_it(tmp_path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from analysis import render\n"
        f"r = render.render_report(Path({str(FIXTURES / 'notebooks' / 'ok.ipynb')!r}),"
        f" {{}}, Path({str(tmp_path)!r}), notebooks_dir=Path({str(FIXTURES / 'notebooks')!r}))\n"
        "assert r.status == 'ok', r.error\n"
        "print(sorted(m for m in ('lark', 'nbformat', 'jsonschema') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.split("\n")[-2] == "['jsonschema', 'nbformat']"
    assert (tmp_path / "ok.html").is_file()
