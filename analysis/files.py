"""Opening the files a user names, safely: checked by type before they are opened, bounded in size.

A data directory, a notebooks folder or a config is the user's: anything may sit there under a
table's or a report's name. A FIFO would block the reader forever (while it holds the output
directory's lock), a symlink to ``/dev/zero`` would be read until memory runs out, a dangling
symlink would be skipped by a glob as if absent. Every file the package reads from such a place
goes through :func:`check` (what it is, how big) and :func:`read_bytes` / :func:`read_text`:

- only a **regular file** is opened (a symlink counts as what it points to); a directory, a FIFO,
  a device or a socket is refused from its ``stat``, without opening it; a dangling symlink is
  named with its target;
- the file is opened non-blocking and checked again on the open descriptor (it may have been
  swapped since), and never read past its cap: :data:`DATA_FILE_CAP` for a data file or a
  source text, :data:`NOTEBOOK_CAP` for a notebook, :data:`CONFIG_CAP` for a config or a
  sidecar;
- text must be UTF-8; the error names the first bad byte and its line.

What goes wrong is raised as :class:`Refused` (the path and why, one line); callers turn it into
their own error (a data problem, exit 3; a bad notebook or config, exit 2).

Ground level, like :mod:`analysis.exceptions`: imports nothing of the package but that module.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .exceptions import AfghanBriefError

MiB = 2**20
DATA_FILE_CAP = 100 * MiB  # a data table or a source text; the shipped files are below 1 MiB
NOTEBOOK_CAP = 50 * MiB  # a report notebook (a source notebook carries few outputs)
CONFIG_CAP = 1 * MiB  # a render config, a provenance sidecar, a store's pointer


# called with (path, bytes) after every successful read_bytes while set: how the data layer
# learns the exact bytes a validation read (analysis.tables.validcache); None otherwise
read_hook: Callable[[str | os.PathLike, bytes], None] | None = None


class Refused(AfghanBriefError):
    """Raised when a file a user named cannot be used: not a regular file, missing, unreadable,
    above its size cap or not UTF-8. ``path`` names it and ``reason`` says why (no content of
    the file is ever quoted). Callers re-raise it as their own kind of error."""

    exit_code = 3

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def kind(mode: int) -> str:
    """What a ``st_mode`` is, in words: "a directory", "a FIFO (named pipe)", ...

    >>> kind(stat.S_IFIFO)
    'a FIFO (named pipe)'
    """
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "a special file"


def size_text(size: int) -> str:
    """A size for a message: bytes below 1 KiB, else KiB / MiB with one decimal.

    >>> size_text(512), size_text(150 * MiB)
    ('512 bytes', '150.0 MiB')
    """
    if size < 1024:
        return f"{size} bytes"
    if size < MiB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / MiB:.1f} MiB"


def check(path: str | os.PathLike, *, cap: int, what: str = "a file") -> os.stat_result:
    """The ``stat`` of ``path`` if it is a regular file of at most ``cap`` bytes; else Refused.
    Nothing is opened."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Refused(
                path, f"is a symlink to {os.readlink(path)}, which does not exist"
            ) from None
        raise Refused(path, "does not exist") from None
    except OSError as exc:
        raise Refused(path, f"cannot be read ({exc.strerror or exc})") from None
    _check_stat(path, info, cap, what)
    return info


def _check_stat(path, info: os.stat_result, cap: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise Refused(path, f"is {kind(info.st_mode)}, not a regular file; refused unopened")
    if info.st_size > cap:
        raise Refused(
            path,
            f"is {size_text(info.st_size)}, above the cap of {size_text(cap)} for {what}",
        )


def _open(path: str | os.PathLike, cap: int, what: str) -> int:
    """A read-only, non-blocking descriptor on ``path``, checked again after opening."""
    check(path, cap=cap, what=what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        _check_stat(path, os.fstat(fd), cap, what)  # swapped since the check: still refused
    except BaseException:
        os.close(fd)
        raise
    return fd


def readable(path: str | os.PathLike, *, cap: int, what: str = "a file") -> os.stat_result:
    """Like :func:`check`, and the file can be opened for reading (opened, then closed)."""
    os.close(_open(path, cap, what))
    return check(path, cap=cap, what=what)


def read_bytes(path: str | os.PathLike, *, cap: int, what: str = "a file") -> bytes:
    """The whole content of a regular file of at most ``cap`` bytes; Refused otherwise."""
    fd = _open(path, cap, what)
    try:
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise Refused(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > cap:  # it grew since it was checked
        raise Refused(path, f"is larger than the cap of {size_text(cap)} for {what}")
    if read_hook is not None:
        read_hook(path, data)
    return data


def decode(path: str | os.PathLike, data: bytes) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped); Refused naming the first bad byte."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise Refused(path, f"is not UTF-8: byte 0x{body[exc.start]:02x} on line {line}") from None


def read_text(path: str | os.PathLike, *, cap: int, what: str = "a file") -> str:
    """The whole content of a regular UTF-8 text file of at most ``cap`` bytes."""
    return decode(path, read_bytes(path, cap=cap, what=what))


def listing(directory: str | os.PathLike) -> list[str]:
    """The names in a directory, sorted; Refused when it cannot be listed (no permission)."""
    try:
        return sorted(os.listdir(directory))
    except OSError as exc:
        raise Refused(directory, f"cannot be read ({exc.strerror or exc})") from None


def matching(directory: str | os.PathLike, pattern: str) -> list[Path]:
    """Every entry of ``directory`` whose name matches the glob ``pattern`` — dangling symlinks
    and special files included, which a glob would skip or a reader would block on: the caller
    checks each one (:func:`check`)."""
    return [Path(directory, n) for n in listing(directory) if fnmatch.fnmatchcase(n, pattern)]
