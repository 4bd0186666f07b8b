"""Generated pages: every assessment gets its pages without a hand-written stub.

At ``builder-inited`` we plan one :class:`PageSpec` per page and write it under
``<srcdir>/<pia_output_dir>`` as a ``.pia`` file: a line of JSON holding the page
kind, the ID of what it shows and a digest of that data.  Nothing from the content
is ever written into a source file, so no title or name can turn into markup: the
:class:`~.page_parser.PiaPageParser` builds each page's doctree straight from the
model, with every string in a text node.  (It is also much cheaper than writing reST
and having docutils parse it again.)

Only the index pages enter the toctree; the others are orphans reached by links and
breadcrumbs, so a theme's sidebar lists a handful of entries on every page instead
of every page of the site.  A file is rewritten only when its digest changes, and
the digest covers every datum the page shows (including back-links from other
assessments), so after one YAML edit Sphinx's own mtime check re-reads exactly the
pages whose output changes.

Other parts of the extension add page kinds with :func:`register_page_kind` and
pages with a handler of the ``pia-plan-pages`` event (``site, pages``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..index import SiteIndex
from ..model import Assessment

SUFFIX = ".pia"


@dataclass(frozen=True)
class PageSpec:
    """One generated page: what it shows, never how."""

    kind: str
    target: str = ""
    digest: str = ""
    orphan: bool = True
    #: docnames (relative to the output dir) this page puts in a hidden toctree
    children: tuple[str, ...] = ()
    #: read as a document only for its place in the toctree (title, children); its body is
    #: written by the HTML builder (html_pages.py)
    stub: bool = False

    def source(self) -> str:
        data = {"kind": self.kind, "target": self.target, "digest": self.digest, "orphan": self.orphan, "children": list(self.children)}
        if self.stub:
            data["stub"] = True
        # ASCII only: IDs are ASCII by the model's patterns, and the file stays inert text
        return json.dumps(data, ensure_ascii=True, sort_keys=True) + "\n"

    @classmethod
    def parse(cls, text: str) -> "PageSpec":
        data = json.loads(text)
        return cls(data["kind"], data.get("target", ""), data.get("digest", ""), data.get("orphan", True), tuple(data.get("children", ())),
                   bool(data.get("stub", False)))


@dataclass(frozen=True)
class PageKind:
    """How a kind of page is titled, placed and rendered (see page_parser)."""

    #: (site, target) → the page title, as plain text
    title: Callable[[SiteIndex, str], str]
    #: (renderer, site, target) → the body nodes
    render: Callable
    #: (site, target) → the way back up: [(docname relative to the output dir, text)]
    crumbs: Callable[[SiteIndex, str], list[tuple[str, str]]] = field(default=lambda site, target: [])


PAGE_KINDS: dict[str, PageKind] = {}


def register_page_kind(name: str, kind: PageKind) -> None:
    PAGE_KINDS[name] = kind


_SALT = ""


def _salt() -> str:
    """Pages also depend on the extension itself and its shipped law data."""
    from .. import __version__
    from ..law_registry import DATA as LAWS
    from ..renumbering import DATA as RENUMBERING

    h = hashlib.sha256(__version__.encode())
    h.update(Path(__file__).read_bytes())
    for path in (LAWS, RENUMBERING):
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


def digest(*parts: object) -> str:
    h = hashlib.sha256(_SALT.encode())
    for part in parts:
        h.update(json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:16]


def assessment_data(a: Assessment) -> list:
    """Everything an assessment's own pages can show."""
    return [
        a.doc.model_dump(mode="json"),
        [f.model_dump(mode="json") for f in a.files],
        a.changes.model_dump(mode="json") if a.changes else None,
        [x.model_dump(mode="json") for x in a.annexes],
    ]


def directory_data(site: SiteIndex) -> list:
    """What the home and organization pages list of every assessment."""
    out = []
    for aid, a in sorted(site.assessments.items()):
        published = a.cover_item("published_on")
        business = a.cover_item("business_name")  # the home page's name for the assessment
        entries = [(e.id, e.date.text, e.item.text) for e in (a.changes.entries if a.changes else [])]
        out.append((aid, a.title, business.text if business else None, a.doc.organization.model_dump(mode="json"), a.doc.form.kind.value,
                    a.doc.status.value, published.text if published else None, [f.name.text for f in a.files], entries))
    return out


def plan_pages(site: SiteIndex, signatures: dict[str, str] | None = None) -> dict[str, PageSpec]:
    """docname (relative to the output dir) → the page.

    *signatures* (assessment id → a key of its files, LoadedSite.signatures) stand for
    an assessment's data in the digests: dumping every model to hash it was seconds
    per build at hundreds of assessments."""
    global _SALT
    _SALT = _salt()
    pages: dict[str, PageSpec] = {}
    listing = directory_data(site)
    signatures = signatures or {}
    for aid, a in sorted(site.assessments.items()):
        # Pages of one assessment show only its own data (law labels derive from its citation texts).
        d = digest(signatures[aid]) if aid in signatures else digest(assessment_data(a))
        if a.systems:
            pages[f"{aid}/systems"] = PageSpec("systems", aid, d)
        for f in a.files:
            pages[f"{aid}/{f.id}"] = PageSpec("file", f"{aid}/{f.id}", d)
        if a.changes:
            pages[f"{aid}/changes"] = PageSpec("changes", aid, d)
        for annex in a.annexes:
            pages[f"{aid}/{annex.id}"] = PageSpec("annex", f"{aid}/{annex.id}", d)
        pages[f"{aid}/index"] = PageSpec("assessment", aid, d)
    for oid in sorted(site.organizations):
        org = site.objects[f"org/{oid}"]
        pages[f"orgs/{oid}"] = PageSpec("organization", oid, digest(org.obj.model_dump(mode="json"), [x for x in listing if x[0] in site.organizations[oid]]))
    # an assessment's title is looked up in its cover: once per assessment, not per citation
    titles = {aid: (a.title, a.doc.organization.name) for aid, a in site.assessments.items()}
    for lgid in sorted(site.laws):
        slug = lgid.split("/", 1)[1]
        shown = []
        for c in site.citations.get(lgid, []):
            owner = site.objects[c.owner]
            shown.append((c.owner, c.label, c.text, c.role, owner.title, owner.file,
                          site.objects[owner.file].title if owner.file else None, *titles[owner.assessment]))
        children = [(g, site.law_label(g), len(site.citations.get(g, []))) for g in site.law_children(lgid)]
        pages[f"laws/{slug}"] = PageSpec("law", lgid, digest(lgid, shown, children))
    law_index = sorted((g, site.law_label(g), len(site.citations.get(g, []))) for g in site.laws)
    pages["laws/index"] = PageSpec("law-index", "", digest(law_index), orphan=False)
    pages["index"] = PageSpec("home", "", digest(listing), orphan=False, children=("laws/index",))
    return pages


def write_pages(outdir: Path, pages: dict[str, PageSpec]) -> tuple[int, list[str]]:
    """Write changed pages, delete stale ones; returns (written, removed docnames)."""
    written = 0
    removed: list[str] = []
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = {outdir / f"{name}{SUFFIX}" for name in pages}
    for name, spec in pages.items():
        path = outdir / f"{name}{SUFFIX}"
        text = spec.source()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    # .rst files are what earlier versions generated here: the folder is ours.
    for path in sorted([*outdir.rglob(f"*{SUFFIX}"), *outdir.rglob("*.rst")]):
        if path not in wanted:
            path.unlink()
            removed.append(path.relative_to(outdir).with_suffix("").as_posix())
    for directory in sorted((p for p in outdir.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return written, removed
