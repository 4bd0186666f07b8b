"""Content problems: what is wrong, where (file:line:column, field path), and what to do.

Messages quote content back to its author; :func:`show` makes such quotes safe to
print on a terminal or in a log (no control characters, no escape sequences, bounded
length).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

#: Characters never accepted in content, raw or escaped: C0 controls except tab and
#: newline (a carriage return is only accepted raw, as part of a line break), DEL and
#: C1 controls.  Other invisible characters (U+2028, bidirectional controls) are text
#: and shown as such on the site.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: What messages never print raw: the controls above plus line separators and
#: bidirectional controls, which would reorder or break a terminal line.
_ESCAPE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_QUOTE_LIMIT = 80


def show(text: object, limit: int = _QUOTE_LIMIT) -> str:
    """``text`` for a message: control characters as ``\\xNN``/``\\uNNNN``, cut at ``limit``."""
    text = str(text)
    cut = len(text) > limit
    text = text[:limit]
    text = _ESCAPE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
    text = text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    return text + ("…" if cut else "")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = show(self.path, 300)
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


#: Problems reported per file; the rest are counted (a generated file can hold thousands).
MAX_PROBLEMS_PER_FILE = 50


def limit_problems(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems, then one saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    rest = problems[MAX_PROBLEMS_PER_FILE]
    more = len(problems) - MAX_PROBLEMS_PER_FILE
    return [*problems[:MAX_PROBLEMS_PER_FILE], Problem(rest.path, rest.line, rest.column, "", f"ほかに {more:,} 件の問題があります。上の問題を直してから、もう一度確かめてください。")]
