"""The three PPC forms as the importer recognises them: the document title, the
version stamp, and the part headings.

Parts are recognised by their printed title, not their numeral: 開示請求 is IV
in 様式3 and V in 様式4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import nfkc
from .source import NOT_TEXT, ImportProblem, SourceText

FORM_TITLES = {"基礎項目評価書": "kiso", "重点項目評価書": "juten", "全項目評価書": "zenkomoku"}
STAMP = re.compile(r"[\[［]?\s*(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*様式\s*([2-4２-４])\s*[\]］]?")
TITLE = re.compile(r"特定個人情報保護評価書\s*[(（]\s*(基礎項目評価書|重点項目評価書|全項目評価書)\s*[)）]")

#: 表紙 labels (all three forms) → FieldKey.
COVER_LABELS = {
    "評価書番号": "number", "評価書名": "title", "個人のプライバシー等の権利利益の保護の宣言": "declaration",
    "特記事項": "special_notes", "評価実施機関名": "organization_name", "公表日": "published_on",
    "項目一覧": "toc",
}
_COVER_KEYS = {nfkc(label): key for label, key in COVER_LABELS.items()}


def cover_key(label: str) -> str | None:
    """The FieldKey of a 表紙 label, matched after NFKC without spaces."""
    text = nfkc(label)
    if text.startswith("個人情報保護委員会") and "承認日" in text:
        return "approved_on"
    return _COVER_KEYS.get(text)


_NUMERAL = r"(?:I{1,3}|IV|V|VI|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ)"
_PARTS = [
    ("basic", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*(基本情報)$")),
    ("overview", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*(特定個人情報ファイルの概要)$")),
    ("risk_measures", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*((?:特定個人情報ファイルの取扱いプロセスにおける)?リスク対策.*)$")),
    ("other_measures", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*(その他のリスク対策.*)$")),
    ("disclosure", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*(開示請求、?問合せ.*)$")),
    ("procedures", re.compile(rf"^({_NUMERAL})\s*[.．、]?\s*(評価実施手続.*)$")),
    ("business_detail", re.compile(r"^([(（]別添\s*[0-9０-９]+[)）])\s*(事務の内容.*)$")),
    ("record_items", re.compile(r"^([(（]別添\s*[0-9０-９]+[)）])\s*(特定個人情報ファイル記録項目.*)$")),
    ("changes", re.compile(r"^([(（]別添\s*[0-9０-９]+[)）])\s*(変更箇所.*)$")),
    ("annex", re.compile(r"^(別紙\s*[0-9０-９]+)\s*(.*)$")),
]


class _Headings:
    def split(self, head: str) -> tuple[str, str]:
        for _, rx in _PARTS:
            m = rx.match(head.strip())
            if m:
                return m.group(1), m.group(2).strip()
        return "", head


PART_HEADINGS = _Headings()


def part_of(head: str) -> str | None:
    """The part kind a heading line opens, or None."""
    head = head.strip()
    for kind, rx in _PARTS:
        if rx.match(head):
            return kind
    return None


@dataclass
class FormInfo:
    kind: str | None  # kiso / juten / zenkomoku
    title: str | None
    title_line: int | None
    stamp: str | None
    stamp_line: int | None
    fragment: bool = False  # only a 変更箇所 table survives


def detect_form(src: SourceText) -> FormInfo:
    """Which form the text is, from its title line and 様式 stamp.

    A text with neither but with a change table is a fragment; anything else is
    not an assessment and is refused with a message that says what was looked for."""
    info = FormInfo(None, None, None, None, None)
    for ln in src.lines[:80]:
        text = ln.raw.strip()
        if info.title is None and (m := TITLE.search(text)):
            info.title, info.title_line, info.kind = m.group(0), ln.no, FORM_TITLES[m.group(1)]
        if info.stamp is None and (m := STAMP.search(text)):
            info.stamp, info.stamp_line = m.group(0).strip(), ln.no
            style = nfkc(m.group(1))
            info.kind = info.kind or {"2": "kiso", "3": "juten", "4": "zenkomoku"}[style]
    if info.kind is None:
        # 「全項目評価書」 in the document name line (評価書名) is the next best evidence
        for ln in src.lines[:80]:
            for label, kind in FORM_TITLES.items():
                if label in ln.raw:
                    info.kind, info.title_line = kind, ln.no
                    break
            if info.kind:
                break
    if info.kind is None:
        has_changes = any(("変更箇所" in ln.raw) for ln in src.lines) and any(
            ln.raw.strip() in ("事後", "事前") or "\t事後\t" in ln.raw or "\t事前\t" in ln.raw for ln in src.lines)
        if has_changes:
            info.fragment = True
            return info
        raise ImportProblem(
            src.path,
            f"{NOT_TEXT}（特定個人情報保護評価書として認識できません）。表題「特定個人情報保護評価書(…評価書)」、"
            "様式の表示「[令和N年N月 様式N]」、変更箇所の表のいずれも見つかりませんでした。"
            "評価書のPDFから抽出したテキストか確認してください。",
        )
    return info
