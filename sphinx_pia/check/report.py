"""The findings as text and JSON, for ``sphinx-pia check``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from ..loader import load_assessment, load_content
from ..model import Assessment
from .engine import Finding, Rule, Severity, check


def run_check(paths: list[Path], today: dt.date | None = None) -> tuple[list[Assessment], list[Finding]]:
    """Load content directories or single assessment directories, and check them.
    Raises ContentError when the content does not load."""
    from ..loader import ContentError
    from ..versions import VERSIONS_DIR, load_versions

    assessments: list[Assessment] = []
    problems = []
    for path in paths:
        if (path / "assessment.yaml").exists():
            dirs, root = [path], path.parent
            assessments.append(load_assessment(path, path.parent))
        else:
            root = path
            loaded = load_content(path)
            assessments.extend(loaded)
            dirs = [path / a.id for a in loaded]
        # earlier versions are validated too (their IDs, their YAML), though only the latest is checked
        for directory in dirs:
            if (directory / VERSIONS_DIR).is_dir():
                try:
                    load_versions(directory, root)
                except ContentError as exc:
                    problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return assessments, check(assessments, today)


def _where(a: Assessment, f: Finding) -> str:
    return f"{a.doc.source.file}:{f.line}" if f.line else a.doc.source.file


def summary(findings: list[Finding]) -> str:
    n = Counter(f.severity for f in findings)
    return "、".join(f"{s.label} {n[s]} 件" for s in Severity)


def findings_text(assessments: list[Assessment], findings: list[Finding], today: dt.date | None) -> str:
    by_id = {a.id: a for a in assessments}
    lines: list[str] = []
    for a in assessments:
        mine = sorted((f for f in findings if f.assessment == a.id), key=lambda f: (f.severity.rank, f.rule))
        lines.append(f"== {a.id}（{a.doc.organization.name} {a.title}）: {summary(mine) if mine else '指摘なし'}")
        for f in mine:
            lines.append(f"{f.severity.label} {f.rule} {f.target} ({_where(by_id[f.assessment], f)}): {' '.join(f.message.split())}")
    day = (today or dt.date.today()).isoformat()
    lines.append(f"点検結果（基準日 {day}）: 評価書 {len(assessments)} 件、{summary(findings)}。")
    return "\n".join(lines)


def findings_json(assessments: list[Assessment], findings: list[Finding], today: dt.date | None, rules: list[Rule]) -> dict:
    by_id = {a.id: a for a in assessments}
    return {
        "date": (today or dt.date.today()).isoformat(),
        "rules": [{"id": r.id, "severity": r.severity.value, "title": r.title, "basis": r.basis} for r in rules],
        "findings": [{**f.as_dict(), "source": by_id[f.assessment].doc.source.file} for f in findings],
    }
