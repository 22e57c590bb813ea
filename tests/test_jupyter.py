"""Jupyter as an analyst meets it: the named kernel exists and imports the package, the notebooks
ask for exactly that kernel, and JupyterLab opens each notebook without marking it modified."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
KERNEL = "afghan-brief"


def _spec():
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().get_kernel_spec(KERNEL)


def test_the_named_kernel_is_installed_with_the_environment():
    spec = _spec()
    assert Path(spec.resource_dir).is_relative_to(
        Path(sys.prefix)
    )  # this environment's, not global
    assert (
        spec.language == "python" and spec.argv[0] == "python"
    )  # jupyter_client runs sys.executable


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_asks_for_the_named_kernel_as_installed(notebook):
    spec = _spec()
    meta = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert meta == {"display_name": spec.display_name, "language": spec.language, "name": KERNEL}


@pytest.mark.slow
def test_the_named_kernel_imports_the_package():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=KERNEL)
    try:
        reply = kc.execute_interactive(
            "import analysis, sys; print(analysis.__file__); print(sys.executable)", timeout=60
        )
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on copies of the notebooks (opening must not need to write them)."""
    root = tmp_path_factory.mktemp("lab")
    for notebook in NOTEBOOKS:
        (root / notebook.name).write_bytes(notebook.read_bytes())
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # what `make lab` adds for root
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"jupyter lab exited with {server.returncode}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", root
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_jupyterlab_opens_a_notebook_without_marking_it_modified(browser, lab, notebook):
    url, root = lab
    before = (root / notebook.name).read_bytes()
    page = browser.new_page()
    try:
        page.goto(f"{url}/lab/tree/{notebook.name}?reset")
        page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )  # the kernel started and metadata was reconciled
        time.sleep(2)
        dirty = page.evaluate(
            "() => Array.from(document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty'))"
            ".map(t => t.textContent)"
        )
        dialogs = page.evaluate("() => document.querySelectorAll('.jp-Dialog').length")
    finally:
        page.close()
    assert dirty == [] and dialogs == 0  # no "select kernel" prompt, nothing changed
    assert (root / notebook.name).read_bytes() == before
