"""Each cell's stored output, capped: a notebook printing 100 MB must not make a 100 MB page.

:func:`cap_outputs` runs on the executed notebook before it is saved and drawn: a code cell
whose outputs together exceed :data:`CELL_OUTPUT_CAP` keeps its outputs in order up to the cap
(a stream or text output that crosses it is cut at a line end), drops the rest, and gets one
more output saying so, visible in the notebook and on the page: how much the cell produced and
how much is kept. Cells within the cap are untouched (a report's charts and tables are well
below it).

May import: the standard library, nbformat, :mod:`analysis.files`.
"""

from __future__ import annotations

import json
from typing import Any

from ..files import size_text

CELL_OUTPUT_CAP = 2 * 2**20  # bytes of stored output per cell (the largest report chart: ~0.5 MB)
NOTE_TAG = "afghan-brief-output-capped"  # the note's metadata tag


def _size(output: Any) -> int:
    return len(json.dumps(output, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _cut_text(text: Any, room: int) -> str | None:
    """The head of a text (or a list of lines) in at most ``room`` bytes, at a line end when
    one is near; None when not even a line fits."""
    if isinstance(text, list):
        text = "".join(text)
    if not isinstance(text, str):
        return None
    head = text.encode("utf-8")[: max(0, room)].decode("utf-8", errors="ignore")
    end = head.rfind("\n")
    if end > len(head) // 2:
        head = head[: end + 1]
    return head or None


def _shortened(output: Any, room: int) -> Any | None:
    """A text output (stream, or text/plain only) cut to fit ``room`` bytes; None otherwise."""
    from nbformat import NotebookNode  # here: a no-op render imports no nbformat

    kind = output.get("output_type")
    if kind == "stream":
        text = _cut_text(output.get("text", ""), room - 200)
        if text is None:
            return None
        cut = NotebookNode(output)
        cut["text"] = text
        return cut
    data = output.get("data")
    plain = isinstance(data, dict) and set(data) == {"text/plain"}
    if kind in ("execute_result", "display_data") and plain:
        text = _cut_text(data["text/plain"], room - 200)
        if text is None:
            return None
        cut = NotebookNode(output)
        cut["data"] = NotebookNode({"text/plain": text})
        return cut
    return None


def _note(total: int, kept: int, cap: int) -> dict:
    import nbformat

    text = (
        f"[afghan-brief: this cell's output was cut: it produced {size_text(total)}, above the "
        f"cap of {size_text(cap)} per cell; the first {size_text(kept)} are kept. Run the "
        "notebook to see it all.]"
    )
    note = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": text,
            "text/html": f'<p class="ab-output-capped" role="note"><strong>{text}</strong></p>',
        },
    )
    note.metadata = {"tags": [NOTE_TAG]}
    return note


def cap_outputs(nb: Any, cap: int | None = None) -> int:
    """Cap every code cell's stored outputs at ``cap`` bytes (JSON, as saved; default
    :data:`CELL_OUTPUT_CAP`), with a note in the cell. Returns the number of cells cut."""
    cap = CELL_OUTPUT_CAP if cap is None else cap
    cut_cells = 0
    for cell in nb.cells:
        outputs = cell.get("outputs") if cell.get("cell_type") == "code" else None
        if not outputs:
            continue
        sizes = [_size(o) for o in outputs]
        total = sum(sizes)
        if total <= cap:
            continue
        kept, used = [], 0
        for output, size in zip(outputs, sizes, strict=True):
            if output.get("output_type") == "error":  # where a cell failed: always kept
                continue
            if used + size <= cap:
                kept.append(output)
                used += size
                continue
            limit = room = cap - used
            shortened = _shortened(output, room)
            while shortened is not None and _size(shortened) > limit:  # JSON escapes add bytes
                room -= _size(shortened) - limit + 64
                shortened = _shortened(output, room)
            if shortened is not None:
                kept.append(shortened)
                used += _size(shortened)
            break
        kept.append(_note(total, used, cap))
        kept += [o for o in outputs if o.get("output_type") == "error"]
        cell["outputs"] = kept
        cut_cells += 1
    return cut_cells
