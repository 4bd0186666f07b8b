"""``sphinx-pia import`` as a user runs it: where drafts go, what is refused, what is said.

Every test here drives the command itself (``sphinx_pia.cli.main``, or a subprocess
where a hang must be bounded) and checks the files it leaves behind."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sphinx_pia.cli import main as cli_main
from sphinx_pia.importer import ImportProblem, import_file
from sphinx_pia.importer.source import MAX_BYTES, MAX_LINES
from sphinx_pia.loader import load_assessment

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"


def seed(prefix: str) -> Path:
    return next(SOURCES.glob(f"{prefix}_*.txt"))


def copy(prefix: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed(prefix), dest)
    return dest


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = cli_main(["import", *map(str, argv)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def source_file(draft_dir: Path) -> str:
    doc = yaml.safe_load((draft_dir / "assessment.yaml").read_text(encoding="utf-8"))
    return doc["source"]["file"], doc["id"]


def drafts_in(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


# -- one directory per input --------------------------------------------------


def test_the_readme_example_writes_two_drafts(tmp_path, capsys, monkeypatch):
    """「sphinx-pia import 評価書.txt 別の評価書.txt -o drafts/」: two inputs, two drafts."""
    monkeypatch.chdir(tmp_path)
    copy("003", tmp_path / "評価書.txt")
    copy("004", tmp_path / "別の評価書.txt")
    rc, out, err = run(capsys, "評価書.txt", "別の評価書.txt", "-o", "drafts/")
    assert rc == 0, err
    names = drafts_in(tmp_path / "drafts")
    assert len(names) == 2
    assert sorted(source_file(tmp_path / "drafts" / n)[0] for n in names) == ["別の評価書.txt", "評価書.txt"]
    for n in names:
        assert source_file(tmp_path / "drafts" / n)[1] == n
        load_assessment(tmp_path / "drafts" / n, tmp_path / "drafts")
    assert out.count("ok    ") == 2


def test_same_file_name_in_two_folders_gets_a_suffix(tmp_path, capsys):
    a = copy("002", tmp_path / "a" / "x.txt")
    b = copy("001", tmp_path / "b" / "x.txt")
    out = tmp_path / "drafts"
    rc, stdout, err = run(capsys, a, b, "-o", out)
    assert rc == 0, err
    assert drafts_in(out) == ["x", "x-2"]
    # each input in its own directory, in the order given, each with its own ID
    first = load_assessment(out / "x", out)
    second = load_assessment(out / "x-2", out)
    assert (first.id, second.id) == ("x", "x-2")
    assert len(first.files) == 0 and len(second.files) == 3  # 002 is a fragment, 001 a whole form
    assert f"→ {out / 'x-2'}" in stdout


def test_a_file_given_twice_is_imported_once(tmp_path, capsys):
    a = copy("003", tmp_path / "x.txt")
    out = tmp_path / "drafts"
    rc, _, err = run(capsys, a, a, "-o", out)
    assert rc == 1
    assert "同じファイルが2回指定されています" in err
    assert drafts_in(out) == ["x"]


# -- re-import ----------------------------------------------------------------


def test_reimport_is_refused_without_force_and_replaces_cleanly_with_it(tmp_path, capsys):
    x = copy("003", tmp_path / "x.txt")
    out = tmp_path / "drafts"
    assert run(capsys, x, "-o", out)[0] == 0
    (out / "x" / "file-9.yaml").write_text("stale: true\n", encoding="utf-8")  # e.g. from an earlier version of the text
    (out / "notes").mkdir()
    (out / "notes" / "review.md").write_text("レビューのメモ\n", encoding="utf-8")
    before = (out / "x" / "assessment.yaml").read_bytes()

    copy("004", x)  # the text was re-extracted
    rc, _, err = run(capsys, x, "-o", out)
    assert rc == 1
    assert f"{out / 'x'}: 下書きのディレクトリが既にあります" in err and "--force" in err
    assert (out / "x" / "file-9.yaml").exists() and (out / "x" / "assessment.yaml").read_bytes() == before

    rc, _, err = run(capsys, x, "-o", out, "--force")
    assert rc == 0, err
    assert not (out / "x" / "file-9.yaml").exists()  # replaced, not merged
    fresh = tmp_path / "fresh"
    assert run(capsys, x, "-o", fresh)[0] == 0
    assert drafts_in(out / "x") == drafts_in(fresh / "x")
    assert len(load_assessment(out / "x", out).files) == 2  # 004's two files
    assert (out / "notes" / "review.md").read_text(encoding="utf-8") == "レビューのメモ\n"
    assert drafts_in(out) == ["notes", "x"]  # no staging directory left behind


def test_force_never_deletes_a_directory_that_is_not_a_draft(tmp_path, capsys):
    x = copy("003", tmp_path / "x.txt")
    out = tmp_path / "drafts"
    (out / "x").mkdir(parents=True)
    (out / "x" / "mine.txt").write_text("大事なファイル\n", encoding="utf-8")
    rc, _, err = run(capsys, x, "-o", out, "--force")
    assert rc == 1
    assert "下書きではない" in err
    assert (out / "x" / "mine.txt").read_text(encoding="utf-8") == "大事なファイル\n"


def test_an_empty_directory_of_the_same_name_is_used(tmp_path, capsys):
    x = copy("003", tmp_path / "x.txt")
    out = tmp_path / "drafts"
    (out / "x").mkdir(parents=True)
    assert run(capsys, x, "-o", out)[0] == 0
    load_assessment(out / "x", out)


# -- environment errors -------------------------------------------------------


def test_output_that_is_a_file(tmp_path, capsys):
    x = copy("003", tmp_path / "x.txt")
    blocker = tmp_path / "drafts"
    blocker.write_text("", encoding="utf-8")
    for out in (blocker, blocker / "sub"):
        rc, _, err = run(capsys, x, "-o", out)
        assert rc == 1
        assert f"エラー {out}:" in err
        assert "内部エラー" not in err and "報告してください" not in err and "Traceback" not in err
    assert "ディレクトリではありません" in run(capsys, x, "-o", blocker)[2]


@pytest.mark.parametrize(("code", "reason"), [
    (errno.ENOSPC, "ディスクの空き容量が足りません"),
    (errno.EACCES, "書き込む権限がありません"),
    (errno.EROFS, "読み取り専用のファイルシステムです"),
])
def test_write_failure_gets_a_plain_message_and_leaves_nothing_half_written(tmp_path, capsys, monkeypatch, code, reason):
    x = copy("003", tmp_path / "x.txt")
    y = copy("004", tmp_path / "y.txt")
    out = tmp_path / "drafts"
    real_write = Path.write_text

    def failing(self, data, *args, **kwargs):
        if self.name == "file-1.yaml" and "/x/" in str(self):
            raise OSError(code, os.strerror(code), str(self))
        return real_write(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    rc, stdout, err = run(capsys, x, y, "-o", out)
    assert rc == 1
    assert f"file-1.yaml: 下書きを書き込めません（{reason}）" in err
    assert "内部エラー" not in err and "Traceback" not in err
    assert drafts_in(out) == ["y"]  # the failed draft left nothing; the next input still imported
    assert "ok    " in stdout and "y.txt" in stdout


# -- drafts that do not validate ----------------------------------------------


def test_a_draft_that_does_not_validate_is_set_aside_and_reported(tmp_path, capsys, monkeypatch):
    import sphinx_pia.importer as importer

    real = importer.import_file

    def broken(path, did=None):
        draft = real(path, did)
        if Path(path).name == "bad.txt":
            draft.assessment["status"] = "unknown-status"  # a value the model refuses
        return draft

    monkeypatch.setattr(importer, "import_file", broken)
    bad = copy("003", tmp_path / "bad.txt")
    good = copy("004", tmp_path / "good.txt")
    out = tmp_path / "drafts"
    rc, stdout, err = run(capsys, bad, good, "-o", out)
    assert rc == 1
    assert drafts_in(out) == ["bad.invalid", "good"]
    assert f"無効  {bad} → {out / 'bad.invalid'}" in err
    assert "status" in err
    report = (out / "bad.invalid" / "INVALID.md").read_text(encoding="utf-8")
    assert report.startswith("# 検証に通らない下書き: bad") and "status" in report
    assert (out / "bad.invalid" / "coverage.md").exists()  # kept for inspection
    assert "ok    " in stdout and "good.txt" in stdout

    # once the importer reads it, a forced re-import puts it in place and removes the invalid one
    monkeypatch.setattr(importer, "import_file", real)
    assert run(capsys, bad, "-o", out, "--force")[0] == 0
    assert drafts_in(out) == ["bad", "good"]


# -- inputs that are not assessment texts ---------------------------------------


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    x = copy("003", tmp_path / "x.txt")
    proc = subprocess.run([sys.executable, "-m", "sphinx_pia", "import", str(fifo), str(x), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"{fifo}: 通常のファイルではありません（名前付きパイプ（FIFO））" in proc.stderr
    assert "ok    " in proc.stdout and (tmp_path / "out" / "x" / "coverage.md").exists()


@pytest.mark.parametrize(("path", "kind"), [("/dev/null", "キャラクタデバイス"), (".", "ディレクトリ")])
def test_devices_and_directories_are_refused(path, kind):
    with pytest.raises(ImportProblem) as exc:
        import_file(path)
    assert str(exc.value).startswith(f"{path}: 通常のファイルではありません（{kind}）")


def test_a_file_over_the_size_limit_is_refused_with_the_limit(tmp_path):
    data = seed("000").read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(data * (MAX_BYTES // len(data) + 1))
    with pytest.raises(ImportProblem) as exc:
        import_file(big)
    assert str(exc.value).startswith(f"{big}: ファイルが大きすぎます")
    assert f"{MAX_BYTES // 2**20} MB まで" in str(exc.value)
    # just under the limit is read
    big.write_bytes(data * (MAX_BYTES // len(data)))
    assert import_file(big).files


def test_a_file_of_too_many_lines_is_refused_with_the_limit(tmp_path):
    """Almost only line breaks: small in bytes, but each pass over the lines costs."""
    many = tmp_path / "many.txt"
    many.write_text("特定個人情報保護評価書（全項目評価書）\n I 基本情報\n" + "\n" * MAX_LINES, encoding="utf-8")
    assert many.stat().st_size < MAX_BYTES
    with pytest.raises(ImportProblem) as exc:
        import_file(many)
    assert str(exc.value).startswith(f"{many}: 行が多すぎます")
    assert f"{MAX_LINES:,} 行まで" in str(exc.value)


def not_assessments(tmp_path: Path) -> dict[str, Path]:
    files = {
        "yaml": ("assessment.yaml", (ROOT / "content" / "fujimino-juki" / "assessment.yaml").read_bytes()),
        "yaml_as_txt": ("assessment.txt", (ROOT / "content" / "sapporo-juki" / "assessment.yaml").read_bytes()),
        "json": ("data.json", json.dumps({"title": "特定個人情報保護評価書（全項目評価書）", "parts": []}, ensure_ascii=False).encode()),
        "html": ("page.html", "<!DOCTYPE html>\n<html><body><h1>特定個人情報保護評価書（全項目評価書）</h1></body></html>\n".encode()),
        "pdf": ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
        "binary": ("image.txt", bytes(range(256)) * 4),
        "controls": ("ctl.txt", "".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)).encode() * 50),
        "empty": ("empty.txt", b""),
        "blank": ("blank.txt", b"\n \n\t\n"),
        "random": ("notes.txt", "議事録\n出席者\t5名\nThe quick brown fox.\n".encode()),
        # names the form but holds none of it
        "mention": ("report.txt", "本市の特定個人情報保護評価書（全項目評価書）について\n意見は次のとおり。\n".encode()),
    }
    out = {}
    for key, (name, data) in files.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        out[key] = tmp_path / "in" / name
        out[key].write_bytes(data)
    return out


def test_non_assessments_are_named_and_the_others_still_import(tmp_path, capsys):
    inputs = not_assessments(tmp_path)
    x = copy("003", tmp_path / "in" / "x.txt")
    out = tmp_path / "drafts"
    rc, stdout, err = run(capsys, *inputs.values(), x, "-o", out)
    assert rc == 1
    for key, path in inputs.items():
        line = next((ln for ln in err.splitlines() if ln.startswith(f"エラー {path}:")), "")
        assert "評価書のテキストではありません" in line, (key, err)
    assert "（YAML のファイルです）" in err and "（JSON のファイルです）" in err and "（HTML/XML のファイルです）" in err
    assert "（PDFそのものです）" in err
    assert "Traceback" not in err and "内部エラー" not in err
    assert drafts_in(out) == ["x"]
    assert f"{len(inputs) + 1} 件中 {len(inputs)} 件" in err


def test_unreadable_inputs_get_a_plain_message(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "missing.txt"
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    locked = copy("003", tmp_path / "locked.txt")
    x = copy("004", tmp_path / "x.txt")
    real_open = os.open

    def deny(path, *args, **kwargs):  # the tests run as root, for whom chmod 000 does not deny
        if str(path) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    rc, stdout, err = run(capsys, missing, loop, locked, x, "-o", tmp_path / "out")
    assert rc == 1
    assert f"エラー {missing}: ファイルを読めません（ファイルがありません）" in err
    assert f"エラー {loop}: ファイルを読めません（シンボリックリンクが循環しています）" in err
    assert f"エラー {locked}: ファイルを読めません（読む権限がありません）" in err
    assert "Permission denied" not in err and "内部エラー" not in err
    assert "x.txt" in stdout
