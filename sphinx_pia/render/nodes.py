"""Small builders of docutils nodes for form values.

Everything here produces format-neutral docutils nodes: text is always put in
``nodes.Text`` (so the writer escapes it; a 「<p>」 in the data stays text), and
sphinx-design components (badges, dropdowns, cards) are created the way
sphinx-design's own directives create them, so its post-transforms turn them
into HTML and other builders still get plain containers.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx_design.shared import create_component

from ..dates import parse_date
from ..model import Field, Gap

GAP_LABELS = {
    Gap.missing: "原文に欠落",
    Gap.clipped: "原文で途切れ",
    Gap.empty: "空欄",
    Gap.lost: "選択状態が原文から失われている",
    Gap.placeholder: "仮の記載",
    Gap.garbled: "判読困難",
}


def badge(text: str, color: str = "secondary", extra: tuple[str, ...] = ()) -> nodes.inline:
    return nodes.inline(text, text, classes=["sd-badge", f"sd-bg-{color}", f"sd-bg-text-{color}", *extra])


def gap_badge(gap: Gap | str, note: str | None = None) -> nodes.inline:
    gap = Gap(gap)
    node = nodes.inline("", "", classes=["pia-gap", f"pia-gap-{gap.value}"])
    node += badge(f"欠落: {GAP_LABELS[gap]}" if gap != Gap.clipped else GAP_LABELS[gap], "warning")
    if note:
        node += nodes.Text(" ")
        node += nodes.inline(note, note, classes=["pia-note"])
    return node


def xref(kind: str, target: str, text: str, warn: bool = True) -> addnodes.pending_xref:
    """A link to a pia object, resolved by the pia domain at write time; unresolved, it stays text."""
    node = addnodes.pending_xref("", refdomain="pia", reftype=kind, reftarget=target, refexplicit=True, refwarn=warn)
    node += nodes.inline(text, text, classes=["xref", "pia-ref", f"pia-ref-{kind}"])
    return node


def text_block(text: str, classes: tuple[str, ...] = ()) -> nodes.Element:
    """Text with its line breaks kept, escaped by the writer."""
    lines = text.split("\n")
    if len(lines) == 1:
        return nodes.paragraph(text, text, classes=list(classes))
    block = nodes.line_block(classes=["pia-text", *classes])
    for line in lines:
        block += nodes.line(line, line)
    return block


def date_nodes(text: str) -> list[nodes.Node]:
    """The printed date, then its 和暦 / ISO reading."""
    out: list[nodes.Node] = [nodes.Text(text)]
    parsed = parse_date(text)
    if parsed is not None:
        reading = parsed.iso if parsed.era else f"{parsed.wareki} / {parsed.iso}"
        out.append(nodes.inline("", f"（{reading}）", classes=["pia-iso-date"]))
    return out


def dropdown(title: str, children: list[nodes.Node], classes: tuple[str, ...] = ()) -> nodes.container:
    """A closed sphinx-design dropdown (details/summary in HTML)."""
    container = create_component(
        "dropdown",
        opened=False,
        type="dropdown",
        has_title=True,
        icon=None,
        chevron=None,
        container_classes=["sd-mb-1", *classes],
        title_classes=[],
        body_classes=[],
    )
    container += nodes.rubric(title, title)
    container.extend(children)
    return container


def card(ids: list[str], title_nodes: list[nodes.Node], body: list[nodes.Node], classes: tuple[str, ...] = ()) -> nodes.container:
    """A sphinx-design card with an anchor."""
    header = create_component("card-header", ["sd-card-header"])
    header += nodes.paragraph("", "", *title_nodes, classes=["sd-card-text", "pia-card-title"])
    content = create_component("card-body", ["sd-card-body"])
    content.extend(body)
    node = create_component("card", ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", *classes], children=[header, content])
    node["ids"] = ids
    return node


def provenance(field_or_obj) -> list[nodes.Node]:
    line = getattr(field_or_obj, "line", None)
    if not line:
        return []
    end = getattr(field_or_obj, "end_line", None)
    text = f"原文 {line}行" if not end or end == line else f"原文 {line}–{end}行"
    return [nodes.inline(text, text, classes=["pia-src"])]


def value_nodes(field: Field, declared_rows: int | None = None) -> list[nodes.Node]:
    """The value of one field: choice, checkboxes, count, text, gap."""
    out: list[nodes.Node] = []
    if field.select is not None:
        sel = field.select
        para = nodes.paragraph(classes=["pia-select"])
        if sel.value:
            para += badge(sel.value, "primary", ("pia-chosen",))
        elif field.gap is None:
            para += badge("未選択", "light")
        out.append(para)
        if sel.options:
            lst = nodes.bullet_list(classes=["pia-options"])
            for opt in sel.options:
                chosen = opt == sel.value
                item = nodes.list_item()
                text = f"{opt}（選択）" if chosen else opt
                item += nodes.paragraph(text, text, classes=["pia-option-chosen"] if chosen else [])
                lst += item
            out.append(dropdown(f"選択肢（{len(sel.options)}）", [lst], ("pia-options-dropdown",)))
    if field.check is not None:
        chk = field.check
        para = nodes.paragraph(classes=["pia-checks"])
        if chk.checked:
            for i, name in enumerate(chk.checked):
                if i:
                    para += nodes.Text(" ")
                para += badge(f"✔ {name}", "primary", ("pia-checked",))
        else:
            para += badge("チェックなし", "light")
        if chk.other:
            para += nodes.Text(" ")
            para += nodes.inline("", f"その他: {chk.other}", classes=["pia-other"])
        if chk.confidence == "low":
            para += nodes.Text(" ")
            para += badge("チェック状態は推定", "warning", ("pia-low-confidence",))
        out.append(para)
        if chk.options:
            lst = nodes.bullet_list(classes=["pia-options"])
            for opt in chk.options:
                mark = "☑ 選択" if opt in chk.checked else "☐ 未選択"
                item = nodes.list_item()
                item += nodes.paragraph("", f"{mark}: {opt}")
                lst += item
            out.append(dropdown(f"選択肢（{len(chk.options)}）", [lst], ("pia-options-dropdown",)))
    if field.count is not None:
        out.append(count_nodes(field.count.declared, field.count.raw, declared_rows))
    if field.text:
        if field.key and field.key.value in DATE_KEYS and parse_date(field.text):
            out.append(nodes.paragraph("", "", *date_nodes(field.text)))
        else:
            out.append(text_block(field.text))
    if field.gap is not None:
        out.append(nodes.paragraph("", "", gap_badge(field.gap, field.note)))
    elif field.note:
        out.append(nodes.paragraph(field.note, field.note, classes=["pia-note"]))
    return out


DATE_KEYS = {"change_date", "published_on", "approved_on", "retention_start", "use_start", "basic_assessment_date", "review_date", "approval_submitted"}


def count_nodes(declared: int | None, raw: str | None, present: int | None) -> nodes.paragraph:
    para = nodes.paragraph(classes=["pia-count"])
    shown = f"{declared}件" if declared is not None else "件数不明"
    para += nodes.Text("申告件数: ")
    para += badge(shown, "info")
    if present is not None:
        para += nodes.Text(" 記載: ")
        para += badge(f"{present}件", "info")
        if declared is not None and declared != present:
            para += nodes.Text(" ")
            para += badge(f"不一致（申告{declared}件・記載{present}件）", "danger", ("pia-mismatch",))
    if raw:
        para += nodes.Text(" ")
        para += nodes.inline("", f"原文: {raw}", classes=["pia-raw"])
    return para


def fields_list(fields: list[Field], counts: dict[int, int] | None = None) -> nodes.definition_list:
    """Labelled fields as a definition list (readable on a phone, labels as terms)."""
    dl = nodes.definition_list(classes=["pia-fields"])
    for field in fields:
        item = nodes.definition_list_item()
        label = field.label or (field.key.value if field.key else "")
        term = nodes.term(label, label)
        term.extend(provenance(field))
        item += term
        definition = nodes.definition()
        definition.extend(value_nodes(field, (counts or {}).get(id(field))))
        if field.items:
            definition += fields_list(field.items, counts)
        if not len(definition):
            definition += nodes.paragraph("", "", badge("記載なし", "light"))
        item += definition
        dl += item
    return dl
