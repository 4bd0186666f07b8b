"""Versions, their diff, and item history as docutils nodes."""

from __future__ import annotations

from docutils import nodes

from ..versions import FieldChange, HistoryEntry, Version
from .nodes import badge, text_block, xref
from .tables import table

KIND_LABEL = {"changed": "変更", "added": "追加", "removed": "削除"}


def versions_list(versions: list[Version], aid: str, links: dict[str, str] | None = None) -> nodes.bullet_list:
    """The versions, newest first; ``links`` maps a version ID to a document name showing its diff."""
    lst = nodes.bullet_list(classes=["pia-versions"])
    for v in reversed(versions):
        item = nodes.list_item()
        para = nodes.paragraph()
        if links and v.id in links:
            ref = nodes.reference("", "", internal=True, refuri=links[v.id])
            ref += nodes.Text(v.label)
            para += ref
        else:
            para += nodes.Text(v.label)
        para += nodes.Text(f"（版のID: {v.id}）")
        item += para
        lst += item
    return lst


def diff_table(changes: list[FieldChange], aid: str, titles: dict[str, str], warn: bool = True) -> nodes.Node:
    if not changes:
        return nodes.paragraph("", "2つの版の記載に違いはありません（空白の違いは数えません）。")
    rows = []
    for c in changes:
        gid = f"{aid}/{c.target}"
        rows.append((
            [badge(KIND_LABEL[c.kind], {"changed": "warning", "added": "success", "removed": "danger"}[c.kind]),
             xref("ref", gid, titles.get(gid, c.target), warn=warn), c.location,
             text_block(c.before) if c.before else "—", text_block(c.after) if c.after else "—"],
            [f"pia-diff-{c.kind}"],
        ))
    return table(["種類", "項目", "位置", "古い版", "新しい版"], rows, ("pia-diff",))


def history_nodes(entries: list[HistoryEntry], aid: str, warn: bool = True) -> list[nodes.Node]:
    """An item's earlier wording as the 変更箇所 give it, marked as such."""
    if not entries:
        return []
    note = nodes.paragraph(classes=["pia-history-source"])
    note += badge("変更箇所より", "secondary", ("pia-from-change-table",))
    note += nodes.Text(" 公表された旧い版ではなく、変更箇所の表の「変更前の記載」「変更後の記載」から示す。")
    rows = []
    for h in entries:
        date: list[nodes.Node] = [nodes.Text(h.date or "変更日なし")]
        if h.date_iso:
            date.append(nodes.inline("", f"（{h.date_iso}）", classes=["pia-iso-date"]))
        rows.append(([date, xref("change", f"{aid}/{h.change}", " ".join(h.item.split()) or h.change, warn=warn),
                      text_block(h.before) if h.before else "—", text_block(h.after) if h.after else "—", h.timing or ""], ["pia-history-row"]))
    return [note, table(["変更日", "変更箇所の項目", "変更前の記載", "変更後の記載", "提出時期"], rows, ("pia-item-history",))]
