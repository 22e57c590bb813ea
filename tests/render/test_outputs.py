"""analysis.render.outputs: a cell's stored output capped, with a note; nothing else touched."""

from __future__ import annotations

import json

import nbformat

from analysis.render.outputs import NOTE_TAG, cap_outputs


def _cell(*outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def _stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _size(cell) -> int:
    return len(json.dumps(cell.outputs).encode())


def test_a_cell_printing_100_mb_keeps_its_head_and_a_note():
    line = "x" * 99 + "\n"
    cell = _cell(_stream(line * 1_000_000))  # 100 MB
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert cap_outputs(nb, cap=2**20) == 1
    assert _size(cell) < 2**20 + 2_000  # the cap, and the note
    head, note = cell.outputs
    assert head.text.startswith(line) and head.text.endswith("\n")  # cut at a line end
    assert note.metadata["tags"] == [NOTE_TAG]
    text = note.data["text/plain"]
    assert "it produced 96.3 MiB, above the cap of 1.0 MiB per cell" in text  # JSON, as saved
    assert text in note.data["text/html"]
    nbformat.validate(nb)  # still a valid notebook


def test_outputs_past_the_cap_are_dropped_but_an_error_is_kept():
    figure = {"output_type": "display_data", "data": {"image/png": "A" * 5000}, "metadata": {}}
    error = {"output_type": "error", "ename": "ValueError", "evalue": "boom", "traceback": []}
    cell = _cell(_stream("a\n" * 100), figure, figure, error)
    cap_outputs(nbformat.v4.new_notebook(cells=[cell]), cap=6000)
    kinds = [o.output_type for o in cell.outputs]
    assert kinds == ["stream", "display_data", "display_data", "error"]
    assert "image/png" in cell.outputs[1].data and NOTE_TAG in cell.outputs[2].metadata["tags"]
    assert cell.outputs[3].ename == "ValueError"  # where the cell failed stays


def test_cells_within_the_cap_are_untouched():
    cell = _cell(_stream("small\n"))
    before = json.dumps(cell)
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("# x")])
    assert cap_outputs(nb, cap=1000) == 0
    assert json.dumps(cell) == before
