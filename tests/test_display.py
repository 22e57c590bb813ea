"""A report's figures show in Jupyter without plotly's renderer machinery (``analysis._display``):
the same output plotly would send, without importing nbformat, jsonschema and rfc3987_syntax
(seconds before a report's first chart), and plotly's own choices wherever they could differ."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import REPO
from IPython.core.formatters import DisplayFormatter

import analysis
from analysis import _display

# what plotly's renderer chain imports, and the package must not, to show a figure
HEAVY = ("nbformat", "jsonschema", "rfc3987_syntax", "plotly.io._renderers")


def _report_figure() -> go.Figure:
    net = analysis.network.load_graph(["threatens", "attacks"], "after", focus_actor="isis_k")
    return analysis.network.network_chart(net, "isis_k")


def test_the_output_is_plotlys_own_for_a_report_figure():
    fig = _report_figure()
    fig.data[0].uid = "kept-as-plotly-keeps-it"
    ours = _display.mimebundle(fig)
    plotlys = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    assert ours == plotlys
    assert list(ours) == ["application/vnd.plotly.v1+json"]


def _Shell(module: str = "ipykernel.zmqshell"):
    """A stand-in for IPython's shell, of a class defined in ``module``: what register() reads."""
    shell = type("InteractiveShell", (), {"__module__": module})()
    shell.display_formatter = DisplayFormatter()
    return shell


def _registered(monkeypatch, shell) -> bool:
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    done = _display.register()
    formatter = shell.display_formatter.ipython_display_formatter if shell else None
    try:
        printer = formatter.lookup(go.Figure()) if formatter else None
    except KeyError:
        printer = None
    assert done == (printer is _display.show)
    return done


def test_registered_only_in_a_kernel_where_plotly_would_send_its_mimetype(monkeypatch):
    for variable in _display._PLOTLY_ELSEWHERE:
        monkeypatch.delenv(variable, raising=False)
    assert _registered(monkeypatch, _Shell())
    assert not _registered(monkeypatch, None)  # plain Python
    assert not _registered(monkeypatch, _Shell("IPython.terminal.interactiveshell"))
    monkeypatch.setenv("PLOTLY_RENDERER", "browser")  # the user's choice stays plotly's
    assert not _registered(monkeypatch, _Shell())
    monkeypatch.delenv("PLOTLY_RENDERER")
    monkeypatch.setenv("COLAB_NOTEBOOK_ID", "x")  # plotly picks its colab renderer there
    assert not _registered(monkeypatch, _Shell())


def test_importing_the_package_outside_jupyter_loads_no_ipython():
    code = "import sys, analysis; print('IPython' in sys.modules, 'plotly' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.split() == ["False", "False"]


# -- in a real kernel --------------------------------------------------------------------------

PROBE = f"""
import json, sys
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def _outputs(cell) -> list[dict]:
    return [o["data"] for o in cell.outputs if o.output_type in ("display_data", "execute_result")]


@pytest.mark.slow
def test_a_report_shows_its_charts_without_the_renderer_chain_and_as_plotly_would(tmp_path):
    """actor_network runs top to bottom in a plain python3 kernel; afterwards the kernel has not
    imported nbformat, jsonschema or rfc3987_syntax, and plotly's own display of the report's
    network chart, asked for afterwards, sends exactly what the report sent."""
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "notebooks" / "actor_network.ipynb", as_version=4)
    chart = next(i for i, c in enumerate(nb.cells) if "network_chart(net" in c.source)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    again = "analysis.network.network_chart(net, P.focus_actor)._ipython_display_()"
    nb.cells.append(nbformat.v4.new_code_cell(again))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
    ).execute()
    loaded_after_report = json.loads(nb.cells[-3].outputs[0]["text"])
    assert loaded_after_report == []
    (shown,) = _outputs(nb.cells[chart])
    (plotlys,) = _outputs(nb.cells[-2])
    assert list(shown) == ["application/vnd.plotly.v1+json"]
    assert shown == plotlys
    # the probe itself can fail: plotly's own display does load the chain
    assert "plotly.io._renderers" in json.loads(nb.cells[-1].outputs[0]["text"])


@pytest.mark.slow
def test_in_a_kernel_a_renderer_the_user_chose_is_plotlys_to_apply():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        sent = []

        def keep(msg):
            if msg["msg_type"] in ("display_data", "execute_result"):
                sent.append(sorted(msg["content"]["data"]))

        code = (
            "import analysis, plotly.graph_objects as go, plotly.io as pio\n"
            "display(go.Figure(go.Bar(y=[1, 2])))\n"
            "pio.renderers.default = 'json'\n"
            "display(go.Figure(go.Bar(y=[1, 2])))\n"
        )
        reply = kc.execute_interactive(code, output_hook=keep, timeout=60)
        assert reply["content"]["status"] == "ok"
        assert sent == [["application/vnd.plotly.v1+json"], ["application/json"]]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
