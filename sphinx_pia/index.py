"""The site index: every object of every assessment, and the links between them.

Pure Python over the model (no Sphinx), so that links, back-links and
validation can be tested without a build.  Global IDs are
``<assessment id>/<local id>``; organizations are ``org/<id>`` and legal
references ``law/<slug>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .citations import Reference, parse
from .law_registry import Registry, default_registry
from .renumbering import Renumbering, default_renumbering
from .model import (
    Annex,
    AnnexRow,
    Assessment,
    ChangeEntry,
    Entrustment,
    Field,
    PartKind,
    Resolution,
    Risk,
    Section,
    SpecificFile,
    System,
)


@dataclass
class ObjectRecord:
    gid: str
    kind: str  # assessment, organization, system, file, entrustment, provision, transfer, risk, change, section, annex, law
    title: str
    assessment: str | None
    obj: object = None
    file: str | None = None  # gid of the file the object belongs to
    parent: str | None = None  # gid of the containing section/object


@dataclass
class Citation:
    """An item that cites a legal reference."""

    owner: str  # gid of the provision/transfer/section/annex row holding the text
    label: str  # the item label (「①法令上の根拠」)
    text: str  # the citation text, verbatim
    role: str = "basis"  # basis: a 法令上の根拠 field; mention: cited inside other text (用途, 事務の内容, 変更箇所)


def system_name(system: System) -> str:
    item = system.get("system_name")
    return (item.text if item and item.text else "") or (system.title.label if system.title and system.title.label else f"システム{system.no}")


def _name_variants(name: str) -> set[str]:
    """「既存住民基本台帳システム(以下「既存住基システム」という。)」 → the full name, the
    name without the parenthesis, and the defined short name."""
    norm = unicodedata.normalize("NFKC", name).strip()
    out = {norm}
    base = re.split(r"[(（]以下", norm)[0].strip()
    out.add(base)
    out.update(re.findall(r"以下「([^」]+)」", norm))
    return {v for v in out if len(v) >= 3}


class SiteIndex:
    def __init__(self, assessments: Iterable[Assessment], registry: Registry | None = None, renumbering: Renumbering | None = None):
        self.registry = registry or default_registry()
        self.renumbering = renumbering or default_renumbering()
        self.assessments: dict[str, Assessment] = {a.id: a for a in assessments}
        self.objects: dict[str, ObjectRecord] = {}
        self.file_systems: dict[str, list[str]] = defaultdict(list)
        self.system_files: dict[str, list[str]] = defaultdict(list)
        self.system_links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # sys gid → [(connection text, sys gid)]
        self.changes_by_target: dict[str, list[str]] = defaultdict(list)
        self.unresolved_changes: dict[str, list[str]] = defaultdict(list)  # assessment → change gids
        self.citations: dict[str, list[Citation]] = defaultdict(list)  # law gid → citing items
        self.laws: dict[str, Reference] = {}  # law gid (law/<key>) → reference
        self._citing_owners: dict[str, set[str]] = defaultdict(set)
        self._renumbering_done: set[str] = set()
        self.cited_laws: dict[str, list[str]] = defaultdict(list)  # owner gid → law gids it gives as basis
        self.unknown_laws: dict[str, list[str]] = defaultdict(list)  # law name not in the registry → owner gids
        self._abbrevs: dict[str, str] = {}
        self._law_children: dict[str, list[str]] | None = None
        self._children: dict[str, list[str]] | None = None
        self._timeline: list | None = None
        self.contractors: dict[str, list[str]] = defaultdict(list)  # contractor name → entrustment gids
        self.recipients: dict[str, list[str]] = defaultdict(list)  # 提供先/移転先 name → provision/transfer/row gids
        self.organizations: dict[str, list[str]] = defaultdict(list)  # org id → assessment ids
        self.annex_owners: dict[str, list[str]] = defaultdict(list)  # annex gid → the 提供先/移転先 entries that stand for its rows
        for a in self.assessments.values():
            self._add_assessment(a)
        for gids in self.citations.values():
            gids.sort(key=lambda c: c.owner)

    def timeline(self, rows_of=None) -> list:
        """Every 変更箇所 row on one time line (``timeline.timeline``), computed once per
        index: the timeline page, its digest and the open data's changes.csv all read it.
        *rows_of* (for the first call) gives an assessment's rows, say from a cache."""
        if self._timeline is None:
            from .timeline import assessment_rows, timeline

            self._timeline = timeline(self.assessments.values(), rows_of or assessment_rows)
        return list(self._timeline)  # the rows are frozen; the list is the caller's

    # -- construction ------------------------------------------------------------

    def _add(self, rec: ObjectRecord) -> None:
        self.objects[rec.gid] = rec

    def _add_assessment(self, a: Assessment) -> None:
        aid = a.id
        org = a.doc.organization
        self.organizations[org.id].append(aid)
        self._add(ObjectRecord(f"org/{org.id}", "organization", org.name, None, org))
        self._add(ObjectRecord(aid, "assessment", a.title, aid, a))
        self._add(ObjectRecord(f"{aid}/cover", "section", "表紙", aid, a.doc.cover))
        self._abbrevs = {ab.short: ab.full for ab in a.doc.abbreviations}
        for part in a.doc.parts:
            self._add(ObjectRecord(f"{aid}/{part.id}", "section", f"{part.numeral or ''} {part.title or ''}".strip() or part.id, aid, part))
            for sec in part.sections:
                self._add_section(a, sec, None)
                self.objects[f"{aid}/{sec.id}"].parent = f"{aid}/{part.id}"
                for sys in sec.systems:
                    self._add(ObjectRecord(f"{aid}/{sys.id}", "system", system_name(sys), aid, sys, parent=f"{aid}/{sec.id}"))
            for sec in part.sections:
                for item in _all_fields(sec.items):
                    if item.key and item.key.value == "legal_basis":
                        self._cite(f"{aid}/{sec.id}", item)
                    elif item.key and item.key.value in MENTION_KEYS:
                        self._cite(f"{aid}/{sec.id}", item, role="mention")
        for f in a.files:
            self._add_file(a, f)
        for annex in a.annexes:
            self._add_annex(a, annex)
        self._link_systems(a)
        if a.changes:
            for entry in a.changes.entries:
                gid = f"{aid}/{entry.id}"
                self._add(ObjectRecord(gid, "change", entry.item.text or entry.id, aid, entry))
                if entry.resolution == Resolution.unresolved or not entry.targets:
                    self.unresolved_changes[aid].append(gid)
                for target in entry.targets:
                    self.changes_by_target[f"{aid}/{target.ref}"].append(gid)
                for fld, label in ((entry.before, "変更前の記載"), (entry.after, "変更後の記載")):
                    self._cite(gid, fld.model_copy(update={"label": label}), role="mention")

    def _add_section(self, a: Assessment, sec: Section, file_gid: str | None) -> None:
        title = f"{sec.no}. {sec.title}" if sec.no and sec.title else (sec.title or (f"{sec.no}." if sec.no else sec.id))
        self._add(ObjectRecord(f"{a.id}/{sec.id}", "section", title, a.id, sec, file=file_gid))

    def _add_file(self, a: Assessment, f: SpecificFile) -> None:
        aid = a.id
        fgid = f"{aid}/{f.id}"
        self._add(ObjectRecord(fgid, "file", f.name.text or f.id, aid, f, file=fgid))
        for link in f.systems:
            sgid = f"{aid}/{link.system}"
            self.file_systems[fgid].append(sgid)
            self.system_files[sgid].append(fgid)
        for part in (f.overview, f.risk_measures):
            self._add(ObjectRecord(f"{aid}/{part.id}", "section", f"{part.numeral or ''} {part.title or ''}".strip() or part.id, aid, part, file=fgid, parent=fgid))
            for sec in part.sections:
                self._add_section(a, sec, fgid)
                sgid = f"{aid}/{sec.id}"
                self.objects[sgid].parent = f"{aid}/{part.id}"
                for ent in sec.entrustments:
                    self._add_entity(a, ent, "entrustment", fgid, sgid)
                    contractor = ent.get("contractor")
                    if contractor and contractor.text:
                        self.contractors[_plain(contractor.text)].append(f"{aid}/{ent.id}")
                for kind, entries in (("provision", sec.provisions), ("transfer", sec.transfers)):
                    for prov in entries:
                        pgid = self._add_entity(a, prov, kind, fgid, sgid)
                        for item in _all_fields(prov.items):
                            if item.key and item.key.value == "legal_basis":
                                self._cite(pgid, item)
                            elif item.key and item.key.value in MENTION_KEYS:
                                self._cite(pgid, item, role="mention")
                        if prov.annex:
                            self.annex_owners[f"{aid}/{prov.annex}"].append(pgid)
                        elif prov.title and prov.title.text:
                            self.recipients[_plain(prov.title.text)].append(pgid)
                for risk in sec.risks:
                    self._add_entity(a, risk, "risk", fgid, sgid)

    def _add_entity(self, a: Assessment, ent, kind: str, fgid: str, parent: str) -> str:
        gid = f"{a.id}/{ent.id}"
        label = ent.title.label if ent.title and ent.title.label else f"{_KIND_WORDS.get(kind, kind)}{ent.no or ''}"
        text = ent.title.text if ent.title and ent.title.text else ""
        title = f"{label} {text}".strip()
        self._add(ObjectRecord(gid, kind, title, a.id, ent, file=fgid, parent=parent))
        return gid

    def _add_annex(self, a: Assessment, annex: Annex) -> None:
        agid = f"{a.id}/{annex.id}"
        self._add(ObjectRecord(agid, "annex", annex.title.text or annex.id, a.id, annex))
        basis_label = annex.columns[annex.basis_column] if annex.basis_column is not None and annex.basis_column < len(annex.columns) else ""
        owners = self.annex_owners.get(agid, [])
        owner = self.objects[owners[0]].obj if owners else None
        # the table the owner entry cites (「主務省令第2条の表」, 「番号法別表」): parsed once per annex
        basis = owner.get("legal_basis") if owner is not None else None
        tables = [r for r in parse(basis.text, self.registry, self._abbrevs).references if r.table and not r.row] if basis and basis.text else []
        for row in annex.rows:
            rgid = f"{a.id}/{row.id}"
            recipient = row.cells[annex.recipient_column] if annex.recipient_column is not None and annex.recipient_column < len(row.cells) else ""
            self._add(ObjectRecord(rgid, "annex-row", f"{annex.title.text or ''} {recipient}".strip(), a.id, row, parent=agid))
            if recipient:
                self.recipients[_plain(recipient)].append(rgid)
            # A row stands for one 提供先/移転先 under the table its owner entry cites
            # (「主務省令第2条の表」, 「番号法別表」); its 項番 cell names the row of that table.
            if tables and annex.basis_column is not None and annex.basis_column < len(row.cells):
                cell = row.cells[annex.basis_column].strip()
                if cell:
                    t = tables[0]
                    ref = Reference(t.law, t.article, t.paragraph, t.item, t.table, re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell)))
                    self._register_law(ref, Citation(rgid, basis_label or "法令上の根拠", f"{basis.text}（{basis_label} {cell}）"))
            for i, cell in enumerate(row.cells):
                if i != annex.basis_column and len(cell) > 6:
                    self._cite(rgid, Field(label=annex.columns[i] if i < len(annex.columns) else "", text=cell), role="mention")

    def _cite(self, owner: str, item: Field, role: str = "basis") -> None:
        if not item.text:
            return
        parsed = parse(item.text, self.registry, self._abbrevs)
        for ref in parsed.references:
            self._register_law(ref, Citation(owner, item.label or "法令上の根拠", item.text, role))
        for name in parsed.unknown_laws:
            if owner not in self.unknown_laws[name]:
                self.unknown_laws[name].append(owner)

    def _register_law(self, ref: Reference, citation: Citation) -> None:
        lgid = f"law/{ref.key}"
        # a set beside the list: a law cited by every assessment must not cost O(N) per citation
        owners = self._citing_owners[lgid]
        if citation.owner not in owners:
            owners.add(citation.owner)
            self.citations[lgid].append(citation)
        if citation.role == "basis" and lgid not in self.cited_laws[citation.owner]:
            self.cited_laws[citation.owner].append(lgid)
        if lgid in self._renumbering_done:
            return
        self._renumbering_done.add(lgid)
        self._ensure_page(ref)
        # the other edition of a renumbered reference gets a page, so the link between them resolves
        for c in [*self.renumbering.successors(ref), *self.renumbering.predecessors(ref)]:
            self._ensure_page(c.new if c.old == ref else c.old)

    def _ensure_page(self, ref: Reference) -> None:
        # every coarser reference (table → law) gets a page too, so the hierarchy is browsable;
        # a reference already there brought its ancestors with it
        node: Reference | None = ref
        while node is not None:
            gid = f"law/{node.key}"
            if gid in self.laws:
                break
            self.laws[gid] = node
            self._add(ObjectRecord(gid, "law", self.law_label(gid), None, node))
            node = node.parent()

    def law_label(self, lgid: str) -> str:
        return self.laws[lgid].label(self.registry)

    def law_children(self, lgid: str) -> list[str]:
        if self._law_children is None:
            children: dict[str, list[str]] = defaultdict(list)
            for g, r in self.laws.items():
                parent = r.parent()
                if parent is not None:
                    children[f"law/{parent.key}"].append(g)
            self._law_children = {k: sorted(v, key=lambda g: _ref_order(self.laws[g])) for k, v in children.items()}
        return self._law_children.get(lgid, [])

    def children(self, gid: str) -> list[str]:
        """Objects whose parent is ``gid`` (sections of a part, entities of a section)."""
        if self._children is None:
            self._children = defaultdict(list)
            for rec in self.objects.values():
                if rec.parent:
                    self._children[rec.parent].append(rec.gid)
        return self._children.get(gid, [])

    def _link_systems(self, a: Assessment) -> None:
        """③他のシステムとの接続 → the connected system, where it exists in this assessment."""
        systems = a.systems
        names = {sys.id: _name_variants(system_name(sys)) for sys in systems}
        for sys in systems:
            conn = sys.get("system_connections")
            if conn is None:
                continue
            texts = []
            if conn.check:
                texts.extend(conn.check.checked)
                if conn.check.other:
                    texts.append(conn.check.other)
            elif conn.text:
                texts.append(conn.text)
            for text in texts:
                norm = unicodedata.normalize("NFKC", text)
                for other in systems:
                    if other.id == sys.id:
                        continue
                    if any(v in norm for v in names[other.id]):
                        pair = (text, f"{a.id}/{other.id}")
                        if pair not in self.system_links[f"{a.id}/{sys.id}"]:
                            self.system_links[f"{a.id}/{sys.id}"].append(pair)

    # -- queries ----------------------------------------------------------------

    def changes_for(self, gid: str, include_children: bool = True) -> list[str]:
        """Change entries that target ``gid`` (and, for a section, anything inside it)."""
        out = list(self.changes_by_target.get(gid, []))
        if include_children:
            for child in self.children(gid):
                out.extend(c for c in self.changes_by_target.get(child, []) if c not in out)
        return sorted(out, key=_change_order)

    def by_kind(self, kind: str) -> list[ObjectRecord]:
        return [r for r in self.objects.values() if r.kind == kind]


#: A title is shown to readers: an entity without a printed heading is named in words.
_KIND_WORDS = {"entrustment": "委託事項", "provision": "提供先", "transfer": "移転先", "risk": "リスク"}

MENTION_KEYS = {"business_content", "recipient_use", "purpose", "necessity", "scope", "notice"}


def _ref_order(ref: Reference) -> tuple:
    def num(text: str) -> list[int]:
        return [int(p) for p in re.findall(r"\d+", text)] or [0]

    return (ref.suppl, num(ref.article), num(ref.paragraph), num(ref.item), ref.table, num(ref.row))


def _change_order(gid: str) -> tuple[str, int]:
    aid, _, local = gid.partition("/")
    n = local.rsplit("-", 1)[-1]
    return aid, int(n) if n.isdigit() else 0


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _all_fields(*lists: list[Field]) -> Iterable[Field]:
    for items in lists:
        for item in items:
            yield from item.walk()


__all__ = ["Citation", "ObjectRecord", "SiteIndex", "system_name", "PartKind", "Entrustment", "Risk", "ChangeEntry", "AnnexRow"]
