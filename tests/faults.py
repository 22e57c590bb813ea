"""Helpers for the fault tests (tests/render/test_faults.py, tests/tables/test_hostile_data.py):
a good output directory to damage a copy of, a byte snapshot of it, the CLI run in-process, and
faults made real where the machine allows it, else simulated at the lowest honest level (the
``os`` calls the package writes through), as each helper's docstring says.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import stat
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from conftest import FIXTURES

from analysis.cli import main

NOTEBOOKS = FIXTURES / "notebooks"


def render_good(out: Path) -> Path:
    """A real render of the fixture report ``ok`` (one kernel) into ``out``: pages, executed
    notebook, figures, manifest, index, history, assets."""
    code = main(["render", "ok", "--notebooks", str(NOTEBOOKS), "--out", str(out)])
    assert code == 0, "the good render the fault tests start from failed"
    return out


def copy_good(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), dot files included: comparing two
    snapshots shows anything written, removed or left behind."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def cli(capsys, *args: str) -> tuple[int, str, list[str]]:
    """``afghan-brief ARGS`` in this process: (exit code, stdout, stderr lines)."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.strip()]


def render_args(out: Path, *extra: str, report: str = "ok") -> list[str]:
    return ["render", report, "--notebooks", str(NOTEBOOKS), "--out", str(out), *extra]


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def fifo_guard(fifo: Path, seconds: float = 20.0):
    """While the block runs, a watchdog: if something still blocks reading ``fifo`` after
    ``seconds``, it opens the FIFO's other end and closes it (the reader gets EOF instead of
    hanging the test run) and records that it had to (``guard["fired"]``)."""
    guard = {"fired": False}
    done = threading.Event()

    def release():
        if done.wait(seconds):
            return
        try:
            if not stat.S_ISFIFO(os.stat(fifo).st_mode):
                return
        except OSError:
            return
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # succeeds only if a reader waits
        except OSError:
            return
        guard["fired"] = True
        os.close(fd)

    watchdog = threading.Thread(target=release, daemon=True)
    watchdog.start()
    try:
        yield guard
    finally:
        done.set()
        watchdog.join()


def _inside(path, root: Path) -> bool:
    try:
        return Path(os.fsdecode(path)).absolute().is_relative_to(root)
    except (TypeError, ValueError):
        return False


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def refuse_writes(monkeypatch, root: Path, code: int) -> None:
    """Simulate a file system that refuses every write under ``root`` with ``code`` (EACCES:
    read-only for a user; EPERM: immutable; ENOSPC: full), at the ``os`` calls everything in the
    package creates files and directories through (``os.open`` — which ``tempfile``, filelock
    and ``builtins.open`` via :func:`_wrap_open` reach — and ``os.mkdir``). Reading is left
    alone. For faults a test cannot make for real (root ignores permissions; an immutable flag
    needs CAP_LINUX_IMMUTABLE; a full disk)."""
    root = root.absolute()
    real_open, real_mkdir, real_builtin_open = os.open, os.mkdir, builtins.open

    def fail(path):
        raise OSError(code, os.strerror(code), os.fsdecode(path))

    def fake_open(path, flags, *args, **kwargs):
        if flags & _WRITE_FLAGS and _inside(path, root):
            fail(path)
        return real_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if _inside(path, root):
            fail(path)
        return real_mkdir(path, *args, **kwargs)

    def fake_builtin_open(file, mode="r", *args, **kwargs):
        path_like = isinstance(file, (str, bytes, os.PathLike))
        if path_like and set(mode) & set("wax+") and _inside(file, root):
            fail(file)
        return real_builtin_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    monkeypatch.setattr(builtins, "open", fake_builtin_open)
    monkeypatch.setattr(io, "open", fake_builtin_open)


class NearlyFullDisk:
    """Simulate a disk with ``free`` bytes left under ``root``: every write that does not fit
    fails with ENOSPC (as write(2) does), a write that fits uses the space up; files removed are
    not given back (a disk filling up while the run goes on). Applied at ``os.write`` and at the
    file objects ``builtins.open`` returns, the two ways the package writes bytes. A real full
    disk needs a small file system (a loop or tmpfs mount: root and CAP_SYS_ADMIN, which CI may
    lack)."""

    def __init__(self, monkeypatch, root: Path, free: int):
        self.root, self.free, self.refused = root.absolute(), free, 0
        real_write, real_open = os.write, builtins.open
        disk = self

        def take(n: int, where) -> None:
            if n > disk.free:
                disk.refused += 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
            disk.free -= n

        def fake_write(fd, data):
            target = _fd_path(fd)
            if target is not None and _inside(target, disk.root):
                take(len(data), target)
            return real_write(fd, data)

        class Handle:
            def __init__(self, handle, path):
                self._handle, self._path = handle, path

            def write(self, data):
                size = len(data.encode("utf-8") if isinstance(data, str) else data)
                take(size, self._path)
                return self._handle.write(data)

            def writelines(self, lines):
                for line in lines:
                    self.write(line)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._handle.close()

            def __iter__(self):
                return iter(self._handle)

            def __getattr__(self, name):
                return getattr(self._handle, name)

        def fake_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            writing = isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+")
            if writing and _inside(file, disk.root):
                return Handle(handle, file)
            return handle

        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)


def _fd_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


@contextmanager
def immutable(path: Path):
    """``chattr +i`` on ``path`` for the block (a real immutable directory; needs root with
    CAP_LINUX_IMMUTABLE and a file system that supports it). Yields whether it worked."""
    chattr = shutil.which("chattr")
    done = False
    if chattr is not None:
        done = subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0
    try:
        yield done
    finally:
        if done:
            subprocess.run([chattr, "-i", str(path)], capture_output=True)
