"""Shared helpers of the column-interleaved layout: page blocks, wrapped
cells and character widths.

In this layout the PDF's columns are emitted one after the other, each cell
wrapped at the column's width.  A cell continues on the next line when the
line is *full* (as long as the column allows); a shorter line ends it.  That is
the only reliable cell boundary the text keeps, so several parsers measure it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from .source import Line


def fwidth(text: str) -> float:
    """Display width in full-width units, unrounded: ASCII and half-width forms count half."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1.0 for ch in text.rstrip())


def width(text: str) -> int:
    """Display width in whole full-width units."""
    return int(fwidth(text) + 0.5)


def blocks(lines: list[Line]) -> list[tuple[int, int]]:
    """Page-like blocks as (first index, end index): runs of text separated by
    three or more blank lines (seed notes §1.6.1)."""
    out: list[tuple[int, int]] = []
    start = None
    blank = 0
    for i, ln in enumerate(lines):
        if ln.blank:
            blank += 1
            continue
        if start is None:
            start = i
        elif blank >= 3:
            out.append((start, i))
            start = i
        blank = 0
    if start is not None:
        out.append((start, len(lines)))
    return out


def block_start(bounds: list[tuple[int, int]], i: int) -> int:
    for a, b in bounds:
        if a <= i < b:
            return a
    return i


def double_spaced(lines: list[Line], a: int, b: int) -> bool:
    """Every text line followed by a blank line (002): blank lines carry no structure."""
    filled = [i for i in range(a, b) if not lines[i].blank]
    if len(filled) < 10:
        return False
    followed = sum(1 for i in filled if i + 1 < len(lines) and lines[i + 1].blank)
    return followed / len(filled) > 0.9


def join_cell(texts: list[str]) -> str:
    """Join the lines of a table cell that holds one paragraph (a 別紙 cell):
    a wrap inside Japanese text is not a space, so lines join directly; only a
    wrap between two ASCII words keeps one."""
    out = ""
    for t in (t.strip() for t in texts):
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


#: a line that starts a list item or a sub-heading never continues the line above
_STARTS_ITEM = ("・", "※", "＜", "<", "【", "≪", "(", "（") + tuple("①②③④⑤⑥⑦⑧⑨⑩") + tuple("０１２３４５６７８９")


def column_width(texts: list[str]) -> float:
    """A column's width, measured over its lines: the most common width among
    the longer ones (most of those were wrapped at the column's edge; 禁則
    moves a character or two), the widest on a tie."""
    widths = [width(t) for t in texts]
    if not widths:
        return 0.0
    top = max(widths)
    common = Counter(w for w in widths if w >= top / 2).most_common()
    best = max(n for _, n in common)
    return float(max(w for w, n in common if n == best))


def join_lines(texts: list[str], full: float) -> str:
    """Join a value's lines: a line that fills the column (within two, for
    禁則) was wrapped and joins the next directly; any other line ends a
    paragraph, and so does a line followed by a list item or sub-heading."""
    out = ""
    for k, t in enumerate(texts):
        t = t.strip()
        if k:
            wrapped = full and width(texts[k - 1].strip()) >= full - 2 and not t.startswith(_STARTS_ITEM)
            out += "" if wrapped else "\n"
        out += t
    return out
