"""The rule registry and the runner.  Rules live in :mod:`.ruleset`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable, Iterator

from ..model import Assessment


class Severity(str, Enum):
    error = "error"  # the document contradicts itself or a rule of the form
    warning = "warning"  # a reviewer should look at it
    info = "info"  # worth knowing; not a defect by itself

    @property
    def label(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "情報"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # 「提供先の件数が行数と一致しない」
    basis: str  # why: the form, the 指針/規則, thresholds and their source


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    assessment: str
    organization: str
    target: str  # global ID of the item: <assessment id>/<local id>, or the assessment id
    message: str
    line: int | None = None  # source line (of the text the assessment was taken from)

    @property
    def rule_info(self) -> Rule:
        return _RULES[self.rule]

    def as_dict(self) -> dict:
        # built directly: dataclasses.asdict deep-copies every value (thousands of
        # findings per build, each digested and written as open data)
        info = self.rule_info
        return {"rule": self.rule, "severity": self.severity.value, "assessment": self.assessment, "organization": self.organization,
                "target": self.target, "message": self.message, "line": self.line, "title": info.title, "basis": info.basis}


@dataclass
class Context:
    assessment: Assessment
    today: dt.date
    #: filled by a rule as it runs
    found: list[Finding] = field(default_factory=list)

    def gid(self, local: str | None) -> str:
        return f"{self.assessment.id}/{local}" if local else self.assessment.id


#: (rule, checker) in registration order; a checker yields (local id or None, message, line)
Checker = Callable[[Context], Iterable[tuple[str | None, str, int | None]]]
_RULES: dict[str, Rule] = {}
_CHECKERS: list[tuple[Rule, Checker]] = []


def rule(id: str, severity: Severity, title: str, basis: str) -> Callable[[Checker], Checker]:
    def register(fn: Checker) -> Checker:
        r = Rule(id, severity, title, basis)
        if id in _RULES:
            raise ValueError(f"duplicate rule id {id}")
        _RULES[id] = r
        _CHECKERS.append((r, fn))
        return fn

    return register


def rules() -> list[Rule]:
    return [r for r, _ in _CHECKERS]


def check_assessment(assessment: Assessment, today: dt.date | None = None) -> list[Finding]:
    ctx = Context(assessment, today or dt.date.today())
    org = assessment.doc.organization.id
    out: list[Finding] = []
    for r, fn in _CHECKERS:
        for local, message, line in fn(ctx):
            out.append(Finding(r.id, r.severity, assessment.id, org, ctx.gid(local), message, line))
    return out


def check(assessments: Iterable[Assessment], today: dt.date | None = None) -> list[Finding]:
    """Every finding of every assessment, in assessment order then rule order."""
    out: list[Finding] = []
    for a in assessments:
        out.extend(check_assessment(a, today))
    return out


def iter_fields(items) -> Iterator:
    for item in items:
        yield from item.walk()
