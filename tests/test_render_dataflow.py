"""The data-flow picture: its layout (pure), and the SVG and text list Sphinx builds
from the test-render root, whose names are hostile (markup, quotes, &, U+2028)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_pia.render.dataflow import Box, Flow, clean, layout, text_width, wrap

HOSTILE_FILE = "<script>alert(\"f\")</script> & 'q'\u2028ファイル"
HOSTILE_SYSTEM = "<img src=x onerror=alert(1)>\"基幹\" & 'x'\u2028システム"
HOSTILE_CONTRACTOR = "株式会社<script>x</script>&\"'"
HOSTILE_RECIPIENT = "\"><svg onload=alert(1)>提供先"


# -- pure layout ------------------------------------------------------------------


def test_wrap_keeps_every_character_until_the_last_line_and_marks_a_cut():
    text = "あ" * 10 + "い" * 10 + "う" * 10
    lines = wrap(text, 13 * 10)
    assert lines == ["あ" * 10, "い" * 10, "う" * 10]
    cut = wrap(text * 2, 13 * 10)
    assert len(cut) == 3 and cut[-1].endswith("…")
    assert all(text_width(line) <= 13 * 10 for line in cut)


def test_wrap_never_starts_a_line_with_a_closing_mark():
    lines = wrap("あ" * 10 + "。）続き", 13 * 10)
    assert not any(line[0] in "。）" for line in lines)


def test_clean_replaces_line_separators_and_controls():
    assert clean("a\u2028b\u2029c\x00d\u200be") == "a b c d e"


def _flow(n_sources=2, n_out=3) -> Flow:
    return Flow(
        Box("ファイル", "a/file-1"),
        sources=[Box(f"入手元{i}", "a/file-1-ii-3") for i in range(n_sources)],
        systems=[Box("システム", "a/sys-1")],
        recipients=[Box(f"提供先{i}" * 8, f"a/file-1-prov-{i}", "提供先") for i in range(n_out)],
        contractors=[Box("委託先", "a/file-1-ent-1", "保守")],
    )


@pytest.mark.parametrize("mode", ["wide", "narrow"])
def test_layout_boxes_fit_and_do_not_overlap(mode):
    lay = layout(_flow(), mode)
    boxes = lay["boxes"]
    assert len(boxes) == 2 + 1 + 1 + 3 + 1
    for b in boxes:
        assert 0 <= b["x"] and b["x"] + b["w"] <= lay["width"], b
        assert 0 <= b["y"] and b["y"] + b["h"] <= lay["height"], b
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
            assert apart, (a["title"], b["title"])


def test_wide_layout_arrows_run_from_sources_to_file_to_recipients():
    lay = layout(_flow(2, 3), "wide")
    arrows = [e for e in lay["edges"] if e["arrow"]]
    assert len(arrows) == 2 + 3 + 1  # sources in, recipients and the contractor out
    file_box = next(b for b in lay["boxes"] if b["kind"] == "file")
    into_file = [e for e in arrows if e["to"][0] == file_box["x"]]
    assert len(into_file) == 2


def test_empty_groups_say_so_rather_than_vanish():
    lay = layout(Flow(Box("ファイル", "a/file-1")), "wide")
    empty = [b["title"] for b in lay["boxes"] if b["kind"] == "empty"]
    assert any("入手元の記載なし" in t for t in empty) and any("提供先・移転先の記載なし" in t for t in empty)
    assert "入手元の記載なし" in lay["desc"]


# -- through Sphinx ---------------------------------------------------------------


@pytest.fixture
def page(app):
    app.build()

    def read(name: str) -> BeautifulSoup:
        return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")

    return read


@pytest.mark.sphinx("html", testroot="render")
def test_build_is_clean(app, warning):
    app.build()
    assert warning.getvalue().strip() == ""


@pytest.mark.sphinx("html", testroot="render")
def test_svg_escapes_hostile_names(app, page):
    soup = page("pia/city-h/file-1.html")
    svg = soup.select_one(".pia-dataflow svg")
    assert svg is not None
    # nothing from the data became markup or an event handler
    assert svg.find_all(["script", "img", "b"]) == [] and len(svg.find_all("svg")) == 0
    assert not [t for t in svg.find_all(True) if any(k.startswith("on") for k in t.attrs)]
    titles = [a.title.get_text() for a in svg.find_all("a")]
    for name in (HOSTILE_FILE, HOSTILE_SYSTEM, HOSTILE_CONTRACTOR, HOSTILE_RECIPIENT):
        assert any(clean(name) in t for t in titles), name
    raw = (Path(app.outdir) / "pia/city-h/file-1.html").read_text(encoding="utf-8")
    svg_text = raw[raw.index('<svg xmlns="http://www.w3.org/2000/svg" class="pia-dataflow-svg"'):]
    svg_text = svg_text[: svg_text.index("</svg>")]
    assert "\u2028" not in svg_text
    assert "<script>" not in svg_text and "&lt;script&gt;" in svg_text


@pytest.mark.sphinx("html", testroot="render")
def test_every_box_links_to_an_anchor_that_exists(app, page):
    soup = page("pia/city-h/file-1.html")
    links = soup.select(".pia-dataflow svg a")
    assert len(links) == 7  # 2 sources, the file, 1 system, 2 recipients, 1 contractor
    base = Path(app.outdir) / "pia/city-h"
    for a in links:
        target, _, anchor = a["href"].partition("#")
        other = page(f"pia/city-h/{target}") if target else soup
        assert other.find(id=anchor) is not None, a["href"]
    assert base.exists()


@pytest.mark.sphinx("html", testroot="render")
def test_picture_has_a_name_and_a_text_list(app, page):
    soup = page("pia/city-h/file-1.html")
    svg = soup.select_one(".pia-dataflow svg")
    assert svg["role"] == "group"
    title = soup.find(id=svg["aria-labelledby"])
    assert title is not None and "データの流れ" in title.get_text()
    assert soup.find(id=svg["aria-describedby"]) is not None
    text = soup.select_one(".pia-dataflow-text").get_text()
    assert "入手元" in text and "委託先" in text and HOSTILE_CONTRACTOR in text
    # the list links each party too
    assert len(soup.select(".pia-dataflow-text a")) >= 6


@pytest.mark.sphinx("html", testroot="render")
def test_assessment_page_shows_each_files_flow(app, page):
    soup = page("pia/city-h/index.html")
    cells = soup.select("#dataflow .pia-dataflow-cell")
    assert len(cells) == 1
    assert cells[0].select_one("svg.pia-dataflow-svg") is not None
    assert cells[0].select_one(".pia-dataflow-caption a")["href"].endswith("file-1.html#file-1")
    # two pictures on one page never share an id
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


@pytest.mark.sphinx("text", testroot="render")
def test_text_builder_gets_the_list_only(app):
    app.build()
    out = (Path(app.outdir) / "pia/city-h/file-1.txt").read_text(encoding="utf-8")
    assert "<svg xmlns" not in out and "viewBox" not in out and "marker-end" not in out
    assert "委託先: " in out and HOSTILE_CONTRACTOR in out


def test_file_flow_reads_sources_merges_parties_and_keeps_tasks():
    from sphinx_pia.index import SiteIndex
    from sphinx_pia.loader import load_content
    from sphinx_pia.render.dataflow import file_flow

    root = Path(__file__).resolve().parents[1]
    site = SiteIndex(load_content(root / "content"))
    a = site.assessments["hanamaki-kojin-juminzei"]
    flow = file_flow(site, a.id, a.files[0])
    sources = [b.label for b in flow.sources]
    # the checked options, each with what its parentheses print
    assert sources[0] == "評価実施機関内の他部署（市民生活部市民登録課、健康福祉部地域福祉課）"
    assert all(b.sub == "チェック状態は推定" for b in flow.sources)  # the extraction lost the checkmarks
    provisions = sum(len(s.provisions) + len(s.transfers) for s in a.files[0].overview.sections)
    assert sum(b.count for b in flow.recipients) == provisions  # merged, none lost
    assert next(b for b in flow.recipients if b.label == "厚生労働大臣").count == 2
    center = next(b for b in flow.contractors if "花巻地域農業管理センター" in b.label)
    assert center.sub == "委託事項 2件" and center.count == 1
    assert len(flow.systems) == len(site.file_systems[f"{a.id}/{a.files[0].id}"])
