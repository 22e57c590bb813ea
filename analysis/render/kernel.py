"""The kernel a report runs in: started and stopped without idle waits on the report's path.

jupyter_client, as nbclient drives it, spends time waiting where a report needs none:

- **start**: after the kernel's first ``kernel_info`` reply, ``wait_for_ready`` reads IOPub until
  it has been quiet for 0.2 s, so every start ends with 0.2 s of nothing. :class:`ReadyClient`
  stops reading as soon as the kernel has published ``idle`` for its own ``kernel_info``
  request, which is the last message that request causes (a kernel that never says ``idle``
  gets jupyter_client's quiet-period test instead);
- **stop**: after the last cell, a graceful ``shutdown_kernel`` asks the kernel to stop, then
  polls until its process has ended, then SIGTERMs it after half of ``shutdown_wait_time``
  (2.5 s). An IPython kernel runs its exit handlers within milliseconds of the request, then
  spends seconds in the interpreter's final garbage collection, so every report waited the
  2.5 s and its kernel was terminated anyway. :func:`manager_class` sends the same shutdown
  request, removes the connection file and closes the sockets at once, and hands the process
  to :class:`~.lock.Kernels`, which gives it :data:`~.lock.STOP_GRACE` seconds to end on its
  own, then terminates its process group (SIGTERM, then SIGKILL) — in a thread, while the
  report's page is built and published. The run waits for these stops before it ends (a
  signal kills them at once), so no kernel outlives a render.

Imported only when a report runs (jupyter_client is not needed to decide what to render).
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING

from jupyter_client.asynchronous import AsyncKernelClient

if TYPE_CHECKING:
    from .lock import Kernels

QUIET = 0.2  # seconds of IOPub silence that jupyter_client takes as "flushed"


class ReadyClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready as soon as its kernel has answered."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers ``kernel_info`` on the shell channel and IOPub is
        connected and drained of that request's messages; RuntimeError if the kernel dies or
        ``timeout`` seconds pass first (as jupyter_client's)."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()  # again on each pass: IOPub may have missed the last
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                self._handle_kernel_info_reply(reply)  # the protocol version it speaks
                if await self._iopub_drained(request):
                    return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _iopub_drained(self, request: str) -> bool:
        """Read IOPub up to the ``idle`` status of ``request`` (True). A kernel publishes it
        after every other message that request causes, and after those of the requests sent
        before it. Without it: True once IOPub said anything and then was quiet for
        :data:`QUIET` (jupyter_client's test); False when it said nothing (not connected yet:
        the caller asks again)."""
        heard = False
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=QUIET)
            except Empty:
                return heard
            heard = True
            if (
                msg["msg_type"] == "status"
                and msg["parent_header"].get("msg_id") == request
                and msg["content"].get("execution_state") == "idle"
            ):
                return True


def manager_class(kernels: Kernels, job: str, log_path: Path, env: dict[str, str] | None = None):
    """A jupyter_client AsyncKernelManager class for one report: the kernel's own stdout/stderr
    go to ``log_path`` (not the user's terminal), ``env`` is added to its environment, the
    kernel is registered with ``kernels`` as soon as it starts, its client is a
    :class:`ReadyClient`, and a graceful shutdown does not wait for the process to end
    (``kernels`` reaps it, see the module's docstring)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner
    from traitlets import default

    class TrackedKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _ready_client(self):
            return ReadyClient

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
