"""Fidelity of Ⅲ (リスク対策) of the three files of content/sapporo-juki against
sources/001_c929cc07fcd15d36.txt.

The source is the interleaved PDF extraction (rows of a page often printed bottom-up,
labels start with one ASCII space).  Ⅲ is printed three times, once per 特定個人情報ファイル;
the first copy starts a few lines before its heading (at the foot of the 別添2 page) and the last
one ends at the page break before Ⅳ's content.  The source is parsed here on its own terms
(regexes over the lines of each Ⅲ range) and compared with ``risk_measures`` of file-1..3.yaml,
loaded through the loader.

Set ``PIA_SAPPORO_DIR`` to check another directory than content/sapporo-juki (e.g. a merge
preview).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from sphinx_pia.loader import load_assessment

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "001_c929cc07fcd15d36.txt"
CONTENT = Path(os.environ.get("PIA_SAPPORO_DIR", ROOT / "content" / "sapporo-juki"))

III_RE = re.compile(r"^Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※")  # not the 項目一覧 entry
IV_RE = re.compile(r"^Ⅳ　その他のリスク対策")
RISK_RE = re.compile(r"^ (リスク([１-９])：)　?(.+)$")
SECTION_RE = re.compile(r"(?:^ |\[ |○\[ )([１-７])．(\S+)")
EVAL = "リスクへの対策は十分か"
EVAL_RE = re.compile(EVAL + r" \[ ?([^\s\]]*)")
OTHER = "その他のリスク及びそのリスクに対する措置"
ITAKU_FIRST = " 委託先による特定個人情報の不正入手・不正な使用に関するリスク"
ITAKU_LAST = " 再委託に関するリスク"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
ZEN = "０１２３４５６７８９"
WS_RE = re.compile(r"\s+")

# Lines that are pure form furniture: option lists (「1） 特に力を入れている 2） 十分である」),
# the 「＜選択肢＞」 marker and lone brackets.  Their words are still checked token by token against
# the YAML (options, labels), only the numbering and brackets are dropped.
FURNITURE_RE = re.compile(r"＜選択肢＞|[0-9][）)]|[\[\]○]")


def squash(text: str) -> str:
    return WS_RE.sub("", text or "")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def _blank_run_after(lines: list[str], i: int) -> int:
    """Index of the first line of the first run of 3 blank lines at or after i (0-based)."""
    while i < len(lines):
        if all(not lines[j].strip() for j in range(i, min(i + 3, len(lines)))):
            return i
        i += 1
    return len(lines)


@pytest.fixture(scope="module")
def ranges(lines) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the three Ⅲ copies."""
    heads = [i for i, s in enumerate(lines) if III_RE.match(s)]
    assert len(heads) == 3, heads
    iv = next(i for i in range(heads[2], len(lines)) if IV_RE.match(lines[i]))
    # file 1 starts at the first form label (leading space) after the last 別添2 heading 「（３）送付先情報ファイル」
    bet = max(i for i in range(heads[0]) if lines[i].strip() == "（３）送付先情報ファイル")
    start1 = next(i for i in range(bet + 1, heads[0]) if lines[i].startswith(" "))
    # file 3 ends at the page break after its last evaluation before Ⅳ
    last_eval = max(i for i in range(heads[2], iv) if EVAL in lines[i])
    end3 = _blank_run_after(lines, last_eval) - 1
    starts = [start1, heads[1], heads[2]]
    ends = [heads[1] - 1, heads[2] - 1, end3]
    return [(a + 1, b + 1) for a, b in zip(starts, ends)]


@pytest.fixture(scope="module")
def assessment():
    return load_assessment(CONTENT)


@pytest.fixture(scope="module")
def parts(assessment):
    files = {f.no: f for f in assessment.files}
    assert set(files) >= {"1", "2", "3"}, sorted(files)
    return [files[n].risk_measures for n in ("1", "2", "3")]


def seg(lines, rng):
    a, b = rng
    return [(n, lines[n - 1]) for n in range(a, b + 1)]


def walk_fields(fields):
    for f in fields:
        yield f
        yield from walk_fields(f.items)


def all_fields(part):
    for sec in part.sections:
        if sec.choice:
            yield sec.choice
        yield from walk_fields(sec.items)
        for risk in sec.risks:
            if risk.title:
                yield risk.title
            yield from walk_fields(risk.items)


def risks(part):
    return [(sec, r) for sec in part.sections for r in sec.risks]


FILE = pytest.mark.parametrize("k", [0, 1, 2], ids=["file-1", "file-2", "file-3"])


def test_ranges(ranges):
    assert ranges[0][0] < ranges[0][1] < ranges[1][0] < ranges[1][1] < ranges[2][0] < ranges[2][1]


@FILE
def test_numbered_risks(k, lines, ranges, parts):
    """Every 「リスクN：」 title line of the source is a risk with that number and title."""
    src = Counter()
    for n, s in seg(lines, ranges[k]):
        m = RISK_RE.match(s)
        if m:
            src[(str(ZEN.index(m.group(2))), m.group(1), m.group(3).strip(), n)] += 1
    yaml = Counter()
    for _, r in risks(parts[k]):
        if r.no is not None:
            yaml[(r.no, r.title.label, r.title.text, r.title.line)] += 1
    assert sum(src.values()) >= 20
    assert yaml == src


@FILE
def test_risk_numbers_per_section(k, lines, ranges, parts):
    """Each section's risks are numbered 1..n without holes, and the 委託 section has one unnumbered risk."""
    for sec in parts[k].sections:
        nos = [r.no for r in sec.risks]
        if sec.no == "4":
            assert nos == [None]
        elif nos:
            assert sorted(nos, key=int) == [str(i) for i in range(1, len(nos) + 1)], (sec.no, nos)


@FILE
def test_itaku_heading(k, lines, ranges, parts):
    body = seg(lines, ranges[k])
    first = next(n for n, s in body if s == ITAKU_FIRST)
    last = next(n for n, s in body if s == ITAKU_LAST)
    heading = [lines[n - 1].strip() for n in range(first, last + 1) if lines[n - 1].strip()]
    (sec,) = [s for s in parts[k].sections if s.no == "4"]
    (risk,) = sec.risks
    assert risk.title.text.split("\n") == heading
    assert (risk.title.line, risk.title.end_line) == (first, last)


def test_totals(lines, ranges, parts):
    numbered = sum(1 for p in parts for _, r in risks(p) if r.no is not None)
    src_numbered = sum(1 for rng in ranges for _, s in seg(lines, rng) if RISK_RE.match(s))
    assert numbered == src_numbered == 63
    assert sum(1 for p in parts for _, r in risks(p) if r.no is None) == 3
    others = sum(1 for p in parts for f in all_fields(p) if f.key and f.key.value == "other_risks")
    assert others == sum(1 for rng in ranges for _, s in seg(lines, rng) if "その他のリスク及び" in s) == 18


@FILE
def test_evaluations(k, lines, ranges, parts):
    """One evaluation per risk; the evaluation lines and printed values are exactly those of the source."""
    src = {}
    for n, s in seg(lines, ranges[k]):
        if EVAL in s:
            m = EVAL_RE.search(s)
            src[n] = (m.group(1) if m else "") or None
    evs = {}
    for _, r in risks(parts[k]):
        es = [f for f in r.items if f.key and f.key.value == "evaluation"]
        assert len(es) == 1, (r.id, len(es))
        e = es[0]
        assert e.line not in evs, e.line
        evs[e.line] = e.select.value
        assert e.select.options == ["特に力を入れている", "十分である", "課題が残されている"]
        if e.select.value is None:
            assert e.gap is not None and e.gap.value == "empty", r.id
    assert len(evs) == len(src) == len(risks(parts[k]))
    assert evs == src


@FILE
def test_other_risk_boxes(k, lines, ranges, parts):
    src = []
    for n, s in seg(lines, ranges[k]):
        if s.startswith(" ") and ("その他のリスク及び" in s or s.rstrip().endswith("その他のリスク及びそのリスクに対")):
            label = s.strip()
            if not label.endswith(OTHER):  # wrapped label
                label += lines[n].strip()
            src.append((n, label))
    got = sorted((f.line, f.label) for f in all_fields(parts[k]) if f.key and f.key.value == "other_risks")
    assert len(src) == 6
    assert got == src
    for sec in parts[k].sections:
        if sec.no != "1":
            assert len([f for f in sec.items if f.key and f.key.value == "other_risks"]) == 1, sec.no


@FILE
def test_sections(k, lines, ranges, parts):
    src = {}
    for n, s in seg(lines, ranges[k]):
        m = SECTION_RE.search(s)
        if m and not s.startswith("（"):
            src[str(ZEN.index(m.group(1)))] = (n, m.group(2))
    got = {sec.no: (sec, sec.title) for sec in parts[k].sections}
    assert set(got) == set(src) == {str(i) for i in range(1, 8)}
    for no, (n, head) in src.items():
        sec, title = got[no]
        assert squash(title).startswith(squash(head).split("（")[0]), (no, title, head)
        assert sec.line <= n <= (sec.end_line or sec.line)


@FILE
def test_heading_choices(k, lines, ranges, parts):
    """「[ ] 委託しない」, 「[ ] 提供・移転しない」, 「接続しない（入手）/（提供）」 with the marked boxes."""
    body = seg(lines, ranges[k])
    secs = {s.no: s for s in parts[k].sections}
    for no, opts in (("4", ["委託しない"]), ("5", ["提供・移転しない"]), ("6", ["接続しない（入手）", "接続しない（提供）"])):
        ch = secs[no].choice
        assert ch is not None and ch.check.options == opts, no
        # the marks printed on the lines that hold these options
        src_lines = [s for _, s in body if any(o in s for o in opts)] + [s for _, s in body if re.search(r"[１-７]．", s) and ZEN[int(no)] + "．" in s]
        marks = sum(s.count("○") for s in dict.fromkeys(src_lines))
        assert len(ch.check.checked) == marks, (no, ch.check.checked, marks)


@FILE
def test_storage_risk1_subitems(k, lines, ranges, parts):
    """7-リスク１ has the ten items ①〜⑩, each with a chosen option, as printed."""
    body = seg(lines, ranges[k])
    assert any(s.startswith(" ７．特定個人情報の保管・消去") for _, s in body)
    src_labels = set()
    for n, s in body:
        for c in CIRCLED:
            if re.search(r"(^ |\s)" + c + r"\S", s):
                src_labels.add(c)
    assert src_labels == set(CIRCLED)
    (sec,) = [s for s in parts[k].sections if s.no == "7"]
    r1 = next(r for r in sec.risks if r.no == "1")
    subs = [f for f in r1.items if f.label and f.label[0] in CIRCLED]
    assert [f.label[0] for f in subs] == list(CIRCLED)
    for f in subs:
        assert f.select is not None and f.select.value, f.label
        assert f.select.value in f.select.options
        assert f.select.value in lines[f.line - 1] or any(
            f.select.value in lines[n - 1] for n in range(f.line, (f.end_line or f.line) + 1)), f.label


@FILE
def test_inline_choices(k, lines, ranges, parts):
    """Every 「 LABEL [ VALUE ...」 sub-question printed on one line is a field with that select value."""
    got = {(f.line, f.label, f.select.value) for f in all_fields(parts[k]) if f.select is not None}
    n_checked = 0
    for n, s in seg(lines, ranges[k]):
        m = re.match(r"^ (\S+) \[ ([^\s\]\[＜]+)", s)
        if m and not re.match(r"[１-７]．", m.group(1)):
            label, value = m.group(1), m.group(2)
            assert any(g[0] == n and g[1].endswith(label) and g[2] == value for g in got) or (n, label, value) in got, (n, s)
            n_checked += 1
    assert n_checked >= 10


@FILE
def test_field_lines_in_range(k, ranges, parts):
    a, b = ranges[k]
    part = parts[k]
    objs = list(all_fields(part)) + [s for s in part.sections] + [r for _, r in risks(part)]
    for o in objs:
        if o.line is not None:
            assert a <= o.line <= b, (o, a, b)
            assert o.line <= (o.end_line or o.line) <= b


def haystack(part) -> str:
    out = [squash(part.numeral or "") + squash(part.title or "")]
    for sec in part.sections:
        out.append(ZEN[int(sec.no)] + "．" + squash(sec.title))
    for f in all_fields(part):
        out.append(squash(f.label) + squash(f.text) + squash(f.raw))
        if f.select:
            out.append(squash(f.label) + squash(f.select.value))
            out += [squash(o) for o in f.select.options]
        if f.check:
            out.append(squash(f.check.raw))
            out += [squash(o) for o in f.check.options]
    return "|".join(out)


@FILE
def test_nothing_lost(k, lines, ranges, parts):
    """Every non-empty source line of the range is in the YAML (whitespace-insensitive).

    Lines of pure form furniture (option lists, 「＜選択肢＞」, brackets) are checked token by
    token after dropping their numbering and brackets; all other lines must appear whole, as the
    text of a field, its label followed by its text, or a heading.
    """
    hay = haystack(parts[k])
    missing = []
    for n, s in seg(lines, ranges[k]):
        if not s.strip():
            continue
        if FURNITURE_RE.search(s):
            for tok in FURNITURE_RE.sub(" ", s).split():
                if squash(tok) not in hay:
                    missing.append((n, tok))
        elif squash(s) not in hay:
            missing.append((n, s))
    assert not missing, missing[:20]
