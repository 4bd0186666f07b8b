"""Build the doctree of a generated page straight from the model.

A ``.pia`` source file holds only a :class:`~.pages.PageSpec` (kind, ID, digest).
The parser looks the kind up in :data:`~.pages.PAGE_KINDS` and assembles the
document: its title, breadcrumbs and body, all made of docutils nodes by the
renderer.  No reST or MyST is parsed, so nothing in the content can become a
directive, role, include or raw HTML.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.parsers import Parser
from sphinx.util import logging

from ..render.home import doc_link
from ..render.objects import Renderer
from ..render.site_nodes import Breadcrumbs
from .pages import PAGE_KINDS, PageKind, PageSpec, register_page_kind
from .site import get_loaded

logger = logging.getLogger(__name__)

HOME = ("index", "評価実施機関と評価書")
LAW_INDEX = ("laws/index", "法令索引")


def note_registered(env, renderer: Renderer, location=None) -> None:
    """Enter every object the renderer anchored into the pia domain."""
    domain = env.domains["pia"]
    for reg in renderer.registered:
        domain.note_object(reg.gid, env.docname, reg.anchor, reg.kind, reg.title, location=location)


#: Reader transforms that find nothing to do in a generated doctree: they handle reST
#: and MyST constructs (substitutions, targets, footnotes, citations, comments, field-list
#: docinfo, doctest and code blocks, index entries, glossaries), translation of
#: hand-written text, and smart quotes (which must never touch verbatim data).  Each walks
#: the whole tree, and generated pages are most of a site's pages, so they are dropped
#: for these documents only.  Every other transform, including those of other
#: extensions, still runs; DoctreeReadEvent and SphinxDomains feed the collectors and
#: domains.  tests/test_pages.py checks that pages come out byte-identical.
SKIPPED_TRANSFORMS = frozenset({
    "docutils.transforms.universal.Decorations",
    "docutils.transforms.universal.ExposeInternals",
    "docutils.transforms.universal.StripComments",
    "docutils.transforms.universal.Validate",
    "docutils.transforms.references.Substitutions",
    "docutils.transforms.references.PropagateTargets",
    "docutils.transforms.references.AnonymousHyperlinks",
    "docutils.transforms.references.IndirectHyperlinks",
    "docutils.transforms.references.Footnotes",
    "docutils.transforms.references.ExternalTargets",
    "docutils.transforms.references.InternalTargets",
    "docutils.transforms.frontmatter.DocTitle",
    "docutils.transforms.frontmatter.SectionSubTitle",
    "docutils.transforms.frontmatter.DocInfo",
    "docutils.transforms.misc.Transitions",
    "sphinx.builders.latex.transforms.FootnoteDocnameUpdater",
    "sphinx.domains.citation.CitationDefinitionTransform",
    "sphinx.domains.citation.CitationReferenceTransform",
    "sphinx.transforms.ApplySourceWorkaround",
    "sphinx.transforms.ExtraTranslatableNodes",
    "sphinx.transforms.DefaultSubstitutions",
    "sphinx.transforms.MoveModuleTargets",
    "sphinx.transforms.HandleCodeBlocks",
    "sphinx.transforms.DoctestTransform",
    "sphinx.transforms.AutoIndexUpgrader",
    "sphinx.transforms.SphinxSmartQuotes",
    "sphinx.transforms.GlossarySorter",
    "sphinx.transforms.ReorderConsecutiveTargetAndIndexNodes",
    "sphinx.transforms.i18n.PreserveTranslatableMessages",
    "sphinx.transforms.i18n.Locale",
    "sphinx.transforms.i18n.TranslationProgressTotaliser",
    "sphinx.transforms.i18n.AddTranslationClasses",
    "sphinx.transforms.i18n.RemoveTranslatableInline",
    "sphinx.transforms.references.SphinxDanglingReferences",
    "myst_parser.mdit_to_docutils.transforms.UnreferencedFootnotesDetector",
})


def _drop_idle_transforms(document: nodes.document) -> None:
    transformer = getattr(document, "transformer", None)
    if transformer is None:
        return
    transformer.transforms = [t for t in transformer.transforms if f"{t[1].__module__}.{t[1].__qualname__}" not in SKIPPED_TRANSFORMS]


class PiaPageParser(Parser):
    """The parser of ``.pia`` files (generated pages read as Sphinx documents)."""

    supported = ("pia",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        if env.config.pia_lean_transforms:
            _drop_idle_transforms(document)
        try:
            spec = PageSpec.parse(inputstring)
        except (ValueError, KeyError, TypeError):
            logger.warning("sphinx_pia が生成したページではありません（再ビルドすると作り直されます）。", location=env.docname, type="pia", subtype="page")
            return
        registered = assemble(document, env, spec, env.docname)
        if registered is not None:
            for reg in registered:
                env.domains["pia"].note_object(reg.gid, env.docname, reg.anchor, reg.kind, reg.title, location=env.docname)


def assemble(document: nodes.document, env, spec: PageSpec, docname: str):
    """Fill *document* with the page *spec* describes: title, breadcrumbs, body.

    Returns what the page anchors (``Registered`` entries), or None when it could not
    be built (a warning says why).  Shared by both ways a page reaches the output:
    read as a document (PiaPageParser) and written by the HTML builder directly
    (sphinx_ext/html_pages.py)."""
    kind = PAGE_KINDS.get(spec.kind)
    if kind is None:
        logger.warning("sphinx_pia が生成したページではありません（再ビルドすると作り直されます）。", location=docname, type="pia", subtype="page")
        return None
    loaded = get_loaded(env)
    if loaded is None:
        logger.warning("sphinx_pia has not loaded any content (is 'sphinx_pia' in extensions?)", location=docname, type="pia", subtype="page")
        return None
    site = loaded.index
    root = env.config.pia_output_dir.strip("/")
    renderer = Renderer(site, warn_missing=True, root=root)
    try:
        title = kind.title(site, spec.target)
        body = [] if spec.stub else kind.render(renderer, site, spec.target)
        crumbs = kind.crumbs(site, spec.target)
    except LookupError:
        # The content changed after this page was planned (it will be removed).
        logger.warning("このページの対象 '%s' が content にありません。", spec.target, location=docname, type="pia", subtype="page")
        return None
    except Exception as exc:  # noqa: BLE001 - one page that cannot be rendered must not end the build
        # Content passed validation, so this is a defect of sphinx_pia: say which page and
        # object, fail a -W build, and build every other page.
        logger.warning("ページ '%s'（%s）を作れませんでした: %s: %s。sphinx_pia の不具合です。このメッセージを添えて報告してください。",
                       spec.kind, spec.target, type(exc).__name__, exc, location=docname, type="pia", subtype="page")
        return None
    if spec.orphan:
        docinfo = nodes.docinfo()
        docinfo += nodes.field("", nodes.field_name("", "orphan"), nodes.field_body(""))
        document += docinfo
    section = nodes.section(ids=["pia-page"])
    section += nodes.title(title, title)
    if crumbs:
        trail = Breadcrumbs()
        lst = nodes.bullet_list()
        for crumb, text in crumbs:
            item = nodes.list_item()
            item += nodes.paragraph("", "", doc_link(f"{root}/{crumb}", text))
            lst += item
        trail += lst
        section += trail
    section.extend(body)
    if spec.children:
        toctree = addnodes.toctree(
            parent=docname, entries=[(None, f"{root}/{c}") for c in spec.children],
            includefiles=[f"{root}/{c}" for c in spec.children], maxdepth=1, caption=None, glob=False,
            hidden=True, includehidden=False, numbered=0, titlesonly=False,
        )
        section += nodes.compound("", toctree, classes=["toctree-wrapper"])
    document += section
    return renderer.registered


# -- the built-in page kinds ---------------------------------------------------------


def _assessment(site, aid: str):
    return site.assessments[aid]


def _object(site, gid: str, kind: str):
    rec = site.objects[gid]
    if rec.kind != kind:
        raise LookupError(gid)
    return rec


def _org_crumbs(site, aid: str) -> list[tuple[str, str]]:
    org = site.assessments[aid].doc.organization
    return [HOME, (f"orgs/{org.id}", org.name)]


def _in_assessment(site, aid: str) -> list[tuple[str, str]]:
    return [*_org_crumbs(site, aid), (f"{aid}/index", site.assessments[aid].title)]


def _owner(gid: str) -> str:
    return gid.split("/", 1)[0]


def _file_title(site, gid: str) -> str:
    rec = _object(site, gid, "file")
    return f"{rec.obj.name.text or rec.obj.id}（{site.assessments[rec.assessment].doc.organization.name}）"


def _annex_title(site, gid: str) -> str:
    rec = _object(site, gid, "annex")
    return f"{site.assessments[rec.assessment].title} 別紙{rec.obj.no}"


BUILT_IN: dict[str, PageKind] = {
    "home": PageKind(
        title=lambda site, _: HOME[1],
        render=lambda r, site, _: r.home_page(law_index=f"{r.root}/{LAW_INDEX[0]}"),
    ),
    "organization": PageKind(
        title=lambda site, oid: site.objects[f"org/{oid}"].title,
        render=lambda r, site, oid: r.organization_page(oid),
        crumbs=lambda site, oid: [HOME],
    ),
    "assessment": PageKind(
        title=lambda site, aid: _assessment(site, aid).title,
        render=lambda r, site, aid: r.assessment_overview(_assessment(site, aid)),
        crumbs=_org_crumbs,
    ),
    "systems": PageKind(
        title=lambda site, aid: f"{_assessment(site, aid).title} システム",
        render=lambda r, site, aid: r.systems_page(_assessment(site, aid)),
        crumbs=_in_assessment,
    ),
    "file": PageKind(
        title=_file_title,
        render=lambda r, site, gid: r.file_page(site.assessments[_owner(gid)], _object(site, gid, "file").obj),
        crumbs=lambda site, gid: _in_assessment(site, _owner(gid)),
    ),
    "changes": PageKind(
        title=lambda site, aid: f"{_assessment(site, aid).title} 変更箇所",
        render=lambda r, site, aid: r.changes_page(_assessment(site, aid)),
        crumbs=_in_assessment,
    ),
    "annex": PageKind(
        title=_annex_title,
        render=lambda r, site, gid: r.annex_page(site.assessments[_owner(gid)], _object(site, gid, "annex").obj),
        crumbs=lambda site, gid: _in_assessment(site, _owner(gid)),
    ),
    "law": PageKind(
        title=lambda site, lgid: site.law_label(lgid) if lgid in site.laws else site.objects[lgid].title,
        render=lambda r, site, lgid: r.law_page(lgid),
        crumbs=lambda site, lgid: [LAW_INDEX],
    ),
    "law-index": PageKind(
        title=lambda site, _: LAW_INDEX[1],
        render=lambda r, site, _: r.law_index_page(),
        crumbs=lambda site, _: [HOME],
    ),
}

for _name, _kind in BUILT_IN.items():
    register_page_kind(_name, _kind)

