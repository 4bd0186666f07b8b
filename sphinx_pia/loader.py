"""YAML → model, with errors that name the file, line, column and field.

The content directory is walked by :mod:`sphinx_pia.contentdir` (what may be there),
each file is read by :mod:`sphinx_pia.yamlsafe` (safe YAML with positions), checked
against the model here, and the values of an assessment are related by
:mod:`sphinx_pia.checks`.  Validation errors from the model are mapped back to the
position of the offending key or value, with a did-you-mean for unknown keys.
Nothing here raises anything but :class:`ContentError` for bad input.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from pydantic import BaseModel, ValidationError

from . import checks
from .contentdir import AssessmentDir, scan_assessment, scan_content, yaml_kind
from .model import Annex, Assessment, AssessmentDoc, ChangeLog, SpecificFile, assign_ids
from .model.entities import Section
from .pagenames import MAX_ID_LENGTH
from .problems import MAX_PROBLEMS_PER_FILE, ContentError, Problem, show
from .yamlsafe import Positions, dotted, read_yaml

_dotted = dotted

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
        close = difflib.get_close_matches(key[:100], sorted(known), n=1, cutoff=0.6)
        hint = f"'{close[0]}' の誤りではありませんか。" if close else "使えるキーはスキーマ（sphinx-pia schema）を参照してください。"
        return f"キー '{show(key)}' は使えません。{hint}"
    if kind == "missing":
        return f"必須のキー '{loc[-1]}' がありません。追加してください。"
    if kind in ("string_type",):
        return f"文字列が必要ですが {_type_name(err.get('input'))} です。値を引用符で囲んでください。"
    if kind in ("int_type", "int_parsing"):
        value = err.get("input")
        if isinstance(value, bool):
            return f"整数が必要ですが真偽値 {str(value).lower()} です。数字で書いてください。"
        if isinstance(value, str):
            return f"整数が必要ですが文字列 '{show(value)}' です。引用符を外し、数字だけを書いてください。"
        if isinstance(value, float):
            return f"整数が必要ですが小数 {show(value)} です。小数点なしの整数で書いてください。"
        return f"整数が必要ですが {show(repr(value))} です。"
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"長すぎます（{len(str(err.get('input')))} 文字、上限 {limit} 文字）。短くしてください。"
    if kind in ("greater_than_equal", "greater_than"):
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt"))
        return f"{show(repr(err.get('input')))} は小さすぎます（{limit} 以上にしてください）。"
    if kind in ("list_type",):
        return "リスト（「- 」で始まる行）が必要です。"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "「キー: 値」の形の内容が必要です。"
    if kind == "enum" or kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(err.get("input")), re.findall(r"'([^']+)'", expected), n=1)
        hint = f"'{close[0]}' の誤りではありませんか。" if close else ""
        return f"{expected} のいずれかが必要ですが {show(repr(err.get('input')))} です。{hint}"
    if kind == "string_pattern_mismatch":
        return f"{show(repr(err.get('input')))} はIDとして使えません。半角英小文字・数字・「-」で書いてください（例: file-1-prov-2）。"
    return show(err["msg"], 200) + "."


def _type_name(value: Any) -> str:
    return {bool: "真偽値", int: "整数", float: "小数", dict: "マッピング", list: "リスト", type(None): "null"}.get(type(value), type(value).__name__)


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
            if len(problems) > MAX_PROBLEMS_PER_FILE:
                break
        more = max(0, exc.error_count() - len(problems))
        if more:
            problems.append(Problem(display, problems[-1].line, problems[-1].column, "", f"ほかに {more:,} 件の問題があります。上の問題を直してから、もう一度確かめてください。"))
        raise ContentError(problems) from None


# --- assessments --------------------------------------------------------------------

_MODELS: dict[str, type[BaseModel]] = {"assessment": AssessmentDoc, "file": SpecificFile, "annex": Annex, "changes": ChangeLog}


def _relative(root: Path | None) -> Callable[[Path], str]:
    if root is None:
        return str

    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    return rel


def load_assessment(
    directory: Path, root: Path | None = None, expected_id: str | None = None, sources: Path | None = None,
    found: AssessmentDir | None = None, boundary: Path | None = None,
) -> Assessment:
    """Load one assessment directory; raise ContentError listing every problem.

    ``root`` is what paths in messages are relative to; ``expected_id`` is the ID the
    assessment must have (default: the directory's name); with ``sources``, the source
    text named by the assessment must be there and every line number inside it.
    Symlinks must stay inside ``boundary`` (default: the directory's parent)."""
    directory = Path(directory)
    rel = _relative(root)
    problems: list[Problem] = []
    if found is None:
        found, problems = scan_assessment(directory, (boundary or directory.parent).resolve(), rel)
    main = next((p for p in found.files if p.stem == "assessment"), None)
    if main is None:
        problems.append(Problem(rel(directory / "assessment.yaml"), None, None, "", "assessment.yaml がありません。評価書のディレクトリには必ず1つ必要です。"))
        raise ContentError(problems)

    def load(path: Path) -> checks.Part | None:
        try:
            data, positions = read_yaml(path, rel(path))
            return checks.Part(rel(path), validate_model(_MODELS[yaml_kind(path.stem)], data, positions, rel(path)), positions)
        except ContentError as exc:
            problems.extend(exc.problems)
            return None

    loaded = {path: load(path) for path in found.files}
    main_part = loaded.pop(main)
    if main_part is None or problems:  # references into a file that failed to load would only add noise
        raise ContentError(problems)
    doc = main_part.model
    want = expected_id if expected_id is not None else directory.name
    if doc.id != want:
        what = f"'{want}'" if expected_id is not None else f"ディレクトリ名 '{show(want)}' と同じ"
        problems.append(main_part.problem(("id",), f"id '{doc.id}' は{what}にしてください。"))
    by_kind: dict[str, list[tuple[Path, checks.Part]]] = {"file": [], "annex": [], "changes": []}
    for path, part in loaded.items():
        by_kind[yaml_kind(path.stem)].append((path, part))
    files, annexes = by_kind["file"], by_kind["annex"]
    changes = by_kind["changes"][0] if by_kind["changes"] else None
    org = main_part.positions.find(("organization", "name"))
    assessment = Assessment(
        doc=doc,
        files=[f.model for _, f in files],
        changes=changes[1].model if changes else None,
        annexes=[a.model for _, a in annexes],
        paths={"assessment": rel(main), **{f"file:{i}": rel(p) for i, (p, _) in enumerate(files)}},
        marks={"organization.name": org} if org else {},
    )
    assign_ids(assessment)
    parts = [main_part, *(f for _, f in files), *(a for _, a in annexes), *([changes[1]] if changes else [])]
    problems.extend(checks.check_assessment(assessment, parts, main_part, sources))
    if problems:
        raise ContentError(problems)
    return assessment


# --- a whole content directory ----------------------------------------------------------


@dataclass
class Collected:
    """Every assessment of a content directory that loaded, and every problem of the others."""

    assessments: list[Assessment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: assessment directory → (signature, assessment), for a cache of unchanged directories
    entries: dict[str, tuple] = field(default_factory=dict)
    #: assessment id → the YAML files it was read from
    files: dict[str, list[Path]] = field(default_factory=dict)


def _source_signature(sources: Path | None, assessment: Assessment) -> tuple:
    if sources is None:
        return ()
    try:
        info = (sources / assessment.doc.source.file).stat()
        return (assessment.doc.source.file, info.st_mtime_ns, info.st_size)
    except (OSError, ValueError):
        return (assessment.doc.source.file, None)


def collect(root: Path, base: Path | None = None, cached: Mapping[str, tuple] | None = None, sources: Path | None | bool = True) -> Collected:
    """Load every assessment under ``root``: the one implementation behind ``validate`` and the build.

    Problems are collected, never raised, so one broken assessment never hides the
    others.  ``base`` is what paths in messages are relative to (default ``root``).
    ``sources`` is the directory of source texts (default: ``sources/`` beside
    ``root``).  ``cached`` maps a directory to (signature, assessment) from an earlier
    run: an unchanged directory is not read again."""
    root = Path(root)
    base = root if base is None else Path(base)
    if sources is True:  # the default: sources/ beside content/, when there is one
        sources = root.parent / "sources" if (root.parent / "sources").is_dir() else None
    rel = _relative(base)
    out = Collected()
    if not root.is_dir():
        out.problems.append(Problem(rel(root), None, None, "", "content ディレクトリが見つかりません。パス（conf.py では pia_content_dir）を確かめてください。"))
        return out
    boundary = root.resolve()
    directories, out.problems = scan_content(root, rel)
    for directory in directories:
        found, problems = scan_assessment(directory, boundary, rel)
        hit = (cached or {}).get(str(directory))
        if not problems and hit is not None and hit[0] == found.signature and hit[1] == _source_signature(sources, hit[2]):
            assessment = hit[2]
        else:
            out.problems.extend(problems)  # unexpected entries; the YAML files found are still checked
            try:
                assessment = load_assessment(directory, base, sources=sources or None, found=found)
            except ContentError as exc:
                out.problems.extend(exc.problems)
                continue
            except Exception as exc:  # noqa: BLE001 - one assessment must never take the others down
                out.problems.append(Problem(rel(directory), None, None, "", f"評価書を読み込めませんでした（{type(exc).__name__}: {show(exc, 120)}）。"
                                            "内容を小さく分けて原因の箇所を探し、このディレクトリを添えて報告してください。"))
                continue
        if problems:
            continue
        out.entries[str(directory)] = (found.signature, _source_signature(sources, assessment), assessment)
        out.assessments.append(assessment)
        out.files[assessment.id] = list(found.files)
    out.problems.extend(_check_organizations(out.assessments))
    return out


def _check_organizations(assessments: list[Assessment]) -> list[Problem]:
    """One organization ID, one name, across assessments."""
    problems = []
    orgs: dict[str, tuple[str, str]] = {}
    for a in assessments:
        org = a.doc.organization
        if org.id in orgs and orgs[org.id][0] != org.name:
            line, col = a.marks.get("organization.name", (None, None))
            problems.append(Problem(a.paths["assessment"], line, col, "organization.name",
                                    f"実施機関 '{org.id}' の名前がここでは '{show(org.name)}'、{orgs[org.id][1]} では '{show(orgs[org.id][0])}' です。どちらかに揃えてください。"))
        orgs.setdefault(org.id, (org.name, a.paths["assessment"]))
    return problems


def load_content(root: Path, sources: Path | None | bool = True) -> list[Assessment]:
    """Load every assessment under ``root`` (one directory each); raise ContentError listing every problem."""
    result = collect(Path(root), sources=sources)
    if result.problems:
        raise ContentError(result.problems)
    return result.assessments


# Keep Section importable from here for callers that walk sections.
__all__ = ["Collected", "ContentError", "Problem", "collect", "load_assessment", "load_content", "read_yaml", "validate_model", "Section", "MAX_ID_LENGTH"]
