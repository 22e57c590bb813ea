"""The ``afghan-brief`` command line: a thin click layer over the package's Python API.

The application layer: it composes the rendering engine (:mod:`analysis.render`) and the data
layer (:mod:`analysis.tables`); nothing imports it but ``__main__``.

Exit codes: 0 success; 1 an unexpected bug (traceback shown); 2 bad parameter, config or usage;
3 invalid data; 4 a report failed to execute; 5 another render (or data update) holds the lock;
6 a download from a publisher failed (``data update``, :mod:`analysis.cli_data`); 7 the output
directory cannot be written (read-only or immutable, a full disk, below a file, its lock file or
``assets/`` of the wrong kind; nothing was changed) or a record of the run could not be written
(the reports' pages were); 129 / 130 / 143 interrupted by SIGHUP / Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import click

from .exceptions import AfghanBriefError, DataError

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory whose files replace the shipped tables (default: $AFGHAN_BRIEF_DATA).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="afghan-brief")
def cli() -> None:
    """Afghanistan after the August 2021 US withdrawal: data, checks and offline HTML reports."""


@cli.command()
@DATA_OPTION
def validate(data_dir: str | None) -> None:
    """Check every data table: schema, references, quotes and numbers (exit 3 on problems)."""
    from .tables.validate import validate_data

    report = validate_data(data_dir)  # a missing --data directory raises DataError: exit 3
    for warning in report.warnings:  # out-of-order UCDP estimates: shown, never failing
        click.echo(f"warning: {warning}", err=True)
    if not report.ok:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(f"error: {len(report.problems)} data problem(s); nothing was changed", err=True)
        raise click.exceptions.Exit(DataError.exit_code)
    width = max(len(t.name) for t in report.tables)
    click.echo(f"{len(report.tables)} tables valid:")
    for table in report.tables:
        click.echo(f"  {table.name:<{width}}  {table.rows:>6,} rows  {table.file}")
    click.echo(
        "checks passed: schemas (types, allowed values, ranges, unique keys), "
        "references (sources, actors, measures), quotes verbatim in their source, "
        "numbers present in their quote, voices that are the author, anonymous or an actor, "
        "repeats that point at the row they restate"
    )
    if report.warnings:
        click.echo(
            f"{len(report.warnings)} data warning(s) (above): UCDP estimates out of order, kept "
            "as published and left out of low–high ranges"
        )


NOTEBOOKS_OPTION = click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory of report notebooks (a report's name is its file stem). Default: ./notebooks "
    "when there is one, else the report notebooks installed with the package.",
)


def installed_notebooks() -> Path:
    """The report notebooks that come with the package (:mod:`analysis.render.reports`)."""
    from .render.reports import installed_notebooks as installed

    return installed()


def _notebooks(notebooks_dir: str | None) -> str:
    """The notebooks directory a command uses; says so when it is not ./notebooks."""
    if notebooks_dir:
        return notebooks_dir
    if Path("notebooks").is_dir():
        return "notebooks"
    installed = installed_notebooks()
    click.echo(
        f"no ./notebooks here: using the notebooks installed with the package ({installed})",
        err=True,
    )
    return str(installed)


CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML file of named parameter sets ([reports.<name>] notebook = ..., parameters = {...}) "
    "and parameter matrices ([matrices.<name>] notebook = ..., matrix = {name = [values]}).",
)


@cli.command("list")
@NOTEBOOKS_OPTION
@CONFIG_OPTION
def list_(notebooks_dir: str | None, config: str | None) -> None:
    """List every report and its parameters: name, type, default, help and allowed values."""
    notebooks_dir = _notebooks(notebooks_dir)
    from . import render
    from .exceptions import ParameterError, cut
    from .rules import relations_of

    def relation_text(relation, name):
        others = ", ".join(n for n in relation.names if n != name)
        return f"{others}: {relation.allowed}"

    infos = render.list_reports(notebooks_dir)
    if not infos:
        click.echo(f"no report notebooks in {notebooks_dir}")
    for info in infos:
        click.echo(f"{info.name}  ({_shown(info.notebook)})")
        if info.error:  # listed as broken; the others are listed all the same
            click.echo("  BROKEN: cannot be rendered (see the error below)")
            click.echo(f"error: {info.error}", err=True)
        elif not info.parameters:
            click.echo("  (no parameters)")
        width = max((len(n) for n in info.parameters), default=0)
        for name, decl in info.parameters.items():
            if decl.literal:
                default = cut(json.dumps(decl.default, ensure_ascii=False))
            else:  # an expression papermill passes through (a package report refuses it)
                default = f"<expression: {cut(decl.default_source)}>"
            click.echo(f"  {name:<{width}}  {decl.type_name:<5} = {default}")
            if decl.help:
                click.echo(f"  {'':<{width}}    {decl.help}")
            click.echo(f"  {'':<{width}}    allowed: {decl.allowed}")
            for relation in relations_of(name):
                click.echo(f"  {'':<{width}}    with {relation_text(relation, name)}")
        click.echo()
    if config:
        click.echo(f"parameter sets in {config}:")
        for report in render.load_config(config, notebooks_dir):
            values = ", ".join(
                f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in report.parameters.items()
            )
            group = f"  [matrix {report.matrix}]" if report.matrix else ""
            click.echo(f"  {report.name}: {report.notebook.stem}({values}){group}")
    broken = [info for info in infos if info.error]
    if broken:
        raise click.exceptions.Exit(ParameterError.exit_code)


@cli.command()
@click.argument("reports", nargs=-1)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="Set a parameter of every report rendered (repeatable): -p unit m, "
    "-p focus_countries PAK,IRN, -p show_context false.",
)
@CONFIG_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="reports",
    show_default=True,
    help="Output directory: pages, notebooks, index.html, manifest.json, history.jsonl.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Reports executed at once, each in its own kernel (default: the number of CPUs).",
)
@click.option("--force", is_flag=True, help="Render even reports whose inputs did not change.")
@DATA_OPTION
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Fail a report when one of its cells runs longer than this (default: no limit).",
)
@click.option("--show-code", is_flag=True, help="Keep the code cells in the HTML pages.")
@click.option(
    "--images",
    default=None,
    metavar="png,svg",
    help="Also write every figure as static images beside its page (<report>.images/), with "
    "kaleido and the system's Chromium: pip install 'afghan-brief[images]'.",
)
@click.option(
    "--wait", is_flag=True, help="If another render holds the lock, wait for it (default: exit 5)."
)
@click.option(
    "--on-change",
    metavar="CMD",
    default=None,
    help="Run CMD (through the shell) with the summary on stdin when a report's figures, "
    "verdicts or data changed. Its failure is a warning, never the render's.",
)
@click.option(
    "--on-failure",
    metavar="CMD",
    default=None,
    help="Run CMD with the summary on stdin when the render fails (any non-zero exit).",
)
@click.option(
    "--dask",
    "dask_address",
    default=None,
    metavar="ADDRESS",
    help="Run each report as a task on a Dask scheduler (tcp://host:8786), or 'local' to start "
    "a LocalCluster of --jobs workers; pages are published here. Needs afghan-brief[dask].",
)
@NOTEBOOKS_OPTION
def render(
    reports: tuple[str, ...],
    parameters: tuple[tuple[str, str], ...],
    config: str | None,
    out_dir: str,
    jobs: int | None,
    force: bool,
    data_dir: str | None,
    timeout: float | None,
    show_code: bool,
    images: str | None,
    wait: bool,
    on_change: str | None,
    on_failure: str | None,
    dask_address: str | None,
    notebooks_dir: str | None,
) -> None:
    """Render REPORTS (default: all, or every set of --config) into offline HTML pages.

    Parameters are checked before any kernel starts (exit 2), then the data (exit 3). A report
    whose notebook, parameters, data and analysis code did not change since its last good
    render is skipped. Exit 4 if a report failed (its previous good page stays), 5 if another
    render holds the lock.
    """
    from . import render as api

    notebooks_dir = _notebooks(notebooks_dir)
    cli_values = dict(parameters)  # a name given twice: the last wins
    selected = [
        dataclasses.replace(report, cli_values={**report.cli_values, **cli_values})
        for report in api.select_reports(reports, notebooks_dir, config)
    ]
    executor = None
    if dask_address:
        from .render.cluster import DaskExecutor

        executor = DaskExecutor(dask_address, jobs or api.engine.cpus())
    progress = _RichProgress() if sys.stdout.isatty() else _PlainProgress()
    try:
        with progress:
            run = api.render_all(
                selected,
                out_dir,
                data_dir=data_dir,
                jobs=jobs,
                force=force,
                show_code=show_code,
                timeout=timeout,
                wait=wait,
                progress=progress,
                images=images,
                executor=executor,
            )
    except AfghanBriefError as exc:
        _hook(on_failure, f"afghan-brief render failed (exit {exc.exit_code}): {exc}\n")
        raise
    for warning in run.warnings:  # a damaged manifest rebuilt, a record a full disk refused
        click.echo(f"warning: {warning}", err=True)
    for result in run.failed:
        click.echo(_failure_block(result, run.out_dir), err=True)
    index = _shown(run.out_dir / "index.html")
    took = f"{run.duration:.2f}" if run.duration < 10 else f"{run.duration:.0f}"
    lines = [f"{run.summary} in {took} s; index: {index}", *run.change_lines()]
    for line in lines:
        click.echo(line)
    summary = "\n".join([*lines, f"changes: {_shown(run.out_dir / 'changes.html')}"]) + "\n"
    if any(c.changed for c in run.changes):
        _hook(on_change, summary)
    if run.exit_code:
        failed = "\n".join(_failure_block(r, run.out_dir) for r in run.failed)
        _hook(on_failure, summary + failed + "\n")
        raise click.exceptions.Exit(run.exit_code)


def _hook(command: str | None, summary: str) -> None:
    """Run a notification hook; its failure is one warning line, never the render's."""
    if not command:
        return
    from .render.hooks import run_hook

    warning = run_hook(command, summary)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _failure_block(result, out_dir: Path) -> str:
    """One block per failed report: report, cell, error, where to look."""
    error = result.error
    lines = [f"FAILED {result.name}: {error.summary if error else 'unknown error'}"]
    lines.append(f"  notebook: {_shown(Path(result.notebook))}")
    if error and error.source:
        lines.append(f"  cell:     {error.source}")
    if result.failed_ipynb:
        lines.append(f"  executed notebook (error marked): {_shown(out_dir / result.failed_ipynb)}")
    if result.html:
        lines.append(f"  previous good report kept: {_shown(out_dir / result.html)}")
    return "\n".join(lines)


class _PlainProgress:
    """One log line per event: for cron mail, CI logs, pipes."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def _log(self, text: str) -> None:
        click.echo(f"{time.strftime('%H:%M:%S')} {text}")

    def plan(self, to_render, up_to_date, jobs):
        if up_to_date:
            self._log(f"up to date: {', '.join(up_to_date)}")
        if to_render:
            self._log(f"rendering {len(to_render)} report(s), {jobs} at a time")

    def start(self, name, cells):
        self._log(f"start  {name}")

    def cell(self, name, index):
        pass

    def finish(self, result):
        if result.status == "skipped":
            return
        word = {"ok": "done  ", "failed": "FAILED"}.get(result.status, result.status)
        self._log(f"{word} {result.name} ({result.duration:.1f} s)")


class _RichProgress:
    """A live bar per report (code cells executed) on a terminal."""

    def __init__(self):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bars.start()
        return self

    def __exit__(self, *exc):
        self.bars.stop()

    def plan(self, to_render, up_to_date, jobs):
        for name in up_to_date:
            self.bars.console.print(f"[dim]up to date: {name}[/dim]")
        for name in to_render:
            self.tasks[name] = self.bars.add_task(f"{name} (queued)", total=None)

    def start(self, name, cells):
        self.bars.update(self.tasks[name], description=name, total=cells, completed=0)

    def cell(self, name, index):
        self.bars.update(self.tasks[name], completed=max(0, index - 1))

    def finish(self, result):
        task = self.tasks.get(result.name)
        if task is None:
            return
        if result.status == "ok":
            total = self.bars.tasks[task].total or 1
            self.bars.update(task, description=f"[green]{result.name} ✓", completed=total)
        else:
            self.bars.update(task, description=f"[red]{result.name} {result.status}")
        self.bars.stop_task(task)


def _add_data_group() -> None:
    from .cli_data import data

    cli.add_command(data)


_add_data_group()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a user's mistake prints one line and exits with its code, a bug raises."""
    try:
        code = cli.main(args=argv, prog_name="afghan-brief", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except AfghanBriefError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
