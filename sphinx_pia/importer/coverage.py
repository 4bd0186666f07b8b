"""What the importer did with every line: the coverage report a reviewer reads
beside the draft.

Every non-empty source line ends up either *used* (it produced a value, a label
or a structure marker) or in ``unplaced``.  Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .source import SourceText


@dataclass
class Note:
    where: str  # a location in the form's own terms (「II ファイル1 3. ②入手方法」)
    line: int | None
    why: str


@dataclass
class SectionStat:
    where: str
    filled: int = 0
    empty: int = 0


@dataclass
class Coverage:
    source: SourceText
    used: set[int] = field(default_factory=set)
    low_confidence: list[Note] = field(default_factory=list)
    # the empty items, with an index by line: a value found later for an item drops its
    # note, and filtering the whole list each time made the import quadratic
    _empty: dict[int, Note] = field(default_factory=dict)
    _empty_at: dict[int | None, list[int]] = field(default_factory=dict)
    _keys: int = 0
    sections: dict[str, SectionStat] = field(default_factory=dict)
    problems: list[Note] = field(default_factory=list)

    def use(self, *lines: int) -> None:
        self.used.update(lines)

    def filled(self, section: str) -> None:
        self.sections.setdefault(section, SectionStat(section)).filled += 1

    def left_empty(self, section: str, where: str, line: int | None, why: str) -> None:
        self.sections.setdefault(section, SectionStat(section)).empty += 1
        self._keys += 1
        self._empty[self._keys] = Note(where, line, why)
        self._empty_at.setdefault(line, []).append(self._keys)

    def drop_empty(self, line: int | None, where_suffix: str = "") -> None:
        """Forget the empty-item notes at ``line`` (whose ``where`` ends with ``where_suffix``)."""
        keep = []
        for key in self._empty_at.get(line, []):
            note = self._empty.get(key)
            if note is not None and note.where.endswith(where_suffix):
                del self._empty[key]
            elif note is not None:
                keep.append(key)
        self._empty_at[line] = keep

    @property
    def empty(self) -> list[Note]:
        return list(self._empty.values())

    def low(self, where: str, line: int | None, why: str) -> None:
        self.low_confidence.append(Note(where, line, why))

    @property
    def unplaced(self) -> list[tuple[int, str]]:
        return [(ln.no, ln.raw) for ln in self.source.lines if not ln.blank and ln.no not in self.used]

    @property
    def placed_ratio(self) -> float:
        filled = [ln for ln in self.source.lines if not ln.blank]
        return sum(1 for ln in filled if ln.no in self.used) / len(filled) if filled else 1.0

    def markdown(self, title: str) -> str:
        """The report, in Japanese (it is read by the staff who review the draft)."""
        out = [f"# 取込みレポート: {title}", ""]
        src = self.source
        n_lines = sum(1 for ln in src.lines if not ln.blank)
        out += [
            f"- 元ファイル: `{src.path}`（文字コード {src.encoding}、レイアウト {src.layout}）",
            f"- 空でない行: {n_lines} 行、うち取り込んだ行 {n_lines - len(self.unplaced)} 行"
            f"（{self.placed_ratio:.1%}）、配置できなかった行 {len(self.unplaced)} 行",
            f"- 空欄として記録した項目: {len(self.empty)} 件、確度の低い値: {len(self.low_confidence)} 件",
            "",
            "## 節ごとの記入状況",
            "",
            "| 節 | 値のある項目 | 空欄の項目 |",
            "|---|---|---|",
        ]
        for stat in self.sections.values():
            out.append(f"| {_md(stat.where)} | {stat.filled} | {stat.empty} |")
        out += ["", "## 空欄の項目と理由", ""]
        out += [f"- {_at(n)} {_md(n.where)}: {_md(n.why)}" for n in self.empty] or ["なし"]
        out += ["", "## 確度の低い値（確認してください）", ""]
        out += [f"- {_at(n)} {_md(n.where)}: {_md(n.why)}" for n in self.low_confidence] or ["なし"]
        if self.problems:
            out += ["", "## 構造の問題", ""]
            out += [f"- {_at(n)} {_md(n.where)}: {_md(n.why)}" for n in self.problems]
        out += ["", "## 配置できなかった行（原文のまま）", ""]
        if self.unplaced:
            out += [f"- {no}行: `{_md(raw.strip()[:300])}`" for no, raw in self.unplaced]
        else:
            out.append("なし（空でない行はすべて取り込まれた）")
        return "\n".join(out) + "\n"


def _at(note: Note) -> str:
    return f"{note.line}行:" if note.line else "-"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\t", " ⇥ ")
