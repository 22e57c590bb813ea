"""The output directory: checked before a render touches it, cleaned of what a killed render
left, its manifest recovered when damaged, its records written without crashing the run.

- :func:`prepare`: before the lock, before any kernel: the output directory is a directory (not
  a file, not below one), can be created and written (a probe file is written and removed: a
  read-only, immutable or full file system is refused here), and the names the render writes
  there are of the right kind (the lock file, ``assets/``, ``failed/``, the manifest, the
  index, the history). Anything else is one :class:`~analysis.exceptions.OutputError` line
  naming the path (exit 7) and nothing is written.
- :func:`clean_stale`: under the lock, every run (a no-op run too): the temporary folders and
  half-written files a render killed with SIGKILL (or a lost terminal's SIGHUP, before it was
  handled) left behind. The lock guarantees no other render of this directory is running.
- :func:`load_manifest`: ``manifest.json`` as the last run left it; a truncated or corrupt one
  is rebuilt from the pages present (each ``<name>.html`` beside its ``<name>.ipynb``), with a
  warning, so the new index still links every good page (their reports render again: what
  produced them is no longer known).
- :func:`attempt`: write one record (manifest, index, changes page, history line); an
  ``OSError`` (a disk filled during the run) becomes a warning, so the failure summary and the
  history line of a run whose reports failed for lack of space still come out.

May import: the standard library, :mod:`analysis.exceptions`, :mod:`analysis.files` and the
engine's own :mod:`.manifest` and :mod:`.lock`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import files
from ..exceptions import OutputError
from . import manifest as mf
from .lock import HOLDER_NAME, LOCK_NAME

TMP_PREFIX = ".tmp-render-"  # a run's work folder inside the output directory
ASSETS_DIR = "assets"
FAILED_DIR = "failed"
PROBE_PREFIX = ".write-probe-"
PROBE_BYTES = 64 * 1024  # written and removed before anything else: can this disk take a page?
_PAGES_NOT_REPORTS = (mf.INDEX_NAME, "changes.html")

# name in the output directory -> the kind the render needs it to be
_KINDS = {
    LOCK_NAME: "file",
    HOLDER_NAME: "file",
    mf.MANIFEST_NAME: "file",
    mf.HISTORY_NAME: "file",
    mf.INDEX_NAME: "file",
    "changes.html": "file",
    mf.CACHE_NAME: "file",
    ASSETS_DIR: "directory",
    FAILED_DIR: "directory",
}


def prepare(out_dir: str | os.PathLike) -> Path:
    """The output directory, absolute, created if missing, checked writable; OutputError (one
    line, exit 7) naming what is wrong, before anything is written or locked."""
    given = str(out_dir)
    out = Path(out_dir).expanduser().absolute()
    for parent in [out, *out.parents]:  # the deepest part that exists must be a directory
        if os.path.lexists(parent):
            real = parent.resolve()
            if not real.is_dir():
                what = _kind_of(real) if real.exists() else "a dangling symlink"
                where = "is" if parent == out else f"is below {parent}, which is"
                raise OutputError(f"output directory {given} {where} {what}, not a directory")
            break
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"output directory {given}: cannot be created ({_why(exc)})") from None
    out = out.resolve()
    for name, needed in _KINDS.items():
        path = out / name
        if not os.path.lexists(path):
            continue
        is_dir = path.is_dir()
        if (needed == "directory") != is_dir or not (is_dir or path.is_file()):
            raise OutputError(
                f"output directory {given}: {path} is {_kind_of(path)}, but the render needs a "
                f"{needed} there ({_role(name)}); move it away"
            )
    _probe(out, given)
    return out


def _probe(out: Path, given: str) -> None:
    """Write and remove a small file: a read-only, immutable or full file system says so now."""
    path = None
    try:
        fd, path = tempfile.mkstemp(prefix=PROBE_PREFIX, dir=out)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(
            f"output directory {given}: cannot be written ({_why(exc)}); nothing was rendered"
        ) from None
    finally:
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _kind_of(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "missing"
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return "a dangling symlink"
    return files.kind(mode)


def _role(name: str) -> str:
    return {
        LOCK_NAME: "its lock",
        HOLDER_NAME: "the lock holder's name",
        ASSETS_DIR: "the pages' shared plotly.js and CSS",
        FAILED_DIR: "the failed runs' notebooks",
    }.get(name, f"its {name}")


def clean_stale(out: Path) -> list[str]:
    """Remove what killed renders left in ``out`` (call it holding the lock): work folders
    (``.tmp-render-*``), half-written files (``.*.tmp``, in ``out`` and ``assets/``) and write
    probes. Returns the names removed."""
    removed = []
    for where in (out, out / ASSETS_DIR):
        try:
            names = os.listdir(where)
        except OSError:
            continue
        for name in names:
            path = where / name
            if name.startswith(TMP_PREFIX) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif name.startswith(".") and (name.endswith(".tmp") or name.startswith(PROBE_PREFIX)):
                if path.is_symlink() or path.is_file():
                    try:
                        path.unlink()
                    except OSError:
                        continue
                else:
                    continue
            else:
                continue
            removed.append(str(path.relative_to(out)))
    return removed


def load_manifest(out: Path, warnings: list[str]) -> mf.Manifest:
    """``manifest.json``; when it is there but damaged (truncated, not JSON, not this format),
    a manifest rebuilt from the pages present, and a warning in ``warnings``."""
    path = out / mf.MANIFEST_NAME
    manifest = mf.Manifest.load(out)
    if manifest.reports or not path.exists():
        return manifest
    try:
        data = json.loads(files.read_text(path, cap=files.DATA_FILE_CAP, what="a manifest"))
        intact = isinstance(data, dict) and data.get("format") == mf.FORMAT
        if intact and isinstance(data.get("reports"), dict):
            return manifest  # a manifest of no report: nothing to recover
    except (files.Refused, ValueError):
        pass
    rebuilt = rebuild(out)
    warnings.append(
        f"{path} was damaged (not a manifest this version can read): rebuilt from the "
        f"{len(rebuilt.reports)} page(s) present, which stay linked from the index; their "
        "reports render again"
    )
    return rebuilt


def rebuild(out: Path) -> mf.Manifest:
    """A manifest of the good pages in ``out``: each ``<name>.html`` with its ``<name>.ipynb``
    (parameters and notebook read back from the executed notebook's papermill metadata). The
    entries have no fingerprint, so their reports are rendered again when next asked for."""
    manifest = mf.Manifest(out)
    for page in sorted(out.glob("*.html")):
        name = page.stem
        notebook = out / f"{name}.ipynb"
        if page.name in _PAGES_NOT_REPORTS or not (page.is_file() and notebook.is_file()):
            continue
        papermill = _papermill_metadata(notebook)
        rendered = dt.datetime.fromtimestamp(page.stat().st_mtime).astimezone()
        figures = out / f"{name}.figures.json"
        manifest.reports[name] = {
            "html": page.name,
            "ipynb": notebook.name,
            "figures": figures.name if figures.is_file() else None,
            "notebook": papermill.get("input_path") or "",
            "parameters": papermill.get("parameters") or {},
            "status": "recovered",
            "duration_s": 0.0,
            "error": None,
            "good": {"key": None, "rendered_at": rendered.isoformat(timespec="seconds")},
        }
    return manifest


def _papermill_metadata(notebook: Path) -> dict:
    try:
        data = json.loads(files.read_text(notebook, cap=files.NOTEBOOK_CAP, what="a notebook"))
        found = data["metadata"]["papermill"]
    except (files.Refused, ValueError, KeyError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def attempt(warnings: list[str], what: str, write: Callable[[], object]) -> bool:
    """Run ``write``; an OSError becomes a warning naming ``what`` (the previous file is kept:
    every record is written whole or not at all). Returns whether it was written."""
    try:
        write()
    except OSError as exc:
        warnings.append(f"{what} was not written ({_why(exc)}); the previous one is kept")
        return False
    return True
