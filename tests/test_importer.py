"""The importer: extracted text → validated YAML draft + coverage report.

Quality is measured against the curated content: the agreement test fails when
the share of curated values a draft reproduces exactly drops below the issue's
targets (95% tab-separated, 80% interleaved).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_pia.agreement import compare, flatten
from sphinx_pia.cli import main as cli_main
from sphinx_pia.importer import ImportProblem, import_file, write_draft
from sphinx_pia.importer.cells import clean, parse_checks, parse_choice
from sphinx_pia.importer.forms import detect_form
from sphinx_pia.importer.source import read_source
from sphinx_pia.loader import load_assessment

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
CONTENT = ROOT / "content"
SEEDS = {
    "000": ("fujimino-juki", "tsv", 0.95),
    "003": ("hanamaki-kojin-juminzei", "tsv", 0.95),
    "004": ("gunma-juki-net", "tsv", 0.95),
    "001": ("sapporo-juki", "interleaved", 0.80),
    "002": ("unidentified-juki-changes", "interleaved", 0.80),
}
#: The measured agreement, a little below: a change that loses values fails here even
#: while the issue's target still holds.  Raise these when the importer improves.
MEASURED = {"000": 0.995, "003": 0.99, "004": 0.975, "001": 0.92, "002": 0.99}


def source(prefix: str) -> Path:
    return next(SOURCES.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    out = tmp_path_factory.mktemp("drafts")
    result = {}
    for prefix in SEEDS:
        draft = import_file(source(prefix))
        target = write_draft(draft, out)
        result[prefix] = (draft, target, load_assessment(target, out))
    return result


@pytest.mark.parametrize("prefix", list(SEEDS))
def test_draft_validates_and_has_a_report(drafts, prefix):
    draft, target, assessment = drafts[prefix]
    assert draft.source.layout == SEEDS[prefix][1]
    report = (target / "coverage.md").read_text(encoding="utf-8")
    assert report.startswith("# 取込みレポート")
    # every non-empty line is used or listed, verbatim, as not placed
    nonblank = {ln.no for ln in draft.source.lines if not ln.blank}
    unplaced = {no for no, _ in draft.coverage.unplaced}
    assert unplaced == nonblank - draft.coverage.used
    for no, raw in draft.coverage.unplaced:
        assert f"- {no}行:" in report


@pytest.mark.parametrize("prefix", list(SEEDS))
def test_agreement_with_curated_content(drafts, prefix):
    curated_id, _, target = SEEDS[prefix]
    reference = load_assessment(CONTENT / curated_id, CONTENT)
    result = compare(reference, drafts[prefix][2])
    assert result.total > 50
    assert result.ratio >= target, (
        f"{prefix}: {result.exact}/{result.total} = {result.ratio:.1%} < {target:.0%}; "
        f"first differences: {(result.wrong + result.missing)[:5]}"
    )
    assert result.ratio >= MEASURED[prefix], f"{prefix}: {result.ratio:.1%} fell below the measured {MEASURED[prefix]:.1%}"


def test_agreement_ignores_only_whitespace():
    """A wrap is layout: the same text broken differently agrees, one changed character does not."""
    reference = load_assessment(CONTENT / "sapporo-juki", CONTENT)
    candidate = load_assessment(CONTENT / "sapporo-juki", CONTENT)
    row = candidate.annexes[0].rows[0]
    row.cells[2] = row.cells[2][:10] + "\n" + row.cells[2][10:]
    assert compare(reference, candidate).ratio == 1.0
    assert compare(reference, candidate, keep_spaces=True).ratio < 1.0
    row.cells[2] = row.cells[2].replace("法", "方", 1)
    assert [loc for loc, *_ in compare(reference, candidate).wrong] == ["annex1/1/2"]


def test_agreement_counts_a_changed_value():
    """The metric is not vacuous: one edited value is one disagreement."""
    reference = load_assessment(CONTENT / "hanamaki-kojin-juminzei", CONTENT)
    candidate = load_assessment(CONTENT / "hanamaki-kojin-juminzei", CONTENT)
    assert compare(reference, candidate).ratio == 1.0
    candidate.changes.entries[0].after.text = "別の記載"
    candidate.annexes = []
    result = compare(reference, candidate)
    assert result.total == len(flatten(reference))
    assert [loc for loc, *_ in result.wrong] == ["changes/1/after"]


def test_cp932_file_imports_like_utf8(tmp_path):
    # Python's cp932 has no U+2014; a Shift_JIS export prints U+2015 there
    text = source("000").read_text(encoding="utf-8").replace("—", "―")
    utf8 = tmp_path / "a" / "doc.txt"
    sjis = tmp_path / "b" / "doc.txt"
    utf8.parent.mkdir()
    sjis.parent.mkdir()
    utf8.write_text(text, encoding="utf-8")
    sjis.write_bytes(text.encode("cp932"))
    a, b = import_file(utf8), import_file(sjis)
    assert (a.source.encoding, b.source.encoding) == ("utf-8", "cp932")
    assert a.documents().keys() == b.documents().keys()
    for name in a.documents():
        if name == "assessment.yaml":
            continue  # its source note names the encoding
        assert a.documents()[name] == b.documents()[name], name


def test_empty_and_unknown_files_are_refused_and_others_still_import(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("令和6年度 第2回 情報公開審査会 議事録\n出席者\t5名\n", encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    rc = cli_main(["import", str(empty), str(minutes), str(binary), str(source("003")), "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    assert f"{empty}: 評価書のテキストではありません（ファイルが空です）" in err
    assert f"{minutes}: 評価書のテキストではありません（特定個人情報保護評価書として認識できません）" in err
    assert f"{binary}: 評価書のテキストではありません（バイナリファイルのようです" in err
    assert "Traceback" not in err
    assert "4 件中 3 件を取り込めませんでした" in err
    assert "[4/4]" in err  # the progress bar reached the end
    drafts = [p for p in out.iterdir() if p.is_dir()]
    assert [p.name for p in drafts] == ["003-44f59ed5427b0870"]
    assert (drafts[0] / "coverage.md").exists()


def test_console_script_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_pia", "import", str(source("004")), "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout and "coverage.md" in proc.stdout


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("特定個人情報保護評価書(基礎項目評価書)", "kiso"),
        ("特定個人情報保護評価書(重点項目評価書)", "juten"),
        ("特定個人情報保護評価書（全項目評価書）", "zenkomoku"),
        ("[令和６年10月　様式４]", "zenkomoku"),
        ("［令和6年10月 様式2］", "kiso"),
    ],
)
def test_form_is_recognised_by_title_or_stamp(tmp_path, header, kind):
    path = tmp_path / "doc.txt"
    path.write_text(f"\n{header}\n\n評価書番号\t評価書名\n", encoding="utf-8")
    assert detect_form(read_source(path)).kind == kind


def test_seed_forms():
    assert detect_form(read_source(source("000"))).kind == "juten"
    assert detect_form(read_source(source("004"))).kind == "zenkomoku"
    assert detect_form(read_source(source("001"))).stamp is not None
    assert detect_form(read_source(source("002"))).fragment


def test_unknown_file_error_names_the_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as exc:
        import_file(path)
    assert str(exc.value).startswith(str(path))


# --- cells: the printed shapes of the seed notes §5.1-5.2 ---------------------


def test_literal_angle_brackets_are_text_not_markup():
    cell = "<p>[十分である] <選択肢></p> <p><中間サーバー・ソフトウェアにおける措置> ○ログ</p>"
    assert clean(cell) == "[十分である] <選択肢>\n<中間サーバー・ソフトウェアにおける措置> ○ログ"
    assert "<中間サーバー・プラットフォームにおける措置>" in clean("<中間サーバー・プラットフォームにおける措置>")


def test_imported_text_keeps_literal_brackets(drafts):
    draft = drafts["000"][0]
    texts = [v for v in flatten(drafts["000"][2]).values()]
    assert any("<中間サーバー・ソフトウェアにおける措置>" in t for t in texts)
    assert not any("<p>" in t or "<input" in t for t in texts)
    assert draft.coverage.used


@pytest.mark.parametrize(
    ("cell", "value", "options"),
    [
        ("[システム用ファイル] <選択肢> 1) システム用ファイル 2) その他の電子ファイル(表計算ファイル等)",
         "システム用ファイル", ["システム用ファイル", "その他の電子ファイル(表計算ファイル等)"]),
        ("<input type=\"checkbox\"/> 50人以上100人未満] <選択肢> 1) 10人未満 2) 50人以上100人未満",
         "50人以上100人未満", ["10人未満", "50人以上100人未満"]),
        ("[<input checked=\"\" type=\"checkbox\"/> 十分である]\t<選択肢> 1) 特に力を入れている 2) 十分である",
         "十分である", ["特に力を入れている", "十分である"]),
        ("[<input type=\"checkbox\"/>]\t<選択肢> 1) 特に力を入れている 2) 十分である", None, ["特に力を入れている", "十分である"]),
        ("<p style=\"text-align: center;\">＜選択肢＞</p> <p>[10万人以上30万人未満] 1) 1,000人未満 2) 10万人以上30万人未満</p>",
         "10万人以上30万人未満", ["1,000人未満", "10万人以上30万人未満"]),
    ],
)
def test_parse_choice(cell, value, options):
    choice = parse_choice(cell)
    assert (choice.value, choice.options) == (value, options)


def test_parse_choice_count():
    choice = parse_choice("[委託する] <選択肢> 1) 委託する 2) 委託しない (2) 件")
    assert (choice.value, choice.options, choice.count) == ("委託する", ["委託する", "委託しない"], 2)


def test_parse_checks_marks_and_details():
    group = parse_checks(
        "[<input checked=\"\" type=\"checkbox\"/>] 自己点検 [] 内部監査 [O]外部監査 "
        "<input type=\"checkbox\"/> 電子記録媒体(フラッシュメモリを除く。) [] その他 (住基ネット)"
    )
    assert group.checked == ["自己点検", "外部監査"]
    assert group.labels == ["自己点検", "内部監査", "外部監査", "電子記録媒体(フラッシュメモリを除く。)", "その他"]
    assert group.other == "住基ネット"


def test_parse_checks_counts():
    group = parse_checks("[<input type=\"radio\"/>] 提供を行っている (56) 件 [] 移転を行っている () 4) 件 [] 行っていない")
    assert [(o.label, o.count, o.radio) for o in group.options] == [
        ("提供を行っている", 56, True), ("移転を行っている", None, False), ("行っていない", None, False)]


def test_labels_match_after_nfkc_but_text_is_stored_verbatim(tmp_path):
    """Full-width section numbers and 「Ⅱ」 for 「II」 give the same structure;
    the draft keeps the characters as printed."""
    import re
    import unicodedata

    text = source("000").read_text(encoding="utf-8")
    wide = re.sub(r"^(\d)\. ", lambda m: chr(ord(m.group(1)) + 0xFEE0) + "．", text, flags=re.M)
    wide = re.sub(r"^II ", "Ⅱ ", wide, flags=re.M)
    assert wide != text
    path = tmp_path / "src" / "wide.txt"
    path.parent.mkdir()
    path.write_text(wide, encoding="utf-8")
    plain_draft, wide_draft = import_file(source("000")), import_file(path)
    a = flatten(load_assessment(write_draft(plain_draft, tmp_path / "a"), tmp_path / "a"))
    b = flatten(load_assessment(write_draft(wide_draft, tmp_path / "b"), tmp_path / "b"))
    assert a.keys() == b.keys()
    changed = [k for k in a if a[k] != b[k]]
    assert changed  # the widened characters are kept, not normalized away
    for k in changed:
        assert unicodedata.normalize("NFKC", a[k]).replace(" ", "") == unicodedata.normalize("NFKC", b[k]).replace(" ", "")


@pytest.mark.parametrize("prefix, organization", [("004", "群馬県知事"), ("001", "札幌市長")])
def test_a_draft_builds_into_a_site_without_warnings(tmp_path, prefix, organization):
    """What a reviewer does next: drop the draft into a content directory and build
    (one draft of each layout)."""
    import io
    import shutil

    from bs4 import BeautifulSoup
    from sphinx.application import Sphinx

    content = tmp_path / "content"
    target = write_draft(import_file(source(prefix)), content)
    src = tmp_path / "site"
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    from sphinx.util.docutils import docutils_namespace

    warnings = io.StringIO()
    # docutils keeps node and directive registrations process-wide: restore them
    # afterwards, or the next Sphinx application in this process warns about them
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
                     confoverrides={"pia_content_dir": str(content)}, status=None, warning=warnings, warningiserror=True)
        app.build()
    assert warnings.getvalue() == ""
    page = tmp_path / "html" / "pia" / target.name / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert organization in soup.get_text()


def test_parts_outside_the_model_are_listed_not_misplaced(tmp_path):
    """A 基礎項目評価書 part such as 「II しきい値判断項目」 is recognised as a part heading;
    its lines are reported as unplaced instead of being filed under the part before it."""
    path = tmp_path / "kiso.txt"
    path.write_text(
        "\n特定個人情報保護評価書(基礎項目評価書)\n\n評価書番号\t評価書名\n2\t介護保険に関する事務 基礎項目評価書\n\n"
        "評価実施機関名\n\n〇〇市長\n\nI 基本情報\n\n1. 特定個人情報ファイルを取り扱う事務\n①事務の名称\t介護保険に関する事務\n\n"
        "II しきい値判断項目\n\n1. 対象人数\n評価対象の事務の対象人数は何人か\t[1万人以上10万人未満]\t<選択肢> 1) 1,000人未満 2) 1万人以上10万人未満\n",
        encoding="utf-8",
    )
    draft = import_file(path)
    assert draft.assessment["form"]["kind"] == "kiso"
    org = next(f for f in draft.assessment["cover"] if f.get("key") == "organization_name")
    assert org["text"] == "〇〇市長"
    basic = draft.assessment["parts"][0]
    assert basic["kind"] == "basic" and basic["sections"][0]["items"][0]["text"] == "介護保険に関する事務"
    unplaced = [raw for _, raw in draft.coverage.unplaced]
    assert unplaced[0] == "II しきい値判断項目"
    assert any(raw.startswith("評価対象の事務の対象人数は何人か") for raw in unplaced)
    assert any("しきい値判断項目" in p.where for p in draft.coverage.problems)
    load_assessment(write_draft(draft, tmp_path / "out"), tmp_path / "out")


BASIC = {"form": {"kind": "zenkomoku"}, "parts": [
    {"kind": "basic", "sections": [{"no": str(n), "title": t} for n, t in [
        (1, "特定個人情報ファイルを取り扱う事務"), (2, "特定個人情報ファイルを取り扱う事務において使用するシステム"),
        (4, "特定個人情報ファイルを取り扱う理由"), (6, "情報提供ネットワークシステムによる情報連携")]]},
    {"kind": "business_detail", "sections": [{"no": "1"}, {"no": "3"}]},
]}
BASIC["parts"][0]["sections"][1]["systems"] = [{"no": str(n)} for n in range(1, 10)]


@pytest.mark.parametrize("item, target", [
    ("Ｉ－２－システム９－③", "sys-9"),  # the entity's number is not a section number
    ("Ⅰ－１－②－⑫", "basic-1"),  # ② and ⑫ are items, not sections 2 and 12
    ("Ｉ－４－①", "basic-4"),
    ("Ｉ－６－②", "basic-6"),
    ("（別添１）事務内容", "business-detail"),  # 別添1 is the part, not section 1
])
def test_change_items_in_code_notation_resolve(item, target):
    from sphinx_pia.importer.changes import resolve

    targets, resolution, _ = resolve(item, BASIC, [])
    assert resolution == "resolved"
    assert [t["ref"] for t in targets] == [target]


def test_change_targets_agree_with_curated_content(drafts):
    """Where the curated 変更箇所 names a target, the draft resolves the same one
    (001: 30 of 33; of the other 3, two print the wrong 項目 and one is
    placed by what its text says, not by its 項目)."""
    reference = load_assessment(CONTENT / "sapporo-juki", CONTENT)
    same = sum({t.ref for t in a.targets} == {t.ref for t in b.targets}
               for a, b in zip(reference.changes.entries, drafts["001"][2].changes.entries) if a.targets)
    assert same >= 30


def test_an_entity_named_without_a_number_is_the_sections_only_one():
    from sphinx_pia.importer.changes import resolve

    files = [{"no": "1", "name": {"text": "住民基本台帳ファイル"}, "overview": {"sections": [
        {"no": "5", "title": "特定個人情報の提供・移転", "provisions": [{"no": "1"}], "transfers": [{"no": "1"}, {"no": "2"}]}]},
        "risk_measures": {"sections": [{"no": "4", "title": "特定個人情報ファイルの取扱いの委託", "risks": [{}]}]}}]
    assessment = {"form": {"kind": "juten"}, "parts": []}
    assert resolve("II 住民基本台帳ファイル 5. ②提供先における用途", assessment, files)[0] == [{"ref": "file-1-prov-1"}]
    # two 移転先: which one is not said, so only the section
    assert resolve("II 住民基本台帳ファイル 5. ②移転先における用途", assessment, files)[0] == [{"ref": "file-1-ii-5"}]
    assert resolve("IIIリスク対策(住民基本台帳ファイル) 4. リスク:委託先における不正な使用等のリスク", assessment, files)[0] == \
        [{"ref": "file-1-iii-4-risk-1"}]


def test_a_table_heading_inside_the_form_is_not_a_part(tmp_path):
    """Found by the fuzz property: 「（別添３）変更箇所」 printed again inside the form (without
    its table) made a part of kind 'changes', which the model refuses; it is now left unplaced
    and reported."""
    lines = source("001").read_text(encoding="utf-8").split("\n")
    title = next(ln.strip() for ln in lines if ln.strip().endswith("変更箇所") and "別添" in ln)
    at = len(lines) // 3
    lines[at:at] = ["", title, ""]
    path = tmp_path / "src" / "x.txt"
    path.parent.mkdir()
    path.write_text("\n".join(lines), encoding="utf-8")
    draft = import_file(path)
    assessment = load_assessment(write_draft(draft, tmp_path / "out"), tmp_path / "out")
    assert "changes" not in [p.kind for p in assessment.doc.parts]
    assert (at + 2, title) in draft.coverage.unplaced
    assert any(n.line == at + 2 and "表の列見出し" in n.why for n in draft.coverage.problems)


def test_a_long_change_row_is_split_with_bounded_comparison(tmp_path, monkeypatch):
    """A 変更箇所 row thousands of lines long (no form has one) is compared within a fixed
    budget, not once per line and not exactly on whole halves: difflib is quadratic, and
    such a row took minutes."""
    import sphinx_pia.importer.interleaved_changes as changes

    ranked, exact = [], []

    class Counting(changes.SequenceMatcher):
        def quick_ratio(self):
            ranked.append(len(self.a) + len(self.b))
            return super().quick_ratio()

        def ratio(self):
            exact.append(len(self.a) * len(self.b))
            return super().ratio()

    monkeypatch.setattr(changes, "SequenceMatcher", Counting)
    path = tmp_path / "long.txt"
    path.write_text("特定個人情報保護評価書（全項目評価書）\n(別添3) 変更箇所\n\n"
                    "変更日 項目 変更前の記載 変更後の記載 提出時期 提出時期に係る説明\n\n"
                    "令和5年4月1日\nⅡ－１\n" + "同じ行\n" * 10000 + "事後\n理由\n", encoding="utf-8")
    draft = import_file(path)
    entry = draft.changes["entries"][0]
    kept = (entry["before"].get("text") or "") + (entry["after"].get("text") or "")
    assert kept.count("同じ行") == 10000  # split somewhere, every line kept
    assert any("変更前と変更後の境界は原文にない" in n.why for n in draft.coverage.low_confidence)
    assert len(ranked) <= 64 and sum(ranked) <= 1_000_000
    assert sum(exact) <= 4_000_000


def test_a_circled_digit_in_a_record_number_is_not_a_crash(tmp_path):
    """Found by the fuzz property: 「①」 is a digit to str.isdigit() but not to int(), and
    a record-item grid numbered 「24①」 stopped the import with a ValueError."""
    text = source("003").read_text(encoding="utf-8")
    assert "\t84\t分離配当課税所得\t" in text
    path = tmp_path / "src" / "x.txt"
    path.parent.mkdir()
    path.write_text(text.replace("\t84\t分離配当課税所得\t", "\t8①4\t分離配当課税所得\t"), encoding="utf-8")
    draft = import_file(path)
    assessment = load_assessment(write_draft(draft, tmp_path / "out"), tmp_path / "out")
    names = [item.name for group in assessment.files[0].record_items.groups for item in group.items]
    assert "分離配当課税所得" in names
