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

#: Class of reviewer detail: source lines, curator notes, evidence, extraction notes.
#: It stays on the page (nothing is dropped) but the theme may collapse it and set it
#: in a secondary style; the assessment's own text and values never carry it.
DETAIL = "pia-detail"

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
        node += nodes.inline(note, note, classes=["pia-note", DETAIL])
    return node


def detail_note(text: str, classes: tuple[str, ...] = ()) -> nodes.Element:
    """A curator note or evidence: reviewer detail, line breaks kept."""
    return text_block(text, ("pia-note", DETAIL, *classes))


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
    return [nodes.inline(text, text, classes=["pia-src", DETAIL])]


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
            # the glyph is decoration: the words say the options are checked
            para += nodes.Text("チェックあり: ")
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
        out.append(detail_note(field.note))
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
        para += nodes.inline("", f"原文: {raw}", classes=["pia-raw", DETAIL])
    return para


def field_label(field: Field) -> str | None:
    """The label the form prints, or for an item stored without one, the form's
    label for its key; never the key itself."""
    if field.label:
        return field.label
    return FORM_LABELS.get(field.key.value) if field.key else None


def fields_list(fields: list[Field], counts: dict[int, int] | None = None) -> nodes.Element:
    """Labelled fields as a definition list (readable on a phone, labels as terms).

    A field the form prints without a label (a note line under a heading, a figure's
    text) is shown as text between the lists rather than under an empty term."""
    lists: list[nodes.Element] = []
    dl = None
    for field in fields:
        label = field_label(field)
        if label is None:
            block = nodes.container(classes=["pia-unlabelled"])
            block.extend(provenance(field))
            block.extend(value_nodes(field, (counts or {}).get(id(field))))
            if field.items:
                block += fields_list(field.items, counts)
            lists.append(block)
            dl = None
            continue
        if dl is None:
            dl = nodes.definition_list(classes=["pia-fields"])
            lists.append(dl)
        item = nodes.definition_list_item()
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
    if len(lists) == 1 and isinstance(lists[0], nodes.definition_list):
        return lists[0]
    return nodes.container("", *lists, classes=["pia-fields-block"])


#: The PPC forms' printed labels (without their ① numbering) by item key, for items
#: stored without a label (e.g. the value under 「1. 特定個人情報ファイル名」).
FORM_LABELS = {
    "number": "評価書番号", "title": "評価書名", "declaration": "個人のプライバシー等の権利利益の保護の宣言",
    "special_notes": "特記事項", "organization_name": "評価実施機関名", "approved_on": "個人情報保護委員会 承認日",
    "published_on": "公表日", "toc": "項目一覧", "business_name": "事務の名称", "business_content": "事務の内容",
    "target_population": "対象人数", "system_name": "システムの名称", "system_functions": "システムの機能",
    "system_connections": "他のシステムとの接続", "file_names": "特定個人情報ファイル名", "necessity": "事務実施上の必要性",
    "benefits": "実現が期待されるメリット", "info_network": "情報提供ネットワークシステムによる情報連携",
    "department": "事務担当部署", "head_title": "所属長の役職名", "other_bodies": "他の評価実施機関",
    "legal_basis": "法令上の根拠", "file_name": "特定個人情報ファイル名", "file_type": "ファイルの種類",
    "population": "対象となる本人の数", "scope": "対象となる本人の範囲", "scope_reason": "その必要性",
    "record_count": "記録される項目", "main_items": "主な記録項目", "items_reason": "その妥当性", "all_items": "全ての記録項目",
    "retention_start": "保有開始日", "sources": "入手元", "methods": "入手方法", "acquisition_timing": "入手の時期・頻度",
    "acquisition_reason": "入手に係る妥当性", "notice": "本人への明示", "purpose": "使用目的", "purpose_change": "変更の妥当性",
    "users": "使用の主体", "using_departments": "使用部署", "user_count": "使用者数", "usage": "使用方法",
    "matching": "情報の突合", "statistics": "情報の統計分析", "decisions": "権利利益に影響を与え得る決定",
    "use_start": "使用開始日", "entrusted": "委託の有無", "entrusted_content": "委託内容",
    "entrusted_scope": "取扱いを委託する特定個人情報ファイルの範囲", "handlers": "委託先における取扱者数",
    "delivery": "委託先への特定個人情報ファイルの提供方法", "contractor_check": "委託先名の確認方法", "contractor": "委託先名",
    "subcontract": "再委託の有無", "subcontract_approval": "再委託の許諾方法", "subcontract_content": "再委託事項",
    "provision_status": "提供・移転の有無", "recipient_use": "提供先・移転先における用途", "information": "提供・移転する情報",
    "method": "提供・移転の方法", "timing": "時期・頻度", "storage": "保管場所", "retention": "保管期間", "deletion": "消去方法",
    "remarks": "備考", "measure": "リスクに対する措置の内容", "evaluation": "リスクへの対策は十分か",
    "other_risks": "その他のリスク及びそのリスクに対する措置", "audit": "監査", "training": "従業者に対する教育・啓発",
    "other_measures": "その他のリスク対策", "request_to": "請求先", "request_method": "請求方法", "fee": "手数料等",
    "file_register": "個人情報ファイル簿の公表", "special_procedure": "法令による特別の手続",
    "non_listing": "個人情報ファイル簿への不記載等", "contact": "連絡先", "response": "対応方法",
    "basic_assessment_date": "基礎項目評価の実施日", "threshold_result": "しきい値判断結果", "hearing_method": "意見聴取の方法",
    "hearing_period": "意見聴取の実施日・期間", "hearing_shortening": "期間を短縮する特段の理由",
    "hearing_opinions": "主な意見の内容", "hearing_reflection": "評価書への反映", "review_date": "第三者点検の実施日",
    "review_method": "第三者点検の方法", "review_result": "第三者点検の結果", "approval_submitted": "提出日",
    "approval_review": "個人情報保護委員会による審査", "change_date": "変更日",
}
