"""Reviewer tools in the build: 点検 findings, versions, the change timeline, open data.

``setup_review(app)`` registers the configuration, the events and the directives;
``sphinx_pia``'s ``setup()`` calls it, and a project may also list
``sphinx_pia.sphinx_ext.review`` as an extension of its own (it loads sphinx_pia).

Configuration:

``pia_check_warnings = False``  findings become build warnings (so ``-W`` fails on them)
``pia_check_date = None``       the date findings are judged at ("YYYY-MM-DD"; default: the build date)
``pia_open_data_bom = True``    CSV files start with a UTF-8 BOM (for Excel)
``pia_open_data_dir = "pia-data"``  where the HTML build writes the open data, inside the output directory

Directives (data comes from the content sphinx_pia loaded; nothing is pasted as markup):

``pia-findings <aid>``           the 点検結果 of one assessment
``pia-findings-index``           every finding, grouped by rule and by organization
``pia-timeline``                 every 変更箇所 row by date, with grouped views
``pia-versions <aid>``           the versions of an assessment
``pia-diff <aid> <old> [<new>]`` the field-by-field diff of two versions (default new: latest)
``pia-history <gid>``            an item's history: diffs between versions, else the 変更箇所
``pia-open-data``                download links and a description of every column
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..check import Finding, check_assessment, rules
from ..loader import ContentError, Problem
from ..model import Assessment
from ..versions import VERSIONS_DIR, Version, VersionHistory, change_history, diff, load_versions
from .site import get_loaded, per_assessment, read_pickled as _read_cache, write_pickled as _write_cache

logger = logging.getLogger(__name__)


@dataclass
class Review:
    findings: list[Finding]
    today: dt.date
    #: assessment id → its versions, oldest first (only assessments with a versions/ directory)
    versions: dict[str, list[Version]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    open_data_dir: str = "pia-data"
    open_data_bom: bool = True
    #: assessment id → local IDs with a history page section (filled as pages render)
    history_items: dict[str, set[str]] = field(default_factory=dict)


_REVIEWS: dict[str, Review] = {}


def check_date(config) -> dt.date:
    value = config.pia_check_date
    if isinstance(value, dt.date):
        return value
    if value:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            logger.warning("pia_check_date '%s' は YYYY-MM-DD の形式で指定してください。今日の日付で点検します。", value, type="pia", subtype="config")
    return dt.date.today()


def get_review(env) -> Review | None:
    return _REVIEWS.get(str(env.srcdir))


def _rules_fingerprint() -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted((Path(__file__).resolve().parent.parent / "check").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _findings(app: Sphinx, assessments: list[Assessment], today: dt.date) -> list[Finding]:
    """``check(assessments, today)``.  Every rule looks at one assessment, so an
    assessment whose files (its signature), the rules and the date are those of the
    last build keeps its findings: an edit checks the assessment edited, not all."""
    loaded = get_loaded(app.env)
    signatures = loaded.signatures if loaded is not None else {}
    base = (today.isoformat(), _rules_fingerprint())
    by_id = {a.id: a for a in assessments}
    keys = {aid: (signatures[aid], *base) if aid in signatures else None for aid in by_id}
    found = per_assessment(Path(app.doctreedir) / "pia-findings.pickle", keys, lambda aid: check_assessment(by_id[aid], today))
    return [f for aid in by_id for f in found[aid]]


def _timeline(app: Sphinx, site) -> None:
    """The site's timeline, each assessment's rows kept between builds with the signature
    of its files (the rows derive from its 変更箇所 alone; finding each row's groups parses
    its citations, most of a second at 200 assessments)."""
    from ..timeline import assessment_rows

    loaded = get_loaded(app.env)
    signatures = loaded.signatures if loaded is not None and loaded.index is site else {}
    keys = {aid: signatures.get(aid) for aid in site.assessments}
    rows = per_assessment(Path(app.doctreedir) / "pia-timeline.pickle", keys, lambda aid: assessment_rows(site.assessments[aid]))
    site.timeline(rows_of=lambda a: rows[a.id])


def make_review(app: Sphinx, site) -> Review:
    """Findings and versions of the loaded content; problems and (optionally) findings are logged."""
    loaded = get_loaded(app.env)
    assessments = list(site.assessments.values())
    today = check_date(app.config)
    review = Review(_findings(app, assessments, today), today, open_data_dir=app.config.pia_open_data_dir.strip("/"),
                    open_data_bom=app.config.pia_open_data_bom)
    root = loaded.content_dir if loaded is not None else None
    for a in assessments:
        if root is None:
            break
        directory = root / a.id
        if (directory / VERSIONS_DIR).is_dir():
            try:
                review.versions[a.id] = load_versions(directory, root.parent)
            except ContentError as exc:
                review.problems.extend(exc.problems)
    for problem in review.problems:
        location = f"{root.parent / problem.path}:{problem.line}" if problem.line else str(root.parent / problem.path)
        logger.warning("%s", problem.message, location=location, type="pia", subtype="versions")
    if app.config.pia_check_warnings:
        for f in review.findings:
            a = site.assessments[f.assessment]
            line = f"（原文 {f.line}行）" if f.line else ""
            where = str(root.parent / a.paths["assessment"]) if root is not None else a.paths["assessment"]
            logger.warning("[%s] %s: %s%s", f.rule, f.target, " ".join(f.message.split()), line, location=where, type="pia", subtype="check")
    _REVIEWS[str(app.srcdir)] = review
    return review


def _plan_pages(app: Sphinx, site, pages) -> None:
    from .review_pages import plan_review_pages

    _timeline(app, site)
    plan_review_pages(site, pages, make_review(app, site))


def _builder_inited(app: Sphinx) -> None:
    """Without generated pages there is no pia-plan-pages event: make the review here."""
    from .review_pages import REVIEW_OF

    loaded = get_loaded(app.env)
    if loaded is not None and loaded.index not in REVIEW_OF:
        REVIEW_OF[loaded.index] = make_review(app, loaded.index)


def _write_open_data(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    loaded, review = get_loaded(app.env), get_review(app.env)
    if loaded is None or review is None:
        return
    import hashlib

    from ..opendata import write_open_data

    site = loaded.index
    # an assessment's rows also show the labels of the laws it cites (the registry's)
    laws = hashlib.sha256(repr(sorted((g, site.law_label(g)) for g in site.laws)).encode()).hexdigest()
    keys = {aid: f"{sig}:{laws}" for aid, sig in loaded.signatures.items()}
    cache_path = Path(app.doctreedir) / "pia-open-data.pickle"
    cache = _read_cache(cache_path)
    target = Path(app.outdir) / app.config.pia_open_data_dir
    names = write_open_data(target, list(site.assessments.values()), review.findings, bom=app.config.pia_open_data_bom, today=review.today,
                            site=site, cache=cache, keys=keys)
    _write_cache(cache_path, cache)
    logger.info("sphinx_pia: open data written to %s (%d files)", target, len(names))


# --- directives ----------------------------------------------------------------------------


from .review_pages import _titles  # noqa: E402  (one definition for directives and pages)


class _ReviewDirective(SphinxDirective):
    has_content = False
    required_arguments = 0
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        loaded, review = get_loaded(self.env), get_review(self.env)
        if loaded is None or review is None:
            return self._error("sphinx_pia がコンテンツを読み込んでいません（extensions に sphinx_pia がありますか）。")
        self.loaded, self.review = loaded, review
        self.warn = self.config.pia_generate_pages
        self.titles = _titles(loaded.index)
        try:
            out = self.render()
        except LookupError as exc:
            return self._error(str(exc.args[0]))
        for aid in self.depends_on():
            for path in loaded.files.get(aid, []):
                self.env.note_dependency(str(path))
        return out

    def depends_on(self) -> list[str]:
        return list(self.loaded.index.assessments)

    def assessment(self, aid: str) -> Assessment:
        a = self.loaded.index.assessments.get(aid)
        if a is None:
            import difflib

            close = difflib.get_close_matches(aid, list(self.loaded.index.assessments), n=1)
            raise LookupError(f"評価書 '{aid}' がありません。" + (f"'{close[0]}' の誤りではありませんか。" if close else ""))
        return a

    def _error(self, message: str) -> list[nodes.Node]:
        logger.warning("%s: %s", self.name, message, location=self.get_location(), type="pia", subtype="directive")
        return []

    def render(self) -> list[nodes.Node]:
        raise NotImplementedError


class FindingsDirective(_ReviewDirective):
    required_arguments = 1

    def depends_on(self):
        return [self.arguments[0]]

    def render(self):
        from ..render.findings import assessment_findings

        aid = self.assessment(self.arguments[0]).id
        return assessment_findings([f for f in self.review.findings if f.assessment == aid], self.titles, self.warn)


class FindingsIndexDirective(_ReviewDirective):
    def render(self):
        from ..render.findings import findings_index

        orgs = {a.doc.organization.id: a.doc.organization.name for a in self.loaded.index.assessments.values()}
        return findings_index(self.review.findings, rules(), self.titles, orgs, self.warn)


class TimelineDirective(_ReviewDirective):
    def render(self):
        from ..render.timeline import timeline_nodes

        return timeline_nodes(self.loaded.index.timeline(), self.titles, self.warn)


class VersionsDirective(_ReviewDirective):
    required_arguments = 1

    def depends_on(self):
        return [self.arguments[0]]

    def render(self):
        from ..render.versions import versions_list

        a = self.assessment(self.arguments[0])
        versions = self.review.versions.get(a.id)
        if not versions:
            return [nodes.paragraph("", "公開されている版はこの版だけです。")]
        return [versions_list(versions, a.id)]


class DiffDirective(_ReviewDirective):
    required_arguments = 2
    optional_arguments = 1

    def depends_on(self):
        return [self.arguments[0]]

    def render(self):
        from ..render.versions import diff_table

        a = self.assessment(self.arguments[0])
        versions = {v.id: v for v in self.review.versions.get(a.id, [])}
        old_id, new_id = self.arguments[1], self.arguments[2] if len(self.arguments) > 2 else "latest"
        for vid in (old_id, new_id):
            if vid not in versions:
                raise LookupError(f"評価書 '{a.id}' に版 '{vid}' がありません（版: {', '.join(versions) or 'latest のみ'}）。")
        old, new = versions[old_id], versions[new_id]
        head = nodes.paragraph("", f"{old.label} → {new.label}")
        return [head, diff_table(diff(old.assessment, new.assessment), a.id, self.titles, self.warn)]


class HistoryDirective(_ReviewDirective):
    required_arguments = 1

    def depends_on(self):
        return [self.arguments[0].split("/")[0]]

    def render(self):
        from ..render.versions import diff_table, history_nodes

        aid, _, local = self.arguments[0].partition("/")
        a = self.assessment(aid)
        versions = self.review.versions.get(a.id)
        if versions:
            changed = VersionHistory(versions).changed_items().get(local, [])
            out: list[nodes.Node] = []
            for older, newer, change in changed:
                out.append(nodes.paragraph("", f"{older.label} → {newer.label}"))
                out.append(diff_table([change], a.id, self.titles, self.warn))
            if out:
                return out
        return history_nodes(change_history(a).get(local, []), a.id, self.warn) or [nodes.paragraph("", "この項目の変更の記録はありません。")]


class OpenDataDirective(_ReviewDirective):
    def render(self):
        from ..render.opendata import opendata_nodes

        base = posixpath.relpath(self.config.pia_open_data_dir, posixpath.dirname(self.env.docname) or ".")
        return opendata_nodes(base, self.config.pia_open_data_bom)


DIRECTIVES = {
    "pia-findings": FindingsDirective,
    "pia-findings-index": FindingsIndexDirective,
    "pia-timeline": TimelineDirective,
    "pia-versions": VersionsDirective,
    "pia-diff": DiffDirective,
    "pia-history": HistoryDirective,
    "pia-open-data": OpenDataDirective,
}


def setup_review(app: Sphinx) -> None:
    app.add_config_value("pia_check_warnings", False, "env", types=[bool])
    app.add_config_value("pia_check_date", None, "env", types=[str, dt.date, type(None)])
    app.add_config_value("pia_open_data_bom", True, "html", types=[bool])
    app.add_config_value("pia_open_data_dir", "pia-data", "html", types=[str])
    for name, cls in DIRECTIVES.items():
        app.add_directive(name, cls)
    from .review_pages import setup_review_pages

    setup_review_pages()
    app.connect("pia-plan-pages", _plan_pages)
    # after sphinx_pia's own builder-inited, which loads the content (and plans the pages)
    app.connect("builder-inited", _builder_inited, priority=600)
    app.connect("build-finished", _write_open_data)
    app.add_js_file("pia-review.js", loading_method="defer")
    app.add_css_file("pia-review.css")


def setup(app: Sphinx) -> dict:
    from .. import __version__

    app.setup_extension("sphinx_pia")
    if "pia_check_warnings" not in app.config:
        setup_review(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
