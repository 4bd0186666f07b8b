"""Fidelity of content/sapporo-juki/annex-1.yaml against sources/001_c929cc07fcd15d36.txt.

The （別紙１） table (番号法第19条第８号に基づく主務省令第２条の表に定める事務) runs from the first
column header 「項番 情報照会者 事務 情報提供者 特定個人情報」 to the end of the file.  The source is
parsed here on its own terms (a row starts with its 項番 at the start of a line) and compared with the
YAML, which is loaded on its own (read_yaml + validate_model) so that the test does not depend on the
other files of the assessment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_pia.loader import read_yaml, validate_model
from sphinx_pia.model import Annex

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "001_c929cc07fcd15d36.txt"
ANNEX = ROOT / "content" / "sapporo-juki" / "annex-1.yaml"

HEADER = "項番 情報照会者 事務 情報提供者 特定個人情報"
TITLE_RE = re.compile(r"^\s*（別紙１）番号法第19条第８号に基づく主務省令第２条の表に定める事務\s*$")
ROW_START_RE = re.compile(r"^(\d{1,3})(?: (\S.*))?$")
WS_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    return WS_RE.sub("", text)


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def table(source_lines):
    """(header lines, title lines, rows) parsed from the source; rows are lists of (lineno, text)."""
    start = next(i for i, t in enumerate(source_lines, 1) if t.strip() == HEADER)
    headers, titles, rows = [], [], []
    for n in range(start, len(source_lines) + 1):
        text = source_lines[n - 1]
        if not text.strip():
            continue
        if text.strip() == HEADER:
            headers.append(n)
        elif TITLE_RE.match(text):
            titles.append(n)
        elif ROW_START_RE.match(text):
            rows.append([(n, text)])
        else:
            assert rows, f"L{n}: text before the first row: {text!r}"
            rows[-1].append((n, text))
    return headers, titles, rows


@pytest.fixture(scope="module")
def annex() -> Annex:
    data, positions = read_yaml(ANNEX, str(ANNEX))
    return validate_model(Annex, data, positions, str(ANNEX))


def test_source_shape(table):
    headers, titles, rows = table
    # the notes on seed 001 describe 7 pages, each with the header and the title
    assert len(headers) == len(titles) == 7
    assert len(rows) == 60


def test_header_and_title(annex, table, source_lines):
    headers, titles, _ = table
    assert annex.no == "1"
    assert annex.kind == "provision"
    assert annex.header_lines == headers
    assert annex.columns == HEADER.split(" ")
    assert annex.title.line in titles
    assert annex.title.text == source_lines[annex.title.line - 1].strip()
    assert annex.columns[annex.basis_column] == "項番"
    assert annex.columns[annex.recipient_column] == "情報照会者"


def test_rows_match_source(annex, table):
    _, _, rows = table
    assert len(annex.rows) == len(rows)
    for row, src in zip(annex.rows, rows):
        first_line, first_text = src[0]
        m = ROW_START_RE.match(first_text)
        where = f"row at L{first_line}"
        assert len(row.cells) == len(annex.columns), where
        assert row.line == first_line, where
        assert row.end_line == src[-1][0], where
        assert row.cells[annex.basis_column] == m.group(1), where
        if m.group(2):  # 情報照会者 printed on the 項番 line: it is the whole cell
            assert row.cells[annex.recipient_column] == m.group(2), where
        # every cell non-empty, no wrap break or stray space kept
        for cell in row.cells:
            assert cell and cell == squash(cell), (where, cell)
        # the cells, in column order, are exactly the row's source text without its wrap breaks
        assert "".join(row.cells) == squash("".join(t for _, t in src)), where
        # 情報提供者 is printed at the start of a line of its own (sometimes followed by the 特定個人情報)
        provider = row.cells[3]
        assert any(t == provider or t.startswith(provider + " ") for _, t in src[1:]), where


def test_basis_numbers_unique_and_ascending(annex):
    numbers = [int(r.cells[annex.basis_column]) for r in annex.rows]
    assert numbers == sorted(set(numbers))


def test_nothing_lost(annex, table, source_lines):
    """Every non-empty source line of the table appears (whitespace-insensitively) in the YAML.

    No exclusions: the header lines are matched by the columns, the repeated titles by the title.
    """
    headers, titles, rows = table
    haystacks = [squash(annex.title.text), squash("".join(annex.columns))]
    haystacks += [squash("".join(r.cells)) for r in annex.rows]
    start = headers[0]
    missing = []
    for n in range(start, len(source_lines) + 1):
        needle = squash(source_lines[n - 1])
        if needle and not any(needle in h for h in haystacks):
            missing.append((n, source_lines[n - 1]))
    assert not missing, missing
