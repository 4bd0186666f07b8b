"""Every 変更箇所 row of every assessment on one time line, with grouped views.

Pure Python over the model.  A row's date is its 変更日 as printed, parsed to ISO
beside it; rows without a date (drafts) come last.  A group is a view a
reviewer asks for ("the changes made for the 2024 renumbering"); a row's groups
are derived from what its 変更前/変更後 texts cite, never from its wording alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .citations import Reference, parse
from .model import Assessment
from .renumbering import default_renumbering


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str


GROUPS: dict[str, Group] = {g.id: g for g in (
    Group(
        "renumbering-2024", "2024年5月27日の番号法改正への対応",
        "変更前の記載が番号法別表第一・別表第二を引用し、変更後の記載がその後継（番号法別表、主務省令第2条の表）を引用する行。",
    ),
    Group(
        "nw-provision", "情報提供の根拠の号の変更（第19条第7号→第8号）",
        "変更前の記載が番号法第19条第7号を、変更後の記載が第19条第8号を引用する行。",
    ),
    Group("reassessment", "評価の再実施", "提出時期に係る説明または項目が評価の再実施に触れる行。"),
    Group("undated", "変更日のない行", "変更日が空欄の行（評価書(案)に多い）。"),
)}


@dataclass(frozen=True)
class TimelineEntry:
    gid: str  # <assessment id>/<change id>
    assessment: str
    assessment_title: str
    organization: str
    organization_name: str
    position: int  # 1-based row of the 変更箇所 table
    date: str | None  # as printed
    date_iso: str | None
    item: str
    targets: tuple[str, ...]  # global IDs of the sections or objects the row changes
    timing: str | None
    reason: str | None
    before: str | None
    after: str | None
    groups: tuple[str, ...]


def _bases(text: str | None, abbrevs: dict[str, str]) -> set[Reference]:
    """The references of a text, rows folded into their table."""
    out = set()
    for ref in parse(text or "", abbreviations=abbrevs).references:
        out.add(Reference(ref.law, ref.article, ref.paragraph, ref.item, ref.table) if ref.row else ref)
    return out


def _rows_renumbered(entry, abbrevs: dict[str, str]) -> bool:
    """The 項番 of 別表第二 in 変更前 became, row for row, their successors in 変更後
    (000 L872 renumbers the list but keeps the old table's name)."""
    ren = default_renumbering()
    before = [r for r in parse(entry.before.text or "", abbreviations=abbrevs).references if r.row and r.table == "別表第二"]
    after = {r.row for r in parse(entry.after.text or "", abbreviations=abbrevs).references if r.row}
    if not before or after == {r.row for r in before}:
        return False
    mapped = [c.new.row for r in before for c in ren.successors(r)]
    return len(mapped) >= 0.8 * len(before) and sum(1 for m in mapped if m in after) >= 0.8 * len(before)


def _groups(entry, abbrevs: dict[str, str]) -> tuple[str, ...]:
    groups = []
    before, after = _bases(entry.before.text, abbrevs), _bases(entry.after.text, abbrevs)
    ren = default_renumbering()
    moved = {(old, c.new) for old in before for c in ren.successors(old) if c.new in after}
    if any(old.table for old, _ in moved) or _rows_renumbered(entry, abbrevs):
        groups.append("renumbering-2024")
    if any(old.article == "19" and old.item == "7" for old, _ in moved):
        groups.append("nw-provision")
    if "再実施" in (entry.reason.text or "") or "再実施" in (entry.item.text or ""):
        groups.append("reassessment")
    if not (entry.date.text or "").strip():
        groups.append("undated")
    return tuple(groups)


def assessment_rows(a: Assessment) -> list[TimelineEntry]:
    """The rows of one assessment's 変更箇所, in table order."""
    if a.changes is None:
        return []
    out: list[TimelineEntry] = []
    abbrevs = {ab.short: ab.full for ab in a.doc.abbreviations}
    org = a.doc.organization
    for i, e in enumerate(a.changes.entries, 1):
        d = e.date.date if e.date.text else None
        out.append(TimelineEntry(
            f"{a.id}/{e.id}", a.id, a.title, org.id, org.name, i, e.date.text, d.iso if d else None,
            e.item.text or "", tuple(f"{a.id}/{t.ref}" for t in e.targets), e.timing.text, e.reason.text,
            e.before.text, e.after.text, _groups(e, abbrevs),
        ))
    return out


def timeline(assessments: Iterable[Assessment], rows_of: Callable[[Assessment], list[TimelineEntry]] = assessment_rows) -> list[TimelineEntry]:
    """Every row of every assessment, by date.  *rows_of* gives an assessment's rows
    (:func:`assessment_rows`, or the same rows kept from an earlier build)."""
    out = [row for a in assessments for row in rows_of(a)]
    out.sort(key=lambda t: (t.date_iso is None, t.date_iso or "", t.assessment, t.position))
    return out


def by_group(entries: list[TimelineEntry]) -> dict[str, list[TimelineEntry]]:
    return {gid: [e for e in entries if gid in e.groups] for gid in GROUPS}


def by_year(entries: list[TimelineEntry]) -> dict[str, list[TimelineEntry]]:
    out: dict[str, list[TimelineEntry]] = {}
    for e in entries:
        out.setdefault(e.date_iso[:4] if e.date_iso else "", []).append(e)
    return out
