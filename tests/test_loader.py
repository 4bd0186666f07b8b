"""Loader errors: each names the file, line, column and field, and says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_pia.loader import ContentError, load_assessment, load_content

BASIC = Path(__file__).parent / "roots" / "test-basic" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(BASIC, dest)
    return dest


def _problems(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_assessment(directory, directory.parent)
    return [str(p) for p in exc.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_content_loads(content):
    assessments = load_content(content)
    assert sorted(a.id for a in assessments) == ["city-a-juki", "city-b-tax"]
    a = next(a for a in assessments if a.id == "city-a-juki")
    ids = {oid for oid, _ in a.objects()}
    assert {"sys-1", "sys-2", "sys-3", "file-1", "file-1-ent-1", "file-1-prov-1", "file-1-prov-2", "file-1-iii-2-risk-1", "chg-1", "annex-1-2"} <= ids


def test_bad_indentation_names_line(content):
    path = content / "city-a-juki" / "assessment.yaml"
    _edit(path, "  - kind: basic\n    numeral: I", "  - kind: basic\n   numeral: I")
    [problem] = _problems(content / "city-a-juki")
    assert problem.startswith("city-a-juki/assessment.yaml:")
    assert "YAML の書式が正しくありません" in problem and "字下げ" in problem


def test_wrong_type(content):
    path = content / "city-a-juki" / "file-1.yaml"
    _edit(path, "declared: 1,", "declared: いち,")
    [problem] = _problems(content / "city-a-juki")
    assert "file-1.yaml:" in problem and "count.declared" in problem and "整数が必要" in problem
    line = int(problem.split(":")[1])
    assert "いち" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_unknown_key_did_you_mean(content):
    path = content / "city-a-juki" / "file-1.yaml"
    _edit(path, "select: {value: 10万人以上", "selct: {value: 10万人以上")
    problems = _problems(content / "city-a-juki")
    assert any("キー 'selct' は使えません。'select' の誤りではありませんか。" in p for p in problems)
    line = int(problems[0].split(":")[1])
    assert "selct" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_unknown_enum_value(content):
    _edit(content / "city-a-juki" / "assessment.yaml", "kind: juten", "kind: jutenn")
    problems = _problems(content / "city-a-juki")
    assert any("form.kind" in p and "'juten' の誤りではありませんか" in p for p in problems)


def test_duplicate_id(content):
    path = content / "city-a-juki" / "file-1.yaml"
    _edit(path, "- no: \"2\"\n          title: {label: 委託事項2", "- no: \"1\"\n          title: {label: 委託事項2")
    problems = _problems(content / "city-a-juki")
    assert any("ID 'file-1-ent-1' が重複しています" in p for p in problems)


def test_dangling_reference(content):
    _edit(content / "city-a-juki" / "changes.yaml", "ref: file-1-prov-2", "ref: file-1-prov-9")
    problems = _problems(content / "city-a-juki")
    assert any("changes.yaml:" in p and "'file-1-prov-9' はこの評価書の節・項目を指していません" in p and "'file-1-prov-2' の誤り" in p for p in problems)


def test_dangling_system_link(content):
    _edit(content / "city-a-juki" / "file-1.yaml", "system: sys-2", "system: sys-7")
    problems = _problems(content / "city-a-juki")
    assert any("systems[1].system" in p and "'sys-7'" in p for p in problems)


def test_duplicate_mapping_key(content):
    path = content / "city-a-juki" / "assessment.yaml"
    _edit(path, "status: published\n", "status: published\nstatus: draft\n")
    [problem] = _problems(content / "city-a-juki")
    assert "キー 'status' が重複しています" in problem and "最初は" in problem


def test_empty_file(content):
    (content / "city-a-juki" / "changes.yaml").write_text("", encoding="utf-8")
    problems = _problems(content / "city-a-juki")
    assert any("changes.yaml:1:1" in p and "ファイルが空です" in p for p in problems)


def test_not_utf8(content):
    (content / "city-a-juki" / "changes.yaml").write_bytes("title: 変更箇所\n".encode("cp932"))
    problems = _problems(content / "city-a-juki")
    assert any("UTF-8 のテキストではありません" in p for p in problems)


def test_unexpected_file_name(content):
    (content / "city-a-juki" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    problems = _problems(content / "city-a-juki")
    assert any("notes.yaml" in p and "想定外のファイル名" in p for p in problems)


def test_id_must_match_directory(content):
    shutil.move(content / "city-b-tax", content / "city-c")
    problems = _problems(content / "city-c")
    assert any("ディレクトリ名" in p for p in problems)


def test_cli_reports_without_traceback(content, capsys):
    from sphinx_pia.cli import main

    _edit(content / "city-a-juki" / "assessment.yaml", "status: published", "statuss: published")
    assert main(["validate", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "キー 'statuss' は使えません。'status' の誤りではありませんか。" in err


def test_plain_scalars_read_the_same_without_the_resolver_shortcut(monkeypatch):
    """Plain scalars no implicit resolver claims by their first character skip resolve(): same data."""
    from sphinx_pia import yamlsafe

    samples = ["住民票コード", "abc def", "yes", "No", "on", "~", "null", "12", "-3", "+4", "1.5", ".5", "2024-01-02",
               "令和6年", "x: y", "O'Neil", "true story", "Z", "ｙｅｓ", "ñ"]
    text = "\n".join(f"k{i}: {v}" if ": " not in v else f"k{i}: '{v}'" for i, v in enumerate(samples)) + "\n"
    fast = yamlsafe.parse_yaml(text, "t.yaml")[0]
    original = yamlsafe._Builder.__init__

    def slow_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.wildcard_resolvers = True  # every plain scalar through loader.resolve()

    monkeypatch.setattr(yamlsafe._Builder, "__init__", slow_init)
    slow = yamlsafe.parse_yaml(text, "t.yaml")[0]
    assert fast == slow
    assert fast["k0"] == "住民票コード" and fast["k2"] is True and fast["k7"] == 12 and fast["k5"] is None
