"""Tables in a page are named for assistive technology, whatever notebook drew them.

A report of this package captions its tables (``analysis.charts.table_view(..., caption=...)``);
a plain papermill notebook shows a DataFrame as pandas writes it, a ``<table>`` with no caption.
:func:`name_tables` gives every table of a page that has neither a ``<caption>`` nor an
``aria-label`` / ``aria-labelledby`` an ``aria-label`` from its column headers ("Table 2:
country, baseline_mean, comparison_mean, …"), so a screen reader announces what it holds.

May import: the standard library.
"""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table\b([^>]*)>", re.IGNORECASE)
_NAMED = re.compile(r"\baria-label(?:ledby)?\s*=", re.IGNORECASE)
_CAPTION = re.compile(r"\s*<caption\b", re.IGNORECASE)
_HEADER_ROW = re.compile(r"<thead\b.*?</thead>", re.IGNORECASE | re.DOTALL)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _columns(table_html: str, limit: int = 4) -> list[str]:
    head = _HEADER_ROW.search(table_html)
    if head is None:
        return []
    names = [html.unescape(_TAG.sub("", cell)).strip() for cell in _TH.findall(head.group(0))]
    names = [n for n in dict.fromkeys(names) if n]
    return names[:limit] + (["…"] if len(names) > limit else [])


def name_tables(page: str) -> str:
    """``page`` with an ``aria-label`` on every table that has no caption and no accessible
    name yet; captioned and labelled tables are left as they are.

    >>> name_tables("<table><thead><tr><th></th><th>a</th></tr></thead></table>")
    '<table aria-label="Table 1: a"><thead><tr><th></th><th>a</th></tr></thead></table>'
    >>> name_tables("<table><caption>Key figures</caption></table>")
    '<table><caption>Key figures</caption></table>'
    """
    out, last, number = [], 0, 0
    for match in _TABLE.finditer(page):
        number += 1
        attributes = match.group(1)
        if _NAMED.search(attributes) or _CAPTION.match(page, match.end()):
            continue
        end = page.find("</table>", match.end())
        columns = _columns(page[match.end() : end if end != -1 else len(page)])
        label = f"Table {number}" + (f": {', '.join(columns)}" if columns else "")
        out.append(page[last : match.end() - 1])
        out.append(f' aria-label="{html.escape(label, quote=True)}">')
        last = match.end()
    out.append(page[last:])
    return "".join(out)
