"""The home page's guide and the law index, as docutils nodes.

The guide lists every organization with its assessments (form, 事務名, 公表日 in
和暦 and ISO, status), offers the search box and the ways in (法令索引, indices),
and the latest change entries.  Every string from the content is a text node.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..dates import parse_date
from ..index import SiteIndex
from .nodes import date_nodes, dropdown
from .hooks import HOME_LINKS
from .site_nodes import SearchBox
from .tables import table

STATUS_LABELS = {"published": "公表", "draft": "評価書(案)", "fragment": "断片"}

#: std labels Sphinx gives the pia domain's indices, with their titles
INDEX_LABELS = (
    ("pia-systems", "システム索引"),
    ("pia-files", "特定個人情報ファイル索引"),
    ("pia-recipients", "提供先・移転先索引"),
    ("pia-contractors", "委託先索引"),
)


def doc_link(docname: str, text: str) -> addnodes.pending_xref:
    """A link to a document by its absolute docname, resolved by Sphinx's std domain."""
    node = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True, refwarn=True)
    node += nodes.inline(text, text, classes=["xref", "std", "std-doc"])
    return node


def label_link(label: str, text: str) -> addnodes.pending_xref:
    node = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=label, refexplicit=True, refwarn=True)
    node += nodes.inline(text, text, classes=["xref", "std", "std-ref"])
    return node


class HomePages:
    """Needs ``self.site`` (a SiteIndex) and ``self.link``; mixed into the Renderer."""

    site: SiteIndex

    def ways_in(self, law_index: str) -> nodes.Element:
        """The search box and the entries to the law index and the indices."""
        box = nodes.container(classes=["pia-ways-in"])
        box += SearchBox()
        lst = nodes.bullet_list(classes=["pia-entry-links"])
        item = nodes.list_item()
        item += nodes.paragraph("", "", doc_link(law_index, "法令索引（法令・条項ごとに、引用しているすべての項目）"))
        lst += item
        for label, title in INDEX_LABELS:
            item = nodes.list_item()
            item += nodes.paragraph("", "", label_link(label, title))
            lst += item
        for hook in self.page_hooks(HOME_LINKS):
            for item in hook(self):
                lst += item
        box += lst
        return box

    def assessment_table(self, aids: list[str], with_org: bool = True) -> nodes.table:
        rows = []
        for aid in aids:
            a = self.site.assessments[aid]
            business = a.cover_item("business_name")
            published = a.cover_item("published_on")
            cells: list[list[nodes.Node]] = []
            if with_org:
                org = a.doc.organization
                cells.append([self.link("org", f"org/{org.id}", org.name)])
            # the 事務の名称 as printed names the assessment best; the title when the cover lacks it
            name = business.text if business is not None and business.text else a.title
            cells.append([self.link("assessment", aid, name)])
            cells.append([nodes.Text(a.doc.form.kind.label)])
            cells.append(date_nodes(published.text) if published is not None and published.text else [nodes.Text("（空欄）")])
            cells.append([nodes.Text(STATUS_LABELS[a.doc.status.value])])
            rows.append(cells)
        headers = (["評価実施機関"] if with_org else []) + ["事務の名称", "評価書の種類", "公表日", "状態"]
        widths = ([16] if with_org else []) + [40, 16, 18, 10]
        return table(headers, [(cells, []) for cells in rows], ("pia-assessment-table",), widths)

    def latest_changes(self, limit: int = 10) -> list[nodes.Node]:
        """The change entries with the latest dates, newest first."""
        dated = []
        for rec in self.site.by_kind("change"):
            parsed = parse_date(rec.obj.date.text)
            if parsed is not None:
                dated.append((parsed.iso, rec.gid, rec))
        dated.sort(key=lambda t: (t[0], t[1]), reverse=True)
        if not dated:
            return []
        lst = nodes.bullet_list(classes=["pia-latest-changes"])
        for _, gid, rec in dated[:limit]:
            a = self.site.assessments[rec.assessment]
            para = nodes.paragraph()
            para.extend(date_nodes(rec.obj.date.text))
            para += nodes.Text(" ")
            para += self.link("assessment", a.id, a.title)
            para += nodes.Text("：")
            para += self.link("change", gid, rec.obj.item.text or rec.title)
            item = nodes.list_item()
            item += para
            lst += item
        return [lst]

    def home_page(self, law_index: str, intro: bool = True) -> list[nodes.Node]:
        """The guide; ``intro`` off where the page around it says what the site is."""
        site = self.site
        text = ("特定個人情報保護評価書を、評価実施機関、法令上の根拠、システム、特定個人情報ファイル、"
                "提供先・移転先、委託先から引けるようにしたものです。")
        out: list[nodes.Node] = ([nodes.paragraph(text, text)] if intro else []) + [self.ways_in(law_index)]
        sec = nodes.section(ids=["pia-organizations"])
        sec += nodes.title("評価実施機関と評価書", "評価実施機関と評価書")
        order = [aid for oid in sorted(site.organizations) for aid in sorted(site.organizations[oid])]
        sec += self.assessment_table(order)
        out.append(sec)
        changes = self.latest_changes()
        if changes:
            sec = nodes.section(ids=["pia-latest-changes"])
            sec += nodes.title("最近の変更箇所", "最近の変更箇所")
            sec.extend(changes)
            out.append(sec)
        return out

    def law_index_page(self) -> list[nodes.Node]:
        """Every cited law in 五十音 order: a table to scan, then each law's cited articles,
        tables and rows as a tree behind a closed dropdown (the page stays short)."""
        site = self.site
        roots = [g for g, r in site.laws.items() if r.parent() is None]

        def order(lgid: str) -> tuple:
            law = site.registry.get(site.laws[lgid].law)
            key = getattr(law, "sort_key", None) or (law.name if law else site.law_label(lgid))
            return (lgid.startswith("law/unknown-"), key, lgid)

        roots.sort(key=order)
        intro = f"評価書が法令上の根拠などとして引用している法令 {len(roots)} 件です。法令名から、その法令を引用している項目の一覧へ進めます。"
        out: list[nodes.Node] = [nodes.paragraph(intro, intro)]
        rows = []
        for lgid in roots:
            law = site.registry.get(site.laws[lgid].law)
            short = law.short_name if law and law.short_name != law.name else ""
            articles = len(site.law_children(lgid))
            rows.append([
                [self.link("law", lgid, law.name if law else site.law_label(lgid))],
                [nodes.Text(short)],
                [nodes.Text(f"{len(site.citations.get(lgid, []))}件")],
                [nodes.Text(f"{articles}件" if articles else "なし")],
            ])
        out.append(table(["法令名", "略称", "引用", "引用されている条項など"], [(cells, []) for cells in rows], ("pia-law-index-table",)))
        sec = nodes.section(ids=["pia-law-trees"])
        sec += nodes.title("条項ごとの引用", "条項ごとの引用")
        for lgid in roots:
            tree = self.law_tree(lgid, recursive=True)
            if tree is None:
                continue
            law = site.registry.get(site.laws[lgid].law)
            title = law.name if law else site.law_label(lgid)
            total = sum(1 for _ in tree.findall(nodes.list_item))
            sec += dropdown(f"{title}（{total}件の条項など）", [tree], ("pia-law-tree",))
        out.append(sec)
        return out
