"""Fidelity of content/unidentified-juki-changes/ against sources/002_888a27b7eecce7e7.txt.

The source is a 3-page fragment of a （別添２）変更箇所 table.  It is parsed here on its own terms: a row
starts with its 変更日 (``YYYY/M/D`` alone on a line), its 提出時期 is the line that is or ends with
「事前」/「事後」, and the 説明 follows it.  The 項目/変更前/変更後 cells have no delimiter between them in
the source, so the test checks that together they hold exactly the row's text between the date and the
提出時期, in order, and leaves the split to the curator's notes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_pia.loader import load_assessment
from sphinx_pia.model import Field

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "002_888a27b7eecce7e7.txt"
CONTENT = ROOT / "content" / "unidentified-juki-changes"

DATE_RE = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$")
TIMING_RE = re.compile(r"^(?:(?P<before>.*\S) )?(?P<timing>事前|事後)$")
TITLE_RE = re.compile(r"^（別添２）変更箇所$")
HEADER_RE = re.compile(r"^変更日 項目 変更前の記載 変更後の記載 提出時期 提出時期に係る説明$")
WS_RE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    return WS_RE.sub("", text or "")


def all_text(field: Field) -> str:
    """A field's text followed by the text of its sub-items, depth first."""
    return "".join((node.text or "") for node in field.walk())


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def rows(source_lines):
    """Rows parsed from the source: lists of (lineno, text), title/header lines excluded."""
    out = []
    for n, text in enumerate(source_lines, 1):
        if not text.strip() or TITLE_RE.match(text) or HEADER_RE.match(text):
            continue
        if DATE_RE.match(text):
            out.append([(n, text)])
        else:
            assert out, f"L{n}: text before the first row"
            out[-1].append((n, text))
    return out


@pytest.fixture(scope="module")
def assessment():
    return load_assessment(CONTENT, ROOT / "content")


def test_document(assessment):
    doc = assessment.doc
    assert doc.status.value == "fragment"
    assert doc.form.kind.value == "juten"
    assert doc.form.stamp is not None and doc.form.stamp.gap is not None and "推定" in (doc.form.stamp.note or "")
    assert doc.organization.kind.value == "unidentified"
    assert doc.source.file == SOURCE.name
    assert not doc.parts and not doc.cover and not assessment.files
    wheres = " ".join(g.where for g in doc.gaps)
    for part in ("表紙", "I 基本情報", "II 特定個人情報ファイルの概要", "III リスク対策", "IV 開示請求", "V 評価実施手続", "評価実施機関"):
        assert part in wheres, part


def test_title_and_header(assessment, source_lines):
    log = assessment.changes
    title = [n for n, t in enumerate(source_lines, 1) if TITLE_RE.match(t)]
    header = [n for n, t in enumerate(source_lines, 1) if HEADER_RE.match(t)]
    assert len(title) == len(header) == 1
    assert (log.title.line, log.title.text) == (title[0], source_lines[title[0] - 1])
    assert (log.header.line, log.header.text) == (header[0], source_lines[header[0] - 1])


def test_entry_count_and_dates(assessment, rows):
    entries = assessment.changes.entries
    assert len(rows) == 12  # the notes on seed 002 count 12 rows
    assert len(entries) == len(rows)
    for entry, row in zip(entries, rows):
        assert entry.line == row[0][0]
        assert (entry.date.line, entry.date.text) == row[0]
        assert entry.end_line == row[-1][0]


def _split(row):
    """(lines between date and 提出時期, the 提出時期 line, lines after it) of a source row."""
    timings = [i for i, (_, t) in enumerate(row) if TIMING_RE.match(t)]
    assert len(timings) == 1, row[0]
    i = timings[0]
    return row[1:i], row[i], row[i + 1:]


def test_cells_hold_the_row_text(assessment, rows):
    for entry, row in zip(assessment.changes.entries, rows):
        middle, (tline, ttext), after = _split(row)
        m = TIMING_RE.match(ttext)
        where = f"entry at L{entry.line}"
        # 提出時期
        assert (entry.timing.line, entry.timing.text) == (tline, m.group("timing")), where
        # 項目 + 変更前 + 変更後 = everything between the date and the 提出時期, in order
        expected = squash("".join(t for _, t in middle) + (m.group("before") or ""))
        got = squash((entry.item.text or "") + (entry.before.text or "") + (entry.after.text or ""))
        assert got == expected, where
        # the 項目 starts right after the date with a part numeral
        assert entry.item.line == middle[0][0], where
        assert re.match(r"^[ⅠⅡⅢ]", entry.item.text), where
        # 提出時期に係る説明 (with any orphan text kept under it) = everything after the 提出時期
        assert squash(all_text(entry.reason)) == squash("".join(t for _, t in after)), where
        assert entry.reason.line == after[0][0], where
        # provenance of the cells stays inside the row
        for f in (entry.item, entry.before, entry.after, entry.reason):
            if f.line is not None:
                assert row[0][0] <= f.line <= (f.end_line or f.line) <= row[-1][0], where


def test_clipped_and_empty_cells(assessment):
    """A cell cut mid-sentence is marked clipped; a complete cell is not, and an absent one is a gap."""
    for entry in assessment.changes.entries:
        for f in (entry.before, entry.after):
            where = f"entry at L{entry.line}"
            if f.text is None:
                assert f.gap is not None and f.note, where
                continue
            last = f.text.rstrip().splitlines()[-1]
            complete = last.endswith(("。", "）", "＞", "新規追加"))
            if f.gap is not None and f.gap.value == "clipped":
                assert not complete and f.note, where
            else:
                assert complete, (where, last)


def test_unresolved(assessment):
    for entry in assessment.changes.entries:
        assert not entry.targets
        assert entry.resolution.value == "unresolved"
        assert entry.resolution_note and "content/" in entry.resolution_note


def test_nothing_lost(assessment, source_lines):
    """Every non-empty source line appears, whitespace-insensitively, in the change log.

    No exclusions: title and header are fields, and a line shared by two cells
    (「新規追加 事後」) is found in the entry's cells joined in column order.
    """
    log = assessment.changes
    haystacks = [squash(log.title.text), squash(log.header.text)]
    for e in log.entries:
        haystacks.append(squash("".join(all_text(f) for f in (e.date, e.item, e.before, e.after, e.timing, e.reason))))
    missing = [
        (n, t) for n, t in enumerate(source_lines, 1) if squash(t) and not any(squash(t) in h for h in haystacks)
    ]
    assert not missing, missing
