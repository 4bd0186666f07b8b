"""The search index writer: deterministic output, the gram cache, and no churn.

A city publishes the built site by copying it to a web server; files that did
not change should not change, so an upload after one edit stays small."""

from __future__ import annotations

from pathlib import Path

from sphinx_pia.index import SiteIndex
from sphinx_pia.loader import load_content
from sphinx_pia.search.index import write_index

ROOT = Path(__file__).resolve().parents[1]


def _locate(site: SiteIndex):
    def locate(gid: str):
        rec = site.objects.get(gid)
        return (f"pia/{gid.replace('/', '-')}.html#x", rec.title) if rec else None

    return locate


def _files(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.js"))}


def test_cache_gives_the_same_index_and_unchanged_files_are_not_rewritten(tmp_path):
    assessments = load_content(ROOT / "content")
    site = SiteIndex(assessments)
    plain, cached = tmp_path / "plain", tmp_path / "cached"
    write_index(plain, site, _locate(site))
    cache: dict = {}
    write_index(cached, site, _locate(site), cache)
    assert cache  # filled by the first build
    assert _files(plain) == _files(cached)

    mtimes = {p.name: p.stat().st_mtime_ns for p in cached.glob("*.js")}
    hits = dict(cache)
    write_index(cached, site, _locate(site), cache)
    assert cache == hits  # every record was found in the cache
    assert {p.name: p.stat().st_mtime_ns for p in cached.glob("*.js")} == mtimes


def test_a_smaller_corpus_leaves_no_stale_files(tmp_path):
    assessments = load_content(ROOT / "content")
    full = SiteIndex(assessments)
    out = tmp_path / "idx"
    write_index(out, full, _locate(full))
    before = set(_files(out))
    small = SiteIndex([a for a in assessments if a.id == "unidentified-juki-changes"])
    cache: dict = {"stale": ()}
    write_index(out, small, _locate(small), cache)
    after = set(_files(out))
    assert after < before  # fewer record chunks; the old ones are gone
    assert "stale" not in cache  # the cache keeps only what the last build used
    fresh = tmp_path / "fresh"
    write_index(fresh, small, _locate(small))
    assert _files(out) == _files(fresh)
