"""Checks across the values of one assessment, after each file passed the model.

The model checks each value alone (types, patterns, ranges); here are the rules
that relate values: IDs unique and references resolved, line ranges in order and
inside the source text, chosen values among their options, column numbers inside
the table, generated page names kept free.  Each problem names the file, line,
column and field path, and says what to do.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .model import Annex, Assessment, Checks, Selection
from .model.entities import ChangeEntry, Provision, SystemLink, Target
from .model.values import Provenance
from .pagenames import ASSESSMENT_PAGES, MAX_ID_LENGTH
from .problems import Problem, show
from .yamlsafe import Loc, Positions, dotted


@dataclass
class Part:
    """One YAML file of the assessment: its display path, model and positions."""

    path: str
    model: BaseModel
    positions: Positions

    @cached_property
    def objects(self) -> list[tuple[Loc, Any]]:
        """Every model object of the file with its path: walked once for all the checks."""
        return list(walk(self.model))

    def problem(self, loc: Loc, message: str, prefer_key: bool = False) -> Problem:
        found = self.positions.find(loc, prefer_key=prefer_key) or (None, None)
        return Problem(self.path, *found, dotted(loc), message)


def walk(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every model object with its field path (as used by Positions), without recursion."""
    stack = [(loc, obj)]
    while stack:
        loc, obj = stack.pop()
        if isinstance(obj, BaseModel):
            yield loc, obj
            children = [((*loc, info.alias or name), getattr(obj, name)) for name, info in type(obj).model_fields.items()]
            stack.extend(reversed(children))
        elif isinstance(obj, list):
            stack.extend(reversed([((*loc, i), child) for i, child in enumerate(obj)]))


# --- source text ----------------------------------------------------------------------

#: Largest source text whose lines are counted (the largest seed is about 0.5 MB).
MAX_SOURCE_BYTES = 256 * 1024 * 1024


def source_lines(sources: Path, name: str) -> tuple[int | None, str | None]:
    """(number of lines, None) of ``sources/<name>``, or (None, why it cannot be used)."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
        return None, f"原文ファイル名 '{show(name)}' は使えません。sources/ 直下のファイル名だけを書いてください（「/」や「..」は使えません）。"
    path = sources / name
    try:
        info = os.stat(path)
    except OSError:
        return None, f"原文ファイル sources/{show(name)} がありません。ファイル名を直すか、原文を sources/ に置いてください。"
    if not stat.S_ISREG(info.st_mode):
        return None, f"原文 sources/{show(name)} は通常のファイルではありません。原文のテキストファイルを置いてください。"
    if info.st_size > MAX_SOURCE_BYTES:
        return None, f"原文 sources/{show(name)} が大きすぎます（上限 {MAX_SOURCE_BYTES:,} バイト）。"
    lines = 1
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            while chunk := os.read(fd, 1 << 20):
                lines += chunk.count(b"\n")
        finally:
            os.close(fd)
    except OSError as exc:
        return None, f"原文 sources/{show(name)} を読めません（{exc.strerror or exc}）。"
    return lines, None


# --- the checks -------------------------------------------------------------------------


def check_assessment(assessment: Assessment, parts: list[Part], main: Part, sources: Path | None = None) -> list[Problem]:
    """Every problem relating values of ``assessment`` (its files already passed the model)."""
    problems: list[Problem] = []
    n_lines = None
    if sources is not None:
        n_lines, why = source_lines(sources, assessment.doc.source.file)
        if why:
            problems.append(main.problem(("source", "file"), why))
    for part in parts:
        problems.extend(_check_values(part, n_lines))
    problems.extend(_check_ids(assessment, parts))
    problems.extend(_check_citation_keys(assessment, parts))
    problems.extend(_check_references(assessment, parts))
    return problems


def _check_values(part: Part, n_lines: int | None) -> Iterator[Problem]:
    for loc, obj in part.objects:
        if isinstance(obj, Provenance):
            if obj.line is not None and obj.end_line is not None and obj.end_line < obj.line:
                yield part.problem((*loc, "end_line"), f"end_line {obj.end_line} が line {obj.line} より前です。範囲の最後の行を line 以上にしてください。")
            if obj.end_line is not None and obj.line is None:
                yield part.problem((*loc, "end_line"), "end_line だけがあり line がありません。値の最初の行を line に書いてください。")
            for name in ("line", "end_line"):
                value = getattr(obj, name)
                if n_lines is not None and value is not None and value > n_lines:
                    yield part.problem((*loc, name), f"{name} {value} は原文の行数（{n_lines} 行）を超えています。原文の行番号を確かめてください。")
        if isinstance(obj, Selection) and obj.value is not None and obj.options and obj.value not in obj.options:
            close = difflib.get_close_matches(obj.value, obj.options, n=1)
            hint = f"'{show(close[0])}' の誤りではありませんか。" if close else "options に加えるか value を直してください。"
            yield part.problem((*loc, "value"), f"選ばれた値 '{show(obj.value)}' が options にありません。{hint}")
        if isinstance(obj, Checks) and obj.options:
            for i, checked in enumerate(obj.checked):
                if checked not in obj.options:
                    yield part.problem((*loc, "checked", i), f"チェックされた '{show(checked)}' が options にありません。options に加えるか checked を直してください。")
            if len(set(obj.checked)) != len(obj.checked):
                yield part.problem((*loc, "checked"), "checked に同じ選択肢が2回以上あります。1回にしてください。")
        if isinstance(obj, Annex):
            n = len(obj.columns)
            for name in ("basis_column", "recipient_column"):
                value = getattr(obj, name)
                if value is not None and value >= n:
                    yield part.problem((*loc, name), f"{name} {value} は列の範囲外です（columns は {n} 列、0 から {n - 1} まで）。列番号（0 始まり）を直してください。")
            for i, line in enumerate(obj.header_lines):
                if line < 1 or (n_lines is not None and line > n_lines):
                    yield part.problem((*loc, "header_lines", i), f"行番号 {line} は原文の範囲外です（1 から {n_lines or '原文の行数'} まで）。")
                elif i and line <= obj.header_lines[i - 1]:
                    yield part.problem((*loc, "header_lines", i), f"header_lines は昇順に書いてください（{obj.header_lines[i - 1]} の次が {line}）。")
            for i, row in enumerate(obj.rows):
                if len(row.cells) > n:
                    yield part.problem((*loc, "rows", i, "cells"), f"セルが {len(row.cells)} 個あり、columns（{n} 列）より多くなっています。列見出しを加えるかセルを直してください。")


def _check_ids(assessment: Assessment, parts: list[Part]) -> Iterator[Problem]:
    """Pages are named after file and annex IDs; every ID ends up in URLs."""
    for part in parts:
        for loc, obj in part.objects:
            oid = getattr(obj, "id", None)
            if not isinstance(oid, str) or "id" not in type(obj).model_fields or obj is assessment.doc:
                continue
            if len(oid) > MAX_ID_LENGTH:
                yield part.problem((*loc, "id"), f"ID '{show(oid, 40)}' が長すぎます（{len(oid)} 文字、上限 {MAX_ID_LENGTH} 文字）。no を短くするか、短い id を書いてください。")
            elif loc == () and oid in ASSESSMENT_PAGES:  # a file or annex: its own page
                yield part.problem(("id",), f"ID '{oid}' は評価書のページの名前と重なります（予約名: {', '.join(sorted(ASSESSMENT_PAGES))}）。別の ID にしてください。")


#: Longest key of a legal reference: it names a page (laws/<key>.html) and a file.
MAX_REFERENCE_KEY = 160
_NUMERALS = "0123456789０１２３４５６７８９〇一二三四五六七八九十"


def _numeral_weight(text: str) -> int:
    """An upper bound on the digits a reference key can take from ``text`` (百 and 千 grow to 3–4 digits)."""
    return sum(1 for ch in text if ch in _NUMERALS) + 4 * (text.count("百") + text.count("千"))


def _check_citation_keys(assessment: Assessment, parts: list[Part]) -> Iterator[Problem]:
    """A citation with an absurdly long number (「第1111…条」) or 項番 would name a page no
    file system can hold; only texts with enough numerals for that are parsed."""
    from .citations import _slug, parse

    abbreviations = {ab.short: ab.full for ab in assessment.doc.abbreviations}
    for part in parts:
        for loc, obj in part.objects:
            text = getattr(obj, "text", None)
            if isinstance(text, str) and _numeral_weight(text) * 2 + 40 > MAX_REFERENCE_KEY:
                for ref in parse(text, abbreviations=abbreviations).references:
                    if len(ref.key) > MAX_REFERENCE_KEY:
                        yield part.problem((*loc, "text"), f"法令の参照「{show(ref.label(), 60)}」が長すぎてページを作れません（{len(ref.key)} 文字、上限 {MAX_REFERENCE_KEY} 文字）。条・号・項番の数字を確かめてください。")
                        break
            if isinstance(obj, Annex) and obj.basis_column is not None:
                for i, row in enumerate(obj.rows):
                    if obj.basis_column < len(row.cells) and len(_slug(row.cells[obj.basis_column])) > MAX_ID_LENGTH:
                        yield part.problem((*loc, "rows", i, "cells", obj.basis_column), f"項番のセルが長すぎます（上限 {MAX_ID_LENGTH} 文字）。basis_column が項番の列を指しているか確かめてください。")


def _check_references(assessment: Assessment, parts: list[Part]) -> list[Problem]:
    """Duplicate IDs and references that point nowhere."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    refs: list[tuple[Part, Loc, str, str]] = []  # (part, loc, ref, what)
    entries: list[str] = []
    for part in parts:
        for loc, obj in part.objects:
            obj_id = getattr(obj, "id", None)
            if obj_id and not isinstance(obj, (Target, SystemLink)) and "id" in type(obj).model_fields and obj is not assessment.doc:
                if obj_id in seen:
                    problems.append(part.problem((*loc, "id"), f"ID '{obj_id}' が重複しています（{seen[obj_id]} でも使われています）。IDは評価書の中で一意にしてください。"))
                else:
                    seen[obj_id] = f"{part.path}:{(part.positions.find(loc) or ('?',))[0]}"
            if isinstance(obj, SystemLink):
                refs.append((part, (*loc, "system"), obj.system, "system"))
            elif isinstance(obj, Target):
                refs.append((part, (*loc, "ref"), obj.ref, "section or object"))
            elif isinstance(obj, Provision) and obj.annex:
                refs.append((part, (*loc, "annex"), obj.annex, "annex"))
            elif isinstance(obj, ChangeEntry):
                if obj.duplicate_of:
                    if obj.duplicate_of == obj.id:
                        problems.append(part.problem((*loc, "duplicate_of"), "duplicate_of が自分自身を指しています。同じ内容の前の行の ID にしてください。"))
                    else:
                        refs.append((part, (*loc, "duplicate_of"), obj.duplicate_of, "change entry"))
                entries.append(obj.id)
    seen.setdefault("cover", f"{parts[0].path} (表紙)")  # the cover is a target too: 「表紙-公表日」
    valid_by_kind = {
        "system": {s.id for s in assessment.systems},
        "annex": {a.id for a in assessment.annexes},
        "change entry": set(entries),
    }
    for part, loc, ref, what in refs:
        valid = valid_by_kind.get(what, seen.keys())
        label = {"system": "システム", "annex": "別紙", "section or object": "節・項目", "change entry": "変更箇所"}[what]
        if ref not in valid:
            close = difflib.get_close_matches(ref, sorted(valid), n=1)
            hint = f"'{close[0]}' の誤りではありませんか。" if close else f"定義するか参照を直してください（{label}のIDは {len(valid)} 個あります）。"
            problems.append(part.problem(loc, f"'{ref}' はこの評価書の{label}を指していません。{hint}"))
    return problems
