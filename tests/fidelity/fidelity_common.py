"""Shared pieces of the per-document fidelity tests: the "nothing lost" corpus.

Each test parses its source on its own terms; what they share is how the YAML
is flattened into one searchable string of every value it holds."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # ASCII tags only: keeps <選択肢>, <花巻市における措置>
WS_RE = re.compile(r"\s+")
DASH_RE = re.compile(r"^-+(\t-+)*$")

#: YAML keys whose values are curation, not source values
SKIP_KEYS = frozenset({
    "note", "evidence", "resolution_note", "where", "schema", "kind", "layout", "file", "id", "system", "ref",
    "annex", "resolution", "duplicate_of", "key", "gap", "confidence", "targets",
})


def squash(text: str | None) -> str:
    """A cell as compared: markup removed, entities decoded, no whitespace."""
    return WS_RE.sub("", html.unescape(TAG_RE.sub("", text or "")))


def corpus_strings(node, out: list[str], skip=SKIP_KEYS) -> None:
    """Every value of a YAML tree, plus the composed forms the source prints in one
    cell: 「label value」, 「N. title [choice]」, 「numeral title」, 「no name」."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in skip:
                corpus_strings(v, out, skip)
        label = node.get("label")
        for other in ("text", "raw"):
            if label and isinstance(node.get(other), str):
                out.append(f"{label} {node[other]}")
        for other in ("select", "check"):
            if label and isinstance(node.get(other), dict) and node[other].get("raw"):
                out.append(f"{label} {node[other]['raw']}")
        if "no" in node and isinstance(node.get("title"), str):
            choice = (node.get("choice") or {}).get("check", {}).get("raw", "")
            out.append(f"{node['no']}. {node['title']} {choice}")
        if "numeral" in node and isinstance(node.get("title"), str):
            out.append(f"{node['numeral']} {node['title']}")
        if "no" in node and isinstance(node.get("name"), str):  # a record item as printed: 「1 課税年度」
            out.append(f"{node['no']} {node['name']}")
    elif isinstance(node, list):
        for v in node:
            corpus_strings(v, out, skip)
    elif isinstance(node, str):
        out.append(node)


def yaml_corpus(directory: Path) -> str:
    """All values of an assessment directory, squashed, NUL-separated (a substring
    of it is a value or part of one)."""
    out: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        corpus_strings(yaml.safe_load(path.read_text(encoding="utf-8")), out)
    return "\u0000".join(squash(s) for s in out)
