"""Fidelity of content/fujimino-juki/ against sources/000_15f2a45ded04b7a0.txt.

The source is the tab-separated extraction of ふじみ野市's 住民基本台帳事務 重点項目評価書.  It is parsed
here on its own terms, independently of the generator that produced the YAML: blocks are cut at the
part headings (「II 特定個人情報ファイルの概要」, 「Ⅲ リスク対策 …」), entities are found by their
printed labels (「システムN」, 「委託事項N」, 「提供先N」/「移転先N」, 「リスクN:」), the 別添1 lists are split
on 「、」, the change rows are the lines that start with a 和暦 date, and the 別紙 rows are the lines
that start with a number cell.  Counts always come from the source, never from the YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_pia.loader import load_assessment

from fidelity_common import DASH_RE, squash, yaml_corpus

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "000_15f2a45ded04b7a0.txt"
CONTENT = ROOT / "content" / "fujimino-juki"

DATE_ROW_RE = re.compile(r"^(?:<p>)?(?:平成|令和)\d+年\d+月\d+日(?:</p>)?\t")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def assessment():
    return load_assessment(CONTENT, ROOT / "content")


def numbered(lines):
    return list(enumerate(lines, 1))


def blocks(lines, start_re: str, stop_re: str):
    """Line-number ranges [a, b) of blocks that start at start_re and end at the next start or stop_re."""
    body = lines.index("I 基本情報", 30)  # skip the 項目一覧 on the cover, which repeats the part headings
    starts = [n for n, t in numbered(lines) if n > body and re.match(start_re, t)]
    stop = next(n for n, t in numbered(lines) if n > body and re.match(stop_re, t))
    ends = starts[1:] + [stop]
    return list(zip(starts, ends))


@pytest.fixture(scope="module")
def ii_blocks(lines):
    return blocks(lines, r"^II 特定個人情報ファイルの概要$", r"^\(別添1\)")


@pytest.fixture(scope="module")
def iii_blocks(lines):
    return blocks(lines, r"^Ⅲ リスク対策", r"^IV 開示請求")


def block_lines(lines, rng):
    a, b = rng
    return [(n, lines[n - 1]) for n in range(a, b)]


# ------------------------------------------------------------------ document


def test_document(assessment):
    doc = assessment.doc
    assert doc.id == "fujimino-juki"
    assert doc.organization.id == "saitama-fujimino" and doc.organization.prefecture == "埼玉県"
    assert doc.form.kind.value == "juten" and doc.status.value == "published"
    assert doc.source.file == SOURCE.name and doc.source.layout == "tsv"
    assert [p.kind.value for p in doc.parts] == ["basic", "disclosure", "procedures"]
    wheres = " ".join(g.where for g in doc.gaps)
    for needle in ("システム2", "ファイル2", "ファイル4", "ファイル5", "III ファイル2", "(別添2)"):
        assert needle in wheres, needle


def test_cover(assessment, lines):
    cover = {f.key.value: f for f in assessment.doc.cover if f.key}
    label_of = {"declaration": "個人のプライバシー等の権利利益の保護の宣言", "special_notes": "特記事項",
                "organization_name": "評価実施機関名", "published_on": "公表日"}
    for key, label in label_of.items():
        n = lines.index(label) + 1
        value_line = next(k for k in range(n + 1, len(lines) + 1) if lines[k - 1].strip())
        assert cover[key].text == lines[value_line - 1] and cover[key].line == value_line
    no, name = lines[5].split("\t")
    assert cover["number"].text == no and cover["title"].text == name
    toc = [t for t in lines[lines.index("項目一覧") + 1: lines.index("項目一覧") + 10] if t.strip()]
    assert [i.text for i in cover["toc"].items] == toc


# ------------------------------------------------------------------ I.2 systems


def test_systems(assessment, lines):
    a = lines.index("I 基本情報", 30)  # the part heading, not the 項目一覧 entry
    b = next(i for i, t in enumerate(lines) if t.startswith("3. 特定個人情報ファイル名"))
    printed = {}
    for i in range(a, b):
        m = re.match(r"^システム(\d+)\t", lines[i])
        if m:
            name = lines[i + 1].split("\t")[1]
            printed[m.group(1)] = (i + 1, name)
    placeholders = [lines[i].split("\t")[0] for i in range(a, b) if re.match(r"^システム\d+～\d+\t", lines[i])]
    present = {s.no: s for s in assessment.systems if s.gap is None}
    assert set(present) == set(printed)
    for no, (line, name) in printed.items():
        assert present[no].line == line
        assert present[no].get("system_name").text == name
    # every number below the highest printed one that is not printed is recorded as missing
    missing = {str(k) for k in range(1, max(map(int, printed)) + 1)} - set(printed)
    assert {s.no for s in assessment.systems if s.gap is not None and s.gap.value == "missing"} == missing
    sec = assessment.part("basic").sections[1]
    assert [f.label for f in sec.items] == placeholders


# ------------------------------------------------------------------ files and 別添1


def test_files(assessment, lines):
    listing = next(t for t in lines if t.startswith("1. 住民基本台帳ファイル 2."))
    names = re.findall(r"(\d)\. (\S+)", listing)
    assert [(f.no, f.name.text) for f in assessment.files] == names


def test_record_items(assessment, lines):
    a = lines.index("(別添1) 特定個人情報ファイル記録項目", 100)  # not the 項目一覧 entry
    b = next(i for i, t in enumerate(lines) if t.startswith("Ⅲ リスク対策"))
    heads = [(i, t) for i, t in enumerate(lines[a:b], a) if re.match(r"^\d\. ", t)]
    assert len(heads) == len(assessment.files)
    for (i, head), f in zip(heads, assessment.files):
        j = next(k for k in range(i + 1, b) if lines[k].strip())
        expected = lines[j].split("、")
        ri = f.record_items
        assert ri.heading == head and ri.raw == lines[j]
        assert [r.name for r in ri.all] == expected, f.no
        assert all(r.line == j + 1 for r in ri.all)


# ------------------------------------------------------------------ II entities


def test_entrustments(assessment, lines, ii_blocks):
    assert len(ii_blocks) == len(assessment.files)
    for rng, f in zip(ii_blocks, assessment.files):
        bl = block_lines(lines, rng)
        titles = []
        for k, (n, t) in enumerate(bl):
            m = re.match(r"^委託事項(\d+)(?:\t(.*?))?\t?$", t)
            if m:
                titles.append((m.group(1), m.group(2) or bl[k + 1][1].rstrip("\t")))
        contractors = [re.split(r"[ \t]", t.rstrip("\t"), maxsplit=1)[1] for n, t in bl if t.startswith("③委託先名")]
        ents = [e for s in f.overview.sections for e in s.entrustments]
        assert [(e.no, e.title.text) for e in ents] == titles, f.no
        assert [e.get("contractor").text for e in ents] == contractors
        placeholders = [t.split("\t")[0] for n, t in bl if re.match(r"^委託事項\d+～\d+\t", t)]
        sec4 = next(s for s in f.overview.sections if s.no == "4")
        assert [i.label for i in sec4.items if i.label and "～" in i.label] == placeholders


def test_provisions_and_transfers(assessment, lines, ii_blocks):
    for rng, f in zip(ii_blocks, assessment.files):
        bl = block_lines(lines, rng)
        for kind, attr in (("提供先", "provisions"), ("移転先", "transfers")):
            printed = [(re.match(rf"^{kind}(\d+)", t).group(1), n) for n, t in bl if re.match(rf"^{kind}\d+\t", t)]
            present = [(p.no, p.line) for s in f.overview.sections for p in getattr(s, attr)]
            assert present == printed, (f.no, kind)
            ph = [t.split("\t")[0] for n, t in bl if re.match(rf"^{kind}\d+～\d+\t", t)]
            got = [i.label for s in f.overview.sections for i in s.items if i.label and i.label.startswith(kind)]
            assert got == ph
    f1 = assessment.files[0]
    sec5 = next(s for s in f1.overview.sections if s.no == "5")
    assert sec5.provisions[0].annex == "annex-1" and sec5.transfers[0].annex == "annex-2"
    # the declared counts are kept as printed
    m = re.search(r"提供を行っている \((\d+)\) 件.*移転を行っている \((\d+)\) 件", lines[sec5.get("provision_status").line - 1])
    counts = [i.count.declared for i in sec5.get("provision_status").items]
    assert counts == [int(m.group(1)), int(m.group(2))]


def test_ii_sections(assessment, lines, ii_blocks):
    """Every printed 「N. title」 section heading of II is a section; absent ones are not invented."""
    titles = ("特定個人情報ファイル名", "基本情報", "特定個人情報の入手・使用", "特定個人情報ファイルの取扱いの委託",
              "特定個人情報の提供・移転(委託に伴うものを除く。)", "特定個人情報の保管・消去", "備考")
    for rng, f in zip(ii_blocks, assessment.files):
        printed = [(re.match(r"^(\d)\. ", t).group(1), n) for n, t in block_lines(lines, rng)
                   if re.match(r"^\d\. (.+?)\t*$", t) and re.match(r"^\d\. (.+?)\t*$", t).group(1) in titles]
        present = [(s.no, s.line) for s in f.overview.sections if s.gap is None]
        assert present == printed, f.no


# ------------------------------------------------------------------ III


def test_risks(assessment, lines, iii_blocks):
    assert len(iii_blocks) == len(assessment.files)
    for rng, f in zip(iii_blocks, assessment.files):
        bl = block_lines(lines, rng)
        printed = [(n, t.split("\t")[0]) for n, t in bl if re.match(r"^リスク\d*\s*[:：]", t)]
        present = [(r.title.line, (r.title.label or "") + " " + (r.title.text or ""))
                   for s in f.risk_measures.sections for r in s.risks]
        assert [n for n, _ in present] == [n for n, _ in printed], f.no
        assert [squash(t) for _, t in present] == [squash(t) for _, t in printed]
        evals = [n for n, t in bl if t.startswith("リスクへの対策は十分か\t")]
        got = [node.line for s in f.risk_measures.sections for r in s.risks for i in r.items for node in i.walk()
               if node.key is not None and node.key.value == "evaluation"]
        assert got == evals
        # chosen evaluation value: the bracketed (or only) option text printed before the options
        for s in f.risk_measures.sections:
            for r in s.risks:
                ev = r.get("evaluation")
                cell = lines[ev.line - 1].split("\t", 1)[1]
                pre = squash(cell.split("選択肢")[0])
                if ev.select.value is None:
                    assert not re.sub(r"[\[\]<>]", "", pre)
                else:
                    assert ev.select.value in pre
        others = [n for n, t in bl if t.split("\t")[0].endswith("その他のリスク及びそのリスクに対する措置")]
        got = [i.line for s in f.risk_measures.sections for i in s.items if i.key and i.key.value == "other_risks"]
        assert got == others
        numbers = [re.match(r"^(\d+)\. ", t).group(1) for n, t in bl if re.match(r"^\d+\. ", t)
                   and not re.match(r"^\d\. .*ファイル(\(.*\))?\t", t)]
        assert [s.no for s in f.risk_measures.sections] == numbers
        for key in ("audit", "training", "other_measures"):
            assert any(i.key and i.key.value == key for s in f.risk_measures.sections for i in s.items), key


# ------------------------------------------------------------------ changes


def test_changes(assessment, lines):
    rows = [(n, t) for n, t in numbered(lines) if DATE_ROW_RE.match(t)]
    entries = assessment.changes.entries
    assert [e.line for e in entries] == [n for n, _ in rows]
    seen = {}
    for e, (n, t) in zip(entries, rows):
        cells = t.split("\t")
        assert e.date.text == squash(cells[0])
        assert squash(e.item.text) == squash(cells[1])
        assert squash(e.before.text) == squash(cells[2])
        assert squash(e.after.text) == squash(cells[3])
        assert squash(e.timing.text) + squash(e.reason.text) == squash("".join(cells[4:]))
        if e.resolution.value in ("unresolved", "suspect"):
            assert e.resolution_note
        if t in seen:
            assert e.duplicate_of == seen[t]
        else:
            assert e.duplicate_of is None
            seen[t] = e.id
    title, header = assessment.changes.title, assessment.changes.header
    assert title.gap is not None and header.gap is not None
    assert not any(t.startswith("(別添2)") for n, t in numbered(lines) if n > 100)


# ------------------------------------------------------------------ annexes


@pytest.mark.parametrize("no, heading, ncols", [("1", "別紙1 ", 4), ("2", "別紙2 ", 5)])
def test_annex(assessment, lines, no, heading, ncols):
    a = next(i for i, t in enumerate(lines) if t.startswith(heading))
    b = next((i for i, t in enumerate(lines) if i > a and t.startswith("別紙")), len(lines))
    header = lines[a + 2]
    header_lines = [i + 1 for i in range(a, b) if lines[i] == header]
    rows = [(i + 1, lines[i].split("\t")) for i in range(a, b) if re.match(r"^\d+\t", lines[i])]
    annex = next(x for x in assessment.annexes if x.no == no)
    assert annex.title.text == lines[a] and annex.columns == header.split("\t")
    assert annex.header_lines == header_lines
    assert [(r.line, r.cells) for r in annex.rows] == rows
    assert all(len(c) == ncols for _, c in rows)
    assert [c[0] for _, c in rows] == [str(k) for k in range(1, len(rows) + 1)]


# ------------------------------------------------------------------ nothing lost

# Source cells that are knowingly not values in the YAML, each with its reason.
EXCLUDED = {
    # heading of the (別添1) part; each file's record_items keeps its own sub-heading, the shared
    # part heading is mentioned in the record_items note of every file
    "(別添1)特定個人情報ファイル記録項目",
}


@pytest.fixture(scope="module")
def corpus():
    return yaml_corpus(CONTENT)


def test_nothing_lost(lines, corpus):
    lost = []
    for n, t in numbered(lines):
        if not t.strip() or DASH_RE.match(t):  # blank lines and rule lines of dashes
            continue
        for cell in t.split("\t"):
            s = squash(cell)
            if not s or s in EXCLUDED:
                continue
            if s not in corpus:
                lost.append((n, cell[:80]))
    assert not lost, lost[:20]


def test_yaml_has_no_stray_lines(assessment):
    """Every line given in the YAML is inside the source."""
    total = len(SOURCE.read_text(encoding="utf-8").split("\n"))
    for path in CONTENT.glob("*.yaml"):
        for m in re.finditer(r"^\s*-?\s*(?:end_)?line: (\d+)$", path.read_text(encoding="utf-8"), re.M):
            assert 1 <= int(m.group(1)) <= total, (path.name, m.group(1))
