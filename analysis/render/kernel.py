"""The kernel a report runs in: stopped without an idle wait on the report's path.

After the last cell, a graceful ``shutdown_kernel`` asks the kernel to stop, then polls until
its process has ended, then SIGTERMs it after half of ``shutdown_wait_time`` (2.5
s). An IPython kernel runs its exit handlers within milliseconds of the request, then spends
seconds in the interpreter's final garbage collection, so every report waited the 2.5 s and its
kernel was terminated anyway. :func:`manager_class` sends the same shutdown request, removes the
connection file and closes the sockets at once, and hands the process to
:class:`~.lock.Kernels`, which gives it :data:`~.lock.STOP_GRACE` seconds to end on its own,
then terminates its process group (SIGTERM, then SIGKILL) — in a thread, while the report's page
is built and published. The run waits for these stops before it ends (a signal kills them at
once), so no kernel outlives a render.

Imported only when a report runs (jupyter_client is not needed to decide what to render).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lock import Kernels


def manager_class(kernels: Kernels, job: str, log_path: Path, env: dict[str, str] | None = None):
    """A jupyter_client AsyncKernelManager class for one report: the kernel's own stdout/stderr
    go to ``log_path`` (not the user's terminal), ``env`` is added to its environment, the
    kernel is registered with ``kernels`` as soon as it starts, and a graceful shutdown does
    not wait for the process to end (``kernels`` reaps it, see the module's docstring)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

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

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            provisioner = self.provisioner
            process = getattr(provisioner, "process", None)
            if now or restart or not self.owns_kernel or process is None:
                return await super().shutdown_kernel(now=now, restart=restart)
            if not isinstance(provisioner, LocalProvisioner):  # another provisioner: its way
                return await super().shutdown_kernel(now=now, restart=restart)
            self.shutting_down = True
            self.stop_restarter()
            try:  # best effort: whatever answers, `kernels` ends the process
                with suppress(Exception):
                    await self.interrupt_kernel()  # as jupyter_client: a busy kernel stops
                with suppress(Exception):
                    await self.request_shutdown()
            finally:
                provisioner.process = None  # the process is reaped by `kernels` from here
                kernels.stop_later(job, process, provisioner.pgid)
                await self.cleanup_resources()  # connection file, control socket, ports

    return TrackedKernelManager
