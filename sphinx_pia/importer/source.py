"""Reading an extracted text file: encoding detection, lines, and what is used.

Municipal systems still export Shift_JIS, so a file that is not valid UTF-8 is
tried as CP932 (Microsoft's Shift_JIS, which has the ① and Ⅱ the forms use).
Both decodings are strict: a byte sequence that is valid in neither is reported,
never replaced with 「?」, because a silently damaged value is worse than none.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: The largest input read.  A published assessment's extracted text is well under
#: 2 MB (the five seeds: 16 KB to 250 KB); anything far larger is not one, and the
#: limit keeps the import's time and memory bounded.
MAX_BYTES = 8 * 1024 * 1024
#: The most lines read: 45 times the longest seed (001, 6,631 lines), more than 8 MB of
#: the interleaved layout holds; a text of almost only line breaks is not an assessment.
MAX_LINES = 300_000

NOT_TEXT = "評価書のテキストではありません"


class ImportProblem(Exception):
    """A file that cannot be imported; the message says what to do."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.line, self.message = path, line, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


_REASONS = {
    errno.EACCES: "{verb}権限がありません",
    errno.EPERM: "{verb}権限がありません",
    errno.ENOSPC: "ディスクの空き容量が足りません",
    errno.EDQUOT: "ディスクの使用量の上限に達しています",
    errno.EROFS: "読み取り専用のファイルシステムです",
    errno.ENOTDIR: "パスの途中にディレクトリでないファイルがあります",
    errno.EEXIST: "同じ名前のファイルが既にあります",
    errno.ENAMETOOLONG: "パスが長すぎます",
    errno.EIO: "入出力エラーです。ディスクを確認してください",
    errno.ENOENT: "ファイルがありません",
    errno.ELOOP: "シンボリックリンクが循環しています",
}


def os_reason(exc: OSError, writing: bool = False) -> str:
    """What an OSError means, in Japanese (strerror is the C library's English)."""
    if exc.errno == errno.ENOENT and writing:
        return "パスの途中のディレクトリがありません"
    reason = _REASONS.get(exc.errno)
    if reason is None:
        return exc.strerror or type(exc).__name__
    return reason.format(verb="書き込む" if writing else "読む")


@dataclass
class Line:
    no: int  # 1-based, as `sed -n` counts
    raw: str
    cells: list[str]
    #: whether the line holds only whitespace; computed once, every pass over the lines asks
    blank: bool = field(init=False)

    def __post_init__(self) -> None:
        self.blank = not self.raw.strip()

    @property
    def head(self) -> str:
        """The first non-empty cell, stripped."""
        for cell in self.cells:
            if cell.strip():
                return cell.strip()
        return ""


@dataclass
class SourceText:
    path: str
    encoding: str
    lines: list[Line] = field(default_factory=list)

    @property
    def layout(self) -> str:
        """tsv when the form's label and value cells are tab-separated, else interleaved."""
        tabbed = sum(1 for ln in self.lines if "\t" in ln.raw)
        filled = sum(1 for ln in self.lines if not ln.blank) or 1
        return "tsv" if tabbed / filled >= 0.2 else "interleaved"


def decode(data: bytes, path: str) -> tuple[str, str]:
    if not data.strip():
        raise ImportProblem(path, f"{NOT_TEXT}（ファイルが空です）。PDFから抽出したテキストを指定してください。")
    if data.lstrip().startswith(b"%PDF-"):
        raise ImportProblem(path, f"{NOT_TEXT}（PDFそのものです）。PDFから抽出したテキストを指定してください。")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise ImportProblem(
            path,
            "文字コードを判別できません（UTF-8 でも Shift_JIS/CP932 でもありません）。"
            "UTF-8 で保存し直してから再実行してください。",
            line,
        ) from None


_KINDS = [(stat.S_ISDIR, "ディレクトリ"), (stat.S_ISFIFO, "名前付きパイプ（FIFO）"), (stat.S_ISCHR, "キャラクタデバイス"),
          (stat.S_ISBLK, "ブロックデバイス"), (stat.S_ISSOCK, "ソケット")]


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "通常のファイルではないもの")


def read_bytes(path: str) -> bytes:
    """The file's bytes, refusing what is not a regular file of at most MAX_BYTES.

    The type is checked with stat() before opening: opening a FIFO waits for a
    writer and would hang the rest of the run; a device can be endless."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ImportProblem(path, f"ファイルを読めません（{os_reason(exc)}）。パスを確認してください。") from None
    kind = _not_regular(st.st_mode)
    if kind:
        raise ImportProblem(path, f"通常のファイルではありません（{kind}）。PDFから抽出したテキストのファイルを指定してください。")
    if st.st_size > MAX_BYTES:
        raise ImportProblem(path, _too_large(st.st_size))
    try:
        # O_NONBLOCK: should the path have been replaced by a FIFO since the stat, the open does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if _not_regular(os.fstat(f.fileno()).st_mode):
                raise ImportProblem(path, "読む間にファイルが通常のファイルでなくなりました。もう一度実行してください。")
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportProblem(path, f"ファイルを読めません（{os_reason(exc)}）。ファイルの権限を確認してください。") from None
    if len(data) > MAX_BYTES:
        raise ImportProblem(path, _too_large(len(data)))
    return data


def _too_large(size: int) -> str:
    return (f"ファイルが大きすぎます（{size / 2**20:.1f} MB）。取り込めるのは {MAX_BYTES // 2**20} MB までです"
            "（評価書から抽出したテキストは通常 2 MB 未満です）。評価書1件ごとのテキストを指定してください。")


_YAML_LINE = re.compile(r"^\s*(?:#|---\s*$|\.\.\.\s*$|%YAML|(?:-\s+)?[\"']?[A-Za-z_][\w.-]*[\"']?\s*:(?:\s|$)|-\s)")
_MARKUP = re.compile(r"^\s*<(?:!doctype|html|\?xml|svg|head|body)\b", re.I)


def structured_kind(text: str) -> str | None:
    """「YAML」, 「JSON」, 「HTML/XML」 when the text is one of those rather than extracted text.

    The extracted text of a form never starts with an ASCII key followed by a colon,
    nor with a brace; a tab-separated cell may hold HTML (``<p>``), so HTML is
    recognised by a document opening only."""
    head = text.lstrip("\ufeff \t\r\n")
    if _MARKUP.match(head):
        return "HTML/XML"
    if head[:1] in "{[":
        try:
            json.loads(text)
            return "JSON"
        except ValueError:
            pass
    lines = [ln for ln in head.splitlines()[:60] if ln.strip()]
    if lines and (text.lstrip().startswith(("schema: sphinx-pia/", "%YAML", "---"))
                  or sum(1 for ln in lines if _YAML_LINE.match(ln)) >= max(3, 0.6 * len(lines))):
        return "YAML"
    return None


_CONTROLS = bytes(c for c in range(32) if c not in b"\t\n\r\f")


def _binary(data: bytes) -> bool:
    """NUL, or more than 1% C0 control characters: an image, a PDF stream, a word processor file."""
    head = data[:65536]
    return b"\x00" in data or len(head) - len(head.translate(None, _CONTROLS)) > 0.01 * len(head)


def read_source(path: Path | str) -> SourceText:
    data = read_bytes(str(path))
    if data.strip() and not data.lstrip().startswith(b"%PDF-") and _binary(data):
        raise ImportProblem(str(path), f"{NOT_TEXT}（バイナリファイルのようです。NUL などの制御文字を含みます）。"
                                       "PDFそのものではなく、抽出したテキストを指定してください。")
    text, encoding = decode(data, str(path))
    kind = structured_kind(text)
    if kind:
        raise ImportProblem(str(path), f"{NOT_TEXT}（{kind} のファイルです）。PDFから抽出したテキストを指定してください。"
                                       "content/ の YAML は sphinx-pia validate で検証します。")
    src = SourceText(str(path), encoding)
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if lines > MAX_LINES:
        raise ImportProblem(str(path), f"行が多すぎます（{lines:,} 行）。取り込めるのは {MAX_LINES:,} 行までです"
                                       "（評価書から抽出したテキストは通常 1 万行未満です）。評価書1件ごとのテキストを指定してください。")
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        cells = raw.split("\t")
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()
        src.lines.append(Line(i, raw, cells))
    return src
