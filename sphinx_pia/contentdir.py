"""The layout of a content directory, checked before anything is opened.

One walk serves ``sphinx-pia validate`` and the Sphinx build, so both accept and
refuse exactly the same entries:

- ``content/`` holds one directory per assessment; any other entry (a stray YAML
  file, a FIFO, ...) is a problem.  Names starting with ``.`` or ``_`` are skipped.
- an assessment directory holds ``assessment.yaml``, ``file-<no>.yaml``,
  ``annex-<no>.yaml`` and ``changes.yaml`` (``.yml`` is accepted, but never both
  twins), the importer's ``coverage.md`` and a ``versions/`` directory of published
  versions (``versions/<version-id>/``, loaded elsewhere); nothing else.
- every entry is examined with ``lstat`` first: FIFOs, sockets and devices are
  refused unopened, symlinks must resolve inside the content directory, loops are
  reported.
- directory names are IDs: lower-case ASCII, digits and ``-``, at most
  :data:`~sphinx_pia.pagenames.MAX_ID_LENGTH` characters, not a generated page name.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .model.values import LOCAL_ID_PATTERN
from .pagenames import MAX_ID_LENGTH, SITE_PAGES
from .problems import Problem, show

YAML_SUFFIXES = (".yaml", ".yml")
_FILE_RE = re.compile(r"^file-[0-9a-z-]+$")
_ANNEX_RE = re.compile(r"^annex-[0-9a-z-]+$")
_ID_RE = re.compile(LOCAL_ID_PATTERN)
#: Kept beside the YAML by ``sphinx-pia import``; not content, not published.
ALLOWED_OTHER = frozenset({"coverage.md"})
VERSIONS = "versions"

Rel = Callable[[Path], str]


def yaml_kind(stem: str) -> str | None:
    """The kind of YAML file a stem names (assessment, file, annex, changes), or None."""
    if stem in ("assessment", "changes"):
        return stem
    if _FILE_RE.match(stem):
        return "file"
    if _ANNEX_RE.match(stem):
        return "annex"
    return None


def id_problem(name: str, reserved: frozenset[str] = frozenset(), what: str = "ID") -> str | None:
    """Why ``name`` cannot be an ID (of a directory, file or page), or None."""
    if len(name) > MAX_ID_LENGTH:
        return f"{what} '{show(name, 40)}' が長すぎます（{len(name)} 文字、上限 {MAX_ID_LENGTH} 文字）。短くしてください。"
    if not _ID_RE.match(name):
        return f"{what} '{show(name)}' は使えません。半角英小文字・数字・「-」で書いてください（例: city-juki）。"
    if name in reserved:
        return f"{what} '{name}' はサイトが生成するページの名前と重なります（予約名: {', '.join(sorted(reserved))}）。別の名前にしてください。"
    return None


@dataclass
class AssessmentDir:
    """One assessment directory as found on disk."""

    path: Path
    #: the YAML files to load, assessment.yaml first, then in natural order
    files: list[Path] = field(default_factory=list)
    #: (name, mtime_ns, size) of each file: an unchanged signature means unchanged content
    signature: tuple = ()


def _natural(path: Path) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def examine(path: Path, boundary: Path, rel: Rel) -> tuple[str | None, os.stat_result | None, Problem | None]:
    """('dir' | 'file', stat, None) for a safe entry, else (None, None, problem); never opens it."""
    where = rel(path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        return None, None, Problem(where, None, None, "", _os_message(exc))
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports loops this way
            return None, None, Problem(where, None, None, "", "シンボリックリンクが循環しています。リンクを削除するか、実在するファイルを指すようにしてください。")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None, None, Problem(where, None, None, "", "シンボリックリンクが循環しています。リンクを削除するか、実在するファイルを指すようにしてください。")
            return None, None, Problem(where, None, None, "", "シンボリックリンクの指す先がありません。リンクを削除するか直してください。")
        if not target.is_relative_to(boundary):
            return None, None, Problem(where, None, None, "", "シンボリックリンクが content ディレクトリの外を指しています。内容はディレクトリの中に置いてください。")
        try:
            info = os.stat(path)
        except OSError as exc:
            return None, None, Problem(where, None, None, "", _os_message(exc))
    if stat.S_ISDIR(info.st_mode):
        return "dir", info, None
    if stat.S_ISREG(info.st_mode):
        return "file", info, None
    kind = "FIFO" if stat.S_ISFIFO(info.st_mode) else "ソケット" if stat.S_ISSOCK(info.st_mode) else "デバイス"
    return None, None, Problem(where, None, None, "", f"通常のファイルではありません（{kind}）。読み込みません。削除してください。")


def _os_message(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "パスが長すぎます。ファイル名・ディレクトリ名を短くしてください。"
    return f"ファイルの情報を読めません（{exc.strerror or exc}）。アクセス権を確認してください。"


def _listdir(directory: Path, rel: Rel) -> tuple[list[Path], list[Problem]]:
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        return [], [Problem(rel(directory), None, None, "", f"ディレクトリを読めません（{exc.strerror or exc}）。アクセス権を確認してください。")]
    return [directory / n for n in names if not n.startswith(".")], []


def scan_content(root: Path, rel: Rel) -> tuple[list[Path], list[Problem]]:
    """The assessment directories under ``root`` (safe to enter) and a problem for every other entry."""
    boundary = root.resolve()
    entries, problems = _listdir(root, rel)
    out = []
    for path in entries:
        if path.name.startswith("_"):
            continue
        kind, _, problem = examine(path, boundary, rel)
        if problem:
            problems.append(problem)
        elif kind == "dir":
            why = id_problem(path.name, SITE_PAGES, "評価書のディレクトリ名（評価書ID）")
            if why:
                problems.append(Problem(rel(path), None, None, "", why))
            else:
                out.append(path)
        elif path.suffix in YAML_SUFFIXES:
            problems.append(Problem(rel(path), None, None, "", "YAML ファイルは評価書のディレクトリに置いてください: content/<評価書ID>/assessment.yaml など。"))
        else:
            problems.append(Problem(rel(path), None, None, "", "想定外のファイルです。content ディレクトリには評価書ごとのディレクトリだけを置いてください。"))
    return out, problems


def scan_assessment(directory: Path, boundary: Path, rel: Rel) -> tuple[AssessmentDir, list[Problem]]:
    """The YAML files of one assessment directory and a problem for every unexpected entry."""
    found = AssessmentDir(directory)
    entries, problems = _listdir(directory, rel)
    by_stem: dict[str, Path] = {}
    signature = []
    for path in entries:
        kind, info, problem = examine(path, boundary, rel)
        if problem:
            problems.append(problem)
            continue
        if kind == "dir":
            if path.name == VERSIONS:
                problems.extend(_scan_versions(path, boundary, rel))
            else:
                problems.append(Problem(rel(path), None, None, "", f"評価書のディレクトリにサブディレクトリは置けません（{VERSIONS}/ を除く）。移動するか削除してください。"))
            continue
        if path.suffix not in YAML_SUFFIXES:
            if path.name not in ALLOWED_OTHER:
                problems.append(Problem(rel(path), None, None, "", "想定外のファイルです。評価書のディレクトリには assessment.yaml、file-<番号>.yaml、changes.yaml、annex-<番号>.yaml だけを置いてください。"))
            continue
        if yaml_kind(path.stem) is None:
            problems.append(Problem(rel(path), None, None, "", "想定外のファイル名です。assessment.yaml、file-<番号>.yaml、changes.yaml、annex-<番号>.yaml のいずれかにしてください。"))
            continue
        if path.stem in by_stem:
            problems.append(Problem(rel(path), None, None, "", f"{by_stem[path.stem].name} と {path.name} が両方あります。どちらが正しいか決められないので、片方を削除してください。"))
            continue
        by_stem[path.stem] = path
        signature.append((path.name, info.st_mtime_ns, info.st_size))
    found.files = sorted(by_stem.values(), key=lambda p: (p.stem != "assessment", _natural(p)))
    found.signature = tuple(sorted(signature))
    return found, problems


def _scan_versions(directory: Path, boundary: Path, rel: Rel) -> list[Problem]:
    """Published versions are loaded elsewhere; here only their names are checked (they become page names)."""
    entries, problems = _listdir(directory, rel)
    for path in entries:
        kind, _, problem = examine(path, boundary, rel)
        if problem:
            problems.append(problem)
        elif kind == "dir":
            why = id_problem(path.name, what="版のディレクトリ名（版ID）")
            if why:
                problems.append(Problem(rel(path), None, None, "", why))
    return problems
