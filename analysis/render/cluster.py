"""Rendering on a Dask distributed cluster: one task per report (``render --dask ADDRESS``).

:class:`DaskExecutor` connects to an existing scheduler (``tcp://host:8786``) or starts a
``LocalCluster`` on this machine (``"local"``: one single-threaded worker process per job), and
submits every report as one task running :func:`.executors.render_task` — the same
:func:`.execute.execute_report` a local run uses. A worker returns the page and the executed
notebook as bytes; the engine publishes them on the client, under the output directory's lock,
with the same atomic and incremental rules as a local run.

**Failures.** A report whose notebook fails is a failed report, as locally. A worker that dies
while rendering (killed, out of memory) is the scheduler's to handle: it runs the task again on
another worker until ``distributed.scheduler.allowed-failures`` workers have died with it, then
the report fails with ``KilledWorker``; the ``LocalCluster`` started here allows one such retry,
and only one task per worker at a time, so a dying worker takes no other report with it. A lost
connection to the scheduler cancels the reports in flight: each is submitted once more if the
client reconnects, else fails. Either way only the reports concerned fail; the others are
published, and a failed report keeps its previous good page.

**Workers** must see the notebooks and the data at the paths the client planned with, and run
the same ``afghan-brief``: each task compares the notebook, package and data hashes first and
fails its report naming what differs (a shared file system or the same checkout and install).

May import: ``distributed`` (the optional extra: ``pip install 'afghan-brief[dask]'``), the
standard library and the engine's modules.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from ..exceptions import SchedulerError
from .execute import CellError, Executed
from .executors import RunContext, outcome_from_payload, render_task, task_spec

LOCAL = "local"
ALLOWED_FAILURES = 1  # LocalCluster: a report whose worker died runs once more, then fails


def _progress_task(spec: dict[str, Any], topic: str) -> dict[str, Any]:
    """What a worker runs: :func:`render_task`, reporting its start and cells as events."""
    try:
        from distributed import get_worker

        worker = get_worker()  # here: render_task runs the report in a context of its own
    except Exception:
        worker = None

    def emit(event: str, value: int) -> None:
        with suppress(Exception):  # progress is a convenience: never a reason to fail a report
            worker.log_event(topic, {"name": spec["name"], "event": event, "value": value})

    return render_task(spec, on_start=lambda n: emit("start", n), on_cell=lambda n: emit("cell", n))


class DaskExecutor:
    """Reports as tasks on a Dask scheduler at ``address``, or on a new ``LocalCluster``
    (``address="local"``) of ``jobs`` single-threaded worker processes (``processes=False``:
    worker threads in this process, for tests). ``client``: an existing
    ``distributed.Client`` to use instead (left open)."""

    def __init__(
        self,
        address: str = LOCAL,
        jobs: int | None = None,
        *,
        processes: bool = True,
        client: Any = None,
        connect_timeout: float = 10.0,
    ):
        self.address = address
        self.jobs = max(1, int(jobs or 1))
        self.processes = processes
        self.client = client
        self.connect_timeout = connect_timeout

    def describe(self) -> str:
        if self.client is not None:
            return f"dask {self.client.scheduler.address}"
        if self.address == LOCAL:
            return f"dask LocalCluster ({self.jobs} workers)"
        return f"dask {self.address}"

    def _connect(self, reports: int):
        """(client, cluster or None); SchedulerError (exit 2) naming the address. A
        LocalCluster gets no more workers than there are ``reports``."""
        if self.client is not None:
            return self.client, None
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise SchedulerError(
                "--dask needs the distributed package: pip install 'afghan-brief[dask]'"
            ) from None
        if self.address == LOCAL:
            with dask.config.set(
                {
                    "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                    "distributed.scheduler.worker-saturation": 1.0,  # one task per worker
                }
            ):
                cluster = LocalCluster(
                    n_workers=max(1, min(self.jobs, reports)),
                    threads_per_worker=1,
                    processes=self.processes,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            return Client(cluster, set_as_default=False), cluster
        try:
            client = Client(self.address, timeout=self.connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {self.address}: "
                f"{type(exc).__name__}: {exc}; nothing was rendered"
            ) from None
        return client, None

    def run(self, todo: list, ctx: RunContext) -> Iterator[tuple[Any, Executed]]:
        """Submit every report, yield ``(job, Executed)`` as each comes back. Closing the
        generator cancels what is still queued or running and closes what was opened here."""
        from distributed import as_completed

        client, cluster = self._connect(len(todo))
        topic = f"afghan-brief-progress-{uuid.uuid4().hex}"
        by_name = {job.name: job for job in todo}

        def on_event(event) -> None:
            msg = event[1] if isinstance(event, tuple) else event
            job = by_name.get(msg.get("name")) if isinstance(msg, dict) else None
            if job is not None:
                hook = ctx.progress.start if msg["event"] == "start" else ctx.progress.cell
                hook(job.name, msg["value"])

        attempts: dict[str, int] = {}
        futures: dict[Any, Any] = {}

        def submit(job):
            attempts[job.name] = attempts.get(job.name, 0) + 1
            key = f"afghan-brief-{job.name}-{uuid.uuid4().hex[:12]}"
            future = client.submit(_progress_task, task_spec(job, ctx), topic, key=key, pure=False)
            futures[future] = job
            return future

        try:
            with suppress(Exception):  # a scheduler without events: no progress, same result
                client.subscribe_topic(topic, on_event)
            pending = as_completed([submit(job) for job in todo], loop=client.loop)
            for future in pending:
                job = futures.pop(future)
                outcome = self._outcome(future, job, ctx, client, attempts)
                if outcome is None:  # lost with the connection: once more
                    pending.add(submit(job))
                    continue
                yield job, outcome
        finally:
            for future in list(futures):
                future.cancel()
            if self.client is None:
                with suppress(Exception):
                    client.close(timeout=10)
            if cluster is not None:
                with suppress(Exception):
                    cluster.close(timeout=10)

    def _outcome(self, future, job, ctx: RunContext, client, attempts) -> Executed | None:
        work = ctx.tmp / job.name
        if future.status == "finished":
            try:
                return outcome_from_payload(future.result(), work)
            except Exception as exc:  # the result could not be fetched: connection lost
                return self._lost(job, work, client, attempts, exc)
        if future.status == "error":
            exc = future.exception()
            name = type(exc).__name__
            if name == "KilledWorker":
                tries = getattr(exc, "allowed_failures", None)
                last = getattr(getattr(exc, "last_worker", None), "address", "?")
                text = (
                    "every worker that ran it died"
                    + (
                        f" ({tries + 1} attempts, the scheduler's limit)"
                        if tries is not None
                        else ""
                    )
                    + f"; the last was {last}"
                )
            else:  # the task could not run there at all (e.g. afghan-brief not installed)
                text = f"the Dask worker could not run it: {exc}"
            error = CellError(None, None, name, _one_line(text), where="on a Dask worker")
            return Executed("failed", 0.0, work, error)
        return self._lost(job, work, client, attempts, None)  # cancelled: the connection

    def _lost(self, job, work, client, attempts, exc) -> Executed | None:
        """A report lost with the connection: None to submit it once more (its first loss, once
        the client has reconnected, waiting up to ``connect_timeout``), else a failure."""
        if attempts[job.name] < 2:
            deadline = time.monotonic() + self.connect_timeout
            while client.status == "connecting" and time.monotonic() < deadline:
                time.sleep(0.2)
            if client.status == "running":
                return None
        where = self.address if self.client is None else client.scheduler.address
        detail = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
        error = CellError(
            None,
            None,
            "SchedulerConnectionLost",
            _one_line(
                f"lost the connection to the Dask scheduler at {where} while it ran"
                f" ({attempts[job.name]} attempt(s)){detail}"
            ),
            where="on the Dask cluster",
        )
        return Executed("failed", 0.0, work, error)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:400]
