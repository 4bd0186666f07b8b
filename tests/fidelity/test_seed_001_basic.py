"""Fidelity of content/sapporo-juki/assessment.yaml against sources/001_c929cc07fcd15d36.txt.

assessment.yaml covers the cover (L1-52), Ⅰ 基本情報 (L56-626), （別添1） 事務の内容 (L630-1020) and
Ⅳ-Ⅵ (L4415-4602).  The source uses the "interleaved" layout: page blocks, rows often bottom-up, labels
marked by one leading ASCII space, checkbox brackets split across lines.  The source is parsed here
with its own regexes (not with the YAML's line numbers) and compared with the YAML, which is loaded on
its own (read_yaml + validate_model) so that the test does not depend on the other files of the
assessment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sphinx_pia.loader import read_yaml, validate_model
from sphinx_pia.model import AssessmentDoc

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "001_c929cc07fcd15d36.txt"
CONTENT = ROOT / "content" / "sapporo-juki"
DOC = CONTENT / "assessment.yaml"

WS_RE = re.compile(r"\s+")
Z2A = str.maketrans("０１２３４５６７８９", "0123456789")

#: the line ranges this YAML file is responsible for
RANGES = [(1, 1020), (4415, 4602)]
#: L1021-1085 are Ⅱ of file (1) (⑥事務担当部署 … ④記録される項目), printed before their own part
#: heading 「Ⅱ　特定個人情報ファイルの概要」 (L1086): they belong to file-1.yaml, not here.
FILE1_LINES = (1021, 1085)


def squash(text: str) -> str:
    return WS_RE.sub("", text or "")


@pytest.fixture(scope="module")
def src() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def line(src, n: int) -> str:
    return src[n - 1]


@pytest.fixture(scope="module")
def doc() -> AssessmentDoc:
    data, positions = read_yaml(DOC, str(DOC))
    return validate_model(AssessmentDoc, data, positions, str(DOC))


@pytest.fixture(scope="module")
def raw_data() -> dict:
    return yaml.safe_load(DOC.read_text(encoding="utf-8"))


def part(doc, kind):
    return next(p for p in doc.parts if p.kind.value == kind)


def pieces(data) -> list[str]:
    """Squashed value strings of the YAML: label+text of a field, raw, options, other, titles.
    Notes are deliberately left out: a value kept only in a note is not kept."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            label = node.get("label") if isinstance(node.get("label"), str) else ""
            text = node.get("text") if isinstance(node.get("text"), str) else ""
            out.append(squash(label + text))
            for key in ("raw", "other", "numeral", "short", "full"):
                if isinstance(node.get(key), str):
                    out.append(squash(node[key]))
            title = node.get("title")
            if isinstance(title, str):
                out.append(squash(title))
                if isinstance(node.get("numeral"), str):
                    out.append(squash(node["numeral"] + title))
            for key in ("options", "checked"):
                if isinstance(node.get(key), list):
                    out.extend(squash(o) for o in node[key] if isinstance(o, str))
            for key, value in node.items():
                if key != "note":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return [p for p in out if p]


# --- 表紙 ----------------------------------------------------------------------------------


def test_cover(doc, src):
    assert doc.id == "sapporo-juki"
    assert doc.form.kind.value == "zenkomoku"
    stamp = next(l for l in src if "様式" in l)
    assert doc.form.stamp.text == stamp.strip()
    assert doc.status.value == "draft"
    title_line = next(i for i, l in enumerate(src, 1) if re.fullmatch(r"特定個人情報保護評価書（.+）", l.strip()))
    assert doc.source.title.text == line(src, title_line) and doc.source.title.line == title_line
    cover = {f.key.value: f for f in doc.cover}
    # 公表日 and 承認日 print only their label: the next non-blank line is another label or value of another row
    for key in ("published_on", "approved_on"):
        assert cover[key].text is None and cover[key].gap.value == "empty"
        assert line(src, cover[key].line).strip() == cover[key].label
    number = next(i for i, l in enumerate(src, 1) if l.strip() == "評価書番号")
    nxt = next(l for l in src[number:] if l.strip())
    assert cover["number"].text == nxt.strip()
    # 項目一覧: every entry between the cover and the first value block
    toc_lines = [l.strip() for l in src[33:52] if l.strip() and l.strip() != "項目一覧"]
    assert [squash(i.text) for i in cover["toc"].items] == [squash(t) for t in toc_lines]
    assert len(toc_lines) == 9


# --- Ⅰ 基本情報 -------------------------------------------------------------------------------


SYS_HEAD_RE = re.compile(r"^ システム(\d+)$")
NAME_RE = re.compile(r"^ ①システムの名称(?: (.+))?$")
FUNC_HEAD_RE = re.compile(r"^([０-９]+)[．　]\S")
CHECK_RE = re.compile(r"^\[|^\]|^）$")


def basic_range(src):
    end = next(i for i, l in enumerate(src, 1) if l.strip() == "（別添1） 事務の内容")
    return 1, end - 1


def systems_range(src):
    # from the first value line of システム1 (its functions come before its name and heading)
    start = next(i for i, l in enumerate(src, 1) if l.startswith("住基法に基づき、住民基本台帳に関する事務を行うため"))
    end = next(i for i, l in enumerate(src, 1) if l.strip() == "３．特定個人情報ファイル名")
    return start, end - 1


def other_texts(src, a, b):
    """The checked 「[ ○ ] その他 （ … ）」 boxes: (lines used, squashed text). The closing 「）」 is the
    first one that does not close a 「（」 of the text itself; it may be several lines further down."""
    out = []
    n = a
    while n <= b:
        m = re.match(r"^\[ ○ \] その他 （(.*)$", line(src, n))
        if m:
            used, body = [n], m.group(1)
            while body.count("）") <= body.count("（"):
                n += 1
                if line(src, n).strip() and not re.match(r"^[\[\]]", line(src, n)):  # skip torn boxes in between
                    used.append(n)
                    body += line(src, n).strip()
            out.append((used, squash(body.rstrip()[:-1])))
        n += 1
    return out


def test_systems_and_names(doc, src):
    a, b = systems_range(src)
    heads = [int(m.group(1)) for n in range(a, b + 1) if (m := SYS_HEAD_RE.match(line(src, n)))]
    names = []
    for n in range(a, b + 1):
        m = NAME_RE.match(line(src, n))
        if m:
            name = m.group(1) or next(l for l in src[n:] if l.strip()).strip()
            names.append(name)
    systems = part(doc, "basic").sections[1].systems
    assert heads == list(range(1, len(heads) + 1)) == [int(s.no) for s in systems]
    assert len(systems) == 9
    assert [s.get("system_name").text for s in systems] == names
    assert [s.title.label for s in systems] == [f"システム{h}" for h in heads]


def test_system_functions(doc, src):
    """Every function line is in the YAML, and the numbered functions per system match the source
    (numbering restarts at 1 for each system; systems 8 and 9 have none)."""
    a, b = systems_range(src)
    runs: list[list[str]] = []
    for n in range(a, b + 1):
        m = FUNC_HEAD_RE.match(line(src, n))
        if m:
            if m.group(1).translate(Z2A) == "1":
                runs.append([])
            runs[-1].append(line(src, n).strip())
    systems = part(doc, "basic").sections[1].systems
    yaml_runs = []
    for s in systems:
        text = s.get("system_functions").text
        heads = [l.strip() for l in text.split("\n") if FUNC_HEAD_RE.match(l)]
        if heads:
            yaml_runs.append(heads)
    assert yaml_runs == runs
    assert [len(r) for r in runs] == [7, 8, 5, 10, 4, 6, 5]  # as counted in the seed notes
    # every value line of the system block (not a label, not a checkbox fragment) is in some functions text
    funcs = "".join(squash(s.get("system_functions").text) for s in systems)
    other_lines = {n for used, _ in other_texts(src, a, b) for n in used}
    names = "".join(squash(i.text) for s in systems for f in s.items if f.key.value == "system_name" for i in [f, *f.items])
    for n in range(a, b + 1):
        t = line(src, n)
        if not t.strip() or t.startswith(" ") or CHECK_RE.match(t) or n in other_lines:
            continue  # labels; checkbox fragments and the その他 texts are checked in test_system_connections
        assert squash(t) in funcs or squash(t) in names, f"L{n}: {t!r}"


def test_system_connections(doc, src):
    a, b = systems_range(src)
    frags = [line(src, n) for n in range(a, b + 1) if CHECK_RE.match(line(src, n))]
    others_src = [body for _, body in other_texts(src, a, b)]
    systems = part(doc, "basic").sections[1].systems
    checks = [s.get("system_connections").check for s in systems]
    raw_lines = [l for c in checks for l in c.raw.split("\n")]
    raw_frags = [l for l in raw_lines if CHECK_RE.match(l)]
    assert sorted(raw_frags) == sorted(frags), "every checkbox fragment is used by exactly one system"
    assert sorted(squash(c.other) for c in checks if c.other) == sorted(others_src)
    # checked boxes: one per 「○」 printed in the fragments
    assert sum(len(c.checked) for c in checks) == sum(f.count("○") for f in frags)
    for c in checks:
        assert len(c.options) == 7 and set(c.checked) <= set(c.options)
        assert ("その他" in c.checked) == bool(c.other)
        assert sum(l.count("○") for l in c.raw.split("\n")) == len(c.checked)


def test_section_items(doc, src):
    basic = part(doc, "basic")
    assert [s.no for s in basic.sections] == [str(i) for i in range(1, 9)]
    heads = [l.strip() for l in src[99:630] if re.match(r"^ [０-９]．", l)]
    assert sorted(squash(h[2:]) for h in heads) == sorted(squash(s.title) for s in basic.sections)
    # I-6-②: the 項 list, whose numbers wrap across lines
    start = next(i for i, l in enumerate(src, 1) if l.startswith("（１、２、３、"))
    end = next(i for i in range(start, start + 10) if line(src, i).endswith("の項）"))
    numbers = "".join(line(src, i) for i in range(start, end + 1)).translate(Z2A)
    src_list = re.findall(r"\d+", numbers)
    yaml_text = basic.sections[5].get("legal_basis").text.translate(Z2A)
    m = re.search(r"（([\d、]+)の項）", yaml_text)
    assert m and m.group(1).split("、") == src_list and len(src_list) == 60
    # I-5: every article line of the legal basis
    art = [l for l in src[570:592] if l.startswith("・第")]
    assert all(squash(a) in squash(basic.sections[4].get("legal_basis").text) for a in art)


def test_abbreviations(doc, src):
    a, b = basic_range(src)
    joined = "".join(l.strip() for l in src[a - 1 : b])
    shorts = set(re.findall(r"以下、?(?:単に)?「([^「」]{1,20})」という", joined))
    shorts |= set(re.findall(r"以降、([^、「」（）()]{1,20})という", joined))
    shorts |= set(re.findall(r"を「([^」]{1,20})」という", joined))
    assert len(shorts) >= 12
    assert shorts <= {ab.short for ab in doc.abbreviations}


# --- （別添1） 事務の内容 ---------------------------------------------------------------------------

FLOW_RE = re.compile(r"^([０-９]+)．(.+)$")
STEP_RE = re.compile(r"^\s*(\d+-[①-⑳](?:、[①-⑳])?\.)")


def test_business_detail(doc, src):
    start = next(i for i, l in enumerate(src, 1) if l.strip() == "（備考）")
    end = next(i for i in range(start, len(src)) if line(src, i).strip() == "札幌市")  # first diagram fragment
    flows = [(n, FLOW_RE.match(line(src, n))) for n in range(start, end) if FLOW_RE.match(line(src, n))]
    steps = [STEP_RE.match(line(src, n)).group(1) for n in range(start, end) if STEP_RE.match(line(src, n))]
    assert len(flows) == 13 and len(steps) == 36
    bd = part(doc, "business_detail")
    assert [(s.no, s.title, s.line) for s in bd.sections] == [(m.group(1).translate(Z2A), m.group(2), n) for n, m in flows]
    assert [i.label for s in bd.sections for i in s.items if i.label] == steps
    # the （備考） is printed a second time, verbatim, after the diagram: recorded as a note, not repeated
    block = src[flows[0][0] - 1 : end - 1]
    while not block[-1].strip():
        block.pop()
    second = next(i for i in range(end, len(src)) if line(src, i) == line(src, flows[0][0]))
    assert src[second - 1 : second - 1 + len(block)] == block
    dup = [i for i in bd.items if i.line == second]
    assert len(dup) == 1 and dup[0].text is None and "一字一句" in dup[0].note
    # the diagram word salad: every fragment, in order, in one garbled field
    diagram = next(i for i in bd.items if i.gap and i.gap.value == "garbled")
    frags = [l for l in src[end - 1 : second - 1] if l.strip()]
    assert diagram.text.split("\n") == frags


# --- Ⅳ-Ⅵ --------------------------------------------------------------------------------------


def test_iv_to_vi_labels(doc, src):
    """Every label line (one leading space) of Ⅳ-Ⅵ is a label or section title of the YAML,
    and every Ⅵ item without a value is marked empty."""
    labels = set()
    for kind in ("other_measures", "disclosure", "procedures"):
        p = part(doc, kind)
        for s in p.sections:
            labels.add(squash(s.title))
            for f in s.items:
                for node in f.walk():
                    if node.label:
                        labels.add(squash(node.label))
    a, b = RANGES[1]
    label_lines = [n for n in range(a, b + 1) if re.match(r"^ \S", line(src, n))]
    assert len(label_lines) >= 30
    for n in label_lines:
        t = line(src, n).strip()
        t = re.sub(r"^[０-９]．", "", t)
        # wrapped labels (「⑥個人情報ファイル簿への不」/「記載等」) are joined with the next line
        ok = any(squash(t) == l or (l.startswith(squash(t)) and squash(t + line(src, n + 1)) == l) for l in labels)
        ok = ok or any(squash(t).startswith(l) for l in labels)  # 「①請求先」-style label + value lines
        assert ok, f"L{n}: {t!r}"
    procedures = part(doc, "procedures")
    assert [s.no for s in procedures.sections] == ["1", "2", "3", "4"]
    for s in procedures.sections:
        for f in s.items:
            assert f.text or f.select or f.gap.value == "empty", f.label
    assert sum(1 for s in procedures.sections for f in s.items if f.gap) == 9


def test_nothing_lost(raw_data, src):
    corpus = pieces(raw_data)
    blob = "\x00".join(corpus)
    missing = []
    for a, b in RANGES:
        for n in range(a, b + 1):
            if FILE1_LINES[0] <= n <= FILE1_LINES[1]:
                continue
            t = line(src, n)
            sq = squash(t)
            if not sq:
                continue
            heading = re.match(r"^\s*([０-９]+)．(.+)$", t)
            if heading and squash(heading.group(2)) in blob:
                continue  # 「１．監査」: number + title
            if sq not in blob:
                missing.append(f"L{n}: {t}")
    assert not missing, "\n".join(missing)
