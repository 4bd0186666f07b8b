"""The objects of an assessment: systems, files, entrustments, provisions,
transfers, risks, sections, change entries and annex tables.

Every object has a stable local ID.  Authors may write it; otherwise the
loader derives it from the form's own numbering (``sys-4``, ``file-1-prov-1``),
which is what a reader would cite.  IDs are unique within one assessment; the
site-wide name of an object is ``<assessment id>/<local id>``.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import Field as PydField, StrictInt

from .values import LOCAL_ID_PATTERN, MAX_ID_LENGTH, Count, Field, FieldKey, Gap, Provenance, Strict, find_field


class Entity(Provenance):
    """Common shape: the printed number, a heading, and labelled items."""

    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Stable local ID; derived from the numbering when omitted.")
    no: str | None = PydField(default=None, description="The number as printed, in ASCII digits (「85の2」 stays as is).")
    title: Field | None = PydField(default=None, description="The heading cell, e.g. label 「委託事項1」 with text 「システム保守」.")
    items: list[Field] = PydField(default_factory=list)

    def get(self, key: FieldKey | str) -> Field | None:
        return find_field(self.items, key)


class System(Entity):
    """A system of I.2 (システムN)."""


class Entrustment(Entity):
    """A 委託事項 of II.4."""


class TransferKind(str, Enum):
    provision = "provision"  # 提供先: outside the assessing body
    transfer = "transfer"  # 移転先: another department of the same body


class Provision(Entity):
    """A 提供先 or 移転先 of II.5, with its ①〜⑦ items."""

    annex: str | None = PydField(
        default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="The 別紙 whose rows this entry stands for (e.g. annex-1)."
    )


class Risk(Entity):
    """A risk of III (or of IV in 様式4): its measures, sub-questions and evaluation."""


class Section(Provenance):
    """A numbered sub-section such as 「5. 特定個人情報の提供・移転」."""

    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH)
    no: str | None = PydField(default=None, description="The section number as printed, in ASCII digits.")
    title: str | None = PydField(default=None, description="The heading as printed, without its number.")
    choice: Field | None = PydField(default=None, description="A checkbox printed on the heading line, e.g. 「[] 委託しない」.")
    items: list[Field] = PydField(default_factory=list)
    systems: list[System] = PydField(default_factory=list)
    entrustments: list[Entrustment] = PydField(default_factory=list)
    provisions: list[Provision] = PydField(default_factory=list, description="提供先 entries.")
    transfers: list[Provision] = PydField(default_factory=list, description="移転先 entries.")
    risks: list[Risk] = PydField(default_factory=list)

    def get(self, key: FieldKey | str) -> Field | None:
        return find_field(self.items, key)


class PartKind(str, Enum):
    """The parts of the three forms, named by meaning rather than by numeral
    (開示請求 is IV in 様式3 but V in 様式4)."""

    basic = "basic"  # I 基本情報
    business_detail = "business_detail"  # (別添1) 事務の内容
    overview = "overview"  # II 特定個人情報ファイルの概要 (per file)
    risk_measures = "risk_measures"  # III リスク対策 (per file)
    other_measures = "other_measures"  # IV その他のリスク対策 (様式4)
    disclosure = "disclosure"  # 開示請求、問合せ
    procedures = "procedures"  # 評価実施手続


class Part(Provenance):
    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Derived: the part kind (basic, business-detail) or file-<no>-ii / -iii.")
    numeral: str | None = PydField(default=None, description="The part numeral as printed (「I」, 「Ⅲ」, 「(別添1)」).")
    title: str | None = PydField(default=None, description="The part heading as printed.")
    items: list[Field] = PydField(default_factory=list, description="Items not under a numbered section.")
    sections: list[Section] = PydField(default_factory=list)


class AssessmentPart(Part):
    kind: PartKind


class RecordItem(Provenance):
    no: str | None = PydField(default=None, description="The item number as printed, if any.")
    name: str = PydField(description="The record item name verbatim.")


class RecordItemGroup(Provenance):
    label: str | None = PydField(default=None, description="Group heading as printed (e.g. 「ア 附票本人確認情報」).")
    items: list[RecordItem] = PydField(default_factory=list)


class RecordItems(Provenance):
    """The full list of record items of one file (別添1 or 別添2)."""

    heading: str | None = PydField(default=None, description="The file heading of this list as printed.")
    raw: str | None = PydField(default=None, description="The list's source text verbatim, when it is one cell.")
    groups: list[RecordItemGroup] = PydField(default_factory=list)

    @property
    def all(self) -> list[RecordItem]:
        return [item for group in self.groups for item in group.items]


class SystemLink(Provenance):
    """A system that handles this file.  The form has no field for it, so the
    curator records the evidence (a heading suffix, a function text, ...)."""

    system: str = PydField(pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Local ID of the system (e.g. sys-1).")
    evidence: str = PydField(description="Why we say the system handles the file, quoting the source.")


class SpecificFile(Provenance):
    """One 特定個人情報ファイル, with its II block, record items and III block.

    Stored as one YAML file per 特定個人情報ファイル (``file-<no>.yaml``)."""

    schema_: Literal["sphinx-pia/file/1"] = PydField(alias="schema", default="sphinx-pia/file/1")
    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH)
    no: str = PydField(description="The file's number as printed (「1」, 「（１）」 → 1).")
    name: Field
    systems: list[SystemLink] = PydField(default_factory=list)
    overview: Part = PydField(default_factory=Part, description="II 特定個人情報ファイルの概要.")
    record_items: RecordItems | None = None
    risk_measures: Part = PydField(default_factory=Part, description="III リスク対策.")

    model_config = Strict.model_config | {"populate_by_name": True}


class Resolution(str, Enum):
    resolved = "resolved"  # targets name the affected sections
    unresolved = "unresolved"  # the item text could not be matched to a section
    suspect = "suspect"  # matched, but the item text disagrees with the document (wrong number, wrong file)


class Target(Strict):
    ref: str = PydField(pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="Local ID of a section or object in the same assessment.")
    item: str | None = PydField(default=None, description="The item within it, as the change entry names it (e.g. 「⑦時期・頻度」).")


class ChangeEntry(Provenance):
    """One row of 変更箇所."""

    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH)
    date: Field = PydField(description="変更日 as printed (gap: empty in drafts).")
    item: Field = PydField(description="項目 as written: the path to the changed item.")
    before: Field = PydField(description="変更前の記載.")
    after: Field = PydField(description="変更後の記載.")
    timing: Field = PydField(description="提出時期 (事前/事後).")
    reason: Field = PydField(description="提出時期に係る説明.")
    targets: list[Target] = PydField(default_factory=list)
    resolution: Resolution = Resolution.unresolved
    resolution_note: str | None = PydField(default=None, description="Why the entry is unresolved or suspect, or how it was resolved.")
    duplicate_of: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH, description="An identical earlier row.")


class ChangeLog(Provenance):
    """The 変更箇所 table. Stored as ``changes.yaml``."""

    schema_: Literal["sphinx-pia/changes/1"] = PydField(alias="schema", default="sphinx-pia/changes/1")
    title: Field | None = PydField(default=None, description="The table heading (「(別添2) 変更箇所」), or a gap.")
    header: Field | None = PydField(default=None, description="The column header row, or a gap.")
    entries: list[ChangeEntry] = PydField(default_factory=list)

    model_config = Strict.model_config | {"populate_by_name": True}


class AnnexRow(Provenance):
    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH)
    cells: list[str] = PydField(description="The cells verbatim, in column order.")


class Annex(Provenance):
    """A 別紙 table (e.g. the 58 rows of 提供先). Stored as ``annex-<no>.yaml``."""

    schema_: Literal["sphinx-pia/annex/1"] = PydField(alias="schema", default="sphinx-pia/annex/1")
    id: str | None = PydField(default=None, pattern=LOCAL_ID_PATTERN, max_length=MAX_ID_LENGTH)
    no: str
    title: Field
    columns: list[str] = PydField(description="Column headers as printed.")
    header_lines: list[StrictInt] = PydField(default_factory=list, description="Lines where the header repeats (page breaks).")
    kind: Literal["provision", "transfer", "other"] = "other"
    basis_column: StrictInt | None = PydField(default=None, ge=0, description="0-based column holding the legal-basis number (項番).")
    recipient_column: StrictInt | None = PydField(default=None, ge=0, description="0-based column holding the 提供先/移転先.")
    rows: list[AnnexRow] = PydField(default_factory=list)

    model_config = Strict.model_config | {"populate_by_name": True}


__all__ = [
    "Annex", "AnnexRow", "AssessmentPart", "ChangeEntry", "ChangeLog", "Count", "Entity", "Entrustment",
    "Gap", "Part", "PartKind", "Provision", "RecordItem", "RecordItemGroup", "RecordItems", "Resolution",
    "Risk", "Section", "SpecificFile", "System", "SystemLink", "Target", "TransferKind",
]
