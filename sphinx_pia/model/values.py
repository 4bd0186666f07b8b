"""Value types shared by every part of an assessment.

A published assessment is a form: labelled cells holding free text, a single
choice (選択肢), a group of checkboxes, or a declared count.  Each value keeps
the text exactly as the source prints it; anything parsed (the chosen option,
an ISO date) sits beside that text, never in place of it.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field as PydField, StrictInt, model_validator

from ..dates import PartialDate, parse_date
from ..pagenames import MAX_ID_LENGTH

#: Local IDs become URL fragments and file names, so keep them plain ASCII.
LOCAL_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LocalId = str
# Integers are never coerced from YAML booleans, strings or floats (``line: true``,
# ``"12"``, ``12.0`` are errors): StrictInt for every integer field.


class Gap(str, Enum):
    """Why a value is not (fully) present in the source document."""

    missing = "missing"  # the section/value is absent from the extracted text
    clipped = "clipped"  # the cell text is cut off mid-sentence (PDF cell overflow)
    empty = "empty"  # the form prints the label with an empty cell
    lost = "lost"  # a choice or checkbox state that the extraction did not keep
    placeholder = "placeholder"  # a form placeholder such as 「〇〇〇」 or 「令和5年〇月〇日」
    garbled = "garbled"  # text present but scrambled (column interleaving, OCR-like noise)


class Strict(BaseModel):
    """Base for every YAML-facing model: unknown keys are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=False)


class Provenance(Strict):
    """Where a value sits in the source document (1-based line numbers)."""

    line: StrictInt | None = PydField(default=None, ge=1, description="First source line of the value.")
    end_line: StrictInt | None = PydField(default=None, ge=1, description="Last source line, when the value spans lines.")
    gap: Gap | None = PydField(default=None, description="Why the value is absent or incomplete in the source.")
    note: str | None = PydField(default=None, description="Curator's note: evidence, a source defect, a judgement.")


class Selection(Strict):
    """A single choice (選択肢): the chosen option plus the options as printed."""

    value: str | None = PydField(description="The chosen option as printed, without brackets; null if none is chosen or the choice was lost.")
    options: list[str] = PydField(default_factory=list, description="The options in printed order, without their 1) 2) numbering.")
    raw: str | None = PydField(default=None, description="The source cell verbatim, when it differs from the parsed value.")


class Checks(Strict):
    """A checkbox group: the checked options, and the 「その他」 text."""

    checked: list[str] = PydField(description="The options that are checked (or, with confidence low, inferred as checked).")
    options: list[str] = PydField(default_factory=list, description="All options in printed order.")
    other: str | None = PydField(default=None, description="The free text of 「その他（…）」, verbatim.")
    raw: str | None = PydField(default=None, description="The source cell verbatim.")
    confidence: Literal["high", "low"] = PydField(
        default="high",
        description="low when the checked state is inferred (the extraction lost checkmarks, a box split across lines).",
    )


class Count(Strict):
    """A count the form declares, e.g. 「提供を行っている (56) 件」; kept apart from the rows present."""

    declared: StrictInt | None = PydField(ge=0, description="The number as printed; null when the number is missing or garbled.")
    raw: str | None = PydField(default=None, description="The source text of the count verbatim.")


class Field(Provenance):
    """One labelled cell of the form.

    ``text`` holds the readable text (HTML markup removed, characters verbatim);
    ``raw`` keeps the source cell exactly when it contains markup or noise.
    A plain YAML string is accepted as shorthand for ``{text: ...}``.
    """

    key: "FieldKey | None" = PydField(default=None, description="What the item is, from a controlled vocabulary; lets pages and indices find it.")
    label: str | None = PydField(default=None, description="The label as printed (e.g. 「①法令上の根拠」).")
    text: str | None = PydField(default=None, description="The value's text, verbatim except for removed HTML markup.")
    raw: str | None = PydField(default=None, description="The source cell verbatim, when it differs from text.")
    select: Selection | None = None
    check: Checks | None = None
    count: Count | None = None
    items: list["Field"] = PydField(default_factory=list, description="Sub-items (e.g. 「その必要性」 under ③).")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"text": data}
        return data

    @property
    def date(self) -> PartialDate | None:
        """The text parsed as a date (和暦 or western), if it is one."""
        return parse_date(self.text) if self.text else None

    @property
    def display(self) -> str:
        """The value as one line of plain text (used by indices and search)."""
        if self.select is not None and self.select.value:
            return self.select.value
        if self.check is not None:
            parts = list(self.check.checked)
            if self.check.other:
                parts.append(f"その他（{self.check.other}）")
            return "、".join(parts)
        return self.text or ""

    def find(self, key: "FieldKey | str") -> "Field | None":
        """The first descendant item with this key (depth first)."""
        return find_field(self.items, key)

    def walk(self):
        yield self
        for item in self.items:
            yield from item.walk()


def find_field(items: list[Field], key: "FieldKey | str") -> Field | None:
    key = FieldKey(key)
    for item in items:
        for node in item.walk():
            if node.key == key:
                return node
    return None


class FieldKey(str, Enum):
    """Controlled vocabulary of item meanings, shared by all three forms.

    The printed label differs by form (使用方法 is ⑤ in 様式3 and ⑧ in 様式4);
    the key says what the item is, so indices and cross-links do not depend on
    the numbering.
    """

    # 表紙
    number = "number"
    title = "title"
    declaration = "declaration"
    special_notes = "special_notes"
    organization_name = "organization_name"
    approved_on = "approved_on"
    published_on = "published_on"
    toc = "toc"
    # I 基本情報
    business_name = "business_name"
    business_content = "business_content"
    target_population = "target_population"
    system_name = "system_name"
    system_functions = "system_functions"
    system_connections = "system_connections"
    file_names = "file_names"
    necessity = "necessity"
    benefits = "benefits"
    info_network = "info_network"
    department = "department"
    head_title = "head_title"
    other_bodies = "other_bodies"
    # shared: legal basis of I.4/I.5, I.6 and of each provision/transfer
    legal_basis = "legal_basis"
    # II 特定個人情報ファイルの概要
    file_name = "file_name"
    file_type = "file_type"
    population = "population"
    scope = "scope"
    scope_reason = "scope_reason"
    record_count = "record_count"
    main_items = "main_items"
    items_reason = "items_reason"
    all_items = "all_items"
    retention_start = "retention_start"
    sources = "sources"
    methods = "methods"
    acquisition_timing = "acquisition_timing"
    acquisition_reason = "acquisition_reason"
    notice = "notice"
    purpose = "purpose"
    purpose_change = "purpose_change"
    users = "users"
    using_departments = "using_departments"
    user_count = "user_count"
    usage = "usage"
    matching = "matching"
    statistics = "statistics"
    decisions = "decisions"
    use_start = "use_start"
    entrusted = "entrusted"
    entrusted_content = "entrusted_content"
    entrusted_scope = "entrusted_scope"
    handlers = "handlers"
    delivery = "delivery"
    contractor_check = "contractor_check"
    contractor = "contractor"
    subcontract = "subcontract"
    subcontract_approval = "subcontract_approval"
    subcontract_content = "subcontract_content"
    provision_status = "provision_status"
    recipient_use = "recipient_use"
    information = "information"
    method = "method"
    timing = "timing"
    storage = "storage"
    retention = "retention"
    deletion = "deletion"
    remarks = "remarks"
    # III/IV リスク対策
    measure = "measure"
    evaluation = "evaluation"
    other_risks = "other_risks"
    audit = "audit"
    training = "training"
    other_measures = "other_measures"
    # 開示請求・問合せ
    request_to = "request_to"
    request_method = "request_method"
    fee = "fee"
    file_register = "file_register"
    special_procedure = "special_procedure"
    non_listing = "non_listing"
    contact = "contact"
    response = "response"
    # 評価実施手続
    basic_assessment_date = "basic_assessment_date"
    threshold_result = "threshold_result"
    hearing_method = "hearing_method"
    hearing_period = "hearing_period"
    hearing_shortening = "hearing_shortening"
    hearing_opinions = "hearing_opinions"
    hearing_reflection = "hearing_reflection"
    review_date = "review_date"
    review_method = "review_method"
    review_result = "review_result"
    approval_submitted = "approval_submitted"
    approval_review = "approval_review"
    # 変更箇所
    change_date = "change_date"


Field.model_rebuild()


_SPACE_RE = re.compile(r"\s+")


def plain(text: str | None) -> str:
    """Collapse whitespace: for keys and comparisons, never for storage."""
    return _SPACE_RE.sub(" ", text or "").strip()
