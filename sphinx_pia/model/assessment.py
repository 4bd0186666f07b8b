"""The assessment as a whole, and the derivation of stable IDs.

On disk an assessment is a directory under ``content/``::

    content/<assessment-id>/assessment.yaml   cover, I, IV–VI, organization, source
    content/<assessment-id>/file-<no>.yaml    one per 特定個人情報ファイル (II, 別添, III)
    content/<assessment-id>/changes.yaml      変更箇所
    content/<assessment-id>/annex-<no>.yaml   別紙 tables

Splitting by file keeps each YAML reviewable and lets an incremental build
re-read only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, Literal

from pydantic import Field as PydField

from .entities import (
    Annex,
    AssessmentPart,
    ChangeLog,
    Entity,
    Part,
    PartKind,
    Provision,
    Risk,
    Section,
    SpecificFile,
    System,
)
from .values import LOCAL_ID_PATTERN, MAX_ID_LENGTH, Field, Gap, Provenance, Strict


class FormKind(str, Enum):
    """The PPC standard forms."""

    kiso = "kiso"  # 基礎項目評価書 (様式2)
    juten = "juten"  # 重点項目評価書 (様式3)
    zenkomoku = "zenkomoku"  # 全項目評価書 (様式4)

    @property
    def label(self) -> str:
        return {"kiso": "基礎項目評価書", "juten": "重点項目評価書", "zenkomoku": "全項目評価書"}[self.value]

    @property
    def style_no(self) -> int:
        return {"kiso": 2, "juten": 3, "zenkomoku": 4}[self.value]


class Status(str, Enum):
    published = "published"
    draft = "draft"  # 評価書(案), e.g. published for public comment
    fragment = "fragment"  # only part of an assessment survives


class OrgKind(str, Enum):
    municipality = "municipality"
    prefecture = "prefecture"
    national = "national"
    unidentified = "unidentified"


class Organization(Strict):
    id: str = PydField(pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Site-wide organization ID, e.g. saitama-fujimino.")
    name: str = PydField(description="Short name for indices (「ふじみ野市」); the printed 評価実施機関名 is a cover item.")
    kind: OrgKind
    prefecture: str | None = PydField(default=None, description="The prefecture, for municipalities.")
    note: str | None = None


class Source(Strict):
    file: str = PydField(description="The source text file under sources/.")
    layout: Literal["tsv", "interleaved", "manual"] = PydField(description="How the text was extracted (tab-separated cells, or PDF columns interleaved).")
    title: Field | None = PydField(default=None, description="The document title line as printed (「特定個人情報保護評価書(重点項目評価書)」).")
    note: str | None = None


class Form(Strict):
    kind: FormKind
    stamp: Field | None = PydField(default=None, description="The version stamp 「[令和６年10月　様式４]」 as printed, or a gap.")


class Abbreviation(Provenance):
    """A short name the document defines (「以下「番号法」という。」)."""

    short: str
    full: str


class DocumentGap(Provenance):
    """A gap in the source that is not a single value: a missing section, a cut-off ending."""

    where: str = PydField(description="What is missing, in the form's own terms (「I.2 システム2, システム3」).")
    kind: Gap = Gap.missing


class AssessmentDoc(Provenance):
    """The root of ``assessment.yaml``."""

    schema_: Literal["sphinx-pia/assessment/1"] = PydField(alias="schema", default="sphinx-pia/assessment/1")
    id: str = PydField(pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Site-wide assessment ID, also the directory name.")
    organization: Organization
    source: Source
    form: Form
    status: Status
    cover: list[Field] = PydField(default_factory=list, description="表紙 items.")
    parts: list[AssessmentPart] = PydField(default_factory=list)
    abbreviations: list[Abbreviation] = PydField(default_factory=list)
    gaps: list[DocumentGap] = PydField(default_factory=list)

    model_config = Strict.model_config | {"populate_by_name": True}


@dataclass
class Assessment:
    """An assessment assembled from its YAML files, with IDs assigned."""

    doc: AssessmentDoc
    files: list[SpecificFile] = field(default_factory=list)
    changes: ChangeLog | None = None
    annexes: list[Annex] = field(default_factory=list)
    #: YAML path of each part, for error messages and incremental builds
    paths: dict[str, str] = field(default_factory=dict)
    #: (line, column) of the few values checked across assessments (organization.name)
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.doc.id

    def part(self, kind: PartKind | str) -> AssessmentPart | None:
        kind = PartKind(kind)
        return next((p for p in self.doc.parts if p.kind == kind), None)

    def cover_item(self, key: str) -> Field | None:
        from .values import find_field

        return find_field(self.doc.cover, key)

    @property
    def title(self) -> str:
        item = self.cover_item("title")
        return (item.text if item and item.text else None) or f"{self.doc.organization.name} {self.doc.form.kind.label}"

    @property
    def systems(self) -> list[System]:
        return [s for sec in self._sections() for s in sec.systems]

    def _sections(self) -> Iterator[Section]:
        for part in self.doc.parts:
            yield from part.sections

    def objects(self) -> Iterator[tuple[str, object]]:
        """Every identified object: (local id, object)."""
        for part in self.doc.parts:
            yield part.id, part
            for sec in part.sections:
                yield sec.id, sec
                for sys in sec.systems:
                    yield sys.id, sys
        for f in self.files:
            yield f.id, f
            for part in (f.overview, f.risk_measures):
                yield part.id, part
                for sec in part.sections:
                    yield sec.id, sec
                    for obj in [*sec.entrustments, *sec.provisions, *sec.transfers, *sec.risks]:
                        yield obj.id, obj
        if self.changes:
            for entry in self.changes.entries:
                yield entry.id, entry
        for annex in self.annexes:
            yield annex.id, annex
            for row in annex.rows:
                yield row.id, row


# --- ID derivation -----------------------------------------------------------


def _slug(no: str | None, index: int) -> str:
    """An ID fragment from a printed number: 「85の2」 → 85-2; no number → position."""
    if not no:
        return str(index)
    out = []
    for ch in no:
        if ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-") or str(index)


def _assign(obj: Entity | Section, default: str) -> None:
    if obj.id is None:
        obj.id = default


def assign_ids(assessment: Assessment) -> None:
    """Give every object without an explicit ID one derived from the numbering."""
    for part in assessment.doc.parts:
        if part.id is None:
            part.id = part.kind.value.replace("_", "-")
        for i, sec in enumerate(part.sections, 1):
            _assign(sec, f"{part.kind.value.replace('_', '-')}-{_slug(sec.no, i)}")
            for j, sys in enumerate(sec.systems, 1):
                _assign(sys, f"sys-{_slug(sys.no, j)}")
    for i, f in enumerate(assessment.files, 1):
        if f.id is None:
            f.id = f"file-{_slug(f.no, i)}"
        for label, part in (("ii", f.overview), ("iii", f.risk_measures)):
            if part.id is None:
                part.id = f"{f.id}-{label}"
            for j, sec in enumerate(part.sections, 1):
                _assign(sec, f"{f.id}-{label}-{_slug(sec.no, j)}")
                for k, ent in enumerate(sec.entrustments, 1):
                    _assign(ent, f"{f.id}-ent-{_slug(ent.no, k)}")
                for k, prov in enumerate(sec.provisions, 1):
                    _assign(prov, f"{f.id}-prov-{_slug(prov.no, k)}")
                for k, tran in enumerate(sec.transfers, 1):
                    _assign(tran, f"{f.id}-tran-{_slug(tran.no, k)}")
                for k, risk in enumerate(sec.risks, 1):
                    _assign(risk, f"{sec.id}-risk-{_slug(risk.no, k)}")
    if assessment.changes:
        for i, entry in enumerate(assessment.changes.entries, 1):
            if entry.id is None:
                entry.id = f"chg-{i}"
    for i, annex in enumerate(assessment.annexes, 1):
        if annex.id is None:
            annex.id = f"annex-{_slug(annex.no, i)}"
        for j, row in enumerate(annex.rows, 1):
            if row.id is None:
                row.id = f"{annex.id}-{j}"


__all__ = [
    "Abbreviation", "Assessment", "AssessmentDoc", "DocumentGap", "Form", "FormKind", "OrgKind",
    "Organization", "Source", "Status", "assign_ids", "Part", "Provision", "Risk",
]
