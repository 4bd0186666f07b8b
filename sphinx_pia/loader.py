"""YAML → model, with errors that name the file, line, column and field.

PyYAML is used in safe mode only, through the node (compose) API so that every
value keeps its position.  Duplicate mapping keys, which PyYAML would silently
overwrite, are errors.  Validation errors from the model are mapped back to
the position of the offending key or value, with a did-you-mean for unknown
keys.  Nothing here raises anything but :class:`ContentError` for bad input.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from pydantic import BaseModel, ValidationError

from .model import Annex, Assessment, AssessmentDoc, ChangeLog, SpecificFile, assign_ids
from .model.entities import Provision, Section, SystemLink, Target

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(Exception):
    """One or more problems in the content; ``str()`` lists them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- YAML with positions -------------------------------------------------------


# libyaml's safe loader when PyYAML was built with it (several times faster); both
# give nodes with marks, and we only use their composer and scalar resolver.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader; we only use its composer and scalar resolver."""


@dataclass
class Positions:
    """Line/column (1-based) of every key and value, by field path."""

    values: dict[Loc, tuple[int, int]]
    keys: dict[Loc, tuple[int, int]]

    def find(self, loc: Loc, prefer_key: bool = False) -> tuple[int, int] | None:
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return None
            loc = loc[:-1]


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML file into plain data plus positions; raise ContentError on bad YAML."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(display, None, None, "", f"UTF-8 のテキストではありません（{exc.reason}）。UTF-8 で保存し直してください。")]) from None
    except OSError as exc:
        raise ContentError([Problem(display, None, None, "", f"ファイルを読めません: {exc.strerror}。")]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or "invalid YAML"
        hint = "字下げ（インデント）と、「: 」や「#」を含む値が引用符で囲まれているかを確認してください。" if any(w in problem for w in ("mapping", "indent", "block", "expected")) else ""
        # PyYAML's own wording stays in the message: it names the construct precisely
        raise ContentError([Problem(display, line, col, "", f"YAML の書式が正しくありません（{problem}{exc.context and f', {exc.context}' or ''}）。{hint}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(display, None, None, "", f"YAML の書式が正しくありません（{exc}）。")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(display, 1, 1, "", "ファイルが空です。「キー: 値」の形の内容が必要です。")])
    positions = Positions({}, {})
    problems: list[Problem] = []
    data = _build(node, (), positions, problems, display, loader)
    if problems:
        raise ContentError(problems)
    return data, positions


def _build(node: yaml.Node, loc: Loc, pos: Positions, problems: list[Problem], display: str, loader: _Loader) -> Any:
    pos.values[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(display, *_mark(key_node), _dotted(loc), "a mapping key must be plain text."))
                continue
            key = key_node.value
            if key in seen:
                problems.append(
                    Problem(display, *_mark(key_node), _dotted((*loc, key)), f"キー '{key}' が重複しています（最初は {seen[key]} 行目）。どちらかを削除してください。")
                )
                continue
            seen[key] = _mark(key_node)[0]
            pos.keys[(*loc, key)] = _mark(key_node)
            out[key] = _build(value_node, (*loc, key), pos, problems, display, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*loc, i), pos, problems, display, loader) for i, child in enumerate(node.value)]
    if node.tag in ("tag:yaml.org,2002:timestamp",):
        return node.value  # keep dates as the text written; the model parses dates itself
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append(Problem(display, *_mark(node), _dotted(loc), f"値を読めません: {exc}"))
        return None


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --- model validation with positions -----------------------------------------------


def _all_field_names() -> set[str]:
    from . import model as m

    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            for name, info in obj.model_fields.items():
                names.add(info.alias or name)
    return names


def _explain(err: dict, known: set[str]) -> str:
    kind = err["type"]
    loc = err["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = f"'{close[0]}' の誤りではありませんか。" if close else "使えるキーはスキーマ（sphinx-pia schema）を参照してください。"
        return f"キー '{key}' は使えません。{hint}"
    if kind == "missing":
        return f"必須のキー '{loc[-1]}' がありません。追加してください。"
    if kind in ("string_type",):
        return f"文字列が必要ですが {type(err.get('input')).__name__} です。値を引用符で囲んでください。"
    if kind in ("int_type", "int_parsing"):
        return f"整数が必要ですが {err.get('input')!r} です。"
    if kind in ("list_type",):
        return "リスト（「- 」で始まる行）が必要です。"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "「キー: 値」の形の内容が必要です。"
    if kind == "enum" or kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(err.get("input")), re.findall(r"'([^']+)'", expected), n=1)
        hint = f"'{close[0]}' の誤りではありませんか。" if close else ""
        return f"{expected} のいずれかが必要ですが {err.get('input')!r} です。{hint}"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} はIDとして使えません。半角英小文字・数字・「-」で書いてください（例: file-1-prov-2）。"
    return err["msg"] + "."


_KNOWN: set[str] | None = None


def validate_model(cls: type[BaseModel], data: Any, positions: Positions, display: str) -> Any:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _all_field_names()
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            # pydantic adds the validator name for the str-or-mapping shorthand; drop it from the path
            loc = tuple(p for p in err["loc"] if p not in ("function-before[_shorthand(), Field]",))
            found = positions.find(loc, prefer_key=err["type"] in ("extra_forbidden",))
            line, col = found if found else (None, None)
            problems.append(Problem(display, line, col, _dotted(loc), _explain({**err, "loc": loc}, _KNOWN)))
        raise ContentError(problems) from None


# --- assessments --------------------------------------------------------------------

_FILE_RE = re.compile(r"^file-[0-9a-z-]+\.ya?ml$")
_ANNEX_RE = re.compile(r"^annex-[0-9a-z-]+\.ya?ml$")


def _natural(path: Path) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def assessment_files(directory: Path) -> list[Path]:
    """The YAML files that make up one assessment, in load order."""
    return sorted((p for p in directory.iterdir() if p.suffix in (".yaml", ".yml")), key=_natural)


def load_assessment(directory: Path, root: Path | None = None, expected_id: str | None = None) -> Assessment:
    """Load one assessment directory; raise ContentError listing every problem.

    ``expected_id`` is the ID the assessment must have (default: the directory's name)."""
    directory = Path(directory)
    rel = (lambda p: str(p.relative_to(root))) if root else str
    problems: list[Problem] = []
    main = directory / "assessment.yaml"
    if not main.exists():
        raise ContentError([Problem(rel(directory), None, None, "", "assessment.yaml がありません。評価書のディレクトリには必ず1つ必要です。")])

    def load(path: Path, cls: type[BaseModel]) -> tuple[Any, Positions] | None:
        try:
            data, positions = read_yaml(path, rel(path))
            return validate_model(cls, data, positions, rel(path)), positions
        except ContentError as exc:
            problems.extend(exc.problems)
            return None

    loaded = load(main, AssessmentDoc)
    files, annexes, changes = [], [], None
    positions: dict[str, Positions] = {}
    for path in assessment_files(directory):
        if path.name == "assessment.yaml":
            continue
        if _FILE_RE.match(path.name):
            result = load(path, SpecificFile)
            if result:
                files.append((path, result[0]))
                positions[rel(path)] = result[1]
        elif _ANNEX_RE.match(path.name):
            result = load(path, Annex)
            if result:
                annexes.append((path, result[0]))
                positions[rel(path)] = result[1]
        elif path.stem == "changes":
            result = load(path, ChangeLog)
            if result:
                changes = (path, result[0])
                positions[rel(path)] = result[1]
        else:
            problems.append(
                Problem(rel(path), None, None, "", "想定外のファイル名です。assessment.yaml、file-<番号>.yaml、changes.yaml、annex-<番号>.yaml のいずれかにしてください。")
            )
    if loaded is None:
        raise ContentError(problems)
    doc, main_pos = loaded
    positions[rel(main)] = main_pos
    if expected_id is not None and doc.id != expected_id:
        problems.append(Problem(rel(main), *(main_pos.find(("id",)) or (None, None)), "id", f"id '{doc.id}' は '{expected_id}' にしてください。"))
    elif expected_id is None and doc.id != directory.name:
        problems.append(Problem(rel(main), *(main_pos.find(("id",)) or (None, None)), "id", f"id '{doc.id}' はディレクトリ名 '{directory.name}' と同じにしてください。"))
    assessment = Assessment(
        doc=doc,
        files=[f for _, f in files],
        changes=changes[1] if changes else None,
        annexes=[a for _, a in annexes],
        paths={"assessment": rel(main), **{f"file:{i}": rel(p) for i, (p, _) in enumerate(files)}},
    )
    assign_ids(assessment)
    if problems:  # references into a file that failed to load would only add noise
        raise ContentError(problems)
    problems.extend(check_references(assessment, positions, rel(main), files, annexes, changes, rel))
    if problems:
        raise ContentError(problems)
    return assessment


def _walk(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every model object with its field path (as used by Positions)."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name, info in type(obj).model_fields.items():
            yield from _walk(getattr(obj, name), (*loc, info.alias or name))
    elif isinstance(obj, list):
        for i, child in enumerate(obj):
            yield from _walk(child, (*loc, i))


def check_references(assessment, positions, main_path, files, annexes, changes, rel) -> list[Problem]:
    """Duplicate IDs and references that point nowhere."""
    problems: list[Problem] = []
    sources = [(main_path, assessment.doc)] + [(rel(p), f) for p, f in files] + [(rel(p), a) for p, a in annexes]
    if changes:
        sources.append((rel(changes[0]), changes[1]))
    seen: dict[str, str] = {}
    refs: list[tuple[str, Loc, str, str]] = []  # (path, loc, ref, what)
    for path, model in sources:
        pos = positions.get(path)
        for loc, obj in _walk(model):
            obj_id = getattr(obj, "id", None)
            if obj_id and not isinstance(obj, (Target, SystemLink)) and "id" in type(obj).model_fields:
                where = f"{path}:{(pos.find(loc) or ('?',))[0] if pos else '?'}"
                if obj_id in seen and obj is not assessment.doc:
                    line, col = (pos.find((*loc, "id")) or pos.find(loc) or (None, None)) if pos else (None, None)
                    problems.append(Problem(path, line, col, _dotted((*loc, "id")), f"ID '{obj_id}' が重複しています（{seen[obj_id]} でも使われています）。IDは評価書の中で一意にしてください。"))
                elif obj is not assessment.doc:
                    seen[obj_id] = where
            if isinstance(obj, SystemLink):
                refs.append((path, (*loc, "system"), obj.system, "system"))
            elif isinstance(obj, Target):
                refs.append((path, (*loc, "ref"), obj.ref, "section or object"))
            elif isinstance(obj, Provision) and obj.annex:
                refs.append((path, (*loc, "annex"), obj.annex, "annex"))
            elif getattr(obj, "duplicate_of", None):
                refs.append((path, (*loc, "duplicate_of"), obj.duplicate_of, "change entry"))
    seen.setdefault("cover", f"{main_path} (表紙)")  # the cover is a target too: 「表紙-公表日」
    system_ids = {s.id for s in assessment.systems}
    annex_ids = {a.id for a in assessment.annexes}
    for path, loc, ref, what in refs:
        valid = {"system": system_ids, "annex": annex_ids}.get(what, seen.keys())
        what = {"system": "システム", "annex": "別紙", "section or object": "節・項目", "change entry": "変更箇所"}[what]
        if ref not in valid:
            pos = positions.get(path)
            line, col = (pos.find(loc) or (None, None)) if pos else (None, None)
            close = difflib.get_close_matches(ref, sorted(valid), n=1)
            hint = f"'{close[0]}' の誤りではありませんか。" if close else f"定義するか参照を直してください（{what}のIDは {len(valid)} 個あります）。"
            problems.append(Problem(path, line, col, _dotted(loc), f"'{ref}' はこの評価書の{what}を指していません。{hint}"))
    return problems


def load_content(root: Path) -> list[Assessment]:
    """Load every assessment under ``root`` (one directory each)."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), None, None, "", "content directory not found.")])
    problems: list[Problem] = []
    out: list[Assessment] = []
    for directory in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            out.append(load_assessment(directory, root))
        except ContentError as exc:
            problems.extend(exc.problems)
    for stray in sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")):
        problems.append(Problem(stray.name, None, None, "", "YAML files belong in an assessment directory: content/<assessment-id>/assessment.yaml."))
    orgs: dict[str, tuple[str, str]] = {}
    for a in out:
        org = a.doc.organization
        if org.id in orgs and orgs[org.id][0] != org.name:
            problems.append(Problem(a.paths["assessment"], None, None, "organization.name", f"実施機関 '{org.id}' の名前がここでは '{org.name}'、{orgs[org.id][1]} では '{orgs[org.id][0]}' です。どちらかに揃えてください。"))
        orgs.setdefault(org.id, (org.name, a.paths["assessment"]))
    if problems:
        raise ContentError(problems)
    return out


# Keep Section importable from here for callers that walk sections.
__all__ = ["ContentError", "Problem", "load_assessment", "load_content", "read_yaml", "validate_model", "Section"]
