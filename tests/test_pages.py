"""Generated pages: built from IDs, guiding home page, indices, stale output removed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from sphinx_pia.sphinx_ext.domain import sort_key
from sphinx_pia.sphinx_ext.pages import PageSpec

ROOTS = Path(__file__).parent / "roots"


def _copy_root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    return src


def _soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(outdir) / page).read_text(encoding="utf-8"), "html.parser")


def _warnings(app) -> list[str]:
    return [w for w in app._warning.getvalue().splitlines() if w.strip() and "is already registered" not in w]


def test_page_spec_round_trip():
    spec = PageSpec("file", "city-a-juki/file-1", "0123", True, ("laws/index",))
    assert PageSpec.parse(spec.source()) == spec
    assert spec.source().isascii()


def test_home_page_guides(make_app, tmp_path):
    app = make_app("html", srcdir=_copy_root(tmp_path))
    app.build()
    assert _warnings(app) == []
    home = _soup(app.outdir, "pia/index.html")
    form = home.find("form", class_="pia-searchbox")
    assert form is not None and form["action"].endswith("search.html") and form.find("input", attrs={"name": "q"})
    links = {a.get_text(strip=True): a["href"] for a in home.select("a")}
    assert any(h.endswith("laws/index.html") for h in links.values())
    assert any(h.endswith("pia-contractors.html") for h in links.values())
    table = home.find("table", class_="pia-assessment-table")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
    assert rows[0] == ["評価実施機関", "事務の名称", "評価書の種類", "公表日", "状態"]
    city_a = next(r for r in rows if r[0] == "テストA市")
    assert "令和8年2月5日" in city_a[3] and "2026-02-05" in city_a[3]
    assert city_a[4] == "公表"
    # the latest change entries, newest first
    latest = home.find("ul", class_="pia-latest-changes")
    assert latest is not None and latest.find("li").get_text().startswith("令和3年2月19日")


def test_breadcrumbs_are_a_nav_of_links(make_app, tmp_path):
    app = make_app("html", srcdir=_copy_root(tmp_path))
    app.build()
    page = _soup(app.outdir, "pia/city-a-juki/file-1.html")
    nav = page.find("nav", class_="pia-breadcrumbs")
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == ["評価実施機関と評価書", "テストA市", "住民基本台帳事務 重点項目評価書"]
    assert page.find("h1").get_text().startswith("住民基本台帳ファイル（テストA市）")


def test_removed_objects_leave_the_output(make_app, tmp_path):
    src = _copy_root(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    out = Path(app.outdir)
    assert (out / "pia/city-b-tax/file-1.html").exists()
    shutil.rmtree(src / "content/city-b-tax")
    app2 = make_app("html", srcdir=src)
    app2.build()
    assert not (out / "pia/city-b-tax").exists() or not list((out / "pia/city-b-tax").rglob("*.html"))
    assert (out / "pia/city-a-juki/file-1.html").exists()
    assert not (src / "pia/city-b-tax").exists()


def test_indices_skip_placeholders_and_name_no_empty_qualifier(make_app, tmp_path):
    app = make_app("html", srcdir=_copy_root(tmp_path))
    app.build()
    systems = _soup(app.outdir, "pia-systems.html")
    names = [a.get_text(strip=True) for a in systems.select("table a")]
    assert "申請管理システム" in names
    assert not any("システム3" in n for n in names)  # recorded as missing in the source
    assert not any(t.get_text(strip=True).endswith(":") for t in systems.find_all("strong"))


def test_contractor_names_group_across_notations():
    assert sort_key("(株)TKC") == sort_key("株式会社TKC") == sort_key("ＴＫＣ株式会社") == "TKC"
    assert sort_key("株式会社") == "株式会社"  # nothing but the entity word: kept


def test_bad_law_registry_extra_is_a_warning(make_app, tmp_path):
    src = _copy_root(tmp_path)
    (src / "laws-extra.yaml").write_text("- id: Bad ID\n  name: 例規\n  egov_id: 'javascript:alert(1)'\n", encoding="utf-8")
    (src / "conf.py").write_text((src / "conf.py").read_text(encoding="utf-8") + '\npia_law_registry_extra = ["laws-extra.yaml"]\n', encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = "\n".join(_warnings(app))
    assert "laws-extra.yaml:1" in warnings and "egov_id" in warnings
    assert (Path(app.outdir) / "pia/index.html").exists()
    assert "javascript:" not in "".join(p.read_text(encoding="utf-8") for p in Path(app.outdir).rglob("*.html"))


def test_law_index_is_a_table_and_short(make_app, tmp_path):
    app = make_app("html", srcdir=_copy_root(tmp_path))
    app.build()
    page = _soup(app.outdir, "pia/laws/index.html")
    table = page.find("table", class_="pia-law-index-table")
    names = [tr.find("td").get_text(strip=True) for tr in table.find("tbody").find_all("tr")]
    assert "行政手続における特定の個人を識別するための番号の利用等に関する法律" in names
    assert len(names) == len(set(names))
    # the article trees are there, each behind a closed dropdown
    trees = page.select("details.pia-law-tree")
    assert trees and not any(d.has_attr("open") for d in trees)


def test_two_clean_builds_are_byte_identical(make_app, tmp_path):
    outs = []
    for name in ("a", "b"):
        app = make_app("html", srcdir=_copy_root(tmp_path / name))
        app.build()
        outs.append(Path(app.outdir))
    files = [sorted(p.relative_to(o) for p in o.rglob("*") if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo") for o in outs]
    assert files[0] == files[1] and len(files[0]) > 20
    for rel in files[0]:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel
