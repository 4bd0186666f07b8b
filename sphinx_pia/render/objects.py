"""Render assessment objects into docutils nodes.

A :class:`Renderer` walks the model and returns node lists; it records each
object it gives an anchor to in ``self.registered`` so that the Sphinx layer
can enter them into the pia domain.  It never touches Sphinx's environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes
from sphinx_design.shared import create_component

from ..index import SiteIndex, system_name
from ..model import Assessment, Entity, Part, Provision, Section, SpecificFile, System
from ..model.entities import Annex
from .changes import ChangePages
from .dataflow import FlowPages
from .home import HomePages
from .hooks import ASSESSMENT_LINKS, ITEM_LINKS
from .laws import KIND_LABELS, LawPages
from .nodes import DETAIL, badge, card, detail_note, dropdown, fields_list, gap_badge, provenance, xref


EVALUATION_COLORS = {"特に力を入れている": "success", "十分である": "primary", "課題が残されている": "danger"}


@dataclass
class Registered:
    gid: str
    anchor: str
    kind: str
    title: str


@dataclass
class Renderer(LawPages, HomePages, FlowPages, ChangePages):
    site: SiteIndex
    registered: list[Registered] = field(default_factory=list)
    systems_as_links: bool = False
    #: warn about links to objects not documented in this project (true when pages are generated)
    warn_missing: bool = True
    #: the folder of generated pages (pia_output_dir), for links to them by docname
    root: str = "pia"

    def link(self, kind: str, target: str, text: str):
        return xref(kind, target, text, warn=self.warn_missing)

    def page_hooks(self, hooks: list) -> list:
        """Links to pages other modules generate: only where pages are generated."""
        return hooks if self.warn_missing else []

    def register(self, gid: str, anchor: str, kind: str, title: str) -> str:
        self.registered.append(Registered(gid, anchor, kind, title))
        return anchor

    # -- building blocks -------------------------------------------------------

    def section(self, gid: str, anchor: str, kind: str, title: str, children: list[nodes.Node]) -> nodes.section:
        sec = nodes.section(ids=[self.register(gid, anchor, kind, title)])
        sec += nodes.title(title, title)
        sec.extend(children)
        return sec

    def change_history(self, gid: str, include_children: bool = True) -> list[nodes.Node]:
        """The 変更履歴 of a section or object: links to each change entry that targets it."""
        entries = self.site.changes_for(gid, include_children)
        extra = [node for hook in self.page_hooks(ITEM_LINKS) for node in hook(self, gid)]
        if not entries:
            return extra
        lst = nodes.bullet_list(classes=["pia-history"])
        for cgid in entries:
            rec = self.site.objects[cgid]
            entry = rec.obj
            date = entry.date.text or "日付なし"
            item = nodes.list_item()
            para = nodes.paragraph()
            para += self.link("change", cgid, f"{date}: {rec.title}")
            timing = entry.timing.text
            if timing:
                para += nodes.Text(" ")
                para += badge(timing, "secondary")
            if entry.resolution.value == "suspect":
                para += nodes.Text(" ")
                para += badge("対応付けに疑義", "warning")
            item += para
            lst += item
        return [dropdown(f"変更履歴（{len(entries)}件）", [lst], ("pia-change-history",)), *extra]

    def link_line(self, label: str, kind: str, gids: list[str], classes: list[str]) -> nodes.paragraph:
        """「label: A、B、C」 with each a link, or a 記録なし badge."""
        para = nodes.paragraph(classes=classes)
        para += nodes.Text(label)
        if not gids:
            para += badge("記録なし", "light")
        for i, gid in enumerate(gids):
            if i:
                para += nodes.Text("、")
            para += self.link(kind, gid, self.site.objects[gid].title)
        return para

    def legal_links(self, owner_gid: str) -> list[nodes.Node]:
        laws = self.site.cited_laws.get(owner_gid, [])
        if not laws:
            return []
        para = nodes.paragraph(classes=["pia-legal-links"])
        para += nodes.Text("法令上の根拠のページ: ")
        for i, lgid in enumerate(laws):
            if i:
                para += nodes.Text("、")
            para += self.link("law", lgid, self.site.law_label(lgid))
        return [para]

    def part_body(self, aid: str, part: Part, counts: dict[int, int] | None = None, file: SpecificFile | None = None) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        out.extend(provenance(part))
        if part.gap:
            out.append(nodes.paragraph("", "", gap_badge(part.gap, part.note)))
        elif part.note:
            out.append(detail_note(part.note))
        if part.items:
            out.append(fields_list(part.items))
        for sec in part.sections:
            out.append(self.render_section(aid, sec, file))
        return out

    def render_section(self, aid: str, sec: Section, file: SpecificFile | None = None) -> nodes.section:
        gid = f"{aid}/{sec.id}"
        title = f"{sec.no}. {sec.title}" if sec.no and sec.title else (sec.title or f"{sec.no}.")
        children: list[nodes.Node] = list(provenance(sec))
        if sec.gap:
            children.append(nodes.paragraph("", "", gap_badge(sec.gap, sec.note)))
        elif sec.note:
            children.append(detail_note(sec.note))
        if sec.choice is not None:
            # the checkbox printed on the heading line (「[ ] 委託しない」)
            choice = sec.choice if sec.choice.label else sec.choice.model_copy(update={"label": "見出しのチェック欄"})
            children.append(fields_list([choice]))
        counts = self._declared_counts(aid, sec)
        if sec.items:
            children.append(fields_list(sec.items, counts))
        children.extend(self.legal_links(gid))
        if sec.systems and self.systems_as_links:
            # The overview lists I.2's systems; each is documented on the systems page.
            lst = nodes.bullet_list(classes=["pia-system-list"])
            for sys in sec.systems:
                item = nodes.list_item()
                label = sys.title.label if sys.title and sys.title.label else f"システム{sys.no or ''}"
                para = nodes.paragraph()
                para += badge(label, "dark")
                para += nodes.Text(" ")
                para += self.link("system", f"{aid}/{sys.id}", system_name(sys) or label)
                if sys.gap:
                    para += nodes.Text(" ")
                    para += gap_badge(sys.gap)
                item += para
                lst += item
            children.append(lst)
        else:
            for sys in sec.systems:
                children.append(self.render_system(aid, sys))
        for ent in sec.entrustments:
            children.append(self.render_entity(aid, ent, "entrustment"))
        for prov in sec.provisions:
            children.append(self.render_provision(aid, prov, "provision"))
        for tran in sec.transfers:
            children.append(self.render_provision(aid, tran, "transfer"))
        for risk in sec.risks:
            children.append(self.render_risk(aid, risk))
        children.extend(self.change_history(gid))
        return self.section(gid, sec.id, "section", title, children)

    def _declared_counts(self, aid: str, sec: Section) -> dict[int, int]:
        """Map each declared count field (by id) to the number of rows present, so a
        mismatch shows.  提供/移転 counts compare with the entries or their annex rows."""
        counts: dict[int, int] = {}
        for item in sec.items:
            for node in item.walk():
                if node.count is None:
                    continue
                label = (node.label or "") + (node.count.raw or "")
                if "委託" in label:
                    counts[id(node)] = len(sec.entrustments)
                elif "移転" in label:
                    counts[id(node)] = self._rows(aid, sec.transfers)
                elif "提供" in label:
                    counts[id(node)] = self._rows(aid, sec.provisions)
        return counts

    def _rows(self, aid: str, entries: list[Provision]) -> int:
        total = 0
        for prov in entries:
            annex = self.site.objects.get(f"{aid}/{prov.annex}") if prov.annex else None
            total += len(annex.obj.rows) if annex is not None else 1
        return total

    def entity_title(self, ent: Entity, kind: str) -> list[nodes.Node]:
        label = ent.title.label if ent.title and ent.title.label else f"{KIND_LABELS[kind]}{ent.no or ''}"
        out: list[nodes.Node] = [badge(label, "dark")]
        if ent.title and ent.title.text:
            out += [nodes.Text(" "), nodes.Text(ent.title.text)]
        return out

    def render_entity(self, aid: str, ent: Entity, kind: str, extra: list[nodes.Node] | None = None) -> nodes.container:
        gid = f"{aid}/{ent.id}"
        rec = self.site.objects.get(gid)
        self.register(gid, ent.id, kind, rec.title if rec else ent.id)
        body: list[nodes.Node] = list(provenance(ent))
        if ent.title is not None and ent.title.note:
            # a note on the heading cell (where its label and text were printed)
            body.append(detail_note(ent.title.note))
        if ent.gap:
            body.append(nodes.paragraph("", "", gap_badge(ent.gap, ent.note)))
        elif ent.note:
            body.append(detail_note(ent.note))
        if ent.items:
            body.append(fields_list(ent.items))
        body.extend(extra or [])
        body.extend(self.change_history(gid))
        return card([ent.id], self.entity_title(ent, kind), body, (f"pia-{kind}",))

    def render_provision(self, aid: str, prov: Provision, kind: str) -> nodes.container:
        gid = f"{aid}/{prov.id}"
        extra = self.legal_links(gid)
        if prov.annex:
            annex_rec = self.site.objects.get(f"{aid}/{prov.annex}")
            if annex_rec:
                para = nodes.paragraph()
                para += nodes.Text("この項目は別紙の行を代表します: ")
                para += self.link("annex", annex_rec.gid, f"{annex_rec.title}（{len(annex_rec.obj.rows)}行）")
                extra.append(para)
        return self.render_entity(aid, prov, kind, extra)

    def render_risk(self, aid: str, risk: Entity) -> nodes.container:
        evaluation = risk.get("evaluation")
        extra: list[nodes.Node] = []
        node = self.render_entity(aid, risk, "risk", extra)
        if evaluation is not None and evaluation.select is not None:
            value = evaluation.select.value
            header = node[0][0]
            header += nodes.Text(" ")
            header += badge(f"評価: {value}" if value else "評価: 原文に記載なし", EVALUATION_COLORS.get(value or "", "warning"), ("pia-evaluation",))
        return node

    def render_system(self, aid: str, sys: System) -> nodes.container:
        gid = f"{aid}/{sys.id}"
        extra: list[nodes.Node] = []
        extra.append(self.link_line("取り扱う特定個人情報ファイル: ", "file", self.site.system_files.get(gid, []), ["pia-system-files"]))
        links = self.site.system_links.get(gid, [])
        if links:
            para = nodes.paragraph(classes=["pia-system-connections"])
            para += nodes.Text("接続先システム: ")
            for i, (_, target) in enumerate(links):
                if i:
                    para += nodes.Text("、")
                para += self.link("system", target, self.site.objects[target].title)
            extra.append(para)
        return self.render_entity(aid, sys, "system", extra)

    # -- pages -----------------------------------------------------------------

    def assessment_overview(self, a: Assessment) -> list[nodes.Node]:
        aid = a.id
        doc = a.doc
        self.systems_as_links = bool(a.systems)
        self.register(aid, "pia-assessment", "assessment", a.title)
        head = nodes.paragraph(classes=["pia-badges"], ids=["pia-assessment"])
        head += badge(doc.form.kind.label, "primary")
        head += nodes.Text(" ")
        head += badge({"published": "公表", "draft": "評価書(案)", "fragment": "断片"}[doc.status.value], "info" if doc.status.value == "published" else "warning")
        head += nodes.Text(" 評価実施機関: ")
        head += self.link("org", f"org/{doc.organization.id}", doc.organization.name)
        out: list[nodes.Node] = [head]
        meta = nodes.definition_list(classes=["pia-fields"])
        rows = [("様式", doc.form.kind.label + f"（様式{doc.form.kind.style_no}）")]
        for label, value in rows:
            item = nodes.definition_list_item()
            item += nodes.term(label, label)
            item += nodes.definition("", nodes.paragraph(value, value))
            meta += item
        stamp = doc.form.stamp
        out.append(meta)
        out.append(nodes.paragraph("", f"原文のファイル: {doc.source.file}", classes=["pia-source-file", DETAIL]))
        if doc.source.note:
            out.append(detail_note(doc.source.note, ("pia-source-note",)))
        if stamp is not None:
            out.append(fields_list([stamp.model_copy(update={"label": "様式の版"})]))
        if doc.source.title is not None:
            out.append(fields_list([doc.source.title.model_copy(update={"label": "表題"})]))
        cover_body = [fields_list(doc.cover)] if doc.cover else [nodes.paragraph("", "", gap_badge("missing", "表紙は原文にありません。"))]
        out.append(self.section(f"{aid}/cover", "cover", "section", "表紙", cover_body + self.change_history(f"{aid}/cover", include_children=False)))
        contents = self.contents_list(a)
        if contents:
            out.append(self.section(f"{aid}/contents", "contents", "section", "この評価書のページ", contents))
        if a.files:
            out.append(self.flows_section(a))
        for part in doc.parts:
            title = f"{part.numeral or ''} {part.title or ''}".strip() or PART_TITLES.get(part.kind.value, "")
            out.append(self.section(f"{aid}/{part.id}", part.id, "section", title, self.part_body(aid, part) + self.change_history(f"{aid}/{part.id}", include_children=False)))
        if doc.abbreviations:
            dl = nodes.definition_list(classes=["pia-fields"])
            for ab in doc.abbreviations:
                item = nodes.definition_list_item()
                term = nodes.term(ab.short, ab.short)
                term.extend(provenance(ab))
                item += term
                definition = nodes.definition("", nodes.paragraph(ab.full, ab.full))
                if ab.note:
                    definition += detail_note(ab.note)
                item += definition
                dl += item
            out.append(self.section(f"{aid}/abbreviations", "abbreviations", "section", "文書中で定義された略称", [dl]))
        if doc.gaps:
            lst = nodes.bullet_list(classes=["pia-gaps"])
            for gap in doc.gaps:
                item = nodes.list_item()
                para = nodes.paragraph()
                para += gap_badge(gap.kind)
                para += nodes.Text(f" {gap.where}")
                para.extend([nodes.Text(" "), *provenance(gap)])
                item += para
                if gap.note:
                    item += detail_note(gap.note)
                lst += item
            out.append(self.section(f"{aid}/gaps", "gaps", "section", "原文の欠落・不備", [lst]))
        return out

    def flows_section(self, a: Assessment) -> nodes.section:
        """Each file's data flow, side by side (narrow pictures the theme lays out in a row)."""
        sec = nodes.section(ids=["dataflow"], classes=["pia-dataflow-section"])
        sec += nodes.title("データの流れ", "データの流れ")
        # a sphinx-design grid: one picture per row on a phone, two from 576 px up
        grid = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "pia-dataflow-grid"])
        row = create_component("grid-row", ["sd-row", "sd-row-cols-1", "sd-row-cols-xs-1", "sd-row-cols-sm-2", "sd-row-cols-md-2", "sd-row-cols-lg-2", "sd-g-3"])
        grid += row
        for f in a.files:
            cell = create_component("grid-item", ["sd-col", "sd-d-flex-column", "pia-dataflow-cell"])
            cell += nodes.paragraph("", "", self.link("file", f"{a.id}/{f.id}", f"特定個人情報ファイル {f.no}: {f.name.text or ''}"), classes=["pia-dataflow-caption"])
            cell += self.flow_figure(a.id, f, "narrow")
            row += cell
        sec += grid
        return sec

    def contents_list(self, a: Assessment) -> list[nodes.Node]:
        lst = nodes.bullet_list()
        entries: list[tuple[str, str, str]] = []
        if a.systems:
            entries.append(("systems", f"{a.id}/systems", f"システム（{len(a.systems)}）"))
        for f in a.files:
            entries.append(("file", f"{a.id}/{f.id}", f"特定個人情報ファイル {f.no}: {f.name.text or ''}"))
        if a.changes:
            entries.append(("changes", f"{a.id}/changes", f"変更箇所（{len(a.changes.entries)}件）"))
        for annex in a.annexes:
            entries.append(("annex", f"{a.id}/{annex.id}", f"別紙{annex.no}（{len(annex.rows)}行）"))
        for kind, target, text in entries:
            item = nodes.list_item()
            item += nodes.paragraph("", "", self.link(kind, target, text))
            lst += item
        for hook in self.page_hooks(ASSESSMENT_LINKS):
            for item in hook(self, a):
                lst += item
        return [lst] if len(lst) else []

    def systems_page(self, a: Assessment) -> list[nodes.Node]:
        self.register(f"{a.id}/systems", "pia-systems", "systems", f"{a.title} システム")
        out: list[nodes.Node] = [nodes.paragraph("", "", nodes.Text("評価書: "), self.link("assessment", a.id, a.title))]
        out[0]["ids"] = ["pia-systems"]
        for sys in a.systems:
            out.append(self.render_system(a.id, sys))
        return out

    def file_page(self, a: Assessment, f: SpecificFile) -> list[nodes.Node]:
        aid = a.id
        fgid = f"{aid}/{f.id}"
        self.register(fgid, f.id, "file", f.name.text or f.id)
        head = nodes.container(ids=[f.id], classes=["pia-file-head"])
        intro = nodes.paragraph()
        intro += nodes.Text("評価書: ")
        intro += self.link("assessment", aid, a.title)
        head += intro
        head += fields_list([f.name.model_copy(update={"label": "ファイル名"})])
        head += self.link_line("このファイルを取り扱うシステム: ", "system", self.site.file_systems.get(fgid, []), ["pia-file-systems"])
        for link in f.systems:
            name = self.site.objects[f"{aid}/{link.system}"].title if f"{aid}/{link.system}" in self.site.objects else link.system
            head += detail_note(f"取り扱うシステムとした根拠（{name}）: {link.evidence}", ("pia-evidence",))
        head.extend(self.change_history(fgid, include_children=False))
        out: list[nodes.Node] = [head]
        flow = nodes.section(ids=[f"{f.id}-dataflow"], classes=["pia-dataflow-section"])
        flow += nodes.title("データの流れ", "データの流れ")
        flow += self.flow_figure(aid, f, "wide")
        out.append(flow)
        ov = f.overview
        out.append(self.section(f"{aid}/{ov.id}", ov.id, "section", f"{ov.numeral or 'II'} {ov.title or '特定個人情報ファイルの概要'}", self.part_body(aid, ov, file=f) + self.change_history(f"{aid}/{ov.id}", include_children=False)))
        if f.record_items is not None:
            out.append(self.record_items(aid, f))
        rm = f.risk_measures
        out.append(self.section(f"{aid}/{rm.id}", rm.id, "section", f"{rm.numeral or 'III'} {rm.title or 'リスク対策'}", self.part_body(aid, rm, file=f) + self.change_history(f"{aid}/{rm.id}", include_children=False)))
        return out

    def record_items(self, aid: str, f: SpecificFile) -> nodes.section:
        ri = f.record_items
        children: list[nodes.Node] = list(provenance(ri))
        if ri.heading:
            children.append(nodes.paragraph(ri.heading, ri.heading))
        if ri.gap:
            children.append(nodes.paragraph("", "", gap_badge(ri.gap, ri.note)))
        elif ri.note:
            children.append(detail_note(ri.note))
        total = len(ri.all)
        children.append(nodes.paragraph("", f"記録項目数: {total}", classes=["pia-count"]))
        for group in ri.groups:
            if group.label:
                children.append(nodes.rubric(group.label, group.label))
            lst = nodes.enumerated_list(classes=["pia-record-items"]) if all(i.no for i in group.items) else nodes.bullet_list(classes=["pia-record-items"])
            for item in group.items:
                li = nodes.list_item()
                text = f"{item.no} {item.name}" if item.no else item.name
                para = nodes.paragraph(text, text)
                if item.line:
                    para += nodes.Text(" ")
                    para.extend(provenance(item))
                li += para
                lst += li
            children.append(lst)
        return self.section(f"{aid}/{f.id}-items", f"{f.id}-items", "section", "特定個人情報ファイル記録項目", children)

    def annex_page(self, a: Assessment, annex: Annex) -> list[nodes.Node]:
        gid = f"{a.id}/{annex.id}"
        self.register(gid, annex.id, "annex", annex.title.text or annex.id)
        head = nodes.container(ids=[annex.id], classes=["pia-annex-head"])
        head += nodes.paragraph("", "", nodes.Text("評価書: "), self.link("assessment", a.id, a.title))
        head += fields_list([annex.title.model_copy(update={"label": "表題"})])
        head.extend(provenance(annex))
        if annex.gap:
            head += nodes.paragraph("", "", gap_badge(annex.gap, annex.note))
        elif annex.note:
            head += detail_note(annex.note)
        for owner in (self.site.objects[g] for g in self.site.annex_owners.get(gid, [])):
            para = nodes.paragraph()
            para += nodes.Text("この別紙を参照する項目: ")
            para += self.link(owner.kind, owner.gid, owner.title)
            head += para
            head.extend(self.legal_links(owner.gid))
        present = len(annex.rows)
        head += nodes.paragraph("", f"行数: {present}", classes=["pia-count"])
        head.extend(self.change_history(gid, include_children=False))
        out: list[nodes.Node] = [head]
        histories = {r.id: self.site.changes_for(f"{a.id}/{r.id}", include_children=False) for r in annex.rows}
        with_history = any(histories.values())
        table = nodes.table(classes=["pia-annex"])
        ncols = max([len(annex.columns), *(len(r.cells) for r in annex.rows)] or [1]) + (1 if with_history else 0)
        tgroup = nodes.tgroup(cols=ncols)
        table += tgroup
        for _ in range(ncols):
            tgroup += nodes.colspec(colwidth=1)
        thead = nodes.thead()
        row = nodes.row()
        for i in range(ncols):
            text = annex.columns[i] if i < len(annex.columns) else ""
            if with_history and i == ncols - 1:
                text = "変更履歴"
            row += nodes.entry("", nodes.paragraph(text, text))
        thead += row
        tgroup += thead
        tbody = nodes.tbody()
        for r in annex.rows:
            self.register(f"{a.id}/{r.id}", r.id, "annex-row", f"{annex.title.text or ''} {r.cells[annex.recipient_column] if annex.recipient_column is not None and annex.recipient_column < len(r.cells) else r.id}")
            row = nodes.row(ids=[r.id])
            # the 項番 names a row of the table the owner entry cites: link it to that row's page
            row_laws = self.site.cited_laws.get(f"{a.id}/{r.id}", [])
            for i in range(ncols - (1 if with_history else 0)):
                text = r.cells[i] if i < len(r.cells) else ""
                if i == annex.basis_column and text.strip() and row_laws:
                    para = nodes.paragraph(classes=["pia-annex-basis"])
                    para += self.link("law", row_laws[0], text)
                else:
                    para = nodes.paragraph(text, text)
                if i == 0 and r.line:
                    # the row's source line, with the first cell (reviewer detail)
                    para += nodes.Text(" ")
                    para.extend(provenance(r))
                row += nodes.entry("", para)
            if with_history:
                cell = nodes.paragraph(classes=["pia-change-history"])
                if not histories[r.id]:
                    cell += nodes.Text("この行への変更箇所なし")
                for j, cgid in enumerate(histories[r.id]):
                    if j:
                        cell += nodes.Text("、")
                    entry = self.site.objects[cgid].obj
                    cell += self.link("change", cgid, entry.date.text or entry.id)
                row += nodes.entry("", cell)
            tbody += row
        tgroup += tbody
        out.append(table)
        return out

    def organization_page(self, org_id: str) -> list[nodes.Node]:
        rec = self.site.objects[f"org/{org_id}"]
        self.register(rec.gid, "pia-org", "organization", rec.title)
        org = rec.obj
        out: list[nodes.Node] = [nodes.paragraph("", f"種別: {ORG_KIND_LABELS[org.kind.value]}" + (f"（{org.prefecture}）" if org.prefecture else ""), ids=["pia-org"])]
        if org.note:
            out.append(detail_note(org.note))
        lst = nodes.bullet_list()
        for aid in self.site.organizations[org_id]:
            a = self.site.assessments[aid]
            item = nodes.list_item()
            p = nodes.paragraph()
            p += self.link("assessment", aid, a.title)
            p += nodes.Text(" ")
            p += badge(a.doc.form.kind.label, "primary")
            published = a.cover_item("published_on")
            if published is not None and published.text:
                p += nodes.Text(f" 公表日: {published.text}")
            item += p
            lst += item
        out.append(lst)
        return out


#: The forms' part headings, for a part printed without one.
PART_TITLES = {
    "basic": "基本情報", "business_detail": "事務の内容", "overview": "特定個人情報ファイルの概要",
    "risk_measures": "リスク対策", "other_measures": "その他のリスク対策", "disclosure": "開示請求、問合せ",
    "procedures": "評価実施手続",
}

ORG_KIND_LABELS = {"municipality": "市区町村", "prefecture": "都道府県", "national": "国の機関", "unidentified": "不明"}
