"""What keeps a render safe: one render per output directory, and clean interrupts.

- :func:`render_lock`: a lock file in the output directory, held for the whole run. Cron may
  start a render while the previous one still runs; the second one does not wait by default:
  it raises :class:`~analysis.exceptions.LockHeldError` (exit 5) naming the holder, so the
  scheduler's log says why nothing happened. ``wait=True`` queues behind it instead.
- :class:`SignalGuard`: Ctrl-C / SIGTERM / SIGHUP interrupt the run, but never while a report's
  files are being moved into place.
- :class:`Kernels`: every kernel the run started, so an interrupt can stop them all.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..exceptions import LockHeldError, OutputError

LOCK_NAME = ".render.lock"
HOLDER_NAME = ".render.lock.holder"  # who holds it, for the message (the lock file stays empty)


@contextmanager
def render_lock(out_dir: str | os.PathLike, wait: bool | float = False) -> Iterator[Path]:
    """Hold the output directory's lock for the block.

    ``wait``: False fails at once if another process holds it; True waits as long as it takes;
    a number waits that many seconds, then fails.
    """
    from filelock import FileLock, Timeout

    out = Path(out_dir)
    path = out / LOCK_NAME
    timeout = -1 if wait is True else (0 if wait is False else float(wait))
    lock = FileLock(str(path), timeout=timeout, thread_local=False)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise LockHeldError(
            f"another render is writing to {out} ({_holder(out)}; lock file {path}); "
            "nothing was changed: try again later, or pass --wait to queue behind it"
        ) from None
    except OSError as exc:  # read-only, a directory where the lock file goes (outdir checks)
        raise OutputError(
            f"output directory {out}: its lock file {path} cannot be taken "
            f"({exc.strerror or exc}); nothing was changed"
        ) from None
    holder = out / HOLDER_NAME
    try:
        with suppress(OSError):  # who holds it, for another run's message: never a failure
            holder.write_text(
                f"pid {os.getpid()} on {socket.gethostname()} since "
                f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n",
                encoding="utf-8",
            )
        yield path
    finally:
        with suppress(OSError):
            holder.unlink(missing_ok=True)
        lock.release()


def _holder(out: Path) -> str:
    try:
        return (out / HOLDER_NAME).read_text(encoding="utf-8").strip() or "holder unknown"
    except OSError:
        return "holder unknown"


# ---------------------------------------------------------------------------------------------
# Interrupts: Ctrl-C and SIGTERM must not leave a report half-written or a kernel running


# Ctrl-C, kill, a lost terminal (cron's or an ssh session's): each stops the run cleanly
HANDLED_SIGNALS = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None
)


class Signalled(BaseException):
    """Raised in the main thread when SIGINT, SIGTERM or SIGHUP arrives during a render."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class SignalGuard:
    """While active, SIGINT, SIGTERM and SIGHUP raise :class:`Signalled` in the main thread, except
    inside :meth:`deferred` blocks (moving a report's files into place), where the signal waits
    for the block's end. :meth:`hold` makes every later signal wait (the final clean-up)."""

    def __init__(self):
        self.received: int | None = None
        self.depth = 0
        self.raised = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> SignalGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in HANDLED_SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        if self.received is None:
            self.received = signum
        if self.depth == 0 and not self.raised:
            self.raised = True
            raise Signalled(signum)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if self.depth == 0 and self.received is not None and not self.raised:
            self.raised = True
            raise Signalled(self.received)

    def hold(self) -> None:
        self.depth += 1


class Kernels:
    """The kernels a render started (pid, process group), so an interrupt can stop them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: dict[str, tuple[int, int | None]] = {}
        self.cancelled = threading.Event()

    def add(self, job: str, pid: int, pgid: int | None) -> None:
        with self._lock:
            self._running[job] = (pid, pgid)
        if self.cancelled.is_set():
            self.kill_all()

    def discard(self, job: str) -> None:
        with self._lock:
            self._running.pop(job, None)

    def cancel(self) -> None:
        """No new kernel starts; every running one is killed."""
        self.cancelled.set()
        self.kill_all()

    def kill_all(self) -> None:
        with self._lock:
            running = list(self._running.values())
        for pid, pgid in running:
            with suppress(OSError):
                if pgid == pid:  # the kernel leads its own session: stop its children too
                    os.killpg(pgid, signal.SIGKILL)
                else:
                    os.kill(pid, signal.SIGKILL)

    def manager_class(self, job: str, log_path: Path, env: dict[str, str] | None = None):
        """A jupyter_client AsyncKernelManager class for one report: the kernel's own
        stdout/stderr go to ``log_path`` (not the user's terminal), ``env`` is added to its
        environment, and the kernel is registered here as soon as it starts."""
        from jupyter_client import AsyncKernelManager

        kernels = self

        class TrackedKernelManager(AsyncKernelManager):
            async def _async_launch_kernel(self, kernel_cmd, **kw):
                if kernels.cancelled.is_set():
                    raise RuntimeError("render interrupted")
                if env:
                    kw["env"] = {**(kw.get("env") or os.environ), **env}
                with open(log_path, "ab") as log:
                    kw.setdefault("stdout", log)
                    kw.setdefault("stderr", log)
                    await super()._async_launch_kernel(kernel_cmd, **kw)
                pid = getattr(self.provisioner, "pid", None)
                if pid is not None:
                    kernels.add(job, pid, getattr(self.provisioner, "pgid", None))

        return TrackedKernelManager
