"""Fidelity of content/gunma-juki-net/ against sources/004_e0523778ea70ff60.txt.

The source is the tab-separated extraction of 群馬県's 住民基本台帳ネットワークシステム 全項目評価書 (draft).  It is
parsed here on its own terms, independently of the script that produced the YAML: the body is cut at the part
headings (「I 基本情報」, 「II 特定個人情報ファイルの概要」, 「Ⅲ 特定個人情報ファイルの取扱いプロセス…」, 「(別添2)」,
「(別添3)変更箇所」), entities are found by their printed labels (「システムN」, 「委託事項N」, 「提供先N」/「移転先N」,
「リスクN：」), record items by their 「N. 」 numbering, and change rows are the lines of 別添3 that are not the repeated
column header.  Counts always come from the source, never from the YAML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sphinx_pia.loader import load_assessment

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "004_e0523778ea70ff60.txt"
CONTENT = ROOT / "content" / "gunma-juki-net"

TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # ASCII tags only: keeps <選択肢>
WS_RE = re.compile(r"\s+")
RISK_RE = re.compile(r"^リスク(\d+)[：:]\s*(.*)$")
HEADER = "変更日\t項目\t変更前の記載\t変更後の記載\t提出時期\t提出時期に係る説明"


def squash(text: str | None) -> str:
    return WS_RE.sub("", html.unescape(TAG_RE.sub("", text or "")))


def cells(line: str) -> list[str]:
    return [c for c in line.split("\t") if c.strip()]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def assessment():
    return load_assessment(CONTENT, ROOT / "content")


def body_start(lines) -> int:
    """0-based index of the part heading 「I 基本情報」 (the first one is the 項目一覧 entry)."""
    return [i for i, t in enumerate(lines) if t == "I 基本情報"][1]


def block(lines, start: int, stop_re: str) -> tuple[int, int]:
    stop = next(i for i in range(start + 1, len(lines)) if re.match(stop_re, lines[i]))
    return start, stop


def ii_blocks(lines):
    starts = [i for i, t in enumerate(lines) if t == "II 特定個人情報ファイルの概要" and i > body_start(lines)]
    annex2 = next(i for i, t in enumerate(lines) if t.startswith("(別添2)") and i > starts[0])
    return list(zip(starts, starts[1:] + [annex2]))


def iii_blocks(lines):
    starts = [i for i, t in enumerate(lines) if t.startswith("Ⅲ 特定個人情報ファイルの取扱いプロセス")]
    iv = next(i for i, t in enumerate(lines) if t.startswith("IV その他のリスク対策") and i > starts[0])
    return list(zip(starts, starts[1:] + [iv]))


def walk_fields(items):
    for f in items:
        yield from f.walk()


# ------------------------------------------------------------------ document


def test_document(assessment, lines):
    doc = assessment.doc
    assert doc.id == "gunma-juki-net" and doc.organization.id == "gunma-pref"
    assert doc.organization.kind.value == "prefecture" and doc.organization.name == "群馬県"
    assert doc.form.kind.value == "zenkomoku" and "全項目評価書" in lines[2]
    assert doc.form.stamp is not None and doc.form.stamp.gap.value == "missing"
    assert not any("様式" in t for t in lines[:5])
    assert doc.status.value == "draft" and doc.source.layout == "tsv" and doc.source.file == SOURCE.name
    assert [p.kind.value for p in doc.parts] == ["basic", "business_detail", "other_measures", "disclosure", "procedures"]
    wheres = " ".join(g.where for g in doc.gaps)
    for needle in ("システム2", "I.3", "6. 情報提供ネットワークシステムとの接続", "リスク3", "様式"):
        assert needle in wheres, needle


def test_cover(assessment, lines):
    cover = {f.key.value: f for f in assessment.doc.cover if f.key}
    labels, values = lines[4].split("\t"), lines[5].split("\t")
    assert labels == ["評価書番号", "評価書名"]
    assert values[0] == "" and cover["number"].gap.value == "empty"
    assert cover["title"].text == values[1]
    assert cover["organization_name"].text == lines[lines.index("評価実施機関名") + 2]
    notes = [t for t in lines[lines.index("特記事項") + 1: lines.index("評価実施機関名")] if t.strip()]
    assert cover["special_notes"].text.split("\n") == notes
    for key, label in (("approved_on", "個人情報保護委員会 承認日【行政機関等のみ】"), ("published_on", "公表日")):
        i = lines.index(label)
        assert not lines[i + 1].strip() and cover[key].gap.value == "empty"
    toc = [t for t in lines[lines.index("項目一覧") + 1: body_start(lines)] if t.strip()]
    assert [i.text for i in cover["toc"].items] == toc


# ------------------------------------------------------------------ I


def test_basic_sections_and_systems(assessment, lines):
    a = body_start(lines)
    b = next(i for i in range(a, len(lines)) if lines[i].startswith("(別添1)"))
    printed = [re.match(r"^(\d+)\. ", lines[i]).group(1) for i in range(a, b) if re.match(r"^\d+\. ", lines[i])]
    part = assessment.part("basic")
    present = [s.no for s in part.sections if s.gap is None]
    assert present == printed
    missing = {str(k) for k in range(1, int(printed[-1]) + 1)} - set(printed)
    assert missing == {s.no for s in part.sections if s.gap is not None and s.gap.value == "missing"} == {"3"}
    # systems printed in the body
    sys_printed = {}
    for i in range(a, b):
        m = re.match(r"^システム(\d+)\t", lines[i])
        if m:
            name_cell = lines[i + 1].split("\t")[1]
            sys_printed[m.group(1)] = (i + 1, re.match(r"<p>(.*?)</p>", name_cell).group(1))
    got = {s.no: s for s in assessment.systems if s.gap is None}
    assert set(got) == set(sys_printed)
    for no, (line, name) in sys_printed.items():
        assert got[no].line == line
        assert got[no].get("system_name").text.split("\n")[0] == name
    # systems named only by the change log are recorded as missing, with nothing filled in
    ch = next(i for i, t in enumerate(lines) if t.startswith("(別添3)"))
    referenced = {m for t in lines[ch:] for m in re.findall(r"システム(\d+) - システム", t)}
    gaps = {s.no: s for s in assessment.systems if s.gap is not None}
    assert set(gaps) == referenced - set(sys_printed) == {"2"}
    assert all(not s.items for s in gaps.values())


def test_basic_items(assessment, lines):
    """Every 「label\tvalue」 row of I appears as a field with that label and line."""
    a = body_start(lines)
    b = next(i for i in range(a, len(lines)) if lines[i].startswith("(別添1)"))
    fields = {(f.label, f.line) for s in assessment.part("basic").sections
              for f in walk_fields(s.items + [it for sy in s.systems for it in sy.items])}
    for i in range(a, b):
        c = cells(lines[i])
        if len(c) >= 1 and re.match(r"^[①-⑩]|^法令上の根拠", c[0]):
            assert (c[0].strip(), i + 1) in fields, (i + 1, c[0])


# ------------------------------------------------------------------ 別添1


def test_business_detail_steps(assessment, lines):
    a = next(i for i, t in enumerate(lines) if t == "(別添1) 事務の内容" and i > body_start(lines))
    b = ii_blocks(lines)[0][0]
    steps = []
    for i in range(a, b):
        m = re.match(r"^\s*-\s*(\d-[①-⑩])\s?(.*)$", lines[i])
        if m:
            steps.append((i + 1, m.group(1), m.group(2)))
    groups = [i for i in range(a, b) if re.match(r"^\d\. ", lines[i])]
    part = assessment.part("business_detail")
    assert len(part.sections) == len(groups) == 12
    assert [s.line for s in part.sections] == [g + 1 for g in groups]
    got = [(f.line, f.label, f.text.split("\n")[0]) for s in part.sections for f in s.items if f.label]
    assert got == steps and len(steps) == 26


# ------------------------------------------------------------------ files, record items


def test_files(assessment, lines):
    names = []
    for a, _ in ii_blocks(lines):
        k = next(i for i in range(a, len(lines)) if lines[i].startswith("1. 特定個人情報ファイル名"))
        m = re.match(r"^\((\d)\) (.+?)\t", lines[k + 1])
        names.append((m.group(1), m.group(2)))
    assert [(f.no, f.name.text) for f in assessment.files] == names
    assert {s.system for s in assessment.files[0].systems} == {"sys-1"}
    assert "sys-2" in {s.system for s in assessment.files[1].systems}


def test_record_items(assessment, lines):
    a = next(i for i, t in enumerate(lines) if t.startswith("(別添2)") and i > body_start(lines))
    b = iii_blocks(lines)[0][0]
    per_file: dict[str, list] = {}
    cur_file = cur_group = None
    for i in range(a + 1, b):
        t = lines[i]
        if m := re.match(r"^\((\d)\) ", t):
            cur_file, cur_group = m.group(1), None
            per_file[cur_file] = []
        elif re.match(r"^[ア-ン] ", t):
            cur_group = t
        elif m := re.match(r"^(\d+)\. (.+)$", t):
            per_file[cur_file].append((cur_group, m.group(1), m.group(2), i + 1))
    assert len(per_file) == len(assessment.files)
    for f in assessment.files:
        got = [(g.label, r.no, r.name, r.line) for g in f.record_items.groups for r in g.items]
        assert got == per_file[f.no], f.no
    assert [len(v) for v in per_file.values()] == [28, 19]


# ------------------------------------------------------------------ II entities


def test_entrustments_provisions_transfers(assessment, lines):
    for (a, b), f in zip(ii_blocks(lines), assessment.files):
        secs = {s.no: s for s in f.overview.sections}
        ents = [(m.group(1), m.group(2).strip(), i + 1) for i in range(a, b)
                if (m := re.match(r"^委託事項(\d+)\t(.*)$", lines[i]))]
        got = [(e.no, e.title.text, e.line) for e in secs["4"].entrustments]
        assert got == ents
        decl = next(re.search(r"\((\d+)\) 件", lines[i]).group(1) for i in range(a, b) if lines[i].startswith("委託の有無"))
        assert secs["4"].get("entrusted").count.declared == int(decl)  # kept even where it disagrees (file 1: 1 vs 2)
        for kind, attr in (("提供先", "provisions"), ("移転先", "transfers")):
            printed = []
            for i in range(a, b):
                if m := re.match(rf"^{kind}(\d+)\t(.*)$", lines[i]):
                    j, n_items = i + 1, 0
                    while j < b and not re.match(r"^(提供先|移転先)\d+\t|^\d+\. ", lines[j]):
                        n_items += bool(re.match(r"^[①-⑦]", lines[j]))
                        j += 1
                    printed.append((m.group(1), m.group(2).strip(), i + 1, n_items))
            got = [(p.no, p.title.text, p.line, len(p.items)) for p in getattr(secs["5"], attr)]
            assert got == printed, (f.no, kind)


# ------------------------------------------------------------------ III


def test_risks(assessment, lines):
    for (a, b), f in zip(iii_blocks(lines), assessment.files):
        printed = [(m.group(1), m.group(2).strip(), i + 1) for i in range(a, b)
                   if (m := RISK_RE.match(lines[i].split("\t")[0]))]
        risks = [r for s in f.risk_measures.sections for r in s.risks]
        got = [(r.no, r.title.text, r.line) for r in risks if r.no]
        assert got == printed, f.no
        # the unnumbered 委託 risk
        assert sum(1 for r in risks if r.no is None) == 1
        evals = [re.search(r"\[(.*?)\]", lines[i]).group(1) for i in range(a, b) if lines[i].startswith("リスクへの対策は十分か\t")]
        got_evals = [x.select.value for r in risks for x in r.items if x.key and x.key.value == "evaluation"]
        assert got_evals == evals and len(evals) == 14
        n_select = sum(1 for i in range(a, b) if re.search(r"[<＜]選択肢[>＞]", lines[i]))
        got_select = sum(1 for s in f.risk_measures.sections for r in s.risks for x in walk_fields(r.items) if x.select)
        assert got_select == n_select
        # measure/sub-question fields: every labelled row of III is a field (or a risk/section heading)
        labels = {(x.label, x.line) for s in f.risk_measures.sections
                  for x in walk_fields(s.items + [it for r in s.risks for it in r.items])}
        for i in range(a + 1, b):
            c = cells(lines[i])
            if not c:
                continue
            lab = WS_RE.sub(" ", TAG_RE.sub("", c[0])).strip()
            if RISK_RE.match(lab) or re.match(r"^\d+\. |^\(\d\) |^—$|^委託先による|^\[\] 委託しない|^再委託先については|^その他、", lab):
                continue
            assert (lab, i + 1) in labels, (f.no, i + 1, lab)
        # headings only: リスク3 of section 5 has no body
        sec5 = next(s for s in f.risk_measures.sections if s.no == "5")
        r3 = next(r for r in sec5.risks if r.no == "3")
        assert not r3.items and r3.gap.value == "missing"
        assert "6" not in {s.no for s in f.risk_measures.sections}


# ------------------------------------------------------------------ 別添3


def test_changes(assessment, lines):
    a = next(i for i, t in enumerate(lines) if t.startswith("(別添3)") and i > body_start(lines))
    headers = [i + 1 for i in range(a, len(lines)) if lines[i] == HEADER]
    rows = [i for i in range(a + 1, len(lines)) if lines[i].strip() and lines[i] != HEADER]
    entries = assessment.changes.entries
    assert len(entries) == len(rows) == 43 and len(headers) == 23
    assert assessment.changes.header.line == headers[0]
    assert all(f"{h}行" in assessment.changes.header.note for h in headers)
    for i, e in zip(rows, entries):
        c = lines[i].split("\t")
        assert len(c) == 6 and e.line == i + 1
        for cell, field in zip(c, (e.date, e.item, e.before, e.after, e.timing, e.reason)):
            if cell.strip():
                assert squash(field.text) == squash(cell), (i + 1, cell[:30])
            else:
                assert field.gap is not None and field.gap.value == "empty", (i + 1)
        if e.resolution.value != "resolved":
            assert e.resolution_note
    # dated rows are 事後, undated rows are the pending draft
    assert sum(1 for e in entries if e.date.text) == sum(1 for i in rows if lines[i].split("\t")[0])


# ------------------------------------------------------------------ nothing lost

# Source lines whose cells need not appear in YAML values, each with its reason.
EXCLUDED_LINES = {
    54: "repeats cells of the 接続 checkbox table of L53 (kept in that field's raw)",
    55: "repeats cells of L53",
    56: "repeats cells of L53",
    57: "repeats cells of L53",
    68: "extraction artifact: a rule line 「--------\t---」 (mentioned in the I.5 note)",
}
NOT_VALUE_FIELDS = {"note", "evidence", "resolution_note", "where", "id", "ref", "system", "schema", "kind", "layout", "file"}


def yaml_strings(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in NOT_VALUE_FIELDS:
                yield from yaml_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from yaml_strings(v)
    elif isinstance(obj, str):
        yield obj


def test_nothing_lost(lines):
    import yaml

    hay = []
    for path in sorted(CONTENT.glob("*.yaml")):
        hay.extend(squash(s) for s in yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    blob = "\x00".join(hay)
    missing = []
    for n, line in enumerate(lines, 1):
        if n in EXCLUDED_LINES:
            continue
        for cell in line.split("\t"):
            sq = squash(cell)
            if not sq or sq in blob:
                continue
            # a section heading 「N. <title>」, possibly with its checkbox 「[] 提供・移転しない」: the number is the
            # section's no, title and choice are separate YAML values
            m = re.match(r"^\d+\.\s+(.*?)(?:\s+(\[\]\s*\S+))?$", TAG_RE.sub("", cell).strip())
            if m and squash(m.group(1)) in blob and squash(m.group(2)) in blob:
                continue
            # a risk heading 「リスクN： <title>」 (label and text), a part heading 「Ⅲ <title>」 (numeral and title)
            m = re.match(r"^(リスク\d+[：:]|[IVⅢⅤ]+)\s+(.*)$", cell.strip())
            if m and squash(m.group(1)) in blob and squash(m.group(2)) in blob:
                continue
            missing.append((n, cell[:60]))
    assert not missing, missing
