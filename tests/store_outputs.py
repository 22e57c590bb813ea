"""Keep notebook outputs only in the cells nbval checks (tagged ``nbval-check-output``).

    python tests/store_outputs.py notebooks/*.ipynb          # strip (pre-commit runs this)
    python tests/store_outputs.py --run notebooks/*.ipynb    # execute with defaults, then strip

A checked cell keeps its outputs and an execution count (nbval skips a stored cell without one);
every other cell is cleared, and papermill's run metadata is dropped, so diffs stay readable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

CHECKED = "nbval-check-output"
RUN_METADATA = ("papermill", "execution", "widgets")


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Clear outputs of unchecked cells and run metadata; keep checked cells' outputs."""
    for key in RUN_METADATA:
        nb.metadata.pop(key, None)
    count = 0
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        if CHECKED in cell.metadata.get("tags", []):
            count += 1
            cell.metadata["keep_output"] = True
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
        else:
            cell.outputs = []
            cell.execution_count = None
    return nb


def run(path: Path) -> nbformat.NotebookNode:
    import papermill

    return papermill.execute_notebook(
        str(path), None, kernel_name="python3", cwd=str(path.parent), progress_bar=False
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--run", action="store_true", help="execute each notebook first")
    args = parser.parse_args(argv)
    changed = 0
    for path in args.notebooks:
        before = path.read_text(encoding="utf-8")
        nb = run(path) if args.run else nbformat.reads(before, as_version=4)
        after = nbformat.writes(strip(nb)) + "\n"
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed += 1
            print(f"stored {path}")
    return 1 if changed and not args.run else 0  # pre-commit: a rewritten file fails the hook


if __name__ == "__main__":
    sys.exit(main())
