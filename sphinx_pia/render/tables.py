"""A plain docutils table from rows of node lists (cells are escaped text nodes)."""

from __future__ import annotations

from docutils import nodes


def cell_nodes(value) -> list[nodes.Node]:
    if value is None:
        return []
    if isinstance(value, nodes.Node):
        return [value]
    if isinstance(value, list):
        return value
    text = str(value)
    return [nodes.Text(text)]


def table(header: list[str], rows: list[tuple[list, list[str]]], classes: tuple[str, ...] = (), widths: list[int] | None = None) -> nodes.table:
    """``rows`` are (cells, row classes); a cell is a string, a node or a list of nodes.
    ``widths`` are relative column widths (written by the HTML builder), else even."""
    tbl = nodes.table(classes=["pia-table", *classes, *(["colwidths-given"] if widths else [])])
    tgroup = nodes.tgroup(cols=len(header))
    tbl += tgroup
    for width in widths or [1] * len(header):
        tgroup += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    hrow = nodes.row()
    for h in header:
        entry = nodes.entry()
        entry += nodes.paragraph(h, h)
        hrow += entry
    thead += hrow
    tgroup += thead
    tbody = nodes.tbody()
    for cells, row_classes in rows:
        row = nodes.row(classes=list(row_classes))
        for value in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            para.extend(cell_nodes(value))
            entry += para
            row += entry
        tbody += row
    tgroup += tbody
    return tbl


def css_token(text: str) -> str:
    """A class name fragment from an ID (「PIA-C01」 → 「pia-c01」)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower()).strip("-")
