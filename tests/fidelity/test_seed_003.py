"""Fidelity of content/hanamaki-kojin-juminzei/ against sources/003_44f59ed5427b0870.txt.

The source is the tab-separated extraction of 花巻市's 個人住民税に関する事務 重点項目評価書 (one
特定個人情報ファイル).  It is parsed here on its own terms, independently of the generator that produced
the YAML: blocks are cut at the part headings (「I 基本情報」, 「II 特定個人情報ファイルの概要」,
「(別添1)」, 「Ⅲ リスク対策」, 「IV 開示請求、問合せ」, 「(別添2)変更箇所」), entities are found by their
printed labels (「システムN」, 「委託事項N」, 「提供先N」/「移転先N」, 「リスクN:」), the 別添1 grid is read
as number/name pairs, and the change rows are the lines that start with a 和暦 date.  Counts always
come from the source, never from the YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_pia.loader import load_assessment

from fidelity_common import DASH_RE, TAG_RE, squash, yaml_corpus

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "003_44f59ed5427b0870.txt"
CONTENT = ROOT / "content" / "hanamaki-kojin-juminzei"

DATE_ROW_RE = re.compile(r"^(?:<p>)?(?:平成|令和)\d+年\d+月\d+日(?:</p>)?\t")
CHECKBOX_RE = re.compile(r"(\[\s*(?:<input[^<>]*>)?\s*\]|<input[^<>]*>)\s*([^<\[\t]+)")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def assessment():
    return load_assessment(CONTENT, ROOT / "content")


@pytest.fixture(scope="module")
def file1(assessment):
    assert len(assessment.files) == 1
    return assessment.files[0]


def index_of(lines, pattern, start=0):
    """0-based index of the first line at or after start matching pattern."""
    return next(i for i in range(start, len(lines)) if re.match(pattern, lines[i]))


def bounds(lines):
    """0-based start indexes of the parts (the body headings, not the 項目一覧 entries)."""
    i = index_of(lines, r"^I 基本情報$", 31)
    ii = index_of(lines, r"^II 特定個人情報ファイルの概要$", i)
    a1 = index_of(lines, r"^\(別添1\)", ii)
    iii = index_of(lines, r"^Ⅲ リスク対策", a1)
    iv = index_of(lines, r"^IV 開示請求", iii)
    v = index_of(lines, r"^V 評価実施手続", iv)
    a2 = index_of(lines, r"^\(別添2\)", v)
    return dict(i=i, ii=ii, a1=a1, iii=iii, iv=iv, v=v, a2=a2)


def all_nodes(assessment):
    """Every Field of the assessment (cover, parts, files), depth first."""
    out = []

    def fields(items):
        for f in items:
            out.extend(f.walk())

    fields(assessment.doc.cover)
    parts = list(assessment.doc.parts)
    for f in assessment.files:
        parts += [f.overview, f.risk_measures]
    for p in parts:
        fields(p.items)
        for s in p.sections:
            fields(s.items)
            if s.choice:
                fields([s.choice])
            for obj in [*s.systems, *s.entrustments, *s.provisions, *s.transfers, *s.risks]:
                fields(obj.items)
    return out


# ------------------------------------------------------------------ document and cover


def test_document(assessment):
    doc = assessment.doc
    assert doc.id == "hanamaki-kojin-juminzei"
    org = doc.organization
    assert (org.id, org.name, org.kind.value, org.prefecture) == ("iwate-hanamaki", "花巻市", "municipality", "岩手県")
    assert doc.form.kind.value == "juten" and doc.status.value == "published"
    assert doc.source.file == SOURCE.name and doc.source.layout == "tsv"
    assert [p.kind.value for p in doc.parts] == ["basic", "disclosure", "procedures"]
    wheres = " ".join(g.where for g in doc.gaps)
    for needle in ("提供先21", "移転先1", "移転先16", "(別添2)"):
        assert needle in wheres, needle


def test_cover(assessment, lines):
    cover = {f.key.value: f for f in assessment.doc.cover if f.key}
    labels = {"declaration": "個人のプライバシー等の権利利益の保護の宣言", "special_notes": "特記事項",
              "organization_name": "評価実施機関名", "published_on": "公表日"}
    all_labels = set(labels.values()) | {"項目一覧"}
    for key, label in labels.items():
        n = lines.index(label)
        value = next(k for k in range(n + 1, len(lines)) if lines[k].strip())
        if lines[value] in all_labels:  # the next printed line is another label: the cell is empty
            assert cover[key].gap is not None and cover[key].gap.value == "empty" and not cover[key].text
        else:
            assert cover[key].text == lines[value] and cover[key].line == value + 1
    no, name = lines[5].split("\t")
    assert cover["number"].text == no and cover["title"].text == name
    k = lines.index("項目一覧")
    toc = [t for t in lines[k + 1: k + 10] if t.strip()]
    assert [i.text for i in cover["toc"].items] == toc


# ------------------------------------------------------------------ I


def test_basic_sections(assessment, lines):
    b = bounds(lines)
    printed = [re.match(r"^(\d)\. ", lines[i]).group(1) for i in range(b["i"], b["ii"]) if re.match(r"^\d\. \S", lines[i])]
    assert [s.no for s in assessment.part("basic").sections] == printed
    for kind, a, z in (("disclosure", "iv", "v"), ("procedures", "v", "a2")):
        bl = range(b[a], b[z])
        printed = [re.match(r"^(\d)\. ", lines[i]).group(1) for i in bl if re.match(r"^\d\. \S", lines[i])]
        part = assessment.part(kind)
        assert [s.no for s in part.sections] == printed
        # every labelled row ①… of the part is a field, with its value (or an empty gap)
        rows = [(i + 1, lines[i].split("\t")) for i in bl if re.match(r"^[①-⑨]", lines[i])]
        got = {f.line: f for s in part.sections for f in s.items}
        assert sorted(got) == [n for n, _ in rows]
        for n, cells in rows:
            f = got[n]
            assert f.label == cells[0]
            value = squash("".join(cells[1:]))
            if not value:
                assert f.gap is not None and f.gap.value == "empty"
            else:
                assert squash(f.select.raw if f.select else f.text) == value


def test_systems(assessment, lines):
    b = bounds(lines)
    printed = {}
    for i in range(b["i"], b["ii"]):
        m = re.match(r"^システム(\d+)\t*$", lines[i])
        if m:
            name = lines[i + 2].split("\t")[1] if not lines[i + 1].startswith("①") else lines[i + 1].split("\t")[1]
            printed[m.group(1)] = (i + 1, name)
    systems = {s.no: s for s in assessment.systems}
    assert set(systems) == set(printed) and len(systems) == len(printed)
    for no, (line, name) in printed.items():
        assert systems[no].line == line
        assert systems[no].get("system_name").text == name
        conn = systems[no].get("system_connections")
        cell = lines[conn.line - 1].split("\t")[1]  # first printing only
        boxes = [(squash(lab), "checked" in mark) for mark, lab in CHECKBOX_RE.findall(TAG_RE.sub(lambda m: m.group(0) if m.group(0).startswith("<input") else " ", cell))]
        assert [squash(o) for o in conn.check.options] == [re.sub(r"\(.*$", "", lab) for lab, _ in boxes]
        source_checked = [re.sub(r"\(.*$", "", lab) for lab, on in boxes if on]
        if conn.check.confidence == "high":
            assert [squash(o) for o in conn.check.checked] == source_checked, no
        else:  # inferred: must be explained
            assert conn.note and not source_checked
    # the 3× printed connections of the last system are kept whole in raw
    last = systems[max(printed, key=int)].get("system_connections")
    for n in range(last.line, last.end_line + 1):
        cells = lines[n - 1].split("\t")
        for cell in cells[1:] if n == last.line else cells:
            assert squash(cell) in squash(last.check.raw)


def test_files(assessment, lines, file1):
    b = bounds(lines)
    k = index_of(lines, r"^3\. 特定個人情報ファイル名", b["i"])
    assert file1.no == "1" and file1.name.text == lines[k + 1].strip()
    assert {link.system for link in file1.systems} == {s.id for s in assessment.systems}
    assert all(link.evidence for link in file1.systems)


# ------------------------------------------------------------------ 別添1


def test_record_items(lines, file1):
    b = bounds(lines)
    pairs = []
    for i in range(b["a1"], b["iii"]):
        cells = lines[i].split("\t")
        m = re.match(r"^(\d+) (.+)$", cells[0])
        if m:
            pairs.append((m.group(1), m.group(2), i + 1))
        rest = cells[1:]
        for k in range(0, len(rest) - 1, 2):
            if re.fullmatch(r"\d+", rest[k]):
                pairs.append((rest[k], rest[k + 1], i + 1))
    pairs.sort(key=lambda p: int(p[0]))
    nos = [int(p[0]) for p in pairs]
    assert nos == list(range(1, len(pairs) + 1))  # numbered without gaps
    got = [(r.no, r.name, r.line) for r in file1.record_items.all]
    assert got == pairs
    assert len(got) == len(pairs)


# ------------------------------------------------------------------ II


def ii_lines(lines):
    b = bounds(lines)
    return [(i + 1, lines[i]) for i in range(b["ii"], b["a1"])]


def test_ii_sections(lines, file1):
    titles = ("特定個人情報ファイル名", "基本情報", "特定個人情報の入手・使用", "特定個人情報ファイルの取扱いの委託",
              "特定個人情報の提供・移転(委託に伴うものを除く。)", "特定個人情報の保管・消去", "備考")
    printed = [(m.group(1), n) for n, t in ii_lines(lines) if (m := re.match(r"^(\d)\. (.+?)\t*$", t)) and m.group(2) in titles]
    assert [(s.no, s.line) for s in file1.overview.sections] == printed


def test_entrustments(lines, file1):
    bl = ii_lines(lines)
    titles = [(m.group(1), m.group(2), n) for n, t in bl if (m := re.match(r"^委託事項(\d+)\t(.+?)\t*$", t))]
    contractors = [t.split("\t")[1] for n, t in bl if t.startswith("③委託先名\t")]
    sec4 = next(s for s in file1.overview.sections if s.no == "4")
    ents = sec4.entrustments
    assert [(e.no, e.title.text, e.line) for e in ents] == titles
    assert [e.get("contractor").text for e in ents] == contractors
    declared = int(re.search(r"\((\d+)\) 件", next(t for n, t in bl if t.startswith("委託の有無"))).group(1))
    assert sec4.get("entrusted").count.declared == declared
    placeholders = [t.split("\t")[0] for n, t in bl if re.match(r"^委託事項\d+～\d+\t", t)]
    assert [i.label for i in sec4.items if i.label and "～" in i.label] == placeholders
    for e in ents:  # ①〜⑥ of each 委託事項, by line
        want = [n for n, t in bl if e.line < n <= e.end_line and re.match(r"^(?:\t|再委託\t)?[①-⑥]", t)]
        got = sorted(node.line for i in e.items for node in i.walk() if node.label and node.label[0] in "①②③④⑤⑥")
        assert got == want, e.no


@pytest.mark.parametrize("kind, attr, which", [("提供先", "provisions", 0), ("移転先", "transfers", 1)])
def test_provisions_and_transfers(lines, file1, kind, attr, which):
    bl = ii_lines(lines)
    text = dict(bl)
    printed = [(m.group(1), m.group(2).strip(), n) for n, t in bl if (m := re.match(rf"^{kind}(\d+)\t(.+)$", t))]
    sec5 = next(s for s in file1.overview.sections if s.no == "5")
    entries = getattr(sec5, attr)
    assert [(p.no, p.title.text, p.line) for p in entries] == printed
    for p in entries:
        # the seven labelled rows ①…⑦ follow the heading, each a field with its value
        rows = [(p.line + k, text[p.line + k].split("\t")) for k in range(1, 8)]
        assert [c[0][0] for _, c in rows] == list("①②③④⑤⑥⑦")
        assert [(i.line, i.label) for i in p.items] == [(n, c[0]) for n, c in rows]
        for item, (n, cells) in zip(p.items, rows):
            shown = item.select.raw if item.select else item.check.raw if item.check else item.raw or item.text
            assert squash(shown) == squash("".join(cells[1:])), (p.no, n)
    status = lines[sec5.get("provision_status").line - 1]
    m = re.search(r"提供を行っている \((\d+)\) 件.*移転を行っている \((\d+)\) 件", status)
    assert [i.count.declared for i in sec5.get("provision_status").items][which] == int(m.group(which + 1))
    # the declared count exceeds the printed blocks: the shortfall is recorded as document gaps, never as invented entries
    assert int(m.group(which + 1)) > len(printed)


# ------------------------------------------------------------------ III


def test_risks(lines, file1):
    b = bounds(lines)
    bl = [(i + 1, lines[i]) for i in range(b["iii"], b["iv"])]
    printed = [(n, t.split("\t")[0]) for n, t in bl if re.match(r"^リスク\d*\s*[:：]", t)]
    present = [(r.title.line, (r.title.label or "") + (r.title.text or "")) for s in file1.risk_measures.sections for r in s.risks]
    assert [n for n, _ in present] == [n for n, _ in printed]
    assert [squash(t) for _, t in present] == [squash(t) for _, t in printed]
    evals = [n for n, t in bl if t.startswith("リスクへの対策は十分か\t")]
    got = [node.line for s in file1.risk_measures.sections for r in s.risks for i in r.items for node in i.walk()
           if node.key is not None and node.key.value == "evaluation"]
    assert got == evals
    for s in file1.risk_measures.sections:
        for r in s.risks:
            ev = r.get("evaluation")
            pre = squash(lines[ev.line - 1].split("\t", 1)[1].split("選択肢")[0])
            assert ev.select.value and ev.select.value in pre
            assert ev.select.options == ["特に力を入れている", "十分である", "課題が残されている"]
    # every labelled row inside III is a field (label⇥value rows, except the risk headings)
    rows = [n for n, t in bl if "\t" in t and not DASH_RE.match(t) and not re.match(r"^(リスク\d*\s*[:：]|\d+\. )", t)
            and t.split("\t")[0].strip() and not t.startswith("個人住民税課税情報ファイル")]
    have = {k for node in all_nodes_of(file1) for k in range(node.line, (node.end_line or node.line) + 1)}
    assert [n for n in rows if n not in have] == []
    others = [n for n, t in bl if t.split("\t")[0].endswith("その他のリスク及びそのリスクに対する措置")]
    got = [i.line for s in file1.risk_measures.sections for i in s.items if i.key and i.key.value == "other_risks"]
    assert got == others
    numbers = [re.match(r"^(\d+)\. ", t).group(1) for n, t in bl if re.match(r"^\d+\. ", t)]
    assert [s.no for s in file1.risk_measures.sections] == numbers
    for key in ("audit", "training", "other_measures"):
        assert any(i.key and i.key.value == key for s in file1.risk_measures.sections for i in s.items), key
    # 8. 監査: the printed boxes and their state
    audit = next(i for s in file1.risk_measures.sections for i in s.items if i.key and i.key.value == "audit")
    row = lines[audit.line - 1]
    assert audit.check.options == re.findall(r"\[[^\]]*\]\s*(\S+)", row)
    assert audit.check.checked == [o for m, o in re.findall(r"(\[[^\]]*\])\s*(\S+)", row) if m not in ("[]", "[ ]")]


def all_nodes_of(file1):
    out = []
    for p in (file1.overview, file1.risk_measures):
        for s in p.sections:
            for f in ([s.choice] if s.choice else []) + s.items:
                out.extend(f.walk())
            for obj in [*s.entrustments, *s.provisions, *s.transfers, *s.risks]:
                for f in obj.items:
                    out.extend(f.walk())
    return out


# ------------------------------------------------------------------ changes


def test_changes(assessment, lines):
    b = bounds(lines)
    rows = [(i + 1, lines[i]) for i in range(b["a2"], len(lines)) if DATE_ROW_RE.match(lines[i])]
    changes = assessment.changes
    assert changes.title.text == lines[b["a2"]] and changes.title.line == b["a2"] + 1
    header = next(i for i in range(b["a2"] + 1, len(lines)) if lines[i].strip())
    assert changes.header.text == lines[header]
    entries = changes.entries
    assert [e.line for e in entries] == [n for n, _ in rows]
    for e, (n, t) in zip(entries, rows):
        cells = t.split("\t")
        assert squash(e.date.text) == squash(cells[0])
        assert squash(e.item.text) == squash(cells[1])
        assert squash(e.before.text) == squash(cells[2])
        assert squash(e.after.text) == squash(cells[3])
        assert squash(e.timing.text) + squash(e.reason.text) == squash("".join(cells[4:]))
        if len(cells) == 5:
            assert e.timing.gap is not None
        assert e.resolution_note
        if e.resolution.value == "resolved":
            assert e.targets
    # the file ends inside the table (no final newline): recorded as a document gap
    assert not SOURCE.read_text(encoding="utf-8").endswith("\n")
    assert any(g.line == len(lines) for g in assessment.doc.gaps)


def test_change_targets_exist(assessment):
    ids = {oid for oid, _ in assessment.objects()}
    for e in assessment.changes.entries:
        for t in e.targets:
            assert t.ref in ids, (e.id, t.ref)


# ------------------------------------------------------------------ nothing lost

# Source cells that are knowingly not values in the YAML, each with its reason.
EXCLUDED = {
    "下表のとおり",  # 別添1 L430: the lead-in sentence of the record-item table; quoted in record_items.note
    "項目名",  # 別添1 L432: the table's column header (followed by six empty cells); quoted in record_items.note
}


@pytest.fixture(scope="module")
def corpus():
    return yaml_corpus(CONTENT)


def test_nothing_lost(lines, corpus):
    lost = []
    for n, t in enumerate(lines, 1):
        if not t.strip() or DASH_RE.match(t):  # blank lines and rule lines of dashes
            continue
        for cell in t.split("\t"):
            s = squash(cell)
            if not s or s in EXCLUDED or re.fullmatch(r"-+", s):
                continue
            if s not in corpus:
                lost.append((n, cell[:80]))
    assert not lost, lost[:20]


def test_yaml_lines_in_source():
    total = len(SOURCE.read_text(encoding="utf-8").split("\n"))
    for path in CONTENT.glob("*.yaml"):
        for m in re.finditer(r"^\s*-?\s*(?:end_)?line: (\d+)$", path.read_text(encoding="utf-8"), re.M):
            assert 1 <= int(m.group(1)) <= total, (path.name, m.group(1))


def test_every_field_has_a_line(assessment):
    missing = [f.label or (f.text or "")[:30] for f in all_nodes(assessment) if f.line is None]
    assert not missing, missing[:10]
