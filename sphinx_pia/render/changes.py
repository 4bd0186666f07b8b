"""The 変更箇所 page: one table row per change entry, the long 変更前/変更後 texts
side by side behind a dropdown, so 23 entries read as one screen of rows rather than
23 tall cards.  Mixed into :class:`~.objects.Renderer`."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx_design.shared import create_component

from ..model import Assessment, ChangeEntry, Field, FieldKey
from .nodes import DETAIL, badge, detail_note, dropdown, fields_list, gap_badge, provenance, value_nodes

COLUMNS = ("番号・変更日・提出時期", "項目と変更の内容")
WIDTHS = (26, 74)


def header_columns(text: str) -> list[str]:
    """The printed column header split into its cells (tabs in the extracted text,
    else runs of spaces), verbatim."""
    cells = text.split("\t") if "\t" in text else re.split(r"\s+", text.strip())
    return [c for c in cells if c.strip()]


def table(columns: tuple[str, ...] | list[str], classes: list[str], widths: tuple[int, ...] | None = None) -> tuple[nodes.table, nodes.tbody]:
    """A table with a header row; returns it and its body to fill."""
    tbl = nodes.table(classes=[*classes, "colwidths-given"] if widths else classes)
    tgroup = nodes.tgroup(cols=len(columns))
    tbl += tgroup
    for i, _ in enumerate(columns):
        tgroup += nodes.colspec(colwidth=widths[i] if widths else 1)
    thead = nodes.thead()
    row = nodes.row()
    for text in columns:
        row += nodes.entry("", nodes.paragraph(text, text))
    thead += row
    tgroup += thead
    tbody = nodes.tbody()
    tgroup += tbody
    return tbl, tbody


def field_nodes(field: Field) -> list[nodes.Node]:
    """A field's value and its sub-items (a note line printed under the cell)."""
    out = value_nodes(field)
    if field.items:
        out.append(fields_list(field.items))
    return out


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry.extend(children)
    if not len(entry):
        entry += nodes.paragraph("", "")
    return entry


def _own_lines(field: Field, entry: ChangeEntry) -> list[nodes.Node]:
    """A field's source line, when it is not the row's own line."""
    if field.line and (field.line != entry.line or (field.end_line and field.end_line != field.line)):
        return provenance(field)
    return []


class ChangePages:
    """Needs ``self.site``, ``self.link`` and ``self.register``."""

    def changes_page(self, a: Assessment) -> list[nodes.Node]:
        log = a.changes
        self.register(f"{a.id}/changes", "pia-changes", "changes", f"{a.title} 変更箇所")
        out: list[nodes.Node] = [nodes.paragraph("", "", nodes.Text("評価書: "), self.link("assessment", a.id, a.title), ids=["pia-changes"])]
        if log is None:
            return out
        if log.title is not None:
            out.append(fields_list([log.title.model_copy(update={"label": "表題"})]))
        if log.header is not None:
            out.append(self._header(log.header))
        unresolved = [e for e in log.entries if not e.targets]
        out.extend(nodes.paragraph("", "", p) for p in provenance(log))
        if log.gap:
            out.append(nodes.paragraph("", "", gap_badge(log.gap, log.note)))
        elif log.note:
            out.append(detail_note(log.note))
        summary = nodes.paragraph(classes=["pia-count"])
        summary += nodes.Text(f"変更箇所: {len(log.entries)}件（対象の項目に対応付け済み {len(log.entries) - len(unresolved)}件、未解決 {len(unresolved)}件）")
        out.append(summary)
        if not log.entries:
            return out
        tbl, tbody = table(COLUMNS, ["pia-changes-table"], WIDTHS)
        for no, entry in enumerate(log.entries, 1):
            tbody += self._change_row(a, no, entry)
        out.append(tbl)
        return out

    def _header(self, header: Field) -> nodes.Element:
        """「列見出し」 as the columns it prints, each cell verbatim."""
        dl = fields_list([header.model_copy(update={"label": "列見出し"})])
        if header.text:
            para = nodes.paragraph(classes=["pia-header-columns"])
            for i, cell in enumerate(header_columns(header.text)):
                if i:
                    para += nodes.Text(" ")
                para += nodes.inline(cell, f"「{cell}」", classes=["pia-header-column"])
            para += nodes.Text(f"（{len(header_columns(header.text))}列）")
            definition = dl[0][1]
            # header has text and perhaps a note: the text is the definition's first child
            definition.replace(definition[0], para)
        return dl

    def _change_row(self, a: Assessment, no: int, entry: ChangeEntry) -> nodes.row:
        gid = f"{a.id}/{entry.id}"
        self.register(gid, entry.id, "change", entry.item.text or entry.id)
        row = nodes.row(ids=[entry.id], classes=["pia-change"])
        first: list[nodes.Node] = [nodes.paragraph("", f"{no}.", classes=["pia-change-no"])]
        first.extend(field_nodes(entry.date.model_copy(update={"key": FieldKey.change_date})))
        first.extend(_own_lines(entry.date, entry))
        if entry.timing.text:
            first.append(nodes.paragraph("", "", nodes.Text("提出時期: "), badge(entry.timing.text, "secondary", ("pia-timing",))))
        first.extend(field_nodes(entry.timing.model_copy(update={"text": None})))
        first.extend(_own_lines(entry.timing, entry))
        first.extend(nodes.paragraph("", "", p) for p in provenance(entry))
        row += _cell(*first)
        row += _cell(*self._item_and_targets(a, entry), self._before_after(entry))
        return row

    def _item_and_targets(self, a: Assessment, entry: ChangeEntry) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        out.extend(field_nodes(entry.item) or [nodes.paragraph("", "（項目なし）")])
        out.extend(_own_lines(entry.item, entry))
        target_para = nodes.paragraph(classes=["pia-targets"])
        target_para += nodes.Text("対象: ")
        if entry.targets:
            for i, t in enumerate(entry.targets):
                if i:
                    target_para += nodes.Text("、")
                tgid = f"{a.id}/{t.ref}"
                rec = self.site.objects.get(tgid)
                text = (rec.title if rec else t.ref) + (f" {t.item}" if t.item else "")
                target_para += self.link(rec.kind if rec else "ref", tgid, text)
        else:
            target_para += badge("未解決（対象の項目を特定できない）", "warning", ("pia-unresolved",))
        if entry.resolution.value == "suspect":
            target_para += nodes.Text(" ")
            target_para += badge("対応付けに疑義", "warning", ("pia-suspect",))
        out.append(target_para)
        if entry.gap:
            out.append(nodes.paragraph("", "", gap_badge(entry.gap, entry.note)))
        elif entry.note:
            out.append(detail_note(entry.note))
        if entry.resolution_note:
            out.append(detail_note(entry.resolution_note))
        if entry.duplicate_of:
            para = nodes.paragraph("", "同一の行: ", classes=["pia-note", DETAIL])
            dup = f"{a.id}/{entry.duplicate_of}"
            number = next((i for i, e in enumerate(a.changes.entries, 1) if e.id == entry.duplicate_of), None)
            rec = self.site.objects.get(dup)
            text = f"{number}. {rec.title}" if number and rec else (rec.title if rec else "同一の変更箇所")
            para += self.link("change", dup, text)
            out.append(para)
        return out

    def _before_after(self, entry: ChangeEntry) -> nodes.container:
        """変更前 and 変更後 side by side (stacked on a phone), closed by default."""
        grid = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "pia-before-after"])
        row = create_component("grid-row", ["sd-row", "sd-row-cols-1", "sd-row-cols-xs-1", "sd-row-cols-sm-1", "sd-row-cols-md-2", "sd-row-cols-lg-2", "sd-g-2"])
        grid += row
        for field, label in ((entry.before, "変更前の記載"), (entry.after, "変更後の記載")):
            col = create_component("grid-item", ["sd-col", "sd-d-flex-column", f"pia-{'before' if field is entry.before else 'after'}"])
            col += nodes.paragraph("", label, classes=["pia-cell-label"])
            col.extend(field_nodes(field) or [nodes.paragraph("", "", badge("記載なし", "light"))])
            col.extend(_own_lines(field, entry))
            row += col
        children: list[nodes.Node] = [grid]
        reason = field_nodes(entry.reason)
        if reason:
            children.append(nodes.paragraph("", "提出時期に係る説明", classes=["pia-cell-label"]))
            children.extend(reason)
            children.extend(_own_lines(entry.reason, entry))
        return dropdown("変更前・変更後の記載と提出時期に係る説明", children, ("pia-before-after-dropdown",))
