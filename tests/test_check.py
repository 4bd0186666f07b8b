"""点検: the rules find the known defects of the five seeds and nothing the source refutes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sphinx_pia.check import Severity, check, check_assessment, rules
from sphinx_pia.check.ruleset import parse_range
from sphinx_pia.cli import main
from sphinx_pia.index import SiteIndex
from sphinx_pia.loader import load_content
from sphinx_pia.model import FieldKey, FormKind

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def content():
    return {a.id: a for a in load_content(ROOT / "content")}


@pytest.fixture(scope="module")
def findings(content):
    return check(content.values(), DAY)


def _of(findings, aid, rule):
    return [f for f in findings if f.assessment == aid and f.rule == rule]


def _source(name: str) -> list[str]:
    return (ROOT / "sources" / name).read_text(encoding="utf-8").split("\n")


def test_every_rule_states_its_basis():
    ids = [r.id for r in rules()]
    assert len(ids) == len(set(ids)) >= 20
    for r in rules():
        assert re.fullmatch(r"PIA-[A-Z]\d\d", r.id)
        assert r.title and len(r.basis) > 40, r.id
        assert re.search(r"[ぁ-んァ-ヶ一-龥]", r.basis), r.id
    threshold = next(r for r in rules() if r.id == "PIA-T01")
    # the thresholds used and where they come from are in the rule's own text
    for needle in ("30万人以上", "10万人以上30万人未満", "500人以上", "指針", "narita"):
        assert needle in threshold.basis


def test_every_finding_links_to_an_item_of_the_site(content, findings):
    site = SiteIndex(content.values())
    assert findings
    for f in findings:
        assert f.target in site.objects, f
        assert f.organization == content[f.assessment].doc.organization.id


def test_fujimino_declared_counts_against_annex_rows(findings):
    lines = _source("000_15f2a45ded04b7a0.txt")
    # the 別紙1 and 別紙2 rows as printed: a line starting with the row number and a tab
    start1 = next(i for i, l in enumerate(lines) if l.startswith("別紙1"))
    start2 = next(i for i, l in enumerate(lines) if l.startswith("別紙2"))
    rows1 = sum(1 for l in lines[start1:start2] if re.match(r"^\d+\t", l))
    rows2 = sum(1 for l in lines[start2:] if re.match(r"^\d+\t", l))
    assert (rows1, rows2) == (58, 23)
    messages = [f.message for f in _of(findings, "fujimino-juki", "PIA-C01")]
    assert any("(56) 件" in m and f"{rows1} 件" in m for m in messages)
    assert any("(19) 件" in m and f"{rows2} 件" in m for m in messages)
    assert all(f.severity == Severity.error for f in _of(findings, "fujimino-juki", "PIA-C01"))


def test_hanamaki_declared_counts_against_printed_blocks(findings):
    lines = _source("003_44f59ed5427b0870.txt")
    printed_prov = {m.group(1) for l in lines if (m := re.match(r"^提供先(\d+)\t", l))}
    printed_tran = {m.group(1) for l in lines if (m := re.match(r"^移転先(\d+)\t", l))}
    assert (len(printed_prov), len(printed_tran)) == (20, 13)
    messages = [f.message for f in _of(findings, "hanamaki-kojin-juminzei", "PIA-C01")]
    assert any("(57) 件" in m and "20 件" in m and "欠落" in m for m in messages)
    assert any("(24) 件" in m and "13 件" in m for m in messages)


def test_no_count_finding_where_counts_agree(findings):
    # Sapporo declares 60 提供先 and its 別紙1 has 60 rows; 2 移転先 and 2 blocks
    assert not _of(findings, "sapporo-juki", "PIA-C01")
    assert not _of(findings, "gunma-juki-net", "PIA-C01")  # its counts are unreadable 「() 4) 件」: not compared


def test_empty_publication_date_of_drafts(findings):
    sapporo = _of(findings, "sapporo-juki", "PIA-D03")
    assert [f.target for f in sapporo] == ["sapporo-juki/cover"]
    line = _source("001_c929cc07fcd15d36.txt")[sapporo[0].line - 1]
    assert "公表日" in line and not re.search(r"\d", line)
    assert not _of(findings, "sapporo-juki", "PIA-D02")  # a draft is not a published document without a date


def test_superseded_citations(findings):
    # Sapporo's 令和6年10月 form still speaks of 番号法別表第二
    sap = _of(findings, "sapporo-juki", "PIA-L01")
    assert [f.target for f in sap] == ["sapporo-juki/sys-7"]
    assert "別表第二" in _source("001_c929cc07fcd15d36.txt")[sap[0].line - 1] or "主務省令第2条の表" in sap[0].message
    fuji = _of(findings, "fujimino-juki", "PIA-L01")
    assert [f.target for f in fuji] == ["fujimino-juki/annex-2"] and "別表第一" in fuji[0].message
    # the ordinance's own 「条例別表 第二」 is not the deleted 番号法別表第二
    assert not any("条例別表" in f.message for f in fuji)
    old_rows = _of(findings, "fujimino-juki", "PIA-L02")
    assert [f.target for f in old_rows] == ["fujimino-juki/annex-1"]
    # Hanamaki (2020) cited the law of its day: information, not a defect of that version
    hana = _of(findings, "hanamaki-kojin-juminzei", "PIA-L04")
    assert len(hana) == 1 and "第19条第7号" in hana[0].message and "別表第二" in hana[0].message
    assert not _of(findings, "hanamaki-kojin-juminzei", "PIA-L01")


def test_reassessment_due_depends_on_the_check_date(content):
    hanamaki = content["hanamaki-kojin-juminzei"]  # 公表日 令和2年3月29日
    assert [f.rule for f in check_assessment(hanamaki, dt.date(2025, 3, 29)) if f.rule == "PIA-D01"] == ["PIA-D01"]
    assert not [f for f in check_assessment(hanamaki, dt.date(2025, 3, 28)) if f.rule == "PIA-D01"]


def test_entrustment_counts_match_the_source(findings):
    fuji = _of(findings, "fujimino-juki", "PIA-C02")
    assert [f.target for f in fuji] == ["fujimino-juki/file-5-ii-4"]
    gunma = _of(findings, "gunma-juki-net", "PIA-C02")
    lines = _source("004_e0523778ea70ff60.txt")
    assert "(1) 件" in lines[gunma[0].line - 1]
    section = lines[gunma[0].line - 1 : gunma[0].line + 40]
    assert sum(1 for l in section if l.startswith("委託事項")) == 2


def test_unrated_risks_skip_sections_marked_not_connected(findings):
    # Sapporo file 2 checks 「接続しない」 for III.6: its empty evaluations are not findings
    assert not [f for f in _of(findings, "sapporo-juki", "PIA-E03")]
    fuji = _of(findings, "fujimino-juki", "PIA-E03")
    lines = _source("000_15f2a45ded04b7a0.txt")
    for f in fuji:
        assert "十分か" in lines[f.line - 1] and "checked" not in lines[f.line - 1]


def test_change_entries(findings, content):
    unresolved = _of(findings, "unidentified-juki-changes", "PIA-H01")
    assert len(unresolved) == len(content["unidentified-juki-changes"].changes.entries) == 12
    no_timing = _of(findings, "hanamaki-kojin-juminzei", "PIA-H03")
    assert len(no_timing) == sum(1 for e in content["hanamaki-kojin-juminzei"].changes.entries if not (e.timing.text or "").strip())
    assert not _of(findings, "sapporo-juki", "PIA-H04")  # its 重要な変更 rows are 事前


def _copy(a):
    return copy.deepcopy(a)


def test_rules_fire_on_edited_copies(content):
    sapporo = _copy(content["sapporo-juki"])
    sapporo.doc.form.kind = FormKind.juten  # 30万人以上 on a 重点項目評価書
    rules_found = {f.rule for f in check_assessment(sapporo, DAY)}
    assert {"PIA-T01", "PIA-T02", "PIA-R02"} <= rules_found  # the stamp still says 様式４

    sapporo = _copy(content["sapporo-juki"])
    entry = next(e for e in sapporo.changes.entries if "重要な変更に当たる" in (e.reason.text or "") and "当たらない" not in e.reason.text)
    entry.timing.text = "事後"
    assert [f.target for f in check_assessment(sapporo, DAY) if f.rule == "PIA-H04"] == [f"sapporo-juki/{entry.id}"]

    hanamaki = _copy(content["hanamaki-kojin-juminzei"])
    ent = hanamaki.files[0].overview.sections[3].entrustments[0]
    sub, approval = ent.get(FieldKey.subcontract), ent.get(FieldKey.subcontract_approval)
    sub.select.value = "再委託する"
    approval.text = None
    risk = hanamaki.files[0].risk_measures.sections[1].risks[0]
    risk.get(FieldKey.evaluation).select.value = "課題が残されている"
    found = {(f.rule, f.target) for f in check_assessment(hanamaki, DAY)}
    assert ("PIA-E01", f"hanamaki-kojin-juminzei/{ent.id}") in found
    assert ("PIA-E02", f"hanamaki-kojin-juminzei/{risk.id}") in found

    hanamaki = _copy(content["hanamaki-kojin-juminzei"])
    prov = hanamaki.files[0].overview.sections[4].provisions[0]
    prov.get(FieldKey.legal_basis).text = ""
    assert ("PIA-L03", f"hanamaki-kojin-juminzei/{prov.id}") in {(f.rule, f.target) for f in check_assessment(hanamaki, DAY)}


def test_parse_range():
    assert parse_range("10万人以上30万人未満") == (100_000, 300_000)
    assert parse_range("1,000人以上1万人未満") == (1_000, 10_000)
    assert parse_range("100項目以上") == (100, None)
    assert parse_range("１万人未満") == (None, 10_000)


def test_cli_text_and_json(capsys):
    assert main(["check", str(ROOT / "content"), "--date", "2026-12-02"]) == 1
    out = capsys.readouterr().out
    assert "エラー PIA-C01 fujimino-juki/file-1-ii-5" in out and "点検結果（基準日 2026-12-02）" in out
    assert main(["check", str(ROOT / "content"), "--json", "--date", "2026-12-02"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2026-12-02"
    assert {r["id"] for r in data["rules"]} == {r.id for r in rules()}
    assert {"rule", "severity", "assessment", "target", "message", "basis", "source"} <= set(data["findings"][0])


def test_cli_exit_zero_without_errors(capsys):
    # the fragment has warnings and information only
    assert main(["check", str(ROOT / "content" / "unidentified-juki-changes")]) == 0
    assert "エラー 0 件" in capsys.readouterr().out


def test_cli_bad_input(tmp_path, capsys):
    bad = tmp_path / "x"
    bad.mkdir()
    (bad / "assessment.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "assessment.yaml" in err and "Traceback" not in err


def test_cli_validates_versions(tmp_path, capsys):
    import shutil

    root = tmp_path / "content"
    src = ROOT / "tests" / "roots" / "test-versions" / "content" / "hanamaki-kojin-juminzei"
    shutil.copytree(src, root / src.name)
    assert main(["check", str(root), "--date", "2026-12-02"]) == 1  # errors: the count findings
    assert "エラー PIA-C01" in capsys.readouterr().out
    old = root / src.name / "versions" / "2019-05-24" / "changes.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace("entries:", "entries: 3\nx:", 1), encoding="utf-8")
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "versions/2019-05-24/changes.yaml" in err and "Traceback" not in err


def test_a_finding_as_a_dict_holds_every_field_and_its_rule(findings):
    """as_dict (open data, page digests) names every field of the finding, the severity by
    value, and the rule's title and basis."""
    from dataclasses import asdict, fields

    assert findings
    for f in findings:
        d = f.as_dict()
        assert list(d) == [x.name for x in fields(f)] + ["title", "basis"]
        assert d == {**asdict(f), "severity": f.severity.value, "title": f.rule_info.title, "basis": f.rule_info.basis}
