"""``pia-accessibility-results``: the results of the site's accessibility tests, as
Japanese public bodies publish them (JIS X 8341-3:2016; 総務省「みんなの公共サイト
運用ガイドライン」): 対象範囲, 試験日, 試験方法, 達成基準 and 結果.

The argument is a JSON file written by the browser tests (``PIA_A11Y_RESULTS``, see
tests/browser/test_accessibility.py), relative to the document.  Everything read
from it reaches the page as text nodes.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# WCAG 2.1 level A and AA success criteria; the 2.0 ones are JIS X 8341-3:2016's,
# under the names of the JIS text.
CRITERIA: list[tuple[str, str, str]] = [
    ("1.1.1", "A", "非テキストコンテンツ"),
    ("1.2.1", "A", "音声のみ及び映像のみ（収録済み）"),
    ("1.2.2", "A", "キャプション（収録済み）"),
    ("1.2.3", "A", "音声解説、又はメディアに対する代替（収録済み）"),
    ("1.2.4", "AA", "キャプション（ライブ）"),
    ("1.2.5", "AA", "音声解説（収録済み）"),
    ("1.3.1", "A", "情報及び関係性"),
    ("1.3.2", "A", "意味のある順序"),
    ("1.3.3", "A", "感覚的な特徴"),
    ("1.3.4", "AA", "表示の向き"),
    ("1.3.5", "AA", "入力目的の特定"),
    ("1.4.1", "A", "色の使用"),
    ("1.4.2", "A", "音声の制御"),
    ("1.4.3", "AA", "コントラスト（最低限レベル）"),
    ("1.4.4", "AA", "テキストのサイズ変更"),
    ("1.4.5", "AA", "文字画像"),
    ("1.4.10", "AA", "リフロー"),
    ("1.4.11", "AA", "非テキストのコントラスト"),
    ("1.4.12", "AA", "テキストの間隔"),
    ("1.4.13", "AA", "ホバー又はフォーカスで表示されるコンテンツ"),
    ("2.1.1", "A", "キーボード"),
    ("2.1.2", "A", "キーボードトラップなし"),
    ("2.1.4", "A", "文字キーのショートカット"),
    ("2.2.1", "A", "タイミング調整可能"),
    ("2.2.2", "A", "一時停止、停止及び非表示"),
    ("2.3.1", "A", "3回のせん（閃）光、又はしきい（閾）値以下"),
    ("2.4.1", "A", "ブロックスキップ"),
    ("2.4.2", "A", "ページタイトル"),
    ("2.4.3", "A", "フォーカス順序"),
    ("2.4.4", "A", "リンクの目的（コンテキスト内）"),
    ("2.4.5", "AA", "複数の手段"),
    ("2.4.6", "AA", "見出し及びラベル"),
    ("2.4.7", "AA", "フォーカスの可視化"),
    ("2.5.1", "A", "ポインタのジェスチャ"),
    ("2.5.2", "A", "ポインタのキャンセル"),
    ("2.5.3", "A", "ラベルを含む名前"),
    ("2.5.4", "A", "動きによる起動"),
    ("3.1.1", "A", "ページの言語"),
    ("3.1.2", "AA", "一部分の言語"),
    ("3.2.1", "A", "フォーカス時"),
    ("3.2.2", "A", "入力時"),
    ("3.2.3", "AA", "一貫したナビゲーション"),
    ("3.2.4", "AA", "一貫した識別性"),
    ("3.3.1", "A", "エラーの特定"),
    ("3.3.2", "A", "ラベル又は説明"),
    ("3.3.3", "AA", "エラー修正の提案"),
    ("3.3.4", "AA", "エラー回避（法的、金融及びデータ）"),
    ("4.1.1", "A", "構文解析"),
    ("4.1.2", "A", "名前（name）、役割（role）及び値（value）"),
    ("4.1.3", "AA", "ステータスメッセージ"),
]

_JIS_2016 = {c for c, _, _ in CRITERIA} - {"1.3.4", "1.3.5", "1.4.10", "1.4.11", "1.4.12", "1.4.13",
                                            "2.1.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "4.1.3"}


_SECTION_IDS = {"試験日": "date", "対象範囲": "scope", "試験方法": "method", "達成基準チェックリスト": "criteria", "結果": "results"}


def criterion_of_tag(tag: str) -> str | None:
    """axe tags a rule with the criteria it tests: 'wcag143' is 1.4.3, 'wcag1410' 1.4.10."""
    if not tag.startswith("wcag") or not tag[4:].isdigit() or len(tag) < 7:
        return None
    digits = tag[4:]
    return f"{digits[0]}.{digits[1]}.{digits[2:]}"


def _para(*parts: str | nodes.Node) -> nodes.paragraph:
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["pia-a11y-table"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for text in headers:
        row += nodes.entry("", _para(text))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for text in cells:
            row += nodes.entry("", _para(str(text)))
        body += row
    return table


def _criterion_result(code: str, data: dict) -> str:
    axe = data.get("criteria", {}).get(code)
    manual = [k for k in data.get("keyboard", []) if code in k.get("criteria", [])]
    failed = (axe and axe.get("violations")) or any(not k.get("passed") for k in manual)
    if failed:
        return "不適合（問題あり）"
    if axe or manual:
        return "自動試験で問題なし"
    return "自動試験の対象外（人による確認が必要）"


class AccessibilityResults(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(rel)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("試験結果のファイル %s を読めません（%s）。ブラウザ試験を PIA_A11Y_RESULTS=%s を付けて実行し、結果を作成してください。",
                           path, exc, path, location=self.get_location(), type="pia", subtype="accessibility")
            return []
        return self.render(data)

    def render(self, data: dict) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        pages = data.get("pages", [])
        widths = data.get("widths", [])
        tool = data.get("tools", {})

        out.append(self._section("試験日", [_para(str(data.get("date", "")))]))

        scope = [_para(f"本サイトの次の {len(pages)} 種類のページ（それぞれ代表の 1 ページ）を、"
                       f"画面の幅 {'・'.join(f'{w}px' for w in widths)} で試験しました。")]
        scope.append(_table(["ページの種類", "試験したページ"], [[p.get("label", ""), p.get("path", "")] for p in pages], [2, 3]))
        out.append(self._section("対象範囲", scope))

        method = [
            _para("JIS X 8341-3:2016（WCAG 2.0）の適合レベル A 及び AA に、WCAG 2.1 で加わった達成基準を加えた範囲を目標とします。"),
            _para(f"自動試験: axe-core {tool.get('axe', '')} を {tool.get('browser', '')} に読み込み、"
                  f"規則の分類 {', '.join(data.get('tags', []))} に当たるすべての規則で検査しました。"),
            _para("キーボード操作の試験: Tab キーだけで操作部品すべてに到達できること、フォーカスが見えること、"
                  "Enter キー・スペースキーで開閉部品と注記の表示切替を操作できることを、ブラウザ上で確かめました。"
                  "あわせて、見出しの階層が飛ばないこと、表に見出しセルと scope があること、"
                  "チェックボックスの記号に文字での説明があることを検査しました。"),
            _para("自動試験で確かめられない達成基準（代替テキストの適切さ、音声・映像など）は、人による確認が必要です。"),
        ]
        out.append(self._section("試験方法", method))

        rows = [[code, level, name, "JIS X 8341-3:2016" if code in _JIS_2016 else "WCAG 2.1 で追加", _criterion_result(code, data)]
                for code, level, name in CRITERIA]
        out.append(self._section("達成基準チェックリスト", [_table(["達成基準", "適合レベル", "名称", "規格", "結果"], rows, [1, 1, 4, 2, 3])]))

        result_rows = []
        for page in pages:
            for width in widths:
                res = page.get("results", {}).get(str(width), {})
                violations = res.get("violations", [])
                result_rows.append([page.get("label", ""), f"{width}px", str(len(violations)),
                                    "、".join(violations) if violations else "なし", str(res.get("passes", ""))])
        total = sum(len(p.get("results", {}).get(str(w), {}).get("violations", [])) for p in pages for w in widths)
        keyboard = data.get("keyboard", [])
        failed = [k for k in keyboard if not k.get("passed")]
        summary = [
            _para(f"自動試験: {len(pages)} 種類 × {len(widths)} 幅 = {len(pages) * len(widths)} 回の検査で、違反は合計 {total} 件でした。"),
            _para(f"キーボード操作などの試験: {len(keyboard)} 項目のうち {len(keyboard) - len(failed)} 項目が合格でした。"),
            _table(["ページの種類", "画面の幅", "違反の数", "違反した規則", "合格した規則の数"], result_rows, [2, 1, 1, 3, 1]),
            _table(["試験項目", "結果", "補足"], [[k.get("name", ""), "合格" if k.get("passed") else "不合格", k.get("detail", "")] for k in keyboard], [3, 1, 3]),
        ]
        out.append(self._section("結果", summary))
        return out

    def _section(self, title: str, body: list[nodes.Node]) -> nodes.section:
        section = nodes.section(ids=[f"a11y-{_SECTION_IDS[title]}"])
        section += nodes.title("", title)
        section += body
        return section
