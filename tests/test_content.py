"""All of content/ loads, with every reference resolved."""

from __future__ import annotations

from pathlib import Path

from sphinx_pia.index import SiteIndex
from sphinx_pia.loader import load_content

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    "fujimino-juki": "000_15f2a45ded04b7a0.txt",
    "sapporo-juki": "001_c929cc07fcd15d36.txt",
    "unidentified-juki-changes": "002_888a27b7eecce7e7.txt",
    "hanamaki-kojin-juminzei": "003_44f59ed5427b0870.txt",
    "gunma-juki-net": "004_e0523778ea70ff60.txt",
}


def test_all_five_sources_are_represented():
    assessments = {a.id: a for a in load_content(ROOT / "content")}
    assert set(assessments) == set(EXPECTED)
    for aid, source in EXPECTED.items():
        assert assessments[aid].doc.source.file == source
        assert (ROOT / "sources" / source).exists()


def test_provenance_lines_exist_in_source():
    """Every line number given points inside its source file."""
    for a in load_content(ROOT / "content"):
        n_lines = len((ROOT / "sources" / a.doc.source.file).read_text(encoding="utf-8").split("\n"))
        for oid, obj in a.objects():
            line = getattr(obj, "line", None)
            assert line is None or 1 <= line <= n_lines, f"{a.id}/{oid}: line {line} > {n_lines}"


def test_site_index_links_every_system_file_pair_both_ways():
    site = SiteIndex(load_content(ROOT / "content"))
    for fgid, systems in site.file_systems.items():
        for sgid in systems:
            assert fgid in site.system_files[sgid]
    for sgid, files in site.system_files.items():
        assert sgid in site.objects, f"{sgid} is linked but not defined"
        for fgid in files:
            assert sgid in site.file_systems[fgid]
