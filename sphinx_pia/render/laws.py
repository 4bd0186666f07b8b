"""Pages of legal bases: a law, an article or a table row, what cites it, and its
other edition across a renumbering.  Mixed into :class:`~.objects.Renderer`."""

from __future__ import annotations

from collections import defaultdict

from docutils import nodes

from ..law_registry import EGOV_TOP_URL
from .nodes import badge, detail_note

KIND_LABELS = {
    "assessment": "評価書", "organization": "評価実施機関", "system": "システム", "file": "特定個人情報ファイル",
    "entrustment": "委託事項", "provision": "提供先", "transfer": "移転先", "risk": "リスク", "change": "変更箇所",
    "section": "項目", "annex": "別紙", "annex-row": "別紙の行", "law": "法令",
}


class LawPages:
    """Needs ``self.site`` (a SiteIndex), ``self.link`` and ``self.register``."""

    def law_tree(self, lgid: str, recursive: bool, classes: tuple[str, ...] = ()) -> nodes.bullet_list | None:
        """The cited articles, tables and rows below a legal reference, with citation counts."""
        children = self.site.law_children(lgid)
        if not children:
            return None
        lst = nodes.bullet_list(classes=list(classes))
        for cgid in children:
            item = nodes.list_item()
            para = nodes.paragraph()
            para += self.link("law", cgid, self.site.law_label(cgid))
            para += nodes.Text(f"（{len(self.site.citations.get(cgid, []))}件）")
            item += para
            sub = self.law_tree(cgid, recursive) if recursive else None
            if sub is not None:
                item += sub
            lst += item
        return lst

    def law_page(self, lgid: str) -> list[nodes.Node]:
        site = self.site
        ref = site.laws[lgid]
        label = site.law_label(lgid)
        self.register(lgid, "pia-law", "law", label)
        law = site.registry.get(ref.law)
        out: list[nodes.Node] = []
        head = nodes.container(ids=["pia-law"], classes=["pia-law-head"])
        info = nodes.definition_list(classes=["pia-fields"])

        def row(term: str, *value: nodes.Node) -> None:
            item = nodes.definition_list_item()
            item += nodes.term(term, term)
            item += nodes.definition("", nodes.paragraph("", "", *value))
            info.append(item)

        if law is not None:
            row("法令名", nodes.Text(law.name))
            if law.number:
                row("法令番号", nodes.Text(law.number))
            if law.jurisdiction:
                row("制定主体", nodes.Text(law.jurisdiction))
            if law.aliases:
                row("略称・旧題名・誤記", nodes.Text("、".join(a.name + (f"（{a.until}まで）" if a.until else "") + ("（原文の誤記）" if "誤記" in (a.note or "") else "") for a in law.aliases)))
            row("e-Gov法令検索", *self._egov_row(law, ref, old_edition=bool(site.renumbering.successors(ref))))
        else:
            row("法令名", nodes.Text(label))
            row("登録", badge("法令台帳に登録されていない法令です（引用文から作成）", "warning", ("pia-unknown-law",)))
        parent = ref.parent()
        if parent is not None:
            pgid = f"law/{parent.key}"
            row("上位", self.link("law", pgid, site.law_label(pgid)))
        head += info
        out.append(head)
        renumbered = self._renumbering(ref)
        if renumbered:
            out.append(renumbered)
        lst = self.law_tree(lgid, recursive=False, classes=("pia-law-children",))
        if lst is not None:
            sec = nodes.section(ids=["pia-law-children"])
            sec += nodes.title("下位の条・項・号・項番", "下位の条・項・号・項番")
            sec += lst
            out.append(sec)
        citations = site.citations.get(lgid, [])
        for role, title in (("basis", "法令上の根拠として引用する項目"), ("mention", "本文中で言及する項目")):
            cited = [c for c in citations if c.role == role]
            if role == "basis" or cited:
                out.append(self._citation_section(role, title, cited))
        return out

    @staticmethod
    def _egov_row(law, ref, old_edition: bool = False) -> list[nodes.Node]:
        """A direct link when the e-Gov law ID is known; for another national instrument
        a link to e-Gov 法令検索 to search it (marked as such); for a local ordinance the
        reason there is no link.  e-Gov opens the law as in force today, so for a
        reference written to an earlier edition the link says so."""
        url = law.article_url(ref.article, ref.paragraph, ref.item, ref.suppl)
        if url:
            out: list[nodes.Node] = [nodes.reference(url, url, refuri=url, classes=["pia-egov"])]
            return out + (LawPages._old_edition_hint() if old_edition else [])
        if law.is_local:
            where = f"{law.jurisdiction}の例規集" if law.jurisdiction else "制定した地方公共団体の例規集"
            text = (
                "地方公共団体の条例・規則（例規）は、国の法令（法律・政令・府省令・規則）を収録する"
                f" e-Gov 法令検索には掲載されていません。原文は{where}で確認してください。"
            )
            return [
                badge("e-Gov 法令検索の収録対象外（地方公共団体の例規）", "light", ("pia-egov-local",)),
                nodes.Text(" "),
                nodes.inline(text, text, classes=["pia-note", "pia-egov-local-note"]),
            ]
        search = law.egov_search_url
        if not search:
            return [badge("e-Gov の法令IDが未登録です", "light")]
        label = "e-Gov法令検索で検索（法令IDは未確認）"
        out: list[nodes.Node] = [nodes.reference(label, label, refuri=search, classes=["pia-egov-search"])]
        if search.rstrip("/") == EGOV_TOP_URL.rstrip("/"):
            # no confirmed query URL: the link opens the top page, the user types the terms
            terms = f"法令名「{law.name}」" + (f"または法令番号「{law.number}」" if law.number else "")
            hint = f"法令IDが未確認のため条文へ直接リンクできません。e-Gov 法令検索のトップページで{terms}を検索してください。"
        else:
            hint = f"法令IDが未確認のため、法令名「{law.name}」の検索結果を開きます。"
        if law.kind == "notice":
            # e-Gov 法令検索 holds 法律・政令・府省令・規則 (its help page, elaws.e-gov.go.jp/help/)
            hint += "告示は e-Gov 法令検索の収録対象（法律・政令・府省令・規則）に含まれないため、見つからないことがあります。"
        out += [nodes.Text(" "), nodes.inline(hint, hint, classes=["pia-note", "pia-egov-search-note"])]
        return out + (LawPages._old_edition_hint() if old_edition else [])

    @staticmethod
    def _old_edition_hint() -> list[nodes.Node]:
        hint = (
            "このリンクは現行の条文を開きます。この表記は改正前のもので、現行の条文では番号や内容が異なります"
            "（改正後の対応は下の「改正による条項・項番の対応」を参照）。"
            "改正前の条文は、e-Gov 法令検索でこの法令の改正前の時点の版を選んで確認してください。"
        )
        return [nodes.Text(" "), nodes.inline(hint, hint, classes=["pia-note", "pia-egov-current-note"])]

    def _renumbering(self, ref) -> nodes.section | None:
        """Old and new editions: shown as written, linked to the other edition."""
        site = self.site
        rows: list[nodes.Node] = []
        for label, items, other in (
            ("この表記は改正前のものです。改正後の対応", site.renumbering.successors(ref), "new"),
            ("改正前の表記", site.renumbering.predecessors(ref), "old"),
        ):
            for c in items:
                target = getattr(c, other)
                tgid = f"law/{target.key}"
                para = nodes.paragraph(classes=["pia-renumbering", f"pia-renumbering-{other}"])
                para += badge("改正前" if other == "new" else "改正後", "warning" if other == "new" else "info")
                para += nodes.Text(f" {label}: ")
                para += self.link("law", tgid, site.law_label(tgid)) if tgid in site.laws else nodes.Text(target.label(site.registry))
                if c.suspect:
                    para += nodes.Text(" ")
                    para += badge("対応に疑義", "danger")
                rows.append(para)
                if c.note:
                    rows.append(detail_note(c.note))
                rows.append(detail_note(f"根拠: {c.evidence}", ("pia-evidence",)))
        if not rows:
            return None
        sec = nodes.section(ids=["pia-renumbering"])
        sec += nodes.title("改正による条項・項番の対応", "改正による条項・項番の対応")
        sec.extend(rows)
        return sec

    def _citation_section(self, role: str, title: str, citations) -> nodes.section:
        site = self.site
        sec = nodes.section(ids=[f"pia-citations-{role}"])
        sec += nodes.title(f"{title}（{len(citations)}件）", f"{title}（{len(citations)}件）")
        grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for c in citations:
            rec = site.objects[c.owner]
            a = site.assessments[rec.assessment]
            grouped[a.doc.organization.id][a.id].append((rec, c))
        for org_id in sorted(grouped):
            org_rec = site.objects[f"org/{org_id}"]
            org_sec = nodes.section(ids=[f"{role}-org-{org_id}"])
            org_sec += nodes.title(org_rec.title, org_rec.title)
            for aid in sorted(grouped[org_id]):
                a = site.assessments[aid]
                org_sec += nodes.paragraph("", "", nodes.Text("評価書: "), self.link("assessment", aid, a.title))
                by_file: dict[str, list] = defaultdict(list)
                for rec, c in grouped[org_id][aid]:
                    by_file[rec.file or ""].append((rec, c))
                for fgid in sorted(by_file):
                    if fgid:
                        org_sec += nodes.paragraph("", "", nodes.Text("ファイル: "), self.link("file", fgid, site.objects[fgid].title))
                    lst = nodes.bullet_list(classes=["pia-citations"])
                    for rec, c in by_file[fgid]:
                        item = nodes.list_item()
                        p = nodes.paragraph()
                        p += badge(KIND_LABELS.get(rec.kind, rec.kind), "secondary")
                        p += nodes.Text(" ")
                        p += self.link(rec.kind, rec.gid, rec.title)
                        item += p
                        item += nodes.paragraph("", f"{c.label}: {c.text}", classes=["pia-citation-text"])
                        lst += item
                    org_sec += lst
            sec += org_sec
        return sec

