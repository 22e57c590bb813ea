"""What changed since a report's previous good render: figures, verdicts, data versions.

A report's ``<name>.figures.json`` (:mod:`.figures_out`) holds its key figures and verdicts
(records with a stable ``id``) and the data files behind them (table, release version, years).
:func:`compare` sets a new one against the previous good render's and says:

- **figures that moved**: old → new, absolute and relative change; a value that became missing
  or available is said so (missing is never zero);
- **new years appended** versus **past years revised**: a figure that carries a ``year`` and is
  new, or was missing before, for a year after the previous data's last year is appended; a
  changed value for a year the previous data already covered is a revision by the publisher (or
  the code); figures without a year are simply added or removed;
- **verdicts that flipped**: ``verdict`` old → new, with the counts behind them;
- **data versions updated**: per table, release old → new, last year old → new, or the same
  release with different bytes.

:func:`write_changes_page` draws every report's latest comparison as ``changes.html``: no script,
nothing fetched, the index's look. Standard library only.
"""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .manifest import Manifest, atomic_write_text

CHANGES_NAME = "changes.html"


@dataclass
class Moved:
    id: str
    label: str
    old: float | None
    new: float | None
    unit: str = ""
    year: int | None = None
    kind: str = "moved"  # moved | appended | revised | now missing | now available

    @property
    def absolute(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def relative(self) -> float | None:
        if self.old in (None, 0) or self.new is None:
            return None
        return (self.new - self.old) / abs(self.old)


@dataclass
class ReportChange:
    """One report's differences from its previous good render (all empty: nothing changed)."""

    report: str
    rendered_at: str | None = None
    previous_rendered_at: str | None = None
    figures: list[Moved] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # labels of figures new in this render
    removed: list[str] = field(default_factory=list)
    verdicts: list[dict] = field(default_factory=list)  # id, label, old, new
    data: list[dict] = field(default_factory=list)  # table, old, new, note
    first_render: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.added or self.removed or self.verdicts or self.data)

    def count(self, kind: str) -> int:
        return sum(m.kind == kind for m in self.figures)

    def summary(self) -> str:
        """One line: ``regional_risk: 3 figures moved, 1 verdict flipped, ...``."""
        if self.first_render:
            return f"{self.report}: first render (nothing to compare with)"
        parts = []
        for kind, word in (
            ("moved", "figure{} moved"),
            ("revised", "past year{} revised"),
            ("appended", "new year{} appended"),
            ("now missing", "figure{} now missing"),
            ("now available", "figure{} now available"),
        ):
            n = self.count(kind)
            if n:
                parts.append(f"{n} {word.format('s' if n > 1 else '')}")
        if self.added:
            parts.append(f"{len(self.added)} figure{'s' if len(self.added) > 1 else ''} added")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.verdicts:
            n = len(self.verdicts)
            parts.append(f"{n} verdict{'s' if n > 1 else ''} flipped")
        for d in self.data:
            parts.append(f"{d['table']} {d['text']}")
        return f"{self.report}: " + (", ".join(parts) if parts else "nothing changed")

    def as_dict(self) -> dict:
        out = asdict(self)
        out["figures"] = [
            {**asdict(m), "absolute": m.absolute, "relative": m.relative} for m in self.figures
        ]
        out["summary"] = self.summary()
        return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _last_years(data: list[dict]) -> dict[str, int]:
    return {d["table"]: d["last_year"] for d in data or [] if d.get("last_year") is not None}


def compare(old: dict | None, new: dict, report: str) -> ReportChange:
    """The differences between two ``figures.json`` documents (``old`` None: first render)."""
    change = ReportChange(report, new.get("rendered_at"))
    if old is None:
        change.first_render = True
        return change
    change.previous_rendered_at = old.get("rendered_at")
    old_last = max(_last_years(old.get("data")).values(), default=None)
    before = {f["id"]: f for f in old.get("figures") or []}
    after = {f["id"]: f for f in new.get("figures") or []}
    for fid, f in after.items():
        year = f.get("year") if isinstance(f.get("year"), int) else None
        new_value = _number(f.get("value"))
        if fid not in before:
            if year is not None and old_last is not None and year > old_last:
                change.figures.append(
                    Moved(
                        fid,
                        f.get("label", fid),
                        None,
                        new_value,
                        f.get("unit", ""),
                        year,
                        "appended",
                    )
                )
            else:
                change.added.append(f.get("label", fid))
            continue
        old_value = _number(before[fid].get("value"))
        if _same(old_value, new_value):
            continue
        if old_value is None:
            late = year is not None and old_last is not None and year > old_last
            kind = "appended" if late else "now available"
        elif new_value is None:
            kind = "now missing"
        elif year is not None and old_last is not None and year <= old_last:
            kind = "revised"
        else:
            kind = "moved"
        change.figures.append(
            Moved(fid, f.get("label", fid), old_value, new_value, f.get("unit", ""), year, kind)
        )
    change.removed = [f.get("label", fid) for fid, f in before.items() if fid not in after]
    old_verdicts = {v["id"]: v for v in old.get("verdicts") or []}
    for v in new.get("verdicts") or []:
        was = old_verdicts.get(v["id"])
        if was is not None and was.get("verdict") != v.get("verdict"):
            change.verdicts.append(
                {
                    "id": v["id"],
                    "label": v.get("label", v["id"]),
                    "old": was.get("verdict"),
                    "new": v.get("verdict"),
                    "counts": v.get("counts"),
                }
            )
    change.data = compare_data(old.get("data") or [], new.get("data") or [])
    return change


def compare_data(old: list[dict], new: list[dict]) -> list[dict]:
    """Per table: release and years before and after, when the file behind it changed."""
    before = {d["table"]: d for d in old}
    out = []
    for d in new:
        was = before.get(d["table"])
        if was is None or was.get("sha256") == d.get("sha256"):
            continue
        parts = []
        if was.get("version") != d.get("version"):
            parts.append(f"{was.get('version') or '?'} → {d.get('version') or '?'}")
        if was.get("last_year") != d.get("last_year"):
            parts.append(f"to {d.get('last_year')} (was {was.get('last_year')})")
        text = ", ".join(parts) or "same release, file changed"
        out.append(
            {"table": d["table"], "old": was.get("version"), "new": d.get("version"), "text": text}
        )
    return out


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "missing"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"
    return f"{text} {unit}".strip()


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.meta{color:#555;margin-top:0}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.35rem .6rem;border-bottom:1px solid #ddd}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.none{color:#555}.up{color:#9d1c0f}.down{color:#17591a}.small{color:#666;font-size:.85em}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _report_section(name: str, entry: dict) -> str:
    change = entry.get("changes") or {}
    link = f'<a href="{_e(entry["html"])}">{_e(name)}</a>' if entry.get("html") else _e(name)
    head = f"<h2>{link}</h2>"
    when = (
        f'<p class="small">rendered {_e(change.get("rendered_at", "?"))}, compared with the '
        f"render of {_e(change.get('previous_rendered_at') or '—')}</p>"
    )
    if change.get("first_render"):
        return head + '<p class="none">First render: nothing to compare with yet.</p>'
    if not change or not any(
        change.get(k) for k in ("figures", "added", "removed", "verdicts", "data")
    ):
        return head + when + '<p class="none">Nothing changed.</p>'
    parts = [head, when]
    if change.get("data"):
        rows = "".join(
            f"<tr><td>{_e(d['table'])}</td><td>{_e(d['text'])}</td></tr>" for d in change["data"]
        )
        parts.append(
            "<table><caption>Data versions updated</caption><thead><tr><th>table</th>"
            f"<th>change</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if change.get("figures"):
        rows = []
        for m in change["figures"]:
            rel, absolute, unit = m.get("relative"), m.get("absolute"), m.get("unit", "")
            cls = "" if absolute is None else ("up" if absolute > 0 else "down")
            abs_text = "" if absolute is None else f"{absolute:+,.4g}"
            rel_text = "" if rel is None else f"{rel:+.1%}"
            rows.append(
                f"<tr><td>{_e(m['label'])}</td><td>{_e(m['kind'])}</td>"
                f'<td class="n">{_e(_fmt(m["old"], unit))}</td>'
                f'<td class="n">{_e(_fmt(m["new"], unit))}</td>'
                f'<td class="n {cls}">{_e(abs_text)}</td>'
                f'<td class="n {cls}">{_e(rel_text)}</td></tr>'
            )
        parts.append(
            "<table><caption>Figures that moved</caption><thead><tr><th>figure</th><th>how</th>"
            "<th>before</th><th>now</th><th>change</th><th>relative</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    if change.get("verdicts"):
        rows = "".join(
            f"<tr><td>{_e(v['label'])}</td><td>{_e(v['old'])}</td><td>{_e(v['new'])}</td></tr>"
            for v in change["verdicts"]
        )
        parts.append(
            "<table><caption>Verdicts that flipped</caption><thead><tr><th>claim</th>"
            f"<th>before</th><th>now</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    for key, word in (("added", "New figures"), ("removed", "Figures no longer reported")):
        if change.get(key):
            items = "".join(f"<li>{_e(x)}</li>" for x in change[key])
            parts.append(f"<p>{word}:</p><ul>{items}</ul>")
    return "".join(parts)


def write_changes_page(manifest: Manifest) -> None:
    """``changes.html``: each report's latest comparison with its previous good render."""
    run = manifest.data.get("run", {})
    sections = [_report_section(name, manifest.reports[name]) for name in sorted(manifest.reports)]
    latest = run.get("changes") or []
    headline = (
        "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in latest) + "</ul>"
        if latest
        else '<p class="none">The last run changed no figure, verdict or data version.</p>'
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What changed since the last render</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>What changed since the last render</h1>
<p class="meta">Last run {_e(run.get("finished", "?"))} ({_e(run.get("summary", ""))}) ·
<a href="index.html">all reports</a> · <a href="history.jsonl">history</a></p>
{headline}
{"".join(sections)}
<p class="small">Each report's key figures and verdicts (<code>&lt;name&gt;.figures.json</code>)
compared with its previous good render. Generated by <code>afghan-brief render</code>.</p>
</main>
</body>
</html>
"""
    atomic_write_text(manifest.out_dir / CHANGES_NAME, page)
