"""Loading the content once per build and sharing it with directives.

The site index is built from YAML at ``builder-inited`` and kept per source
directory in this process (forked parallel readers inherit it).  It is not
stored on the environment, so it is never pickled.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..index import SiteIndex
from ..law_registry import Registry
from ..loader import Problem, collect
from ..problems import show
from ..model import Assessment


@dataclass
class LoadedSite:
    index: SiteIndex
    content_dir: Path
    problems: list[Problem] = field(default_factory=list)
    #: assessment id → the YAML files it was read from
    files: dict[str, list[Path]] = field(default_factory=dict)
    #: assessment id → a key that changes whenever its files (or the model) do: for
    #: caches of what is derived from one assessment
    signatures: dict[str, str] = field(default_factory=dict)


_SITES: dict[str, LoadedSite] = {}


def _model_fingerprint() -> str:
    """Cached models are valid only for the code that made them: the model, the loader
    and its checks.  Their source files stand for them (generating the JSON Schemas of
    the model, as this did before, took a tenth of a small build, at every start)."""
    from .. import __version__

    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"{__version__}:{_CACHE_FORMAT}".encode())
    for path in sorted([*package.glob("*.py"), *package.glob("model/*.py"), *package.glob("data/*")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


_CACHE_FORMAT = 3  # a directory: index.pickle, and per assessment directory (signature, source signature, assessment)
CACHE_VERSION = _model_fingerprint()


def read_pickled(path: Path) -> dict:
    """A dict pickled by an earlier build, or empty (missing or unreadable: a cache is
    only a shortcut, so the caller computes everything)."""
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a broken cache is only a missed shortcut
        return {}
    return data if isinstance(data, dict) else {}


def write_pickled(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # the cache only saves time
        pass


def per_assessment(path: Path, keys: dict[str, object], make) -> dict[str, object]:
    """aid → ``make(aid)`` for every aid of *keys*, taken from the pickled cache at *path*
    where the aid's key is the one it was made with (a key of None is never reused).  The
    cache is rewritten when anything in it changed, and keeps only these aids."""
    cache = read_pickled(path)
    fresh: dict = {}
    for aid, key in keys.items():
        hit = cache.get(aid)
        fresh[aid] = (key, hit[1] if key is not None and hit is not None and hit[0] == key else make(aid))
    if fresh != cache:
        write_pickled(path, fresh)
    return {aid: value for aid, (_, value) in fresh.items()}


def _entry_file(cache: Path, directory: str) -> Path:
    return cache / (hashlib.sha1(directory.encode()).hexdigest() + ".pickle")


def _read_cache(path: Path | None) -> dict:
    """{"parses": ..., "assessments": {directory: entry}} of the previous build, or empty.

    One file per assessment directory, so that an edit rewrites one entry, not the
    models of every assessment (at hundreds of assessments that was seconds)."""
    if path is None or not (path / "index.pickle").exists():
        return {}
    try:
        with (path / "index.pickle").open("rb") as fh:
            index = pickle.load(fh)
        if not isinstance(index, dict) or index.get("version") != CACHE_VERSION:
            return {}
        entries = {}
        for directory in index["directories"]:
            with _entry_file(path, directory).open("rb") as fh:
                entries[directory] = pickle.load(fh)
        return {"parses": index["parses"], "assessments": entries}
    except Exception:  # a stale or foreign cache is only a missed shortcut
        return {}


def _same(old: tuple | None, new: tuple) -> bool:
    """The entry is the one read from its file (an unchanged directory)."""
    return old is not None and old[2] is new[2] and old[:2] == new[:2]


def _write_cache(path: Path, old: dict, new: dict, parses: dict) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        for directory, entry in new.items():
            if not _same(old.get(directory), entry):
                with _entry_file(path, directory).open("wb") as fh:
                    pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        keep = {_entry_file(path, d).name for d in new} | {"index.pickle"}
        for stale in path.iterdir():
            if stale.name not in keep:
                stale.unlink()
        with (path / "index.pickle").open("wb") as fh:
            pickle.dump({"version": CACHE_VERSION, "directories": sorted(new), "parses": parses}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, pickle.PicklingError, RecursionError):  # the cache is only a shortcut
        (path / "index.pickle").unlink(missing_ok=True)


def load_site(srcdir: Path, content_dir: Path, registry: Registry | None = None, cache: Path | None = None) -> LoadedSite:
    """Load every assessment under ``content_dir``; problems are collected, not raised,
    so one broken file does not hide the rest of the site.  With ``cache``, an
    assessment whose YAML files are unchanged (name, mtime, size) is not parsed again
    (``cache`` is a directory: one file per assessment)."""
    from .. import citations

    stored = _read_cache(cache)
    old = stored.get("assessments", {})
    citations.PARSE_CACHE.update(stored.get("parses", {}))
    citations.PARSE_USED.clear()
    # the same walk and checks as `sphinx-pia validate`: what one refuses, so does the other
    result = collect(content_dir, content_dir.parent, cached=old)
    new, assessments, problems, files = result.entries, result.assessments, result.problems, result.files
    signatures = {entry[2].id: hashlib.sha256(repr((CACHE_VERSION, entry[0], entry[1])).encode()).hexdigest()[:24] for entry in new.values()}
    loaded = LoadedSite(_index(assessments, registry, problems), content_dir, problems, files, signatures)
    parses = {k: citations.PARSE_CACHE[k] for k in citations.PARSE_USED if k in citations.PARSE_CACHE}
    if cache is not None and (new.keys() != old.keys() or not all(_same(old[d], new[d]) for d in new)
                              or parses.keys() != stored.get("parses", {}).keys()):
        _write_cache(cache, old, new, parses)
    _SITES[str(srcdir)] = loaded
    return loaded


def _index(assessments: list[Assessment], registry: Registry | None, problems: list[Problem]) -> SiteIndex:
    """The site index; should an assessment break it, the index without that one and a problem."""
    try:
        return SiteIndex(assessments, registry)
    except Exception:  # noqa: BLE001 - find the assessment at fault, keep the others
        kept = []
        for a in assessments:
            try:
                SiteIndex([*kept, a], registry)
            except Exception as exc:  # noqa: BLE001
                problems.append(Problem(a.paths.get("assessment", a.id), None, None, "",
                                        f"この評価書は索引に加えられませんでした（{type(exc).__name__}）。このディレクトリを添えて報告してください。"))
            else:
                kept.append(a)
        return SiteIndex(kept, registry)


def warn_problems(loaded: LoadedSite) -> None:
    """Log every content problem as a Sphinx warning (so ``-W`` fails) at its YAML file and line."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for problem in loaded.problems:
        # Every content problem is a warning with a location, so `-W` fails the
        # build and the message names the YAML file and line.
        # A location string with ':' is printed verbatim; one without is taken for a
        # docname (and shown as '<name>.rst'), so a problem without a line names its
        # file in the message instead.
        path = show(loaded.content_dir.parent / problem.path, 500)  # a file name may hold control characters
        field = f"{problem.field}: " if problem.field else ""
        if problem.line:
            column = f":{problem.column}" if problem.column else ""
            logger.warning("%s%s", field, problem.message, location=f"{path}:{problem.line}{column}", type="pia", subtype="content")
        else:
            logger.warning("%s: %s%s", path, field, problem.message, type="pia", subtype="content")
    for name, owners in sorted(loaded.index.unknown_laws.items()):
        where = "、".join(owners[:3]) + (f" ほか{len(owners) - 3}件" if len(owners) > 3 else "")
        logger.warning(
            "法令レジストリにない法令です: %s（引用元: %s）。sphinx_pia/data/laws.yaml か pia_law_registry_extra のファイルに追加してください。",
            name, where, type="pia", subtype="law",
        )


_KEEPING = False


def keep_at_exit() -> None:
    """Let the operating system, not Python, free the loaded content when the process
    exits (called once, from ``setup``).

    At exit Python frees every object one by one as it clears the modules: with hundreds
    of assessments, millions of objects and seconds after the build is done (at 200
    assessments 3-4 s, a third of an incremental build).  An exit handler puts the
    loaded sites and the parse cache in a reference cycle and freezes it: module
    teardown drops every other reference, the last collection does not look at frozen
    objects, and the process ends with them in place.  Nothing here holds a file or
    anything else that must be closed.  Builds within one process are unaffected: the
    handler runs only at exit."""
    global _KEEPING
    if _KEEPING:
        return
    _KEEPING = True
    import atexit

    atexit.register(_keep)


def _keep() -> None:
    import gc

    from .. import citations

    kept: list = [dict(_SITES), citations.PARSE_CACHE]
    kept.append(kept)
    gc.freeze()


def home_digest_file(env) -> Path:
    """Where the digest of the generated home page is kept (see ``note_home_digest``)."""
    return Path(env.doctreedir) / "pia-home.digest"


def note_home_digest(env, digest: str) -> None:
    """Keep the home page's digest in its file, rewritten only when it changes: a
    hand-written page showing the guide depends on this file (HomeDirective)."""
    path = home_digest_file(env)
    try:
        if not path.exists() or path.read_text(encoding="utf-8") != digest:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(digest, encoding="utf-8")
    except OSError:  # then the page depends on the YAML, as without generated pages
        path.unlink(missing_ok=True)


def get_loaded(env) -> LoadedSite | None:
    return _SITES.get(str(env.srcdir))


def get_site(env) -> SiteIndex | None:
    loaded = get_loaded(env)
    return loaded.index if loaded else None
