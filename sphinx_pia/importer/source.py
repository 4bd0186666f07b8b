"""Reading an extracted text file: encoding detection, lines, and what is used.

Municipal systems still export Shift_JIS, so a file that is not valid UTF-8 is
tried as CP932 (Microsoft's Shift_JIS, which has the ① and Ⅱ the forms use).
Both decodings are strict: a byte sequence that is valid in neither is reported,
never replaced with 「?」, because a silently damaged value is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ImportProblem(Exception):
    """A file that cannot be imported; the message says what to do."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.line, self.message = path, line, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class Line:
    no: int  # 1-based, as `sed -n` counts
    raw: str
    cells: list[str]

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

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
        raise ImportProblem(path, "ファイルが空です。PDFから抽出したテキストを指定してください。")
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


def read_source(path: Path | str) -> SourceText:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportProblem(str(path), f"ファイルを読めません: {exc.strerror}。") from None
    text, encoding = decode(data, str(path))
    if "\x00" in text:
        raise ImportProblem(str(path), "バイナリファイルのようです（NUL文字を含む）。PDFそのものではなく、抽出したテキストを指定してください。")
    src = SourceText(str(path), encoding)
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        cells = raw.split("\t")
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()
        src.lines.append(Line(i, raw, cells))
    return src
