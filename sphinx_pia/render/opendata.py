"""The open-data page: download links and a description of every column."""

from __future__ import annotations

from docutils import nodes

from ..opendata import COLUMNS
from .tables import table

KIND_LABEL = {
    "assessments": "評価書", "systems": "システム", "files": "特定個人情報ファイル", "record_items": "記録項目",
    "provisions": "提供先・移転先（法令上の根拠を解析したもの）", "entrustments": "委託", "changes": "変更箇所", "findings": "点検結果",
}


def _link(uri: str, text: str) -> nodes.reference:
    ref = nodes.reference("", "", refuri=uri)
    ref += nodes.Text(text)
    return ref


def opendata_nodes(base_uri: str, bom: bool) -> list[nodes.Node]:
    """``base_uri``: the directory of the files, relative to the page."""
    enc = "UTF-8（BOM付き。Excelでそのまま開けます）" if bom else "UTF-8（BOMなし）"
    intro = nodes.paragraph("", f"評価書のデータを機械判読できる形式で公開しています。CSVの文字コードは{enc}、改行はCRLFです。"
                            "日付は印字どおりの和暦と、西暦（ISO 8601）の列を並べています。IDはサイト内のIDで、ビルドが変わっても同じです。")
    lst = nodes.bullet_list()
    for name, text in (("pia.json", "全体のデータ（JSON）"), ("pia.schema.json", "JSONのスキーマ（JSON Schema）")):
        item = nodes.list_item()
        item += nodes.paragraph("", "", _link(f"{base_uri}/{name}", name), nodes.Text(f": {text}"))
        lst += item
    for kind in COLUMNS:
        item = nodes.list_item()
        item += nodes.paragraph("", "", _link(f"{base_uri}/{kind}.csv", f"{kind}.csv"), nodes.Text(f": {KIND_LABEL[kind]}"))
        lst += item
    out: list[nodes.Node] = [intro, lst]
    for kind, columns in COLUMNS.items():
        sec = nodes.section(ids=[f"pia-open-data-{kind}"])
        title = f"{kind}.csv（{KIND_LABEL[kind]}）"
        sec += nodes.title(title, title)
        sec += table(["列", "説明"], [([c, d], []) for c, d in columns], ("pia-columns",))
        out.append(sec)
    return out
