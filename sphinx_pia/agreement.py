"""Field-by-field agreement between two versions of one assessment.

The importer's quality is measured against the curated YAML in ``content/``:
both are flattened to ``{location: value}`` and compared.  A location names a
value by the form's structure, never by line number, so a draft that puts the
right text in the right cell agrees even when its provenance differs:

    cover/評価書名                         the cover item labelled 評価書名
    basic/2/sys1/①システムの名称            system 1's name in I.2
    file1/ii/4/ent2/③委託先名               entrustment 2 of file 1
    file1/iii/3/risk2/リスクへの対策は十分か#select
    file1/record/17                        the 17th record item of file 1
    changes/5/after                        変更後の記載 of the 5th change entry
    annex1/12/2                            column 2 of the 12th row of 別紙1

Values are compared without whitespace: in extracted Japanese text a line wrap
becomes a space, a newline or nothing depending on the PDF tool, so whitespace
is layout, not content.  Every other character must be identical and in order.
``compare(..., keep_spaces=True)`` gives the stricter figure with whitespace
collapsed to single spaces.  Only values the reference
actually holds are counted: a gap in the curated data is not a value.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .model import Assessment
from .model.entities import Part, Section
from .model.values import Field, plain


def _label_key(label: str | None) -> str:
    text = unicodedata.normalize("NFKC", label or "")
    return "".join(text.split()) or "-"


def _field_values(prefix: str, item: Field, out: dict[str, str], seen: Counter) -> None:
    base = f"{prefix}/{_label_key(item.label) if item.label else (item.key.value if item.key else '-')}"
    seen[base] += 1
    if seen[base] > 1:
        base += f"#{seen[base]}"
    if item.select is not None:
        if item.select.value:
            out[base + "#select"] = plain(item.select.value)
    elif item.check is not None:
        if item.check.checked or item.check.other:
            out[base + "#check"] = " | ".join(plain(c) for c in item.check.checked) + (
                f" | その他({plain(item.check.other)})" if item.check.other else ""
            )
    elif item.text:
        out[base] = plain(item.text)
    if item.count is not None and item.count.declared is not None:
        out[base + "#count"] = str(item.count.declared)
    for sub in item.items:
        _field_values(prefix, sub, out, seen)


def _items(prefix: str, items: list[Field], out: dict[str, str]) -> None:
    seen: Counter = Counter()
    for item in items:
        _field_values(prefix, item, out, seen)


def _section(prefix: str, sec: Section, out: dict[str, str]) -> None:
    p = f"{prefix}/{sec.no or '-'}"
    _items(p, sec.items, out)
    if sec.choice is not None:
        _items(p + "/heading", [sec.choice], out)
    groups = (
        ("sys", sec.systems),
        ("ent", sec.entrustments),
        ("prov", sec.provisions),
        ("tran", sec.transfers),
        ("risk", sec.risks),
    )
    for kind, entities in groups:
        for i, ent in enumerate(entities, 1):
            # by printed number: a draft that records a skipped number as a gap
            # (or does not) still lines up with the reference
            ep = f"{p}/{kind}{ent.no}" if ent.no else f"{p}/{kind}@{i}"
            if ent.title is not None and ent.title.text:
                out[ep + "/title"] = plain(ent.title.text)
            _items(ep, ent.items, out)


def _part(prefix: str, part: Part, out: dict[str, str]) -> None:
    _items(prefix, part.items, out)
    seen: Counter = Counter()
    for sec in part.sections:
        # numbering can restart inside a part (two 事務 in one 別添1): the k-th
        # section numbered N is N, N~2, N~3, ...
        seen[sec.no] += 1
        _section(prefix if seen[sec.no] == 1 else f"{prefix}~{seen[sec.no]}", sec, out)


def flatten(assessment: Assessment) -> dict[str, str]:
    """Every value of the assessment under its structural location."""
    out: dict[str, str] = {}
    doc = assessment.doc
    _items("cover", doc.cover, out)
    for part in doc.parts:
        _part(part.kind.value, part, out)
    for f in assessment.files:
        fp = f"file{f.no}"
        if f.name.text:
            out[fp + "/name"] = plain(f.name.text)
        _part(fp + "/ii", f.overview, out)
        _part(fp + "/iii", f.risk_measures, out)
        if f.record_items is not None:
            for i, rec in enumerate(f.record_items.all, 1):
                out[f"{fp}/record/{i}"] = plain(rec.name)
    if assessment.changes is not None:
        for i, entry in enumerate(assessment.changes.entries, 1):
            for name in ("date", "item", "before", "after", "timing", "reason"):
                value = getattr(entry, name)
                if value.text:
                    out[f"changes/{i}/{name}"] = plain(value.text)
    for annex in assessment.annexes:
        for i, row in enumerate(annex.rows, 1):
            for j, cell in enumerate(row.cells):
                if cell.strip():
                    out[f"annex{annex.no}/{i}/{j}"] = plain(cell)
    return out


@dataclass
class Agreement:
    """How many of the reference's values the candidate reproduces exactly."""

    total: int = 0
    exact: int = 0
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (location, expected, got)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (location, expected)
    extra: list[tuple[str, str]] = field(default_factory=list)  # (location, got): not in the reference

    @property
    def ratio(self) -> float:
        return self.exact / self.total if self.total else 1.0

    def by_area(self) -> dict[str, tuple[int, int]]:
        """(exact, total) per top-level area, for the report."""
        totals: Counter = Counter()
        bad: Counter = Counter()
        for loc, *_ in self.wrong:
            bad[_area(loc)] += 1
        for loc, _ in self.missing:
            bad[_area(loc)] += 1
        for area, n in self._areas.items():
            totals[area] = n
        return {a: (totals[a] - bad[a], totals[a]) for a in sorted(totals)}

    _areas: Counter = field(default_factory=Counter, repr=False)


def _area(location: str) -> str:
    head = location.split("/", 2)
    if head[0].startswith("file") and len(head) > 1:
        return f"{head[0]}/{head[1]}"
    return head[0]


def _unspaced(text: str) -> str:
    return "".join(text.split())


def compare(reference: Assessment, candidate: Assessment, *, keep_spaces: bool = False) -> Agreement:
    ref = flatten(reference)
    got = flatten(candidate)
    same = (lambda a, b: a == b) if keep_spaces else (lambda a, b: _unspaced(a) == _unspaced(b))
    result = Agreement()
    for loc, value in ref.items():
        result.total += 1
        result._areas[_area(loc)] += 1
        if loc not in got:
            result.missing.append((loc, value))
        elif same(got[loc], value):
            result.exact += 1
        else:
            result.wrong.append((loc, value, got[loc]))
    result.extra = [(loc, v) for loc, v in got.items() if loc not in ref]
    return result
