"""Turning a label and its cell into a field of the draft (a YAML-shaped dict).

The dicts have exactly the shape of ``sphinx_pia.model`` so a draft is written
with ``yaml.safe_dump`` and validated by the same loader as curated content.
"""

from __future__ import annotations

import re

from .cells import clean, has_markup, is_checks, is_choice, nfkc, parse_checks, parse_choice
from .coverage import Coverage

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: 「①委託内容 システム保守業務」: a numbered label and its value in one cell.
FUSED_LABEL = re.compile(rf"^([{CIRCLED}][^\s\[<＜〈]*(?:\s*※)?)(?:\s+|(?=[\[<＜〈]))(.+)$")

#: Label stem (NFKC, no circled number, no ※, no spaces) → FieldKey.  Labels the
#: three forms share; a label not listed simply gets no key.
KEYS = {
    "事務の名称": "business_name", "事務の内容": "business_content", "対象人数": "target_population",
    "システムの名称": "system_name", "システムの機能": "system_functions", "他のシステムとの接続": "system_connections",
    "事務実施上の必要性": "necessity", "実現が期待されるメリット": "benefits", "法令上の根拠": "legal_basis",
    "部署": "department", "所属長の役職名": "head_title", "ファイルの種類": "file_type",
    "対象となる本人の数": "population", "対象となる本人の範囲": "scope", "その必要性": "scope_reason",
    "記録される項目": "record_count", "主な記録項目": "main_items", "その妥当性": "items_reason",
    "全ての記録項目": "all_items", "保有開始日": "retention_start", "事務担当部署": "department",
    "入手元": "sources", "入手方法": "methods", "入手の時期・頻度": "acquisition_timing",
    "入手に係る妥当性": "acquisition_reason", "本人への明示": "notice", "使用目的": "purpose",
    "変更の妥当性": "purpose_change", "使用部署": "using_departments", "使用者数": "user_count",
    "使用方法": "usage", "情報の突合": "matching", "情報の統計分析": "statistics",
    "権利利益に影響を与え得る決定": "decisions", "使用開始日": "use_start", "委託の有無": "entrusted",
    "委託内容": "entrusted_content", "委託先名": "contractor", "再委託の有無": "subcontract",
    "再委託の許諾方法": "subcontract_approval", "再委託事項": "subcontract_content",
    "提供・移転の有無": "provision_status", "提供先における用途": "recipient_use", "移転先における用途": "recipient_use",
    "提供する情報": "information", "移転する情報": "information", "提供方法": "method", "移転方法": "method",
    "時期・頻度": "timing", "保管場所": "storage", "保管期間": "retention", "消去方法": "deletion",
    "リスクに対する措置の内容": "measure", "リスクへの対策は十分か": "evaluation",
    "請求先": "request_to", "請求方法": "request_method", "手数料等": "fee", "連絡先": "contact", "対応方法": "response",
}


def label_stem(label: str) -> str:
    return nfkc(label).lstrip(CIRCLED).replace("※", "")


def key_for(label: str) -> str | None:
    stem = label_stem(label)
    if stem in KEYS:
        return KEYS[stem]
    if stem.endswith("その他のリスク及びそのリスクに対する措置") or stem.endswith("に伴うその他のリスク及びそのリスクに対する措置"):
        return "other_risks"
    return None


#: 「その妥当性 ・本特定…」, 「期間 [20年以上] <選択肢>…」: an unnumbered label and its value
LOOSE_LABEL = re.compile(r"^(\S+?(?:\s*※)?)\s+(\S.*)$")
#: 「実施の有無 [] 自己点検 …」: any short label followed by its choice or checkboxes
LABEL_BEFORE_CHOICE = re.compile(r"^([^\s\[<＜〈。、]{2,30}(?:\s*※)?)\s+(\[.*)$")
#: Unnumbered labels the forms print (III sub-questions and the like), NFKC without spaces.
#: A line that is one of these is a label, never the continuation of a value.
KNOWN_LABELS = {
    "期間", "その妥当性", "対象となる本人の数", "対象となる本人の範囲", "実施の有無", "その内容", "再発防止策の内容",
    "具体的な方法", "具体的な管理方法", "具体的な制限方法", "具体的な保管方法", "具体的な対策の内容", "規定の内容",
    "ユーザ認証の管理", "アクセス権限の発効・失効の管理", "アクセス権限の管理", "特定個人情報の使用の記録",
    "その他の措置の内容", "ルールの内容及びルール遵守の確認方法", "ルール内容及びルール遵守の確認方法",
    "特定個人情報の提供・移転に関するルール", "特定個人情報の提供・移転の記録", "消去手順", "手順の内容",
    "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "特定個人情報ファイルの閲覧者・更新者の制限",
    "特定個人情報ファイルの取扱いの記録", "特定個人情報の提供ルール", "特定個人情報の消去ルール",
    "再委託先による特定個人情報ファイルの適切な取扱いの担保", "再委託先による特定個人情報ファイルの適切な取扱いの確保",
    "情報保護管理体制の確認", "従業者に対する教育・啓発", "使用部署", "使用者数", "情報の突合", "情報の統計分析",
}
EXTRA_LABELS = KNOWN_LABELS


def split_fused(cell: str) -> tuple[str, str] | None:
    """Split a label printed in the same cell as its value, when the label is
    numbered (「①委託内容 システム保守業務」) or one the forms print unnumbered."""
    cell = cell.strip()
    m = FUSED_LABEL.match(cell)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    m = LOOSE_LABEL.match(cell)
    if m and m.group(2).strip() != "※" and (key_for(m.group(1)) or label_stem(m.group(1)) in EXTRA_LABELS):
        return m.group(1).strip(), m.group(2).strip()
    m = LABEL_BEFORE_CHOICE.match(cell)
    if m and (is_choice(m.group(2)) or is_checks(m.group(2))):
        return m.group(1).strip(), m.group(2).strip()
    return None


def make_field(label: str | None, cell: str, line: int, cov: Coverage, where: str, *, end_line: int | None = None) -> dict:
    """A field from its printed label and its (tab-joined) value cell."""
    out: dict = {}
    key = key_for(label) if label else None
    if key:
        out["key"] = key
    if label is not None:
        out["label"] = label
    value = cell.strip()
    here = f"{where} {label or ''}".strip()
    if not value or not clean(value):
        out["line"] = line
        out["gap"] = "empty"
        cov.left_empty(where, here, line, "ラベルだけが印字され、値の欄が空である。")
        return out
    if is_choice(value):
        choice = parse_choice(value)
        sel: dict = {"value": choice.value, "options": choice.options, "raw": value}
        out["select"] = sel
        if choice.count_raw:
            out["count"] = {"declared": choice.count, "raw": choice.count_raw}
        if choice.value is None:
            out["gap"] = "lost"
            cov.left_empty(where, here, line, "選択肢のどれにも印がない（選択が抽出で失われたか、未記入）。")
        else:
            cov.filled(where)
            if not choice.bracketed:
                cov.low(here, line, f"選択値「{choice.value}」は [ ] で囲まれておらず、前後の文字から読み取った。")
            if choice.options and choice.value not in choice.options:
                cov.low(here, line, f"選択値「{choice.value}」が選択肢の一覧にない。")
    elif is_checks(value):
        group = parse_checks(value)
        checks: dict = {"checked": group.checked, "options": group.labels}
        if group.other:
            checks["other"] = group.other
        checks["raw"] = value
        if not group.checked:
            # The extraction often drops checkmarks: an option with a filled-in
            # parenthesis or a count was evidently chosen (seed notes §5.1).
            filled = [o.label for o in group.options if o.detail or (o.count_raw and re.search(r"\d", o.count_raw))]
            radios = [o.label for o in group.options if o.radio]
            if not filled and radios and len(radios) < len(group.options):
                # a radio button among checkboxes is how some extractions print the chosen box
                filled = radios
            if filled:
                checks["checked"] = list(dict.fromkeys(filled))
                checks["confidence"] = "low"
                cov.low(here, line, "チェック印はすべて空だが、括弧内に記入のある選択肢 " + "、".join(f"「{x}」" for x in filled) + " を選択ありと推定した。")
        out["check"] = checks
        counted = [o for o in group.options if o.count_raw]
        if counted:
            out["items"] = [{"label": o.label, "count": {"declared": o.count, "raw": o.count_raw}, "line": line}
                            for o in counted]
        text = clean(value)
        if any(o.detail for o in group.options if o.label != "その他"):
            out["text"] = text
        cov.filled(where)
    else:
        out["text"] = clean(value)
        if has_markup(value) or out["text"] != value:
            out["raw"] = value
        cov.filled(where)
    out["line"] = line
    if end_line and end_line != line:
        out["end_line"] = end_line
    return out
