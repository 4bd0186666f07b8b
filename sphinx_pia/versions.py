"""Published versions of one assessment, their field-by-field diff, and the
history of an item as the 変更箇所 table tells it.

Layout: the assessment directory itself holds the latest version; each earlier
version sits in ``versions/<version-id>/`` beside it, with the same YAML files
(``assessment.yaml``, ``file-<no>.yaml``, ``changes.yaml``, ``annex-<no>.yaml``)
and the same assessment ID::

    content/hanamaki-kojin-juminzei/assessment.yaml           latest
    content/hanamaki-kojin-juminzei/versions/2019-05-24/...   an earlier version

A version ID is a plain ASCII slug; the 公表日 in ISO form is the natural choice.
Versions are ordered by their date (公表日, else the latest 変更日), oldest first.

The diff flattens both versions the way :mod:`sphinx_pia.agreement` does and
compares values without whitespace (a line wrap is layout, not content), so it
reports exactly what the agreement measure would count as different.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .agreement import _unspaced, flatten
from .dates import PartialDate
from .loader import ContentError, Problem, load_assessment
from .model import Assessment, FieldKey
from .model.entities import Part, Section
from .model.values import LOCAL_ID_PATTERN

VERSIONS_DIR = "versions"
_ID_RE = re.compile(LOCAL_ID_PATTERN)


@dataclass
class Version:
    id: str  # the directory name under versions/, or "latest"
    assessment: Assessment
    path: Path
    latest: bool = False

    @property
    def published(self) -> PartialDate | None:
        item = self.assessment.cover_item(FieldKey.published_on)
        return item.date if item is not None and item.text else None

    @property
    def label(self) -> str:
        """How the site names the version: its 公表日 as printed, else its ID."""
        item = self.assessment.cover_item(FieldKey.published_on)
        text = item.text.strip() if item is not None and item.text and item.text.strip() else ""
        return ("最新版 " if self.latest else "") + (text or self.id)

    def sort_key(self) -> tuple:
        from .check.ruleset import version_date

        when, _ = version_date(self.assessment)
        return (self.latest, when or dt.date.min, self.id)


def load_versions(directory: Path, root: Path | None = None) -> list[Version]:
    """Every version of the assessment in ``directory``, oldest first, the latest last.
    Raises ContentError listing every problem of every version."""
    directory = Path(directory)
    rel = (lambda p: str(p.relative_to(root))) if root else str
    problems: list[Problem] = []
    latest: Assessment | None = None
    try:
        latest = load_assessment(directory, root)
    except ContentError as exc:  # still look at the versions, so every problem is listed at once
        problems.extend(exc.problems)
    out = [Version("latest", latest, directory, latest=True)] if latest is not None else []
    reported = {p.path for p in problems}
    vdir = directory / VERSIONS_DIR
    if vdir.is_dir():
        for sub in sorted(vdir.iterdir()):
            if sub.name.startswith(".") or rel(sub) in reported:
                continue
            if not sub.is_dir():
                problems.append(Problem(rel(sub), None, None, "", "versions/ には版ごとのディレクトリ（versions/<版のID>/）だけを置いてください。"))
                continue
            if not _ID_RE.match(sub.name) or sub.name == "latest":
                problems.append(Problem(rel(sub), None, None, "", f"版のID '{sub.name}' は英小文字・数字・ハイフンにしてください（例: 公表日の 2020-03-29）。'latest' は使えません。"))
                continue
            try:
                out.append(Version(sub.name, load_assessment(sub, root, expected_id=latest.id if latest else directory.name), sub))
            except ContentError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    out.sort(key=Version.sort_key)
    return out


# --- diff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    location: str  # agreement.flatten's location: 「file1/ii/4/ent2/③委託先名」
    kind: Literal["changed", "added", "removed"]
    before: str | None
    after: str | None
    target: str  # local ID of the object holding the value (in the newer version when it has it)


def diff(old: Assessment, new: Assessment) -> list[FieldChange]:
    """Every value that differs between two versions, whitespace ignored, in the newer
    version's order (values only in the older one last)."""
    a, b = flatten(old), flatten(new)
    where_new, where_old = locations(new), locations(old)
    out: list[FieldChange] = []
    for loc, value in b.items():
        if loc not in a:
            out.append(FieldChange(loc, "added", None, value, target_of(loc, where_new)))
        elif _unspaced(a[loc]) != _unspaced(value):
            out.append(FieldChange(loc, "changed", a[loc], value, target_of(loc, where_new)))
    for loc, value in a.items():
        if loc not in b:
            out.append(FieldChange(loc, "removed", value, None, target_of(loc, where_old)))
    return out


def locations(assessment: Assessment) -> dict[str, str]:
    """Location prefix (as agreement.flatten writes it) → local ID of the object there."""
    out: dict[str, str] = {"cover": "cover"}

    def section(prefix: str, sec: Section) -> None:
        p = f"{prefix}/{sec.no or '-'}"
        out[p] = sec.id
        for kind, entities in (("sys", sec.systems), ("ent", sec.entrustments), ("prov", sec.provisions), ("tran", sec.transfers), ("risk", sec.risks)):
            for i, ent in enumerate(entities, 1):
                out[f"{p}/{kind}{ent.no}" if ent.no else f"{p}/{kind}@{i}"] = ent.id

    def part(prefix: str, p: Part) -> None:
        out[prefix] = p.id
        seen: Counter = Counter()
        for sec in p.sections:
            seen[sec.no] += 1
            section(prefix if seen[sec.no] == 1 else f"{prefix}~{seen[sec.no]}", sec)

    for p in assessment.doc.parts:
        part(p.kind.value, p)
    for f in assessment.files:
        fp = f"file{f.no}"
        out[fp] = f.id
        part(f"{fp}/ii", f.overview)
        part(f"{fp}/iii", f.risk_measures)
    if assessment.changes is not None:
        for i, entry in enumerate(assessment.changes.entries, 1):
            out[f"changes/{i}"] = entry.id
    for annex in assessment.annexes:
        out[f"annex{annex.no}"] = annex.id
        for i, row in enumerate(annex.rows, 1):
            out[f"annex{annex.no}/{i}"] = row.id
    return out


def target_of(location: str, where: dict[str, str]) -> str:
    """The innermost object whose prefix the location starts with."""
    parts = location.split("/")
    for n in range(len(parts), 0, -1):
        hit = where.get("/".join(parts[:n]))
        if hit:
            return hit
    return "cover"


# --- history from the 変更箇所 --------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One earlier wording of an item, as a row of the 変更箇所 table gives it.
    Not a published version: the site marks it as taken from the change table."""

    target: str  # local ID of the item
    change: str  # local ID of the change entry
    date: str | None  # 変更日 as printed
    date_iso: str | None
    item: str  # 項目 as written
    before: str | None
    after: str | None
    timing: str | None
    source: str = "change_table"


def change_history(assessment: Assessment) -> dict[str, list[HistoryEntry]]:
    """Local ID of an item → the change entries that give its wording before and after, oldest first."""
    out: dict[str, list[HistoryEntry]] = {}
    if assessment.changes is None:
        return out
    for entry in assessment.changes.entries:
        if entry.duplicate_of or not ((entry.before.text or "").strip() or (entry.after.text or "").strip()):
            continue
        d = entry.date.date if entry.date.text else None
        for target in entry.targets:
            out.setdefault(target.ref, []).append(HistoryEntry(
                target.ref, entry.id, entry.date.text, d.iso if d else None, entry.item.text or "",
                entry.before.text, entry.after.text, entry.timing.text,
            ))
    for entries in out.values():
        entries.sort(key=lambda h: h.date_iso or "")  # stable: table order within a day
    return out


@dataclass
class VersionHistory:
    """Per item: how its values differ between consecutive published versions."""

    versions: list[Version]
    steps: list[tuple[Version, Version, list[FieldChange]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for older, newer in zip(self.versions, self.versions[1:]):
            self.steps.append((older, newer, diff(older.assessment, newer.assessment)))

    def changed_items(self) -> dict[str, list[tuple[Version, Version, FieldChange]]]:
        out: dict[str, list[tuple[Version, Version, FieldChange]]] = {}
        for older, newer, changes in self.steps:
            for c in changes:
                out.setdefault(c.target, []).append((older, newer, c))
        return out
