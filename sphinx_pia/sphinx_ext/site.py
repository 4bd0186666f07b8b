"""Loading the content once per build and sharing it with directives.

The site index is built from YAML at ``builder-inited`` and kept per source
directory in this process (forked parallel readers inherit it).  It is not
stored on the environment, so it is never pickled.
"""

from __future__ import annotations

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


def load_site(srcdir: Path, content_dir: Path, registry: Registry | None = None) -> LoadedSite:
    """Load every assessment under ``content_dir``; problems are collected, not raised,
    so one broken file does not hide the rest of the site."""
    assessments: list[Assessment] = []
    problems: list[Problem] = []
    files: dict[str, list[Path]] = {}
    if not content_dir.is_dir():
        problems.append(Problem(str(content_dir), None, None, "", "content directory not found; set pia_content_dir in conf.py."))
    else:
        for directory in sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            try:
                a = load_assessment(directory, content_dir.parent)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            assessments.append(a)
            files[a.id] = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
        seen: dict[str, str] = {}
        for a in assessments:
            org = a.doc.organization
            if org.id in seen and seen[org.id] != org.name:
                problems.append(Problem(a.paths["assessment"], None, None, "organization.name", f"organization '{org.id}' has two names: '{org.name}' and '{seen[org.id]}'; use one."))
            seen.setdefault(org.id, org.name)
    loaded = LoadedSite(SiteIndex(assessments, registry), content_dir, problems, files)
    _SITES[str(srcdir)] = loaded
    return loaded


def get_loaded(env) -> LoadedSite | None:
    return _SITES.get(str(env.srcdir))


def get_site(env) -> SiteIndex | None:
    loaded = get_loaded(env)
    return loaded.index if loaded else None
