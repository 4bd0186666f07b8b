"""Search records: what the search finds and shows, one per object of the site.

A :class:`Corpus` is everything the index is written from: the records and the
small tables beside them (assessments, legal keys, law aliases).  It is plain
data, so a site built in shards (one per organization) can export each shard's
corpus as JSON and merge them into the index of the whole site
(:func:`merge`); the result equals the index of a single build (a test).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..index import SiteIndex
from ..model.values import Checks, Selection

LAW_PIECES = 5  # a law's record text: the first citations of it (by owner)

# curator notes and provenance are not what readers search for
_SKIPPED = frozenset(("raw", "id", "line", "end_line", "schema_", "key", "gap", "resolution", "confidence", "note",
                      "resolution_note", "evidence", "ref", "duplicate_of", "annex"))


@dataclass
class Record:
    gid: str
    title: str
    kind: str
    url: str
    aid: str | None  # the assessment, None for laws and organizations
    section: str  # where on the page (the parent's title)
    file: str  # the title of the file the object belongs to, "" when none or the same as section
    text: str  # what a reader sees: labels, values and the chosen options
    extra: str = ""  # searchable but not shown: the options that were not chosen
    keys: list[tuple[str, str]] = field(default_factory=list)  # (law key, role: b/m/x)
    pieces: list[tuple[str, str]] = field(default_factory=list)  # law records: (owner gid, citation text)


@dataclass
class Corpus:
    records: list[Record]
    assessments: dict[str, tuple[str, str]]  # aid → (title, organization name)
    laws: dict[str, list]  # law key → [law, article, paragraph, item, table, row, suppl]
    aliases: dict[str, str]  # normalized law name → law id

    def to_json(self) -> dict:
        return {"records": [asdict(r) for r in self.records], "assessments": self.assessments, "laws": self.laws, "aliases": self.aliases}

    @classmethod
    def from_json(cls, data: dict) -> "Corpus":
        recs = []
        for r in data["records"]:
            r = dict(r)
            r["keys"] = [tuple(k) for k in r["keys"]]
            r["pieces"] = [tuple(p) for p in r["pieces"]]
            recs.append(Record(**r))
        return cls(recs, {k: tuple(v) for k, v in data["assessments"].items()}, data["laws"], data["aliases"])


def _texts(obj) -> tuple[list[str], list[str]]:
    """The displayable strings of a model object (labels, values, chosen options) and,
    apart, the options that were printed but not chosen."""
    shown: list[str] = []
    unchosen: list[str] = []

    def walk(value) -> None:
        if value is None:
            return
        if isinstance(value, str):
            shown.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, Selection):
            if value.value:
                shown.append(value.value)
            unchosen.extend(o for o in value.options if o != value.value)
        elif isinstance(value, Checks):
            shown.extend(value.checked)
            if value.other:
                shown.append(value.other)
            unchosen.extend(o for o in value.options if o not in value.checked)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                if name not in _SKIPPED:
                    walk(getattr(value, name))

    walk(obj)
    return shown, unchosen


def _law_text(pieces: list[tuple[str, str]]) -> str:
    return " ".join(p for _, p in pieces[:LAW_PIECES])


def record_sig(r: Record) -> tuple:
    """Everything of a record that reaches the index, as one tuple: an unchanged signature,
    an unchanged record.  Law records also have pieces (their citations), which their
    text sums up."""
    return (r.gid, r.kind, r.aid, r.title, r.url, r.section, r.file, r.text, r.extra, tuple(map(tuple, r.keys)))


def record_from_sig(sig: tuple) -> Record:
    gid, kind, aid, title, url, section, file, text, extra, keys = sig
    return _signed(Record(gid, title, kind, url, aid, section, file, text, extra, list(keys)), sig)


def _signed(r: Record, sig: tuple) -> Record:
    """The record, remembering the signature it was made from or with: the index state
    then holds the very tuples the cache holds, and pickles them once
    (``search.index.signature_of`` checks the record is still equal to it)."""
    r.__dict__["_sig"] = sig
    return r


def signature_of(r: Record) -> tuple:
    """:func:`record_sig`, as the same tuple as the cache's when the record still equals it."""
    sig = record_sig(r)
    known = r.__dict__.get("_sig")
    return known if known == sig else sig


def build_corpus(site: SiteIndex, locate, cache: dict | None = None, signatures: dict[str, str] | None = None) -> Corpus:
    """``locate(gid)`` → (url, title) where the site documents the object, or None.

    *cache* (a dict kept between builds) holds each assessment's records, as
    :func:`record_sig` tuples, under a key: the signature of its files (*signatures*),
    the legal keys its objects cite and where its pages are.  An assessment whose key
    is unchanged is not walked again (walking every model for its texts was most of the
    corpus's cost, and an edit changes one assessment).  Records are in ``gid`` order
    either way, so the corpus is the same with or without the cache."""
    signatures = signatures or {}
    owner_laws: dict[str, list[tuple[str, str]]] = {}
    for lgid, citations in site.citations.items():
        for c in citations:
            owner_laws.setdefault(c.owner, []).append((site.laws[lgid].key, "b" if c.role == "basis" else "m"))
    keys_by_aid: dict[str, list] = {}
    for owner, pairs in owner_laws.items():
        rec = site.objects.get(owner)
        if rec is not None and rec.assessment:
            keys_by_aid.setdefault(rec.assessment, []).append((owner, *pairs))
    reused: set[str] = set()
    records: list[Record] = []
    fresh: dict[str, tuple] = {}
    if cache is not None:
        for aid in site.assessments:
            if aid not in signatures:
                continue
            key = (signatures[aid], tuple(sorted(keys_by_aid.get(aid, ()))), locate(aid))
            hit = cache.get(aid)
            if hit is not None and hit[0] == key:
                reused.add(aid)
                records.extend(map(record_from_sig, hit[1]))
            fresh[aid] = (key, hit[1] if aid in reused else [])
    for gid, rec in site.objects.items():
        if rec.assessment in reused:
            continue
        where = locate(gid)
        if where is None:
            continue
        url, _ = where
        kind = rec.kind
        parent = site.objects.get(rec.parent) if rec.parent else None
        file_title = site.objects[rec.file].title if rec.file and rec.file in site.objects else ""
        section = parent.title if parent else file_title
        shown, unchosen, keys, pieces = [], [], owner_laws.get(gid, []), []
        if kind == "law":
            pieces = [(c.owner, f"{c.label} {c.text}") for c in site.citations.get(gid, [])]
            keys = [(site.laws[gid].key, "x")]
        elif kind == "file":
            shown, unchosen = _texts(rec.obj.name)
            keys = []
        elif kind == "section" and rec.obj is not None and hasattr(rec.obj, "sections"):
            keys = []  # a whole part: its sections are records of their own
        elif kind == "section":
            obj = rec.obj
            shown, unchosen = _texts(getattr(obj, "items", obj if isinstance(obj, list) else []))
        elif kind == "assessment":
            shown, unchosen = _texts(rec.obj.doc.cover)
            keys = []
        else:
            shown, unchosen = _texts(rec.obj)
        title = rec.title
        if kind == "entrustment":
            # what a reader scans a result list for: who, and whether they subcontract
            facts = []
            contractor = rec.obj.get("contractor")
            if contractor is not None and contractor.text:
                facts.append(f"委託先: {contractor.text}")
            sub = rec.obj.get("subcontract")
            if sub is not None and sub.select is not None and sub.select.value:
                facts.append(f"再委託: {sub.select.value}")
            if facts:
                title = f"{title}（{'、'.join(facts)}）"
        text = _law_text(pieces) if kind == "law" else " ".join(shown)
        made = [Record(gid, title, kind, url, rec.assessment, section, file_title if file_title != section else "",
                       text, " ".join(unchosen), list(keys), pieces)]
        if kind == "file" and rec.obj.record_items is not None:
            items_url = url.split("#")[0] + f"#{rec.obj.id}-items"
            for n, item in enumerate(rec.obj.record_items.all):
                made.append(Record(f"{gid}-items/{n:04d}", item.name, "record-item", items_url, rec.assessment,
                                   rec.title, "", f"記録項目 {item.name} {rec.title}"))
        records.extend(made)
        if rec.assessment in fresh:
            fresh[rec.assessment][1].extend(_signed(r, record_sig(r)).__dict__["_sig"] for r in made)
    records.sort(key=lambda r: r.gid)
    if cache is not None:
        cache.clear()
        cache.update(fresh)  # only this build's assessments: the cache does not grow without bound
    used = {k for r in records for k, _ in r.keys}
    laws = {}
    for ref in site.laws.values():
        if ref.key in used:
            laws[ref.key] = [ref.law, ref.article, ref.paragraph, ref.item, ref.table, ref.row, int(ref.suppl)]
    from .index import normalize

    aliases = {}
    for law in site.registry.laws.values():
        for name in (law.name, *(a.name for a in law.aliases)):
            aliases[normalize(name)] = law.id
    table = {aid: (a.title, a.doc.organization.name) for aid, a in site.assessments.items()}
    return Corpus(records, table, laws, aliases)


def merge(corpora: list[Corpus]) -> Corpus:
    """One corpus from the corpora of shards built apart.  Objects documented in several
    shards (a law page, an organization) become one record; a law's record text is
    recomputed from the citations of every shard, in the order a single build has."""
    by_gid: dict[str, Record] = {}
    assessments: dict[str, tuple[str, str]] = {}
    laws: dict[str, list] = {}
    aliases: dict[str, str] = {}
    for corpus in corpora:
        assessments.update(corpus.assessments)
        laws.update(corpus.laws)
        aliases.update(corpus.aliases)
        for r in corpus.records:
            seen = by_gid.get(r.gid)
            if seen is None:
                by_gid[r.gid] = Record(**{**asdict(r), "keys": list(r.keys), "pieces": list(r.pieces)})
            elif r.kind == "law":
                owners = {o for o, _ in seen.pieces}
                seen.pieces.extend(p for p in r.pieces if p[0] not in owners)
    records = []
    for gid in sorted(by_gid):
        r = by_gid[gid]
        if r.kind == "law":
            r.pieces.sort(key=lambda p: p[0])
            r.text = _law_text(r.pieces)
        records.append(r)
    return Corpus(records, assessments, laws, aliases)
