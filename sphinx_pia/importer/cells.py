"""Reading one cell of an extracted form: HTML markup, single choices (選択肢),
checkbox groups and declared counts.

The extraction keeps some of the PDF's HTML (``<p>``, ``<input type="checkbox"/>``)
but the form itself prints angle brackets around Japanese words
(「<選択肢>」, 「<中間サーバー・ソフトウェアにおける措置>」).  Only tags whose name
is ASCII are markup; anything else is text and is kept.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

#: Block-level tags: their boundaries become line breaks in the text.
BLOCK_TAG = re.compile(r"</?(?:p|li|br|div|tr|ul|ol|table|tbody|td|th|small)\b[^<>]*>", re.I)
#: Any tag with an ASCII name. 「<選択肢>」 does not match: its name is not ASCII.
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")

CHOICE_LABEL = re.compile(r"[<＜〈]選択肢[>＞〉]")
#: A checkbox or radio as the extraction prints it: 「[<input …/>]」, 「<input …/>」, 「[]」, 「[○]」, 「[O]」.
CHECK_MARK = re.compile(r"\[<input[^<>]*/>\]|<input[^<>]*/>|\[\s*\]|\[[○〇OoＯ]\]")
OPTION_NO = re.compile(r"(?:^|\s)(\d{1,2})\)\s*")
COUNT = re.compile(r"\(\s*(\d*)\s*\)\s*件")


def has_markup(text: str) -> bool:
    return bool(TAG.search(text))


def clean(cell: str) -> str:
    """The readable text of a cell: markup removed, blocks on their own lines,
    every other character kept."""
    text = BLOCK_TAG.sub("\n", cell)
    text = TAG.sub("", text)
    text = html.unescape(text)
    parts = [p.strip() for p in text.replace("\t", "\n").split("\n")]
    return "\n".join(p for p in parts if p)


def nfkc(text: str) -> str:
    """Normalized form for matching only (labels, keywords); never stored."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_choice(cell: str) -> bool:
    return bool(CHOICE_LABEL.search(cell))


def is_checks(cell: str) -> bool:
    return bool(CHECK_MARK.search(cell))


@dataclass
class Choice:
    value: str | None
    options: list[str]
    raw: str
    count_raw: str | None = None
    count: int | None = None
    bracketed: bool = True  # the value was printed inside [ ]
    repeated: bool = False  # the option list is printed more than once


def parse_choice(cell: str) -> Choice:
    """「[値] <選択肢> 1) A 2) B」 in its many printed shapes (see the seed notes §5.2)."""
    text = CHECK_MARK.sub(lambda m: " " if "[" not in m.group(0) else "[ ]" if "<input" in m.group(0) else m.group(0), cell)
    text = " ".join(clean(text).split())
    text = CHOICE_LABEL.sub(" ", text)
    first = re.search(r"(?:^|\s)1\)\s*", text)
    head, opts = (text[: first.start()], text[first.start():]) if first else (text, "")
    pieces = OPTION_NO.split(opts)
    options: list[str] = []
    for i in range(1, len(pieces), 2):
        options.append(pieces[i + 1].strip())
    count_raw = count = None
    tail = options[-1] if options else head
    m = COUNT.search(tail)
    if m:
        count_raw = m.group(0).strip()
        count = int(m.group(1)) if m.group(1) else None
        if options:
            options[-1] = options[-1][: m.start()].strip()
        else:
            head = head[: m.start()] + head[m.end():]
    unique: list[str] = []
    for o in options:
        if o and o not in unique:
            unique.append(o)
    values = [v.strip() for v in re.findall(r"\[([^\[\]]*)\]", head) if v.strip()]
    if values:
        value, bracketed = values[0], True
    else:
        loose = " ".join(head.replace("[", " ").replace("]", " ").split())
        value, bracketed = (loose or None), False
    return Choice(value, unique, cell, count_raw, count, bracketed, len(unique) != len(options))


@dataclass
class CheckOption:
    label: str
    checked: bool
    detail: str | None  # text in parentheses after the label: 「その他 (住基ネット)」
    count_raw: str | None = None  # 「(56) 件」 after 「提供を行っている」
    count: int | None = None
    radio: bool = False


@dataclass
class CheckGroup:
    options: list[CheckOption]
    raw: str

    @property
    def checked(self) -> list[str]:
        # a group printed several times over (seed notes §5.1) lists each option once
        return list(dict.fromkeys(o.label for o in self.options if o.checked))

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(o.label for o in self.options))

    @property
    def other(self) -> str | None:
        for o in self.options:
            if o.label == "その他" and o.detail:
                return o.detail
        return None


#: filled-in text after an option: 「その他 (住基ネット)」.  Without the space the
#: parenthesis belongs to the printed option (「電子記録媒体(フラッシュメモリを除く。)」).
_DETAIL = re.compile(r"\s+[(（](.*)[)）]$")
#: 「(56) 件」, and the broken 「() 4) 件」 (seed notes §5.2)
_OPTION_COUNT = re.compile(r"\s*(\(\s*(\d*)\s*\)\s*(?:(\d+)\)\s*)?件)$")
_CHECKED_MARK = re.compile(r"^\[[○〇OoＯ]\]$")


def parse_checks(cell: str) -> CheckGroup:
    """Options of a checkbox group; a mark is checked when it says so (checked, ○, O)."""
    text = BLOCK_TAG.sub(" ", cell).replace("\t", " ")
    marks = list(CHECK_MARK.finditer(text))
    options: list[CheckOption] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = html.unescape(TAG.sub("", text[m.end():end])).strip()
        label = re.sub(r"\s+・\S+$", "", label)  # a group heading (「・業務関係情報」) that follows the option
        label = " ".join(label.split())
        detail = count_raw = count = None
        cm = _OPTION_COUNT.search(label)
        if cm:
            count_raw = cm.group(1)
            digits = cm.group(2) or cm.group(3)
            count = int(digits) if cm.group(2) else None
            label = label[: cm.start()].strip()
            if not digits:
                count_raw = count_raw if count_raw else None
        dm = _DETAIL.search(label)
        if dm:
            detail = dm.group(1).strip() or None
            label = label[: dm.start()].strip()
        mark = m.group(0)
        checked = "checked" in mark or bool(_CHECKED_MARK.match(mark))
        if label:
            options.append(CheckOption(label, checked, detail, count_raw, count, "radio" in mark))
    return CheckGroup(options, cell)
