"""別紙 tables in the column-interleaved layout (001's 別紙1).

A row starts with its number (「115 後期高齢者医療広域連合」, or 「20」 alone)
and its cells follow one after the other, each wrapped at its column's width.
The narrow 情報照会者 column ends at its first line shorter than the column;
the wide 事務 column ends where the 情報提供者 cell (an office or a body:
「市町村長」, 「都道府県知事」) begins.
"""

from __future__ import annotations

import re

from .cells import nfkc
from .coverage import Coverage
from .interleaved_text import join_cell, width
from .source import Line

TITLE = re.compile(r"^\s*[(（]?別紙\s*([0-9０-９]+)[)）]?\s*(.*)$")
PROVIDER = re.compile(r"^\S{1,12}(?:長|大臣|知事|機構|委員会|連合会|広域連合|協会|組合|法人|公庫|基金)(?:\s|$)")
ROW = re.compile(r"^([0-9]{1,3}(?:の[0-9]+)?)(?:\s+(\S.*))?$")


def is_annex_title(text: str) -> bool:
    return bool(TITLE.match(text.strip()))


def is_annex_header(text: str) -> bool:
    t = nfkc(text)
    return t.startswith("項番") and len(text.split()) >= 3


def parse_annex(lines: list[Line], a: int, b: int, cov: Coverage) -> dict | None:
    header = None
    title = None
    rows: list[list[tuple[int, str]]] = []
    header_lines: list[int] = []
    for i in range(a, b):
        ln = lines[i]
        if ln.blank:
            continue
        text = ln.raw.strip()
        if is_annex_title(text):
            if title is None:
                title = {"text": text, "line": ln.no}
            cov.use(ln.no)
            continue
        if is_annex_header(text):
            header = header or text.split()
            header_lines.append(ln.no)
            cov.use(ln.no)
            continue
        if header is None:
            continue
        m = ROW.match(text)
        if m and (not rows or _row_complete(rows[-1], len(header))):
            rows.append([(ln.no, text)])
        elif rows:
            rows[-1].append((ln.no, text))
    if header is None:
        return None
    m = TITLE.match(title["text"]) if title else None
    no = str(int(nfkc(m.group(1)))) if m else "1"
    title_text = title["text"] if title else None
    kind = "provision" if title_text and "提供" in title_text or "情報照会者" in header else "other"
    annex: dict = {"schema": "sphinx-pia/annex/1", "no": no,
                   "title": title or {"gap": "missing", "note": "別紙の表題が見つからない。"},
                   "columns": header, "header_lines": header_lines, "kind": kind,
                   "line": header_lines[0], "rows": []}
    for r in rows:
        cells = _cells(r, len(header))
        if cells is None:
            cov.low(f"別紙{no}", r[0][0], "行のセルを列に分けられなかった。行全体を最後の列に入れた。")
            cells = [""] * (len(header) - 1) + [" ".join(t for _, t in r)]
        annex["rows"].append({"line": r[0][0], "end_line": r[-1][0], "cells": cells})
        for n, _ in r:
            cov.use(n)
        cov.filled(f"別紙{no}")
    for k, c in enumerate(header):
        if "項番" in c or "根拠" in c:
            annex.setdefault("basis_column", k)
        if ("照会者" in c or c.startswith(("提供先", "移転先"))) and "用途" not in c:
            annex.setdefault("recipient_column", k)
    return annex


def _row_complete(row: list[tuple[int, str]], ncols: int) -> bool:
    # a number line inside a wrapped cell is rare; a row needs at least one line per column
    return len(row) >= ncols - 1


def _cells(row: list[tuple[int, str]], ncols: int) -> list[str] | None:
    """Cells of the 5-column 別紙1 shape: no+recipient, task, provider, information.
    Other shapes: None (the caller keeps the text whole)."""
    if ncols != 5:
        return None
    m = ROW.match(row[0][1])
    no, first = m.group(1), m.group(2)
    rest = [t for _, t in row[1:]]
    k = 0
    recipient = [first] if first else []
    # 情報照会者: a narrow column; continues while its line is full
    narrow = 11
    if not first:
        if not rest:
            return None
        recipient = [rest[0]]
        k = 1
    while k < len(rest) and width(recipient[-1]) >= narrow and width(rest[k]) <= narrow:
        recipient.append(rest[k])
        k += 1
    # 事務 runs up to the 情報提供者 cell.  Line widths do not mark that boundary
    # (a wrapped line may be short where a word could not be split), but the
    # provider is an office holder's or a body's name on a line of its own, or
    # at the start of the line that continues with the next cell.
    task: list[str] = []
    while k < len(rest) and not (task and PROVIDER.match(rest[k])):
        task.append(rest[k])
        k += 1
    if k >= len(rest):
        return None
    # 情報提供者: one short line, sometimes sharing its line with the next cell
    provider = rest[k]
    info = rest[k + 1:]
    parts = provider.split(None, 1)
    if len(parts) == 2 and width(parts[0]) <= narrow:
        provider, info = parts[0], [parts[1]] + info
    if not info:
        return None
    return [no, join_cell(recipient), join_cell(task), provider, join_cell(info)]
