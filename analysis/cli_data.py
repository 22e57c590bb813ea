"""``afghan-brief data update | status | rollback``: the click layer over
:mod:`analysis.tables.updater` (part of the application layer, beside :mod:`analysis.cli`).

Exit codes: 0 done (or nothing new); 3 the release is invalid, older than the installed one, or
there is nothing to roll back to; 5 another update holds the store's lock; 6 a download failed.
In every failure the installed data is left as it was.
"""

from __future__ import annotations

import sys

import click

STORE_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Data store to install into / read (default: the user data directory, or "
    "$AFGHAN_BRIEF_DATA_HOME).",
)


@click.group("data")
def data() -> None:
    """Install the external tables from their publishers, list installed sets, roll back."""


@data.command("update")
@STORE_OPTION
@click.option(
    "--from",
    "from_path",
    type=click.Path(exists=False),
    default=None,
    help="Install release files downloaded elsewhere (a directory or a zip, publishers' names).",
)
@click.option(
    "--ucdp-release",
    default=None,
    metavar="X.Y",
    help="UCDP release to fetch (default: the newest on UCDP's download page).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Per request.",
)
@click.option("--retries", type=click.IntRange(min=1), default=3, show_default=True)
def update_cmd(
    data_dir: str | None,
    from_path: str | None,
    ucdp_release: str | None,
    timeout: float,
    retries: int,
) -> None:
    """Fetch the current UCDP and World Bank releases (or take them --from files), check them
    as `validate` does, and make them the active data set; the previous set is kept."""
    from .tables.updater import update

    if ucdp_release is not None and not _release_ok(ucdp_release):
        raise click.BadParameter("a UCDP release looks like 25.1", param_hint="--ucdp-release")
    progress = _RichDownloads() if sys.stdout.isatty() else None
    try:
        result = update(
            data_dir,
            from_path=from_path,
            ucdp_release=ucdp_release,
            timeout=timeout,
            retries=retries,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.stop()
    for note in result.notes:
        click.echo(f"note: {note}")
    traffic = f"{result.downloaded:,} bytes downloaded in {result.requests} request(s)"
    if not result.changed:
        active = result.active.id if result.active else "none (the shipped data)"
        click.echo(f"nothing new: the active set stays {active} ({traffic}) in {result.store}")
        return
    click.echo(f"installed set {result.installed.id} into {result.store} ({traffic}):")
    for change in result.changes:
        click.echo(f"  {change}")


def _release_ok(text: str) -> bool:
    import re

    return re.fullmatch(r"\d{2}\.\d", text) is not None


@data.command("status")
@STORE_OPTION
def status_cmd(data_dir: str | None) -> None:
    """List the installed sets and say which data each external table is read from."""
    from .tables.datadir import ENV_VAR
    from .tables.releases import DATASETS, dataset_info
    from .tables.updater import status

    store, sets = status(data_dir)
    click.echo(f"data store: {store.root}")
    if not sets:
        click.echo("  no installed set (the shipped data is used)")
    for s in reversed(sets):
        releases = ", ".join(f"{t} {v.get('release') or '?'}" for t, v in sorted(s.tables.items()))
        mark = "*" if s.active else " "
        click.echo(f"{mark} {s.id}  {s.created}  from {s.source}  {releases}")
    import os

    if os.environ.get(ENV_VAR) and data_dir is None:
        click.echo(f"${ENV_VAR} = {os.environ[ENV_VAR]} (its files come first)")
    click.echo("tables read now (lookup: --data / $AFGHAN_BRIEF_DATA, installed set, shipped):")
    width = max(len(t) for t in DATASETS)
    for table in DATASETS:
        info = dataset_info(table, data_dir if sets else None)
        version = f"v{info.version}" if info.version else "version not stated"
        years = f" {info.years}" if info.years else ""
        click.echo(f"  {table:<{width}}  {version}{years}  {info.retrieved_text}  [{info.origin}]")


@data.command("rollback")
@STORE_OPTION
def rollback_cmd(data_dir: str | None) -> None:
    """Make the previous installed set active again (after checking its files' SHA-256)."""
    from .tables.updater import rollback

    was, now = rollback(data_dir)
    click.echo(f"active set: {now.id} (was {was.id}); {was.id} is kept")


class _RichDownloads:
    """A bar per download on a terminal."""

    def __init__(self):
        from rich.progress import DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        self.bars = Progress(
            TextColumn("{task.description}"),
            DownloadColumn(),
            TransferSpeedColumn(),
            transient=False,
        )
        self.tasks: dict[str, int] = {}
        self.bars.start()

    def start(self, label: str, total: int | None) -> None:
        self.tasks[label] = self.bars.add_task(label, total=total)

    def advance(self, label: str, n: int) -> None:
        if label in self.tasks:
            self.bars.advance(self.tasks[label], n)

    def done(self, label: str, note: str) -> None:
        if label in self.tasks:
            self.bars.update(self.tasks[label], description=f"{label} ✓")
        else:
            self.bars.console.print(f"[dim]{label}: {note}[/dim]")

    def stop(self) -> None:
        self.bars.stop()
