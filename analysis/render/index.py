"""``index.html``: the manifest as a page (no script, no network), linking every good page, its
executed notebook, and the failed ones.
"""

from __future__ import annotations

import html
import json
from typing import Any

from .manifest import INDEX_NAME, Manifest, atomic_write_text

_STATUS_TEXT = {
    "ok": "rendered",
    "skipped": "up to date",
    "failed": "FAILED",
    "interrupted": "interrupted",
    "recovered": "kept (manifest rebuilt)",
}


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;margin-bottom:.2rem}.meta{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #ddd}
th{background:#f4f4f4}code{font-size:.85em;white-space:pre-wrap;word-break:break-word}
.s{font-weight:600;border-radius:3px;padding:.1rem .4rem;white-space:nowrap}
.ok{background:#e3f4e3;color:#17591a}.skipped{background:#eef1f6;color:#33475b}
.failed{background:#fde4e1;color:#9d1c0f}.interrupted{background:#fff1cc;color:#6b4e00}
.err{color:#9d1c0f;margin-top:.3rem}.small{color:#666;font-size:.85em}
h2{font-size:1.2rem;margin:2rem 0 .2rem}h2 .small{font-weight:400}
caption{text-align:left;color:#555;font-size:.85em;padding:.2rem 0}
.recovered{background:#eef1f6;color:#33475b}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _params_text(params: dict) -> str:
    shown = {k: v for k, v in params.items() if not (k == "data_dir" and v == "")}
    return "\n".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in shown.items())


def _cells(name: str, entry: dict) -> dict[str, str]:
    """One report's cells (HTML): title, status (with its error), rendered, links."""
    status = entry.get("status", "ok")
    good = entry.get("good") or {}
    links = []
    if good and entry.get("html"):
        links.append(f'<a href="{_e(entry["html"])}">report</a>')
        links.append(f'<a href="{_e(entry["ipynb"])}">notebook</a>')
    if entry.get("failed_html"):
        links.append(f'<a href="{_e(entry["failed_html"])}">failed run</a>')
    if entry.get("failed_ipynb"):
        links.append(f'<a href="{_e(entry["failed_ipynb"])}">failed notebook</a>')
    title = f'<a href="{_e(entry["html"])}">{_e(name)}</a>' if good else _e(name)
    error = entry.get("error")
    detail = ""
    if error:
        detail = f'<div class="err">{_e(error.get("summary", ""))}</div>'
        if good:
            detail += (
                '<div class="small">the report shown is the last good render, of '
                f"{_e(good.get('rendered_at', '?'))}</div>"
            )
    took = good.get("duration_s")
    return {
        "title": title,
        "status": f'<span class="s {_e(status)}">{_e(_STATUS_TEXT.get(status, status))}</span>'
        + detail,
        "rendered": _e(good.get("rendered_at", "—"))
        + (f"<div class=small>{took:.1f} s</div>" if took is not None else ""),
        "links": " · ".join(links) or "—",
    }


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _reports_table(names: list[str], reports: dict[str, dict]) -> str:
    rows = []
    for name in names:
        entry, c = reports[name], _cells(name, reports[name])
        rows.append(
            f'<tr><td>{c["title"]}<div class="small">{_e(entry.get("notebook", ""))}</div></td>'
            f"<td><code>{_e(_params_text(entry.get('parameters', {})))}</code></td>"
            f"<td>{c['status']}</td><td>{c['rendered']}</td><td>{c['links']}</td></tr>"
        )
    return (
        "<table>\n<caption>Reports: parameters, status, last good render and links</caption>\n"
        "<thead><tr><th>report</th><th>parameters</th><th>status</th><th>rendered</th>"
        f"<th>links</th></tr></thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>"
    )


def _matrix_section(matrix: str, names: list[str], reports: dict[str, dict]) -> str:
    """A matrix's reports in one table, one column per parameter that varies across it; the
    parameters they share listed once above it."""
    varying: list[str] = []
    for name in names:
        for key in (reports[name].get("matrix") or {}).get("varying", []):
            if key not in varying:
                varying.append(key)
    params = [reports[n].get("parameters", {}) for n in names]
    shared = {
        k: v
        for k, v in params[0].items()
        if k not in varying and all(p.get(k, object()) == v for p in params[1:])
    }
    notebooks = sorted({reports[n].get("notebook", "") for n in names})
    head = "".join(f"<th>{_e(k)}</th>" for k in varying)
    rows = []
    for name, values in zip(names, params, strict=True):
        c = _cells(name, reports[name])
        cols = "".join(f"<td>{_e(_value(values[k])) if k in values else '—'}</td>" for k in varying)
        rows.append(
            f"<tr><td>{c['title']}</td>{cols}<td>{c['status']}</td><td>{c['rendered']}</td>"
            f"<td>{c['links']}</td></tr>"
        )
    return (
        f'<h2 id="matrix-{_e(matrix)}">{_e(matrix)} <span class="small">matrix of '
        f"{len(names)} report{'s' if len(names) != 1 else ''} · "
        f"{_e(', '.join(notebooks))}</span></h2>\n"
        + (
            f'<p class="small">all with <code>{_e(_params_text(shared))}</code></p>\n'
            if shared
            else ""
        )
        + f'<table class="matrix">\n<caption>Reports of the matrix {_e(matrix)}, by '
        + f"{_e(', '.join(varying) or 'parameters')}</caption>\n"
        + f"<thead><tr><th>report</th>{head}<th>status</th>"
        "<th>rendered</th><th>links</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def write_index(manifest: Manifest) -> None:
    """``index.html``: one row per report (parameters, status, time, links), the reports of each
    parameter matrix in a table of their own with the parameters that vary as columns."""
    data = manifest.data
    run = data.get("run", {})
    git = data.get("git") or {}
    reports = manifest.reports
    groups: dict[str, list[str]] = {}
    single = []
    for name in sorted(reports):
        matrix = (reports[name].get("matrix") or {}).get("name")
        if matrix:
            groups.setdefault(matrix, []).append(name)
        else:
            single.append(name)
    sections = [_reports_table(single, reports)] if single or not groups else []
    sections += [_matrix_section(m, groups[m], reports) for m in sorted(groups)]
    revision = git.get("revision", "")
    version_line = (
        f"afghan-brief {_e(data.get('package_version', '?'))}"
        + (f" · git {_e(revision[:12])}{' (modified)' if git.get('dirty') else ''}" if git else "")
        + (f" · data: {_e(data['data_source'])}" if data.get("data_source") else "")
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Afghanistan after the withdrawal: reports</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>Afghanistan after the withdrawal: reports</h1>
<p class="meta">Last run {_e(run.get("finished", "?"))} ({_e(run.get("summary", ""))}) ·
{version_line} · <a href="changes.html">what changed</a> · <a href="manifest.json">manifest</a> ·
<a href="history.jsonl">history</a></p>
{chr(10).join(sections)}
<p class="small">Every page works offline: charts draw with the local copy of plotly.js in
<code>assets/</code>. Generated by <code>afghan-brief render</code>; do not edit by hand.</p>
</main>
</body>
</html>
"""
    atomic_write_text(manifest.out_dir / INDEX_NAME, page)
