"""Wire the site's own search into HTML builds (the index itself: sphinx_pia.search)."""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
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
        # every object now has its page (the generated pages were rendered and registered
        # theirs): the index can be written beside the pages
        start_search_index(app)

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


def _wanted(app: Sphinx) -> bool:
    return bool(app.config.pia_search) and getattr(app.builder, "format", "") == "html" and get_loaded(app.env) is not None


def _write(app: Sphinx) -> dict:
    """Write the index (and its state for the next build); returns its size figures."""
    loaded = get_loaded(app.env)
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
    return stats


# app → (pid, pipe) of the process writing its index (start_search_index)
_CHILDREN: dict[int, tuple[int, int]] = {}


def start_search_index(app: Sphinx) -> None:
    """Once every object and its page are known (writing prepared), the index is written
    by a forked process while this one writes the pages: it needs no page, and on two
    cores it no longer adds to the build (~11% of a build of the five seeds).  Where
    there is no fork (Windows), or with ``pia_search_index_process = False``, it is
    written at the end as before."""
    if not (app.config.pia_search_index_process and hasattr(os, "fork") and _wanted(app)):
        return
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return
    if pid == 0:  # the child: write the index, send back its figures or the failure, exit
        os.close(read_end)
        code = 0
        try:
            result = ("ok", _write(app))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which writes it again
            result, code = ("failed", f"{type(exc).__name__}: {exc}"), 1
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(result))
        finally:
            os._exit(code)  # no exit handlers, no flushing of the parent's buffers
    os.close(write_end)
    _CHILDREN[id(app)] = (pid, read_end)


def _join(app: Sphinx, stop: bool) -> tuple | None:
    """The result of the process writing this build's index (None: there was none)."""
    child = _CHILDREN.pop(id(app), None)
    if child is None:
        return None
    pid, read_end = child
    if stop:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - killed or crashed before it answered
        return ("failed", "the process writing the index ended without a result")


def write_search_index(app: Sphinx, exception: Exception | None) -> None:
    result = _join(app, stop=exception is not None)
    if exception is not None or not _wanted(app):
        return
    if result is not None and result[0] == "ok":
        stats = result[1]
    else:
        if result is not None:
            logger.debug("sphinx_pia: the search index process failed (%s); writing it here", result[1])
        stats = _write(app)
    logger.info("sphinx_pia: search index of %d records, %d bytes in %d files", stats["records"], stats["bytes"], stats["files"])
