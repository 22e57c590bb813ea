"""What a render with nothing to do still does, done cheaply and the same as before: the lock
(taken without filelock where ``fcntl`` is), the git record (one ``git status``), the
fingerprint of a directory tree (listed once, no per-file ``resolve``), the package version
(without ``importlib.metadata``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

from analysis.exceptions import LockHeldError
from analysis.render import manifest as mf
from analysis.render.lock import LOCK_NAME, render_lock

# ---------------------------------------------------------------------------------------------
# The lock: excludes filelock's lock and itself, waits when asked, is released with its process


def test_the_lock_and_filelocks_lock_on_the_same_file_exclude_each_other(tmp_path):
    from filelock import FileLock, Timeout

    theirs = FileLock(str(tmp_path / LOCK_NAME), timeout=0)
    # an older afghan-brief (or the data updater's library) holds it
    with theirs, pytest.raises(LockHeldError), render_lock(tmp_path):
        pass
    with render_lock(tmp_path), pytest.raises(Timeout):
        theirs.acquire()
    theirs.acquire()  # released: free again
    theirs.release()


def test_a_second_lock_in_the_same_process_is_refused_and_wait_queues(tmp_path):
    with render_lock(tmp_path):
        with pytest.raises(LockHeldError), render_lock(tmp_path):
            pass
        with pytest.raises(LockHeldError), render_lock(tmp_path, wait=0.3):
            pass  # waited, then gave up
    held, order = threading.Event(), []

    def hold():
        with render_lock(tmp_path):
            held.set()
            time.sleep(0.5)
            order.append("holder done")

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    with render_lock(tmp_path, wait=True):  # queued behind the holder, then taken
        order.append("waiter")
    thread.join()
    assert order == ["holder done", "waiter"]


def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    code = (
        "import sys, time\nfrom analysis.render.lock import render_lock\n"
        f"with render_lock({str(tmp_path)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=REPO)
    try:
        assert holder.stdout.readline() == b"held\n"
        with pytest.raises(LockHeldError) as err, render_lock(tmp_path):
            pass
        assert f"pid {holder.pid} on " in str(err.value)  # who holds it
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with render_lock(tmp_path):  # the system released it with the process
        pass


# ---------------------------------------------------------------------------------------------
# The git record of a run


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_git_record_names_the_commit_and_whether_tracked_files_differ(tmp_path):
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    assert mf.git_revision(repo / "notebooks") is None  # not a work tree
    _git(repo, "init", "-q")
    assert mf.git_revision(repo / "notebooks") is None  # no commit yet
    (repo / "notebooks" / "a.ipynb").write_text("{}")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "one")
    head = _git(repo, "rev-parse", "HEAD")
    assert mf.git_revision(repo / "notebooks") == {"revision": head, "dirty": False}
    (repo / "notebooks" / "new.ipynb").write_text("{}")  # untracked: not a difference
    assert mf.git_revision(repo / "notebooks") == {"revision": head, "dirty": False}
    (repo / "notebooks" / "a.ipynb").write_text('{"cells": []}')
    assert mf.git_revision(repo / "notebooks") == {"revision": head, "dirty": True}


# ---------------------------------------------------------------------------------------------
# A directory's fingerprint


def test_a_tree_lists_regular_files_only_keyed_by_their_resolved_paths(tmp_path):
    root = tmp_path / "data"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / ".hidden_dir").mkdir()
    (root / "real").mkdir()
    (root / "a.csv").write_text("a")
    (root / "sub" / "b.csv").write_text("b")
    (root / "sub" / "c.pyc").write_text("c")
    (root / "sub" / "__pycache__" / "d.csv").write_text("d")
    (root / ".hidden.csv").write_text("e")
    (root / ".hidden_dir" / "f.csv").write_text("f")
    (root / "real" / "g.csv").write_text("g")
    (root / "linked_dir").symlink_to(root / "real")  # not followed
    (root / "linked.csv").symlink_to(root / "a.csv")  # a file through a symlink: counted
    (root / "dangling.csv").symlink_to(root / "missing.csv")
    os.mkfifo(root / "fifo.csv")  # never opened
    hasher = mf.FileHasher()
    found = hasher.tree(tmp_path / "data" / ".." / "data")
    assert sorted(found) == ["a.csv", "linked.csv", "real/g.csv", "sub/b.csv"]
    assert found["linked.csv"] == found["a.csv"] == mf.FileHasher().file(root / "a.csv")
    # the hash cache is keyed by resolved path: the symlink and its target share one entry
    assert sorted(hasher._files) == sorted(
        str((root / p).resolve()) for p in ("a.csv", "real/g.csv", "sub/b.csv")
    )


def test_a_changed_file_changes_the_tree_and_an_unchanged_one_is_not_read(tmp_path, monkeypatch):
    root = tmp_path / "data"
    root.mkdir()
    (root / "a.csv").write_text("one")
    cache = tmp_path / "cache.json"
    hasher = mf.FileHasher(cache)
    first = hasher.tree(root)
    hasher.save()
    reads = []
    real = mf.files.read_bytes
    monkeypatch.setattr(mf.files, "read_bytes", lambda p, **kw: reads.append(p) or real(p, **kw))
    assert mf.FileHasher(cache).tree(root) == first and reads == []
    (root / "a.csv").write_text("two!")
    assert mf.FileHasher(cache).tree(root) != first and len(reads) == 1


# ---------------------------------------------------------------------------------------------
# The version


def test_the_version_is_the_installed_distributions():
    from importlib.metadata import version

    import analysis

    assert analysis.__version__ == version("afghan-brief")
