"""What keeps a render safe: one render per output directory, and clean interrupts.

- :func:`render_lock`: a lock file in the output directory, held for the whole run. Cron may
  start a render while the previous one still runs; the second one does not wait by default:
  it raises :class:`~analysis.exceptions.LockHeldError` (exit 5) naming the holder, so the
  scheduler's log says why nothing happened. ``wait=True`` queues behind it instead.
- :class:`SignalGuard`: Ctrl-C / SIGTERM / SIGHUP interrupt the run, but never while a report's
  files are being moved into place.
- :class:`Kernels`: every kernel the run started, so an interrupt can stop them all, and the
  ones stopping after their report, ended in the background and waited for at the run's end.
"""

from __future__ import annotations

import os
import platform
import signal
import threading
import time
from collections.abc import Callable, Iterator
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
    out = Path(out_dir)
    path = out / LOCK_NAME
    timeout = -1 if wait is True else (0 if wait is False else float(wait))
    try:
        out.mkdir(parents=True, exist_ok=True)
        release = _acquire(path, timeout)
    except _Held:
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
                f"pid {os.getpid()} on {platform.node()} since "
                f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n",
                encoding="utf-8",
            )
        yield path
    finally:
        with suppress(OSError):
            holder.unlink(missing_ok=True)
        release()


class _Held(Exception):
    """Another process holds the lock (and ``timeout`` passed)."""


def _acquire(path: Path, timeout: float) -> Callable[[], None]:
    """Take an exclusive lock on the file ``path`` (created if missing), waiting ``timeout``
    seconds at most (-1: as long as it takes); returns the function that releases it.

    ``flock`` on the open file, as filelock's Unix lock takes it (the two exclude each other):
    a second open of the file is refused even in this process, and the system releases the
    lock when the process ends, however it ends. filelock itself (some 20 ms of every command's
    start-up) only where there is no ``fcntl``."""
    try:
        import fcntl
    except ImportError:  # Windows
        from filelock import FileLock, Timeout

        lock = FileLock(str(path), timeout=timeout, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise _Held from None
        return lock.release
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if timeout >= 0 and time.monotonic() >= deadline:
                    raise _Held from None
                time.sleep(0.05)
    except BaseException:
        os.close(fd)
        raise

    def release() -> None:
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    return release


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


STOP_GRACE = 1.0  # seconds a kernel asked to shut down has to end on its own
TERM_GRACE = 1.0  # then seconds after SIGTERM before SIGKILL
_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL


class Kernels:
    """The kernels a render started (pid, process group), so an interrupt can stop them all.

    A kernel asked to shut down after its report (:mod:`.kernel`) is handed over with
    :meth:`stop_later`: a thread gives it ``grace`` seconds to end on its own, then terminates
    its process group (SIGTERM, then SIGKILL after :data:`TERM_GRACE`) and reaps it, while the
    report goes on. :meth:`wait_stopped` waits for those stops (the run's end);
    :meth:`cancel` kills running and stopping kernels at once."""

    def __init__(self, grace: float | None = None):
        self.grace = STOP_GRACE if grace is None else grace
        self._lock = threading.Lock()
        self._running: dict[str, tuple[int, int | None]] = {}
        self._stopping: dict[int, tuple[Any, int | None, threading.Thread]] = {}
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
        """No new kernel starts; every running or stopping one is killed."""
        self.cancelled.set()
        self.kill_all()

    def kill_all(self) -> None:
        with self._lock:
            running = list(self._running.values())
            for process, pgid, _ in self._stopping.values():
                _signal(process, pgid, _KILL)  # under the lock: not reaped meanwhile
        for pid, pgid in running:
            with suppress(OSError):
                if pgid == pid:  # the kernel leads its own session: stop its children too
                    os.killpg(pgid, signal.SIGKILL)
                else:
                    os.kill(pid, signal.SIGKILL)

    def stop_later(self, job: str, process, pgid: int | None) -> None:
        """``process`` (a :class:`subprocess.Popen`, the kernel of ``job``) was asked to shut
        down: reap it in a thread, terminating it if it has not ended after ``grace``."""
        thread = threading.Thread(
            target=self._reap, args=(process, pgid), name=f"stop-{job}", daemon=True
        )
        with self._lock:
            self._running.pop(job, None)
            self._stopping[process.pid] = (process, pgid, thread)
        thread.start()
        if self.cancelled.is_set():
            self.kill_all()

    def _reap(self, process, pgid: int | None) -> None:
        try:
            for after, then in ((self.grace, signal.SIGTERM), (TERM_GRACE, _KILL)):
                deadline = time.monotonic() + after
                while time.monotonic() < deadline:
                    with self._lock:  # poll() reaps: never between a check and a signal
                        if process.poll() is not None:
                            return
                    time.sleep(0.02)
                with self._lock:
                    _signal(process, pgid, then)
            while True:  # killed: reaped as soon as the system has ended it
                with self._lock:
                    if process.poll() is not None:
                        return
                time.sleep(0.02)
        finally:
            with self._lock:
                self._stopping.pop(process.pid, None)

    def stopping(self) -> list[int]:
        """The pids of kernels asked to shut down that have not been reaped yet."""
        with self._lock:
            return list(self._stopping)

    def wait_stopped(self) -> None:
        """Wait until every kernel handed to :meth:`stop_later` has ended and been reaped (at
        most ``grace`` + :data:`TERM_GRACE` seconds after its shutdown request, and at once
        after :meth:`cancel`). Short waits, so a signal reaches the main thread."""
        while True:
            with self._lock:
                threads = [thread for _, _, thread in self._stopping.values()]
            if not threads:
                return
            for thread in threads:
                thread.join(0.1)

    def close(self) -> None:
        """The run's end: wait for the kernels still stopping after their reports (each ends
        within its grace); a signal meanwhile kills them at once. None is left running."""
        try:
            self.wait_stopped()
        finally:
            self.cancel()
            self.wait_stopped()


def _signal(process, pgid: int | None, sig: int) -> None:
    """Signal a kernel not yet reaped, with its process group when it leads one."""
    if process.poll() is not None:
        return
    with suppress(OSError):
        if pgid is not None and pgid == process.pid:
            os.killpg(pgid, sig)
        else:
            process.send_signal(sig)
