"""The thin Sphinx layer: configuration, events, domain, directives."""

from __future__ import annotations

import gc
import os
from dataclasses import replace
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import __version__
from .directives import DIRECTIVES
from .domain import PiaDomain
from .fastdoc import gc_paused
from .page_parser import PiaPageParser
from .html_pages import setup_html_pages, start as start_html_pages, uses_html_pages
from .pages import SUFFIX, plan_pages, write_pages
from .search import setup_search, write_search_index
from ..render.dataflow import setup_dataflow
from .review import setup_review
from .ui import setup_ui
from .site import keep_at_exit, load_site, note_home_digest, warn_problems
from ..render.site_nodes import setup_site_nodes
from ..law_registry import Registry
from ..loader import ContentError

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _builder_inited(app: Sphinx) -> None:
    confdir = Path(app.confdir)
    content_dir = (confdir / app.config.pia_content_dir).resolve()
    try:
        registry = Registry.load(extra=[(confdir / p).resolve() for p in app.config.pia_law_registry_extra])
    except ContentError as exc:
        for problem in exc.problems:
            logger.warning("%s%s", f"{problem.field}: " if problem.field else "", problem.message,
                           location=f"{problem.path}:{problem.line or 0}", type="pia", subtype="law-registry")
        registry = Registry.load()
    # what is loaded lives for the whole build: collections while loading would only
    # rescan it.  _tune_gc freezes it before collections resume: resumed first, the
    # first collection would walk all of it (everything made while paused is in the
    # youngest generation), half a second at 200 assessments.
    with gc_paused(app.config.pia_tune_gc):
        loaded = load_site(Path(app.srcdir), content_dir, registry, cache=Path(app.doctreedir) / "pia-content")
        _tune_gc(app)
    warn_problems(loaded)
    _NAV_CACHE.clear()  # navigation of an earlier build in this process
    if app.config.pia_generate_pages:
        outdir = Path(app.srcdir) / app.config.pia_output_dir
        pages = plan_pages(loaded.index, loaded.signatures)
        app.emit("pia-plan-pages", loaded.index, pages)
        if "index" in pages:
            note_home_digest(app.env, pages["index"].digest)
        if uses_html_pages(app):
            # every page is written by the builder directly (html_pages.py); the pages in
            # the toctree are also stub documents (title, children), so that the toctree
            # and the theme's navigation see them
            root = app.config.pia_output_dir.strip("/")
            start_html_pages(app, {f"{root}/{name}": spec for name, spec in pages.items()})
            pages = {name: replace(spec, stub=True) for name, spec in pages.items() if not spec.orphan}
        written, removed = write_pages(outdir, pages)
        logger.info("sphinx_pia: %d assessments, %d pages updated, %d removed", len(loaded.index.assessments), written, len(removed))


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_design")
    app.add_config_value("pia_content_dir", "../content", "env", types=[str])
    app.add_config_value("pia_output_dir", "pia", "env", types=[str])
    app.add_config_value("pia_generate_pages", True, "env", types=[bool])
    app.add_config_value("pia_law_registry_extra", [], "env", types=[list])
    app.add_config_value("pia_search", True, "html", types=[bool])
    # the search index written by a second process while the pages are written (search.py)
    app.add_config_value("pia_search_index_process", True, "", types=[bool])
    app.add_config_value("pia_keep_doctrees", False, "", types=[bool])
    app.add_config_value("pia_tune_gc", True, "", types=[bool])
    app.add_config_value("pia_lean_transforms", True, "env", types=[bool])
    app.add_event("pia-plan-pages")
    app.add_source_suffix(SUFFIX, "pia")
    app.add_source_parser(PiaPageParser)
    setup_site_nodes(app)
    setup_html_pages(app)
    app.add_domain(PiaDomain)
    setup_dataflow(app)
    setup_ui(app)
    setup_review(app)
    for name, cls in DIRECTIVES.items():
        app.add_directive(name, cls)
    app.connect("builder-inited", _builder_inited)
    keep_at_exit()
    app.connect("env-before-read-docs", _bound_memory)
    app.connect("builder-inited", setup_search)
    app.connect("build-finished", write_search_index)
    app.connect("config-inited", _add_static)
    app.connect("build-finished", _remove_stale_output)
    app.connect("build-finished", _restore_gc)
    # before the theme's handler (furo's is at the default 500), so it sees the shared toctree
    app.connect("html-page-context", _share_navigation, priority=400)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}


class _NoCache(dict):
    """A doctree cache that keeps nothing: the write phase reads each pickled doctree back."""

    def __setitem__(self, key, value) -> None:
        pass


def _bound_memory(app: Sphinx, env, docnames) -> None:
    # Sphinx keeps every doctree it read in memory until it writes it
    # (BuildEnvironment._write_doc_doctree_cache, an undocumented speed-up; see
    # sphinx-doc/sphinx#12431).  With hundreds of assessments that is gigabytes, growing
    # with the corpus, for a few seconds saved.  Unless pia_keep_doctrees is set, the
    # write phase reads each doctree back from its pickle, as Sphinx did before 6.1.
    if not app.config.pia_keep_doctrees and hasattr(env, "_write_doc_doctree_cache"):
        env._write_doc_doctree_cache = _NoCache()


def _add_static(app: Sphinx, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    app.add_css_file("pia.css")


def _remove_stale_output(app: Sphinx, exception: Exception | None) -> None:
    """The output of a page that is no longer generated must not stay to be published.

    Sphinx never deletes output files, so a city copying the HTML folder would publish
    the pages of objects removed from the content.  The generated pages' output folder
    is ours: every HTML file there that belongs to no current document goes."""
    if exception is not None or not app.config.pia_generate_pages or not hasattr(app.builder, "get_outfilename"):
        return
    outdir = Path(app.outdir).resolve()
    root = (outdir / app.config.pia_output_dir.strip("/")).resolve()
    if not root.is_relative_to(outdir) or root == outdir or not root.is_dir():
        return
    # paths compared as normalized strings under the resolved output directory (resolving
    # each of thousands of files asked the file system for every part of every path)
    builder_out = Path(app.outdir)

    def key(path: str) -> str:
        return os.path.normpath(os.path.join(outdir, os.path.relpath(path, builder_out)))

    wanted = {key(app.builder.get_outfilename(d)) for d in app.env.found_docs}
    html_pages = getattr(app, "_pia_html_pages", None)
    if html_pages is not None:
        wanted |= {key(app.builder.get_outfilename(d)) for d in html_pages.entries}
    suffix = getattr(app.builder, "out_suffix", ".html")
    for path in sorted(root.rglob(f"*{suffix}")):
        if os.path.normpath(path) not in wanted:
            path.unlink()


_GC_THRESHOLDS: tuple[int, int, int] | None = None


def _tune_gc(app: Sphinx) -> None:
    """Keep Python's cyclic garbage collector from rescanning the loaded content.

    The model and site index are many long-lived objects; with the default thresholds
    every collection of the oldest generation walks all of them again, and at tens of
    assessments that was 30-40% of a build.  Freezing what is loaded moves it out of
    the collector's sight (it is never garbage: it lives for the whole build), and
    higher thresholds make collections of the rest rarer.  Restored when the build ends."""
    global _GC_THRESHOLDS
    if not app.config.pia_tune_gc:
        return
    if _GC_THRESHOLDS is None:
        _GC_THRESHOLDS = gc.get_threshold()
    # No gc.collect() first: loading leaves no cyclic garbage (measured: a collection
    # right after loading the seeds finds none), and a collection walks every loaded
    # object, a second of an incremental build at 200 assessments.
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _restore_gc(app: Sphinx, exception: Exception | None) -> None:
    global _GC_THRESHOLDS
    if _GC_THRESHOLDS is not None:
        gc.set_threshold(*_GC_THRESHOLDS)
        gc.unfreeze()
        _GC_THRESHOLDS = None


_NAV_CACHE: dict[tuple, str] = {}


def _share_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Compute the site navigation once per folder of generated pages.

    Themes such as furo render the whole-site toctree on every page.  Generated pages
    are orphans (in no toctree), so none of them is marked current in it, and pages of
    one folder share every relative URL: their navigation HTML is the same.  Resolving it
    once per folder instead of once per page keeps the pages byte-identical."""
    root = app.config.pia_output_dir.strip("/") + "/"
    toctree = context.get("toctree")
    if toctree is None or not pagename.startswith(root) or "orphan" not in app.env.metadata.get(pagename, {}):
        return
    folder = pagename.rsplit("/", 1)[0]

    def shared_toctree(**kwargs) -> str:
        key = (folder, tuple(sorted(kwargs.items())))
        if key not in _NAV_CACHE:
            _NAV_CACHE[key] = toctree(**kwargs)
        return _NAV_CACHE[key]

    context["toctree"] = shared_toctree
