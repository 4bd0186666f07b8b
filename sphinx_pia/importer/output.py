"""Placing drafts in the output directory: one directory per input, never an overwrite.

A draft is written into a private temporary directory beside its destination,
validated there with ``sphinx_pia.loader`` and only then renamed into place, so
an interrupted or failed write (disk full) leaves nothing half written.  A
draft that does not validate is kept for inspection, but under ``<id>.invalid/``
with the problems in ``INVALID.md``: its name says it is not ready to be moved
into ``content/``.

An existing draft directory is replaced only with ``force``, and only when it
is a draft (its ``coverage.md`` is an import report): nothing else in the output
directory is ever deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..loader import ContentError, load_assessment
from .draft import Draft, draft_id, write_draft
from .source import ImportProblem, os_reason

INVALID_SUFFIX = ".invalid"
REPORT_HEAD = "# 取込みレポート"

class OutputProblem(ImportProblem):
    """The output cannot be written (the environment, not the input, is at fault)."""


def environment_problem(exc: OSError, where: Path | str) -> OutputProblem:
    """A plain message for an OSError met while writing: the path and what to check."""
    reason = os_reason(exc, writing=True)
    path = exc.filename or where
    return OutputProblem(str(path), f"下書きを書き込めません（{reason}）。出力先（-o）の場所と空き容量、権限を確認してください。")


def prepare(out: Path) -> None:
    """Create the output directory, or say plainly why it cannot be used."""
    if out.exists() and not out.is_dir():
        raise OutputProblem(str(out), "出力先がディレクトリではありません（同じ名前のファイルがあります）。別の出力先を -o で指定してください。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_problem(exc, out) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputProblem(str(out), "出力先に書き込む権限がありません。別の出力先を -o で指定してください。")


def unique_ids(paths: list[str]) -> list[str | None]:
    """The draft ID of each input: inputs whose names give the same ID (``a/x.txt``,
    ``b/x.txt``) get ``-2``, ``-3``, … in the order given.  None for a file given
    twice (the same file after resolving links)."""
    seen_files: set[Path] = set()
    taken: set[str] = set()
    out: list[str | None] = []
    for name in paths:
        real = Path(os.path.realpath(name))
        if real in seen_files:
            out.append(None)
            continue
        seen_files.add(real)
        base = draft_id(Path(name))
        did, n = base, 1
        while did in taken:
            n += 1
            did = f"{base}-{n}"
        taken.add(did)
        out.append(did)
    return out


@dataclass
class Placed:
    target: Path
    problems: list = field(default_factory=list)  # loader problems; empty when the draft validates
    assessment: object | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def _is_draft(directory: Path) -> bool:
    report = directory / "coverage.md"
    try:
        with report.open(encoding="utf-8") as f:
            return f.readline().startswith(REPORT_HEAD)
    except (OSError, UnicodeDecodeError):
        return False


def _clear(directory: Path, force: bool) -> None:
    """Make way for a draft at ``directory``: nothing there, an empty directory, or
    (with ``force``) an earlier draft, removed entirely."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise OutputProblem(str(directory), "同じ名前のファイルかリンクがあるため、下書きを置けません。移動するか削除してから再実行してください。")
    if not directory.exists() or not any(directory.iterdir()):
        return
    if not force:
        raise OutputProblem(str(directory), "下書きのディレクトリが既にあります。上書きはしません。"
                                            "置き換えるには --force を付けて再実行してください（古い下書きは丸ごと削除されます）。")
    if not _is_draft(directory):
        raise OutputProblem(str(directory), "sphinx-pia import の下書きではない（取込みレポート coverage.md がない）ため、"
                                            "--force でも置き換えません。移動してから再実行してください。")


def _invalid_report(draft: Draft, problems: list) -> str:
    lines = [
        f"# 検証に通らない下書き: {draft.id}",
        "",
        f"元ファイル `{draft.source.path}` から作った下書きは、sphinx-pia validate の検証に通りませんでした。"
        "取込み機能が原文を正しく読めなかったと考えられます。"
        f"このまま content/ に移さず、下の問題を直してからディレクトリ名を `{draft.id}` にしてください。",
        "",
        f"## 問題（{len(problems)} 件）",
        "",
    ]
    lines += [f"- {str(p).replace(chr(10), ' ')}" for p in problems]
    return "\n".join(lines) + "\n"


def place(draft: Draft, out: Path, force: bool = False) -> Placed:
    """Write, validate and move ``draft`` into ``out/<id>/`` (or ``out/<id>.invalid/``)."""
    out = Path(out)
    target, aside = out / draft.id, out / f"{draft.id}{INVALID_SUFFIX}"
    for directory in (target, aside):
        _clear(directory, force)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{draft.id}.", suffix=".partial", dir=out))
    except OSError as exc:
        raise environment_problem(exc, out) from None
    try:
        written = write_draft(draft, staging)
        try:
            assessment, problems = load_assessment(written, staging), []
        except ContentError as exc:
            assessment, problems = None, list(exc.problems)
            (written / "INVALID.md").write_text(_invalid_report(draft, problems), encoding="utf-8")
        for directory in (target, aside):
            if directory.is_dir():
                shutil.rmtree(directory)
        final = aside if problems else target
        os.rename(written, final)
    except OSError as exc:
        raise environment_problem(exc, target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Placed(final, problems, assessment)
