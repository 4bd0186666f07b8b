"""Wire the site's own search into HTML builds (the index itself: sphinx_pia.search)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..search.index import VERSION, write_index
from .site import CACHE_VERSION, get_loaded, read_pickled, write_pickled

logger = logging.getLogger(__name__)


def setup_search(app: Sphinx) -> None:
    from sphinx.builders.html import StandaloneHTMLBuilder

    builder = app.builder
    if not app.config.pia_search or not isinstance(builder, StandaloneHTMLBuilder) or not builder.search:
        return
    original = builder.prepare_writing

    def prepare_writing(docnames):
        # Our index replaces Sphinx's: its Japanese splitter costs a large share of the
        # build and cannot find compounds or citations (see sphinx_pia/search/index.py).
        # With search off while preparing, Sphinx creates no indexer (and does not try
        # to load a searchindex.js); on again, it still renders the search page.
        builder.search = False
        try:
            original(docnames)
        finally:
            builder.search = True

    builder.prepare_writing = prepare_writing


def _code_version() -> str:
    """The state holds records: what the search and page code made of each model (its
    texts, its URLs).  Any change to the package's code makes them stale."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


_STATE_KEY = (CACHE_VERSION, VERSION, _code_version())


def _read(path: Path) -> dict:
    """The search index state of the previous build (see ``write_corpus``), or empty
    (missing, stale or unreadable)."""
    data = read_pickled(path)
    return data["state"] if data.get("version") == _STATE_KEY else {}


def write_search_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not app.config.pia_search or getattr(app.builder, "format", "") != "html":
        return
    loaded = get_loaded(app.env)
    if loaded is None:
        return
    domain = app.env.domains["pia"]

    def locate(gid: str):
        entry = domain.objects.get(gid)
        if entry is None:
            return None
        docname, anchor, kind, title = entry
        return f"{app.builder.get_target_uri(docname)}#{anchor}", title

    # the state of the last build: an edit re-encodes only the lists and files it touches
    state_path = Path(app.doctreedir) / "pia-search-state.pickle"
    state = _read(state_path)
    stats = write_index(Path(app.outdir) / "_static" / "pia-search", loaded.index, locate, state, loaded.signatures)
    write_pickled(state_path, {"version": _STATE_KEY, "state": state})
    logger.info("sphinx_pia: search index of %d records, %d bytes in %d files", stats["records"], stats["bytes"], stats["files"])
