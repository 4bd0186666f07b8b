"""Tables of the tab-separated layout: the 変更箇所 rows and the 別紙 tables."""

from __future__ import annotations

import re

from .cells import clean
from .coverage import Coverage
from .source import Line

DATE = re.compile(r"^(?:<p>)?\s*(?:(?:令和|平成|昭和)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日|\d{4}/\d{1,2}/\d{1,2})")
TIMING = re.compile(r"^(?:<p>)?\s*(事前|事後)\s*(?:</p>)?")


def is_change_row(ln: Line) -> bool:
    cells = [c for c in ln.cells]
    return len(cells) >= 4 and bool(DATE.match(cells[0].strip()))


def _field(cell: str, line: int) -> dict:
    text = clean(cell)
    if not text:
        return {"line": line, "gap": "empty"}
    out = {"text": text, "line": line}
    if text != cell.strip():
        out["raw"] = cell.strip()
    return out


def parse_change_row(ln: Line, cov: Coverage) -> dict | None:
    """One change entry: 変更日, 項目, 変更前, 変更後, 提出時期, 説明.

    Rows of five cells have 提出時期 and its 説明 in one cell (「<p>事後</p> <p>説明</p>」)
    or no 提出時期 at all (seed notes §5.8); which one is decided by the cell's start."""
    cells = list(ln.cells) + [""] * max(0, 6 - len(ln.cells))
    if not any(c.strip() for c in cells):
        return None
    cov.use(ln.no)
    where = "変更箇所"
    entry: dict = {"line": ln.no}
    if len(ln.cells) >= 6:
        date, item, before, after, timing, reason = cells[:5] + ["\t".join(cells[5:])]
        entry.update(date=_field(date, ln.no), item=_field(item, ln.no), before=_field(before, ln.no),
                     after=_field(after, ln.no), timing=_field(timing, ln.no), reason=_field(reason, ln.no))
    else:
        date, item, before, after, last = cells[:5]
        entry.update(date=_field(date, ln.no), item=_field(item, ln.no), before=_field(before, ln.no),
                     after=_field(after, ln.no))
        m = TIMING.match(last.strip())
        if m:
            entry["timing"] = {"text": m.group(1), "line": ln.no, "raw": last.strip()}
            reason = last.strip()[m.end():]
            entry["reason"] = _field(reason, ln.no)
            if "text" in entry["reason"]:
                entry["reason"]["raw"] = last.strip()
            cov.low(f"{where} {ln.no}行", ln.no, "提出時期と説明が1つのセルにあり、「事前/事後」の後で分けた。")
        else:
            entry["timing"] = {"line": ln.no, "gap": "missing", "note": "この行は5セルで、提出時期の欄がない。"}
            entry["reason"] = _field(last, ln.no)
            cov.low(f"{where} {ln.no}行", ln.no, "5セルの行で提出時期がない。最後のセルを説明として取り込んだ。")
    for name in ("date", "item", "before", "after", "timing", "reason"):
        if entry[name].get("gap"):
            cov.left_empty(where, f"{where} {ln.no}行 {name}", ln.no, "セルが空である。")
        else:
            cov.filled(where)
    entry["targets"] = []
    entry["resolution"] = "unresolved"
    return entry


ANNEX_TITLE = re.compile(r"^別紙\s*([0-9０-９]+)")


def parse_annex(imp, i: int) -> int:
    """A 別紙 table: its title line, the column header (repeated at page breaks)
    and the rows, up to the next part heading or the end."""
    from .forms import part_of

    lines = imp.lines
    ln = lines[i]
    m = ANNEX_TITLE.match(ln.head)
    no = str(int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))) if m else str(len(imp.annexes) + 1)
    title = ln.head
    kind = "provision" if "提供先" in title else "transfer" if "移転先" in title else "other"
    annex: dict = {"schema": "sphinx-pia/annex/1", "no": no, "title": {"text": title, "line": ln.no},
                   "columns": [], "header_lines": [], "kind": kind, "line": ln.no, "rows": []}
    imp.annexes.append(annex)
    imp.cov.use(ln.no)
    i += 1
    header: list[str] | None = None
    while i < len(lines):
        ln = lines[i]
        if ln.blank:
            i += 1
            continue
        if ln.cells[0].strip() and part_of(ln.head):
            break
        cells = [c.strip() for c in ln.cells]
        if header is None:
            header = cells
            annex["columns"] = cells
            annex["header_lines"].append(ln.no)
        elif cells == header:
            annex["header_lines"].append(ln.no)
        else:
            width = len(header)
            row = cells + [""] * max(0, width - len(cells))
            annex["rows"].append({"line": ln.no, "cells": row})
            if len(cells) > width:
                imp.cov.low(f"別紙{no}", ln.no, f"列見出しより多い {len(cells)} セルの行である。")
        imp.cov.use(ln.no)
        annex["end_line"] = ln.no
        i += 1
    cols = [re.sub(r"\s+", "", c) for c in annex["columns"]]
    for k, c in enumerate(cols):
        if "項番" in c or "根拠" in c:
            annex.setdefault("basis_column", k)
        if c.startswith("提供先") and "用途" not in c or c.startswith("移転先") and "用途" not in c:
            annex.setdefault("recipient_column", k)
    imp.cov.filled(f"別紙{no}")
    return i
