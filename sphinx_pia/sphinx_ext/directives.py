"""Directives that render assessment data.

Each takes the global ID of an object (``<assessment id>/<local id>``; an
assessment or organization by its own ID) and two optional flags:

``:no-index:``
    a second rendering of an object that is documented elsewhere: no anchor is
    entered in the pia domain, so links keep pointing at the first one.
``:generated:``
    set on the pages sphinx_pia generates; they carry a digest of their data, so
    the directive does not record the YAML files as dependencies.

=====================  ==========================================================
directive              renders
=====================  ==========================================================
``pia-assessment``     overview: 表紙, I, 別添1, IV–VI, gaps (argument: assessment ID)
``pia-systems``        every system of an assessment, with files and connections
``pia-system``         one system (``aid/sys-1``)
``pia-file``           one 特定個人情報ファイル: II, record items, III (``aid/file-1``)
``pia-risk``           one risk (``aid/file-1-iii-3-risk-2``)
``pia-provision``      one 提供先 or 移転先 (``aid/file-1-prov-1``)
``pia-changes``        the 変更箇所 of an assessment
``pia-annex``          a 別紙 table (``aid/annex-1``)
``pia-law``            the page of one legal basis (``law/<slug>``)
``pia-law-index``      every legal basis, grouped by law (no argument)
``pia-organization``   an organization's assessments (argument: organization ID)
``pia-home``           the site's guide: search box, ways in, assessments, latest changes
=====================  ==========================================================
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..render.objects import Renderer
from .page_parser import note_registered
from .site import get_loaded, home_digest_file

logger = logging.getLogger(__name__)


class PiaDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = {"no-index": directives.flag, "generated": directives.flag}

    def run(self) -> list[nodes.Node]:
        loaded = get_loaded(self.env)
        if loaded is None:
            return self._error("sphinx_pia has not loaded any content (is 'sphinx_pia' in extensions?)")
        renderer = Renderer(loaded.index, warn_missing=self.config.pia_generate_pages)
        try:
            result = self.render(renderer, loaded)
        except LookupError as exc:
            return self._error(str(exc.args[0] if exc.args else exc))
        if "no-index" not in self.options:
            note_registered(self.env, renderer, location=self.get_location())
        # A generated page carries a digest of the data it shows, so its own source file
        # changes exactly when it must be rebuilt; a hand-written page depends on the YAML.
        if "generated" not in self.options:
            for path in self.dependencies(renderer, loaded):
                self.env.note_dependency(str(path))
        return result

    def dependencies(self, renderer: Renderer, loaded) -> list:
        """The files whose change makes this page outdated: the YAML of what it shows."""
        return [path for aid in sorted(self.assessments_shown(renderer, loaded)) for path in loaded.files.get(aid, [])]

    def assessments_shown(self, renderer: Renderer, loaded) -> set[str]:
        site = loaded.index
        out = set()
        for reg in renderer.registered:
            rec = site.objects.get(reg.gid)
            if rec is not None and rec.assessment:
                out.add(rec.assessment)
        return out

    def _error(self, message: str) -> list[nodes.Node]:
        logger.warning("%s: %s", self.name, message, location=self.get_location(), type="pia", subtype="directive")
        return []

    def lookup(self, loaded, gid: str, kinds: tuple[str, ...]):
        rec = loaded.index.objects.get(gid)
        if rec is None or rec.kind not in kinds:
            known = [g for g, r in loaded.index.objects.items() if r.kind in kinds]
            import difflib

            close = difflib.get_close_matches(gid, known, n=1)
            hint = f"'{close[0]}' の誤りではありませんか。" if close else ""
            raise LookupError(f"content に {'/'.join(kinds)} '{gid}' がありません。{hint}")
        return rec

    def render(self, renderer: Renderer, loaded) -> list[nodes.Node]:
        raise NotImplementedError


class AssessmentDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("assessment",))
        return renderer.assessment_overview(rec.obj)


class SystemsDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("assessment",))
        return renderer.systems_page(rec.obj)


class SystemDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("system",))
        return [renderer.render_system(rec.assessment, rec.obj)]


class FileDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("file",))
        return renderer.file_page(loaded.index.assessments[rec.assessment], rec.obj)


class RiskDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("risk",))
        return [renderer.render_risk(rec.assessment, rec.obj)]


class ProvisionDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("provision", "transfer"))
        return [renderer.render_provision(rec.assessment, rec.obj, rec.kind)]


class ChangesDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("assessment",))
        return renderer.changes_page(rec.obj)


class AnnexDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("annex",))
        return renderer.annex_page(loaded.index.assessments[rec.assessment], rec.obj)


class LawDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, self.arguments[0], ("law",))
        return renderer.law_page(rec.gid)

    def assessments_shown(self, renderer, loaded):
        return {loaded.index.objects[c.owner].assessment for c in loaded.index.citations.get(self.arguments[0], [])}


class OrganizationDirective(PiaDirective):
    def render(self, renderer, loaded):
        rec = self.lookup(loaded, f"org/{self.arguments[0]}", ("organization",))
        return renderer.organization_page(rec.obj.id)

    def assessments_shown(self, renderer, loaded):
        return set(loaded.index.organizations.get(self.arguments[0], []))


class LawIndexDirective(PiaDirective):
    """Every cited law, with its cited articles, tables and rows as a tree."""

    required_arguments = 0

    def render(self, renderer, loaded):
        return renderer.law_index_page()

    def assessments_shown(self, renderer, loaded):
        return set(loaded.index.assessments)


class HomeDirective(PiaDirective):
    """The site's guide: search box, ways in, every organization's assessments, latest changes.
    ``:intro:`` adds a sentence on what the site is (a page of your own usually says it)."""

    required_arguments = 0
    option_spec = {**PiaDirective.option_spec, "intro": directives.flag}

    def render(self, renderer, loaded):
        renderer.root = self.config.pia_output_dir.strip("/")
        return renderer.home_page(law_index=f"{renderer.root}/laws/index", intro="intro" in self.options)

    def assessments_shown(self, renderer, loaded):
        return set(loaded.index.assessments)

    def dependencies(self, renderer, loaded):
        # The guide shows a few values of every assessment: with generated pages, the
        # file holding the digest of the generated home page (the same guide), rewritten
        # when that digest changes, stands for them; an edit of any other value then
        # leaves this page alone.  Without, every assessment's YAML.
        path = home_digest_file(self.env)
        return [path] if self.config.pia_generate_pages and path.exists() else super().dependencies(renderer, loaded)


DIRECTIVES = {
    "pia-assessment": AssessmentDirective,
    "pia-systems": SystemsDirective,
    "pia-system": SystemDirective,
    "pia-file": FileDirective,
    "pia-risk": RiskDirective,
    "pia-provision": ProvisionDirective,
    "pia-changes": ChangesDirective,
    "pia-annex": AnnexDirective,
    "pia-law": LawDirective,
    "pia-law-index": LawIndexDirective,
    "pia-organization": OrganizationDirective,
    "pia-home": HomeDirective,
}
