"""Fetching publishers' files over HTTP: timeouts, retries with backoff, conditional requests.

:class:`Fetcher` keeps the last body of every URL it fetched in a cache directory (inside the
data store) with its ``ETag`` and ``Last-Modified``; the next request for that URL sends
``If-None-Match`` / ``If-Modified-Since`` and a ``304 Not Modified`` costs no download. Bodies
stream to a temporary file and replace the cached one only when complete (a body shorter than its
``Content-Length`` is a truncated download). Connection errors, timeouts, 429 and 5xx are retried
with exponential backoff; any other HTTP error fails at once. httpx honours the environment's
proxy settings (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``). Every failure is one
:class:`~analysis.exceptions.FetchError` naming the URL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ...exceptions import FetchError

USER_AGENT = "afghan-brief data update (https://github.com/; research reports)"


@dataclass
class Fetched:
    """One URL's body, on disk in the cache: freshly downloaded (200) or unchanged (304)."""

    url: str
    path: Path
    status: int
    retrieved: str  # when this body was downloaded (an unchanged body keeps its first time)
    sha256: str
    etag: str | None = None
    last_modified: str | None = None
    downloaded: int = 0  # bytes transferred by this request

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Progress:
    """Download progress hooks (the CLI shows a bar on a terminal); the default does nothing."""

    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, label: str, n: int) -> None: ...

    def done(self, label: str, note: str) -> None: ...


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Fetcher:
    """GET with a cache of bodies and validators; see the module docstring."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        progress: Progress | None = None,
    ):
        import httpx

        self.cache_dir = cache_dir
        self.retries = max(1, retries)
        self.backoff = backoff
        self.progress = progress or Progress()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            trust_env=True,  # proxies from the environment
        )
        self.downloaded = 0  # bytes over all requests
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{key}.body", self.cache_dir / f"{key}.json"

    def cached(self, url: str) -> dict | None:
        """The cache's record of ``url`` when its body is there and intact, else None."""
        body, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not body.is_file() or sha256_file(body) != meta.get("sha256"):
            return None  # a damaged cache entry: fetch the whole body again
        return meta

    def get(self, url: str, label: str) -> Fetched:
        """The body of ``url`` (from the cache when the server says it is unchanged)."""
        import httpx

        self.cache_dir.mkdir(parents=True, exist_ok=True)
        body, meta_path = self._paths(url)
        meta = self.cached(url)
        headers = {}
        if meta is not None:
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        last_error = "no attempt"
        for attempt in range(1, self.retries + 1):
            if attempt > 1:
                time.sleep(self.backoff * 2 ** (attempt - 2))
            try:
                return self._attempt(url, label, headers, meta, body, meta_path)
            except _Retry as exc:
                last_error = str(exc)
            except httpx.TimeoutException:
                last_error = "timed out"
            except httpx.TransportError as exc:
                last_error = f"connection failed ({type(exc).__name__}: {exc})"
        raise FetchError(
            f"{label}: {last_error} after {self.retries} attempt(s): {url}; nothing was changed"
        )

    def _attempt(self, url, label, headers, meta, body, meta_path) -> Fetched:
        self.requests += 1
        with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304 and meta is not None:
                self.progress.done(label, "unchanged")
                return Fetched(
                    url,
                    body,
                    304,
                    meta["retrieved"],
                    meta["sha256"],
                    meta.get("etag"),
                    meta.get("last_modified"),
                )
            if status == 429 or status >= 500:
                raise _Retry(f"HTTP {status} {response.reason_phrase}")
            if status != 200:
                raise FetchError(
                    f"{label}: HTTP {status} {response.reason_phrase}: {url}; nothing was changed"
                )
            expected = response.headers.get("Content-Length")
            total = int(expected) if expected and expected.isdigit() else None
            self.progress.start(label, total)
            fd, tmp_name = tempfile.mkstemp(dir=self.cache_dir, prefix=".part-")
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as handle:
                    for chunk in response.iter_raw():
                        handle.write(chunk)
                        self.progress.advance(label, len(chunk))
                received = response.num_bytes_downloaded
                self.downloaded += received
                if total is not None and received != total:
                    raise FetchError(
                        f"{label}: truncated download, {received:,} of {total:,} bytes: {url}; "
                        "nothing was changed"
                    )
                _decode_in_place(tmp, response.headers.get("Content-Encoding"), label, url)
                sha = sha256_file(tmp)
                os.replace(tmp, body)
            finally:
                tmp.unlink(missing_ok=True)
            record = {
                "url": url,
                "retrieved": now(),
                "sha256": sha,
                "etag": response.headers.get("ETag"),
                "last_modified": response.headers.get("Last-Modified"),
            }
            meta_path.write_text(json.dumps(record), encoding="utf-8")
            self.progress.done(label, f"{received:,} bytes")
            return Fetched(
                url,
                body,
                200,
                record["retrieved"],
                sha,
                record["etag"],
                record["last_modified"],
                received,
            )


class _Retry(Exception):
    """A response worth another attempt (429, 5xx)."""


def _decode_in_place(path: Path, encoding: str | None, label: str, url: str) -> None:
    """Undo a gzip/deflate Content-Encoding (the raw bytes were counted against the length)."""
    if not encoding or encoding.strip().lower() in ("identity", ""):
        return
    import gzip
    import zlib

    data = path.read_bytes()
    try:
        if encoding.strip().lower() == "gzip":
            data = gzip.decompress(data)
        elif encoding.strip().lower() == "deflate":
            data = zlib.decompress(data)
        else:
            return
    except (OSError, zlib.error, EOFError) as exc:
        raise FetchError(f"{label}: broken {encoding} body ({exc}): {url}") from None
    with contextlib.suppress(OSError):
        path.write_bytes(data)
