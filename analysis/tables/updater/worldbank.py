"""The World Bank Indicators API (v2): one indicator at a time, every page, as long rows.

A response is a JSON array ``[meta, records]``: ``meta`` has ``page``, ``pages``, ``per_page``,
``total`` and ``lastupdated`` (the source's last update: the release recorded in the sidecar);
each record has ``indicator {id, value}``, ``country {id, value}``, ``countryiso3code``,
``date`` and ``value`` (null when the Bank has none: dropped, never zero). An error is an array
whose only element holds ``message``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ...exceptions import FetchError
from .fetch import Fetcher
from .publishers import WorldBankTable, worldbank_base, worldbank_url


@dataclass
class WorldBankDownload:
    rows: list[dict]
    release: str | None
    url: str
    retrieved: str | None
    source_sha256: str
    downloaded: bool  # any page came over the wire (not 304)


def fetch_table(fetcher: Fetcher, spec: WorldBankTable) -> WorldBankDownload:
    rows: list[dict] = []
    releases: list[str] = []
    retrieved: list[str] = []
    shas: list[str] = []
    downloaded = False
    for code, source in spec.series:
        page, pages = 1, 1
        while page <= pages:
            url = worldbank_url(code, source, page)
            got = fetcher.get(url, f"World Bank {code}" + (f" p{page}" if page > 1 else ""))
            downloaded |= not got.not_modified
            retrieved.append(got.retrieved)
            shas.append(got.sha256)
            meta, records = _parse(got.path.read_bytes(), url)
            pages = int(meta.get("pages") or 1)
            if meta.get("lastupdated"):
                releases.append(str(meta["lastupdated"]))
            rows += [_row(r, url) for r in records]
            page += 1
    return WorldBankDownload(
        rows,
        max(releases) if releases else None,
        f"{worldbank_base()}/country/<countries>/indicator/<series>?format=json&source=<2|3>",
        max(retrieved) if retrieved else None,
        hashlib.sha256("".join(shas).encode()).hexdigest(),
        downloaded,
    )


def _parse(body: bytes, url: str) -> tuple[dict, list]:
    try:
        data = json.loads(body)
    except ValueError:
        raise FetchError(f"World Bank API: the response is not JSON: {url}") from None
    if isinstance(data, list) and data and isinstance(data[0], dict) and "message" in data[0]:
        messages = data[0]["message"]
        text = "; ".join(
            f"{m.get('key', '')}: {m.get('value', '')}" for m in messages if isinstance(m, dict)
        )
        raise FetchError(f"World Bank API error ({text or 'no message'}): {url}")
    if not (isinstance(data, list) and len(data) >= 1 and isinstance(data[0], dict)):
        raise FetchError(f"World Bank API: unexpected response shape: {url}")
    records = data[1] if len(data) > 1 and isinstance(data[1], list) else []
    return data[0], records


def _row(record: dict, url: str) -> dict:
    try:
        country = record["country"]
        indicator = record["indicator"]
        value = record.get("value")
        return {
            "country_name": country["value"],
            "country_code": record.get("countryiso3code") or country["id"],
            "indicator_code": indicator["id"],
            "indicator_name": indicator["value"],
            "year": record["date"],
            "value": "" if value is None else str(value),
        }
    except (KeyError, TypeError):
        message = f"World Bank API: a record lacks country, indicator or date: {url}"
        raise FetchError(message) from None
