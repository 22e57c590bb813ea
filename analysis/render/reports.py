"""What to render: report notebooks in a directory (name = file stem), and the named parameter
sets and parameter matrices (:mod:`.matrix`) of a TOML config; :func:`select_reports` turns a
command line into :class:`Report` s.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..exceptions import ConfigError, ParameterError, UnknownReportError, shown
from .parameters import Declared

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Report:
    """A report to render: a notebook, the parameters given for it (defaults fill the rest).

    ``parameters`` are typed values; ``cli_values`` are strings from ``-p NAME VALUE``, turned
    into the declared type. ``origin`` says where they came from, for error messages, and
    ``origins`` where each one did when that differs by parameter (a matrix combination).
    ``matrix`` names the config matrix the report is a combination of; ``varying`` lists the
    parameters that differ across that matrix (:mod:`.matrix`).
    """

    name: str
    notebook: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    cli_values: Mapping[str, str] = field(default_factory=dict)
    origin: str = ""
    matrix: str | None = None
    varying: tuple[str, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportInfo:
    """A report notebook and the parameters its ``parameters`` cell declares; ``error`` says
    why a notebook that cannot be read as one is broken (its parameters are then empty)."""

    name: str
    notebook: Path
    parameters: dict[str, Declared]
    error: str | None = None


def find_notebooks(notebooks_dir: str | os.PathLike) -> dict[str, Path]:
    """Report notebooks in a directory, by name (file stem), sorted."""
    where = Path(notebooks_dir)
    if not where.is_dir():
        raise UnknownReportError(f"notebooks directory {where} does not exist")
    return {
        p.stem: p.resolve()
        for p in sorted(where.glob("*.ipynb"))
        if p.stem[0] not in "._" and not p.stem.endswith("-checkpoint")
    }


def installed_notebooks() -> Path:
    """The report notebooks that come with the package: in the wheel (``analysis/notebooks``),
    or, in a source checkout, the repository's ``notebooks/``."""
    from importlib import resources

    package = Path(str(resources.files("analysis")))
    shipped = package / "notebooks"
    return shipped if shipped.is_dir() else package.parent / "notebooks"


def default_notebooks_dir() -> Path:
    """Where reports are found when no folder is named: ``./notebooks`` when the current folder
    has one, else the notebooks installed with the package (as ``afghan-brief list`` does)."""
    return Path("notebooks") if Path("notebooks").is_dir() else installed_notebooks()


def resolve_notebook(
    notebook: str | os.PathLike, notebooks_dir: str | os.PathLike | None = None
) -> Path:
    """A report notebook named by the Python API: a report's name (``"regional_risk"``) or the
    path of a ``.ipynb`` file inside the notebooks folder (``notebooks_dir``, default:
    :func:`default_notebooks_dir`). A path outside that folder, or to anything but a ``.ipynb``
    file, is one ParameterError line (the file is not opened, so nothing of it is echoed)."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    text = str(notebook)
    if "/" not in text and os.sep not in text and not text.endswith(".ipynb"):
        found = find_notebooks(folder)
        if text not in found:
            raise UnknownReportError(
                f"unknown report {shown(text)}; reports in {folder}: "
                + (", ".join(found) or "(none)")
            )
        return found[text]
    path = Path(notebook).expanduser()
    if path.suffix != ".ipynb":
        raise ParameterError(f"notebook {shown(text)}: not a .ipynb file")
    real, root = path.resolve(), folder.expanduser().resolve()
    if root not in real.parents:
        raise ParameterError(
            f"notebook {shown(text)} is outside the notebooks folder {folder}; pass "
            "notebooks_dir= to render from another folder"
        )
    return real


def default_reports(notebooks_dir: str | os.PathLike = "notebooks") -> list[Report]:
    """Every notebook of a directory, with its default parameters: the default report set."""
    return [Report(name, path) for name, path in find_notebooks(notebooks_dir).items()]


def list_reports(notebooks_dir: str | os.PathLike = "notebooks") -> list[ReportInfo]:
    """Every report notebook with its declared parameters (name, type, default, help). A
    notebook that cannot be read (not JSON, not a notebook, a FIFO, above the size cap) is
    listed with its ``error``; the others are listed as usual."""
    from ..exceptions import ParameterError
    from ..rules import import_providers
    from .parameters import check_literal_defaults, declared, is_package_report, rule_modules

    out = []
    for name, path in find_notebooks(notebooks_dir).items():
        try:
            import_providers(rule_modules(path))  # for each parameter's allowed values
            decl = declared(path)
            if is_package_report(path):  # as render refuses it
                check_literal_defaults(path, decl)
            out.append(ReportInfo(name, path, decl))
        except ParameterError as exc:
            out.append(ReportInfo(name, path, {}, str(exc)))
    return out


_CONFIG_KEYS = ("description", "notebook", "parameters")


def load_config(path: str | os.PathLike, notebooks_dir: str | os.PathLike = "notebooks"):
    """Named parameter sets and parameter matrices from a TOML file; one :class:`Report` per
    set, and per combination of a matrix (:mod:`.matrix`)::

        [reports.risk_pakistan]
        notebook = "regional_risk"          # a notebook name (default: the set's own name)
        parameters = { focus_countries = ["PAK"] }

        [matrices.risk_profile]             # risk_profile-PAK, risk_profile-IRN
        notebook = "risk_profile"
        matrix = { country = ["PAK", "IRN"] }

    Raises ConfigError (exit 2), one line naming the file and the key, for a file that cannot be
    read or parsed, an unknown key or notebook, a value TOML types cannot give a report
    (dates), or two reports of the same name. Unknown parameter names and bad values are caught
    before any kernel starts, naming the key (and for a matrix, the combination).
    """
    from .matrix import expand

    file = Path(path)
    if not os.path.lexists(file):
        raise ConfigError(f"{file}: no such config file")
    try:  # by type before opening (a FIFO never blocks), at most CONFIG_CAP
        data = tomllib.loads(files.read_text(file, cap=files.CONFIG_CAP, what="a config"))
    except files.Refused as exc:
        raise ConfigError(f"{file}: {exc.reason}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    for key in data:
        if key not in ("reports", "matrices"):
            raise ConfigError(
                f"{file}: {key}: unknown key; a config holds [reports.<name>] and "
                "[matrices.<name>] tables"
            )
    sets, matrices = data.get("reports", {}), data.get("matrices", {})
    for key, value in (("reports", sets), ("matrices", matrices)):
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: {key}: must hold [{key}.<name>] tables")
    if not sets and not matrices:
        raise ConfigError(f"{file}: reports: no [reports.<name>] or [matrices.<name>] table")
    notebooks = find_notebooks(notebooks_dir)
    out = []
    for name, spec in sets.items():
        where = f"reports.{name}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{file}: {where}: must be a table ([{where}])")
        if not _NAME.match(name):
            raise ConfigError(f"{file}: {where}: a report name is letters, digits, _ . - only")
        for key in spec:
            if key not in _CONFIG_KEYS:
                raise ConfigError(
                    f"{file}: {where}.{key}: unknown key; allowed: {', '.join(_CONFIG_KEYS)}"
                )
        notebook = spec.get("notebook", name)
        if not isinstance(notebook, str) or notebook not in notebooks:
            raise ConfigError(
                f"{file}: {where}.notebook: unknown report {notebook!r}; notebooks in "
                f"{notebooks_dir}: {', '.join(notebooks) or '(none)'}"
            )
        params = spec.get("parameters", {})
        if not isinstance(params, dict):
            raise ConfigError(f"{file}: {where}.parameters: must be a table of name = value")
        for key, value in params.items():
            _check_plain(value, f"{file}: {where}.parameters.{key}")
        out.append(Report(name, notebooks[notebook], params, origin=f"{file}: {where}"))
    for name, spec in matrices.items():
        if not _NAME.match(name):
            raise ConfigError(
                f"{file}: matrices.{name}: a matrix name is letters, digits, _ . - only"
            )
        out.extend(Report(**fields) for fields in expand(file, name, spec, notebooks, _check_plain))
    names: dict[str, str] = {}
    for report in out:  # one name, one page: also where a file system ignores case
        other = names.get(report.name.lower())
        if other is not None:
            raise ConfigError(
                f"{file}: report '{report.name}' ({report.origin.split(': ', 1)[-1]}) has the "
                f"name of '{other}'; every report of a config needs its own"
            )
        names[report.name.lower()] = report.name
    return out


def _check_plain(value: Any, where: str) -> None:
    if not _plain(value):
        raise ConfigError(
            f"{where}: {type(value).__name__} values cannot be passed to a notebook; use a "
            "string, number, boolean or list (quote dates)"
        )


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int, float, bool))


def select_reports(
    names: Iterable[str] = (),
    notebooks_dir: str | os.PathLike = "notebooks",
    config: str | os.PathLike | None = None,
) -> list[Report]:
    """The reports a command line names: config sets (a matrix's name: all its reports) first,
    then notebooks; none named means every report of the config, or else every notebook."""
    names = list(names)
    sets = {r.name: r for r in load_config(config, notebooks_dir)} if config else {}
    if not names:
        return list(sets.values()) if sets else default_reports(notebooks_dir)
    matrices: dict[str, list[Report]] = {}
    for report in sets.values():
        if report.matrix:
            matrices.setdefault(report.matrix, []).append(report)
    notebooks = find_notebooks(notebooks_dir)
    out = []
    for name in names:
        if name in sets:
            out.append(sets[name])
        elif name in matrices:
            out.extend(matrices[name])
        elif name in notebooks:
            out.append(Report(name, notebooks[name]))
        else:
            known = sorted({*sets, *matrices, *notebooks})
            raise UnknownReportError(
                f"unknown report '{name}'; reports: {', '.join(known) or '(none)'}"
            )
    return out
