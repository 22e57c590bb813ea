"""What a report is made of, and what happened to it: fingerprints, manifest, history.

Everything here is cheap (standard library only), because the no-op render, which decides
that nothing changed, must take a fraction of a second:

- :class:`FileHasher`: SHA-256 of files, cached by (path, size, mtime) in ``<out>/.cache.json``;
- :func:`package_fingerprint` / :func:`data_fingerprint`: the ``analysis/`` code (and its
  shipped data) and a user's data directory, each as one digest plus per-file hashes;
- :class:`Manifest`: ``manifest.json``, the state of every report in the output directory
  (parameters, input hashes, status, duration, links, last good render);
- :func:`append_history`: ``history.jsonl``, one line per run, never rewritten;
- :func:`plan_report`: a report's parameters resolved and its inputs fingerprinted into one
  key; a report whose key equals its last good render's is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files
from ..exceptions import ConfigError, ParameterError, UnknownReportError, shown
from .datacheck import ENV_VAR, active_set, find_file, user_data_dir
from .parameters import (
    Declared,
    check_plain,
    is_package_report,
    non_plain,
    papermill_value,
    parse_cli_value,
)

FORMAT = 2  # bump when the meaning of a fingerprint changes: every report renders again


CACHE_NAME = ".cache.json"


MANIFEST_NAME = "manifest.json"


HISTORY_NAME = "history.jsonl"


INDEX_NAME = "index.html"


def now() -> str:
    """The current time, local, to the second, with its UTC offset (ISO 8601)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def digest(value: Any) -> str:
    """SHA-256 of a JSON-able value in canonical form (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all: a sibling temp file, then ``os.replace``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class FileHasher:
    """SHA-256 of files, remembered by (path, size, mtime_ns) so unchanged files are not read."""

    def __init__(self, cache_file: Path | None = None):
        self.cache_file = cache_file
        self._files: dict[str, list] = {}
        self._resolved: dict[str, str] = {}  # a path as given -> its resolved key, this run
        self.declared: dict[str, dict] = {}  # notebook sha256 -> its parameters (render.py)
        self._dirty = False
        if cache_file is not None and cache_file.is_file():
            try:
                data = json.loads(cache_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("format") == FORMAT:
                self._files = data.get("files", {})
                self.declared = data.get("declared", {})

    def file(self, path: Path) -> str:
        """The file's SHA-256; :class:`analysis.files.Refused` when it is not a regular file
        (checked by type before opening: a FIFO never blocks the run) or above the data cap."""
        return self._hash(path, self._key(path))

    def _key(self, path: Path) -> str:
        """The file's resolved path, the cache's key (resolved once per path in a run)."""
        given = str(path)
        key = self._resolved.get(given)
        if key is None:
            key = self._resolved[given] = str(Path(path).resolve())
        return key

    def _hash(self, path: str | os.PathLike, key: str) -> str:
        stat = files.check(path, cap=files.DATA_FILE_CAP, what="a hashed input")
        known = self._files.get(key)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return known[2]
        data = files.read_bytes(path, cap=files.DATA_FILE_CAP, what="a hashed input")
        sha = hashlib.sha256(data).hexdigest()
        self._files[key] = [stat.st_size, stat.st_mtime_ns, sha]
        self._dirty = True
        return sha

    def tree(self, root: Path) -> dict[str, str]:
        """Every file under ``root`` (relative POSIX path -> sha256), skipping caches and dot
        files: what a change to the code or data of a directory is made of. What is not a
        readable regular file (a FIFO, a device, a dangling symlink, a file above the cap) is
        left out unopened: no loader reads it either (a table's file of that kind is refused,
        naming it, when the table is looked up). Symlinked directories are not followed.

        The tree is listed from its resolved path, so the cache key of a file in it is its
        path there (only a symlinked file is resolved): no per-file ``resolve``."""
        out: dict[str, str] = {}

        def walk(directory: str, prefix: str) -> None:
            try:
                with os.scandir(directory) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError:  # unreadable: skipped, as os.walk skips it
                return
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if name != "__pycache__":
                        walk(entry.path, f"{prefix}{name}/")
                    continue
                if name.endswith((".pyc", ".pyo")):
                    continue
                key = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                try:
                    out[prefix + name] = self._hash(entry.path, key)
                except files.Refused:
                    continue

        walk(os.path.realpath(root), "")
        return out

    def remember_declared(self, notebook_sha: str, value: dict) -> None:
        self.declared[notebook_sha] = value
        self._dirty = True

    def save(self) -> None:
        if self.cache_file is None or not self._dirty:
            return
        live = {k: v for k, v in self._files.items() if Path(k).exists()}
        data = {"format": FORMAT, "files": live, "declared": self.declared}
        atomic_write_text(self.cache_file, json.dumps(data, separators=(",", ":")))
        self._dirty = False


def package_dir() -> Path:
    """The ``analysis`` package directory (code and shipped data)."""
    return Path(__file__).resolve().parents[1]


def package_fingerprint(hasher: FileHasher) -> tuple[str, dict[str, str]]:
    """One digest for all of ``analysis/``: its code and the data files it ships."""
    files = hasher.tree(package_dir())
    return digest(files), files


def data_fingerprint(
    data_dir: str | None, hasher: FileHasher, reads: list[dict] | None = None
) -> tuple[str, dict[str, str]]:
    """One digest for the data a report reads beyond the package's shipped copies (those are
    part of :func:`package_fingerprint`).

    ``reads`` (the tables the report's last good render read: table, pattern, subdir): the
    files those tables resolve to now, so a new release of a table the report never reads does
    not render it again. Without: every file of the user's directory (the argument, else
    ``$AFGHAN_BRIEF_DATA``) and of the installed release set, since any may replace a shipped
    table. Nothing beyond the shipped data: ``""``. A missing directory raises DataError."""
    if reads is not None:  # by content: the same bytes moved into an installed set are the same
        files, content = {}, {}
        for read in reads:
            path = find_file(read["pattern"], read["subdir"], data_dir or None)
            files[f"{read['table']}:{path}"] = content[read["table"]] = hasher.file(path)
        return digest({"reads": content}), files
    files = {}
    user = user_data_dir(data_dir or None)
    installed = active_set()
    for root in (user, installed):
        if root is not None:
            files.update({str(root / rel): sha for rel, sha in hasher.tree(root).items()})
    if not files and user is None:
        return "", {}
    where = str(user.resolve()) if user is not None else None
    return digest({"dir": where, "files": files}), files


def data_source(data_dir: str | None) -> str | None:
    """Where user data comes from, for the manifest: the directory, or None for shipped data."""
    if data_dir:
        return str(data_dir)
    env = os.environ.get(ENV_VAR)
    return f"{env} (${ENV_VAR})" if env else None


def git_revision(where: Path) -> dict | None:
    """The commit checked out at ``where`` and whether tracked files differ from it; None when
    ``where`` is not in a git work tree (an installed package), has no commit yet, or git is
    missing. One ``git status`` answers both (``--porcelain=v2 --branch``)."""
    try:
        status = subprocess.run(
            ["git", "-C", str(where), "status", "--porcelain=v2", "--branch"]
            + ["--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if status.returncode != 0:
        return None
    lines = status.stdout.splitlines()
    heads = [ln.split()[2] for ln in lines if ln.startswith("# branch.oid ")]
    if not heads or heads[0] == "(initial)":
        return None
    return {"revision": heads[0], "dirty": any(ln and ln[0] != "#" for ln in lines)}


class Manifest:
    """``manifest.json``: the latest run, and every report the output directory holds.

    ``reports[name]`` keeps, besides this run's status, the report's last *good* render
    (``good``: fingerprint key, time, duration, parameters) — what incremental rendering
    compares against and what the HTML on disk shows.
    """

    def __init__(self, out_dir: Path, data: dict | None = None):
        self.out_dir = out_dir
        self.data = data or {"format": FORMAT, "reports": {}}

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(out_dir)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(out_dir)
        data.setdefault("reports", {})
        return cls(out_dir, data)

    @property
    def reports(self) -> dict[str, dict]:
        return self.data["reports"]

    def good_key(self, name: str) -> str | None:
        """The fingerprint of the report's last good render, if its outputs are still there."""
        entry = self.reports.get(name) or {}
        good = entry.get("good") or {}
        html_file, ipynb_file = entry.get("html"), entry.get("ipynb")
        if not (good.get("key") and html_file and ipynb_file):
            return None
        if not ((self.out_dir / html_file).is_file() and (self.out_dir / ipynb_file).is_file()):
            return None
        return good["key"]

    def save(self) -> None:
        text = json.dumps(self.data, indent=2, sort_keys=False, ensure_ascii=False)
        atomic_write_text(self.out_dir / MANIFEST_NAME, text + "\n")


def append_history(out_dir: Path, record: dict) -> None:
    """Append one run to ``history.jsonl`` (one JSON object per line, oldest first)."""
    data = (json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
    fd = os.open(out_dir / HISTORY_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:  # a full disk: no half line left behind for the next reader
            os.ftruncate(fd, start)
            raise
    finally:
        os.close(fd)


@dataclass
class Planned:
    """A report ready to render or skip: parameters resolved, inputs fingerprinted."""

    report: Any  # analysis.render.Report
    notebook: Path
    given: dict[str, Any]  # explicit values (config, -p, --data), typed
    full: dict[str, Any]  # with the defaults: what the notebook receives
    key: str  # one digest of every input: equal keys, equal report
    inputs: dict[str, str]
    data_dir: str | None
    show_code: bool = False
    reads: list[dict] | None = None  # the tables its last good render read (None: not known)

    @property
    def name(self) -> str:
        return self.report.name

    def rekeyed(self, data_fp: str) -> tuple[str, dict[str, str]]:
        """The key and inputs with another data fingerprint (after a render learned which
        tables the report reads)."""
        inputs = {**self.inputs, "data_sha256": data_fp}
        return digest({"format": FORMAT, **inputs, "show_code": self.show_code}), inputs


def declared_cached(path: Path, sha: str, hasher: FileHasher) -> dict[str, Declared]:
    """A notebook's declared parameters, remembered by its hash (papermill is slow to import)."""
    cached = hasher.declared.get(sha)
    if cached is not None:
        return {n: Declared(n, *fields) for n, fields in cached.items()}
    from .parameters import declared

    found = declared(path)
    value = {n: [d.type_name, d.default, d.help, d.default_source] for n, d in found.items()}
    try:
        digest(value)  # JSON-able? (a default could be a tuple or a set)
    except TypeError:
        return found
    hasher.remember_declared(sha, value)
    return found


def where(report, key: str | None = None) -> str:
    """The prefix of an error about a report's parameter: the config key (and for a matrix,
    the combination), or the report."""
    origins = getattr(report, "origins", None) or {}
    if key in origins and key not in report.cli_values:
        return f"{origins[key]}: "
    if report.origin and key in report.parameters and key not in report.cli_values:
        return f"{report.origin}.parameters.{key}: "
    return f"report '{report.name}': "


def plan_report(
    report,
    data_dir: str | None,
    hasher: FileHasher,
    code_fp: str,
    show_code: bool,
    reads: list[dict] | None = None,
) -> Planned:
    """Resolve a report's parameters (defaults, config, ``-p`` strings, ``--data``) and
    fingerprint its inputs (``reads``: the tables its last good render read). Raises
    ParameterError / ConfigError for an unknown name or a ``-p`` value that is not of the
    declared type, DataError for a missing data directory."""
    notebook = Path(report.notebook).resolve()
    try:  # by type before opening, and the size cap: a FIFO named *.ipynb must not block
        files.check(notebook, cap=files.NOTEBOOK_CAP, what="a notebook")
    except files.Refused as exc:
        if not os.path.lexists(notebook):
            raise UnknownReportError(f"report '{report.name}': no notebook {notebook}") from None
        raise UnknownReportError(f"report '{report.name}': notebook {exc}") from None
    nb_sha = hasher.file(notebook)
    declared = declared_cached(notebook, nb_sha, hasher)
    given = dict(report.parameters)
    # only -p values need it (an unknown one is passed through to a plain notebook): the
    # notebook is not read again when there are none
    plain = bool(report.cli_values) and not is_package_report(notebook)
    for name, raw in report.cli_values.items():
        if name in declared:
            given[name] = parse_cli_value(name, raw, declared[name], notebook)
        elif plain and name not in report.parameters:  # -p: passed through, as papermill does
            given[name] = papermill_value(raw)
            logging.getLogger("analysis.render").warning(
                "report '%s' (%s): passed unknown parameter '%s', as papermill does",
                report.name,
                notebook,
                name,
            )
        else:
            given[name] = raw
    for name in given:
        if name not in declared and not (plain and name in report.cli_values):
            message = f"report '{report.name}' has no parameter '{name}'; its parameters: " + (
                ", ".join(declared) or "(none)"
            )
            if where(report, name) != where(report):
                raise ConfigError(where(report, name) + message)
            raise ParameterError(message)
    if data_dir is not None:
        if "data_dir" not in declared:
            raise ParameterError(
                f"report '{report.name}' declares no data_dir parameter, so --data cannot reach it"
            )
        if given.get("data_dir") not in (None, "", data_dir):
            raise ParameterError(
                f"report '{report.name}': data_dir given twice ({given['data_dir']!r} and "
                f"--data {data_dir!r}); give it once"
            )
        given["data_dir"] = data_dir
    elif isinstance(given.get("data_dir"), str) and given["data_dir"]:
        # kernels run in the notebooks directory: a relative path must keep its meaning
        given["data_dir"] = str(Path(given["data_dir"]).expanduser().resolve())
    for name, value in given.items():  # the API can pass any object: only what papermill can
        check_plain(name, value, declared.get(name), where(report, name), notebook)
    for name, decl in declared.items():
        if decl.literal and name not in given and non_plain(decl.default):
            raise ParameterError(
                f"notebook {notebook}: parameter '{name}': its default {shown(decl.default)} "
                f"is a {non_plain(decl.default)}, which papermill cannot pass; give it a value"
            )
    full = {name: d.default for name, d in declared.items() if d.literal}
    full.update(given)
    user_data = full.get("data_dir") if isinstance(full.get("data_dir"), str) else None
    data_fp, _ = data_fingerprint(user_data or None, hasher, reads)
    inputs = {
        "notebook_sha256": nb_sha,
        "parameters_sha256": digest(full),
        "code_sha256": code_fp,
        "data_sha256": data_fp,
    }
    key = digest({"format": FORMAT, **inputs, "show_code": show_code})
    return Planned(report, notebook, given, full, key, inputs, user_data or None, show_code, reads)
