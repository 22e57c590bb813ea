"""Refresh the package's copies of the immutable sources in ``seeds/``.

``seeds/`` holds the seed article and the external tables, each with a ``.meta.json`` sidecar
(origin, licence, citation, filter, SHA-256). The package ships copies of the ones it reads:
texts under ``analysis/data/texts`` and tables under ``analysis/data/external``, each table with
its sidecar beside it (:mod:`.releases` reads a dataset's provenance from there). This step, in
order: reads each sidecar, checks the seed file's SHA-256 against it, and copies the file (and a
table's sidecar) into the package. ``python -m analysis.tables.build --check`` only reports
stale copies (``make data-check``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .datadir import package_data_dir


@dataclass(frozen=True)
class SeedFile:
    path: Path
    sha256: str  # as recorded in the sidecar

    @property
    def package_copy(self) -> Path:
        subdir = "external" if self.path.suffix == ".csv" else "texts"
        return package_data_dir() / subdir / self.path.name

    @property
    def sidecar(self) -> Path:
        return self.path.with_name(self.path.name + ".meta.json")

    @property
    def sidecar_copy(self) -> Path | None:
        """Where a table's sidecar ships (None for texts: their provenance is in SOURCES.md)."""
        if self.path.suffix != ".csv":
            return None
        return self.package_copy.with_name(self.package_copy.name + ".meta.json")

    def pairs(self) -> list[tuple[Path, Path]]:
        """(seed file, package copy) for the file and, for a table, its sidecar."""
        out = [(self.path, self.package_copy)]
        if self.sidecar_copy is not None:
            out.append((self.sidecar, self.sidecar_copy))
        return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_files(seeds_dir: Path) -> list[SeedFile]:
    """Every file in ``seeds/`` that has a sidecar, with the hash the sidecar records."""
    found = []
    for sidecar in sorted(seeds_dir.rglob("*.meta.json")):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        found.append(
            SeedFile(sidecar.with_name(sidecar.name[: -len(".meta.json")]), meta["sha256"])
        )
    return found


def altered_seeds(seeds_dir: Path) -> list[str]:
    """Seed files whose bytes no longer match their sidecar (seeds are immutable)."""
    return [str(f.path) for f in seed_files(seeds_dir) if sha256(f.path) != f.sha256]


def stale_copies(seeds_dir: Path) -> list[str]:
    """Package copies that are missing or differ from their seed file."""
    return [
        str(copy)
        for f in seed_files(seeds_dir)
        for source, copy in f.pairs()
        if not copy.exists() or sha256(copy) != sha256(source)
    ]


def build(seeds_dir: Path) -> list[Path]:
    """Copy every seed file into the package after checking its hash; return what was copied."""
    altered = altered_seeds(seeds_dir)
    if altered:
        raise SystemExit("seed files differ from their sidecar's SHA-256: " + ", ".join(altered))
    copied = []
    for f in seed_files(seeds_dir):
        for source, copy in f.pairs():
            if not copy.exists() or sha256(copy) != sha256(source):
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
                copied.append(copy)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.tables.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="the seeds/ directory")
    parser.add_argument("--check", action="store_true", help="only report stale copies (exit 1)")
    args = parser.parse_args(argv)
    if args.check:
        stale = altered_seeds(args.seeds) + stale_copies(args.seeds)
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        return 1 if stale else 0
    for path in build(args.seeds):
        print(f"copied {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
