"""Notification hooks: a user's command run after a render, with the summary on its stdin.

``afghan-brief render --on-change CMD`` runs ``CMD`` when a report's figures, verdicts or data
changed; ``--on-failure CMD`` when the render failed (a report, the data, the parameters, the
lock). The command runs through the shell (so ``mail -s "reports" me@example.org`` works from
cron), with a timeout; whatever it does, the render's own result and exit code stand: a hook that
fails, hangs or is missing is reported as one warning line.
"""

from __future__ import annotations

import subprocess

HOOK_TIMEOUT = 120.0


def run_hook(command: str, summary: str, timeout: float = HOOK_TIMEOUT) -> str | None:
    """Run ``command`` with ``summary`` on its standard input; None when it succeeded, else the
    warning to print (never raises for the command's failure)."""
    try:
        done = subprocess.run(
            command,
            shell=True,
            input=summary,
            text=True,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"hook {command!r} did not finish within {timeout:g} s and was stopped"
    except OSError as exc:
        return f"hook {command!r} could not start: {exc.strerror or exc}"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout or "").strip().splitlines()
        detail = f": {tail[-1][:200]}" if tail else ""
        return f"hook {command!r} exited {done.returncode}{detail}"
    return None
