"""Fidelity of content/sapporo-juki/file-1.yaml … file-3.yaml (Ⅱ and （別添２）) against
sources/001_c929cc07fcd15d36.txt.

The source is a column-interleaved PDF extraction: every form label starts with exactly one ASCII
space, values never do; rows of a page are often printed bottom-up.  The test parses the source on its
own terms (label lines, 「提供先N」/「移転先N」/「委託事項N」 headings, 「（ N ）件」 counts, 「○」 marks,
the 「N．name、」 record-item runs) and compares with each file YAML, loaded on its own
(read_yaml + validate_model) so that it does not depend on the other files of the assessment.
Ⅲ (risk_measures) is not checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_pia.loader import read_yaml, validate_model
from sphinx_pia.model import SpecificFile
from sphinx_pia.model.values import Field

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "001_c929cc07fcd15d36.txt"
CONTENT = ROOT / "content" / "sapporo-juki"

WS_RE = re.compile(r"\s+")
FW = str.maketrans("０１２３４５６７８９", "0123456789")

PART_RE = re.compile(r"^Ⅱ　特定個人情報ファイルの概要$")
FILE_RE = re.compile(r"^（([１-９])）(\S+ファイル)$")
ANNEX2_RE = re.compile(r"^ （別添２） 特定個人情報ファイル記録項目$")
PART3_RE = re.compile(r"^Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策")
SECTION_RE = re.compile(r"^ ([１-９])．(.+)$")
ENTITY_RE = re.compile(r"^ (提供先|移転先|委託事項)(\d+)(?: (.+))?$")
ENT_COUNT_RE = re.compile(r"^（ (\d*) ）　件$")
STATUS_RE = re.compile(r"^\[ (○)? ?\] (提供|移転)を行っている （ ?(\d*) ?） 件$")
ITEM_RE = re.compile(r"([０-９]+)．(.*?)(?:、|$)")

# Lines of Ⅱ of file (1) printed before its heading 「Ⅱ　特定個人情報ファイルの概要」 (L1086): the page
# block L1021-1085 holds ⑥, ⑤, ④ and 主な記録項目 of section 2; L1020 is the last line of the repeated
# 別添1 備考, which is not Ⅱ.
FILE1_EARLY_START = 1021


def squash(text: str | None) -> str:
    return WS_RE.sub("", text or "")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def L(lines, n):
    return lines[n - 1]


@pytest.fixture(scope="module")
def ranges(lines):
    """{file no: (first, last) source line of its Ⅱ}, and the 別添２ range."""
    # the part heading followed by 「１．特定個人情報ファイル名」 (the 項目一覧 entry L50 is not)
    heads = [n for n, t in enumerate(lines, 1) if PART_RE.match(t) and lines[n].startswith(" １．")]
    annex2 = next(n for n, t in enumerate(lines, 1) if ANNEX2_RE.match(t))
    part3 = next(n for n, t in enumerate(lines, 1) if n > annex2 and PART3_RE.match(t))
    assert len(heads) == 3, heads
    out = {}
    for i, h in enumerate(heads):
        start = FILE1_EARLY_START if i == 0 else h
        end = (heads[i + 1] if i + 1 < len(heads) else annex2) - 1
        while not lines[end - 1].strip():
            end -= 1
        out[str(i + 1)] = (start, end)
    return out, (annex2, part3)


def load(no: str) -> SpecificFile:
    path = CONTENT / f"file-{no}.yaml"
    data, positions = read_yaml(path, str(path))
    return validate_model(SpecificFile, data, positions, str(path))


@pytest.fixture(scope="module")
def files() -> dict[str, SpecificFile]:
    return {no: load(no) for no in ("1", "2", "3")}


def fields(file: SpecificFile):
    """every Field of Ⅱ, with section/entity titles"""
    for sec in file.overview.sections:
        if sec.choice:
            yield from sec.choice.walk()
        for it in sec.items:
            yield from it.walk()
        for ent in [*sec.entrustments, *sec.provisions, *sec.transfers, *sec.systems]:
            if ent.title:
                yield from ent.title.walk()
            for it in ent.items:
                yield from it.walk()


def strings(file: SpecificFile) -> list[str]:
    """every value-bearing string of Ⅱ and the record items (not notes)"""
    out = [file.overview.numeral or "", file.overview.title or ""]
    if file.overview.numeral and file.overview.title:
        out.append(file.overview.numeral + file.overview.title)
    for sec in file.overview.sections:
        out.append(sec.title or "")
    for f in fields(file):
        out += [f.label or "", f.text or "", f.raw or ""]
        if f.select:
            out += [f.select.value or "", f.select.raw or "", *f.select.options]
        if f.check:
            out += [f.check.raw or "", f.check.other or "", *f.check.options, *f.check.checked]
        if f.count:
            out.append(f.count.raw or "")
    out += [file.name.text or "", file.name.raw or ""]
    if file.record_items:
        out += [file.record_items.heading or "", file.record_items.raw or ""]
        out += [i.name for i in file.record_items.all]
    return [squash(s) for s in out if s]


# --- structure -----------------------------------------------------------------------------------


def test_three_files(files, ranges, lines):
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        names = [FILE_RE.match(L(lines, n)) for n in range(a, b + 1)]
        names = [m for m in names if m]
        assert len(names) == 1, (no, names)
        assert names[0].group(1).translate(FW) == no == f.no
        assert f.name.text == names[0].group(2)
        assert [s.no for s in f.overview.sections] == ["1", "2", "3", "4", "5", "6", "7"]
        assert [s.no for s in f.risk_measures.sections][:1] == ["1"], "Ⅲ (checked in test_seed_001_risks) follows Ⅱ"
        assert f.systems, "each file names its systems with evidence"
        for link in f.systems:
            assert re.fullmatch(r"sys-[1-9]", link.system) and link.evidence


def test_section_titles(files, ranges, lines):
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        src = {}
        for n in range(a, b + 1):
            m = SECTION_RE.match(L(lines, n))
            if m:
                src[m.group(1).translate(FW)] = (m.group(2), n)
        assert {s.no: (s.title, None) for s in f.overview.sections}.keys() == src.keys()
        for s in f.overview.sections:
            assert s.title == src[s.no][0], (no, s.no)


def label_token(text: str) -> str:
    """the label of a label line: up to the first ASCII space (labels never contain one)"""
    return text[1:].split(" ", 1)[0]


def test_every_label_present(files, ranges, lines):
    """every label line of Ⅱ is a label (or the start of a wrapped label) of the file's YAML"""
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        labels = [squash(x.label) for x in fields(f) if x.label]
        for n in range(a, b + 1):
            t = L(lines, n)
            if not t.startswith(" ") or SECTION_RE.match(t):
                continue
            tok = squash(label_token(t))
            assert any(lab.startswith(tok) or tok in lab for lab in labels), f"file {no} L{n}: label {tok!r} missing"


def test_label_counts(files, ranges, lines):
    """labels that occur once per item occur as often in the YAML as in the source"""
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        yaml_labels = [squash(x.label) for x in fields(f) if x.label]
        src = [label_token(L(lines, n)) for n in range(a, b + 1) if L(lines, n).startswith(" ")]
        for tok in set(src):
            if re.match(r"^[①-⑨]", tok) or tok in ("その妥当性", "その必要性", "期間", "使用者数", "変更の妥当性"):
                want = src.count(tok)
                have = sum(1 for lab in yaml_labels if lab.startswith(squash(tok)))
                assert have == want, (no, tok, have, want)


def test_entities(files, ranges, lines):
    """提供先N / 移転先N / 委託事項N: same numbers, same titles, in each file"""
    rng, _ = ranges
    kinds = {"提供先": "provisions", "移転先": "transfers", "委託事項": "entrustments"}
    for no, f in files.items():
        a, b = rng[no]
        src = {k: {} for k in kinds}
        for n in range(a, b + 1):
            m = ENTITY_RE.match(L(lines, n))
            if m:
                kind, num, title = m.groups()
                if title is None:  # title printed on the following lines, up to a blank line
                    parts, k = [], n + 1
                    while L(lines, k).strip():
                        parts.append(L(lines, k))
                        k += 1
                    title = "".join(parts)
                src[kind][num] = title
        for kind, attr in kinds.items():
            ents = [e for s in f.overview.sections for e in getattr(s, attr)]
            assert [e.no for e in ents] == list(src[kind].keys()), (no, kind)
            for e in ents:
                assert e.title.label == f"{kind}{e.no}"
                assert squash(e.title.text) == squash(src[kind][e.no]), (no, kind, e.no)
                want = 7 if kind != "委託事項" else 9
                circled = {x.label[0] for x in _walk_items(e.items) if x.label and x.label[0] in "①②③④⑤⑥⑦⑧⑨"}
                assert len(circled) == want, (no, kind, e.no, sorted(circled))
    # file (1)'s 提供先1 stands for the rows of 別紙1
    prov = files["1"].overview.sections[4].provisions[0]
    assert prov.annex == "annex-1"


def _walk_items(items: list[Field]):
    for it in items:
        yield from it.walk()


def test_declared_counts(files, ranges, lines):
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        ent = [m.group(1) for n in range(a, b + 1) if (m := ENT_COUNT_RE.match(L(lines, n)))]
        status = {m.group(2): (m.group(1), m.group(3)) for n in range(a, b + 1) if (m := STATUS_RE.match(L(lines, n)))}
        assert len(ent) == 1 and set(status) == {"提供", "移転"}, (no, ent, status)
        s4, s5 = f.overview.sections[3], f.overview.sections[4]
        entrusted = s4.get("entrusted")
        assert entrusted.count.declared == int(ent[0])
        assert len(s4.entrustments) == int(ent[0])
        st = s5.get("provision_status")
        counts = {it.label[:2]: it.count for it in st.items if it.count}
        for kind, (mark, num) in status.items():
            assert counts[kind].declared == (int(num) if num else None), (no, kind)
            assert (f"{kind}を行っている" in st.check.checked) == bool(mark), (no, kind)
        n_prov = len(s5.provisions)
        n_tran = len(s5.transfers)
        # file (1): one 提供先 entry stands for the declared 60 (別紙1); otherwise entries = declared
        if no == "1":
            assert n_prov == 1 and counts["提供"].declared == 60
        else:
            assert n_prov == counts["提供"].declared
        assert n_tran == (counts["移転"].declared or 0)


def test_checkmarks(files, ranges, lines):
    """every 「○」 of Ⅱ is one checked box in the YAML"""
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        marks = sum(L(lines, n).count("○") for n in range(a, b + 1))
        checked = sum(len(x.check.checked) for x in fields(f) if x.check)
        assert checked == marks, (no, checked, marks)


def test_selections(files, ranges, lines):
    """every 「[ value ]」/「[ value」 choice of Ⅱ is a select value of the file"""
    rng, _ = ranges
    for no, f in files.items():
        a, b = rng[no]
        src = []
        for n in range(a, b + 1):
            for m in re.finditer(r"\[ ([^○\]\s][^\]]*?)(?: \]|$)", L(lines, n)):
                src.append(m.group(1))
        values = [x.select.value for x in fields(f) if x.select]
        assert sorted(src) == sorted(values), (no, sorted(src), sorted(values))


def test_remarks_file1(files, lines, ranges):
    rng, _ = ranges
    a, b = rng["1"]
    pairs = [n for n in range(a, b + 1) if L(lines, n).startswith("・") and "　…　" in L(lines, n)]
    remarks = files["1"].overview.sections[6].get("remarks")
    assert len(remarks.items) == len(pairs) == 24
    for it, n in zip(remarks.items, pairs):
        assert it.line == n
        assert squash(it.raw).startswith(squash(L(lines, n)))


# --- record items ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def annex2(lines, ranges):
    """{file no: (heading line, [(no, name)], ends with 「、」)} parsed from 別添２"""
    _, (a, end) = ranges
    out, cur = {}, None
    for n in range(a + 1, end):
        t = L(lines, n)
        if t.startswith("  "):  # the list is cut off; Ⅲ text follows
            break
        m = FILE_RE.match(t)
        if m:
            cur = m.group(1).translate(FW)
            out[cur] = [n, ""]
        elif cur and t.strip():
            out[cur][1] += t
    return {no: (h, [(m.group(1).translate(FW), m.group(2)) for m in ITEM_RE.finditer(txt)], txt.endswith("、"))
            for no, (h, txt) in out.items()}


def test_record_items(files, annex2):
    assert set(annex2) == {"2", "3"}  # the source has no list for file (1)
    ri1 = files["1"].record_items
    assert ri1 is not None and ri1.gap and ri1.gap.value == "missing" and not ri1.all and ri1.note
    for no, (heading, items, cut) in annex2.items():
        ri = files[no].record_items
        assert ri.line == heading
        assert [(i.no, i.name) for i in ri.all] == items
        assert [i.no for i in ri.all] == [str(k) for k in range(1, len(items) + 1)]
        assert (ri.gap is not None and ri.gap.value == "clipped") == cut, no
    assert len(annex2["2"][1]) == 40 and len(annex2["3"][1]) == 43


# --- nothing lost ---------------------------------------------------------------------------------

# Source lines of the ranges that are not values, with the reason.
EXCLUDED = {
    "（別添２）特定個人情報ファイル記録項目": "part title of 別添２; named in each file's record_items.note",
}


def test_nothing_lost(files, ranges, lines):
    rng, (a2, end2) = ranges
    spans = dict(rng)
    for no, f in files.items():
        hay = "\x00".join(strings(f))
        todo = list(range(*spans[no])) + [spans[no][1]]
        if no in ("2", "3"):
            h = files[no].record_items.line
            todo += list(range(h, files[no].record_items.end_line + 1))
        for n in todo:
            t = L(lines, n)
            if not t.strip():
                continue
            s = squash(t)
            if s in EXCLUDED:
                continue
            m = SECTION_RE.match(t)
            if m:
                s = squash(m.group(2))
            if s in hay:
                continue
            # label + value on one line: both halves must be there
            if t.startswith(" ") and " " in t[1:]:
                lab, val = t[1:].split(" ", 1)
                if squash(lab) in hay and squash(val) in hay:
                    continue
            pytest.fail(f"file {no}: L{n} not found in the YAML: {t!r}")
    # the excluded title is really the 別添２ title
    assert squash(L(lines, a2)) in EXCLUDED
