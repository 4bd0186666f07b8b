"""Loading the content once per build and sharing it with directives.

The site index is built from YAML at ``builder-inited`` and kept per source
directory in this process (forked parallel readers inherit it).  It is not
stored on the environment, so it is never pickled.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..index import SiteIndex
from ..law_registry import Registry
from ..loader import ContentError, Problem, load_assessment
from ..model import Assessment


@dataclass
class LoadedSite:
    index: SiteIndex
    content_dir: Path
    problems: list[Problem] = field(default_factory=list)
    #: assessment id → the YAML files it was read from
    files: dict[str, list[Path]] = field(default_factory=dict)


_SITES: dict[str, LoadedSite] = {}


def _model_fingerprint() -> str:
    """Cached models are valid only for the model that made them."""
    import hashlib
    import json

    from .. import __version__
    from ..schema import KINDS, json_schema

    schemas = json.dumps([__version__, *(json_schema(k) for k in sorted(KINDS))], sort_keys=True)
    return hashlib.sha256(schemas.encode()).hexdigest()[:16]


CACHE_VERSION = _model_fingerprint()


def _signature(directory: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.y*ml")))


def _read_cache(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
        return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}
    except Exception:  # a stale or foreign cache is only a missed shortcut
        return {}


def load_site(srcdir: Path, content_dir: Path, registry: Registry | None = None, cache: Path | None = None) -> LoadedSite:
    """Load every assessment under ``content_dir``; problems are collected, not raised,
    so one broken file does not hide the rest of the site.  With ``cache``, an
    assessment whose YAML files are unchanged (name, mtime, size) is not parsed again."""
    assessments: list[Assessment] = []
    problems: list[Problem] = []
    files: dict[str, list[Path]] = {}
    from .. import citations

    stored = _read_cache(cache)
    old = stored.get("assessments", {})
    citations.PARSE_CACHE.update(stored.get("parses", {}))
    citations.PARSE_USED.clear()
    new: dict[str, tuple] = {}
    if not content_dir.is_dir():
        problems.append(Problem(str(content_dir), None, None, "", "content ディレクトリが見つかりません。conf.py の pia_content_dir を設定してください。"))
    else:
        for directory in sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            sig = _signature(directory)
            hit = old.get(str(directory))
            if hit is not None and hit[0] == sig:
                a = hit[1]
            else:
                try:
                    a = load_assessment(directory, content_dir.parent)
                except ContentError as exc:
                    problems.extend(exc.problems)
                    continue
            new[str(directory)] = (sig, a)
            assessments.append(a)
            files[a.id] = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
        seen: dict[str, str] = {}
        for a in assessments:
            org = a.doc.organization
            if org.id in seen and seen[org.id] != org.name:
                problems.append(Problem(a.paths["assessment"], None, None, "organization.name", f"organization '{org.id}' has two names: '{org.name}' and '{seen[org.id]}'; use one."))
            seen.setdefault(org.id, org.name)
    loaded = LoadedSite(SiteIndex(assessments, registry), content_dir, problems, files)
    parses = {k: citations.PARSE_CACHE[k] for k in citations.PARSE_USED if k in citations.PARSE_CACHE}
    if cache is not None and (new != old or parses.keys() != stored.get("parses", {}).keys()):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump({"version": CACHE_VERSION, "assessments": new, "parses": parses}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    _SITES[str(srcdir)] = loaded
    return loaded


def warn_problems(loaded: LoadedSite) -> None:
    """Log every content problem as a Sphinx warning (so ``-W`` fails) at its YAML file and line."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for problem in loaded.problems:
        # Every content problem is a warning with a location, so `-W` fails the
        # build and the message names the YAML file and line.
        location = f"{loaded.content_dir.parent / problem.path}:{problem.line}" if problem.line else str(loaded.content_dir.parent / problem.path)
        field = f"{problem.field}: " if problem.field else ""
        logger.warning("%s%s", field, problem.message, location=location, type="pia", subtype="content")
    for name, owners in sorted(loaded.index.unknown_laws.items()):
        where = "、".join(owners[:3]) + (f" ほか{len(owners) - 3}件" if len(owners) > 3 else "")
        logger.warning(
            "法令レジストリにない法令です: %s（引用元: %s）。sphinx_pia/data/laws.yaml か pia_law_registry_extra のファイルに追加してください。",
            name, where, type="pia", subtype="law",
        )


def get_loaded(env) -> LoadedSite | None:
    return _SITES.get(str(env.srcdir))


def get_site(env) -> SiteIndex | None:
    loaded = get_loaded(env)
    return loaded.index if loaded else None
