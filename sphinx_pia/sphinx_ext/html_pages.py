"""Generated pages written by the HTML builder itself, not read as Sphinx documents.

A generated page is a pure function of the model, so the machinery Sphinx runs for a
document (reading, pickling the doctree, reading it back, a pending cross-reference per
link resolved by post-transforms) is overhead paid on hundreds of pages per
assessment.  For HTML builds, orphan pages (every generated page outside the
toctree) therefore take this path:

1. **Render** (when the builder prepares writing; hand-written documents are read by
   then, and none is written yet).  Each page whose digest changed is built into a
   doctree (page_parser.assemble), gets the transforms and post-transforms a document
   would get, except link resolution, and is translated to HTML by the builder's own
   translator.  Links to other pages cannot be resolved yet (the page that anchors
   their target may not be rendered yet), so each becomes a numbered marker in the
   HTML and an entry in the page's link table.  What the page anchors is entered into
   the pia domain, so hand-written documents, indices and the search index find it.
   Body, table of contents and link table are cached in the doctree directory, keyed
   by the page's digest: an unchanged page is not rendered again.
2. **Write** (``html-collect-pages``).  Every marker is resolved against the domain;
   the page is put in the theme's template by ``builder.handle_page``, as Sphinx does
   for its own pages.  A page is written only when its body, its resolved links or the
   site's chrome (configuration, toctree, assets, extension code) changed.

Markers are control characters (U+001E, U+001F) that validated content can never
contain (the loader rejects control characters), and that the translator never
produces; a marker is replaced by an ``<a>`` start tag made by the translator's own
``starttag``, or dropped with a warning when its target is missing.

Non-HTML builders, ``singlehtml`` and builds with Sphinx's own search
(``pia_search = False``) read every generated page as a document instead.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.adapters.toctree import document_toc
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.transforms import SphinxContentsFilter, SphinxTransformer
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinx.util.osutil import relative_uri

from ..render.dataflow import dataflow, resolve_links as resolve_dataflow_links
from .frames import FrameCache
from .fastdoc import Census, dispose, gc_paused, speed_up_findall, walkabout
from .pages import PageSpec
from .page_parser import SKIPPED_TRANSFORMS, assemble

logger = logging.getLogger(__name__)

START, END = "\x1e", "\x1f"
_LINK = re.compile("\x1e(\\d+)\x1f(.*?)\x1e/\x1f", re.S)
_HREF = re.compile("\x1eH(\\d+)\x1f")
_STRAY = re.compile("[\x1e\x1f]")
CACHE_FORMAT = 1

#: Reader transforms a rendered page does not get: the collectors and domains fed by
#: these (titles, metadata, tocs, pia objects) are filled here directly, and UIDs are
#: for versioning of hand-written text.  The idle ones of page_parser are left out too.
_NOT_FOR_PAGES = SKIPPED_TRANSFORMS | {
    "sphinx.transforms.DoctreeReadEvent",
    "sphinx.transforms.references.SphinxDomains",
    "sphinx.versioning.UIDTransform",
}


#: Post-transforms that find nothing to do in a generated page (it has no code blocks,
#: images, ``only`` nodes, object descriptions, MyST or button/badge references, tab sets
#: or asides) but walk all of it; with hundreds of pages per assessment they were
#: two-thirds of the post-transform time.  Sphinx's resolver runs only if a link
#: other than ours is left.  tests/test_html_pages.py checks the pages still equal
#: those read as documents (which get every transform).
_POST_NOT_FOR_PAGES = {
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
    "sphinx.transforms.post_transforms.images.ImageDownloader",
    "sphinx.transforms.post_transforms.images.DataURIExtractor",
    "sphinx.transforms.post_transforms.OnlyNodeTransform",
    "sphinx.transforms.post_transforms.SigElementFallbackTransform",
    "sphinx.transforms.post_transforms.PropagateDescDomain",
    "sphinx.domains.c.AliasTransform",
    "sphinx.domains.cpp.AliasTransform",
    "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver",
    "sphinx_design.badges_buttons.ButtonRefContentStash",
    "sphinx_design.badges_buttons.ButtonRefContentGraft",
    "sphinx_design.badges_buttons.BadgeRefTooltipStash",
    "sphinx_design.badges_buttons.BadgeRefTooltipGraft",
    "sphinx_design.tabs.TabSetHtmlTransform",
    "sphinx_design.aside.AsideHtmlTransform",
}
_RESOLVER = "sphinx.transforms.post_transforms.ReferencesResolver"

#: Transforms that act only on nodes of some kinds, and whose cost on a page without
#: any is the walk that finds none: run on a page only when its census (fastdoc.Census)
#: shows such a node.  The condition is the transform's own test of a node, or wider.
_ONLY_WITH: dict[str, Callable[[Census, Any], bool]] = {
    "sphinx.transforms.FilterSystemMessages": lambda census, env: census.has(nodes.system_message),
    "sphinx.transforms.AutoNumbering": lambda census, env: any(
        cls in env.domains.standard_domain.enumerable_nodes for cls in census.classes),
    "sphinx_design.dropdown.DropdownHtmlTransform": lambda census, env: "dropdown" in census.components,
    "furo.WrapTableAndMathInAContainerTransform": lambda census, env: census.has(nodes.table, nodes.math_block),
}
#: Reader transforms known to add no node a filtered post-transform looks for: after
#: any other, the page is counted again before post-transforms are chosen.
_KNOWN_READERS = {
    "sphinx.transforms.SortIds", "sphinx.transforms.AutoNumbering", "sphinx.transforms.FilterSystemMessages",
    "sphinx.transforms.compact_bullet_list.RefOnlyBulletListTransform", "sphinx_design.extension.AddFirstTitleCss",
}


def _name(transform) -> str:
    return f"{transform.__module__}.{transform.__qualname__}"


class deferred_ref(nodes.Inline, nodes.TextElement):
    """A link whose target is looked up when the page is written (see module doc)."""


def _visit_deferred(self, node: deferred_ref) -> None:
    self.body.append(f"{START}{node['n']}{END}")


def _depart_deferred(self, node: deferred_ref) -> None:
    self.body.append(f"{START}/{END}")


def _section_toc(document: nodes.document, docname: str) -> tuple[nodes.bullet_list, int]:
    """The table of contents Sphinx's TocTreeCollector makes, for a page of sections only.

    The collector also looks for toctrees and object descriptions by walking the whole
    subtree under every section, which on a page of thousands of rows was a tenth of
    its rendering; generated pages have neither (stubs, which have a toctree, still go
    through the collector)."""
    count = 0

    def build(parent: nodes.Element) -> nodes.bullet_list | None:
        nonlocal count
        entries = []
        for section in parent.children:
            if not isinstance(section, nodes.section):
                continue
            title = section[0]
            if all(isinstance(child, nodes.Text) for child in title.children):
                text: list[nodes.Node] = [nodes.Text(title.astext())]
            else:
                visitor = SphinxContentsFilter(document)
                title.walkabout(visitor)
                text = visitor.get_entry_text()
            anchorname = "#" + section["ids"][0] if count else ""
            count += 1
            reference = nodes.reference("", "", *text, internal=True, refuri=docname, anchorname=anchorname)
            item = nodes.list_item("", addnodes.compact_paragraph("", "", reference))
            sub = build(section)
            if sub is not None:
                item += sub
            entries.append(item)
        return nodes.bullet_list("", *entries) if entries else None

    toc = build(document)
    return (toc if toc is not None else nodes.bullet_list("")), count


@dataclass
class LinkTable:
    """The links of one page: ``(kind, target)``; kind is ``pia:<role>``, ``doc`` or
    ``href`` (a bare URL into a picture, dataflow.py)."""

    links: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, target: str) -> int:
        self.links.append((kind, target))
        return len(self.links) - 1

    def href(self, gid: str) -> str:
        return f"{START}H{self.add('href', gid)}{END}"


@dataclass
class PageEntry:
    digest: str
    title: str
    #: (gid, anchor, kind, title) of each object the page anchors
    registered: list[tuple[str, str, str, str]]
    links: list[tuple[str, str]]
    #: the chrome (see HtmlPages._chrome) the output was last written with
    written: str = ""
    #: links whose target was missing when the page was last written (warned again)
    unresolved: list[tuple[str, str]] = field(default_factory=list)


def _fingerprint_package() -> str:
    """The extension's own files: a changed renderer, template or stylesheet makes new pages."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _config_hash(app) -> str:
    try:
        from sphinx.builders.html._build_info import BuildInfo

        return BuildInfo(app.config, app.builder.tags, frozenset({"env", "html"})).config_hash
    except Exception:  # noqa: BLE001 - another Sphinx: a cache that never matches is still correct
        return repr(object())


class HtmlPages:
    """The orphan generated pages of one HTML build."""

    def __init__(self, app, specs: dict[str, PageSpec]) -> None:
        self.app = app
        self.specs = specs  # full docname → spec
        self.entries: dict[str, PageEntry] = {}
        self.sphinx_writes: set[str] = set()
        self.cache_dir = Path(app.doctreedir) / "pia-html"
        import sphinx
        import docutils

        self.key = hashlib.sha256(
            f"{CACHE_FORMAT}:{sphinx.__version__}:{docutils.__version__}:{app.builder.name}:{_config_hash(app)}:{_fingerprint_package()}".encode()
        ).hexdigest()

    # -- the cache -----------------------------------------------------------------

    def _page_file(self, docname: str) -> Path:
        return self.cache_dir / "pages" / (hashlib.sha1(docname.encode()).hexdigest() + ".pickle")

    def _load_index(self) -> dict[str, PageEntry]:
        try:
            with (self.cache_dir / "index.pickle").open("rb") as fh:
                data = pickle.load(fh)
        except Exception:  # noqa: BLE001 - missing or unreadable: render everything
            return {}
        return data["entries"] if isinstance(data, dict) and data.get("key") == self.key else {}

    def _save_index(self) -> None:
        # Pages link to the same targets again and again (at 200 assessments 259,000 links
        # to far fewer targets): made one object each, the pickle stores each once and the
        # next build reads a quarter of the bytes and objects.  Entries read from the last
        # index already share theirs.
        pool: dict = {}
        for docname in self.rendered:
            entry = self.entries.get(docname)
            if entry is not None:
                entry.links = [pool.setdefault(link, tuple(pool.setdefault(x, x) for x in link)) for link in entry.links]
                entry.registered = [pool.setdefault(r, tuple(pool.setdefault(x, x) for x in r)) for r in entry.registered]
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with (self.cache_dir / "index.pickle").open("wb") as fh:
                pickle.dump({"key": self.key, "entries": self.entries}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # the cache only saves time
            pass

    # -- 1. render -------------------------------------------------------------------

    def prepare(self, sphinx_writes=()) -> None:
        """Render what changed; *sphinx_writes*: the documents Sphinx writes in this build."""
        app = self.app
        self.sphinx_writes = set(sphinx_writes)
        env, builder = app.env, app.builder
        cached = self._load_index()
        settings = copy(builder.docsettings)
        settings.env = env
        registry = app.registry
        self._reader_transforms = [t for t in registry.get_transforms() if _name(t) not in _NOT_FOR_PAGES]
        self._post_transforms = [t for t in registry.get_post_transforms() if _name(t) not in _POST_NOT_FOR_PAGES]
        self._post_transforms_but_resolver = [t for t in self._post_transforms if _name(t) != _RESOLVER]
        self._recount = any(_name(t) not in _KNOWN_READERS for t in self._reader_transforms)
        self.previous = cached
        self.rendered: set[str] = set()
        todo = []
        for docname, spec in sorted(self.specs.items()):
            entry = cached.get(docname)
            if entry is None or entry.digest != spec.digest or not self._page_file(docname).exists():
                todo.append(docname)
            else:
                self.entries[docname] = entry
        for docname, entry in self._in_parallel(todo, lambda chunk: self._render_all(chunk, settings)):
            if entry is not None:
                self.entries[docname] = entry
                self.rendered.add(docname)
        rendered = len(todo)
        for docname in self.entries:
            if docname in env.all_docs:
                # a stub document: the toctree shows the sections of the page, not of the stub
                with self._page_file(docname).open("rb") as fh:
                    page = pickle.load(fh)
                if page["toc_node"] is not None:
                    env.tocs[docname] = page["toc_node"]
                    env.toc_num_entries[docname] = page["toc_entries"]
        domain = env.domains["pia"]
        with gc_paused():  # tens of thousands of entries that live for the build
            for docname, entry in self.entries.items():
                for gid, anchor, kind, title in entry.registered:
                    domain.note_object(gid, docname, anchor, kind, title, location=docname)
        # pages that are no longer planned leave the cache
        pages_dir = self.cache_dir / "pages"
        if pages_dir.is_dir():
            keep = {self._page_file(d).name for d in self.entries}
            for path in pages_dir.iterdir():
                if path.name not in keep:
                    path.unlink()
        # the index is saved once the pages are written: a build that stops before keeps
        # the previous one, and the next build renders and writes the same pages again
        logger.info("sphinx_pia: %d generated pages, %d rendered", len(self.entries), rendered)

    def _render_all(self, docnames: list[str], settings) -> list[tuple[str, PageEntry | None]]:
        out = []
        for docname in docnames:
            # A page's doctree is freed by dispose() when the page is done, so while it is
            # built the cyclic collector would only rescan its live nodes again and again
            # (at 40 assessments 1,800 collections, 9% of a build).  Paused per page, the
            # collector still runs between pages on whatever cycles a page left.
            with gc_paused():
                out.append((docname, self._render(docname, self.specs[docname], settings)))
        return out

    def _render(self, docname: str, spec: PageSpec, settings) -> PageEntry | None:
        app, env, builder = self.app, self.app.env, self.app.builder
        backup = env.current_document
        env.prepare_settings(docname)
        try:
            document = new_document(docname, settings)
            speed_up_findall(document)
            registered = assemble(document, env, spec, docname)
            if registered is None:
                return None
            census = Census(document)
            transformer = SphinxTransformer(document)
            transformer.set_environment(env)
            transformer.add_transforms(self._for_page(self._reader_transforms, census))
            transformer.apply_transforms()
            links = LinkTable()
            document.pia_links = links  # for doctree-resolved handlers (dataflow pictures)
            others = self._defer_links(document, links) if census.has(addnodes.pending_xref) else 0
            if self._recount:
                census = Census(document)
            transformer = SphinxTransformer(document)
            transformer.set_environment(env)
            transformer.add_transforms(self._for_page(self._post_transforms if others else self._post_transforms_but_resolver, census))
            transformer.apply_transforms()
            # not the doctree-resolved event: its handlers (sphinx-design's walks every
            # reference for new-tab links) found nothing here; the data-flow pictures
            # are the one thing of ours it fills in
            if census.has(dataflow):
                resolve_dataflow_links(app, document, docname)
            # the toc collector and document_toc work on the environment's tables; a stub
            # document of the same name has entries there, which stay as they were
            saved = [(table, copy(table.get(docname))) for table in (env.metadata, env.tocs, env.toc_num_entries, env.toctree_includes)]
            env.metadata[docname] = {"orphan": ""}
            if docname in env.all_docs or census.has(addnodes.toctree):
                TocTreeCollector().process_doc(app, document)
            else:
                env.tocs[docname], env.toc_num_entries[docname] = _section_toc(document, docname)
            toc_node = env.tocs.get(docname)
            num_entries = env.toc_num_entries.get(docname, 0)
            toc_html = render_toc(builder, document_toc(env, docname, builder.tags)) if toc_node is not None else ""
            for table, value in saved:
                table.pop(docname, None)
                if value is not None:
                    table[docname] = value
            # a page in the toctree is also a stub document: the stub's toctree is resolved
            # by Sphinx into the navigation; in the page (and its toc above) it is hidden
            for toctree in list(document.findall(addnodes.toctree)) if census.has(addnodes.toctree) else ():
                toctree.parent.remove(toctree)
            builder.secnumbers, builder.fignumbers = {}, {}
            builder.imgpath = relative_uri(builder.get_target_uri(docname), "_images")
            builder.dlpath = relative_uri(builder.get_target_uri(docname), "_downloads")
            builder.current_docname = docname
            visitor = builder.create_translator(document, builder)
            walkabout(document, visitor)
            body = "".join(visitor.fragment)
            metatags = "".join(visitor.meta[2:])
            title = document.next_node(nodes.title)
            page = {"body": body, "metatags": metatags, "toc": toc_html, "display_toc": num_entries > 1, "toc_node": toc_node,
                    "toc_entries": num_entries}
            path = self._page_file(docname)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                pickle.dump(page, fh, protocol=pickle.HIGHEST_PROTOCOL)
            entry = PageEntry(spec.digest, title.astext() if title else "", [(r.gid, r.anchor, r.kind, r.title) for r in registered], links.links)
            dispose(document)
            return entry
        finally:
            env.current_document = backup

    def _for_page(self, transforms: list, census: Census) -> list:
        env = self.app.env
        return [t for t in transforms if (test := _ONLY_WITH.get(_name(t))) is None or test(census, env)]

    @staticmethod
    def _defer_links(document: nodes.document, links: LinkTable) -> int:
        """Our pending cross-references → markers; any other stays for Sphinx's resolver
        (returns how many)."""
        others = 0
        for node in list(document.findall(addnodes.pending_xref)):
            domain, typ, target = node.get("refdomain"), node.get("reftype"), node.get("reftarget", "")
            if domain == "pia":
                n = links.add(f"pia:{typ}", target)
                deferred = deferred_ref("", "", *node.children, n=n)
            elif domain == "std" and typ == "doc" and target.startswith("/"):
                # what the std domain makes of an explicit :doc: link
                caption = node.astext()
                n = links.add("doc", target[1:])
                deferred = deferred_ref("", "", nodes.inline(caption, caption, classes=["doc"]), n=n)
            else:
                others += 1
                continue
            node.replace_self(deferred)
        return others

    # -- 2. write --------------------------------------------------------------------

    def _chrome(self) -> str:
        """What every page's frame depends on besides its body."""
        env, builder = self.app.env, self.app.builder
        h = hashlib.sha256(self.key.encode())
        for doc, includes in sorted(env.toctree_includes.items()):
            h.update(f"{doc}>{','.join(includes)}\n".encode())
        for doc in sorted(env.all_docs):
            title = env.titles.get(doc)
            h.update(f"{doc}={title.astext() if title is not None else ''}\n".encode())
        outdir = Path(builder.outdir)
        for asset in [*getattr(builder, "_css_files", []), *getattr(builder, "_js_files", [])]:
            name = str(getattr(asset, "filename", asset))
            path = outdir / name
            h.update(f"{name}:{hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else ''}\n".encode())
        return h.hexdigest()

    def _resolve(self, docname: str, kind: str, target: str) -> tuple[str, str | None] | None:
        """(href, title) of a link of *docname*, or None when its target is missing."""
        builder, env = self.app.builder, self.app.env
        if kind == "doc":
            if target in self.entries or target in env.all_docs:
                return builder.get_relative_uri(docname, target), None
            return None
        domain = env.domains["pia"]
        typ = kind.split(":", 1)[1] if kind.startswith("pia:") else "ref"
        entry = domain.lookup(typ, target)
        if entry is None:
            return None
        todoc, anchor, _kind, title = entry
        if todoc == docname and anchor:
            return f"#{anchor}", title
        return f"{builder.get_relative_uri(docname, todoc)}#{anchor}", title

    def _moved(self) -> set[str]:
        """Link targets that are not where they were in the previous build: objects
        whose entry changed, appeared or went, and pages that appeared or went."""
        def objects(entries: dict[str, PageEntry]) -> dict[str, tuple]:
            return {gid: (docname, anchor, kind, title) for docname, e in entries.items() for gid, anchor, kind, title in e.registered}

        changed = self.rendered | (self.previous.keys() ^ self.entries.keys())
        old = objects({d: e for d, e in self.previous.items() if d in changed})
        new = objects({d: e for d, e in self.entries.items() if d in changed})
        moved = {gid for gid in old.keys() | new.keys() if old.get(gid) != new.get(gid)}
        # objects of hand-written documents Sphinx read again may have moved too
        by_doc = self.app.env.domains["pia"].by_doc
        moved |= {gid for doc in self.sphinx_writes if doc not in self.entries for gid in by_doc.get(doc, ())}
        return moved | (self.previous.keys() ^ self.entries.keys())

    def write(self) -> None:
        chrome = self._chrome()
        moved = self._moved()
        todo = []
        for docname in sorted(self.entries):
            entry = self.entries[docname]
            if (docname in self.rendered or entry.written != chrome or docname in self.sphinx_writes
                    or not moved.isdisjoint(target for _, target in entry.links)
                    or not Path(self.app.builder.get_outfilename(docname)).exists()):
                todo.append(docname)
            else:
                for kind, target in entry.unresolved:  # as Sphinx would say again for an unchanged page
                    logger.warning("%s reference target not found: %s", kind, target, location=docname, type="ref", subtype=kind)
        written = 0
        for docname, unresolved in self._in_parallel(todo, lambda chunk: self._write_pages(chunk)):
            self.entries[docname].written = chrome
            self.entries[docname].unresolved = unresolved
            written += 1
        self._save_index()
        logger.info("sphinx_pia: %d generated pages written, %d unchanged", written, len(self.entries) - written)

    def _in_parallel(self, docnames: list[str], work) -> list:
        """``work(chunk)`` over *docnames*, in ``-j`` forked processes when there are
        enough pages to pay for it (results and warnings come back to this process)."""
        nproc = getattr(self.app, "parallel", 1) or 1
        if nproc <= 1 or len(docnames) < 4 * nproc:
            return work(docnames)
        from sphinx.util.parallel import ParallelTasks, parallel_available

        if not parallel_available:
            return work(docnames)
        results: list = []
        tasks = ParallelTasks(nproc)
        size = -(-len(docnames) // (nproc * 4))  # a few chunks per process, for balance
        for i in range(0, len(docnames), size):
            tasks.add_task(work, docnames[i:i + size], lambda _arg, ret: results.extend(ret))
        tasks.join()
        return results

    def _write_pages(self, docnames: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
        """Write *docnames*; returns (docname, its links whose target is missing)."""
        builder = self.app.builder
        translator = builder.create_translator(new_document("<pia>", builder.docsettings), builder)
        templates = builder.templates
        render = templates.render
        templates.render = FrameCache(render)  # the theme's frame once per folder (frames.py)
        try:
            return self._write_each(docnames, translator)
        finally:
            templates.render = render

    def _write_each(self, docnames: list[str], translator) -> list[tuple[str, list[tuple[str, str]]]]:
        builder, env = self.app.builder, self.app.env
        done = []
        for docname in docnames:
            entry = self.entries[docname]
            resolved = []
            unresolved = []
            for kind, target in entry.links:
                res = self._resolve(docname, kind, target)
                if res is None:
                    unresolved.append(("doc" if kind == "doc" else kind, target))
                    logger.warning("%s reference target not found: %s", *unresolved[-1], location=docname, type="ref", subtype=kind)
                resolved.append(res)
            stub = docname in env.all_docs
            with self._page_file(docname).open("rb") as fh:
                page = pickle.load(fh)

            def link(m: re.Match) -> str:
                res = resolved[int(m.group(1))]
                if res is None:
                    return m.group(2)
                return link_start_tag(translator, *res) + m.group(2) + "</a>"

            def href(m: re.Match) -> str:
                res = resolved[int(m.group(1))]
                return translator.attval(res[0]) if res else "#"

            body = _STRAY.sub("", _HREF.sub(href, _LINK.sub(link, page["body"])))
            ctx = {
                "parents": [], "prev": None, "next": None,
                "title": translator.encode(entry.title),
                "meta": {"orphan": ""}, "body": body, "metatags": page["metatags"],
                "rellinks": builder.globalcontext["rellinks"][:], "sourcename": "",
                "toc": page["toc"], "display_toc": page["display_toc"], "page_source_suffix": "",
                "has_maths_elements": False,
            }
            if stub:
                # the page's place in the site (parents, next, previous) is the stub's, and
                # its toc is already the page's (prepare)
                ctx = {**builder.get_doc_context(docname, body, page["metatags"]), "has_maths_elements": False}
                builder.handle_page(docname, ctx, event_arg=None)
            else:
                env.metadata[docname] = {"orphan": ""}
                if page["toc_node"] is not None:
                    env.tocs[docname] = page["toc_node"]
                try:
                    builder.handle_page(docname, ctx, event_arg=None)
                finally:
                    env.tocs.pop(docname, None)
                    env.metadata.pop(docname, None)
            done.append((docname, unresolved))
        return done


def render_toc(builder, toc: nodes.Node) -> str:
    """``builder.render_partial(toc)["fragment"]`` for a page's table of contents.

    render_partial makes a document with docutils' own settings machinery and runs the
    reader, parser and writer transforms of a whole document over it; a table of
    contents (lists of compact paragraphs and references, made by Sphinx) gives them
    nothing to do.  Here the list is translated as render_partial would, in a
    document made the cheap way (tests/test_html_pages.py compares the two)."""
    document = new_document("<partial node>", builder._settings)
    document.append(toc)
    visitor = builder.create_translator(document, builder)
    walkabout(document, visitor)
    return "".join(visitor.fragment)


def link_start_tag(translator, href: str, title: str | None) -> str:
    """What ``translator.starttag`` makes of a bare reference node with these attributes
    (sorted, each through ``attval``), without building a node per link."""
    start = f'<a class="reference internal" href="{translator.attval(href)}"'
    if title:
        start += f' title="{translator.attval(title)}"'
    return start + ">"


def uses_html_pages(app) -> bool:
    """Whether this build writes orphan generated pages directly (see module doc)."""
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    builder = app.builder
    return (app.config.pia_direct_pages and app.config.pia_search and isinstance(builder, StandaloneHTMLBuilder)
            and not isinstance(builder, SingleFileHTMLBuilder) and bool(getattr(builder, "search", True)))


def _collect_pages(app):
    pages: HtmlPages | None = getattr(app, "_pia_html_pages", None)
    if pages is not None:
        pages.write()
    return []


def setup_html_pages(app) -> None:
    app.add_config_value("pia_direct_pages", True, "env", types=[bool])
    app.add_node(deferred_ref, html=(_visit_deferred, _depart_deferred))
    app.connect("html-collect-pages", _collect_pages)


def start(app, specs: dict[str, PageSpec]) -> HtmlPages:
    """Take over the orphan pages of this build: rendered once the builder is ready to write."""
    pages = HtmlPages(app, specs)
    app._pia_html_pages = pages
    builder = app.builder
    original = builder.prepare_writing

    def prepare_writing(docnames):
        # the translator's settings, needed to render; not the domain indices (each
        # walks every object), which the second call computes
        indices = app.config.html_domain_indices
        app.config.html_domain_indices = False
        try:
            original(docnames)
        finally:
            app.config.html_domain_indices = indices
        pages.prepare(docnames)
        # again, now that the domain holds the pages' objects: the builder decides here
        # which domain indices have entries (and so get a page)
        original(docnames)

    builder.prepare_writing = prepare_writing
    if hasattr(builder, "dump_inventory"):
        builder.dump_inventory = _unless_unchanged(builder.dump_inventory, app, pages.cache_dir / "inventory.key")
    return pages


def _inventory_key(app) -> str:
    """What objects.inv is made of: every domain's objects, the URIs of their documents
    and the project's name and version."""
    builder, config = app.builder, app.config
    h = hashlib.sha256(repr((config.project, config.version, builder.name, config.html_file_suffix, config.html_link_suffix)).encode())
    for name, domain in sorted(app.env.domains.items()):
        h.update(f"\x1d{name}".encode())
        for obj in domain.get_objects():
            h.update(repr(obj).encode())
    return h.hexdigest()


def _unless_unchanged(dump, app, stamp: Path):
    """``builder.dump_inventory``, skipped when objects.inv would be the same as the
    one this wrapper saw written last time (an edit of a value moves no object: at
    hundreds of assessments the file lists tens of thousands)."""

    def dump_inventory() -> None:
        target = Path(app.builder.outdir) / "objects.inv"
        key = _inventory_key(app)
        try:
            stat = target.stat()
            if stamp.read_text(encoding="utf-8") == f"{key} {stat.st_size} {stat.st_mtime_ns}":
                return
        except OSError:
            pass
        dump()
        try:
            stat = target.stat()
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(f"{key} {stat.st_size} {stat.st_mtime_ns}", encoding="utf-8")
        except OSError:  # written every time, then
            stamp.unlink(missing_ok=True)

    return dump_inventory
