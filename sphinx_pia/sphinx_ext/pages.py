"""Generated pages: every assessment gets its pages without a hand-written stub.

At ``builder-inited`` we write small reST sources under ``<srcdir>/<pia_output_dir>``,
each holding one directive.  Only the two index pages enter the toctree; the
others are orphans reached by links and breadcrumbs.  A theme's sidebar then
lists a handful of entries on every page instead of every page of the site,
which keeps the build linear in the number of assessments.  A file is rewritten only when its text changes,
and the text carries a digest of every datum the page shows (including
back-links from other assessments).  So after one YAML edit, Sphinx's own
mtime check re-reads exactly the pages whose output changes: the edited
assessment's pages and the legal-basis and index pages that list it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..index import SiteIndex
from ..model import Assessment


_SALT = ""


def _underline(title: str, char: str = "=") -> str:
    # East Asian characters are two columns wide for docutils.
    return char * (2 * len(title) + 2)


def _salt() -> str:
    """Pages also depend on the extension itself and its shipped law data."""
    from .. import __version__
    from ..law_registry import DATA as LAWS
    from ..renumbering import DATA as RENUMBERING

    h = hashlib.sha256(__version__.encode())
    for path in (LAWS, RENUMBERING):
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


def _digest(*parts: object) -> str:
    h = hashlib.sha256(_SALT.encode())
    for part in parts:
        h.update(json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:16]


def _page(title: str, digest: str, body: str, orphan: bool = True, crumbs: list[tuple[str, str]] = ()) -> str:
    head = ":orphan:\n\n" if orphan else ""
    trail = ""
    if crumbs:
        # breadcrumbs: the way back up, since orphan pages have no sidebar entry
        trail = ".. rst-class:: pia-breadcrumbs\n\n" + " › ".join(f":doc:`{text} <{target}>`" for target, text in crumbs) + "\n\n"
    return f"{head}.. pia-digest: {digest}\n\n{title}\n{_underline(title)}\n\n{trail}{body}\n"


def _toctree(entries: list[str], hidden: bool = False, maxdepth: int = 1) -> str:
    if not entries:
        return ""
    opts = f"   :maxdepth: {maxdepth}\n" + ("   :hidden:\n" if hidden else "")
    return ".. toctree::\n" + opts + "\n" + "".join(f"   {e}\n" for e in entries)


def assessment_data(a: Assessment) -> list:
    """Everything an assessment's own pages can show."""
    return [
        a.doc.model_dump(mode="json"),
        [f.model_dump(mode="json") for f in a.files],
        a.changes.model_dump(mode="json") if a.changes else None,
        [x.model_dump(mode="json") for x in a.annexes],
    ]


def plan_pages(site: SiteIndex) -> dict[str, str]:
    """docname (relative to the output dir) → reST source."""
    global _SALT
    _SALT = _salt()
    pages: dict[str, str] = {}
    org_data = {
        oid: [(aid, site.assessments[aid].title, site.assessments[aid].doc.form.kind.value) for aid in aids]
        for oid, aids in site.organizations.items()
    }
    for aid, a in sorted(site.assessments.items()):
        # Pages of one assessment show only its own data (law labels derive from its citation texts).
        digest = _digest(assessment_data(a))
        org = a.doc.organization
        up = [("/pia/index", "評価実施機関と評価書"), (f"/pia/orgs/{org.id}", org.name)]
        down = up + [(f"/pia/{aid}/index", a.title)]
        if a.systems:
            pages[f"{aid}/systems"] = _page(f"{a.title} システム", digest, f".. pia-systems:: {aid}\n   :generated:\n", crumbs=down)
        for f in a.files:
            title = f"{f.name.text or f.id}（{org.name}）"
            pages[f"{aid}/{f.id}"] = _page(title, digest, f".. pia-file:: {aid}/{f.id}\n   :generated:\n", crumbs=down)
        if a.changes:
            pages[f"{aid}/changes"] = _page(f"{a.title} 変更箇所", digest, f".. pia-changes:: {aid}\n   :generated:\n", crumbs=down)
        for annex in a.annexes:
            pages[f"{aid}/{annex.id}"] = _page(f"{a.title} 別紙{annex.no}", digest, f".. pia-annex:: {aid}/{annex.id}\n   :generated:\n", crumbs=down)
        pages[f"{aid}/index"] = _page(a.title, digest, f".. pia-assessment:: {aid}\n   :generated:\n", crumbs=up)
    for oid, aids in sorted(site.organizations.items()):
        org = site.objects[f"org/{oid}"]
        digest = _digest(org.obj.model_dump(mode="json"), org_data[oid], [site.assessments[x].cover_item("published_on").text if site.assessments[x].cover_item("published_on") else None for x in aids])
        pages[f"orgs/{oid}"] = _page(org.title, digest, f".. pia-organization:: {oid}\n   :generated:\n", crumbs=[("/pia/index", "評価実施機関と評価書")])
    for lgid in sorted(site.laws):
        slug = lgid.split("/", 1)[1]
        citations = site.citations.get(lgid, [])
        shown = [
            (c.owner, c.label, c.text, c.role, site.objects[c.owner].title, site.objects[c.owner].file,
             site.objects[site.objects[c.owner].file].title if site.objects[c.owner].file else None,
             site.assessments[site.objects[c.owner].assessment].title,
             site.assessments[site.objects[c.owner].assessment].doc.organization.name)
            for c in citations
        ]
        children = [(g, site.law_label(g), len(site.citations.get(g, []))) for g in site.law_children(lgid)]
        pages[f"laws/{slug}"] = _page(site.law_label(lgid), _digest(lgid, shown, children), f".. pia-law:: {lgid}\n   :generated:\n", crumbs=[("/pia/laws/index", "法令索引")])
    law_index_digest = _digest(sorted((g, site.law_label(g), len(site.citations.get(g, []))) for g in site.laws))
    pages["laws/index"] = _page("法令索引", law_index_digest, ".. pia-law-index::\n   :generated:\n", orphan=False)
    index_body = (
        "この索引は、特定個人情報保護評価書を評価実施機関、法令上の根拠、システム、ファイル、提供先・移転先、委託先から引けるようにしたものです。\n\n"
        "* :ref:`pia-systems`\n* :ref:`pia-files`\n* :ref:`pia-recipients`\n* :ref:`pia-contractors`\n* :doc:`laws/index`\n\n"
        "評価実施機関\n" + _underline("評価実施機関", "-") + "\n\n"
        + "".join(f"* :doc:`{site.objects[f'org/{oid}'].title} <orgs/{oid}>`: " + "、".join(f":doc:`{site.assessments[x].title} <{x}/index>`" for x in sorted(aids)) + "\n" for oid, aids in sorted(site.organizations.items()))
        + "\n" + _toctree(["laws/index"], hidden=True)
    )
    pages["index"] = _page("評価実施機関と評価書", _digest(org_data), index_body, orphan=False)
    return pages


def write_pages(outdir: Path, pages: dict[str, str]) -> tuple[int, int]:
    """Write changed pages, delete stale ones; returns (written, removed)."""
    written = removed = 0
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = {outdir / f"{name}.rst" for name in pages}
    for name, text in pages.items():
        path = outdir / f"{name}.rst"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    for path in sorted(outdir.rglob("*.rst")):
        if path not in wanted:
            path.unlink()
            removed += 1
    for directory in sorted((p for p in outdir.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return written, removed
