"""A generated corpus of malformed content: one bad assessment (or content entry) per case.

    python tests/malformed_corpus.py OUT_DIR     writes OUT_DIR/content/, OUT_DIR/sources/

Every case starts from the valid assessment ``city-a-juki`` of tests/roots/test-basic,
copied to ``content/case-NNN/`` with its ID changed, and breaks one thing: YAML
syntax, anchors and tags, nesting and size, integer types, control characters,
encodings, the file system (FIFOs, devices, sockets, symlinks), names and IDs,
the schema, and the relations between values.  Each case names the entry of
``content/`` it lives in and a fragment of the message it must produce, so a test
can check each case on its own in one build.  One valid assessment, ``aaa-good``,
sits beside them.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

BASE = Path(__file__).resolve().parent / "roots" / "test-basic"
GOOD = "aaa-good"
SOURCE_LINES = 40


@dataclass
class Case:
    name: str  # what is broken
    entry: str  # the name under content/ where its problem must be reported
    expect: str  # a fragment of the expected message
    #: the problem shows only beside other assessments (a disagreement between them)
    whole: bool = False


Edit = Callable[[Path], None]


def replace(file: str, old: str, new: str, count: int = 1) -> Edit:
    def run(d: Path) -> None:
        path = d / file
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"corpus edit: {old!r} not in {file}")
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return run


def write(file: str, data: str | bytes) -> Edit:
    def run(d: Path) -> None:
        path = d / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return run


def append(file: str, text: str) -> Edit:
    def run(d: Path) -> None:
        with (d / file).open("a", encoding="utf-8") as fh:
            fh.write(text)

    return run


def custom(fn: Callable[[Path], None]) -> Edit:
    return fn


def _nested_items(depth: int) -> str:
    out = "items: []"
    for _ in range(depth):
        out = "items: [{label: x, " + out + "}]"
    return out


def _mkfifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    s.close()


A, F, X, C = "assessment.yaml", "file-1.yaml", "annex-1.yaml", "changes.yaml"
ORG = "organization: {id: city-a, name: テストA市, kind: municipality, prefecture: テスト県}"
SYS1 = "{key: system_name, label: ①システムの名称, text: 既存住民基本台帳システム(以下「既存住基システム」という。), line: 10}"
NAME = "name: {text: 住民基本台帳ファイル, line: 30}"
COUNT = "count: {declared: 1, raw: (1) 件}"
SEL = "select: {value: 10万人以上100万人未満, options: [1万人未満, 10万人以上100万人未満]}"


#: cases that are only wrong beside the others
ACROSS = {"organization with two names"}


def assessment_cases() -> list[tuple[str, str, list[Edit]]]:
    """(what, expected message fragment, edits of a copy of city-a-juki)."""
    cases: list[tuple[str, str, list[Edit]]] = []

    def add(what: str, expect: str, *edits: Edit) -> None:
        cases.append((what, expect, list(edits)))

    # --- YAML syntax
    add("bad indentation", "YAML の書式が正しくありません", replace(A, "  - kind: basic\n    numeral: I", "  - kind: basic\n   numeral: I"))
    add("unclosed flow mapping", "YAML の書式が正しくありません", replace(A, "stamp: {gap: missing, note: 試験用データには様式の版がない}}", "stamp: {gap: missing"))
    add("unclosed quote", "YAML の書式が正しくありません", replace(F, 'no: "1"', 'no: "1'))
    add("tab indentation", "YAML の書式が正しくありません", replace(A, "  - kind: basic\n    numeral: I", "  - kind: basic\n\tnumeral: I"))
    add("two documents", "文書が複数あります", append(C, "---\nschema: sphinx-pia/changes/1\n"))
    add("empty file", "ファイルが空です", write(C, ""))
    add("only a comment", "ファイルが空です", write(C, "# nothing\n"))
    add("explicit empty document", "「キー: 値」", write(C, "---\n...\n"))
    add("root is a list", "「キー: 値」の形の内容が必要です", write(X, "- a\n- b\n"))
    add("root is a scalar", "「キー: 値」の形の内容が必要です", write(X, "just text\n"))
    add("mapping as a key", "キーは文字列", append(C, "? {a: 1}\n: b\n"))
    add("list as a key", "キーは文字列", append(C, "? [a, b]\n: c\n"))
    add("duplicate key", "キー 'status' が重複しています", replace(A, "status: published\n", "status: published\nstatus: draft\n"))
    add("duplicate nested key", "が重複しています", replace(F, 'no: "1"\nname:', 'no: "1"\nno: "2"\nname:'))
    add("stray colon in value", "YAML の書式が正しくありません", replace(A, "title: 基本情報", "title: 基本: 情報: x"))
    add("directive line", "YAML の書式が正しくありません", write(C, "%YAML 1.1\n%YAML 1.1\n---\na: 1\n"))
    # --- anchors, aliases, merge keys
    add("anchor on a scalar", "アンカー '&x' は使えません", replace(A, "status: published", "status: &x published"))
    add("anchor and alias", "エイリアス '*o' は使えません", replace(A, ORG, "organization: &o {id: city-a, name: テストA市, kind: municipality, prefecture: テスト県}\nabbreviations: *o"))
    add("merge key", "エイリアス", replace(A, ORG, "organization: &o {id: city-a, name: テストA市, kind: municipality}\nx:\n  <<: *o"))
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))
    add("alias bomb", "エイリアス", write(C, bomb))
    add("self-referencing alias", "エイリアス", write(C, "a: &a [*a]\n"))
    add("self-referencing mapping", "エイリアス", write(C, "a: &a {b: *a}\n"))
    add("alias as key", "キーは文字列", write(C, "a: &k x\n*k : y\n"))
    # --- explicit tags
    for tag, text in [
        ("!!binary", "status: !!binary cHVibGlzaGVk"), ("!!str", "status: !!str published"), ("!!int", "status: !!int 3"),
        ("!!float", "status: !!float 3"), ("!!bool", "status: !!bool yes"), ("!!null", "status: !!null ''"),
        ("!!timestamp", "status: !!timestamp 2020-01-01"), ("!!map", "form: !!map {kind: juten}"), ("!!seq", "cover: !!seq []"),
        ("!!set", "cover: !!set {a, b}"), ("!!omap", "cover: !!omap [a: 1]"), ("!local", "status: !local published"),
        ("verbatim", "status: !<tag:example.com,2000:x> published"), ("non-specific", "status: ! published"),
        ("python object", "status: !!python/object:os.system {}"),
    ]:
        old = "status: published" if text.startswith("status") else ("form: {kind: juten, stamp: {gap: missing, note: 試験用データには様式の版がない}}" if text.startswith("form") else None)
        if old is None:
            add(f"tag {tag}", "タグ", append(A, "abbreviations: " + text.split(": ", 1)[1] + "\n"))
        else:
            add(f"tag {tag}", "タグ", replace(A, old, text))
    add("tag on a sequence item", "タグ", replace(F, "- {system: sys-1,", "- !x {system: sys-1,"))
    # --- nesting, size, counts
    add("lists nested 500 deep", "入れ子が深すぎます", append(C, "deep: " + "[" * 500 + "]" * 500 + "\n"))
    add("mappings nested 40 deep", "入れ子が深すぎます", append(C, "deep: " + "{a: " * 40 + "1" + "}" * 40 + "\n"))
    add("Field items nested 64 deep", "入れ子が深すぎます", replace(A, SYS1, "{key: system_name, label: x, " + _nested_items(64) + "}"))
    add("block mappings nested 40 deep", "入れ子が深すぎます", append(C, "deep:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(40)) + "  " * 41 + "b: 1\n"))
    add("file over the size limit", "ファイルが大きすぎます", append(C, ("# " + "x" * 1000 + "\n") * 4300))
    add("a huge list", "値が多すぎます", append(C, "huge: [" + "0," * 260_000 + "0]\n"))
    add("a huge mapping", "値が多すぎます", append(C, "huge: {" + ",".join(f"k{i}: 0" for i in range(130_000)) + "}\n"))
    add("thousands of anchors", "ほかに", append(C, "".join(f"a{i}: &x{i} 1\n" for i in range(3000))))
    add("thousands of bad rows", "ほかに", append(X, "".join(f"  - {{cells: [{i}]}}\n" for i in range(3000))))
    add("many annex rows", "値が多すぎます", append(X, "".join(f"  - {{cells: ['{i}', '1', x]}}\n" for i in range(90_000))))
    # --- integers: no coercion, decimal only
    int_fields = [
        ("line", A, "text: 住民基本台帳事務 重点項目評価書, line: 2}", "text: 住民基本台帳事務 重点項目評価書, line: {v}}}"),
        ("end_line", A, "text: 住民基本台帳事務 重点項目評価書, line: 2}", "text: 住民基本台帳事務 重点項目評価書, line: 2, end_line: {v}}}"),
        ("declared", F, COUNT, "count: {{declared: {v}, raw: (1) 件}}"),
        ("basis_column", X, "basis_column: 1", "basis_column: {v}"),
        ("recipient_column", X, "recipient_column: 2", "recipient_column: {v}"),
        ("header_lines", X, "kind: provision", "kind: provision\nheader_lines: [{v}]"),
    ]
    for field, file, old, new in int_fields:
        for value, expect in [("true", "真偽値"), ('"2"', "文字列"), ("2.0", "小数"), ("02", "10進数"), ("0x2", "10進数"), ("1:30", "10進数"), ("1_0", "10進数"), (".inf", "小数")]:
            add(f"{field}: {value}", expect, replace(file, old, new.format(v=value)))
    add("line: 0", "小さすぎます", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: 0}"))
    add("line: -5", "小さすぎます", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: -5}"))
    add("declared: -3", "小さすぎます", replace(F, COUNT, "count: {declared: -3, raw: (1) 件}"))
    add("basis_column: -1", "小さすぎます", replace(X, "basis_column: 1", "basis_column: -1"))
    add("line: huge integer", "原文の行数", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: " + "9" * 40 + "}"))
    add("line: null text", "整数が必要", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: [1]}"))
    # --- control characters, raw and escaped
    for label, raw in [("BEL", "\x07"), ("ESC", "\x1b"), ("NUL", "\x00"), ("form feed", "\x0c"), ("DEL", "\x7f"), ("C1 NEL", "\x85"),
                       ("C1 CSI", "\x9b"), ("unit separator", "\x1f"), ("backspace", "\x08"), ("vertical tab", "\x0b")]:
        add(f"raw {label} in a value", "制御文字", replace(A, "title: 基本情報", f"title: 基本{raw}情報"))
        escaped = raw.encode("unicode_escape").decode("ascii") if ord(raw) < 0x80 or ord(raw) > 0xff else f"\\x{ord(raw):02x}"
        add(f"escaped {label} in a value", "制御文字", replace(A, "title: 基本情報", f'title: "基本{escaped}情報"'))
    add("escaped CR in a value", "制御文字", replace(A, "title: 基本情報", 'title: "基本\\r情報"'))
    add("escaped NUL (\\0)", "制御文字", replace(A, "title: 基本情報", 'title: "基本\\0情報"'))
    add("terminal escape in a key", "制御文字", replace(A, "status: published", 'status: published\n"\\e]0;owned\\a\\e[2J": 1'))
    add("raw escape in a key", "制御文字", replace(A, "status: published", "status: published\nst\x1b[31matus: 1"))
    add("control character in a comment", "制御文字", append(C, "# \x07\n"))
    # --- encodings
    add("Shift_JIS file", "UTF-8 のテキストではありません", custom(lambda d: (d / C).write_bytes((d / C).read_text(encoding="utf-8").encode("cp932"))))
    add("invalid byte mid-file", "UTF-8 のテキストではありません", custom(lambda d: (d / C).write_bytes((d / C).read_bytes() + b"x: \xff\xfe\n")))
    add("UTF-16 with BOM", "UTF-8 のテキストではありません", custom(lambda d: (d / C).write_bytes((d / C).read_text(encoding="utf-8").encode("utf-16"))))
    add("binary file", "UTF-8", write(C, bytes(range(256)) * 4))
    add("truncated multibyte character", "UTF-8 のテキストではありません", custom(lambda d: (d / C).write_bytes((d / C).read_bytes() + "x: 日".encode()[:-1])))
    add("escaped lone surrogate", "YAML", replace(A, "title: 基本情報", 'title: "\\ud800"'))
    # --- file system
    add("FIFO as assessment.yaml", "通常のファイルではありません", custom(lambda d: ((d / A).unlink(), _mkfifo(d / A))))
    add("FIFO as a file", "通常のファイルではありません", custom(lambda d: _mkfifo(d / "file-2.yaml")))
    add("FIFO named changes.yml", "通常のファイルではありません", custom(lambda d: _mkfifo(d / "annex-2.yml")))
    add("socket", "通常のファイルではありません", custom(lambda d: _socket(d / "file-3.yaml")))
    add("symlink to a device", "外を指しています", custom(lambda d: (d / "file-2.yaml").symlink_to("/dev/zero")))
    add("symlink to /etc/passwd", "外を指しています", custom(lambda d: (d / "file-2.yaml").symlink_to("/etc/passwd")))
    add("symlink to a FIFO inside", "通常のファイルではありません", custom(lambda d: (_mkfifo(d / "pipe"), (d / "file-2.yaml").symlink_to(d / "pipe"))))
    add("symlink loop (self)", "循環", custom(lambda d: (d / "file-2.yaml").symlink_to("file-2.yaml")))
    add("symlink loop (pair)", "循環", custom(lambda d: ((d / "file-2.yaml").symlink_to("file-3.yaml"), (d / "file-3.yaml").symlink_to("file-2.yaml"))))
    add("dangling symlink", "指す先がありません", custom(lambda d: (d / "file-2.yaml").symlink_to("nowhere.yaml")))
    add("symlinked directory outside", "外を指しています", custom(lambda d: (d / "versions").symlink_to("/tmp")))
    add("subdirectory", "サブディレクトリは置けません", write("notes/a.yaml", "a: 1\n"))
    add("versions with a bad version ID", "版のディレクトリ名", write("versions/Bad Version/assessment.yaml", "a: 1\n"))
    add("versions with a too long version ID", "長すぎます", write("versions/" + "v" * 100 + "/assessment.yaml", "a: 1\n"))
    add("changes.yml beside changes.yaml", "両方あります", custom(lambda d: shutil.copy(d / C, d / "changes.yml")))
    add("assessment.yml beside assessment.yaml", "両方あります", custom(lambda d: shutil.copy(d / A, d / "assessment.yml")))
    add("file-1.yml beside file-1.yaml", "両方あります", custom(lambda d: shutil.copy(d / F, d / "file-1.yml")))
    add("unexpected YAML name", "想定外のファイル名", write("notes.yaml", "a: 1\n"))
    add("unexpected file", "想定外のファイル", write("notes.txt", "a\n"))
    add("uppercase YAML suffix", "想定外のファイル", custom(lambda d: (d / C).rename(d / "changes.YAML")))
    add("missing assessment.yaml", "assessment.yaml がありません", custom(lambda d: (d / A).unlink()))
    # --- IDs and names
    add("id differs from directory", "ディレクトリ名", custom(lambda d: replace(A, f"id: {d.name}", "id: other-id")(d)))
    add("assessment id of 300 characters", "長すぎます", custom(lambda d: replace(A, f"id: {d.name}", "id: " + "a" * 300)(d)))
    add("organization id of 300 characters", "長すぎます", replace(A, "{id: city-a,", "{id: " + "o" * 300 + ","))
    add("organization id with a slash", "IDとして使えません", replace(A, "{id: city-a,", "{id: ../city-a,"))
    add("file id 'index'", "ページの名前と重なります", replace(F, 'no: "1"\n', 'no: "1"\nid: index\n'))
    add("file id 'systems'", "ページの名前と重なります", replace(F, 'no: "1"\n', 'no: "1"\nid: systems\n'))
    add("annex id 'changes'", "ページの名前と重なります", replace(X, 'no: "1"\n', 'no: "1"\nid: changes\n'))
    add("file id too long", "長すぎます", replace(F, 'no: "1"\n', 'no: "1"\nid: ' + "f" * 65 + "\n"))
    add("derived file id too long", "長すぎます", replace(F, 'no: "1"', 'no: "' + "1" * 80 + '"'))
    add("file id with uppercase", "IDとして使えません", replace(F, 'no: "1"\n', 'no: "1"\nid: File-1\n'))
    add("file id with a path", "IDとして使えません", replace(F, 'no: "1"\n', 'no: "1"\nid: ../x\n'))
    add("section id too long", "長すぎます", replace(A, '      - no: "4"\n', '      - no: "4"\n        id: ' + "s" * 70 + "\n"))
    add("change target too long", "長すぎます", replace(C, "ref: file-1-prov-2", "ref: " + "r" * 70))
    # --- schema
    add("unknown key", "キー 'statuss' は使えません", replace(A, "status: published", "statuss: published"))
    add("unknown key, very long", "YAML", replace(A, "status: published", "status: published\n" + "k" * 5000 + ": 1"))
    add("missing required key", "必須のキー 'status'", replace(A, "status: published\n", ""))
    add("wrong enum", "'juten' の誤りではありませんか", replace(A, "kind: juten", "kind: jutenn"))
    add("wrong schema", "sphinx-pia/assessment/1", replace(A, "schema: sphinx-pia/assessment/1", "schema: sphinx-pia/assessment/9"))
    add("list expected", "リスト", replace(A, "cover:\n", "cover: text\nx_cover:\n"))
    add("mapping expected", "「キー: 値」", replace(A, "form: {kind: juten, stamp: {gap: missing, note: 試験用データには様式の版がない}}", "form: [juten]"))
    add("null name", "文字列が必要", replace(A, "name: テストA市", "name: null"))
    add("number as name", "文字列が必要", replace(A, "name: テストA市", "name: 123"))
    add("yes as name", "真偽値", replace(A, "name: テストA市", "name: yes"))
    add("list as name", "文字列が必要", replace(A, "name: テストA市", "name: [テスト, A市]"))
    add("Field as a number", "「キー: 値」", replace(F, NAME, "name: 42"))
    add("gap unknown", "のいずれかが必要", replace(A, "stamp: {gap: missing,", "stamp: {gap: gone,"))
    add("select without value", "必須のキー 'value'", replace(F, SEL, "select: {options: [1万人未満]}"))
    add("cells not a list", "リスト", replace(X, '{cells: ["1", "1", 厚生労働大臣]}', "{cells: 厚生労働大臣}"))
    add("cells of numbers", "文字列が必要", replace(X, '{cells: ["1", "1", 厚生労働大臣]}', "{cells: [1, 1, 厚生労働大臣]}"))
    # --- relations between values
    add("end_line before line", "end_line 1 が line 30 より前です", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: 30, end_line: 1}"))
    add("end_line without line", "end_line だけがあり", replace(F, NAME, "name: {text: 住民基本台帳ファイル, end_line: 3}"))
    add("line beyond the source", "原文の行数（40 行）を超えています", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: 41}"))
    add("end_line beyond the source", "原文の行数", replace(F, NAME, "name: {text: 住民基本台帳ファイル, line: 30, end_line: 400}"))
    add("chosen value not among options", "options にありません", replace(F, SEL, "select: {value: 100万人以上, options: [1万人未満, 10万人以上100万人未満]}"))
    add("chosen value, near miss", "の誤りではありませんか", replace(F, "select: {value: 委託する,", "select: {value: 委託すろ,"))
    add("checked not among options", "options にありません", replace(A, "check: {checked: [その他], options: [庁内連携システム, その他]", "check: {checked: [宛名システム], options: [庁内連携システム, その他]"))
    add("checked twice", "2回以上", replace(A, "check: {checked: [その他], options: [庁内連携システム, その他]", "check: {checked: [その他, その他], options: [庁内連携システム, その他]"))
    add("basis_column out of range", "列の範囲外", replace(X, "basis_column: 1", "basis_column: 3"))
    add("recipient_column out of range", "列の範囲外", replace(X, "recipient_column: 2", "recipient_column: 99"))
    add("row with more cells than columns", "columns（3 列）より多く", replace(X, '{cells: ["1", "1", 厚生労働大臣]}', '{cells: ["1", "1", 厚生労働大臣, 余分]}'))
    add("header_lines out of order", "昇順", replace(X, "kind: provision", "kind: provision\nheader_lines: [20, 10]"))
    add("header_lines beyond the source", "範囲外", replace(X, "kind: provision", "kind: provision\nheader_lines: [99]"))
    add("duplicate ID", "が重複しています", replace(F, '- no: "2"\n          title: {label: 委託事項2', '- no: "1"\n          title: {label: 委託事項2'))
    add("dangling change target", "'file-1-prov-9' はこの評価書の節・項目を指していません", replace(C, "ref: file-1-prov-2", "ref: file-1-prov-9"))
    add("dangling system link", "システムを指していません", replace(F, "system: sys-2", "system: sys-7"))
    add("dangling annex", "別紙を指していません", replace(F, "annex: annex-1", "annex: annex-7"))
    add("duplicate_of itself", "自分自身", replace(C, "    resolution: unresolved\n", "    resolution: unresolved\n    id: chg-x\n    duplicate_of: chg-x\n"))
    add("duplicate_of a section", "変更箇所を指していません", replace(C, "    resolution: unresolved\n", "    resolution: unresolved\n    duplicate_of: file-1-prov-2\n"))
    add("source file missing", "がありません", replace(A, "file: synthetic-a.txt", "file: missing.txt"))
    add("source file path traversal", "使えません", replace(A, "file: synthetic-a.txt", "file: ../../etc/passwd"))
    add("source file absolute", "使えません", replace(A, "file: synthetic-a.txt", "file: /etc/passwd"))
    add("source file is a FIFO", "通常のファイルではありません", replace(A, "file: synthetic-a.txt", "file: pipe.txt"))
    add("article number of 300 digits", "長すぎてページを作れません", replace(F, "text: 住基法第30条の6}", "text: 住基法第" + "1" * 300 + "条}"))
    add("table row of 300 digits", "長すぎてページを作れません", replace(F, "text: 住基法第30条の6}", "text: 番号法別表第二の" + "2" * 300 + "の項}"))
    add("article with 90 branch numbers", "長すぎてページを作れません", replace(F, "text: 住基法第30条の6}", "text: 住基法第30条" + "の6" * 90 + "}"))
    add("annex 項番 cell of 200 characters", "項番のセルが長すぎます", replace(X, '{cells: ["2", "85の2", 全国健康保険協会]}', '{cells: ["2", "' + "8" * 200 + '", 全国健康保険協会]}'))
    add("organization with two names", "の名前がここでは", replace(A, "name: テストA市", "name: テストB市"))
    return cases


def root_cases() -> list[tuple[str, str, str, Edit]]:
    """(what, entry under content/, expected fragment, edit of content/)."""
    out: list[tuple[str, str, str, Edit]] = []
    out.append(("stray YAML at the root", "stray.yaml", "評価書のディレクトリに置いてください", write("stray.yaml", "a: 1\n")))
    out.append(("stray .yml at the root", "stray2.yml", "評価書のディレクトリに置いてください", write("stray2.yml", "schema: sphinx-pia/assessment/1\n")))
    out.append(("stray file at the root", "README.txt", "想定外のファイル", write("README.txt", "x\n")))
    out.append(("FIFO at the root", "pipe-root", "通常のファイルではありません", custom(lambda c: _mkfifo(c / "pipe-root"))))
    out.append(("symlink loop at the root", "loop-root", "循環", custom(lambda c: (c / "loop-root").symlink_to("loop-root"))))
    out.append(("symlink to a directory outside", "outside-root", "外を指しています", custom(lambda c: (c / "outside-root").symlink_to("/etc"))))
    out.append(("directory 'index'", "index", "予約名", custom(lambda c: _copy_assessment(c / "index"))))
    out.append(("directory 'search'", "search", "予約名", custom(lambda c: _copy_assessment(c / "search"))))
    out.append(("directory with uppercase", "City-X", "使えません", custom(lambda c: _copy_assessment(c / "City-X"))))
    out.append(("directory name of 200 characters", "d" * 200, "長すぎます", custom(lambda c: _copy_assessment(c / ("d" * 200)))))
    out.append(("directory name with a terminal escape", "esc\x1b[2Jdir", "使えません", custom(lambda c: _copy_assessment(c / "esc\x1b[2Jdir"))))
    return out


def _copy_assessment(dest: Path) -> None:
    shutil.copytree(BASE / "content" / "city-a-juki", dest)
    text = (dest / "assessment.yaml").read_text(encoding="utf-8")
    (dest / "assessment.yaml").write_text(text.replace("id: city-a-juki", f"id: {dest.name}", 1), encoding="utf-8")


def build_corpus(out: Path) -> list[Case]:
    """Write the corpus under ``out`` (content/ and sources/); return its cases."""
    content, sources = out / "content", out / "sources"
    content.mkdir(parents=True)
    sources.mkdir()
    text = "".join(f"synthetic source text, line {i}\n" for i in range(1, SOURCE_LINES))
    text += f"synthetic source text, line {SOURCE_LINES}"  # 40 lines, no newline at the end
    for name in ("synthetic-a.txt", "synthetic-b.txt"):
        (sources / name).write_text(text, encoding="utf-8")
    os.mkfifo(sources / "pipe.txt")
    _copy_assessment(content / GOOD)
    cases: list[Case] = []
    for i, (what, expect, edits) in enumerate(assessment_cases(), 1):
        d = content / f"case-{i:03d}"
        _copy_assessment(d)
        for edit in edits:
            edit(d)
        cases.append(Case(what, d.name, expect, whole=what in ACROSS))
    for what, entry, expect, edit in root_cases():
        edit(content)
        cases.append(Case(what, entry, expect, whole=True))
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1])
    corpus = build_corpus(target)
    print(f"{len(corpus)} malformed cases under {target / 'content'}")
