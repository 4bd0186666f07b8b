"""A site whose every text field holds a hostile string.

``make_site(dest)`` copies the ``test-basic`` testroot and rewrites its content:
each string a content author writes (names, titles, texts, notes, cells, labels)
is replaced by one of :data:`PAYLOADS` (legal-basis texts keep their citation and
get the payload appended, so law pages show it too).  IDs, enumerations, dates,
chosen values and their options stay as they are, so the content still validates.

Each payload carries ``__pia_pwned`` so a test can tell whether any of it ran as
script, became an attribute or a link, or was interpreted as markup.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from sphinx_pia.loader import read_yaml

ROOTS = Path(__file__).parent / "roots"

#: A marker no legitimate page contains.
MARK = "__pia_pwned"

PAYLOADS = [
    # reST: a blank line then directives that would run a script or read a local file
    f"名前\n\n.. raw:: html\n\n   <script>window.{MARK}=1</script>\n\n後",
    f"名前\n\n.. include:: /etc/passwd\n\n{MARK}",
    f"名前\n\n.. include:: {'../' * 16}etc/passwd\n\n.. literalinclude:: {'../' * 16}etc/passwd\n\n{MARK}",
    f"`t <javascript:window.{MARK}=2>`_",
    f"<script>window.{MARK}=3</script>",
    f'<img src=x onerror="window.{MARK}=4">',
    # MyST
    f"[x](javascript:window.{MARK}=5)",
    f"```{{raw}} html\n<script>window.{MARK}=6</script>\n```",
    f"{{eval-rst}} |sub| :doc:`index` :ref:`{MARK}` [#]_ `{MARK}`__",
    # characters that break naive markup, templates and breadcrumbs
    f"\"'&<>\t\u2028\u2029 {{{{ 7*7 }}}} {{% raw %}} < {MARK}",
    f'<a href="data:text/html,<script>window.{MARK}=7</script>">d</a>',
    f".. image:: file:///etc/passwd\n{MARK}",
    f'<iframe src="file:///etc/passwd"></iframe>{MARK}',
    f"<svg onload=window.{MARK}=8>",
    f"javascript:window.{MARK}=9",
    f"--> ]]> <!-- {MARK}",
]

#: keys whose values are not free text (IDs, enumerations, references, numbers)
_KEEP = {
    "schema", "id", "kind", "key", "layout", "status", "system", "ref", "annex", "resolution", "duplicate_of",
    "file", "no", "check", "select", "count", "line", "end_line", "date", "basis_column", "recipient_column",
    "prefecture", "gap", "columns", "stamp",
}
_CITING = {"legal_basis"}


class _Cycle:
    def __init__(self) -> None:
        self.i = 0
        self.used: list[str] = []

    def next(self) -> str:
        p = PAYLOADS[self.i % len(PAYLOADS)]
        self.i += 1
        self.used.append(p)
        return p


def _rewrite(node, cycle: _Cycle, key: str | None = None, citing: bool = False):
    if isinstance(node, dict):
        cit = node.get("key") in _CITING
        return {k: (v if k in _KEEP else _rewrite(v, cycle, k, cit)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, cycle, key, citing) for v in node]
    if isinstance(node, str):
        if citing and key == "text":
            return node + cycle.next()
        return cycle.next()
    return node


def make_site(dest: Path) -> list[str]:
    """Write the hostile site to ``dest``; returns the payloads placed, in order."""
    shutil.copytree(ROOTS / "test-basic", dest)
    cycle = _Cycle()
    for path in sorted((dest / "content").rglob("*.yaml")):
        data, _ = read_yaml(path)  # the project's reading: `no:` is a key, not YAML 1.1's false
        data = _rewrite(data, cycle)
        _dump(path, data)
    # Each payload also as the organization name, the title and a file's name of an
    # assessment of its own: the strings that page titles, breadcrumbs and indices show.
    base = dest / "content" / "city-a-juki"
    for k, payload in enumerate(PAYLOADS):
        target = dest / "content" / f"hostile-{k}"
        shutil.copytree(base, target)
        doc, _ = read_yaml(target / "assessment.yaml")
        doc["id"] = target.name
        doc["organization"] = {**doc["organization"], "id": f"hostile-org-{k}", "name": payload}
        for item in doc["cover"]:
            if item.get("key") == "title":
                item["text"] = payload
        _dump(target / "assessment.yaml", doc)
        f1, _ = read_yaml(target / "file-1.yaml")
        f1["name"]["text"] = payload
        _dump(target / "file-1.yaml", f1)
        cycle.used.extend([payload] * 3)
    return cycle.used


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
