"""Generated pages of the reviewer tools, declared with the page-kind API of pages.py.

=============================  ================================================
docname (under pia_output_dir)  page
=============================  ================================================
``<aid>/findings``              点検結果 of one assessment
``findings``                    点検一覧 (every finding; filterable)
``timeline``                    変更の時系列 (every 変更箇所 row)
``data``                        オープンデータ (downloads and columns)
``<aid>/versions``              the versions of an assessment (when it has some)
``<aid>/diff/<old>--<new>``     the diff of two versions
``<aid>/history``               every item's history (versions, else 変更箇所)
=============================  ================================================

The review data (findings, versions) is computed once per build in the
``pia-plan-pages`` handler and kept beside the site index it belongs to.
"""

from __future__ import annotations

import posixpath
import weakref
from dataclasses import replace

from docutils import nodes

from ..check import rules
from ..index import SiteIndex
from ..render.hooks import ASSESSMENT_LINKS, HOME_LINKS, ITEM_LINKS
from ..render.home import doc_link
from ..versions import VersionHistory, change_history, diff
from .pages import PageKind, PageSpec, assessment_data, digest, register_page_kind

#: site index → its Review (sphinx_ext.review.Review); weak, so an old build's index goes
REVIEW_OF: "weakref.WeakKeyDictionary[SiteIndex, object]" = weakref.WeakKeyDictionary()

HOME = ("index", "評価実施機関と評価書")
SITE_PAGES = ("findings", "timeline", "data")


def _review(site: SiteIndex):
    review = REVIEW_OF.get(site)
    if review is None:
        raise LookupError("review data")
    return review


def _titles(site: SiteIndex) -> dict[str, str]:
    """Link texts: an item inside a file names its file too (「住民基本台帳ファイル › 5. …」)."""
    out = {}
    for gid, rec in site.objects.items():
        title = rec.title
        if rec.file and rec.file != gid and rec.file in site.objects:
            title = f"{site.objects[rec.file].title} › {title}"
        out[gid] = title
    return out


def _in_assessment(site: SiteIndex, aid: str) -> list[tuple[str, str]]:
    a = site.assessments[aid]
    org = a.doc.organization
    return [HOME, (f"orgs/{org.id}", org.name), (f"{aid}/index", a.title)]


def _assessment(site: SiteIndex, aid: str):
    a = site.assessments.get(aid)
    if a is None:
        raise LookupError(aid)
    return a


def _history_items(site: SiteIndex, aid: str) -> list[str]:
    """Local IDs that have a history: a diff between versions, or 変更箇所 before/after texts."""
    review = _review(site)
    items = list(change_history(site.assessments[aid]))
    versions = review.versions.get(aid)
    if versions:
        items = list(dict.fromkeys([*VersionHistory(versions).changed_items(), *items]))
    return [i for i in items if f"{aid}/{i}" in site.objects]


# --- page bodies ---------------------------------------------------------------------------


def _findings_page(r, site: SiteIndex, aid: str) -> list[nodes.Node]:
    from ..render.findings import assessment_findings

    a = _assessment(site, aid)
    review = _review(site)
    intro = nodes.paragraph("", "", nodes.Text(f"基準日 {review.today.isoformat()} の点検結果。評価書: "), r.link("assessment", aid, a.title))
    mine = [f for f in review.findings if f.assessment == aid]
    return [intro, *assessment_findings(mine, _titles(site), r.warn_missing)]


def _findings_index_page(r, site: SiteIndex, _target: str) -> list[nodes.Node]:
    from ..render.findings import findings_index

    review = _review(site)
    orgs = {a.doc.organization.id: a.doc.organization.name for a in site.assessments.values()}
    intro = nodes.paragraph("", f"基準日 {review.today.isoformat()}。各評価書の点検結果を、規則の根拠とともに一覧にしたもの。")
    return [intro, *findings_index(review.findings, rules(), _titles(site), orgs, r.warn_missing)]


def _timeline_page(r, site: SiteIndex, _target: str) -> list[nodes.Node]:
    from ..render.timeline import timeline_nodes

    return timeline_nodes(site.timeline(), _titles(site), r.warn_missing)


def _open_data_page(r, site: SiteIndex, _target: str) -> list[nodes.Node]:
    from ..render.opendata import opendata_nodes

    review = _review(site)
    return opendata_nodes(posixpath.relpath(review.open_data_dir, r.root), review.open_data_bom)


def _versions_page(r, site: SiteIndex, aid: str) -> list[nodes.Node]:
    from ..render.versions import versions_list

    a = _assessment(site, aid)
    versions = _review(site).versions.get(aid, [])
    out: list[nodes.Node] = [nodes.paragraph("", "", nodes.Text("評価書: "), r.link("assessment", aid, a.title))]
    out.append(versions_list(versions, aid))
    lst = nodes.bullet_list(classes=["pia-diff-links"])
    for i, old in enumerate(versions):
        for new in versions[i + 1:]:
            item = nodes.list_item()
            item += nodes.paragraph("", "", doc_link(f"{r.root}/{aid}/diff/{old.id}--{new.id}", f"{old.label} → {new.label} の比較"))
            lst += item
    out.append(nodes.rubric("版の比較", "版の比較"))
    out.append(lst)
    return out


def _diff_versions(site: SiteIndex, target: str):
    aid, _, pair = target.partition("/")
    old_id, _, new_id = pair.partition("--")
    versions = {v.id: v for v in _review(site).versions.get(aid, [])}
    if old_id not in versions or new_id not in versions:
        raise LookupError(target)
    return aid, versions[old_id], versions[new_id]


def _diff_page(r, site: SiteIndex, target: str) -> list[nodes.Node]:
    from ..render.versions import diff_table

    aid, old, new = _diff_versions(site, target)
    changes = diff(old.assessment, new.assessment)
    head = nodes.paragraph("", f"{old.label} と {new.label} の記載を項目ごとに比べたもの（空白と改行の違いは数えない）。違い {len(changes)} 件。")
    return [head, diff_table(changes, aid, _titles(site), r.warn_missing),
            nodes.paragraph("", "", doc_link(f"{r.root}/{aid}/versions", "版の一覧へ"))]


def _history_page(r, site: SiteIndex, aid: str) -> list[nodes.Node]:
    from ..render.versions import diff_table, history_nodes

    a = _assessment(site, aid)
    review = _review(site)
    titles = _titles(site)
    table_history = change_history(a)
    versions = review.versions.get(aid)
    by_version = VersionHistory(versions).changed_items() if versions else {}
    out: list[nodes.Node] = [nodes.paragraph("", "", nodes.Text("評価書: "), r.link("assessment", aid, a.title))]
    for local in _history_items(site, aid):
        gid = f"{aid}/{local}"
        title = titles.get(gid, local)
        # an anchor per item, entered in the pia domain so the item's own page links here
        sec = nodes.section(ids=[r.register(f"{aid}/history/{local}", f"h-{local}", "section", f"{title} の履歴")])
        sec += nodes.title(title, title)
        sec += nodes.paragraph("", "", nodes.Text("項目: "), r.link("ref", gid, title))
        for older, newer, change in by_version.get(local, []):
            sec += nodes.paragraph("", "", doc_link(f"{r.root}/{aid}/diff/{older.id}--{newer.id}", f"{older.label} → {newer.label}"))
            sec += diff_table([change], aid, titles, r.warn_missing)
        sec.extend(history_nodes(table_history.get(local, []), aid, r.warn_missing))
        out.append(sec)
    return out


def _title(fmt: str):
    return lambda site, aid: fmt.format(title=_assessment(site, aid).title)


def _diff_title(site: SiteIndex, target: str) -> str:
    aid, old, new = _diff_versions(site, target)
    return f"{site.assessments[aid].title} 版の比較（{old.label} → {new.label}）"


KINDS = {
    "findings": PageKind(title=_title("{title} 点検結果"), render=_findings_page, crumbs=_in_assessment),
    "findings-index": PageKind(title=lambda site, _: "点検一覧", render=_findings_index_page, crumbs=lambda site, _: [HOME]),
    "timeline": PageKind(title=lambda site, _: "変更の時系列", render=_timeline_page, crumbs=lambda site, _: [HOME]),
    "open-data": PageKind(title=lambda site, _: "オープンデータ", render=_open_data_page, crumbs=lambda site, _: [HOME]),
    "versions": PageKind(title=_title("{title} 版の一覧"), render=_versions_page, crumbs=_in_assessment),
    "diff": PageKind(title=_diff_title, render=_diff_page, crumbs=lambda site, t: _in_assessment(site, t.partition("/")[0])),
    "history": PageKind(title=_title("{title} 項目の履歴"), render=_history_page, crumbs=_in_assessment),
}


# --- planning ------------------------------------------------------------------------------


def plan_review_pages(site: SiteIndex, pages: dict[str, PageSpec], review) -> None:
    """Add the reviewer pages to ``pages``; the site-wide ones go into the home page's toctree."""
    REVIEW_OF[site] = review
    # the digest of each assessment's own data, as its pages were planned with
    data = {aid: pages[f"{aid}/index"].digest if f"{aid}/index" in pages else digest(assessment_data(a)) for aid, a in site.assessments.items()}
    findings = [f.as_dict() for f in review.findings]
    extras: dict[str, str] = {}
    by_assessment: dict[str, list[dict]] = {}
    for f in findings:
        by_assessment.setdefault(f["assessment"], []).append(f)
    for aid, a in site.assessments.items():
        mine = by_assessment.get(aid, [])
        pages[f"{aid}/findings"] = PageSpec("findings", aid, digest(data[aid], mine, review.today))
        versions = review.versions.get(aid)
        vdata = [(v.id, digest(assessment_data(v.assessment))) for v in versions] if versions else []
        if versions:
            pages[f"{aid}/versions"] = PageSpec("versions", aid, digest(data[aid], vdata))
            for i, old in enumerate(versions):
                for new in versions[i + 1:]:
                    pages[f"{aid}/diff/{old.id}--{new.id}"] = PageSpec("diff", f"{aid}/{old.id}--{new.id}", digest(data[aid], vdata))
        items = _history_items(site, aid)
        review.history_items[aid] = set(items)
        if items:
            pages[f"{aid}/history"] = PageSpec("history", aid, digest(data[aid], vdata))
        # the assessment's own pages link to these (counts, history anchors): their digest
        # must change when the versions or the findings do, or an incremental build keeps them stale
        extras[aid] = digest(vdata, len(mine), sorted(items))
    for name, spec in list(pages.items()):
        owner = spec.target.split("/", 1)[0]
        if spec.kind not in KINDS and owner in extras:
            pages[name] = replace(spec, digest=digest(spec.digest, extras[owner]))
    # The two site-wide pages depend on what they list and the titles they show, not on
    # every datum of every assessment: an edit elsewhere leaves them as they are.
    titles = _titles(site)
    orgs = sorted((a.doc.organization.id, a.doc.organization.name) for a in site.assessments.values())
    shown = {f["target"] for f in findings} | {f["assessment"] for f in findings}
    pages["findings"] = PageSpec("findings-index", "", digest(findings, orgs, review.today, [(g, titles.get(g)) for g in sorted(shown)]), orphan=False)
    rows = site.timeline()
    targets = sorted({g for row in rows for g in (*row.targets, row.gid, row.assessment)})
    # a row's repr names every field (dataclasses.asdict copied each row deeply: a second per build at 200)
    pages["timeline"] = PageSpec("timeline", "", digest([repr(row) for row in rows], [(g, titles.get(g)) for g in targets]), orphan=False)
    pages["data"] = PageSpec("open-data", "", digest(review.open_data_dir, review.open_data_bom), orphan=False)
    home = pages.get("index")
    if home is not None:
        pages["index"] = replace(home, digest=digest(home.digest, len(findings)), children=tuple(dict.fromkeys([*home.children, *SITE_PAGES])))


def _assessment_links(r, a) -> list[nodes.list_item]:
    review = REVIEW_OF.get(r.site)
    if review is None:
        return []
    n = sum(1 for f in review.findings if f.assessment == a.id)
    out = []
    entries = [(f"{a.id}/findings", f"点検結果（{n}件）")]
    if review.versions.get(a.id):
        entries.append((f"{a.id}/versions", f"版の一覧（{len(review.versions[a.id])}版）"))
    if review.history_items.get(a.id):
        entries.append((f"{a.id}/history", f"項目の履歴（{len(review.history_items[a.id])}項目）"))
    for docname, text in entries:
        item = nodes.list_item()
        item += nodes.paragraph("", "", doc_link(f"{r.root}/{docname}", text))
        out.append(item)
    return out


def _item_links(r, gid: str) -> list[nodes.Node]:
    review = REVIEW_OF.get(r.site)
    aid, _, local = gid.partition("/")
    if review is None or not local or aid not in r.site.assessments:
        return []
    if local not in review.history_items.get(aid, ()):
        return []
    para = nodes.paragraph(classes=["pia-item-history-link"])
    para += r.link("ref", f"{aid}/history/{local}", "この項目の履歴（以前の記載）")
    return [para]


def _home_links(r) -> list[nodes.list_item]:
    review = REVIEW_OF.get(r.site)
    if review is None:
        return []
    out = []
    for docname, text in (
        ("findings", f"点検一覧（{len(review.findings)}件。規則・実施機関で絞り込み）"),
        ("timeline", "変更の時系列（すべての変更箇所を変更日順に）"),
        ("data", "オープンデータ（JSON・CSV）"),
    ):
        item = nodes.list_item()
        item += nodes.paragraph("", "", doc_link(f"{r.root}/{docname}", text))
        out.append(item)
    return out


def setup_review_pages() -> None:
    for name, kind in KINDS.items():
        register_page_kind(name, kind)
    if _assessment_links not in ASSESSMENT_LINKS:
        ASSESSMENT_LINKS.append(_assessment_links)
    if _item_links not in ITEM_LINKS:
        ITEM_LINKS.append(_item_links)
    if _home_links not in HOME_LINKS:
        HOME_LINKS.append(_home_links)
