"""The ``afghan-brief`` command line: a thin click layer over the package's Python API.

Exit codes: 0 success; 1 an unexpected bug (traceback shown); 2 bad parameter, config or usage;
3 invalid data; 4 a report failed to execute; 5 another render holds the lock.
"""

from __future__ import annotations

import sys

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
    from .validate import validate_data

    report = validate_data(data_dir)  # a missing --data directory raises DataError: exit 3
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
        "numbers present in their quote"
    )


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
