"""The ``pia`` domain: where every assessment object is documented.

Like ``sphinx.ext.todo`` it is the build's data store: directives record each
object they anchor (docname, anchor, kind, title); ``clear_doc`` forgets a
re-read document's objects and ``merge_domaindata`` folds in what parallel
readers found, so incremental and ``-j`` builds see the same table.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, Iterable

from docutils import nodes
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .site import get_site

logger = logging.getLogger(__name__)

KINDS = (
    "assessment", "organization", "system", "file", "entrustment", "provision", "transfer", "risk",
    "change", "section", "annex", "annex-row", "law", "systems", "changes",
)
ROLE_NAMES = ("assessment", "org", "system", "file", "entrustment", "provision", "transfer", "risk", "change", "section", "annex", "law", "ref")
# Role name → object kinds it may resolve to ('ref' takes any).
ROLE_KINDS = {
    "org": {"organization"},
    "provision": {"provision", "transfer", "annex-row"},
    "transfer": {"provision", "transfer"},
    "section": {"section", "systems", "changes"},
    "annex": {"annex"},
}


# Legal-entity words that come before or after a name in any of several notations;
# an index groups 「(株)TKC」 and 「株式会社TKC」 together under 「T」.
_ENTITY_WORDS = re.compile(
    r"^(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|地方独立行政法人|独立行政法人|特定非営利活動法人|社会福祉法人|[(（][株有社財][)）])\s*"
    r"|\s*(?:株式会社|有限会社|[(（][株有][)）])$"
)


def sort_key(name: str) -> str:
    """A name for ordering and grouping: NFKC, without legal-entity words."""
    norm = unicodedata.normalize("NFKC", name).strip()
    stripped = _ENTITY_WORDS.sub("", norm).strip()
    return (stripped or norm).upper()


def _heading(domain, text: str) -> str:
    # Sphinx's domainindex templates (basic, furo, alabaster...) print a group heading
    # without escaping it, in text and in an id; headings come from content, so the
    # HTML builders get them escaped here.
    app = getattr(domain.env, "_app", None)  # env.app is deprecated in Sphinx 9
    if app is None:
        app = getattr(domain.env, "app", None)
    builder = getattr(app, "builder", None)
    return html.escape(text, quote=True) if builder is not None and builder.format == "html" else text


def _assessment_titles(site) -> dict[str, tuple[str, str]]:
    """aid → (its organization's title, its title): an index lists thousands of objects,
    and an assessment's title is looked up in its cover."""
    if site is None:
        return {}
    return {aid: (site.objects[f"org/{a.doc.organization.id}"].title, a.title) for aid, a in site.assessments.items()}


class _PiaIndex(Index):
    """An index of one object kind, grouped by organization."""

    kinds: tuple[str, ...] = ()

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: PiaDomain = self.domain  # type: ignore[assignment]
        site = get_site(domain.env)
        groups: dict[str, list[IndexEntry]] = {}
        titles = _assessment_titles(site)
        for name, (docname, anchor, kind, title) in sorted(domain.objects.items()):
            if kind not in self.kinds or (docnames and docname not in docnames):
                continue
            rec = site.objects.get(name) if site else None
            if rec is not None and getattr(rec.obj, "gap", None):
                continue  # a placeholder for an entity the source lacks (システム2 recorded as missing)
            org, where = titles[rec.assessment] if rec and rec.assessment else ("", "")
            groups.setdefault(org or "その他", []).append(IndexEntry(title, 0, docname, anchor, where, "", ""))
        content = [(_heading(domain, k), sorted(v, key=lambda e: sort_key(e.name))) for k, v in sorted(groups.items(), key=lambda kv: sort_key(kv[0]))]
        return content, False


class SystemIndex(_PiaIndex):
    name = "systems"
    localname = "システム索引"
    shortname = "システム"
    kinds = ("system",)


class FileIndex(_PiaIndex):
    name = "files"
    localname = "特定個人情報ファイル索引"
    shortname = "ファイル"
    kinds = ("file",)


class _NameIndex(Index):
    """Objects listed under a name taken from their data (提供先, 委託先), grouped by
    the name's first character once legal-entity words are set aside."""

    def names(self, site) -> dict[str, list[str]]:
        raise NotImplementedError

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: PiaDomain = self.domain  # type: ignore[assignment]
        site = get_site(domain.env)
        if site is None:
            return [], False
        groups: dict[str, list[IndexEntry]] = {}
        titles = _assessment_titles(site)
        for name, gids in sorted(self.names(site).items(), key=lambda kv: (sort_key(kv[0]), kv[0])):
            located = [(gid, domain.objects[gid]) for gid in gids if gid in domain.objects]
            if not located:
                continue
            group = groups.setdefault(sort_key(name)[:1] or "その他", [])
            group.append(IndexEntry(name, 1, "", "", "", "", ""))
            for gid, (docname, anchor, kind, title) in located:
                rec = site.objects[gid]
                where = titles[rec.assessment][1] if rec.assessment else ""
                group.append(IndexEntry(title, 2, docname, anchor, where, "", ""))
        return [(_heading(domain, k), v) for k, v in sorted(groups.items())], True


class RecipientIndex(_NameIndex):
    name = "recipients"
    localname = "提供先・移転先索引"
    shortname = "提供先・移転先"

    def names(self, site):
        return site.recipients


class ContractorIndex(_NameIndex):
    name = "contractors"
    localname = "委託先索引"
    shortname = "委託先"

    def names(self, site):
        return site.contractors


class PiaDomain(Domain):
    name = "pia"
    label = "特定個人情報保護評価"
    object_types = {kind: ObjType(kind, kind) for kind in KINDS}
    roles = {name: XRefRole(warn_dangling=True) for name in ROLE_NAMES}
    indices = [SystemIndex, FileIndex, RecipientIndex, ContractorIndex]
    initial_data: dict[str, Any] = {"objects": {}, "by_doc": {}}
    data_version = 2

    @property
    def objects(self) -> dict[str, tuple[str, str, str, str]]:
        return self.data.setdefault("objects", {})

    @property
    def by_doc(self) -> dict[str, list[str]]:
        """docname → the gids documented there, so forgetting a document is not a scan of all objects."""
        return self.data.setdefault("by_doc", {})

    def note_object(self, gid: str, docname: str, anchor: str, kind: str, title: str, location: Any = None) -> None:
        existing = self.objects.get(gid)
        if existing and existing[0] != docname:
            logger.warning(
                "pia のオブジェクト %s が2か所に記載されています（%s にも）。どちらかに :no-index: を付けてください。",
                gid, existing[0], location=location, type="pia", subtype="duplicate",
            )
            return
        if existing is None:
            self.by_doc.setdefault(docname, []).append(gid)
        self.objects[gid] = (docname, anchor, kind, title)

    def clear_doc(self, docname: str) -> None:
        for gid in self.by_doc.pop(docname, []):
            entry = self.objects.get(gid)
            if entry is not None and entry[0] == docname:
                del self.objects[gid]

    def merge_domaindata(self, docnames, otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for gid in otherdata.get("by_doc", {}).get(docname, []):
                entry = otherdata["objects"].get(gid)
                if entry is not None and entry[0] == docname:
                    self.objects[gid] = entry
                    self.by_doc.setdefault(docname, []).append(gid)

    def lookup(self, typ: str, target: str) -> tuple[str, str, str, str] | None:
        """The (docname, anchor, kind, title) a role *typ* link to *target* goes to."""
        entry = self.objects.get(target)
        if entry is None:
            return None
        if typ not in ("ref", "any") and entry[2] not in ROLE_KINDS.get(typ, {typ}):
            return None
        return entry

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        entry = self.lookup(typ, target)
        if entry is None:
            return None
        docname, anchor, kind, title = entry
        return make_refnode(builder, fromdocname, docname, anchor, self._titled(node, contnode, title), title)

    @staticmethod
    def _titled(node, contnode, title: str):
        """A role written without a title shows the object's title, not its raw ID."""
        if node.get("refexplicit") or node.get("refdomain") != "pia" or not title:
            return contnode
        return nodes.inline(title, title, classes=["xref", "pia-ref"])

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        entry = self.objects.get(target)
        if entry is None:
            return []
        docname, anchor, kind, title = entry
        return [(f"pia:{kind if kind in ROLE_NAMES else 'ref'}", make_refnode(builder, fromdocname, docname, anchor, self._titled(node, contnode, title), title))]

    def get_objects(self):
        for gid, (docname, anchor, kind, title) in sorted(self.objects.items()):
            yield gid, title, kind, docname, anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")
