"""Reading one printed answer in the column-interleaved layout: a chosen value,
a checkbox group whose brackets were split over lines, a printed option list.

The extraction breaks the form's brackets apart and sometimes prints them
right to left (「記録を残している[」), so these read the pieces, not a cell.
"""

from __future__ import annotations

import re

from .cells import nfkc

_CUT_OPTIONS = re.compile(r"\s*(?:[<＜]選択肢[>＞]|\]?\s*[0-9]{1,2}[)）]\s).*$")
#: a chosen value as printed: 「[ 特に力を入れている」, 「[ 100項目以上 ] 1） …」, or right-to-left
#: 「記録を残している[」, 「特に力を入れて行っている[ ＜選択肢＞」, 「]特に力を入れて周知している」
_VALUE_AFTER = re.compile(r"^\]?\s*\[\s*([^\[\]○\s][^\[\]○]*?)\s*(?:\].*)?$")
_VALUE_BEFORE = re.compile(r"^\]?\s*([^\[\]○\s0-9][^\[\]○]*?)\s*\[\s*\]?\s*(?:[<＜]選択肢[>＞].*)?$")
_VALUE_CLOSED = re.compile(r"^\]([^\s\[\]○0-9][^\[\]○]*)$")


def chosen_value(line: str) -> str | None:
    """The value of a single choice printed on this line, if it is one."""
    text = line.strip()
    for rx in (_VALUE_AFTER, _VALUE_BEFORE, _VALUE_CLOSED):
        m = rx.match(text)
        if m:
            value = _CUT_OPTIONS.sub("", m.group(1)).strip()
            if value and "（" not in value[:1]:
                return value
    return None


def is_check_line(line: str) -> bool:
    """A line of a checkbox group, or half of one: 「[ ○ ] 紙 [ ○」, 「] 電子メール」."""
    t = line.strip()
    return bool(re.search(r"\[\s*○?\s*\]", t) or re.match(r"^○?\s*\]\s+\S", t) or re.search(r"\[\s*○?$", t))


def split_boxes(lines: list[str]) -> list[tuple[str, str]]:
    """(mark, label) of each box of a checkbox group whose brackets the
    extraction split: a 「[」 left open at the end of a line is closed by the
    next unmatched 「]」 (「[ ○」 … 「] 紙」), in order; the ○ may stay with
    either half, and a box's label is the text after its 「]」."""
    boxes: list[tuple[str, str]] = []
    waiting: list[str] = []  # marks of boxes opened on an earlier line
    for line in lines:
        inside: str | None = None  # the text since an 「[」 on this line
        closed: int | None = None  # the box whose label comes next
        tokens = re.findall(r"\[|\]|[^\[\]]+", line.strip())
        if len(tokens) > 1 and tokens[0] not in "[]" and tokens[1] == "]":
            # 「○ ] 地方公共団体…」: the inside of a box whose 「[」 was on an earlier line
            inside = tokens[0] + (waiting.pop(0) if waiting else "")
            tokens = tokens[1:]
        for tok in tokens:
            if tok == "[":
                inside, closed = "", None
            elif tok == "]":
                if inside is not None:
                    mark = "○" if "○" in inside else ""
                else:
                    mark = waiting.pop(0) if waiting else ""
                boxes.append((mark, ""))
                closed, inside = len(boxes) - 1, None
            elif inside is not None:
                inside += tok
            elif closed is not None:
                mark, _ = boxes[closed]
                label = tok.strip()
                if label.startswith("○"):  # 「] ○ 紙」: the mark stayed with this half
                    mark, label = "○", label[1:].strip()
                boxes[closed] = (mark, label)
                closed = None
        if inside is not None:
            waiting.append("○" if "○" in inside else "")
    return [(mark, label) for mark, label in boxes if label]


def options_of(lines: list[tuple[int, str]]) -> list[str]:
    """「1） 特に力を入れている 2） 十分である」 lines, printed in any order → the options by number."""
    found: dict[int, str] = {}
    for _, text in lines:
        for no, label in re.findall(r"([0-9]{1,2})[)）]\s*(.+?)(?=\s*[0-9]{1,2}[)）]|\s*[\[\]<＜]|$)", text):
            found.setdefault(int(no), label.strip())
    return [found[k] for k in sorted(found)]


def check_group(found: list[tuple[str, str]], raw: str) -> tuple[dict, list[dict]]:
    """A checkbox group, and the sub-items its options carry: a count
    (「提供を行っている （ 60 ） 件」) or a detail (「行政機関・独立行政法人等 （ 機構 ）」)."""
    options, checked, other, subs = [], [], None, []
    for mark, label in found:
        label = label.strip()
        if not label:
            continue  # a box whose label went to the other half of a split bracket
        m = re.match(r"^その他\s*[(（]\s*(.*)$", label)
        if m:
            label = "その他"
            detail = m.group(1).strip()
            # the group's closing parenthesis, unless it closes one inside the text
            if detail.endswith(("）", ")")) and detail.count("（") + detail.count("(") < detail.count("）") + detail.count(")"):
                detail = detail[:-1].strip()
            if detail:
                other = detail
        elif m := re.match(r"^(.+?)\s*([(（]\s*([0-9０-９]*)\s*[)）]\s*件)$", label):
            label = m.group(1).strip()
            sub: dict = {"label": label, "count": {"declared": int(nfkc(m.group(3))) if m.group(3) else None,
                                                   "raw": m.group(2)}}
            subs.append(sub)
        elif m := re.match(r"^(.+?)\s*[(（]\s*(.+?)\s*[)）]$", label):
            if not re.search(r"[(（]", m.group(1)):
                label = m.group(1).strip()
                subs.append({"label": label, "text": m.group(2)})
        options.append(label)
        if mark:
            checked.append(label)
    out: dict = {"checked": checked, "options": options, "raw": raw}
    if other:
        out["other"] = other
    return out, subs
